-- cmi5: a learner's registrations for a course (an e-learning opportunity playing a cmi5 package)
-- and the sessions in which its AUs were launched. The rules' state (mycel-cmi5's Registration and
-- AuSession) is kept as JSON; the columns are what is looked up.

CREATE TABLE cmi5_registrations (
    tenant_id        UUID NOT NULL,
    id               UUID NOT NULL,
    opportunity_id   UUID NOT NULL,
    package_id       UUID NOT NULL,
    person_id        UUID,
    learner_key      TEXT NOT NULL,
    content_key TEXT NOT NULL,
    state            TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, package_id) REFERENCES packages (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);
-- A registration UUID names one registration in the whole installation (the AU's statements carry
-- it without a company).
CREATE UNIQUE INDEX cmi5_registrations_id ON cmi5_registrations (id);
CREATE INDEX cmi5_registrations_by_learner
    ON cmi5_registrations (tenant_id, opportunity_id, learner_key, created_at);
CREATE INDEX cmi5_registrations_by_person ON cmi5_registrations (tenant_id, person_id);

CREATE TABLE cmi5_sessions (
    tenant_id       UUID NOT NULL,
    id              UUID NOT NULL,
    registration_id UUID NOT NULL,
    au_id           TEXT NOT NULL,
    fetch_key_hash  TEXT NOT NULL,
    token_hash      TEXT,
    is_open         BOOLEAN NOT NULL,
    state           TEXT NOT NULL,
    launched_at     TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (tenant_id, registration_id) REFERENCES cmi5_registrations (tenant_id, id)
);
CREATE INDEX cmi5_sessions_by_registration ON cmi5_sessions (tenant_id, registration_id);
CREATE INDEX cmi5_sessions_open ON cmi5_sessions (updated_at) WHERE is_open;
