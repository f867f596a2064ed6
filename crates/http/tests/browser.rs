//! A real browser walks through the web interface: headless Chromium, driven over WebDriver by
//! `chromedriver`, against the Mycel router served on a local port. It logs in (after a failed
//! attempt), switches the language to German, moves around, and logs out.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-browser` installs them); without
//! them the test fails rather than passing silently. Runs on SQLite, or on PostgreSQL with
//! `MYCEL_TEST_BACKEND=postgres`. A screenshot of the German "My learning" page goes to
//! `$MYCEL_TEST_ARTIFACTS/learn-de.png` (default `target/test-artifacts/`, relative paths counted from
//! the workspace root), next to chromedriver's log.
//!
//! ```text
//! scripts/install-browser
//! cargo test -p mycel-http --test browser
//! ```
#![allow(clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use common::{TestApp, PASSWORD};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use mycel_organisation::AccessRole;
use mycel_store::{Store, TenantScope};
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long to wait for a page to show what it should.
const PAGE_TIMEOUT: Duration = Duration::from_secs(20);
/// How often, and how far apart, chromedriver's `/status` is asked whether it is ready.
const STATUS_ATTEMPTS: u32 = 150;
const STATUS_INTERVAL: Duration = Duration::from_millis(100);

/// The workspace root (two levels above this crate).
fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// Where screenshots and logs go: `MYCEL_TEST_ARTIFACTS`, else `target/test-artifacts`.
fn artifacts_dir() -> PathBuf {
    let dir = match std::env::var_os("MYCEL_TEST_ARTIFACTS").filter(|v| !v.is_empty()) {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target").join("test-artifacts"),
    };
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create the artifacts folder {}: {e}", dir.display()));
    // A picture of an earlier failure would only mislead.
    let _ = std::fs::remove_file(dir.join("failure.png"));
    dir
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// A running chromedriver, in a process group of its own (with the browsers it starts); dropping it
/// ends them all, also when the test fails.
struct Chromedriver {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Chromedriver {
    /// Starts chromedriver and waits until its `/status` says it is ready.
    async fn start(artifacts: &Path) -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: run scripts/install-browser (it installs Debian's chromium \
                 and chromium-driver packages) before the browser test"
            );
        }
        let port = free_port();
        let log = artifacts.join("chromedriver.log");
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"))
        };
        let mut driver = Self { child, port, log };
        driver.wait_until_ready().await;
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) {
        let mut last = String::from("no answer yet");
        for _ in 0..STATUS_ATTEMPTS {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "chromedriver exited with {status} before it was ready (log: {})",
                    self.log.display()
                );
            }
            match status(self.port).await {
                Ok(body) if is_ready(&body) => return,
                Ok(body) => last = body,
                Err(error) => last = error.to_string(),
            }
            tokio::time::sleep(STATUS_INTERVAL).await;
        }
        panic!(
            "chromedriver on port {} was not ready after {STATUS_ATTEMPTS} attempts; last answer: \
             {last} (log: {})",
            self.port,
            self.log.display()
        );
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid (`process_group(0)`); the group holds only what this
        // test started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of `GET /status`. chromedriver speaks only HTTP/1.1; the body is read up to its
/// `Content-Length` (or the end of the connection).
async fn status(port: u16) -> std::io::Result<String> {
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        stream
            .write_all(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await?;
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let read = stream.read(&mut chunk).await?;
            answer.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&answer);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                });
                if read == 0 || length.is_some_and(|n| body.len() >= n) {
                    return Ok(body.to_owned());
                }
            }
            if read == 0 {
                return Ok(text.into_owned());
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(2), ask)
        .await
        .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
}

fn is_ready(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .map(|v| v["value"]["ready"] == json!(true))
        .unwrap_or(false)
}

