-- Assignments of learning opportunities to people (by their manager or L&D, with a due date), and
-- completions read from the learning record store, which also make certifications of compliance
-- training (valid for the opportunity's recertification period).

CREATE TABLE assignments (
    tenant_id      BLOB NOT NULL,
    id             BLOB NOT NULL,
    person_id      BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    due            TEXT,
    assigned_by    BLOB,
    assigned_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, assigned_by) REFERENCES people (tenant_id, id)
);
-- One assignment per person and opportunity; assigning again keeps the first.
CREATE UNIQUE INDEX assignments_by_person ON assignments (tenant_id, person_id, opportunity_id);

CREATE TABLE completions (
    tenant_id      BLOB NOT NULL,
    person_id      BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    completed_at   TEXT NOT NULL,
    -- The statement that showed it: the feed may deliver a statement again.
    statement_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, opportunity_id, statement_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id)
);
