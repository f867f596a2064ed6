#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Classroom training in the web pages: L&D adds a room and a course's dates through the forms
//! (refused values come back as typed), learners enrol, fill the places and wait, a cancellation
//! moves the waitlist up (seen on "My learning"), the calendar invitation downloads, a date that
//! needs approval waits until the manager approves on the team page, the trainer takes attendance
//! on the participants page (an xAPI statement, then evidence), and learners reach none of the
//! editors' or trainers' forms.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use chrono::{Duration, SubsecRound, Utc};
use common::*;
use mycel_organisation::{AccessRole, Person, Tenant};
use mycel_store::TenantScope;
use serde_json::json;

/// A day `days` from now as a date field sends it, in German local time.
fn day_in(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The ids in `page` after `prefix` (e.g. `/learn/enrolments/`), in order.
fn ids_after(page: &str, prefix: &str) -> Vec<String> {
    page.split(prefix)
        .skip(1)
        .map(|rest| rest.chars().take(36).collect::<String>())
        .collect()
}

/// The section of a page with this id (to the end of its element's first closing tag).
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[start..];
    let end = rest
        .find("</section>")
        .or_else(|| rest.find("</li>"))
        .unwrap_or(rest.len());
    &rest[..end]
}

struct World {
    app: TestApp,
    nord: Tenant,
    lnd: Auth,
    course: String,
    till: String,
}

/// A company with an L&D admin and a published classroom course that teaches a competency.
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
    let created = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "classroom", "title": {"de": "Kassenschulung", "en": "Checkout training"},
                    "content_language": "de", "alignments": [{"competency_id": till, "level": 2}]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let course = created.json()["id"].as_str().unwrap().to_owned();
    let published = app
        .post_form(
            &format!("/catalog/opportunities/{course}/lifecycle"),
            cookies(&lnd),
            &[("lifecycle", "published")],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.text()
    );
    World {
        app,
        nord,
        lnd,
        course,
        till,
    }
}

async fn person_login(
    app: &TestApp,
    tenant: &Tenant,
    name: &str,
    role: AccessRole,
) -> (Person, Auth) {
    let email = format!("{name}@nord.example");
    let person = app.person(tenant, &email, role, None).await;
    let auth = app.login(tenant, &email).await;
    (person, auth)
}

/// Follows a redirect (to a local page) with the same session.
async fn follow(app: &TestApp, response: &TestResponse, auth: &Auth) -> TestResponse {
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    app.get(response.location().unwrap(), auth).await
}

