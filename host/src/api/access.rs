//! Who may call which endpoint — declared once, in [`ENDPOINTS`] — and the
//! middleware that enforces it and writes the audit trail.
//!
//! The table drives three things: the check of every request (a route missing
//! from it is refused, so a new endpoint is closed until declared), the
//! `security` of each operation in the OpenAPI spec, and which requests are
//! audited (every read of a credit file, every check, every change).

use super::{ApiError, AppState};
use crate::access::{Actor, Role};
use crate::store::AuditEntry;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::{Method, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token.
    Public,
    /// Any signed-in account.
    Account,
    /// Accounts holding one of these roles.
    Roles(&'static [Role]),
}

/// One endpoint: method, route (as axum writes it), access, and the audit
/// action (`None`: not audited, because it reads no credit data and changes
/// nothing).
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Route template, e.g. `/api/v1/checks/{id}`.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
    /// The audit action, e.g. `check.create`.
    pub audit: Option<&'static str>,
    /// Limited per token (`AppState::check_limiter`): the credit-check API.
    pub rate_limited: bool,
}

use Role::{Administrator, Approver, Inspector, Reporter, Reviewer};

const fn ep(method: Method, path: &'static str, access: Access, audit: Option<&'static str>) -> Endpoint {
    Endpoint { method, path, access, audit, rate_limited: false }
}

