//! Signed statements (xAPI Data 2.6): a statement carries a JSON Web Signature (RFC 7515, compact
//! serialization) as an attachment with the signature usage type. The LRS checks the attachment's
//! content type, that the JWS is well formed, that it uses RS256, RS384 or RS512, and that its
//! payload is the statement as signed. The cryptographic check of the signature itself needs the
//! signer's key, which only an `x5c` certificate chain in the JWS header would provide; this crate
//! does not verify certificate chains (not done yet: see the LRS issue's notes).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use crate::compare::statements_match;
use crate::error::StatementError;

/// The usage type of a signature attachment.
pub const SIGNATURE_USAGE_TYPE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// The algorithms xAPI allows for statement signatures.
const ALGORITHMS: [&str; 3] = ["RS256", "RS384", "RS512"];

fn decode_segment(segment: &str, what: &str) -> Result<Vec<u8>, StatementError> {
    URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|_| {
            StatementError::new(
                "attachments",
                format!("the signature's {what} is not base64url"),
            )
        })
}

/// Checks a signature attachment of `statement`: its declared content type and its content, a JWS
/// in compact serialization whose payload is the statement.
pub fn check_signature(
    statement: &Value,
    content_type: &str,
    jws: &[u8],
) -> Result<(), StatementError> {
    if !content_type
        .trim()
        .eq_ignore_ascii_case("application/octet-stream")
    {
        return Err(StatementError::new(
            "attachments",
            format!("a signature attachment must have contentType application/octet-stream, not {content_type:?}"),
        ));
    }
    let text = std::str::from_utf8(jws)
        .map_err(|_| {
            StatementError::new(
                "attachments",
                "the signature is not a JWS in compact serialization",
            )
        })?
        .trim();
    let segments: Vec<&str> = text.split('.').collect();
    let [header, payload, signature] = segments[..] else {
        return Err(StatementError::new(
            "attachments",
            "the signature is not a JWS in compact serialization (header.payload.signature)",
        ));
    };
    if signature.is_empty() {
        return Err(StatementError::new(
            "attachments",
            "the JWS has no signature",
        ));
    }
    decode_segment(signature, "signature")?;
    let header: Value = serde_json::from_slice(&decode_segment(header, "header")?)
        .map_err(|_| StatementError::new("attachments", "the JWS header is not JSON"))?;
    let algorithm = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if !ALGORITHMS.contains(&algorithm) {
        return Err(StatementError::new(
            "attachments",
            format!("the JWS algorithm must be RS256, RS384 or RS512, not {algorithm:?}"),
        ));
    }
    let payload: Value =
        serde_json::from_slice(&decode_segment(payload, "payload")?).map_err(|_| {
            StatementError::new(
                "attachments",
                "the JWS payload is not a JSON serialization of a statement",
            )
        })?;
    if !statements_match(&payload, statement) {
        return Err(StatementError::new(
            "attachments",
            "the JWS payload is not the statement it is attached to",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jws(header: &Value, payload: &str) -> Vec<u8> {
        format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(b"not checked")
        )
        .into_bytes()
    }

    fn statement() -> Value {
        json!({"actor": {"mbox": "mailto:a@example.com"}, "verb": {"id": "http://example.com/v"}, "object": {"id": "http://example.com/o"}})
    }

    #[test]
    fn a_well_formed_signature_of_the_statement_passes() {
        let s = statement();
        let token = jws(&json!({"alg": "RS256"}), &s.to_string());
        assert_eq!(
            check_signature(&s, "application/octet-stream", &token),
            Ok(())
        );
    }

    #[test]
    fn refusals() {
        let s = statement();
        let good = jws(&json!({"alg": "RS256"}), &s.to_string());
        assert!(
            check_signature(&s, "text/plain", &good).is_err(),
            "content type"
        );
        assert!(check_signature(&s, "application/octet-stream", b"not a jws").is_err());
        let hs = jws(&json!({"alg": "HS256"}), &s.to_string());
        assert!(check_signature(&s, "application/octet-stream", &hs)
            .unwrap_err()
            .reason
            .contains("HS256"));
        let broken = jws(
            &json!({"alg": "RS256"}),
            &s.to_string().replacen('"', "'", 1),
        );
        assert!(
            check_signature(&s, "application/octet-stream", &broken).is_err(),
            "payload not JSON"
        );
        let other = jws(&json!({"alg": "RS256"}), &json!({"actor": {"mbox": "mailto:b@example.com"}, "verb": {"id": "http://example.com/v"}, "object": {"id": "http://example.com/o"}}).to_string());
        assert!(check_signature(&s, "application/octet-stream", &other)
            .unwrap_err()
            .reason
            .contains("not the statement"));
    }
}
