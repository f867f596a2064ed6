//! Curated programs with required, optional and elective parts: an assigned program unfolds into
//! the learner's path in the program's order; the elective follows the learner's gaps and can be
//! switched; optional parts count only when added; a part the generated path wants too appears
//! once; completing the required parts and enough electives completes the program; bad program
//! structures are refused with the field and store nothing. And booking the session the path
//! planned, which moves to another session when its session is full or cancelled. Runs on
//! SQLite, or PostgreSQL with `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use chrono::{Duration, Utc};
use common::*;
use competency_fixture::{SHELVES, TILL};
use mycel_organisation::{AccessRole, Scope};
use mycel_store::catalogue::OpportunityListQuery;
use mycel_store::TenantScope;
use serde_json::{json, Value};

async fn created(app: &TestApp, admin: &Auth, body: Value) -> String {
    let created = app
        .post_json("/api/v1/tenants/nord/opportunities", admin, &body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    created.json()["id"].as_str().unwrap().to_owned()
}

async fn publish(app: &TestApp, admin: &Auth, id: &str) {
    let published = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{id}/lifecycle"),
            admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert!(published.status.is_success(), "{}", published.text());
}

async fn published(app: &TestApp, admin: &Auth, body: Value) -> String {
    let id = created(app, admin, body).await;
    publish(app, admin, &id).await;
    id
}

fn video(title: &str, minutes: u32, teaches: Option<(&str, f64)>) -> Value {
    json!({
        "modality": "video",
        "title": {"de": title, "en": title},
        "content_language": "de",
        "duration_minutes": minutes,
        "alignments": teaches
            .map(|(c, level)| vec![json!({"competency_id": c, "level": level})])
            .unwrap_or_default(),
        "link": "https://media.example.com/lernvideo",
    })
}

fn step_ids(page: &str) -> Vec<String> {
    page.match_indices("id=\"step-")
        .map(|(i, _)| page[i + 9..i + 45].to_owned())
        .collect()
}

/// The piece of the page about one step (its `<li>`).
fn step_html<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("id=\"step-{id}\"")).unwrap();
    let end = page[start..].find("</li>").unwrap();
    &page[start..start + end]
}

async fn set_goal(app: &TestApp, login: &Auth, competency: &str, target: &str) {
    let goal = app
        .post_form(
            "/skills/goals",
            cookies(login),
            &[
                ("competency_id", competency),
                ("target", target),
                ("due", ""),
            ],
        )
        .await;
    assert_eq!(goal.status, StatusCode::SEE_OTHER, "{}", goal.text());
}

/// A statement that the person completed an opportunity, as another system would send it.
async fn completed(app: &TestApp, client: &Auth, email: &str, opportunity: &str) {
    let statement = json!({
        "actor": {"mbox": format!("mailto:{email}")},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": format!("http://localhost/catalog/opportunities/{opportunity}")},
    });
    let request = TestApp::request(Method::POST, "/xapi/statements", client)
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Experience-API-Version", "1.0.3")
        .body(Body::from(statement.to_string()))
        .unwrap();
    let stored = app.send(request).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.text());
}

