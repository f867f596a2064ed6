-- SCORM attempts: a person's attempts at a SCORM opportunity, each with the run-time data of its
-- SCOs (the cmi data model as JSON text). One open attempt per person and opportunity; finished
-- attempts stay as history.

CREATE TABLE scorm_attempts (
    tenant_id      UUID NOT NULL,
    id             UUID NOT NULL,
    person_id      UUID NOT NULL,
    opportunity_id UUID NOT NULL,
    package_id     UUID NOT NULL,
    number         BIGINT NOT NULL,
    started_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    finished_at    TIMESTAMPTZ,
    status         TEXT NOT NULL,
    score          DOUBLE PRECISION,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, package_id) REFERENCES packages (tenant_id, id)
);
CREATE UNIQUE INDEX scorm_attempts_by_number
    ON scorm_attempts (tenant_id, person_id, opportunity_id, number);
-- At most one open attempt per person and opportunity.
CREATE UNIQUE INDEX scorm_attempts_open
    ON scorm_attempts (tenant_id, person_id, opportunity_id) WHERE finished_at IS NULL;

CREATE TABLE scorm_sco_runtimes (
    tenant_id   UUID NOT NULL,
    attempt_id  UUID NOT NULL,
    sco_id      TEXT NOT NULL,
    cmi         TEXT NOT NULL,
    progress    TEXT NOT NULL,
    status      TEXT NOT NULL,
    score       DOUBLE PRECISION,
    revision    BIGINT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, attempt_id, sco_id),
    FOREIGN KEY (tenant_id, attempt_id) REFERENCES scorm_attempts (tenant_id, id)
);