/// A headless Chromium with a fresh profile, asking for English pages.
async fn browser(driver: &Chromedriver, profile: &Path) -> Client {
    let options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--lang=en-US",
            format!("--user-data-dir={}", profile.display()),
        ],
        "prefs": { "intl.accept_languages": "en-US,en" },
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::rustls()
        .expect("rustls for the WebDriver client")
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| {
            panic!(
                "cannot start a Chromium session through chromedriver: {e} (log: {})",
                driver.log.display()
            )
        });
    client
        .set_window_size(1280, 900)
        .await
        .expect("set the window size");
    client
}

#[tokio::test]
async fn login_language_and_logout_in_a_real_browser() {
    let started = Instant::now();
    let artifacts = artifacts_dir();
    // Declared before the driver, so the profile is removed after the browser has ended.
    let profile = tempfile::tempdir().expect("a temporary browser profile");
    let driver = Chromedriver::start(&artifacts).await;

    let app = TestApp::new().await;
    let tenant = app.tenant("nord").await;
    let person = app
        .person(&tenant, "anna@nord.de", AccessRole::Learner, None)
        .await;
    // A role whose profile needs the till skill at level 2, held by the learner.
    competency_fixture::import(&*app.store).await;
    let scope = TenantScope::system(tenant.id);
    let till =
        competency_fixture::competency_id(&*app.store, scope, competency_fixture::TILL).await;
    let role = app
        .store
        .create_role(
            scope,
            mycel_store::NewRole {
                name: "Verkäuferin".into(),
                description: None,
            },
        )
        .await
        .expect("a role");
    app.store
        .set_role_requirements(
            scope,
            role.id,
            &[mycel_store::competencies::RoleRequirement {
                competency_id: till,
                kind: mycel_competency::RequirementKind::Required,
                target: mycel_competency::scale::Level::new(2.0).expect("a level"),
            }],
        )
        .await
        .expect("a role profile");
    app.store
        .assign_role(
            scope,
            person.id,
            role.id,
            mycel_organisation::RoleAssignmentKind::Current,
        )
        .await
        .expect("the role assigned");

    // A published classroom course that teaches the till skill, in the search index.
    let mut course = mycel_catalogue::OpportunityDraft::new(
        mycel_catalogue::Modality::Classroom,
        mycel_competency::scale::LocalizedText::new(
            "Kassensysteme für Einsteiger",
            "Checkout systems for beginners",
        ),
        "de",
    );
    course.description = mycel_competency::scale::LocalizedText::new(
        "Wie man die Registrierkasse bedient.",
        "Operating the cash register.",
    );
    course.duration_minutes = Some(240);
    course.alignments = vec![mycel_catalogue::Alignment {
        competency_id: till,
        level: mycel_competency::scale::Level::new(2.0).expect("a level"),
    }];
    let course = mycel_app::catalogue::create_opportunity(
        &*app.store,
        &app.catalogue,
        mycel_app::Acting::Operator,
        scope,
        &course,
    )
    .await
    .expect("a course");
    mycel_app::catalogue::set_lifecycle(
        &*app.store,
        &app.catalogue,
        mycel_app::Acting::Operator,
        scope,
        course.id,
        mycel_catalogue::Lifecycle::Published,
    )
    .await
    .expect("published");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let address = listener.local_addr().expect("the server's address");
    let service = app
        .router
        .clone()
        .into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, service).await });

    let client = browser(&driver, profile.path()).await;
    let walk = Walk {
        client: client.clone(),
        base: format!("http://{address}"),
        store: app.store.clone(),
        scope: TenantScope::system(tenant.id),
        person: person.id,
        name: person.display_name.clone(),
        screenshot: artifacts.join("learn-de.png"),
        till: till.to_string(),
        skills_screenshot: artifacts.join("skills-de.png"),
        catalogue_screenshot: artifacts.join("catalogue-de.png"),
        course: course.id.to_string(),
    };
    // In a task of its own, so the browser session is closed even when an assertion fails.
    let outcome = tokio::spawn(walk.run()).await;
    if !matches!(outcome, Ok(Ok(()))) {
        let failure = artifacts.join("failure.png");
        if let Ok(png) = client.screenshot().await {
            if std::fs::write(&failure, png).is_ok() {
                eprintln!("the page at the failure: {}", failure.display());
            }
        }
    }
    let closed = client.close().await;
    server.abort();
    app.finish().await;
    drop(driver);

    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("a WebDriver command failed: {error}"),
        Err(failure) => match failure.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(failure) => panic!("the walk did not finish: {failure}"),
        },
    }
    closed.expect("close the browser session");
    eprintln!(
        "browser walk passed in {:.1} s; screenshot: {}",
        started.elapsed().as_secs_f64(),
        artifacts.join("learn-de.png").display()
    );
}

