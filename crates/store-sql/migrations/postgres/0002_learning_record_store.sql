-- The learning record store: xAPI statements with their index terms, attachments, activity
-- definitions and the documents of the State, Activity Profile and Agent Profile resources.

-- The last statement sequence number of each tenant. Taking this row's lock first in every
-- statement batch makes seq follow commit order within a tenant (the change feed relies on it).
CREATE TABLE xapi_sequences (
    tenant_id UUID PRIMARY KEY REFERENCES tenants (tenant_id),
    last_seq  BIGINT NOT NULL
);

CREATE TABLE xapi_statements (
    tenant_id     UUID NOT NULL REFERENCES tenants (tenant_id),
    id            UUID NOT NULL,
    seq           BIGINT NOT NULL,
    stored        TIMESTAMPTZ NOT NULL,
    ts            TIMESTAMPTZ NOT NULL,
    verb_id       TEXT NOT NULL,
    registration  UUID,
    voids         UUID,
    refers_to     UUID,
    credential_id UUID,
    voided        BOOLEAN NOT NULL DEFAULT FALSE,
    attachments   TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
);
CREATE INDEX xapi_statements_by_stored ON xapi_statements (tenant_id, stored, seq);
-- Partial: few statements refer to another, and the lookup must use both columns even before the
-- planner has statistics.
CREATE INDEX xapi_statements_by_reference ON xapi_statements (tenant_id, refers_to) WHERE refers_to IS NOT NULL;

-- The index terms of each statement, one row per (kind, term): kind 'agent', 'activity', 'verb' or
-- 'registration'. own says how the statement itself has the term (0 not, 1 related only, 2 direct:
-- the actor or object for agents, the object for activities; verbs and registrations are direct);
-- via_ref the same for the statement its StatementRef object points to, so that a filter also
-- returns statements that refer to a matching statement (xAPI Communication 2.1.4). stored is
-- copied from the statement, so that each filter is one range of the primary key, already in order.
-- (No foreign key: rows are written with their statement in one transaction, and a check per row
-- would cost more than the row.)
CREATE TABLE xapi_statement_terms (
    tenant_id UUID NOT NULL,
    kind      TEXT NOT NULL,
    term      TEXT NOT NULL,
    stored    TIMESTAMPTZ NOT NULL,
    seq       BIGINT NOT NULL,
    own       SMALLINT NOT NULL,
    via_ref   SMALLINT NOT NULL,
    PRIMARY KEY (tenant_id, kind, term, stored, seq)
);

CREATE TABLE xapi_activities (
    tenant_id   UUID NOT NULL REFERENCES tenants (tenant_id),
    activity_id TEXT NOT NULL,
    definition  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, activity_id)
);

CREATE TABLE xapi_attachments (
    tenant_id    UUID NOT NULL REFERENCES tenants (tenant_id),
    sha2         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    PRIMARY KEY (tenant_id, sha2)
);

-- kind: state, activity_profile or agent_profile. Unused key parts are '' so that the key has no NULL.
CREATE TABLE xapi_documents (
    tenant_id    UUID NOT NULL REFERENCES tenants (tenant_id),
    kind         TEXT NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id  TEXT NOT NULL,
    agent_key    TEXT NOT NULL,
    registration TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    etag         TEXT NOT NULL,
    updated      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, kind, activity_id, agent_key, registration, document_id)
);
