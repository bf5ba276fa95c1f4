//! The impact preview of a plugin version, before it is activated:
//! `POST /api/v1/admin/plugins/{sector}/preview` queues a background job
//! that replays the sector's stored checks, each with its own `as_of` and
//! the exact input its plugin got ([`super::checks::ReplayInput`], stored
//! with the check), and answers per check three times — the stored answer,
//! a replay on the active version (a difference there is drift: the same
//! version must answer the same) and a replay on the previewed version —
//! plus the stored records the previewed version would now reject.
//!
//! The job is capped (at most [`MAX_CHECKS`] checks), low-priority (one
//! preview at a time, one plugin call at a time, waiting rather than taking
//! a slot inspectors need) and audited; its state lives in the database
//! (`plugin_previews`), so a restart resumes it.

use super::access::AuditNote;
use super::checks::{ReplayInput, run_check};
use super::error::Path;
use super::{ApiError, AppState};
use crate::access::Actor;
use crate::runtime::{LoadedPlugin, PluginFault, PluginStatus};
use crate::store::{CheckToReplay, PluginVersionRow, PreviewRow};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Checks a preview replays by default.
pub const DEFAULT_CHECKS: u32 = 100;
/// Most checks one preview replays.
pub const MAX_CHECKS: u32 = 1000;
/// Most rejected records a preview lists (all are counted).
pub const MAX_LISTED_RECORDS: usize = 200;
/// Most previews queued or running at once; beyond, `409`.
pub const MAX_QUEUED: usize = 10;
/// Records re-validated per batch (one `check-records` call each).
const RECORD_BATCH: i64 = 200;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/plugins/{sector}/preview", post(start_preview))
        .route("/api/v1/admin/plugins/{sector}/previews/{id}", get(get_preview))
}

/// What to preview.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// A kept version of the sector (usually a staged one).
    pub version: String,
    /// How many of the latest stored checks to replay (default 100, at
    /// most 1000).
    pub last: Option<u32>,
    /// Only checks stored on or after this day (`YYYY-MM-DD`, Beijing
    /// time, like `as_of`).
    pub from: Option<String>,
    /// Only checks stored on or before this day (`YYYY-MM-DD`, Beijing
    /// time).
    pub to: Option<String>,
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

fn day(pointer: &str, s: Option<&String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    s.map(|s| super::error::parse_day(pointer, s)).transpose()
}

/// `POST /api/v1/admin/plugins/{sector}/preview`: queue an impact preview
/// of a kept version; `202` with the job, to follow at its `Location`.
///
/// # Errors
/// `404` for an unknown sector or version; `422` for `last` outside
/// 1..=1000 or a bad date range.
#[utoipa::path(
    post, path = "/api/v1/admin/plugins/{sector}/preview", params(("sector" = String, Path, description = "sector id")),
    request_body = PreviewRequest,
    responses(
        (status = 202, description = "queued; follow it at the Location", body = PreviewRow),
        (status = 404, description = "no such sector or version", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid selection", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn start_preview(
    State(state): State<AppState>,
    actor: Actor,
    Path(sector): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<PreviewRow>), ApiError> {
    super::plugin_admin::known_sector(&state, &sector)?;
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(invalid(
            "",
            None,
            "invalid-json",
            "请求内容应为JSON对象，如 {\"version\": \"1.2.0\"}".into(),
            "the body must be a JSON object such as {\"version\": \"1.2.0\"}".into(),
        ));
    }
    let req: PreviewRequest = super::error::parse_json(&body)?;
    if semver::Version::parse(&req.version).is_err() {
        return Err(invalid(
            "/version",
            Some(shorten(&req.version)),
            "invalid-version",
            "版本号应为语义化版本，如 1.2.0".into(),
            "version must be a semantic version such as 1.2.0".into(),
        ));
    }
    let last = req.last.unwrap_or(DEFAULT_CHECKS);
    if !(1..=MAX_CHECKS).contains(&last) {
        return Err(invalid(
            "/last",
            Some(last.to_string()),
            "out-of-range",
            format!("一次预演最多回放{MAX_CHECKS}次核查，至少1次"),
            format!("last must be between 1 and {MAX_CHECKS}"),
        ));
    }
    let (from, to) = (day("/from", req.from.as_ref())?, day("/to", req.to.as_ref())?);
    if let Some(f) = from.filter(|f| *f > super::today()) {
        return Err(invalid(
            "/from",
            req.from.clone(),
            "date-in-future",
            format!("起始日期{f}晚于今天（北京时间），不会有核查"),
            format!("from {f} is after today (Beijing time): no check can match"),
        ));
    }
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(invalid(
            "/to",
            req.to.clone(),
            "range-reversed",
            format!("截止日期{t}早于起始日期{f}"),
            format!("to {t} is before from {f}"),
        ));
    }
    if state.store.plugin_version_row(&sector, &req.version).await?.is_none() {
        return Err(ApiError::NotFound(format!("{sector} 没有版本 {0} / {sector} has no version {0}", req.version)));
    }
    let unfinished = state.store.unfinished_previews().await?.len();
    if unfinished >= MAX_QUEUED {
        return Err(ApiError::conflict(
            format!("{unfinished} previews are queued or running; wait for one to finish"),
            "",
            None,
            "preview-queue-full",
            format!("已有{unfinished}个预演排队或运行中，请待其完成后再试"),
            format!("{unfinished} previews are queued or running (at most {MAX_QUEUED}); wait for one to finish"),
        ));
    }
    // The checks are those stored up to now: a preview that waits in the
    // queue, or resumes after a restart, replays the same ones.
    let mut selection = json!({"last": last, "until": crate::store::now()});
    if let Some(f) = from {
        selection["from"] = json!(f.to_string());
    }
    if let Some(t) = to {
        selection["to"] = json!(t.to_string());
    }
    let id = uuid::Uuid::new_v4().to_string();
    let row = state.store.insert_preview(&id, &sector, &req.version, &selection, &actor.account).await?;
    spawn_preview(state.clone(), id.clone());
    let note = AuditNote {
        detail: Some(format!("preview {id} of {sector} {}: {selection}", req.version)),
        ..AuditNote::default()
    };
    let location = format!("/api/v1/admin/plugins/{sector}/previews/{id}");
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Extension(note), Json(row)))
}

