//! Background imports. An upload to `POST /api/v1/imports` larger than
//! `CREDIT_IMPORT_BACKGROUND_BYTES` (default 4 MiB) is kept in the
//! database in parts of 1 MiB as it arrives and answered `202` with a job;
//! `GET /api/v1/imports/{id}` follows it (rows done and total, errors so
//! far) and, once it ends, gives what the same upload would have answered
//! inline (`http_status` and `result`: the report, or the problem with
//! every error).
//!
//! A job runs in two passes over the stored upload, holding a few chunks
//! of [`CHUNK_ROWS`] rows in memory at a time:
//! 1. scan: settle the encoding, count the rows;
//! 2. check and store: each chunk through the same checks as an inline
//!    upload (identifiers, JSON Schema, the plugin's `check-records` in one
//!    call), by the plugin version pinned when the upload arrived, on every
//!    core, and written in order into one transaction while the next chunks
//!    are checked; the transaction also marks the job done — all or
//!    nothing, as inline (or the valid rows with `partial=true`).
//!
//! The job's state lives in `import_jobs`; a host runs one import at a
//! time and takes a job only when no live host holds it (a sign of life
//! with every chunk on PostgreSQL; a host silent for [`LEASE_SECS`] has
//! lost it). A host that stops mid-job leaves nothing of it stored (its
//! transaction never committed), and the job is run again from its first
//! row, so a restart neither loses nor repeats an import. On SQLite (one
//! host) a restarted host takes its unfinished jobs at once.

use super::access::AuditNote;
use super::records::{ReportResult, Target, columns_of, conflict_error, revocation_issuer_warnings};
use super::{ApiError, AppState};
use crate::access::Actor;
use crate::ingest::prepare::PrepareError;
use crate::ingest::stream::{self, Format, Scan, Stopped};
use crate::ingest::{Prepared, Row, RowError};
use crate::runtime::LoadedPlugin;
use crate::store::{BatchOptions, BatchSummary, ImportJobRow, NewImportJob, NewListEntry, NewRecord};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json};
use http_body_util::BodyExt as _;
use sha2::Digest as _;
use std::collections::HashMap;
use std::hash::Hasher as _;
use std::io::Read;
use std::sync::Arc;

/// Rows checked and written at a time.
pub const CHUNK_ROWS: usize = 1000;
/// Size of a stored part of an upload.
const PART_BYTES: usize = 1 << 20;
/// Seconds without a sign of life after which another host may take a job.
pub const LEASE_SECS: i64 = 300;
/// Seconds between looks for jobs left by other hosts.
const SWEEP_SECS: u64 = 30;
/// Times a job may be taken: one that stopped its host that often (out of
/// memory, killed) is given up rather than taken again.
pub const MAX_ATTEMPTS: i64 = 3;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/imports/{id}", get(get_import))
}

/// A checked chunk of rows.
#[derive(Debug, Default)]
struct Checked {
    records: Vec<NewRecord>,
    entries: Vec<NewListEntry>,
    /// The line of each record, then of each entry.
    lines: Vec<Option<usize>>,
    warnings: Vec<RowError>,
    rejected: Vec<RowError>,
    rejected_rows: usize,
}

/// The counters of a job running on this host, while its rows are written
/// in a transaction no other connection sees (on SQLite that transaction
/// also holds the one write lock, so the stored counters wait for its end):
/// what [`import_status`] shows. Removed when the run ends, however.
#[derive(Clone, Debug)]
pub struct LiveImport {
    status: &'static str,
    rows_total: Option<i64>,
    rows_done: i64,
    errors: i64,
}

/// The jobs running on this host, by id.
pub type LiveImports = Arc<std::sync::Mutex<HashMap<String, LiveImport>>>;

/// This host's entry for one running job, removed when dropped.
struct Live<'a> {
    state: &'a AppState,
    id: String,
}

impl<'a> Live<'a> {
    fn follow(state: &'a AppState, id: &str, rows_total: Option<i64>) -> Self {
        let live = LiveImport { status: "checking", rows_total, rows_done: 0, errors: 0 };
        lock(&state.imports_live).insert(id.to_owned(), live);
        Self { state, id: id.to_owned() }
    }

