//! Turning a request into a [`Principal`]: an API credential sent with HTTP Basic, or a session
//! cookie of a logged-in person.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum_extra::extract::cookie::CookieJar;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use mycel_app::tokens;
use mycel_organisation::{AccessGrant, AccessRole, Person, Principal, Tenant};
use mycel_store::{StoreError, TenantScope};

pub const SESSION_COOKIE: &str = "mycel_session";

/// An authenticated caller: who, in which tenant, and (for a person) their record.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub tenant: Tenant,
    pub person: Option<Person>,
    /// The label of the API credential, for a machine client.
    pub credential_label: Option<String>,
}

impl Caller {
    /// The scope of the caller's own tenant.
    pub fn scope(&self) -> TenantScope {
        TenantScope::own(&self.principal)
    }

    pub fn grants(&self) -> &[AccessGrant] {
        match &self.principal {
            Principal::Person { grants, .. } => grants,
            Principal::Credential { .. } => &[],
        }
    }
}

/// Whether a request tried to authenticate at all, and how.
pub(crate) enum Attempt<'a> {
    None,
    Basic { user: String, password: String },
    Session(&'a str),
    Malformed,
}

pub(crate) fn attempt<'a>(headers: &HeaderMap, jar: &'a CookieJar) -> Attempt<'a> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let Some(encoded) = value.to_str().ok().and_then(|v| {
            v.strip_prefix("Basic ")
                .or_else(|| v.strip_prefix("basic "))
        }) else {
            return Attempt::Malformed;
        };
        let decoded = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        return match decoded.as_deref().and_then(|d| d.split_once(':')) {
            Some((user, password)) => Attempt::Basic {
                user: user.to_owned(),
                password: password.to_owned(),
            },
            None => Attempt::Malformed,
        };
    }
    match jar.get(SESSION_COOKIE) {
        Some(cookie) => Attempt::Session(cookie.value()),
        None => Attempt::None,
    }
}

/// Not found, expired and revoked all mean the same to the caller: not authenticated.
fn unauthenticated_on_missing(error: StoreError) -> ApiError {
    match error {
        StoreError::NotFound(_) => ApiError::unauthenticated(),
        other => other.into(),
    }
}

pub async fn from_api_key(state: &AppState, key: &str, secret: &str) -> Result<Caller, ApiError> {
    let (tenant_id, credential_id) =
        tokens::parse_api_key(key).ok_or_else(ApiError::unauthenticated)?;
    let scope = TenantScope::system(tenant_id);
    let credential = state
        .store
        .api_credential(scope, credential_id)
        .await
        .map_err(unauthenticated_on_missing)?;
    if credential.revoked_at.is_some()
        || !tokens::hashes_match(&credential.secret_hash, &tokens::sha256(secret))
    {
        return Err(ApiError::unauthenticated());
    }
    let tenant = state
        .store
        .tenant(tenant_id)
        .await
        .map_err(unauthenticated_on_missing)?;
    Ok(Caller {
        principal: Principal::Credential {
            tenant_id,
            credential_id,
            scopes: credential.scopes,
        },
        tenant,
        person: None,
        credential_label: Some(credential.label),
    })
}

pub async fn from_session(state: &AppState, cookie: &str) -> Result<Caller, ApiError> {
    let (tenant_id, secret) =
        tokens::parse_session_cookie(cookie).ok_or_else(ApiError::unauthenticated)?;
    let scope = TenantScope::system(tenant_id);
    let session = state
        .store
        .session(scope, &tokens::sha256(secret))
        .await
        .map_err(unauthenticated_on_missing)?;
    let person = state
        .store
        .person(scope, session.person_id)
        .await
        .map_err(unauthenticated_on_missing)?;
    let mut grants = state.store.access_grants(scope, person.id).await?;
    grants.push(AccessGrant::tenant_wide(AccessRole::Learner));
    let tenant = state
        .store
        .tenant(tenant_id)
        .await
        .map_err(unauthenticated_on_missing)?;
    Ok(Caller {
        principal: Principal::Person {
            tenant_id,
            person_id: person.id,
            grants,
        },
        tenant,
        person: Some(person),
        credential_label: None,
    })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let jar = CookieJar::from_headers(&parts.headers);
        match attempt(&parts.headers, &jar) {
            Attempt::Basic { user, password } => from_api_key(state, &user, &password).await,
            Attempt::Session(cookie) => from_session(state, cookie).await,
            Attempt::None | Attempt::Malformed => Err(ApiError::unauthenticated()),
        }
    }
}

/// The caller if there is a valid session or credential, `None` otherwise (for pages that anyone
/// may see, such as the login page).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(Self(Some(caller))),
            Err(e) if e.code == "unauthenticated" => Ok(Self(None)),
            Err(e) => Err(e),
        }
    }
}
