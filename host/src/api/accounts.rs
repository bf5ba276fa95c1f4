//! Accounts and tokens (administrators), who am I (anyone signed in), and
//! the audit trail (the credit office and administrators).

use super::access::AuditNote;
use super::error::Query;
use super::{ApiError, AppState};
use crate::access::{Actor, Role, valid_account_id};
use crate::store::{AccessError, AccountRow, AuditEntry, AuditQuery};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    let admin = Router::new()
        .route("/api/v1/admin/accounts", get(list_accounts).post(create_account))
        .layer(axum::extract::DefaultBodyLimit::max(64 << 10));
    Router::new()
        .merge(admin)
        .route("/api/v1/me", get(me))
        .route("/api/v1/admin/accounts/{id}/tokens", post(issue_token))
        .route("/api/v1/admin/accounts/{id}/disable", post(disable_account))
        .route("/api/v1/admin/tokens/{id}", delete(revoke_token))
        .route("/api/v1/audit", get(audit_trail))
}

impl From<AccessError> for ApiError {
    fn from(e: AccessError) -> Self {
        match e {
            AccessError::Exists(id) => ApiError::invalid(
                "/id",
                Some(id.clone()),
                "account-exists",
                format!("账号 {id} 已存在"),
                format!("account {id:?} already exists"),
            ),
            AccessError::NotFound(id) => {
                ApiError::NotFound(format!("没有有效的账号或令牌 {id} / no active account or token {id:?}"))
            }
            AccessError::Db(e) => ApiError::Internal(e),
        }
    }
}

/// `GET /api/v1/me`: the signed-in account.
#[utoipa::path(get, path = "/api/v1/me", responses((status = 200, description = "the account the token signs in as", body = Actor), (status = 401, description = "no or bad token", body = super::Problem)))]
pub(crate) async fn me(actor: Actor) -> Json<Actor> {
    Json(actor)
}

/// `GET /api/v1/admin/accounts`: every account.
#[utoipa::path(get, path = "/api/v1/admin/accounts", responses((status = 200, description = "every account", body = [AccountRow])))]
pub(crate) async fn list_accounts(State(state): State<AppState>) -> Result<Json<Vec<AccountRow>>, ApiError> {
    Ok(Json(state.store.accounts().await?))
}

/// A new account.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The login: 2–64 of `a-z 0-9 . _ -`.
    pub id: String,
    /// Display name, e.g. `张三`.
    pub name: String,
    /// Unit id from the division table (`GET /api/v1/divisions`).
    pub unit: String,
    /// Roles: reporter, reviewer, approver, inspector, administrator.
    pub roles: Vec<String>,
}

/// A token, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenIssued {
    /// The account.
    pub account: String,
    /// The token id (to revoke it).
    pub token_id: String,
    /// The token: `Authorization: Bearer <token>`. Not stored; shown only now.
    pub token: String,
}

/// `POST /api/v1/admin/accounts`: create an account and its first token.
///
/// # Errors
/// `422` for a bad id, an unknown unit or role, or a taken id.
#[utoipa::path(post, path = "/api/v1/admin/accounts", request_body = NewAccount, responses((status = 201, description = "created; the token is shown once", body = TokenIssued), (status = 422, description = "invalid", body = super::Problem)))]
pub(crate) async fn create_account(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let new: NewAccount = super::error::parse_json(&body)?;
    let issued = create(&state, &new, &actor.account).await?;
    let note = AuditNote {
        detail: Some(format!("account {} ({}) roles {:?}", new.id, new.unit, new.roles)),
        ..Default::default()
    };
    Ok((StatusCode::CREATED, Extension(note), Json(issued)).into_response())
}

