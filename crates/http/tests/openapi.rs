//! The OpenAPI document at `/api/v1/openapi.json`, and representative JSON responses, as snapshots
//! (crates.io does the same in `src/tests/openapi.rs`): a change to the API's shape shows up as a
//! snapshot diff to review. Accepting a change: run with `INSTA_UPDATE=always` (or move the
//! `.snap.new` file over the `.snap`) and commit the snapshot with the change.
//!
//! Besides the snapshot, plain assertions check what must hold whatever the snapshot says: every
//! route is documented, every documented operation is served, the security schemes are declared and
//! every schema reference resolves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method};
use common::*;
use mycel_organisation::{AccessRole, Scope};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The routes of the API (`crates/http/src/api/mod.rs`) and the health checks, as documented
/// paths. `/api/v1/openapi.json` itself is the document, not an operation in it.
const ROUTES: [&str; 62] = [
    "/healthz",
    "/readyz",
    "/api/v1/me",
    "/api/v1/tenants",
    "/api/v1/tenants/{tenant}",
    "/api/v1/tenants/{tenant}/org-units",
    "/api/v1/tenants/{tenant}/org-units/{id}",
    "/api/v1/tenants/{tenant}/people",
    "/api/v1/tenants/{tenant}/people/{id}",
    "/api/v1/tenants/{tenant}/people/{id}/roles",
    "/api/v1/tenants/{tenant}/people/{id}/access",
    "/api/v1/tenants/{tenant}/roles",
    "/api/v1/tenants/{tenant}/roles/{id}",
    "/api/v1/tenants/{tenant}/credentials",
    "/api/v1/tenants/{tenant}/credentials/{id}/revoke",
    "/api/v1/tenants/{tenant}/audit-log",
    "/api/v1/tenants/{tenant}/frameworks",
    "/api/v1/tenants/{tenant}/competencies",
    "/api/v1/tenants/{tenant}/competencies/{id}",
    "/api/v1/tenants/{tenant}/occupations",
    "/api/v1/tenants/{tenant}/roles/{id}/profile",
    "/api/v1/tenants/{tenant}/roles/{id}/profile/from-occupation",
    "/api/v1/tenants/{tenant}/people/{id}/competency-profile",
    "/api/v1/tenants/{tenant}/people/{id}/evidence",
    "/api/v1/tenants/{tenant}/me/profile-sharing",
    "/api/v1/tenants/{tenant}/me/learning-goals",
    "/api/v1/tenants/{tenant}/me/learning-goals/{id}",
    "/api/v1/tenants/{tenant}/competency-gaps",
    "/api/v1/tenants/{tenant}/proficiency-scales",
    "/api/v1/tenants/{tenant}/activity-alignments",
    "/api/v1/tenants/{tenant}/opportunities",
    "/api/v1/tenants/{tenant}/opportunities/{id}",
    "/api/v1/tenants/{tenant}/opportunities/{id}/lifecycle",
    "/api/v1/tenants/{tenant}/providers",
    "/api/v1/tenants/{tenant}/providers/{id}",
    "/api/v1/tenants/{tenant}/packages",
    "/api/v1/tenants/{tenant}/competency-suggestions",
    "/api/v1/tenants/{tenant}/rooms",
    "/api/v1/tenants/{tenant}/opportunities/{id}/sessions",
    "/api/v1/tenants/{tenant}/sessions/{id}/cancel",
    "/api/v1/tenants/{tenant}/sessions/{id}/enrolments",
    "/api/v1/tenants/{tenant}/sessions/{id}/attendance",
    "/api/v1/tenants/{tenant}/enrolments/{id}/decision",
    "/api/v1/tenants/{tenant}/enrolments/{id}/cancel",
    "/api/v1/tenants/{tenant}/enrolments/{id}/invitation.ics",
    "/api/v1/tenants/{tenant}/people/{id}/enrolments",
    "/api/v1/tenants/{tenant}/opportunities/{id}/assignments",
    "/api/v1/tenants/{tenant}/people/{id}/learning",
    "/api/v1/tenants/{tenant}/opportunities/{id}/cmi5/launches",
    "/api/v1/tenants/{tenant}/opportunities/{id}/cmi5/progress/{person}",
    "/api/v1/tenants/{tenant}/cmi5/registrations/{registration}/waivers",
    "/api/v1/tenants/{tenant}/cmi5/sessions/{session}/abandon",
    "/api/v1/tenants/{tenant}/people/{id}/learning-path",
    "/api/v1/tenants/{tenant}/help",
    "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals",
    "/api/v1/tenants/{tenant}/org-units/{id}/strategic-goals/{goal}",
    "/api/v1/tenants/{tenant}/path-planning",
    "/api/v1/tenants/{tenant}/people/{id}/recommendations",
    "/api/v1/tenants/{tenant}/people/{id}/recommendation-feedback",
    "/api/v1/tenants/{tenant}/people/{id}/recommendation-feedback/{opportunity}",
    "/api/v1/tenants/{tenant}/opportunities/{id}/rating",
    // Not an operation of the document: checked to be served, and left out of `paths`.
    "/api/v1/openapi.json",
];

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json", &Auth::None).await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/json"
    );
    response.json()
}

