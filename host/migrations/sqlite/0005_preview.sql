-- The impact preview of a plugin version: what a replay of a check needs,
-- and the preview jobs.

-- The exact input the plugin got and the host's reading of the file (JSON);
-- NULL for checks stored before it was kept (they are not replayed).
ALTER TABLE checks ADD COLUMN replay TEXT;
CREATE INDEX checks_sector_created ON checks(sector, created_at);

-- A preview: replays of the sector's stored checks on the active and on
-- another kept version, and the stored records that version would reject.
-- Its state lives here, so a restart resumes it.
CREATE TABLE plugin_previews (
    id TEXT PRIMARY KEY,
    sector TEXT NOT NULL,
    version TEXT NOT NULL,             -- the version previewed
    selection TEXT NOT NULL,           -- JSON: {"last": n} or {"from": d, "to": d, "last": n}
    status TEXT NOT NULL,              -- queued, running, done, failed
    total INTEGER NOT NULL DEFAULT 0,     -- checks selected
    done INTEGER NOT NULL DEFAULT 0,      -- checks replayed so far
    result TEXT,                       -- JSON, when done
    error TEXT,                        -- why it failed
    requested_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    FOREIGN KEY (sector, version) REFERENCES plugin_versions(sector, version)
);
CREATE INDEX plugin_previews_sector ON plugin_previews(sector, created_at);

-- What each replica serves per sector, as it last reported (every change,
-- and every 30 s): so one replica's answer shows them all.
CREATE TABLE plugin_replicas (
    replica TEXT NOT NULL,             -- CREDIT_REPLICA_ID, or host name and a random suffix
    sector TEXT NOT NULL,
    status TEXT NOT NULL,              -- loaded, failed
    version TEXT,
    sha256 TEXT,
    reason TEXT,
    reported_at TEXT NOT NULL,
    PRIMARY KEY (replica, sector)
);
