//! Background imports: the job (`import_jobs`) and the upload in parts
//! (`import_job_parts`), so a restart runs an import again instead of
//! losing it. Its rows are written in one transaction ([`ImportTx`]) that
//! also marks the job done, so none is ever written twice.

use super::records::{BatchOptions, BatchSummary, Conflict, NewListEntry, NewRecord, batch_in};
use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// An import job as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportJobRow {
    /// Job id.
    pub id: String,
    /// Sector (`None` for the red list).
    pub sector: Option<String>,
    /// Record kind.
    pub kind: String,
    /// The upload's options: `{partial, dry_run, corrections, published}`.
    #[schema(value_type = Object)]
    pub options: serde_json::Value,
    /// The upload's content type, as sent (format and declared charset).
    #[serde(skip)]
    pub content_type: Option<String>,
    /// The plugin version that checks every row, pinned when the upload
    /// arrived.
    pub plugin_version: Option<String>,
    /// Who uploaded it.
    pub actor: String,
    /// Their unit.
    pub unit: String,
    /// Size of the upload in bytes.
    pub bytes: i64,
    /// SHA-256 of the upload (hex).
    pub sha256: Option<String>,
    /// `receiving`, `queued`, `checking`, `storing`, `done` or `failed`.
    pub status: String,
    /// Data rows in the file, once counted.
    pub rows_total: Option<i64>,
    /// Rows checked and written (not yet committed) so far (`checking`),
    /// or stored with the rest (`done`).
    pub rows_done: i64,
    /// Errors found so far.
    pub errors: i64,
    /// Once finished: the report (`done`, as a `201` of the same upload
    /// would have answered) or the problem (`failed`, with every error).
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    /// The status the same upload would have had answered inline: `201`,
    /// or `409`/`422`/`502`… for a failed job.
    pub http_status: Option<i64>,
    /// When it arrived (RFC 3339).
    pub created_at: String,
    /// When it finished (RFC 3339).
    pub finished_at: Option<String>,
    /// The host running it, while it runs.
    #[serde(skip)]
    pub claimed_by: Option<String>,
    /// Times a host took it.
    #[serde(skip)]
    pub attempts: i64,
}

/// A new job, as the upload arrives.
#[derive(Debug, Clone)]
pub struct NewImportJob<'a> {
    /// Job id.
    pub id: &'a str,
    /// Sector.
    pub sector: Option<&'a str>,
    /// Kind.
    pub kind: &'a str,
    /// Options (JSON).
    pub options: serde_json::Value,
    /// Content type as sent.
    pub content_type: Option<&'a str>,
    /// The pinned plugin version.
    pub plugin_version: Option<&'a str>,
    /// Uploader.
    pub actor: &'a str,
    /// Their unit.
    pub unit: &'a str,
}

const JOB_COLUMNS: &str = "id, sector, kind, options, content_type, plugin_version, actor, unit, bytes, sha256, status,
    rows_total, rows_done, errors, result, http_status, created_at, finished_at, claimed_by, attempts";

fn job_row(r: &sqlx::any::AnyRow) -> anyhow::Result<ImportJobRow> {
    let options: String = r.try_get("options")?;
    let result: Option<String> = r.try_get("result")?;
    Ok(ImportJobRow {
        id: r.try_get("id")?,
        sector: r.try_get("sector")?,
        kind: r.try_get("kind")?,
        options: serde_json::from_str(&options)?,
        content_type: r.try_get("content_type")?,
        plugin_version: r.try_get("plugin_version")?,
        actor: r.try_get("actor")?,
        unit: r.try_get("unit")?,
        bytes: r.try_get("bytes")?,
        sha256: r.try_get("sha256")?,
        status: r.try_get("status")?,
        rows_total: r.try_get("rows_total")?,
        rows_done: r.try_get("rows_done")?,
        errors: r.try_get("errors")?,
        result: result.as_deref().map(serde_json::from_str).transpose()?,
        http_status: r.try_get("http_status")?,
        created_at: r.try_get("created_at")?,
        finished_at: r.try_get("finished_at")?,
        claimed_by: r.try_get("claimed_by")?,
        attempts: r.try_get("attempts")?,
    })
}

