//! The contract of [`crate::Cmi5Store`]: registrations and sessions kept per company, found by id
//! alone for the AU's URLs, the newest registration of a learner, progress saved together, and
//! open sessions for the timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::cmi5::*;
use crate::contract_catalogue::{company, package};
use crate::*;
use chrono::{Duration, SubsecRound, Utc};
use mycel_catalogue::*;
use mycel_competency::scale::LocalizedText;
use mycel_organisation::*;
use uuid::Uuid;

async fn course(store: &dyn Store, scope: TenantScope) -> (OpportunityId, PackageId) {
    let id = PackageId::generate();
    let mut record = package(id);
    record.tenant_id = scope.tenant_id();
    store.create_package(scope, &record).await.unwrap();
    let mut draft =
        OpportunityDraft::new(Modality::ELearning, LocalizedText::new("Kasse", ""), "de");
    draft.package_id = Some(id);
    let o = store
        .create_opportunity(scope, &draft, Lifecycle::Published)
        .await
        .unwrap();
    (o.id, id)
}

fn registration(
    scope: TenantScope,
    opportunity: OpportunityId,
    package: PackageId,
    learner: &str,
    at: chrono::DateTime<Utc>,
) -> Cmi5RegistrationRecord {
    Cmi5RegistrationRecord {
        id: Uuid::new_v4(),
        tenant_id: scope.tenant_id(),
        opportunity_id: opportunity,
        package_id: package,
        person_id: None,
        learner_key: learner.into(),
        content_key: "key".into(),
        state: "{\"v\":1}".into(),
        created_at: at,
        updated_at: at,
    }
}

fn session(registration: &Cmi5RegistrationRecord, at: chrono::DateTime<Utc>) -> Cmi5SessionRecord {
    Cmi5SessionRecord {
        id: Uuid::new_v4(),
        tenant_id: registration.tenant_id,
        registration_id: registration.id,
        au_id: "https://example.com/au/1".into(),
        fetch_key_hash: "fetch".into(),
        token_hash: None,
        open: true,
        state: "{\"s\":1}".into(),
        launched_at: at,
        updated_at: at,
    }
}

pub async fn cmi5_registrations_and_sessions(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    let (opportunity, package) = course(store, nord).await;
    let earlier = Utc::now().trunc_subsecs(6) - Duration::hours(5);
    let first = registration(nord, opportunity, package, "https://x|a", earlier);
    store.create_cmi5_registration(nord, &first).await.unwrap();
    let newer = registration(
        nord,
        opportunity,
        package,
        "https://x|a",
        earlier + Duration::hours(1),
    );
    store.create_cmi5_registration(nord, &newer).await.unwrap();
    assert_eq!(
        store.cmi5_registration(nord, first.id).await.unwrap(),
        first
    );
    // Another company sees nothing; an id is taken once in the installation.
    assert!(matches!(
        store.cmi5_registration(sued, first.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.create_cmi5_registration(nord, &first).await,
        Err(StoreError::Conflict(_))
    ));
    // References stay inside the company.
    let (foreign_opportunity, foreign_package) = course(store, sued).await;
    let foreign = registration(
        nord,
        foreign_opportunity,
        foreign_package,
        "https://x|b",
        earlier,
    );
    assert!(store
        .create_cmi5_registration(nord, &foreign)
        .await
        .is_err());
    assert_eq!(
        store
            .find_cmi5_registration(newer.id)
            .await
            .unwrap()
            .map(|r| r.id),
        Some(newer.id)
    );
    assert_eq!(
        store.find_cmi5_registration(Uuid::new_v4()).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .latest_cmi5_registration(nord, opportunity, "https://x|a")
            .await
            .unwrap()
            .map(|r| r.id),
        Some(newer.id)
    );
    assert_eq!(
        store
            .latest_cmi5_registration(nord, opportunity, "https://x|zz")
            .await
            .unwrap(),
        None
    );

    // Progress: a new session and the registration's state in one write; then an update.
    let mut launched = session(&first, earlier);
    store
        .save_cmi5_progress(nord, first.id, "{\"v\":2}", std::slice::from_ref(&launched))
        .await
        .unwrap();
    let found = store.cmi5_session(nord, launched.id).await.unwrap();
    assert_eq!(found.state, launched.state);
    assert!(found.open);
    assert_eq!(
        store.cmi5_registration(nord, first.id).await.unwrap().state,
        "{\"v\":2}"
    );
    assert_eq!(
        store
            .find_cmi5_session(launched.id)
            .await
            .unwrap()
            .map(|s| s.id),
        Some(launched.id)
    );
    assert!(matches!(
        store.cmi5_session(sued, launched.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store
            .open_cmi5_sessions(nord, first.id)
            .await
            .unwrap()
            .len(),
        1
    );
    // Idle since `earlier`: found for the timeout, of every company.
    let stale = store
        .stale_cmi5_sessions(Utc::now() - Duration::hours(1), 10)
        .await
        .unwrap();
    assert_eq!(
        stale.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![launched.id]
    );

    launched.token_hash = Some("token".into());
    launched.open = false;
    launched.state = "{\"s\":2}".into();
    store
        .save_cmi5_progress(nord, first.id, "{\"v\":3}", std::slice::from_ref(&launched))
        .await
        .unwrap();
    let found = store.cmi5_session(nord, launched.id).await.unwrap();
    assert_eq!(found.token_hash.as_deref(), Some("token"));
    assert!(!found.open);
    assert_eq!(found.state, "{\"s\":2}");
    assert!(store
        .open_cmi5_sessions(nord, first.id)
        .await
        .unwrap()
        .is_empty());
    assert!(store
        .stale_cmi5_sessions(Utc::now(), 10)
        .await
        .unwrap()
        .is_empty());

    // A session of another registration is refused, and nothing of that write is kept.
    let other = session(&newer, earlier);
    assert!(store
        .save_cmi5_progress(nord, first.id, "{\"v\":4}", std::slice::from_ref(&other))
        .await
        .is_err());
    assert_eq!(
        store.cmi5_registration(nord, first.id).await.unwrap().state,
        "{\"v\":3}"
    );
    assert!(store.find_cmi5_session(other.id).await.unwrap().is_none());
    // An unknown registration is not found.
    assert!(matches!(
        store
            .save_cmi5_progress(nord, Uuid::new_v4(), "{}", &[])
            .await,
        Err(StoreError::NotFound(_))
    ));
}
