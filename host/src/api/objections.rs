//! Objections (异议): the credit office files what a subject (or its agent)
//! brought through a channel, accepts it or not, and routes it to the unit
//! that provided the record; that unit verifies it within 7 working days of
//! acceptance (补正 stops the clock) and gives its written opinion; the
//! office reviews it; an upheld objection corrects or revokes the record at
//! once; a written answer closes it. The applicant follows the status with
//! the code given when it was filed.
//!
//! Source: 郑文广新〔2017〕245号 (the bureau's plan: 异议处理, 7 working
//! days); DESIGN.md §5 (working days, the day of receipt not counted).

use super::access::AuditNote;
use super::error::{Path, Query, bounded, optional_bounded, parse_json, step_day, step_not_allowed, stored_day};
use super::intake::{self, FollowedStep};
use super::{ApiError, AppState};
use crate::access::{Actor, Role};
use crate::domain::objections::{Action, Status, next};
use crate::store::{
    NewObjection, ObjectionError, ObjectionRow, ObjectionTransition, PauseRow, ProcedureStep, Remedy, StoredRecord,
};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/objections", post(file_objection).get(list_objections))
        .route("/api/v1/objections/{id}", get(get_objection))
        .route("/api/v1/objections/{id}/steps", post(take_step))
        .route("/api/v1/public/objections/{id}", get(follow_objection))
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

/// An objection as it arrived.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileObjection {
    /// The record disputed (or give `list_entry_id`).
    pub record_id: Option<String>,
    /// The list entry disputed.
    pub list_entry_id: Option<String>,
    /// `web`, `counter`, `municipal-platform`, `12345`, `12318`, `mail`
    /// or `credit-china`.
    pub channel: String,
    /// The channel's ticket number (required for `12345`, `12318` and the
    /// platforms).
    pub ticket_number: Option<String>,
    /// The day it arrived, `YYYY-MM-DD`, not after today (default today).
    pub received_on: Option<String>,
    /// Who objects.
    pub applicant: intake::Applicant,
    /// What is disputed and why.
    pub statement: String,
}

/// A filed objection: its id and, once, the code its applicant follows it
/// with (`GET /api/v1/public/objections/{id}?code=…`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Filed {
    /// The objection.
    #[serde(flatten)]
    pub objection: ObjectionWithSteps,
    /// Shown once: give it to the applicant.
    pub follow_code: String,
}

/// An objection with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ObjectionWithSteps {
    /// The objection.
    #[serde(flatten)]
    pub objection: ObjectionRow,
    /// The steps that may follow now.
    pub next_steps: Vec<Action>,
    /// Every step: who, when, why.
    pub steps: Vec<ProcedureStep>,
}

fn text<'a>(pointer: &str, s: &'a str, what_zh: &str) -> Result<&'a str, ApiError> {
    bounded(pointer, s, what_zh, 5000)
}

async fn with_steps(state: &AppState, objection: ObjectionRow) -> Result<ObjectionWithSteps, ApiError> {
    let steps = state.store.objection_steps(&objection.id).await?;
    let next_steps = match Status::parse(&objection.status) {
        Some(s) => {
            let paused = objection.paused_since.is_some();
            let mut v: Vec<Action> = Action::ALL.into_iter().filter(|a| next(s, paused, *a, false).is_ok()).collect();
            v.dedup();
            v
        }
        None => Vec::new(),
    };
    Ok(ObjectionWithSteps { objection, next_steps, steps })
}

fn objection_error(e: ObjectionError) -> ApiError {
    match e {
        ObjectionError::NotFound(what) => ApiError::NotFound(what),
        ObjectionError::Stale { id, status } => ApiError::conflict(
            format!("objection {id} is {status} now; nothing was changed"),
            "/action",
            Some(status.clone()),
            "objection-changed",
            format!("该异议已被他人处理，当前状态为 {status}"),
            format!("someone else moved the objection meanwhile; it is {status} now"),
        ),
        ObjectionError::NotCounting(zh, en) => {
            ApiError::conflict(format!("{en}; nothing was stored"), "/record_id", None, "target-not-counting", zh, en)
        }
        ObjectionError::Collides(other) => ApiError::conflict(
            format!("the corrected record would be record {other}; nothing was changed"),
            "/record",
            Some(other.clone()),
            "conflict",
            format!("更正后的机关、文号、当事人与已有记录（{other}）相同"),
            format!("after the correction, authority, decision number and subject are those of record {other}"),
        ),
        ObjectionError::Db(e) => ApiError::Internal(e),
    }
}