impl Store {
    /// Record a job whose upload is arriving (`receiving`).
    ///
    /// # Errors
    /// A database error.
    pub async fn create_import_job(&self, job: &NewImportJob<'_>) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query(
            "INSERT INTO import_jobs (id, sector, kind, options, content_type, plugin_version, actor, unit, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'receiving', $9)",
        )
        .bind(job.id)
        .bind(job.sector)
        .bind(job.kind)
        .bind(job.options.to_string())
        .bind(job.content_type)
        .bind(job.plugin_version)
        .bind(job.actor)
        .bind(job.unit)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Keep part `seq` of a job's upload.
    ///
    /// # Errors
    /// A database error.
    pub async fn add_import_part(&self, id: &str, seq: i64, data: &[u8]) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query("INSERT INTO import_job_parts (job_id, seq, data) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(seq)
            .bind(data)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Part `seq` of a job's upload (`None` past the last).
    ///
    /// # Errors
    /// A database error.
    pub async fn import_part(&self, id: &str, seq: i64) -> anyhow::Result<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT data FROM import_job_parts WHERE job_id = $1 AND seq = $2")
                .bind(id)
                .bind(seq)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(d,)| d))
    }

    /// The upload has arrived whole: the job is `queued`.
    ///
    /// # Errors
    /// A database error.
    pub async fn queue_import_job(&self, id: &str, bytes: i64, sha256: &str) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query("UPDATE import_jobs SET status = 'queued', bytes = $2, sha256 = $3 WHERE id = $1")
            .bind(id)
            .bind(bytes)
            .bind(sha256)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Forget the uploads still `receiving` that began before `before`
    /// (RFC 3339): their host stopped while they arrived. Returns how many.
    ///
    /// # Errors
    /// A database error.
    pub async fn drop_stale_uploads(&self, before: &str) -> anyhow::Result<usize> {
        let ids: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM import_jobs WHERE status = 'receiving' AND created_at < $1")
                .bind(before)
                .fetch_all(self.pool())
                .await?;
        for (id,) in &ids {
            self.drop_import_job(id).await?;
        }
        Ok(ids.len())
    }

    /// Forget a job whose upload never arrived whole (too large, cut off):
    /// its parts and its row.
    ///
    /// # Errors
    /// A database error.
    pub async fn drop_import_job(&self, id: &str) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        for sql in ["DELETE FROM import_job_parts WHERE job_id = $1", "DELETE FROM import_jobs WHERE id = $1"] {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A job.
    ///
    /// # Errors
    /// A database error or a corrupt row.
    pub async fn import_job(&self, id: &str) -> anyhow::Result<Option<ImportJobRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {JOB_COLUMNS} FROM import_jobs WHERE id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(job_row).transpose()
    }

    /// Jobs waiting for a host: queued, or left unfinished by a host whose
    /// last sign of life is before `stale_before` (RFC 3339), oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn claimable_import_jobs(&self, stale_before: &str) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM import_jobs WHERE status IN ('queued', 'checking', 'storing')
               AND (claimed_by IS NULL OR heartbeat_at IS NULL OR heartbeat_at < $1) ORDER BY created_at, id",
        )
        .bind(stale_before)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Take job `id` for `host`, if no live host holds it: `true` when
    /// taken.
    ///
    /// # Errors
    /// A database error.
    pub async fn claim_import_job(&self, id: &str, host: &str, stale_before: &str) -> anyhow::Result<bool> {
        let _guard = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE import_jobs SET claimed_by = $2, heartbeat_at = $3, attempts = attempts + 1
             WHERE id = $1 AND status IN ('queued', 'checking', 'storing')
               AND (claimed_by IS NULL OR heartbeat_at IS NULL OR heartbeat_at < $4)",
        )
        .bind(id)
        .bind(host)
        .bind(now())
        .bind(stale_before)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Progress of a job `host` holds: its status and counters, and a sign
    /// of life. `false` when another host has taken it meanwhile.
    ///
    /// # Errors
    /// A database error.
    pub async fn import_progress(
        &self,
        id: &str,
        host: &str,
        status: &str,
        rows_total: Option<i64>,
        rows_done: i64,
        errors: i64,
    ) -> anyhow::Result<bool> {
        let _guard = self.write_guard().await;
        let done = sqlx::query(
            "UPDATE import_jobs SET status = $3, rows_total = COALESCE($4, rows_total), rows_done = $5, errors = $6,
                heartbeat_at = $7 WHERE id = $1 AND claimed_by = $2",
        )
        .bind(id)
        .bind(host)
        .bind(status)
        .bind(rows_total)
        .bind(rows_done)
        .bind(errors)
        .bind(now())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// End a job without storing anything (`failed`, or a dry run's
    /// `done`): its result, and its parts dropped.
    ///
    /// # Errors
    /// A database error.
    pub async fn finish_import_job(
        &self,
        id: &str,
        status: &str,
        http_status: u16,
        result: &serde_json::Value,
    ) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        finish_in(&mut tx, id, status, http_status, result).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Begin the store pass of job `id`: one transaction (holding the
    /// writer lock on SQLite) that [`ImportTx::finish`] commits together
    /// with the job's end.
    ///
    /// # Errors
    /// A database error.
    pub async fn begin_import(&self) -> anyhow::Result<ImportTx<'_>> {
        let guard = self.write_guard().await;
        let tx = self.pool().begin().await?;
        Ok(ImportTx { _guard: guard, tx })
    }
}

