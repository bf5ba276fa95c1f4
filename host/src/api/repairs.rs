//! Credit repair (信用修复), on two paths:
//!
//! - **a list entry**, repaired by the bureau: the office files the
//!   application (proof of rectification, a training record and a credit
//!   commitment), accepts it or not (补正 stops the clock), the unit that
//!   answers for the entry checks the rectification, the office reviews
//!   the check, the bureau leadership approves (报批), and the office issues
//!   the decision (准予 / 不予信用修复决定书); granted, the entry is removed
//!   at once and the current publication republished;
//! - **a penalty's publicity**, repaired by the national credit platform
//!   (信用中国): the office records the platform's request, the unit's
//!   opinion when the platform asks for it, and the platform's decision,
//!   which is mirrored — the record leaves public view and stops counting
//!   as dishonesty in checks, but stays in the file, and statutory bans
//!   still read it.
//!
//! Source: 郑文广新〔2017〕245号 (the plan: 信用修复 — the unit checks the
//! rectification, 报批, then repair); DESIGN.md §5 (where repair is
//! decided; the shortest publicity: 3 months for a general penalty, 1 year
//! for a serious one; what a repair application carries).

use super::access::AuditNote;
use super::error::{Path, Query, bounded, optional_bounded, parse_json, step_day, step_not_allowed, stored_day};
use super::intake::{self, FollowedStep};
use super::{ApiError, AppState};
use crate::access::{Actor, Role};
use crate::domain::repairs::{Action, RepairPath, Status, next};
use crate::store::{NewRepair, ProcedureStep, RepairError, RepairRow, RepairTarget, RepairTransition};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/credit-repairs", post(file_repair).get(list_repairs))
        .route("/api/v1/credit-repairs/{id}", get(get_repair))
        .route("/api/v1/credit-repairs/{id}/steps", post(take_step))
        .route("/api/v1/public/credit-repairs/{id}", get(follow_repair))
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

/// A repair application as it arrived, or the platform's request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileRepair {
    /// `list-entry` (the bureau repairs its entry) or `publicity` (the
    /// national credit platform repairs a penalty's publicity).
    pub path: RepairPath,
    /// `list-entry`: the entry, decided and on a dishonesty list.
    pub list_entry_id: Option<String>,
    /// `publicity`: the penalty record, still in publicity.
    pub record_id: Option<String>,
    /// `web`, `counter`, `municipal-platform`, `12345`, `12318`, `mail` or
    /// `credit-china`; `publicity` only through `credit-china`.
    pub channel: String,
    /// The channel's ticket (the platform's request number; required for
    /// the hotlines and platforms).
    pub ticket_number: Option<String>,
    /// The day it arrived, `YYYY-MM-DD`, not after today (default today).
    pub received_on: Option<String>,
    /// Who applies (required for `list-entry`).
    pub applicant: Option<intake::Applicant>,
    /// Proof of rectification (整改证明; required for `list-entry`, at most
    /// 2000 characters).
    pub rectification: Option<String>,
    /// The training record (信用修复培训; required for `list-entry`).
    pub training: Option<String>,
    /// The credit commitment (信用修复承诺; required for `list-entry`).
    pub commitment: Option<String>,
    /// `publicity`: whether the platform asks the unit for its opinion
    /// (default true): the opinion is due `repair_opinion_working_days`
    /// (default 3) working days after `received_on`.
    pub opinion_asked: Option<bool>,
    /// `publicity` with an opinion: the unit that gives it, only when the
    /// record does not say who reported it.
    pub unit: Option<String>,
}

/// A filed repair; for an applicant's, once, the code it is followed with
/// (`GET /api/v1/public/credit-repairs/{id}?code=…`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FiledRepair {
    /// The repair.
    #[serde(flatten)]
    pub repair: RepairWithSteps,
    /// Shown once: give it to the applicant (none for the platform's
    /// requests: the subject follows those on the platform).
    pub follow_code: Option<String>,
}

/// A repair with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RepairWithSteps {
    /// The repair.
    #[serde(flatten)]
    pub repair: RepairRow,
    /// The steps that may follow now.
    pub next_steps: Vec<Action>,
    /// Every step: who, when, why.
    pub steps: Vec<ProcedureStep>,
}

