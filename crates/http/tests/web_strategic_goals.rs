//! Strategic goals of org units and the company's path planning objective: an L&D admin sets a
//! goal on a parent unit through the page; a person in a child unit gets the gap with the goal's
//! reason on "My skills" and on their path (in their language), and L&D sees it in the aggregated
//! gaps; learners cannot set goals; bad input is refused with the field at fault and nothing is
//! stored; choosing "least cost" makes the path take the cheaper of two courses. Runs on SQLite,
//! or PostgreSQL with `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::http::StatusCode;
use common::*;
use competency_fixture::{FORKLIFT, TILL};
use mycel_organisation::{AccessRole, Scope};
use mycel_store::{NewPerson, TenantScope};
use serde_json::{json, Value};

const REASON: &str = "Digitalisierung der Filialen 2027";

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

fn course(title: &str, minutes: u32, cents: u64, teaches: &str) -> Value {
    json!({
        "modality": "video",
        "title": {"de": title, "en": title},
        "description": {"de": "", "en": ""},
        "content_language": "de",
        "duration_minutes": minutes,
        "cost": {"cents": cents, "currency": "EUR"},
        "alignments": [{"competency_id": teaches, "level": 3.0}],
        "link": "https://media.example.com/lernvideo",
    })
}

fn step_ids(page: &str) -> Vec<String> {
    page.match_indices("id=\"step-")
        .map(|(i, _)| page[i + 9..i + 45].to_owned())
        .collect()
}

