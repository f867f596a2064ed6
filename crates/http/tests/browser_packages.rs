//! The example e-learning packages played in a real browser (headless Chromium over WebDriver, see
//! `common/browser.rs`), as a learner plays them: an administrator uploads, publishes and assigns
//! the package through the API; the learner logs in, opens the opportunity, starts it, works
//! through the content to its quiz, answers it and exits. Then the LRS holds the registration's
//! (cmi5) or attempt's (SCORM) statements, and after the completions reader has caught up, the
//! learner's record shows the assignment completed.
//!
//! Packages: Rustici's cmi5 "single AU basic framed" sample (cmi5.js in a sandboxed page, talking
//! to Mycel's LRS with CORS) and the SCORM 1.2 and 2004 "golf examples" (the SCO in Mycel's
//! SCORM player, scorm-again as the API). Screenshots of each go to `$MYCEL_TEST_ARTIFACTS`
//! (default `target/test-artifacts/`). Runs on SQLite, or on PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`.
//!
//! ```text
//! scripts/install-browser
//! cargo test -p mycel-http --test browser_packages
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use browser::{Browser, Listener, Outcome, Page};
use common::{Auth, TestApp, PASSWORD};
use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::Locator;
use mycel_http::HttpConfig;
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::{json, Value};
use std::path::PathBuf;

const PACKAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/packages");
const LEARNER: &str = "anna@nord.example";
const XAPI_VERSION: &str = "1.0.3";

/// An app served on a local port (its public URL is that address, so every URL it hands to
/// content names the host the browser uses), with an administrator's API credential, a learner
/// and a published opportunity of the package, assigned to the learner.
struct Course {
    app: TestApp,
    base: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    admin: Auth,
    scope: TenantScope,
    tenant: mycel_organisation::Tenant,
    learner: mycel_organisation::PersonId,
    opportunity: String,
}

impl Course {
    async fn set_up(package: &str) -> Self {
        let listener = Listener::bind().await;
        let base = listener.base();
        let app = TestApp::with_config(HttpConfig {
            public_url: Some(base.clone()),
            ..HttpConfig::default()
        })
        .await;
        let nord = app.tenant("nord").await;
        let scope = TenantScope::system(nord.id);
        let admin = app.credential(&nord, &[Scope::All]).await;
        let learner = app.person(&nord, LEARNER, AccessRole::Learner, None).await;

        let zip = std::fs::read(format!("{PACKAGES}/{package}"))
            .unwrap_or_else(|e| panic!("the example package {package}: {e}"));
        let request = TestApp::request(Method::POST, "/api/v1/tenants/nord/packages", &admin)
            .header(header::CONTENT_TYPE, "application/zip")
            .body(Body::from(zip))
            .unwrap();
        let uploaded = app.send(request).await;
        assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text());
        let opportunity = uploaded.json()["opportunity"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let published = app
            .put_json(
                &format!("/api/v1/tenants/nord/opportunities/{opportunity}/lifecycle"),
                &admin,
                &json!({"lifecycle": "published"}),
            )
            .await;
        assert!(published.status.is_success(), "{}", published.text());
        let assigned = app
            .post_json(
                &format!("/api/v1/tenants/nord/opportunities/{opportunity}/assignments"),
                &admin,
                &json!({"person_ids": [learner.id]}),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());

        let server = listener.serve(app.router.clone());
        Self {
            app,
            base,
            server,
            admin,
            scope,
            tenant: nord,
            learner: learner.id,
            opportunity,
        }
    }

    /// The statements of a registration, oldest first.
    async fn statements(&self, registration: &str) -> Vec<Value> {
        self.lrs().statements(registration).await
    }

    fn lrs(&self) -> Lrs {
        Lrs {
            router: self.app.router.clone(),
            admin: self.admin.clone(),
        }
    }