/// Every endpoint of the API and who may call it.
pub const ENDPOINTS: &[Endpoint] = &[
    ep(Method::GET, "/healthz", Access::Public, None),
    ep(Method::GET, "/api/v1/divisions", Access::Public, None),
    ep(Method::POST, "/api/v1/sectors/{sector}/commitments/{template}", Access::Public, None),
    ep(Method::POST, "/api/v1/commitments", Access::Roles(&[Reporter, Reviewer]), Some("commitment.sign")),
    ep(Method::POST, "/api/v1/commitments/{id}/breaches", Access::Roles(&[Reporter]), Some("commitment.breach")),
    ep(
        Method::GET,
        "/api/v1/commitment-breaches",
        Access::Roles(&[Reviewer, Reporter]),
        Some("commitment.breach.list"),
    ),
    ep(
        Method::POST,
        "/api/v1/commitment-breaches/{id}/decision",
        Access::Roles(&[Reviewer]),
        Some("commitment.breach.decide"),
    ),
    ep(Method::GET, "/api/v1/plugins", Access::Account, None),
    ep(Method::GET, "/api/v1/me", Access::Account, None),
    Endpoint {
        method: Method::POST,
        path: "/api/v1/checks",
        access: Access::Roles(&[Inspector]),
        audit: Some("check.create"),
        rate_limited: true,
    },
    ep(Method::GET, "/api/v1/checks/{id}", Access::Roles(&[Inspector, Reviewer]), Some("check.read")),
    ep(Method::POST, "/api/v1/records", Access::Roles(&[Reporter]), Some("record.report")),
    ep(Method::POST, "/api/v1/imports", Access::Roles(&[Reporter]), Some("record.import")),
    // Following an import reads no credit data: polls are not audited (the
    // upload is, and so is its end).
    ep(Method::GET, "/api/v1/imports/{id}", Access::Roles(&[Reporter, Reviewer]), None),
    ep(Method::GET, "/api/v1/records/{id}", Access::Roles(&[Reporter, Reviewer, Inspector]), Some("record.read")),
    ep(Method::POST, "/api/v1/records/{id}/corrections", Access::Roles(&[Reporter]), Some("record.correct")),
    ep(Method::POST, "/api/v1/records/{id}/revocation", Access::Roles(&[Reviewer]), Some("record.revoke")),
    ep(Method::GET, "/api/v1/subjects/{uscc}", Access::Roles(&[Inspector, Reviewer, Reporter]), Some("subject.read")),
    ep(Method::POST, "/api/v1/subjects/lookup", Access::Roles(&[Inspector, Reviewer, Reporter]), Some("subject.read")),
    ep(Method::GET, "/api/v1/reviews", Access::Roles(&[Reviewer]), Some("review.list")),
    ep(Method::POST, "/api/v1/records/{id}/review", Access::Roles(&[Reviewer]), Some("record.review")),
    ep(Method::POST, "/api/v1/list-entries", Access::Roles(&[Reviewer]), Some("list.propose")),
    ep(Method::GET, "/api/v1/list-entries", Access::Roles(&[Reviewer]), Some("list.read")),
    ep(Method::GET, "/api/v1/list-entries/{id}", Access::Roles(&[Reviewer, Inspector]), Some("list.read")),
    ep(Method::POST, "/api/v1/list-entries/{id}/steps", Access::Roles(&[Reviewer]), Some("list.step")),
    ep(Method::POST, "/api/v1/publications", Access::Roles(&[Reviewer]), Some("list.publish")),
    ep(Method::GET, "/api/v1/public/lists", Access::Public, None),
    ep(Method::GET, "/api/v1/public/publications", Access::Public, None),
    ep(Method::GET, "/api/v1/public/publications/{id}", Access::Public, None),
    ep(Method::POST, "/api/v1/objections", Access::Roles(&[Reviewer]), Some("objection.file")),
    ep(Method::GET, "/api/v1/objections", Access::Roles(&[Reviewer, Reporter]), Some("objection.list")),
    ep(Method::GET, "/api/v1/objections/{id}", Access::Roles(&[Reviewer, Reporter]), Some("objection.read")),
    ep(Method::POST, "/api/v1/objections/{id}/steps", Access::Roles(&[Reviewer, Reporter]), Some("objection.step")),
    ep(Method::GET, "/api/v1/public/objections/{id}", Access::Public, None),
    ep(Method::GET, "/api/v1/assessments/{year}", Access::Roles(&[Reviewer]), Some("assessment.read")),
    ep(Method::POST, "/api/v1/units/{unit}/responsibles", Access::Roles(&[Reviewer]), Some("unit.responsible")),
    ep(Method::GET, "/api/v1/export-targets", Access::Roles(&[Reviewer]), Some("export.read")),
    ep(Method::GET, "/api/v1/exports", Access::Roles(&[Reviewer]), Some("export.read")),
    ep(Method::POST, "/api/v1/exports/run", Access::Roles(&[Reviewer]), Some("export.run")),
    ep(Method::POST, "/api/v1/exports/{target}/resend", Access::Roles(&[Reviewer]), Some("export.resend")),
    ep(Method::POST, "/api/v1/credit-repairs", Access::Roles(&[Reviewer]), Some("repair.file")),
    ep(Method::GET, "/api/v1/credit-repairs", Access::Roles(&[Reviewer, Approver, Reporter]), Some("repair.list")),
    ep(Method::GET, "/api/v1/credit-repairs/{id}", Access::Roles(&[Reviewer, Approver, Reporter]), Some("repair.read")),
    ep(
        Method::POST,
        "/api/v1/credit-repairs/{id}/steps",
        Access::Roles(&[Reviewer, Approver, Reporter]),
        Some("repair.step"),
    ),
    ep(Method::GET, "/api/v1/public/credit-repairs/{id}", Access::Public, None),
    ep(Method::POST, "/api/v1/complaints", Access::Roles(&[Reviewer]), Some("complaint.file")),
    ep(Method::GET, "/api/v1/complaints", Access::Roles(&[Reviewer, Reporter]), Some("complaint.list")),
    ep(Method::GET, "/api/v1/complaints/statistics", Access::Roles(&[Reviewer]), Some("complaint.statistics")),
    ep(Method::GET, "/api/v1/complaints/{id}", Access::Roles(&[Reviewer, Reporter]), Some("complaint.read")),
    ep(Method::POST, "/api/v1/complaints/{id}/steps", Access::Roles(&[Reviewer, Reporter]), Some("complaint.step")),
    ep(Method::GET, "/api/v1/public/complaints/{id}", Access::Public, None),
    ep(Method::GET, "/api/v1/calendar", Access::Account, None),
    ep(Method::PUT, "/api/v1/admin/calendar/{year}", Access::Roles(&[Administrator]), Some("calendar.load")),
    ep(Method::GET, "/api/v1/audit", Access::Roles(&[Reviewer, Administrator]), Some("audit.read")),
    ep(Method::GET, "/api/v1/admin/accounts", Access::Roles(&[Administrator]), Some("account.list")),
    ep(Method::POST, "/api/v1/admin/accounts", Access::Roles(&[Administrator]), Some("account.create")),
    ep(Method::POST, "/api/v1/admin/accounts/{id}/tokens", Access::Roles(&[Administrator]), Some("token.issue")),
    ep(Method::POST, "/api/v1/admin/accounts/{id}/disable", Access::Roles(&[Administrator]), Some("account.disable")),
    ep(Method::DELETE, "/api/v1/admin/tokens/{id}", Access::Roles(&[Administrator]), Some("token.revoke")),
    ep(Method::GET, "/api/v1/plugins/{sector}", Access::Account, None),
    ep(Method::GET, "/metrics", Access::Account, None),
    ep(Method::PUT, "/api/v1/admin/plugins/{sector}", Access::Roles(&[Administrator]), Some("plugin.upload")),
    ep(
        Method::POST,
        "/api/v1/admin/plugins/{sector}/activate",
        Access::Roles(&[Administrator]),
        Some("plugin.activate"),
    ),
    ep(
        Method::POST,
        "/api/v1/admin/plugins/{sector}/rollback",
        Access::Roles(&[Administrator]),
        Some("plugin.rollback"),
    ),
    ep(Method::POST, "/api/v1/admin/plugins/{sector}/preview", Access::Roles(&[Administrator]), Some("plugin.preview")),
    ep(
        Method::GET,
        "/api/v1/admin/plugins/{sector}/previews/{id}",
        Access::Roles(&[Administrator]),
        Some("plugin.preview.read"),
    ),
    ep(Method::GET, "/api/v1/admin/keys", Access::Roles(&[Administrator]), Some("key.list")),
    ep(Method::POST, "/api/v1/admin/keys", Access::Roles(&[Administrator]), Some("key.register")),
    ep(Method::POST, "/api/v1/admin/keys/{id}/revoke", Access::Roles(&[Administrator]), Some("key.revoke")),
];

