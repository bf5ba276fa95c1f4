-- Background imports (issue: reporting, point 7): an upload over
-- CREDIT_IMPORT_BACKGROUND_BYTES is kept here in parts and imported by a
-- job whose state lives in this table, so a restart neither loses nor
-- repeats it. Checked chunks are staged; the store pass is one transaction
-- that also marks the job done.
CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY,
    sector TEXT,                       -- NULL for the red list
    kind TEXT NOT NULL,
    options TEXT NOT NULL,             -- JSON: {partial, dry_run, corrections, published}
    content_type TEXT,                 -- as uploaded (format and declared charset)
    plugin_version TEXT,               -- pinned when the upload arrived
    actor TEXT NOT NULL,
    unit TEXT NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT,
    status TEXT NOT NULL,              -- receiving | queued | checking | storing | done | failed
    rows_total INTEGER,                -- data rows, once counted
    rows_done INTEGER NOT NULL DEFAULT 0,  -- rows checked (checking) or stored (done)
    chunks_staged INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0, -- errors found so far
    result TEXT,                       -- JSON: the report (done) or the problem (failed)
    http_status INTEGER,               -- the status the same upload would have had inline
    attempts INTEGER NOT NULL DEFAULT 0,  -- times a host took it (a job that stops its host is given up)
    claimed_by TEXT,
    heartbeat_at TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX import_jobs_status ON import_jobs(status);

-- The upload, in parts of 1 MiB; deleted when the job finishes.
CREATE TABLE import_job_parts (
    job_id TEXT NOT NULL REFERENCES import_jobs(id),
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- Checked chunks of 1,000 rows, ready to store (JSON); deleted when the
-- job finishes.
CREATE TABLE import_job_chunks (
    job_id TEXT NOT NULL REFERENCES import_jobs(id),
    seq INTEGER NOT NULL,
    prepared TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
