//! What callers hand to the store and what it hands back, beyond the domain types themselves.

use chrono::{DateTime, Utc};
use mycel_organisation::{
    AuditEntryId, CredentialId, OrgUnitId, Person, PersonId, Scope, TenantId,
};
use serde::{Deserialize, Serialize};

/// A new member company. `slug` and `name` are validated by the caller.
#[derive(Clone, Debug)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct NewOrgUnit {
    pub parent_id: Option<OrgUnitId>,
    pub name: String,
}

#[derive(Clone, Debug, Default)]
pub struct NewPerson {
    pub display_name: String,
    /// Lower-case, validated by the caller.
    pub email: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub manager_id: Option<PersonId>,
    pub password_hash: Option<String>,
    pub locale: Option<String>,
}

/// The changeable fields of a person, all of them: what is `None` is cleared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonUpdate {
    pub display_name: String,
    pub email: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub manager_id: Option<PersonId>,
    pub locale: Option<String>,
}

impl From<&Person> for PersonUpdate {
    fn from(p: &Person) -> Self {
        Self {
            display_name: p.display_name.clone(),
            email: p.email.clone(),
            org_unit_id: p.org_unit_id,
            manager_id: p.manager_id,
            locale: p.locale.clone(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct NewRole {
    pub name: String,
    pub description: Option<String>,
}

/// One page of people: those after `after` (by id), at most `limit`.
#[derive(Clone, Copy, Debug)]
pub struct PeopleQuery {
    /// Only people in this org unit or below it.
    pub org_unit: Option<OrgUnitId>,
    pub after: Option<PersonId>,
    pub limit: u32,
}

impl Default for PeopleQuery {
    fn default() -> Self {
        Self {
            org_unit: None,
            after: None,
            limit: 100,
        }
    }
}

/// A person found by e-mail address at login, with the password hash to check.
#[derive(Clone)]
pub struct LoginCandidate {
    pub person: Person,
    pub password_hash: Option<String>,
}

impl std::fmt::Debug for LoginCandidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginCandidate")
            .field("person", &self.person.id)
            .field("password_hash", &self.password_hash.as_ref().map(|_| "…"))
            .finish()
    }
}

/// A new API credential. The secret itself is never stored, only its SHA-256 hash: it is long and
/// random, so a fast hash is safe and keeps each authenticated request cheap.
#[derive(Clone)]
pub struct NewApiCredential {
    pub id: CredentialId,
    pub label: String,
    pub secret_hash: Vec<u8>,
    pub scopes: Vec<Scope>,
    pub created_by: Option<PersonId>,
}

impl std::fmt::Debug for NewApiCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewApiCredential")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct ApiCredential {
    pub tenant_id: TenantId,
    pub id: CredentialId,
    pub label: String,
    pub secret_hash: Vec<u8>,
    pub scopes: Vec<Scope>,
    pub created_by: Option<PersonId>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ApiCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiCredential")
            .field("tenant_id", &self.tenant_id)
            .field("id", &self.id)
            .field("label", &self.label)
            .field("scopes", &self.scopes)
            .field("revoked_at", &self.revoked_at)
            .finish_non_exhaustive()
    }
}

/// A login session. The cookie holds a random token; the store keeps only its SHA-256 hash.
#[derive(Clone)]
pub struct NewSession {
    pub token_hash: Vec<u8>,
    pub person_id: PersonId,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("person_id", &self.person_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub tenant_id: TenantId,
    pub person_id: PersonId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Who did something: a person, or a machine client through an API credential.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    Person(PersonId),
    Credential(CredentialId),
}

/// One access to personal data: who looked at whose data, what, and why.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    pub actor: Actor,
    /// Whose data; `None` for a listing of many people.
    pub subject: Option<PersonId>,
    /// What was accessed, e.g. `person.read`, `people.list`.
    pub action: String,
    /// The purpose given or implied by the request ("org administration", "manager view").
    pub purpose: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub tenant_id: TenantId,
    pub id: AuditEntryId,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub subject: Option<PersonId>,
    pub action: String,
    pub purpose: String,
}

#[derive(Clone, Copy, Debug)]
pub struct AuditQuery {
    pub subject: Option<PersonId>,
    /// Entries older than this one (paging backwards in time).
    pub before: Option<AuditEntryId>,
    pub limit: u32,
}

impl Default for AuditQuery {
    fn default() -> Self {
        Self {
            subject: None,
            before: None,
            limit: 100,
        }
    }
}
