//! Export to the platforms (the municipal public credit platform, the
//! national culture and tourism market credit system): a round queues what
//! each target has not been sent — new and corrected states of published
//! records, publicity ended by repair, revocations — under stable keys,
//! then posts what awaits an answer and keeps each answer (accepted, or
//! rejected with the platform's reason). Items not answered go again next
//! round: at least once. A change, an end of publicity or a withdrawal is
//! due within 3 working days, with its reason made public.
//!
//! Source: 行政处罚法第四十八条第二款 (a decision withdrawn or changed is
//! made public, with the reason, within 3 working days); 郑文广新〔2017〕245号
//! (信用信息报送 to the municipal platform); DESIGN.md §5.

use super::error::{Path, Query, bounded, parse_json};
use super::{ApiError, AppState};
use crate::export::{Answer, Delivery, DeliveryItem, Target};
use crate::store::{ExportItem, ExportQuery, NewExportItem};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/export-targets", get(list_targets))
        .route("/api/v1/exports", get(list_exports))
        .route("/api/v1/exports/run", post(run_exports))
        .route("/api/v1/exports/{target}/resend", post(resend))
}

/// Working days a change, an end of publicity or a withdrawal has to reach
/// every target (行政处罚法第四十八条第二款).
pub const CHANGE_WORKING_DAYS: u32 = 3;

/// Items posted in one delivery (one per target and round), at most.
pub const BATCH: i64 = 500;

/// Seconds a platform has to answer a delivery.
pub const DELIVERY_TIMEOUT_SECS: u64 = 30;

/// Seconds a round's claim on its items lasts: after it another round
/// (another host) may send them.
const CLAIM_SECS: i64 = 300;

/// What one round did for one target.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct TargetRound {
    /// Target id.
    pub target: String,
    /// Items queued this round.
    pub queued: u64,
    /// Items posted and answered by the platform as a delivery (the answer
    /// may leave some undecided: they go again).
    pub sent: usize,
    /// Answers stored: accepted.
    pub accepted: usize,
    /// Answers stored: rejected.
    pub rejected: usize,
    /// Why the delivery failed, if it did (items stay queued).
    pub error: Option<String>,
    /// No URL is configured: items wait.
    pub not_configured: bool,
}

/// Run one export round for every target.
///
/// # Errors
/// A database error (a platform's failure is reported per target, not as
/// an error).
pub async fn run_round(state: &AppState) -> anyhow::Result<Vec<TargetRound>> {
    let _one_at_a_time = state.exporting.lock().await;
    let mut out = Vec::new();
    for target in &state.export_targets.targets {
        let mut round = TargetRound { target: target.id.clone(), ..TargetRound::default() };
        round.queued = queue(state, target).await?;
        if target.url.trim().is_empty() {
            round.not_configured = true;
        } else {
            deliver(state, target, &mut round).await?;
        }
        out.push(round);
    }
    Ok(out)
}

async fn queue(state: &AppState, target: &Target) -> anyhow::Result<u64> {
    let today = super::today().to_string();
    let candidates = state.store.export_candidates(&target.id, &target.kinds(), &today).await?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let due = {
        let d = state.calendar.load().add_working_days(super::today(), CHANGE_WORKING_DAYS);
        (d.date.to_string(), d.provisional)
    };
    let items: Vec<NewExportItem> = candidates
        .into_iter()
        .map(|c| NewExportItem {
            target: target.id.clone(),
            record_id: c.record.id.clone(),
            record_state: c.record.state,
            action: c.action.to_owned(),
            mapping_version: target.mapping.version.clone(),
            fields: serde_json::Value::Object(target.map(&c.record)),
            reason: c.reason,
            due: (c.action != "publish").then(|| due.clone()),
        })
        .collect();
    state.store.queue_exports(&items).await
}

