//! External training providers ("externe Bildungsanbieter") and their terms.

use crate::opportunity::{is_web_address, MAX_LINK};
use serde::{Deserialize, Serialize};

/// A provider as an editor writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderDraft {
    pub name: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// Booking terms: cancellation, payment, what the price includes.
    pub terms: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    #[error("name: give the provider's name (at most 200 characters)")]
    Name,
    #[error("website: {0:?} is not an http or https address")]
    Website(String),
    #[error("contact_email: {0}")]
    Email(String),
    #[error("terms: at most 20000 characters")]
    Terms,
}

impl ProviderError {
    /// The field (as the API names it) the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Website(_) => "website",
            Self::Email(_) => "contact_email",
            Self::Terms => "terms",
        }
    }

    /// What is wrong, without the field.
    pub fn reason(&self) -> String {
        crate::reason_of(self.to_string())
    }
}

impl ProviderDraft {
    pub fn validate(&self) -> Result<(), ProviderError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ProviderError::Name);
        }
        if let Some(site) = &self.website {
            if site.len() > MAX_LINK || !is_web_address(site) {
                return Err(ProviderError::Website(site.clone()));
            }
        }
        if let Some(email) = &self.contact_email {
            mycel_organisation::validate::email("contact_email", email)
                .map_err(|e| ProviderError::Email(e.to_string()))?;
        }
        if self.terms.chars().count() > 20_000 {
            return Err(ProviderError::Terms);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_need_a_name_and_valid_addresses() {
        let ok = ProviderDraft {
            name: "IHK Akademie".into(),
            website: Some("https://ihk.example".into()),
            contact_email: Some("kurse@ihk.example".into()),
            terms: "Storno bis 14 Tage vorher kostenfrei".into(),
        };
        assert_eq!(ok.validate(), Ok(()));
        let nameless = ProviderDraft {
            name: "  ".into(),
            ..ok.clone()
        };
        assert_eq!(nameless.validate(), Err(ProviderError::Name));
        let bad_site = ProviderDraft {
            website: Some("ihk.example".into()),
            ..ok.clone()
        };
        assert!(matches!(
            bad_site.validate(),
            Err(ProviderError::Website(_))
        ));
        let bad_mail = ProviderDraft {
            contact_email: Some("kurse".into()),
            ..ok
        };
        assert!(matches!(bad_mail.validate(), Err(ProviderError::Email(_))));
    }
}