/// A reporter sees only the objections routed to its unit.
fn may_see(actor: &Actor, o: &ObjectionRow) -> bool {
    actor.has(Role::Reviewer) || o.unit.as_deref() == Some(actor.unit.as_str())
}

/// `POST /api/v1/objections`: file an objection as it arrived (status
/// `received`). The record (or entry) stays published, marked as under
/// objection, until it is decided.
///
/// # Errors
/// `422` naming the field (no or two targets, unknown channel, a platform
/// channel without its ticket number, an agent without a power of
/// attorney, no proof, an empty statement, a bad or future date); `404`
/// for a record or entry not stored.
#[utoipa::path(
    post, path = "/api/v1/objections", request_body = FileObjection,
    responses(
        (status = 201, description = "filed; the follow code is shown once", body = Filed),
        (status = 404, description = "no such record or entry", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn file_objection(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<Filed>), ApiError> {
    let req: FileObjection = parse_json(&body)?;
    if req.record_id.is_some() == req.list_entry_id.is_some() {
        return Err(invalid(
            "/record_id",
            None,
            "objection-target",
            "异议须且只须针对一条信用记录（record_id）或一个名单条目（list_entry_id）".into(),
            "an objection names exactly one of record_id and list_entry_id".into(),
        ));
    }
    let ticket = intake::channel_and_ticket(&req.channel, req.ticket_number.as_deref(), "异议", "objection")?;
    let (name, proof) = intake::applicant(&req.applicant)?;
    let statement = text("/statement", &req.statement, "异议内容")?.to_owned();
    let received = step_day(req.received_on.as_ref(), "/received_on", None)?;
    let (code, code_hash) = intake::follow_code();
    let new = NewObjection {
        record_id: req.record_id.clone(),
        list_entry_id: req.list_entry_id.clone(),
        channel: req.channel.clone(),
        ticket_number: ticket,
        received_on: received.to_string(),
        applicant_name: name,
        applicant_role: req.applicant.role.clone(),
        proof,
        statement,
        follow_code_hash: code_hash,
    };
    let id = state.store.file_objection(&new, &actor.account, &actor.unit).await.map_err(objection_error)?;
    let objection =
        state.store.objection(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no objection {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(objection.subject_key.clone()),
        detail: Some(format!("objection {id} filed ({})", req.channel)),
        ..AuditNote::default()
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/objections/{id}"))],
        Extension(note),
        Json(Filed { objection: with_steps(&state, objection).await?, follow_code: code }),
    ))
}

/// Filters of the objection list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ObjectionFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only those past their deadline (before today, Beijing time).
    #[serde(default)]
    pub overdue: bool,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/objections`: objections, earliest deadline first. A
/// reporter sees those routed to its unit.
///
/// # Errors
/// `422` for an unknown status.
#[utoipa::path(get, path = "/api/v1/objections", params(ObjectionFilter), responses(
    (status = 200, description = "objections, earliest deadline first", body = [ObjectionRow]),
    (status = 422, description = "unknown status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_objections(
    State(state): State<AppState>,
    actor: Actor,
    Query(f): Query<ObjectionFilter>,
) -> Result<Json<Vec<ObjectionRow>>, ApiError> {
    if let Some(s) = f.status.as_deref().filter(|s| Status::parse(s).is_none()) {
        return Err(invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            "状态只能是 received、verifying、office-review、upheld、rejected、not-accepted 或 closed".into(),
            "status is received, verifying, office-review, upheld, rejected, not-accepted or closed".into(),
        ));
    }
    let today = super::today().to_string();
    let unit = (!actor.has(Role::Reviewer)).then_some(actor.unit.as_str());
    let rows = state
        .store
        .objections(
            f.status.as_deref(),
            unit,
            f.overdue.then_some(today.as_str()),
            f.limit.unwrap_or(500).clamp(1, 5000),
        )
        .await?;
    Ok(Json(rows))
}

/// `GET /api/v1/objections/{id}`: the objection and every step.
///
/// # Errors
/// `404` for no such objection, or one a reporter's unit does not verify.
#[utoipa::path(get, path = "/api/v1/objections/{id}", params(("id" = String, Path, description = "objection id")), responses(
    (status = 200, description = "the objection and its history", body = ObjectionWithSteps),
    (status = 404, description = "no such objection", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn get_objection(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<ObjectionWithSteps>), ApiError> {
    let o = state.store.objection(&id).await?.filter(|o| may_see(&actor, o));
    let o = o.ok_or_else(|| ApiError::NotFound(format!("no objection {id:?}")))?;
    let note = AuditNote { subject_key: Some(o.subject_key.clone()), ..AuditNote::default() };
    Ok((Extension(note), Json(with_steps(&state, o).await?)))
}

/// A step on an objection.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionStepRequest {
    /// `accept`, `not-accept`, `request-completion`, `complete`, `opinion`,
    /// `review` or `answer`.
    pub action: Action,
    /// The day it took effect, not after today (default today).
    pub on: Option<String>,
    /// Why; what is missing (`request-completion`); the answer's gist
    /// (`answer`). Required except for `accept` and `complete`.
    pub reason: Option<String>,
    /// `accept`: the unit that verifies, when the record does not say who
    /// provided it.
    pub unit: Option<String>,
    /// `opinion` and `review`: `uphold` or `reject`.
    pub verdict: Option<String>,
    /// `review` upholding: `revoke` the record or `correct` it.
    pub remedy: Option<String>,
    /// `correct`: the whole corrected record body, checked like a report.
    #[schema(value_type = Option<Object>)]
    pub record: Option<serde_json::Map<String, serde_json::Value>>,
}

/// `POST /api/v1/objections/{id}/steps`: take the next step.
///
/// - `accept` (受理; reviewer): routes it to the unit that provided the
///   record; that unit's deadline is `objection_working_days` (default 7)
///   working days after `on`, the day of acceptance not counted.
/// - `not-accept` (不予受理; reviewer), with reasons.
/// - `request-completion` (补正; reviewer): the clock stops from `on`;
///   `complete` on the day the material arrives starts it again.
/// - `opinion` (reporter of the verifying unit): `verdict` `uphold` or
///   `reject`, with reasons; the office's review is due
///   `objection_review_working_days` (default 3) working days later.
/// - `review` (reviewer, not the one who gave the opinion): `verdict`;
///   upholding `remedy` `revoke` (the record counts nowhere and leaves
///   public view; entries resting on it are removed) or `correct` with the
///   corrected `record` — done at once, in the same transaction.
/// - `answer` (书面答复; reviewer): closes it.
///
/// # Errors
/// `409` `step-not-allowed` for a step the procedure has no place for now
/// (or `objection-changed` when someone moved it meanwhile); `403` for a
/// step another role takes, or a reviewer reviewing their own opinion;
/// `422` for a missing reason, verdict, remedy or record, a bad or future
/// date, an invalid corrected record (every error); `404` for no such
/// objection.
#[utoipa::path(
    post, path = "/api/v1/objections/{id}/steps", params(("id" = String, Path, description = "objection id")),
    request_body = ObjectionStepRequest,
    responses(
        (status = 200, description = "the objection after the step", body = ObjectionWithSteps),
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
) -> Result<(Extension<AuditNote>, Json<ObjectionWithSteps>), ApiError> {
    let req: ObjectionStepRequest = parse_json(&body)?;
    let o = state.store.objection(&id).await?.filter(|o| may_see(&actor, o));
    let o = o.ok_or_else(|| ApiError::NotFound(format!("no objection {id:?}")))?;
    let Some(from) = Status::parse(&o.status) else {
        return Err(ApiError::Internal(anyhow::anyhow!("objection {id} has status {}", o.status)));
    };
    let role_needed = if req.action == Action::Opinion { Role::Reporter } else { Role::Reviewer };
    if !actor.has(role_needed) {
        return Err(ApiError::Forbidden(format!(
            "{} 需要 {} 角色 / {} is taken by a {}",
            req.action.as_str(),
            role_needed.as_str(),
            req.action.as_str(),
            role_needed.as_str()
        )));
    }
    let verdict = match req.verdict.as_deref() {
        None => None,
        Some(v @ ("uphold" | "reject")) => Some(v.to_owned()),
        Some(v) => {
            return Err(invalid(
                "/verdict",
                Some(v.to_owned()),
                "unknown-verdict",
                "意见只能是 uphold（异议成立）或 reject（异议不成立）".into(),
                "verdict is uphold or reject".into(),
            ));
        }
    };
    let paused = o.paused_since.is_some();
    let upheld = verdict.as_deref() == Some("uphold");
    let to = next(from, paused, req.action, upheld)
        .map_err(|e| step_not_allowed(&e, "异议", from.as_str(), paused, req.action.as_str()))?;
    let previous = state.store.objection_steps(&id).await?.into_iter().rev().find_map(|s| s.on_date);
    let on = step_day(req.on.as_ref(), "/on", previous.as_deref())?;
    let reason = optional_bounded("/reason", req.reason.as_deref(), "理由", 2000)?;
    if reason.is_none() && !matches!(req.action, Action::Accept | Action::Complete) {
        return Err(invalid(
            "/reason",
            None,
            "reason-required",
            format!("{} 须写明理由或内容", req.action.as_str()),
            format!("{} needs a reason", req.action.as_str()),
        ));
    }
    if matches!(req.action, Action::Opinion | Action::Review) && verdict.is_none() {
        return Err(invalid(
            "/verdict",
            None,
            "verdict-required",
            "须给出意见：uphold（异议成立）或 reject（异议不成立）".into(),
            "a verdict is required: uphold or reject".into(),
        ));
    }
    let misplaced = [
        (
            "/unit",
            req.unit.is_some() && req.action != Action::Accept,
            "unit 只随 accept 提交",
            "unit goes with accept only",
        ),
        (
            "/verdict",
            verdict.is_some() && !matches!(req.action, Action::Opinion | Action::Review),
            "verdict 只随 opinion 或 review 提交",
            "verdict goes with opinion or review only",
        ),
        (
            "/remedy",
            req.remedy.is_some() && !(req.action == Action::Review && upheld),
            "remedy 只在 review 且 verdict 为 uphold 时提交",
            "remedy goes with review and verdict uphold only",
        ),
        (
            "/record",
            req.record.is_some() && req.remedy.as_deref() != Some("correct"),
            "record 只在 remedy 为 correct 时提交",
            "record goes with remedy correct only",
        ),
    ];
    if let Some((pointer, _, zh, en)) = misplaced.iter().find(|(_, bad, _, _)| *bad) {
        return Err(invalid(pointer, None, "not-with-this-step", (*zh).into(), (*en).into()));
    }
    let calendar = state.calendar.load();
    let mut t = ObjectionTransition {
        action: req.action,
        from,
        from_paused: paused,
        to,
        on_date: on.to_string(),
        reason,
        due: None,
        unit: None,
        pause: None,
        verdict: verdict.clone(),
        remedy: None,
    };
    let accepted_on = o.accepted_on.as_deref().and_then(stored_day);
    match req.action {
        Action::Accept => {
            let unit = intake::responsible_unit(
                &state,
                o.record_id.as_deref(),
                o.list_entry_id.as_deref(),
                req.unit.as_deref(),
            )
            .await?;
            t.unit = Some(unit);
            t.due = verifying_due(&state, on, &o.pauses);
        }
        Action::RequestCompletion => {
            t.pause = Some(None);
            // Paused: no deadline until the material arrives.
        }
        Action::Complete => {
            let (closed, pauses) = intake::close_pause(o.paused_since.as_deref(), on, &o.pauses)?;
            if let Some(accepted) = accepted_on {
                t.due = verifying_due(&state, accepted, &pauses);
            }
            t.pause = Some(Some(closed));
        }
        Action::Opinion => {
            let d = calendar.add_working_days(on, state.policy.objection_review_working_days);
            t.due = Some((d.date.to_string(), d.provisional));
        }
        Action::Review => {
            if o.opinion_by.as_deref() == Some(actor.account.as_str()) {
                return Err(ApiError::Forbidden(format!(
                    "{0} 出具了核查意见，不能复核自己的意见 / {0} gave the unit's opinion and cannot review it",
                    actor.account
                )));
            }
            if upheld {
                t.remedy = remedy(&state, &o, req.remedy.as_deref(), req.record).await?;
            }
        }
        Action::NotAccept | Action::Answer => {}
    }
    let ends_something = matches!(t.remedy, Some(Remedy::Revoke | Remedy::EndEntry));
    state.store.transition_objection(&id, &t, &actor.account, &actor.unit).await.map_err(objection_error)?;
    if ends_something {
        super::lists::republish(&state, &format!("objection {id} upheld")).await?;
    }
    let o = state.store.objection(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no objection {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(o.subject_key.clone()),
        detail: Some(format!(
            "objection {id} {} → {}{}",
            req.action.as_str(),
            to.as_str(),
            verdict.map(|v| format!(" ({v})")).unwrap_or_default()
        )),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(with_steps(&state, o).await?)))
}

/// The verifying unit's deadline: `objection_working_days` working days
/// after `accepted`, the days of `pauses` (补正, both ends included) not
/// counted; with the provisional flag.
fn verifying_due(state: &AppState, accepted: chrono::NaiveDate, pauses: &[PauseRow]) -> Option<(String, bool)> {
    intake::paused_deadline(state, accepted, state.policy.objection_working_days, pauses)
}

/// Recompute the provisional deadlines of open objections after a holiday
/// schedule was loaded (never earlier); their number.
///
/// # Errors
/// A database error.
pub(super) async fn recompute_deadlines(state: &AppState) -> anyhow::Result<usize> {
    let day = stored_day;
    let mut n = 0;
    for (o, opinion_on) in state.store.provisional_objections().await? {
        let due = match o.status.as_str() {
            "verifying" if o.paused_since.is_none() => {
                o.accepted_on.as_deref().and_then(day).and_then(|a| verifying_due(state, a, &o.pauses))
            }
            "office-review" => opinion_on.as_deref().and_then(day).map(|on| {
                let d = state.calendar.load().add_working_days(on, state.policy.objection_review_working_days);
                (d.date.to_string(), d.provisional)
            }),
            _ => None,
        };
        if let Some((date, provisional)) = due {
            state.store.recompute_due(crate::store::Procedure::Objection, &o.id, &date, provisional).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// What upholding does to the record: `revoke`, or `correct` with the
/// corrected record checked like a report of its kind. An objection against
/// a list entry takes none: the office removes the entry through the
/// list's own steps.
async fn remedy(
    state: &AppState,
    o: &ObjectionRow,
    remedy: Option<&str>,
    record: Option<serde_json::Map<String, serde_json::Value>>,
) -> Result<Option<Remedy>, ApiError> {
    let Some(record_id) = o.record_id.as_deref() else {
        // Upheld against a list entry: the entry ends at once.
        return match remedy {
            None => Ok(Some(Remedy::EndEntry)),
            Some(_) => Err(invalid(
                "/remedy",
                None,
                "not-with-this-step",
                "针对名单条目的异议成立即移出（或撤回）该条目，无需写明处理方式".into(),
                "upheld against a list entry, the entry ends at once: give no remedy".into(),
            )),
        };
    };
    match (remedy, record) {
        (Some("revoke"), None) => Ok(Some(Remedy::Revoke)),
        (Some("correct"), Some(body)) => {
            let (stored, _): (StoredRecord, _) = state
                .store
                .record(record_id)
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("no record {record_id:?}")))?;
            let rec = super::corrections::checked_correction(state, &stored, body).await?;
            Ok(Some(Remedy::Correct(Box::new(rec))))
        }
        (Some("correct"), None) => Err(invalid(
            "/record",
            None,
            "record-required",
            "更正须提交更正后的完整记录".into(),
            "correct needs the whole corrected record".into(),
        )),
        (Some(other), _) if other != "revoke" && other != "correct" => Err(invalid(
            "/remedy",
            Some(other.to_owned()),
            "unknown-remedy",
            "处理方式只能是 revoke（撤销记录）或 correct（更正记录）".into(),
            "remedy is revoke or correct".into(),
        )),
        (None, _) => Err(invalid(
            "/remedy",
            None,
            "remedy-required",
            "异议成立须写明处理方式：revoke（撤销记录）或 correct（更正记录）".into(),
            "an upheld objection needs a remedy: revoke or correct".into(),
        )),
        _ => Err(invalid(
            "/record",
            None,
            "not-with-this-step",
            "撤销记录无需提交更正内容".into(),
            "revoke takes no record".into(),
        )),
    }
}

/// What the applicant sees.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowedObjection {
    /// Id.
    pub id: String,
    /// Status.
    pub status: String,
    /// The day it arrived.
    pub received_on: String,
    /// The current stage's last day.
    pub due: Option<String>,
    /// Waiting for material since (补正).
    pub paused_since: Option<String>,
    /// The office's decision: `uphold` or `reject`.
    pub decision: Option<String>,
    /// The steps: action, status and day — no names.
    pub steps: Vec<FollowedStep>,
}

/// The applicant's code.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FollowCode {
    /// The code given when the objection was filed.
    pub code: String,
}

/// `GET /api/v1/public/objections/{id}?code=…`: the applicant follows its
/// objection (no token; the code given at filing).
///
/// # Errors
/// `404` for no such objection or a wrong code (the same answer for both).
#[utoipa::path(get, path = "/api/v1/public/objections/{id}", params(("id" = String, Path, description = "objection id"), FollowCode), responses(
    (status = 200, description = "its status", body = FollowedObjection),
    (status = 404, description = "no such objection, or a wrong code", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn follow_objection(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<FollowCode>,
) -> Result<Json<FollowedObjection>, ApiError> {
    let o = state.store.objection_followed(&id, &intake::code_hash(q.code.trim())).await?;
    let o = o.ok_or_else(|| ApiError::NotFound("no such objection, or a wrong code".into()))?;
    let steps = state.store.objection_steps(&id).await?.into_iter().map(FollowedStep::from).collect();
    Ok(Json(FollowedObjection {
        id: o.id,
        status: o.status,
        received_on: o.received_on,
        due: o.due,
        paused_since: o.paused_since,
        decision: o.decision,
        steps,
    }))
}
