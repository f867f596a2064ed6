//! Bad input to the JSON API gets a clear error in the one error format
//! (`{"error": {"code", "message", "field"?}}`), never a panic or a 5xx, and nothing half-written.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request};
use base64::Engine;
use common::*;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_http::HttpConfig;
use mycel_organisation::{AccessRole, OrgUnit, Person, Scope, Tenant};
use mycel_store::{PeopleQuery, TenantScope};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{json, Value};
use uuid::Uuid;

// ---- fixtures and helpers ----

/// A member company `nord` with one org unit, one person and an API credential that may write the
/// organisation.
struct Fixture {
    app: TestApp,
    nord: Tenant,
    unit: OrgUnit,
    anna: Person,
    writer: Auth,
}

impl Fixture {
    async fn new() -> Self {
        Self::on(TestApp::new().await).await
    }

    async fn on(app: TestApp) -> Self {
        let nord = app.tenant("nord").await;
        let unit = app.org_unit(&nord, "Filiale 12", None).await;
        let anna = ops::create_person(
            &*app.store,
            Acting::Operator,
            TenantScope::system(nord.id),
            ops::PersonInput {
                display_name: "Anna Schmidt".into(),
                email: Some("anna@nord.de".into()),
                org_unit_id: Some(unit.id),
                ..ops::PersonInput::default()
            },
        )
        .await
        .unwrap();
        let writer = app.credential(&nord, &[Scope::OrgWrite]).await;
        Self {
            app,
            nord,
            unit,
            anna,
            writer,
        }
    }

    async fn people_count(&self) -> usize {
        people_count(&self.app, &self.nord).await
    }

    async fn finish(self) {
        self.app.finish().await;
    }
}

async fn people_count(app: &TestApp, tenant: &Tenant) -> usize {
    app.store
        .list_people(
            TenantScope::system(tenant.id),
            PeopleQuery {
                limit: 1000,
                ..PeopleQuery::default()
            },
        )
        .await
        .unwrap()
        .len()
}

/// Sends `body` as it is, with this Content-Type (none if `None`).
async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> TestResponse {
    let mut builder = TestApp::request(method, path, auth);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    app.send(builder.body(body.into()).unwrap()).await
}

async fn post_raw(app: &TestApp, path: &str, auth: &Auth, body: &str) -> TestResponse {
    send_raw(
        app,
        Method::POST,
        path,
        auth,
        Some("application/json"),
        body.to_owned(),
    )
    .await
}

/// The stable error codes and the status each goes with.
const CODES: [(&str, u16); 14] = [
    ("bad_request", 400),
    ("invalid_json", 400),
    ("unauthenticated", 401),
    ("forbidden", 403),
    ("not_found", 404),
    ("method_not_allowed", 405),
    ("conflict", 409),
    ("precondition_failed", 412),
    ("payload_too_large", 413),
    ("unsupported_media_type", 415),
    ("validation_failed", 422),
    ("rate_limited", 429),
    ("internal", 500),
    ("unavailable", 503),
];

/// Checks the one error shape: JSON, only `error`, a known code matching the status, a message, and
/// `field` only as a string. Returns the error object.
fn error_shape(response: &TestResponse) -> Result<Value, String> {
    let content_type = response
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type != "application/json" {
        return Err(format!(
            "content type {content_type:?}: {}",
            response.text()
        ));
    }
    let body: Value = serde_json::from_slice(&response.body)
        .map_err(|e| format!("not JSON ({e}): {}", response.text()))?;
    let object = body
        .as_object()
        .ok_or_else(|| format!("not an object: {body}"))?;
    if object.len() != 1 {
        return Err(format!("more than `error` at the top: {body}"));
    }
    let error = body["error"].clone();
    let code = error["code"]
        .as_str()
        .ok_or_else(|| format!("no code: {body}"))?;
    let status = CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, s)| *s)
        .ok_or_else(|| format!("unknown code {code:?}"))?;
    if status != response.status.as_u16() {
        return Err(format!("code {code} with status {}", response.status));
    }
    if error["message"].as_str().is_none_or(str::is_empty) {
        return Err(format!("no message: {body}"));
    }
    let keys: Vec<_> = error.as_object().unwrap().keys().cloned().collect();
    if keys
        .iter()
        .any(|k| !["code", "message", "field"].contains(&k.as_str()))
    {
        return Err(format!("unexpected keys {keys:?}"));
    }
    if error.get("field").is_some_and(|f| !f.is_string()) {
        return Err(format!("field is not a string: {body}"));
    }
    Ok(error)
}

/// An error response with this status and code; returns the error object.
#[track_caller]
fn assert_error(response: &TestResponse, status: u16, code: &str) -> Value {
    let error = error_shape(response).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (response.status.as_u16(), error["code"].as_str().unwrap()),
        (status, code),
        "{}",
        response.text()
    );
    error
}

/// A 422 naming `field`; returns the message.
#[track_caller]
fn assert_invalid(response: &TestResponse, field: &str) -> String {
    let error = assert_error(response, 422, "validation_failed");
    assert_eq!(error["field"], field, "{error}");
    error["message"].as_str().unwrap().to_owned()
}

const PEOPLE: &str = "/api/v1/tenants/nord/people";

// ---- malformed JSON, wrong types, missing and unknown fields ----

#[tokio::test]
async fn malformed_json_is_400_invalid_json() {
    let f = Fixture::new().await;
    let before = f.people_count().await;
    for body in [
        "",
        "{",
        "{\"display_name\": }",
        "{\"display_name\": \"Eve\",}",
        "{\"display_name\": \"Eve\"} trailing",
        "{'display_name': 'Eve'}",
        "display_name=Eve",
        "\u{feff}{\"display_name\": \"Eve\"}",
        "{\"display_name\": \"Eve\\u12\"}",
        "{\"display_name\": \"Eve\" \"email\": null}",
        "{\"display_name\": \"Eve\"",
    ] {
        let response = post_raw(&f.app, PEOPLE, &f.writer, body).await;
        let error = assert_error(&response, 400, "invalid_json");
        assert!(error.get("field").is_none(), "{error}");
    }
    // The other endpoints that take a body answer the same way.
    let person = f.anna.id;
    for path in [
        "/api/v1/tenants/nord/org-units".to_owned(),
        "/api/v1/tenants/nord/roles".to_owned(),
        format!("/api/v1/tenants/nord/people/{person}/roles"),
    ] {
        let response = post_raw(&f.app, &path, &f.writer, "{\"na").await;
        assert_error(&response, 400, "invalid_json");
    }
    assert_eq!(f.people_count().await, before);
    f.finish().await;
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_crashing() {
    let f = Fixture::new().await;
    for body in [
        "[".repeat(100_000),
        format!("{{\"display_name\": {}", "[".repeat(100_000)),
        format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)),
    ] {
        let response = post_raw(&f.app, PEOPLE, &f.writer, &body).await;
        let error = error_shape(&response).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            ["invalid_json", "validation_failed"].contains(&error["code"].as_str().unwrap()),
            "{error}"
        );
    }
    assert_eq!(f.people_count().await, 1);
    f.finish().await;
}

#[tokio::test]
async fn wrong_types_are_422_validation_failed() {
    let f = Fixture::new().await;
    for (body, names) in [
        (json!({"display_name": 5}), "display_name"),
        (json!({"display_name": ["Eve"]}), "display_name"),
        (json!({"display_name": {"first": "Eve"}}), "display_name"),
        (json!({"display_name": null}), "display_name"),
        (json!({"display_name": "Eve", "email": 5}), "email"),
        (json!({"display_name": "Eve", "email": true}), "email"),
        (
            json!({"display_name": "Eve", "org_unit_id": "Filiale 12"}),
            "org_unit_id",
        ),
        (
            json!({"display_name": "Eve", "org_unit_id": 12}),
            "org_unit_id",
        ),
        (
            json!({"display_name": "Eve", "manager_id": "anna"}),
            "manager_id",
        ),
        (json!({"display_name": "Eve", "locale": ["de"]}), "locale"),
    ] {
        let response = f.app.post_json(PEOPLE, &f.writer, &body).await;
        let error = assert_error(&response, 422, "validation_failed");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(names), "{body}: {message}");
        assert!(
            message.contains("invalid type")
                || message.contains("UUID")
                || message.contains("uuid"),
            "{body}: {message}"
        );
    }
    // Not an object at all.
    for body in ["[]", "\"Eve\"", "42", "null", "true"] {
        let response = post_raw(&f.app, PEOPLE, &f.writer, body).await;
        assert_error(&response, 422, "validation_failed");
    }
    for (path, body) in [
        ("/api/v1/tenants/nord/roles", json!({"name": 7})),
        (
            "/api/v1/tenants/nord/org-units",
            json!({"name": "X", "parent_id": 7}),
        ),
    ] {
        assert_error(
            &f.app.post_json(path, &f.writer, &body).await,
            422,
            "validation_failed",
        );
    }
    assert_eq!(f.people_count().await, 1);
    f.finish().await;
}

