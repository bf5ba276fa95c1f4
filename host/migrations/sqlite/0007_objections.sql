-- Objections (异议; issue: procedures, points 2 and 3): the intake, the
-- providing unit's verification, the office's review and the written answer,
-- every step kept. A record an upheld objection revokes is 'revoked': it
-- counts nowhere and leaves public view, its history kept.
CREATE TABLE objections (
    id TEXT PRIMARY KEY,
    record_id TEXT REFERENCES credit_records(id),
    list_entry_id TEXT REFERENCES list_entries(id),
    subject_key TEXT NOT NULL,
    status TEXT NOT NULL,              -- received | verifying | office-review | upheld | rejected | not-accepted | closed
    channel TEXT NOT NULL,             -- web | counter | municipal-platform | 12345 | 12318 | mail
    ticket_number TEXT,
    received_on TEXT NOT NULL,         -- YYYY-MM-DD
    applicant_name TEXT NOT NULL,
    applicant_role TEXT NOT NULL,      -- subject | agent
    proof TEXT NOT NULL,               -- JSON array of the documents shown
    statement TEXT NOT NULL,           -- what is disputed and why
    unit TEXT,                         -- the unit that provided the record: it verifies
    accepted_on TEXT,
    paused_since TEXT,                 -- an open request to complete the file (补正)
    pauses TEXT NOT NULL DEFAULT '[]', -- JSON [{from, to}] of the closed ones
    due TEXT,                          -- the current stage's last day
    due_provisional INTEGER NOT NULL DEFAULT 0,
    opinion TEXT,                      -- the unit's: uphold | reject
    opinion_by TEXT,
    decision TEXT,                     -- the office's: uphold | reject
    remedy TEXT,                       -- revoke | correct
    follow_code_hash TEXT NOT NULL,    -- sha256 of the code the applicant follows it with
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX objections_record ON objections(record_id);
CREATE INDEX objections_status ON objections(status, due);

CREATE TABLE objection_steps (
    objection_id TEXT NOT NULL REFERENCES objections(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,              -- file | accept | not-accept | request-completion | complete | opinion | review | answer
    status TEXT NOT NULL,
    on_date TEXT,
    reason TEXT,
    actor TEXT NOT NULL,
    unit TEXT,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (objection_id, seq)
);

-- A withdrawn or removed list entry does not stop the same entry from being
-- proposed again: identity holds among the others only.
DROP INDEX list_entries_identity;
CREATE UNIQUE INDEX list_entries_identity ON list_entries(list, subject_key, start_date, basis)
    WHERE status NOT IN ('withdrawn', 'removed');