/// Create the account `new` and issue its first token; `by` is who does it.
///
/// # Errors
/// `422` for a bad id, an unknown unit or role, or a taken id.
pub async fn create(state: &AppState, new: &NewAccount, by: &str) -> Result<TokenIssued, ApiError> {
    if RESERVED_IDS.contains(&new.id.as_str()) {
        return Err(ApiError::invalid(
            "/id",
            Some(new.id.clone()),
            "reserved-account-id",
            format!("账号名 {} 为系统保留（{}）", new.id, RESERVED_IDS.join("、")),
            format!("account id {:?} is reserved ({})", new.id, RESERVED_IDS.join(", ")),
        ));
    }
    if !valid_account_id(&new.id) {
        return Err(ApiError::invalid(
            "/id",
            Some(new.id.clone()),
            "invalid-account-id",
            "账号名须为 2–64 个小写字母、数字或 . _ -，以字母或数字开头".into(),
            "an account id is 2–64 of a-z 0-9 . _ -, starting with a letter or digit".into(),
        ));
    }
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > 50 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "/name",
            None,
            "invalid-name",
            "姓名须为 1–50 个字符，不含控制字符".into(),
            "a name is 1–50 characters without control characters".into(),
        ));
    }
    let Some(unit) = state.divisions.unit(&new.unit) else {
        let known: Vec<&str> = state.divisions.divisions.iter().map(|d| d.id.as_str()).collect();
        return Err(ApiError::invalid(
            "/unit",
            Some(new.unit.clone()),
            "unknown-unit",
            format!("单位 {} 不在单位表中（可选：{}）", new.unit, known.join("、")),
            format!("unit {:?} is not in the division table (units: {})", new.unit, known.join(", ")),
        ));
    };
    let mut roles = Vec::new();
    for (i, r) in new.roles.iter().enumerate() {
        let role = Role::parse(r).map_err(|e| {
            ApiError::invalid(&format!("/roles/{i}"), Some(r.clone()), "unknown-role", format!("未知角色：{e}"), e)
        })?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    if roles.is_empty() {
        return Err(ApiError::invalid(
            "/roles",
            None,
            "required",
            "至少需要一个角色".into(),
            "an account needs at least one role".into(),
        ));
    }
    if let Some((role, zh, en)) =
        roles.iter().find_map(|r| role_unit_conflict(*r, &roles, unit).map(|(zh, en)| (*r, zh, en)))
    {
        return Err(ApiError::invalid("/roles", Some(role.as_str().into()), "role-not-for-unit", zh, en));
    }
    state.store.create_account(&new.id, name, &new.unit, &roles, by).await?;
    let token = state.store.issue_token(&new.id, "first token", by).await?;
    Ok(TokenIssued { account: new.id.clone(), token_id: token.id, token: token.token })
}

/// Ids the system writes itself as actors.
const RESERVED_IDS: [&str; 5] = ["anonymous", "seed", "cli", "test", "system"];

/// Why `role` cannot be held in `unit` beside `roles` (Chinese, English):
/// reviewers sit in the credit office, approvers in the leadership,
/// administrators in an administration unit and hold no other role (they
/// manage accounts, so they must not also use credit data), and reporters
/// in a unit that reports something.
fn role_unit_conflict(role: Role, roles: &[Role], unit: &crate::divisions::Division) -> Option<(String, String)> {
    use crate::divisions::UnitKind;
    let (needed, zh) = match role {
        Role::Reviewer => (UnitKind::CreditOffice, "信用办"),
        Role::Approver => (UnitKind::Leadership, "局领导"),
        Role::Administrator => (UnitKind::Administration, "系统管理"),
        Role::Reporter => {
            let reports = unit.reports.as_ref().map_or(!unit.sectors.is_empty(), |r| !r.is_empty());
            return (!reports).then(|| {
                (
                    format!("单位 {} 没有报送范围，不能设报送员", unit.id),
                    format!("unit {} reports nothing (no `reports` scope): it has no reporters", unit.id),
                )
            });
        }
        Role::Inspector => return None,
    };
    if unit.kind != needed {
        return Some((
            format!("角色 {} 只能属于{zh}类单位，{} 不是", role.as_str(), unit.id),
            format!("role {} belongs to a unit of kind {needed:?}; {} is not one", role.as_str(), unit.id),
        ));
    }
    (role == Role::Administrator && roles.len() > 1).then(|| {
        (
            "系统管理员不能兼任其他角色（管理员管理账号，不接触信用数据）".to_owned(),
            "an administrator holds no other role: who manages accounts does not use credit data".to_owned(),
        )
    })
}

/// `POST /api/v1/admin/accounts/{id}/tokens`: issue another token.
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/tokens", params(("id" = String, Path, description = "account id")), responses((status = 201, description = "issued; shown once", body = TokenIssued), (status = 404, description = "no such active account", body = super::Problem)))]
pub(crate) async fn issue_token(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let token = state.store.issue_token(&id, "issued by an administrator", &actor.account).await?;
    let note = AuditNote { detail: Some(format!("token {} for {id}", token.id)), ..Default::default() };
    let body = TokenIssued { account: id, token_id: token.id, token: token.token };
    Ok((StatusCode::CREATED, Extension(note), Json(body)).into_response())
}

