//! multipart/mixed for statements with attachments: reading a request whose first part holds the
//! statements and whose other parts hold attachment content (each named by its SHA-2 in
//! `X-Experience-API-Hash`), and writing such a response.

use super::XapiError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use mycel_app::lrs::AttachmentPart;
use serde_json::Value;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// Hex SHA-2 of `content` with the digest length of `expected` (SHA-224/256/384/512).
fn sha2_hex_like(expected: &str, content: &[u8]) -> Option<String> {
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    match expected.len() {
        56 => Some(hex(&sha2::Sha224::digest(content))),
        64 => Some(hex(&Sha256::digest(content))),
        96 => Some(hex(&Sha384::digest(content))),
        128 => Some(hex(&Sha512::digest(content))),
        _ => None,
    }
}

/// The `boundary` parameter of a multipart media type (multer's own parser takes only
/// multipart/form-data).
fn boundary_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty())
    })
}

pub fn parse_statement_parts(
    content_type: &str,
    body: &Bytes,
) -> Result<(Value, Vec<AttachmentPart>), XapiError> {
    let boundary = boundary_of(content_type)
        .ok_or_else(|| XapiError::bad_request("multipart/mixed needs a boundary parameter"))?;
    let stream = futures_util::stream::once(std::future::ready(Ok::<
        Bytes,
        std::convert::Infallible,
    >(body.clone())));
    let mut multipart = multer::Multipart::new(stream, boundary);
    let parts = futures_util::FutureExt::now_or_never(async move {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| {
            XapiError::bad_request(format!("the multipart body cannot be read: {e}"))
        })? {
            let headers = field.headers().clone();
            let content = field.bytes().await.map_err(|e| {
                XapiError::bad_request(format!("a multipart part cannot be read: {e}"))
            })?;
            parts.push((headers, content));
        }
        Ok::<_, XapiError>(parts)
    })
    .ok_or_else(|| XapiError::bad_request("the multipart body is incomplete"))??;

    let mut parts = parts.into_iter();
    let (first_headers, first) = parts
        .next()
        .ok_or_else(|| XapiError::bad_request("the multipart body has no parts"))?;
    let first_type = first_headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !first_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(XapiError::bad_request(
            "the first part must hold the statements as application/json",
        ));
    }
    let statements: Value = serde_json::from_slice(&first)
        .map_err(|e| XapiError::bad_request(format!("the first part is not valid JSON: {e}")))?;
    let mut attachments = Vec::new();
    for (headers, content) in parts {
        let hash = headers
            .get("x-experience-api-hash")
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                XapiError::bad_request(
                    "every attachment part needs an X-Experience-API-Hash header",
                )
            })?
            .trim()
            .to_ascii_lowercase();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        match headers
            .get("content-transfer-encoding")
            .and_then(|v| v.to_str().ok())
        {
            None => {}
            Some(encoding) if encoding.eq_ignore_ascii_case("binary") => {}
            Some(other) => {
                return Err(XapiError::bad_request(format!(
                    "attachment parts must use Content-Transfer-Encoding: binary, not {other}"
                )))
            }
        }
        if sha2_hex_like(&hash, &content).as_deref() != Some(hash.as_str()) {
            return Err(XapiError::bad_request(format!(
                "the part's content does not have the SHA-2 hash {hash} its header names"
            )));
        }
        attachments.push(AttachmentPart {
            sha2: hash,
            content_type,
            content: content.to_vec(),
        });
    }
    Ok((statements, attachments))
}

/// A multipart/mixed response: the statement result, then each attachment.
pub fn statement_response(body: &Value, parts: &[AttachmentPart]) -> Response {
    let boundary = format!("mycel-{}", uuid::Uuid::new_v4().simple());
    let mut out: Vec<u8> = Vec::new();
    out.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    out.extend_from_slice(body.to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for part in parts {
        out.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {}\r\n\r\n",
                part.content_type, part.sha2
            )
            .as_bytes(),
        );
        out.extend_from_slice(&part.content);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            format!("multipart/mixed; boundary={boundary}"),
        )],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn boundaries_are_found() {
        assert_eq!(
            super::boundary_of("multipart/mixed; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            super::boundary_of("multipart/mixed;boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(super::boundary_of("multipart/mixed"), None);
    }
}
