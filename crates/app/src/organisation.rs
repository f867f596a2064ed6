//! Operations on the organisation network: member companies, org units, people, roles, access,
//! API credentials and the audit log.

use crate::{password, tokens, Acting, AppError, AppResult};
use mycel_organisation::access::PersonFacts;
use mycel_organisation::{
    validate, AccessGrant, AccessRole, Action, CredentialId, OrgUnit, OrgUnitId, Person, PersonId,
    Role, RoleAssignment, RoleAssignmentKind, RoleId, Scope, Tenant, ValidationError,
};
use mycel_store::{
    ApiCredential, AuditEntry, AuditQuery, NewApiCredential, NewAuditEntry, NewOrgUnit, NewPerson,
    NewRole, NewTenant, PeopleQuery, Store, TenantScope,
};

/// The largest page of people or audit entries one request may ask for.
pub const MAX_PAGE: u32 = 1000;

/// Interface languages a person may choose.
pub const LOCALES: [&str; 2] = ["de", "en"];

fn page_size(limit: Option<u32>) -> AppResult<u32> {
    match limit {
        None => Ok(100),
        Some(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Some(_) => {
            Err(ValidationError::new("limit", format!("must be between 1 and {MAX_PAGE}")).into())
        }
    }
}

// ---- member companies ----

pub async fn create_tenant(
    store: &dyn Store,
    acting: Acting<'_>,
    slug: &str,
    name: &str,
) -> AppResult<Tenant> {
    acting.require(Action::AdministerNetwork)?;
    let new = NewTenant {
        slug: validate::slug("slug", slug)?,
        name: validate::name("name", name)?,
    };
    Ok(store.create_tenant(new).await?)
}

/// All member companies for a network admin; one's own otherwise.
pub async fn list_tenants(store: &dyn Store, acting: Acting<'_>) -> AppResult<Vec<Tenant>> {
    match acting {
        Acting::Principal(p) if !p.permits(Action::AdministerNetwork) => {
            Ok(vec![store.tenant(p.tenant_id()).await?])
        }
        _ => Ok(store.list_tenants().await?),
    }
}

/// The member company with this slug and the scope to act in it, if the actor may enter it; not
/// found otherwise.
pub async fn enter_tenant(
    store: &dyn Store,
    acting: Acting<'_>,
    slug: &str,
) -> AppResult<(Tenant, TenantScope)> {
    // Something that cannot be a slug names no tenant (and never reaches the database).
    validate::slug("tenant", slug).map_err(|_| AppError::NotFound("tenant"))?;
    let tenant = store.tenant_by_slug(slug).await?;
    let scope = acting.scope_for(tenant.id)?;
    Ok((tenant, scope))
}

// ---- org units ----

pub async fn create_org_unit(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    name: &str,
    parent: Option<OrgUnitId>,
) -> AppResult<OrgUnit> {
    let name = validate::name("name", name)?;
    let parent_path = match parent {
        Some(id) => store
            .org_unit_path(scope, id)
            .await
            .map_err(|_| ValidationError::new("parent_id", "no such org unit in this company"))?,
        None => Vec::new(),
    };
    acting.require(Action::CreateOrgUnit {
        parent_path: &parent_path,
    })?;
    Ok(store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: parent,
                name,
            },
        )
        .await?)
}

pub async fn list_org_units(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<OrgUnit>> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.list_org_units(scope).await?)
}

pub async fn org_unit(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: OrgUnitId,
) -> AppResult<OrgUnit> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.org_unit(scope, id).await?)
}

// ---- people ----

/// A new person, as typed by an admin or sent by an HR system.
#[derive(Debug, Clone, Default)]
pub struct PersonInput {
    pub display_name: String,
    pub email: Option<String>,
    pub org_unit_id: Option<OrgUnitId>,
    pub manager_id: Option<PersonId>,
    pub locale: Option<String>,
    /// An initial password; none for people who do not log in (yet).
    pub password: Option<String>,
    /// An access role to grant beyond learner.
    pub access: Option<AccessGrant>,
}

pub(crate) async fn unit_path(
    store: &dyn Store,
    scope: TenantScope,
    unit: Option<OrgUnitId>,
    field: &'static str,
) -> AppResult<Vec<OrgUnitId>> {
    match unit {
        Some(id) => store
            .org_unit_path(scope, id)
            .await
            .map_err(|_| ValidationError::new(field, "no such org unit in this company").into()),
        None => Ok(Vec::new()),
    }
}

