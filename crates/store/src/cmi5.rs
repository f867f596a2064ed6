//! cmi5 registrations and AU sessions as stored. The rules live in `mycel-cmi5`, whose
//! `Registration` and `AuSession` the application keeps here as JSON (`state`); the store keeps the
//! rows, their keys and the secrets' hashes, and writes a session and its registration together.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_organisation::{OpportunityId, PackageId, PersonId, TenantId};
use uuid::Uuid;

/// One learner's registration for one cmi5 course (an e-learning opportunity with a cmi5 package).
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5RegistrationRecord {
    /// The registration UUID of the launch parameters and the statements' `context.registration`.
    pub id: Uuid,
    pub tenant_id: TenantId,
    pub opportunity_id: OpportunityId,
    pub package_id: PackageId,
    /// The person, when the learner is one of the company's people (not an outside agent).
    pub person_id: Option<PersonId>,
    /// The learner's account as `homePage|name`, to find their latest registration.
    pub learner_key: String,
    /// The key in the URLs the AU's files are served under (it opens the package's files, nothing
    /// of the learner's).
    pub content_key: String,
    /// `mycel_cmi5::Registration` as JSON.
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One launch of one AU in a registration.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5SessionRecord {
    /// The cmi5 session id (a UUID).
    pub id: Uuid,
    pub tenant_id: TenantId,
    pub registration_id: Uuid,
    /// The AU's publisher id.
    pub au_id: String,
    /// SHA-256 (hex) of the secret in the one-time fetch URL.
    pub fetch_key_hash: String,
    /// SHA-256 (hex) of the secret of the auth-token the fetch URL gave out, once it did.
    pub token_hash: Option<String>,
    /// Launched or initialized: neither terminated nor abandoned.
    pub open: bool,
    /// `mycel_cmi5::AuSession` as JSON.
    pub state: String,
    pub launched_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// cmi5 registrations and sessions.
#[async_trait]
pub trait Cmi5Store: Send + Sync {
    /// Records a new registration. A registration id that exists already is a `Conflict`; the
    /// opportunity and package must be the company's (`InvalidReference` otherwise).
    async fn create_cmi5_registration(
        &self,
        scope: TenantScope,
        registration: &Cmi5RegistrationRecord,
    ) -> StoreResult<()>;
    /// A registration of the company.
    async fn cmi5_registration(
        &self,
        scope: TenantScope,
        id: Uuid,
    ) -> StoreResult<Cmi5RegistrationRecord>;
    /// A registration by its id alone, for the AU's files, whose URLs name no company. `None`
    /// when there is none.
    async fn find_cmi5_registration(&self, id: Uuid)
        -> StoreResult<Option<Cmi5RegistrationRecord>>;
    /// The learner's newest registration for an opportunity.
    async fn latest_cmi5_registration(
        &self,
        scope: TenantScope,
        opportunity: OpportunityId,
        learner_key: &str,
    ) -> StoreResult<Option<Cmi5RegistrationRecord>>;
    /// A person's registrations, newest first.
    async fn person_cmi5_registrations(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<Cmi5RegistrationRecord>>;
    /// A session of the company.
    async fn cmi5_session(&self, scope: TenantScope, id: Uuid) -> StoreResult<Cmi5SessionRecord>;
    /// A session by its id alone, for the fetch URL and the AU's auth-token, which name no
    /// company. `None` when there is none.
    async fn find_cmi5_session(&self, id: Uuid) -> StoreResult<Option<Cmi5SessionRecord>>;
    /// The open sessions of a registration.
    async fn open_cmi5_sessions(
        &self,
        scope: TenantScope,
        registration: Uuid,
    ) -> StoreResult<Vec<Cmi5SessionRecord>>;
    /// Open sessions, of every company, not written to since `before` (for the timeout).
    async fn stale_cmi5_sessions(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Cmi5SessionRecord>>;
    /// Saves what happened in one transaction: the sessions given (new ones are inserted, known
    /// ones updated: state, open, token hash, and `updated_at` as given: the session's last
    /// activity, which the timeout goes by) and the registration's state.
    async fn save_cmi5_progress(
        &self,
        scope: TenantScope,
        registration: Uuid,
        registration_state: &str,
        sessions: &[Cmi5SessionRecord],
    ) -> StoreResult<()>;
}
