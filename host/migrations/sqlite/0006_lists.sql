-- The procedure of list entries and the office's publications (issue:
-- procedures, point 5). Entries stored before this change were listed by an
-- import (the red list, or a serious record): they are decided.
ALTER TABLE list_entries ADD COLUMN status TEXT NOT NULL DEFAULT 'decided'; -- proposed | notified | announced | decided | suspended | withdrawn | removed
ALTER TABLE list_entries ADD COLUMN subject_name TEXT;
ALTER TABLE list_entries ADD COLUMN criteria TEXT;          -- 认定标准: serious-record, reported, or the office's words
ALTER TABLE list_entries ADD COLUMN decision_number TEXT;   -- 认定决定书文号
ALTER TABLE list_entries ADD COLUMN measures TEXT;          -- JSON array of the measures it triggers
ALTER TABLE list_entries ADD COLUMN unit TEXT;              -- the unit that proposed or reported it
ALTER TABLE list_entries ADD COLUMN sector TEXT;
ALTER TABLE list_entries ADD COLUMN step_on TEXT;           -- the day the current timed step began (notice served, announcement)
ALTER TABLE list_entries ADD COLUMN step_days INTEGER;      -- its length in working days
ALTER TABLE list_entries ADD COLUMN due TEXT;               -- its last day, YYYY-MM-DD
ALTER TABLE list_entries ADD COLUMN due_provisional INTEGER NOT NULL DEFAULT 0; -- 1: a year without a holiday schedule
ALTER TABLE list_entries ADD COLUMN statement_on TEXT;      -- the day the subject's statement (陈述申辩) arrived
CREATE INDEX list_entries_status ON list_entries(status, list);

-- Every step of an entry: who, when, why.
CREATE TABLE list_entry_steps (
    entry_id TEXT NOT NULL REFERENCES list_entries(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,              -- propose | notify | statement | announce | decide | withdraw | suspend | reinstate | remove | list
    status TEXT NOT NULL,              -- the state after it
    on_date TEXT,                      -- the day it took effect (served, announced, decided), YYYY-MM-DD
    reason TEXT,
    actor TEXT NOT NULL,
    unit TEXT,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (entry_id, seq)
);
INSERT INTO list_entry_steps (entry_id, seq, action, status, on_date, reason, actor, unit, at, due)
    SELECT id, 1, 'list', 'decided', start_date,
           CASE WHEN record_id IS NULL THEN 'imported' ELSE 'follows from a serious record' END,
           created_by, NULL, created_at, NULL
    FROM list_entries;
UPDATE list_entries SET criteria = CASE WHEN record_id IS NULL THEN 'reported' ELSE 'serious-record' END;

-- The office's dated publications: a snapshot of the public lists.
CREATE TABLE publications (
    id TEXT PRIMARY KEY,
    as_of TEXT NOT NULL,               -- the day it shows, YYYY-MM-DD
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    entries INTEGER NOT NULL,
    body TEXT NOT NULL                 -- JSON: the entries as the public sees them
);
CREATE INDEX publications_published ON publications(published_at);
