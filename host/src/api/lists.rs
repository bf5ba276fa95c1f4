//! Lists (红黑榜): the credit office proposes an entry, serves notice and
//! hears the subject (dishonesty lists) or announces it (red list), decides,
//! and publishes dated snapshots that the public endpoints serve.
//!
//! The procedure is [`crate::domain::lists`]; every step is kept with who,
//! when and why (`GET /api/v1/list-entries/{id}`). Deadlines are in working
//! days on the State Council's calendar, the day of service (or of the
//! announcement) not counted; a deadline reaching into a year without a
//! schedule is marked provisional and recomputed when it is loaded, never
//! earlier. Whoever proposed an entry does not decide it.

use super::access::AuditNote;
use super::error::{Path, Query, bounded, optional_bounded, parse_day, parse_json, parse_uscc, step_day, stored_day};
use super::{ApiError, AppState};
use crate::access::Actor;
use crate::domain::lists::{Action, List, Status, next};
use crate::domain::severity::add_years;
use crate::store::{ListEntryRow, ListError, NewProposal, ProcedureStep, PublicEntry, Publication, Transition};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/list-entries", post(propose_entry).get(list_entries))
        .route("/api/v1/list-entries/{id}", get(get_entry))
        .route("/api/v1/list-entries/{id}/steps", post(take_step))
        .route("/api/v1/publications", post(publish))
        .route("/api/v1/public/lists", get(public_lists))
        .route("/api/v1/public/publications", get(public_publications))
        .route("/api/v1/public/publications/{id}", get(public_publication))
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

/// Who an entry is about: exactly one of `uscc` and `id_number`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntrySubject {
    /// 统一社会信用代码 (an organisation or individual business).
    pub uscc: Option<String>,
    /// 身份证号码 (a natural person); stored only hashed, masked and encrypted.
    pub id_number: Option<String>,
    /// 名称 / 姓名; required for a subject the bureau does not know yet.
    pub name: Option<String>,
}

/// A proposed entry.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeEntry {
    /// `red`, `serious-dishonesty` or `minor-dishonesty`.
    pub list: String,
    /// The subject.
    pub subject: EntrySubject,
    /// 认定标准: which criterion of the list applies (e.g. `未履行信用承诺`).
    pub criteria: String,
    /// 列入事由 and 依据, as the decision will state them.
    pub basis: String,
    /// The credit record it rests on, if any.
    pub record_id: Option<String>,
    /// Proposed start `YYYY-MM-DD` (default today); the decision fixes it.
    pub start: Option<String>,
    /// Proposed end `YYYY-MM-DD`, exclusive (default: start plus the list's
    /// period — red 2 years, serious 3, minor 1, configurable).
    pub end: Option<String>,
    /// The measures (default: the list's, see [`List::default_measures`]).
    pub measures: Option<Vec<String>>,
    /// The sector concerned, if one.
    pub sector: Option<String>,
    /// The day of the proposal, `YYYY-MM-DD`, not after today (default
    /// today): every later step is dated on or after it.
    pub on: Option<String>,
}

/// An entry with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryWithSteps {
    /// The entry.
    #[serde(flatten)]
    pub entry: ListEntryRow,
    /// `true` while decided and inside its period (today, Beijing time).
    pub in_force: bool,
    /// The steps that may follow now.
    pub next_steps: Vec<Action>,
    /// Every step: who, when, why.
    pub steps: Vec<ProcedureStep>,
}

fn text<'a>(pointer: &str, s: &'a str, what_zh: &str) -> Result<&'a str, ApiError> {
    bounded(pointer, s, what_zh, 2000)
}

/// The last day a list can reach (the dates the API takes end in 2100).
fn last_day(pointer: &str, end: chrono::NaiveDate) -> Result<(), ApiError> {
    if end > chrono::NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(end) {
        return Err(invalid(
            pointer,
            Some(end.to_string()),
            "date-out-of-range",
            format!("移出日期 {end} 超出2100年"),
            format!("the end {end} lies after 2100"),
        ));
    }
    Ok(())
}