async fn finish_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &str,
    status: &str,
    http_status: u16,
    result: &serde_json::Value,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE import_jobs SET status = $2, http_status = $3, result = $4, finished_at = $5, claimed_by = NULL,
            errors = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(i64::from(http_status))
    .bind(result.to_string())
    .bind(now())
    // Every error the answer lists: the rejected rows' or the refusal's.
    .bind(
        [&result["rejected"], &result["errors"]]
            .iter()
            .filter_map(|v| v.as_array())
            .map(|a| a.len() as i64)
            .sum::<i64>(),
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM import_job_parts WHERE job_id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The store pass of an import: every chunk in one transaction.
pub struct ImportTx<'a> {
    _guard: Option<tokio::sync::MutexGuard<'a, ()>>,
    tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl ImportTx<'_> {
    /// Store one chunk, as [`Store::batch`] does, inside the transaction.
    ///
    /// # Errors
    /// A database error (roll back).
    pub async fn batch(
        &mut self,
        records: &[NewRecord],
        entries: &[NewListEntry],
        actor: &str,
        options: &BatchOptions,
    ) -> anyhow::Result<(BatchSummary, Vec<Conflict>)> {
        batch_in(&mut self.tx, records, entries, actor, options).await
    }

    /// Commit what was stored together with the job's end (`done`, after
    /// `rows` rows).
    ///
    /// # Errors
    /// A database error (nothing is stored).
    pub async fn finish(mut self, id: &str, rows: i64, result: &serde_json::Value) -> anyhow::Result<()> {
        sqlx::query("UPDATE import_jobs SET rows_total = COALESCE(rows_total, $2), rows_done = $2 WHERE id = $1")
            .bind(id)
            .bind(rows)
            .execute(&mut *self.tx)
            .await?;
        finish_in(&mut self.tx, id, "done", 201, result).await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Store nothing.
    ///
    /// # Errors
    /// A database error.
    pub async fn rollback(self) -> anyhow::Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}