#[tokio::test]
async fn an_assigned_program_unfolds_into_the_path_and_is_completed_by_its_parts() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let shelves = competency_fixture::competency_id(&*app.store, scope, SHELVES)
        .await
        .to_string();
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let login = app.login(&nord, "anna@nord.example").await;

    // The program "Filialstart": an introduction, one of two shelf courses (the short one, or
    // the practice that teaches shelf stocking), an optional extra, and a final part.
    let intro = published(&app, &admin, video("Einführung", 30, None)).await;
    let short = published(&app, &admin, video("Regale kurz", 20, None)).await;
    let practice = published(
        &app,
        &admin,
        video("Regale Praxis", 90, Some((&shelves, 3.0))),
    )
    .await;
    let extra = published(&app, &admin, video("Warenkunde extra", 45, None)).await;
    let last = published(&app, &admin, video("Abschluss", 60, None)).await;
    let program = published(
        &app,
        &admin,
        json!({
            "modality": "blended",
            "title": {"de": "Filialstart", "en": "Branch start"},
            "content_language": "de",
            "parts": [
                intro,
                {"opportunity_id": short, "kind": "elective", "group": 0},
                {"opportunity_id": practice, "kind": "elective", "group": 0},
                {"opportunity_id": extra, "kind": "optional"},
                {"opportunity_id": last, "kind": "required"},
            ],
            "elective_groups": [{"label": {"de": "Regalpraxis", "en": "Shelf practice"}, "choose": 1}],
        }),
    )
    .await;
    // As stored: a plain id is a required part.
    let read = app
        .get(
            &format!("/api/v1/tenants/nord/opportunities/{program}"),
            &admin,
        )
        .await
        .json();
    assert_eq!(
        read["parts"][0],
        json!({"opportunity_id": intro, "kind": "required"})
    );
    assert_eq!(
        read["parts"][2],
        json!({"opportunity_id": practice, "kind": "elective", "group": 0})
    );
    assert_eq!(read["elective_groups"][0]["choose"], 1);
    // The opportunity page shows the structure.
    let page = app
        .get(&format!("/catalog/opportunities/{program}"), &login)
        .await
        .text();
    assert!(
        page.contains("Regalpraxis") || page.contains("Shelf practice"),
        "{page}"
    );
    assert!(
        page.contains("1 von 2") || page.contains("1 of 2"),
        "{page}"
    );
    assert!(page.contains("optional"), "{page}");

    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{program}/assignments"),
            &admin,
            &json!({"person_ids": [anna.id], "due": "2031-03-31"}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());

    // Without gaps: the required parts and the shortest elective, in the program's order; the
    // optional part is offered, not counted.
    let path_api = format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id);
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(
        step_ids(&text),
        vec![intro.clone(), short.clone(), last.clone()],
        "{text}"
    );
    assert!(
        step_html(&text, &short).contains("Filialstart")
            || step_html(&text, &short).contains("Branch start"),
        "{text}"
    );
    assert!(
        text.contains(&format!("id=\"program-{program}\"")),
        "{text}"
    );
    let api = app.get(&path_api, &login).await.json();
    assert_eq!(api["total_minutes"], 30 + 20 + 60, "{api}");
    assert_eq!(api["steps"][1]["part_of"], json!([program]));
    let states: Vec<(String, String)> = api["programs"][0]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["opportunity_id"].as_str().unwrap().to_owned(),
                p["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        states,
        vec![
            (intro.clone(), "step".to_owned()),
            (short.clone(), "step".to_owned()),
            (practice.clone(), "alternative".to_owned()),
            (extra.clone(), "offered".to_owned()),
            (last.clone(), "step".to_owned()),
        ]
    );

    // A gap in shelf stocking: the elective that teaches it is chosen. The generated path wants
    // it too: it appears once, with both reasons.
    set_goal(&app, &login, &shelves, "3").await;
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(
        step_ids(&text),
        vec![intro.clone(), practice.clone(), last.clone()],
        "{text}"
    );
    let api = app.get(&path_api, &login).await.json();
    let step = &api["steps"][1];
    assert_eq!(step["opportunity_id"], practice.as_str());
    assert_eq!(step["part_of"], json!([program]));
    assert_eq!(step["closes"][0]["competency_id"], shelves.as_str());
    assert_eq!(api["total_minutes"], 30 + 90 + 60);

    // Anna switches to the short course: the program takes it; the practice course stays on the
    // path once, for her gap only.
    let switch = |take: &str, instead: &str| {
        let (take, instead) = (take.to_owned(), instead.to_owned());
        let app = &app;
        let login = &login;
        let program = &program;
        async move {
            app.post_form(
                &format!("/learn/path/programs/{program}/electives"),
                cookies(login),
                &[("take", &take), ("instead", &instead)],
            )
            .await
        }
    };
    let switched = switch(&short, &practice).await;
    assert_eq!(
        switched.status,
        StatusCode::SEE_OTHER,
        "{}",
        switched.text()
    );
    let api = app.get(&path_api, &login).await.json();
    let steps: Vec<&Value> = api["steps"].as_array().unwrap().iter().collect();
    let position = |id: &str| steps.iter().position(|s| s["opportunity_id"] == id);
    assert!(position(&intro) < position(&short) && position(&short) < position(&last));
    let practice_step = steps[position(&practice).unwrap()];
    assert_eq!(practice_step["part_of"], json!([]));
    assert_eq!(
        steps
            .iter()
            .filter(|s| s["opportunity_id"] == practice.as_str())
            .count(),
        1
    );
    assert_eq!(api["programs"][0]["parts"][1]["state"], "step");
    assert_eq!(api["programs"][0]["parts"][2]["state"], "alternative");

    // An optional part is no elective: the switch is refused and nothing changes.
    let refused = switch(&extra, &short).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(app.get(&path_api, &login).await.json(), api);

    // Adding the optional part: a step after the elective, counted in the time.
    let added = app
        .post_form(
            &format!("/learn/path/steps/{extra}"),
            cookies(&login),
            &[("change", "pin")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let with_extra = app.get(&path_api, &login).await.json();
    assert_eq!(
        with_extra["total_minutes"].as_u64().unwrap(),
        api["total_minutes"].as_u64().unwrap() + 45
    );
    let ids: Vec<&str> = with_extra["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["opportunity_id"].as_str().unwrap())
        .collect();
    let at = |id: &str| ids.iter().position(|s| *s == id).unwrap();
    assert!(at(&short) < at(&extra) && at(&extra) < at(&last), "{ids:?}");

    // Completing the introduction and the chosen elective: done, not steps; the program is not
    // completed without its final part.
    let client = app.credential(&nord, &[Scope::StatementsWrite]).await;
    for id in [&intro, &short] {
        completed(&app, &client, "anna@nord.example", id).await;
    }
    assert_eq!(
        mycel_app::assignments::catch_up(&*app.store, scope)
            .await
            .unwrap(),
        2
    );
    let api = app.get(&path_api, &login).await.json();
    assert_eq!(api["programs"][0]["parts"][0]["state"], "done");
    assert_eq!(api["programs"][0]["parts"][1]["state"], "done");
    assert_eq!(
        api["programs"][0]["parts"][2]["state"], "alternative",
        "the group is complete"
    );
    let record = format!("/api/v1/tenants/nord/people/{}/learning", anna.id);
    assert_eq!(
        app.get(&record, &login).await.json()["assignments"][0]["status"],
        "open"
    );
    // The final part completes the program (recorded once).
    completed(&app, &client, "anna@nord.example", &last).await;
    assert_eq!(
        mycel_app::assignments::catch_up(&*app.store, scope)
            .await
            .unwrap(),
        2,
        "the part and the program"
    );
    let learning = app.get(&record, &login).await.json();
    assert_eq!(
        learning["assignments"][0]["opportunity_id"],
        program.as_str(),
        "{learning}"
    );
    assert_eq!(
        learning["assignments"][0]["status"], "completed",
        "{learning}"
    );
    let api = app.get(&path_api, &login).await.json();
    assert_eq!(api["programs"], json!([]), "{api}");
    app.finish().await;
}

#[tokio::test]
async fn a_part_the_learner_may_not_see_is_counted_not_named() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let login = app.login(&nord, "anna@nord.example").await;
    let first = published(&app, &admin, video("Grundlagen", 30, None)).await;
    let secret = published(&app, &admin, video("Geheimkurs Vorstand", 30, None)).await;
    let program = published(
        &app,
        &admin,
        json!({
            "modality": "blended",
            "title": {"de": "Programm", "en": "Program"},
            "content_language": "de",
            "parts": [first, {"opportunity_id": secret, "kind": "optional"}],
        }),
    )
    .await;
    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{program}/assignments"),
            &admin,
            &json!({"person_ids": [anna.id]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    let retired = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{secret}/lifecycle"),
            &admin,
            &json!({"lifecycle": "retired"}),
        )
        .await;
    assert!(retired.status.is_success(), "{}", retired.text());
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(step_ids(&text), vec![first.clone()], "{text}");
    assert!(!text.contains("Geheimkurs"), "{text}");
    assert!(!text.contains(&secret), "{text}");
    let api = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id),
            &login,
        )
        .await
        .json();
    assert_eq!(api["programs"][0]["unavailable_parts"], 1);
    assert_eq!(api["programs"][0]["parts"].as_array().unwrap().len(), 1);
    app.finish().await;
}

