//! The contract of [`crate::ScormStore`]: one open attempt per person and opportunity, numbered
//! attempts kept as history, SCO data written with its attempt in one transaction, stale and late
//! commits refused, and nothing reachable from another company.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::catalogue::*;
use crate::contract_competencies::person;
use crate::scorm::*;
use crate::*;
use chrono::Utc;
use mycel_catalogue::*;
use mycel_competency::scale::LocalizedText;
use mycel_organisation::*;

async fn company(store: &dyn Store, slug: &str) -> TenantScope {
    let t = store
        .create_tenant(NewTenant {
            slug: slug.into(),
            name: format!("{slug} eG"),
        })
        .await
        .unwrap();
    TenantScope::system(t.id)
}

/// A SCORM package and the e-learning opportunity that plays it.
async fn scorm_course(store: &dyn Store, scope: TenantScope) -> (OpportunityId, PackageId) {
    let package = PackageRecord {
        id: PackageId::generate(),
        tenant_id: scope.tenant_id(),
        kind: "scorm-1.2".into(),
        title: "Golf".into(),
        sha256: "cd".repeat(32),
        file_count: 3,
        total_bytes: 1000,
        structure: r#"{"units":[]}"#.into(),
        launch_path: "index.html".into(),
        uploaded_by: None,
        uploaded_at: chrono::SubsecRound::trunc_subsecs(Utc::now(), 6),
    };
    store.create_package(scope, &package).await.unwrap();
    let mut draft = OpportunityDraft::new(
        Modality::ELearning,
        LocalizedText::new("Golf", "Golf"),
        "de",
    );
    draft.package_id = Some(package.id);
    let opportunity = store
        .create_opportunity(scope, &draft, Lifecycle::Published)
        .await
        .unwrap();
    (opportunity.id, package.id)
}

fn commit(sco: &str, cmi: &str, read: Option<i64>, status: &str, finish: bool) -> ScoCommit {
    ScoCommit {
        sco_id: sco.into(),
        cmi: cmi.into(),
        progress: r#"{"sessions":1}"#.into(),
        status: status.into(),
        score: Some(0.5),
        read_revision: read,
        attempt_status: if finish { "completed" } else { "incomplete" }.into(),
        attempt_score: finish.then_some(0.5),
        finish,
    }
}

pub async fn scorm_attempts_are_kept_per_person_with_their_sco_data(store: &dyn Store) {
    let scope = company(store, "nord").await;
    let anna = person(store, scope, "Anna", None).await;
    let ben = person(store, scope, "Ben", None).await;
    let (course, package) = scorm_course(store, scope).await;

    let (first, created) = store
        .open_scorm_attempt(scope, anna.id, course, package)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(first.number, 1);
    assert_eq!(first.status, "incomplete");
    assert_eq!(first.finished_at, None);
    // Launching again resumes the open attempt.
    let (again, created) = store
        .open_scorm_attempt(scope, anna.id, course, package)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(again, first);
    // Ben's attempts are his own.
    let (bens, _) = store
        .open_scorm_attempt(scope, ben.id, course, package)
        .await
        .unwrap();
    assert_ne!(bens.id, first.id);
    assert_eq!(bens.number, 1);

    // A SCO's first commit creates its data, the next must name the revision it read.
    let (attempt, sco) = store
        .save_sco_commit(
            scope,
            first.id,
            &commit("item_1", r#"{"core":{}}"#, None, "incomplete", false),
        )
        .await
        .unwrap();
    assert_eq!(sco.revision, 1);
    assert_eq!(sco.cmi, r#"{"core":{}}"#);
    assert_eq!(sco.progress, r#"{"sessions":1}"#);
    assert_eq!(sco.score, Some(0.5));
    assert_eq!(attempt.finished_at, None);
    let stale = store
        .save_sco_commit(
            scope,
            first.id,
            &commit("item_1", r#"{"x":1}"#, None, "incomplete", false),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let stale = store
        .save_sco_commit(
            scope,
            first.id,
            &commit("item_1", r#"{"x":1}"#, Some(7), "incomplete", false),
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    // The refused commits changed nothing.
    let kept = store.sco_runtimes(scope, first.id).await.unwrap();
    assert_eq!(kept, vec![sco.clone()]);

    let (finished, sco) = store
        .save_sco_commit(
            scope,
            first.id,
            &commit(
                "item_1",
                r#"{"core":{"lesson_status":"completed"}}"#,
                Some(1),
                "completed",
                true,
            ),
        )
        .await
        .unwrap();
    assert_eq!(sco.revision, 2);
    assert_eq!(sco.status, "completed");
    assert_eq!(finished.status, "completed");
    assert_eq!(finished.score, Some(0.5));
    assert!(finished.finished_at.is_some());
    assert_eq!(
        store.scorm_attempt(scope, first.id).await.unwrap(),
        finished
    );
    // A finished attempt takes no more commits.
    let late = store
        .save_sco_commit(
            scope,
            first.id,
            &commit("item_2", "{}", None, "incomplete", false),
        )
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    assert_eq!(store.sco_runtimes(scope, first.id).await.unwrap().len(), 1);

    // The next launch opens attempt 2; attempt 1 stays as history.
    let (second, created) = store
        .open_scorm_attempt(scope, anna.id, course, package)
        .await
        .unwrap();
    assert!(created);
    assert_eq!(second.number, 2);
    assert!(store
        .sco_runtimes(scope, second.id)
        .await
        .unwrap()
        .is_empty());
    let history = store.scorm_attempts(scope, anna.id, course).await.unwrap();
    assert_eq!(
        history.iter().map(|a| a.number).collect::<Vec<_>>(),
        vec![2, 1]
    );

    // Nothing crosses companies.
    let sued = company(store, "sued").await;
    assert!(matches!(
        store.scorm_attempt(sued, first.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store.sco_runtimes(sued, first.id).await.unwrap().is_empty());
    let foreign = store
        .save_sco_commit(
            sued,
            second.id,
            &commit("item_1", "{}", None, "incomplete", false),
        )
        .await;
    assert!(
        matches!(foreign, Err(StoreError::NotFound(_))),
        "{foreign:?}"
    );
    let unknown = store
        .save_sco_commit(
            scope,
            uuid::Uuid::now_v7(),
            &commit("item_1", "{}", None, "incomplete", false),
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}
