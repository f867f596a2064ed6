//! Entry names and manifest references, made safe.
//!
//! Entry names ([`normalise_entry_name`]): a name is refused when it is absolute (`/x`, `\x`,
//! `\\server\x`, `C:\x`, `C:x`, or with a drive in any component: `./C:x`, `a/C:x`), contains a backslash anywhere, a NUL byte or another control
//! character, or a `..` component. Otherwise empty and `.` components are dropped, and the
//! components are joined with `/`: `./a//b/` becomes the folder `a/b`. What remains can only name a
//! place inside the package.
//!
//! References in manifests ([`resolve_reference`]): a reference with a URL scheme (`https:`) is
//! external; one starting with `/` or `\`, or one whose `..` climbs above the package root, lies
//! outside; anything else is a path inside the package. Query and fragment are kept for launching
//! but dropped for finding the file, which is looked up percent-decoded (`my%20page.html` is the
//! entry `my page.html`). Backslashes in references are read as `/`, as browsers do.

use crate::error::PackageRefusal;

/// `C:` at the start: a Windows drive.
fn has_drive_prefix(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// A normalised entry name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalisedName {
    /// Components joined with `/`: no leading `./` or `/`, no empty or `.` components, no trailing `/`.
    pub path: String,
    /// The entry is a folder (its name ended with `/`).
    pub is_dir: bool,
}

/// Normalises a zip entry name or says why it is refused (see the module documentation).
pub fn normalise_entry_name(raw: &str) -> Result<NormalisedName, PackageRefusal> {
    let entry = || raw.to_owned();
    if raw.chars().any(|c| c.is_control()) {
        return Err(PackageRefusal::ControlCharacter { entry: entry() });
    }
    if raw.starts_with('/') || raw.starts_with('\\') || has_drive_prefix(raw) {
        return Err(PackageRefusal::AbsolutePath { entry: entry() });
    }
    if raw.contains('\\') {
        return Err(PackageRefusal::Backslash { entry: entry() });
    }
    let mut components = Vec::new();
    for component in raw.split('/') {
        match component {
            "" | "." => {}
            ".." => return Err(PackageRefusal::PathEscapes { entry: entry() }),
            other => components.push(other),
        }
    }
    if components.is_empty() {
        return Err(PackageRefusal::EmptyName { entry: entry() });
    }
    // `./C:x` must not become `C:x`, and no component may be a drive: on Windows, joining
    // `C:x` to a directory replaces the directory.
    if components.iter().any(|c| has_drive_prefix(c)) {
        return Err(PackageRefusal::AbsolutePath { entry: entry() });
    }
    Ok(NormalisedName {
        path: components.join("/"),
        is_dir: raw.ends_with('/'),
    })
}

/// Where a reference in a manifest points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// An absolute URL with a scheme, left as written (trimmed).
    External(String),
    /// A file inside the package.
    Local {
        /// The percent-decoded path of the file relative to the package root, to look it up.
        file: String,
        /// The normalised reference as a URL relative to the package root, with query and fragment.
        url: String,
    },
    /// A reference that leaves the package (`/x`, `../x` above the root, `C:\x`).
    Outside,
}

