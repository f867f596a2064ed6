//! The learning record store's xAPI endpoints under `/xapi/` (xAPI 1.0.3 and 2.0, chosen per request
//! by `X-Experience-API-Version`). One entry point takes every request below `/xapi`, because xAPI
//! needs things a plain router does not give: `//` in paths, the 1.0.3 alternate request syntax
//! (any request sent as a form POST), CORS for content running in browsers, the version header on
//! every response, and parameters checked strictly (unknown ones are refused).
//!
//! Machine clients authenticate with an API credential over HTTP Basic; its scopes decide what they
//! may do, and its tenant which statements and documents they see.

mod documents;
pub mod multipart;
mod statements;

use crate::auth::caller;
use crate::{ApiError, AppState};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use mycel_app::lrs::{LrsClient, LrsError};
use mycel_xapi::XapiVersion;
use std::collections::HashMap;

pub const VERSION_HEADER: &str = "x-experience-api-version";
pub const CONSISTENT_THROUGH: &str = "x-experience-api-consistent-through";

/// The largest xAPI request body (statement batches with attachments are large).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The xAPI version each client spoke last, to answer requests that do not name one (which the
/// specification refuses, but with its own version header) in the client's version.
#[derive(Debug, Default)]
pub struct ClientVersions {
    last: std::sync::Mutex<HashMap<mycel_organisation::CredentialId, XapiVersion>>,
}

/// How many clients are remembered before the memory starts afresh (it is only a courtesy).
const REMEMBERED_CLIENTS: usize = 100_000;

impl ClientVersions {
    fn remember(&self, client: mycel_organisation::CredentialId, version: XapiVersion) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.len() >= REMEMBERED_CLIENTS {
            last.clear();
        }
        last.insert(client, version);
    }

    fn last(&self, client: mycel_organisation::CredentialId) -> Option<XapiVersion> {
        self.last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&client)
            .copied()
    }
}

/// The credential a request names in its Basic authorization (not yet verified).
fn named_credential(headers: &HeaderMap) -> Option<mycel_organisation::CredentialId> {
    match caller::attempt(headers, &CookieJar::new()) {
        caller::Attempt::Basic { user, .. } => {
            mycel_app::tokens::parse_api_key(&user).map(|(_, c)| c)
        }
        _ => None,
    }
}

/// An xAPI error: a status and a message saying what is wrong (never details of a server fault).
#[derive(Debug)]
pub struct XapiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl XapiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            message: message.into(),
        }
    }
}

impl IntoResponse for XapiError {
    fn into_response(self) -> Response {
        ApiError::new(self.status, self.code, self.message).into_response()
    }
}

impl From<XapiError> for ApiError {
    fn from(e: XapiError) -> Self {
        ApiError::new(e.status, e.code, e.message)
    }
}

impl From<ApiError> for XapiError {
    fn from(e: ApiError) -> Self {
        Self {
            status: e.status,
            code: e.code,
            message: e.message,
        }
    }
}

impl From<LrsError> for XapiError {
    fn from(error: LrsError) -> Self {
        let (status, code) = match &error {
            LrsError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            LrsError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            LrsError::Cmi5(_) => (StatusCode::FORBIDDEN, "cmi5_rule"),
            LrsError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            LrsError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            LrsError::PreconditionFailed(_) => {
                (StatusCode::PRECONDITION_FAILED, "precondition_failed")
            }
            LrsError::Store(_) => {
                let LrsError::Store(store) = error else {
                    unreachable!()
                };
                return ApiError::from(store).into();
            }
        };
        Self {
            status,
            code,
            message: error.to_string(),
        }
    }
}

pub type XapiResult = Result<Response, XapiError>;

/// A request after path normalisation and the alternate request syntax.
#[derive(Debug)]
pub struct XapiRequest {
    pub method: Method,
    /// `statements`, `activities/state`, … without slashes around.
    pub resource: String,
    pub params: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub version: XapiVersion,
}

impl XapiRequest {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// Refuses parameters other than `allowed` (xAPI: unknown parameters are a 400).
    pub fn only_params(&self, allowed: &[&str]) -> Result<(), XapiError> {
        match self.params.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(unknown) => Err(XapiError::bad_request(format!(
                "the parameter {unknown:?} is not one this resource takes ({})",
                allowed.join(", ")
            ))),
            None => Ok(()),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    pub fn bool_param(&self, name: &str) -> Result<bool, XapiError> {
        match self.param(name) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(XapiError::bad_request(format!(
                "{name} must be true or false, not {other:?}"
            ))),
        }
    }
}

/// Splits a query string into parameters; a parameter given twice is an error.
fn parse_params(query: &str) -> Result<HashMap<String, String>, XapiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| XapiError::bad_request(format!("the query string cannot be read: {e}")))?;
    let mut params = HashMap::new();
    for (key, value) in pairs {
        if params.insert(key.clone(), value).is_some() {
            return Err(XapiError::bad_request(format!(
                "the parameter {key:?} is given twice"
            )));
        }
    }
    Ok(params)
}