    fn set(&self, change: impl FnOnce(&mut LiveImport)) {
        if let Some(l) = lock(&self.state.imports_live).get_mut(&self.id) {
            change(l);
        }
    }
}

impl Drop for Live<'_> {
    fn drop(&mut self) {
        lock(&self.state.imports_live).remove(&self.id);
    }
}

fn lock(live: &LiveImports) -> std::sync::MutexGuard<'_, HashMap<String, LiveImport>> {
    live.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Job `id` as stored, with the counters of its run where it runs on this
/// host (see [`LiveImport`]).
///
/// # Errors
/// A database error.
pub async fn import_status(state: &AppState, id: &str) -> anyhow::Result<Option<ImportJobRow>> {
    let mut job = state.store.import_job(id).await?;
    if let Some(job) = &mut job
        && !matches!(job.status.as_str(), "done" | "failed")
        && let Some(live) = lock(&state.imports_live).get(id)
    {
        live.status.clone_into(&mut job.status);
        job.rows_total = live.rows_total.or(job.rows_total);
        job.rows_done = live.rows_done;
        job.errors = live.errors;
    }
    Ok(job)
}

/// An upload as it arrived: whole in memory (small), or kept as a job.
pub(crate) enum Upload {
    /// At most `CREDIT_IMPORT_BACKGROUND_BYTES`.
    Whole(Vec<u8>),
    /// Larger: kept in the database and queued.
    Job(Box<ImportJobRow>),
    /// Refused before it was whole (too large): the answer.
    Refused(Response),
}

/// Read an upload's body: whole when small, else into a new job (parts
/// written as they arrive, so memory stays flat), queued for the runner.
/// Over `CREDIT_MAX_BODY_BYTES`, `413` and nothing kept.
///
/// # Errors
/// A database error, or a body cut off (nothing kept).
pub(crate) async fn receive(
    state: &AppState,
    actor: &Actor,
    target: &Target,
    content_type: Option<&str>,
    plugin: Option<&LoadedPlugin>,
    mut body: Body,
) -> Result<Upload, ApiError> {
    let mut buffer: Vec<u8> = Vec::new();
    let mut job: Option<(String, i64)> = None;
    let (mut total, mut digest) = (0usize, sha2::Sha256::new());
    let forget = |job: &Option<(String, i64)>| {
        let (store, id) = (state.store.clone(), job.as_ref().map(|(id, _)| id.clone()));
        async move {
            if let Some(id) = id
                && let Err(e) = store.drop_import_job(&id).await
            {
                tracing::error!(job = id, "cannot drop an unfinished upload: {e:#}");
            }
        }
    };
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                forget(&job).await;
                let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&e);
                while let Some(c) = cause {
                    if c.is::<http_body_util::LengthLimitError>() {
                        return Ok(Upload::Refused(too_large()));
                    }
                    cause = c.source();
                }
                return Err(ApiError::invalid(
                    "",
                    None,
                    "upload-cut-off",
                    format!("上传中断，未做任何处理：{e}"),
                    format!("the upload was cut off; nothing was stored: {e}"),
                ));
            }
        };
        let Ok(data) = frame.into_data() else { continue };
        total += data.len();
        if total > state.max_body_bytes {
            forget(&job).await;
            return Ok(Upload::Refused(too_large()));
        }
        digest.update(&data);
        buffer.extend_from_slice(&data);
        if job.is_none() && buffer.len() > state.import_background_bytes {
            let id = uuid::Uuid::new_v4().to_string();
            let options = serde_json::json!({
                "partial": target.partial, "dry_run": target.dry_run,
                "corrections": target.corrections, "published": target.published,
            });
            let version = plugin.map(|p| p.manifest.version.clone());
            state
                .store
                .create_import_job(&NewImportJob {
                    id: &id,
                    sector: target.sector.as_deref(),
                    kind: &target.kind,
                    options,
                    content_type,
                    plugin_version: version.as_deref(),
                    actor: &actor.account,
                    unit: &actor.unit,
                })
                .await?;
            job = Some((id, 0));
        }
        if let Some((id, seq)) = &mut job {
            while buffer.len() >= PART_BYTES {
                let rest = buffer.split_off(PART_BYTES);
                if let Err(e) = state.store.add_import_part(id, *seq, &buffer).await {
                    forget(&job).await;
                    return Err(e.into());
                }
                *seq += 1;
                buffer = rest;
            }
        }
    }
    let Some((id, seq)) = job else { return Ok(Upload::Whole(buffer)) };
    let kept = async {
        if !buffer.is_empty() {
            state.store.add_import_part(&id, seq, &buffer).await?;
        }
        state.store.queue_import_job(&id, total as i64, &hex::encode(digest.finalize())).await
    };
    if let Err(e) = kept.await {
        forget(&Some((id, seq))).await;
        return Err(e.into());
    }
    state.import_wake.notify_one();
    let row = state.store.import_job(&id).await?.ok_or_else(|| anyhow::anyhow!("import job {id} vanished"))?;
    Ok(Upload::Job(Box::new(row)))
}

