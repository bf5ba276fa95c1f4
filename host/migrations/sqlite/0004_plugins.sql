-- Plugin versions, the keys that sign them, and every activation (SQLite).

-- A division's ed25519 public key; it may sign only its own division's sectors.
CREATE TABLE plugin_keys (
    id TEXT PRIMARY KEY,               -- key id, as X-Plugin-Signature names it
    unit TEXT NOT NULL,                -- the division (an id of the division table)
    public_key TEXT NOT NULL UNIQUE,   -- base64 of the 32-byte ed25519 public key; never registered twice
    registered_at TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
);

-- Every uploaded version, kept: bytes, digest, manifest, signer, who, when.
CREATE TABLE plugin_versions (
    sector TEXT NOT NULL,
    version TEXT NOT NULL,             -- the plugin's own version (manifest)
    interface_version TEXT NOT NULL,   -- read from the component's credit:plugin names
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    manifest TEXT NOT NULL,            -- JSON
    signer_key_id TEXT REFERENCES plugin_keys(id),  -- NULL: unsigned (development flag)
    signature TEXT,
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    fixtures BIGINT NOT NULL DEFAULT 0, -- how many of its own fixtures passed at upload
    PRIMARY KEY (sector, version)
);

-- Append-only history of activations; a sector's active version is its latest row.
CREATE TABLE plugin_activations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sector TEXT NOT NULL,
    version TEXT NOT NULL,
    previous_version TEXT,
    action TEXT NOT NULL,              -- activate, rollback
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    FOREIGN KEY (sector, version) REFERENCES plugin_versions(sector, version)
);
CREATE INDEX plugin_activations_sector ON plugin_activations(sector, id);
