//! The SCORM player over HTTP: an L&D admin uploads and publishes a SCORM example package, a
//! learner launches it, commits run-time data, leaves suspended and resumes where they were,
//! completes it; bad commits are refused without changing anything; the statements land in the
//! LRS once each, and the completion in the learner's record.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{cookies, Auth, TestApp, TestResponse};
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::{json, Value};

const BOUNDARY: &str = "scorm-test-boundary";
const PACKAGES: &str = "/work/shared/data/packages/scorm";

async fn upload(app: &TestApp, auth: &Auth, file: &str) -> String {
    let zip = std::fs::read(format!("{PACKAGES}/{file}")).expect("the SCORM example package");
    let cookies = cookies(auth);
    let csrf = csrf_of(auth);
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&zip);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri("/catalog/packages")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, cookies)
        .body(Body::from(body))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = r
        .location()
        .unwrap()
        .strip_prefix("/catalog/opportunities/")
        .unwrap()
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned();
    let r = app
        .post_form(
            &format!("/catalog/opportunities/{id}/lifecycle"),
            cookies,
            &[("lifecycle", "published")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    id
}

fn csrf_of(auth: &Auth) -> String {
    cookies(auth)
        .split("; ")
        .find_map(|c| c.strip_prefix("mycel_csrf="))
        .unwrap_or_default()
        .to_owned()
}

/// The player's data (units, their commit URLs and start data) from the page.
fn player_data(page: &str) -> Value {
    let start = page
        .find("<script type=\"application/json\" id=\"scorm-data\">")
        .expect("the player's data")
        + "<script type=\"application/json\" id=\"scorm-data\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

async fn commit_with(
    app: &TestApp,
    auth: &Auth,
    url: &str,
    csrf: Option<&str>,
    body: &str,
) -> TestResponse {
    let mut request =
        TestApp::request(Method::POST, url, auth).header(header::CONTENT_TYPE, "application/json");
    if let Some(csrf) = csrf {
        request = request.header("X-CSRF-Token", csrf);
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

async fn commit(app: &TestApp, auth: &Auth, url: &str, body: &Value) -> TestResponse {
    commit_with(app, auth, url, Some(&csrf_of(auth)), &body.to_string()).await
}

/// The verbs of the statements of a registration, oldest first.
async fn verbs(app: &TestApp, reader: &Auth, registration: &str) -> Vec<(String, String)> {
    let request = TestApp::request(
        Method::GET,
        &format!("/xapi/statements?registration={registration}&ascending=true&limit=100"),
        reader,
    )
    .header("X-Experience-API-Version", "1.0.3")
    .body(Body::empty())
    .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["verb"]["id"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                s["object"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_learner_suspends_resumes_and_passes_a_scorm_12_package() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let anna = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    app.person(&nord, "ben@nord.example", AccessRole::Learner, None)
        .await;
    let editor = app.login(&nord, "lnd@nord.example").await;
    let learner = app.login(&nord, "anna@nord.example").await;
    let ben = app.login(&nord, "ben@nord.example").await;
    let reader = app.credential(&nord, &[Scope::StatementsRead]).await;
    let scope = TenantScope::system(nord.id);
    let id = upload(&app, &editor, "singlescobasic.zip").await;
    mycel_app::assignments::assign(
        &*app.store,
        mycel_app::Acting::Operator,
        scope,
        id.parse().unwrap(),
        &mycel_app::assignments::AssignTo {
            people: vec![anna.id],
            ..Default::default()
        },
        None,
    )
    .await
    .unwrap();

    // The first launch opens attempt 1 and starts the SCO from the beginning.
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &learner)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Attempt 1 started."), "{html}");
    assert!(html.contains("/static/scorm-again/"), "{html}");
    let data = player_data(&html);
    assert_eq!(data["version"], "1.2");
    let unit = &data["units"][0];
    assert_eq!(unit["id"], "item_1");
    assert_eq!(unit["cmi"]["core"]["entry"], "ab-initio");
    assert_eq!(unit["cmi"]["core"]["student_id"], anna.id.to_string());
    let url = unit["commit_url"].as_str().unwrap().to_owned();
    let registration = url.split('/').nth(4).unwrap().to_owned();
    // The SCO's files come from the attempt's path, in Mycel's origin, to its owner only.
    let launch = unit["launch_url"].as_str().unwrap().to_owned();
    let file = app.get(&launch, &learner).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.text().to_lowercase().contains("<html"));
    assert!(file
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| !v.to_str().unwrap().contains("sandbox")));
    assert_eq!(app.get(&launch, &ben).await.status, StatusCode::NOT_FOUND);

    // Anna works until page 3 and leaves suspended.
    let suspend = json!({"cmi": {"suspend_data": "seen=1,2,3", "core": {"lesson_status": "incomplete",
        "exit": "suspend", "lesson_location": "page-3", "session_time": "00:02:00"}}, "terminated": true});
    let r = commit(&app, &learner, &url, &suspend).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["result"], "true");
    assert_eq!(r.json()["events"], json!(["initialized", "suspended"]));
    // The same commit again (a retry) records nothing new.
    let r = commit(&app, &learner, &url, &suspend).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["events"], json!([]));

    // She comes back: the same attempt, where she left it.
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &learner)
        .await;
    let html = page.text();
    assert!(html.contains("Attempt 1 resumed"), "{html}");
    let unit = &player_data(&html)["units"][0];
    assert_eq!(unit["commit_url"], url.as_str());
    assert_eq!(unit["cmi"]["core"]["entry"], "resume");
    assert_eq!(unit["cmi"]["core"]["lesson_location"], "page-3");
    assert_eq!(unit["cmi"]["suspend_data"], "seen=1,2,3");
    assert_eq!(unit["cmi"]["core"]["lesson_status"], "incomplete");

    // Bad commits are refused and change nothing.
    let valid = json!({"cmi": {"core": {"lesson_status": "incomplete"}}}).to_string();
    let r = commit_with(&app, &learner, &url, None, &valid).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = commit_with(&app, &learner, &url, Some("wrong"), &valid).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a wrong CSRF token");
    let r = commit_with(&app, &learner, &url, Some(&csrf_of(&learner)), "{not json").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    assert_eq!(r.json()["result"], "false");
    for (bad, element) in [
        (
            json!({"cmi": {"core": {"lesson_status": "done"}}}),
            "lesson_status",
        ),
        (
            json!({"cmi": {"core": {"score": {"raw": "150"}}}}),
            "score.raw",
        ),
        (
            json!({"cmi": {"core": {"exit": "normal"}}}),
            "cmi.core.exit",
        ),
        (
            json!({"cmi": {"suspend_data": "x".repeat(5000), "core": {}}}),
            "suspend_data",
        ),
        (json!({"core": {}}), "cmi"),
    ] {
        let r = commit(&app, &learner, &url, &bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {}",
            r.text()
        );
        assert!(r.text().contains(element), "{element}: {}", r.text());
    }
    let unknown_sco = url.replace("/scos/item_1/", "/scos/item_9/");
    let r = commit(&app, &learner, &unknown_sco, &json!({"cmi": {"core": {}}})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Ben cannot write into Anna's attempt.
    let r = commit(
        &app,
        &ben,
        &url,
        &json!({"cmi": {"core": {"lesson_status": "passed"}}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &learner)
        .await;
    let unit = &player_data(&page.text())["units"][0];
    assert_eq!(unit["cmi"]["core"]["lesson_status"], "incomplete");
    assert_eq!(unit["cmi"]["suspend_data"], "seen=1,2,3");

    // She passes and finishes.
    let passed = json!({"cmi": {"suspend_data": "seen=1,2,3,4", "core": {"lesson_status": "passed",
        "exit": "", "lesson_location": "page-4", "score": {"raw": "90", "min": "0", "max": "100"}}}});
    let r = commit(&app, &learner, &url, &passed).await;
    assert_eq!(
        r.json()["events"],
        json!(["resumed", "passed"]),
        "{}",
        r.text()
    );
    assert_eq!(r.json()["attempt_status"], "passed");
    assert_eq!(r.json()["attempt_finished"], false, "the SCO is still open");
    let mut finish = passed.clone();
    finish["terminated"] = json!(true);
    let r = commit(&app, &learner, &url, &finish).await;
    assert_eq!(r.json()["events"], json!(["terminated"]), "{}", r.text());
    assert_eq!(r.json()["attempt_finished"], true);
    // A finished attempt takes no more commits.
    let r = commit(&app, &learner, &url, &passed).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());

    // The LRS holds each statement once, the course's result about the opportunity itself.
    let course = format!("http://localhost/catalog/opportunities/{id}");
    let sco = format!("{course}/sco/item%5F1");
    let recorded = verbs(&app, &reader, &registration).await;
    let expected: Vec<(String, String)> = [
        ("initialized", &sco),
        ("suspended", &sco),
        ("resumed", &sco),
        ("passed", &sco),
        ("passed", &course),
        ("terminated", &sco),
    ]
    .iter()
    .map(|(v, o)| ((*v).to_owned(), (*o).clone()))
    .collect();
    assert_eq!(recorded, expected);

    // The completions reader puts it into Anna's learning record.
    let added = mycel_app::assignments::catch_up(&*app.store, scope)
        .await
        .unwrap();
    assert_eq!(added, 1);
    let record = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning", anna.id),
            &learner,
        )
        .await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.text());
    assert_eq!(record.json()["assignments"][0]["status"], "completed");

    // The next launch is attempt 2, from the beginning; attempt 1 stays.
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &learner)
        .await;
    let html = page.text();
    assert!(html.contains("Attempt 2 started."), "{html}");
    assert_eq!(
        player_data(&html)["units"][0]["cmi"]["core"]["entry"],
        "ab-initio"
    );
    let attempts = app
        .store
        .scorm_attempts(scope, anna.id, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1].status, "passed");
    assert!((attempts[1].score.unwrap() - 0.9).abs() < 1e-9);
    app.finish().await;
}