struct Walk {
    client: Client,
    /// `http://127.0.0.1:port`
    base: String,
    store: Arc<dyn Store>,
    scope: TenantScope,
    person: mycel_organisation::PersonId,
    name: String,
    screenshot: PathBuf,
    /// The id of the competency the learner's role needs.
    till: String,
    skills_screenshot: PathBuf,
    catalogue_screenshot: PathBuf,
    /// The id of the published course.
    course: String,
}

impl Walk {
    async fn run(self) -> Result<(), CmdError> {
        let c = &self.client;

        // The login page, in the browser's language.
        c.goto(&format!("{}/login", self.base)).await?;
        self.element("#login-submit").await?;
        let languages = c.execute("return navigator.languages;", vec![]).await?;
        assert_eq!(languages, json!(["en-US", "en"]), "the browser's languages");
        assert_eq!(self.attr("html", "lang").await?.as_deref(), Some("en"));
        assert_eq!(self.text("main h1").await?, "Log in");
        assert_eq!(self.text("#login-submit").await?, "Log in");
        assert_eq!(self.text("label[for=email]").await?, "E-mail address");
        assert!(
            c.find_all(Locator::Css(".main-nav")).await?.is_empty(),
            "no navigation before login"
        );

        // A wrong password: the form comes back with the error and what was typed.
        self.fill("#organisation", "nord").await?;
        self.fill("#email", "anna@nord.de").await?;
        self.fill("#password", "not the password").await?;
        c.find(Locator::Css("#login-submit")).await?.click().await?;
        let error = self.element("#login-error").await?;
        assert_eq!(
            error.text().await?,
            "The organisation, e-mail address or password is not correct."
        );
        assert_eq!(c.current_url().await?.path(), "/login");
        assert_eq!(self.prop("#organisation", "value").await?, "nord");
        assert_eq!(self.prop("#email", "value").await?, "anna@nord.de");
        assert_eq!(self.prop("#password", "value").await?, "");

        // The right password: on to "My learning".
        self.fill("#password", PASSWORD).await?;
        c.find(Locator::Css("#login-submit")).await?.click().await?;
        self.wait_for_path("/learn").await?;
        let greeting = self.element("#greeting").await?;
        assert_eq!(greeting.text().await?, format!("Hello, {}", self.name));
        let nav = self.text(".main-nav").await?;
        assert!(
            nav.contains("My learning") && nav.contains("Catalog"),
            "English navigation: {nav:?}"
        );
        assert!(!nav.contains("Administration"), "a learner: {nav:?}");
        assert_eq!(
            self.attr(".main-nav a[href='/learn']", "aria-current")
                .await?
                .as_deref(),
            Some("page")
        );
        assert_eq!(
            self.text(".signed-in-as").await?,
            format!("Logged in as {}", self.name)
        );
        assert_eq!(self.text(".brand-tenant").await?, "nord eG");
        assert_eq!(self.prop("#lang-select", "value").await?, "en");

        // Deutsch: the same page again, in German.
        c.find(Locator::Css("#lang-select"))
            .await?
            .select_by_value("de")
            .await?;
        c.find(Locator::Css("#lang-submit")).await?.click().await?;
        self.element("html[lang='de']").await?;
        assert_eq!(c.current_url().await?.path(), "/learn");
        assert_eq!(
            self.text("#greeting").await?,
            format!("Hallo, {}", self.name)
        );
        let nav = self.text(".main-nav").await?;
        assert!(
            nav.contains("Mein Lernen") && nav.contains("Katalog"),
            "German navigation: {nav:?}"
        );
        assert_eq!(
            self.text(".signed-in-as").await?,
            format!("Angemeldet als {}", self.name)
        );
        assert_eq!(self.text("#logout").await?, "Abmelden");
        assert_eq!(self.text(".profile h2").await?, "Ihr Profil");
        assert_eq!(self.prop("#lang-select", "value").await?, "de");
        let png = c.screenshot().await?;
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(&self.screenshot, &png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", self.screenshot.display()));
        let stored = self
            .store
            .person(self.scope, self.person)
            .await
            .expect("the person");
        assert_eq!(stored.locale.as_deref(), Some("de"), "the choice is stored");

        // The choice stays on other pages.
        c.find(Locator::Css(".main-nav a[href='/catalog']"))
            .await?
            .click()
            .await?;
        self.wait_for_path("/catalog").await?;
        self.element("main h1").await?;
        assert_eq!(self.attr("html", "lang").await?.as_deref(), Some("de"));
        assert_eq!(self.text("main h1").await?, "Katalog");
        assert!(
            self.text("main .lead")
                .await?
                .starts_with("Alle Lernangebote Ihres Netzwerks"),
            "German introduction of the catalogue"
        );
        assert_eq!(
            self.attr(".main-nav a[href='/catalog']", "aria-current")
                .await?
                .as_deref(),
            Some("page")
        );
        assert!(c.title().await?.starts_with("Katalog"), "German title");

        // Searching with a typo and another word form still finds the course; its page follows.
        self.fill("#catalogue-q", "Kasensystem").await?;
        c.find(Locator::Css("#catalogue-submit"))
            .await?
            .click()
            .await?;
        // The browsing page before the search lists the course too: wait for the search's page.
        let deadline = Instant::now() + std::time::Duration::from_secs(15);
        while !c
            .current_url()
            .await?
            .query()
            .unwrap_or_default()
            .contains("q=Kasensystem")
        {
            assert!(Instant::now() < deadline, "the search page did not load");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let hits = self.element("#catalogue-hits").await?;
        let hits_text = hits.text().await?;
        assert!(
            hits_text.contains("Kassensysteme für Einsteiger"),
            "the course is found: {hits_text:?}"
        );
        let png = c.screenshot().await?;
        std::fs::write(&self.catalogue_screenshot, &png).unwrap_or_else(|e| {
            panic!("cannot write {}: {e}", self.catalogue_screenshot.display())
        });
        c.find(Locator::Css(&format!(
            "#catalogue-hits a[href='/catalog/opportunities/{}']",
            self.course
        )))
        .await?
        .click()
        .await?;
        self.wait_for_path(&format!("/catalog/opportunities/{}", self.course))
            .await?;
        assert_eq!(
            self.text("#opportunity-title").await?,
            "Kassensysteme für Einsteiger"
        );
        let teaches = self.text("#opportunity-teaches").await?;
        assert!(
            teaches.contains("Registrierkasse bedienen"),
            "the skill it teaches, in German: {teaches:?}"
        );

        // My skills: the gap against the role, then a self-assessment that closes it.
        c.find(Locator::Css(".main-nav a[href='/skills']"))
            .await?
            .click()
            .await?;
        self.wait_for_path("/skills").await?;
        let gap = self.element(&format!("#gap-{}", self.till)).await?;
        let gap_text = gap.text().await?;
        assert!(
            gap_text.contains("Registrierkasse bedienen"),
            "the gap names the skill in German: {gap_text:?}"
        );
        assert_eq!(gap.attr("class").await?.as_deref(), Some("open"));
        c.find(Locator::Css("#assess-competency"))
            .await?
            .select_by_value(&self.till)
            .await?;
        c.find(Locator::Css(
            "#self-assessment input[name='level'][value='3']",
        ))
        .await?
        .click()
        .await?;
        self.fill("#assess-note", "an der Kasse sicher").await?;
        c.find(Locator::Css("#self-assessment button[type='submit']"))
            .await?
            .click()
            .await?;
        let notice = self.element("#skills-notice").await?;
        assert_eq!(notice.text().await?, "Ihre Einschätzung wurde gespeichert.");
        let level = self.element(&format!("#level-{}", self.till)).await?;
        let level_text = level.text().await?;
        assert!(
            level_text.contains("Registrierkasse bedienen"),
            "the estimated level is listed: {level_text:?}"
        );
        assert_eq!(
            self.attr(&format!("#gap-{}", self.till), "class")
                .await?
                .as_deref(),
            Some("met"),
            "a self-assessment at 3 meets the target 2"
        );
        let png = c.screenshot().await?;
        std::fs::write(&self.skills_screenshot, &png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", self.skills_screenshot.display()));
        let evidence = self
            .store
            .evidence(self.scope, self.person, None)
            .await
            .expect("the evidence");
        assert_eq!(evidence.len(), 1, "one self-assessment stored");

        // Logging out: back to the login page, which says so in German.
        c.find(Locator::Css("#logout")).await?.click().await?;
        self.wait_for_path("/login?bye=1").await?;
        let notice = self.element("main .notice").await?;
        assert_eq!(notice.text().await?, "Sie haben sich abgemeldet.");
        assert_eq!(self.text("main h1").await?, "Anmelden");
        assert!(
            c.find_all(Locator::Css(".main-nav, #logout"))
                .await?
                .is_empty(),
            "no navigation or logout button after logout"
        );
        assert_eq!(self.prop("#organisation", "value").await?, "nord");

        // The session is gone: "My learning" sends the browser to the login page.
        c.goto(&format!("{}/learn", self.base)).await?;
        self.element("#login-submit").await?;
        let url = c.current_url().await?;
        assert_eq!(url.path(), "/login", "{url}");
        assert_eq!(url.query(), Some("next=%2Flearn"), "{url}");
        assert_eq!(self.text("main h1").await?, "Anmelden");
        assert!(
            c.find_all(Locator::Css("#greeting")).await?.is_empty(),
            "no greeting without a session"
        );
        Ok(())
    }

    /// Waits until the element is on the page.
    async fn element(&self, css: &str) -> Result<fantoccini::elements::Element, CmdError> {
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| self.explain(e, css))
    }

    /// Waits until the browser is at this path (with query) of the server.
    async fn wait_for_path(&self, path_and_query: &str) -> Result<(), CmdError> {
        let here = self.client.current_url().await?;
        let target = here
            .join(path_and_query)
            .expect("a path joins onto the current address");
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_url(&target)
            .await
            .map_err(|e| self.explain(e, path_and_query))
    }

    fn explain(&self, error: CmdError, waited_for: &str) -> CmdError {
        if matches!(error, CmdError::WaitTimeout) {
            eprintln!("timed out after {PAGE_TIMEOUT:?} waiting for {waited_for}");
        }
        error
    }

    async fn text(&self, css: &str) -> Result<String, CmdError> {
        self.client.find(Locator::Css(css)).await?.text().await
    }

    async fn attr(&self, css: &str, name: &str) -> Result<Option<String>, CmdError> {
        self.client.find(Locator::Css(css)).await?.attr(name).await
    }

    async fn prop(&self, css: &str, name: &str) -> Result<String, CmdError> {
        Ok(self
            .client
            .find(Locator::Css(css))
            .await?
            .prop(name)
            .await?
            .unwrap_or_default())
    }

    async fn fill(&self, css: &str, value: &str) -> Result<(), CmdError> {
        let field = self.client.find(Locator::Css(css)).await?;
        field.clear().await?;
        field.send_keys(value).await
    }
}
