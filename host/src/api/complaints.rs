//! Complaints and reports (投诉举报): the credit office files what arrived
//! (the same intake as objections: channel, ticket, acceptance or not,
//! 补正 stopping the clock), the unit of the sector investigates and
//! concludes; a substantiated one becomes a credit record of its subject
//! (reported, for the office's review), an unsubstantiated one never enters
//! a credit file; the feedback closes it. The complainant's identity is
//! seen only by the office and the investigating unit; the complainant
//! follows it with the code given at filing.
//!
//! Source: 郑文广新〔2017〕245号 (投诉举报); DESIGN.md §5 (personal data).

use super::access::AuditNote;
use super::error::{
    Path, Query, bounded, optional_bounded, parse_day, parse_json, step_day, step_not_allowed, stored_day,
};
use super::intake;
use super::{ApiError, AppState};
use crate::access::{Actor, Role};
use crate::domain::complaints::{Action, Status, next};
use crate::domain::severity::Severity;
use crate::store::{
    BatchOptions, ComplaintError, ComplaintRow, ComplaintStatistics, ComplaintTransition, NewComplaint, NewRecord,
    PauseRow, ProcedureStep,
};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/complaints", post(file_complaint).get(list_complaints))
        .route("/api/v1/complaints/statistics", get(statistics))
        .route("/api/v1/complaints/{id}", get(get_complaint))
        .route("/api/v1/complaints/{id}/steps", post(take_step))
        .route("/api/v1/public/complaints/{id}", get(follow_complaint))
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

/// A complaint or report as it arrived.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileComplaint {
    /// `complaint` (投诉, by a party affected) or `report` (举报, which may
    /// be anonymous).
    pub kind: String,
    /// The channel (as for objections).
    pub channel: String,
    /// Its ticket number (required for `12345`, `12318` and the platforms).
    pub ticket_number: Option<String>,
    /// The day it arrived, not after today (default today).
    pub received_on: Option<String>,
    /// Who complains; required for a complaint, absent for an anonymous report.
    pub complainant: Option<Complainant>,
    /// The subject complained of: exactly one of `uscc` and `id_number`.
    pub subject: ComplaintSubject,
    /// The sector.
    pub sector: String,
    /// The conduct complained of.
    pub statement: String,
}

/// The complainant (seen only by those handling it).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Complainant {
    /// Name.
    pub name: String,
    /// Telephone or address for the feedback.
    pub contact: Option<String>,
}

/// The subject complained of.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintSubject {
    /// 统一社会信用代码.
    pub uscc: Option<String>,
    /// 身份证号码 (stored hashed, masked and encrypted).
    pub id_number: Option<String>,
    /// Name (required when the bureau does not know the subject).
    pub name: Option<String>,
}

/// A complaint with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComplaintWithSteps {
    /// The complaint.
    #[serde(flatten)]
    pub complaint: ComplaintRow,
    /// The steps that may follow now.
    pub next_steps: Vec<Action>,
    /// Every step.
    pub steps: Vec<ProcedureStep>,
}

/// A filed complaint and, once, its follow code.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FiledComplaint {
    /// The complaint.
    #[serde(flatten)]
    pub complaint: ComplaintWithSteps,
    /// Shown once: give it to the complainant.
    pub follow_code: String,
}

async fn with_steps(state: &AppState, complaint: ComplaintRow) -> Result<ComplaintWithSteps, ApiError> {
    let steps = state.store.complaint_steps(&complaint.id).await?;
    let next_steps = match Status::parse(&complaint.status) {
        Some(s) => {
            let paused = complaint.paused_since.is_some();
            Action::ALL.into_iter().filter(|a| next(s, paused, *a, false).is_ok()).collect()
        }
        None => Vec::new(),
    };
    Ok(ComplaintWithSteps { complaint, next_steps, steps })
}

/// The office sees every complaint; a reporter those its unit investigates.
fn may_see(actor: &Actor, c: &ComplaintRow) -> bool {
    actor.has(Role::Reviewer) || c.unit.as_deref() == Some(actor.unit.as_str())
}

