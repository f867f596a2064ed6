//! The store implementation, written once and expanded for each backend's pool type by
//! [`sql_store!`]: the Rust that binds parameters and reads rows is identical for SQLite and
//! PostgreSQL (both encode UUIDs, timestamps and bytes through sqlx), so it is generated rather than
//! kept twice.

use chrono::{DateTime, SubsecRound, Utc};
use mycel_organisation::{AccessRole, Person, PersonId, RoleAssignmentKind, Scope};
use mycel_store::{Actor, StoreError};
use std::collections::HashMap;

/// Rows per multi-row INSERT of a bulk import (well below SQLite's parameter limit).
pub(crate) const IMPORT_CHUNK: usize = 400;

/// Now, at the microsecond precision both databases keep, so that what a create returns equals what
/// a later read returns.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Maps a database error to the store's error; `what` names the record for "not found" and
/// "already exists" messages.
pub(crate) fn store_error(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |error| match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound(what),
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(format!("this {what} already exists"))
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::InvalidReference(
            format!("the {what} refers to something that does not exist in this tenant"),
        ),
        // PostgreSQL: character_not_in_repertoire (a NUL in text), untranslatable_character.
        sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("22021" | "22P05")) => {
            StoreError::InvalidValue(format!(
                "the {what} contains a character that cannot be stored"
            ))
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        _ => StoreError::Backend(error.to_string()),
    }
}

pub(crate) fn corrupt(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?} in the database").into())
}

pub(crate) fn access_role(value: &str) -> Result<AccessRole, sqlx::Error> {
    AccessRole::parse(value).ok_or_else(|| corrupt("access role", value))
}

pub(crate) fn assignment_kind(value: &str) -> Result<RoleAssignmentKind, sqlx::Error> {
    RoleAssignmentKind::parse(value).ok_or_else(|| corrupt("role assignment kind", value))
}

pub(crate) fn scopes_to_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn scopes_from_text(text: &str) -> Result<Vec<Scope>, sqlx::Error> {
    Scope::parse_list(text).map_err(|bad| corrupt("scope", &bad))
}

pub(crate) fn actor_parts(actor: Actor) -> (&'static str, uuid::Uuid) {
    match actor {
        Actor::Person(id) => ("person", id.as_uuid()),
        Actor::Credential(id) => ("credential", id.as_uuid()),
    }
}

pub(crate) fn actor_from_parts(kind: &str, id: uuid::Uuid) -> Result<Actor, sqlx::Error> {
    match kind {
        "person" => Ok(Actor::Person(id.into())),
        "credential" => Ok(Actor::Credential(id.into())),
        other => Err(corrupt("actor kind", other)),
    }
}

/// The people of an import in an order in which every manager who is in the batch comes before
/// their reports (otherwise in the order given), so that the foreign key to the manager holds for
/// each chunk as it is written. Managers forming a cycle within the batch are refused.
pub(crate) fn managers_first(people: &[Person]) -> Result<Vec<&Person>, StoreError> {
    const UNKNOWN: usize = usize::MAX;
    let index: HashMap<PersonId, usize> =
        people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    // depth[i]: how many managers of the batch are above person i.
    let mut depth = vec![UNKNOWN; people.len()];
    let mut chain = Vec::new();
    for start in 0..people.len() {
        if depth[start] != UNKNOWN {
            continue;
        }
        // Up the chain of managers to one outside the batch or one whose depth is known.
        chain.clear();
        let mut current = start;
        let mut above = loop {
            chain.push(current);
            if chain.len() > people.len() {
                return Err(StoreError::InvalidReference(
                    "the managers of the people imported form a cycle".into(),
                ));
            }
            match people[current]
                .manager_id
                .and_then(|m| index.get(&m).copied())
            {
                None => break 0,
                Some(manager) if depth[manager] != UNKNOWN => break depth[manager] + 1,
                Some(manager) => current = manager,
            }
        };
        for &i in chain.iter().rev() {
            depth[i] = above;
            above += 1;
        }
    }
    let mut order: Vec<usize> = (0..people.len()).collect();
    order.sort_by_key(|&i| (depth[i], i));
    Ok(order.into_iter().map(|i| &people[i]).collect())
}

