//! The demo network (`mycel-demo-network`, what `mycel demo` serves) walked in a real browser:
//! each demo login logs in and sees a different, meaningful screen — the learner her path with
//! reasons and her skills, the manager the team's aggregated gaps, the L&D admin the catalogue
//! and the company's needs, the network admin the member companies. Screenshots of each home
//! page go to `$MYCEL_TEST_ARTIFACTS/demo-walk/` (default `target/test-artifacts/demo-walk/`).
//! Runs on SQLite, or on PostgreSQL with `MYCEL_TEST_BACKEND=postgres`.
//!
//! ```text
//! scripts/install-browser
//! cargo test -p mycel-http --test browser_demo
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/browser.rs"]
mod browser;
mod common;

use browser::{Browser, Listener, Page};
use common::TestApp;
use fantoccini::error::CmdError;
use mycel_demo_network::{DemoOptions, DEMO_PASSWORD};
use mycel_http::HttpConfig;
use serde_json::json;
use std::path::PathBuf;

const SHARED_DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");

async fn text_of(page: &Page, css: &str) -> Result<String, CmdError> {
    page.element(css).await?.text().await
}

async fn count(page: &Page, css: &str) -> Result<u64, CmdError> {
    let found = page
        .client
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![json!(css)],
        )
        .await?;
    Ok(found.as_u64().unwrap_or(0))
}

async fn screenshot(page: &Page, to: PathBuf) -> Result<(), CmdError> {
    let png = page.client.screenshot().await?;
    std::fs::write(&to, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", to.display()));
    Ok(())
}

/// Logs in as a demo login (after whoever was logged in before) and opens `path`.
async fn as_login(
    page: &Page,
    base: &str,
    organisation: &str,
    email: &str,
    path: &str,
) -> Result<(), CmdError> {
    page.client.delete_all_cookies().await?;
    page.log_in(base, organisation, email, DEMO_PASSWORD)
        .await?;
    page.client.goto(&format!("{base}{path}")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_demo_login_sees_a_meaningful_home() {
    let listener = Listener::bind().await;
    let base = listener.base();
    let app = TestApp::with_config(HttpConfig {
        public_url: Some(base.clone()),
        ..HttpConfig::default()
    })
    .await;
    let options = DemoOptions {
        seed: 1,
        shared_data: PathBuf::from(SHARED_DATA),
        home_page: base.clone(),
    };
    let summary = mycel_demo_network::generate(&*app.store, &app.catalogue, &options)
        .await
        .expect("the demo network is generated");
    assert_eq!(summary.companies, 3);
    assert!(
        (550..=650).contains(&summary.people),
        "about 600 people: {summary:?}"
    );
    assert!(summary.opportunities >= 150, "{summary:?}");
    assert!(
        summary.sessions > 0 && summary.statements > 1000,
        "{summary:?}"
    );
    // A second run refuses rather than writing the network twice.
    assert!(mycel_demo_network::is_generated(&*app.store).await.unwrap());
    assert!(
        mycel_demo_network::generate(&*app.store, &app.catalogue, &options)
            .await
            .is_err()
    );

    let logins = mycel_demo_network::logins();
    let email_of = |who: &str| {
        logins
            .iter()
            .find(|l| l.who.starts_with(who))
            .map(|l| (l.organisation, l.email.clone()))
            .unwrap()
    };
    let (learner_org, learner) = email_of("learner (shop");
    let (manager_org, manager) = email_of("manager (store");
    let (lnd_org, lnd) = email_of("L&D admin and trainer");
    let (admin_org, admin) = email_of("network admin");

    let shots = browser::artifacts_dir().join("demo-walk");
    std::fs::create_dir_all(&shots).unwrap();
    let server = listener.serve(app.router.clone());
    let chromium = Browser::start("chromedriver-demo-walk.log").await;
    let page = chromium.page();
    let walk = {
        let base = base.clone();
        let shots = shots.clone();
        async move {
            // The learner: her next steps on "My learning", the path with its reasons (she wants
            // to become store manager), assigned compliance training, and her skills.
            as_login(&page, &base, learner_org, &learner, "/learn").await?;
            assert!(
                count(&page, "#next-steps li").await? >= 1,
                "the learner's home shows the next steps of her path"
            );
            assert!(
                count(&page, "#assigned tr").await? >= 2,
                "the learner's home shows assigned compliance training"
            );
            screenshot(&page, shots.join("learner-home.png")).await?;
            page.client.goto(&format!("{base}/learn/path")).await?;
            assert!(count(&page, ".path-step").await? >= 3, "a path with steps");
            let path = text_of(&page, "main").await?;
            assert!(
                path.contains("Marktleiter/in"),
                "the path gives the aspired role as a reason: {path}"
            );
            screenshot(&page, shots.join("learner-path.png")).await?;
            page.client.goto(&format!("{base}/skills")).await?;
            screenshot(&page, shots.join("learner-skills.png")).await?;

            // The manager: the team's aggregated gaps and his reports.
            as_login(&page, &base, manager_org, &manager, "/team").await?;
            assert!(
                count(&page, "#group-gaps tbody tr").await? >= 3,
                "the manager sees his team's aggregated gaps"
            );
            let reports = text_of(&page, "#reports").await?;
            assert!(
                reports.contains("Lea Hansen"),
                "his reports are listed: {reports}"
            );
            screenshot(&page, shots.join("manager-team.png")).await?;

            // The L&D admin: the catalogue and the company's needs.
            as_login(&page, &base, lnd_org, &lnd, "/catalog").await?;
            assert!(
                count(&page, "#catalogue-hits li").await? >= 10,
                "the L&D admin sees the catalogue"
            );
            screenshot(&page, shots.join("lnd-catalogue.png")).await?;
            page.client.goto(&format!("{base}/team?unit=all")).await?;
            assert!(
                count(&page, "#group-gaps tbody tr").await? >= 3,
                "the L&D admin sees the company's needs"
            );
            screenshot(&page, shots.join("lnd-needs.png")).await?;

            // The network admin: the member companies of the cooperative.
            as_login(&page, &base, admin_org, &admin, "/admin").await?;
            let tenants = text_of(&page, "#tenants").await?;
            for company in [
                "Frischmarkt Nord GmbH",
                "Nordwaren Großhandel GmbH",
                "Nordlogistik GmbH",
            ] {
                assert!(tenants.contains(company), "{company} in {tenants}");
            }
            screenshot(&page, shots.join("network-admin.png")).await?;
            Ok(())
        }
    };
    chromium.run("demo-walk", walk).await.check();
    chromium.close().await;
    server.abort();
    app.finish().await;
    eprintln!("demo walk screenshots: {}", shots.display());
}