#[tokio::test]
async fn missing_fields_are_422_naming_the_field() {
    let f = Fixture::new().await;
    let admin = admin_session(&f).await;
    let anna = f.anna.id;
    let role = ops::create_role(
        &*f.app.store,
        Acting::Operator,
        TenantScope::system(f.nord.id),
        "Verkäufer/in",
        None,
    )
    .await
    .unwrap();
    for (path, body, missing) in [
        (PEOPLE.to_owned(), json!({}), "display_name"),
        (
            PEOPLE.to_owned(),
            json!({"email": "eve@nord.de"}),
            "display_name",
        ),
        (
            "/api/v1/tenants/nord/org-units".to_owned(),
            json!({"parent_id": null}),
            "name",
        ),
        (
            "/api/v1/tenants/nord/roles".to_owned(),
            json!({"description": "x"}),
            "name",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "x"}),
            "scopes",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"scopes": ["all"]}),
            "label",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/roles"),
            json!({"role_id": role.id}),
            "kind",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/roles"),
            json!({"kind": "current"}),
            "role_id",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/access"),
            json!({"org_unit_id": null}),
            "role",
        ),
    ] {
        let response = f.app.post_json(&path, &admin, &body).await;
        let error = assert_error(&response, 422, "validation_failed");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("missing field `{missing}`")),
            "{path} {body}: {message}"
        );
    }
    let network = network_session(&f).await;
    let response = f
        .app
        .post_json("/api/v1/tenants", &network, &json!({"name": "West eG"}))
        .await;
    let error = assert_error(&response, 422, "validation_failed");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("missing field `slug`"));
    assert_eq!(
        f.people_count().await,
        3,
        "only the two logins' people exist"
    );
    f.finish().await;
}

#[tokio::test]
async fn unknown_fields_on_create_requests_are_422() {
    let f = Fixture::new().await;
    let admin = admin_session(&f).await;
    let network = network_session(&f).await;
    let anna = f.anna.id;
    let role = ops::create_role(
        &*f.app.store,
        Acting::Operator,
        TenantScope::system(f.nord.id),
        "Verkäufer/in",
        None,
    )
    .await
    .unwrap();
    let before = f.people_count().await;
    for (auth, path, body, unknown) in [
        (
            &f.writer,
            PEOPLE.to_owned(),
            json!({"display_name": "Eve", "password": "correct horse battery"}),
            "password",
        ),
        (
            &f.writer,
            PEOPLE.to_owned(),
            json!({"display_name": "Eve", "access": {"role": "tenant-admin"}}),
            "access",
        ),
        (
            &f.writer,
            PEOPLE.to_owned(),
            json!({"display_name": "Eve", "tenant_id": Uuid::nil()}),
            "tenant_id",
        ),
        (
            &f.writer,
            PEOPLE.to_owned(),
            json!({"display_name": "Eve", "Email": "eve@nord.de"}),
            "Email",
        ),
        (
            &f.writer,
            "/api/v1/tenants/nord/org-units".to_owned(),
            json!({"name": "X", "tenant_id": Uuid::nil()}),
            "tenant_id",
        ),
        (
            &f.writer,
            "/api/v1/tenants/nord/roles".to_owned(),
            json!({"name": "X", "level": 3}),
            "level",
        ),
        (
            &f.writer,
            format!("/api/v1/tenants/nord/people/{anna}/roles"),
            json!({"role_id": role.id, "kind": "current", "since": "2020"}),
            "since",
        ),
        (
            &admin,
            format!("/api/v1/tenants/nord/people/{anna}/access"),
            json!({"role": "lnd-admin", "tenant": "sued"}),
            "tenant",
        ),
        (
            &admin,
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "x", "scopes": ["all"], "secret": "mine"}),
            "secret",
        ),
        (
            &network,
            "/api/v1/tenants".to_owned(),
            json!({"slug": "west", "name": "West eG", "min_group_size": 1}),
            "min_group_size",
        ),
    ] {
        let response = f.app.post_json(&path, auth, &body).await;
        let error = assert_error(&response, 422, "validation_failed");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("unknown field `{unknown}`")),
            "{path} {body}: {message}"
        );
    }
    assert_eq!(f.people_count().await, before);
    let tenants = f.app.store.list_tenants().await.unwrap();
    assert_eq!(tenants.len(), 1, "no tenant west");
    let roles = f
        .app
        .store
        .list_roles(TenantScope::system(f.nord.id))
        .await
        .unwrap();
    assert_eq!(roles.len(), 1, "no role X");
    let credentials = f
        .app
        .store
        .list_api_credentials(TenantScope::system(f.nord.id))
        .await
        .unwrap();
    assert_eq!(credentials.len(), 1, "only the fixture's credential");
    let held = f
        .app
        .store
        .role_assignments(TenantScope::system(f.nord.id), f.anna.id)
        .await
        .unwrap();
    assert!(held.is_empty());
    f.finish().await;
}

#[tokio::test]
async fn bad_changes_to_a_person_are_refused_and_change_nothing() {
    let f = Fixture::new().await;
    let path = format!("{PEOPLE}/{}", f.anna.id);
    let other = f
        .app
        .post_json(
            PEOPLE,
            &f.writer,
            &json!({"display_name": "Bea", "email": "bea@nord.de"}),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.text());
    let bea = other.json()["id"].as_str().unwrap().to_owned();
    let patch = |content_type: Option<&'static str>, body: String| {
        send_raw(&f.app, Method::PATCH, &path, &f.writer, content_type, body)
    };
    let json = Some("application/json");
    assert_error(
        &patch(json, "{\"locale\": ".into()).await,
        400,
        "invalid_json",
    );
    assert_error(
        &patch(None, json!({"locale": "en"}).to_string()).await,
        415,
        "unsupported_media_type",
    );
    for (body, needle) in [
        (
            json!({"password": "correct horse battery"}),
            "unknown field `password`",
        ),
        (
            json!({"tenant_id": Uuid::nil()}),
            "unknown field `tenant_id`",
        ),
        (json!({"display_name": 5}), "display_name"),
        (json!({"org_unit_id": "Filiale 12"}), "org_unit_id"),
    ] {
        let error = assert_error(
            &patch(json, body.to_string()).await,
            422,
            "validation_failed",
        );
        assert!(
            error["message"].as_str().unwrap().contains(needle),
            "{body}: {error}"
        );
    }
    for (body, field) in [
        (json!({"display_name": " "}), "display_name"),
        (json!({"email": "anna"}), "email"),
        (json!({"locale": "fr"}), "locale"),
        (json!({"org_unit_id": Uuid::now_v7()}), "org_unit_id"),
        (json!({"manager_id": Uuid::now_v7()}), "manager_id"),
        (json!({"manager_id": f.anna.id}), "manager_id"),
    ] {
        assert_invalid(&patch(json, body.to_string()).await, field);
    }
    // A cycle through someone else is one too.
    let made_manager = send_raw(
        &f.app,
        Method::PATCH,
        &format!("{PEOPLE}/{bea}"),
        &f.writer,
        json,
        json!({"manager_id": f.anna.id}).to_string(),
    )
    .await;
    assert_eq!(made_manager.status, 200, "{}", made_manager.text());
    let message = assert_invalid(
        &patch(json, json!({"manager_id": bea}).to_string()).await,
        "manager_id",
    );
    assert!(message.contains("own (indirect) manager"), "{message}");
    let response = patch(
        json,
        json!({"email": "BEA@nord.de", "display_name": "Anna Neu"}).to_string(),
    )
    .await;
    assert_error(&response, 409, "conflict");
    // Anna is as she was.
    let anna = f
        .app
        .store
        .person(TenantScope::system(f.nord.id), f.anna.id)
        .await
        .unwrap();
    assert_eq!(anna, f.anna);
    f.finish().await;
}

// ---- Content-Type and size ----

