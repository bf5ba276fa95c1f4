-- Credit repair (信用修复; issue: procedures, point 4). A list entry is
-- repaired by the bureau: accepted, the unit's check of the rectification,
-- the office's review, the leadership's approval (报批), the decision. A
-- penalty's publicity is repaired by the national credit platform: its
-- request, the unit's opinion when asked, its decision, mirrored here.
CREATE TABLE credit_repairs (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,                -- list-entry | publicity
    list_entry_id TEXT REFERENCES list_entries(id),
    record_id TEXT REFERENCES credit_records(id),
    subject_key TEXT NOT NULL,
    status TEXT NOT NULL,              -- received | checking | office-review | approval | deciding | not-accepted
                                       -- | opinion-due | platform-deciding | granted | refused
    channel TEXT NOT NULL,
    ticket_number TEXT,
    received_on TEXT NOT NULL,         -- YYYY-MM-DD
    applicant_name TEXT NOT NULL,
    applicant_role TEXT NOT NULL,      -- subject | agent | platform
    proof TEXT NOT NULL,               -- JSON array of the documents shown
    rectification TEXT,                -- proof of rectification (整改证明)
    training TEXT,                     -- training record (信用修复培训)
    commitment TEXT,                   -- the credit commitment (信用修复承诺)
    unit TEXT,                         -- the unit that checks, or gives its opinion
    accepted_on TEXT,
    paused_since TEXT,
    pauses TEXT NOT NULL DEFAULT '[]',
    due TEXT,
    due_provisional BIGINT NOT NULL DEFAULT 0,
    check_verdict TEXT,                -- grant | refuse, and who gave each
    checked_by TEXT,
    review_verdict TEXT,
    reviewed_by TEXT,
    approval_verdict TEXT,
    approved_by TEXT,
    opinion TEXT,
    opinion_by TEXT,
    decision TEXT,                     -- grant | refuse
    decision_number TEXT,              -- 准予 / 不予信用修复决定书, or the platform's
    repaired_on TEXT,                  -- the day the entry or the publicity ended
    follow_code_hash TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX credit_repairs_status ON credit_repairs(status, due);
CREATE INDEX credit_repairs_subject ON credit_repairs(subject_key);

CREATE TABLE credit_repair_steps (
    repair_id TEXT NOT NULL REFERENCES credit_repairs(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    on_date TEXT,
    reason TEXT,
    actor TEXT NOT NULL,
    unit TEXT,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (repair_id, seq)
);

-- A repaired penalty's publicity ends on this day (its publicity_end, as
-- reported or computed, is kept).
ALTER TABLE credit_records ADD COLUMN repaired_on TEXT;