    /// The learner's assignment of the opportunity in their record, once the completions reader
    /// has read the statements.
    async fn assignment_status(&self) -> String {
        mycel_app::assignments::catch_up(&*self.app.store, self.scope)
            .await
            .expect("the completions reader catches up");
        let record = self
            .app
            .get(
                &format!("/api/v1/tenants/nord/people/{}/learning", self.learner),
                &self.admin,
            )
            .await;
        assert_eq!(record.status, StatusCode::OK, "{}", record.text());
        let record = record.json();
        let assignment = record["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["opportunity_id"] == json!(self.opportunity))
            .unwrap_or_else(|| panic!("the assignment is in the record: {record}"))
            .clone();
        assignment["status"].as_str().unwrap_or_default().to_owned()
    }

    async fn finish(self) {
        self.server.abort();
        self.app.finish().await;
    }
}

/// Mycel's LRS, read in-process with the administrator's credential.
#[derive(Clone)]
struct Lrs {
    router: axum::Router,
    admin: Auth,
}

impl Lrs {
    /// The statements of a registration, oldest first.
    async fn statements(&self, registration: &str) -> Vec<Value> {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let query = serde_urlencoded::to_string([
            ("registration", registration),
            ("ascending", "true"),
            ("limit", "500"),
        ])
        .unwrap();
        let request = TestApp::request(
            Method::GET,
            &format!("/xapi/statements?{query}"),
            &self.admin,
        )
        .header("X-Experience-API-Version", XAPI_VERSION)
        .body(Body::empty())
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let listed: Value = serde_json::from_slice(&body).unwrap();
        listed["statements"].as_array().unwrap().clone()
    }

    /// Waits until the registration has a statement with this verb (`…/verbs/{verb}`).
    async fn wait_for_verb(&self, registration: &str, verb: &str) {
        let deadline = std::time::Instant::now() + browser::PAGE_TIMEOUT;
        loop {
            let statements = self.statements(registration).await;
            if verbs(&statements).iter().any(|(v, _)| v == verb) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no {verb:?} statement after {:?}: {:?}",
                browser::PAGE_TIMEOUT,
                verbs(&statements)
            );
            tokio::time::sleep(browser::POLL_INTERVAL).await;
        }
    }
}

