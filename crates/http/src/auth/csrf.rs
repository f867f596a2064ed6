//! Protection against cross-site request forgery for the web forms.
//!
//! Double-submit: every page carries a random token in a `SameSite=Strict`, `HttpOnly` cookie and in
//! a hidden field of each form; a form post must bring both, equal. Posts with an `Origin` header
//! from another host are refused as well.

use crate::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use mycel_app::tokens;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "mycel_csrf";

/// The token of this request's page, from the cookie or new.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    pub value: String,
    /// The cookie must be (re)set in the response.
    pub fresh: bool,
}

impl CsrfToken {
    pub fn from_jar(jar: &CookieJar) -> Self {
        match jar.get(COOKIE).map(|c| c.value().to_owned()) {
            Some(value) if value.len() == 43 => Self {
                value,
                fresh: false,
            },
            _ => Self {
                value: tokens::random_secret(),
                fresh: true,
            },
        }
    }

    pub fn cookie(&self, secure: bool) -> Cookie<'static> {
        Cookie::build((COOKIE, self.value.clone()))
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .build()
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// An URL-encoded form whose CSRF token was checked. `T` must tolerate the extra `csrf` field.
#[derive(Debug)]
pub struct CheckedForm<T>(pub T);

/// Why a form post was refused.
#[derive(Debug)]
pub enum FormRejection {
    Forgery,
    Malformed(String),
    TooLarge,
}

impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        match self {
            Self::Forgery => (
                StatusCode::FORBIDDEN,
                "The form has expired or did not come from this site. Go back, reload the page and try again.",
            )
                .into_response(),
            Self::Malformed(reason) => {
                (StatusCode::BAD_REQUEST, format!("The form could not be read: {reason}"))
                    .into_response()
            }
            Self::TooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response()
            }
        }
    }
}

fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o == h)
}

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(req.headers());
        let origin_ok = same_origin(req.headers());
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    FormRejection::TooLarge
                } else {
                    FormRejection::Malformed(r.body_text())
                }
            })?;
        let sent: CsrfField = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| FormRejection::Malformed(e.to_string()))?;
        let expected = jar
            .get(COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        let tokens_match: bool = sent.csrf.as_bytes().ct_eq(expected.as_bytes()).into();
        if !origin_ok || expected.is_empty() || !tokens_match {
            return Err(FormRejection::Forgery);
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CheckedForm)
            .map_err(|e| FormRejection::Malformed(e.to_string()))
    }
}

/// A `multipart/form-data` form (a file upload) whose CSRF token was checked: its text fields and
/// its files (field name, file name, content).
#[derive(Debug, Default)]
pub struct CheckedUpload {
    pub fields: std::collections::HashMap<String, String>,
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl CheckedUpload {
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn file(&self, name: &str) -> Option<(&str, &[u8])> {
        self.files
            .iter()
            .find(|(field, _, _)| field == name)
            .map(|(_, file_name, content)| (file_name.as_str(), content.as_slice()))
    }
}

impl FromRequest<AppState> for CheckedUpload {
    type Rejection = FormRejection;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(req.headers());
        let origin_ok = same_origin(req.headers());
        let boundary = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok())
            .ok_or_else(|| {
                FormRejection::Malformed("expected a multipart/form-data upload".into())
            })?;
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    FormRejection::TooLarge
                } else {
                    FormRejection::Malformed(r.body_text())
                }
            })?;
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut upload = CheckedUpload::default();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| FormRejection::Malformed(e.to_string()))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let content = field
                .bytes()
                .await
                .map_err(|e| FormRejection::Malformed(e.to_string()))?;
            match file_name {
                Some(file_name) => upload.files.push((name, file_name, content.to_vec())),
                None => {
                    let text = String::from_utf8(content.to_vec()).map_err(|_| {
                        FormRejection::Malformed(format!("field {name} is not UTF-8"))
                    })?;
                    upload.fields.insert(name, text);
                }
            }
        }
        let expected = jar
            .get(COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default();
        let tokens_match: bool = upload
            .field("csrf")
            .as_bytes()
            .ct_eq(expected.as_bytes())
            .into();
        if !origin_ok || expected.is_empty() || !tokens_match {
            return Err(FormRejection::Forgery);
        }
        Ok(upload)
    }
}

/// The header that carries the page's token on requests a page's script makes (the SCORM
/// player's commits send JSON, not a form).
pub const HEADER: &str = "x-csrf-token";

/// Whether a script's request brings the page's token in [`HEADER`], equal to the cookie's, and
/// does not come from another site: the same double-submit rule as forms.
pub fn header_token_matches(headers: &HeaderMap) -> bool {
    let jar = CookieJar::from_headers(headers);
    let expected = jar
        .get(COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    let sent = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let tokens_match: bool = sent.as_bytes().ct_eq(expected.as_bytes()).into();
    same_origin(headers) && !expected.is_empty() && tokens_match
}
