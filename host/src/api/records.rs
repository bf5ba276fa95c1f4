//! Reporting records: `POST /api/v1/records` (JSON) and
//! `POST /api/v1/imports` (CSV in the 双公示 layout).

use super::access::AuditNote;
use super::error::Query;
use super::{ApiError, AppState, error::parse_json};
use crate::access::Actor;
use crate::domain::columns::Columns;
use crate::ingest::{self, Row, RowError};
use crate::runtime::LoadedPlugin;
use crate::store::BatchSummary;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Arc;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/records", post(post_records)).route("/api/v1/imports", post(post_import))
}

/// Which records a request reports.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Target {
    /// Sector id (`cultural-market`, …); omitted for `kind=red-list`.
    pub sector: Option<String>,
    /// Record kind: `penalty`, `licence`, a sector's own kind, or `red-list`.
    pub kind: String,
    /// Store the valid rows and return the others with their errors
    /// (`rejected`), instead of rejecting the whole upload. Default `false`.
    #[serde(default)]
    pub partial: bool,
    /// Validate and report what would be stored — counts, conflicts,
    /// warnings — without storing anything. Default `false`.
    #[serde(default)]
    pub dry_run: bool,
    /// The upload carries corrections: a row whose authority, decision
    /// number and subject are already stored with other content becomes a
    /// new state of that record (the old one kept, see
    /// `GET /api/v1/records/{id}`) instead of a `409` conflict. Default
    /// `false`.
    #[serde(default)]
    pub corrections: bool,
    /// Store as published, without the credit office's review (the sample
    /// data; never from a query string).
    #[serde(skip)]
    pub published: bool,
}

impl Target {
    /// `kind` of `sector`, all or nothing, no dry run, no corrections;
    /// `published` skips the credit office's review.
    pub fn plain(sector: Option<&str>, kind: &str, published: bool) -> Self {
        Self {
            sector: sector.map(str::to_owned),
            kind: kind.to_owned(),
            partial: false,
            dry_run: false,
            corrections: false,
            published,
        }
    }
}

/// What a successful report stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportResult {
    /// Counts and ids.
    #[serde(flatten)]
    pub summary: BatchSummary,
    /// Warnings that did not reject a row (e.g. a fine that depends on a
    /// turnover the record does not give).
    pub warnings: Vec<RowError>,
    /// With `partial=true`: the errors of the rows that were not stored.
    pub rejected: Vec<RowError>,
    /// With `partial=true`: how many rows were not stored.
    pub rejected_rows: usize,
    /// `true` for a dry run: nothing was stored; the counts say what would be.
    pub dry_run: bool,
}

/// The plugin that validates `target`'s records (`None` for the red list).
///
/// # Errors
/// `422` for a missing or superfluous sector, `404` for an unknown one,
/// `503` when its plugin is not loaded.
/// The spreadsheet columns of `kind`: the plugin's, or the standard ones
/// (the red list).
pub(crate) fn columns_of(plugin: Option<&LoadedPlugin>, kind: &str) -> Columns {
    plugin.map_or_else(|| Columns::new(kind, None), |p| p.columns(kind))
}

pub(crate) fn resolve(state: &AppState, target: &Target) -> Result<Option<Arc<LoadedPlugin>>, ApiError> {
    match (target.kind.as_str(), target.sector.as_deref()) {
        ("red-list", None) => Ok(None),
        ("red-list", Some(s)) => Err(ApiError::invalid(
            "/sector",
            Some(s.to_owned()),
            "sector-not-allowed",
            "红名单由局统一认定，不属于任何行业，请去掉sector参数".into(),
            "the red list is bureau-wide: omit the sector parameter".into(),
        )),
        (_, None) => Err(ApiError::invalid(
            "/sector",
            None,
            "sector-required",
            "请指明行业（sector参数）".into(),
            "the sector query parameter is required for this kind".into(),
        )),
        (kind, Some(sector)) => {
            let plugin = state.plugin(sector)?;
            if plugin.validator(kind).is_none() {
                let kinds: Vec<&str> = plugin.manifest.record_kinds.iter().map(|k| k.id.as_str()).collect();
                return Err(ApiError::invalid(
                    "/kind",
                    Some(kind.to_owned()),
                    "unknown-kind",
                    format!("{sector}行业没有“{kind}”类记录，可选：{}", kinds.join("、")),
                    format!("sector {sector:?} has no record kind {kind:?}; it has {kinds:?}"),
                ));
            }
            Ok(Some(plugin))
        }
    }
}

