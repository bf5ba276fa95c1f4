//! The credit office's review of reported records, and the working-day
//! calendar its deadlines use.
//!
//! A record a division reports is `reported`: it already counts in checks,
//! marked as not yet reviewed. The office publishes it or returns it with a
//! coded reason within `review_working_days` working days (default 2, so
//! that publication stays inside the 7 working days 双公示 allows from the
//! decision); a returned record counts nowhere until corrected, which
//! reports it again. Whoever reported or corrected a record cannot review it.

use super::access::AuditNote;
use super::error::{Path, Query};
use super::{ApiError, AppState, error::parse_json};
use crate::access::Actor;
use crate::store::{ReviewError, ReviewItem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reviews", get(list_reviews))
        .route("/api/v1/records/{id}/review", post(review_record))
        .route("/api/v1/calendar", get(calendar))
        .route("/api/v1/admin/calendar/{year}", put(load_schedule))
}

/// Why the office returns a record (退回原因).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReturnReason {
    /// 信息不完整: a required item is missing.
    Incomplete,
    /// 信息有误: a field is wrong (name, code, date, amount…).
    Inaccurate,
    /// 不属于公示范围: the record must not be made public.
    NotForPublication,
    /// 不属于本单位报送范围: another unit reports it.
    WrongUnit,
    /// 重复报送: reported before.
    Duplicate,
    /// 其他: the reason says what.
    Other,
}

impl ReturnReason {
    fn as_str(self) -> &'static str {
        match self {
            Self::Incomplete => "incomplete",
            Self::Inaccurate => "inaccurate",
            Self::NotForPublication => "not-for-publication",
            Self::WrongUnit => "wrong-unit",
            Self::Duplicate => "duplicate",
            Self::Other => "other",
        }
    }
}

/// The office's decision on a reported record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecision {
    /// `publish` or `return`.
    pub decision: Decision,
    /// Required to return: why, coded.
    pub reason_code: Option<ReturnReason>,
    /// Why, in words (required with `other`).
    pub reason: Option<String>,
    /// `publish`: the publicity version of 违法事实 (公示版本, at most 2000
    /// characters) — the facts as the platforms and the public may read
    /// them, without personal details, trade secrets or third parties.
    /// Without it the facts are not made public.
    pub violation_facts_public: Option<String>,
    /// `publish`: fields of the record's body that are trade secrets
    /// (商业秘密), withheld from publication and from every export (not the
    /// identifying fields: the subject, its code, the decision number and
    /// date, the authority).
    #[serde(default)]
    pub withheld_fields: Vec<String>,
}

/// Body fields that identify a record: always public, never withheld.
const IDENTIFYING: [&str; 7] =
    ["subject_name", "uscc", "decision_number", "decision_date", "authority", "authority_uscc", "subject_category"];

/// Publish or return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// 审核通过，予以公示.
    Publish,
    /// 退回报送单位.
    Return,
}

/// The record's status after the review.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reviewed {
    /// Record id.
    pub id: String,
    /// `published` or `returned`.
    pub review_status: String,
}