/// Implements [`mycel_store::Store`] for `$store`, a struct with a `pool: sqlx::Pool<$db>` field.
macro_rules! sql_store {
    ($store:ident, $db:ty, $backend:literal) => {
        mod rows {
            use crate::shared::*;
            use mycel_organisation::*;
            use mycel_store::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            pub(super) fn tenant(row: &DbRow) -> Result<Tenant, sqlx::Error> {
                Ok(Tenant {
                    id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    slug: row.try_get("slug")?,
                    name: row.try_get("name")?,
                    min_group_size: u32::try_from(row.try_get::<i32, _>("min_group_size")?)
                        .map_err(|e| sqlx::Error::Decode(e.into()))?,
                    created_at: row.try_get("created_at")?,
                })
            }

            pub(super) fn org_unit(row: &DbRow) -> Result<OrgUnit, sqlx::Error> {
                Ok(OrgUnit {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    parent_id: row
                        .try_get::<Option<uuid::Uuid>, _>("parent_id")?
                        .map(Into::into),
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            pub(super) fn person(row: &DbRow) -> Result<Person, sqlx::Error> {
                Ok(Person {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    display_name: row.try_get("display_name")?,
                    email: row.try_get("email")?,
                    org_unit_id: row
                        .try_get::<Option<uuid::Uuid>, _>("org_unit_id")?
                        .map(Into::into),
                    manager_id: row
                        .try_get::<Option<uuid::Uuid>, _>("manager_id")?
                        .map(Into::into),
                    locale: row.try_get("locale")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            pub(super) fn role(row: &DbRow) -> Result<Role, sqlx::Error> {
                Ok(Role {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    name: row.try_get("name")?,
                    description: row.try_get("description")?,
                    created_at: row.try_get("created_at")?,
                })
            }

            pub(super) fn role_assignment(row: &DbRow) -> Result<RoleAssignment, sqlx::Error> {
                Ok(RoleAssignment {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    role_id: row.try_get::<uuid::Uuid, _>("role_id")?.into(),
                    kind: assignment_kind(row.try_get("kind")?)?,
                    assigned_at: row.try_get("assigned_at")?,
                })
            }

            pub(super) fn access_grant(row: &DbRow) -> Result<AccessGrant, sqlx::Error> {
                Ok(AccessGrant {
                    role: access_role(row.try_get("role")?)?,
                    org_unit_id: row
                        .try_get::<Option<uuid::Uuid>, _>("org_unit_id")?
                        .map(Into::into),
                })
            }

            pub(super) fn api_credential(row: &DbRow) -> Result<ApiCredential, sqlx::Error> {
                Ok(ApiCredential {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    label: row.try_get("label")?,
                    secret_hash: row.try_get("secret_hash")?,
                    scopes: scopes_from_text(row.try_get("scopes")?)?,
                    created_by: row
                        .try_get::<Option<uuid::Uuid>, _>("created_by")?
                        .map(Into::into),
                    created_at: row.try_get("created_at")?,
                    revoked_at: row.try_get("revoked_at")?,
                })
            }

            pub(super) fn session(row: &DbRow) -> Result<Session, sqlx::Error> {
                Ok(Session {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    created_at: row.try_get("created_at")?,
                    expires_at: row.try_get("expires_at")?,
                })
            }

            pub(super) fn audit_entry(row: &DbRow) -> Result<AuditEntry, sqlx::Error> {
                Ok(AuditEntry {
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    at: row.try_get("at")?,
                    actor: actor_from_parts(row.try_get("actor_kind")?, row.try_get("actor_id")?)?,
                    subject: row
                        .try_get::<Option<uuid::Uuid>, _>("subject_id")?
                        .map(Into::into),
                    action: row.try_get("action")?,
                    purpose: row.try_get("purpose")?,
                })
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query(q::PING)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(store_error("database"))
            }

            async fn close(&self) {
                self.pool.close().await;
            }

            #[tracing::instrument(skip_all, fields(slug = %new.slug))]
            async fn create_tenant(&self, new: NewTenant) -> StoreResult<Tenant> {
                let row = sqlx::query(q::INSERT_TENANT)
                    .bind(TenantId::generate().as_uuid())
                    .bind(&new.slug)
                    .bind(&new.name)
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("tenant"))?;
                rows::tenant(&row).map_err(store_error("tenant"))
            }

            async fn tenant(&self, id: TenantId) -> StoreResult<Tenant> {
                let row = sqlx::query(q::TENANT_BY_ID)
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("tenant"))?;
                rows::tenant(&row).map_err(store_error("tenant"))
            }

            async fn tenant_by_slug(&self, slug: &str) -> StoreResult<Tenant> {
                let row = sqlx::query(q::TENANT_BY_SLUG)
                    .bind(slug)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("tenant"))?;
                rows::tenant(&row).map_err(store_error("tenant"))
            }

            async fn list_tenants(&self) -> StoreResult<Vec<Tenant>> {
                sqlx::query(q::LIST_TENANTS)
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::tenant).collect())
                    .map_err(store_error("tenant"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_org_unit(
                &self,
                scope: TenantScope,
                new: NewOrgUnit,
            ) -> StoreResult<OrgUnit> {
                let row = sqlx::query(q::INSERT_ORG_UNIT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(OrgUnitId::generate().as_uuid())
                    .bind(new.parent_id.map(|id| id.as_uuid()))
                    .bind(&new.name)
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("org unit"))?;
                rows::org_unit(&row).map_err(store_error("org unit"))
            }

            async fn org_unit(&self, scope: TenantScope, id: OrgUnitId) -> StoreResult<OrgUnit> {
                let row = sqlx::query(q::ORG_UNIT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("org unit"))?;
                rows::org_unit(&row).map_err(store_error("org unit"))
            }

            async fn list_org_units(&self, scope: TenantScope) -> StoreResult<Vec<OrgUnit>> {
                sqlx::query(q::LIST_ORG_UNITS)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::org_unit).collect())
                    .map_err(store_error("org unit"))
            }

            async fn org_unit_path(
                &self,
                scope: TenantScope,
                id: OrgUnitId,
            ) -> StoreResult<Vec<OrgUnitId>> {
                let path: Vec<uuid::Uuid> = sqlx::query_scalar(q::ORG_UNIT_PATH)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error("org unit"))?;
                if path.is_empty() {
                    return Err(StoreError::NotFound("org unit"));
                }
                Ok(path.into_iter().map(Into::into).collect())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_person(&self, scope: TenantScope, new: NewPerson) -> StoreResult<Person> {
                let row = sqlx::query(q::INSERT_PERSON)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(PersonId::generate().as_uuid())
                    .bind(&new.display_name)
                    .bind(&new.email)
                    .bind(new.org_unit_id.map(|id| id.as_uuid()))
                    .bind(new.manager_id.map(|id| id.as_uuid()))
                    .bind(&new.password_hash)
                    .bind(&new.locale)
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                rows::person(&row).map_err(store_error("person"))
            }

            async fn person(&self, scope: TenantScope, id: PersonId) -> StoreResult<Person> {
                let row = sqlx::query(q::PERSON)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                rows::person(&row).map_err(store_error("person"))
            }

            async fn list_people(
                &self,
                scope: TenantScope,
                query: PeopleQuery,
            ) -> StoreResult<Vec<Person>> {
                let after = query.after.map_or(uuid::Uuid::nil(), |id| id.as_uuid());
                let statement = match query.org_unit {
                    Some(_) => q::LIST_PEOPLE_IN_SUBTREE,
                    None => q::LIST_PEOPLE,
                };
                let mut select = sqlx::query(statement)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(after)
                    .bind(i64::from(query.limit));
                if let Some(unit) = query.org_unit {
                    select = select.bind(unit.as_uuid());
                }
                select
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::person).collect())
                    .map_err(store_error("person"))
            }

            async fn people_with_access_role(
                &self,
                scope: TenantScope,
                role: AccessRole,
                limit: u32,
            ) -> StoreResult<Vec<Person>> {
                sqlx::query(q::PEOPLE_WITH_ACCESS_ROLE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(role.as_str())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::person).collect())
                    .map_err(store_error("person"))
            }

            async fn login_candidate(
                &self,
                scope: TenantScope,
                email: &str,
            ) -> StoreResult<Option<LoginCandidate>> {
                let row = sqlx::query(q::LOGIN_CANDIDATE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(email)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                row.map(|row| {
                    Ok(LoginCandidate {
                        person: rows::person(&row)?,
                        password_hash: sqlx::Row::try_get(&row, "password_hash")?,
                    })
                })
                .transpose()
                .map_err(store_error("person"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), person = %id))]
            async fn update_person(
                &self,
                scope: TenantScope,
                id: PersonId,
                update: PersonUpdate,
            ) -> StoreResult<Person> {
                let row = sqlx::query(q::UPDATE_PERSON)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .bind(&update.display_name)
                    .bind(&update.email)
                    .bind(update.org_unit_id.map(|u| u.as_uuid()))
                    .bind(update.manager_id.map(|m| m.as_uuid()))
                    .bind(&update.locale)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                rows::person(&row).map_err(store_error("person"))
            }

            async fn set_password_hash(
                &self,
                scope: TenantScope,
                person: PersonId,
                password_hash: &str,
            ) -> StoreResult<()> {
                let done = sqlx::query(q::SET_PASSWORD_HASH)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .bind(password_hash)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("person"));
                }
                Ok(())
            }

            async fn set_person_locale(
                &self,
                scope: TenantScope,
                person: PersonId,
                locale: Option<&str>,
            ) -> StoreResult<()> {
                let done = sqlx::query(q::SET_PERSON_LOCALE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .bind(locale)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error("person"))?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound("person"));
                }
                Ok(())
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), people = people.len()))]
            async fn import_people(&self, scope: TenantScope, people: &[Person]) -> StoreResult<()> {
                let tenant = scope.tenant_id();
                if people.iter().any(|p| p.tenant_id != tenant) {
                    return Err(StoreError::InvalidReference(
                        "a person imported belongs to another tenant".into(),
                    ));
                }
                let ordered = managers_first(people)?;
                let err = store_error("person");
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                for chunk in ordered.chunks(IMPORT_CHUNK) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(q::IMPORT_PEOPLE);
                    insert.push_values(chunk, |mut row, p| {
                        row.push_bind(tenant.as_uuid())
                            .push_bind(p.id.as_uuid())
                            .push_bind(p.display_name.as_str())
                            .push_bind(p.email.as_deref())
                            .push_bind(p.org_unit_id.map(|id| id.as_uuid()))
                            .push_bind(p.manager_id.map(|id| id.as_uuid()))
                            .push_bind(p.locale.as_deref())
                            .push_bind(p.created_at);
                    });
                    insert.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)
            }

            async fn grant_access(
                &self,
                scope: TenantScope,
                person: PersonId,
                grant: AccessGrant,
            ) -> StoreResult<()> {
                let unit = grant.org_unit_id.map(|id| id.as_uuid());
                sqlx::query(q::INSERT_ACCESS_GRANT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .bind(grant.role.as_str())
                    .bind(unit.unwrap_or(uuid::Uuid::nil()))
                    .bind(unit)
                    .bind(now())
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(store_error("access grant"))
            }

            async fn access_grants(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Vec<AccessGrant>> {
                sqlx::query(q::ACCESS_GRANTS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::access_grant).collect())
                    .map_err(store_error("access grant"))
            }

            async fn create_role(&self, scope: TenantScope, new: NewRole) -> StoreResult<Role> {
                let row = sqlx::query(q::INSERT_ROLE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(RoleId::generate().as_uuid())
                    .bind(&new.name)
                    .bind(&new.description)
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("role"))?;
                rows::role(&row).map_err(store_error("role"))
            }

            async fn role(&self, scope: TenantScope, id: RoleId) -> StoreResult<Role> {
                let row = sqlx::query(q::ROLE)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("role"))?;
                rows::role(&row).map_err(store_error("role"))
            }

            async fn list_roles(&self, scope: TenantScope) -> StoreResult<Vec<Role>> {
                sqlx::query(q::LIST_ROLES)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::role).collect())
                    .map_err(store_error("role"))
            }

            async fn assign_role(
                &self,
                scope: TenantScope,
                person: PersonId,
                role: RoleId,
                kind: RoleAssignmentKind,
            ) -> StoreResult<RoleAssignment> {
                let row = sqlx::query(q::INSERT_ROLE_ASSIGNMENT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .bind(role.as_uuid())
                    .bind(kind.as_str())
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("role assignment"))?;
                rows::role_assignment(&row).map_err(store_error("role assignment"))
            }

            async fn role_assignments(
                &self,
                scope: TenantScope,
                person: PersonId,
            ) -> StoreResult<Vec<RoleAssignment>> {
                sqlx::query(q::ROLE_ASSIGNMENTS)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(person.as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::role_assignment).collect())
                    .map_err(store_error("role assignment"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), assignments = assignments.len()))]
            async fn import_role_assignments(
                &self,
                scope: TenantScope,
                assignments: &[RoleAssignment],
            ) -> StoreResult<()> {
                let tenant = scope.tenant_id();
                if assignments.iter().any(|a| a.tenant_id != tenant) {
                    return Err(StoreError::InvalidReference(
                        "a role assignment imported belongs to another tenant".into(),
                    ));
                }
                let err = store_error("role assignment");
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                for chunk in assignments.chunks(IMPORT_CHUNK) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(q::IMPORT_ROLE_ASSIGNMENTS);
                    insert.push_values(chunk, |mut row, a| {
                        row.push_bind(tenant.as_uuid())
                            .push_bind(a.person_id.as_uuid())
                            .push_bind(a.role_id.as_uuid())
                            .push_bind(a.kind.as_str())
                            .push_bind(a.assigned_at);
                    });
                    insert.push(q::IMPORT_ROLE_ASSIGNMENTS_END);
                    insert.build().execute(&mut *tx).await.map_err(&err)?;
                }
                tx.commit().await.map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), credential = %new.id))]
            async fn create_api_credential(
                &self,
                scope: TenantScope,
                new: NewApiCredential,
            ) -> StoreResult<ApiCredential> {
                let row = sqlx::query(q::INSERT_API_CREDENTIAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(new.id.as_uuid())
                    .bind(&new.label)
                    .bind(&new.secret_hash)
                    .bind(scopes_to_text(&new.scopes))
                    .bind(new.created_by.map(|id| id.as_uuid()))
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("API credential"))?;
                rows::api_credential(&row).map_err(store_error("API credential"))
            }

            async fn api_credential(
                &self,
                scope: TenantScope,
                id: CredentialId,
            ) -> StoreResult<ApiCredential> {
                let row = sqlx::query(q::API_CREDENTIAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("API credential"))?;
                rows::api_credential(&row).map_err(store_error("API credential"))
            }

            async fn list_api_credentials(
                &self,
                scope: TenantScope,
            ) -> StoreResult<Vec<ApiCredential>> {
                sqlx::query(q::LIST_API_CREDENTIALS)
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::api_credential).collect())
                    .map_err(store_error("API credential"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), credential = %id))]
            async fn revoke_api_credential(
                &self,
                scope: TenantScope,
                id: CredentialId,
            ) -> StoreResult<ApiCredential> {
                let row = sqlx::query(q::REVOKE_API_CREDENTIAL)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id.as_uuid())
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("API credential"))?;
                rows::api_credential(&row).map_err(store_error("API credential"))
            }

            async fn create_session(&self, scope: TenantScope, new: NewSession) -> StoreResult<()> {
                sqlx::query(q::INSERT_SESSION)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(&new.token_hash)
                    .bind(new.person_id.as_uuid())
                    .bind(now())
                    .bind(new.expires_at)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(store_error("session"))
            }

            async fn session(&self, scope: TenantScope, token_hash: &[u8]) -> StoreResult<Session> {
                let row = sqlx::query(q::SESSION)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(token_hash)
                    .bind(now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("session"))?;
                rows::session(&row).map_err(store_error("session"))
            }

            async fn delete_session(&self, scope: TenantScope, token_hash: &[u8]) -> StoreResult<()> {
                sqlx::query(q::DELETE_SESSION)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await
                    .map(|_| ())
                    .map_err(store_error("session"))
            }

            async fn delete_expired_sessions(&self) -> StoreResult<u64> {
                sqlx::query(q::DELETE_EXPIRED_SESSIONS)
                    .bind(now())
                    .execute(&self.pool)
                    .await
                    .map(|done| done.rows_affected())
                    .map_err(store_error("session"))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), action = %entry.action))]
            async fn append_audit(
                &self,
                scope: TenantScope,
                entry: NewAuditEntry,
            ) -> StoreResult<AuditEntry> {
                let (actor_kind, actor_id) = actor_parts(entry.actor);
                let row = sqlx::query(q::INSERT_AUDIT_ENTRY)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(AuditEntryId::generate().as_uuid())
                    .bind(now())
                    .bind(actor_kind)
                    .bind(actor_id)
                    .bind(entry.subject.map(|id| id.as_uuid()))
                    .bind(&entry.action)
                    .bind(&entry.purpose)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error("audit entry"))?;
                rows::audit_entry(&row).map_err(store_error("audit entry"))
            }

            async fn list_audit(
                &self,
                scope: TenantScope,
                query: AuditQuery,
            ) -> StoreResult<Vec<AuditEntry>> {
                sqlx::query(q::LIST_AUDIT)
                    .bind(scope.tenant_id().as_uuid())
                    .bind(query.subject.map_or(uuid::Uuid::nil(), |id| id.as_uuid()))
                    .bind(query.subject.is_none())
                    .bind(query.before.map_or(uuid::Uuid::max(), |id| id.as_uuid()))
                    .bind(i64::from(query.limit))
                    .fetch_all(&self.pool)
                    .await
                    .and_then(|rows| rows.iter().map(rows::audit_entry).collect())
                    .map_err(store_error("audit entry"))
            }
        }
    };
}

pub(crate) use sql_store;