fn check_locale(locale: Option<&str>) -> AppResult<()> {
    match locale {
        Some(l) if !LOCALES.contains(&l) => {
            Err(ValidationError::new("locale", "must be de or en").into())
        }
        _ => Ok(()),
    }
}

pub async fn create_person(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    input: PersonInput,
) -> AppResult<Person> {
    let display_name = validate::name("display_name", &input.display_name)?;
    let email = input
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| validate::email("email", e))
        .transpose()?;
    check_locale(input.locale.as_deref())?;
    if let Some(password) = &input.password {
        validate::new_password(password)?;
        if email.is_none() {
            return Err(ValidationError::new(
                "email",
                "a person who logs in needs an e-mail address",
            )
            .into());
        }
    }
    let path = unit_path(store, scope, input.org_unit_id, "org_unit_id").await?;
    acting.require(Action::ManagePeople { unit_path: &path })?;
    if let Some(grant) = input.access {
        require_grantable(acting, grant)?;
        if let Some(unit) = grant.org_unit_id {
            unit_path(store, scope, Some(unit), "org_unit_id").await?;
        }
    }
    if let Some(manager) = input.manager_id {
        store
            .person(scope, manager)
            .await
            .map_err(|_| ValidationError::new("manager_id", "no such person in this company"))?;
    }
    let password_hash = match input.password {
        Some(password) => Some(password::hash_blocking(password).await?),
        None => None,
    };
    let person = store
        .create_person(
            scope,
            NewPerson {
                display_name,
                email,
                org_unit_id: input.org_unit_id,
                manager_id: input.manager_id,
                password_hash,
                locale: input.locale,
            },
        )
        .await?;
    if let Some(grant) = input.access.filter(|g| g.role != AccessRole::Learner) {
        store.grant_access(scope, person.id, grant).await?;
    }
    Ok(person)
}

/// Granting access is a tenant admin's job; network admin only a network admin may grant.
fn require_grantable(acting: Acting<'_>, grant: AccessGrant) -> AppResult<()> {
    acting.require(Action::ManageAccess)?;
    if grant.role == AccessRole::NetworkAdmin {
        acting.require(Action::AdministerNetwork)?;
    }
    Ok(())
}

pub(crate) async fn person_facts(
    store: &dyn Store,
    scope: TenantScope,
    person: &Person,
) -> AppResult<PersonFacts> {
    Ok(PersonFacts {
        id: person.id,
        manager_id: person.manager_id,
        org_unit_path: unit_path(store, scope, person.org_unit_id, "org_unit_id").await?,
    })
}

/// Records a read of another person's data. `subject` none is a listing of many people.
pub(crate) async fn audit_read(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    subject: Option<PersonId>,
    action: &str,
    purpose: &str,
) -> AppResult<()> {
    let Some(actor) = acting.audit_actor() else {
        return Ok(());
    };
    let is_self = matches!((actor, subject), (mycel_store::Actor::Person(me), Some(s)) if me == s);
    if !is_self {
        store
            .append_audit(
                scope,
                NewAuditEntry {
                    actor,
                    subject,
                    action: action.to_owned(),
                    purpose: purpose.to_owned(),
                },
            )
            .await?;
    }
    Ok(())
}

/// A purpose given by the caller, bounded; or the default one.
pub fn purpose(given: Option<&str>, default: &str) -> String {
    given
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_else(|| default.to_owned())
}

/// One person's data, if the actor may see it; the read is audited when it is someone else's.
pub async fn view_person(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: PersonId,
    purpose: &str,
) -> AppResult<Person> {
    let person = store.person(scope, id).await?;
    let facts = person_facts(store, scope, &person).await?;
    if !acting.permits(Action::ViewPerson(&facts)) {
        // Someone the actor may not see does not exist for them.
        return Err(AppError::NotFound("person"));
    }
    audit_read(store, acting, scope, Some(id), "person.read", purpose).await?;
    Ok(person)
}

#[derive(Debug)]
pub struct PeoplePage {
    pub people: Vec<Person>,
    pub next_after: Option<PersonId>,
}