/// Check and store `rows` for `plugin` (from [`resolve`]) in one transaction.
pub(crate) async fn report(
    state: &AppState,
    plugin: Option<Arc<LoadedPlugin>>,
    target: &Target,
    rows: Vec<Row>,
    actor: &str,
    unit: &str,
) -> Result<ReportResult, ApiError> {
    let kind = target.kind.as_str();
    let lines: Vec<Option<usize>> = rows.iter().map(|r| r.line).collect();
    let indexes: Vec<Option<usize>> = rows.iter().map(|r| r.index).collect();
    let (red_list, policy, keys) = (state.red_list.clone(), state.policy.clone(), state.keys.clone());
    let mut prepared = ingest::prepare(plugin, red_list, kind, rows, policy, keys, target.partial).await?;
    let record_lines: Vec<Option<usize>> = prepared.sources.iter().map(|&i| lines[i]).collect();
    let record_indexes: Vec<Option<usize>> = prepared.sources.iter().map(|&i| indexes[i]).collect();
    prepared
        .warnings
        .extend(revocation_issuer_warnings(state, &prepared.records, &record_lines, &record_indexes).await?);
    let review = (!target.published).then(|| state.review_due(unit));
    let options = crate::store::BatchOptions { corrections: target.corrections, dry_run: target.dry_run, review };
    let summary = state.store.batch(&prepared.records, &prepared.entries, actor, options).await?;
    // Records and entries are the valid rows, in order: their rows.
    let row_of = |i: usize| prepared.sources.get(i).copied().unwrap_or(i);
    let summary = summary.map_err(|conflicts| ApiError::Conflict {
        detail: format!("{} record(s) conflict with stored records; nothing was stored", conflicts.len()),
        errors: conflicts
            .into_iter()
            .map(|c| {
                let (at, earlier) = (row_of(c.index), c.earlier_index.map(row_of));
                conflict_error(
                    lines[at],
                    indexes[at],
                    c.existing_id,
                    earlier.and_then(|e| lines[e]),
                    earlier.and_then(|e| indexes[e]),
                )
            })
            .collect(),
    })?;
    if summary.red_suspended > 0 && !target.dry_run {
        super::lists::republish(state, &format!("{} red-list entries suspended", summary.red_suspended)).await?;
    }
    Ok(ReportResult {
        summary,
        warnings: prepared.warnings,
        rejected: prepared.rejected,
        rejected_rows: prepared.rejected_rows,
        dry_run: target.dry_run,
    })
}

/// The `conflict` error of the row at `line` (a file) or `index` (a JSON
/// array): with a stored record `existing_id`, or with an earlier row of
/// the same upload (at `earlier_line` or `earlier_index`).
pub(crate) fn conflict_error(
    line: Option<usize>,
    index: Option<usize>,
    existing_id: Option<String>,
    earlier_line: Option<usize>,
    earlier_index: Option<usize>,
) -> RowError {
    let (message, message_en) = match &existing_id {
        Some(id) => (
            format!("同一机关、同一文号、同一当事人的记录已存在（{id}），内容不同；更正请走更正流程"),
            format!(
                "a record with the same authority, decision number and subject exists ({id}) with different content; correct it instead"
            ),
        ),
        None => {
            let at = earlier_line.map(|l| format!("第{l}行")).or(earlier_index.map(|i| format!("第{}条", i + 1)));
            let at_en = earlier_line.map(|l| format!("line {l}")).or(earlier_index.map(|i| format!("item {i}")));
            (
                format!("与本次上传{}的记录机关、文号、当事人相同但内容不同", at.unwrap_or_default()),
                format!(
                    "same authority, decision number and subject as {} of this upload, but different content",
                    at_en.unwrap_or_default()
                ),
            )
        }
    };
    RowError {
        line,
        column: None,
        pointer: index.map(|i| format!("/{i}")),
        value: existing_id,
        code: "conflict".into(),
        message,
        message_en,
    }
}

