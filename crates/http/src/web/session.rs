//! Logging in and out, and choosing the language.

use super::{local_path, PublicPage, Shell};
use crate::auth::caller::SESSION_COOKIE;
use crate::auth::csrf::{CheckedForm, CsrfToken};
use crate::i18n::{Lang, LANG_COOKIE};
use crate::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use mycel_app::{password, tokens};
use mycel_store::{NewSession, StoreError, TenantScope};
use serde::Deserialize;
use std::net::SocketAddr;

/// Remembers the organisation of the last login, to fill in the form next time.
const ORGANISATION_COOKIE: &str = "mycel_org";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    shell: &'a Shell,
    organisation: String,
    email: String,
    next: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct LoginParams {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    bye: Option<String>,
}

pub async fn login_page(
    PublicPage(shell): PublicPage,
    jar: CookieJar,
    RawQuery(query): RawQuery,
) -> Response {
    let params: LoginParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    if shell.caller.is_some() {
        return Redirect::to(local_path(params.next.as_deref().unwrap_or("/learn")))
            .into_response();
    }
    let page = LoginPage {
        shell: &shell,
        organisation: jar
            .get(ORGANISATION_COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default(),
        email: String::new(),
        next: params.next.unwrap_or_default(),
        error: None,
        notice: params.bye.map(|_| shell.t.get("logged-out")),
    };
    shell.render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    organisation: String,
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// The peer's socket address, when the server was started with connect info (not in tests that
/// call the router directly).
pub struct ClientAddr(Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

/// The address a login comes from: the peer, or the proxy's `X-Forwarded-For` if it is trusted.
fn client_address(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    let forwarded = state
        .config
        .trust_proxy_headers
        .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned());
    forwarded
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_owned())
}

pub async fn login(
    State(state): State<AppState>,
    PublicPage(shell): PublicPage,
    headers: HeaderMap,
    ClientAddr(peer): ClientAddr,
    jar: CookieJar,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> Response {
    let organisation = form.organisation.trim().to_lowercase();
    let email = form.email.trim().to_lowercase();
    let address_key = format!("ip:{}", client_address(&state, &headers, peer));
    let account_key = format!("account:{organisation}/{email}");
    let keys = [address_key.as_str(), account_key.as_str()];
    let failed = |status: StatusCode, message: String| {
        let page = LoginPage {
            shell: &shell,
            organisation: organisation.clone(),
            email: email.clone(),
            next: form.next.clone(),
            error: Some(message),
            notice: None,
        };
        shell.render(status, &page)
    };

    if let Err(wait_secs) = state.throttle.check(&keys) {
        let minutes = wait_secs.div_ceil(60).to_string();
        return failed(
            StatusCode::TOO_MANY_REQUESTS,
            shell.t.with("login-throttled", "minutes", &minutes),
        );
    }

    let person = match authenticate(&state, &organisation, &email, form.password).await {
        Ok(found) => found,
        Err(error) => return super::error_response(&shell, &error.into()),
    };
    let Some((tenant_id, person)) = person else {
        state.throttle.record_failure(&keys);
        return failed(StatusCode::UNAUTHORIZED, shell.t.get("login-failed"));
    };
    state.throttle.record_success(&[account_key.as_str()]);

    let secret = tokens::random_secret();
    let session = NewSession {
        token_hash: tokens::sha256(&secret),
        person_id: person,
        expires_at: Utc::now()
            + chrono::Duration::from_std(state.config.session_ttl)
                .unwrap_or(chrono::Duration::hours(8)),
    };
    if let Err(error) = state
        .store
        .create_session(TenantScope::system(tenant_id), session)
        .await
    {
        return super::error_response(&shell, &error.into());
    }
    let secure = state.config.secure_cookies;
    let session_cookie = Cookie::build((
        SESSION_COOKIE,
        tokens::session_cookie_value(tenant_id, &secret),
    ))
    .path("/")
    .http_only(true)
    .secure(secure)
    .same_site(SameSite::Lax)
    .build();
    let organisation_cookie = Cookie::build((ORGANISATION_COOKIE, organisation.clone()))
        .path("/login")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time_days(365))
        .build();
    // A new session gets a new CSRF token.
    let csrf = CsrfToken {
        value: tokens::random_secret(),
        fresh: true,
    }
    .cookie(secure);
    let target = if form.next.is_empty() {
        "/learn"
    } else {
        local_path(&form.next)
    };
    (
        jar.add(session_cookie).add(organisation_cookie).add(csrf),
        Redirect::to(target),
    )
        .into_response()
}

fn time_days(days: i64) -> time::Duration {
    time::Duration::days(days)
}

/// The tenant and person for these credentials, or `None` for any mismatch, taking the same time
/// whether or not the organisation and the person exist.
async fn authenticate(
    state: &AppState,
    organisation: &str,
    email: &str,
    password: String,
) -> Result<Option<(mycel_organisation::TenantId, mycel_organisation::PersonId)>, StoreError> {
    // Input that cannot be a slug or an address names nobody (and never reaches the database).
    let plausible = mycel_organisation::validate::slug("organisation", organisation).is_ok()
        && mycel_organisation::validate::email("email", email).is_ok();
    let tenant = if plausible {
        match state.store.tenant_by_slug(organisation).await {
            Ok(tenant) => Some(tenant),
            Err(StoreError::NotFound(_)) => None,
            Err(other) => return Err(other),
        }
    } else {
        None
    };
    let candidate = match &tenant {
        Some(t) => {
            state
                .store
                .login_candidate(TenantScope::system(t.id), email)
                .await?
        }
        None => None,
    };
    let stored_hash = candidate.as_ref().and_then(|c| c.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || match stored_hash {
        Some(hash) => password::verify(&password, &hash),
        None => {
            password::verify_against_nothing(&password);
            false
        }
    })
    .await
    .unwrap_or(false);
    Ok(match (tenant, candidate, verified) {
        (Some(t), Some(c), true) => Some((t.id, c.person.id)),
        _ => None,
    })
}

#[derive(Deserialize)]
pub struct LogoutForm {}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    CheckedForm(_): CheckedForm<LogoutForm>,
) -> Response {
    if let Some((tenant, secret)) = jar
        .get(SESSION_COOKIE)
        .and_then(|c| tokens::parse_session_cookie(c.value()).map(|(t, s)| (t, s.to_owned())))
    {
        if let Err(error) = state
            .store
            .delete_session(TenantScope::system(tenant), &tokens::sha256(&secret))
            .await
        {
            tracing::warn!(%error, "could not delete a session at logout");
        }
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to("/login?bye=1")).into_response()
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch_language(
    State(state): State<AppState>,
    PublicPage(shell): PublicPage,
    jar: CookieJar,
    CheckedForm(form): CheckedForm<LanguageForm>,
) -> Response {
    let Some(lang) = Lang::parse(&form.lang) else {
        return shell.error_page(StatusCode::BAD_REQUEST, "error-not-found");
    };
    if let Some(caller) = &shell.caller {
        if let Some(person) = &caller.person {
            if let Err(error) = state
                .store
                .set_person_locale(caller.scope(), person.id, Some(lang.code()))
                .await
            {
                return super::error_response(&shell, &error.into());
            }
        }
    }
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(time_days(365))
        .build();
    let back = if form.back.is_empty() {
        "/"
    } else {
        local_path(&form.back)
    };
    (jar.add(cookie), Redirect::to(back)).into_response()
}
