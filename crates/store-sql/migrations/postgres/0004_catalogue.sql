-- The catalogue: learning opportunities ("Lernangebote") of every modality with their audience,
-- competency alignments, prerequisites and program parts; external providers; uploaded e-learning
-- packages. Keyed by tenant_id like everything a company owns. An opportunity offered to the whole
-- network or to named companies is found through opportunity_audience (kind, target).

CREATE TABLE providers (
    tenant_id     UUID NOT NULL REFERENCES tenants (tenant_id),
    id            UUID NOT NULL,
    name          TEXT NOT NULL,
    website       TEXT,
    contact_email TEXT,
    terms         TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

-- The files of a package live in the content directory (content/<tenant>/<package>/); this is
-- what was found in it.
CREATE TABLE packages (
    tenant_id   UUID NOT NULL REFERENCES tenants (tenant_id),
    id          UUID NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    file_count  INTEGER NOT NULL,
    total_bytes BIGINT NOT NULL,
    structure   TEXT NOT NULL,
    launch_path TEXT NOT NULL,
    uploaded_by UUID,
    uploaded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, uploaded_by) REFERENCES people (tenant_id, id)
);

-- One counter for the whole catalogue, raised by every change: the search index stores the
-- revision it has seen, and is rebuilt at start-up when the two differ.
CREATE TABLE catalogue_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO catalogue_revision (id, revision) VALUES (1, 0);

CREATE TABLE opportunities (
    tenant_id        UUID NOT NULL REFERENCES tenants (tenant_id),
    id               UUID NOT NULL,
    modality         TEXT NOT NULL,
    lifecycle        TEXT NOT NULL CHECK (lifecycle IN ('draft', 'published', 'retired')),
    title_de         TEXT NOT NULL,
    title_en         TEXT NOT NULL,
    description_de   TEXT NOT NULL,
    description_en   TEXT NOT NULL,
    content_language TEXT NOT NULL,
    duration_minutes INTEGER,
    provider_id      UUID,
    cost_cents       BIGINT,
    cost_currency    TEXT,
    recertify_months INTEGER,
    link             TEXT,
    package_id       UUID,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    revision         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, provider_id) REFERENCES providers (tenant_id, id),
    FOREIGN KEY (tenant_id, package_id) REFERENCES packages (tenant_id, id)
);

-- kind: network (target NULL), company (a tenant), org-unit, role (of the owner).
CREATE TABLE opportunity_audience (
    tenant_id      UUID NOT NULL,
    opportunity_id UUID NOT NULL,
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('network', 'company', 'org-unit', 'role')),
    target         UUID,
    PRIMARY KEY (tenant_id, opportunity_id, position),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id)
);
CREATE INDEX opportunity_audience_reach ON opportunity_audience (kind, target);

CREATE TABLE opportunity_alignments (
    tenant_id      UUID NOT NULL,
    opportunity_id UUID NOT NULL,
    competency_id  UUID NOT NULL REFERENCES competencies (id),
    level          DOUBLE PRECISION NOT NULL CHECK (level > 0 AND level <= 4),
    PRIMARY KEY (tenant_id, opportunity_id, competency_id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id)
);
CREATE INDEX opportunity_alignments_by_competency ON opportunity_alignments (tenant_id, competency_id);

-- Either a competency at a level or another opportunity of the same company.
CREATE TABLE opportunity_prerequisites (
    tenant_id               UUID NOT NULL,
    opportunity_id          UUID NOT NULL,
    position                INTEGER NOT NULL,
    competency_id           UUID REFERENCES competencies (id),
    level                   DOUBLE PRECISION CHECK (level >= 0 AND level <= 4),
    required_opportunity_id UUID,
    PRIMARY KEY (tenant_id, opportunity_id, position),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, required_opportunity_id) REFERENCES opportunities (tenant_id, id),
    CHECK ((competency_id IS NULL) <> (required_opportunity_id IS NULL))
);

-- The parts of a blended program, in order.
CREATE TABLE opportunity_parts (
    tenant_id  UUID NOT NULL,
    program_id UUID NOT NULL,
    position   INTEGER NOT NULL,
    part_id    UUID NOT NULL,
    PRIMARY KEY (tenant_id, program_id, position),
    FOREIGN KEY (tenant_id, program_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, part_id) REFERENCES opportunities (tenant_id, id)
);