/// Does the app serve `method` on this path (anything but a 405 or the "no such endpoint" 404)?
async fn serves(app: &TestApp, method: &Method, template: &str) -> bool {
    let path = template
        .replace("{tenant}", "nord")
        .replace("{id}", &uuid::Uuid::nil().to_string());
    let request = TestApp::request(method.clone(), &path, &Auth::None)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    let response = app.send(request).await;
    if response.status == 405 {
        return false;
    }
    if response.status == 404 {
        // The fallbacks (the API's JSON one, the web interface's page) say there is no endpoint;
        // a handler's 404 names the record it did not find.
        let text = response.text();
        return text.starts_with('{') && !text.contains("no API endpoint");
    }
    true
}

/// Replaces the values at these JSON pointers by `[placeholder]`, after checking they are there.
fn redact(value: &mut Value, pointers: &[(&str, &str)]) {
    for (pointer, placeholder) in pointers {
        let slot = value
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("nothing at {pointer} to redact"));
        assert!(
            slot.is_string(),
            "{pointer} is {slot}, not an id or timestamp"
        );
        *slot = json!(placeholder);
    }
}

#[tokio::test]
async fn openapi_document_snapshot() {
    let app = TestApp::new().await;
    let mut doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Mycel API");
    // The crate version changes with every release, the API not necessarily.
    redact(&mut doc, &[("/info/version", "[version]")]);
    insta::assert_json_snapshot!("openapi", doc);
    app.finish().await;
}

#[tokio::test]
async fn every_route_is_documented_and_every_documented_operation_is_served() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let paths = doc["paths"].as_object().expect("paths");

    for template in ROUTES {
        let mut served = Vec::new();
        for method in &METHODS {
            if serves(&app, method, template).await {
                served.push(method.as_str().to_lowercase());
            }
        }
        assert!(!served.is_empty(), "{template} is not served at all");
        if template == "/api/v1/openapi.json" {
            assert_eq!(served, ["get"]);
            assert!(!paths.contains_key(template));
            continue;
        }
        let item = paths
            .get(template)
            .unwrap_or_else(|| panic!("{template} is served but not documented"));
        let documented: BTreeSet<_> = item
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| ["get", "post", "put", "patch", "delete"].contains(&k.as_str()))
            .cloned()
            .collect();
        let served: BTreeSet<_> = served.into_iter().collect();
        assert_eq!(
            served, documented,
            "{template}: served vs documented methods"
        );
    }
    let known: BTreeSet<_> = ROUTES.iter().map(|r| r.to_string()).collect();
    for (template, item) in paths {
        assert!(
            known.contains(template),
            "{template} is documented but not in this test's list of routes; add it"
        );
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            assert!(
                serves(&app, &method, template).await,
                "{method} {template} is documented but not served"
            );
        }
    }
    app.finish().await;
}

#[tokio::test]
async fn document_declares_basic_auth_and_is_self_consistent() {
    let app = TestApp::new().await;
    let doc = document(&app).await;
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(
        schemes["api_credential"],
        json!({"type": "http", "scheme": "basic"})
    );
    assert_eq!(
        schemes["session"],
        json!({"type": "apiKey", "in": "cookie", "name": "mycel_session"})
    );
    let security = doc["security"].as_array().expect("global security");
    assert!(
        security.contains(&json!({"api_credential": []})),
        "{security:?}"
    );

    // Every operation has an id and a tag, every path parameter is declared, every reference
    // resolves.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["operationId"].is_string(), "{method} {template}");
            assert!(operation["tags"][0].is_string(), "{method} {template}");
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {template} documents no response"
            );
            let declared: BTreeSet<_> = operation["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .map(|p| p["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let in_template: BTreeSet<_> = template
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(str::to_owned)
                .collect();
            assert_eq!(declared, in_template, "{method} {template}");
        }
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        assert!(schemas.contains_key(name), "{reference} does not resolve");
    }
    let error = &schemas["ErrorBody"];
    assert_eq!(error["required"], json!(["error"]));
    let detail = &schemas["ErrorDetail"];
    let mut required: Vec<_> = detail["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(required, ["code", "message"]);
    app.finish().await;
}