fn complaint_error(e: ComplaintError) -> ApiError {
    match e {
        ComplaintError::NotFound(what) => ApiError::NotFound(what),
        ComplaintError::Stale { id, status } => ApiError::conflict(
            format!("complaint {id} is {status} now; nothing was changed"),
            "/action",
            None,
            "complaint-changed",
            format!("该投诉举报已被他人处理，当前状态为 {status}"),
            format!("someone else moved the complaint meanwhile; it is {status} now"),
        ),
        ComplaintError::Duplicate(other) => ApiError::conflict(
            format!("the ticket was filed before as complaint {other}; nothing was stored"),
            "/ticket_number",
            Some(other.clone()),
            "duplicate-ticket",
            format!("该渠道的此工单号已登记（{other}）"),
            format!("this channel's ticket was filed before ({other})"),
        ),
        ComplaintError::Collides(other) => ApiError::conflict(
            format!("the record would duplicate record {other}; nothing was changed"),
            "",
            Some(other),
            "conflict",
            "该投诉举报已形成信用记录".into(),
            "this complaint's record exists already".into(),
        ),
        ComplaintError::Db(e) => ApiError::Internal(e),
    }
}

/// `POST /api/v1/complaints`: file a complaint or report as it arrived
/// (`received`).
///
/// # Errors
/// `422` naming the field (unknown kind, channel or sector; a platform
/// channel without its ticket; a complaint without its complainant; a
/// subject without exactly one identifier, or unknown without a name; an
/// empty statement; a bad or future date).
#[utoipa::path(
    post, path = "/api/v1/complaints", request_body = FileComplaint,
    responses(
        (status = 201, description = "filed; the follow code is shown once", body = FiledComplaint),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn file_complaint(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<FiledComplaint>), ApiError> {
    let req: FileComplaint = parse_json(&body)?;
    if !["complaint", "report"].contains(&req.kind.as_str()) {
        return Err(invalid(
            "/kind",
            Some(req.kind.clone()),
            "unknown-kind",
            "类别只能是 complaint（投诉）或 report（举报）".into(),
            "kind is complaint or report".into(),
        ));
    }
    let ticket = intake::channel_and_ticket(&req.channel, req.ticket_number.as_deref(), "投诉举报", &req.kind)?;
    let (complainant_name, complainant_contact) = match &req.complainant {
        Some(c) => {
            let name = bounded("/complainant/name", &c.name, "投诉举报人姓名", 100)?.to_owned();
            let contact = match c.contact.as_deref().filter(|x| !x.trim().is_empty()) {
                Some(x) => Some(bounded("/complainant/contact", x, "联系方式", 200)?.to_owned()),
                None => None,
            };
            (Some(name), contact)
        }
        None if req.kind == "complaint" => {
            return Err(invalid(
                "/complainant",
                None,
                "complainant-required",
                "投诉须有投诉人（匿名的只能是举报）".into(),
                "a complaint names its complainant (only a report may be anonymous)".into(),
            ));
        }
        None => (None, None),
    };
    if !state.plugins.sectors().contains(&req.sector) {
        return Err(invalid(
            "/sector",
            Some(req.sector.clone()),
            "unknown-sector",
            format!("未知领域 {}", req.sector),
            format!("unknown sector {:?}", req.sector),
        ));
    }
    let subject = intake::subject(
        &state,
        req.subject.uscc.as_deref(),
        req.subject.id_number.as_deref(),
        req.subject.name.as_deref(),
    )
    .await?;
    let statement = bounded("/statement", &req.statement, "投诉举报内容", 5000)?.to_owned();
    let received = step_day(req.received_on.as_ref(), "/received_on", None)?;
    let (code, code_hash) = intake::follow_code();
    let new = NewComplaint {
        kind: req.kind.clone(),
        channel: req.channel.clone(),
        ticket_number: ticket,
        received_on: received.to_string(),
        complainant_name,
        complainant_contact,
        subject,
        sector: req.sector.clone(),
        statement,
        follow_code_hash: code_hash,
    };
    let id = state.store.file_complaint(&new, &actor.account, &actor.unit).await.map_err(complaint_error)?;
    let complaint =
        state.store.complaint(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no complaint {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(complaint.subject_key.clone()),
        detail: Some(format!("complaint {id} filed ({}, {})", req.kind, req.channel)),
        ..AuditNote::default()
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/complaints/{id}"))],
        Extension(note),
        Json(FiledComplaint { complaint: with_steps(&state, complaint).await?, follow_code: code }),
    ))
}

/// Filters of the complaint list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ComplaintFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only open ones past their deadline (before today).
    #[serde(default)]
    pub overdue: bool,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/complaints`: complaints, earliest deadline first; a
/// reporter sees those its unit investigates.
///
/// # Errors
/// `422` for an unknown status.
#[utoipa::path(get, path = "/api/v1/complaints", params(ComplaintFilter), responses(
    (status = 200, description = "complaints", body = [ComplaintRow]),
    (status = 422, description = "unknown status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_complaints(
    State(state): State<AppState>,
    actor: Actor,
    Query(f): Query<ComplaintFilter>,
) -> Result<Json<Vec<ComplaintRow>>, ApiError> {
    if let Some(s) = f.status.as_deref().filter(|s| Status::parse(s).is_none()) {
        return Err(invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            "状态只能是 received、investigating、substantiated、unsubstantiated、not-accepted 或 closed".into(),
            "status is received, investigating, substantiated, unsubstantiated, not-accepted or closed".into(),
        ));
    }
    let today = super::today().to_string();
    let unit = (!actor.has(Role::Reviewer)).then_some(actor.unit.as_str());
    let rows = state
        .store
        .complaints(
            f.status.as_deref(),
            unit,
            f.overdue.then_some(today.as_str()),
            f.limit.unwrap_or(500).clamp(1, 5000),
        )
        .await?;
    Ok(Json(rows))
}

/// `GET /api/v1/complaints/{id}`: the complaint and every step.
///
/// # Errors
/// `404` for no such complaint, or one a reporter's unit does not investigate.
#[utoipa::path(get, path = "/api/v1/complaints/{id}", params(("id" = String, Path, description = "complaint id")), responses(
    (status = 200, description = "the complaint and its history", body = ComplaintWithSteps),
    (status = 404, description = "no such complaint", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn get_complaint(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<ComplaintWithSteps>), ApiError> {
    let c = state.store.complaint(&id).await?.filter(|c| may_see(&actor, c));
    let c = c.ok_or_else(|| ApiError::NotFound(format!("no complaint {id:?}")))?;
    let note = AuditNote { subject_key: Some(c.subject_key.clone()), ..AuditNote::default() };
    Ok((Extension(note), Json(with_steps(&state, c).await?)))
}

/// A step on a complaint.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplaintStepRequest {
    /// `accept`, `not-accept`, `request-completion`, `complete`,
    /// `conclude` or `answer`.
    pub action: Action,
    /// The day it took effect: not after today, not before the previous
    /// step (default today).
    pub on: Option<String>,
    /// Why; what is missing; the finding (`conclude`); the feedback
    /// (`answer`). Required except for `accept` and `complete`.
    pub reason: Option<String>,
    /// `accept`: the investigating unit (default: the division of the
    /// complaint's sector).
    pub unit: Option<String>,
    /// `conclude`: `substantiated` or `unsubstantiated`.
    pub verdict: Option<String>,
}

/// `POST /api/v1/complaints/{id}/steps`: take the next step.
///
/// - `accept` (reviewer): assigned to the unit that investigates (the
///   division of its sector unless `unit` names another that covers it),
///   due `complaint_working_days` (default 15) working days later;
/// - `not-accept` (reviewer), with reasons;
/// - `request-completion` / `complete` (reviewer): 补正 stops the clock;
/// - `conclude` (a reporter of the investigating unit): `verdict`
///   `substantiated` — a credit record of kind `complaint` is stored (as
///   published: the unit's conclusion is the decision) for the subject in
///   the same transaction, with the finding, which must not name the
///   complainant or their contact (`422 complainant-in-finding`) — or
///   `unsubstantiated`, which leaves every credit file as it was;
/// - `answer` (reviewer): the feedback to the complainant closes it.
///
/// # Errors
/// `409` `step-not-allowed` when the procedure has no such step now; `403`
/// for another role's step; `422` for a missing reason or verdict, a date
/// out of order, a unit that cannot investigate; `404` for no such complaint.
#[utoipa::path(
    post, path = "/api/v1/complaints/{id}/steps", params(("id" = String, Path, description = "complaint id")),
    request_body = ComplaintStepRequest,
    responses(
        (status = 200, description = "the complaint after the step", body = ComplaintWithSteps),
        (status = 403, description = "another role's step", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not allowed now", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn take_step(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(Extension<AuditNote>, Json<ComplaintWithSteps>), ApiError> {
    let req: ComplaintStepRequest = parse_json(&body)?;
    let c = state.store.complaint(&id).await?.filter(|c| may_see(&actor, c));
    let c = c.ok_or_else(|| ApiError::NotFound(format!("no complaint {id:?}")))?;
    let Some(from) = Status::parse(&c.status) else {
        return Err(ApiError::Internal(anyhow::anyhow!("complaint {id} has status {}", c.status)));
    };
    let role_needed = if req.action == Action::Conclude { Role::Reporter } else { Role::Reviewer };
    if !actor.has(role_needed) {
        return Err(ApiError::Forbidden(format!(
            "{0} 需要 {1} 角色 / {0} is taken by a {1}",
            req.action.as_str(),
            role_needed.as_str()
        )));
    }
    let substantiated = match req.verdict.as_deref() {
        None => None,
        Some("substantiated") => Some(true),
        Some("unsubstantiated") => Some(false),
        Some(v) => {
            return Err(invalid(
                "/verdict",
                Some(v.to_owned()),
                "unknown-verdict",
                "结论只能是 substantiated（属实）或 unsubstantiated（不属实）".into(),
                "verdict is substantiated or unsubstantiated".into(),
            ));
        }
    };
    if (req.action == Action::Conclude) != substantiated.is_some() {
        let (code, zh, en) = if req.action == Action::Conclude {
            ("verdict-required", "办结须给出结论", "conclude needs a verdict")
        } else {
            ("not-with-this-step", "verdict 只随 conclude 提交", "verdict goes with conclude only")
        };
        return Err(invalid("/verdict", None, code, zh.into(), en.into()));
    }
    if req.unit.is_some() && req.action != Action::Accept {
        return Err(invalid(
            "/unit",
            None,
            "not-with-this-step",
            "unit 只随 accept 提交".into(),
            "unit goes with accept only".into(),
        ));
    }
    let paused = c.paused_since.is_some();
    let to = next(from, paused, req.action, substantiated == Some(true))
        .map_err(|e| step_not_allowed(&e, "投诉举报", from.as_str(), paused, req.action.as_str()))?;
    let previous = state.store.complaint_steps(&id).await?.into_iter().rev().find_map(|s| s.on_date);
    let on = step_day(req.on.as_ref(), "/on", previous.as_deref())?;
    let reason = optional_bounded("/reason", req.reason.as_deref(), "理由", 2000)?;
    if reason.is_none() && !matches!(req.action, Action::Accept | Action::Complete) {
        return Err(invalid(
            "/reason",
            None,
            "reason-required",
            format!("{} 须写明理由、调查结论或反馈内容", req.action.as_str()),
            format!("{} needs a reason (the finding for conclude, the feedback for answer)", req.action.as_str()),
        ));
    }
    let mut t = ComplaintTransition {
        action: req.action,
        from,
        from_paused: paused,
        to,
        on_date: on.to_string(),
        reason: reason.clone(),
        due: None,
        unit: None,
        pause: None,
        record: None,
    };
    let due_from = |accepted: chrono::NaiveDate, pauses: &[PauseRow]| {
        intake::paused_deadline(&state, accepted, state.policy.complaint_working_days, pauses)
    };
    match req.action {
        Action::Accept => {
            let unit = investigating_unit(&state, &c.sector, req.unit.as_deref())?;
            t.unit = Some(unit);
            t.due = due_from(on, &c.pauses);
        }
        Action::RequestCompletion => t.pause = Some(None),
        Action::Complete => {
            let (closed, pauses) = intake::close_pause(c.paused_since.as_deref(), on, &c.pauses)?;
            if let Some(accepted) = c.accepted_on.as_deref().and_then(|d| parse_day("/accepted_on", d).ok()) {
                t.due = due_from(accepted, &pauses);
            }
            t.pause = Some(Some(closed));
        }
        Action::Conclude if substantiated == Some(true) => {
            let finding = reason.as_deref().unwrap_or_default();
            let private = [c.complainant_name.as_deref(), c.complainant_contact.as_deref()];
            if private.into_iter().flatten().any(|p| !p.trim().is_empty() && finding.contains(p.trim())) {
                return Err(invalid(
                    "/reason",
                    None,
                    "complainant-in-finding",
                    "调查结论将成为信用记录，不得写入投诉举报人的姓名或联系方式".into(),
                    "the finding becomes a credit record: it must not name the complainant or their contact".into(),
                ));
            }
            // The unit's conclusion is the decision: the record is stored
            // as published, like the bureau's own imports.
            t.record = Some((Box::new(complaint_record(&state, &c, finding, on, &actor)), BatchOptions::default()));
        }
        Action::NotAccept | Action::Conclude | Action::Answer => {}
    }
    state.store.transition_complaint(&id, &t, &actor.account, &actor.unit).await.map_err(complaint_error)?;
    let c = state.store.complaint(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no complaint {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(c.subject_key.clone()),
        detail: Some(format!("complaint {id} {} → {}", req.action.as_str(), to.as_str())),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(with_steps(&state, c).await?)))
}

/// The unit that investigates a complaint of `sector` (or checks the
/// rectification for the repair of an entry the office proposed about
/// it): `given`, if it covers the sector (its division, or a unit that reports its penalties),
/// else the sector's division.
pub(super) fn investigating_unit(state: &AppState, sector: &str, given: Option<&str>) -> Result<String, ApiError> {
    match given.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => {
            let Some(unit) = state.divisions.unit(u) else {
                return Err(invalid(
                    "/unit",
                    Some(u.to_owned()),
                    "unknown-unit",
                    format!("未知单位 {u}"),
                    format!("unknown unit {u:?}"),
                ));
            };
            let covers = unit.sectors.iter().any(|s| s == sector) || unit.may_report(Some(sector), "penalty");
            if !covers {
                return Err(invalid(
                    "/unit",
                    Some(u.to_owned()),
                    "unit-cannot-investigate",
                    format!("{u} 不负责 {sector} 领域"),
                    format!("{u} does not cover the sector {sector}"),
                ));
            }
            Ok(u.to_owned())
        }
        None => state.divisions.owners(sector).first().map(|d| d.id.clone()).ok_or_else(|| {
            invalid(
                "/unit",
                None,
                "unit-required",
                format!("{sector} 领域没有主管处室，请指定调查单位"),
                format!("no division owns {sector}: name the unit that investigates"),
            )
        }),
    }
}

/// The credit record a substantiated complaint becomes: kind `complaint`,
/// bureau-wide (its sector in the body), decided by the investigating
/// unit on `on`, with the finding; nothing about the complainant.
fn complaint_record(
    state: &AppState,
    c: &ComplaintRow,
    finding: &str,
    on: chrono::NaiveDate,
    actor: &Actor,
) -> NewRecord {
    let number = format!("投诉举报〔{}〕{}", &c.received_on[..4.min(c.received_on.len())], &c.id[..8.min(c.id.len())]);
    let authority = state.divisions.unit(&actor.unit).map_or_else(|| actor.unit.clone(), |d| d.name.clone());
    NewRecord {
        sector: None,
        kind: "complaint".into(),
        subject: c.subject.clone(),
        legal_representative: None,
        decision_number_norm: crate::ingest::prepare::normalise_decision_number(&number),
        decision_number: number,
        decision_date: Some(on.to_string()),
        authority,
        legal_basis: String::new(),
        penalty_types: Vec::new(),
        content: finding.to_owned(),
        certificate: String::new(),
        severity: Severity::None,
        publicity_end: None,
        body: serde_json::json!({
            "complaint_id": c.id, "kind": c.kind, "sector": c.sector, "received_on": c.received_on,
            "concluded_on": on.to_string(), "finding": finding
        }),
        plugin_version: None,
        list_entries: Vec::new(),
    }
}

/// Recompute the provisional deadlines of complaints under investigation
/// after a holiday schedule was loaded (never earlier); their number.
///
/// # Errors
/// A database error.
pub(super) async fn recompute_deadlines(state: &AppState) -> anyhow::Result<usize> {
    let mut n = 0;
    for c in state.store.provisional_complaints().await? {
        let accepted = c.accepted_on.as_deref().and_then(stored_day);
        let due =
            accepted.and_then(|a| intake::paused_deadline(state, a, state.policy.complaint_working_days, &c.pauses));
        if let Some((date, provisional)) = due {
            state.store.recompute_due(crate::store::Procedure::Complaint, &c.id, &date, provisional).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The period of the statistics.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Period {
    /// First day received, `YYYY-MM-DD` (default: 1 January this year).
    pub from: Option<String>,
    /// Last day received, included (default today).
    pub to: Option<String>,
}

/// `GET /api/v1/complaints/statistics?from&to` (`422` when `from` is
/// after `to`): counts of the complaints
/// received in the period: by kind, channel, sector and status;
/// substantiated, unsubstantiated, not accepted; concluded on time or late;
/// overdue.
///
/// # Errors
/// `422` for a bad date.
#[utoipa::path(get, path = "/api/v1/complaints/statistics", params(Period), responses(
    (status = 200, description = "counts", body = ComplaintStatistics),
    (status = 422, description = "a bad date", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn statistics(
    State(state): State<AppState>,
    Query(p): Query<Period>,
) -> Result<Json<ComplaintStatistics>, ApiError> {
    let today = super::today();
    let from = match &p.from {
        Some(d) => parse_day("/query/from", d)?,
        None => chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today),
    };
    let to = match &p.to {
        Some(d) => parse_day("/query/to", d)?,
        None => today,
    };
    if from > to {
        return Err(invalid(
            "/query/from",
            Some(from.to_string()),
            "from-after-to",
            format!("起始日期 {from} 晚于截止日期 {to}"),
            format!("from {from} is after to {to}"),
        ));
    }
    Ok(Json(state.store.complaint_statistics(&from.to_string(), &to.to_string(), &today.to_string()).await?))
}

/// What the complainant sees.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowedComplaint {
    /// Id.
    pub id: String,
    /// Status.
    pub status: String,
    /// The day it arrived.
    pub received_on: String,
    /// The investigation's last day.
    pub due: Option<String>,
    /// Answered on.
    pub answered_on: Option<String>,
    /// The steps: action, state and day — no names.
    pub steps: Vec<intake::FollowedStep>,
}

/// The complainant's code.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ComplaintCode {
    /// The code given at filing.
    pub code: String,
}

/// `GET /api/v1/public/complaints/{id}?code=…`: the complainant follows it
/// (no token).
///
/// # Errors
/// `404` for no such complaint or a wrong code (the same answer); `422`
/// without a code.
#[utoipa::path(get, path = "/api/v1/public/complaints/{id}", params(("id" = String, Path, description = "complaint id"), ComplaintCode), responses(
    (status = 200, description = "its status", body = FollowedComplaint),
    (status = 404, description = "no such complaint, or a wrong code", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn follow_complaint(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<ComplaintCode>,
) -> Result<Json<FollowedComplaint>, ApiError> {
    let c = state.store.complaint_followed(&id, &intake::code_hash(q.code.trim())).await?;
    let c = c.ok_or_else(|| ApiError::NotFound("no such complaint, or a wrong code".into()))?;
    let steps = state.store.complaint_steps(&id).await?.into_iter().map(intake::FollowedStep::from).collect();
    Ok(Json(FollowedComplaint {
        id: c.id,
        status: c.status,
        received_on: c.received_on,
        due: c.due,
        answered_on: c.answered_on,
        steps,
    }))
}