#[tokio::test]
async fn missing_or_wrong_content_type_is_415() {
    let f = Fixture::new().await;
    let body = json!({"display_name": "Eve"}).to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        Some("json"),
        Some(""),
    ] {
        let response = send_raw(
            &f.app,
            Method::POST,
            PEOPLE,
            &f.writer,
            content_type,
            body.clone(),
        )
        .await;
        let error = assert_error(&response, 415, "unsupported_media_type");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("application/json"),
            "{error}"
        );
    }
    assert_eq!(f.people_count().await, 1);
    // JSON with parameters or a +json subtype is JSON.
    for (content_type, name) in [
        ("application/json; charset=utf-8", "Eve"),
        ("application/merge-patch+json", "Frieda"),
    ] {
        let body = json!({"display_name": name}).to_string();
        let response = send_raw(
            &f.app,
            Method::POST,
            PEOPLE,
            &f.writer,
            Some(content_type),
            body,
        )
        .await;
        assert_eq!(response.status, 201, "{content_type}: {}", response.text());
        assert_eq!(response.json()["display_name"], name);
    }
    assert_eq!(f.people_count().await, 3);
    f.finish().await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = TestApp::with_config(HttpConfig {
        max_body_bytes: 4096,
        ..Default::default()
    })
    .await;
    let f = Fixture::on(app).await;
    // Just below the limit: read, and refused for what it says (a name too long).
    let below = json!({"display_name": "x".repeat(4000)}).to_string();
    assert!(below.len() < 4096);
    let response = post_raw(&f.app, PEOPLE, &f.writer, &below).await;
    assert_invalid(&response, "display_name");
    // Above it: refused for its size, whatever it is.
    for body in [
        json!({"display_name": "x".repeat(5000)}).to_string(),
        json!({"display_name": "Eve", "email": format!("{}@nord.de", "e".repeat(10_000))})
            .to_string(),
        "{".repeat(1_000_000),
    ] {
        let response = post_raw(&f.app, PEOPLE, &f.writer, &body).await;
        let error = assert_error(&response, 413, "payload_too_large");
        assert!(!error["message"].as_str().unwrap().contains("xxxx"));
    }
    let response = post_raw(
        &f.app,
        "/api/v1/tenants/nord/roles",
        &f.writer,
        &json!({"name": "Riesig", "description": "d".repeat(8000)}).to_string(),
    )
    .await;
    assert_error(&response, 413, "payload_too_large");
    assert_eq!(f.people_count().await, 1);
    let roles = f
        .app
        .store
        .list_roles(TenantScope::system(f.nord.id))
        .await
        .unwrap();
    assert!(roles.is_empty());
    // A normal request still works.
    let ok = f
        .app
        .post_json(PEOPLE, &f.writer, &json!({"display_name": "Eve"}))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text());
    f.finish().await;
}

// ---- values that break the rules ----

async fn admin_session(f: &Fixture) -> Auth {
    f.app
        .person(&f.nord, "admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    f.app.login(&f.nord, "admin@nord.de").await
}

async fn network_session(f: &Fixture) -> Auth {
    f.app
        .person(&f.nord, "network@nord.de", AccessRole::NetworkAdmin, None)
        .await;
    f.app.login(&f.nord, "network@nord.de").await
}

#[tokio::test]
async fn invalid_slugs_and_tenant_names_name_the_field() {
    let f = Fixture::new().await;
    let network = network_session(&f).await;
    let long = "a".repeat(64);
    for slug in [
        "a",
        "Nord",
        "-west",
        "west-",
        "wést",
        "we st",
        "we_st",
        "",
        long.as_str(),
        "west/ost",
        "../x",
    ] {
        let response = f
            .app
            .post_json(
                "/api/v1/tenants",
                &network,
                &json!({"slug": slug, "name": "West eG"}),
            )
            .await;
        let message = assert_invalid(&response, "slug");
        assert!(message.starts_with("slug: "), "{message}");
    }
    for name in ["", "   ", "West\u{0}eG", "West\neG", &"W".repeat(201)] {
        let response = f
            .app
            .post_json(
                "/api/v1/tenants",
                &network,
                &json!({"slug": "west", "name": name}),
            )
            .await;
        assert_invalid(&response, "name");
    }
    assert_eq!(f.app.store.list_tenants().await.unwrap().len(), 1);
    // The limits themselves are fine.
    let ok = f
        .app
        .post_json(
            "/api/v1/tenants",
            &network,
            &json!({"slug": "w".repeat(63), "name": "W".repeat(200)}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text());
    f.finish().await;
}

#[tokio::test]
async fn invalid_people_name_the_field() {
    let f = Fixture::new().await;
    let missing = Uuid::now_v7();
    let cases = [
        (
            json!({"display_name": ""}),
            "display_name",
            "must not be empty",
        ),
        (
            json!({"display_name": "  \t "}),
            "display_name",
            "must not be empty",
        ),
        (
            json!({"display_name": "Eve\u{0}"}),
            "display_name",
            "control characters",
        ),
        (
            json!({"display_name": "Eve\u{1b}[31m"}),
            "display_name",
            "control characters",
        ),
        (
            json!({"display_name": "E".repeat(201)}),
            "display_name",
            "at most 200",
        ),
        (
            json!({"display_name": "Eve", "email": "eve"}),
            "email",
            "e-mail",
        ),
        (
            json!({"display_name": "Eve", "email": "eve@nord"}),
            "email",
            "e-mail",
        ),
        (
            json!({"display_name": "Eve", "email": "e ve@nord.de"}),
            "email",
            "e-mail",
        ),
        (
            json!({"display_name": "Eve", "email": "eve@@nord.de"}),
            "email",
            "e-mail",
        ),
        (
            json!({"display_name": "Eve", "email": format!("{}@nord.de", "e".repeat(250))}),
            "email",
            "e-mail",
        ),
        (
            json!({"display_name": "Eve", "locale": "fr"}),
            "locale",
            "de or en",
        ),
        (
            json!({"display_name": "Eve", "locale": ""}),
            "locale",
            "de or en",
        ),
        (
            json!({"display_name": "Eve", "org_unit_id": missing}),
            "org_unit_id",
            "no such org unit",
        ),
        (
            json!({"display_name": "Eve", "manager_id": missing}),
            "manager_id",
            "no such person",
        ),
    ];
    for (body, field, reason) in cases {
        let response = f.app.post_json(PEOPLE, &f.writer, &body).await;
        let message = assert_invalid(&response, field);
        assert!(message.contains(reason), "{body}: {message}");
    }
    assert_eq!(f.people_count().await, 1);
    f.finish().await;
}

#[tokio::test]
async fn invalid_units_roles_credentials_and_grants_name_the_field() {
    let f = Fixture::new().await;
    let admin = admin_session(&f).await;
    let missing = Uuid::now_v7();
    let anna = f.anna.id;
    let role = ops::create_role(
        &*f.app.store,
        Acting::Operator,
        TenantScope::system(f.nord.id),
        "Verkäufer/in",
        None,
    )
    .await
    .unwrap();
    let cases = [
        (
            "/api/v1/tenants/nord/org-units".to_owned(),
            json!({"name": " "}),
            "name",
        ),
        (
            "/api/v1/tenants/nord/org-units".to_owned(),
            json!({"name": "X", "parent_id": missing}),
            "parent_id",
        ),
        (
            "/api/v1/tenants/nord/roles".to_owned(),
            json!({"name": ""}),
            "name",
        ),
        (
            "/api/v1/tenants/nord/roles".to_owned(),
            json!({"name": "X", "description": "d".repeat(5001)}),
            "description",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "", "scopes": ["all"]}),
            "label",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "LMS", "scopes": []}),
            "scopes",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "LMS", "scopes": ["root"]}),
            "scopes",
        ),
        (
            "/api/v1/tenants/nord/credentials".to_owned(),
            json!({"label": "LMS", "scopes": ["all", "statements/wrte"]}),
            "scopes",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/roles"),
            json!({"role_id": role.id, "kind": "former"}),
            "kind",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/roles"),
            json!({"role_id": missing, "kind": "current"}),
            "role_id",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/access"),
            json!({"role": "god"}),
            "role",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/access"),
            json!({"role": "Tenant-Admin"}),
            "role",
        ),
        (
            format!("/api/v1/tenants/nord/people/{anna}/access"),
            json!({"role": "lnd-admin", "org_unit_id": missing}),
            "org_unit_id",
        ),
    ];
    for (path, body, field) in cases {
        let response = f.app.post_json(&path, &admin, &body).await;
        let message = assert_invalid(&response, field);
        assert!(
            message.starts_with(&format!("{field}: ")),
            "{path} {body}: {message}"
        );
    }
    let scope = TenantScope::system(f.nord.id);
    assert_eq!(f.app.store.list_org_units(scope).await.unwrap().len(), 1);
    assert_eq!(f.app.store.list_roles(scope).await.unwrap().len(), 1);
    assert_eq!(
        f.app.store.list_api_credentials(scope).await.unwrap().len(),
        1
    );
    assert!(f
        .app
        .store
        .role_assignments(scope, anna)
        .await
        .unwrap()
        .is_empty());
    assert!(f
        .app
        .store
        .access_grants(scope, anna)
        .await
        .unwrap()
        .is_empty());
    f.finish().await;
}

#[tokio::test]
async fn nul_characters_are_refused_or_stored_never_a_500() {
    let f = Fixture::new().await;
    let response = f
        .app
        .post_json(
            "/api/v1/tenants/nord/roles",
            &f.writer,
            &json!({"name": "Kassierer/in", "description": "Kasse\u{0}Bon"}),
        )
        .await;
    assert!(response.status.as_u16() < 500, "{}", response.text());
    if response.status == 201 {
        let id = response.json()["id"].as_str().unwrap().to_owned();
        let read = f
            .app
            .get(&format!("/api/v1/tenants/nord/roles/{id}"), &f.writer)
            .await;
        assert_eq!(read.json()["description"], "Kasse\u{0}Bon");
    } else {
        assert_invalid(&response, "description");
    }
    f.finish().await;
}

