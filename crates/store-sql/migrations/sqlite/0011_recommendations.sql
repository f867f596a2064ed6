-- "For you" recommendations: what a person told Mycel about a recommended opportunity (not
-- interested, already known; changeable and removable), and the ratings (1–5 stars) people gave the
-- company's opportunities, read from rated statements in the LRS (the newest per person and
-- opportunity). The recommendations themselves are computed on every read.

-- The opportunity may be another company's offer to the network: no foreign key to it.
CREATE TABLE recommendation_feedback (
    tenant_id      BLOB NOT NULL,
    person_id      BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('not_interested', 'already_known')),
    given_at       TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, opportunity_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);

CREATE TABLE opportunity_ratings (
    tenant_id      BLOB NOT NULL,
    opportunity_id BLOB NOT NULL,
    person_id      BLOB NOT NULL,
    stars          INTEGER NOT NULL CHECK (stars >= 1 AND stars <= 5),
    rated_at       TEXT NOT NULL,
    statement_id   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, opportunity_id, person_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id)
);

-- The holders of a role (whose completions and ratings count as peers').
CREATE INDEX role_assignments_by_role ON role_assignments (tenant_id, role_id, kind, person_id);
-- Completions of given opportunities.
CREATE INDEX completions_by_opportunity ON completions (tenant_id, opportunity_id, person_id);
-- The newest published opportunities ("new in the catalogue").
CREATE INDEX opportunities_newest ON opportunities (lifecycle, created_at);
