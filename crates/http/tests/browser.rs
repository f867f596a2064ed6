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

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use browser::{Browser, Listener, Page};
use common::{TestApp, PASSWORD};
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use mycel_organisation::AccessRole;
use mycel_store::{Store, TenantScope};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[tokio::test]
async fn login_language_and_logout_in_a_real_browser() {
    let started = Instant::now();
    let browser = Browser::start("chromedriver.log").await;
    let artifacts = browser.artifacts.clone();

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

    let listener = Listener::bind().await;
    let base = listener.base();
    let server = listener.serve(app.router.clone());

    let walk = Walk {
        client: browser.client.clone(),
        page: browser.page(),
        base,
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
    let outcome = browser.run("walk", walk.run()).await;
    server.abort();
    app.finish().await;
    browser.close().await;
    outcome.check();
    eprintln!(
        "browser walk passed in {:.1} s; screenshot: {}",
        started.elapsed().as_secs_f64(),
        artifacts.join("learn-de.png").display()
    );
}

struct Walk {
    client: Client,
    page: Page,
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
        self.page.element("#login-submit").await?;
        let languages = c.execute("return navigator.languages;", vec![]).await?;
        assert_eq!(languages, json!(["en-US", "en"]), "the browser's languages");
        assert_eq!(self.page.attr("html", "lang").await?.as_deref(), Some("en"));
        assert_eq!(self.page.text("main h1").await?, "Log in");
        assert_eq!(self.page.text("#login-submit").await?, "Log in");
        assert_eq!(self.page.text("label[for=email]").await?, "E-mail address");
        assert!(
            c.find_all(Locator::Css(".main-nav")).await?.is_empty(),
            "no navigation before login"
        );

        // A wrong password: the form comes back with the error and what was typed.
        self.page.fill("#organisation", "nord").await?;
        self.page.fill("#email", "anna@nord.de").await?;
        self.page.fill("#password", "not the password").await?;
        c.find(Locator::Css("#login-submit")).await?.click().await?;
        let error = self.page.element("#login-error").await?;
        assert_eq!(
            error.text().await?,
            "The organisation, e-mail address or password is not correct."
        );
        assert_eq!(c.current_url().await?.path(), "/login");
        assert_eq!(self.page.prop("#organisation", "value").await?, "nord");
        assert_eq!(self.page.prop("#email", "value").await?, "anna@nord.de");
        assert_eq!(self.page.prop("#password", "value").await?, "");

        // The right password: on to "My learning".
        self.page.fill("#password", PASSWORD).await?;
        c.find(Locator::Css("#login-submit")).await?.click().await?;
        self.page.wait_for_path("/learn").await?;
        let greeting = self.page.element("#greeting").await?;
        assert_eq!(greeting.text().await?, format!("Hello, {}", self.name));
        let nav = self.page.text(".main-nav").await?;
        assert!(
            nav.contains("My learning") && nav.contains("Catalog"),
            "English navigation: {nav:?}"
        );
        assert!(!nav.contains("Administration"), "a learner: {nav:?}");
        assert_eq!(
            self.page
                .attr(".main-nav a[href='/learn']", "aria-current")
                .await?
                .as_deref(),
            Some("page")
        );
        assert_eq!(
            self.page.text(".signed-in-as").await?,
            format!("Logged in as {}", self.name)
        );
        assert_eq!(self.page.text(".brand-tenant").await?, "nord eG");
        assert_eq!(self.page.prop("#lang-select", "value").await?, "en");

        // Deutsch: the same page again, in German.
        c.find(Locator::Css("#lang-select"))
            .await?
            .select_by_value("de")
            .await?;
        c.find(Locator::Css("#lang-submit")).await?.click().await?;
        self.page.element("html[lang='de']").await?;
        assert_eq!(c.current_url().await?.path(), "/learn");
        assert_eq!(
            self.page.text("#greeting").await?,
            format!("Hallo, {}", self.name)
        );
        let nav = self.page.text(".main-nav").await?;
        assert!(
            nav.contains("Mein Lernen") && nav.contains("Katalog"),
            "German navigation: {nav:?}"
        );
        assert_eq!(
            self.page.text(".signed-in-as").await?,
            format!("Angemeldet als {}", self.name)
        );
        assert_eq!(self.page.text("#logout").await?, "Abmelden");
        assert_eq!(self.page.text(".profile h2").await?, "Ihr Profil");
        assert_eq!(self.page.prop("#lang-select", "value").await?, "de");
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
        self.page.wait_for_path("/catalog").await?;
        self.page.element("main h1").await?;
        assert_eq!(self.page.attr("html", "lang").await?.as_deref(), Some("de"));
        assert_eq!(self.page.text("main h1").await?, "Katalog");
        assert!(
            self.page
                .text("main .lead")
                .await?
                .starts_with("Alle Lernangebote Ihres Netzwerks"),
            "German introduction of the catalogue"
        );
        assert_eq!(
            self.page
                .attr(".main-nav a[href='/catalog']", "aria-current")
                .await?
                .as_deref(),
            Some("page")
        );
        assert!(c.title().await?.starts_with("Katalog"), "German title");

        // Searching with a typo and another word form still finds the course; its page follows.
        self.page.fill("#catalogue-q", "Kasensystem").await?;
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
        let hits = self.page.element("#catalogue-hits").await?;
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
        self.page
            .wait_for_path(&format!("/catalog/opportunities/{}", self.course))
            .await?;
        assert_eq!(
            self.page.text("#opportunity-title").await?,
            "Kassensysteme für Einsteiger"
        );
        let teaches = self.page.text("#opportunity-teaches").await?;
        assert!(
            teaches.contains("Registrierkasse bedienen"),
            "the skill it teaches, in German: {teaches:?}"
        );

        // My skills: the gap against the role, then a self-assessment that closes it.
        c.find(Locator::Css(".main-nav a[href='/skills']"))
            .await?
            .click()
            .await?;
        self.page.wait_for_path("/skills").await?;
        let gap = self.page.element(&format!("#gap-{}", self.till)).await?;
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
        self.page
            .fill("#assess-note", "an der Kasse sicher")
            .await?;
        c.find(Locator::Css("#self-assessment button[type='submit']"))
            .await?
            .click()
            .await?;
        let notice = self.page.element("#skills-notice").await?;
        assert_eq!(notice.text().await?, "Ihre Einschätzung wurde gespeichert.");
        let level = self.page.element(&format!("#level-{}", self.till)).await?;
        let level_text = level.text().await?;
        assert!(
            level_text.contains("Registrierkasse bedienen"),
            "the estimated level is listed: {level_text:?}"
        );
        assert_eq!(
            self.page
                .attr(&format!("#gap-{}", self.till), "class")
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
        self.page.wait_for_path("/login?bye=1").await?;
        let notice = self.page.element("main .notice").await?;
        assert_eq!(notice.text().await?, "Sie haben sich abgemeldet.");
        assert_eq!(self.page.text("main h1").await?, "Anmelden");
        assert!(
            c.find_all(Locator::Css(".main-nav, #logout"))
                .await?
                .is_empty(),
            "no navigation or logout button after logout"
        );
        assert_eq!(self.page.prop("#organisation", "value").await?, "nord");

        // The session is gone: "My learning" sends the browser to the login page.
        c.goto(&format!("{}/learn", self.base)).await?;
        self.page.element("#login-submit").await?;
        let url = c.current_url().await?;
        assert_eq!(url.path(), "/login", "{url}");
        assert_eq!(url.query(), Some("next=%2Flearn"), "{url}");
        assert_eq!(self.page.text("main h1").await?, "Anmelden");
        assert!(
            c.find_all(Locator::Css("#greeting")).await?.is_empty(),
            "no greeting without a session"
        );
        Ok(())
    }
}
