//! The JSON shapes of Mycel's HTTP API under `/api/v1`: requests, responses and the error body, each
//! with its OpenAPI schema. This crate knows nothing of storage (CI checks that it does not depend on
//! sqlx), so clients and tests can use it alone.

mod catalogue;
mod classroom;
mod cmi5;
mod competencies;
mod learning_paths;
mod recommendations;
mod strategic_goals;
pub use catalogue::*;
pub use classroom::*;
pub use cmi5::*;
pub use competencies::*;
pub use learning_paths::*;
pub use recommendations::*;
pub use strategic_goals::*;

use chrono::{DateTime, Utc};
use mycel_organisation as org;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Every error response: a stable machine-readable `code` and a human `message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: `bad_request`, `invalid_json`, `validation_failed`, `unauthenticated`,
    /// `forbidden`, `not_found`, `method_not_allowed`, `conflict`, `payload_too_large`,
    /// `unsupported_media_type`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    /// The input field at fault, where one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub min_group_size: u32,
    pub created_at: DateTime<Utc>,
}

impl From<org::Tenant> for Tenant {
    fn from(t: org::Tenant) -> Self {
        Self {
            id: t.id.as_uuid(),
            slug: t.slug,
            name: t.name,
            min_group_size: t.min_group_size,
            created_at: t.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenant {
    /// 2–63 characters of a-z, 0-9 and hyphens.
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OrgUnit {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

impl From<org::OrgUnit> for OrgUnit {
    fn from(u: org::OrgUnit) -> Self {
        Self {
            id: u.id.as_uuid(),
            parent_id: u.parent_id.map(|p| p.as_uuid()),
            name: u.name,
            created_at: u.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgUnit {
    pub name: String,
    /// The parent unit; none for a top-level unit.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub org_unit_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub locale: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<org::Person> for Person {
    fn from(p: org::Person) -> Self {
        Self {
            id: p.id.as_uuid(),
            display_name: p.display_name,
            email: p.email,
            org_unit_id: p.org_unit_id.map(|u| u.as_uuid()),
            manager_id: p.manager_id.map(|m| m.as_uuid()),
            locale: p.locale,
            created_at: p.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePerson {
    pub display_name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub org_unit_id: Option<Uuid>,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    /// `de` or `en`.
    #[serde(default)]
    pub locale: Option<String>,
}

/// Present and null clears, present with a value sets, absent leaves as is (JSON merge patch).
fn present<'de, T: Deserialize<'de>, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Changes to a person (JSON merge patch): absent fields stay, `null` clears.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePerson {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub org_unit_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Uuid>)]
    pub manager_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub locale: Option<Option<String>>,
}

/// One page of people, ordered by id. Pass `next_after` as `after` to get the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PeoplePage {
    pub items: Vec<Person>,
    pub next_after: Option<Uuid>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Only people in this org unit or below it.
    pub org_unit: Option<Uuid>,
    /// The `next_after` of the previous page.
    pub after: Option<Uuid>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Role {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<org::Role> for Role {
    fn from(r: org::Role) -> Self {
        Self {
            id: r.id.as_uuid(),
            name: r.name,
            description: r.description,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRole {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoleAssignment {
    pub role_id: Uuid,
    /// `current` or `aspired`.
    pub kind: String,
    pub assigned_at: DateTime<Utc>,
}

impl From<org::RoleAssignment> for RoleAssignment {
    fn from(a: org::RoleAssignment) -> Self {
        Self {
            role_id: a.role_id.as_uuid(),
            kind: a.kind.as_str().to_owned(),
            assigned_at: a.assigned_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRole {
    pub role_id: Uuid,
    /// `current` or `aspired`.
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccessGrant {
    /// `learner`, `manager`, `trainer`, `lnd-admin`, `tenant-admin`, `network-admin`,
    /// `privacy-officer`.
    pub role: String,
    /// For `lnd-admin`: the root of the administered subtree; none means the whole tenant.
    pub org_unit_id: Option<Uuid>,
}

impl From<org::AccessGrant> for AccessGrant {
    fn from(g: org::AccessGrant) -> Self {
        Self {
            role: g.role.as_str().to_owned(),
            org_unit_id: g.org_unit_id.map(|u| u.as_uuid()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantAccess {
    pub role: String,
    #[serde(default)]
    pub org_unit_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiCredential {
    pub id: Uuid,
    /// The HTTP Basic user name.
    pub key: String,
    pub label: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiCredential {
    pub label: String,
    /// `all`, `statements/write`, `statements/read`, `statements/read/mine`, `state`, `profiles`,
    /// `define`, `org/read`, `org/write`.
    pub scopes: Vec<String>,
}

/// A new credential with its secret, which is shown this once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiCredential {
    pub credential: ApiCredential,
    /// The HTTP Basic password.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// `person` or `credential`.
    pub actor_kind: String,
    pub actor_id: Uuid,
    /// Whose data; none for a listing of many people.
    pub subject_id: Option<Uuid>,
    pub action: String,
    pub purpose: String,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only accesses to this person's data.
    pub subject: Option<Uuid>,
    /// Entries older than this one.
    pub before: Option<Uuid>,
    /// Page size, 1–1000 (default 100).
    pub limit: Option<u32>,
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub tenant: Tenant,
    /// The logged-in person; none for an API credential.
    pub person: Option<Person>,
    pub access: Vec<AccessGrant>,
    /// The credential's scopes; empty for a person.
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`, or `unavailable` with the reason in `detail`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}