/// `POST /api/v1/records/{id}/review`: publish or return a reported record;
/// publishing, the office gives the publicity version of 违法事实
/// (`violation_facts_public`), the only form in which the facts leave the
/// bureau.
///
/// # Errors
/// `422` for a return without a reason code (or `other` without words);
/// `403` when the reviewer reported or corrected the record; `409` when it
/// is not awaiting review; `404` for no such record.
#[utoipa::path(
    post, path = "/api/v1/records/{id}/review", params(("id" = String, Path, description = "record id")),
    request_body = ReviewDecision,
    responses(
        (status = 200, description = "reviewed", body = Reviewed),
        (status = 403, description = "the reviewer reported or corrected this record", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "not awaiting review", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "a return needs a reason code", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn review_record(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(Extension<AuditNote>, Json<Reviewed>), ApiError> {
    let req: ReviewDecision = parse_json(&body)?;
    let reason = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let returned = req.decision == Decision::Return;
    if returned && req.reason_code.is_none() {
        return Err(ApiError::invalid(
            "/reason_code",
            None,
            "reason-required",
            "退回须注明退回原因代码（incomplete、inaccurate、not-for-publication、wrong-unit、duplicate、other）"
                .into(),
            "a return needs a reason_code (incomplete, inaccurate, not-for-publication, wrong-unit, duplicate, other)"
                .into(),
        ));
    }
    if !returned && req.reason_code.is_some() {
        return Err(ApiError::invalid(
            "/reason_code",
            None,
            "reason-code-not-allowed",
            "审核通过无需退回原因代码".into(),
            "a reason_code goes with a return, not with publish".into(),
        ));
    }
    if req.reason_code == Some(ReturnReason::Other) && reason.is_none() {
        return Err(ApiError::invalid(
            "/reason",
            None,
            "reason-required",
            "退回原因为“其他”时须写明理由".into(),
            "reason_code other needs the reason in words".into(),
        ));
    }
    let publicity = match req.violation_facts_public.as_deref() {
        Some(_) if returned => {
            return Err(ApiError::invalid(
                "/violation_facts_public",
                None,
                "not-with-return",
                "退回的记录不公示，无需违法事实公示版本".into(),
                "a returned record is not published: violation_facts_public goes with publish".into(),
            ));
        }
        Some(v) => Some(super::error::bounded("/violation_facts_public", v, "违法事实公示版本", 2000)?),
        None => None,
    };
    if returned && !req.withheld_fields.is_empty() {
        return Err(ApiError::invalid(
            "/withheld_fields",
            None,
            "not-with-return",
            "退回的记录不公示，无需标记商业秘密".into(),
            "a returned record is not published: withheld_fields goes with publish".into(),
        ));
    }
    if !req.withheld_fields.is_empty() {
        let (record, _) =
            state.store.record(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?;
        for (i, f) in req.withheld_fields.iter().enumerate() {
            let pointer = format!("/withheld_fields/{i}");
            if IDENTIFYING.contains(&f.as_str()) {
                return Err(ApiError::invalid(
                    &pointer,
                    Some(f.clone()),
                    "identifying-field",
                    format!("{f} 是公示的识别信息，不能作为商业秘密隐去"),
                    format!("{f} identifies the record and is always public"),
                ));
            }
            if record.body.get(f).is_none() {
                return Err(ApiError::invalid(
                    &pointer,
                    Some(f.clone()),
                    "no-such-field",
                    format!("记录中没有字段 {f}"),
                    format!("the record has no field {f}"),
                ));
            }
        }
    }
    let code = req.reason_code.filter(|_| returned).map(ReturnReason::as_str);
    let status = state
        .store
        .review_record(
            &id,
            &crate::store::ReviewOutcome {
                returned,
                reason_code: code,
                reason,
                violation_facts_public: publicity,
                withheld_fields: &req.withheld_fields,
            },
            &actor.account,
            &actor.unit,
        )
        .await
        .map_err(
        |e| match e {
            ReviewError::NotFound(_) => ApiError::NotFound(format!("no record {id:?}")),
            ReviewError::OwnReport(who) => ApiError::Forbidden(format!(
                "{who} 报送或更正了该记录，不能审核自己报送的记录 / {who} reported or corrected this record and cannot review it"
            )),
            ReviewError::NotPending { status, .. } => ApiError::conflict(
                format!("record {id} is {status}, not awaiting review"),
                "",
                Some(status.clone()),
                "not-awaiting-review",
                format!("该记录状态为 {status}，不在待审核状态"),
                format!("the record is {status}, not awaiting review"),
            ),
            ReviewError::Db(e) => ApiError::Internal(e),
        },
    )?;
    let note = AuditNote {
        detail: Some(format!("record {id} {status}{}", code.map(|c| format!(" ({c})")).unwrap_or_default())),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(Reviewed { id, review_status: status })))
}

/// Filters of the review list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReviewFilter {
    /// `reported` (default), `returned` or `published`.
    pub status: Option<String>,
    /// Only reviews past their deadline (today, Beijing time). Default `false`.
    #[serde(default)]
    pub overdue: bool,
    /// Only this sector.
    pub sector: Option<String>,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/reviews`: records awaiting review (or returned, or
/// published), oldest deadline first; `overdue=true` lists the overdue ones.
#[utoipa::path(get, path = "/api/v1/reviews", params(ReviewFilter), responses((status = 200, description = "records, oldest deadline first", body = [ReviewItem])))]
pub(crate) async fn list_reviews(
    State(state): State<AppState>,
    Query(f): Query<ReviewFilter>,
) -> Result<Json<Vec<ReviewItem>>, ApiError> {
    let status = f.status.as_deref().unwrap_or("reported");
    if !["reported", "returned", "published"].contains(&status) {
        return Err(ApiError::invalid(
            "/status",
            Some(status.to_owned()),
            "unknown-status",
            "审核状态只能是 reported、returned 或 published".into(),
            "status is reported, returned or published".into(),
        ));
    }
    let today = super::today().to_string();
    let overdue = f.overdue.then_some(today.as_str());
    Ok(Json(state.store.reviews(status, overdue, f.sector.as_deref(), f.limit.unwrap_or(500)).await?))
}

/// The calendar's state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarState {
    /// Years with a holiday schedule, and the notice each comes from.
    pub years: Vec<CalendarYear>,
    /// Set when this or next year's schedule is missing (from 1 November
    /// for next year): deadlines reaching into it are provisional.
    pub warning: Option<String>,
}

/// One loaded year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    /// Year.
    pub year: i32,
    /// The State Council notice.
    pub notice: String,
}

/// `GET /api/v1/calendar`: which years' holiday schedules are loaded.
#[utoipa::path(get, path = "/api/v1/calendar", responses((status = 200, description = "loaded years and any warning", body = CalendarState)))]
pub(crate) async fn calendar(State(state): State<AppState>) -> Json<CalendarState> {
    Json(calendar_state(&state))
}

fn calendar_state(state: &AppState) -> CalendarState {
    let cal = state.calendar.load();
    let years = cal
        .years()
        .filter_map(|y| cal.schedule(y).map(|s| CalendarYear { year: y, notice: s.notice().to_owned() }))
        .collect();
    CalendarState { years, warning: cal.missing_schedule_warning(super::today()).map(|w| w.to_string()) }
}

/// Options of a schedule upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ScheduleOptions {
    /// Replace a year whose schedule ships with the system (default `false`:
    /// such a year is refused with `409`).
    #[serde(default)]
    pub replace: bool,
}

/// `PUT /api/v1/admin/calendar/{year}`: load (or replace) a year's holiday
/// schedule — the State Council notice as JSON (`calendar/schedules/2026.json`
/// shows the shape). The deadlines of records awaiting review, of list
/// entries awaiting a decision and of open objections are recomputed; none
/// moves earlier.
///
/// # Errors
/// `422` with every problem of the schedule (JSON pointer, Chinese and
/// English), or when the body's year is not the path's.
#[utoipa::path(
    put, path = "/api/v1/admin/calendar/{year}", params(("year" = i32, Path, description = "the year"), ScheduleOptions),
    request_body(content = Object, description = "the schedule: year, notice, holidays, make_up_workdays"),
    responses(
        (status = 200, description = "loaded; the calendar's state", body = CalendarState),
        (status = 422, description = "every problem of the schedule", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "a built-in year, without replace=true", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn load_schedule(
    State(state): State<AppState>,
    actor: Actor,
    Path(year): Path<i32>,
    Query(options): Query<ScheduleOptions>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<CalendarState>), ApiError> {
    let body = std::str::from_utf8(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&body)).map_err(|e| {
        ApiError::invalid(
            "",
            None,
            "not-utf8",
            format!("节假日安排须为 UTF-8 编码的 JSON（第 {} 字节处无效）", e.valid_up_to()),
            format!("the schedule must be UTF-8 JSON (invalid at byte {})", e.valid_up_to()),
        )
    })?;
    let stated = serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v["year"].as_i64());
    if let Some(stated) = stated.filter(|y| *y != i64::from(year)) {
        return Err(ApiError::invalid(
            "/year",
            Some(stated.to_string()),
            "year-mismatch",
            format!("上传的是 {stated} 年的安排，地址中的年份是 {year}"),
            format!("the schedule is for {stated}, the path says {year}"),
        ));
    }
    if credit_calendar::Calendar::builtin().schedule(year).is_some() && !options.replace {
        return Err(ApiError::conflict(
            format!("{year} has a built-in schedule; nothing was loaded"),
            "/year",
            Some(year.to_string()),
            "built-in-year",
            format!("{year} 年的安排已随系统发布（国务院办公厅通知）；确需替换请加 replace=true"),
            format!(
                "the {year} schedule ships with the system (the State Council's notice); add replace=true to replace it"
            ),
        ));
    }
    let schedule = credit_calendar::YearSchedule::parse(body).map_err(schedule_errors)?;
    if schedule.year() != year {
        return Err(ApiError::invalid(
            "/year",
            Some(schedule.year().to_string()),
            "year-mismatch",
            format!("上传的是 {} 年的安排，地址中的年份是 {year}", schedule.year()),
            format!("the schedule is for {}, the path says {year}", schedule.year()),
        ));
    }
    state.store.save_holiday_schedule(year, body, &actor.account).await?;
    let calendar = (**state.calendar.load()).clone().with(schedule);
    state.calendar.store(std::sync::Arc::new(calendar.clone()));
    let days = state.review_working_days;
    let changed = state
        .store
        .recompute_review_deadlines(|reported_at| {
            let date = chrono::DateTime::parse_from_rfc3339(reported_at).ok()?;
            let beijing = (date.with_timezone(&chrono::Utc) + chrono::Duration::hours(8)).date_naive();
            let d = calendar.add_working_days(beijing, days);
            Some((d.date.to_string(), d.provisional))
        })
        .await?;
    let entries = state
        .store
        .recompute_list_deadlines(|on, n| {
            let on = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").ok()?;
            let d = calendar.add_working_days(on, n);
            Some((d.date.to_string(), d.provisional))
        })
        .await?;
    let objections = super::objections::recompute_deadlines(&state).await?
        + super::complaints::recompute_deadlines(&state).await?
        + super::repairs::recompute_deadlines(&state).await?;
    let note = AuditNote {
        detail: Some(format!(
            "holiday schedule {year}; {changed} review, {entries} list-entry and {objections} objection, complaint or credit-repair deadline(s) recomputed"
        )),
        ..AuditNote::default()
    };
    Ok((StatusCode::OK, Extension(note), Json(calendar_state(&state))))
}

fn schedule_errors(e: credit_calendar::ScheduleError) -> ApiError {
    use credit_calendar::ScheduleError;
    let errors = match &e {
        ScheduleError::Invalid { problems } => problems
            .iter()
            .map(|p| crate::ingest::RowError {
                line: None,
                column: None,
                pointer: Some(p.pointer.clone()),
                value: None,
                code: "invalid-schedule".into(),
                message: p.message_zh(),
                message_en: p.message_en(),
            })
            .collect(),
        _ => vec![crate::ingest::RowError {
            line: None,
            column: None,
            pointer: Some(String::new()),
            value: None,
            code: "invalid-json".into(),
            message: e.to_string(),
            message_en: e.to_string(),
        }],
    };
    ApiError::Invalid {
        detail: format!("{} problem(s) in the holiday schedule; nothing was loaded", errors.len()),
        errors,
    }
}
