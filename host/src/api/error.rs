//! One error type for the API, answered as `application/problem+json`.

use crate::domain::identifiers::{IdNumber, Uscc};
use crate::ingest::RowError;
use crate::privacy::redact;
use crate::runtime::PluginFault;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The problem+json body of every error (RFC 9457).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What happened, for this request.
    pub detail: String,
    /// Every validation error, for `422` and `409`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowError>,
}

/// An API error. Each variant documents its status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// `422`: the input is invalid; every error is listed.
    #[error("{detail}")]
    Invalid {
        /// Summary.
        detail: String,
        /// The errors.
        errors: Vec<RowError>,
    },
    /// `409`: records conflict with stored ones.
    #[error("{detail}")]
    Conflict {
        /// Summary.
        detail: String,
        /// The conflicting rows.
        errors: Vec<RowError>,
    },
    /// `404`: no such resource.
    #[error("{0}")]
    NotFound(String),
    /// `401`: no token, or a token that does not sign in.
    #[error("{0}")]
    Unauthenticated(String),
    /// `403`: signed in, but the role or scope does not allow it.
    #[error("{0}")]
    Forbidden(String),
    /// `429`: this token's rate of checks is used up; retry after the time given.
    #[error("rate limit reached; retry in {0:?}")]
    RateLimited(std::time::Duration),
    /// `503`: the sector's plugin is not loaded.
    #[error("{0}")]
    Unavailable(String),
    /// `502`: the plugin failed (trap, limit, refusal); names plugin and version.
    #[error(transparent)]
    Plugin(#[from] PluginFault),
    /// `500`: an internal error; logged, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A `422` with one error about the request body.
    pub fn invalid(pointer: &str, value: Option<String>, code: &str, message: String, message_en: String) -> Self {
        Self::Invalid {
            detail: message_en.clone(),
            errors: vec![body_error(pointer, value, code, message, message_en)],
        }
    }

    /// A `409` with one error about the request body; `detail` says what
    /// was (not) changed.
    pub fn conflict(
        detail: String,
        pointer: &str,
        value: Option<String>,
        code: &str,
        message: String,
        message_en: String,
    ) -> Self {
        Self::Conflict { detail, errors: vec![body_error(pointer, value, code, message, message_en)] }
    }
}

fn body_error(pointer: &str, value: Option<String>, code: &str, message: String, message_en: String) -> RowError {
    RowError {
        line: None,
        column: None,
        pointer: Some(pointer.to_owned()),
        value,
        code: code.to_owned(),
        message,
        message_en,
    }
}

impl From<crate::ingest::prepare::PrepareError> for ApiError {
    fn from(e: crate::ingest::prepare::PrepareError) -> Self {
        match e {
            crate::ingest::prepare::PrepareError::Invalid(errors) => {
                Self::Invalid { detail: format!("{} error(s); nothing was stored or changed", errors.len()), errors }
            }
            crate::ingest::prepare::PrepareError::Plugin(f) => Self::Plugin(f),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, title, detail, errors) = match self {
            Self::Invalid { detail, errors } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", detail, errors)
            }
            Self::Conflict { detail, errors } => {
                (StatusCode::CONFLICT, "conflict", "Conflicting records", detail, errors)
            }
            Self::NotFound(d) => (StatusCode::NOT_FOUND, "not-found", "Not found", d, Vec::new()),
            Self::Unauthenticated(d) => {
                let mut resp = problem(StatusCode::UNAUTHORIZED, "unauthenticated", "Not signed in", d, Vec::new());
                resp.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer realm=\"credit\""));
                return resp;
            }
            Self::Forbidden(d) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed", d, Vec::new()),
            Self::RateLimited(wait) => {
                let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                let detail =
                    format!("核查过于频繁，请 {secs} 秒后重试 / too many checks with this token; retry in {secs} s");
                let mut resp =
                    problem(StatusCode::TOO_MANY_REQUESTS, "rate-limited", "Too many requests", detail, Vec::new());
                resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs.max(1)));
                return resp;
            }
            Self::Unavailable(d) => {
                (StatusCode::SERVICE_UNAVAILABLE, "plugin-unavailable", "Sector plugin unavailable", d, Vec::new())
            }
            Self::Plugin(f) => {
                tracing::error!("{f}");
                let (status, code, title, zh) = plugin_problem(&f);
                let mut resp = problem(status, &code, title, format!("{zh} / {f}"), Vec::new());
                if matches!(f, PluginFault::Busy { .. }) {
                    resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
                }
                return resp;
            }
            Self::Internal(e) if format!("{e:#}").contains("database is locked") => {
                tracing::warn!("database busy: {e:#}");
                let mut resp = problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "busy",
                    "Database busy",
                    "the database is busy with another write; retry shortly".into(),
                    Vec::new(),
                );
                resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
                return resp;
            }
            Self::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                let detail = "an internal error occurred; it has been logged".to_owned();
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error", detail, Vec::new())
            }
        };
        problem(status, code, title, detail, errors)
    }
}

