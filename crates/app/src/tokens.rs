//! Random tokens and the keys that carry a tenant.
//!
//! Session cookies and API keys start with the tenant's id (`<tenant>.<rest>`), so that every lookup
//! goes by a key that starts with tenant_id, as every table's key does. Secrets are 256 random bits;
//! the store keeps only their SHA-256 hash, compared in constant time.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use mycel_organisation::{CredentialId, TenantId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// 32 random bytes, URL-safe base64 without padding (43 characters).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

pub fn hashes_match(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// `<tenant uuid, 32 hex>.<secret>`: the value of a session cookie.
pub fn session_cookie_value(tenant: TenantId, secret: &str) -> String {
    format!("{}.{}", tenant.as_uuid().simple(), secret)
}

/// Splits a session cookie value into tenant and secret.
pub fn parse_session_cookie(value: &str) -> Option<(TenantId, &str)> {
    let (tenant, secret) = value.split_once('.')?;
    let tenant = Uuid::try_parse(tenant).ok()?;
    (!secret.is_empty() && secret.len() <= 128).then_some((tenant.into(), secret))
}

/// `<tenant uuid>.<credential uuid>` (both 32 hex): the HTTP Basic user name of an API credential.
pub fn api_key(tenant: TenantId, credential: CredentialId) -> String {
    format!(
        "{}.{}",
        tenant.as_uuid().simple(),
        credential.as_uuid().simple()
    )
}

pub fn parse_api_key(key: &str) -> Option<(TenantId, CredentialId)> {
    let (tenant, credential) = key.split_once('.')?;
    Some((
        Uuid::try_parse(tenant).ok()?.into(),
        Uuid::try_parse(credential).ok()?.into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        let (t, c) = (TenantId::generate(), CredentialId::generate());
        assert_eq!(parse_api_key(&api_key(t, c)), Some((t, c)));
        assert_eq!(parse_api_key("nonsense"), None);
        assert_eq!(parse_api_key("a.b"), None);
        let secret = random_secret();
        assert_eq!(secret.len(), 43);
        assert_eq!(
            parse_session_cookie(&session_cookie_value(t, &secret)),
            Some((t, secret.as_str()))
        );
        assert_eq!(
            parse_session_cookie(&format!("{}.", t.as_uuid().simple())),
            None
        );
    }

    #[test]
    fn hashes_compare() {
        assert!(hashes_match(&sha256("a"), &sha256("a")));
        assert!(!hashes_match(&sha256("a"), &sha256("b")));
        assert!(!hashes_match(&sha256("a"), &[]));
    }
}
