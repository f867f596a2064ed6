-- Program parts with kinds: each part of a blended program is required, optional, or one of an
-- elective group ("choose k of these n", with a label). Existing parts become required. The
-- completions reader finds the programs a completed opportunity is part of by part_id.

ALTER TABLE opportunity_parts ADD COLUMN kind TEXT NOT NULL DEFAULT 'required';
-- The position of the part's group in program_elective_groups, for elective parts only.
ALTER TABLE opportunity_parts ADD COLUMN elective_group INTEGER;

CREATE TABLE program_elective_groups (
    tenant_id  UUID NOT NULL,
    program_id UUID NOT NULL,
    position   INTEGER NOT NULL,
    label_de   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    choose     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, program_id, position),
    FOREIGN KEY (tenant_id, program_id) REFERENCES opportunities (tenant_id, id)
);

CREATE INDEX opportunity_parts_by_part ON opportunity_parts (tenant_id, part_id);