/// The status and problem type of a plugin fault: each kind of failure has
/// its own type, and none of them is ever a pass.
fn plugin_problem(f: &PluginFault) -> (StatusCode, String, &'static str, &'static str) {
    let status = match f {
        PluginFault::Busy { .. } | PluginFault::Invalid { .. } => StatusCode::SERVICE_UNAVAILABLE,
        PluginFault::InputTooLarge { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::BAD_GATEWAY,
    };
    let (title, zh) = match f {
        PluginFault::OutOfFuel { .. } => ("Sector plugin ran past its limit", "行业插件超出计算量上限，本次核查未完成"),
        PluginFault::Timeout { .. } => ("Sector plugin ran past its limit", "行业插件运行超时，本次核查未完成"),
        PluginFault::MemoryLimit { .. } => {
            ("Sector plugin exceeded its memory limit", "行业插件超出内存上限，本次核查未完成")
        }
        PluginFault::Trap { .. } => ("Sector plugin trapped", "行业插件运行出错，本次核查未完成"),
        PluginFault::InvalidOutput { .. } => {
            ("Sector plugin answered invalid output", "行业插件返回的结果无效，本次核查未完成")
        }
        PluginFault::Refused { .. } => ("Sector plugin refused", "行业插件拒绝处理"),
        PluginFault::Busy { .. } => ("Sector plugins busy", "行业插件繁忙，请稍后重试"),
        PluginFault::InputTooLarge { .. } => ("Input too large for the sector plugin", "提交给行业插件的数据超过上限"),
        PluginFault::Invalid { .. } => ("Sector plugin unavailable", "行业插件不可用"),
    };
    (status, format!("plugin-{}", f.kind()), title, zh)
}

/// A problem+json response. Every text in it passes through
/// [`redact`], so no error ever echoes a full ID number.
fn problem(status: StatusCode, code: &str, title: &str, detail: String, errors: Vec<RowError>) -> Response {
    let errors = errors
        .into_iter()
        .map(|e| RowError {
            value: e.value.map(|v| redact(&v)),
            message: redact(&e.message),
            message_en: redact(&e.message_en),
            ..e
        })
        .collect();
    let body = Problem {
        kind: format!("https://credit.bureau.local/problems/{code}"),
        title: title.into(),
        status: status.as_u16(),
        detail: redact(&detail),
        errors,
    };
    let mut resp = (status, axum::Json(body)).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/problem+json"));
    resp
}

/// Middleware: turn every error response that is not problem+json yet
/// (axum's own rejections: an unreadable query string, a body over the
/// limit, an unknown route or method) into problem+json with the same status.
pub async fn problem_responses(resp: Response) -> Response {
    let status = resp.status();
    // Problem documents, and the CSV error reports a client asked for, pass.
    let done = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/problem+json" || v.to_str().is_ok_and(|t| t.starts_with("text/csv")));
    if !(status.is_client_error() || status.is_server_error()) || done {
        return resp;
    }
    let bytes = axum::body::to_bytes(resp.into_body(), 64 << 10).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    let title = status.canonical_reason().unwrap_or("Error");
    let detail = if text.is_empty() { title.to_lowercase() } else { text };
    let zh = match status {
        StatusCode::NOT_FOUND => "没有这个地址或资源",
        StatusCode::METHOD_NOT_ALLOWED => "该地址不支持此请求方法",
        StatusCode::PAYLOAD_TOO_LARGE => "请求体超过上限（CREDIT_MAX_BODY_BYTES，默认 64 MiB），未做任何处理",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "不支持此内容类型",
        StatusCode::REQUEST_TIMEOUT => "请求超时（CREDIT_REQUEST_TIMEOUT_SECS）",
        _ if status.is_client_error() => "请求有误",
        _ => "服务器内部错误，已记录",
    };
    let detail = format!("{zh} / {detail}");
    let code = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        _ if status.is_client_error() => "bad-request",
        _ => "internal",
    };
    problem(status, code, title, detail, Vec::new())
}

