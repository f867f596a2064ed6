-- Assignments of learning opportunities to people (by their manager or L&D, with a due date), and
-- completions read from the learning record store, which also make certifications of compliance
-- training (valid for the opportunity's recertification period).

CREATE TABLE assignments (
    tenant_id      UUID NOT NULL,
    id             UUID NOT NULL,
    person_id      UUID NOT NULL,
    opportunity_id UUID NOT NULL,
    due            DATE,
    assigned_by    UUID,
    assigned_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, assigned_by) REFERENCES people (tenant_id, id)
);
-- One assignment per person and opportunity; assigning again keeps the first.
CREATE UNIQUE INDEX assignments_by_person ON assignments (tenant_id, person_id, opportunity_id);

CREATE TABLE completions (
    tenant_id      UUID NOT NULL,
    person_id      UUID NOT NULL,
    opportunity_id UUID NOT NULL,
    completed_at   TIMESTAMPTZ NOT NULL,
    -- The statement that showed it: the feed may deliver a statement again.
    statement_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, opportunity_id, statement_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id)
);