// ---- paths, query parameters, methods ----

#[tokio::test]
async fn malformed_uuids_in_paths_are_404_json() {
    let f = Fixture::new().await;
    let admin = admin_session(&f).await;
    let valid = json!({"role_id": Uuid::nil(), "kind": "current"});
    for bad in [
        "not-a-uuid",
        "123",
        "%20",
        "00000000-0000-0000-0000-00000000000g",
        "00000000-0000-0000-0000-0000000000000",
        "%F0%9F%A6%80",
        "..",
    ] {
        for path in [
            format!("/api/v1/tenants/nord/people/{bad}"),
            format!("/api/v1/tenants/nord/people/{bad}/roles"),
            format!("/api/v1/tenants/nord/people/{bad}/access"),
            format!("/api/v1/tenants/nord/org-units/{bad}"),
            format!("/api/v1/tenants/nord/roles/{bad}"),
        ] {
            let response = f.app.get(&path, &admin).await;
            assert_error(&response, 404, "not_found");
        }
        for path in [
            format!("/api/v1/tenants/nord/credentials/{bad}/revoke"),
            format!("/api/v1/tenants/nord/people/{bad}/roles"),
            format!("/api/v1/tenants/nord/people/{bad}/access"),
        ] {
            let response = f.app.post_json(&path, &admin, &valid).await;
            assert_error(&response, 404, "not_found");
        }
    }
    // A well-formed id of nothing is the same 404.
    let response = f
        .app
        .get(
            &format!("/api/v1/tenants/nord/people/{}", Uuid::now_v7()),
            &admin,
        )
        .await;
    assert_eq!(
        assert_error(&response, 404, "not_found")["message"],
        "person not found"
    );
    // A slug that could never be one is no tenant either.
    // (A slug with a NUL character: see `nul_in_a_tenant_slug_is_404_not_500`.)
    for slug in [
        "NORD",
        "n%01rd",
        "%E2%80%AE",
        "%FF",
        "a".repeat(300).as_str(),
    ] {
        let response = f
            .app
            .get(&format!("/api/v1/tenants/{slug}/people"), &admin)
            .await;
        assert_error(&response, 404, "not_found");
    }
    f.finish().await;
}

#[tokio::test]
async fn nul_in_a_tenant_slug_is_404_not_500() {
    let f = Fixture::new().await;
    for path in [
        "/api/v1/tenants/n%00rd",
        "/api/v1/tenants/n%00rd/people",
        "/api/v1/tenants/%00/org-units",
    ] {
        let response = f.app.get(path, &f.writer).await;
        assert_error(&response, 404, "not_found");
    }
    f.finish().await;
}