/// Why `subject_key` may not be on the red list now (a dishonesty entry in
/// force, a penalty still in publicity), as a `409`.
async fn refuse_red_if_adverse(state: &AppState, subject_key: &str) -> Result<(), ApiError> {
    let adverse = state.store.adverse_now(subject_key, &super::today().to_string()).await?;
    if adverse.is_empty() {
        return Ok(());
    }
    let what = adverse.join("、");
    Err(ApiError::conflict(
        format!("the subject has adverse records in force ({what}); nothing was changed"),
        "/subject",
        Some(what.clone()),
        "adverse-record",
        format!("该主体有尚在有效期内的失信名单或仍在公示期的行政处罚（{what}），不能列入守信红名单"),
        format!(
            "the subject is on a dishonesty list or has a penalty still in publicity ({what}): not for the red list"
        ),
    ))
}

fn parse_list(pointer: &str, s: &str) -> Result<List, ApiError> {
    List::parse(s).ok_or_else(|| {
        invalid(
            pointer,
            Some(s.to_owned()),
            "unknown-list",
            "名单只能是 red（守信红名单）、serious-dishonesty（严重失信主体名单）或 minor-dishonesty（轻微失信主体名单）"
                .into(),
            "list is red, serious-dishonesty or minor-dishonesty".into(),
        )
    })
}

fn list_years(state: &AppState, list: List) -> i32 {
    match list {
        List::Red => state.policy.red_list_years,
        List::SeriousDishonesty => state.policy.serious_list_years,
        List::MinorDishonesty => state.policy.minor_list_years,
    }
}

fn end_after(pointer: &str, start: chrono::NaiveDate, end: chrono::NaiveDate) -> Result<(), ApiError> {
    if end <= start {
        return Err(invalid(
            pointer,
            Some(end.to_string()),
            "end-before-start",
            format!("移出日期 {end} 须晚于列入日期 {start}"),
            format!("end {end} must be after start {start}"),
        ));
    }
    Ok(())
}

async fn with_steps(state: &AppState, entry: ListEntryRow) -> Result<EntryWithSteps, ApiError> {
    let steps = state.store.list_entry_steps(&entry.id).await?;
    let today = super::today().to_string();
    let in_force = entry.status == Status::Decided.as_str()
        && entry.start_date <= today
        && entry.end_date.as_ref().is_none_or(|e| *e > today);
    let next_steps = match (List::parse(&entry.list), Status::parse(&entry.status)) {
        (Some(l), Some(s)) => [
            Action::Notify,
            Action::Statement,
            Action::Announce,
            Action::Decide,
            Action::Withdraw,
            Action::Reinstate,
            Action::Remove,
        ]
        .into_iter()
        .filter(|a| next(l, s, *a).is_ok())
        .collect(),
        _ => Vec::new(),
    };
    Ok(EntryWithSteps { entry, in_force, next_steps, steps })
}

/// A state's name as users read it.
fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Proposed => "拟列入",
        Status::Notified => "已告知",
        Status::Announced => "公示中",
        Status::Decided => "已认定",
        Status::Suspended => "暂停",
        Status::Withdrawn => "不予列入",
        Status::Removed => "已移出",
    }
}

/// A step's name as users read it.
fn action_zh(a: Action) -> &'static str {
    match a {
        Action::Notify => "告知",
        Action::Statement => "陈述申辩",
        Action::Announce => "公示",
        Action::Decide => "认定",
        Action::Withdraw => "不予列入",
        Action::Reinstate => "恢复",
        Action::Remove => "移出",
    }
}

/// After an entry left force (removed, suspended) or a record was
/// revoked: publish the lists again as of today, if they were ever
/// published, so that the public no longer sees it.
///
/// # Errors
/// A database error.
pub(super) async fn republish(state: &AppState, why: &str) -> anyhow::Result<()> {
    if state.store.publications(1).await?.is_empty() {
        return Ok(());
    }
    let today = super::today().to_string();
    let entries = state.store.public_entries(&today).await?;
    let p = state.store.save_publication(&today, &entries, "system").await?;
    tracing::info!(publication = p.id, entries = p.entry_count, "lists republished: {why}");
    Ok(())
}