/// `/xapi//statements/` → `statements`.
fn resource_of(path: &str) -> String {
    path.trim_start_matches("/xapi")
        .split('/')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("/")
}

/// The header fields the alternate request syntax carries as form fields.
const FORM_HEADERS: [&str; 6] = [
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
];

/// Unfolds a 1.0.3 alternate-syntax request (`POST …?method=PUT` with the headers, parameters and
/// content as form fields) into the request it stands for.
fn unfold_alternate_syntax(
    method: &Method,
    mut headers: HeaderMap,
    params: HashMap<String, String>,
    body: Bytes,
) -> Result<(Method, HeaderMap, HashMap<String, String>, Bytes), XapiError> {
    let Some(target) = params.get("method") else {
        return Ok((method.clone(), headers, params, body));
    };
    if *method != Method::POST {
        return Err(XapiError::bad_request(
            "the alternate request syntax must be sent as POST",
        ));
    }
    if params.len() > 1 {
        return Err(XapiError::bad_request(
            "with the alternate request syntax, the query string holds only the method parameter",
        ));
    }
    let target = match target.to_ascii_uppercase().as_str() {
        "GET" => Method::GET,
        "PUT" => Method::PUT,
        "POST" => Method::POST,
        "DELETE" => Method::DELETE,
        "HEAD" => Method::HEAD,
        other => {
            return Err(XapiError::bad_request(format!(
                "{other:?} is not a method of the xAPI"
            )))
        }
    };
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(XapiError::bad_request(
            "the alternate request syntax needs Content-Type: application/x-www-form-urlencoded",
        ));
    }
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
        .map_err(|e| XapiError::bad_request(format!("the form cannot be read: {e}")))?;
    let mut new_params = HashMap::new();
    let mut content = Bytes::new();
    headers.remove(header::CONTENT_TYPE);
    headers.remove(header::CONTENT_LENGTH);
    for (name, value) in fields {
        let lower = name.to_ascii_lowercase();
        if lower == "content" {
            content = Bytes::from(value.into_bytes());
        } else if FORM_HEADERS.contains(&lower.as_str()) {
            let header_name = HeaderName::from_bytes(lower.as_bytes())
                .map_err(|_| XapiError::bad_request(format!("bad header field {name:?}")))?;
            let value = HeaderValue::from_str(&value)
                .map_err(|_| XapiError::bad_request(format!("bad value of {name}")))?;
            headers.insert(header_name, value);
        } else if new_params.insert(name.clone(), value).is_some() {
            return Err(XapiError::bad_request(format!(
                "the parameter {name:?} is given twice"
            )));
        }
    }
    if !content.is_empty() && !headers.contains_key(header::CONTENT_TYPE) {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    Ok((target, headers, new_params, content))
}

fn cors_headers(response: &mut Response, origin: Option<HeaderValue>) {
    let headers = response.headers_mut();
    // Credentials may only be allowed for a named origin, never for "*".
    match origin {
        Some(origin) => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
        None => {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
    }
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Last-Modified, Content-Type, X-Experience-API-Version, X-Experience-API-Consistent-Through"),
    );
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

/// Every request below `/xapi`.
/// What handling a request learned that its response headers need, also when it failed.
#[derive(Debug, Default)]
struct Seen {
    /// The version the request named (after the alternate syntax was unfolded).
    version: Option<XapiVersion>,
    /// A read of the Statement resource: it carries X-Experience-API-Consistent-Through.
    statements_read: bool,
    /// Through when the answer is complete, taken before the statements were read.
    consistent_through: Option<chrono::DateTime<chrono::Utc>>,
}

/// Every request below `/xapi`.
pub async fn entry(State(state): State<AppState>, request: Request) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let named = named_credential(request.headers());
    let header_version = request
        .headers()
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| XapiVersion::from_header(v).ok());
    let mut seen = Seen {
        statements_read: resource_of(request.uri().path()) == "statements"
            && matches!(*request.method(), Method::GET | Method::HEAD),
        ..Seen::default()
    };
    let mut response = if request.method() == Method::OPTIONS {
        preflight(request.headers())
    } else {
        match handle(&state, request, &mut seen).await {
            Ok(response) => response,
            Err(error) => error.into_response(),
        }
    };
    cors_headers(&mut response, origin);
    // A request that named no (valid) version is answered in the version its client spoke last.
    let version = seen
        .version
        .or(header_version)
        .or_else(|| named.and_then(|client| state.xapi_versions.last(client)))
        .unwrap_or(XapiVersion::V2_0);
    response.headers_mut().insert(
        VERSION_HEADER,
        HeaderValue::from_static(version.header_value()),
    );
    if seen.statements_read {
        let through = seen
            .consistent_through
            .unwrap_or_else(|| state.statement_signal.consistent_through());
        let text = mycel_xapi::format_timestamp_utc(&through);
        if let Ok(value) = HeaderValue::from_str(&text) {
            response.headers_mut().insert(CONSISTENT_THROUGH, value);
        }
    }
    response
}

