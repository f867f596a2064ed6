-- The learning journal ("Lerntagebuch"): what a person learned at work or elsewhere, with the
-- competencies it touched (JSON: [{"competency_id", "level"}]), private unless the person shares
-- the entry; a shared entry can be confirmed by the person's manager. Its evidence rows carry the
-- entry's activity id as their link, so that deleting the entry deletes them too.

CREATE TABLE journal_entries (
    tenant_id    UUID NOT NULL,
    id           UUID NOT NULL,
    person_id    UUID NOT NULL,
    title        TEXT NOT NULL,
    learned_on   DATE NOT NULL,
    minutes      INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    competencies TEXT NOT NULL,
    reflection   TEXT NOT NULL,
    shared       BOOLEAN NOT NULL,
    confirmed_by UUID,
    confirmed_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, confirmed_by) REFERENCES people (tenant_id, id)
);
CREATE INDEX journal_entries_by_person ON journal_entries (tenant_id, person_id, learned_on);
