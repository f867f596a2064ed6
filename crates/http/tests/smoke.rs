#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;
use common::*;
use mycel_organisation::AccessRole;

#[tokio::test]
async fn login_and_me() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let auth = app.login(&t, "anna@nord.de").await;
    let me = app.get("/api/v1/me", &auth).await;
    assert_eq!(me.status, 200, "{}", me.text());
    assert_eq!(me.json()["person"]["email"], "anna@nord.de");
    app.finish().await;
}
