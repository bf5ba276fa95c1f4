-- Complaints and reports (投诉举报; issue: procedures, point 7): the same
-- intake as objections, an investigation by the unit of the sector, and
-- feedback to the complainant, every step kept. The complainant's identity
-- lives here only, never in a credit record.
CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                -- complaint (投诉) | report (举报)
    channel TEXT NOT NULL,
    ticket_number TEXT,
    received_on TEXT NOT NULL,
    complainant_name TEXT,             -- NULL: an anonymous report
    complainant_contact TEXT,
    subject_key TEXT NOT NULL,          -- a subject row exists only once a complaint is substantiated
    subject_name TEXT NOT NULL,
    subject_kind TEXT NOT NULL,        -- organisation | individual-business | natural-person
    subject_uscc TEXT,
    subject_id_hash_key_id TEXT,
    subject_id_masked TEXT,
    subject_id_encrypted TEXT,
    sector TEXT NOT NULL,
    statement TEXT NOT NULL,           -- the conduct complained of
    status TEXT NOT NULL,              -- received | investigating | substantiated | unsubstantiated | not-accepted | closed
    unit TEXT,                         -- the unit that investigates
    accepted_on TEXT,
    paused_since TEXT,
    pauses TEXT NOT NULL DEFAULT '[]',
    due TEXT,
    due_provisional BIGINT NOT NULL DEFAULT 0,
    finding TEXT,                      -- what the investigation found
    record_id TEXT REFERENCES credit_records(id), -- the record a substantiated one became
    concluded_on TEXT,
    answered_on TEXT,
    follow_code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX complaints_status ON complaints(status, due);
CREATE INDEX complaints_received ON complaints(received_on);

CREATE TABLE complaint_steps (
    complaint_id TEXT NOT NULL REFERENCES complaints(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,              -- file | accept | not-accept | request-completion | complete | conclude | answer
    status TEXT NOT NULL,
    on_date TEXT,
    reason TEXT,
    actor TEXT NOT NULL,
    unit TEXT,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (complaint_id, seq)
);