/// The declared endpoint for `method` and route `path`.
pub fn endpoint(method: &Method, path: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.method == method && e.path == path)
}

/// What a handler adds to its audit row, as a response extension:
/// `(Extension(AuditNote { … }), Json(body))`.
#[derive(Debug, Clone, Default)]
pub struct AuditNote {
    /// The declared purpose (a check's purpose).
    pub purpose: Option<String>,
    /// The subject whose file was read or changed.
    pub subject_key: Option<String>,
    /// A check id, a record id, a count…
    pub detail: Option<String>,
}

/// The header a caller names its purpose in when it reads a credit file
/// (`x-credit-purpose: licensing`); recorded in the audit trail.
pub const PURPOSE_HEADER: &str = "x-credit-purpose";

/// The middleware: sign the request in, allow or refuse it as [`ENDPOINTS`]
/// says, run it, and append its audit row before the answer leaves (an audit
/// row that cannot be written turns the answer into `500`). The handler and
/// the audit row run in their own task, so a client that hangs up cannot
/// leave a change without its row.
pub async fn authorize(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned()).unwrap_or_default();
    let lookup = if method == Method::HEAD { Method::GET } else { method.clone() };
    let Some(ep) = endpoint(&lookup, &route) else {
        if ENDPOINTS.iter().any(|e| e.path == route) {
            // Another method of a declared route: axum answers 405.
            return next.run(req).await;
        }
        tracing::error!(%method, route, "endpoint without declared access: refused");
        return ApiError::Forbidden(format!("{method} {route} has no declared access; refused")).into_response();
    };
    let headers = req.headers();
    let request_id = headers
        .get("x-request-id")
        .map(|v| clip(&String::from_utf8_lossy(v.as_bytes()), 100))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let purpose = headers.get(PURPOSE_HEADER).map(|v| clip(&String::from_utf8_lossy(v.as_bytes()), 100));
    let path = audit_path(req.uri().path());
    let signed_in = match bearer(headers) {
        Bearer::None => Ok(None),
        Bearer::Malformed(why) => Err(ApiError::Unauthenticated(why.into())),
        Bearer::Token(token) => match state.store.authenticate(&token).await {
            Ok(Some(actor)) => Ok(Some(actor)),
            Ok(None) => Err(ApiError::Unauthenticated(
                "令牌无效、已撤销或已过期 / the token is invalid, revoked or expired".into(),
            )),
            Err(e) => return ApiError::Internal(e).into_response(),
        },
    };
    let (actor, refusal) = match signed_in {
        Ok(actor) => {
            let refusal = refusal(ep, actor.as_ref()).or_else(|| {
                let a = actor.as_ref().filter(|_| ep.rate_limited)?;
                let wait = state.check_limiter.check_key(&a.token_id).err()?;
                use governor::clock::Clock as _;
                Some(ApiError::RateLimited(wait.wait_time_from(governor::clock::DefaultClock::default().now())))
            });
            (actor, refusal)
        }
        Err(e) => (None, Some(e)),
    };
    let mut entry = AuditEntry {
        at: crate::store::now(),
        request_id,
        actor: actor.as_ref().map_or_else(|| "anonymous".to_owned(), |a| a.account.clone()),
        unit: actor.as_ref().map(|a| a.unit.clone()),
        roles: actor.as_ref().map(|a| a.roles.clone()).unwrap_or_default(),
        action: ep.audit.unwrap_or_default().to_owned(),
        method: method.to_string(),
        path,
        purpose,
        ..AuditEntry::default()
    };
    let audited = ep.audit.is_some() || (ep.access != Access::Public && refusal.is_some());
    if entry.action.is_empty() {
        entry.action = "access.denied".into();
    }
    if let Some(refusal) = refusal {
        let response = refusal.into_response();
        return if audited { append(&state, entry, response).await } else { response };
    }
    if let Some(a) = actor {
        req.extensions_mut().insert(a);
    }
    if !audited {
        return next.run(req).await;
    }
    let task = tokio::spawn(async move {
        let response = next.run(req).await;
        append(&state, entry, response).await
    });
    match task.await {
        Ok(response) => response,
        Err(e) => ApiError::Internal(anyhow::anyhow!("request task failed: {e}")).into_response(),
    }
}

