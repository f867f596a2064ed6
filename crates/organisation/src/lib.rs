//! The organisation network of Mycel as plain domain types, with no HTTP and no SQL.
//!
//! A Mycel installation is one *network* (a group or cooperative). It holds *tenants* (member
//! companies, "Mitgliedsunternehmen"), each with a tree of *org units* ("Organisationseinheiten"),
//! *people* ("Mitarbeitende"), *roles* (job profiles, "Rollen/Stellen") that people hold now or aspire
//! to, and a manager relation between people.
//!
//! [`access`] decides who may do what: access roles of people (learner, manager, trainer, L&D admin of
//! an org unit subtree, tenant admin, network admin, privacy officer) and scopes of machine
//! credentials. [`validate`] holds the rules for names, slugs and e-mail addresses.

pub mod access;
pub mod ids;
pub mod model;
pub mod validate;

pub use access::{AccessGrant, AccessRole, Action, Assessor, Principal, Scope};
pub use ids::StrategicGoalId;
pub use ids::{
    AuditEntryId, CompetencyId, CredentialId, EnrolmentId, EvidenceId, FrameworkId, LearningGoalId,
    OccupationId, OpportunityId, OrgUnitId, PackageId, PersonId, ProficiencyScaleId, ProviderId,
    RoleId, RoomId, SessionId, TenantId,
};
pub use model::{OrgUnit, Person, Role, RoleAssignment, RoleAssignmentKind, Tenant};
pub use validate::ValidationError;