/// The `202` answer of an upload kept as a job.
pub(crate) fn accepted(job: Box<ImportJobRow>) -> Response {
    let location = format!("/api/v1/imports/{}", job.id);
    let note = AuditNote {
        detail: Some(format!(
            "{}/{}: {} bytes queued as import {}",
            job.sector.as_deref().unwrap_or("-"),
            job.kind,
            job.bytes,
            job.id
        )),
        ..AuditNote::default()
    };
    let mut response = (StatusCode::ACCEPTED, Extension(note), Json(job)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// `GET /api/v1/imports/{id}`: a background import — its status
/// (`queued`, `checking`, `storing`, `done`, `failed`), rows done and total,
/// errors so far, and once it ends what the same upload would have been
/// answered inline (`http_status`, `result`).
///
/// # Errors
/// `404` for an unknown job or one of another unit (reporters see their
/// unit's).
#[utoipa::path(
    get, path = "/api/v1/imports/{id}", params(("id" = String, Path, description = "job id")),
    responses(
        (status = 200, description = "the job", body = ImportJobRow),
        (status = 404, description = "no such job", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_import(
    State(state): State<AppState>,
    actor: Actor,
    super::error::Path(id): super::error::Path<String>,
) -> Result<Json<ImportJobRow>, ApiError> {
    let job = import_status(&state, &id).await?;
    let office = actor.roles.contains(&crate::access::Role::Reviewer);
    match job {
        Some(job) if office || job.unit == actor.unit => Ok(Json(job)),
        _ => Err(ApiError::NotFound(format!("没有这个导入任务 / no import job {id}"))),
    }
}

/// Reads a job's stored upload part by part (on a blocking thread).
struct PartsReader {
    store: crate::store::Store,
    id: String,
    next: i64,
    part: Vec<u8>,
    at: usize,
    runtime: tokio::runtime::Handle,
}

impl PartsReader {
    fn new(state: &AppState, id: &str) -> Self {
        Self {
            store: state.store.clone(),
            id: id.to_owned(),
            next: 0,
            part: Vec::new(),
            at: 0,
            runtime: tokio::runtime::Handle::current(),
        }
    }
}

impl Read for PartsReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.part.len() {
            match self.runtime.block_on(self.store.import_part(&self.id, self.next)) {
                Ok(Some(part)) => {
                    self.part = part;
                    self.at = 0;
                    self.next += 1;
                }
                Ok(None) => return Ok(0),
                Err(e) => return Err(std::io::Error::other(e)),
            }
        }
        let n = buf.len().min(self.part.len() - self.at);
        buf[..n].copy_from_slice(&self.part[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// End job `id` as `failed` because whoever ran it stopped it (Ctrl-C at
/// the command line): nothing of it is stored.
///
/// # Errors
/// A database error.
pub async fn cancel(state: &AppState, id: &str, why: &str) -> anyhow::Result<()> {
    let cancelled = ApiError::Unavailable(format!(
        "导入已取消，未做任何处理 / the import was cancelled ({why}); nothing was stored"
    ));
    fail(state, id, cancelled).await?;
    audit_end(state, id).await
}

/// End job `id` as `failed` with the problem `e` renders (the answer the
/// same upload would have had inline), its status kept with it.
async fn fail(state: &AppState, id: &str, e: ApiError) -> anyhow::Result<()> {
    let response = e.into_response();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap_or_default();
    let problem = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    state.store.finish_import_job(id, "failed", status, &problem).await
}

/// `413`: the upload is over `CREDIT_MAX_BODY_BYTES` (rendered as
/// problem+json by the error layer).
fn too_large() -> Response {
    (StatusCode::PAYLOAD_TOO_LARGE, "upload over CREDIT_MAX_BODY_BYTES").into_response()
}

/// How a job ended early: the answer the same upload would have had.
struct Ended(ApiError);

impl From<ApiError> for Ended {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl From<anyhow::Error> for Ended {
    fn from(e: anyhow::Error) -> Self {
        Self(ApiError::Internal(e))
    }
}

/// Run the import runner: at start every job left unfinished (on SQLite,
/// at once; on PostgreSQL, once its host has been silent for
/// [`LEASE_SECS`]), then each job as it is queued. One job at a time.
pub fn spawn_import_runner(state: AppState) {
    tokio::spawn(async move {
        let mut first = true;
        loop {
            // On SQLite no other host shares the file: what is unfinished
            // at start was left by this host's previous run.
            let stale = if first && state.store.backend() == crate::store::Backend::Sqlite {
                chrono::Utc::now() + chrono::Duration::seconds(1)
            } else {
                chrono::Utc::now() - chrono::Duration::seconds(LEASE_SECS)
            };
            first = false;
            if let Err(e) = run_claimable(&state, &stale.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).await {
                tracing::error!("import runner: {e:#}");
            }
            tokio::select! {
                () = state.import_wake.notified() => {}
                () = tokio::time::sleep(std::time::Duration::from_secs(SWEEP_SECS)) => {}
            }
        }
    });
}

/// Run every job no live host holds, one after the other.
///
/// # Errors
/// A database error.
pub async fn run_claimable(state: &AppState, stale_before: &str) -> anyhow::Result<usize> {
    // Uploads whose host stopped while they arrived, longer ago than any
    // request may take.
    let cut_off =
        chrono::Utc::now() - chrono::Duration::from_std(state.request_timeout)? - chrono::Duration::minutes(1);
    let dropped = state.store.drop_stale_uploads(&cut_off.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)).await?;
    if dropped > 0 {
        tracing::warn!(dropped, "uploads cut off by a stop of their host were dropped");
    }
    let mut ran = 0;
    for id in state.store.claimable_import_jobs(stale_before).await? {
        if state.store.claim_import_job(&id, &state.replica, stale_before).await? {
            run_job(state, &id).await?;
            ran += 1;
        }
    }
    Ok(ran)
}

/// Run job `id`, which this host has claimed, to its end (or until another
/// host takes it), recording how it ended.
///
/// # Errors
/// A database error recording the end.
pub async fn run_job(state: &AppState, id: &str) -> anyhow::Result<()> {
    let attempts = state.store.import_job(id).await?.map_or(0, |j| j.attempts);
    let outcome = if attempts > MAX_ATTEMPTS {
        Err(Ended(ApiError::Unavailable(format!(
            "导入已开始{}次，每次都未完成（主机中途停止，如内存不足）：已放弃，请拆分文件后重新上传 / the import was started {} times and its host stopped each time (out of memory?): given up; split the file and upload again",
            attempts - 1,
            attempts - 1
        ))))
    } else {
        run(state, id).await
    };
    let ended = match outcome {
        Ok(()) => Ok(()),
        Err(Ended(e)) => {
            if let ApiError::Internal(cause) = &e {
                tracing::error!(job = id, "import failed: {cause:#}");
            }
            fail(state, id, e).await
        }
    };
    ended?;
    audit_end(state, id).await
}

/// The end of a job in the audit trail, under its uploader: stored or
/// refused, with the counts (the upload itself is audited as it arrives).
async fn audit_end(state: &AppState, id: &str) -> anyhow::Result<()> {
    let Some(job) = state.store.import_job(id).await? else { return Ok(()) };
    if !matches!(job.status.as_str(), "done" | "failed") {
        return Ok(());
    }
    let result = job.result.clone().unwrap_or_default();
    let detail = format!(
        "import {}: {}/{}: {} inserted, {} unchanged, {} corrected, {} rejected row(s), {} error(s){}",
        job.id,
        job.sector.as_deref().unwrap_or("-"),
        job.kind,
        result["inserted"].as_u64().unwrap_or(0),
        result["unchanged"].as_u64().unwrap_or(0),
        result["corrected"].as_u64().unwrap_or(0),
        result["rejected_rows"].as_u64().unwrap_or(0),
        job.errors,
        if result["dry_run"] == true { " (dry run)" } else { "" }
    );
    state
        .store
        .audit(&crate::store::AuditEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            request_id: job.id.clone(),
            actor: job.actor.clone(),
            unit: Some(job.unit.clone()),
            action: if job.status == "done" { "record.import.done" } else { "record.import.failed" }.into(),
            method: "JOB".into(),
            path: format!("/api/v1/imports/{}", job.id),
            status: u16::try_from(job.http_status.unwrap_or(500)).unwrap_or(500),
            detail: Some(detail),
            ..Default::default()
        })
        .await
}

/// The plugin version pinned when the upload arrived: the active one, or
/// a kept one when another has been activated since.
async fn pinned_plugin(state: &AppState, job: &ImportJobRow) -> Result<Option<Arc<LoadedPlugin>>, ApiError> {
    let (Some(sector), Some(version)) = (&job.sector, &job.plugin_version) else { return Ok(None) };
    if let Ok(active) = state.plugin(sector)
        && &active.manifest.version == version
    {
        return Ok(Some(active));
    }
    let gone = || {
        ApiError::Unavailable(format!(
            "校验本次上传的{sector}插件版本{version}已不可用，请重新上传 / plugin {sector} {version}, pinned for this upload, is no longer available; upload again"
        ))
    };
    let row = state.store.plugin_version_row(sector, version).await?.ok_or_else(gone)?;
    super::plugin_admin::ready_version(state, &row, None).await.map(Some).map_err(|_| gone())
}

fn target_of(job: &ImportJobRow) -> Target {
    let flag = |k: &str| job.options.get(k).and_then(serde_json::Value::as_bool).unwrap_or(false);
    Target {
        sector: job.sector.clone(),
        kind: job.kind.clone(),
        partial: flag("partial"),
        dry_run: flag("dry_run"),
        corrections: flag("corrections"),
        published: flag("published"),
    }
}

async fn run(state: &AppState, id: &str) -> Result<(), Ended> {
    let job = state.store.import_job(id).await?.ok_or_else(|| anyhow::anyhow!("import job {id} vanished"))?;
    let target = target_of(&job);
    let plugin = pinned_plugin(state, &job).await?;
    let columns = columns_of(plugin.as_deref(), &target.kind);
    let head = state.store.import_part(id, 0).await?.unwrap_or_default();
    let format = Format::of(job.content_type.as_deref(), &head[..head.len().min(8)]);
    drop(head);

    // 1. Scan.
    let started = std::time::Instant::now();
    let reader = PartsReader::new(state, id);
    let scan = tokio::task::spawn_blocking(move || stream::scan(reader, format))
        .await
        .map_err(|e| anyhow::anyhow!("scan panicked: {e}"))?
        .map_err(|errors| ApiError::Invalid {
            detail: format!("{} error(s); nothing was stored", errors.len()),
            errors,
        })?;
    let total = (format != Format::Xlsx).then_some(scan.rows as i64);
    if !state.store.import_progress(id, &state.replica, "checking", total, 0, 0).await? {
        return Ok(());
    }
    tracing::info!(job = id, rows = scan.rows, ms = started.elapsed().as_millis(), "import scanned");

    // 2. Check and store, in one transaction.
    let live = Live::follow(state, id, total);
    let review = (!target.published).then(|| state.review_due(&job.unit));
    let options = BatchOptions { corrections: target.corrections, dry_run: target.dry_run, review };
    let mut tx = state.store.begin_import().await?;
    let passed = match pass(state, &job, &target, plugin, &columns, scan, &mut tx, &options, &live).await {
        Ok(Some(passed)) => passed,
        other => {
            tx.rollback().await?;
            return other.map(|_| ());
        }
    };
    tracing::info!(job = id, ms = started.elapsed().as_millis(), "import checked and written");
    let Passed { headers, rows_done, rejected, rejected_rows, warnings, mut summary, conflicts } = passed;
    // The counters the transaction kept from other connections, once it
    // has ended without storing (a workbook's rows are known once read).
    let (rows_total, errors) = (total.or(Some(rows_done)), rejected.len() as i64);
    let counted =
        async || state.store.import_progress(id, &state.replica, "checking", rows_total, rows_done, errors).await;
    let no_rows = rows_done == 0;
    if no_rows || (!rejected.is_empty() && (!target.partial || rejected_rows as i64 == rows_done)) {
        tx.rollback().await?;
        counted().await?;
        let errors = if no_rows {
            vec![crate::ingest::prepare::no_records()]
        } else {
            crate::ingest::missing_columns_once(rejected, &headers, rows_done as usize, &columns)
        };
        return Err(ApiError::Invalid {
            detail: format!("{} error(s); nothing was stored or changed", errors.len()),
            errors,
        }
        .into());
    }
    if !conflicts.is_empty() {
        tx.rollback().await?;
        counted().await?;
        return Err(ApiError::Conflict {
            detail: format!("{} record(s) conflict with stored records; nothing was stored", conflicts.len()),
            errors: conflicts,
        }
        .into());
    }
    live.set(|l| l.status = "storing");
    if target.dry_run {
        summary.ids.iter_mut().for_each(|i| *i = None);
    }
    let red_suspended = summary.red_suspended;
    let result = ReportResult { summary, warnings, rejected, rejected_rows, dry_run: target.dry_run };
    let json = serde_json::to_value(&result).map_err(anyhow::Error::from)?;
    if target.dry_run {
        tx.rollback().await?;
        counted().await?;
        state.store.finish_import_job(id, "done", 201, &json).await?;
    } else {
        tx.finish(id, rows_done, &json).await?;
        if red_suspended > 0 {
            super::lists::republish(state, &format!("{red_suspended} red-list entries suspended")).await?;
        }
    }
    tracing::info!(job = id, ms = started.elapsed().as_millis(), "import stored");
    Ok(())
}

/// What one pass over a job's rows found and wrote.
struct Passed {
    /// The header as written.
    headers: Vec<String>,
    rows_done: i64,
    rejected: Vec<RowError>,
    rejected_rows: usize,
    warnings: Vec<RowError>,
    summary: BatchSummary,
    /// Rows that conflict with a stored record or an earlier row.
    conflicts: Vec<RowError>,
}

/// The job's one pass: its rows read chunk by chunk, each chunk checked
/// (on as many cores as there are, at most 4) and written into `tx` in
/// order while the next ones are checked. Once a row is rejected and the
/// upload is not `partial`, nothing more is written (the caller rolls back)
/// but every row is still checked, so the clerk hears every error at once.
/// `None` when another host took the job meanwhile.
#[allow(clippy::too_many_arguments)]
async fn pass(
    state: &AppState,
    job: &ImportJobRow,
    target: &Target,
    plugin: Option<Arc<LoadedPlugin>>,
    columns: &crate::domain::columns::Columns,
    scan: Scan,
    tx: &mut crate::store::ImportTx<'_>,
    options: &BatchOptions,
    live: &Live<'_>,
) -> Result<Option<Passed>, Ended> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Row>>(1);
    let reader = PartsReader::new(state, &job.id);
    let (kind, columns_owned) = (target.kind.clone(), columns.clone());
    let reading = tokio::task::spawn_blocking(move || {
        stream::read_chunks(reader, &kind, &columns_owned, scan, CHUNK_ROWS, |rows| {
            sender.blocking_send(rows).map_err(|_| Stopped)
        })
    });
    let parallel = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).clamp(1, 4);
    let mut checking = std::collections::VecDeque::new();
    let mut read_all = false;
    let (mut rows_done, mut rejected, mut rejected_rows, mut warnings) = (0i64, Vec::new(), 0, Vec::new());
    let (mut summary, mut conflicts) = (BatchSummary::default(), Vec::new());
    // Identity → (line, content) of every record written so far, to tell a
    // row that repeats one of an earlier chunk with other content (24
    // bytes a row).
    let mut seen: HashMap<u64, (Option<usize>, u64)> = HashMap::new();
    let (mut waiting, mut writing) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    loop {
        // One chunk more in flight than there are cores: they are checked
        // while the one before them is written.
        while !read_all && checking.len() <= parallel {
            match receiver.recv().await {
                Some(rows) => {
                    let chunk = prepare_chunk(state.clone(), plugin.clone(), target.kind.clone(), rows);
                    checking.push_back(tokio::spawn(chunk));
                }
                None => read_all = true,
            }
        }
        let Some(next) = checking.pop_front() else { break };
        let t = std::time::Instant::now();
        let (mut chunk, n) = next.await.map_err(|e| anyhow::anyhow!("checking panicked: {e}"))??;
        waiting += t.elapsed();
        rows_done += n as i64;
        rejected.append(&mut chunk.rejected);
        rejected_rows += chunk.rejected_rows;
        warnings.append(&mut chunk.warnings);
        if rejected.is_empty() || target.partial {
            let t = std::time::Instant::now();
            write_chunk(tx, chunk, &job.actor, options, &mut seen, &mut summary, &mut conflicts).await?;
            writing += t.elapsed();
        }
        let errors = rejected.len() as i64;
        live.set(|l| (l.rows_done, l.errors) = (rows_done, errors));
        // SQLite's one write lock is the transaction's until it ends: the
        // counters are kept here meanwhile (see `import_status`).
        if state.store.backend() == crate::store::Backend::Postgres
            && !state.store.import_progress(&job.id, &state.replica, "checking", None, rows_done, errors).await?
        {
            return Ok(None);
        }
    }
    tracing::debug!(job = job.id, waiting_ms = waiting.as_millis(), writing_ms = writing.as_millis(), "import pass");
    let headers = match reading.await.map_err(|e| anyhow::anyhow!("reading panicked: {e}"))? {
        Ok(Ok(headers)) => headers,
        Ok(Err(errors)) => {
            return Err(
                ApiError::Invalid { detail: format!("{} error(s); nothing was stored", errors.len()), errors }.into()
            );
        }
        Err(Stopped) => return Ok(None),
    };
    Ok(Some(Passed { headers, rows_done, rejected, rejected_rows, warnings, summary, conflicts }))
}

/// Write the records and entries of one checked chunk into `tx`, counting
/// into `summary`; a row that repeats an earlier one (`seen`, also of
/// earlier chunks) or a stored record with other content joins
/// `conflicts`.
async fn write_chunk(
    tx: &mut crate::store::ImportTx<'_>,
    chunk: Checked,
    actor: &str,
    options: &BatchOptions,
    seen: &mut HashMap<u64, (Option<usize>, u64)>,
    summary: &mut BatchSummary,
    conflicts: &mut Vec<RowError>,
) -> anyhow::Result<()> {
    let mut keep = Vec::with_capacity(chunk.records.len());
    let mut keep_lines = Vec::with_capacity(chunk.lines.len());
    for (record, line) in chunk.records.into_iter().zip(chunk.lines.iter().copied()) {
        let identity = digest(&(&record.kind, &record.authority, &record.decision_number_norm, &record.subject.key));
        let content = digest(&record.body.to_string());
        match seen.get(&identity) {
            Some(&(earlier, c)) if c != content => {
                conflicts.push(conflict_error(line, None, None, earlier, None));
                continue;
            }
            Some(_) => {}
            None => {
                seen.insert(identity, (line, content));
            }
        }
        keep.push(record);
        keep_lines.push(line);
    }
    let entry_lines: Vec<Option<usize>> = chunk.lines[chunk.lines.len() - chunk.entries.len()..].to_vec();
    let (part, clashes) = tx.batch(&keep, &chunk.entries, actor, options).await?;
    let line_of = |i: usize| if i < keep.len() { keep_lines[i] } else { entry_lines[i - keep.len()] };
    for c in clashes {
        conflicts.push(conflict_error(line_of(c.index), None, c.existing_id, c.earlier_index.and_then(line_of), None));
    }
    summary.inserted += part.inserted;
    summary.unchanged += part.unchanged;
    summary.corrected += part.corrected;
    summary.list_entries += part.list_entries;
    summary.red_suspended += part.red_suspended;
    summary.ids.extend(part.ids);
    Ok(())
}

/// Check one chunk of rows (all of them, keeping the rejected ones' errors)
/// into its checked form; with its number of rows.
async fn prepare_chunk(
    state: AppState,
    plugin: Option<Arc<LoadedPlugin>>,
    kind: String,
    rows: Vec<Row>,
) -> Result<(Checked, usize), ApiError> {
    let n = rows.len();
    let lines: Vec<Option<usize>> = rows.iter().map(|r| r.line).collect();
    let (red_list, policy, keys) = (state.red_list.clone(), state.policy.clone(), state.keys.clone());
    let prepared = match crate::ingest::prepare(plugin, red_list, &kind, rows, policy, keys, true).await {
        Ok(p) => p,
        Err(PrepareError::Invalid(rejected)) => Prepared { rejected, rejected_rows: n, ..Prepared::default() },
        Err(PrepareError::Plugin(fault)) => return Err(ApiError::Plugin(fault)),
    };
    let record_lines: Vec<Option<usize>> = prepared.sources.iter().map(|&i| lines[i]).collect();
    let no_index = vec![None; record_lines.len()];
    let mut warnings = prepared.warnings;
    warnings.extend(revocation_issuer_warnings(&state, &prepared.records, &record_lines, &no_index).await?);
    let chunk = Checked {
        records: prepared.records,
        entries: prepared.entries,
        lines: record_lines,
        warnings,
        rejected: prepared.rejected,
        rejected_rows: prepared.rejected_rows,
    };
    Ok((chunk, n))
}

fn digest(value: &impl std::hash::Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Import the file at `path` as `kind` of `sector` through a background
/// job run here (the command line's `credit-host import`): the file is
/// kept in parts as an upload would be, then checked and stored as one
/// job; `progress` is called with the job's state about every 200 ms and
/// once at its end. `published` skips the credit office's review.
///
/// # Errors
/// An unreadable file, an unknown sector or kind, or a database error; a
/// refused import is a job that ends `failed`, with its problem.
pub async fn import_file(
    state: &AppState,
    path: &std::path::Path,
    sector: Option<&str>,
    kind: &str,
    published: bool,
    mut progress: impl FnMut(&ImportJobRow),
) -> anyhow::Result<ImportJobRow> {
    // JSON Lines by its name; CSV and XLSX are told apart by their bytes.
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let content_type = matches!(extension.as_str(), "jsonl" | "ndjson").then_some("application/x-ndjson");
    let target = Target::plain(sector, kind, published);
    let plugin = super::records::resolve(state, &target).map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = uuid::Uuid::new_v4().to_string();
    let options = serde_json::json!({"partial": false, "dry_run": false, "corrections": false, "published": published});
    let version = plugin.as_ref().map(|p| p.manifest.version.clone());
    state
        .store
        .create_import_job(&NewImportJob {
            id: &id,
            sector,
            kind,
            options,
            content_type,
            plugin_version: version.as_deref(),
            actor: "cli",
            unit: "cli",
        })
        .await?;
    let kept = async {
        let mut file = std::fs::File::open(path)?;
        let (mut seq, mut total, mut digest) = (0, 0usize, sha2::Sha256::new());
        loop {
            let mut part = Vec::with_capacity(PART_BYTES);
            (&mut file).take(PART_BYTES as u64).read_to_end(&mut part)?;
            if part.is_empty() {
                break;
            }
            total += part.len();
            digest.update(&part);
            state.store.add_import_part(&id, seq, &part).await?;
            seq += 1;
        }
        state.store.queue_import_job(&id, total as i64, &hex::encode(digest.finalize())).await
    };
    if let Err(e) = kept.await {
        state.store.drop_import_job(&id).await?;
        return Err(e.context(format!("cannot read {}", path.display())));
    }
    if let Some(job) = import_status(state, &id).await? {
        progress(&job);
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if !state.store.claim_import_job(&id, &state.replica, &now).await? {
        anyhow::bail!("import job {id} was taken by another host");
    }
    let running = run_job(state, &id);
    tokio::pin!(running);
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(200));
    loop {
        tokio::select! {
            done = &mut running => { done?; break; }
            _ = tick.tick() => {
                if let Some(job) = import_status(state, &id).await? {
                    progress(&job);
                }
            }
        }
    }
    let job = state.store.import_job(&id).await?.ok_or_else(|| anyhow::anyhow!("import job {id} vanished"))?;
    progress(&job);
    Ok(job)
}
