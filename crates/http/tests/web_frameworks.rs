#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The administration of competency frameworks: a company's own framework uploaded as CSV (errors
//! listed with line and column, nothing half-imported), a CASE package with its deviations, and who
//! may upload.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use mycel_organisation::AccessRole;
use mycel_store::competencies::CompetencySearch;
use mycel_store::TenantScope;

const BOUNDARY: &str = "mycel-test-boundary";

/// Posts a multipart upload with the session's CSRF token.
async fn upload(
    app: &TestApp,
    auth: &Auth,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
    with_csrf: bool,
) -> TestResponse {
    let cookies = cookies(auth);
    let csrf = cookies
        .split("; ")
        .find_map(|c| c.strip_prefix("mycel_csrf="))
        .unwrap_or_default();
    let mut body = Vec::new();
    let mut part = |name: &str, file_name: Option<&str>, content: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file_name) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    if with_csrf {
        part("csrf", None, csrf.as_bytes());
    }
    for (name, value) in fields {
        part(name, None, value.as_bytes());
    }
    if let Some((file_name, content)) = file {
        part("file", Some(file_name), content);
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri("/admin/frameworks")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, cookies)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

#[tokio::test]
async fn an_own_framework_is_uploaded_as_csv_and_errors_import_nothing() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let auth = app.login(&nord, "lnd@nord.example").await;
    let scope = TenantScope::system(nord.id);

    let page = app.get("/admin/frameworks", &auth).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("id=\"framework-upload\""));
    assert!(page.text().contains("ESCO"), "the network's ESCO is listed");

    // Line 3 names a parent that is not in the file, line 4 repeats a code: both reported, nothing
    // imported.
    let broken = format!(
        "code;parent_code;label_de;label_en;exact_match\nkasse;;Kasse;Checkout;\nkasse-01;fehlt;Retouren;Returns;\nkasse;;Doppelt;Twice;{}\n",
        competency_fixture::TILL
    );
    let response = upload(
        &app,
        &auth,
        &[
            ("tenant", "nord"),
            ("format", "csv"),
            ("code", "kasse"),
            ("title", "Kasse"),
        ],
        Some(("kasse.csv", broken.as_bytes())),
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text();
    assert!(text.contains("kasse.csv:3:"), "{text}");
    assert!(text.contains("kasse.csv:4:"), "{text}");
    let search = CompetencySearch {
        text: Some("retouren".into()),
        limit: 10,
        ..Default::default()
    };
    assert!(app
        .store
        .search_competencies(scope, &search)
        .await
        .unwrap()
        .is_empty());

    // Corrected, it imports, linked to the ESCO skill.
    let fixed = format!(
        "code;parent_code;label_de;label_en;exact_match\nkasse;;Kasse;Checkout;\nkasse-01;kasse;Retouren;Returns;{}\n",
        competency_fixture::TILL
    );
    let response = upload(
        &app,
        &auth,
        &[
            ("tenant", "nord"),
            ("format", "csv"),
            ("code", "kasse"),
            ("title", "Kasse"),
        ],
        Some(("kasse.csv", fixed.as_bytes())),
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(
        response.text().contains("2 competencies added"),
        "{}",
        response.text()
    );
    let found = app.store.search_competencies(scope, &search).await.unwrap();
    assert_eq!(found.len(), 1);
    let relations = app
        .store
        .competency_relations(scope, found[0].id, 10)
        .await
        .unwrap();
    assert!(relations
        .iter()
        .any(|r| r.other.uri == competency_fixture::TILL));

    // In German, with the framework listed.
    let german = Auth::Session(format!("{}; mycel_lang=de", cookies(&auth)));
    let page = app.get("/admin/frameworks", &german).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("Kompetenzmodelle von nord eG"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("eigenes Modell"));
}

#[tokio::test]
async fn a_case_package_is_imported_with_its_deviations() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "admin@nord.example", AccessRole::TenantAdmin, None)
        .await;
    let auth = app.login(&nord, "admin@nord.example").await;
    let package = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/case/SmartLevelFramework.json"),
    )
    .expect("the CASE example in the shared data folder");
    let response = upload(
        &app,
        &auth,
        &[("tenant", "nord"), ("format", "case")],
        Some(("SmartLevelFramework.json", &package)),
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(response.text().contains("competencies added"));
    let frameworks = app
        .store
        .frameworks(TenantScope::system(nord.id))
        .await
        .unwrap();
    assert_eq!(frameworks.len(), 1);
    assert_eq!(frameworks[0].kind, mycel_competency::FrameworkKind::Case);

    // Not JSON: a clear error with line and column, nothing imported.
    let response = upload(
        &app,
        &auth,
        &[("tenant", "nord"), ("format", "case")],
        Some(("broken.json", b"{\"CFDocument\": ")),
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response.text().contains("broken.json:1:"),
        "{}",
        response.text()
    );
    assert_eq!(
        app.store
            .frameworks(TenantScope::system(nord.id))
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn only_administrators_upload_and_forgeries_are_refused() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let learner = app.login(&nord, "anna@nord.example").await;
    let csv: &[u8] = b"code,label_en\nx,X\n";
    let response = upload(
        &app,
        &learner,
        &[("tenant", "nord"), ("format", "csv"), ("code", "x")],
        Some(("x.csv", csv)),
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let admin = app.login(&nord, "lnd@nord.example").await;
    let response = upload(
        &app,
        &admin,
        &[("tenant", "nord"), ("format", "csv"), ("code", "x")],
        Some(("x.csv", csv)),
        false,
    )
    .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN, "no CSRF token");
    let response = upload(
        &app,
        &admin,
        &[("tenant", "nord"), ("format", "csv"), ("code", "x")],
        None,
        true,
    )
    .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "no file");
    assert!(app
        .store
        .frameworks(TenantScope::system(nord.id))
        .await
        .unwrap()
        .is_empty());
}
