-- ID hash key rotation (issue: access, point 3): a natural person's subject
-- key is a keyed hash of the ID number; when the hash key rotates, every
-- key is re-hashed (from the encrypted copy) and the old one kept here, so
-- the append-only audit trail, which is never rewritten, can be followed.
CREATE TABLE subject_key_history (
    old_key TEXT PRIMARY KEY,
    new_key TEXT NOT NULL,
    hash_key_id TEXT NOT NULL,         -- the key that made new_key
    rotated_at TEXT NOT NULL
);
CREATE INDEX subject_key_history_new ON subject_key_history(new_key);