#[tokio::test]
async fn bad_program_structures_are_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    let admin = app.credential(&nord, &[Scope::All]).await;
    let a = published(&app, &admin, video("A", 30, None)).await;
    let b = published(&app, &admin, video("B", 30, None)).await;
    let program = |parts: Value, groups: Value| {
        json!({
            "modality": "blended",
            "title": {"de": "Programm", "en": "Program"},
            "content_language": "de",
            "parts": parts,
            "elective_groups": groups,
        })
    };
    let count = || async {
        app.store
            .list_opportunities(
                scope,
                OpportunityListQuery {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .len()
    };
    let before = count().await;
    let elective =
        |id: &str, group: u16| json!({"opportunity_id": id, "kind": "elective", "group": group});
    let label = json!({"de": "Wahl", "en": "Choice"});
    for (body, field, words) in [
        // k > n
        (
            program(
                json!([elective(&a, 0), elective(&b, 0)]),
                json!([{"label": label, "choose": 3}]),
            ),
            "elective_groups",
            "cannot choose 3 of its 2 parts",
        ),
        // k = 0
        (
            program(
                json!([elective(&a, 0), elective(&b, 0)]),
                json!([{"label": label, "choose": 0}]),
            ),
            "elective_groups",
            "cannot choose 0",
        ),
        // a group of one
        (
            program(
                json!([a, elective(&b, 0)]),
                json!([{"label": label, "choose": 1}]),
            ),
            "elective_groups",
            "needs at least two parts",
        ),
        // a group without a label
        (
            program(
                json!([elective(&a, 0), elective(&b, 0)]),
                json!([{"label": {"de": " ", "en": ""}, "choose": 1}]),
            ),
            "elective_groups",
            "label",
        ),
        // a part naming a group that does not exist
        (
            program(json!([a, elective(&b, 1)]), json!([])),
            "parts",
            "does not exist",
        ),
        // an unknown kind
        (
            program(
                json!([a, {"opportunity_id": b, "kind": "mandatory"}]),
                json!([]),
            ),
            "parts[1].kind",
            "required, optional",
        ),
    ] {
        let refused = app
            .post_json("/api/v1/tenants/nord/opportunities", &admin, &body)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.text()
        );
        let error = refused.json();
        assert_eq!(error["error"]["field"], field, "{error}");
        assert!(
            error["error"]["message"].as_str().unwrap().contains(words),
            "{error}"
        );
    }
    // An unknown part: refused, nothing written.
    let unknown = uuid::Uuid::now_v7().to_string();
    let refused = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &admin,
            &program(json!([a, unknown]), json!([])),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(count().await, before, "nothing is stored");

    // A change of a stored program to a bad structure leaves it as it was.
    let good = created(
        &app,
        &admin,
        program(
            json!([elective(&a, 0), elective(&b, 0)]),
            json!([{"label": label, "choose": 1}]),
        ),
    )
    .await;
    let url = format!("/api/v1/tenants/nord/opportunities/{good}");
    let stored = app.get(&url, &admin).await.json();
    let bad = app
        .put_json(
            &url,
            &admin,
            &program(
                json!([elective(&a, 0), elective(&b, 0)]),
                json!([{"label": label, "choose": 5}]),
            ),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bad.text()
    );
    assert_eq!(app.get(&url, &admin).await.json(), stored);
    // Only optional parts: it cannot be published.
    let optional = created(
        &app,
        &admin,
        program(
            json!([{"opportunity_id": a, "kind": "optional"}, {"opportunity_id": b, "kind": "optional"}]),
            json!([]),
        ),
    )
    .await;
    let refused = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{optional}/lifecycle"),
            &admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["error"]["field"], "parts");
    app.finish().await;
}