/// The URL scheme of a reference (`https`), if it has one. A single letter followed by `:` is a
/// Windows drive, not a scheme.
pub fn url_scheme(reference: &str) -> Option<&str> {
    let colon = reference.find(':')?;
    let scheme = &reference[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if scheme.len() < 2 || !first.is_ascii_alphabetic() {
        return None;
    }
    chars
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .then_some(scheme)
}

/// Resolves a reference relative to the package root (see the module documentation).
pub fn resolve_reference(reference: &str) -> Reference {
    let reference = reference.trim();
    if url_scheme(reference).is_some() {
        return Reference::External(reference.to_owned());
    }
    let reference = reference.replace('\\', "/");
    if reference.starts_with('/') || has_drive_prefix(&reference) {
        return Reference::Outside;
    }
    let split_at = reference.find(['?', '#']).unwrap_or(reference.len());
    let (path, suffix) = reference.split_at(split_at);
    let mut components: Vec<&str> = Vec::new();
    for component in path.split('/') {
        match component {
            "" | "." => {}
            ".." => {
                if components.pop().is_none() {
                    return Reference::Outside;
                }
            }
            other => components.push(other),
        }
    }
    let path = components.join("/");
    Reference::Local {
        file: percent_decode(&path),
        url: format!("{path}{suffix}"),
    }
}

/// Decodes `%XX` escapes; leaves the text as it is when the escapes are invalid or not UTF-8.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(value) = hex {
                out.push(value);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Joins `xml:base` values and an `href` the way LMSs do: by concatenation, adding a `/` after a
/// base that lacks one. An absolute base or href wins over what comes before it.
pub(crate) fn join_bases(bases: &[Option<&str>], href: &str) -> String {
    let mut joined = String::new();
    for part in bases
        .iter()
        .flatten()
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
    {
        if url_scheme(part).is_some() || part.starts_with('/') {
            joined.clear();
        }
        joined.push_str(part);
        if !joined.ends_with('/') {
            joined.push('/');
        }
    }
    let href = href.trim();
    if url_scheme(href).is_some() || href.starts_with('/') {
        return href.to_owned();
    }
    joined.push_str(href);
    joined
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn entry_names() {
        let ok = |raw: &str| normalise_entry_name(raw).unwrap();
        assert_eq!(ok("a/b.html").path, "a/b.html");
        assert_eq!(ok("./a//b/").path, "a/b");
        assert!(ok("./a//b/").is_dir);
        assert!(matches!(
            normalise_entry_name("a/../../evil"),
            Err(PackageRefusal::PathEscapes { .. })
        ));
        for absolute in [
            "/etc/passwd",
            "C:\\x",
            "c:x",
            "\\\\server\\share",
            "\\x",
            "./C:x",
            ".//d:/x",
            "a/C:x",
        ] {
            assert!(
                matches!(
                    normalise_entry_name(absolute),
                    Err(PackageRefusal::AbsolutePath { .. })
                ),
                "{absolute}"
            );
        }
        assert!(matches!(
            normalise_entry_name("a\\..\\b"),
            Err(PackageRefusal::Backslash { .. })
        ));
        assert!(matches!(
            normalise_entry_name("a\0b"),
            Err(PackageRefusal::ControlCharacter { .. })
        ));
        assert!(matches!(
            normalise_entry_name("./"),
            Err(PackageRefusal::EmptyName { .. })
        ));
    }

    #[test]
    fn references() {
        assert_eq!(
            resolve_reference(" index.html?paramA=1&paramB=2 "),
            Reference::Local {
                file: "index.html".into(),
                url: "index.html?paramA=1&paramB=2".into()
            }
        );
        assert_eq!(
            resolve_reference("a/./b/../my%20page.html#top"),
            Reference::Local {
                file: "a/my page.html".into(),
                url: "a/my%20page.html#top".into()
            }
        );
        assert_eq!(
            resolve_reference("https://x.example/a"),
            Reference::External("https://x.example/a".into())
        );
        assert_eq!(resolve_reference("../secret"), Reference::Outside);
        assert_eq!(resolve_reference("/etc/passwd"), Reference::Outside);
        assert_eq!(resolve_reference("C:\\x"), Reference::Outside);
        assert_eq!(percent_decode("%zz%41%"), "%zzA%");
    }

    #[test]
    fn bases() {
        assert_eq!(
            join_bases(&[Some("course"), Some("x/")], "a.html"),
            "course/x/a.html"
        );
        assert_eq!(
            join_bases(&[None, Some("https://cdn/")], "a.html"),
            "https://cdn/a.html"
        );
        assert_eq!(
            join_bases(&[Some("x/")], "https://y/a.html"),
            "https://y/a.html"
        );
    }
}