pub async fn list_people(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    org_unit: Option<OrgUnitId>,
    after: Option<PersonId>,
    limit: Option<u32>,
    purpose: &str,
) -> AppResult<PeoplePage> {
    let limit = page_size(limit)?;
    let path = match org_unit {
        Some(unit) => Some(store.org_unit_path(scope, unit).await?),
        None => None,
    };
    acting.require(Action::ListPeople {
        unit_path: path.as_deref(),
    })?;
    let people = store
        .list_people(
            scope,
            PeopleQuery {
                org_unit,
                after,
                limit,
            },
        )
        .await?;
    audit_read(store, acting, scope, None, "people.list", purpose).await?;
    let next_after = (people.len() == limit as usize)
        .then(|| people.last().map(|p| p.id))
        .flatten();
    Ok(PeoplePage { people, next_after })
}

pub async fn person_roles(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: PersonId,
    purpose: &str,
) -> AppResult<Vec<RoleAssignment>> {
    view_person(store, acting, scope, id, purpose).await?;
    Ok(store.role_assignments(scope, id).await?)
}

pub async fn person_access(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: PersonId,
    purpose: &str,
) -> AppResult<Vec<AccessGrant>> {
    view_person(store, acting, scope, id, purpose).await?;
    Ok(store.access_grants(scope, id).await?)
}

/// Checks that the actor may change this person's data (found, and in a unit the actor administers).
async fn require_manage_person(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: PersonId,
) -> AppResult<Person> {
    let person = store.person(scope, id).await?;
    let facts = person_facts(store, scope, &person).await?;
    if !acting.permits(Action::ViewPerson(&facts)) {
        return Err(AppError::NotFound("person"));
    }
    acting.require(Action::ManagePeople {
        unit_path: &facts.org_unit_path,
    })?;
    Ok(person)
}

/// Changes to a person: `None` leaves a field as it is; `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PersonChanges {
    pub display_name: Option<String>,
    pub email: Option<Option<String>>,
    pub org_unit_id: Option<Option<OrgUnitId>>,
    pub manager_id: Option<Option<PersonId>>,
    pub locale: Option<Option<String>>,
}

/// The longest manager chain followed when looking for a cycle.
const MAX_MANAGER_CHAIN: usize = 10_000;

/// Refuses a manager who is the person or reports to them, directly or not: the manager relation
/// stays a forest.
async fn check_manager(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    manager: PersonId,
) -> AppResult<()> {
    let cycle = || {
        ValidationError::new(
            "manager_id",
            "would make the person their own (indirect) manager",
        )
    };
    let mut current = Some(manager);
    for _ in 0..MAX_MANAGER_CHAIN {
        let Some(id) = current else {
            return Ok(());
        };
        if id == person {
            return Err(cycle().into());
        }
        current = store
            .person(scope, id)
            .await
            .map_err(|_| ValidationError::new("manager_id", "no such person in this company"))?
            .manager_id;
    }
    Err(cycle().into())
}

pub async fn update_person(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: PersonId,
    changes: PersonChanges,
) -> AppResult<Person> {
    let person = require_manage_person(store, acting, scope, id).await?;
    let mut update = mycel_store::PersonUpdate::from(&person);
    if let Some(name) = changes.display_name {
        update.display_name = validate::name("display_name", &name)?;
    }
    if let Some(email) = changes.email {
        update.email = email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(|e| validate::email("email", e))
            .transpose()?;
    }
    if let Some(locale) = changes.locale {
        check_locale(locale.as_deref())?;
        update.locale = locale;
    }
    if let Some(unit) = changes.org_unit_id {
        let path = unit_path(store, scope, unit, "org_unit_id").await?;
        acting.require(Action::ManagePeople { unit_path: &path })?;
        update.org_unit_id = unit;
    }
    if let Some(manager) = changes.manager_id {
        if let Some(manager) = manager {
            check_manager(store, scope, id, manager).await?;
        }
        update.manager_id = manager;
    }
    Ok(store.update_person(scope, id, update).await?)
}

pub async fn assign_role(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    role: RoleId,
    kind: RoleAssignmentKind,
) -> AppResult<RoleAssignment> {
    require_manage_person(store, acting, scope, person).await?;
    store
        .role(scope, role)
        .await
        .map_err(|_| ValidationError::new("role_id", "no such role in this company"))?;
    Ok(store.assign_role(scope, person, role, kind).await?)
}

