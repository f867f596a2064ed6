//! The xAPI versions this crate validates against and how a request names them.

use crate::error::VersionError;

/// The rule set a request is validated with, chosen by its `X-Experience-API-Version` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum XapiVersion {
    /// xAPI 1.0.3 (requests saying `1.0`, `1.0.0` … `1.0.3`, or any later `1.0.x`).
    V1_0_3,
    /// xAPI 2.0, IEEE 9274.1.1-2023 (requests saying `2.0` or `2.0.x`).
    V2_0,
}

impl XapiVersion {
    /// Parses the value of an `X-Experience-API-Version` request header.
    ///
    /// `1.0` and `1.0.x` select the 1.0.3 rules (the 1.0.x patch versions are compatible, and the
    /// specification requires an LRS to accept any of them); `2.0` and `2.0.x` select the 2.0 rules.
    /// Anything else, including `1.1.0` and `0.9.5`, is an error naming the header.
    pub fn from_header(value: &str) -> Result<Self, VersionError> {
        let trimmed = value.trim();
        if is_major_minor_patch(trimmed, "1.0") {
            Ok(Self::V1_0_3)
        } else if is_major_minor_patch(trimmed, "2.0") {
            Ok(Self::V2_0)
        } else {
            Err(VersionError::Unsupported(value.to_owned()))
        }
    }

    /// Like [`XapiVersion::from_header`], for a header that may be absent.
    pub fn from_optional_header(value: Option<&str>) -> Result<Self, VersionError> {
        value.map_or(Err(VersionError::Missing), Self::from_header)
    }

    /// The value an LRS sends in its own `X-Experience-API-Version` response header.
    pub fn header_value(self) -> &'static str {
        match self {
            Self::V1_0_3 => "1.0.3",
            Self::V2_0 => "2.0.0",
        }
    }

    /// Whether a statement's own `version` property is acceptable under these rules: `1.0` or
    /// `1.0.x` under 1.0.3; additionally `2.0` or `2.0.x` under 2.0.
    pub fn accepts_statement_version(self, version: &str) -> bool {
        is_major_minor_patch(version, "1.0")
            || (self == Self::V2_0 && is_major_minor_patch(version, "2.0"))
    }
}

/// Whether `value` is `prefix` or `prefix.N` with a decimal patch number `N`.
fn is_major_minor_patch(value: &str, prefix: &str) -> bool {
    match value.strip_prefix(prefix) {
        Some("") => true,
        Some(rest) => rest.strip_prefix('.').is_some_and(|patch| {
            !patch.is_empty()
                && patch.bytes().all(|b| b.is_ascii_digit())
                && !(patch.len() > 1 && patch.starts_with('0'))
        }),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_selects_rule_set() {
        for v in ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.9"] {
            assert_eq!(XapiVersion::from_header(v), Ok(XapiVersion::V1_0_3), "{v}");
        }
        for v in ["2.0", "2.0.0", "2.0.1"] {
            assert_eq!(XapiVersion::from_header(v), Ok(XapiVersion::V2_0), "{v}");
        }
    }

    #[test]
    fn other_headers_are_rejected_naming_the_header() {
        for v in [
            "", "1", "1.1.0", "0.9.5", "0.95", "2.1.0", "1.0.", "1.0.x", "1.0.03", "3.0.0",
        ] {
            let err = XapiVersion::from_header(v);
            assert_eq!(err, Err(VersionError::Unsupported(v.to_owned())), "{v}");
            let message = err.map(|_| ()).unwrap_err_message();
            assert!(message.contains("X-Experience-API-Version"), "{message}");
        }
        assert_eq!(
            XapiVersion::from_optional_header(None),
            Err(VersionError::Missing)
        );
    }

    #[test]
    fn statement_version_property() {
        assert!(XapiVersion::V1_0_3.accepts_statement_version("1.0"));
        assert!(XapiVersion::V1_0_3.accepts_statement_version("1.0.9"));
        assert!(!XapiVersion::V1_0_3.accepts_statement_version("2.0.0"));
        assert!(XapiVersion::V2_0.accepts_statement_version("2.0.0"));
        assert!(XapiVersion::V2_0.accepts_statement_version("1.0.3"));
        for bad in ["should fail", "0.9.9", "1.1.0", "2.1"] {
            assert!(!XapiVersion::V2_0.accepts_statement_version(bad), "{bad}");
        }
    }

    trait ErrMessage {
        fn unwrap_err_message(self) -> String;
    }
    impl ErrMessage for Result<(), VersionError> {
        fn unwrap_err_message(self) -> String {
            match self {
                Ok(()) => String::new(),
                Err(e) => e.to_string(),
            }
        }
    }
}
