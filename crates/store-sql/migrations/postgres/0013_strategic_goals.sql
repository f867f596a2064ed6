-- Strategic goals of org units: everyone in the unit's subtree should reach a competency at a
-- target level (of the default 0–4 scale), for a reason, perhaps by a date. One goal per unit and
-- competency; the unique key also serves the lookup of a unit's goals.
CREATE TABLE strategic_goals (
    tenant_id     UUID NOT NULL,
    id            UUID NOT NULL,
    org_unit_id   UUID NOT NULL,
    competency_id UUID NOT NULL REFERENCES competencies (id),
    target_level  DOUBLE PRECISION NOT NULL CHECK (target_level >= 0 AND target_level <= 4),
    reason        TEXT NOT NULL,
    due           DATE,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, org_unit_id, competency_id),
    FOREIGN KEY (tenant_id, org_unit_id) REFERENCES org_units (tenant_id, id)
);

-- A company's settings that have a default; a company without a row uses the defaults.
-- path_objective: what learning paths are planned for, the least learning time or the least cost.
CREATE TABLE tenant_settings (
    tenant_id      UUID PRIMARY KEY REFERENCES tenants (tenant_id),
    path_objective TEXT NOT NULL DEFAULT 'time' CHECK (path_objective IN ('time', 'cost')),
    updated_at     TIMESTAMPTZ NOT NULL
);