/// Warnings for revocations (吊销) of a licence the store holds, decided by
/// another authority than the one that issued it: a licence is revoked by
/// its issuer, so either the wrong licence is named or the records name the
/// authority differently. A warning, not an error, since authorities are
/// renamed and merged (综合执法 units decide in the issuer's name).
pub(crate) async fn revocation_issuer_warnings(
    state: &AppState,
    records: &[crate::store::NewRecord],
    lines: &[Option<usize>],
    indexes: &[Option<usize>],
) -> Result<Vec<RowError>, ApiError> {
    let revoking = |r: &crate::store::NewRecord| {
        r.kind == "penalty"
            && r.penalty_types.iter().any(|t| t.contains("吊销"))
            && !r.certificate.trim().is_empty()
            && !r.authority.is_empty()
    };
    // The stored records of every revoked party, in one read.
    let mut keys: Vec<String> = records.iter().filter(|r| revoking(r)).map(|r| r.subject.key.clone()).collect();
    keys.sort();
    keys.dedup();
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (stored, _) = state.store.credit_file(&keys).await?;
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        if !revoking(r) {
            continue;
        }
        let issued = stored.iter().filter(|l| l.kind == "licence" && l.subject_key == r.subject.key).find(|l| {
            l.body
                .get("licence_number")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|n| !n.trim().is_empty() && r.certificate.contains(n.trim()))
        });
        if let Some(licence) = issued.filter(|l| !l.authority.is_empty() && l.authority != r.authority) {
            let number = licence.body["licence_number"].as_str().unwrap_or_default();
            out.push(RowError {
                line: lines[i],
                column: lines[i].map(|_| "处罚机关".to_owned()),
                pointer: Some(match indexes[i] {
                    Some(x) => format!("/{x}/authority"),
                    None => "/authority".to_owned(),
                }),
                value: Some(r.authority.clone()),
                code: "revocation-not-by-issuer".into(),
                message: format!(
                    "被吊销的许可证{number}由{}颁发（记录{}），处罚机关为{}：吊销许可证件应由原发证机关作出，请核实机关名称",
                    licence.authority, licence.id, r.authority
                ),
                message_en: format!(
                    "licence {number} was issued by {} (record {}) but revoked by {}: a licence is revoked by its issuer; check the authority",
                    licence.authority, licence.id, r.authority
                ),
            });
        }
    }
    Ok(out)
}

/// `POST /api/v1/records`: one JSON record or an array of them.
#[utoipa::path(
    post, path = "/api/v1/records", params(Target),
    request_body(content = Object, description = "a record body or an array of record bodies (双公示 fields)"),
    responses(
        (status = 201, description = "stored", body = ReportResult),
        (status = 422, description = "invalid: every error", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflicts with stored records", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown sector", body = super::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the sector's plugin is not loaded", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post_records(
    State(state): State<AppState>,
    actor: Actor,
    Query(target): Query<Target>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let plugin = resolve(&state, &target)?;
    in_scope(&state, &actor, target.sector.as_deref(), &target.kind)?;
    let rows = json_rows(&body)?;
    let result = report(&state, plugin, &target, rows, &actor.account, &actor.unit).await?;
    Ok((StatusCode::CREATED, Extension(report_note(&target, &result)), Json(result)).into_response())
}

/// The rows of a `POST /api/v1/records` body: one JSON record (an object)
/// or an array of them, each with its index.
///
/// # Errors
/// `422` `invalid-json` with the pointer where the JSON breaks, or
/// `not-an-object` for an item that is not an object.
pub fn json_rows(body: &[u8]) -> Result<Vec<Row>, ApiError> {
    let value: Value = parse_json(body)?;
    let (items, indexed) = match value {
        Value::Array(items) => (items, true),
        other => (vec![other], false),
    };
    let mut rows = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let Value::Object(body) = item else {
            return Err(ApiError::invalid(
                &if indexed { format!("/{i}") } else { String::new() },
                None,
                "not-an-object",
                "每条记录应为JSON对象".into(),
                "each record must be a JSON object".into(),
            ));
        };
        rows.push(Row { index: indexed.then_some(i), body, ..Row::default() });
    }
    Ok(rows)
}

