-- Learning paths: what each person decided about their generated path (pinned, skipped and
-- reordered steps, weekly time budget, languages and modalities), as JSON; the path itself is
-- planned afresh from the current gaps and catalogue whenever it is read.

CREATE TABLE learning_path_choices (
    tenant_id  BLOB NOT NULL,
    person_id  BLOB NOT NULL,
    choices    TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, person_id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id)
);

-- Candidates for a path are found by the competencies they teach, in every company whose offers a
-- person may see.
CREATE INDEX opportunity_alignments_by_competency_network ON opportunity_alignments (competency_id);