/// Why `actor` may not call `ep`, if it may not.
fn refusal(ep: &Endpoint, actor: Option<&Actor>) -> Option<ApiError> {
    match (&ep.access, actor) {
        (Access::Public, _) | (Access::Account, Some(_)) => None,
        (_, None) => Some(ApiError::Unauthenticated(SIGN_IN.into())),
        (Access::Roles(roles), Some(a)) if roles.iter().any(|r| a.has(*r)) => None,
        (Access::Roles(roles), Some(a)) => {
            let names: Vec<String> = roles.iter().map(|r| format!("{}（{}）", r.as_str(), r.name_zh())).collect();
            Some(ApiError::Forbidden(format!(
                "账号 {} 无权执行此操作，需要角色：{} / account {} may not do this; it needs the role {}",
                a.account,
                names.join("、"),
                a.account,
                roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" or ")
            )))
        }
    }
}

const SIGN_IN: &str = "此操作需要登录：请在 Authorization 头中提供令牌 / sign in: send `Authorization: Bearer <token>`";

/// Append `entry` with what `response` says, then return the response (or
/// `500` when the row cannot be written).
async fn append(state: &AppState, mut entry: AuditEntry, response: Response) -> Response {
    entry.status = response.status().as_u16();
    if let Some(note) = response.extensions().get::<AuditNote>() {
        entry.purpose = note.purpose.clone().or(entry.purpose);
        entry.subject_key.clone_from(&note.subject_key);
        entry.detail = note.detail.as_deref().map(crate::privacy::redact);
    }
    entry.purpose = entry.purpose.as_deref().map(crate::privacy::redact);
    match state.store.audit(&entry).await {
        Ok(()) => response,
        Err(e) => {
            ApiError::Internal(e.context("could not write the audit row; the answer is withheld")).into_response()
        }
    }
}

