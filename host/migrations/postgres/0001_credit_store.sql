-- The credit store (PostgreSQL). Dates are TEXT 'YYYY-MM-DD', times RFC 3339, JSON as TEXT.
CREATE TABLE subjects (
    key TEXT PRIMARY KEY,              -- the USCC, or 'p:' + keyed hash of the ID number
    kind TEXT NOT NULL,                -- organisation | individual-business | natural-person
    name TEXT NOT NULL,
    uscc TEXT UNIQUE,
    id_hash_key_id TEXT,               -- which hash key made `key` (rotation)
    id_masked TEXT,                    -- 410104********7240
    id_encrypted TEXT,                 -- for the municipal export only
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE subject_links (
    org_key TEXT NOT NULL REFERENCES subjects(key),
    person_key TEXT NOT NULL REFERENCES subjects(key),
    role TEXT NOT NULL,                -- legal-representative | principal | investor | operator
    person_name TEXT NOT NULL,
    source_record_id TEXT,
    since TEXT,
    PRIMARY KEY (org_key, person_key, role)
);
CREATE INDEX subject_links_person ON subject_links(person_key);

CREATE TABLE credit_records (
    id TEXT PRIMARY KEY,
    sector TEXT,
    kind TEXT NOT NULL,
    subject_key TEXT NOT NULL REFERENCES subjects(key),
    subject_name TEXT NOT NULL,
    legal_rep_key TEXT REFERENCES subjects(key),
    decision_number TEXT NOT NULL,
    decision_number_norm TEXT NOT NULL,
    decision_date TEXT,
    authority TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    penalty_types TEXT NOT NULL,       -- JSON array of 处罚类别
    content TEXT NOT NULL,
    certificate TEXT NOT NULL,
    severity TEXT NOT NULL,            -- none | minor | general | serious
    publicity_end TEXT,
    state BIGINT NOT NULL,            -- the current state in record_states
    body TEXT NOT NULL,                -- the current state's body
    plugin_version TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX credit_records_subject ON credit_records(subject_key);
CREATE INDEX credit_records_rep ON credit_records(legal_rep_key);
CREATE UNIQUE INDEX credit_records_identity ON credit_records(kind, authority, decision_number_norm, subject_key);

-- Append-only history: a correction adds a state, never rewrites one.
CREATE TABLE record_states (
    record_id TEXT NOT NULL REFERENCES credit_records(id),
    state BIGINT NOT NULL,
    body TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (record_id, state)
);

CREATE TABLE list_entries (
    id TEXT PRIMARY KEY,
    list TEXT NOT NULL,                -- red | serious-dishonesty | minor-dishonesty
    subject_key TEXT NOT NULL REFERENCES subjects(key),
    start_date TEXT NOT NULL,
    end_date TEXT,
    record_id TEXT REFERENCES credit_records(id),
    basis TEXT NOT NULL,
    body TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX list_entries_subject ON list_entries(subject_key);
CREATE UNIQUE INDEX list_entries_identity ON list_entries(list, subject_key, start_date, basis);

CREATE TABLE checks (
    id TEXT PRIMARY KEY,
    requested_by TEXT NOT NULL,
    purpose TEXT NOT NULL,
    sector TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    as_of TEXT NOT NULL,
    plugin_version TEXT NOT NULL,
    outcome TEXT NOT NULL,
    input TEXT NOT NULL,               -- the request, ID numbers masked
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX checks_subject ON checks(subject_key);
