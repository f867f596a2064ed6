//! SCORM attempts: one person's attempts at one SCORM opportunity, each with the run-time data
//! of its SCOs. At most one attempt per person and opportunity is open; a finished attempt stays
//! as history and the next launch opens a new one.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_organisation::{OpportunityId, PackageId, PersonId, TenantId};
use uuid::Uuid;

/// An attempt at a SCORM package; its id is the xAPI registration of its statements.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormAttempt {
    pub id: Uuid,
    pub tenant_id: TenantId,
    pub person_id: PersonId,
    pub opportunity_id: OpportunityId,
    pub package_id: PackageId,
    /// 1 for the person's first attempt at the opportunity, then 2, 3, …
    pub number: u32,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// `incomplete` until the whole package is done, then `completed`, `passed` or `failed`.
    pub status: String,
    /// The package's scaled score (-1..=1), once known.
    pub score: Option<f64>,
}

/// A SCO's run-time data within an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoRuntime {
    /// The SCO's item identifier in the manifest.
    pub sco_id: String,
    /// The `cmi` data model as the SCO last committed it (JSON).
    pub cmi: String,
    /// What Mycel derived from the commits (JSON: facts, sessions, whether one is open).
    pub progress: String,
    /// The SCO's own status (`not attempted`, `incomplete`, `completed`, `passed`, `failed`, …).
    pub status: String,
    pub score: Option<f64>,
    /// Raised by each save; a save names the revision it read (optimistic concurrency).
    pub revision: i64,
    pub updated_at: DateTime<Utc>,
}

/// One commit's write: the SCO's new data, and the attempt's state after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoCommit {
    pub sco_id: String,
    pub cmi: String,
    pub progress: String,
    pub status: String,
    pub score: Option<f64>,
    /// The revision the commit was derived from; `None`: the SCO had no data yet.
    pub read_revision: Option<i64>,
    pub attempt_status: String,
    pub attempt_score: Option<f64>,
    /// The attempt ends with this commit.
    pub finish: bool,
}

#[async_trait]
pub trait ScormStore {
    /// The person's open attempt at the opportunity, or a new one (numbered after the last);
    /// `true` when it was created now.
    async fn open_scorm_attempt(
        &self,
        scope: TenantScope,
        person: PersonId,
        opportunity: OpportunityId,
        package: PackageId,
    ) -> StoreResult<(ScormAttempt, bool)>;

    async fn scorm_attempt(&self, scope: TenantScope, id: Uuid) -> StoreResult<ScormAttempt>;

    /// The person's attempts at the opportunity, newest first.
    async fn scorm_attempts(
        &self,
        scope: TenantScope,
        person: PersonId,
        opportunity: OpportunityId,
    ) -> StoreResult<Vec<ScormAttempt>>;

    /// The run-time data of the attempt's SCOs, by SCO id.
    async fn sco_runtimes(&self, scope: TenantScope, attempt: Uuid)
        -> StoreResult<Vec<ScoRuntime>>;

    /// Writes a commit in one transaction: the SCO's data and the attempt's state. A finished
    /// attempt is `Conflict`; so is a SCO whose revision is no longer `read_revision` (another
    /// commit came first: read again and derive anew).
    async fn save_sco_commit(
        &self,
        scope: TenantScope,
        attempt: Uuid,
        commit: &ScoCommit,
    ) -> StoreResult<(ScormAttempt, ScoRuntime)>;
}
