//! The storage contract of Mycel.
//!
//! [`Store`] is the one trait every backend implements (SQLite and PostgreSQL live in
//! `mycel-store-sql`). Everything that belongs to a tenant is reached only through a [`TenantScope`]:
//! every such method takes one, and every query of every backend filters by its tenant, so a handler
//! cannot read another tenant's rows by forgetting a check, and a guessed id of another tenant is
//! simply not found.
//!
//! Errors: this crate's [`StoreError`] is the error of the storage layer; the HTTP layer maps it to
//! status codes in one place.
//!
//! The backend-neutral contract test suite lives in [`contract`] (feature `contract-tests`); each
//! backend runs all of it with [`store_contract_tests!`].

pub mod catalogue;
pub mod cmi5;
pub mod competencies;
mod error;
pub mod journal;
pub mod learning_paths;
pub mod lrs;
pub mod recommendations;
mod records;
mod scope;
pub mod scorm;
pub mod strategic_goals;

#[cfg(feature = "contract-tests")]
pub mod contract;
#[cfg(feature = "contract-tests")]
pub mod contract_catalogue;
#[cfg(feature = "contract-tests")]
pub mod contract_cmi5;
#[cfg(feature = "contract-tests")]
pub mod contract_competencies;
#[cfg(feature = "contract-tests")]
pub mod contract_journal;
#[cfg(feature = "contract-tests")]
pub mod contract_lrs;
#[cfg(feature = "contract-tests")]
pub mod contract_recommendations;
#[cfg(feature = "contract-tests")]
pub mod contract_scorm;
#[cfg(feature = "contract-tests")]
pub mod contract_strategic_goals;

pub use catalogue::{AssignmentStore, CatalogueStore, ClassroomStore};
pub use cmi5::Cmi5Store;
pub use competencies::CompetencyStore;
pub use error::StoreError;
pub use journal::JournalStore;
pub use learning_paths::LearningPathStore;
pub use lrs::LrsStore;
pub use recommendations::RecommendationStore;
pub use records::*;
pub use scope::TenantScope;
pub use scorm::ScormStore;
pub use strategic_goals::StrategicGoalStore;

