//! The credit store: sqlx over SQLite (default: one file, WAL, busy
//! timeout) or PostgreSQL (a `postgres://` URL), with one migration set per
//! database and the same queries for both (`$n` parameters, bound in order).

mod access;
mod assessment;
mod checks;
mod commitments;
mod complaints;
mod corrections;
mod exports;
mod imports;
mod lists;
mod objections;
mod plugins;
mod previews;
mod records;
mod rekey;
mod repairs;
mod reviews;
mod steps;
mod subjects;

pub use access::{AccessError, AccountRow, AuditEntry, AuditQuery};
pub use assessment::{ReportedRecord, Responsible, UnitStep, YearFacts};
pub use checks::StoredCheck;
pub use commitments::{BreachError, BreachRow};
pub use complaints::{ComplaintError, ComplaintRow, ComplaintStatistics, ComplaintTransition, NewComplaint};
pub use corrections::RecordState;
pub use exports::{ExportCandidate, ExportItem, ExportQuery, NewExportItem};
pub use imports::{ImportJobRow, ImportTx, NewImportJob};
pub use lists::{ListEntryRow, ListError, NewProposal, PublicEntry, Publication, Transition};
pub use objections::{NewObjection, ObjectionError, ObjectionRow, ObjectionTransition, PauseRow, Remedy};
pub use plugins::{
    ACTIVATION_CHANNEL, NewPluginVersion, PluginActivation, PluginKey, PluginStoreError, PluginVersionRow, Staged,
};
pub use previews::{CheckToReplay, PreviewRow, RecordToValidate, ReplicaReport};
pub use records::{BatchOptions, BatchSummary, Conflict, NewListEntry, NewRecord, StoredListEntry, StoredRecord};
pub use rekey::Rekeyed;
pub use repairs::{NewRepair, RepairError, RepairRow, RepairTarget, RepairTransition};
pub use reviews::{ReviewDue, ReviewError, ReviewItem, ReviewOutcome, ReviewStep};
pub use steps::{Procedure, ProcedureStep};
pub use subjects::{NewSubject, SubjectLink, SubjectRow};

use anyhow::Context as _;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor as _};
use std::sync::Arc;
use std::time::Duration;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The store: a connection pool and, on SQLite, a writer lock so that
/// concurrent write transactions queue instead of failing with
/// "database is locked".
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    writer: Arc<tokio::sync::Mutex<()>>,
    url: Arc<str>,
}

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Connect to `url` and run the migrations. A SQLite file is created if
    /// missing and opened in WAL mode with a 30 s busy timeout, foreign
    /// keys on and a page cache of up to 32 MiB a connection (SQLite's
    /// default of 2 MiB makes a large import reread its index pages).
    ///
    /// # Errors
    /// When the database cannot be reached or a migration fails.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("database URL {url:?} is neither sqlite: nor postgres://");
        };
        let pool = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') || url.contains(":memory:") {
                    url.to_owned()
                } else {
                    format!("{url}?mode=rwc")
                };
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await
                    .with_context(|| format!("could not open database {url:?}"))?
            }
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .with_context(|| format!("could not connect to {url:?}"))?,
        };
        let migrator = match backend {
            Backend::Sqlite => &MIGRATE_SQLITE,
            Backend::Postgres => &MIGRATE_POSTGRES,
        };
        migrator.run(&pool).await.context("could not migrate the credit store")?;
        Ok(Self { pool, backend, writer: Arc::new(tokio::sync::Mutex::new(())), url: url.into() })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database URL it was opened with (for a PostgreSQL listener).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The pool, for queries the store does not wrap.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Hold the writer lock on SQLite (a no-op guard on PostgreSQL).
    async fn write_guard(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writer.lock().await),
            Backend::Postgres => None,
        }
    }

    /// Whether the store holds no credit record and no list entry.
    ///
    /// # Errors
    /// A database error.
    pub async fn is_empty(&self) -> anyhow::Result<bool> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT (SELECT COUNT(*) FROM credit_records) + (SELECT COUNT(*) FROM list_entries)")
                .fetch_one(&self.pool)
                .await?;
        Ok(n == 0)
    }
}

/// Now as RFC 3339 text.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `$start, $start+1, …` for `n` parameters.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}
