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
    /// The company's programs that have one of these opportunities as a part, by id.
    async fn programs_containing(
        &self,
        scope: TenantScope,
        parts: &[OpportunityId],
    ) -> StoreResult<Vec<OpportunityId>>;
}

/// A room as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Room {
    pub id: mycel_organisation::RoomId,
    pub draft: mycel_catalogue::classroom::RoomDraft,
}

/// A session as stored, with how many places are taken and how many wait.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    pub id: mycel_organisation::SessionId,
    pub tenant_id: TenantId,
    pub opportunity_id: OpportunityId,
    pub draft: mycel_catalogue::classroom::SessionDraft,
    pub cancelled: bool,
    /// Confirmed, attended and no-show enrolments.
    pub taken: u32,
    pub waiting: u32,
    pub requested: u32,
}

/// An enrolment as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentRecord {
    pub id: mycel_organisation::EnrolmentId,
    pub session_id: mycel_organisation::SessionId,
    pub person_id: PersonId,
    pub status: mycel_catalogue::classroom::EnrolmentStatus,
    pub enrolled_by: Option<PersonId>,
    pub enrolled_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

/// What changed when an enrolment was cancelled or a session's places changed: the enrolments
/// that moved up from the waitlist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Promotions {
    pub promoted: Vec<EnrolmentRecord>,
}

/// Rooms, sessions and enrolments of classroom training.
#[async_trait]
pub trait ClassroomStore: Send + Sync {
    async fn create_room(
        &self,
        scope: TenantScope,
        draft: &mycel_catalogue::classroom::RoomDraft,
    ) -> StoreResult<Room>;
    async fn rooms(&self, scope: TenantScope) -> StoreResult<Vec<Room>>;
    /// Adds a session to an opportunity of the company. The room must hold the capacity; a
    /// trainer or room already busy at that time is refused (`Conflict` naming which).
    async fn create_training_session(
        &self,
        scope: TenantScope,
        opportunity: OpportunityId,
        draft: &mycel_catalogue::classroom::SessionDraft,
    ) -> StoreResult<SessionRecord>;
    async fn training_session(
        &self,
        scope: TenantScope,
        id: mycel_organisation::SessionId,
    ) -> StoreResult<SessionRecord>;
    /// The sessions of an opportunity, by start.
    async fn sessions_of(
        &self,
        scope: TenantScope,
        opportunity: OpportunityId,
    ) -> StoreResult<Vec<SessionRecord>>;
    /// Start times of the sessions (not cancelled) after `after` of these opportunities, for
    /// the search index.
    async fn upcoming_session_starts(
        &self,
        scope: TenantScope,
        opportunities: &[OpportunityId],
        after: DateTime<Utc>,
    ) -> StoreResult<Vec<(OpportunityId, DateTime<Utc>)>>;
    /// Cancels a session and all its open enrolments; returns those enrolments as they were.
    async fn cancel_training_session(
        &self,
        scope: TenantScope,
        id: mycel_organisation::SessionId,
    ) -> StoreResult<Vec<EnrolmentRecord>>;
    /// Enrols a person: a place if one is free (and no approval is needed, or `approved`), the
    /// waitlist otherwise, or a request awaiting approval. Decided under the session's lock, so
    /// concurrent enrolments never overbook. A second open enrolment is a `Conflict`.
    async fn enrol(
        &self,
        scope: TenantScope,
        session: mycel_organisation::SessionId,
        person: PersonId,
        enrolled_by: Option<PersonId>,
        approved: bool,
    ) -> StoreResult<EnrolmentRecord>;
    /// Approves (a place or the waitlist) or refuses (cancelled) a requested enrolment.
    async fn decide_enrolment(
        &self,
        scope: TenantScope,
        id: mycel_organisation::EnrolmentId,
        approve: bool,
    ) -> StoreResult<EnrolmentRecord>;
    /// Cancels an open enrolment; the first on the waitlist move into freed places.
    async fn cancel_enrolment(
        &self,
        scope: TenantScope,
        id: mycel_organisation::EnrolmentId,
    ) -> StoreResult<(EnrolmentRecord, Promotions)>;
    /// The trainer's list: confirmed participants become attended or no-show.
    async fn record_attendance(
        &self,
        scope: TenantScope,
        session: mycel_organisation::SessionId,
        attendance: &[(PersonId, bool)],
    ) -> StoreResult<Vec<EnrolmentRecord>>;
    async fn enrolment(
        &self,
        scope: TenantScope,
        id: mycel_organisation::EnrolmentId,
    ) -> StoreResult<EnrolmentRecord>;
    /// A session's enrolments in the order they were made.
    async fn session_enrolments(
        &self,
        scope: TenantScope,
        session: mycel_organisation::SessionId,
    ) -> StoreResult<Vec<EnrolmentRecord>>;
    /// The sessions a person trains, not cancelled, ending after `after`, by start.
    async fn trainer_sessions(
        &self,
        scope: TenantScope,
        trainer: PersonId,
        after: DateTime<Utc>,
    ) -> StoreResult<Vec<SessionRecord>>;
    /// Enrolments awaiting approval of the people whose manager is `manager`, oldest first.
    async fn requests_for_manager(
        &self,
        scope: TenantScope,
        manager: PersonId,
    ) -> StoreResult<Vec<EnrolmentRecord>>;
    /// A person's enrolments, newest first.
    async fn person_enrolments(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<EnrolmentRecord>>;
}

/// An opportunity assigned to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentRecord {
    pub id: uuid::Uuid,
    pub person_id: PersonId,
    pub opportunity_id: OpportunityId,
    pub due: Option<chrono::NaiveDate>,
    pub assigned_by: Option<PersonId>,
    pub assigned_at: DateTime<Utc>,
}

/// A person completed an opportunity (as a statement in the LRS showed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionRecord {
    pub person_id: PersonId,
    pub opportunity_id: OpportunityId,
    pub completed_at: DateTime<Utc>,
    pub statement_id: String,
}

/// Assignments and completions.
#[async_trait]
pub trait AssignmentStore: Send + Sync {
    /// Assigns an opportunity of the company to people; people who have it assigned already keep
    /// their assignment. Returns how many were new. All or nothing.
    async fn assign(
        &self,
        scope: TenantScope,
        opportunity: OpportunityId,
        people: &[PersonId],
        due: Option<chrono::NaiveDate>,
        assigned_by: Option<PersonId>,
    ) -> StoreResult<u64>;
    /// A person's assignments, by due date (none last).
    async fn person_assignments(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<AssignmentRecord>>;
    /// Records completions; one a statement showed already is skipped. Returns how many were new.
    async fn record_completions(
        &self,
        scope: TenantScope,
        completions: &[CompletionRecord],
    ) -> StoreResult<u64>;
    /// A person's completions, newest first.
    async fn person_completions(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<CompletionRecord>>;
    /// The people holding a role now (current assignments), by id.
    async fn people_in_role(
        &self,
        scope: TenantScope,
        role: mycel_organisation::RoleId,
    ) -> StoreResult<Vec<PersonId>>;
}
