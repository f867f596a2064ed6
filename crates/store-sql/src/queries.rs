//! The SQL of the store, written once for both dialects (`$n` parameters work on SQLite and
//! PostgreSQL alike; `WITH RECURSIVE`, `RETURNING` and `ON CONFLICT` too).

pub const PING: &str = "SELECT 1";

#[cfg(test)]
const TENANT_COLUMNS: &str = "tenant_id, slug, name, min_group_size, created_at";
pub const INSERT_TENANT: &str =
    "INSERT INTO tenants (tenant_id, slug, name, created_at) VALUES ($1, $2, $3, $4) \
     RETURNING tenant_id, slug, name, min_group_size, created_at";
pub const TENANT_BY_ID: &str =
    "SELECT tenant_id, slug, name, min_group_size, created_at FROM tenants WHERE tenant_id = $1";
pub const TENANT_BY_SLUG: &str =
    "SELECT tenant_id, slug, name, min_group_size, created_at FROM tenants WHERE slug = $1";
pub const LIST_TENANTS: &str =
    "SELECT tenant_id, slug, name, min_group_size, created_at FROM tenants ORDER BY slug";

pub const INSERT_ORG_UNIT: &str = "INSERT INTO org_units (tenant_id, id, parent_id, name, created_at) VALUES ($1, $2, $3, $4, $5) \
     RETURNING tenant_id, id, parent_id, name, created_at";
pub const ORG_UNIT: &str = "SELECT tenant_id, id, parent_id, name, created_at FROM org_units WHERE tenant_id = $1 AND id = $2";
pub const LIST_ORG_UNITS: &str = "SELECT tenant_id, id, parent_id, name, created_at FROM org_units WHERE tenant_id = $1 ORDER BY name, id";
/// The unit and its ancestors, root first. The depth bound guards against a cycle in bad data.
pub const ORG_UNIT_PATH: &str = "WITH RECURSIVE path (id, parent_id, depth) AS ( \
       SELECT id, parent_id, 0 FROM org_units WHERE tenant_id = $1 AND id = $2 \
       UNION ALL \
       SELECT u.id, u.parent_id, p.depth + 1 FROM org_units u JOIN path p ON u.id = p.parent_id \
       WHERE u.tenant_id = $1 AND p.depth < 1000) \
     SELECT id FROM path ORDER BY depth DESC";

#[cfg(test)]
const PERSON_COLUMNS: &str =
    "tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at";
pub const INSERT_PERSON: &str = "INSERT INTO people (tenant_id, id, display_name, email, org_unit_id, manager_id, password_hash, locale, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
     RETURNING tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at";
pub const PERSON: &str =
    "SELECT tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at \
     FROM people WHERE tenant_id = $1 AND id = $2";
pub const LIST_PEOPLE: &str =
    "SELECT tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at \
     FROM people WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3";
/// The people holding an access role (trainers to choose from), by name.
pub const PEOPLE_WITH_ACCESS_ROLE: &str =
    "SELECT p.tenant_id, p.id, p.display_name, p.email, p.org_unit_id, p.manager_id, p.locale, p.created_at \
     FROM people p WHERE p.tenant_id = $1 AND EXISTS (SELECT 1 FROM access_grants g \
     WHERE g.tenant_id = p.tenant_id AND g.person_id = p.id AND g.role = $2) \
     ORDER BY p.display_name, p.id LIMIT $3";
pub const LIST_PEOPLE_IN_SUBTREE: &str = "WITH RECURSIVE subtree (id, depth) AS ( \
       SELECT id, 0 FROM org_units WHERE tenant_id = $1 AND id = $4 \
       UNION ALL \
       SELECT u.id, s.depth + 1 FROM org_units u JOIN subtree s ON u.parent_id = s.id \
       WHERE u.tenant_id = $1 AND s.depth < 1000) \
     SELECT tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at \
     FROM people WHERE tenant_id = $1 AND id > $2 AND org_unit_id IN (SELECT id FROM subtree) ORDER BY id LIMIT $3";
pub const LOGIN_CANDIDATE: &str = "SELECT tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at, password_hash \
     FROM people WHERE tenant_id = $1 AND email = $2";
pub const UPDATE_PERSON: &str = "UPDATE people SET display_name = $3, email = $4, org_unit_id = $5, manager_id = $6, locale = $7 \
     WHERE tenant_id = $1 AND id = $2 \
     RETURNING tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at";
pub const SET_PASSWORD_HASH: &str =
    "UPDATE people SET password_hash = $3 WHERE tenant_id = $1 AND id = $2";
pub const SET_PERSON_LOCALE: &str =
    "UPDATE people SET locale = $3 WHERE tenant_id = $1 AND id = $2";
/// The head of a multi-row INSERT of people (`VALUES` follow from a `QueryBuilder`).
pub const IMPORT_PEOPLE: &str = "INSERT INTO people (tenant_id, id, display_name, email, org_unit_id, manager_id, locale, created_at) ";

pub const INSERT_ACCESS_GRANT: &str =
    "INSERT INTO access_grants (tenant_id, person_id, role, unit_key, org_unit_id, granted_at) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
