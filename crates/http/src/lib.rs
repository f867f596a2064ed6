//! Mycel's HTTP surface: the JSON API under `/api/v1` (with its OpenAPI document at
//! `/api/v1/openapi.json`), the server-rendered web interface, `/healthz` and `/readyz`.
//!
//! Handlers are thin: they parse the request, find the [`auth::caller::Caller`], ask
//! [`mycel_organisation::Principal::permits`], call the store through a
//! [`mycel_store::TenantScope`], and map the result. Errors are [`ApiError`]s (see [`error`]).

pub mod api;
pub mod auth;
mod cmi5;
pub mod error;
pub mod health;
pub mod i18n;
pub mod web;
pub mod xapi;

pub use error::{ApiError, ApiResult};

use auth::throttle::LoginThrottle;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request};
use axum::Router;
use mycel_store::Store;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// What the HTTP layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Send cookies with `Secure` (the public address is https, or a trusted proxy says so).
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (only behind a reverse proxy).
    pub trust_proxy_headers: bool,
    pub session_ttl: Duration,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The address people and systems use (`https://lernen.example.de`); the home page of the
    /// accounts that identify API credentials as statement authorities.
    pub public_url: Option<String>,
    /// Failed logins per address or account within `login_window` before logins are refused.
    pub login_max_failures: u32,
    pub login_window: Duration,
    /// The largest e-learning package (zip) accepted for upload, in bytes.
    pub max_package_bytes: usize,
}

impl HttpConfig {
    /// Mycel's public address, or `http://localhost` when none is configured: the home page of
    /// the accounts and activity ids Mycel writes into statements.
    pub fn home_page(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| "http://localhost".to_owned())
    }

    /// Where browsers reach Mycel, for URLs handed to content (cmi5 launch, fetch and LRS
    /// endpoint): the public address, or else `http://` and the request's `Host` (a development
    /// setup without one).
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.trim_end_matches('/').to_owned();
        }
        headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|host| {
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .map_or_else(|| self.home_page(), |host| format!("http://{host}"))
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            public_url: None,
            trust_proxy_headers: false,
            session_ttl: Duration::from_secs(8 * 3600),
            max_body_bytes: 1024 * 1024,
            login_max_failures: 10,
            login_window: Duration::from_secs(15 * 60),
            max_package_bytes: 512 * 1024 * 1024,
        }
    }
}

/// Shared by every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<HttpConfig>,
    pub throttle: Arc<LoginThrottle>,
    /// The xAPI version each LRS client spoke last.
    pub xapi_versions: Arc<xapi::ClientVersions>,
    /// Rings when statements were stored: the change feed's readers wake on it.
    pub statement_signal: Arc<mycel_app::statement_feed::StatementSignal>,
    /// The catalogue's search index and package files.
    pub catalogue: Arc<mycel_app::catalogue::Catalogue>,
    /// cmi5's course cache and registration locks.
    pub cmi5: Arc<mycel_app::cmi5::Cmi5Runtime>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        config: HttpConfig,
        catalogue: Arc<mycel_app::catalogue::Catalogue>,
    ) -> Self {
        let throttle = LoginThrottle::new(config.login_max_failures, config.login_window);
        Self {
            store,
            catalogue,
            config: Arc::new(config),
            throttle: Arc::new(throttle),
            xapi_versions: Arc::default(),
            statement_signal: Arc::default(),
            cmi5: Arc::default(),
        }
    }

    /// What the cmi5 runtime works with: `home_page` names learners and activities,
    /// `base_url` is where browsers reach Mycel (see [`HttpConfig::base_url`]).
    pub fn cmi5<'a>(
        &'a self,
        home_page: &'a str,
        base_url: &'a str,
    ) -> mycel_app::cmi5::Cmi5Context<'a> {
        mycel_app::cmi5::Cmi5Context {
            store: &*self.store,
            catalogue: &self.catalogue,
            runtime: &self.cmi5,
            signal: &self.statement_signal,
            home_page,
            base_url,
        }
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(health::routes())
        .nest("/api/v1", api::routes(state.config.max_package_bytes))
        .merge(cmi5::routes())
        .route("/xapi", axum::routing::any(xapi::entry))
        .route("/xapi/{*rest}", axum::routing::any(xapi::entry))
        .merge(web::routes(state.clone()))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let id = request
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}
