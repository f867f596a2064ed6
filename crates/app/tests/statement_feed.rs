//! The change feed delivers statements in stored order and wakes waiting readers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mycel_app::lrs::{store_statements, LrsClient};
use mycel_app::organisation as ops;
use mycel_app::statement_feed::{StatementFeed, StatementSignal};
use mycel_app::Acting;
use mycel_organisation::{CredentialId, Principal, Scope};
use mycel_store::TenantScope;
use mycel_xapi::XapiVersion;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

fn statement(verb: &str) -> serde_json::Value {
    json!({
        "actor": {"mbox": "mailto:anna@example.de"},
        "verb": {"id": format!("http://example.com/verbs/{verb}")},
        "object": {"id": "http://example.com/course"}
    })
}

#[tokio::test]
async fn readers_get_every_statement_in_order_and_are_woken() {
    let dir = tempfile::tempdir().unwrap();
    let store = mycel_store_sql::open(&format!("sqlite://{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    let tenant = ops::create_tenant(&*store, Acting::Operator, "nord", "Nord")
        .await
        .unwrap();
    let principal = Principal::Credential {
        tenant_id: tenant.id,
        credential_id: CredentialId::generate(),
        scopes: vec![Scope::All],
    };
    let client = LrsClient::from_principal(&principal, "test", "http://localhost", "key").unwrap();
    let signal = Arc::new(StatementSignal::default());
    let scope = TenantScope::system(tenant.id);

    let first = store_statements(
        &*store,
        &client,
        XapiVersion::V1_0_3,
        vec![statement("a"), statement("b")],
        None,
        vec![],
        &signal,
    )
    .await
    .unwrap();
    let mut feed = StatementFeed::new(store.clone(), scope, signal.clone(), 0);
    let batch = feed.next(10, Duration::from_secs(5)).await.unwrap();
    assert_eq!(batch.iter().map(|s| s.id).collect::<Vec<_>>(), first);
    assert_eq!(feed.cursor(), 2);

    // A waiting reader is woken by the next store, without polling.
    let waiting = tokio::spawn(async move {
        let batch = feed.next(10, Duration::from_secs(30)).await.unwrap();
        (
            batch.iter().map(|s| s.id).collect::<Vec<_>>(),
            feed.cursor(),
        )
    });
    tokio::task::yield_now().await;
    let second = store_statements(
        &*store,
        &client,
        XapiVersion::V1_0_3,
        vec![statement("c")],
        None,
        vec![],
        &signal,
    )
    .await
    .unwrap();
    let (ids, cursor) = tokio::time::timeout(Duration::from_secs(30), waiting)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ids, second);
    assert_eq!(cursor, 3);

    // Nothing new: the reader returns empty after its wait.
    let mut idle = StatementFeed::from_latest(store.clone(), scope, signal.clone())
        .await
        .unwrap();
    assert_eq!(idle.cursor(), 3, "starts after the newest statement");
    assert!(idle
        .next(10, Duration::from_millis(50))
        .await
        .unwrap()
        .is_empty());
    store.close().await;
}