/// `POST /api/v1/admin/accounts/{id}/disable`: disable an account (its tokens stop working).
#[utoipa::path(post, path = "/api/v1/admin/accounts/{id}/disable", params(("id" = String, Path, description = "account id")), responses((status = 204, description = "disabled"), (status = 404, description = "no such active account", body = super::Problem)))]
pub(crate) async fn disable_account(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if id == actor.account {
        return Err(ApiError::Forbidden(
            "管理员不能停用自己的账号 / an administrator cannot disable their own account".into(),
        ));
    }
    state.store.disable_account(&id, &actor.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/admin/tokens/{id}`: revoke a token.
#[utoipa::path(delete, path = "/api/v1/admin/tokens/{id}", params(("id" = String, Path, description = "token id")), responses((status = 204, description = "revoked"), (status = 404, description = "no such active token", body = super::Problem)))]
pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if id.starts_with("crt_") {
        return Err(ApiError::invalid(
            "/id",
            None,
            "token-not-id",
            "请填写令牌编号（crt_ 之后的 16 位），不要提交令牌本身".into(),
            "give the token id (the 16 hex digits after crt_), never the token itself".into(),
        ));
    }
    state.store.revoke_token(&id, &actor.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/audit`: the audit trail, newest first, as JSON or — with
/// `Accept: text/csv` — as a CSV file for export (same columns).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), responses((status = 200, description = "audit rows, newest first", body = [AuditEntry]), (status = 401, description = "not signed in", body = super::Problem, content_type = "application/problem+json")))]
pub(crate) async fn audit_trail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(mut q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    q.from = q.from.as_deref().map(|t| audit_time("/from", t, false)).transpose()?;
    q.to = q.to.as_deref().map(|t| audit_time("/to", t, true)).transpose()?;
    if q.limit.is_some_and(|l| !(1..=100_000).contains(&l)) {
        return Err(ApiError::invalid(
            "/limit",
            q.limit.map(|l| l.to_string()),
            "invalid-limit",
            "limit 须在 1 到 100000 之间".into(),
            "limit is between 1 and 100,000".into(),
        ));
    }
    let rows = state.store.audit_trail(&q).await?;
    // CSV when the client puts it first (a spreadsheet download).
    let csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').next().is_some_and(|first| first.trim().starts_with("text/csv")));
    if !csv {
        return Ok(Json(rows).into_response());
    }
    // A BOM, so that Excel on Chinese Windows reads UTF-8.
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let cell = |o: &Option<String>| spreadsheet_safe(o.as_deref().unwrap_or_default());
    w.write_record([
        "id",
        "at",
        "request_id",
        "actor",
        "unit",
        "roles",
        "action",
        "method",
        "path",
        "status",
        "purpose",
        "subject_key",
        "detail",
    ])
    .map_err(anyhow::Error::from)?;
    for r in &rows {
        let roles: Vec<&str> = r.roles.iter().map(|r| r.as_str()).collect();
        w.write_record([
            r.id.to_string(),
            r.at.clone(),
            spreadsheet_safe(&r.request_id),
            r.actor.clone(),
            cell(&r.unit),
            roles.join(" "),
            r.action.clone(),
            r.method.clone(),
            spreadsheet_safe(&r.path),
            r.status.to_string(),
            cell(&r.purpose),
            cell(&r.subject_key),
            cell(&r.detail),
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}

/// A cell a spreadsheet will not run as a formula: text starting with `=`,
/// `+`, `-`, `@`, tab or carriage return gets a leading `'`.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() }
}

/// An audit bound as the store compares it (UTC, RFC 3339 with
/// milliseconds): a date is a day in Beijing time, `to` including it; a time
/// carries its offset.
///
/// # Errors
/// `422` naming the parameter.
fn audit_time(pointer: &str, text: &str, end: bool) -> Result<String, ApiError> {
    use chrono::{Duration, NaiveDate, SecondsFormat, TimeZone as _, Utc};
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).ok_or_else(|| anyhow::anyhow!("offset"))?;
    let parsed = if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let day = if end { day + Duration::days(1) } else { day };
        beijing.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).single().map(|t| t.with_timezone(&Utc))
    } else {
        chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
    };
    parsed.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)).ok_or_else(|| {
        ApiError::invalid(
            pointer,
            Some(text.to_owned()),
            "invalid-time",
            "时间应为 YYYY-MM-DD（北京时间当日）或带时区的 RFC 3339 时间".into(),
            "a time is YYYY-MM-DD (a day in Beijing time) or RFC 3339 with an offset".into(),
        )
    })
}
