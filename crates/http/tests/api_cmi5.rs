//! cmi5 through HTTP, as an AU and an LMS administrator see it: launch (API and the learner's
//! "Start" button), the AU's files, the one-time fetch URL, `LMS.LaunchData`, the learner
//! preferences rule, statements that keep or break the cmi5 rules, "satisfied" and the completion
//! in the learner's record, abandon, waive. Runs on SQLite, or on PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use base64::Engine;
use common::*;
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::{json, Value};
use std::collections::HashMap;

const PACKAGE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/packages/cmi5/single_au_basic_framed.zip"
);
const XAPI_VERSION: &str = "1.0.3";

/// The launch URL's parameters.
struct Launch {
    url: String,
    path: String,
    params: HashMap<String, String>,
    registration: String,
    session: String,
}

impl Launch {
    fn from(response: &Value) -> Self {
        let url = response["url"].as_str().unwrap().to_owned();
        let (before, query) = url.split_once('?').unwrap();
        let path = before
            .strip_prefix("http://localhost")
            .unwrap_or(before)
            .to_owned();
        let params: HashMap<String, String> = serde_urlencoded::from_str(query).unwrap();
        Self {
            url: url.clone(),
            path,
            registration: response["registration"].as_str().unwrap().to_owned(),
            session: response["session"].as_str().unwrap().to_owned(),
            params,
        }
    }

    fn fetch_path(&self) -> String {
        self.params["fetch"]
            .strip_prefix("http://localhost")
            .unwrap()
            .to_owned()
    }

    fn actor(&self) -> Value {
        serde_json::from_str(&self.params["actor"]).unwrap()
    }
}

async fn upload_course(app: &TestApp, admin: &Auth) -> String {
    let zip = std::fs::read(PACKAGE).expect("the cmi5 example package");
    let request = TestApp::request(Method::POST, "/api/v1/tenants/nord/packages", admin)
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(zip))
        .unwrap();
    let uploaded = app.send(request).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text());
    uploaded.json()["opportunity"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The auth-token as Basic credentials.
fn token_auth(token: &str) -> Auth {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token)
        .expect("the auth-token is base64");
    let text = String::from_utf8(decoded).unwrap();
    let (key, secret) = text.split_once(':').unwrap();
    Auth::Basic {
        key: key.to_owned(),
        secret: secret.to_owned(),
    }
}

async fn xapi(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<Value>,
) -> TestResponse {
    let mut request =
        TestApp::request(method, path, auth).header("X-Experience-API-Version", XAPI_VERSION);
    let body = match body {
        Some(value) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(value.to_string())
        }
        None => Body::empty(),
    };
    app.send(request.body(body).unwrap()).await
}

fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

