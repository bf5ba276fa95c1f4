-- Accounts, API tokens and the audit trail (SQLite).
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,               -- the login, recorded as who did what
    name TEXT NOT NULL,
    unit TEXT NOT NULL,                -- an id of the division table
    roles TEXT NOT NULL,               -- JSON array of role ids
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    disabled_at TEXT,
    disabled_by TEXT
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,               -- public part of crt_<id>_<secret>
    account_id TEXT NOT NULL REFERENCES accounts(id),
    secret_sha256 TEXT NOT NULL,       -- never the secret itself
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

-- Append-only: every read of a credit file, every check, every change.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    request_id TEXT NOT NULL,
    actor TEXT NOT NULL,               -- account id, or 'anonymous'
    unit TEXT,
    roles TEXT NOT NULL,               -- JSON array
    action TEXT NOT NULL,              -- e.g. check.create, subject.read
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    purpose TEXT,
    subject_key TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor, at);
CREATE INDEX audit_log_subject ON audit_log(subject_key);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
