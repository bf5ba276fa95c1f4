//! Reporting records: `POST /api/v1/records` (JSON) and
//! `POST /api/v1/imports` (CSV in the 双公示 layout).

use super::{ApiError, AppState, error::parse_json};
use crate::domain::columns::Columns;
use crate::ingest::{self, Row, RowError};
use crate::runtime::LoadedPlugin;
use crate::store::BatchSummary;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
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
}

/// The plugin that validates `target`'s records (`None` for the red list).
///
/// # Errors
/// `422` for a missing or superfluous sector, `404` for an unknown one,
/// `503` when its plugin is not loaded.
/// The spreadsheet columns of `kind`: the plugin's, or the standard ones
/// (the red list).
fn columns_of(plugin: Option<&LoadedPlugin>, kind: &str) -> Columns {
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
    kind: &str,
    rows: Vec<Row>,
    actor: &str,
) -> Result<ReportResult, ApiError> {
    let lines: Vec<Option<usize>> = rows.iter().map(|r| r.line).collect();
    let indexes: Vec<Option<usize>> = rows.iter().map(|r| r.index).collect();
    let prepared =
        ingest::prepare(plugin, state.red_list.clone(), kind, rows, state.policy.clone(), state.keys.clone()).await?;
    let summary = state.store.insert_batch(&prepared.records, &prepared.entries, actor).await?;
    let summary = summary.map_err(|conflicts| ApiError::Conflict {
        detail: format!("{} record(s) conflict with stored records; nothing was stored", conflicts.len()),
        errors: conflicts
            .into_iter()
            .map(|c| {
                let (message, message_en) = match (&c.existing_id, c.earlier_index) {
                    (Some(id), _) => (
                        format!("同一机关、同一文号、同一当事人的记录已存在（{id}），内容不同；更正请走更正流程"),
                        format!("a record with the same authority, decision number and subject exists ({id}) with different content; correct it instead"),
                    ),
                    (None, Some(e)) => {
                        let at = lines[e].map(|l| format!("第{l}行")).or(indexes[e].map(|i| format!("第{}条", i + 1))).unwrap_or_default();
                        (
                            format!("与本次上传{at}的记录机关、文号、当事人相同但内容不同"),
                            format!("same authority, decision number and subject as {} of this upload, but different content", lines[e].map(|l| format!("line {l}")).or(indexes[e].map(|i| format!("item {i}"))).unwrap_or_default()),
                        )
                    }
                    (None, None) => (String::new(), String::new()),
                };
                RowError {
                    line: lines[c.index],
                    column: None,
                    pointer: indexes[c.index].map(|i| format!("/{i}")),
                    value: c.existing_id,
                    code: "conflict".into(),
                    message,
                    message_en,
                }
            })
            .collect(),
    })?;
    Ok(ReportResult { summary, warnings: prepared.warnings })
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
    Query(target): Query<Target>,
    body: Bytes,
) -> Result<(StatusCode, Json<ReportResult>), ApiError> {
    let plugin = resolve(&state, &target)?;
    let value: Value = parse_json(&body)?;
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
    let result = report(&state, plugin, &target.kind, rows, "api").await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// `POST /api/v1/imports`: a CSV file whose header uses the 双公示 column names.
#[utoipa::path(
    post, path = "/api/v1/imports", params(Target),
    request_body(content = String, content_type = "text/csv", description = "CSV, UTF-8 (BOM allowed) or GBK/GB18030"),
    responses(
        (status = 201, description = "stored", body = ReportResult),
        (status = 422, description = "invalid: every error with line and column", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "conflicts with stored records", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post_import(
    State(state): State<AppState>,
    Query(target): Query<Target>,
    body: Bytes,
) -> Result<(StatusCode, Json<ReportResult>), ApiError> {
    let plugin = resolve(&state, &target)?;
    let columns = columns_of(plugin.as_deref(), &target.kind);
    let rows = ingest::parse_csv(&target.kind, &columns, &body).map_err(|errors| ApiError::Invalid {
        detail: format!("{} error(s); nothing was stored", errors.len()),
        errors,
    })?;
    let result = report(&state, plugin, &target.kind, rows, "import").await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// Import CSV `bytes` as `kind` of `sector` through the same checks as an
/// upload (used by seeding and the CLI). Returns what was stored.
///
/// # Errors
/// A summary of every error, one line each (`line N, column: message`).
pub async fn import_csv(
    state: &AppState,
    kind: &str,
    sector: Option<&str>,
    bytes: &[u8],
    actor: &str,
) -> Result<BatchSummary, String> {
    let target = Target { sector: sector.map(str::to_owned), kind: kind.to_owned() };
    let describe = |errors: &[RowError]| {
        errors
            .iter()
            .map(|e| {
                format!(
                    "line {}, {}: {} ({})",
                    e.line.map(|l| l.to_string()).unwrap_or("-".into()),
                    e.column.clone().or(e.pointer.clone()).unwrap_or_default(),
                    e.message,
                    e.code
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let plugin = resolve(state, &target).map_err(|e| e.to_string())?;
    let rows = ingest::parse_csv(kind, &columns_of(plugin.as_deref(), kind), bytes).map_err(|e| describe(&e))?;
    match report(state, plugin, kind, rows, actor).await {
        Ok(r) => Ok(r.summary),
        Err(ApiError::Invalid { errors, .. } | ApiError::Conflict { errors, .. }) => Err(describe(&errors)),
        Err(e) => Err(e.to_string()),
    }
}