async fn with_steps(state: &AppState, repair: RepairRow) -> Result<RepairWithSteps, ApiError> {
    let steps = state.store.steps(crate::store::Procedure::Repair, &repair.id).await?;
    let next_steps = match Status::parse(&repair.status) {
        Some(s) => {
            let paused = repair.paused_since.is_some();
            Action::ALL.into_iter().filter(|a| next(s, paused, *a, true).is_ok()).collect()
        }
        None => Vec::new(),
    };
    Ok(RepairWithSteps { repair, next_steps, steps })
}

/// `pointer`: where the target was named (for `repair-open`).
fn repair_error(e: RepairError, pointer: &str) -> ApiError {
    match e {
        RepairError::NotFound(what) => ApiError::NotFound(what),
        RepairError::Stale { id, status } => ApiError::conflict(
            format!("credit repair {id} is {status} now; nothing was changed"),
            "/action",
            Some(status.clone()),
            "repair-changed",
            format!("该信用修复已被他人处理，当前状态为 {status}"),
            format!("someone else moved the repair meanwhile; it is {status} now"),
        ),
        RepairError::NotRepairable(code, zh, en) => {
            ApiError::conflict(format!("{en}; nothing was stored"), pointer, None, code, zh, en)
        }
        RepairError::Db(e) => ApiError::Internal(e),
    }
}

/// A reporter sees only the repairs its unit checks or gives an opinion on.
fn may_see(actor: &Actor, r: &RepairRow) -> bool {
    actor.has(Role::Reviewer) || actor.has(Role::Approver) || r.unit.as_deref() == Some(actor.unit.as_str())
}

fn not_repairable(pointer: &str, code: &str, zh: String, en: String) -> ApiError {
    ApiError::conflict(format!("{en}; nothing was stored"), pointer, None, code, zh, en)
}

/// Optional text of at most 2000 characters; required (`required` at
/// `pointer`) when `needed`.
fn material(pointer: &str, s: Option<&String>, what_zh: &str, needed: bool) -> Result<Option<String>, ApiError> {
    match s.filter(|s| !s.trim().is_empty()) {
        Some(s) => Ok(Some(bounded(pointer, s, what_zh, 2000)?.to_owned())),
        None if needed => Err(invalid(
            pointer,
            None,
            "required",
            format!("信用修复申请须附{what_zh}"),
            format!("a repair application carries {}", pointer.trim_start_matches('/')),
        )),
        None => Ok(None),
    }
}