/// Parse the USCC `raw` found at `pointer` of the request.
///
/// # Errors
/// `422` `invalid-uscc` naming the rule it breaks (GB 32100-2015).
pub fn parse_uscc(pointer: &str, raw: &str) -> Result<Uscc, ApiError> {
    Uscc::parse(raw).map_err(|e| {
        ApiError::invalid(
            pointer,
            Some(raw.to_owned()),
            "invalid-uscc",
            format!("统一社会信用代码无效：{}", e.message_zh()),
            format!("invalid USCC: {e}"),
        )
    })
}

/// Parse the ID number `raw` found at `pointer` of the request; the value
/// is never echoed.
///
/// # Errors
/// `422` `invalid-id-number` naming the rule it breaks (GB 11643-1999).
pub fn parse_id_number(pointer: &str, raw: &str) -> Result<IdNumber, ApiError> {
    IdNumber::parse(raw).map_err(|e| {
        ApiError::invalid(
            pointer,
            None,
            "invalid-id-number",
            format!("身份证号码无效：{}", e.message_zh()),
            format!("invalid ID number: {e}"),
        )
    })
}

/// Parse the day `raw` found at `pointer` of the request: exactly
/// `YYYY-MM-DD`, in 1949–2100 (Beijing days, as the bureau dates things).
///
/// # Errors
/// `422` `invalid-date` naming the field and the expected shape.
pub fn parse_day(pointer: &str, raw: &str) -> Result<chrono::NaiveDate, ApiError> {
    use chrono::Datelike as _;
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    let day = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
    day.filter(|d| shaped && (1949..=2100).contains(&d.year())).ok_or_else(|| {
        let field = pointer.rsplit('/').next().unwrap_or(pointer);
        if shaped && day.is_none() {
            return ApiError::invalid(
                pointer,
                Some(raw.to_owned()),
                "invalid-date",
                format!("{field} 的日期 {raw} 不存在"),
                format!("{field}: there is no such day as {raw}"),
            );
        }
        ApiError::invalid(
            pointer,
            Some(raw.to_owned()),
            "invalid-date",
            format!("{field} 应为1949至2100年间的日期 YYYY-MM-DD"),
            format!("{field} must be a date YYYY-MM-DD between 1949 and 2100"),
        )
    })
}

/// `s` (found at `pointer`) trimmed, not empty, at most `max` characters
/// and free of control characters other than line breaks and tabs (a NUL
/// cannot even be stored on PostgreSQL) and of bidirectional overrides
/// (U+202A–U+202E, U+2066–U+2069: they make a text read otherwise than it
/// is stored); `what_zh` names it in the Chinese message.
///
/// # Errors
/// `422` `required`, `too-long` or `control-character`.
pub fn bounded<'a>(pointer: &str, s: &'a str, what_zh: &str, max: usize) -> Result<&'a str, ApiError> {
    let t = s.trim();
    let field = pointer.rsplit('/').next().unwrap_or(pointer);
    if let Some(c) = t.chars().find(|c| forbidden_char(*c, true)) {
        return Err(ApiError::invalid(
            pointer,
            Some(format!("U+{:04X}", u32::from(c))),
            "control-character",
            format!("{what_zh}含有控制字符 U+{:04X}", u32::from(c)),
            format!("{field} holds the control character U+{:04X}", u32::from(c)),
        ));
    }
    if t.is_empty() {
        return Err(ApiError::invalid(
            pointer,
            None,
            "required",
            format!("{what_zh}不能为空"),
            format!("{field} must not be empty"),
        ));
    }
    if t.chars().count() > max {
        return Err(ApiError::invalid(
            pointer,
            None,
            "too-long",
            format!("{what_zh}最多{max}字"),
            format!("{field} is at most {max} characters"),
        ));
    }
    Ok(t)
}

/// `raw` at `pointer` as [`bounded`] text, or `None` when absent or blank.
///
/// # Errors
/// As [`bounded`].
pub fn optional_bounded(
    pointer: &str,
    raw: Option<&str>,
    what_zh: &str,
    max: usize,
) -> Result<Option<String>, ApiError> {
    match raw.filter(|r| !r.trim().is_empty()) {
        Some(r) => Ok(Some(bounded(pointer, r, what_zh, max)?.to_owned())),
        None => Ok(None),
    }
}

