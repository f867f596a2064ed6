//! Content types of package files, by extension.
//!
//! `mime_guess` knows most extensions; a few are pinned here so that serving a package does not
//! depend on its table: `.js`/`.mjs` are `text/javascript` (RFC 9239), `.xml` and `.xsd` are
//! `application/xml` (RFC 7303), `.woff2` is `font/woff2`. Unknown or missing extensions are
//! `application/octet-stream`.

/// The content type of a package file, judged by its extension (case-insensitive).
pub fn content_type_for(path: &str) -> &'static str {
    let file_name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, extension)) = file_name.rsplit_once('.') else {
        return "application/octet-stream";
    };
    let extension = extension.to_ascii_lowercase();
    let pinned = match extension.as_str() {
        "html" | "htm" => Some("text/html"),
        "js" | "mjs" => Some("text/javascript"),
        "css" => Some("text/css"),
        "json" => Some("application/json"),
        "xml" | "xsd" | "dtd" => Some("application/xml"),
        "svg" => Some("image/svg+xml"),
        "mp4" => Some("video/mp4"),
        "webm" => Some("video/webm"),
        "mp3" => Some("audio/mpeg"),
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "woff2" => Some("font/woff2"),
        "woff" => Some("font/woff"),
        _ => None,
    };
    pinned
        .or_else(|| mime_guess::from_ext(&extension).first_raw())
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_types() {
        for (path, expected) in [
            ("index.html", "text/html"),
            ("a/B.HTM", "text/html"),
            ("js/cmi5.min.js", "text/javascript"),
            ("style/framed.css", "text/css"),
            ("data.json", "application/json"),
            ("imsmanifest.xml", "application/xml"),
            ("adlcp_v1p3.xsd", "application/xml"),
            ("img/fault_types.svg", "image/svg+xml"),
            ("video/mountains_31175.mp4", "video/mp4"),
            ("v.webm", "video/webm"),
            ("a.mp3", "audio/mpeg"),
            ("img/earth_timescale.png", "image/png"),
            ("img/cycle1.jpg", "image/jpeg"),
            ("f.woff2", "font/woff2"),
            ("doc.pdf", "application/pdf"),
            ("README", "application/octet-stream"),
            ("x.unknownext", "application/octet-stream"),
        ] {
            assert_eq!(content_type_for(path), expected, "{path}");
        }
    }
}