/// The audit detail of a report.
fn report_note(target: &Target, result: &ReportResult) -> AuditNote {
    AuditNote {
        detail: Some(format!(
            "{}/{}: {} inserted, {} unchanged, {} corrected, {} rejected{}",
            target.sector.as_deref().unwrap_or("-"),
            target.kind,
            result.summary.inserted,
            result.summary.unchanged,
            result.summary.corrected,
            result.rejected_rows,
            if result.dry_run { " (dry run)" } else { "" }
        )),
        ..AuditNote::default()
    }
}

/// Whether `actor`'s unit may report `kind` records of `sector` (its
/// `reports` scopes in the division table).
///
/// # Errors
/// `403` naming the unit, sector and kind.
pub(crate) fn in_scope(state: &AppState, actor: &Actor, sector: Option<&str>, kind: &str) -> Result<(), ApiError> {
    if state.divisions.unit(&actor.unit).is_some_and(|u| u.may_report(sector, kind)) {
        return Ok(());
    }
    let sector = sector.unwrap_or("（全局）");
    Err(ApiError::Forbidden(format!(
        "单位 {} 无权报送 {sector} 行业的 {kind} 记录 / unit {} may not report {kind} records of sector {sector} (see its `reports` in the division table)",
        actor.unit, actor.unit
    )))
}

