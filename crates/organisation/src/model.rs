//! The records of the organisation network.

use crate::ids::{OrgUnitId, PersonId, RoleId, TenantId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A member company of the network ("Mitgliedsunternehmen"). Every other record belongs to exactly one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub id: TenantId,
    /// Short, stable, URL-safe name (`edeka-nord`), unique in the network.
    pub slug: String,
    pub name: String,
    /// Aggregated figures about people are never shown for fewer people than this.
    pub min_group_size: u32,
    pub created_at: DateTime<Utc>,
}

/// A node of a tenant's org unit tree ("Organisationseinheit").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub tenant_id: TenantId,
    pub id: OrgUnitId,
    pub parent_id: Option<OrgUnitId>,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// A person of a tenant ("Mitarbeitende/r"). People without an e-mail address or password exist too
/// (synchronised from HR); they cannot log in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub tenant_id: TenantId,
    pub id: PersonId,
    pub display_name: String,
    /// Lower-case; unique within the tenant.
    pub email: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub manager_id: Option<PersonId>,
    /// The person's chosen interface language (`de`, `en`), if they chose one.
    pub locale: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A role, i.e. a job profile ("Rolle/Stelle"), such as shop assistant or truck driver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub tenant_id: TenantId,
    pub id: RoleId,
    pub name: String,
    pub description: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Whether a person holds a role now or aims for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleAssignmentKind {
    Current,
    Aspired,
}

impl RoleAssignmentKind {
    pub const ALL: [RoleAssignmentKind; 2] = [Self::Current, Self::Aspired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Aspired => "aspired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A person holding (or aspiring to) a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub tenant_id: TenantId,
    pub person_id: PersonId,
    pub role_id: RoleId,
    pub kind: RoleAssignmentKind,
    pub assigned_at: DateTime<Utc>,
}
