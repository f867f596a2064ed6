//! The learning journal: an entry becomes a statement (without the private reflection) and weak
//! evidence; bad entries are refused with nothing written; a private entry is nobody else's; a
//! shared one is confirmed by the manager (stronger evidence); deleting voids the statement and
//! removes the evidence; nobody else can delete or confirm. SQLite, or PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use competency_fixture::TILL;
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::Value;

async fn experienced(app: &TestApp, admin: &Auth) -> Vec<Value> {
    let request = TestApp::request(
        Method::GET,
        "/xapi/statements?verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fexperienced",
        admin,
    )
    .header("X-Experience-API-Version", "1.0.3")
    .body(Body::empty())
    .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    response.json()["statements"].as_array().unwrap().clone()
}

async fn evidence_kinds(
    app: &TestApp,
    login: &Auth,
    person: mycel_organisation::PersonId,
) -> Vec<String> {
    let profile = app
        .get(
            &format!("/api/v1/tenants/nord/people/{person}/competency-profile"),
            login,
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text());
    let profile = profile.json();
    profile["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap().clone())
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn entry_ids(page: &str, prefix: &str) -> Vec<String> {
    page.match_indices(prefix)
        .map(|(i, _)| page[i + prefix.len()..i + prefix.len() + 36].to_owned())
        .collect()
}

#[tokio::test]
async fn a_journal_entry_is_evidence_private_until_shared_and_confirmed_by_the_manager() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let maria = app
        .person(&nord, "maria@nord.example", AccessRole::Learner, None)
        .await;
    let anna = app
        .person_with(
            &nord,
            "anna@nord.example",
            AccessRole::Learner,
            None,
            Some(maria.id),
        )
        .await;
    app.person(&nord, "ben@nord.example", AccessRole::Learner, None)
        .await;
    app.store
        .set_profile_shared(scope, anna.id, true)
        .await
        .unwrap();
    let anna_login = app.login(&nord, "anna@nord.example").await;
    let maria_login = app.login(&nord, "maria@nord.example").await;
    let ben_login = app.login(&nord, "ben@nord.example").await;
    let today = chrono::Utc::now().date_naive().to_string();
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::TimeDelta::days(1)).to_string();

    // Bad entries are refused and write nothing.
    let till_id = till.to_string();
    for (title, day, minutes) in [
        ("", today.as_str(), "30"),
        ("Kasse", today.as_str(), "0"),
        ("Kasse", tomorrow.as_str(), "30"),
    ] {
        let refused = app
            .post_form(
                "/learn/journal",
                cookies(&anna_login),
                &[
                    ("title", title),
                    ("learned_on", day),
                    ("minutes", minutes),
                    ("competency_id", &till_id),
                    ("level", "2"),
                ],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{title} {day} {minutes}"
        );
    }
    assert!(app
        .store
        .journal_entries(scope, anna.id)
        .await
        .unwrap()
        .is_empty());
    assert!(experienced(&app, &admin).await.is_empty());

    // A private entry: a statement without the reflection, and weak evidence.
    let created = app
        .post_form(
            "/learn/journal",
            cookies(&anna_login),
            &[
                ("title", "Kassenabschluss allein gemacht"),
                ("learned_on", &today),
                ("minutes", "45"),
                ("competency_id", &till_id),
                ("level", "2"),
                ("reflection", "Beim Zählen war ich unsicher."),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let page = app.get("/learn/journal", &anna_login).await.text();
    let ids = entry_ids(&page, "id=\"entry-");
    assert_eq!(ids.len(), 1, "{page}");
    let entry = ids[0].clone();
    let statements = experienced(&app, &admin).await;
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0]["result"]["duration"], "PT45M");
    assert!(
        !statements[0].to_string().contains("unsicher"),
        "the reflection stays private"
    );
    assert_eq!(
        evidence_kinds(&app, &anna_login, anna.id).await,
        vec!["journal"]
    );

    // Private: the manager sees nothing to confirm, and cannot confirm it.
    let team_page = app
        .get(&format!("/team/people/{}/skills", anna.id), &maria_login)
        .await;
    assert_eq!(team_page.status, StatusCode::OK, "{}", team_page.text());
    assert!(!team_page.text().contains("journal-to-confirm"));
    let confirm = format!("/team/people/{}/journal/{entry}/confirm", anna.id);
    assert_eq!(
        app.post_form(&confirm, cookies(&maria_login), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Shared: the manager confirms; the evidence gets stronger.
    let shared = app
        .post_form(
            &format!("/learn/journal/{entry}/share"),
            cookies(&anna_login),
            &[("shared", "true")],
        )
        .await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER);
    let team_page = app
        .get(&format!("/team/people/{}/skills", anna.id), &maria_login)
        .await
        .text();
    assert!(
        team_page.contains(&format!("shared-entry-{entry}")),
        "{team_page}"
    );
    // Ben is not her manager: nothing to confirm.
    assert_eq!(
        app.post_form(&confirm, cookies(&ben_login), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let confirmed = app.post_form(&confirm, cookies(&maria_login), &[]).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.text()
    );
    let mut kinds = evidence_kinds(&app, &anna_login, anna.id).await;
    kinds.sort();
    assert_eq!(kinds, vec!["journal", "manager_assessment"]);
    // Confirmed once only: a second confirmation is a conflict.
    assert_eq!(
        app.post_form(&confirm, cookies(&maria_login), &[])
            .await
            .status,
        StatusCode::CONFLICT
    );
    let page = app.get("/learn/journal", &anna_login).await.text();
    assert!(page.contains("maria"), "confirmed by Maria: {page}");

    // Only Anna deletes it: its evidence goes, its statement is voided.
    let delete = format!("/learn/journal/{entry}/delete");
    assert_eq!(
        app.post_form(&delete, cookies(&ben_login), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let deleted = app.post_form(&delete, cookies(&anna_login), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.text());
    assert!(evidence_kinds(&app, &anna_login, anna.id).await.is_empty());
    // The query now answers with the voiding statement only (xAPI includes statements that
    // refer to a matching one); the entry's own statement is voided.
    let left = experienced(&app, &admin).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(
        left[0]["verb"]["id"],
        "http://adlnet.gov/expapi/verbs/voided"
    );
    assert_eq!(left[0]["object"]["id"], statements[0]["id"]);
    assert!(app
        .store
        .journal_entries(scope, anna.id)
        .await
        .unwrap()
        .is_empty());
    app.finish().await;
}