/// `POST /api/v1/imports`: a spreadsheet whose header uses the 双公示 column
/// names — CSV (UTF-8 with or without BOM, GBK or GB18030, detected; a
/// declared `charset` wins), XLSX (first sheet), or JSON Lines.
///
/// With `Accept: text/csv`, the rows that were not stored come back as an
/// error report in the uploaded layout plus a column `错误说明` (ignored on
/// upload, so the corrected file goes back as it is): the body of a `422` or
/// `409`, or of a `201` with `partial=true` when rows were left out
/// (`X-Credit-Inserted` and `X-Credit-Rejected-Rows` then give the counts).
#[utoipa::path(
    post, path = "/api/v1/imports", params(Target),
    request_body(content = String, content_type = "text/csv", description = "CSV (UTF-8, BOM allowed, or GBK/GB18030; `charset=` wins), XLSX (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`) or JSON Lines (`application/x-ndjson`)"),
    responses(
        (status = 201, description = "stored (or, with dry_run, what would be)", body = ReportResult),
        (status = 202, description = "over CREDIT_IMPORT_BACKGROUND_BYTES (default 4 MiB): kept and imported in the background; follow the job at its Location, `GET /api/v1/imports/{id}`", body = crate::store::ImportJobRow),
        (status = 413, description = "over CREDIT_MAX_BODY_BYTES (default 64 MiB): nothing kept", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid: every error with line and column; with `Accept: text/csv`, the error report", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflicts with stored records", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post_import(
    State(state): State<AppState>,
    actor: Actor,
    Query(target): Query<Target>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let wants_report =
        headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/csv"));
    let plugin = resolve(&state, &target)?;
    in_scope(&state, &actor, target.sector.as_deref(), &target.kind)?;
    let columns = columns_of(plugin.as_deref(), &target.kind);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let body = match super::imports::receive(&state, &actor, &target, content_type, plugin.as_deref(), body).await? {
        super::imports::Upload::Whole(bytes) => bytes,
        super::imports::Upload::Job(job) => return Ok(super::imports::accepted(job)),
        super::imports::Upload::Refused(response) => return Ok(response),
    };
    let table = match ingest::parse_upload(&target.kind, &columns, content_type, &body) {
        Ok(t) => t,
        Err(errors) if wants_report => {
            return Ok(csv_report(StatusCode::UNPROCESSABLE_ENTITY, ingest::error_report(&[], &[], &errors), &[]));
        }
        Err(errors) => {
            return Err(ApiError::Invalid { detail: format!("{} error(s); nothing was stored", errors.len()), errors });
        }
    };
    let written: Vec<Row> =
        table.rows.iter().map(|r| Row { line: r.line, raw: r.raw.clone(), ..Row::default() }).collect();
    match report(&state, plugin, &target, table.rows, &actor.account, &actor.unit).await {
        Ok(result) if wants_report && result.rejected_rows > 0 => {
            let counts = [
                ("x-credit-inserted", result.summary.inserted.to_string()),
                ("x-credit-rejected-rows", result.rejected_rows.to_string()),
            ];
            let report = ingest::error_report(&table.headers, &written, &result.rejected);
            Ok((Extension(report_note(&target, &result)), csv_report(StatusCode::CREATED, report, &counts))
                .into_response())
        }
        Ok(result) => Ok((StatusCode::CREATED, Extension(report_note(&target, &result)), Json(result)).into_response()),
        Err(ApiError::Invalid { errors, .. }) if wants_report => Ok(csv_report(
            StatusCode::UNPROCESSABLE_ENTITY,
            ingest::error_report(&table.headers, &written, &errors),
            &[],
        )),
        Err(ApiError::Conflict { errors, .. }) if wants_report => {
            Ok(csv_report(StatusCode::CONFLICT, ingest::error_report(&table.headers, &written, &errors), &[]))
        }
        Err(ApiError::Invalid { errors, .. }) => {
            let errors = ingest::missing_columns_once(errors, &table.headers, written.len(), &columns);
            Err(ApiError::Invalid {
                detail: format!("{} error(s); nothing was stored or changed", errors.len()),
                errors,
            })
        }
        Err(e) => Err(e),
    }
}

fn csv_report(status: StatusCode, body: Vec<u8>, counts: &[(&'static str, String)]) -> Response {
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"errors.csv\""),
        ],
        body,
    )
        .into_response();
    for (name, value) in counts {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(*name, v);
        }
    }
    response
}

/// Every error, one line each: `line N, column: message (code)`.
pub fn describe_errors(errors: &[RowError]) -> String {
    errors
        .iter()
        .map(|e| {
            let at: Vec<String> = e
                .line
                .map(|l| format!("line {l}"))
                .into_iter()
                .chain(e.column.clone().or(e.pointer.clone()).filter(|c| !c.is_empty()))
                .collect();
            let at = if at.is_empty() { String::new() } else { format!("{}: ", at.join(", ")) };
            format!("{at}{} / {} ({})", e.message, e.message_en, e.code)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Import CSV `bytes` as `kind` of `sector` through the same checks as an
/// upload (used by seeding and the CLI); `published` skips the credit
/// office's review (the sample data). Returns what was stored.
///
/// # Errors
/// A summary of every error, one line each (`line N, column: message`).
pub async fn import_csv(
    state: &AppState,
    kind: &str,
    sector: Option<&str>,
    bytes: &[u8],
    actor: &str,
    published: bool,
) -> Result<BatchSummary, String> {
    let target = Target::plain(sector, kind, published);
    let describe = describe_errors;
    let plugin = resolve(state, &target).map_err(|e| e.to_string())?;
    let table =
        ingest::parse_upload(kind, &columns_of(plugin.as_deref(), kind), None, bytes).map_err(|e| describe(&e))?;
    match report(state, plugin, &target, table.rows, actor, actor).await {
        Ok(r) => Ok(r.summary),
        Err(ApiError::Invalid { errors, .. } | ApiError::Conflict { errors, .. }) => Err(describe(&errors)),
        Err(e) => Err(e.to_string()),
    }
}
