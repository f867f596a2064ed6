-- Competencies: frameworks (ESCO for the whole network; CASE and own frameworks of a tenant), their
-- competencies, relations and occupations; and, per tenant, proficiency scales, role profiles
-- (Soll-Profile), evidence, mastery estimates, learning goals and profile sharing.
--
-- Frameworks, competencies, relations and occupations are reference data: a network framework
-- (tenant_id NULL) is read by every tenant, so these tables are keyed by their own ids and would be
-- Citus reference tables (replicated to every node). Everything about people is keyed by tenant_id.

CREATE TABLE frameworks (
    id          BLOB PRIMARY KEY,
    -- NULL: shared by the whole network (ESCO).
    tenant_id   BLOB REFERENCES tenants (tenant_id),
    -- The nil UUID for network frameworks, so that the unique key has no NULL in it.
    owner_key   BLOB NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('esco', 'case', 'own')),
    uri         TEXT NOT NULL,
    title_en    TEXT NOT NULL,
    title_de    TEXT NOT NULL,
    version     TEXT NOT NULL,
    -- Incremented by every import; items not in the latest import are obsolete.
    generation  BIGINT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (owner_key, kind, uri)
);

CREATE TABLE competencies (
    id           BLOB PRIMARY KEY,
    framework_id BLOB NOT NULL REFERENCES frameworks (id),
    uri          TEXT NOT NULL,
    code         TEXT,
    kind         TEXT NOT NULL CHECK (kind IN ('skill', 'knowledge', 'group', 'competency')),
    category     TEXT,
    generation   BIGINT NOT NULL,
    obsolete     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (framework_id, uri)
);

-- One row per competency and language. search_text is the lower-case preferred and alternative
-- labels, for substring search.
CREATE TABLE competency_labels (
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    lang          TEXT NOT NULL,
    preferred     TEXT NOT NULL,
    alternatives  TEXT NOT NULL,
    description   TEXT,
    search_text   TEXT NOT NULL,
    PRIMARY KEY (competency_id, lang)
);

-- from_id → to_id: "to is the broader item of from", "to is a prerequisite of from", …
CREATE TABLE competency_relations (
    from_id BLOB NOT NULL REFERENCES competencies (id),
    kind    TEXT NOT NULL,
    to_id   BLOB NOT NULL REFERENCES competencies (id),
    PRIMARY KEY (from_id, kind, to_id)
);
CREATE INDEX competency_relations_to ON competency_relations (to_id, kind);

CREATE TABLE occupations (
    id           BLOB PRIMARY KEY,
    framework_id BLOB NOT NULL REFERENCES frameworks (id),
    uri          TEXT NOT NULL,
    code         TEXT,
    isco_group   TEXT,
    generation   BIGINT NOT NULL,
    obsolete     BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (framework_id, uri)
);

CREATE TABLE occupation_labels (
    occupation_id BLOB NOT NULL REFERENCES occupations (id),
    lang          TEXT NOT NULL,
    preferred     TEXT NOT NULL,
    alternatives  TEXT NOT NULL,
    description   TEXT,
    search_text   TEXT NOT NULL,
    PRIMARY KEY (occupation_id, lang)
);

CREATE TABLE occupation_competencies (
    occupation_id BLOB NOT NULL REFERENCES occupations (id),
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    kind          TEXT NOT NULL CHECK (kind IN ('required', 'desired')),
    PRIMARY KEY (occupation_id, competency_id)
);
CREATE INDEX occupation_competencies_by_competency ON occupation_competencies (competency_id);

-- A tenant's own proficiency scales; levels as JSON (value, labels, descriptors, default-scale
-- equivalent). The default 0–4 scale is built in.
CREATE TABLE proficiency_scales (
    tenant_id BLOB NOT NULL REFERENCES tenants (tenant_id),
    id        BLOB NOT NULL,
    name_en   TEXT NOT NULL,
    name_de   TEXT NOT NULL,
    levels    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- Soll-Profile: what a role needs, at which level of the default scale.
CREATE TABLE role_requirements (
    tenant_id     BLOB NOT NULL,
    role_id       BLOB NOT NULL,
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    kind          TEXT NOT NULL CHECK (kind IN ('required', 'desired')),
    target_level  REAL NOT NULL CHECK (target_level >= 0 AND target_level <= 4),
    PRIMARY KEY (tenant_id, role_id, competency_id),
    FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);
CREATE INDEX role_requirements_by_competency ON role_requirements (tenant_id, competency_id);

CREATE TABLE evidence (
    tenant_id     BLOB NOT NULL,
    id            BLOB NOT NULL,
    person_id     BLOB NOT NULL,
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    kind          TEXT NOT NULL,
    level         REAL NOT NULL CHECK (level >= 0 AND level <= 4),
    observed_at   TEXT NOT NULL,
    author_id     BLOB,
    source        TEXT NOT NULL,
    link          TEXT,
    note          TEXT,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, author_id) REFERENCES people (tenant_id, id)
);
CREATE INDEX evidence_by_person ON evidence (tenant_id, person_id, competency_id);
-- At most one piece of evidence per statement and competency (the feed may deliver a statement again).
CREATE UNIQUE INDEX evidence_by_link ON evidence (tenant_id, person_id, competency_id, link)
    WHERE kind = 'statement';

-- The current estimate per person and competency, recomputed whenever its evidence changes (and by
-- a refresh, for decay); what aggregates read.
CREATE TABLE competency_estimates (
    tenant_id      BLOB NOT NULL,
    person_id      BLOB NOT NULL,
    competency_id  BLOB NOT NULL REFERENCES competencies (id),
    level          REAL NOT NULL,
    confidence     REAL NOT NULL,
    evidence_count INTEGER NOT NULL,
    computed_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id, competency_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);

CREATE TABLE learning_goals (
    tenant_id     BLOB NOT NULL,
    id            BLOB NOT NULL,
    person_id     BLOB NOT NULL,
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    target_level  REAL NOT NULL CHECK (target_level >= 0 AND target_level <= 4),
    due           TEXT,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);
CREATE INDEX learning_goals_by_person ON learning_goals (tenant_id, person_id);

-- A person who shares their competency profile lets their manager see it, and lets them be counted in
-- groups smaller than the minimum group size.
CREATE TABLE competency_profile_sharing (
    tenant_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    shared_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);

-- Activities (xAPI activity ids) aligned to competencies: a statement on one is evidence.
CREATE TABLE activity_alignments (
    tenant_id     BLOB NOT NULL REFERENCES tenants (tenant_id),
    activity_id   TEXT NOT NULL,
    competency_id BLOB NOT NULL REFERENCES competencies (id),
    level         REAL NOT NULL CHECK (level >= 0 AND level <= 4),
    PRIMARY KEY (tenant_id, activity_id, competency_id)
);

-- How far each consumer of the statement change feed has read, per tenant.
CREATE TABLE statement_feed_cursors (
    tenant_id BLOB NOT NULL REFERENCES tenants (tenant_id),
    consumer  TEXT NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, consumer)
);