#[tokio::test]
async fn bad_query_parameters_are_refused() {
    let f = Fixture::new().await;
    for extra in ["Bea", "Carl"] {
        let created = f
            .app
            .post_json(PEOPLE, &f.writer, &json!({"display_name": extra}))
            .await;
        assert_eq!(created.status, 201);
    }
    for query in ["limit=0", "limit=1001", "limit=4294967295"] {
        let response = f.app.get(&format!("{PEOPLE}?{query}"), &f.writer).await;
        let message = assert_invalid(&response, "limit");
        assert!(message.contains("between 1 and 1000"), "{message}");
    }
    for query in [
        "limit=abc",
        "limit=-1",
        "limit=1.5",
        "limit=4294967296",
        "limit=",
        "after=xyz",
        "org_unit=Filiale%2012",
        "colour=blue",
        "limit=1&limit=2",
    ] {
        let response = f.app.get(&format!("{PEOPLE}?{query}"), &f.writer).await;
        let error = assert_error(&response, 400, "bad_request");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    // The good ones work and page.
    let first = f.app.get(&format!("{PEOPLE}?limit=2"), &f.writer).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let after = first["next_after"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let rest = f
        .app
        .get(&format!("{PEOPLE}?limit=1000&after={after}"), &f.writer)
        .await;
    assert_eq!(rest.json()["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest.json()["next_after"], Value::Null);

    // The audit log's parameters, as its reader sends them.
    f.app
        .person(&f.nord, "privacy@nord.de", AccessRole::PrivacyOfficer, None)
        .await;
    let privacy = f.app.login(&f.nord, "privacy@nord.de").await;
    let log = "/api/v1/tenants/nord/audit-log";
    assert_invalid(
        &f.app.get(&format!("{log}?limit=0"), &privacy).await,
        "limit",
    );
    for query in ["subject=anna", "before=1", "limit=many", "actor=x"] {
        let response = f.app.get(&format!("{log}?{query}"), &privacy).await;
        assert_error(&response, 400, "bad_request");
    }
    let ok = f.app.get(&format!("{log}?limit=1000"), &privacy).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    f.finish().await;
}

#[tokio::test]
async fn unknown_api_paths_are_404_json() {
    let f = Fixture::new().await;
    let anna = f.anna.id;
    for auth in [&Auth::None, &f.writer] {
        for (method, path) in [
            (Method::GET, "/api/v1/nope".to_owned()),
            (Method::POST, "/api/v1/nope".to_owned()),
            (Method::GET, "/api/v1/tenants/nord/nope".to_owned()),
            (
                Method::GET,
                format!("/api/v1/tenants/nord/people/{anna}/nope"),
            ),
            (Method::GET, "/api/v1/tenants/nord/people/".to_owned()),
            (
                Method::DELETE,
                "/api/v1/tenants/nord/people/x/y/z".to_owned(),
            ),
            (Method::GET, "/api/v2/tenants".to_owned()),
        ] {
            let response = send_raw(&f.app, method.clone(), &path, auth, None, Body::empty()).await;
            if let Some(tail) = path.strip_prefix("/api/v1") {
                let error = assert_error(&response, 404, "not_found");
                let message = error["message"].as_str().unwrap();
                // (See `not_found_names_the_path_as_requested` for the prefix.)
                assert!(message.starts_with("no API endpoint at /"), "{message}");
                assert!(message.ends_with(tail), "{path}: {message}");
            } else {
                // Outside the API the web interface answers; still a 404.
                assert_eq!(response.status, 404, "{method} {path}");
            }
        }
    }
    f.finish().await;
}

#[tokio::test]
async fn wrong_methods_are_405_json() {
    let f = Fixture::new().await;
    let anna = f.anna.id;
    for auth in [&Auth::None, &f.writer] {
        for (method, path) in [
            (Method::DELETE, "/api/v1/tenants".to_owned()),
            (Method::PUT, "/api/v1/tenants/nord".to_owned()),
            (Method::POST, "/api/v1/tenants/nord".to_owned()),
            (
                Method::DELETE,
                format!("/api/v1/tenants/nord/people/{anna}"),
            ),
            (
                Method::PUT,
                format!("/api/v1/tenants/nord/people/{anna}/roles"),
            ),
            (
                Method::GET,
                format!("/api/v1/tenants/nord/credentials/{anna}/revoke"),
            ),
            (Method::DELETE, "/api/v1/tenants/nord/audit-log".to_owned()),
            (Method::POST, "/api/v1/me".to_owned()),
            (Method::POST, "/api/v1/openapi.json".to_owned()),
        ] {
            let response = send_raw(
                &f.app,
                method.clone(),
                &path,
                auth,
                Some("application/json"),
                "{}",
            )
            .await;
            let error = assert_error(&response, 405, "method_not_allowed");
            let message = error["message"].as_str().unwrap();
            // (See `not_found_names_the_path_as_requested` for the prefix.)
            assert!(
                message.starts_with(&format!("{method} is not allowed on /")),
                "{message}"
            );
            assert!(
                message.ends_with(path.trim_start_matches("/api/v1")),
                "{method} {path}: {message}"
            );
        }
    }
    let scope = TenantScope::system(f.nord.id);
    assert_eq!(f.people_count().await, 1);
    assert!(f.app.store.list_api_credentials(scope).await.unwrap()[0]
        .revoked_at
        .is_none());
    f.finish().await;
}

#[tokio::test]
async fn not_found_names_the_path_as_requested() {
    let f = Fixture::new().await;
    let response = f.app.get("/api/v1/nope", &f.writer).await;
    let error = assert_error(&response, 404, "not_found");
    assert_eq!(error["message"], "no API endpoint at /api/v1/nope");
    let response = send_raw(
        &f.app,
        Method::DELETE,
        "/api/v1/tenants",
        &f.writer,
        None,
        Body::empty(),
    )
    .await;
    let error = assert_error(&response, 405, "method_not_allowed");
    assert_eq!(error["message"], "DELETE is not allowed on /api/v1/tenants");
    f.finish().await;
}

// ---- conflicts ----

#[tokio::test]
async fn duplicates_are_409_conflict() {
    let f = Fixture::new().await;
    let network = network_session(&f).await;
    let response = f
        .app
        .post_json(
            "/api/v1/tenants",
            &network,
            &json!({"slug": "nord", "name": "Noch ein Nord"}),
        )
        .await;
    let error = assert_error(&response, 409, "conflict");
    assert!(
        error.get("field").is_none() || error["field"] == "slug",
        "{error}"
    );
    let tenants = f.app.store.list_tenants().await.unwrap();
    assert_eq!(tenants.len(), 1);
    assert_eq!(tenants[0].name, "nord eG");

    let before = f.people_count().await;
    for email in ["anna@nord.de", "ANNA@Nord.DE", " anna@nord.de "] {
        let response = f
            .app
            .post_json(
                PEOPLE,
                &f.writer,
                &json!({"display_name": "Anna Zwei", "email": email}),
            )
            .await;
        assert_error(&response, 409, "conflict");
    }
    assert_eq!(f.people_count().await, before);
    // Unique per tenant only.
    let sued = f.app.tenant("sued").await;
    let sued_writer = f.app.credential(&sued, &[Scope::OrgWrite]).await;
    let response = f
        .app
        .post_json(
            "/api/v1/tenants/sued/people",
            &sued_writer,
            &json!({"display_name": "Anna Sued", "email": "anna@nord.de"}),
        )
        .await;
    assert_eq!(response.status, 201, "{}", response.text());
    // People without an e-mail address do not collide.
    for _ in 0..2 {
        let response = f
            .app
            .post_json(
                PEOPLE,
                &f.writer,
                &json!({"display_name": "Ohne Mail", "email": ""}),
            )
            .await;
        assert_eq!(response.status, 201, "{}", response.text());
        assert_eq!(response.json()["email"], Value::Null);
    }

    let roles = "/api/v1/tenants/nord/roles";
    assert_eq!(
        f.app
            .post_json(roles, &f.writer, &json!({"name": "Fahrer/in"}))
            .await
            .status,
        201
    );
    let response = f
        .app
        .post_json(roles, &f.writer, &json!({"name": " Fahrer/in "}))
        .await;
    assert_error(&response, 409, "conflict");
    assert_eq!(
        f.app
            .store
            .list_roles(TenantScope::system(f.nord.id))
            .await
            .unwrap()
            .len(),
        1
    );
    f.finish().await;
}

// ---- authentication headers that make no sense ----

fn basic(raw: &[u8]) -> HeaderValue {
    let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
    HeaderValue::from_str(&format!("Basic {encoded}")).unwrap()
}

#[tokio::test]
async fn garbage_authorization_is_401() {
    let f = Fixture::new().await;
    let key_like = format!(
        "{}.{}",
        f.nord.id.as_uuid().simple(),
        Uuid::now_v7().simple()
    );
    let Auth::Basic { key, .. } = &f.writer else {
        unreachable!()
    };
    let headers = vec![
        HeaderValue::from_static("Bearer abc.def.ghi"),
        HeaderValue::from_static("Basic"),
        HeaderValue::from_static("Basic "),
        HeaderValue::from_static("Basic !!!not-base64!!!"),
        HeaderValue::from_static("Basic ===="),
        HeaderValue::from_static("Digest username=\"anna\""),
        HeaderValue::from_static("BasicYW5uYTpzZWNyZXQ="),
        HeaderValue::from_bytes(b"Basic \xff\xfe\xfd").unwrap(),
        HeaderValue::from_bytes("Basic Zürich".as_bytes()).unwrap(),
        basic(b"no colon at all"),
        basic(b":"),
        basic(b"anna@nord.de:correct horse battery staple"),
        basic(b"\xff\xfe:\xfd"),
        basic(format!("{key_like}:whatever").as_bytes()),
        basic(format!("{key}:").as_bytes()),
        basic(format!("{key}.{key}:x").as_bytes()),
        basic(format!("{}.{}:x", Uuid::nil().simple(), Uuid::nil().simple()).as_bytes()),
        basic("x".repeat(20_000).as_bytes()),
        basic(format!("{key}:{}", "s".repeat(100_000)).as_bytes()),
    ];
    let cookies = [
        "mycel_session=garbage".to_owned(),
        "mycel_session=".to_owned(),
        "mycel_session=.".to_owned(),
        format!("mycel_session={}.", f.nord.id.as_uuid().simple()),
        format!(
            "mycel_session={}.{}",
            f.nord.id.as_uuid().simple(),
            "s".repeat(200)
        ),
        format!("mycel_session={}.abc", Uuid::nil().simple()),
        "mycel_session=%00%01".to_owned(),
    ];
    let mut requests: Vec<Request<Body>> = headers
        .into_iter()
        .map(|value| {
            Request::builder()
                .uri(PEOPLE)
                .header(header::AUTHORIZATION, value)
                .body(Body::empty())
                .unwrap()
        })
        .collect();
    requests.extend(cookies.iter().map(|cookie| {
        Request::builder()
            .uri(PEOPLE)
            .header(header::COOKIE, cookie.as_str())
            .body(Body::empty())
            .unwrap()
    }));
    for request in requests {
        let shown = format!("{:?}", request.headers());
        let response = f.app.send(request).await;
        let error = error_shape(&response).unwrap_or_else(|e| panic!("{shown}: {e}"));
        assert_eq!(error["code"], "unauthenticated", "{shown}");
        assert!(
            response.headers.contains_key(header::WWW_AUTHENTICATE),
            "{shown}"
        );
    }
    // The real credential still works, in the same app.
    let ok = f.app.get(PEOPLE, &f.writer).await;
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["items"][0]["email"], "anna@nord.de");
    f.finish().await;
}

// ---- properties: whatever is sent, never a 5xx, never half-written ----

/// Any JSON value, shallow.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |x| x.is_finite())
            .prop_map(|x| json!(x)),
        any::<String>().prop_map(Value::String),
        "[a-z0-9 @.-]{0,30}".prop_map(Value::String),
        Just(json!(Uuid::nil())),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["display_name", "email", "org_unit_id", "manager_id", "locale"])
            .prop_map(str::to_owned),
        1 => "[a-z_]{1,12}",
        1 => any::<String>(),
    ]
}

/// Something shaped like a person, with plausible and implausible values; many are valid.
fn person_like(unit: Uuid, manager: Uuid) -> impl Strategy<Value = Value> {
    let name = prop_oneof![
        "[A-Za-zÄÖÜäöüß .'-]{0,40}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        "\\PC{190,210}".prop_map(Value::String),
        any_json(),
    ];
    let email = prop_oneof![
        "[a-z]{1,8}@[a-z]{1,8}\\.(de|com)".prop_map(Value::String),
        "[A-Z]{1,3}@NORD\\.DE".prop_map(Value::String),
        Just(json!("anna@nord.de")),
        any::<String>().prop_map(Value::String),
        Just(Value::Null),
        any_json(),
    ];
    let id = prop_oneof![
        Just(json!(unit)),
        Just(json!(manager)),
        Just(json!(Uuid::nil())),
        Just(Value::Null),
        "[0-9a-f-]{0,40}".prop_map(Value::String),
        any_json(),
    ];
    let locale = prop_oneof![
        Just(json!("de")),
        Just(json!("en")),
        Just(Value::Null),
        "[a-zA-Z-]{0,6}".prop_map(Value::String),
        any_json(),
    ];
    (
        prop::option::of(name),
        prop::option::of(email),
        prop::option::of(id.clone()),
        prop::option::of(id),
        prop::option::of(locale),
        prop::option::weighted(0.1, (field_name(), any_json())),
    )
        .prop_map(|(name, email, unit, manager, locale, extra)| {
            let mut object = serde_json::Map::new();
            for (key, value) in [
                ("display_name", name),
                ("email", email),
                ("org_unit_id", unit),
                ("manager_id", manager),
                ("locale", locale),
            ] {
                if let Some(value) = value {
                    object.insert(key.to_owned(), value);
                }
            }
            if let Some((key, value)) = extra {
                object.insert(key, value);
            }
            Value::Object(object)
        })
}

/// What a request body may be: raw bytes, text that is almost JSON, or JSON.
#[derive(Debug, Clone)]
enum Sent {
    Bytes(Vec<u8>),
    Json(Value),
}

impl Sent {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Sent::Bytes(bytes) => bytes.clone(),
            Sent::Json(value) => value.to_string().into_bytes(),
        }
    }
}

fn any_body(unit: Uuid, manager: Uuid) -> impl Strategy<Value = Sent> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Sent::Bytes),
        // Valid JSON with one byte changed.
        1 => (person_like(unit, manager), any::<prop::sample::Index>(), any::<u8>()).prop_map(
            |(value, at, byte)| {
                let mut bytes = value.to_string().into_bytes();
                let at = at.index(bytes.len());
                bytes[at] = byte;
                Sent::Bytes(bytes)
            }
        ),
        1 => any_json().prop_map(Sent::Json),
        3 => person_like(unit, manager).prop_map(Sent::Json),
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A runner with a fixed seed: CI sees the same cases every time (a random seed made the check
/// that some generated person reaches the database fail now and then), and a failure can be
/// replayed.
fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    )
}