/// `action`: the step that failed (`None`: a proposal).
fn list_error(e: ListError, action: Option<Action>) -> ApiError {
    match e {
        ListError::NotFound(what) => ApiError::NotFound(what),
        ListError::Record(why_zh, why_en) => {
            ApiError::invalid("/record_id", None, "record-not-a-basis", why_zh, why_en)
        }
        ListError::Duplicate(id) => ApiError::conflict(
            format!("the same entry exists ({id}); nothing was changed"),
            if action.is_some() { "/start" } else { "" },
            Some(id.clone()),
            "duplicate-entry",
            format!("同一名单、同一主体、同一列入日期和事由的条目已存在（{id}）"),
            format!("an entry of the same list, subject, start and basis exists ({id})"),
        ),
        ListError::Stale { id, status } => ApiError::conflict(
            format!("entry {id} is {status} now; nothing was changed"),
            "/action",
            action.map(|a| a.as_str().to_owned()),
            "entry-changed",
            format!("该条目已被他人处理，当前状态为 {status}"),
            format!("someone else moved the entry meanwhile; it is {status} now"),
        ),
        ListError::Db(e) => ApiError::Internal(e),
    }
}

/// `POST /api/v1/list-entries`: propose an entry (拟列入). It is
/// `proposed`: nothing public, counting in no check, until decided.
///
/// # Errors
/// `422` naming the field (unknown list, subject without exactly one
/// identifier, invalid USCC or ID number, empty criteria or basis, a bad
/// date, an end not after the start, an unknown sector); `404` for a
/// `record_id` not stored; `409` when the same entry exists.
#[utoipa::path(
    post, path = "/api/v1/list-entries", request_body = ProposeEntry,
    responses(
        (status = 201, description = "proposed; Location names it", body = EntryWithSteps),
        (status = 404, description = "no such record", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the same entry exists", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn propose_entry(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<EntryWithSteps>), ApiError> {
    let req: ProposeEntry = parse_json(&body)?;
    let list = parse_list("/list", &req.list)?;
    let criteria = text("/criteria", &req.criteria, "认定标准")?.to_owned();
    let basis = text("/basis", &req.basis, "列入事由和依据")?.to_owned();
    let proposed_on = step_day(req.on.as_ref(), "/on", None)?;
    let subject = super::intake::subject(
        &state,
        req.subject.uscc.as_deref(),
        req.subject.id_number.as_deref(),
        req.subject.name.as_deref(),
    )
    .await?;
    if let Some(sector) = &req.sector
        && !state.plugins.sectors().iter().any(|s| s == sector)
    {
        return Err(invalid(
            "/sector",
            Some(sector.clone()),
            "unknown-sector",
            format!("未知领域 {sector}"),
            format!("unknown sector {sector:?}"),
        ));
    }
    let start = match &req.start {
        Some(s) => parse_day("/start", s)?,
        None => super::today(),
    };
    let end = match &req.end {
        Some(e) => parse_day("/end", e)?,
        None => add_years(start, list_years(&state, list)),
    };
    end_after("/end", start, end)?;
    last_day("/end", end)?;
    let measures = match &req.measures {
        Some(m) => {
            if m.len() > 20 {
                return Err(invalid(
                    "/measures",
                    Some(m.len().to_string()),
                    "too-many",
                    "措施最多20项".into(),
                    "at most 20 measures".into(),
                ));
            }
            let mut kept = Vec::new();
            for (i, x) in m.iter().enumerate().filter(|(_, x)| !x.trim().is_empty()) {
                kept.push(bounded(&format!("/measures/{i}"), x, "措施", 100)?.to_owned());
            }
            if kept.is_empty() {
                return Err(invalid(
                    "/measures",
                    None,
                    "required",
                    "措施不能为空；不填则使用该名单的默认措施".into(),
                    "measures must not be empty; leave it out for the list's default measures".into(),
                ));
            }
            kept
        }
        None => list.default_measures().iter().map(|m| (*m).to_owned()).collect(),
    };
    let proposal = NewProposal {
        list,
        subject,
        criteria,
        basis,
        record_id: req.record_id.clone(),
        start: start.to_string(),
        end: Some(end.to_string()),
        measures,
        sector: req.sector.clone(),
        unit: actor.unit.clone(),
        proposed_on: proposed_on.to_string(),
    };
    if list == List::Red {
        refuse_red_if_adverse(&state, &proposal.subject.key).await?;
    }
    let id = state.store.propose_list_entry(&proposal, &actor.account).await.map_err(|e| list_error(e, None))?;
    let entry =
        state.store.list_entry(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no list entry {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(entry.subject_key.clone()),
        detail: Some(format!("list entry {id} proposed ({})", list.as_str())),
        ..AuditNote::default()
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/list-entries/{id}"))],
        Extension(note),
        Json(with_steps(&state, entry).await?),
    ))
}

/// Filters of the office's list of entries.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EntryFilter {
    /// Only this list.
    pub list: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only this subject (USCC).
    pub uscc: Option<String>,
    /// Only entries whose hearing or announcement has ended (its deadline
    /// is before today, Beijing time): ready to decide, or overdue.
    #[serde(default)]
    pub due: bool,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/list-entries`: entries, earliest deadline first.
///
/// # Errors
/// `422` for an unknown list or status, or an invalid USCC.
#[utoipa::path(get, path = "/api/v1/list-entries", params(EntryFilter), responses(
    (status = 200, description = "entries, earliest deadline first", body = [ListEntryRow]),
    (status = 422, description = "unknown list or status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_entries(
    State(state): State<AppState>,
    Query(f): Query<EntryFilter>,
) -> Result<Json<Vec<ListEntryRow>>, ApiError> {
    if let Some(l) = &f.list {
        parse_list("/query/list", l)?;
    }
    if let Some(s) = f.status.as_deref().filter(|s| Status::parse(s).is_none()) {
        return Err(invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            "状态只能是 proposed、notified、announced、decided、suspended、withdrawn 或 removed".into(),
            "status is proposed, notified, announced, decided, suspended, withdrawn or removed".into(),
        ));
    }
    let uscc = f.uscc.as_deref().map(|u| parse_uscc("/query/uscc", u)).transpose()?.map(|u| u.to_string());
    let today = super::today().to_string();
    let rows = state
        .store
        .list_entries(
            f.list.as_deref(),
            f.status.as_deref(),
            uscc.as_deref(),
            f.due.then_some(today.as_str()),
            f.limit.unwrap_or(500).clamp(1, 5000),
        )
        .await?;
    Ok(Json(rows))
}

/// `GET /api/v1/list-entries/{id}`: the entry, whether it is in force,
/// the steps that may follow, and its whole history.
///
/// # Errors
/// `404` for no such entry.
#[utoipa::path(get, path = "/api/v1/list-entries/{id}", params(("id" = String, Path, description = "entry id")), responses(
    (status = 200, description = "the entry and its history", body = EntryWithSteps),
    (status = 404, description = "no such entry", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn get_entry(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<EntryWithSteps>), ApiError> {
    let entry =
        state.store.list_entry(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no list entry {id:?}")))?;
    let note = AuditNote { subject_key: Some(entry.subject_key.clone()), ..AuditNote::default() };
    Ok((Extension(note), Json(with_steps(&state, entry).await?)))
}

/// A step on an entry.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// `notify`, `statement`, `announce`, `decide`, `withdraw`, `reinstate`
    /// or `remove`.
    pub action: Action,
    /// The day it took effect, `YYYY-MM-DD`, not after today (default
    /// today): the notice served, the statement received, the announcement
    /// begun, the decision signed.
    pub on: Option<String>,
    /// Why, or what the subject stated. Required for `statement`,
    /// `withdraw`, `reinstate` and `remove`.
    pub reason: Option<String>,
    /// `decide`: the 认定决定书 number. Required.
    pub decision_number: Option<String>,
    /// `decide`: the start (default: the decision day).
    pub start: Option<String>,
    /// `decide`: the end, exclusive (default: start plus the list's period).
    pub end: Option<String>,
}

/// `POST /api/v1/list-entries/{id}/steps`: take the next step.
///
/// - `notify` (dishonesty lists, from `proposed`): the notice is served on
///   `on`; the subject may state its case for `hearing_working_days`
///   working days (default 5), the day of service not counted.
/// - `statement` (while `notified`): the subject's statement, in `reason`.
/// - `announce` (red list, from `proposed`): announced from `on` for
///   `red_announcement_working_days` working days (default 5).
/// - `decide` (from `notified` or `announced`): with `decision_number`;
///   a hearing must have ended (its deadline passed) or the statement been
///   received; an announcement must have ended. Not by the proposer.
/// - `withdraw` (before a decision), `reinstate` (a suspended red entry),
///   `remove` (a decided or suspended entry): with a `reason`.
///
/// # Errors
/// `409` `step-not-allowed` for a step the procedure has no place for now,
/// `hearing-not-over` / `announcement-not-over` for a decision before the
/// deadline, `entry-changed` when someone moved it meanwhile; `403` when
/// the proposer decides; `422` for a missing reason or decision number, a
/// bad or future date, an end not after the start; `404` for no such entry.
#[utoipa::path(
    post, path = "/api/v1/list-entries/{id}/steps", params(("id" = String, Path, description = "entry id")),
    request_body = StepRequest,
    responses(
        (status = 200, description = "the entry after the step", body = EntryWithSteps),
        (status = 403, description = "the proposer cannot decide", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not allowed now", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn take_step(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(Extension<AuditNote>, Json<EntryWithSteps>), ApiError> {
    let req: StepRequest = parse_json(&body)?;
    let entry =
        state.store.list_entry(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no list entry {id:?}")))?;
    let (Some(list), Some(from)) = (List::parse(&entry.list), Status::parse(&entry.status)) else {
        return Err(ApiError::Internal(anyhow::anyhow!("entry {id} has list {} status {}", entry.list, entry.status)));
    };
    let to = next(list, from, req.action).map_err(|e| {
        ApiError::conflict(
            format!("{e}; nothing was changed"),
            "/action",
            Some(req.action.as_str().to_owned()),
            "step-not-allowed",
            format!("{}的条目当前状态为“{}”，此时不能执行“{}”", list.name_zh(), status_zh(from), action_zh(req.action)),
            e.to_string(),
        )
    })?;
    let steps = state.store.list_entry_steps(&id).await?;
    let previous = steps.iter().rev().find_map(|s| s.on_date.clone());
    let on = step_day(req.on.as_ref(), "/on", previous.as_deref())?;
    let reason = optional_bounded("/reason", req.reason.as_deref(), "理由", 2000)?;
    let needs_reason = matches!(req.action, Action::Statement | Action::Withdraw | Action::Reinstate | Action::Remove);
    if needs_reason && reason.is_none() {
        let (zh, en) = if req.action == Action::Statement {
            ("陈述申辩须写明当事人陈述的内容", "a statement needs what the subject stated, in reason")
        } else {
            ("须写明理由", "this step needs a reason")
        };
        return Err(invalid(
            "/reason",
            None,
            "reason-required",
            format!("{}：{zh}", action_zh(req.action)),
            format!("{}: {en}", req.action.as_str()),
        ));
    }
    if !matches!(req.action, Action::Decide)
        && let Some(p) = [("/decision_number", &req.decision_number), ("/start", &req.start), ("/end", &req.end)]
            .into_iter()
            .find_map(|(p, v)| v.as_ref().map(|_| p))
    {
        return Err(invalid(
            p,
            None,
            "only-with-decide",
            "认定决定书文号、列入和移出日期只随 decide 提交".into(),
            format!("{} goes with decide only", p.trim_start_matches('/')),
        ));
    }
    let calendar = state.calendar.load();
    let mut t = Transition {
        action: req.action,
        from,
        to,
        on_date: on.to_string(),
        reason,
        due: None,
        decision: None,
        statement_on: None,
    };
    match req.action {
        Action::Notify | Action::Announce => {
            let days = if req.action == Action::Notify {
                state.policy.hearing_working_days
            } else {
                state.policy.red_announcement_working_days
            };
            let d = calendar.add_working_days(on, days);
            t.due = Some((d.date.to_string(), d.provisional, days));
        }
        Action::Statement => t.statement_on = Some(on.to_string()),
        Action::Decide => {
            if state.store.proposed_list_entry(&id, &actor.account).await? {
                return Err(ApiError::Forbidden(format!(
                    "{0} 提出了该列入建议，不能自行认定 / {0} proposed this entry and cannot decide it",
                    actor.account
                )));
            }
            let heard = entry.statement_on.is_some();
            let due = entry.due.as_deref().and_then(stored_day);
            let over = due.is_some_and(|d| on > d);
            // A dishonesty entry may be decided once the subject was heard;
            // a red-list announcement always runs its course.
            let may_decide = over || (heard && list != List::Red);
            if !may_decide {
                let (code, zh, en) = if list == List::Red {
                    ("announcement-not-over", "公示期", "the announcement")
                } else {
                    ("hearing-not-over", "陈述申辩期", "the hearing")
                };
                let until = entry.due.clone().unwrap_or_default();
                return Err(ApiError::conflict(
                    format!("{en} runs until {until}; nothing was changed"),
                    "/on",
                    Some(on.to_string()),
                    code,
                    format!(
                        "{zh}至 {until} 届满（{}），届满后方可认定",
                        if entry.due_provisional { "暂定" } else { "工作日" }
                    ),
                    format!("{en} runs until {until}; decide after it"),
                ));
            }
            let number = match req.decision_number.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(n) => bounded("/decision_number", n, "认定决定书文号", 100)?.to_owned(),
                None => {
                    return Err(invalid(
                        "/decision_number",
                        None,
                        "decision-number-required",
                        "认定须提供认定决定书文号".into(),
                        "a decision needs its decision_number (认定决定书文号)".into(),
                    ));
                }
            };
            let start = match &req.start {
                Some(s) => parse_day("/start", s)?,
                None => on,
            };
            if start < on {
                return Err(invalid(
                    "/start",
                    Some(start.to_string()),
                    "start-before-decision",
                    format!("列入日期 {start} 不能早于认定日期 {on}"),
                    format!("start {start} is before the decision ({on})"),
                ));
            }
            let end = match &req.end {
                Some(e) => parse_day("/end", e)?,
                None => add_years(start, list_years(&state, list)),
            };
            end_after("/end", start, end)?;
            last_day("/end", end)?;
            if list == List::Red {
                refuse_red_if_adverse(&state, &entry.subject_key).await?;
            }
            t.decision = Some((number, start.to_string(), Some(end.to_string())));
        }
        Action::Withdraw | Action::Reinstate | Action::Remove => {}
    }
    state
        .store
        .transition_list_entry(&id, &t, &actor.account, &actor.unit)
        .await
        .map_err(|e| list_error(e, Some(req.action)))?;
    if from == Status::Decided && to != Status::Decided {
        republish(&state, &format!("list entry {id} {}", to.as_str())).await?;
    }
    let entry =
        state.store.list_entry(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no list entry {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(entry.subject_key.clone()),
        detail: Some(format!("list entry {id} {} → {}", req.action.as_str(), to.as_str())),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(with_steps(&state, entry).await?)))
}

/// A publication to make.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The day it shows, `YYYY-MM-DD` (default today, Beijing time).
    pub as_of: Option<String>,
}

/// A publication with its entries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicationWithEntries {
    /// The publication.
    #[serde(flatten)]
    pub publication: Publication,
    /// Its entries, by list.
    pub entries: Vec<PublicEntry>,
}

/// `POST /api/v1/publications`: publish a dated snapshot of the public
/// lists (red and serious dishonesty): the entries decided and in force on
/// `as_of` whose record, if any, the office has published. The public
/// endpoints serve the newest.
///
/// # Errors
/// `422` for a bad date.
#[utoipa::path(post, path = "/api/v1/publications", request_body = PublishRequest, responses(
    (status = 201, description = "published", body = PublicationWithEntries),
    (status = 422, description = "a bad date", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<PublicationWithEntries>), ApiError> {
    let req: PublishRequest =
        if body.iter().all(u8::is_ascii_whitespace) { PublishRequest::default() } else { parse_json(&body)? };
    let as_of = step_day(req.as_of.as_ref(), "/as_of", None)?;
    let entries = state.store.public_entries(&as_of.to_string()).await?;
    let publication = state.store.save_publication(&as_of.to_string(), &entries, &actor.account).await?;
    let note = AuditNote {
        detail: Some(format!("publication {} as of {as_of}: {} entries", publication.id, entries.len())),
        ..AuditNote::default()
    };
    Ok((StatusCode::CREATED, Extension(note), Json(PublicationWithEntries { publication, entries })))
}

/// Filter of the public lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PublicFilter {
    /// Only this list: `red` or `serious-dishonesty`.
    pub list: Option<String>,
}

/// `GET /api/v1/public/lists`: the current publication (the newest), no
/// token needed. Names and USCCs as published; a natural person's ID number
/// only masked; nothing else about persons.
///
/// # Errors
/// `404` before the first publication; `422` for a list that is not public.
#[utoipa::path(get, path = "/api/v1/public/lists", params(PublicFilter), responses(
    (status = 200, description = "the current publication", body = PublicationWithEntries),
    (status = 404, description = "nothing published yet", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn public_lists(
    State(state): State<AppState>,
    Query(f): Query<PublicFilter>,
) -> Result<Json<PublicationWithEntries>, ApiError> {
    let only = match &f.list {
        Some(l) => {
            let list = parse_list("/query/list", l)?;
            if !list.public() {
                return Err(invalid(
                    "/query/list",
                    Some(l.clone()),
                    "list-not-public",
                    format!("{}不对外公开", list.name_zh()),
                    format!("the {l} list is not published"),
                ));
            }
            Some(list)
        }
        None => None,
    };
    let (publication, mut entries) =
        state.store.publication(None).await?.ok_or_else(|| ApiError::NotFound("nothing published yet".into()))?;
    let mut publication = publication;
    if let Some(list) = only {
        entries.retain(|e| e.list == list.as_str());
        publication.entry_count = entries.len() as i64;
    }
    Ok(Json(PublicationWithEntries { publication, entries }))
}

/// `GET /api/v1/public/publications`: the publications, newest first (at
/// most 100).
#[utoipa::path(get, path = "/api/v1/public/publications", responses(
    (status = 200, description = "publications, newest first", body = [Publication]),
))]
pub(crate) async fn public_publications(State(state): State<AppState>) -> Result<Json<Vec<Publication>>, ApiError> {
    Ok(Json(state.store.publications(100).await?))
}

/// `GET /api/v1/public/publications/{id}`: one publication with its entries.
///
/// # Errors
/// `404` for no such publication.
#[utoipa::path(get, path = "/api/v1/public/publications/{id}", params(("id" = String, Path, description = "publication id")), responses(
    (status = 200, description = "the publication", body = PublicationWithEntries),
    (status = 404, description = "no such publication", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn public_publication(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PublicationWithEntries>, ApiError> {
    let (publication, entries) = state
        .store
        .publication(Some(&id))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no publication {id:?}")))?;
    Ok(Json(PublicationWithEntries { publication, entries }))
}
