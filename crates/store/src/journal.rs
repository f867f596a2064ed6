//! The learning journal as stored: entries of what people learned, private or shared, confirmed
//! or not. The application writes their statements and evidence.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use mycel_organisation::PersonId;
use uuid::Uuid;

/// One entry of a person's learning journal.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntryRecord {
    pub id: Uuid,
    pub person_id: PersonId,
    pub title: String,
    pub learned_on: NaiveDate,
    pub minutes: u32,
    /// The application's JSON of the competencies and levels the person reports.
    pub competencies: String,
    /// Empty when there is none.
    pub reflection: String,
    pub shared: bool,
    pub confirmed_by: Option<PersonId>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait JournalStore: Send + Sync {
    async fn create_journal_entry(
        &self,
        scope: TenantScope,
        entry: &JournalEntryRecord,
    ) -> StoreResult<()>;
    /// A person's entries, the newest learning first.
    async fn journal_entries(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<JournalEntryRecord>>;
    async fn journal_entry(&self, scope: TenantScope, id: Uuid) -> StoreResult<JournalEntryRecord>;
    /// Shares an entry or makes it private again (only unconfirmed entries change).
    async fn set_journal_entry_shared(
        &self,
        scope: TenantScope,
        person: PersonId,
        id: Uuid,
        shared: bool,
    ) -> StoreResult<()>;
    /// Marks a shared, unconfirmed entry confirmed; `Conflict` if it is not (any more).
    async fn confirm_journal_entry(
        &self,
        scope: TenantScope,
        id: Uuid,
        by: PersonId,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Deletes a person's entry and the evidence linked to it (`link`), in one transaction.
    async fn delete_journal_entry(
        &self,
        scope: TenantScope,
        person: PersonId,
        id: Uuid,
        link: &str,
    ) -> StoreResult<()>;
}
