-- Imports check and store their rows in one pass and one transaction
-- (issue: reporting, benchmark): checked chunks are no longer staged, and a
-- job a host stopped mid-way is run again from its first row.
DROP TABLE import_job_chunks;
ALTER TABLE import_jobs DROP COLUMN chunks_staged;

-- A record's first state keeps no copy of its body while that is still the
-- record's own (NULL: as credit_records.body); a correction copies it in
-- before it changes the record, so history reads the same.
CREATE TABLE record_states_new (
    record_id TEXT NOT NULL REFERENCES credit_records(id),
    state INTEGER NOT NULL,
    body TEXT,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (record_id, state)
);
INSERT INTO record_states_new (record_id, state, body, reason, actor, at)
    SELECT record_id, state, body, reason, actor, at FROM record_states;
DROP TABLE record_states;
ALTER TABLE record_states_new RENAME TO record_states;
