//! Statements on aligned activities become evidence, estimates follow, and reading the feed again
//! changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mycel_app::competencies as comp;
use mycel_app::lrs::{store_statements, LrsClient};
use mycel_app::organisation as ops;
use mycel_app::statement_evidence::catch_up;
use mycel_app::statement_feed::StatementSignal;
use mycel_app::Acting;
use mycel_competency::framework::{Label, Labels};
use mycel_competency::scale::Level;
use mycel_competency::*;
use mycel_organisation::{CredentialId, Principal, Scope};
use mycel_store::TenantScope;
use mycel_xapi::XapiVersion;
use serde_json::json;

const COURSE: &str = "https://lernen.example/au/kasse";

fn framework() -> FrameworkImport {
    let mut labels = Labels::new();
    labels.insert(
        "en".into(),
        Label {
            preferred: "operate cash register".into(),
            ..Label::default()
        },
    );
    FrameworkImport {
        kind: FrameworkKind::Esco,
        uri: "http://data.europa.eu/esco".into(),
        title: labels.clone(),
        version: "test".into(),
        competencies: vec![ImportedCompetency {
            uri: "esco:till".into(),
            code: None,
            kind: CompetencyKind::Skill,
            category: None,
            labels,
        }],
        relations: vec![],
        occupations: vec![],
    }
}

fn statement(email: &str, verb: &str, result: serde_json::Value) -> serde_json::Value {
    json!({
        "actor": {"mbox": format!("mailto:{email}")},
        "verb": {"id": format!("http://adlnet.gov/expapi/verbs/{verb}")},
        "object": {"id": COURSE, "definition": {"name": {"de-DE": "Kasse Grundlagen"}}},
        "result": result,
        "timestamp": "2026-11-20T10:00:00Z"
    })
}

#[tokio::test]
async fn aligned_statements_become_evidence_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = mycel_store_sql::open(&format!("sqlite://{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    let tenant = ops::create_tenant(&*store, Acting::Operator, "nord", "Nord")
        .await
        .unwrap();
    let scope = TenantScope::system(tenant.id);
    let anna = ops::create_person(
        &*store,
        Acting::Operator,
        scope,
        ops::PersonInput {
            display_name: "Anna".into(),
            email: Some("anna@example.de".into()),
            ..ops::PersonInput::default()
        },
    )
    .await
    .unwrap();
    comp::import_framework(&*store, Acting::Operator, None, &framework(), &|_| {})
        .await
        .unwrap();
    let till = comp::search_competencies(
        &*store,
        Acting::Operator,
        scope,
        Some("cash"),
        None,
        None,
        None,
    )
    .await
    .unwrap()[0]
        .id;
    store
        .align_activity(scope, COURSE, till, Level::new(3.0).unwrap())
        .await
        .unwrap();

    let principal = Principal::Credential {
        tenant_id: tenant.id,
        credential_id: CredentialId::generate(),
        scopes: vec![Scope::All],
    };
    let client = LrsClient::from_principal(&principal, "test", "http://localhost", "key").unwrap();
    let signal = StatementSignal::default();
    store_statements(
        &*store,
        &client,
        XapiVersion::V1_0_3,
        vec![
            statement("anna@example.de", "launched", json!({})),
            statement(
                "anna@example.de",
                "passed",
                json!({"success": true, "score": {"scaled": 0.9}}),
            ),
            // Nobody Mycel knows: skipped.
            statement("someone@else.example", "passed", json!({"success": true})),
        ],
        None,
        vec![],
        &signal,
    )
    .await
    .unwrap();

    assert_eq!(catch_up(&*store, scope).await.unwrap(), 1);
    let evidence = store.evidence(scope, anna.id, Some(till)).await.unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].kind, EvidenceKind::Statement);
    assert_eq!(evidence[0].level, Level::new(3.0).unwrap());
    assert_eq!(evidence[0].source, "Kasse Grundlagen");
    let estimates = store.estimates(scope, anna.id).await.unwrap();
    assert_eq!(estimates.len(), 1);
    assert_eq!(estimates[0].level, Level::new(3.0).unwrap());

    // Nothing new: nothing happens; reading from the start again adds nothing either.
    assert_eq!(catch_up(&*store, scope).await.unwrap(), 0);
    store
        .set_feed_cursor(scope, mycel_app::statement_evidence::CONSUMER, 0)
        .await
        .unwrap();
    assert_eq!(catch_up(&*store, scope).await.unwrap(), 0);
    assert_eq!(store.evidence(scope, anna.id, None).await.unwrap().len(), 1);

    // A failed attempt shows the score's share of the aligned level.
    store_statements(
        &*store,
        &client,
        XapiVersion::V1_0_3,
        vec![statement(
            "anna@example.de",
            "failed",
            json!({"success": false, "score": {"scaled": 0.5}}),
        )],
        None,
        vec![],
        &signal,
    )
    .await
    .unwrap();
    assert_eq!(catch_up(&*store, scope).await.unwrap(), 1);
    let levels: Vec<f64> = store
        .evidence(scope, anna.id, Some(till))
        .await
        .unwrap()
        .iter()
        .map(|e| e.level.value())
        .collect();
    assert!(levels.contains(&1.5), "{levels:?}");
    let estimate = &store.estimates(scope, anna.id).await.unwrap()[0];
    assert!(estimate.level.value() > 1.5 && estimate.level.value() < 3.0);
}
