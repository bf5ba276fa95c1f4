//! Impact previews of plugin versions: the stored checks they replay, the
//! stored records they re-validate, and the job state (`plugin_previews`),
//! kept in the database so a restart resumes a preview instead of losing it.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// A preview job as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewRow {
    /// Job id.
    pub id: String,
    /// Sector.
    pub sector: String,
    /// The version previewed.
    pub version: String,
    /// Which checks: `{"last": n}`, with `from` and `to` (`YYYY-MM-DD`,
    /// the day a check was stored) when given.
    #[schema(value_type = Object)]
    pub selection: serde_json::Value,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Checks selected.
    pub total: i64,
    /// Checks replayed so far.
    pub done: i64,
    /// The result, once done.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// Why it failed.
    pub error: Option<String>,
    /// Who asked.
    pub requested_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// When it ended (RFC 3339).
    pub finished_at: Option<String>,
}

/// A stored check, as a replay reads it.
#[derive(Debug, Clone)]
pub struct CheckToReplay {
    /// Check id.
    pub id: String,
    /// When it was stored (RFC 3339).
    pub created_at: String,
    /// Its `as_of`.
    pub as_of: String,
    /// Its purpose.
    pub purpose: String,
    /// The plugin version that answered it.
    pub plugin_version: String,
    /// Its answer.
    pub answer: serde_json::Value,
    /// What a replay needs (`None` for checks stored before it was kept).
    pub replay: Option<String>,
}

/// A stored record, as a re-validation reads it.
#[derive(Debug, Clone)]
pub struct RecordToValidate {
    /// Record id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Decision number as written.
    pub decision_number: String,
    /// The current state's body.
    pub body: String,
}

/// The columns [`preview_row`] reads, in order.
macro_rules! preview_columns {
    () => {
        "id, sector, version, selection, status, total, done, result, error, requested_by, created_at, finished_at"
    };
}

fn preview_row(r: &sqlx::any::AnyRow) -> anyhow::Result<PreviewRow> {
    let json = |s: Option<String>| s.map(|s| serde_json::from_str(&s)).transpose();
    Ok(PreviewRow {
        id: r.try_get(0)?,
        sector: r.try_get(1)?,
        version: r.try_get(2)?,
        selection: serde_json::from_str(&r.try_get::<String, _>(3)?)?,
        status: r.try_get(4)?,
        total: r.try_get(5)?,
        done: r.try_get(6)?,
        result: json(r.try_get(7)?)?,
        error: r.try_get(8)?,
        requested_by: r.try_get(9)?,
        created_at: r.try_get(10)?,
        finished_at: r.try_get(11)?,
    })
}

impl Store {
    /// Queue a preview of `sector` `version`.
    ///
    /// # Errors
    /// A database error (the version must be kept: foreign key).
    pub async fn insert_preview(
        &self,
        id: &str,
        sector: &str,
        version: &str,
        selection: &serde_json::Value,
        requested_by: &str,
    ) -> anyhow::Result<PreviewRow> {
        let _guard = self.write_guard().await;
        sqlx::query(
            "INSERT INTO plugin_previews (id, sector, version, selection, status, requested_by, created_at)
             VALUES ($1, $2, $3, $4, 'queued', $5, $6)",
        )
        .bind(id)
        .bind(sector)
        .bind(version)
        .bind(selection.to_string())
        .bind(requested_by)
        .bind(now())
        .execute(self.pool())
        .await?;
        drop(_guard);
        self.preview(id).await?.ok_or_else(|| anyhow::anyhow!("preview {id} vanished"))
    }