#[tokio::test]
async fn a_multi_sco_package_completes_when_every_sco_does() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let editor = app.login(&nord, "lnd@nord.example").await;
    let learner = app.login(&nord, "anna@nord.example").await;
    let reader = app.credential(&nord, &[Scope::StatementsRead]).await;
    let id = upload(&app, &editor, "RuntimeMinimumCalls_SCORM12.zip").await;
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &learner)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("id=\"scorm-toc\""));
    assert!(html.contains("Playing Golf Quiz"));
    let data = player_data(&html);
    let units = data["units"].as_array().unwrap().clone();
    assert_eq!(units.len(), 18);
    let registration = units[0]["commit_url"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(4)
        .unwrap()
        .to_owned();
    let course = format!("http://localhost/catalog/opportunities/{id}");
    for (i, unit) in units.iter().enumerate() {
        let r = commit(
            &app,
            &learner,
            unit["commit_url"].as_str().unwrap(),
            &json!({"cmi": {"core": {"lesson_status": "completed"}}, "terminated": true}),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let last = i == units.len() - 1;
        assert_eq!(r.json()["attempt_finished"], last, "after SCO {i}");
        let course_statements = verbs(&app, &reader, &registration)
            .await
            .into_iter()
            .filter(|(_, object)| *object == course)
            .count();
        assert_eq!(course_statements, usize::from(last), "after SCO {i}");
    }
    let recorded = verbs(&app, &reader, &registration).await;
    assert_eq!(recorded.len(), 18 * 3 + 1);
    assert_eq!(recorded.last().unwrap(), &("completed".to_owned(), course));
    app.finish().await;
}

#[tokio::test]
async fn a_scorm_2004_package_resumes_its_location() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let editor = app.login(&nord, "lnd@nord.example").await;
    let learner = app.login(&nord, "anna@nord.example").await;
    let id = upload(&app, &editor, "RuntimeBasicCalls_SCORM20043rdEdition.zip").await;
    let url = format!("/learn/opportunities/{id}/scorm");
    let data = player_data(&app.get(&url, &learner).await.text());
    assert_eq!(data["version"], "2004");
    let unit = &data["units"][0];
    assert_eq!(unit["cmi"]["entry"], "ab-initio");
    let commit_url = unit["commit_url"].as_str().unwrap().to_owned();
    let r = commit(
        &app,
        &learner,
        &commit_url,
        &json!({"cmi": {"completion_status": "incomplete", "exit": "suspend", "location": "4",
            "suspend_data": "abc"}, "terminated": true}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = commit(
        &app,
        &learner,
        &commit_url,
        &json!({"cmi": {"completion_status": "finished"}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = commit(
        &app,
        &learner,
        &commit_url,
        &json!({"cmi": {"score": {"scaled": "2"}}}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unit = &player_data(&app.get(&url, &learner).await.text())["units"][0];
    assert_eq!(unit["cmi"]["entry"], "resume");
    assert_eq!(unit["cmi"]["location"], "4");
    assert_eq!(unit["cmi"]["suspend_data"], "abc");
    app.finish().await;
}

#[tokio::test]
async fn only_scorm_opportunities_the_person_may_see_are_played() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let sued = app.tenant("sued").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&sued, "eva@sued.example", AccessRole::Learner, None)
        .await;
    let editor = app.login(&nord, "lnd@nord.example").await;
    let stranger = app.login(&sued, "eva@sued.example").await;
    let id = upload(&app, &editor, "singlescobasic.zip").await;
    // Another company's learner does not see it.
    let r = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &stranger)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Without login: the login page.
    let r = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &Auth::None)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Not an id, or no such opportunity.
    for path in [
        "/learn/opportunities/x/scorm".to_owned(),
        format!("/learn/opportunities/{}/scorm", uuid::Uuid::now_v7()),
    ] {
        assert_eq!(
            app.get(&path, &editor).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The API file is served with a long cache.
    let page = app
        .get(&format!("/learn/opportunities/{id}/scorm"), &editor)
        .await
        .text();
    let src = page
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let js = app.get(&src, &Auth::None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(js.text().contains("Scorm12API"));
    assert!(js.headers[header::CACHE_CONTROL]
        .to_str()
        .unwrap()
        .contains("immutable"));
    app.finish().await;
}