/// Checks one answer to POST people: a person (then stored, and exactly one more) or the error
/// shape (then nothing stored).
async fn check_person_answer(
    f: &Fixture,
    response: &TestResponse,
    before: usize,
) -> Result<(), TestCaseError> {
    let after = f.people_count().await;
    prop_assert!(
        response.status.as_u16() < 500,
        "{}: {}",
        response.status,
        response.text()
    );
    if response.status == 201 {
        let person = response.json();
        prop_assert!(person["display_name"]
            .as_str()
            .is_some_and(|n| !n.trim().is_empty()));
        let id = person["id"].as_str().unwrap_or_default().to_owned();
        prop_assert!(Uuid::parse_str(&id).is_ok(), "{person}");
        prop_assert_eq!(after, before + 1);
        let read = f.app.get(&format!("{PEOPLE}/{id}"), &f.writer).await;
        prop_assert_eq!(read.json(), person);
    } else {
        prop_assert!(response.status.is_client_error(), "{}", response.status);
        let error = error_shape(response).map_err(TestCaseError::fail)?;
        prop_assert!(
            ["invalid_json", "validation_failed", "conflict"]
                .contains(&error["code"].as_str().unwrap()),
            "{error}"
        );
        prop_assert_eq!(after, before, "a refused request wrote something");
    }
    Ok(())
}

