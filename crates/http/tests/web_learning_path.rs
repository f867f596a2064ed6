//! The learning path pages: a learner with a goal gets a path whose steps close it (with their
//! prerequisite first), each step says why; skipping a step plans around it, pinning keeps one,
//! moving changes the order; a gap nothing teaches is listed; completing a step moves the path on;
//! "My learning" shows the next steps. Runs on SQLite, or PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::http::StatusCode;
use common::*;
use competency_fixture::{FORKLIFT, SHELVES, TILL};
use mycel_organisation::{AccessRole, Scope};
use mycel_store::catalogue::CompletionRecord;
use mycel_store::TenantScope;
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

fn course(title: &str, minutes: u32, teaches: &str, level: f64) -> Value {
    json!({
        "modality": "video",
        "title": {"de": title, "en": title},
        "description": {"de": "", "en": ""},
        "content_language": "de",
        "duration_minutes": minutes,
        "alignments": [{"competency_id": teaches, "level": level}],
        "link": "https://media.example.com/lernvideo",
    })
}

fn step_ids(page: &str) -> Vec<String> {
    page.match_indices("id=\"step-")
        .map(|(i, _)| page[i + 9..i + 45].to_owned())
        .collect()
}

#[tokio::test]
async fn a_learner_walks_a_path_planned_from_their_gaps() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let shelves = competency_fixture::competency_id(&*app.store, scope, SHELVES).await;
    let forklift = competency_fixture::competency_id(&*app.store, scope, FORKLIFT).await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;

    // The catalogue: a long and a short till course; the short one needs shelf stocking first,
    // which a shelf course teaches. Nothing teaches the forklift.
    let long_till = published(
        &app,
        &admin,
        course("Kasse ausführlich", 600, &till.to_string(), 3.0),
    )
    .await;
    let mut short = course("Kasse kompakt", 90, &till.to_string(), 3.0);
    short["prerequisites"] =
        json!([{"kind": "competency", "competency_id": shelves, "level": 2.0}]);
    let short_till = published(&app, &admin, short).await;
    let shelf_course = published(
        &app,
        &admin,
        course("Regale einräumen", 60, &shelves.to_string(), 2.0),
    )
    .await;

    // Anna sets herself goals: the till at 3, the forklift at 2.
    let login = app.login(&nord, "anna@nord.example").await;
    for (competency, target) in [(till, "3"), (forklift, "2")] {
        let goal = app
            .post_form(
                "/skills/goals",
                cookies(&login),
                &[
                    ("competency_id", &competency.to_string()),
                    ("target", target),
                    ("due", ""),
                ],
            )
            .await;
        assert_eq!(goal.status, StatusCode::SEE_OTHER, "{}", goal.text());
    }

    // The path: the shelf course first (the short till course needs it), then the short till
    // course (150 minutes in all instead of 600); the forklift stays open.
    let page = app.get("/learn/path", &login).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert_eq!(
        step_ids(&text),
        vec![shelf_course.clone(), short_till.clone()],
        "{text}"
    );
    assert!(!text.contains(&long_till));
    assert!(text.contains("id=\"path-open-gaps\""));
    assert!(
        text.contains("Forklift")
            || text.contains("forklift")
            || text.contains(&forklift.to_string()),
        "{text}"
    );
    // Each step says why: the till step names the goal.
    assert!(
        text.contains("Ihr Lernziel") || text.contains("your learning goal"),
        "{text}"
    );

    // The same plan as JSON, for other tools.
    let api = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id),
            &login,
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.text());
    let api = api.json();
    assert_eq!(api["steps"][0]["opportunity_id"], shelf_course.as_str());
    assert_eq!(api["steps"][0]["required_by"][0], short_till.as_str());
    assert_eq!(
        api["steps"][1]["closes"][0]["competency_id"],
        till.to_string()
    );
    assert_eq!(api["steps"][1]["closes"][0]["to"], 3.0);
    assert_eq!(api["open_gaps"][0]["competency_id"], forklift.to_string());
    assert_eq!(api["open_gaps"][0]["reason"], "nothing-teaches-it");
    assert_eq!(api["total_minutes"], 150);

    // "My learning" shows the next steps.
    let learn = app.get("/learn", &login).await.text();
    assert!(
        learn.contains(&format!("/catalog/opportunities/{shelf_course}")),
        "{learn}"
    );

    // Skipping the short till course plans around it: the long one takes its place.
    let skipped = app
        .post_form(
            &format!("/learn/path/steps/{short_till}"),
            cookies(&login),
            &[("change", "skip")],
        )
        .await;
    assert_eq!(skipped.status, StatusCode::SEE_OTHER);
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(step_ids(&text), vec![long_till.clone()], "{text}");
    assert!(text.contains("id=\"path-skipped\""));
    // Taking it back, and pinning the shelf course: both steps again.
    for (id, change) in [(&short_till, "unskip"), (&shelf_course, "pin")] {
        let r = app
            .post_form(
                &format!("/learn/path/steps/{id}"),
                cookies(&login),
                &[("change", change)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(
        step_ids(&text),
        vec![shelf_course.clone(), short_till.clone()]
    );

    // A bad change is refused, and nothing changes.
    let bad = app
        .post_form(
            &format!("/learn/path/steps/{short_till}"),
            cookies(&login),
            &[("change", "teleport")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Completing the shelf course (its statement read into a completion) moves the path on.
    app.store
        .record_completions(
            scope,
            &[CompletionRecord {
                person_id: anna.id,
                opportunity_id: shelf_course.parse().unwrap(),
                completed_at: chrono::Utc::now(),
                statement_id: "test".into(),
            }],
        )
        .await
        .unwrap();
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(step_ids(&text), vec![short_till.clone()], "{text}");

    // L&D assigns the long till course: it is on the path, once, and it closes the till gap, so
    // the short course is no longer needed; it cannot be skipped.
    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{long_till}/assignments"),
            &admin,
            &json!({"person_ids": [anna.id], "due": "2031-03-31"}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(step_ids(&text), vec![long_till.clone()], "{text}");
    assert!(
        text.contains("31.03.2031") || text.contains("2031"),
        "{text}"
    );
    let api = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id),
            &login,
        )
        .await
        .json();
    assert_eq!(api["steps"][0]["assigned"], true);
    assert_eq!(api["steps"][0]["due"], "2031-03-31");
    let skip = app
        .post_form(
            &format!("/learn/path/steps/{long_till}"),
            cookies(&login),
            &[("change", "skip")],
        )
        .await;
    assert_eq!(
        skip.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        skip.text()
    );

    // The weekly budget: more than 40 hours a week is refused; a valid one is kept.
    let r = app
        .post_form(
            "/learn/path/preferences",
            cookies(&login),
            &[("weekly_minutes", "60"), ("languages", "de")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            "/learn/path/preferences",
            cookies(&login),
            &[("weekly_minutes", "99999"), ("languages", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = app.get("/learn/path", &login).await.text();
    assert!(text.contains("value=\"60\""), "{text}");
    app.finish().await;
}

#[tokio::test]
async fn short_opportunities_and_colleagues_help_in_the_flow_of_work() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let ben = app
        .person(&nord, "ben@nord.example", AccessRole::Learner, None)
        .await;
    let carla = app
        .person(&nord, "carla@nord.example", AccessRole::Learner, None)
        .await;
    let short = published(
        &app,
        &admin,
        course("Kasse in 20 Minuten", 20, &till.to_string(), 2.0),
    )
    .await;
    let long = published(
        &app,
        &admin,
        course("Kasse ausführlich", 600, &till.to_string(), 3.0),
    )
    .await;

    // Ben and Carla know the till well; only Ben shares his profile. Anna is a beginner.
    let estimate = |person, level: f64| mycel_store::competencies::EstimateRecord {
        person_id: person,
        competency_id: till,
        level: mycel_competency::scale::Level::new(level).unwrap(),
        confidence: 0.8,
        evidence_count: 3,
        computed_at: chrono::Utc::now(),
    };
    app.store
        .put_estimates(
            scope,
            &[
                estimate(ben.id, 3.5),
                estimate(carla.id, 4.0),
                estimate(anna.id, 0.5),
            ],
        )
        .await
        .unwrap();
    app.store
        .set_profile_shared(scope, ben.id, true)
        .await
        .unwrap();
    app.store
        .set_profile_shared(scope, anna.id, true)
        .await
        .unwrap();

    let login = app.login(&nord, "anna@nord.example").await;
    let answer = app
        .get(
            &format!("/api/v1/tenants/nord/help?competency={till}"),
            &login,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let answer = answer.json();
    let opportunities: Vec<&str> = answer["opportunities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        opportunities,
        vec![short.as_str()],
        "only the short one, not {long}"
    );
    let colleagues = answer["colleagues"].as_array().unwrap();
    assert_eq!(
        colleagues.len(),
        1,
        "Ben shares, Carla does not, Anna asks: {answer}"
    );
    assert_eq!(colleagues[0]["person_id"], ben.id.to_string());
    assert_eq!(colleagues[0]["level"], 3.5);

    // A question in words finds the competency.
    let asked = app
        .get(
            "/api/v1/tenants/nord/help?text=wie%20bediene%20ich%20die%20Registrierkasse&language=de",
            &login,
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.text());
    let asked = asked.json();
    assert_eq!(asked["competencies"][0]["id"], till.to_string(), "{asked}");
    assert_eq!(asked["colleagues"][0]["person_id"], ben.id.to_string());

    // Bad questions are refused; a machine client without org/read gets no colleagues.
    for query in [
        "",
        "?competency=018f0000-0000-7000-8000-000000000000&text=x",
        "?text=%20",
    ] {
        let r = app
            .get(&format!("/api/v1/tenants/nord/help{query}"), &login)
            .await;
        assert!(r.status.is_client_error(), "{query}: {}", r.status);
    }
    let catalogue_only = app.credential(&nord, &[Scope::CatalogueRead]).await;
    let machine = app
        .get(
            &format!("/api/v1/tenants/nord/help?competency={till}"),
            &catalogue_only,
        )
        .await
        .json();
    assert_eq!(machine["opportunities"].as_array().unwrap().len(), 1);
    assert!(machine["colleagues"].as_array().unwrap().is_empty());
    app.finish().await;
}
