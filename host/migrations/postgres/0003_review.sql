-- The credit office's review of reported records (issue: reporting, point 10).
-- Records stored before the review existed count as published.
ALTER TABLE credit_records ADD COLUMN review_status TEXT NOT NULL DEFAULT 'published'; -- reported | published | returned
ALTER TABLE credit_records ADD COLUMN reported_at TEXT;
ALTER TABLE credit_records ADD COLUMN review_due TEXT;                 -- YYYY-MM-DD, in working days
ALTER TABLE credit_records ADD COLUMN review_due_provisional BIGINT NOT NULL DEFAULT 0; -- 1: a year without a holiday schedule
ALTER TABLE credit_records ADD COLUMN reviewed_at TEXT;
ALTER TABLE credit_records ADD COLUMN reviewed_by TEXT;
ALTER TABLE credit_records ADD COLUMN published_at TEXT;
CREATE INDEX credit_records_review ON credit_records(review_status, review_due);

-- Every review step of a record: who, when, why.
CREATE TABLE record_reviews (
    record_id TEXT NOT NULL REFERENCES credit_records(id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL,              -- reported | published | returned
    reason_code TEXT,
    reason TEXT,
    actor TEXT NOT NULL,
    unit TEXT,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (record_id, seq)
);

-- Holiday schedules administrators loaded after the build (one per year).
CREATE TABLE holiday_schedules (
    year BIGINT PRIMARY KEY,
    schedule TEXT NOT NULL,            -- the JSON as uploaded
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