#[test]
fn any_body_to_create_person_is_a_person_or_a_clean_error() {
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    let (unit, manager) = (f.unit.id.as_uuid(), f.anna.id.as_uuid());
    let created = std::cell::Cell::new(0);
    let result = runner().run(&any_body(unit, manager), |sent| {
        rt.block_on(async {
            let before = f.people_count().await;
            let response = send_raw(
                &f.app,
                Method::POST,
                PEOPLE,
                &f.writer,
                Some("application/json"),
                sent.bytes(),
            )
            .await;
            if response.status == 201 {
                created.set(created.get() + 1);
            }
            check_person_answer(&f, &response, before).await
        })
    });
    rt.block_on(f.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator is meant to reach the database, not only the JSON parser.
    assert!(created.get() > 0, "no generated body was a valid person");
}

#[test]
fn any_authorization_header_is_401() {
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    let Auth::Basic { key, .. } = &f.writer else {
        unreachable!()
    };
    let key = key.clone();
    let header_bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|raw| {
            let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
            format!("Basic {encoded}").into_bytes()
        }),
        ".{0,60}".prop_map(move |secret| {
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
            format!("Basic {encoded}").into_bytes()
        }),
    ];
    let result = runner().run(&header_bytes, |bytes| {
        // Bytes a header cannot carry never reach the server.
        let Ok(value) = HeaderValue::from_bytes(&bytes) else {
            return Ok(());
        };
        rt.block_on(async {
            let request = Request::builder()
                .uri(PEOPLE)
                .header(header::AUTHORIZATION, value)
                .body(Body::empty())
                .unwrap();
            let response = f.app.send(request).await;
            let error = error_shape(&response).map_err(TestCaseError::fail)?;
            prop_assert_eq!(error["code"].as_str(), Some("unauthenticated"));
            Ok(())
        })
    });
    rt.block_on(f.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn any_path_segment_for_a_person_is_404_or_the_person() {
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    let anna = f.anna.id.to_string();
    let segment = prop_oneof![
        any::<String>(),
        "[0-9a-fA-F-]{30,40}",
        Just(anna.clone()),
        Just(anna.to_uppercase()),
        Just(f.anna.id.as_uuid().simple().to_string()),
    ];
    let result = runner().run(&segment, |segment| {
        let encoded: String = segment
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        rt.block_on(async {
            let response = f.app.get(&format!("{PEOPLE}/{encoded}"), &f.writer).await;
            if response.status == 200 {
                let person = response.json();
                prop_assert_eq!(person["id"].as_str(), Some(anna.as_str()));
            } else {
                let error = error_shape(&response).map_err(TestCaseError::fail)?;
                prop_assert_eq!(error["code"].as_str(), Some("not_found"), "{}", segment);
            }
            Ok(())
        })
    });
    rt.block_on(f.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---- the competency engine ----

/// The fixture framework in a [`Fixture`]: the till's id, a role, and an admin's session.
struct Competencies {
    till: String,
    role: String,
    admin: Auth,
}

impl Competencies {
    async fn on(f: &Fixture) -> Self {
        competency_fixture::import(&*f.app.store).await;
        let scope = TenantScope::system(f.nord.id);
        let till =
            competency_fixture::competency_id(&*f.app.store, scope, competency_fixture::TILL)
                .await
                .to_string();
        let role = ops::create_role(&*f.app.store, Acting::Operator, scope, "Verkäufer/in", None)
            .await
            .unwrap()
            .id
            .to_string();
        let admin = admin_session(f).await;
        Self { till, role, admin }
    }
}

async fn put_raw(app: &TestApp, path: &str, auth: &Auth, body: &str) -> TestResponse {
    send_raw(
        app,
        Method::PUT,
        path,
        auth,
        Some("application/json"),
        body.to_owned(),
    )
    .await
}

async fn evidence_count(f: &Fixture) -> usize {
    f.app
        .store
        .evidence(TenantScope::system(f.nord.id), f.anna.id, None)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn bad_evidence_is_refused_naming_the_field_and_records_nothing() {
    let f = Fixture::new().await;
    let c = Competencies::on(&f).await;
    let path = format!("/api/v1/tenants/nord/people/{}/evidence", f.anna.id);
    let till = c.till.as_str();
    let base = |extra: Value| {
        let mut body = json!({"competency_id": till, "kind": "test_result", "level": 2});
        for (key, value) in extra.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let long = |n: usize| "x".repeat(n);
    for (body, field) in [
        (base(json!({"level": -1})), "level"),
        (base(json!({"level": 4.01})), "level"),
        (base(json!({"level": 5})), "level"),
        (base(json!({"level": 1e308})), "level"),
        (base(json!({"kind": "guess"})), "kind"),
        (base(json!({"kind": ""})), "kind"),
        (base(json!({"kind": "TEST_RESULT"})), "kind"),
        (base(json!({"competency_id": Uuid::nil()})), "competency_id"),
        // Not a competency: a person's id.
        (base(json!({"competency_id": f.anna.id})), "competency_id"),
        (
            base(json!({"observed_at": "2999-01-01T00:00:00Z"})),
            "observed_at",
        ),
        (base(json!({"source": long(301)})), "source"),
        (base(json!({"source": "Test\u{0}"})), "source"),
        (base(json!({"link": long(2001)})), "link"),
        (base(json!({"note": long(2001)})), "note"),
    ] {
        let response = f.app.post_json(&path, &f.writer, &body).await;
        assert_invalid(&response, field);
    }
    // Wrong types, missing and unknown fields: serde's message, in the same body.
    for (body, says) in [
        (base(json!({"level": "3"})), "invalid type"),
        (base(json!({"level": null})), "invalid type"),
        (base(json!({"competency_id": "abc"})), "UUID"),
        (base(json!({"observed_at": "yesterday"})), "observed_at"),
        (
            base(json!({"observed_at": "2024-13-01T00:00:00Z"})),
            "observed_at",
        ),
        (base(json!({"confidence": 1})), "unknown field `confidence`"),
        (
            json!({"competency_id": till, "kind": "test_result"}),
            "missing field `level`",
        ),
        (json!("evidence"), "invalid type"),
    ] {
        let response = f.app.post_json(&path, &f.writer, &body).await;
        let error = assert_error(&response, 422, "validation_failed");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.to_lowercase().contains(&says.to_lowercase()),
            "{body}: {message}"
        );
    }
    let response = post_raw(&f.app, &path, &f.writer, "{\"level\": 2,").await;
    assert_error(&response, 400, "invalid_json");
    // Refused for who is asking before anything else is looked at, and for whom.
    let response = f
        .app
        .post_json(
            &path,
            &f.writer,
            &base(json!({"kind": "self_assessment", "level": 9})),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    let response = f
        .app
        .post_json(
            &format!("/api/v1/tenants/nord/people/{}/evidence", Uuid::nil()),
            &f.writer,
            &base(json!({})),
        )
        .await;
    assert_error(&response, 404, "not_found");
    assert_eq!(evidence_count(&f).await, 0, "nothing was recorded");
    // The boundaries themselves are levels.
    for level in [0.0, 4.0] {
        let response = f
            .app
            .post_json(&path, &f.writer, &base(json!({"level": level})))
            .await;
        assert_eq!(response.status, 201, "{}", response.text());
        assert_eq!(response.json()["level"], json!(level));
    }
    assert_eq!(evidence_count(&f).await, 2);
    f.finish().await;
}

#[tokio::test]
async fn bad_role_profiles_goals_and_sharing_are_refused_and_change_nothing() {
    let f = Fixture::new().await;
    let c = Competencies::on(&f).await;
    let profile = format!("/api/v1/tenants/nord/roles/{}/profile", c.role);
    let till = c.till.as_str();
    let line = |kind: &str, level: Value| json!({"competency_id": till, "kind": kind, "target_level": level});

    for (body, field) in [
        (json!([line("required", json!(4.5))]), "[0].target_level"),
        (
            json!([line("required", json!(2)), line("desired", json!(-0.5))]),
            "[1].target_level",
        ),
        (json!([line("mandatory", json!(2))]), "[0].kind"),
        (json!([line("", json!(2))]), "[0].kind"),
        (
            json!([{"competency_id": Uuid::nil(), "kind": "required", "target_level": 2}]),
            "requirements",
        ),
        (
            json!(vec![line("required", json!(2)); 1001]),
            "requirements",
        ),
    ] {
        let response = f
            .app
            .send(
                TestApp::request(Method::PUT, &profile, &c.admin)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_invalid(&response, field);
    }
    for body in [
        json!({"requirements": []}),
        json!([{"competency_id": till, "kind": "required"}]),
        json!([{"competency_id": till, "kind": "required", "target_level": 2, "weight": 1}]),
        json!([{"competency_id": "till", "kind": "required", "target_level": 2}]),
        json!([null]),
    ] {
        let response = put_raw(&f.app, &profile, &c.admin, &body.to_string()).await;
        assert_error(&response, 422, "validation_failed");
    }
    assert_error(
        &put_raw(&f.app, &profile, &c.admin, "[{").await,
        400,
        "invalid_json",
    );
    let unchanged = f.app.get(&profile, &c.admin).await;
    assert_eq!(unchanged.status, 200, "{}", unchanged.text());
    assert_eq!(unchanged.json()["requirements"], json!([]));

    // From an occupation.
    let from = format!("{profile}/from-occupation");
    let occupations = f
        .app
        .get("/api/v1/tenants/nord/occupations?q=shop", &c.admin)
        .await
        .json();
    let occupation = occupations[0]["id"].clone();
    for (body, field) in [
        (
            json!({"occupation_id": occupation, "required_level": -0.5}),
            "required_level",
        ),
        (
            json!({"occupation_id": occupation, "required_level": 2, "desired_level": 9}),
            "desired_level",
        ),
    ] {
        assert_invalid(&f.app.post_json(&from, &c.admin, &body).await, field);
    }
    for body in [
        json!({"occupation_id": "shop", "required_level": 2}),
        json!({"occupation_id": occupation}),
        json!({"occupation_id": occupation, "required_level": 2, "optional_level": 1}),
    ] {
        assert_error(
            &f.app.post_json(&from, &c.admin, &body).await,
            422,
            "validation_failed",
        );
    }
    assert_eq!(
        f.app.get(&profile, &c.admin).await.json()["requirements"],
        json!([])
    );

    // Learning goals and sharing.
    let goals = "/api/v1/tenants/nord/me/learning-goals";
    for (body, field) in [
        (
            json!({"competency_id": till, "target_level": 4.5}),
            "target_level",
        ),
        (
            json!({"competency_id": till, "target_level": -1}),
            "target_level",
        ),
        (
            json!({"competency_id": Uuid::nil(), "target_level": 2}),
            "competency_id",
        ),
    ] {
        assert_invalid(&f.app.post_json(goals, &c.admin, &body).await, field);
    }
    for body in [
        json!({"competency_id": till, "target_level": 2, "due": "31.01.2030"}),
        json!({"competency_id": till, "target_level": 2, "due": "2030-02-30"}),
        json!({"competency_id": till}),
        json!({"competency_id": till, "target_level": 2, "priority": 1}),
    ] {
        assert_error(
            &f.app.post_json(goals, &c.admin, &body).await,
            422,
            "validation_failed",
        );
    }
    assert_eq!(f.app.get(goals, &c.admin).await.json(), json!([]));
    let sharing = "/api/v1/tenants/nord/me/profile-sharing";
    for body in [
        r#"{"shared": "yes"}"#,
        "{}",
        r#"{"shared": true, "with": "all"}"#,
        "true",
    ] {
        assert_error(
            &put_raw(&f.app, sharing, &c.admin, body).await,
            422,
            "validation_failed",
        );
    }
    f.finish().await;
}

#[tokio::test]
async fn bad_competency_query_parameters_are_refused() {
    let f = Fixture::new().await;
    let c = Competencies::on(&f).await;
    let competencies = "/api/v1/tenants/nord/competencies";
    let occupations = "/api/v1/tenants/nord/occupations";
    for path in [competencies, occupations] {
        for query in ["limit=0", "limit=201", "limit=4294967295"] {
            let message = assert_invalid(
                &f.app.get(&format!("{path}?{query}"), &f.writer).await,
                "limit",
            );
            assert!(message.contains("between 1 and 200"), "{message}");
        }
        let long = "a".repeat(201);
        assert_invalid(
            &f.app.get(&format!("{path}?q={long}"), &f.writer).await,
            "q",
        );
        assert_invalid(
            &f.app.get(&format!("{path}?q=Kasse%00"), &f.writer).await,
            "q",
        );
        for query in [
            "limit=abc",
            "limit=-1",
            "limit=4294967296",
            "limit=",
            "colour=blue",
            "q=a&q=b",
        ] {
            assert_error(
                &f.app.get(&format!("{path}?{query}"), &f.writer).await,
                400,
                "bad_request",
            );
        }
        let ok = f
            .app
            .get(&format!("{path}?limit=200&q=%20"), &f.writer)
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text());
        assert!(ok.json().is_array());
    }
    for query in ["framework=xyz", "broader=1", "framework="] {
        assert_error(
            &f.app
                .get(&format!("{competencies}?{query}"), &f.writer)
                .await,
            400,
            "bad_request",
        );
    }
    // An id that names nothing finds nothing.
    let none = f
        .app
        .get(
            &format!("{competencies}?broader={}", Uuid::nil()),
            &f.writer,
        )
        .await;
    assert_eq!(none.json(), json!([]));

    let gaps = "/api/v1/tenants/nord/competency-gaps";
    for query in [
        "org_unit=abc",
        "reports_of=",
        "team=1",
        "org_unit=a&org_unit=b",
    ] {
        assert_error(
            &f.app.get(&format!("{gaps}?{query}"), &f.writer).await,
            400,
            "bad_request",
        );
    }
    assert_invalid(
        &f.app
            .get(
                &format!("{gaps}?org_unit={}&reports_of={}", f.unit.id, f.anna.id),
                &f.writer,
            )
            .await,
        "reports_of",
    );
    assert_error(
        &f.app
            .get(&format!("{gaps}?org_unit={}", Uuid::nil()), &f.writer)
            .await,
        422,
        "validation_failed",
    );
    let ok = f
        .app
        .get(&format!("{gaps}?org_unit={}", f.unit.id), &f.writer)
        .await;
    assert_eq!(
        ok.json(),
        json!({"status": "suppressed", "people": 1, "min_group_size": 5})
    );

    let profile = format!(
        "/api/v1/tenants/nord/people/{}/competency-profile",
        f.anna.id
    );
    for query in ["purpose=a&purpose=b", "why=x"] {
        assert_error(
            &f.app.get(&format!("{profile}?{query}"), &c.admin).await,
            400,
            "bad_request",
        );
    }
    f.finish().await;
}

#[tokio::test]
async fn malformed_ids_in_competency_paths_are_404_json() {
    let f = Fixture::new().await;
    let c = Competencies::on(&f).await;
    for id in ["xyz", "1", "00000000-0000-0000-0000-00000000000g", "%00"] {
        for (method, path) in [
            (
                Method::GET,
                format!("/api/v1/tenants/nord/competencies/{id}"),
            ),
            (
                Method::GET,
                format!("/api/v1/tenants/nord/roles/{id}/profile"),
            ),
            (
                Method::PUT,
                format!("/api/v1/tenants/nord/roles/{id}/profile"),
            ),
            (
                Method::POST,
                format!("/api/v1/tenants/nord/roles/{id}/profile/from-occupation"),
            ),
            (
                Method::GET,
                format!("/api/v1/tenants/nord/people/{id}/competency-profile"),
            ),
            (
                Method::POST,
                format!("/api/v1/tenants/nord/people/{id}/evidence"),
            ),
            (
                Method::DELETE,
                format!("/api/v1/tenants/nord/me/learning-goals/{id}"),
            ),
        ] {
            let response = send_raw(
                &f.app,
                method.clone(),
                &path,
                &c.admin,
                Some("application/json"),
                "{}",
            )
            .await;
            assert_error(&response, 404, "not_found");
        }
    }
    // Well-formed ids of nothing: not found too, naming what.
    let response = f
        .app
        .get(
            &format!("/api/v1/tenants/nord/competencies/{}", Uuid::nil()),
            &c.admin,
        )
        .await;
    let error = assert_error(&response, 404, "not_found");
    assert!(
        error["message"].as_str().unwrap().contains("competency"),
        "{error}"
    );
    f.finish().await;
}

/// Something shaped like evidence, with plausible and implausible values; many are valid.
fn evidence_like(till: Uuid, person: Uuid) -> impl Strategy<Value = Value> {
    let id = prop_oneof![
        3 => Just(json!(till)),
        1 => Just(json!(person)),
        1 => Just(json!(Uuid::nil())),
        1 => "[0-9a-f-]{0,40}".prop_map(Value::String),
        1 => any_json(),
    ];
    let kind = prop_oneof![
        3 => Just(json!("test_result")),
        2 => Just(json!("credential")),
        1 => Just(json!("self_assessment")),
        1 => Just(json!("statement")),
        1 => "[a-z_]{0,20}".prop_map(Value::String),
        1 => any_json(),
    ];
    let level = prop_oneof![
        4 => (0.0f64..=4.0).prop_map(|x| json!(x)),
        2 => (-10.0f64..10.0).prop_map(|x| json!(x)),
        1 => any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(|x| json!(x)),
        1 => any_json(),
    ];
    let text = prop_oneof![
        "[A-Za-zÄÖÜäöüß :/.-]{0,40}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        "\\PC{295,305}".prop_map(Value::String),
        Just(Value::Null),
        any_json(),
    ];
    let observed_at = prop_oneof![
        Just(json!("2024-05-01T10:00:00Z")),
        Just(json!("2024-05-01T12:00:00+02:00")),
        Just(json!("2999-01-01T00:00:00Z")),
        Just(json!("0001-01-01T00:00:00Z")),
        Just(Value::Null),
        "[0-9T:Z+-]{0,25}".prop_map(Value::String),
        any_json(),
    ];
    (
        prop::option::weighted(0.95, id),
        prop::option::weighted(0.95, kind),
        prop::option::weighted(0.95, level),
        prop::option::of(text.clone()),
        prop::option::of(text.clone()),
        prop::option::of(text),
        prop::option::of(observed_at),
        prop::option::weighted(0.1, (field_name(), any_json())),
    )
        .prop_map(
            |(id, kind, level, source, link, note, observed_at, extra)| {
                let mut object = serde_json::Map::new();
                for (key, value) in [
                    ("competency_id", id),
                    ("kind", kind),
                    ("level", level),
                    ("source", source),
                    ("link", link),
                    ("note", note),
                    ("observed_at", observed_at),
                ] {
                    if let Some(value) = value {
                        object.insert(key.to_owned(), value);
                    }
                }
                if let Some((key, value)) = extra {
                    object.insert(key, value);
                }
                Value::Object(object)
            },
        )
}

#[test]
fn any_body_to_record_evidence_is_evidence_or_a_clean_error() {
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    let c = rt.block_on(Competencies::on(&f));
    let till: Uuid = c.till.parse().unwrap();
    let path = format!("/api/v1/tenants/nord/people/{}/evidence", f.anna.id);
    let body = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Sent::Bytes),
        1 => any_json().prop_map(Sent::Json),
        6 => evidence_like(till, f.anna.id.as_uuid()).prop_map(Sent::Json),
    ];
    let recorded = std::cell::Cell::new(0);
    let result = runner().run(&body, |sent| {
        rt.block_on(async {
            let before = evidence_count(&f).await;
            let response = send_raw(
                &f.app,
                Method::POST,
                &path,
                &f.writer,
                Some("application/json"),
                sent.bytes(),
            )
            .await;
            let after = evidence_count(&f).await;
            prop_assert!(
                response.status.as_u16() < 500,
                "{}: {}",
                response.status,
                response.text()
            );
            if response.status == 201 {
                recorded.set(recorded.get() + 1);
                let evidence = response.json();
                let level = evidence["level"].as_f64().unwrap_or(-1.0);
                prop_assert!((0.0..=4.0).contains(&level), "{evidence}");
                prop_assert!(
                    ["test_result", "credential"]
                        .contains(&evidence["kind"].as_str().unwrap_or_default()),
                    "{evidence}"
                );
                prop_assert_eq!(evidence["competency_id"].as_str(), Some(c.till.as_str()));
                prop_assert_eq!(after, before + 1);
            } else {
                prop_assert!(response.status.is_client_error(), "{}", response.status);
                let error = error_shape(&response).map_err(TestCaseError::fail)?;
                prop_assert!(
                    ["invalid_json", "validation_failed", "forbidden"]
                        .contains(&error["code"].as_str().unwrap()),
                    "{error}"
                );
                prop_assert_eq!(after, before, "a refused request recorded something");
            }
            Ok(())
        })
    });
    rt.block_on(f.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(recorded.get() > 0, "no generated body was valid evidence");
}

#[test]
fn any_search_text_is_a_list_or_a_clean_error() {
    let rt = runtime();
    let f = rt.block_on(Fixture::new());
    rt.block_on(competency_fixture::import(&*f.app.store));
    let text = prop_oneof![
        any::<String>(),
        "[a-zA-ZäöüÄÖÜß %_*\\\\'\"-]{0,30}",
        Just("Registrierkasse".to_owned()),
        Just("%".to_owned()),
        Just("_".to_owned()),
    ];
    let result = runner().run(&(text, any::<bool>()), |(text, occupations)| {
        let encoded: String = text
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let resource = if occupations {
            "occupations"
        } else {
            "competencies"
        };
        rt.block_on(async {
            let response = f
                .app
                .get(
                    &format!("/api/v1/tenants/nord/{resource}?q={encoded}"),
                    &f.writer,
                )
                .await;
            if response.status == 200 {
                let found = response.json();
                prop_assert!(found.is_array(), "{found}");
                // `%` and `_` are text, not patterns: they match no label of the fixture.
                if !text.trim().is_empty() && text.trim().chars().all(|c| c == '%' || c == '_') {
                    prop_assert_eq!(found, json!([]));
                }
            } else {
                let error = error_shape(&response).map_err(TestCaseError::fail)?;
                prop_assert_eq!(
                    (response.status.as_u16(), error["code"].as_str()),
                    (422, Some("validation_failed")),
                    "{}",
                    text
                );
            }
            Ok(())
        })
    });
    rt.block_on(f.finish());
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[tokio::test]
async fn dates_beyond_four_digit_years_are_refused_never_a_500() {
    let f = Fixture::new().await;
    let c = Competencies::on(&f).await;
    let path = format!("/api/v1/tenants/nord/people/{}/evidence", f.anna.id);
    let before = evidence_count(&f).await;
    for (at, stored) in [
        ("1900-01-01T00:00:00Z", true),
        ("0001-01-01T00:00:00Z", false),
        ("1970-01-01T00:00:00.999999999Z", true),
        ("0000-01-01T00:00:00Z", false),
        ("-0001-01-01T00:00:00Z", false),
        ("-4713-11-24T00:00:00Z", false),
        ("+262142-12-31T23:59:59Z", false),
        ("-262143-01-01T00:00:00Z", false),
    ] {
        let body =
            json!({"competency_id": c.till, "kind": "test_result", "level": 1, "observed_at": at});
        let response = f.app.post_json(&path, &f.writer, &body).await;
        if stored {
            assert_eq!(response.status, 201, "{at}: {}", response.text());
        } else {
            assert_invalid(&response, "observed_at");
        }
    }
    assert_eq!(evidence_count(&f).await, before + 2);
    let goals = "/api/v1/tenants/nord/me/learning-goals";
    for (due, stored) in [
        ("1900-01-01", true),
        ("0001-01-01", false),
        ("9999-12-31", true),
        ("0000-01-01", false),
        ("-0001-01-01", false),
        ("-4713-11-24", false),
        ("+262142-12-31", false),
        ("-262143-01-01", false),
    ] {
        let body = json!({"competency_id": c.till, "target_level": 1, "due": due});
        let response = f.app.post_json(goals, &c.admin, &body).await;
        if stored {
            assert_eq!(response.status, 201, "{due}: {}", response.text());
            assert_eq!(response.json()["due"], due);
        } else {
            assert_invalid(&response, "due");
        }
    }
    // What was stored reads back.
    let listed = f.app.get(goals, &c.admin).await;
    assert_eq!(
        listed.json().as_array().unwrap().len(),
        2,
        "{}",
        listed.text()
    );
    let profile = f
        .app
        .get(
            &format!(
                "/api/v1/tenants/nord/people/{}/competency-profile",
                f.anna.id
            ),
            &f.writer,
        )
        .await;
    assert_error(&profile, 404, "not_found");
    f.finish().await;
}
