-- Breaches of credit commitments (信用承诺; issue: procedures, point 6). A
-- signed commitment is a credit record of kind 'commitment'; a unit finds a
-- breach, the credit office confirms or dismisses it, and a confirmed
-- breach becomes a dishonesty record of kind 'commitment-breach' in the
-- same transaction.
CREATE TABLE commitment_breaches (
    id TEXT PRIMARY KEY,
    commitment_record_id TEXT NOT NULL REFERENCES credit_records(id),
    subject_key TEXT NOT NULL,
    status TEXT NOT NULL,              -- found | confirmed | dismissed
    found_on TEXT NOT NULL,            -- YYYY-MM-DD
    facts TEXT NOT NULL,
    found_by TEXT NOT NULL,
    found_unit TEXT NOT NULL,
    found_at TEXT NOT NULL,
    decided_on TEXT,
    reason TEXT,
    decided_by TEXT,
    decided_at TEXT,
    record_id TEXT REFERENCES credit_records(id)  -- the dishonesty record a confirmed breach became
);
CREATE INDEX commitment_breaches_commitment ON commitment_breaches(commitment_record_id);
CREATE INDEX commitment_breaches_status ON commitment_breaches(status);
