//! The contract of [`crate::JournalStore`]: entries kept per person and company, newest learning
//! first; sharing; confirming only shared, unconfirmed entries; deleting an entry with the
//! evidence linked to it, and only the person's own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::contract_catalogue::company;
use crate::contract_competencies::{esco_like, evidence, find, no_progress, person};
use crate::journal::JournalEntryRecord;
use crate::*;
use chrono::{NaiveDate, SubsecRound, Utc};
use mycel_competency::evidence::EvidenceKind;
use uuid::Uuid;

fn entry(person: mycel_organisation::PersonId, title: &str, day: u32) -> JournalEntryRecord {
    JournalEntryRecord {
        id: Uuid::now_v7(),
        person_id: person,
        title: title.into(),
        learned_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
        minutes: 30,
        competencies: "[]".into(),
        reflection: String::new(),
        shared: false,
        confirmed_by: None,
        confirmed_at: None,
        created_at: Utc::now().trunc_subsecs(6),
    }
}

pub async fn journal_entries_are_private_shared_confirmed_and_deleted_with_their_evidence(
    store: &dyn Store,
) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let competency = find(store, nord, "s").await[0].id;
    let anna = person(store, nord, "Anna", None).await;
    let maria = person(store, nord, "Maria", None).await;
    let older = entry(anna.id, "Regale", 2);
    let newer = entry(anna.id, "Kasse", 20);
    store.create_journal_entry(nord, &older).await.unwrap();
    store.create_journal_entry(nord, &newer).await.unwrap();
    let listed = store.journal_entries(nord, anna.id).await.unwrap();
    assert_eq!(
        listed,
        vec![newer.clone(), older.clone()],
        "newest learning first"
    );
    assert!(matches!(
        store.journal_entry(sued, newer.id).await,
        Err(StoreError::NotFound(_))
    ));

    // Confirming needs a shared entry, once.
    let at = Utc::now().trunc_subsecs(6);
    assert!(matches!(
        store
            .confirm_journal_entry(nord, newer.id, maria.id, at)
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .set_journal_entry_shared(nord, anna.id, newer.id, true)
        .await
        .unwrap();
    // Only the person shares their entries.
    assert!(store
        .set_journal_entry_shared(nord, maria.id, older.id, true)
        .await
        .is_err());
    store
        .confirm_journal_entry(nord, newer.id, maria.id, at)
        .await
        .unwrap();
    let confirmed = store.journal_entry(nord, newer.id).await.unwrap();
    assert_eq!(confirmed.confirmed_by, Some(maria.id));
    assert_eq!(confirmed.confirmed_at, Some(at));
    assert!(store
        .confirm_journal_entry(nord, newer.id, maria.id, at)
        .await
        .is_err());
    // A confirmed entry stays shared.
    assert!(store
        .set_journal_entry_shared(nord, anna.id, newer.id, false)
        .await
        .is_err());

    // Deleting takes the linked evidence with it, and nothing else.
    let link = format!("https://mycel.example/journal/{}", newer.id);
    store
        .add_evidence(
            nord,
            &[
                evidence(anna.id, competency, EvidenceKind::Journal, 2.0, Some(&link)),
                evidence(anna.id, competency, EvidenceKind::SelfAssessment, 1.0, None),
            ],
        )
        .await
        .unwrap();
    assert!(store
        .delete_journal_entry(nord, maria.id, newer.id, &link)
        .await
        .is_err());
    store
        .delete_journal_entry(nord, anna.id, newer.id, &link)
        .await
        .unwrap();
    let left = store.evidence(nord, anna.id, None).await.unwrap();
    assert_eq!(
        left.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![EvidenceKind::SelfAssessment]
    );
    assert_eq!(
        store.journal_entries(nord, anna.id).await.unwrap(),
        vec![older]
    );
}
