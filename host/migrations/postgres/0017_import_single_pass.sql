-- Imports check and store their rows in one pass and one transaction
-- (issue: reporting, benchmark): checked chunks are no longer staged, and a
-- job a host stopped mid-way is run again from its first row.
DROP TABLE import_job_chunks;
ALTER TABLE import_jobs DROP COLUMN chunks_staged;

-- A record's first state keeps no copy of its body while that is still the
-- record's own (NULL: as credit_records.body); a correction copies it in
-- before it changes the record, so history reads the same.
ALTER TABLE record_states ALTER COLUMN body DROP NOT NULL;