/// The last part of each statement's verb id, with its object's id.
fn verbs(statements: &[Value]) -> Vec<(String, String)> {
    statements
        .iter()
        .map(|s| {
            let verb = s["verb"]["id"].as_str().unwrap_or_default();
            (
                verb.rsplit('/').next().unwrap_or_default().to_owned(),
                s["object"]["id"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

// ---- cmi5 ----

const CMI5_VERBS: [&str; 9] = [
    "launched",
    "initialized",
    "completed",
    "passed",
    "failed",
    "abandoned",
    "waived",
    "terminated",
    "satisfied",
];

#[tokio::test]
async fn a_learner_passes_the_cmi5_example_in_a_browser() {
    let course = Course::set_up("cmi5/single_au_basic_framed.zip").await;
    let browser = Browser::start("chromedriver-cmi5.log").await;
    let walk = Cmi5Walk {
        page: browser.page(),
        base: course.base.clone(),
        opportunity: course.opportunity.clone(),
        screenshot: browser.artifacts.join("cmi5-au.png"),
        from_path: false,
    };
    let outcome = browser.run("cmi5", walk.run()).await;
    browser.close().await;
    let (registration, au) = match outcome {
        Outcome::Done(launched) => launched,
        Outcome::Failed(failure) => {
            course.finish().await;
            failure.raise()
        }
    };

    // The AU's statements and Mycel's own, in the order they were stored.
    let statements = course.statements(&registration).await;
    let all = verbs(&statements);
    // The cmi5 defined statements: about the AU, and the LMS's "satisfied" about the course.
    let course_activity = format!(
        "{}/catalog/opportunities/{}/course/",
        course.base, course.opportunity
    );
    let cmi5: Vec<&str> = all
        .iter()
        .filter(|(verb, object)| {
            CMI5_VERBS.contains(&verb.as_str())
                && (*object == au || object.starts_with(&course_activity))
        })
        .map(|(verb, _)| verb.as_str())
        .collect();
    assert_eq!(
        cmi5,
        [
            "launched",
            "initialized",
            "passed",
            "satisfied",
            "completed",
            "terminated"
        ],
        "the cmi5 statements of the registration: {all:?}"
    );
    // The learner read every page before the quiz.
    let experienced = all.iter().filter(|(verb, _)| verb == "experienced").count();
    assert_eq!(experienced, 8, "one statement per page: {all:?}");
    let passed = statements
        .iter()
        .find(|s| s["verb"]["id"] == json!("http://adlnet.gov/expapi/verbs/passed"))
        .unwrap();
    assert_eq!(passed["result"]["success"], json!(true), "{passed}");
    assert_eq!(
        passed["result"]["score"]["scaled"].as_f64(),
        Some(1.0),
        "{passed}"
    );
    assert_eq!(
        passed["actor"]["account"]["name"],
        json!(course.learner.to_string()),
        "the learner's statement: {passed}"
    );
    // The answers of the quiz went to the LRS too (cmi5 "allowed" statements).
    let answered = all.iter().filter(|(verb, _)| verb == "answered").count();
    assert_eq!(answered, 5, "one statement per question: {all:?}");

    assert_eq!(course.assignment_status().await, "completed");
    course.finish().await;
}

/// Issue 6's walk: a learner with a goal gets a path; its first step (the cmi5 course, which
/// teaches the goal's competency) is played from the path; afterwards the path has moved on to the
/// next step and the competency's estimate has risen from the course's statements.
#[tokio::test]
async fn a_learner_walks_their_path_through_a_cmi5_course() {
    let course = Course::set_up("cmi5/single_au_basic_framed.zip").await;
    competency_fixture::import(&*course.app.store).await;
    let till = competency_fixture::competency_id(
        &*course.app.store,
        course.scope,
        competency_fixture::TILL,
    )
    .await;
    let shelves = competency_fixture::competency_id(
        &*course.app.store,
        course.scope,
        competency_fixture::SHELVES,
    )
    .await;
    // The course teaches the till to 2; a video teaches shelf stocking.
    let path = format!("/api/v1/tenants/nord/opportunities/{}", course.opportunity);
    let mut input = course.app.get(&path, &course.admin).await.json();
    for field in [
        "id",
        "tenant_id",
        "lifecycle",
        "provider",
        "created_at",
        "updated_at",
    ] {
        input.as_object_mut().unwrap().remove(field);
    }
    input["alignments"] = json!([{"competency_id": till, "level": 2.0}]);
    input["duration_minutes"] = json!(30);
    let updated = course.app.put_json(&path, &course.admin, &input).await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text());
    let video = course
        .app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &course.admin,
            &json!({"modality": "video", "title": {"de": "Regale einräumen", "en": "Stocking shelves"},
                    "description": {"de": "", "en": ""}, "content_language": "de", "duration_minutes": 45,
                    "link": "https://media.example.com/regale",
                    "alignments": [{"competency_id": shelves, "level": 2.0}]}),
        )
        .await;
    assert_eq!(video.status, StatusCode::CREATED, "{}", video.text());
    let video = video.json()["id"].as_str().unwrap().to_owned();
    let published = course
        .app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{video}/lifecycle"),
            &course.admin,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert!(published.status.is_success(), "{}", published.text());
    // Anna's goals: the till at 2 (the course first: it is the larger gap and she pins nothing),
    // shelf stocking at 2.
    for (competency, level) in [(till, 2.0), (shelves, 2.0)] {
        course
            .app
            .store
            .create_learning_goal(
                course.scope,
                mycel_store::competencies::LearningGoal {
                    id: mycel_organisation::LearningGoalId::generate(),
                    person_id: course.learner,
                    competency_id: competency,
                    target: mycel_competency::scale::Level::new(level).unwrap(),
                    due: None,
                    created_at: chrono::Utc::now(),
                },
            )
            .await
            .unwrap();
    }
    let session = course.app.login(&course.tenant, LEARNER).await;
    let before = course.app.get("/learn/path", &session).await.text();
    assert!(before.contains(&format!("id=\"step-{video}\"")), "{before}");

    let browser = Browser::start("chromedriver-path.log").await;
    let walk = Cmi5Walk {
        page: browser.page(),
        base: course.base.clone(),
        opportunity: course.opportunity.clone(),
        screenshot: browser.artifacts.join("path-cmi5-au.png"),
        from_path: true,
    };
    let outcome = browser.run("path", walk.run()).await;
    browser.close().await;
    if let Outcome::Failed(failure) = outcome {
        course.finish().await;
        failure.raise()
    }

    // The statements become a completion and evidence; the path moves on to the video.
    assert_eq!(course.assignment_status().await, "completed");
    mycel_app::statement_evidence::catch_up(&*course.app.store, course.scope)
        .await
        .expect("the evidence reader catches up");
    let after = course.app.get("/learn/path", &session).await.text();
    assert!(
        !after.contains(&format!("id=\"step-{}\"", course.opportunity)),
        "{after}"
    );
    assert!(after.contains(&format!("id=\"step-{video}\"")), "{after}");
    let profile = course
        .app
        .get(
            &format!(
                "/api/v1/tenants/nord/people/{}/competency-profile",
                course.learner
            ),
            &session,
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text());
    let profile = profile.json();
    let till_entry = profile["competencies"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["competency"]["id"] == json!(till))
        .unwrap_or_else(|| panic!("the till in the profile: {profile}"));
    let level = till_entry["estimate"]["level"].as_f64().unwrap_or(0.0);
    assert!(
        level > 0.0,
        "the course raised the till's estimate: {till_entry}"
    );
    course.finish().await;
}

struct Cmi5Walk {
    page: Page,
    base: String,
    opportunity: String,
    screenshot: PathBuf,
    /// Start from "My learning path" (the course must be its first step) instead of the
    /// opportunity's page.
    from_path: bool,
}

impl Cmi5Walk {
    /// Logs in, launches the AU, passes its quiz, exits; answers the registration and the AU's
    /// activity id.
    async fn run(self) -> Result<(String, String), CmdError> {
        let p = &self.page;
        p.log_in(&self.base, "nord", LEARNER, PASSWORD).await?;
        let opportunity_page = format!("/catalog/opportunities/{}", self.opportunity);
        if self.from_path {
            p.client.goto(&format!("{}/learn/path", self.base)).await?;
            let first = p
                .client
                .execute("return document.querySelector('.path-step').id;", vec![])
                .await?;
            assert_eq!(
                first,
                json!(format!("step-{}", self.opportunity)),
                "the course is the path's first step"
            );
            p.click(&format!("#step-{} h3 a", self.opportunity)).await?;
            p.wait_for_path(&opportunity_page).await?;
        } else {
            p.client
                .goto(&format!("{}{opportunity_page}", self.base))
                .await?;
        }
        p.click("#opportunity-launch").await?;

        // Mycel sends the browser to the AU's launch URL; the AU fetches its token and initializes.
        p.wait_for_script(
            "the AU's launch URL",
            "return location.pathname.startsWith('/cmi5/content/');",
        )
        .await?;
        let url = p.client.current_url().await?;
        let parameter = |wanted: &str| {
            url.query_pairs()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.into_owned())
                .unwrap_or_else(|| panic!("the launch URL names the {wanted}: {url}"))
        };
        let registration = parameter("registration");
        let au = parameter("activityId");
        // The first page is shown (and marked seen) once cmi5 initialized and read the bookmark.
        p.element(".navmenuitem.seen").await?;
        assert_eq!(
            p.attr("body", "class").await?.unwrap_or_default(),
            "",
            "the AU can save (no read-only bar)"
        );

        // Page after page to the quiz.
        let mut pages = 1;
        while p
            .client
            .find_all(Locator::Css("#content .quiz"))
            .await?
            .is_empty()
        {
            assert!(pages < 20, "the quiz comes after a few pages");
            p.click("#next").await?;
            pages += 1;
        }
        p.fill("#q0", "3").await?;
        p.click("#q1 option[value='crust']").await?;
        p.fill("#q2", "3").await?;
        p.click("label[for='q3_2']").await?;
        p.click("#q4 option[value='luster']").await?;
        p.click("#q4 option[value='hardness']").await?;
        p.click("#content .quiz button[onclick='course.submitAnswers()']")
            .await?;
        p.element("#score-passed.visible").await?;
        assert_eq!(p.text("#score-panel-score").await?, "100");
        // The statements are on their way while the result shows.
        p.wait_for_script(
            "no statement still being sent",
            "return course.trackingPlugin.activeStatements === 0;",
        )
        .await?;
        let tracking_error = p
            .client
            .execute(
                "return document.getElementById('error-content').textContent;",
                vec![],
            )
            .await?;
        assert_eq!(tracking_error, json!(""), "no tracking error in the AU");
        p.screenshot(&self.screenshot).await?;

        // Exit: "terminated", then back to the opportunity's page (the launch's return URL).
        p.click("#score-panel .exit-button").await?;
        p.wait_for_path(&opportunity_page).await?;
        p.element("#opportunity-title").await?;
        Ok((registration, au))
    }
}

// ---- SCORM ----

#[tokio::test]
async fn a_learner_passes_the_scorm_12_example_in_a_browser() {
    // 1.2 has one status: "completed" (last page) and then "passed" (quiz) reach the server in the
    // one commit of LMSFinish, as "passed".
    play_scorm(
        "scorm/singlescobasic.zip",
        "scorm12",
        "scorm-12.png",
        &[
            "initialized",
            "suspended",
            "resumed",
            "passed",
            "terminated",
        ],
    )
    .await;
}

#[tokio::test]
async fn a_learner_passes_the_scorm_2004_example_in_a_browser() {
    play_scorm(
        "scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip",
        "scorm2004",
        "scorm-2004.png",
        &[
            "initialized",
            "suspended",
            "resumed",
            "completed",
            "passed",
            "terminated",
        ],
    )
    .await;
}

/// Plays a golf example (one SCO: pages, then a quiz) to its end and checks what was recorded:
/// the SCO's statements (`sco_verbs`), then, the attempt finished with the SCO's session, the
/// course's result.
async fn play_scorm(package: &str, name: &str, screenshot: &str, sco_verbs: &[&str]) {
    let course = Course::set_up(package).await;
    let browser = Browser::start(&format!("chromedriver-{name}.log")).await;
    let walk = ScormWalk {
        page: browser.page(),
        lrs: course.lrs(),
        base: course.base.clone(),
        opportunity: course.opportunity.clone(),
        screenshot: browser.artifacts.join(screenshot),
    };
    let outcome = browser.run(name, walk.run()).await;
    browser.close().await;
    let attempt = match outcome {
        Outcome::Done(attempt) => attempt,
        Outcome::Failed(failure) => {
            course.finish().await;
            failure.raise()
        }
    };

    let statements = course.statements(&attempt).await;
    let activity = format!(
        "{}/catalog/opportunities/{}",
        course.base, course.opportunity
    );
    let mut expected: Vec<(String, String)> = sco_verbs
        .iter()
        .map(|verb| ((*verb).to_owned(), format!("{activity}/sco/item%5F1")))
        .collect();
    expected.push(("passed".to_owned(), activity.clone()));
    assert_eq!(verbs(&statements), expected, "the attempt's statements");
    let passed = statements.last().unwrap();
    assert_eq!(passed["result"]["success"], json!(true), "{passed}");
    assert_eq!(
        passed["result"]["score"]["scaled"].as_f64(),
        Some(1.0),
        "{passed}"
    );
    assert_eq!(
        passed["actor"]["account"]["name"],
        json!(course.learner.to_string())
    );
    assert_eq!(course.assignment_status().await, "completed");
    course.finish().await;
}

struct ScormWalk {
    page: Page,
    lrs: Lrs,
    base: String,
    opportunity: String,
    screenshot: PathBuf,
}

impl ScormWalk {
    /// Logs in, starts the player, reads a few pages of the SCO, leaves, comes back and resumes,
    /// reads the other pages, passes its quiz, exits; answers the attempt's id.
    async fn run(self) -> Result<String, CmdError> {
        let p = &self.page;
        p.log_in(&self.base, "nord", LEARNER, PASSWORD).await?;
        p.client
            .goto(&format!(
                "{}/catalog/opportunities/{}",
                self.base, self.opportunity
            ))
            .await?;
        p.click("#opportunity-start").await?;
        p.wait_for_path(&format!("/learn/opportunities/{}/scorm", self.opportunity))
            .await?;
        let attempt = p
            .element("#scorm-attempt")
            .await?
            .attr("data-attempt")
            .await?
            .expect("the attempt's id");
        assert_eq!(p.text("#scorm-attempt").await?, "Attempt 1 started.");

        // The SCO (the golf example's launch page) finds the API and shows its first page.
        p.enter_frame("#scorm-frame").await?;
        p.element("#contentFrame").await?;
        p.wait_for_script(
            "the SCO's first page",
            "return typeof currentPage === 'number' && currentPage === 0;",
        )
        .await?;
        // Three pages on, the learner leaves for the course page: the SCO finishes while its page
        // unloads (exit "suspend", the bookmark kept).
        for _ in 0..3 {
            p.click("#butNext").await?;
        }
        p.wait_for_script("the fourth page", "return currentPage === 3;")
            .await?;
        p.leave_frames().await?;
        p.click(&format!(
            "a[href='/catalog/opportunities/{}']",
            self.opportunity
        ))
        .await?;
        p.wait_for_path(&format!("/catalog/opportunities/{}", self.opportunity))
            .await?;
        // That last commit went out as the page unloaded, without waiting for its answer: a
        // learner coming back at once could be faster than it.
        self.lrs.wait_for_verb(&attempt, "suspended").await;

        // Back in the player: the same attempt, and the SCO offers to resume at its bookmark (a
        // dialog that holds up the page's loading, so the click may report it).
        match p.click("#opportunity-start").await {
            Err(CmdError::Standard(error)) if error.error == ErrorStatus::UnexpectedAlertOpen => {}
            other => other?,
        }
        let question = p.wait_for_alert().await?;
        assert_eq!(
            question,
            "Would you like to resume from where you previously left off?"
        );
        p.client.accept_alert().await?;
        assert_eq!(
            p.text("#scorm-attempt").await?,
            "Attempt 1 resumed where you left off."
        );
        p.wait_for_path(&format!("/learn/opportunities/{}/scorm", self.opportunity))
            .await?;
        p.enter_frame("#scorm-frame").await?;
        p.wait_for_script("the bookmarked page", "return currentPage === 3;")
            .await?;

        // Next, page after page, until the last one (the quiz), which disables "Next".
        let mut pages = 1;
        while p.prop("#butNext", "disabled").await? != "true" {
            assert!(pages < 40, "the quiz comes after a few pages");
            p.click("#butNext").await?;
            pages += 1;
        }

        // The quiz: the example marks its right answers (a learner who read the pages knows them).
        p.enter_frame("#contentFrame").await?;
        p.element("#frmTest input[type='button']").await?;
        let questions = p
            .client
            .find_all(Locator::Css("#frmTest .question"))
            .await?;
        assert!(!questions.is_empty(), "the quiz has questions");
        for question in &questions {
            let right = question.find(Locator::Css(".correctAnswer")).await?;
            let text_field = right.find_all(Locator::Css("input[type='text']")).await?;
            if let Some(field) = text_field.first() {
                // A number question shows its answer in brackets after the field.
                let shown = right.text().await?;
                let number: String = shown.chars().filter(char::is_ascii_digit).collect();
                field.send_keys(&number).await?;
            } else {
                right.find(Locator::Css("input")).await?.click().await?;
            }
        }
        p.click("#frmTest input[type='button']").await?;
        p.element("#test h3").await?;
        assert_eq!(p.text("#test h3").await?, "Score: 100");
        p.leave_frames().await?;
        p.screenshot(&self.screenshot).await?;

        // Exit: the SCO finishes; the player shows the attempt's result.
        p.enter_frame("#scorm-frame").await?;
        p.click("#butExit").await?;
        p.leave_frames().await?;
        p.element("body[data-attempt-status='passed']").await?;
        assert_eq!(
            p.attr("[data-status-of='0']", "data-status")
                .await?
                .as_deref(),
            Some("passed")
        );
        assert_eq!(
            p.text("#scorm-message").await?,
            "You have passed the course."
        );
        Ok(attempt)
    }
}