/// A day the store wrote (`YYYY-MM-DD`), or `None`.
pub fn stored_day(s: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// `409` `step-not-allowed` at `/action`: procedure `what_zh` (异议, 投诉举报,
/// 信用修复…) is `from` (paused for 补正 or not) and has no step `action`
/// now; `why` is the domain's explanation.
pub fn step_not_allowed(
    why: &dyn std::fmt::Display,
    what_zh: &str,
    from: &str,
    paused: bool,
    action: &str,
) -> ApiError {
    ApiError::conflict(
        format!("{why}; nothing was changed"),
        "/action",
        Some(action.to_owned()),
        "step-not-allowed",
        format!("{what_zh}当前为 {from}{}，不能执行 {action}", if paused { "（补正中）" } else { "" }),
        why.to_string(),
    )
}

/// A character no text field may hold: a control character (line breaks
/// and tabs allowed when `multiline`) or a bidirectional override.
pub fn forbidden_char(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The day a step (or proposal) took effect: `raw` or today; not after
/// today (Beijing) and not before `not_before` (the previous step's day).
///
/// # Errors
/// `422` `invalid-date`, `date-in-future` or `before-previous-step`.
pub fn step_day(raw: Option<&String>, pointer: &str, not_before: Option<&str>) -> Result<chrono::NaiveDate, ApiError> {
    let today = super::today();
    let on = match raw {
        Some(s) => parse_day(pointer, s)?,
        None => today,
    };
    if on > today {
        return Err(ApiError::invalid(
            pointer,
            Some(on.to_string()),
            "date-in-future",
            format!("日期 {on} 不能晚于今天 {today}"),
            format!("{on} is after today {today}"),
        ));
    }
    if let Some(before) = not_before.filter(|b| on.to_string().as_str() < *b) {
        return Err(ApiError::invalid(
            pointer,
            Some(on.to_string()),
            "before-previous-step",
            format!("日期 {on} 早于上一步骤的日期 {before}"),
            format!("{on} is before the previous step ({before})"),
        ));
    }
    Ok(on)
}

/// Parse a JSON request body, answering `422` with serde's reason, the
/// JSON pointer of the member it concerns (`/persons/0/role`; empty for the
/// body as a whole) and its position.
///
/// # Errors
/// [`ApiError::Invalid`] with code `invalid-json`.
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| (json_pointer(e.path()), e.into_inner()))
        .and_then(|v| de.end().map(|()| v).map_err(|e| (String::new(), e)));
    parsed.map_err(|(mut pointer, inner)| {
        // serde names a missing member in its message, at its parent's path.
        if let Some(name) = missing_field(&inner.to_string()) {
            pointer.push('/');
            pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
        }
        ApiError::invalid(
            &pointer,
            None,
            "invalid-json",
            format!("请求内容不是有效的JSON或缺少字段：{inner}"),
            format!("the request body is not valid for this endpoint: {inner}"),
        )
    })
}

/// The JSON pointer (RFC 6901) of a serde path.
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            // Where serde cannot say (a syntax error): the body as a whole
            // below what it could name.
            Segment::Unknown => break,
        }
    }
    out
}

/// The member serde's "missing field `name`" message names.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(name, _)| name)
}

/// `axum::extract::Query` whose rejection is a `422` in Chinese and English
/// naming the parameter (`/query/limit`), like every other input error.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(e) => Err(part_error("query", "查询参数", parts.uri.query().map(str::to_owned), &e.body_text())),
        }
    }
}

/// `axum::extract::Path` whose rejection is a `422` in Chinese and English.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(e) => Err(part_error("path", "路径参数", Some(parts.uri.path().to_owned()), &e.body_text())),
        }
    }
}

/// A `422` for a query string or path serde could not read: axum's text is
/// `Failed to deserialize query string: limit: invalid digit found in string`.
fn part_error(part: &str, part_zh: &str, value: Option<String>, text: &str) -> ApiError {
    let detail = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let (pointer, reason) = match detail.split_once(": ") {
        Some((field, reason)) if !field.contains(' ') => (format!("/{part}/{field}"), reason),
        _ => match missing_field(detail) {
            Some(name) => (format!("/{part}/{name}"), detail),
            None => (format!("/{part}"), detail),
        },
    };
    // A missing parameter has no value to show; others are shown redacted.
    let value = if missing_field(reason).is_some() { None } else { value };
    let field = pointer.rsplit('/').next().unwrap_or(part);
    ApiError::invalid(
        &pointer,
        value.map(|v| redact(&v)),
        &format!("invalid-{part}"),
        format!("{part_zh} {field} 无效：{reason}"),
        format!("invalid {part} parameter {field}: {reason}"),
    )
}