/// The entry or record a repair is about, checked: a decided entry on a
/// dishonesty list, or a penalty still in publicity on `received`.
async fn target(state: &AppState, req: &FileRepair, received: NaiveDate) -> Result<(String, RepairTarget), ApiError> {
    let (id, pointer, other, other_pointer) = match req.path {
        RepairPath::ListEntry => (&req.list_entry_id, "/list_entry_id", &req.record_id, "/record_id"),
        RepairPath::Publicity => (&req.record_id, "/record_id", &req.list_entry_id, "/list_entry_id"),
    };
    if other.is_some() {
        return Err(invalid(
            other_pointer,
            None,
            "not-with-this-path",
            format!("{} 的信用修复不带 {}", req.path.as_str(), other_pointer.trim_start_matches('/')),
            format!("a {} repair takes no {}", req.path.as_str(), other_pointer.trim_start_matches('/')),
        ));
    }
    let Some(id) = id.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Err(invalid(
            pointer,
            None,
            "required",
            format!("须指明修复的{}", if req.path == RepairPath::ListEntry { "名单条目" } else { "行政处罚记录" }),
            format!("a {} repair names its {}", req.path.as_str(), pointer.trim_start_matches('/')),
        ));
    };
    let t = state.store.repair_target(req.path, id).await?.ok_or_else(|| {
        ApiError::NotFound(match req.path {
            RepairPath::ListEntry => format!("no list entry {id:?}"),
            RepairPath::Publicity => format!("no penalty record {id:?}"),
        })
    })?;
    if let Some(start) = t.start.as_deref().filter(|s| received.to_string().as_str() < *s) {
        return Err(invalid(
            "/received_on",
            Some(received.to_string()),
            "before-target",
            format!(
                "申请日期 {received} 早于{}（{start}）",
                if req.path == RepairPath::ListEntry { "列入名单之日" } else { "处罚决定之日" }
            ),
            format!(
                "received_on {received} is before the {} ({start})",
                if req.path == RepairPath::ListEntry { "entry starts" } else { "penalty was decided" }
            ),
        ));
    }
    match req.path {
        RepairPath::ListEntry => {
            if t.list.as_deref() == Some("red") {
                return Err(not_repairable(
                    pointer,
                    "not-repairable",
                    "红名单条目无需信用修复".into(),
                    "a red-list entry needs no credit repair".into(),
                ));
            }
            if t.status != "decided" {
                return Err(not_repairable(
                    pointer,
                    "entry-not-in-force",
                    format!("名单条目当前为 {}，只有已认定的条目可以申请信用修复", t.status),
                    format!("the entry is {}: only a decided entry is repaired", t.status),
                ));
            }
        }
        RepairPath::Publicity => {
            if t.status == "returned" || t.status == "revoked" {
                return Err(not_repairable(
                    pointer,
                    "target-not-counting",
                    format!("记录 {id} 已被退回或撤销，不再公示"),
                    format!("record {id} is {}: it is not published", t.status),
                ));
            }
            if let Some(repaired) = &t.repaired_on {
                return Err(not_repairable(
                    pointer,
                    "already-repaired",
                    format!("该记录的公示已于 {repaired} 经信用修复结束"),
                    format!("its publicity already ended by repair on {repaired}"),
                ));
            }
            if t.severity.as_deref() == Some("minor") || t.publicity_ends.is_none() {
                return Err(not_repairable(
                    pointer,
                    "not-published",
                    "轻微行政处罚不予公示，无需信用修复".into(),
                    "a minor penalty is not published: there is nothing to repair".into(),
                ));
            }
            if t.publicity_ends.as_deref().and_then(stored_day).is_some_and(|end| end <= received) {
                return Err(not_repairable(
                    pointer,
                    "publicity-over",
                    format!("该记录的公示已于 {} 结束", t.publicity_ends.as_deref().unwrap_or_default()),
                    format!("its publicity ended on {}", t.publicity_ends.as_deref().unwrap_or_default()),
                ));
            }
        }
    }
    Ok((id.to_owned(), t))
}

