-- The learning record store: xAPI statements with their index terms, attachments, activity
-- definitions and the documents of the State, Activity Profile and Agent Profile resources.

-- The last statement sequence number of each tenant. Taking this row's lock first in every
-- statement batch makes seq follow commit order within a tenant (the change feed relies on it).
CREATE TABLE xapi_sequences (
    tenant_id BLOB PRIMARY KEY REFERENCES tenants (tenant_id),
    last_seq  BIGINT NOT NULL
);

CREATE TABLE xapi_statements (
    tenant_id     BLOB NOT NULL REFERENCES tenants (tenant_id),
    id            BLOB NOT NULL,
    seq           BIGINT NOT NULL,
    stored        TEXT NOT NULL,
    ts            TEXT NOT NULL,
    verb_id       TEXT NOT NULL,
    registration  BLOB,
    voids         BLOB,
    refers_to     BLOB,
    credential_id BLOB,
    voided        INTEGER NOT NULL DEFAULT 0,
    attachments   TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq)
);
CREATE INDEX xapi_statements_by_stored ON xapi_statements (tenant_id, stored, seq);
CREATE INDEX xapi_statements_by_verb ON xapi_statements (tenant_id, verb_id, stored);
CREATE INDEX xapi_statements_by_registration ON xapi_statements (tenant_id, registration, stored);
CREATE INDEX xapi_statements_by_reference ON xapi_statements (tenant_id, refers_to);

-- direct: the statement's actor or object; otherwise only related (context, authority, members).
CREATE TABLE xapi_statement_agents (
    tenant_id BLOB NOT NULL,
    agent_key TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    direct    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, agent_key, seq),
    FOREIGN KEY (tenant_id, seq) REFERENCES xapi_statements (tenant_id, seq)
);

CREATE TABLE xapi_statement_activities (
    tenant_id   BLOB NOT NULL,
    activity_id TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    direct      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, activity_id, seq),
    FOREIGN KEY (tenant_id, seq) REFERENCES xapi_statements (tenant_id, seq)
);

CREATE TABLE xapi_activities (
    tenant_id   BLOB NOT NULL REFERENCES tenants (tenant_id),
    activity_id TEXT NOT NULL,
    definition  TEXT NOT NULL,
    PRIMARY KEY (tenant_id, activity_id)
);

CREATE TABLE xapi_attachments (
    tenant_id    BLOB NOT NULL REFERENCES tenants (tenant_id),
    sha2         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    PRIMARY KEY (tenant_id, sha2)
);

-- kind: state, activity_profile or agent_profile. Unused key parts are '' so that the key has no NULL.
CREATE TABLE xapi_documents (
    tenant_id    BLOB NOT NULL REFERENCES tenants (tenant_id),
    kind         TEXT NOT NULL CHECK (kind IN ('state', 'activity_profile', 'agent_profile')),
    activity_id  TEXT NOT NULL,
    agent_key    TEXT NOT NULL,
    registration TEXT NOT NULL,
    document_id  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    etag         TEXT NOT NULL,
    updated      TEXT NOT NULL,
    PRIMARY KEY (tenant_id, kind, activity_id, agent_key, registration, document_id)
);
