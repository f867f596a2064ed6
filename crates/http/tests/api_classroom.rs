#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Classroom training through the API: sessions with rooms and trainers (double bookings
//! refused), enrolling with places, waitlist and approval, cancelling with promotion, calendar
//! invitations, and the trainer's attendance list becoming xAPI statements and evidence.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method};
use chrono::{Duration, SubsecRound, Utc};
use common::*;
use mycel_organisation::AccessRole;
use mycel_store::TenantScope;
use serde_json::{json, Value};

struct World {
    app: TestApp,
    lnd: Auth,
    course: String,
    till: String,
}

async fn world() -> World {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let till = competency_fixture::competency_id(
        &*app.store,
        TenantScope::system(nord.id),
        competency_fixture::TILL,
    )
    .await
    .to_string();
    let course = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "classroom", "title": {"de": "Kassenschulung", "en": "Checkout training"},
                    "content_language": "de", "alignments": [{"competency_id": till, "level": 2}]}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let published = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}/lifecycle"),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text());
    World {
        app,
        lnd,
        course,
        till,
    }
}

fn session_body(days: i64, hours: (i64, i64), capacity: u32) -> Value {
    let day = (Utc::now() + Duration::days(days)).date_naive();
    let at =
        |h: i64| (day.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::hours(h)).to_rfc3339();
    json!({"starts_at": at(hours.0), "ends_at": at(hours.1), "location": "Zentrale Hamburg", "capacity": capacity})
}

