-- The organisation network. Every table carries tenant_id and every key starts with it, so the
-- schema can be distributed by tenant (Citus). Composite foreign keys keep references inside a tenant.
-- SQLite dialect: UUIDs are 16-byte BLOBs, timestamps RFC 3339 TEXT in UTC.

CREATE TABLE tenants (
    tenant_id      BLOB PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    min_group_size INTEGER NOT NULL DEFAULT 5 CHECK (min_group_size >= 1),
    created_at     TEXT NOT NULL
);

CREATE TABLE org_units (
    tenant_id  BLOB NOT NULL REFERENCES tenants (tenant_id),
    id         BLOB NOT NULL,
    parent_id  BLOB,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_units (tenant_id, id)
);
CREATE INDEX org_units_by_parent ON org_units (tenant_id, parent_id);

CREATE TABLE people (
    tenant_id     BLOB NOT NULL REFERENCES tenants (tenant_id),
    id            BLOB NOT NULL,
    display_name  TEXT NOT NULL,
    email         TEXT,
    org_unit_id   BLOB,
    manager_id    BLOB,
    password_hash TEXT,
    locale        TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES people (tenant_id, id)
);
CREATE UNIQUE INDEX people_by_email ON people (tenant_id, email);
CREATE INDEX people_by_org_unit ON people (tenant_id, org_unit_id);
CREATE INDEX people_by_manager ON people (tenant_id, manager_id);

-- unit_key is the org unit of a delegated grant, or the nil BLOB for a tenant-wide one, so that the
-- key has no NULL in it.
CREATE TABLE access_grants (
    tenant_id   BLOB NOT NULL,
    person_id   BLOB NOT NULL,
    role        TEXT NOT NULL,
    unit_key    BLOB NOT NULL,
    org_unit_id BLOB,
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, role, unit_key),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

CREATE TABLE roles (
    tenant_id   BLOB NOT NULL REFERENCES tenants (tenant_id),
    id          BLOB NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE role_assignments (
    tenant_id   BLOB NOT NULL,
    person_id   BLOB NOT NULL,
    role_id     BLOB NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('current', 'aspired')),
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, role_id, kind),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);

CREATE TABLE api_credentials (
    tenant_id   BLOB NOT NULL REFERENCES tenants (tenant_id),
    id          BLOB NOT NULL,
    label       TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    scopes      TEXT NOT NULL,
    created_by  BLOB,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE sessions (
    tenant_id  BLOB NOT NULL,
    token_hash BLOB NOT NULL,
    person_id  BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Append-only: who accessed whose personal data, what and why. No foreign keys to people, so that
-- the record of access outlives the erasure of the person.
CREATE TABLE audit_log (
    tenant_id  BLOB NOT NULL REFERENCES tenants (tenant_id),
    id         BLOB NOT NULL,
    at         TEXT NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('person', 'credential')),
    actor_id   BLOB NOT NULL,
    subject_id BLOB,
    action     TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_subject ON audit_log (tenant_id, subject_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
