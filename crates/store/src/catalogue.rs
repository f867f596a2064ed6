//! What the catalogue keeps: learning opportunities ("Lernangebote") with their texts, audience,
//! competency alignments, prerequisites and program parts; external providers; uploaded
//! e-learning packages (their structure; the files live in the content directory); and the
//! catalogue's revision, which tells the search index whether it is in step.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mycel_catalogue::{Lifecycle, OpportunityDraft, ProviderDraft};
use mycel_organisation::{OpportunityId, PackageId, PersonId, ProviderId, TenantId};

/// A provider as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub id: ProviderId,
    pub tenant_id: TenantId,
    pub draft: ProviderDraft,
    pub updated_at: DateTime<Utc>,
}

/// An uploaded package: what it is and where its course structure is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageRecord {
    pub id: PackageId,
    pub tenant_id: TenantId,
    /// `cmi5`, `scorm-1.2`, `scorm-2004-3rd`, …
    pub kind: String,
    pub title: String,
    /// Hex SHA-256 of the uploaded zip.
    pub sha256: String,
    pub file_count: u32,
    pub total_bytes: u64,
    /// The parsed course structure as JSON (the package reader's own types).
    pub structure: String,
    /// The path of the first launchable unit inside the package, for the player.
    pub launch_path: String,
    pub uploaded_by: Option<PersonId>,
    pub uploaded_at: DateTime<Utc>,
}

/// A learning opportunity as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct OpportunityRecord {
    pub id: OpportunityId,
    /// The company that offers it.
    pub tenant_id: TenantId,
    pub lifecycle: Lifecycle,
    pub draft: OpportunityDraft,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The catalogue revision of its last change.
    pub revision: i64,
}

/// Which of a company's own opportunities to list (by id), for editors.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpportunityListQuery {
    pub lifecycle: Option<Lifecycle>,
    /// Keyset paging: only ids after this one.
    pub after: Option<OpportunityId>,
    pub limit: u32,
}

#[async_trait]
pub trait CatalogueStore: Send + Sync {
    // ---- providers ----

    async fn create_provider(
        &self,
        scope: TenantScope,
        draft: &ProviderDraft,
    ) -> StoreResult<Provider>;
    async fn update_provider(
        &self,
        scope: TenantScope,
        id: ProviderId,
        draft: &ProviderDraft,
    ) -> StoreResult<Provider>;
    async fn providers(&self, scope: TenantScope) -> StoreResult<Vec<Provider>>;
    /// A provider of the company, or of another company that offers one of its opportunities
    /// to this company (`owner`).
    async fn provider(
        &self,
        scope: TenantScope,
        owner: TenantId,
        id: ProviderId,
    ) -> StoreResult<Provider>;

    // ---- packages ----

    async fn create_package(&self, scope: TenantScope, package: &PackageRecord) -> StoreResult<()>;
    async fn package(&self, scope: TenantScope, id: PackageId) -> StoreResult<PackageRecord>;
    /// The company's packages, newest first.
    async fn packages(&self, scope: TenantScope, limit: u32) -> StoreResult<Vec<PackageRecord>>;

    // ---- opportunities ----

    /// Stores a new opportunity of the company. References (provider, package, competencies,
    /// required opportunities, parts) must exist and be visible to it; prerequisites and parts
    /// must not form a cycle (`InvalidReference` naming it).
    async fn create_opportunity(
        &self,
        scope: TenantScope,
        draft: &OpportunityDraft,
        lifecycle: Lifecycle,
    ) -> StoreResult<OpportunityRecord>;
    /// Replaces everything an editor writes; lifecycle and creation stay.
    async fn update_opportunity(
        &self,
        scope: TenantScope,
        id: OpportunityId,
        draft: &OpportunityDraft,
    ) -> StoreResult<OpportunityRecord>;
    async fn set_lifecycle(
        &self,
        scope: TenantScope,
        id: OpportunityId,
        lifecycle: Lifecycle,
    ) -> StoreResult<OpportunityRecord>;
    /// An opportunity of the company, or one another company offers to the whole network or to
    /// this company by name. Whether its org unit and role entries admit a person is for the
    /// caller to decide (`Viewer::admitted_by`).
    async fn opportunity(
        &self,
        scope: TenantScope,
        id: OpportunityId,
    ) -> StoreResult<OpportunityRecord>;
    /// Several at once (those not visible are left out), in no particular order.
    async fn opportunities_by_id(
        &self,
        scope: TenantScope,
        ids: &[OpportunityId],
    ) -> StoreResult<Vec<OpportunityRecord>>;
    /// The company's own opportunities, by id.
    async fn list_opportunities(
        &self,
        scope: TenantScope,
        query: OpportunityListQuery,
    ) -> StoreResult<Vec<OpportunityRecord>>;

    // ---- the search index's view ----

    /// The revision of the whole catalogue: raised by every change of any company.
    async fn catalogue_revision(&self) -> StoreResult<i64>;
    /// All opportunities of the network, every company's, ordered by (tenant, id), after a
    /// position; for rebuilding the search index.
    async fn catalogue_page(
        &self,
        after: Option<(TenantId, OpportunityId)>,
        limit: u32,
    ) -> StoreResult<Vec<OpportunityRecord>>;
    /// Bulk path for generated catalogues: stores opportunities (already validated, without
    /// opportunity prerequisites or parts) of one company in one transaction.
    async fn import_opportunities(
        &self,
        scope: TenantScope,
        drafts: &[(OpportunityDraft, Lifecycle)],
    ) -> StoreResult<Vec<OpportunityId>>;
}
