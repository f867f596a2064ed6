//! What an AU launched by cmi5 reaches without a Mycel login: the one-time fetch URL that hands out
//! its auth-token (cmi5 8.2), and its package's files under its registration's key. The AU itself
//! runs in the sandbox of package files (an opaque origin), so the fetch URL answers CORS requests
//! from any origin; it carries no cookies and needs none.

use crate::web::package_content::{send_package_file, SANDBOX};
use crate::{ApiError, AppState};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use mycel_app::cmi5::{self, FetchAnswer};
use mycel_app::AppError;
use serde_json::json;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/cmi5/fetch/{session}/{secret}",
            post(fetch).options(preflight),
        )
        .route("/cmi5/content/{registration}/{key}/{*path}", get(content))
}

fn allow_any_origin(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn preflight(headers: HeaderMap) -> Response {
    let requested = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static("Content-Type"));
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("POST, OPTIONS"),
    );
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    allow_any_origin(response)
}

/// `POST /cmi5/fetch/{session}/{secret}`: the first call answers `{"auth-token": …}`; later ones,
/// or once the session is over, the error document of 8.2.3 (status 200, as the spec wants). An
/// unknown fetch URL is a 404.
async fn fetch(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((session, secret)): Path<(String, String)>,
) -> Response {
    let Ok(session) = Uuid::parse_str(&session) else {
        return allow_any_origin(unknown_fetch_url());
    };
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    let answer = cmi5::fetch(&state.cmi5(&home, &base), session, &secret).await;
    let response = match answer {
        Ok(FetchAnswer::Token(token)) => json_ok(&json!({ "auth-token": token })),
        Ok(FetchAnswer::Refused(error)) => json_ok(&error),
        Ok(FetchAnswer::Unknown) => unknown_fetch_url(),
        Err(error) => ApiError::from(error).into_response(),
    };
    allow_any_origin(response)
}

fn json_ok(value: &serde_json::Value) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

fn unknown_fetch_url() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such cmi5 fetch URL").into_response()
}

/// `GET /cmi5/content/{registration}/{key}/{*path}`: a file of the registration's package.
async fn content(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((registration, key, path)): Path<(String, String, String)>,
) -> Response {
    let not_found =
        || ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such file").into_response();
    let Ok(registration) = Uuid::parse_str(&registration) else {
        return not_found();
    };
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    match cmi5::au_file(&state.cmi5(&home, &base), registration, &key, &path).await {
        Ok((file, content_type)) => match send_package_file(&file, content_type, SANDBOX).await {
            Ok(response) => response,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => not_found(),
            Err(error) => ApiError::internal(error).into_response(),
        },
        Err(AppError::NotFound(_) | AppError::Invalid(_)) => not_found(),
        Err(error) => ApiError::from(error).into_response(),
    }
}