/// A registration's statements, oldest first, and their verbs' last path segments.
async fn registration_statements(
    app: &TestApp,
    admin: &Auth,
    registration: &str,
) -> (Vec<Value>, Vec<String>) {
    let listed = xapi(
        app,
        Method::GET,
        &format!(
            "/xapi/statements?{}",
            query(&[("registration", registration), ("ascending", "true")])
        ),
        admin,
        None,
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text());
    let statements = listed.json()["statements"].as_array().unwrap().clone();
    let verbs = statements
        .iter()
        .map(|s| {
            s["verb"]["id"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    (statements, verbs)
}

/// A statement of the AU, built from the launch data's context template as an AU does.
fn au_statement(
    launch: &Launch,
    launch_data: &Value,
    verb: &str,
    moveon: bool,
    result: Option<Value>,
) -> Value {
    let mut context = launch_data["contextTemplate"].clone();
    context["registration"] = json!(launch.registration);
    let mut categories = vec![json!({"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"})];
    if moveon {
        categories.push(json!({"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}));
    }
    context["contextActivities"]["category"] = Value::Array(categories);
    let mut statement = json!({
        "id": uuid::Uuid::new_v4(),
        "actor": launch.actor(),
        "verb": {"id": verb},
        "object": {"id": launch.params["activityId"], "objectType": "Activity"},
        "context": context,
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    });
    if let Some(result) = result {
        statement["result"] = result;
    }
    statement
}

const INITIALIZED: &str = "http://adlnet.gov/expapi/verbs/initialized";
const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";

#[tokio::test]
async fn an_au_runs_by_the_cmi5_rules_and_completes_the_course() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let scope = TenantScope::system(nord.id);
    let admin = app.credential(&nord, &[Scope::All]).await;
    let learner = app
        .person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let course = upload_course(&app, &admin).await;
    // L&D assigns the course to the learner; its completion will show in their record.
    let published = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}/lifecycle"),
            &admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert!(published.status.is_success(), "{}", published.text());
    let assigned = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}/assignments"),
            &admin,
            &json!({"person_ids": [learner.id]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());

    // Launch for a person of the company.
    let launched = app
        .post_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}/cmi5/launches"),
            &admin,
            &json!({"au_index": 0, "person_id": learner.id}),
        )
        .await;
    assert_eq!(launched.status, StatusCode::CREATED, "{}", launched.text());
    let launch = Launch::from(&launched.json());
    assert!(launch.url.starts_with("http://localhost/cmi5/content/"));
    assert_eq!(launch.params["endpoint"], "http://localhost/xapi/");
    assert_eq!(launch.params["registration"], launch.registration);
    assert_eq!(launch.actor()["account"]["name"], learner.id.to_string());
    assert!(launch.params["activityId"].starts_with(&format!(
        "http://localhost/catalog/opportunities/{course}/au/"
    )));

    // The AU's files load without a Mycel login, sandboxed; a wrong key finds nothing.
    let page = app.get(&launch.path, &Auth::None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .starts_with("sandbox"));
    let wrong_key = launch.path.replacen("/content/", "/content/x", 1);
    assert_eq!(
        app.get(&wrong_key, &Auth::None).await.status,
        StatusCode::NOT_FOUND
    );

    // The fetch URL gives a token once; then the error document of 8.2.3.
    let fetched = app
        .post_json(&launch.fetch_path(), &Auth::None, &json!({}))
        .await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.headers["access-control-allow-origin"], "*");
    let token = fetched.json()["auth-token"].as_str().unwrap().to_owned();
    let again = app
        .post_json(&launch.fetch_path(), &Auth::None, &json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["error-code"], "1");
    let au = token_auth(&token);

    // LMS.LaunchData: readable, not writable by the AU.
    let actor = launch.actor().to_string();
    let state_query = query(&[
        ("activityId", &launch.params["activityId"]),
        ("agent", &actor),
        ("registration", &launch.registration),
        ("stateId", "LMS.LaunchData"),
    ]);
    let launch_data = xapi(
        &app,
        Method::GET,
        &format!("/xapi/activities/state?{state_query}"),
        &au,
        None,
    )
    .await;
    assert_eq!(launch_data.status, StatusCode::OK, "{}", launch_data.text());
    let launch_data = launch_data.json();
    assert_eq!(launch_data["launchMode"], "Normal");
    assert_eq!(launch_data["moveOn"], "CompletedOrPassed");
    let overwrite = xapi(
        &app,
        Method::PUT,
        &format!("/xapi/activities/state?{state_query}"),
        &au,
        Some(json!({})),
    )
    .await;
    assert_eq!(overwrite.status, StatusCode::FORBIDDEN);
    assert!(overwrite.text().contains("10.2.1"), "{}", overwrite.text());

    // "initialized" only after the learner preferences were read (11.0).
    let initialized = au_statement(&launch, &launch_data, INITIALIZED, false, None);
    let early = xapi(
        &app,
        Method::POST,
        "/xapi/statements",
        &au,
        Some(initialized.clone()),
    )
    .await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.text());
    let preferences = query(&[("agent", &actor), ("profileId", "cmi5LearnerPreferences")]);
    let read = xapi(
        &app,
        Method::GET,
        &format!("/xapi/agents/profile?{preferences}"),
        &au,
        None,
    )
    .await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    let bad_preferences = xapi(
        &app,
        Method::PUT,
        &format!("/xapi/agents/profile?{preferences}"),
        &au,
        Some(json!({"languagePreference": "en-US"})),
    )
    .await;
    assert_eq!(
        bad_preferences.status,
        StatusCode::FORBIDDEN,
        "{}",
        bad_preferences.text()
    );
    let ok = xapi(
        &app,
        Method::POST,
        "/xapi/statements",
        &au,
        Some(initialized),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());

    // A statement breaking the rules is refused and stores nothing: "completed" needs the
    // moveOn category and a duration (9.6.2.2, 9.5.4.1).
    let sloppy = au_statement(
        &launch,
        &launch_data,
        COMPLETED,
        false,
        Some(json!({"completion": true})),
    );
    let refused = xapi(&app, Method::POST, "/xapi/statements", &au, Some(sloppy)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert_eq!(refused.error_code(), "cmi5_rule");

    // The AU names its statements (9.1): one without an id is refused.
    let mut anonymous = au_statement(
        &launch,
        &launch_data,
        "http://adlnet.gov/expapi/verbs/experienced",
        false,
        None,
    );
    anonymous.as_object_mut().unwrap().remove("id");
    anonymous["context"]["contextActivities"]
        .as_object_mut()
        .unwrap()
        .remove("category");
    let refused = xapi(&app, Method::POST, "/xapi/statements", &au, Some(anonymous)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    assert!(refused.text().contains("9.1"), "{}", refused.text());

    let completed = au_statement(
        &launch,
        &launch_data,
        COMPLETED,
        true,
        Some(json!({"completion": true, "duration": "PT4M30S"})),
    );
    let ok = xapi(&app, Method::POST, "/xapi/statements", &au, Some(completed)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let terminated = au_statement(
        &launch,
        &launch_data,
        TERMINATED,
        false,
        Some(json!({"duration": "PT5M"})),
    );
    let ok = xapi(
        &app,
        Method::POST,
        "/xapi/statements",
        &au,
        Some(terminated),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    // The token lives only as long as the session (8.2.1).
    let after = xapi(&app, Method::GET, "/xapi/statements", &au, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);

    // The registration's statements, in order: launched, initialized, completed, satisfied (the
    // course: one AU), terminated.
    let (_, verbs) = registration_statements(&app, &admin, &launch.registration).await;
    assert_eq!(
        verbs,
        [
            "launched",
            "initialized",
            "completed",
            "satisfied",
            "terminated"
        ]
    );

    // The satisfied course completes the opportunity in the learner's record.
    mycel_app::assignments::catch_up(&*app.store, scope)
        .await
        .unwrap();
    let record = app
        .get(
            &format!("/api/v1/tenants/nord/people/{}/learning", learner.id),
            &admin,
        )
        .await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.text());
    let record = record.json();
    assert_eq!(record["assignments"][0]["opportunity_id"], course);
    assert_eq!(record["assignments"][0]["status"], "completed", "{record}");
    let progress = app
        .get(
            &format!(
                "/api/v1/tenants/nord/opportunities/{course}/cmi5/progress/{}",
                learner.id
            ),
            &admin,
        )
        .await
        .json();
    assert_eq!(progress["satisfied"], true);
    assert_eq!(progress["aus"][0]["completed"], true);
    app.finish().await;
}

#[tokio::test]
async fn sessions_are_abandoned_by_a_new_launch_or_an_administrator_and_aus_waived() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    let course = upload_course(&app, &admin).await;
    let outsider = json!({"account": {"homePage": "https://lms.example.com", "name": "learner-7"}});
    let launches = format!("/api/v1/tenants/nord/opportunities/{course}/cmi5/launches");

    let first = app
        .post_json(&launches, &admin, &json!({"actor": outsider}))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first = Launch::from(&first.json());
    // Launching again in the same registration abandons the open session (9.3.6).
    let second = app
        .post_json(&launches, &admin, &json!({"actor": outsider, "registration": first.registration, "launch_mode": "Browse"}))
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text());
    let second = Launch::from(&second.json());
    assert_eq!(second.registration, first.registration);
    // The first session's fetch URL now answers that the session ended.
    let stale = app
        .post_json(&first.fetch_path(), &Auth::None, &json!({}))
        .await;
    assert_eq!(stale.json()["error-code"], "1");

    // An administrator abandons the second; twice is refused.
    let abandon = format!(
        "/api/v1/tenants/nord/cmi5/sessions/{}/abandon",
        second.session
    );
    assert_eq!(
        app.post_json(&abandon, &admin, &json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.post_json(&abandon, &admin, &json!({})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Waive the AU: "waived" and "satisfied" for the course.
    let waivers = format!(
        "/api/v1/tenants/nord/cmi5/registrations/{}/waivers",
        first.registration
    );
    let waived = app
        .post_json(
            &waivers,
            &admin,
            &json!({"au_index": 0, "reason": "Tested Out"}),
        )
        .await;
    assert_eq!(waived.status, StatusCode::CREATED, "{}", waived.text());
    let again = app
        .post_json(
            &waivers,
            &admin,
            &json!({"au_index": 0, "reason": "Tested Out"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app
        .post_json(
            &waivers,
            &admin,
            &json!({"au_index": 3, "reason": "Administrative"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (statements, verbs) = registration_statements(&app, &admin, &first.registration).await;
    assert_eq!(
        verbs,
        [
            "launched",
            "abandoned",
            "launched",
            "abandoned",
            "waived",
            "satisfied"
        ]
    );
    assert_eq!(statements[1]["actor"]["account"]["name"], "learner-7");
    assert_eq!(
        statements[1]["context"]["extensions"]
            ["https://w3id.org/xapi/cmi5/context/extensions/sessionid"],
        first.session
    );

    // A session whose AU goes silent is abandoned by the timeout.
    let third = app
        .post_json(&launches, &admin, &json!({"actor": outsider}))
        .await;
    let third = Launch::from(&third.json());
    let signal = mycel_app::statement_feed::StatementSignal::default();
    let runtime = mycel_app::cmi5::Cmi5Runtime::new();
    let ctx = mycel_app::cmi5::Cmi5Context {
        store: &*app.store,
        catalogue: &app.catalogue,
        runtime: &runtime,
        signal: &signal,
        home_page: "http://localhost",
        base_url: "http://localhost",
    };
    let now = chrono::Utc::now();
    assert_eq!(
        mycel_app::cmi5::abandon_idle_sessions(&ctx, now)
            .await
            .unwrap(),
        0
    );
    let later = now + mycel_app::cmi5::SESSION_IDLE_LIMIT + chrono::TimeDelta::minutes(1);
    assert_eq!(
        mycel_app::cmi5::abandon_idle_sessions(&ctx, later)
            .await
            .unwrap(),
        1
    );
    let (_, verbs) = registration_statements(&app, &admin, &third.registration).await;
    assert_eq!(verbs, ["launched", "abandoned"]);

    // Bad requests: nobody to learn, an unknown launch mode, a learner without an account, and
    // someone who may not manage the catalogue.
    for body in [
        json!({}),
        json!({"actor": outsider, "launch_mode": "Fast"}),
        json!({"actor": {"mbox": "mailto:a@example.com"}}),
    ] {
        let response = app.post_json(&launches, &admin, &body).await;
        assert!(
            response.status == StatusCode::BAD_REQUEST
                || response.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {} {}",
            response.status,
            response.text()
        );
    }
    let reader = app.credential(&nord, &[Scope::CatalogueRead]).await;
    assert_eq!(
        app.post_json(&launches, &reader, &json!({"actor": outsider}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.finish().await;
}

#[tokio::test]
async fn a_learner_starts_a_published_course_from_its_page() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let admin = app.credential(&nord, &[Scope::All]).await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let course = upload_course(&app, &admin).await;
    let publish = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{course}/lifecycle"),
            &admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert!(publish.status.is_success(), "{}", publish.text());
    let anna = app.login(&nord, "anna@nord.example").await;
    let page = app
        .get(&format!("/catalog/opportunities/{course}"), &anna)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("id=\"opportunity-launch\""));

    let started = app
        .post_form(
            &format!("/learn/opportunities/{course}/cmi5"),
            cookies(&anna),
            &[],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.text());
    let to = started.location().unwrap();
    assert!(
        to.contains("/cmi5/content/") && to.contains("fetch="),
        "{to}"
    );
    // Continuing reuses the registration.
    let again = app
        .post_form(
            &format!("/learn/opportunities/{course}/cmi5"),
            cookies(&anna),
            &[],
        )
        .await;
    let registration = |url: &str| {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix("registration="))
            .unwrap()
            .to_owned()
    };
    assert_eq!(registration(to), registration(again.location().unwrap()));
    let page = app
        .get(&format!("/catalog/opportunities/{course}"), &anna)
        .await;
    assert!(page.text().contains("id=\"opportunity-progress\""));
    // Without the form's token nothing starts.
    let forged = app
        .send(
            TestApp::request(
                Method::POST,
                &format!("/learn/opportunities/{course}/cmi5"),
                &anna,
            )
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("csrf=wrong"))
            .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    app.finish().await;
}
