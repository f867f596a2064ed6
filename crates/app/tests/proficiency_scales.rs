//! Tenants define their own proficiency scales; they are stored, read back valid, and map onto the
//! default scale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mycel_app::competencies as comp;
use mycel_app::organisation as ops;
use mycel_app::{Acting, AppError};
use mycel_competency::scale::{Level, LocalizedText, ProficiencyScale};
use mycel_organisation::{AccessGrant, AccessRole, PersonId, Principal};
use mycel_store::TenantScope;

#[tokio::test]
async fn a_dqr_scale_is_stored_and_maps_to_the_default_scale() {
    let dir = tempfile::tempdir().unwrap();
    let store = mycel_store_sql::open(&format!("sqlite://{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    let tenant = ops::create_tenant(&*store, Acting::Operator, "nord", "Nord")
        .await
        .unwrap();
    let scope = TenantScope::system(tenant.id);
    let dqr = ProficiencyScale::dqr();
    let lnd = Principal::Person {
        tenant_id: tenant.id,
        person_id: PersonId::generate(),
        grants: vec![AccessGrant::tenant_wide(AccessRole::LndAdmin)],
    };
    let created = comp::create_scale(
        &*store,
        Acting::Principal(&lnd),
        scope,
        dqr.name().clone(),
        dqr.levels().to_vec(),
    )
    .await
    .unwrap();
    let scales = comp::scales(&*store, scope).await.unwrap();
    assert_eq!(scales.len(), 2, "the default scale and the tenant's");
    assert_eq!(scales[0], ProficiencyScale::default_scale());
    assert_eq!(scales[1], created);
    assert_eq!(scales[1].to_default(8), Level::new(4.0));
    assert_eq!(scales[1].to_default(1), Level::new(0.0));

    // A learner may not; an invalid scale is refused with the reason and not stored.
    let learner = Principal::Person {
        tenant_id: tenant.id,
        person_id: PersonId::generate(),
        grants: vec![],
    };
    let refused = comp::create_scale(
        &*store,
        Acting::Principal(&learner),
        scope,
        dqr.name().clone(),
        dqr.levels().to_vec(),
    )
    .await;
    assert!(matches!(refused, Err(AppError::Forbidden)));
    let mut backwards = dqr.levels().to_vec();
    backwards.reverse();
    let invalid = comp::create_scale(
        &*store,
        Acting::Operator,
        scope,
        LocalizedText::new("Rückwärts", "Backwards"),
        backwards,
    )
    .await;
    assert!(matches!(invalid, Err(AppError::Invalid(_))), "{invalid:?}");
    assert_eq!(comp::scales(&*store, scope).await.unwrap().len(), 2);
}
