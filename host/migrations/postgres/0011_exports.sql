-- Export to the platforms (issue: procedures, point 8): one item per target,
-- record state and action, keyed stably so a platform can drop a repeat;
-- delivered at least once, with the platform's answer kept.
CREATE TABLE export_items (
    key TEXT PRIMARY KEY,              -- target:record:state:action
    target TEXT NOT NULL,
    record_id TEXT NOT NULL REFERENCES credit_records(id),
    record_state BIGINT NOT NULL,
    action TEXT NOT NULL,              -- publish | change | end-publicity | withdraw
    mapping_version TEXT NOT NULL,
    fields TEXT NOT NULL,              -- JSON, as mapped when queued
    reason TEXT,                       -- public, for change | end-publicity | withdraw
    status TEXT NOT NULL,              -- pending | sent | accepted | rejected | superseded (by a withdrawal)
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    platform_reason TEXT,
    created_at TEXT NOT NULL,
    due TEXT,                          -- change, end-publicity, withdraw: within 3 working days
    due_provisional BIGINT NOT NULL DEFAULT 0,
    sent_at TEXT,
    answered_at TEXT,
    claim TEXT,                        -- the round delivering it now (a lease, so two hosts never send it at once)
    claimed_at TEXT
);
CREATE INDEX export_items_target ON export_items(target, status);
CREATE INDEX export_items_record ON export_items(record_id, target);