#[tokio::test]
async fn places_waitlist_cancellation_and_invitations() {
    let World {
        app, lnd, course, ..
    } = world().await;
    let nord = app.store.tenant_by_slug("nord").await.unwrap();
    let trainer = app
        .person(&nord, "tina@nord.example", AccessRole::Trainer, None)
        .await;
    let mut learners = Vec::new();
    for name in ["anna", "ben", "cem"] {
        let email = format!("{name}@nord.example");
        app.person(&nord, &email, AccessRole::Learner, None).await;
        learners.push(app.login(&nord, &email).await);
    }
    let (anna, ben, cem) = (&learners[0], &learners[1], &learners[2]);

    let room = app
        .post_json(
            "/api/v1/tenants/nord/rooms",
            &lnd,
            &json!({"name": "Raum 3.12", "location": "Zentrale Hamburg", "capacity": 2}),
        )
        .await;
    assert_eq!(room.status, 201, "{}", room.text());
    let room = room.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post_json(
            "/api/v1/tenants/nord/rooms",
            anna,
            &json!({"name": "x", "capacity": 1})
        )
        .await
        .status,
        403
    );

    let sessions = format!("/api/v1/tenants/nord/opportunities/{course}/sessions");
    let mut body = session_body(3, (9, 12), 3);
    body["room_id"] = json!(room);
    body["trainer_id"] = json!(trainer.id);
    let too_big = app.post_json(&sessions, &lnd, &body).await;
    assert_eq!(too_big.status, 422, "{}", too_big.text());
    assert_eq!(too_big.json()["error"]["field"], "capacity");
    body["capacity"] = json!(2);
    body["cancellation_deadline"] = json!((Utc::now() + Duration::days(1)).to_rfc3339());
    let session = app.post_json(&sessions, &lnd, &body).await;
    assert_eq!(session.status, 201, "{}", session.text());
    let session = session.json()["id"].as_str().unwrap().to_owned();
    let mut clash = session_body(3, (11, 14), 5);
    clash["trainer_id"] = json!(trainer.id);
    let refused = app.post_json(&sessions, &lnd, &clash).await;
    assert_eq!(refused.status, 409, "{}", refused.text());
    assert!(refused.text().contains("trainer"), "{}", refused.text());
    let past = app
        .post_json(&sessions, &lnd, &session_body(-2, (9, 12), 5))
        .await;
    assert_eq!(past.status, 422, "{}", past.text());
    // A course with sessions stays a classroom course.
    let to_video = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}"),
            &lnd,
            &json!({"modality": "video", "title": {"de": "Kassenschulung", "en": ""},
                "content_language": "de", "link": "https://video.example/kasse"}),
        )
        .await;
    assert_eq!(to_video.status, 422, "{}", to_video.text());
    assert_eq!(to_video.json()["error"]["field"], "modality");

    // The course's upcoming date is in search at once.
    let found = app
        .get("/api/v1/tenants/nord/opportunities?q=Kassenschulung", anna)
        .await
        .json();
    let within = |results: &Value, window: &str| {
        results["facets"]["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == window)
            .map(|f| f["count"].as_u64().unwrap())
            .unwrap()
    };
    assert_eq!(within(&found, "within7_days"), 1, "{found}");
    assert!(found["hits"][0]["next_session"].is_string(), "{found}");

    // Two places, then the waitlist; nobody twice.
    let enrolments = format!("/api/v1/tenants/nord/sessions/{session}/enrolments");
    let mut ids = Vec::new();
    for (who, expected) in [(anna, "confirmed"), (ben, "confirmed"), (cem, "waitlisted")] {
        let enrolled = app.post_json(&enrolments, who, &json!({})).await;
        assert_eq!(enrolled.status, 201, "{}", enrolled.text());
        assert_eq!(enrolled.json()["status"], expected);
        ids.push(enrolled.json()["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        app.post_json(&enrolments, anna, &json!({})).await.status,
        409
    );
    // A learner cannot enrol someone else, nor see the list.
    assert_eq!(app.get(&enrolments, anna).await.status, 403);
    let trainer_login = app.login(&nord, "tina@nord.example").await;
    let list = app.get(&enrolments, &trainer_login).await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(list.json().as_array().unwrap().len(), 3);

    // Invitations: one's own (or 404), a cancellation once cancelled.
    let invitation = |id: &str| format!("/api/v1/tenants/nord/enrolments/{id}/invitation.ics");
    let ics = app.get(&invitation(&ids[1]), ben).await;
    assert_eq!(ics.status, 200, "{}", ics.text());
    let text = ics.text();
    assert!(text.contains("BEGIN:VEVENT"), "{text}");
    assert!(text.contains("METHOD:REQUEST"), "{text}");
    assert!(text.contains("SUMMARY:Kassenschulung"), "{text}");
    assert!(text.contains("Raum 3.12"), "{text}");
    assert_eq!(app.get(&invitation(&ids[1]), anna).await.status, 404);

    // Anna cancels before the deadline: Cem moves up.
    let cancelled = app
        .post_json(
            &format!("/api/v1/tenants/nord/enrolments/{}/cancel", ids[0]),
            anna,
            &json!({}),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let cancelled = cancelled.json();
    assert_eq!(cancelled["enrolment"]["status"], "cancelled");
    assert_eq!(cancelled["promoted"][0]["id"], ids[2].as_str());
    assert_eq!(cancelled["promoted"][0]["status"], "confirmed");
    assert!(app
        .get(&invitation(&ids[0]), anna)
        .await
        .text()
        .contains("METHOD:CANCEL"));
    assert_eq!(
        app.post_json(
            &format!("/api/v1/tenants/nord/enrolments/{}/cancel", ids[1]),
            cem,
            &json!({})
        )
        .await
        .status,
        403,
        "not one's own"
    );
    app.finish().await;
}

#[tokio::test]
async fn approval_by_the_manager_and_attendance_as_evidence() {
    let World {
        app,
        lnd,
        course,
        till,
    } = world().await;
    let nord = app.store.tenant_by_slug("nord").await.unwrap();
    let scope = TenantScope::system(nord.id);
    let boss = app
        .person(&nord, "boss@nord.example", AccessRole::Manager, None)
        .await;
    let anna = app
        .person_with(
            &nord,
            "anna@nord.example",
            AccessRole::Learner,
            None,
            Some(boss.id),
        )
        .await;
    app.person(&nord, "ben@nord.example", AccessRole::Learner, None)
        .await;
    let trainer = app
        .person(&nord, "tina@nord.example", AccessRole::Trainer, None)
        .await;
    let anna_login = app.login(&nord, "anna@nord.example").await;
    let ben_login = app.login(&nord, "ben@nord.example").await;
    let boss_login = app.login(&nord, "boss@nord.example").await;
    let trainer_login = app.login(&nord, "tina@nord.example").await;

    let sessions = format!("/api/v1/tenants/nord/opportunities/{course}/sessions");
    let mut body = session_body(10, (9, 17), 8);
    body["requires_approval"] = json!(true);
    let session = app.post_json(&sessions, &lnd, &body).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let enrolments = format!("/api/v1/tenants/nord/sessions/{session}/enrolments");
    let requested = app
        .post_json(&enrolments, &anna_login, &json!({}))
        .await
        .json();
    assert_eq!(requested["status"], "requested");
    let decision = format!(
        "/api/v1/tenants/nord/enrolments/{}/decision",
        requested["id"].as_str().unwrap()
    );
    assert_eq!(
        app.put_json(&decision, &ben_login, &json!({"approve": true}))
            .await
            .status,
        403,
        "a colleague does not approve"
    );
    let approved = app
        .put_json(&decision, &boss_login, &json!({"approve": true}))
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text());
    assert_eq!(approved.json()["status"], "confirmed");
    assert_eq!(
        app.put_json(&decision, &boss_login, &json!({"approve": true}))
            .await
            .status,
        409
    );
    // The manager enrols a report directly (approved); not a stranger.
    let ben_id = app
        .store
        .login_candidate(scope, "ben@nord.example")
        .await
        .unwrap()
        .unwrap()
        .person
        .id;
    assert_eq!(
        app.post_json(&enrolments, &boss_login, &json!({"person_id": ben_id}))
            .await
            .status,
        403
    );

    // A manager cannot enrol a report in a course not offered to them (here: for a role the
    // manager holds and the report does not).
    let leads = app
        .store
        .create_role(
            scope,
            mycel_store::NewRole {
                name: "Marktleitung".into(),
                description: None,
            },
        )
        .await
        .unwrap();
    app.store
        .assign_role(
            scope,
            boss.id,
            leads.id,
            mycel_organisation::RoleAssignmentKind::Current,
        )
        .await
        .unwrap();
    let restricted = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "classroom", "title": {"de": "Staplerschein", "en": ""},
                    "content_language": "de", "audience": [{"kind": "role", "id": leads.id}]}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.put_json(
        &format!("/api/v1/tenants/nord/opportunities/{restricted}/lifecycle"),
        &lnd,
        &json!({"lifecycle": "published"}),
    )
    .await;
    let restricted_session = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{restricted}/sessions"),
            &lnd,
            &session_body(12, (9, 12), 4),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let not_offered = app
        .post_json(
            &format!("/api/v1/tenants/nord/sessions/{restricted_session}/enrolments"),
            &boss_login,
            &json!({"person_id": anna.id}),
        )
        .await;
    assert_eq!(not_offered.status, 422, "{}", not_offered.text());
    assert_eq!(not_offered.json()["error"]["field"], "person_id");

    // A session that took place (written directly: the API only plans future ones).
    let yesterday = Utc::now().trunc_subsecs(0) - Duration::days(1);
    let held = app
        .store
        .create_training_session(
            scope,
            course.parse().unwrap(),
            &mycel_catalogue::classroom::SessionDraft {
                starts_at: yesterday,
                ends_at: yesterday + Duration::hours(3),
                location: "Zentrale".into(),
                room_id: None,
                trainer_id: Some(trainer.id),
                online_link: None,
                capacity: 5,
                requires_approval: false,
                cancellation_deadline: None,
            },
        )
        .await
        .unwrap();
    app.store
        .enrol(scope, held.id, anna.id, None, true)
        .await
        .unwrap();
    let attendance = format!("/api/v1/tenants/nord/sessions/{}/attendance", held.id);
    let list = json!({"attendance": [{"person_id": anna.id, "attended": true}]});
    assert_eq!(
        app.put_json(&attendance, &anna_login, &list).await.status,
        403
    );
    let stranger = json!({"attendance": [{"person_id": ben_id, "attended": true}]});
    assert_eq!(
        app.put_json(&attendance, &trainer_login, &stranger)
            .await
            .status,
        422
    );
    // A request to a session that has begun can be refused, not approved.
    let begun = app
        .store
        .create_training_session(
            scope,
            course.parse().unwrap(),
            &mycel_catalogue::classroom::SessionDraft {
                starts_at: yesterday - Duration::days(2),
                ends_at: yesterday - Duration::days(2) + Duration::hours(2),
                location: "Zentrale".into(),
                room_id: None,
                trainer_id: None,
                online_link: None,
                capacity: 5,
                requires_approval: true,
                cancellation_deadline: None,
            },
        )
        .await
        .unwrap();
    let late = app
        .store
        .enrol(scope, begun.id, anna.id, None, false)
        .await
        .unwrap();
    let late_decision = format!("/api/v1/tenants/nord/enrolments/{}/decision", late.id);
    let approved_late = app
        .put_json(&late_decision, &boss_login, &json!({"approve": true}))
        .await;
    assert_eq!(approved_late.status, 422, "{}", approved_late.text());
    let refused_late = app
        .put_json(&late_decision, &boss_login, &json!({"approve": false}))
        .await;
    assert_eq!(refused_late.status, 200, "{}", refused_late.text());
    assert_eq!(refused_late.json()["status"], "cancelled");

    let marked = app.put_json(&attendance, &trainer_login, &list).await;
    assert_eq!(marked.status, 200, "{}", marked.text());
    assert_eq!(marked.json()[0]["status"], "attended");

    // The attendance is an xAPI statement, and the course's alignment makes it evidence.
    let added = mycel_app::statement_evidence::catch_up(&*app.store, scope)
        .await
        .unwrap();
    assert_eq!(added, 1);
    let evidence = app
        .store
        .evidence(scope, anna.id, Some(till.parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(
        evidence[0].level.value(),
        1.5,
        "attended: 0.75 × the level taught (2)"
    );
    assert!(!evidence[0].link.as_deref().unwrap_or_default().is_empty());
    app.finish().await;
}

#[tokio::test]
async fn assigned_learning_completions_and_certifications() {
    let World { app, lnd, .. } = world().await;
    let nord = app.store.tenant_by_slug("nord").await.unwrap();
    let scope = TenantScope::system(nord.id);
    let store_unit = app.org_unit(&nord, "Markt Altona", None).await;
    let boss = app
        .person(&nord, "boss@nord.example", AccessRole::Manager, None)
        .await;
    let anna = app
        .person_with(
            &nord,
            "anna@nord.example",
            AccessRole::Learner,
            Some(store_unit.id),
            Some(boss.id),
        )
        .await;
    let ben = app
        .person(
            &nord,
            "ben@nord.example",
            AccessRole::Learner,
            Some(store_unit.id),
        )
        .await;
    let boss_login = app.login(&nord, "boss@nord.example").await;
    let anna_login = app.login(&nord, "anna@nord.example").await;
    let ben_login = app.login(&nord, "ben@nord.example").await;

    let course = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "e-learning", "title": {"de": "Brandschutzunterweisung", "en": "Fire safety briefing"},
                    "content_language": "de", "recertify_after_months": 12}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let assignments = format!("/api/v1/tenants/nord/opportunities/{course}/assignments");
    let due = (Utc::now() + Duration::days(30)).date_naive().to_string();
    let draft = app
        .post_json(
            &assignments,
            &boss_login,
            &json!({"person_ids": [anna.id], "due": due}),
        )
        .await;
    assert_eq!(
        draft.status,
        422,
        "a draft is not assigned: {}",
        draft.text()
    );

    // Publish it (an e-learning course needs a package: use a classroom course instead).
    let course = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "classroom", "title": {"de": "Brandschutzunterweisung", "en": "Fire safety briefing"},
                    "content_language": "de", "recertify_after_months": 12}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.put_json(
        &format!("/api/v1/tenants/nord/opportunities/{course}/lifecycle"),
        &lnd,
        &json!({"lifecycle": "published"}),
    )
    .await;
    let assignments = format!("/api/v1/tenants/nord/opportunities/{course}/assignments");
    let assigned = app
        .post_json(
            &assignments,
            &boss_login,
            &json!({"person_ids": [anna.id], "due": due}),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.text());
    assert_eq!(assigned.json()["assigned"], 1);
    assert_eq!(
        app.post_json(&assignments, &boss_login, &json!({"person_ids": [ben.id]}))
            .await
            .status,
        403,
        "not the manager's report"
    );
    assert_eq!(
        app.post_json(
            &assignments,
            &boss_login,
            &json!({"org_unit_ids": [store_unit.id]})
        )
        .await
        .status,
        403,
        "units are L&D's"
    );
    assert_eq!(
        app.post_json(&assignments, &anna_login, &json!({"person_ids": [anna.id]}))
            .await
            .status,
        403
    );
    let past = app
        .post_json(
            &assignments,
            &lnd,
            &json!({"person_ids": [ben.id], "due": "2020-01-01"}),
        )
        .await;
    assert_eq!(past.status, 422, "{}", past.text());
    let unit = app
        .post_json(
            &assignments,
            &lnd,
            &json!({"org_unit_ids": [store_unit.id]}),
        )
        .await;
    assert_eq!(unit.status, 200, "{}", unit.text());
    assert_eq!(
        unit.json()["assigned"],
        1,
        "Ben is new, Anna had it already"
    );

    let learning =
        |id: mycel_organisation::PersonId| format!("/api/v1/tenants/nord/people/{id}/learning");
    let record = app.get(&learning(anna.id), &anna_login).await;
    assert_eq!(record.status, 200, "{}", record.text());
    let record = record.json();
    assert_eq!(record["assignments"][0]["status"], "open");
    assert_eq!(record["assignments"][0]["due"], due);
    assert_eq!(record["certifications"], json!([]));
    assert_eq!(app.get(&learning(anna.id), &ben_login).await.status, 403);
    assert_eq!(
        app.get(&learning(anna.id), &boss_login).await.status,
        200,
        "her manager"
    );

    // Completions arrive as statements: Anna's a year and a month ago (expired), Ben's eleven
    // months ago (expiring).
    let client = app
        .credential(&nord, &[mycel_organisation::Scope::StatementsWrite])
        .await;
    let activity = format!("http://localhost/catalog/opportunities/{course}");
    for (email, months_ago) in [("anna@nord.example", 13), ("ben@nord.example", 11)] {
        let when = Utc::now() - Duration::days(30 * months_ago);
        let statement = json!({
            "actor": {"mbox": format!("mailto:{email}")},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": activity},
            "timestamp": when.to_rfc3339(),
        });
        let request = TestApp::request(Method::POST, "/xapi/statements", &client)
            .header(header::CONTENT_TYPE, "application/json")
            .header("X-Experience-API-Version", "1.0.3")
            .body(Body::from(statement.to_string()))
            .unwrap();
        let stored = app.send(request).await;
        assert_eq!(stored.status, 200, "{}", stored.text());
    }
    let added = mycel_app::assignments::catch_up(&*app.store, scope)
        .await
        .unwrap();
    assert_eq!(added, 2);
    assert_eq!(
        mycel_app::assignments::catch_up(&*app.store, scope)
            .await
            .unwrap(),
        0
    );
    let anna_record = app.get(&learning(anna.id), &anna_login).await.json();
    assert_eq!(
        anna_record["assignments"][0]["status"],
        "recertification-due"
    );
    assert_eq!(anna_record["certifications"][0]["status"], "expired");
    let ben_record = app.get(&learning(ben.id), &ben_login).await.json();
    assert_eq!(ben_record["assignments"][0]["status"], "completed");
    assert_eq!(ben_record["certifications"][0]["status"], "expiring");

    // "My learning" shows both.
    let page = app.get("/learn", &anna_login).await;
    assert_eq!(page.status, 200);
    let html = page.text();
    let assigned = html
        .split("id=\"assigned\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(assigned.contains("Fire safety briefing"), "{assigned}");
    assert!(assigned.contains("recertification due"), "{assigned}");
    let certified = html
        .split("id=\"certifications\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(certified.contains("expired"), "{certified}");
    let ben_page = app.get("/learn", &ben_login).await.text();
    assert!(ben_page.contains("expiring soon"), "{ben_page}");

    // Her manager sees what is due in the team: Anna's recertification, not Ben's (not a report).
    let team = app.get("/team", &boss_login).await;
    assert_eq!(team.status, 200);
    let team = team.text();
    let due_section = team
        .split("id=\"team-due\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_default()
        .to_owned();
    assert!(due_section.contains("anna"), "{due_section}");
    assert!(due_section.contains("recertification due"), "{due_section}");
    assert!(
        due_section.contains("certification expired"),
        "{due_section}"
    );
    assert!(!due_section.contains("ben"), "{due_section}");
    app.finish().await;
}