#[tokio::test]
async fn the_editor_writes_part_kinds_and_elective_groups() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    let admin = app.credential(&nord, &[Scope::All]).await;
    app.person(&nord, "lena@nord.example", AccessRole::LndAdmin, None)
        .await;
    let lena = app.login(&nord, "lena@nord.example").await;
    let a = published(&app, &admin, video("A", 30, None)).await;
    let b = published(&app, &admin, video("B", 30, None)).await;
    let c = published(&app, &admin, video("C", 30, None)).await;
    let form = |choose: &'static str| {
        vec![
            ("action", "save".to_owned()),
            ("modality", "blended".to_owned()),
            ("title_de", "Programm".to_owned()),
            ("title_en", "Program".to_owned()),
            ("content_language", "de".to_owned()),
            ("part", a.clone()),
            ("part_kind", "required".to_owned()),
            ("part", b.clone()),
            ("part_kind", "elective-1".to_owned()),
            ("part", c.clone()),
            ("part_kind", "elective-1".to_owned()),
            ("part", String::new()),
            ("part_kind", "required".to_owned()),
            ("group_label_de", "Wahl".to_owned()),
            ("group_label_en", String::new()),
            ("group_choose", choose.to_owned()),
            ("group_label_de", String::new()),
            ("group_label_en", String::new()),
            ("group_choose", String::new()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let lena = &lena;
        let app = &app;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form("/catalog/opportunities/new", cookies(lena), &fields)
                .await
        }
    };
    // Choosing 3 of 2 is refused next to the groups, and nothing is stored.
    let refused = post(form("3")).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert!(
        refused.text().contains("id=\"error-elective_groups\""),
        "{}",
        refused.text()
    );
    let programs = |list: Vec<mycel_store::catalogue::OpportunityRecord>| {
        list.into_iter()
            .filter(|o| o.draft.modality == mycel_catalogue::Modality::Blended)
            .collect::<Vec<_>>()
    };
    let all = || async {
        app.store
            .list_opportunities(
                scope,
                OpportunityListQuery {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
    };
    assert!(programs(all().await).is_empty());
    let saved = post(form("1")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let stored = programs(all().await);
    assert_eq!(stored.len(), 1);
    let draft = &stored[0].draft;
    use mycel_catalogue::PartKind;
    assert_eq!(
        draft.parts.iter().map(|p| p.kind).collect::<Vec<_>>(),
        vec![
            PartKind::Required,
            PartKind::Elective { group: 0 },
            PartKind::Elective { group: 0 }
        ]
    );
    assert_eq!(draft.elective_groups.len(), 1);
    assert_eq!(draft.elective_groups[0].label.de, "Wahl");
    assert_eq!(draft.elective_groups[0].choose, 1);
    // The editor shows them again.
    let editor = app
        .get(
            &format!("/catalog/opportunities/{}/edit", stored[0].id),
            &lena,
        )
        .await
        .text();
    assert!(editor.contains("value=\"Wahl\""), "{editor}");
    assert!(editor.contains("value=\"elective-1\" selected"), "{editor}");
    app.finish().await;
}

fn session_body(days: i64, capacity: u32) -> Value {
    let day = (Utc::now() + Duration::days(days)).date_naive();
    let at =
        |h: i64| (day.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::hours(h)).to_rfc3339();
    json!({"starts_at": at(8), "ends_at": at(15), "location": "Zentrale Hamburg", "capacity": capacity})
}

#[tokio::test]
async fn the_learner_books_the_session_the_path_planned_and_the_path_moves_on() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    competency_fixture::import(&*app.store).await;
    let till = competency_fixture::competency_id(&*app.store, scope, TILL)
        .await
        .to_string();
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let ben = app
        .person(&nord, "ben@nord.example", AccessRole::Learner, None)
        .await;
    let login = app.login(&nord, "anna@nord.example").await;
    let course = published(
        &app,
        &admin,
        json!({
            "modality": "classroom",
            "title": {"de": "Kassenschulung", "en": "Till training"},
            "content_language": "de",
            "duration_minutes": 420,
            "alignments": [{"competency_id": till, "level": 3.0}],
        }),
    )
    .await;
    let mut sessions = Vec::new();
    for (days, capacity) in [(10, 1), (17, 5), (24, 5)] {
        let made = app
            .post_json(
                &format!("/api/v1/tenants/nord/opportunities/{course}/sessions"),
                &admin,
                &session_body(days, capacity),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text());
        sessions.push(made.json()["id"].as_str().unwrap().to_owned());
    }
    set_goal(&app, &login, &till, "3").await;
    let path_api = format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id);
    let planned_session = || async {
        app.get(&path_api, &login).await.json()["steps"][0]["session_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    // The earliest session, with its place and a "Book" button.
    assert_eq!(planned_session().await, sessions[0]);
    let text = app.get("/learn/path", &login).await.text();
    let step = step_html(&text, &course);
    assert!(
        step.contains(&format!("id=\"booking-{}\"", sessions[0])),
        "{step}"
    );
    assert!(step.contains("Zentrale Hamburg"), "{step}");
    assert!(
        step.contains(&format!("/learn/path/sessions/{}/book", sessions[0])),
        "{step}"
    );

    // Ben takes its only place: the path plans the next session.
    let enrolled = app
        .post_json(
            &format!("/api/v1/tenants/nord/sessions/{}/enrolments", sessions[0]),
            &admin,
            &json!({"person_id": ben.id}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.text());
    assert_eq!(planned_session().await, sessions[1]);

    // That session is cancelled: the path plans the one after.
    let cancelled = app
        .post_json(
            &format!("/api/v1/tenants/nord/sessions/{}/cancel", sessions[1]),
            &admin,
            &json!({}),
        )
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
    assert_eq!(planned_session().await, sessions[2]);

    // Anna books it from her path: enrolled through the classroom rules, the result shown.
    let booked = app
        .post_form(
            &format!("/learn/path/sessions/{}/book", sessions[2]),
            cookies(&login),
            &[],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.text());
    let location = booked
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        location.starts_with("/learn/path?booked=confirmed"),
        "{location}"
    );
    let text = app.get(&location, &login).await.text();
    assert!(text.contains("id=\"path-notice\""), "{text}");
    let step = step_html(&text, &course);
    assert!(!step.contains("/book\""), "no second booking: {step}");
    let enrolments = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/enrolments", anna.id),
            &login,
        )
        .await
        .json();
    assert_eq!(
        enrolments[0]["session_id"],
        sessions[2].as_str(),
        "{enrolments}"
    );
    assert_eq!(enrolments[0]["status"], "confirmed");
    // Her booked session stays the path's, even when it is full.
    assert_eq!(planned_session().await, sessions[2]);
    // Booking again is a conflict, not a second place.
    let again = app
        .post_form(
            &format!("/learn/path/sessions/{}/book", sessions[2]),
            cookies(&login),
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    app.finish().await;
}

#[tokio::test]
async fn a_prerequisite_against_the_program_order_wins_without_a_cycle() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let login = app.login(&nord, "anna@nord.example").await;
    // The program lists "Praxis" first, but "Praxis" requires "Theorie".
    let theory = published(&app, &admin, video("Theorie", 30, None)).await;
    let mut practice = video("Praxis", 30, None);
    practice["prerequisites"] = json!([{"kind": "opportunity", "opportunity_id": theory}]);
    let practice = published(&app, &admin, practice).await;
    let program = published(
        &app,
        &admin,
        json!({
            "modality": "blended",
            "title": {"de": "Programm", "en": "Program"},
            "content_language": "de",
            "parts": [practice, theory],
        }),
    )
    .await;
    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{program}/assignments"),
            &admin,
            &json!({"person_ids": [anna.id]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    let text = app.get("/learn/path", &login).await.text();
    assert_eq!(
        step_ids(&text),
        vec![theory.clone(), practice.clone()],
        "{text}"
    );
    assert!(!text.contains("id=\"path-cycles\""), "{text}");
    app.finish().await;
}

#[tokio::test]
async fn a_part_that_cannot_be_planned_does_not_hold_up_the_parts_after_it() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let login = app.login(&nord, "anna@nord.example").await;
    // A classroom part with no sessions, then a video.
    let classroom = published(
        &app,
        &admin,
        json!({
            "modality": "classroom",
            "title": {"de": "Präsenztag", "en": "Classroom day"},
            "content_language": "de",
        }),
    )
    .await;
    let after = published(&app, &admin, video("Nachbereitung", 30, None)).await;
    let program = published(
        &app,
        &admin,
        json!({
            "modality": "blended",
            "title": {"de": "Programm", "en": "Program"},
            "content_language": "de",
            "parts": [classroom, after],
        }),
    )
    .await;
    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{program}/assignments"),
            &admin,
            &json!({"person_ids": [anna.id]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    let api = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning-path", anna.id),
            &login,
        )
        .await
        .json();
    assert_eq!(api["steps"].as_array().unwrap().len(), 1, "{api}");
    assert_eq!(api["steps"][0]["opportunity_id"], after.as_str());
    assert_eq!(api["programs"][0]["parts"][0]["state"], "not-planned");
    assert_eq!(api["programs"][0]["parts"][1]["state"], "step");
    let text = app.get("/learn/path", &login).await.text();
    assert!(text.contains(&format!("id=\"part-{classroom}\"")), "{text}");
    app.finish().await;
}