#[tokio::test]
async fn documented_responses_match_what_operations_answer() {
    let app = TestApp::new().await;
    let tenant = app.tenant("nord").await;
    let client = app.credential(&tenant, &[Scope::All]).await;
    let doc = document(&app).await;
    let mut wrong = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let documented = operation["responses"].as_object().unwrap();
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let request = |auth: &Auth, tenant: &str| {
                let path = template
                    .replace("{tenant}", tenant)
                    .replace("{id}", &uuid::Uuid::nil().to_string());
                TestApp::request(verb.clone(), &path, auth)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from("{}"))
                    .unwrap()
            };
            let anonymous = app.send(request(&Auth::None, "nord")).await;
            if anonymous.status == 401 && !documented.contains_key("401") {
                wrong.push(format!("{method} {template}: answers 401, documents none"));
            }
            if anonymous.status.is_success() && operation["security"] != json!([]) {
                wrong.push(format!(
                    "{method} {template}: public, but documented as needing authentication"
                ));
            }
            if template.contains("{tenant}") {
                let unknown = app.send(request(&client, "gibt-es-nicht")).await;
                let status = unknown.status.as_str().to_owned();
                if !documented.contains_key(&status) {
                    wrong.push(format!(
                        "{method} {template}: answers {status} for an unknown tenant, documents \
                         {:?}",
                        documented.keys().collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    app.finish().await;
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

// ---- representative responses ----

#[tokio::test]
async fn me_for_a_credential_snapshot() {
    let app = TestApp::new().await;
    let tenant = app.tenant("nord").await;
    let auth = app
        .credential(&tenant, &[Scope::OrgRead, Scope::StatementsWrite])
        .await;
    let response = app.get("/api/v1/me", &auth).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let mut me = response.json();
    assert_eq!(me["tenant"]["id"], tenant.id.to_string());
    redact(
        &mut me,
        &[
            ("/tenant/id", "[id]"),
            ("/tenant/created_at", "[timestamp]"),
        ],
    );
    insta::assert_json_snapshot!("me_credential", me);
    app.finish().await;
}

#[tokio::test]
async fn me_for_a_person_snapshot() {
    let app = TestApp::new().await;
    let tenant = app.tenant("nord").await;
    let unit = app.org_unit(&tenant, "Filiale 12", None).await;
    let person = app
        .person(&tenant, "anna@nord.de", AccessRole::LndAdmin, Some(unit.id))
        .await;
    let auth = app.login(&tenant, "anna@nord.de").await;
    let response = app.get("/api/v1/me", &auth).await;
    assert_eq!(response.status, 200, "{}", response.text());
    let mut me = response.json();
    assert_eq!(me["person"]["id"], person.id.to_string());
    assert_eq!(me["person"]["org_unit_id"], unit.id.to_string());
    let grants = me["access"].as_array().unwrap();
    let unit_grant = grants
        .iter()
        .position(|g| g["org_unit_id"] == unit.id.to_string())
        .expect("the lnd-admin grant names the unit");
    let grant_pointer = format!("/access/{unit_grant}/org_unit_id");
    redact(
        &mut me,
        &[
            ("/tenant/id", "[tenant id]"),
            ("/tenant/created_at", "[timestamp]"),
            ("/person/id", "[person id]"),
            ("/person/org_unit_id", "[unit id]"),
            ("/person/created_at", "[timestamp]"),
            (grant_pointer.as_str(), "[unit id]"),
        ],
    );
    insta::assert_json_snapshot!("me_person", me);
    app.finish().await;
}

#[tokio::test]
async fn validation_error_snapshot() {
    let app = TestApp::new().await;
    let tenant = app.tenant("nord").await;
    let auth = app.credential(&tenant, &[Scope::OrgWrite]).await;
    let response = app
        .post_json(
            "/api/v1/tenants/nord/people",
            &auth,
            &json!({"display_name": "Anna", "email": "anna at nord"}),
        )
        .await;
    assert_eq!(response.status, 422, "{}", response.text());
    insta::assert_json_snapshot!("validation_error", response.json());
    app.finish().await;
}

/// Replaces every id and import time in a JSON value by a placeholder (they change every run).
fn redact_ids(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if value.is_string()
                    && (key == "id" || key.ends_with("_id") || key == "imported_at")
                {
                    *value = json!(format!("[{key}]"));
                } else {
                    redact_ids(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_ids),
        _ => {}
    }
}

#[tokio::test]
async fn competency_detail_snapshot() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let tenant = app.tenant("nord").await;
    let auth = app.credential(&tenant, &[Scope::OrgRead]).await;
    let till = competency_fixture::competency_id(
        &*app.store,
        mycel_store::TenantScope::system(tenant.id),
        competency_fixture::TILL,
    )
    .await;
    let response = app
        .get(&format!("/api/v1/tenants/nord/competencies/{till}"), &auth)
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let mut detail = response.json();
    assert_eq!(detail["competency"]["id"], till.to_string());
    // Relations in a stable order for the snapshot.
    detail["relations"]
        .as_array_mut()
        .unwrap()
        .sort_by_key(|r| r["kind"].as_str().unwrap_or_default().to_owned());
    redact_ids(&mut detail);
    insta::assert_json_snapshot!("competency_detail", detail);
    app.finish().await;
}