    /// The preview `id`.
    ///
    /// # Errors
    /// A database error.
    pub async fn preview(&self, id: &str) -> anyhow::Result<Option<PreviewRow>> {
        let row = sqlx::query(concat!("SELECT ", preview_columns!(), " FROM plugin_previews WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(preview_row).transpose()
    }

    /// Previews not yet done or failed (a restart resumes them), oldest
    /// first.
    ///
    /// # Errors
    /// A database error.
    pub async fn unfinished_previews(&self) -> anyhow::Result<Vec<PreviewRow>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            preview_columns!(),
            " FROM plugin_previews WHERE status IN ('queued', 'running') ORDER BY created_at"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(preview_row).collect()
    }

    /// Set a preview's state: `running` with its total, progress, `done`
    /// with its result or `failed` with the reason (the last two stamp
    /// `finished_at`).
    ///
    /// # Errors
    /// A database error.
    pub async fn update_preview(
        &self,
        id: &str,
        status: &str,
        total: i64,
        done: i64,
        result: Option<&serde_json::Value>,
        error: Option<&str>,
    ) -> anyhow::Result<()> {
        let finished = matches!(status, "done" | "failed").then(now);
        let _guard = self.write_guard().await;
        sqlx::query(
            "UPDATE plugin_previews SET status = $1, total = $2, done = $3, result = $4, error = $5, finished_at = $6
             WHERE id = $7",
        )
        .bind(status)
        .bind(total)
        .bind(done)
        .bind(result.map(ToString::to_string))
        .bind(error)
        .bind(finished)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The sector's latest `last` stored checks, newest first, stored at or
    /// after `lower`, before `upper` and at or before `until` (RFC 3339
    /// UTC instants as `created_at` writes them; `""` and `"~"` are open).
    ///
    /// # Errors
    /// A database error, or a stored answer that is not JSON.
    pub async fn checks_to_replay(
        &self,
        sector: &str,
        last: i64,
        lower: &str,
        upper: &str,
        until: &str,
    ) -> anyhow::Result<Vec<CheckToReplay>> {
        let rows = sqlx::query(
            "SELECT id, created_at, as_of, purpose, plugin_version, answer, replay FROM checks
             WHERE sector = $1 AND created_at >= $2 AND created_at < $3 AND created_at <= $4
             ORDER BY created_at DESC, id LIMIT $5",
        )
        .bind(sector)
        .bind(lower)
        .bind(upper)
        .bind(until)
        .bind(last)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(CheckToReplay {
                    id: r.try_get(0)?,
                    created_at: r.try_get(1)?,
                    as_of: r.try_get(2)?,
                    purpose: r.try_get(3)?,
                    plugin_version: r.try_get(4)?,
                    answer: serde_json::from_str(&r.try_get::<String, _>(5)?)?,
                    replay: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// A page of the sector's stored records that still count (not
    /// returned by the office), by id after `after`.
    ///
    /// # Errors
    /// A database error.
    pub async fn records_to_validate(
        &self,
        sector: &str,
        after: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<RecordToValidate>> {
        let rows = sqlx::query(
            "SELECT r.id, r.kind, r.decision_number, r.body FROM credit_records r
             WHERE r.sector = $1 AND r.id > $2 AND r.review_status NOT IN ('returned', 'revoked')
             ORDER BY r.id LIMIT $3",
        )
        .bind(sector)
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RecordToValidate {
                    id: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    decision_number: r.try_get(2)?,
                    body: r.try_get(3)?,
                })
            })
            .collect()
    }
}

/// What one replica serves for a sector, as it last reported.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReplicaReport {
    /// The replica (`CREDIT_REPLICA_ID`, or its host name and a suffix).
    pub replica: String,
    /// `loaded` or `failed`.
    pub status: String,
    /// The version it serves.
    pub version: Option<String>,
    /// Its sha256.
    pub sha256: Option<String>,
    /// Why it serves nothing, or could not load the active version.
    pub reason: Option<String>,
    /// When it reported (RFC 3339); replicas report every 30 s.
    pub reported_at: String,
}

impl Store {
    /// Record what `replica` serves: one report per sector (replacing its
    /// last; each report's `replica` and `reported_at` are ignored: the
    /// replica given and now), and forget replicas silent for a day.
    ///
    /// # Errors
    /// A database error.
    pub async fn report_replica(&self, replica: &str, reports: &[(String, ReplicaReport)]) -> anyhow::Result<()> {
        let at = now();
        let day_ago =
            (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        for (sector, r) in reports {
            sqlx::query(
                "INSERT INTO plugin_replicas (replica, sector, status, version, sha256, reason, reported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (replica, sector) DO UPDATE SET status = excluded.status, version = excluded.version,
                   sha256 = excluded.sha256, reason = excluded.reason, reported_at = excluded.reported_at",
            )
            .bind(replica)
            .bind(sector)
            .bind(&r.status)
            .bind(&r.version)
            .bind(&r.sha256)
            .bind(&r.reason)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM plugin_replicas WHERE reported_at < $1").bind(day_ago).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The last report of every replica for `sector`, latest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn replica_reports(&self, sector: &str) -> anyhow::Result<Vec<ReplicaReport>> {
        let rows = sqlx::query(
            "SELECT replica, status, version, sha256, reason, reported_at FROM plugin_replicas
             WHERE sector = $1 ORDER BY reported_at DESC, replica",
        )
        .bind(sector)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReplicaReport {
                    replica: r.try_get(0)?,
                    status: r.try_get(1)?,
                    version: r.try_get(2)?,
                    sha256: r.try_get(3)?,
                    reason: r.try_get(4)?,
                    reported_at: r.try_get(5)?,
                })
            })
            .collect()
    }
}
