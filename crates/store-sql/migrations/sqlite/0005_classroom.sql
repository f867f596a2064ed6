-- Classroom training: rooms of a company, dated sessions of its classroom courses (room, trainer,
-- capacity, deadlines), and people's enrolments in them with waitlist and attendance.

CREATE TABLE rooms (
    tenant_id  BLOB NOT NULL REFERENCES tenants (tenant_id),
    id         BLOB NOT NULL,
    name       TEXT NOT NULL,
    location   TEXT NOT NULL,
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE training_sessions (
    tenant_id             BLOB NOT NULL,
    id                    BLOB NOT NULL,
    opportunity_id        BLOB NOT NULL,
    starts_at             TEXT NOT NULL,
    ends_at               TEXT NOT NULL,
    location              TEXT NOT NULL,
    room_id               BLOB,
    trainer_id            BLOB,
    online_link           TEXT,
    capacity              INTEGER NOT NULL CHECK (capacity > 0),
    requires_approval     BOOLEAN NOT NULL,
    cancellation_deadline TEXT,
    cancelled             BOOLEAN NOT NULL DEFAULT FALSE,
    -- Raised by every enrolment change: taking the row first serialises them per session.
    version               BIGINT NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, room_id) REFERENCES rooms (tenant_id, id),
    FOREIGN KEY (tenant_id, trainer_id) REFERENCES people (tenant_id, id),
    CHECK (ends_at > starts_at)
);
CREATE INDEX training_sessions_by_opportunity ON training_sessions (tenant_id, opportunity_id, starts_at);
CREATE INDEX training_sessions_by_trainer ON training_sessions (tenant_id, trainer_id, starts_at);
CREATE INDEX training_sessions_by_room ON training_sessions (tenant_id, room_id, starts_at);

CREATE TABLE session_enrolments (
    tenant_id    BLOB NOT NULL,
    id           BLOB NOT NULL,
    session_id   BLOB NOT NULL,
    person_id    BLOB NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'waitlisted', 'cancelled', 'attended', 'no-show')),
    enrolled_by  BLOB,
    enrolled_at  TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES training_sessions (tenant_id, id),
    FOREIGN KEY (tenant_id, person_id) REFERENCES people (tenant_id, id),
    FOREIGN KEY (tenant_id, enrolled_by) REFERENCES people (tenant_id, id)
);
CREATE INDEX session_enrolments_by_session ON session_enrolments (tenant_id, session_id, enrolled_at);
CREATE INDEX session_enrolments_by_person ON session_enrolments (tenant_id, person_id);
-- One active enrolment per person and session.
CREATE UNIQUE INDEX session_enrolments_active ON session_enrolments (tenant_id, session_id, person_id)
    WHERE status IN ('requested', 'confirmed', 'waitlisted');