#[tokio::test]
async fn a_goal_on_a_parent_unit_reaches_people_below_with_its_reason() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let forklift = competency_fixture::competency_id(&*app.store, scope, FORKLIFT).await;
    let region = app.org_unit(&nord, "Region Nord", None).await;
    let market = app.org_unit(&nord, "Markt Kiel", Some(region.id)).await;
    let office = app.org_unit(&nord, "Zentrale", None).await;
    app.person(
        &nord,
        "lena@nord.example",
        AccessRole::LndAdmin,
        Some(region.id),
    )
    .await;
    let anna = app
        .person(
            &nord,
            "anna@nord.example",
            AccessRole::Learner,
            Some(market.id),
        )
        .await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let till_course = published(
        &app,
        &admin,
        course("Kasse kompakt", 90, 0, &till.to_string()),
    )
    .await;

    // Lena, L&D admin of the region, finds the page from the team page and the till by a search.
    let lena = app.login(&nord, "lena@nord.example").await;
    let team = app.get("/team", &lena).await;
    assert!(
        team.text().contains("href=\"/admin/strategic-goals\""),
        "{}",
        team.text()
    );
    let page = app
        .get(
            &format!("/admin/strategic-goals?unit={}&q=cash", region.id),
            &lena,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("Markt Kiel") && text.contains("Zentrale"),
        "{text}"
    );
    assert!(text.contains(&format!("id=\"add-{till}\"")), "{text}");
    // A unit L&D admin does not choose the company's planning objective.
    assert!(!text.contains("id=\"path-objective\""), "{text}");

    let created = app
        .post_form(
            "/admin/strategic-goals",
            cookies(&lena),
            &[
                ("unit", &region.id.to_string()),
                ("competency_id", &till.to_string()),
                ("target", "3"),
                ("reason", REASON),
                ("due", "2027-12-31"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    assert!(created.location().unwrap().contains("saved=goal"));

    // The API lists it on the region (not on the market: it applies there, but is set above).
    let listed = app
        .get(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                region.id
            ),
            &lena,
        )
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    let goals = listed.json();
    assert_eq!(goals.as_array().unwrap().len(), 1, "{goals}");
    assert_eq!(goals[0]["competency_id"], till.to_string());
    assert_eq!(goals[0]["target_level"], 3.0);
    assert_eq!(goals[0]["reason"], REASON);
    assert_eq!(goals[0]["due"], "2027-12-31");
    let market_goals = app
        .get(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                market.id
            ),
            &lena,
        )
        .await;
    assert_eq!(market_goals.json(), json!([]));

    // Lena's grant does not reach the office: refused, nothing stored.
    let outside = app
        .post_form(
            "/admin/strategic-goals",
            cookies(&lena),
            &[
                ("unit", &office.id.to_string()),
                ("competency_id", &till.to_string()),
                ("target", "2"),
                ("reason", "Zentrale digital"),
                ("due", ""),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    // A goal on the market nothing in the catalogue teaches stays an open gap of the path.
    let forklift_goal = app
        .post_json(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                market.id
            ),
            &lena,
            &json!({"competency_id": forklift, "target_level": 2.0, "reason": "Neues Lager"}),
        )
        .await;
    assert_eq!(
        forklift_goal.status,
        StatusCode::CREATED,
        "{}",
        forklift_goal.text()
    );

    // Anna, in the market below the region, has the gap with the reason on "My skills" …
    let login = app.login(&nord, "anna@nord.example").await;
    let skills = app.get("/skills", &login).await;
    assert_eq!(skills.status, StatusCode::OK);
    let text = skills.text();
    assert!(
        text.contains(&format!("strategic goal of Region Nord: {REASON}")),
        "{text}"
    );
    assert!(
        text.contains("strategic goal of Markt Kiel: Neues Lager"),
        "{text}"
    );
    // … on her path: the till course closes it, and says why; the forklift stays open, with why.
    let path = app.get("/learn/path", &login).await;
    assert_eq!(path.status, StatusCode::OK, "{}", path.text());
    let text = path.text();
    assert_eq!(step_ids(&text), vec![till_course.clone()], "{text}");
    let step = &text[text.find(&format!("id=\"step-{till_course}\"")).unwrap()..];
    let step = &step[..step.find("</li>").unwrap()];
    assert!(
        step.contains(&format!("strategic goal of Region Nord: {REASON}")),
        "{step}"
    );
    let open = &text[text.find("id=\"path-open-gaps\"").unwrap()..];
    assert!(
        open.contains("strategic goal of Markt Kiel: Neues Lager"),
        "{open}"
    );
    assert!(
        text.contains("Planned for the least learning time"),
        "{text}"
    );
    // … in the API's profile, with the goals behind the sources …
    let profile = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/competency-profile", anna.id),
            &login,
        )
        .await
        .json();
    let gap = profile["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["competency_id"] == till.to_string())
        .unwrap()
        .clone();
    assert_eq!(
        gap["sources"],
        json!([{"type": "strategic", "org_unit_id": region.id}])
    );
    assert_eq!(gap["required"], true);
    assert_eq!(
        profile["strategic_goals"][0]["org_unit_name"],
        "Region Nord"
    );
    assert_eq!(profile["strategic_goals"][0]["goal"]["reason"], REASON);
    // … and in German once she chooses it.
    let switched = app
        .post_form(
            "/language",
            cookies(&login),
            &[("lang", "de"), ("back", "/skills")],
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    let skills = app.get("/skills", &login).await.text();
    assert!(
        skills.contains(&format!("strategisches Ziel von Region Nord: {REASON}")),
        "{skills}"
    );
    let path = app.get("/learn/path", &login).await.text();
    assert!(
        path.contains(&format!("strategisches Ziel von Region Nord: {REASON}")),
        "{path}"
    );

    // A learner sets no goals, neither on the page nor through the API; nothing is stored.
    let refused = app
        .post_form(
            "/admin/strategic-goals",
            cookies(&login),
            &[
                ("unit", &market.id.to_string()),
                ("competency_id", &till.to_string()),
                ("target", "4"),
                ("reason", "Ich will"),
                ("due", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = app
        .post_json(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                region.id
            ),
            &login,
            &json!({"competency_id": till, "target_level": 4.0, "reason": "Ich will"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert_eq!(refused.error_code(), "forbidden");
    let goal_id = goals[0]["id"].as_str().unwrap();
    let refused = app
        .put_json(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals/{goal_id}",
                region.id
            ),
            &login,
            &json!({"target_level": 1.0, "reason": "weniger"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let still = app
        .get(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                region.id
            ),
            &lena,
        )
        .await
        .json();
    assert_eq!(still, goals);

    // L&D sees the goal in the region's aggregated gaps once the group is large enough.
    for n in 0..4 {
        app.store
            .create_person(
                scope,
                NewPerson {
                    display_name: format!("Kollege {n}"),
                    org_unit_id: Some(market.id),
                    ..NewPerson::default()
                },
            )
            .await
            .unwrap();
    }
    let report = app
        .get(
            &format!(
                "/api/v1/tenants/nord/competency-gaps?org_unit={}",
                region.id
            ),
            &lena,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text());
    let report = report.json();
    // Lena (in the region herself), Anna and four colleagues in the market.
    assert_eq!(report["status"], "report", "{report}");
    assert_eq!(report["people"], 6);
    let row = report["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["competency"]["id"] == till.to_string())
        .unwrap_or_else(|| panic!("the till in {report}"));
    assert_eq!(row["people_with_target"], 6);
    assert_eq!(row["people_below_target"], 6);
    assert_eq!(row["mean_target"], 3.0);

    // Changing and deleting through the page.
    let changed = app
        .post_form(
            &format!("/admin/strategic-goals/{goal_id}"),
            cookies(&lena),
            &[
                ("unit", &region.id.to_string()),
                ("action", "save"),
                ("target", "2"),
                ("reason", "Digitalisierung 2028"),
                ("due", ""),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text());
    let read = app
        .get(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                region.id
            ),
            &lena,
        )
        .await
        .json();
    assert_eq!(read[0]["target_level"], 2.0);
    assert_eq!(read[0]["reason"], "Digitalisierung 2028");
    assert_eq!(read[0]["due"], Value::Null);
    let deleted = app
        .post_form(
            &format!("/admin/strategic-goals/{goal_id}"),
            cookies(&lena),
            &[("unit", &region.id.to_string()), ("action", "delete")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.text());
    let skills = app.get("/skills", &login).await.text();
    assert!(!skills.contains("Digitalisierung"), "{skills}");
    app.finish().await;
}

#[tokio::test]
async fn bad_goals_are_refused_with_the_field_at_fault_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let sued = app.tenant("sued").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let region = app.org_unit(&nord, "Region Nord", None).await;
    let sued_region = app.org_unit(&sued, "Region Süd", None).await;
    let admin = app.credential(&nord, &[Scope::OrgWrite]).await;
    let goals = format!(
        "/api/v1/tenants/nord/org-units/{}/strategic-goals",
        region.id
    );

    for (body, field) in [
        (
            json!({"competency_id": till, "target_level": 5.0, "reason": REASON}),
            "target_level",
        ),
        (
            json!({"competency_id": till, "target_level": -1.0, "reason": REASON}),
            "target_level",
        ),
        (
            json!({"competency_id": uuid::Uuid::now_v7(), "target_level": 2.0, "reason": REASON}),
            "competency_id",
        ),
        (
            json!({"competency_id": till, "target_level": 2.0, "reason": "  "}),
            "reason",
        ),
        (
            json!({"competency_id": till, "target_level": 2.0, "reason": "x".repeat(201)}),
            "reason",
        ),
        (
            json!({"competency_id": till, "target_level": 2.0, "reason": REASON, "due": "1800-01-01"}),
            "due",
        ),
    ] {
        let refused = app.post_json(&goals, &admin, &body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            refused.text()
        );
        assert_eq!(
            refused.json()["error"]["field"],
            field,
            "{}",
            refused.text()
        );
    }
    // Not JSON of the right shape: the common error body.
    let refused = app
        .post_json(
            &goals,
            &admin,
            &json!({"competency_id": till, "target_level": "hoch"}),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.text());
    assert!(!refused.error_code().is_empty());
    // The unit of another company is not found, whether it is named under this company or not.
    let foreign = app
        .post_json(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                sued_region.id
            ),
            &admin,
            &json!({"competency_id": till, "target_level": 2.0, "reason": REASON}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.text());
    let foreign = app
        .post_json(
            &format!(
                "/api/v1/tenants/sued/org-units/{}/strategic-goals",
                sued_region.id
            ),
            &admin,
            &json!({"competency_id": till, "target_level": 2.0, "reason": REASON}),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.text());
    assert_eq!(app.get(&goals, &admin).await.json(), json!([]));
    assert!(app
        .store
        .tenant_strategic_goals(TenantScope::system(sued.id))
        .await
        .unwrap()
        .is_empty());

    // One goal per unit and competency.
    let created = app
        .post_json(
            &goals,
            &admin,
            &json!({"competency_id": till, "target_level": 2.0, "reason": REASON}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let again = app
        .post_json(
            &goals,
            &admin,
            &json!({"competency_id": till, "target_level": 3.0, "reason": "nochmal"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    // A change with a bad level changes nothing.
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let bad = app
        .put_json(
            &format!("{goals}/{id}"),
            &admin,
            &json!({"target_level": 4.5, "reason": "mehr"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["field"], "target_level");
    let listed = app.get(&goals, &admin).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["target_level"], 2.0);
    assert_eq!(listed[0]["reason"], REASON);
    // Deleting it twice: the second time it is gone.
    let gone = app
        .send(
            TestApp::request(axum::http::Method::DELETE, &format!("{goals}/{id}"), &admin)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = app
        .send(
            TestApp::request(axum::http::Method::DELETE, &format!("{goals}/{id}"), &admin)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The planning objective: only `time` or `cost`.
    let bad = app
        .put_json(
            "/api/v1/tenants/nord/path-planning",
            &admin,
            &json!({"objective": "cheap"}),
        )
        .await;
    assert!(bad.status.is_client_error(), "{}", bad.text());
    let read = app.get("/api/v1/tenants/nord/path-planning", &admin).await;
    assert_eq!(read.json(), json!({"objective": "time"}));
    app.finish().await;
}

#[tokio::test]
async fn the_cost_objective_makes_the_path_take_the_cheaper_course() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL).await;
    let region = app.org_unit(&nord, "Region Nord", None).await;
    app.person(&nord, "tom@nord.example", AccessRole::TenantAdmin, None)
        .await;
    app.person(
        &nord,
        "lena@nord.example",
        AccessRole::LndAdmin,
        Some(region.id),
    )
    .await;
    app.person(
        &nord,
        "anna@nord.example",
        AccessRole::Learner,
        Some(region.id),
    )
    .await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    // Two courses teach the till: one short and dear, one long and cheap.
    let short = published(
        &app,
        &admin,
        course("Kasse kompakt", 60, 50_000, &till.to_string()),
    )
    .await;
    let cheap = published(
        &app,
        &admin,
        course("Kasse im Selbststudium", 240, 1_000, &till.to_string()),
    )
    .await;
    let created = app
        .post_json(
            &format!(
                "/api/v1/tenants/nord/org-units/{}/strategic-goals",
                region.id
            ),
            &admin,
            &json!({"competency_id": till, "target_level": 3.0, "reason": REASON}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());

    // Least time, the default: the short course.
    let anna = app.login(&nord, "anna@nord.example").await;
    let path = app.get("/learn/path", &anna).await.text();
    assert_eq!(step_ids(&path), vec![short.clone()], "{path}");
    assert!(
        path.contains("Planned for the least learning time"),
        "{path}"
    );

    // An L&D admin of one unit may not change the company's objective; a learner neither.
    let lena = app.login(&nord, "lena@nord.example").await;
    let refused = app
        .post_form(
            "/admin/path-objective",
            cookies(&lena),
            &[("objective", "cost")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = app
        .put_json(
            "/api/v1/tenants/nord/path-planning",
            &anna,
            &json!({"objective": "cost"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let path = app.get("/learn/path", &anna).await.text();
    assert_eq!(step_ids(&path), vec![short.clone()], "{path}");

    // The company admin chooses least cost on the page: the cheap course instead.
    let tom = app.login(&nord, "tom@nord.example").await;
    let page = app.get("/admin/strategic-goals", &tom).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("id=\"path-objective\""));
    let bad = app
        .post_form(
            "/admin/path-objective",
            cookies(&tom),
            &[("objective", "cheap")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let chosen = app
        .post_form(
            "/admin/path-objective",
            cookies(&tom),
            &[("objective", "cost")],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.text());
    let read = app.get("/api/v1/tenants/nord/path-planning", &admin).await;
    assert_eq!(read.json(), json!({"objective": "cost"}));
    let path = app.get("/learn/path", &anna).await.text();
    assert_eq!(step_ids(&path), vec![cheap.clone()], "{path}");
    assert!(path.contains("Planned for the least cost"), "{path}");

    // And back through the API.
    let back = app
        .put_json(
            "/api/v1/tenants/nord/path-planning",
            &admin,
            &json!({"objective": "time"}),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text());
    assert_eq!(back.json(), json!({"objective": "time"}));
    let path = app.get("/learn/path", &anna).await.text();
    assert_eq!(step_ids(&path), vec![short], "{path}");
    app.finish().await;
}