async fn deliver(state: &AppState, target: &Target, round: &mut TargetRound) -> anyhow::Result<()> {
    let claim = uuid::Uuid::new_v4().to_string();
    let stale = (chrono::Utc::now() - chrono::Duration::seconds(CLAIM_SECS))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let items = state.store.claim_exports(&target.id, BATCH, &claim, &stale).await?;
    let Some(version) = items.first().map(|i| i.mapping_version.clone()) else {
        return Ok(());
    };
    let keys: Vec<String> = items.iter().map(|i| i.key.clone()).collect();
    let delivery = Delivery {
        target: target.id.clone(),
        mapping: version,
        items: items
            .into_iter()
            .map(|i| DeliveryItem { key: i.key, action: i.action, reason: i.reason, fields: i.fields })
            .collect(),
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(DELIVERY_TIMEOUT_SECS))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let answer = async {
        let response = client.post(&target.url).json(&delivery).send().await.map_err(|e| {
            if e.is_timeout() {
                format!("no answer within {DELIVERY_TIMEOUT_SECS} s")
            } else {
                format!("cannot reach the platform: {e}")
            }
        })?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            return Err(format!("{status}: {}", text.chars().take(200).collect::<String>()));
        }
        response.json::<Answer>().await.map_err(|e| format!("unreadable answer: {e}"))
    }
    .await;
    match answer {
        Ok(answer) => {
            let mut kept: Vec<(String, bool, Option<String>)> = Vec::new();
            for r in answer.results.into_iter().filter(|r| keys.contains(&r.key)) {
                if kept.iter().any(|(k, _, _)| *k == r.key) {
                    tracing::warn!(target = %target.id, key = %r.key, "the platform answered a key twice: the first answer counts");
                    continue;
                }
                match r.status.as_str() {
                    "accepted" => kept.push((r.key, true, r.reason)),
                    "rejected" => kept.push((r.key, false, r.reason)),
                    other => {
                        tracing::warn!(target = %target.id, key = %r.key, status = other, "unknown answer status: item stays sent");
                    }
                }
            }
            (round.accepted, round.rejected) = state.store.exports_answered(&target.id, &kept).await?;
            state.store.exports_sent(&keys, None).await?;
            round.sent = keys.len();
        }
        Err(e) => {
            tracing::warn!(target = %target.id, error = %e, "export delivery failed; the items stay queued");
            state.store.exports_sent(&keys, Some(&e)).await?;
            round.error = Some(e);
        }
    }
    Ok(())
}

/// Run export rounds every `every` until the process ends.
pub async fn export_loop(state: AppState, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = run_round(&state).await {
            tracing::warn!(error = %e, "export round failed");
        }
    }
}

/// A target as the office sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TargetView {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Whether a URL is configured (deliveries wait otherwise).
    pub configured: bool,
    /// The record kinds it takes.
    pub kinds: Vec<String>,
    /// The mapping's version.
    pub mapping_version: String,
    /// Record kind → (platform field → record field).
    pub fields: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
    /// Items by status.
    pub counts: std::collections::BTreeMap<String, i64>,
}

/// `GET /api/v1/export-targets`: the targets, their mappings and the
/// items by status.
#[utoipa::path(get, path = "/api/v1/export-targets", responses(
    (status = 200, description = "the targets", body = [TargetView]),
))]
pub(crate) async fn list_targets(State(state): State<AppState>) -> Result<Json<Vec<TargetView>>, ApiError> {
    let counts = state.store.export_counts().await?;
    Ok(Json(
        state
            .export_targets
            .targets
            .iter()
            .map(|t| TargetView {
                id: t.id.clone(),
                name: t.name.clone(),
                configured: !t.url.trim().is_empty(),
                kinds: t.kinds(),
                mapping_version: t.mapping.version.clone(),
                fields: t.mapping.kinds.clone(),
                counts: counts.iter().filter(|(id, _, _)| *id == t.id).map(|(_, s, n)| (s.clone(), *n)).collect(),
            })
            .collect(),
    ))
}