fn preflight(headers: &HeaderMap) -> Response {
    let requested = headers
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned()
        .unwrap_or(HeaderValue::from_static(
            "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match",
        ));
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, PUT, POST, DELETE, OPTIONS"),
    );
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    response
}

async fn handle(state: &AppState, request: Request, seen: &mut Seen) -> XapiResult {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| XapiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!("xAPI requests may carry at most {MAX_BODY_BYTES} bytes"),
        })?;
    let resource = resource_of(parts.uri.path());
    let params = parse_params(parts.uri.query().unwrap_or(""))?;
    let alternate = params.contains_key("method");
    let (method, headers, params, body) =
        unfold_alternate_syntax(&parts.method, parts.headers, params, body)?;
    seen.statements_read = resource == "statements" && matches!(method, Method::GET | Method::HEAD);

    if resource == "about" {
        if method != Method::GET && method != Method::HEAD {
            return Err(method_not_allowed(&method, &resource));
        }
        return Ok(head_if(&method, documents::about()));
    }

    let version = headers
        .get(VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| XapiError::bad_request("the X-Experience-API-Version header is required"))
        .and_then(|v| {
            XapiVersion::from_header(v).map_err(|e| XapiError::bad_request(e.to_string()))
        })?;
    seen.version = Some(version);
    if alternate && version == XapiVersion::V2_0 {
        return Err(XapiError::bad_request(
            "xAPI 2.0 has no alternate request syntax",
        ));
    }

    let client = authenticate(state, &headers).await?;
    state.xapi_versions.remember(client.credential_id, version);
    if seen.statements_read {
        seen.consistent_through = Some(state.statement_signal.consistent_through());
    }
    let request = XapiRequest {
        method: method.clone(),
        resource,
        params,
        headers,
        body,
        version,
    };
    let response = match (request.resource.as_str(), &method) {
        ("statements", &Method::GET | &Method::HEAD) => {
            statements::get(state, &client, &request).await
        }
        ("statements", &Method::PUT) => statements::put(state, &client, &request).await,
        ("statements", &Method::POST) => statements::post(state, &client, &request).await,
        ("activities/state" | "activities/profile" | "agents/profile", _) => {
            documents::document_resource(state, &client, &request).await
        }
        ("activities", &Method::GET | &Method::HEAD) => {
            documents::activities(state, &client, &request).await
        }
        ("agents", &Method::GET | &Method::HEAD) => documents::agents(&client, &request),
        ("statements" | "activities" | "agents", _) => {
            Err(method_not_allowed(&method, &request.resource))
        }
        _ => Err(XapiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: format!("no xAPI resource /xapi/{}", request.resource),
        }),
    }?;
    Ok(head_if(&method, response))
}

fn method_not_allowed(method: &Method, resource: &str) -> XapiError {
    XapiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: format!("{method} is not allowed on /xapi/{resource}"),
    }
}

/// HEAD answers like GET, without the body.
fn head_if(method: &Method, response: Response) -> Response {
    if *method == Method::HEAD {
        let (parts, _) = response.into_parts();
        Response::from_parts(parts, Body::empty())
    } else {
        response
    }
}

async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<LrsClient, XapiError> {
    let jar = CookieJar::new();
    let caller = match caller::attempt(headers, &jar) {
        // An AU's auth-token from a cmi5 fetch URL: valid while its session is open.
        caller::Attempt::Basic { user, password } if mycel_app::cmi5::is_au_token_user(&user) => {
            let home_page = state.config.home_page();
            return mycel_app::cmi5::au_client(&*state.store, &home_page, &user, &password)
                .await
                .map_err(ApiError::from)?
                .ok_or_else(|| ApiError::unauthenticated().into());
        }
        caller::Attempt::Basic { user, password } => {
            caller::from_api_key(state, &user, &password).await?
        }
        _ => return Err(ApiError::unauthenticated().into()),
    };
    let credential = match &caller.principal {
        mycel_organisation::Principal::Credential { credential_id, .. } => *credential_id,
        mycel_organisation::Principal::Person { .. } => {
            return Err(ApiError::unauthenticated().into())
        }
    };
    let label = caller.credential_label.clone().unwrap_or_default();
    let key = mycel_app::tokens::api_key(caller.tenant.id, credential);
    let home_page = state.config.home_page();
    LrsClient::from_principal(&caller.principal, &label, &home_page, &key)
        .ok_or_else(|| ApiError::unauthenticated().into())
}

/// A JSON response with the given status.
pub fn json_response(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_normalised() {
        assert_eq!(super::resource_of("/xapi//statements"), "statements");
        assert_eq!(
            super::resource_of("/xapi/activities/state/"),
            "activities/state"
        );
        assert_eq!(super::resource_of("/xapi"), "");
    }
}
