//! Accounts and tokens (administrators), who am I (anyone signed in), and
//! the audit trail (the credit office and administrators).

use super::access::AuditNote;
use super::{ApiError, AppState};
use crate::access::{Actor, Role, valid_account_id};
use crate::store::{AccessError, AccountRow, AuditEntry, AuditQuery};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/admin/accounts", get(list_accounts).post(create_account))
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
            AccessError::NotFound(id) => ApiError::NotFound(format!("no active account or token {id:?}")),
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
    if !valid_account_id(&new.id) {
        return Err(ApiError::invalid(
            "/id",
            Some(new.id.clone()),
            "invalid-account-id",
            "账号名须为 2–64 个小写字母、数字或 . _ -，以字母或数字开头".into(),
            "an account id is 2–64 of a-z 0-9 . _ -, starting with a letter or digit".into(),
        ));
    }
    if new.name.trim().is_empty() {
        return Err(ApiError::invalid("/name", None, "required", "姓名不能为空".into(), "name is required".into()));
    }
    if state.divisions.unit(&new.unit).is_none() {
        let known: Vec<&str> = state.divisions.divisions.iter().map(|d| d.id.as_str()).collect();
        return Err(ApiError::invalid(
            "/unit",
            Some(new.unit.clone()),
            "unknown-unit",
            format!("单位 {} 不在单位表中（可选：{}）", new.unit, known.join("、")),
            format!("unit {:?} is not in the division table (units: {})", new.unit, known.join(", ")),
        ));
    }
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
    state.store.create_account(&new.id, new.name.trim(), &new.unit, &roles, by).await?;
    let token = state.store.issue_token(&new.id, "first token", by).await?;
    Ok(TokenIssued { account: new.id.clone(), token_id: token.id, token: token.token })
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
        return Err(ApiError::Forbidden("an administrator cannot disable their own account".into()));
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
    state.store.revoke_token(&id, &actor.account).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/audit`: the audit trail, newest first, as JSON or — with
/// `Accept: text/csv` — as a CSV file for export (same columns).
#[utoipa::path(get, path = "/api/v1/audit", params(AuditQuery), responses((status = 200, description = "audit rows, newest first", body = [AuditEntry]), (status = 401, description = "not signed in", body = super::Problem, content_type = "application/problem+json")))]
pub(crate) async fn audit_trail(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let rows = state.store.audit_trail(&q).await?;
    let csv = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/csv"));
    if !csv {
        return Ok(Json(rows).into_response());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let cell = |o: &Option<String>| o.clone().unwrap_or_default();
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
            r.request_id.clone(),
            r.actor.clone(),
            cell(&r.unit),
            roles.join(" "),
            r.action.clone(),
            r.method.clone(),
            r.path.clone(),
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
