//! "For you": a person with a role gap is recommended what teaches it beyond their path, with the
//! reason; what colleagues in the role completed and rated well rises above the rest (ratings
//! from the opportunity page and from another system's statements; averages only from three
//! raters on); "not interested" removes a recommendation until it is taken back; completed and
//! path steps are never recommended; nobody else reads a person's recommendations or feedback;
//! bad feedback and ratings are refused with nothing stored. SQLite, or PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::*;
use competency_fixture::{SHELVES, TILL};
use mycel_app::organisation as org;
use mycel_app::Acting;
use mycel_competency::scale::Level;
use mycel_competency::RequirementKind;
use mycel_organisation::{AccessRole, Person, RoleAssignmentKind, Scope, Tenant};
use mycel_store::catalogue::CompletionRecord;
use mycel_store::competencies::RoleRequirement;
use mycel_store::{Actor, AuditQuery, TenantScope};
use serde_json::{json, Value};

async fn published(app: &TestApp, admin: &Auth, body: Value) -> String {
    let created = app
        .post_json("/api/v1/tenants/nord/opportunities", admin, &body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let published = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{id}/lifecycle"),
            admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert!(published.status.is_success(), "{}", published.text());
    id
}

fn offer(modality: &str, title: &str, minutes: u32, teaches: &str, level: f64) -> Value {
    json!({
        "modality": modality,
        "title": {"de": title, "en": title},
        "description": {"de": "", "en": ""},
        "content_language": "de",
        "duration_minutes": minutes,
        "alignments": [{"competency_id": teaches, "level": level}],
        "link": "https://media.example.com/lernen",
    })
}

/// A company "nord" with the ESCO-like fixture, a role "Kasse" that requires operating the till
/// at level 3, and an API client for the catalogue.
struct World {
    app: TestApp,
    tenant: Tenant,
    scope: TenantScope,
    admin: Auth,
    role: mycel_organisation::Role,
    till: String,
    shelves: String,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let tenant = app.tenant("nord").await;
        let scope = TenantScope::system(tenant.id);
        competency_fixture::import(&*app.store).await;
        let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
        let shelves = competency_fixture::competency_id(&*app.store, scope, SHELVES).await;
        let admin = app.credential(&tenant, &[Scope::All]).await;
        let role = org::create_role(&*app.store, Acting::Operator, scope, "Kasse", None)
            .await
            .unwrap();
        mycel_app::competencies::set_role_profile(
            &*app.store,
            Acting::Operator,
            scope,
            role.id,
            &[RoleRequirement {
                competency_id: till,
                kind: RequirementKind::Required,
                target: Level::new(3.0).unwrap(),
            }],
        )
        .await
        .unwrap();
        Self {
            app,
            tenant,
            scope,
            admin,
            role,
            till: till.to_string(),
            shelves: shelves.to_string(),
        }
    }

    /// A learner holding the role.
    async fn cashier(&self, email: &str) -> Person {
        self.cashier_of(email, None).await
    }

    /// A learner holding the role, with a manager.
    async fn cashier_of(&self, email: &str, manager: Option<&Person>) -> Person {
        let person = self
            .app
            .person_with(
                &self.tenant,
                email,
                AccessRole::Learner,
                None,
                manager.map(|m| m.id),
            )
            .await;
        org::assign_role(
            &*self.app.store,
            Acting::Operator,
            self.scope,
            person.id,
            self.role.id,
            RoleAssignmentKind::Current,
        )
        .await
        .unwrap();
        person
    }

    async fn completed(&self, person: &Person, opportunity: &str) {
        self.app
            .store
            .record_completions(
                self.scope,
                &[CompletionRecord {
                    person_id: person.id,
                    opportunity_id: opportunity.parse().unwrap(),
                    completed_at: chrono::Utc::now(),
                    statement_id: format!("test-{}-{opportunity}", person.id),
                }],
            )
            .await
            .unwrap();
    }

    /// Another system's "rated" statement, read by the completions reader.
    async fn rated_elsewhere(&self, email: &str, opportunity: &str, stars: u32) {
        let client = self
            .app
            .credential(&self.tenant, &[Scope::StatementsWrite])
            .await;
        let statement = json!({
            "actor": {"mbox": format!("mailto:{email}")},
            "verb": {"id": "http://id.tincanapi.com/verb/rated"},
            "object": {"id": format!("https://lms.example.com/catalog/opportunities/{opportunity}")},
            "result": {"score": {"raw": stars, "min": 1, "max": 5}},
        });
        let request = TestApp::request(Method::POST, "/xapi/statements", &client)
            .header(header::CONTENT_TYPE, "application/json")
            .header("X-Experience-API-Version", "1.0.3")
            .body(Body::from(statement.to_string()))
            .unwrap();
        let stored = self.app.send(request).await;
        assert_eq!(stored.status, StatusCode::OK, "{}", stored.text());
        mycel_app::assignments::catch_up(&*self.app.store, self.scope)
            .await
            .unwrap();
    }

    async fn recommended(&self, person: &Person, auth: &Auth) -> Vec<Value> {
        let response = self
            .app
            .get(
                &format!("/api/v1/tenants/nord/people/{}/recommendations", person.id),
                auth,
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()["recommendations"]
            .as_array()
            .unwrap()
            .clone()
    }
}

fn ids(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|r| r["opportunity_id"].as_str().unwrap().to_owned())
        .collect()
}

