//! Learning paths as stored: a person's choices about their path (as JSON the application reads),
//! and the candidates a path is planned from.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_organisation::{CompetencyId, OpportunityId, PersonId};

/// A person's choices about their path.
#[derive(Debug, Clone, PartialEq)]
pub struct PathChoicesRecord {
    pub person_id: PersonId,
    /// The application's JSON (pinned, skipped and ordered steps, budget, languages, modalities).
    pub choices: String,
    pub updated_at: DateTime<Utc>,
}

#[async_trait]
pub trait LearningPathStore: Send + Sync {
    /// A person's choices; `None` before they made any.
    async fn path_choices(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Option<PathChoicesRecord>>;
    /// Replaces a person's choices.
    async fn save_path_choices(
        &self,
        scope: TenantScope,
        choices: &PathChoicesRecord,
    ) -> StoreResult<()>;
    /// People of the company who share their competency profile and whose estimated level in
    /// the competency is at least `min_level`, highest first (who can help a colleague).
    async fn colleagues_with_level(
        &self,
        scope: TenantScope,
        competency: CompetencyId,
        min_level: f64,
        limit: u32,
    ) -> StoreResult<Vec<(PersonId, f64)>>;
    /// Published opportunities the company may see (its own, and other companies' offers to the
    /// network or to it, as [`crate::CatalogueStore::opportunities_by_id`] decides) that teach at
    /// least one of these competencies, by id.
    async fn opportunities_teaching(
        &self,
        scope: TenantScope,
        competencies: &[CompetencyId],
    ) -> StoreResult<Vec<OpportunityId>>;
}