#[tokio::test]
async fn rooms_dates_places_waitlist_and_invitations() {
    let World {
        app,
        nord,
        lnd,
        course,
        ..
    } = world().await;
    let scope = TenantScope::system(nord.id);
    let (tina, tina_login) = person_login(&app, &nord, "tina", AccessRole::Trainer).await;
    let (_, anna) = person_login(&app, &nord, "anna", AccessRole::Learner).await;
    let (_, ben) = person_login(&app, &nord, "ben", AccessRole::Learner).await;
    let (_, cem) = person_login(&app, &nord, "cem", AccessRole::Learner).await;
    let course_page = format!("/catalog/opportunities/{course}");

    // A room, on the catalogue's management page; a wrong capacity comes back as typed.
    let manage = app.get("/catalog/manage", &lnd).await;
    assert_eq!(manage.status, StatusCode::OK);
    assert!(
        manage.text().contains("id=\"rooms-empty\""),
        "{}",
        manage.text()
    );
    let refused = app
        .post_form(
            "/catalog/rooms",
            cookies(&lnd),
            &[
                ("name", "Raum 3.12"),
                ("location", "Zentrale Hamburg"),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text().contains("id=\"room-error\""),
        "{}",
        refused.text()
    );
    assert!(refused.text().contains("value=\"Raum 3.12\""));
    let room = app
        .post_form(
            "/catalog/rooms",
            cookies(&lnd),
            &[
                ("name", "Raum 3.12"),
                ("location", "Zentrale Hamburg"),
                ("capacity", "2"),
            ],
        )
        .await;
    let manage = follow(&app, &room, &lnd).await.text();
    assert!(manage.contains("The room was added."), "{manage}");
    assert!(section(&manage, "rooms").contains("Raum 3.12"), "{manage}");
    let rooms = app.store.rooms(scope).await.unwrap();
    assert_eq!(rooms.len(), 1);
    let room_id = rooms[0].id.to_string();

    // The course's page offers the form with the room and the trainer.
    let page = app.get(&course_page, &lnd).await.text();
    assert!(page.contains("id=\"session-new\""), "{page}");
    assert!(
        page.contains(&format!(
            "<option value=\"{room_id}\">Raum 3.12 (2 places)</option>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("<option value=\"{}\">tina</option>", tina.id)),
        "{page}"
    );
    assert!(section(&page, "sessions").contains("id=\"sessions-empty\""));

    // More places than the room holds, then an end before the start: refused, values kept.
    let date = day_in(5);
    let deadline = day_in(3);
    let tina_id = tina.id.to_string();
    let sessions = format!("/catalog/opportunities/{course}/sessions");
    let fields = |starts: &'static str, ends: &'static str, capacity: &'static str| {
        vec![
            ("date", date.clone()),
            ("starts", starts.to_owned()),
            ("ends", ends.to_owned()),
            ("room_id", room_id.clone()),
            ("trainer_id", tina_id.clone()),
            ("capacity", capacity.to_owned()),
            ("cancellation_deadline", deadline.clone()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let app = &app;
        let lnd = &lnd;
        let sessions = sessions.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(&sessions, cookies(lnd), &fields).await
        }
    };
    let too_big = post(fields("09:00", "12:00", "3")).await;
    assert_eq!(
        too_big.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_big.text()
    );
    let text = too_big.text();
    assert!(text.contains("id=\"error-capacity\""), "{text}");
    assert!(text.contains("the room holds 2 people"), "{text}");
    assert!(
        text.contains("name=\"capacity\" type=\"number\" min=\"1\" max=\"10000\" value=\"3\""),
        "{text}"
    );
    assert!(text.contains(&format!("value=\"{date}\"")), "{text}");
    assert!(
        text.contains(&format!("<option value=\"{room_id}\" selected>")),
        "{text}"
    );
    let backwards = post(fields("12:00", "09:00", "2")).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = backwards.text();
    assert!(text.contains("id=\"error-ends\""), "{text}");
    assert!(
        text.contains("value=\"12:00\"") && text.contains("value=\"09:00\""),
        "{text}"
    );
    assert!(app
        .store
        .sessions_of(scope, course.parse().unwrap())
        .await
        .unwrap()
        .is_empty());

    let added = post(fields("09:00", "12:00", "2")).await;
    let page = follow(&app, &added, &lnd).await.text();
    assert!(page.contains("The date was added."), "{page}");
    let listed = app
        .store
        .sessions_of(scope, course.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    let session = listed[0].id.to_string();
    // Typed as German time, stored in UTC, shown as typed.
    let starts_local = listed[0]
        .draft
        .starts_at
        .with_timezone(&chrono_tz::Europe::Berlin);
    assert_eq!(starts_local.format("%H:%M").to_string(), "09:00");
    let row = section(&page, &format!("session-{session}")).to_owned();
    assert!(row.contains("09:00–12:00"), "{row}");
    assert!(row.contains("Raum 3.12, Zentrale Hamburg"), "{row}");
    assert!(row.contains("2 of 2 places free"), "{row}");
    assert!(
        row.contains(&format!("id=\"participants-{session}\"")),
        "{row}"
    );

    // Anna and Ben take the places, Cem waits.
    let enrol = format!("/learn/sessions/{session}/enrol");
    let page = app.get(&course_page, &anna).await.text();
    assert!(page.contains(&format!("id=\"enrol-{session}\"")), "{page}");
    assert!(
        !page.contains("id=\"session-new\""),
        "learners do not add dates"
    );
    assert!(!page.contains(&format!("id=\"participants-{session}\"")));
    let enrolled = app.post_form(&enrol, cookies(&anna), &[]).await;
    assert!(enrolled.location().unwrap().contains("classroom=confirmed"));
    let page = follow(&app, &enrolled, &anna).await.text();
    assert!(page.contains("your place is confirmed"), "{page}");
    let mine = section(&page, &format!("session-{session}")).to_owned();
    assert!(
        mine.contains(&format!("id=\"my-status-{session}\">confirmed<")),
        "{mine}"
    );
    assert!(!mine.contains(&format!("id=\"enrol-{session}\"")), "{mine}");
    let anna_enrolment = ids_after(&mine, "/learn/enrolments/")[0].clone();
    assert!(
        mine.contains(&format!("id=\"cancel-enrolment-{anna_enrolment}\"")),
        "{mine}"
    );
    assert_eq!(
        app.post_form(&enrol, cookies(&anna), &[]).await.status,
        StatusCode::CONFLICT,
        "nobody twice"
    );
    let page = follow(&app, &app.post_form(&enrol, cookies(&ben), &[]).await, &ben)
        .await
        .text();
    assert!(
        section(&page, &format!("session-{session}")).contains(">confirmed<"),
        "{page}"
    );
    let ben_enrolment = ids_after(
        section(&page, &format!("session-{session}")),
        "/learn/enrolments/",
    )[0]
    .clone();
    let page = follow(&app, &app.post_form(&enrol, cookies(&cem), &[]).await, &cem)
        .await
        .text();
    assert!(page.contains("you are on the waitlist"), "{page}");
    let row = section(&page, &format!("session-{session}")).to_owned();
    assert!(row.contains(">on the waitlist<"), "{row}");
    assert!(row.contains("Fully booked, 1 on the waitlist"), "{row}");
    let learn = app.get("/learn", &cem).await.text();
    assert!(
        section(&learn, "my-sessions").contains("on the waitlist"),
        "{learn}"
    );
    assert!(
        section(&learn, "my-sessions").contains("Kassenschulung")
            || section(&learn, "my-sessions").contains("Checkout training")
    );

    // In German: the date as Germans write it, the status in German.
    let german = Auth::Session(format!("{}; mycel_lang=de", cookies(&ben)));
    let page = app.get(&course_page, &german).await.text();
    let row = section(&page, &format!("session-{session}")).to_owned();
    let german_date = (Utc::now() + Duration::days(5))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%d.%m.%Y")
        .to_string();
    assert!(row.contains(&german_date), "{row}");
    assert!(row.contains(">bestätigt<"), "{row}");

    // The invitation: one's own, as a calendar file with the course's title.
    let ics = app
        .get(
            &format!("/learn/enrolments/{ben_enrolment}/invitation.ics"),
            &ben,
        )
        .await;
    assert_eq!(ics.status, StatusCode::OK, "{}", ics.text());
    assert!(ics.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    assert!(
        ics.text().contains("SUMMARY:Kassenschulung"),
        "{}",
        ics.text()
    );
    assert!(ics.text().contains("Raum 3.12"), "{}", ics.text());
    assert_eq!(
        app.get(
            &format!("/learn/enrolments/{ben_enrolment}/invitation.ics"),
            &anna
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // Anna cancels (before the deadline): Cem moves up, as his "My learning" shows.
    let cancelled = app
        .post_form(
            &format!("/learn/enrolments/{anna_enrolment}/cancel"),
            cookies(&anna),
            &[("back", "course")],
        )
        .await;
    let page = follow(&app, &cancelled, &anna).await.text();
    assert!(page.contains("The enrolment was cancelled."), "{page}");
    assert!(
        page.contains(&format!("id=\"enrol-{session}\"")),
        "may enrol again: {page}"
    );
    let learn = app.get("/learn", &cem).await.text();
    let mine = section(&learn, "my-sessions");
    assert!(mine.contains(">confirmed<"), "{mine}");
    assert!(mine.contains("09:00–12:00"), "{mine}");
    let learn = app.get("/learn", &anna).await.text();
    assert!(
        section(&learn, "my-sessions").contains(">cancelled<"),
        "{learn}"
    );

    // The trainer's sessions and participants; learners reach neither, nor the editors' forms.
    let training = app.get("/training", &tina_login).await;
    assert_eq!(training.status, StatusCode::OK, "{}", training.text());
    assert!(
        training
            .text()
            .contains(&format!("/training/sessions/{session}")),
        "{}",
        training.text()
    );
    let participants = app
        .get(&format!("/training/sessions/{session}"), &tina_login)
        .await;
    assert_eq!(participants.status, StatusCode::OK);
    let text = participants.text();
    let list = section(&text, "participants");
    let (a, b, c) = (
        list.find(">anna<").unwrap(),
        list.find(">ben<").unwrap(),
        list.find(">cem<").unwrap(),
    );
    assert!(a < b && b < c, "in the order they enrolled: {list}");
    assert!(
        !text.contains("id=\"attendance-form\""),
        "not before the session begins"
    );
    for (path, fields) in [
        (
            "/catalog/rooms".to_owned(),
            vec![("name", "x"), ("capacity", "3")],
        ),
        (
            sessions.clone(),
            vec![("date", date.as_str()), ("capacity", "3")],
        ),
        (format!("/catalog/sessions/{session}/cancel"), vec![]),
        (format!("/training/sessions/{session}/attendance"), vec![]),
    ] {
        let r = app.post_form(&path, cookies(&anna), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.text());
    }
    assert_eq!(
        app.get(&format!("/training/sessions/{session}"), &anna)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/training", &anna).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/catalog/manage", &anna).await.status,
        StatusCode::FORBIDDEN
    );

    // L&D cancels the date: it leaves the page, and the enrolments are cancelled.
    let gone = app
        .post_form(
            &format!("/catalog/sessions/{session}/cancel"),
            cookies(&lnd),
            &[],
        )
        .await;
    let page = follow(&app, &gone, &lnd).await.text();
    assert!(page.contains("The date was cancelled"), "{page}");
    assert!(
        section(&page, "sessions").contains("id=\"sessions-empty\""),
        "{page}"
    );
    let learn = app.get("/learn", &ben).await.text();
    assert!(
        section(&learn, "my-sessions").contains(">cancelled<"),
        "{learn}"
    );
    app.finish().await;
}

#[tokio::test]
async fn approval_on_the_team_page_and_attendance_as_evidence() {
    let World {
        app,
        nord,
        lnd,
        course,
        till,
    } = world().await;
    let scope = TenantScope::system(nord.id);
    let (boss, boss_login) = person_login(&app, &nord, "boss", AccessRole::Manager).await;
    let anna = app
        .person_with(
            &nord,
            "anna@nord.example",
            AccessRole::Learner,
            None,
            Some(boss.id),
        )
        .await;
    let anna_login = app.login(&nord, "anna@nord.example").await;
    let (ben, ben_login) = person_login(&app, &nord, "ben", AccessRole::Learner).await;
    let (tina, tina_login) = person_login(&app, &nord, "tina", AccessRole::Trainer).await;
    let course_page = format!("/catalog/opportunities/{course}");

    // A date with approval, in a hotel.
    let date = day_in(10);
    let added = app
        .post_form(
            &format!("/catalog/opportunities/{course}/sessions"),
            cookies(&lnd),
            &[
                ("date", date.as_str()),
                ("starts", "09:00"),
                ("ends", "17:00"),
                ("location", "Hotel am Hafen"),
                ("capacity", "8"),
                ("requires_approval", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let session = app
        .store
        .sessions_of(scope, course.parse().unwrap())
        .await
        .unwrap()[0]
        .id
        .to_string();
    let page = app.get(&course_page, &anna_login).await.text();
    assert!(section(&page, &format!("session-{session}")).contains("approves each enrolment first"));

    let requested = app
        .post_form(
            &format!("/learn/sessions/{session}/enrol"),
            cookies(&anna_login),
            &[],
        )
        .await;
    let page = follow(&app, &requested, &anna_login).await.text();
    assert!(page.contains("awaiting approval by your manager"), "{page}");
    let row = section(&page, &format!("session-{session}")).to_owned();
    assert!(row.contains(">awaiting approval<"), "{row}");
    let enrolment = ids_after(&row, "/learn/enrolments/")[0].clone();

    // The manager sees the request on the team page; a colleague may not decide it.
    let team = app.get("/team", &boss_login).await.text();
    let approvals = section(&team, "approvals").to_owned();
    assert!(approvals.contains(">anna<"), "{approvals}");
    assert!(
        approvals.contains(&format!("id=\"approve-{enrolment}\"")),
        "{approvals}"
    );
    let decision = format!("/team/enrolments/{enrolment}/decision");
    assert_eq!(
        app.post_form(&decision, cookies(&ben_login), &[("decision", "approve")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = app.get(&course_page, &anna_login).await.text();
    assert!(section(&page, &format!("session-{session}")).contains(">awaiting approval<"));
    let approved = app
        .post_form(&decision, cookies(&boss_login), &[("decision", "approve")])
        .await;
    let team = follow(&app, &approved, &boss_login).await.text();
    assert!(team.contains("The enrolment was approved."), "{team}");
    assert!(
        !team.contains("id=\"approvals\""),
        "nothing left to approve: {team}"
    );
    let page = app.get(&course_page, &anna_login).await.text();
    assert!(
        section(&page, &format!("session-{session}")).contains(">confirmed<"),
        "{page}"
    );
    let again = app
        .post_form(&decision, cookies(&boss_login), &[("decision", "refuse")])
        .await;
    assert!(again.location().unwrap().contains("classroom=decided"));

    // L&D enrols Ben from the participants page: approved at once.
    let participants = format!("/training/sessions/{session}");
    let text = app.get(&participants, &lnd).await.text();
    assert!(
        section(&text, "enrol-person").contains(&format!("value=\"{}\"", ben.id)),
        "{text}"
    );
    let enrolled = app
        .post_form(
            &format!("{participants}/enrol"),
            cookies(&lnd),
            &[("person_id", ben.id.to_string().as_str())],
        )
        .await;
    let text = follow(&app, &enrolled, &lnd).await.text();
    assert!(text.contains("The person was enrolled."), "{text}");
    let list = section(&text, "participants");
    assert!(
        list.contains(">ben<") && list.matches(">confirmed<").count() == 2,
        "{list}"
    );
    assert_eq!(
        app.post_form(
            &format!("{participants}/enrol"),
            cookies(&anna_login),
            &[("person_id", ben.id.to_string().as_str())],
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // A date that has begun (written directly: the forms only plan future ones).
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
                trainer_id: Some(tina.id),
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
    app.store
        .enrol(scope, held.id, ben.id, None, true)
        .await
        .unwrap();
    let held_page = format!("/training/sessions/{}", held.id);
    assert_eq!(
        app.get(&held_page, &anna_login).await.status,
        StatusCode::FORBIDDEN
    );
    let attendance = format!("{held_page}/attendance");
    let anna_id = anna.id.to_string();
    let ben_id = ben.id.to_string();
    assert_eq!(
        app.post_form(
            &attendance,
            cookies(&anna_login),
            &[("listed", anna_id.as_str()), ("present", anna_id.as_str())],
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let text = app.get(&held_page, &tina_login).await.text();
    assert!(text.contains("id=\"attendance-form\""), "{text}");
    assert!(
        text.contains(&format!("name=\"present\" value=\"{anna_id}\"")),
        "{text}"
    );
    let marked = app
        .post_form(
            &attendance,
            cookies(&tina_login),
            &[
                ("listed", anna_id.as_str()),
                ("listed", ben_id.as_str()),
                ("present", anna_id.as_str()),
            ],
        )
        .await;
    let text = follow(&app, &marked, &tina_login).await.text();
    assert!(text.contains("The attendance was saved."), "{text}");
    let anna_row = section(&text, &format!("participant-{anna_id}"));
    assert!(anna_row.contains(">attended<"), "{text}");
    assert!(text.contains(">did not attend<"), "{text}");

    // Anna's attendance is an xAPI statement in the company's LRS, and so evidence.
    let statements = app.store.statements_after(scope, 0, 10).await.unwrap();
    assert_eq!(statements.len(), 1, "one attendance, one statement");
    assert!(
        statements[0].json.contains(&anna_id),
        "{}",
        statements[0].json
    );
    assert!(
        statements[0].json.contains("attended"),
        "{}",
        statements[0].json
    );
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
    app.finish().await;
}

/// The participants' page is the trainer's and L&D's only; an unknown session is not found.
#[tokio::test]
async fn unknown_sessions_and_enrolments_are_not_found() {
    let World { app, lnd, .. } = world().await;
    let unknown = uuid_like();
    for path in [
        format!("/training/sessions/{unknown}"),
        format!("/learn/enrolments/{unknown}/invitation.ics"),
        "/training/sessions/not-an-id".to_owned(),
    ] {
        let request = TestApp::request(Method::GET, &path, &lnd)
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            app.send(request).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    app.finish().await;
}

fn uuid_like() -> String {
    "0195c5b0-0000-7000-8000-000000000000".to_owned()
}
