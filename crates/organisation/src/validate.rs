//! Rules for what people type: slugs, names, e-mail addresses, passwords.

use thiserror::Error;

/// Input that breaks a rule. `field` names the input, `reason` says what is wrong in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    pub field: &'static str,
    pub reason: String,
}

impl ValidationError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

pub const MAX_NAME_CHARS: usize = 200;
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A tenant slug: 2–63 characters of `a-z`, `0-9` and inner hyphens.
pub fn slug(field: &'static str, value: &str) -> Result<String, ValidationError> {
    let ok_chars = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !(2..=63).contains(&value.len()) {
        return Err(ValidationError::new(
            field,
            "must be 2 to 63 characters long",
        ));
    }
    if !ok_chars || value.starts_with('-') || value.ends_with('-') {
        return Err(ValidationError::new(
            field,
            "may contain only a-z, 0-9 and hyphens, and must not start or end with a hyphen",
        ));
    }
    Ok(value.to_owned())
}

/// A display name: trimmed, not empty, at most [`MAX_NAME_CHARS`] characters, no control characters.
pub fn name(field: &'static str, value: &str) -> Result<String, ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Free text such as a description: trimmed, at most `max` characters; line breaks and tabs are
/// fine, other control characters (NUL above all, which PostgreSQL cannot store) are not. Empty
/// text is `None`.
pub fn text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(Some(trimmed.to_owned()))
}

/// An e-mail address, normalised to lower case. Deliberately simple: one `@`, a non-empty local
/// part, a domain with a dot, no spaces. Whether it receives mail is not ours to decide.
pub fn email(field: &'static str, value: &str) -> Result<String, ValidationError> {
    let value = value.trim().to_lowercase();
    let bad = || ValidationError::new(field, "is not an e-mail address (name@example.com)");
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(bad());
    }
    Ok(value)
}

/// A new password: at least [`MIN_PASSWORD_CHARS`] characters, at most [`MAX_PASSWORD_BYTES`] bytes
/// (hashing a megabyte-long password is a denial of service, not security).
pub fn new_password(value: &str) -> Result<(), ValidationError> {
    if value.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ValidationError::new(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if value.len() > MAX_PASSWORD_BYTES {
        return Err(ValidationError::new(
            "password",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("slug", "edeka-nord").as_deref(), Ok("edeka-nord"));
        assert!(slug("slug", "a").is_err());
        assert!(slug("slug", "Edeka").is_err());
        assert!(slug("slug", "-x").is_err());
        assert!(slug("slug", "x y").is_err());
        assert_eq!(slug("slug", "ä1").unwrap_err().field, "slug");
    }

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(
            email("email", " Anna.Schmidt@Example.DE ").as_deref(),
            Ok("anna.schmidt@example.de")
        );
        for bad in [
            "",
            "anna",
            "@example.de",
            "anna@de",
            "a b@example.de",
            "a@b@c.de",
        ] {
            assert!(email("email", bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Filiale 12 ").as_deref(), Ok("Filiale 12"));
        assert!(name("name", "   ").is_err());
        assert!(name("name", "a\u{0}b").is_err());
        assert!(name("name", &"x".repeat(MAX_NAME_CHARS + 1)).is_err());
    }

    #[test]
    fn free_text() {
        assert_eq!(
            text("d", "  Zeile 1\nZeile 2 ", 100),
            Ok(Some("Zeile 1\nZeile 2".to_owned()))
        );
        assert_eq!(text("d", "   ", 100), Ok(None));
        assert!(text("d", "a\u{0}b", 100).is_err());
        assert!(text("d", "abc", 2).is_err());
    }

    #[test]
    fn passwords() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough password").is_ok());
        assert!(new_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)).is_err());
    }

    proptest! {
        #[test]
        fn accepted_slugs_are_url_safe(s in "\\PC{0,80}") {
            if let Ok(ok) = slug("slug", &s) {
                prop_assert!(ok.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            }
        }

        #[test]
        fn accepted_emails_are_normalised(s in "\\PC{0,80}") {
            if let Ok(ok) = email("email", &s) {
                prop_assert_eq!(ok.to_lowercase(), ok.clone());
                prop_assert_eq!(ok.matches('@').count(), 1);
            }
        }
    }
}