/// Filters of the queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportFilter {
    /// Only this target.
    pub target: Option<String>,
    /// Only this status: `pending`, `sent`, `accepted` or `rejected`.
    pub status: Option<String>,
    /// Only this record's items.
    pub record_id: Option<String>,
    /// Only those not accepted by their deadline (before today).
    #[serde(default)]
    pub overdue: bool,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/exports`: the queued items, oldest first, with each
/// platform's answer.
///
/// # Errors
/// `422` for an unknown target or status.
#[utoipa::path(get, path = "/api/v1/exports", params(ExportFilter), responses(
    (status = 200, description = "items, oldest first", body = [ExportItem]),
    (status = 422, description = "unknown target or status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_exports(
    State(state): State<AppState>,
    Query(f): Query<ExportFilter>,
) -> Result<Json<Vec<ExportItem>>, ApiError> {
    if let Some(t) = f.target.as_deref().filter(|t| state.export_targets.get(t).is_none()) {
        return Err(unknown_target("/query/target", t, &state));
    }
    if let Some(s) =
        f.status.as_deref().filter(|s| !["pending", "sent", "accepted", "rejected", "superseded"].contains(s))
    {
        return Err(ApiError::invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            "状态只能是 pending、sent、accepted、rejected 或 superseded".into(),
            "status is pending, sent, accepted, rejected or superseded".into(),
        ));
    }
    let today = super::today().to_string();
    let q = ExportQuery {
        target: f.target.as_deref(),
        status: f.status.as_deref(),
        record_id: f.record_id.as_deref(),
        due_before: f.overdue.then_some(today.as_str()),
        limit: f.limit.unwrap_or(500).clamp(1, 5000),
    };
    Ok(Json(state.store.export_items(&q).await?))
}

fn unknown_target(pointer: &str, t: &str, state: &AppState) -> ApiError {
    let ids: Vec<&str> = state.export_targets.targets.iter().map(|t| t.id.as_str()).collect();
    ApiError::invalid(
        pointer,
        Some(t.to_owned()),
        "unknown-target",
        format!("报送目标只能是 {}", ids.join("、")),
        format!("target is one of {}", ids.join(", ")),
    )
}

/// `POST /api/v1/exports/run`: run an export round now (it also runs every
/// `CREDIT_EXPORT_INTERVAL_SECS`): per target, queue what is new, then post
/// up to 500 items awaiting an answer, waiting at most 30 s for it.
///
/// # Errors
/// `409` `round-running` while another round runs in this host.
#[utoipa::path(post, path = "/api/v1/exports/run", responses(
    (status = 200, description = "what the round did, per target", body = [TargetRound]),
    (status = 409, description = "a round is running", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn run_exports(State(state): State<AppState>) -> Result<Json<Vec<TargetRound>>, ApiError> {
    if state.exporting.try_lock().is_err() {
        return Err(ApiError::conflict(
            "an export round is running; nothing was started".into(),
            "",
            None,
            "round-running",
            "报送正在进行中，请稍后再试".into(),
            "an export round is running: try again when it ends".into(),
        ));
    }
    Ok(Json(run_round(&state).await?))
}

/// Records to send again.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Resend {
    /// The records (at most 1000).
    pub record_ids: Vec<String>,
}

/// What was queued again.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Resent {
    /// Records queued again.
    pub queued: u64,
    /// Records with nothing to send to this target (unknown, never
    /// published to it, or of a kind it does not take).
    pub nothing_to_send: Vec<String>,
}

/// `POST /api/v1/exports/{target}/resend`: queue again, under the same
/// keys, what `target` should hold of each record now — its withdrawal if
/// it was revoked or returned, else its latest publication or change (and
/// the end of its publicity); the next round sends them (re-export on
/// demand).
///
/// # Errors
/// `404` for an unknown target; `422` for no records, too many, or an
/// empty id.
#[utoipa::path(post, path = "/api/v1/exports/{target}/resend", params(("target" = String, Path, description = "target id")),
    request_body = Resend,
    responses(
        (status = 200, description = "queued again", body = Resent),
        (status = 404, description = "unknown target", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn resend(
    State(state): State<AppState>,
    Path(target): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Resent>, ApiError> {
    if state.export_targets.get(&target).is_none() {
        return Err(ApiError::NotFound(format!("no export target {target:?}")));
    }
    let req: Resend = parse_json(&body)?;
    if req.record_ids.is_empty() || req.record_ids.len() > 1000 {
        return Err(ApiError::invalid(
            "/record_ids",
            Some(req.record_ids.len().to_string()),
            "record-count",
            "须列出 1 至 1000 条记录".into(),
            "name 1 to 1000 records".into(),
        ));
    }
    for (i, r) in req.record_ids.iter().enumerate() {
        bounded(&format!("/record_ids/{i}"), r, "记录编号", 100)?;
    }
    let (queued, nothing_to_send) = state.store.resend_exports(&target, &req.record_ids).await?;
    Ok(Json(Resent { queued, nothing_to_send }))
}
