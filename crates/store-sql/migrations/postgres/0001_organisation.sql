-- The organisation network. Every table carries tenant_id and every key starts with it, so the
-- schema can be distributed by tenant (Citus). Composite foreign keys keep references inside a tenant.

CREATE TABLE tenants (
    tenant_id      UUID PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    min_group_size INTEGER NOT NULL DEFAULT 5 CHECK (min_group_size >= 1),
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_units (
    tenant_id  UUID NOT NULL REFERENCES tenants (tenant_id),
    id         UUID NOT NULL,
    parent_id  UUID,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES org_units (tenant_id, id)
);
CREATE INDEX org_units_by_parent ON org_units (tenant_id, parent_id);

CREATE TABLE people (
    tenant_id     UUID NOT NULL REFERENCES tenants (tenant_id),
    id            UUID NOT NULL,
    display_name  TEXT NOT NULL,
    email         TEXT,
    org_unit_id   UUID,
    manager_id    UUID,
    password_hash TEXT,
    locale        TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id),
    FOREIGN KEY (tenant_id, manager_id) REFERENCES people (tenant_id, id)
);
CREATE UNIQUE INDEX people_by_email ON people (tenant_id, email);
CREATE INDEX people_by_org_unit ON people (tenant_id, org_unit_id);
CREATE INDEX people_by_manager ON people (tenant_id, manager_id);

-- unit_key is the org unit of a delegated grant, or the nil UUID for a tenant-wide one, so that the
-- key has no NULL in it.
CREATE TABLE access_grants (
    tenant_id   UUID NOT NULL,
    person_id   UUID NOT NULL,
    role        TEXT NOT NULL,
    unit_key    UUID NOT NULL,
    org_unit_id UUID,
    granted_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, person_id, role, unit_key),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

CREATE TABLE roles (
    tenant_id   UUID NOT NULL REFERENCES tenants (tenant_id),
    id          UUID NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE role_assignments (
    tenant_id   UUID NOT NULL,
    person_id   UUID NOT NULL,
    role_id     UUID NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('current', 'aspired')),
    assigned_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, person_id, role_id, kind),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);

CREATE TABLE api_credentials (
    tenant_id   UUID NOT NULL REFERENCES tenants (tenant_id),
    id          UUID NOT NULL,
    label       TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    scopes      TEXT NOT NULL,
    created_by  UUID,
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE sessions (
    tenant_id  UUID NOT NULL,
    token_hash BYTEA NOT NULL,
    person_id  UUID NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Append-only: who accessed whose personal data, what and why. No foreign keys to people, so that
-- the record of access outlives the erasure of the person.
CREATE TABLE audit_log (
    tenant_id  UUID NOT NULL REFERENCES tenants (tenant_id),
    id         UUID NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('person', 'credential')),
    actor_id   UUID NOT NULL,
    subject_id UUID,
    action     TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_by_subject ON audit_log (tenant_id, subject_id, id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
