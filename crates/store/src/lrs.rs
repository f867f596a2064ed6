//! What the learning record store keeps: xAPI statements with the index terms their queries need,
//! attachments, and the documents of the State, Activity Profile and Agent Profile resources.
//!
//! Statements are written in batches that commit whole or not at all. Within a tenant every stored
//! statement gets the next `seq`, in commit order: the change feed ([`LrsStore::statements_after`])
//! and query paging rely on it.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_organisation::CredentialId;
use uuid::Uuid;

/// An agent a statement relates to, by its canonical key (`mycel_xapi::AgentKey::canonical`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementAgent {
    pub key: String,
    /// The statement's actor or object (what the `agent` filter matches); otherwise related only
    /// (what `related_agents=true` adds).
    pub direct: bool,
}

/// An activity a statement relates to, by its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementActivity {
    pub id: String,
    /// The statement's object (what the `activity` filter matches); otherwise related only.
    pub direct: bool,
}

/// A statement ready to store: its final JSON (with `id`, `stored`, `authority`, `version`) and its
/// index terms.
#[derive(Clone, Debug)]
pub struct NewStatement {
    pub id: Uuid,
    pub stored: DateTime<Utc>,
    pub timestamp: DateTime<Utc>,
    pub verb_id: String,
    pub registration: Option<Uuid>,
    /// For a voiding statement: the statement it voids.
    pub voids: Option<Uuid>,
    /// For a statement whose object is a StatementRef: the statement it refers to.
    pub refers_to: Option<Uuid>,
    /// The credential that stored it (for `statements/read/mine`).
    pub credential_id: Option<CredentialId>,
    pub agents: Vec<StatementAgent>,
    pub activities: Vec<StatementActivity>,
    /// SHA-2 hashes of the attachments the statement refers to.
    pub attachment_hashes: Vec<String>,
    /// Activity ids with the definition (JSON text) this statement gives them; the latest wins.
    pub activity_definitions: Vec<(String, String)>,
    /// The statement as stored and returned, JSON text.
    pub json: String,
}

/// A stored statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredStatement {
    pub seq: i64,
    pub id: Uuid,
    pub stored: DateTime<Utc>,
    pub voided: bool,
    /// Whether this statement voids another.
    pub is_voiding: bool,
    pub attachment_hashes: Vec<String>,
    pub json: String,
}

/// Where a page of statements ended: the next page starts after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatementCursor {
    pub stored: DateTime<Utc>,
    pub seq: i64,
}

/// The filters of `GET statements` (all optional, combined with AND).
#[derive(Clone, Debug, Default)]
pub struct StatementQuery {
    pub agent: Option<String>,
    pub related_agents: bool,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub related_activities: bool,
    pub registration: Option<Uuid>,
    /// Stored strictly after.
    pub since: Option<DateTime<Utc>>,
    /// Stored at or before.
    pub until: Option<DateTime<Utc>>,
    /// Only statements numbered at most this (`seq`): a page walk stays with the statements that
    /// were stored when it began, exactly, whatever the clock's resolution.
    pub through_seq: Option<i64>,
    pub ascending: bool,
    /// Only statements stored through this credential (`statements/read/mine`).
    pub credential: Option<CredentialId>,
    pub after: Option<StatementCursor>,
    pub limit: u32,
}

/// Which document resource a document belongs to, and its key within it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentKey {
    State {
        activity_id: String,
        agent: String,
        registration: Option<Uuid>,
        state_id: String,
    },
    ActivityProfile {
        activity_id: String,
        profile_id: String,
    },
    AgentProfile {
        agent: String,
        profile_id: String,
    },
}

/// Which documents a list or a delete of many covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentSet {
    States {
        activity_id: String,
        agent: String,
        registration: Option<Uuid>,
    },
    ActivityProfiles {
        activity_id: String,
    },
    AgentProfiles {
        agent: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub content_type: String,
    pub content: Vec<u8>,
    /// Quoted entity tag (SHA-1 of the content).
    pub etag: String,
    pub updated: DateTime<Utc>,
}

/// A document to store, with the condition it is stored under.
#[derive(Clone, Debug)]
pub struct DocumentWrite {
    pub content_type: String,
    pub content: Vec<u8>,
    pub etag: String,
    pub updated: DateTime<Utc>,
}

#[async_trait]
pub trait LrsStore: Send + Sync {
    /// Stores a batch of statements whole or not at all, voiding the targets of voiding statements
    /// and recording the activities' latest definitions. A statement id that exists already is a
    /// conflict (the caller compares and skips identical duplicates before). Returns the `seq` of
    /// the last statement stored.
    async fn insert_statements(
        &self,
        scope: TenantScope,
        batch: Vec<NewStatement>,
    ) -> StoreResult<i64>;

    /// The statements with these ids (voided or not), for duplicate and voiding checks.
    async fn statements_by_id(
        &self,
        scope: TenantScope,
        ids: &[Uuid],
    ) -> StoreResult<Vec<StoredStatement>>;

    /// One page of statements matching the query (voided ones excluded; statements referring to a
    /// matching statement included), in `stored` order.
    async fn query_statements(
        &self,
        scope: TenantScope,
        query: &StatementQuery,
    ) -> StoreResult<Vec<StoredStatement>>;

    /// The highest `seq` stored in the tenant (0 when none), with the time it was stored.
    async fn latest_statement(&self, scope: TenantScope) -> StoreResult<Option<StatementCursor>>;

    /// The change feed: statements with `seq` greater than `after`, in `seq` order.
    async fn statements_after(
        &self,
        scope: TenantScope,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredStatement>>;

    /// Stores attachment content by its SHA-2 hash (idempotent).
    async fn put_attachment(
        &self,
        scope: TenantScope,
        sha2: &str,
        content_type: &str,
        content: &[u8],
    ) -> StoreResult<()>;
    /// The content type and content of an attachment.
    async fn attachment(&self, scope: TenantScope, sha2: &str) -> StoreResult<(String, Vec<u8>)>;

    /// The latest definitions (JSON text) of these activities, for those that have one.
    async fn activity_definitions(
        &self,
        scope: TenantScope,
        activity_ids: &[String],
    ) -> StoreResult<Vec<(String, String)>>;

    async fn document(
        &self,
        scope: TenantScope,
        key: &DocumentKey,
    ) -> StoreResult<Option<Document>>;
    /// Writes a document; `expected_etag` `Some(None)` means "only if none exists",
    /// `Some(Some(tag))` "only if the current one has this tag"; a failed condition is
    /// `StoreError::PreconditionFailed`.
    async fn put_document(
        &self,
        scope: TenantScope,
        key: &DocumentKey,
        write: DocumentWrite,
        expected_etag: Option<Option<String>>,
    ) -> StoreResult<()>;
    /// Deletes one document (false if there was none), under the same condition as `put_document`.
    async fn delete_document(
        &self,
        scope: TenantScope,
        key: &DocumentKey,
        expected_etag: Option<Option<String>>,
    ) -> StoreResult<bool>;
    /// The ids of the documents in a set, changed strictly after `since` if given.
    async fn document_ids(
        &self,
        scope: TenantScope,
        set: &DocumentSet,
        since: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<String>>;
    /// Deletes all documents of a set (the State resource's delete without stateId).
    async fn delete_documents(&self, scope: TenantScope, set: &DocumentSet) -> StoreResult<u64>;
}