use async_trait::async_trait;
use mycel_organisation::{
    AccessGrant, CredentialId, OrgUnit, OrgUnitId, Person, PersonId, Role, RoleAssignment,
    RoleAssignmentKind, RoleId, Tenant, TenantId,
};

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything Mycel keeps: the organisation network here, the learning record store in
/// [`LrsStore`], competencies in [`CompetencyStore`], the catalogue in [`CatalogueStore`] and
/// classroom training in [`ClassroomStore`]. Implementations must be cheap to share
/// (`Arc<dyn Store>`).
#[async_trait]
pub trait Store:
    LrsStore
    + CompetencyStore
    + CatalogueStore
    + ClassroomStore
    + AssignmentStore
    + Cmi5Store
    + LearningPathStore
    + JournalStore
    + ScormStore
    + StrategicGoalStore
    + RecommendationStore
    + Send
    + Sync
    + std::fmt::Debug
    + 'static
{
    /// Which backend this is (`sqlite`, `postgres`), for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    /// Can the database answer a query now?
    async fn ping(&self) -> StoreResult<()>;

    /// Closes the connections after the last in-flight query finished.
    async fn close(&self);

    // ---- the network: member companies ----

    async fn create_tenant(&self, new: NewTenant) -> StoreResult<Tenant>;
    async fn tenant(&self, id: TenantId) -> StoreResult<Tenant>;
    async fn tenant_by_slug(&self, slug: &str) -> StoreResult<Tenant>;
    async fn list_tenants(&self) -> StoreResult<Vec<Tenant>>;

    // ---- org units ----

    async fn create_org_unit(&self, scope: TenantScope, new: NewOrgUnit) -> StoreResult<OrgUnit>;
    async fn org_unit(&self, scope: TenantScope, id: OrgUnitId) -> StoreResult<OrgUnit>;
    async fn list_org_units(&self, scope: TenantScope) -> StoreResult<Vec<OrgUnit>>;
    /// The unit and its ancestors, root first.
    async fn org_unit_path(&self, scope: TenantScope, id: OrgUnitId)
        -> StoreResult<Vec<OrgUnitId>>;

    // ---- people ----

    async fn create_person(&self, scope: TenantScope, new: NewPerson) -> StoreResult<Person>;
    async fn person(&self, scope: TenantScope, id: PersonId) -> StoreResult<Person>;
    /// People in the tenant, or in an org unit's subtree, ordered by id, one page at a time.
    async fn list_people(&self, scope: TenantScope, query: PeopleQuery)
        -> StoreResult<Vec<Person>>;
    /// The person with this (lower-case) e-mail address and their password hash, for logging in.
    async fn login_candidate(
        &self,
        scope: TenantScope,
        email: &str,
    ) -> StoreResult<Option<LoginCandidate>>;
    /// Replaces a person's changeable fields (the caller merges partial changes first).
    async fn update_person(
        &self,
        scope: TenantScope,
        id: PersonId,
        update: PersonUpdate,
    ) -> StoreResult<Person>;
    async fn set_password_hash(
        &self,
        scope: TenantScope,
        person: PersonId,
        password_hash: &str,
    ) -> StoreResult<()>;
    async fn set_person_locale(
        &self,
        scope: TenantScope,
        person: PersonId,
        locale: Option<&str>,
    ) -> StoreResult<()>;
    /// Writes people as they are given (ids, names, e-mail addresses, org units, managers, locales,
    /// creation times; no passwords), e.g. from an HR system or a generator: all of them in one
    /// transaction, or none. A manager may be one of the batch (in any order) or already stored.
    /// An org unit or manager that does not exist in this tenant is `InvalidReference`, an id or
    /// e-mail address already taken is `Conflict`, a person of another tenant `InvalidReference`.
    async fn import_people(&self, scope: TenantScope, people: &[Person]) -> StoreResult<()>;

    // ---- access roles ----

    /// Grants an access role (idempotent).
    async fn grant_access(
        &self,
        scope: TenantScope,
        person: PersonId,
        grant: AccessGrant,
    ) -> StoreResult<()>;
    async fn access_grants(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<AccessGrant>>;
    /// The people holding an access role (e.g. the trainers to choose from), by name, at most
    /// `limit`.
    async fn people_with_access_role(
        &self,
        scope: TenantScope,
        role: mycel_organisation::AccessRole,
        limit: u32,
    ) -> StoreResult<Vec<Person>>;

    // ---- roles (job profiles) and who holds them ----

    async fn create_role(&self, scope: TenantScope, new: NewRole) -> StoreResult<Role>;
    async fn role(&self, scope: TenantScope, id: RoleId) -> StoreResult<Role>;
    async fn list_roles(&self, scope: TenantScope) -> StoreResult<Vec<Role>>;
    /// Assigns a role to a person as current or aspired (idempotent).
    async fn assign_role(
        &self,
        scope: TenantScope,
        person: PersonId,
        role: RoleId,
        kind: RoleAssignmentKind,
    ) -> StoreResult<RoleAssignment>;
    async fn role_assignments(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<RoleAssignment>>;
    /// Writes role assignments as they are given, in one transaction, all or none; assignments
    /// already stored are kept as they are. A person or role that does not exist in this tenant
    /// (or an assignment of another tenant) is `InvalidReference`.
    async fn import_role_assignments(
        &self,
        scope: TenantScope,
        assignments: &[RoleAssignment],
    ) -> StoreResult<()>;

    // ---- API credentials of machine clients ----

    async fn create_api_credential(
        &self,
        scope: TenantScope,
        new: NewApiCredential,
    ) -> StoreResult<ApiCredential>;
    async fn api_credential(
        &self,
        scope: TenantScope,
        id: CredentialId,
    ) -> StoreResult<ApiCredential>;
    async fn list_api_credentials(&self, scope: TenantScope) -> StoreResult<Vec<ApiCredential>>;
    /// Revokes a credential; revoking twice keeps the first revocation time.
    async fn revoke_api_credential(
        &self,
        scope: TenantScope,
        id: CredentialId,
    ) -> StoreResult<ApiCredential>;

    // ---- login sessions ----

    async fn create_session(&self, scope: TenantScope, new: NewSession) -> StoreResult<()>;
    /// The unexpired session with this token hash.
    async fn session(&self, scope: TenantScope, token_hash: &[u8]) -> StoreResult<Session>;
    async fn delete_session(&self, scope: TenantScope, token_hash: &[u8]) -> StoreResult<()>;
    /// Removes expired sessions of all tenants; returns how many.
    async fn delete_expired_sessions(&self) -> StoreResult<u64>;

    // ---- the audit log of access to personal data (append-only) ----

    async fn append_audit(
        &self,
        scope: TenantScope,
        entry: NewAuditEntry,
    ) -> StoreResult<AuditEntry>;
    /// Newest first.
    async fn list_audit(
        &self,
        scope: TenantScope,
        query: AuditQuery,
    ) -> StoreResult<Vec<AuditEntry>>;
}