/// At most 100 characters of `s`, for echoing input back.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(100) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The first instant of Beijing day `d`, as stored timestamps write UTC.
fn beijing_day_start(d: chrono::NaiveDate) -> String {
    let start = d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8);
    start.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `GET /api/v1/admin/plugins/{sector}/previews/{id}`: a preview's state
/// (`queued`, `running` with checks done of total, `done` with its result,
/// `failed` with the reason).
///
/// The result: `previewed` and `active` (version, sha256; the previewed
/// one's status and flags), `summary` (`checks`, `replayed`, `skipped`,
/// `changed`, `findings_only`, `unchanged`, `transitions` of outcome such
/// as `"standard → restricted": 2`, `drift`, `stored_by_another_version`,
/// `active_errors`, `previewed_errors`, `records_checked`,
/// `records_rejected`, `records_listed`), `checks` (per check: `original`,
/// `active`, `previewed`, each
/// `{version, outcome, findings: [{rule_id, outcome, evidence, until}]}` or
/// `{version, error: {kind, message}}`, with `changed`, `drift` and
/// `comparable` (stored by the active version); or
/// `skipped` with the reason) and `records` (up to 200 stored records the
/// version rejects, each with its errors: the kinds in turn, so that every
/// kind it rejects shows, each kind's in the order they were reported).
///
/// # Errors
/// `404` for an unknown preview.
#[utoipa::path(
    get, path = "/api/v1/admin/plugins/{sector}/previews/{id}",
    params(("sector" = String, Path, description = "sector id"), ("id" = String, Path, description = "preview id")),
    responses(
        (status = 200, description = "the preview", body = PreviewRow),
        (status = 404, description = "no such preview", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_preview(
    State(state): State<AppState>,
    Path((sector, id)): Path<(String, String)>,
) -> Result<Json<PreviewRow>, ApiError> {
    super::plugin_admin::known_sector(&state, &sector)?;
    match state.store.preview(&id).await? {
        Some(row) if row.sector == sector => Ok(Json(row)),
        _ => Err(ApiError::NotFound(format!("{sector} 没有预演 {0} / {sector} has no preview {0}", shorten(&id)))),
    }
}

/// Resume the previews a stop left queued or running (at start-up).
///
/// # Errors
/// A database error.
pub async fn resume_previews(state: &AppState) -> anyhow::Result<usize> {
    let unfinished = state.store.unfinished_previews().await?;
    let n = unfinished.len();
    for row in unfinished {
        tracing::info!(preview = row.id, sector = row.sector, version = row.version, "resuming a preview");
        spawn_preview(state.clone(), row.id);
    }
    Ok(n)
}

fn spawn_preview(state: AppState, id: String) {
    tokio::spawn(async move {
        // One preview at a time: the rest wait their turn.
        let _turn = state.previews.lock().await;
        if let Err(e) = run_preview(&state, &id).await {
            tracing::error!(preview = id, "preview failed: {e:#}");
            let (total, done) = match state.store.preview(&id).await {
                Ok(Some(row)) => (row.total, row.done),
                _ => (0, 0),
            };
            if let Err(e2) = state.store.update_preview(&id, "failed", total, done, None, Some(&format!("{e:#}"))).await
            {
                tracing::error!(preview = id, "cannot record the failure: {e2:#}");
            }
        }
    });
}

/// The previewed version, compiled (kept compiled for a fast activation).
async fn previewed_plugin(state: &AppState, row: &PluginVersionRow) -> anyhow::Result<Arc<LoadedPlugin>> {
    let plugin = super::plugin_admin::ready_version(state, row, None).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    state.plugins.keep_compiled(plugin.clone());
    Ok(plugin)
}

async fn run_preview(state: &AppState, id: &str) -> anyhow::Result<()> {
    let row = state.store.preview(id).await?.ok_or_else(|| anyhow::anyhow!("preview {id} vanished"))?;
    let version_row = state
        .store
        .plugin_version_row(&row.sector, &row.version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("{} has no version {:?}", row.sector, row.version))?;
    let previewed = previewed_plugin(state, &version_row).await?;
    let active = match state.plugins.get(&row.sector) {
        PluginStatus::Active(p) => Some(p),
        _ => None,
    };
    let last = row.selection["last"].as_i64().unwrap_or(i64::from(DEFAULT_CHECKS));
    let day = |k: &str| row.selection[k].as_str().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let lower = day("from").map(beijing_day_start).unwrap_or_default();
    let upper = day("to").and_then(|t| t.succ_opt()).map_or_else(|| "~".to_owned(), beijing_day_start);
    let until = row.selection["until"].as_str().unwrap_or(&row.created_at);
    let checks = state.store.checks_to_replay(&row.sector, last, &lower, &upper, until).await?;
    let total = i64::try_from(checks.len())?;
    state.store.update_preview(id, "running", total, 0, None, None).await?;
    let mut entries = Vec::with_capacity(checks.len());
    let mut summary = Summary::default();
    for (i, check) in checks.iter().enumerate() {
        entries.push(replay_one(check, active.as_ref(), &previewed, &mut summary).await);
        let done = i64::try_from(i + 1)?;
        if done % 10 == 0 {
            state.store.update_preview(id, "running", total, done, None, None).await?;
        }
        tokio::task::yield_now().await;
    }
    let records = revalidate(state, &row.sector, &previewed, &mut summary).await?;
    let result = json!({
        "previewed": {"sector": row.sector, "version": previewed.manifest.version, "sha256": previewed.sha256,
            "status": version_row.status, "flags": version_row.flags},
        "active": active.as_ref().map(|p| json!({"version": p.manifest.version, "sha256": p.sha256})),
        "summary": summary.to_json(total),
        "checks": entries,
        "records": records,
    });
    state.store.update_preview(id, "done", total, total, Some(&result), None).await?;
    tracing::info!(preview = id, sector = row.sector, version = row.version, "preview done");
    Ok(())
}

#[derive(Default)]
struct Summary {
    replayed: u64,
    skipped: u64,
    drift: u64,
    other_version: u64,
    changed: u64,
    findings_only: u64,
    active_errors: u64,
    previewed_errors: u64,
    transitions: BTreeMap<String, u64>,
    records_checked: u64,
    records_rejected: u64,
    records_listed: u64,
}

impl Summary {
    fn to_json(&self, total: i64) -> Value {
        json!({
            "checks": total,
            "replayed": self.replayed,
            "skipped": self.skipped,
            "drift": self.drift,
            "stored_by_another_version": self.other_version,
            "changed": self.changed,
            "findings_only": self.findings_only,
            "unchanged": self.replayed - self.changed,
            "active_errors": self.active_errors,
            "previewed_errors": self.previewed_errors,
            "transitions": self.transitions,
            "records_checked": self.records_checked,
            "records_rejected": self.records_rejected,
            "records_listed": self.records_listed,
        })
    }
}

/// An answer as a preview compares it: the outcome and, per finding, its
/// rule, outcome, evidence and end (messages and measures follow from
/// these).
fn verdict(version: &str, answer: &Value) -> Value {
    let mut findings: Vec<Value> = answer["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let mut evidence: Vec<&str> =
                f["evidence"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            evidence.sort_unstable();
            json!({"rule_id": f["rule_id"], "outcome": f["outcome"], "evidence": evidence, "until": f["until"]})
        })
        .collect();
    findings.sort_by_key(ToString::to_string);
    json!({"version": version, "outcome": answer["outcome"], "findings": findings})
}

/// Whether two verdicts agree (the version aside): the same outcome and
/// findings, or the same kind of error.
fn same(a: &Value, b: &Value) -> bool {
    match (a.get("error"), b.get("error")) {
        (Some(x), Some(y)) => x["kind"] == y["kind"],
        (None, None) => a["outcome"] == b["outcome"] && a["findings"] == b["findings"],
        _ => false,
    }
}

/// What the host itself would refuse before calling `plugin`: a licensing
/// check of a licence type the version does not offer (`422
/// licence-type-not-in-sector` from the check API).
fn host_refusal(plugin: &LoadedPlugin, input: &ReplayInput) -> Option<Value> {
    let licence = input.request.licence_type.as_deref()?;
    if input.purpose != crate::domain::check::Purpose::Licensing
        || plugin.manifest.licence_types.iter().any(|t| t == licence)
    {
        return None;
    }
    Some(json!({"version": plugin.manifest.version, "error": {
        "kind": "licence-type-not-in-sector",
        "message": format!("version {} does not offer licence type {licence:?}: the check API would answer 422", plugin.manifest.version),
    }}))
}

/// Run `input` on `plugin`, waiting (not failing) while every slot is
/// taken: a preview yields to inspectors.
async fn replay_on(plugin: &Arc<LoadedPlugin>, input: &ReplayInput) -> Value {
    let version = plugin.manifest.version.as_str();
    if let Some(refused) = host_refusal(plugin, input) {
        return refused;
    }
    let mut waited = 0;
    loop {
        match run_check(plugin.clone(), input).await {
            Ok((outcome, findings)) => return verdict(version, &json!({"outcome": outcome, "findings": findings})),
            Err(PluginFault::Busy { .. }) if waited < 600 => {
                waited += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => return json!({"version": version, "error": {"kind": e.kind(), "message": e.to_string()}}),
        }
    }
}

async fn replay_one(
    check: &CheckToReplay,
    active: Option<&Arc<LoadedPlugin>>,
    previewed: &Arc<LoadedPlugin>,
    summary: &mut Summary,
) -> Value {
    let mut entry = json!({
        "check_id": check.id,
        "created_at": check.created_at,
        "as_of": check.as_of,
        "purpose": check.purpose,
    });
    let input: ReplayInput = match check.replay.as_deref().map(serde_json::from_str) {
        Some(Ok(input)) => input,
        None => {
            summary.skipped += 1;
            entry["skipped"] = json!("存储时未保留回放所需输入 / stored before checks kept what a replay needs");
            return entry;
        }
        Some(Err(e)) => {
            summary.skipped += 1;
            entry["skipped"] = json!(format!("回放输入无法读取 / the stored replay input cannot be read: {e}"));
            return entry;
        }
    };
    summary.replayed += 1;
    let original = verdict(&check.plugin_version, &check.answer);
    let active = match active {
        Some(p) => replay_on(p, &input).await,
        None => {
            json!({"version": null, "error": {"kind": "unavailable", "message": "the sector has no active version here"}})
        }
    };
    let staged = replay_on(previewed, &input).await;
    // Drift is a difference between the stored answer and a replay on the
    // same version; a check another version answered is not comparable.
    let comparable = original["version"] == active["version"];
    let drift = comparable && !same(&active, &original);
    let changed = !same(&staged, &active);
    summary.active_errors += u64::from(active.get("error").is_some());
    summary.previewed_errors += u64::from(staged.get("error").is_some());
    summary.drift += u64::from(drift);
    summary.other_version += u64::from(!comparable);
    if changed {
        summary.changed += 1;
        let name = |v: &Value| {
            v["outcome"]
                .as_str()
                .map_or_else(|| format!("error {}", v["error"]["kind"].as_str().unwrap_or("")), str::to_owned)
        };
        let (from, to) = (name(&active), name(&staged));
        if from == to {
            summary.findings_only += 1;
        } else {
            *summary.transitions.entry(format!("{from} → {to}")).or_default() += 1;
        }
    }
    entry["original"] = original;
    entry["active"] = active;
    entry["previewed"] = staged;
    entry["drift"] = json!(drift);
    entry["comparable"] = json!(comparable);
    entry["changed"] = json!(changed);
    entry
}

/// The sector's stored records (those that still count) the version would
/// reject: a kind it no longer offers, its JSON Schema, or its own
/// `check-records` (errors, not warnings).
async fn revalidate(
    state: &AppState,
    sector: &str,
    plugin: &Arc<LoadedPlugin>,
    summary: &mut Summary,
) -> anyhow::Result<Vec<Value>> {
    // Up to the cap of each kind, so that the list shows every kind the
    // version rejects, whichever was reported first.
    let mut listed: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut after = String::new();
    loop {
        let page = state.store.records_to_validate(sector, &after, RECORD_BATCH).await?;
        let Some(last) = page.last() else { break };
        after.clone_from(&last.id);
        let mut by_kind: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, r) in page.iter().enumerate() {
            by_kind.entry(r.kind.as_str()).or_default().push(i);
        }
        let mut errors: Vec<Vec<Value>> = vec![Vec::new(); page.len()];
        for (kind, rows) in by_kind {
            let Some(validator) = plugin.validator(kind) else {
                for &i in &rows {
                    errors[i].push(json!({"code": "kind-dropped", "pointer": "",
                        "message": format!("{} 版不再接受“{kind}”类记录", plugin.manifest.version),
                        "message_en": format!("version {} no longer offers record kind {kind:?}", plugin.manifest.version)}));
                }
                continue;
            };
            let mut bodies = Vec::with_capacity(rows.len());
            for &i in &rows {
                let body: Value = serde_json::from_str(&page[i].body)?;
                for e in validator.iter_errors(&body) {
                    errors[i].push(json!({"code": "schema", "pointer": e.instance_path().as_str(),
                        "message": e.to_string(), "message_en": e.to_string()}));
                }
                bodies.push(page[i].body.clone());
            }
            let mut waited = 0;
            let answers = loop {
                let (p, kind, bodies) = (plugin.clone(), kind.to_owned(), bodies.clone());
                match tokio::task::spawn_blocking(move || p.check_records(&kind, &bodies)).await? {
                    Err(PluginFault::Busy { .. }) if waited < 600 => {
                        waited += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    answers => break answers,
                }
            };
            match answers {
                Ok(answers) => {
                    for (&i, violations) in rows.iter().zip(answers) {
                        for v in violations.into_iter().filter(|v| !v.warning) {
                            errors[i].push(json!({"code": v.code, "pointer": v.pointer,
                                "message": v.message, "message_en": v.message_en}));
                        }
                    }
                }
                Err(e) => {
                    for &i in &rows {
                        errors[i].push(json!({"code": format!("plugin-{}", e.kind()), "pointer": "",
                            "message": e.to_string(), "message_en": e.to_string()}));
                    }
                }
            }
        }
        for (r, errs) in page.iter().zip(errors) {
            summary.records_checked += 1;
            if errs.is_empty() {
                continue;
            }
            summary.records_rejected += 1;
            let of_kind = listed.entry(r.kind.clone()).or_default();
            if of_kind.len() < MAX_LISTED_RECORDS {
                of_kind.push(json!({"record_id": r.id, "kind": r.kind, "decision_number": r.decision_number,
                    "errors": errs}));
            }
        }
        tokio::task::yield_now().await;
    }
    // The kinds in turn, each in the order its records were reported.
    let mut kinds: Vec<std::vec::IntoIter<Value>> = listed.into_values().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    while out.len() < MAX_LISTED_RECORDS && !kinds.is_empty() {
        kinds.retain_mut(|k| match k.next() {
            Some(v) if out.len() < MAX_LISTED_RECORDS => {
                out.push(v);
                true
            }
            _ => false,
        });
    }
    summary.records_listed = out.len() as u64;
    Ok(out)
}