pub const ACCESS_GRANTS: &str = "SELECT role, org_unit_id FROM access_grants WHERE tenant_id = $1 AND person_id = $2 ORDER BY role";

pub const INSERT_ROLE: &str =
    "INSERT INTO roles (tenant_id, id, name, description, created_at) VALUES ($1, $2, $3, $4, $5) \
     RETURNING tenant_id, id, name, description, created_at";
pub const ROLE: &str = "SELECT tenant_id, id, name, description, created_at FROM roles WHERE tenant_id = $1 AND id = $2";
pub const LIST_ROLES: &str = "SELECT tenant_id, id, name, description, created_at FROM roles WHERE tenant_id = $1 ORDER BY name";
pub const INSERT_ROLE_ASSIGNMENT: &str = "INSERT INTO role_assignments (tenant_id, person_id, role_id, kind, assigned_at) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (tenant_id, person_id, role_id, kind) DO UPDATE SET kind = excluded.kind \
     RETURNING tenant_id, person_id, role_id, kind, assigned_at";
/// The head and tail of a multi-row INSERT of role assignments; ones already stored are kept.
pub const IMPORT_ROLE_ASSIGNMENTS: &str =
    "INSERT INTO role_assignments (tenant_id, person_id, role_id, kind, assigned_at) ";
pub const IMPORT_ROLE_ASSIGNMENTS_END: &str =
    " ON CONFLICT (tenant_id, person_id, role_id, kind) DO NOTHING";
pub const ROLE_ASSIGNMENTS: &str =
    "SELECT tenant_id, person_id, role_id, kind, assigned_at FROM role_assignments \
     WHERE tenant_id = $1 AND person_id = $2 ORDER BY assigned_at, role_id";

#[cfg(test)]
const CREDENTIAL_COLUMNS: &str =
    "tenant_id, id, label, secret_hash, scopes, created_by, created_at, revoked_at";
pub const INSERT_API_CREDENTIAL: &str = "INSERT INTO api_credentials (tenant_id, id, label, secret_hash, scopes, created_by, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     RETURNING tenant_id, id, label, secret_hash, scopes, created_by, created_at, revoked_at";
pub const API_CREDENTIAL: &str =
    "SELECT tenant_id, id, label, secret_hash, scopes, created_by, created_at, revoked_at \
     FROM api_credentials WHERE tenant_id = $1 AND id = $2";
pub const LIST_API_CREDENTIALS: &str =
    "SELECT tenant_id, id, label, secret_hash, scopes, created_by, created_at, revoked_at \
     FROM api_credentials WHERE tenant_id = $1 ORDER BY created_at, id";
pub const REVOKE_API_CREDENTIAL: &str = "UPDATE api_credentials SET revoked_at = COALESCE(revoked_at, $3) WHERE tenant_id = $1 AND id = $2 \
     RETURNING tenant_id, id, label, secret_hash, scopes, created_by, created_at, revoked_at";

pub const INSERT_SESSION: &str = "INSERT INTO sessions (tenant_id, token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
pub const SESSION: &str = "SELECT tenant_id, person_id, created_at, expires_at FROM sessions \
     WHERE tenant_id = $1 AND token_hash = $2 AND expires_at > $3";
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2";
pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";

pub const INSERT_AUDIT_ENTRY: &str =
    "INSERT INTO audit_log (tenant_id, id, at, actor_kind, actor_id, subject_id, action, purpose) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     RETURNING tenant_id, id, at, actor_kind, actor_id, subject_id, action, purpose";
/// `$3` true means "any subject"; `$4` is the exclusive upper bound of ids (the max UUID for none).
pub const LIST_AUDIT: &str =
    "SELECT tenant_id, id, at, actor_kind, actor_id, subject_id, action, purpose FROM audit_log \
     WHERE tenant_id = $1 AND ($3 OR subject_id = $2) AND id < $4 ORDER BY id DESC LIMIT $5";

#[cfg(test)]
mod tests {
    /// The column lists above are spelled out in each statement so that each reads whole; these
    /// constants keep them from drifting.
    #[test]
    fn column_lists_agree() {
        use super::*;
        for (columns, statements) in [
            (
                TENANT_COLUMNS,
                &[INSERT_TENANT, TENANT_BY_ID, TENANT_BY_SLUG, LIST_TENANTS][..],
            ),
            (
                PERSON_COLUMNS,
                &[
                    INSERT_PERSON,
                    PERSON,
                    LIST_PEOPLE,
                    LIST_PEOPLE_IN_SUBTREE,
                    LOGIN_CANDIDATE,
                ][..],
            ),
            (
                CREDENTIAL_COLUMNS,
                &[
                    INSERT_API_CREDENTIAL,
                    API_CREDENTIAL,
                    LIST_API_CREDENTIALS,
                    REVOKE_API_CREDENTIAL,
                ][..],
            ),
        ] {
            for statement in statements {
                assert!(statement.contains(columns), "{statement} lacks {columns}");
            }
        }
    }
}