pub async fn grant_access(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    grant: AccessGrant,
) -> AppResult<Vec<AccessGrant>> {
    require_grantable(acting, grant)?;
    store.person(scope, person).await?;
    if let Some(unit) = grant.org_unit_id {
        unit_path(store, scope, Some(unit), "org_unit_id").await?;
    }
    if grant.role != AccessRole::Learner {
        store.grant_access(scope, person, grant).await?;
    }
    Ok(store.access_grants(scope, person).await?)
}

pub async fn set_password(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    new_password: String,
) -> AppResult<()> {
    let is_self = matches!(acting, Acting::Principal(p) if p.person_id() == Some(person));
    if !is_self {
        require_manage_person(store, acting, scope, person).await?;
    }
    validate::new_password(&new_password)?;
    let hash = password::hash_blocking(new_password).await?;
    Ok(store.set_password_hash(scope, person, &hash).await?)
}

// ---- roles (job profiles) ----

pub async fn create_role(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    name: &str,
    description: Option<&str>,
) -> AppResult<Role> {
    acting.require(Action::ManageRoles)?;
    let name = validate::name("name", name)?;
    let description = description
        .map(|d| validate::text("description", d, 5000))
        .transpose()?
        .flatten();
    Ok(store
        .create_role(scope, NewRole { name, description })
        .await?)
}

pub async fn list_roles(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<Role>> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.list_roles(scope).await?)
}

pub async fn role(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: RoleId,
) -> AppResult<Role> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.role(scope, id).await?)
}

// ---- API credentials ----

/// A new credential: what was stored, its HTTP Basic key, and the secret, which exists nowhere else.
pub struct IssuedCredential {
    pub credential: ApiCredential,
    pub key: String,
    pub secret: String,
}

impl std::fmt::Debug for IssuedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredential")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

pub async fn create_credential(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    label: &str,
    scopes: &[Scope],
) -> AppResult<IssuedCredential> {
    acting.require(Action::ManageCredentials)?;
    let label = validate::name("label", label)?;
    if scopes.is_empty() {
        return Err(ValidationError::new("scopes", "name at least one scope").into());
    }
    let secret = tokens::random_secret();
    let id = CredentialId::generate();
    let created_by = match acting {
        Acting::Principal(p) => p.person_id(),
        Acting::Operator => None,
    };
    let credential = store
        .create_api_credential(
            scope,
            NewApiCredential {
                id,
                label,
                secret_hash: tokens::sha256(&secret),
                scopes: scopes.to_vec(),
                created_by,
            },
        )
        .await?;
    Ok(IssuedCredential {
        key: tokens::api_key(scope.tenant_id(), id),
        credential,
        secret,
    })
}

pub async fn list_credentials(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<ApiCredential>> {
    acting.require(Action::ManageCredentials)?;
    Ok(store.list_api_credentials(scope).await?)
}

pub async fn revoke_credential(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: CredentialId,
) -> AppResult<ApiCredential> {
    acting.require(Action::ManageCredentials)?;
    Ok(store.revoke_api_credential(scope, id).await?)
}

// ---- the audit log ----

pub async fn audit_log(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    subject: Option<PersonId>,
    before: Option<mycel_organisation::AuditEntryId>,
    limit: Option<u32>,
) -> AppResult<Vec<AuditEntry>> {
    acting.require(Action::ViewAuditLog)?;
    let limit = page_size(limit)?;
    Ok(store
        .list_audit(
            scope,
            AuditQuery {
                subject,
                before,
                limit,
            },
        )
        .await?)
}

/// Parses an access role name, naming the field on failure.
pub fn parse_access_role(value: &str) -> AppResult<AccessRole> {
    AccessRole::parse(value).ok_or_else(|| {
        let names: Vec<_> = AccessRole::ALL.iter().map(|r| r.as_str()).collect();
        ValidationError::new("role", format!("must be one of {}", names.join(", "))).into()
    })
}

/// Parses scope names, naming the first unknown one.
pub fn parse_scopes<S: AsRef<str>>(values: &[S]) -> AppResult<Vec<Scope>> {
    let mut scopes = Vec::new();
    for value in values {
        let scope = Scope::parse(value.as_ref().trim()).ok_or_else(|| {
            ValidationError::new("scopes", format!("unknown scope {:?}", value.as_ref()))
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    Ok(scopes)
}

pub fn parse_assignment_kind(value: &str) -> AppResult<RoleAssignmentKind> {
    RoleAssignmentKind::parse(value)
        .ok_or_else(|| ValidationError::new("kind", "must be current or aspired").into())
}
