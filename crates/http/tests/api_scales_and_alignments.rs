#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Proficiency scales of a member company, and the loop from an xAPI statement about an aligned
//! activity to evidence in a person's competency profile.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method};
use common::*;
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::{json, Value};

fn dqr() -> Value {
    let levels: Vec<Value> = (1..=8)
        .map(|n| {
            json!({
                "value": n,
                "label": {"de": format!("Niveau {n}"), "en": format!("Level {n}")},
                "descriptor": {"de": "", "en": ""},
                "on_default_scale": f64::from(n - 1) * 4.0 / 7.0,
            })
        })
        .collect();
    json!({"name": {"de": "DQR", "en": "German Qualifications Framework"}, "levels": levels})
}

#[tokio::test]
async fn a_company_adds_its_own_scale() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let anna = app.login(&nord, "anna@nord.example").await;
    let path = "/api/v1/tenants/nord/proficiency-scales";

    let listed = app.get(path, &anna).await;
    assert_eq!(listed.status, 200, "{}", listed.text());
    let scales = listed.json();
    assert_eq!(scales.as_array().unwrap().len(), 1);
    assert_eq!(scales[0]["id"], Value::Null, "the built-in default scale");
    assert_eq!(scales[0]["levels"].as_array().unwrap().len(), 5);
    assert_eq!(
        scales[0]["levels"][4]["label"]["en"],
        "Expert (can guide others)"
    );

    assert_eq!(app.post_json(path, &anna, &dqr()).await.status, 403);
    let created = app.post_json(path, &lnd, &dqr()).await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["levels"][7]["on_default_scale"], 4.0);
    let scales = app.get(path, &anna).await.json();
    assert_eq!(scales.as_array().unwrap().len(), 2);
    assert_eq!(scales[1]["name"]["en"], "German Qualifications Framework");

    // The last level must map to 4: refused with the reason, nothing stored.
    let mut lopsided = dqr();
    lopsided["levels"][7]["on_default_scale"] = json!(3.0);
    let refused = app.post_json(path, &lnd, &lopsided).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.error_code(), "validation_failed");
    assert!(
        refused.text().contains("mapped") || refused.text().contains("map"),
        "{}",
        refused.text()
    );
    let mut out_of_range = dqr();
    out_of_range["levels"][0]["on_default_scale"] = json!(-1);
    assert_eq!(app.post_json(path, &lnd, &out_of_range).await.status, 422);
    assert_eq!(
        app.get(path, &anna).await.json().as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn a_statement_about_an_aligned_activity_becomes_evidence_in_the_profile() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    let till =
        competency_fixture::competency_id(&*app.store, scope, competency_fixture::TILL).await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let anna_session = app.login(&nord, "anna@nord.example").await;
    let course = "https://lernen.nord.example/kurse/kasse-grundlagen";

    // Aligning needs the right to manage frameworks, a visible competency and an IRI.
    let alignments = "/api/v1/tenants/nord/activity-alignments";
    let alignment = json!({"activity_id": course, "competency_id": till, "level": 3});
    assert_eq!(
        app.put_json(alignments, &anna_session, &alignment)
            .await
            .status,
        403
    );
    let bad = json!({"activity_id": "kasse", "competency_id": till, "level": 3});
    assert_eq!(app.put_json(alignments, &lnd, &bad).await.status, 422);
    let response = app.put_json(alignments, &lnd, &alignment).await;
    assert_eq!(response.status, 204, "{}", response.text());

    // A content package reports a pass to the LRS.
    let client = app.credential(&nord, &[Scope::StatementsWrite]).await;
    let statement = json!({
        "actor": {"mbox": "mailto:anna@nord.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "object": {"id": course, "definition": {"name": {"de-DE": "Kasse Grundlagen"}}},
        "result": {"success": true, "score": {"scaled": 0.9}}
    });
    let request = TestApp::request(Method::POST, "/xapi/statements", &client)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-experience-api-version", "1.0.3")
        .body(Body::from(statement.to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, 200);

    // The change feed's reader (a task of `mycel serve`) turns it into evidence.
    let added = mycel_app::statement_evidence::catch_up(&*app.store, scope)
        .await
        .unwrap();
    assert_eq!(added, 1);
    let profile = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/competency-profile", anna.id),
            &anna_session,
        )
        .await;
    assert_eq!(profile.status, 200, "{}", profile.text());
    let text = profile.text();
    assert!(text.contains("Kasse Grundlagen"), "{text}");
    assert!(text.contains("\"statement\""), "{text}");
    let body = profile.json();
    let entry = body["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["competency"]["id"] == json!(till))
        .unwrap_or_else(|| panic!("the till skill is in the profile: {body}"));
    assert_eq!(entry["estimate"]["level"], 3.0, "{entry}");
}