fn position(list: &[String], id: &str) -> usize {
    list.iter()
        .position(|x| x == id)
        .unwrap_or_else(|| panic!("{id} is not recommended: {list:?}"))
}

#[tokio::test]
async fn gaps_and_colleagues_recommend_and_feedback_changes_what_comes_next() {
    let w = World::new().await;
    let app = &w.app;
    let anna = w.cashier("anna@nord.example").await;
    let peers = [
        w.cashier("ben@nord.example").await,
        w.cashier("carla@nord.example").await,
        w.cashier("dora@nord.example").await,
    ];

    // Two ways to learn the till: the path takes the short one; the long one is left for "for
    // you". Three more about shelves (no gap of Anna's), and one Anna completed.
    let short_till = published(
        app,
        &w.admin,
        offer("video", "Kasse kompakt", 60, &w.till, 3.0),
    )
    .await;
    let long_till = published(
        app,
        &w.admin,
        offer("document", "Kassenhandbuch", 600, &w.till, 3.0),
    )
    .await;
    let popular = published(
        app,
        &w.admin,
        offer("video", "Regale wie Profis", 30, &w.shelves, 2.0),
    )
    .await;
    let unpopular = published(
        app,
        &w.admin,
        offer("video", "Regale langweilig", 30, &w.shelves, 2.0),
    )
    .await;
    let plain = published(
        app,
        &w.admin,
        offer("video", "Regale neu", 30, &w.shelves, 2.0),
    )
    .await;
    let done = published(
        app,
        &w.admin,
        offer("video", "Regale erledigt", 30, &w.shelves, 2.0),
    )
    .await;
    w.completed(&anna, &done).await;

    // The colleagues completed the popular and the unpopular one, and rate them: two on the
    // opportunity page, the third from another system.
    let mut logins = Vec::new();
    for peer in &peers {
        w.completed(peer, &popular).await;
        w.completed(peer, &unpopular).await;
        logins.push(app.login(&w.tenant, peer.email.as_deref().unwrap()).await);
    }
    for (login, (good, bad)) in logins.iter().take(2).zip([("5", "1"), ("4", "2")]) {
        for (opportunity, stars) in [(&popular, good), (&unpopular, bad)] {
            let rated = app
                .post_form(
                    &format!("/catalog/opportunities/{opportunity}/rating"),
                    cookies(login),
                    &[("stars", stars)],
                )
                .await;
            assert_eq!(rated.status, StatusCode::SEE_OTHER, "{}", rated.text());
        }
    }
    // The rating became a statement in the LRS.
    let request = TestApp::request(
        Method::GET,
        "/xapi/statements?verb=http%3A%2F%2Fid.tincanapi.com%2Fverb%2Frated",
        &w.admin,
    )
    .header("X-Experience-API-Version", "1.0.3")
    .body(Body::empty())
    .unwrap();
    let statements = app.send(request).await.json();
    let statements = statements["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 4, "{statements:?}");
    assert!(statements
        .iter()
        .any(|s| s["result"]["score"]["raw"] == 5 && s["result"]["score"]["max"] == 5));

    // Two ratings: no average is shown yet (nobody's single rating shows).
    let anna_login = app.login(&w.tenant, "anna@nord.example").await;
    let page = app
        .get(&format!("/catalog/opportunities/{popular}"), &logins[0])
        .await
        .text();
    assert!(page.contains("id=\"rating-stars\""), "{page}");
    assert!(!page.contains("id=\"rating-summary\""), "{page}");
    w.rated_elsewhere("dora@nord.example", &popular, 5).await;
    w.rated_elsewhere("dora@nord.example", &unpopular, 1).await;
    let page = app
        .get(&format!("/catalog/opportunities/{popular}"), &anna_login)
        .await
        .text();
    assert!(page.contains("★ 4.7 from 3 ratings"), "{page}");
    assert!(
        !page.contains("id=\"rating-stars\""),
        "Anna did not complete it"
    );
    let ratings = app
        .get(
            &format!("/api/v1/tenants/nord/opportunities/{popular}/rating"),
            &logins[1],
        )
        .await
        .json();
    assert_eq!(ratings["mine"], 4);
    assert_eq!(ratings["count"], 3);
    assert_eq!(ratings["average"], 4.7);

    // Anna's recommendations: the long till course for her role gap first, then what colleagues
    // completed and liked above what they did not like and above what nobody completed. Neither
    // the path's step nor what she completed.
    let list = w.recommended(&anna, &anna_login).await;
    let order = ids(&list);
    assert_eq!(order[0], long_till, "{list:?}");
    assert_eq!(list[0]["reasons"][0]["kind"], "gap");
    assert_eq!(list[0]["reasons"][0]["competency_id"], w.till.as_str());
    assert_eq!(list[0]["reasons"][0]["current"], 0.0);
    assert_eq!(list[0]["reasons"][0]["target"], 3.0);
    assert_eq!(list[0]["reasons"][0]["source"], "role");
    assert!(position(&order, &popular) < position(&order, &unpopular));
    assert!(position(&order, &popular) < position(&order, &plain));
    let liked = &list[position(&order, &popular)];
    assert_eq!(liked["reasons"][0]["kind"], "peers");
    assert_eq!(liked["reasons"][0]["completed_by"], 3);
    assert_eq!(liked["reasons"][0]["average_rating"], 4.7);
    assert!(!order.contains(&short_till), "a step of the path");
    assert!(!order.contains(&done), "completed");

    // The same on "My learning", with the reasons in words.
    let learn = app.get("/learn", &anna_login).await.text();
    assert!(
        learn.contains(&format!("id=\"recommendation-{long_till}\"")),
        "{learn}"
    );
    assert!(
        learn.contains("where you are at level 0 of 3 needed for your role Kasse"),
        "{learn}"
    );
    assert!(
        learn.contains("3 colleagues in your role completed it (★ 4.7)"),
        "{learn}"
    );
    assert!(!learn.contains(&format!("id=\"recommendation-{short_till}\"")));
    // In German, with German decimals.
    let german = app
        .send(
            TestApp::request(Method::GET, "/learn", &anna_login)
                .header(header::ACCEPT_LANGUAGE, "de")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .text();
    assert!(
        german.contains("Sie sind auf Stufe 0, Ihre Rolle Kasse verlangt 3"),
        "{german}"
    );
    assert!(
        german.contains("3 Kolleginnen und Kollegen in Ihrer Rolle haben es abgeschlossen (★ 4,7)"),
        "{german}"
    );
    assert!(!learn.contains(&format!("id=\"recommendation-{done}\"")));

    // "Not interested" removes it, and it stays removed.
    let feedback = app
        .post_form(
            &format!("/learn/recommendations/{long_till}/feedback"),
            cookies(&anna_login),
            &[("kind", "not_interested")],
        )
        .await;
    assert_eq!(
        feedback.status,
        StatusCode::SEE_OTHER,
        "{}",
        feedback.text()
    );
    for _ in 0..2 {
        let learn = app.get("/learn", &anna_login).await.text();
        assert!(!learn.contains(&format!("id=\"recommendation-{long_till}\"")));
        assert!(learn.contains(&format!("id=\"recommendation-{popular}\"")));
    }
    assert!(!ids(&w.recommended(&anna, &anna_login).await).contains(&long_till));
    // "Already known" through the API; both are listed on the feedback page, newest first.
    let known = app
        .put_json(
            &format!(
                "/api/v1/tenants/nord/people/{}/recommendation-feedback/{plain}",
                anna.id
            ),
            &anna_login,
            &json!({"kind": "already_known"}),
        )
        .await;
    assert_eq!(known.status, StatusCode::NO_CONTENT, "{}", known.text());
    let listed = app
        .get(
            &format!(
                "/api/v1/tenants/nord/people/{}/recommendation-feedback",
                anna.id
            ),
            &anna_login,
        )
        .await
        .json();
    let kinds: Vec<(&str, &str)> = listed["feedback"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["opportunity_id"].as_str().unwrap(),
                f["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            (plain.as_str(), "already_known"),
            (long_till.as_str(), "not_interested")
        ]
    );
    let page = app
        .get("/learn/recommendations/feedback", &anna_login)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("Kassenhandbuch") && page.contains("Not interested"),
        "{page}"
    );
    assert!(page.contains(&format!("id=\"feedback-{plain}\"")), "{page}");

    // Taking it back brings it back; the other feedback stays.
    let undo = app
        .post_form(
            &format!("/learn/recommendations/{long_till}/feedback/delete"),
            cookies(&anna_login),
            &[],
        )
        .await;
    assert_eq!(undo.status, StatusCode::SEE_OTHER, "{}", undo.text());
    let order = ids(&w.recommended(&anna, &anna_login).await);
    assert_eq!(order[0], long_till);
    assert!(!order.contains(&plain));
    let removed = app
        .send(
            TestApp::request(
                Method::DELETE,
                &format!(
                    "/api/v1/tenants/nord/people/{}/recommendation-feedback/{plain}",
                    anna.id
                ),
                &anna_login,
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text());
    assert!(ids(&w.recommended(&anna, &anna_login).await).contains(&plain));
    let again = app
        .send(
            TestApp::request(
                Method::DELETE,
                &format!(
                    "/api/v1/tenants/nord/people/{}/recommendation-feedback/{plain}",
                    anna.id
                ),
                &anna_login,
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    w.app.finish().await;
}

#[tokio::test]
async fn recommendations_and_feedback_are_the_persons_own_and_bad_input_changes_nothing() {
    let w = World::new().await;
    let app = &w.app;
    let maria = app
        .person(&w.tenant, "maria@nord.example", AccessRole::Manager, None)
        .await;
    let anna = w.cashier_of("anna@nord.example", Some(&maria)).await;
    let ben = w.cashier("ben@nord.example").await;
    let course = published(
        app,
        &w.admin,
        offer("video", "Kasse kompakt", 60, &w.till, 3.0),
    )
    .await;
    let other = published(
        app,
        &w.admin,
        offer("document", "Kassenhandbuch", 600, &w.till, 3.0),
    )
    .await;
    // The path takes the short course; the longer ones are left for recommendations.
    let third = published(
        app,
        &w.admin,
        offer("classroom", "Kassentraining", 240, &w.till, 3.0),
    )
    .await;
    let anna_login = app.login(&w.tenant, "anna@nord.example").await;
    let ben_login = app.login(&w.tenant, "ben@nord.example").await;
    let feedback_of = |person: &Person| {
        format!(
            "/api/v1/tenants/nord/people/{}/recommendation-feedback",
            person.id
        )
    };
    let put = app
        .put_json(
            &format!("{}/{other}", feedback_of(&anna)),
            &anna_login,
            &json!({"kind": "not_interested"}),
        )
        .await;
    assert_eq!(put.status, StatusCode::NO_CONTENT, "{}", put.text());

    // Ben reads neither Anna's recommendations nor her feedback, nor gives feedback for her.
    let theirs = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/recommendations", anna.id),
            &ben_login,
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.text());
    let theirs = app.get(&feedback_of(&anna), &ben_login).await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.text());
    let forged = app
        .put_json(
            &format!("{}/{course}", feedback_of(&anna)),
            &ben_login,
            &json!({"kind": "not_interested"}),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.text());
    // A machine client with organisation read access sees them only if Anna shares her profile.
    let reader = app.credential(&w.tenant, &[Scope::OrgRead]).await;
    assert_eq!(
        app.get(&feedback_of(&anna), &reader).await.status,
        StatusCode::NOT_FOUND
    );
    w.app
        .store
        .set_profile_shared(w.scope, anna.id, true)
        .await
        .unwrap();
    let shared = app.get(&feedback_of(&anna), &reader).await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.text());
    assert_eq!(
        shared.json()["feedback"][0]["opportunity_id"],
        other.as_str()
    );
    // Still not Ben (a colleague, not her manager).
    assert_eq!(
        app.get(&feedback_of(&anna), &ben_login).await.status,
        StatusCode::FORBIDDEN
    );
    // Her manager now sees her recommendations (audited), but never her feedback.
    let maria_login = app.login(&w.tenant, "maria@nord.example").await;
    let hers = w.recommended(&anna, &maria_login).await;
    assert_eq!(ids(&hers), vec![third.clone()], "{hers:?}");
    assert_eq!(
        app.get(&feedback_of(&anna), &maria_login).await.status,
        StatusCode::FORBIDDEN
    );
    let audit = app
        .store
        .list_audit(w.scope, AuditQuery::default())
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.subject == Some(anna.id)
            && matches!(e.actor, Actor::Person(p) if p == maria.id)
            && e.action == "recommendations.read"),
        "{audit:?}"
    );
    assert!(
        audit.iter().any(|e| e.subject == Some(anna.id)
            && matches!(e.actor, Actor::Credential(_))
            && e.action == "recommendation-feedback.read"),
        "{audit:?}"
    );

    // Bad feedback: an unknown kind (API and page), an unknown opportunity. Nothing is stored.
    let bad = app
        .put_json(
            &format!("{}/{course}", feedback_of(&anna)),
            &anna_login,
            &json!({"kind": "maybe"}),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
    assert_eq!(bad.json()["error"]["field"], "kind");
    let bad = app
        .post_form(
            &format!("/learn/recommendations/{course}/feedback"),
            cookies(&anna_login),
            &[("kind", "maybe")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown = app
        .put_json(
            &format!(
                "{}/018f0000-0000-7000-8000-000000000000",
                feedback_of(&anna)
            ),
            &anna_login,
            &json!({"kind": "not_interested"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text());
    let listed = app.get(&feedback_of(&anna), &anna_login).await.json();
    assert_eq!(listed["feedback"].as_array().unwrap().len(), 1, "{listed}");

    // Bad ratings: 0 or 6 stars, or something Anna did not complete. Nothing is stored.
    w.completed(&anna, &course).await;
    let rating = format!("/api/v1/tenants/nord/opportunities/{course}/rating");
    for stars in [0, 6] {
        let bad = app
            .put_json(&rating, &anna_login, &json!({"stars": stars}))
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad.text()
        );
        assert_eq!(bad.json()["error"]["field"], "stars");
        let bad = app
            .post_form(
                &format!("/catalog/opportunities/{course}/rating"),
                cookies(&anna_login),
                &[("stars", &stars.to_string())],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let not_done = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{other}/rating"),
            &anna_login,
            &json!({"stars": 4}),
        )
        .await;
    assert_eq!(
        not_done.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        not_done.text()
    );
    assert_eq!(
        app.get(&rating, &anna_login).await.json()["mine"],
        Value::Null
    );
    let request = TestApp::request(
        Method::GET,
        "/xapi/statements?verb=http%3A%2F%2Fid.tincanapi.com%2Fverb%2Frated",
        &w.admin,
    )
    .header("X-Experience-API-Version", "1.0.3")
    .body(Body::empty())
    .unwrap();
    let statements = app.send(request).await.json();
    assert!(statements["statements"].as_array().unwrap().is_empty());
    // A good one is kept, and changed.
    for stars in [3, 4] {
        let good = app
            .put_json(&rating, &anna_login, &json!({"stars": stars}))
            .await;
        assert_eq!(good.status, StatusCode::OK, "{}", good.text());
        assert_eq!(good.json()["mine"], stars);
        assert_eq!(good.json()["count"], Value::Null, "one rating is not shown");
    }
    // A machine client rates nobody's behalf.
    let forged = app.put_json(&rating, &w.admin, &json!({"stars": 5})).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.text());
    let _ = ben;
    w.app.finish().await;
}