/// `POST /api/v1/credit-repairs`: file a repair application (`list-entry`,
/// status `received`) or the national credit platform's request about a
/// penalty's publicity (`publicity`, status `opinion-due`, or
/// `platform-deciding` when the platform asks no opinion).
///
/// # Errors
/// `422` naming the field (no target or the other path's, an unknown
/// channel, a ticket missing, `publicity` not through `credit-china`, an
/// applicant or material missing, a bad or future date, a day before the
/// entry starts or the penalty was decided: `before-target`); `404` for an
/// entry or penalty not stored; `409` for what cannot be repaired — a
/// red-list entry (`not-repairable`), an entry not decided
/// (`entry-not-in-force`), a minor penalty (`not-published`), publicity
/// already over (`publicity-over`), a returned or revoked record
/// (`target-not-counting`), one already repaired (`already-repaired`),
/// another repair of it still open
/// (`repair-open`).
#[utoipa::path(
    post, path = "/api/v1/credit-repairs", request_body = FileRepair,
    responses(
        (status = 201, description = "filed", body = FiledRepair),
        (status = 404, description = "no such entry or penalty", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "cannot be repaired, with the reason", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn file_repair(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<FiledRepair>), ApiError> {
    let req: FileRepair = parse_json(&body)?;
    let ticket = intake::channel_and_ticket(&req.channel, req.ticket_number.as_deref(), "信用修复申请", "repair")?;
    let received = step_day(req.received_on.as_ref(), "/received_on", None)?;
    let list_entry = req.path == RepairPath::ListEntry;
    if !list_entry && req.channel != "credit-china" {
        return Err(invalid(
            "/channel",
            Some(req.channel.clone()),
            "platform-only",
            "行政处罚信息的信用修复由信用中国网站受理，渠道须为 credit-china".into(),
            "a penalty's publicity is repaired through the national credit platform: channel credit-china".into(),
        ));
    }
    let misplaced =
        [("/opinion_asked", list_entry && req.opinion_asked.is_some()), ("/unit", list_entry && req.unit.is_some())];
    if let Some((pointer, _)) = misplaced.iter().find(|(_, bad)| *bad) {
        return Err(invalid(
            pointer,
            None,
            "not-with-this-path",
            format!("{} 只用于 publicity 路径", pointer.trim_start_matches('/')),
            format!("{} goes with the publicity path only", pointer.trim_start_matches('/')),
        ));
    }
    let (name, role, proof) = match (&req.applicant, list_entry) {
        (Some(a), _) => {
            let (name, proof) = intake::applicant(a)?;
            (name, a.role.clone(), proof)
        }
        (None, false) => ("信用中国".to_owned(), "platform".to_owned(), Vec::new()),
        (None, true) => {
            return Err(invalid(
                "/applicant",
                None,
                "required",
                "须写明申请人及其身份证明".into(),
                "a repair application names its applicant and the proof shown".into(),
            ));
        }
    };
    let rectification = material("/rectification", req.rectification.as_ref(), "整改证明材料", list_entry)?;
    let training = material("/training", req.training.as_ref(), "信用修复培训记录", list_entry)?;
    let commitment = material("/commitment", req.commitment.as_ref(), "信用修复承诺书", list_entry)?;
    let (id, t) = target(&state, &req, received).await?;
    let mut new = NewRepair {
        path: req.path,
        list_entry_id: list_entry.then(|| id.clone()),
        record_id: (!list_entry).then(|| id.clone()),
        status: Status::Received,
        channel: req.channel.clone(),
        ticket_number: ticket,
        received_on: received.to_string(),
        applicant_name: name,
        applicant_role: role,
        proof,
        rectification,
        training,
        commitment,
        unit: None,
        due: None,
        follow_code_hash: None,
    };
    let mut code = None;
    if list_entry {
        let (c, hash) = intake::follow_code();
        code = Some(c);
        new.follow_code_hash = Some(hash);
    } else if req.opinion_asked.unwrap_or(true) {
        new.status = Status::OpinionDue;
        new.unit = Some(intake::responsible_unit(&state, Some(&id), None, req.unit.as_deref()).await?);
        let d = state.calendar.load().add_working_days(received, state.policy.repair_opinion_working_days);
        new.due = Some((d.date.to_string(), d.provisional));
    } else {
        new.status = Status::PlatformDeciding;
        if req.unit.is_some() {
            return Err(invalid(
                "/unit",
                None,
                "not-with-this-step",
                "平台未征求意见时无需指定单位".into(),
                "unit goes with an opinion asked only".into(),
            ));
        }
    }
    let repair_id = state
        .store
        .file_repair(&new, &t.subject_key, &actor.account, &actor.unit)
        .await
        .map_err(|e| repair_error(e, if list_entry { "/list_entry_id" } else { "/record_id" }))?;
    let repair =
        state.store.repair(&repair_id).await?.ok_or_else(|| ApiError::NotFound(format!("no repair {repair_id:?}")))?;
    let note = AuditNote {
        subject_key: Some(repair.subject_key.clone()),
        detail: Some(format!("credit repair {repair_id} filed ({}, {})", req.path.as_str(), req.channel)),
        ..AuditNote::default()
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/credit-repairs/{repair_id}"))],
        Extension(note),
        Json(FiledRepair { repair: with_steps(&state, repair).await?, follow_code: code }),
    ))
}

/// Filters of the repair list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RepairFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only those past their deadline (before today, Beijing time).
    #[serde(default)]
    pub overdue: bool,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/credit-repairs`: repairs, earliest deadline first. A
/// reporter sees those its unit checks or gives an opinion on.
///
/// # Errors
/// `422` for an unknown status.
#[utoipa::path(get, path = "/api/v1/credit-repairs", params(RepairFilter), responses(
    (status = 200, description = "repairs, earliest deadline first", body = [RepairRow]),
    (status = 422, description = "unknown status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_repairs(
    State(state): State<AppState>,
    actor: Actor,
    Query(f): Query<RepairFilter>,
) -> Result<Json<Vec<RepairRow>>, ApiError> {
    if let Some(s) = f.status.as_deref().filter(|s| Status::parse(s).is_none()) {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        return Err(invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            format!("状态只能是 {}", all.join("、")),
            format!("status is one of {}", all.join(", ")),
        ));
    }
    let today = super::today().to_string();
    let unit = (!actor.has(Role::Reviewer) && !actor.has(Role::Approver)).then_some(actor.unit.as_str());
    let rows = state
        .store
        .repairs(f.status.as_deref(), unit, f.overdue.then_some(today.as_str()), f.limit.unwrap_or(500).clamp(1, 5000))
        .await?;
    Ok(Json(rows))
}

/// `GET /api/v1/credit-repairs/{id}`: the repair and every step.
///
/// # Errors
/// `404` for no such repair, or one a reporter's unit has no part in.
#[utoipa::path(get, path = "/api/v1/credit-repairs/{id}", params(("id" = String, Path, description = "repair id")), responses(
    (status = 200, description = "the repair and its history", body = RepairWithSteps),
    (status = 404, description = "no such repair", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn get_repair(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<RepairWithSteps>), ApiError> {
    let r = state.store.repair(&id).await?.filter(|r| may_see(&actor, r));
    let r = r.ok_or_else(|| ApiError::NotFound(format!("no credit repair {id:?}")))?;
    let note = AuditNote { subject_key: Some(r.subject_key.clone()), ..AuditNote::default() };
    Ok((Extension(note), Json(with_steps(&state, r).await?)))
}

/// A step on a repair.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepairStepRequest {
    /// `accept`, `not-accept`, `request-completion`, `complete`, `check`,
    /// `review`, `approve`, `decide`, `opinion` or `platform-decision`.
    pub action: Action,
    /// The day it took effect, not after today (default today).
    pub on: Option<String>,
    /// Why; what is missing (`request-completion`). Required for
    /// `not-accept`, `request-completion`, `check`, `review`, `opinion`,
    /// and for a refusing `approve`.
    pub reason: Option<String>,
    /// `check`, `review`, `approve`, `opinion`, `platform-decision`:
    /// `grant` or `refuse`.
    pub verdict: Option<String>,
    /// `accept`: the unit that checks, when the entry does not say who
    /// proposed it.
    pub unit: Option<String>,
    /// `decide`: the number of the 准予 / 不予信用修复决定书 (required);
    /// `platform-decision`: the platform's, if any.
    pub decision_number: Option<String>,
}

/// Who takes `action`.
fn role_for(action: Action) -> Role {
    match action {
        Action::Check | Action::Opinion => Role::Reporter,
        Action::Approve => Role::Approver,
        _ => Role::Reviewer,
    }
}

/// `POST /api/v1/credit-repairs/{id}/steps`: take the next step.
///
/// - `accept` (受理; reviewer): the unit that reported the record the
///   entry rests on — for an entry the office proposed, the division of
///   its sector (or `unit`, one that covers it), else the proposing unit —
///   checks the rectification within
///   `repair_check_working_days` (default 5) working days, the day of
///   acceptance not counted; `not-accept` (不予受理; reviewer), with
///   reasons; `request-completion` (补正; reviewer) stops the clock from
///   `on`, `complete` starts it again.
/// - `check` (reporter of that unit): `verdict` with reasons; the office's
///   review is due `repair_review_working_days` (default 3) later.
/// - `review` (reviewer, not the one who checked): `verdict`; the
///   leadership's approval (报批) is due `repair_approval_working_days`
///   (default 3) later.
/// - `approve` (approver): `verdict`; the decision is due
///   `repair_decision_working_days` (default 2) later.
/// - `decide` (reviewer): the `decision_number` of the decision, which
///   follows the leadership's verdict; granted, the entry is removed at
///   once and the current publication republished.
/// - `opinion` (reporter of the unit the platform asked): `verdict`, with
///   reasons.
/// - `platform-decision` (reviewer): the platform's `verdict`, on the day
///   it decided; granted, the penalty's publicity ends that day — not
///   before its shortest publicity (`repair_min_general_months`, default
///   3, or `repair_min_serious_months`, default 12, from the decision).
///
/// Whoever reported the record or proposed the entry takes no `review`,
/// `approve` or `decide` on its repair.
///
/// # Errors
/// `403` for the wrong role, or an account deciding on what it reported;
/// `404` for no such repair (or one a reporter's unit has no part in);
/// `409` `step-not-allowed` for a step out of order (`repair-changed`
/// when someone else moved it meanwhile), `before-minimum-publicity`,
/// `false-commitment` when accepting the application of a subject with a
/// confirmed breach of a credit commitment (take `not-accept`), or
/// granting it in a check, review or approval once one is confirmed;
/// `422` naming the field (a missing reason, verdict or decision number, a
/// field that does not go with the step, a date before the previous step
/// or in the future).
#[utoipa::path(
    post, path = "/api/v1/credit-repairs/{id}/steps", params(("id" = String, Path, description = "repair id")),
    request_body = RepairStepRequest,
    responses(
        (status = 200, description = "the repair after the step", body = RepairWithSteps),
        (status = 403, description = "not this account's step", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such repair", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not possible now", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn take_step(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(Extension<AuditNote>, Json<RepairWithSteps>), ApiError> {
    let req: RepairStepRequest = parse_json(&body)?;
    let r = state.store.repair(&id).await?.filter(|r| may_see(&actor, r));
    let r = r.ok_or_else(|| ApiError::NotFound(format!("no credit repair {id:?}")))?;
    let Some(from) = Status::parse(&r.status) else {
        return Err(ApiError::Internal(anyhow::anyhow!("credit repair {id} has status {}", r.status)));
    };
    let role = role_for(req.action);
    if !actor.has(role) {
        return Err(ApiError::Forbidden(format!(
            "{0} 需要 {1} 角色 / {0} is taken by the {1} role",
            req.action.as_str(),
            role.as_str()
        )));
    }
    let verdict = match req.verdict.as_deref() {
        None => None,
        Some(v @ ("grant" | "refuse")) => Some(v.to_owned()),
        Some(v) => {
            return Err(invalid(
                "/verdict",
                Some(v.to_owned()),
                "unknown-verdict",
                "意见只能是 grant（予以修复）或 refuse（不予修复）".into(),
                "verdict is grant or refuse".into(),
            ));
        }
    };
    let paused = r.paused_since.is_some();
    let granted = match req.action {
        Action::Decide => r.approval_verdict.as_deref() == Some("grant"),
        _ => verdict.as_deref() == Some("grant"),
    };
    let to = next(from, paused, req.action, granted)
        .map_err(|e| step_not_allowed(&e, "信用修复", from.as_str(), paused, req.action.as_str()))?;
    let steps = state.store.steps(crate::store::Procedure::Repair, &id).await?;
    let previous = steps.iter().rev().find_map(|s| s.on_date.clone());
    let on = step_day(req.on.as_ref(), "/on", previous.as_deref())?;
    let reason = optional_bounded("/reason", req.reason.as_deref(), "理由", 2000)?;
    if req.action.takes_verdict() && verdict.is_none() {
        return Err(invalid(
            "/verdict",
            None,
            "verdict-required",
            "须给出意见：grant（予以修复）或 refuse（不予修复）".into(),
            "a verdict is required: grant or refuse".into(),
        ));
    }
    let reason_needed = matches!(
        req.action,
        Action::NotAccept | Action::RequestCompletion | Action::Check | Action::Review | Action::Opinion
    ) || (req.action == Action::Approve && !granted);
    if reason.is_none() && reason_needed {
        return Err(invalid(
            "/reason",
            None,
            "reason-required",
            format!("{} 须写明理由", req.action.as_str()),
            format!("{} needs a reason", req.action.as_str()),
        ));
    }
    let decision_number = match req.decision_number.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => Some(bounded("/decision_number", n, "决定书文号", 100)?.to_owned()),
        None => None,
    };
    if req.action == Action::Decide && decision_number.is_none() {
        return Err(invalid(
            "/decision_number",
            None,
            "required",
            "须写明准予或不予信用修复决定书的文号".into(),
            "decide needs the decision's number".into(),
        ));
    }
    let misplaced = [
        ("/unit", req.unit.is_some() && req.action != Action::Accept),
        ("/verdict", verdict.is_some() && !req.action.takes_verdict()),
        (
            "/decision_number",
            decision_number.is_some() && !matches!(req.action, Action::Decide | Action::PlatformDecision),
        ),
    ];
    if let Some((pointer, _)) = misplaced.iter().find(|(_, bad)| *bad) {
        return Err(invalid(
            pointer,
            None,
            "not-with-this-step",
            format!("{} 不随 {} 提交", pointer.trim_start_matches('/'), req.action.as_str()),
            format!("{} does not go with {}", pointer.trim_start_matches('/'), req.action.as_str()),
        ));
    }
    let path = if r.path == "publicity" { RepairPath::Publicity } else { RepairPath::ListEntry };
    let target_id = r.list_entry_id.as_deref().or(r.record_id.as_deref()).unwrap_or_default();
    let target = state
        .store
        .repair_target(path, target_id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("credit repair {id} has no target")))?;
    if matches!(req.action, Action::Review | Action::Approve | Action::Decide)
        && target.reported_by.as_deref() == Some(actor.account.as_str())
    {
        return Err(ApiError::Forbidden(format!(
            "{0} 报送了该记录或提出了该名单条目，不能决定其信用修复 / {0} reported the record or proposed the entry and decides nothing about its repair",
            actor.account
        )));
    }
    if req.action == Action::Review && r.checked_by.as_deref() == Some(actor.account.as_str()) {
        return Err(ApiError::Forbidden(format!(
            "{0} 出具了核查意见，不能审核自己的意见 / {0} checked the rectification and cannot review the check",
            actor.account
        )));
    }
    if matches!(req.action, Action::Check | Action::Review | Action::Approve) && granted {
        let breaches = state.store.commitment_breaches_of(&r.subject_key).await?;
        if !breaches.is_empty() {
            return Err(ApiError::conflict(
                format!(
                    "the subject breached a credit commitment (record {}): the repair cannot be granted; nothing was changed",
                    breaches.join(", ")
                ),
                "/verdict",
                Some("grant".into()),
                "false-commitment",
                format!("申请人违背信用承诺（记录 {}），不予信用修复", breaches.join("、")),
                format!(
                    "the applicant breached a credit commitment (record {}): refuse the repair",
                    breaches.join(", ")
                ),
            ));
        }
    }
    if req.action == Action::PlatformDecision && granted {
        shortest_publicity(&state, &target, on)?;
    }
    let policy = &state.policy;
    let after = |days: u32| {
        let d = state.calendar.load().add_working_days(on, days);
        Some((d.date.to_string(), d.provisional))
    };
    let mut t = RepairTransition {
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
        decision_number,
    };
    match req.action {
        Action::Accept => {
            let breaches = state.store.commitment_breaches_of(&r.subject_key).await?;
            if !breaches.is_empty() {
                return Err(ApiError::conflict(
                    format!(
                        "the subject breached a credit commitment before (record {}): not accept it; nothing was changed",
                        breaches.join(", ")
                    ),
                    "/action",
                    Some("accept".into()),
                    "false-commitment",
                    format!("申请人曾违背信用承诺（记录 {}），不予受理其信用修复申请", breaches.join("、")),
                    format!(
                        "the applicant breached a credit commitment before (record {}): the repair is not accepted",
                        breaches.join(", ")
                    ),
                ));
            }
            let unit = match (target.record_id.as_deref(), target.sector.as_deref()) {
                (Some(record), _) => intake::responsible_unit(&state, Some(record), None, req.unit.as_deref()).await?,
                (None, Some(sector)) => super::complaints::investigating_unit(&state, sector, req.unit.as_deref())?,
                (None, None) => intake::responsible_unit(&state, None, Some(target_id), req.unit.as_deref()).await?,
            };
            t.unit = Some(unit);
            t.due = intake::paused_deadline(&state, on, policy.repair_check_working_days, &r.pauses);
        }
        Action::RequestCompletion => t.pause = Some(None),
        Action::Complete => {
            let (closed, pauses) = intake::close_pause(r.paused_since.as_deref(), on, &r.pauses)?;
            if let Some(accepted) = r.accepted_on.as_deref().and_then(stored_day) {
                t.due = intake::paused_deadline(&state, accepted, policy.repair_check_working_days, &pauses);
            }
            t.pause = Some(Some(closed));
        }
        Action::Check => t.due = after(policy.repair_review_working_days),
        Action::Review => t.due = after(policy.repair_approval_working_days),
        Action::Approve => t.due = after(policy.repair_decision_working_days),
        Action::NotAccept | Action::Decide | Action::Opinion | Action::PlatformDecision => {}
    }
    state
        .store
        .transition_repair(&id, &t, &actor.account, &actor.unit)
        .await
        .map_err(|e| repair_error(e, "/action"))?;
    if to == Status::Granted && path == RepairPath::ListEntry {
        super::lists::republish(&state, &format!("credit repair {id} granted")).await?;
    }
    let r = state.store.repair(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no credit repair {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(r.subject_key.clone()),
        detail: Some(format!(
            "credit repair {id} {} → {}{}",
            req.action.as_str(),
            to.as_str(),
            verdict.map(|v| format!(" ({v})")).unwrap_or_default()
        )),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(with_steps(&state, r).await?)))
}

/// A penalty's publicity ends by repair no earlier than its shortest
/// period from the decision: 3 months for a general penalty, 12 for a
/// serious one (configurable; DESIGN.md §5).
///
/// # Errors
/// `409` `before-minimum-publicity` at `/on`.
fn shortest_publicity(state: &AppState, target: &RepairTarget, on: NaiveDate) -> Result<(), ApiError> {
    let months = match target.severity.as_deref() {
        Some("serious") => state.policy.repair_min_serious_months,
        _ => state.policy.repair_min_general_months,
    };
    let Some(decided) = target.decision_date.as_deref().and_then(stored_day) else {
        return Ok(());
    };
    let earliest = decided.checked_add_months(chrono::Months::new(months)).unwrap_or(decided);
    if on < earliest {
        return Err(ApiError::conflict(
            format!("the publicity may end by repair on {earliest} at the earliest; nothing was changed"),
            "/on",
            Some(on.to_string()),
            "before-minimum-publicity",
            format!("该处罚自 {decided} 起至少公示 {months} 个月，最早 {earliest} 可修复"),
            format!("decided {decided}, it stays published at least {months} months: {earliest} at the earliest"),
        ));
    }
    Ok(())
}

/// Recompute the provisional deadlines of open repairs after a holiday
/// schedule was loaded (never earlier); their number.
///
/// # Errors
/// A database error.
pub(super) async fn recompute_deadlines(state: &AppState) -> anyhow::Result<usize> {
    let policy = &state.policy;
    let mut n = 0;
    for (r, last_on) in state.store.provisional_repairs().await? {
        let after = |start: Option<&str>, days: u32| {
            start.and_then(stored_day).map(|on| {
                let d = state.calendar.load().add_working_days(on, days);
                (d.date.to_string(), d.provisional)
            })
        };
        let due = match Status::parse(&r.status) {
            Some(Status::Checking) if r.paused_since.is_none() => r
                .accepted_on
                .as_deref()
                .and_then(stored_day)
                .and_then(|a| intake::paused_deadline(state, a, policy.repair_check_working_days, &r.pauses)),
            Some(Status::OfficeReview) => after(last_on.as_deref(), policy.repair_review_working_days),
            Some(Status::Approval) => after(last_on.as_deref(), policy.repair_approval_working_days),
            Some(Status::Deciding) => after(last_on.as_deref(), policy.repair_decision_working_days),
            Some(Status::OpinionDue) => after(Some(&r.received_on), policy.repair_opinion_working_days),
            _ => None,
        };
        if let Some((date, provisional)) = due {
            state.store.recompute_due(crate::store::Procedure::Repair, &r.id, &date, provisional).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// What the applicant sees.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowedRepair {
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
    /// The decision: `grant` or `refuse`.
    pub decision: Option<String>,
    /// The decision's number.
    pub decision_number: Option<String>,
    /// The day the entry ended.
    pub repaired_on: Option<String>,
    /// The steps: action, status and day — no names.
    pub steps: Vec<FollowedStep>,
}

/// `GET /api/v1/public/credit-repairs/{id}?code=…`: the applicant follows
/// its application (no token; the code given at filing).
///
/// # Errors
/// `404` for no such repair or a wrong code (the same answer for both).
#[utoipa::path(get, path = "/api/v1/public/credit-repairs/{id}", params(("id" = String, Path, description = "repair id"), super::objections::FollowCode), responses(
    (status = 200, description = "its status", body = FollowedRepair),
    (status = 404, description = "no such repair, or a wrong code", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn follow_repair(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<super::objections::FollowCode>,
) -> Result<Json<FollowedRepair>, ApiError> {
    let r = state.store.repair_followed(&id, &intake::code_hash(q.code.trim())).await?;
    let r = r.ok_or_else(|| ApiError::NotFound("no such credit repair, or a wrong code".into()))?;
    let steps = state.store.steps(crate::store::Procedure::Repair, &id).await?;
    Ok(Json(FollowedRepair {
        id: r.id,
        status: r.status,
        received_on: r.received_on,
        due: r.due,
        paused_since: r.paused_since,
        decision: r.decision,
        decision_number: r.decision_number,
        repaired_on: r.repaired_on,
        steps: steps.into_iter().map(FollowedStep::from).collect(),
    }))
}