/// The first `n` characters of `text`.
fn clip(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

/// A request path as the audit keeps it: ID numbers masked, token secrets cut.
fn audit_path(path: &str) -> String {
    let path = crate::privacy::redact(path);
    path.split('/')
        .map(|seg| match seg.strip_prefix("crt_").and_then(|rest| rest.split_once('_')) {
            Some((id, _)) => format!("crt_{id}_…"),
            None => seg.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What the `Authorization` header holds.
enum Bearer {
    /// No header: the public.
    None,
    /// A header that is not one bearer token.
    Malformed(&'static str),
    /// The token.
    Token(String),
}

fn bearer(headers: &axum::http::HeaderMap) -> Bearer {
    let mut values = headers.get_all(axum::http::header::AUTHORIZATION).iter();
    let Some(value) = values.next() else { return Bearer::None };
    if values.next().is_some() {
        return Bearer::Malformed(
            "请求带有多个 Authorization 头，只能有一个 / send one Authorization header, not several",
        );
    }
    let value = value.to_str().unwrap_or_default().trim();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Bearer::Malformed("Authorization 头应为 `Bearer <令牌>` / send `Authorization: Bearer <token>`");
    }
    match token.trim() {
        "" => Bearer::Malformed(SIGN_IN),
        t => Bearer::Token(t.to_owned()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Actor>().cloned().ok_or_else(|| {
            ApiError::Unauthenticated(
                "此操作需要登录：请在 Authorization 头中提供令牌 / sign in: send `Authorization: Bearer <token>`"
                    .into(),
            )
        })
    }
}

/// Adds the bearer-token scheme to the OpenAPI spec and, to every
/// operation, the roles [`ENDPOINTS`] gives it (`security` with the roles as
/// scopes, and a line in its description).
#[derive(Debug)]
pub struct DeclaredAccess;

impl utoipa::Modify for DeclaredAccess {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("crt_<id>_<secret>").build(),
            ),
        );
        for (path, item) in &mut api.paths.paths {
            for (method, op) in [
                (Method::GET, &mut item.get),
                (Method::POST, &mut item.post),
                (Method::PUT, &mut item.put),
                (Method::DELETE, &mut item.delete),
            ] {
                let (Some(op), Some(ep)) = (op.as_mut(), endpoint(&method, path)) else { continue };
                let (security, line) = match ep.access {
                    Access::Public => (SecurityRequirement::default(), "Access: public (no token).".to_owned()),
                    Access::Account => (
                        SecurityRequirement::new("token", Vec::<String>::new()),
                        "Access: any signed-in account.".to_owned(),
                    ),
                    Access::Roles(roles) => {
                        let ids: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                        (SecurityRequirement::new("token", ids.clone()), format!("Roles: {}.", ids.join(", ")))
                    }
                };
                op.security = Some(vec![security]);
                let description = op.description.take().unwrap_or_default();
                op.description = Some(if description.is_empty() { line } else { format!("{description}\n\n{line}") });
            }
        }
    }
}
