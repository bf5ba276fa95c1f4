//! Credit commitments (信用承诺): `POST
//! /api/v1/sectors/{sector}/commitments/{template}` fills in a sector
//! plugin's template, ready to sign; `POST /api/v1/commitments` stores a
//! signed one as a published credit record of kind `commitment` (shown in
//! checks); a unit files a breach it found
//! (`POST /api/v1/commitments/{id}/breaches`), the credit office confirms
//! or dismisses it (`POST /api/v1/commitment-breaches/{id}/decision`), and
//! a confirmed breach becomes a dishonesty record of kind
//! `commitment-breach`, published for `publicity_general_years` (default 1)
//! from the confirmation, in the same transaction.
//!
//! Source: 国办发〔2020〕49号 and 《文化和旅游市场信用管理规定》 (违背信用承诺
//! as dishonesty; the three kinds: 审批替代型, 信用修复型, 主动型).

use super::access::AuditNote;
use super::error::{self as err, bounded, parse_json, parse_uscc, step_day};
use super::{ApiError, AppState};
use crate::access::{Actor, Role};
use crate::domain::severity::Severity;
use crate::ingest::RowError;
use crate::runtime::wit;
use crate::store::{BatchOptions, BreachError, BreachRow, NewRecord, NewSubject};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sectors/{sector}/commitments/{template}", post(render_commitment))
        .route("/api/v1/commitments", post(sign_commitment))
        .route("/api/v1/commitments/{id}/breaches", post(file_breach))
        .route("/api/v1/commitment-breaches", get(list_breaches))
        .route("/api/v1/commitment-breaches/{id}/decision", post(decide_breach))
}

/// Who commits.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Committer {
    /// 统一社会信用代码.
    pub uscc: String,
    /// Name.
    pub name: String,
}

/// Request body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderRequest {
    /// The committing organisation.
    pub subject: Committer,
    /// The template's fields (see its `fields_schema` in `GET /api/v1/plugins`).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// The filled-in text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Rendered {
    /// Template id.
    pub template: String,
    /// The Chinese text to sign.
    pub text: String,
    /// Plugin version that rendered it.
    pub plugin_version: String,
}

/// `POST /api/v1/sectors/{sector}/commitments/{template}`.
#[utoipa::path(
    post, path = "/api/v1/sectors/{sector}/commitments/{template}",
    params(("sector" = String, Path, description = "sector id"), ("template" = String, Path, description = "template id")),
    request_body = RenderRequest,
    responses(
        (status = 200, description = "the text to sign", body = Rendered),
        (status = 422, description = "invalid fields: every error", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown sector or template", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn render_commitment(
    State(state): State<AppState>,
    Path((sector, template)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Rendered>, ApiError> {
    // An unknown sector or template is 404 whatever the body.
    template_of(&state, &sector, &template)?;
    let req: RenderRequest = parse_json(&body)?;
    let uscc = parse_uscc("/subject/uscc", &req.subject.uscc)?;
    let (_, text, plugin_version) =
        render(&state, &sector, &template, uscc.as_str(), &req.subject.name, &req.fields).await?;
    Ok(Json(Rendered { template, text, plugin_version }))
}

/// The active plugin of `sector` and its commitment template `template`.
///
/// # Errors
/// `404` for an unknown sector or template; `503` when the sector has no
/// active plugin.
fn template_of(
    state: &AppState,
    sector: &str,
    template: &str,
) -> Result<(std::sync::Arc<crate::runtime::LoadedPlugin>, crate::runtime::CommitmentTemplateInfo), ApiError> {
    let plugin = state.plugin(sector)?;
    let t = plugin
        .manifest
        .commitment_templates
        .iter()
        .find(|t| t.id == template)
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("sector {sector:?} has no commitment template {template:?}")))?;
    Ok((plugin, t))
}

/// `text` at `pointer` holds no line break, control character or
/// bidirectional override (a commitment's fields are printed on one line).
///
/// # Errors
/// `422` `control-character`.
fn single_line(pointer: &str, text: &str) -> Result<(), ApiError> {
    match text.chars().find(|c| err::forbidden_char(*c, false)) {
        Some(c) => Err(invalid(
            pointer,
            Some(format!("U+{:04X}", u32::from(c))),
            "control-character",
            format!("{pointer} 含有换行或控制字符 U+{:04X}", u32::from(c)),
            format!("{pointer} holds a line break or control character U+{:04X}", u32::from(c)),
        )),
        None => Ok(()),
    }
}

/// Fill in `template` of `sector`'s plugin for the organisation `uscc`
/// named `name`: the template's title, the text and the plugin version.
///
/// # Errors
/// `404` for an unknown sector or template; `422` with every invalid field
/// (pointers under `/fields`); `502` when the plugin fails.
async fn render(
    state: &AppState,
    sector: &str,
    template: &str,
    uscc: &str,
    name: &str,
    fields: &serde_json::Value,
) -> Result<(String, String, String), ApiError> {
    let (plugin, t) = template_of(state, sector, template)?;
    single_line("/subject/name", bounded("/subject/name", name, "承诺主体名称", 200)?)?;
    if let Some(map) = fields.as_object() {
        for (k, v) in map {
            if let Some(text) = v.as_str() {
                let pointer = format!("/fields/{k}");
                if text.chars().count() > 500 {
                    return Err(invalid(
                        &pointer,
                        None,
                        "too-long",
                        format!("承诺书字段 {k} 最多500字"),
                        format!("{k} is at most 500 characters"),
                    ));
                }
                single_line(&pointer, text)?;
            }
        }
    }
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&t.fields_schema)
        .map_err(|e| anyhow::anyhow!("template {template:?} has an invalid fields schema: {e}"))?;
    let errors: Vec<RowError> = validator
        .iter_errors(fields)
        .map(|e| RowError {
            line: None,
            column: None,
            pointer: Some(format!("/fields{}", e.instance_path().as_str())),
            value: None,
            code: "invalid-field".into(),
            message: format!("承诺书字段不符合要求：{e}"),
            message_en: format!("commitment field is invalid: {e}"),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Invalid { detail: format!("{} error(s) in the fields", errors.len()), errors });
    }
    let subject = wit::Subject { key: uscc.to_owned(), kind: wit::SubjectKind::Organisation, name: name.to_owned() };
    let fields = fields.to_string();
    let p = plugin.clone();
    let tid = template.to_owned();
    let text = tokio::task::spawn_blocking(move || p.render_commitment(&tid, &subject, &fields))
        .await
        .map_err(|e| anyhow::anyhow!("plugin call panicked: {e}"))??;
    Ok((t.title.clone(), text, plugin.manifest.version.clone()))
}

/// The kinds of commitment.
pub const KINDS: [(&str, &str); 3] = [("approval", "审批替代型"), ("repair", "信用修复型"), ("voluntary", "主动型")];

/// A signed commitment to store.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignCommitment {
    /// `approval` (审批替代型: in place of documents at approval), `repair`
    /// (信用修复型) or `voluntary` (主动型).
    pub kind: String,
    /// The sector whose plugin's template it is.
    pub sector: String,
    /// The template id (`GET /api/v1/plugins/{sector}`).
    pub template: String,
    /// The committing organisation.
    pub subject: Committer,
    /// The template's fields.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    /// The day it was signed, not after today (default: the fields'
    /// `sign_date`, else today); the fields' `sign_date` must agree.
    pub signed_on: Option<String>,
    /// `repair`: the credit repair it was given for.
    pub repair_id: Option<String>,
}

/// A stored commitment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SignedCommitment {
    /// Its credit record (`GET /api/v1/records/{id}`).
    pub record_id: String,
    /// Its number (the record's decision number).
    pub number: String,
    /// The kind.
    pub kind: String,
    /// The template's title.
    pub title: String,
    /// The text signed.
    pub text: String,
    /// The plugin version that rendered it.
    pub plugin_version: String,
}

fn invalid(pointer: &str, value: Option<String>, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, value, code, zh, en)
}

/// `POST /api/v1/commitments`: store a signed commitment — rendered by the
/// sector plugin's template — as a published credit record of kind
/// `commitment` of its subject (the bureau-wide record: its sector, kind,
/// template and text in the body). A reporter stores those of its own
/// sectors; the credit office any (repair commitments reach it).
///
/// # Errors
/// `403` for a reporter of a unit that does not cover the sector; `404`
/// for an unknown sector, template or repair; `422` naming the field (an
/// unknown kind, a repair id with another kind or of another subject, the
/// template's fields, a line break or control character in one, a
/// `sign_date` other than `signed_on`, a bad or future date); `409`
/// `already-stored` when the same commitment is stored already. A subject
/// the bureau knows signs under its registered name.
#[utoipa::path(
    post, path = "/api/v1/commitments", request_body = SignCommitment,
    responses(
        (status = 201, description = "stored and published", body = SignedCommitment),
        (status = 403, description = "not this unit's sector", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown sector, template or repair", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "stored already", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn sign_commitment(
    State(state): State<AppState>,
    actor: Actor,
    body: Bytes,
) -> Result<(StatusCode, [(header::HeaderName, String); 1], Extension<AuditNote>, Json<SignedCommitment>), ApiError> {
    let req: SignCommitment = parse_json(&body)?;
    let Some((_, kind_zh)) = KINDS.iter().find(|(k, _)| *k == req.kind) else {
        return Err(invalid(
            "/kind",
            Some(req.kind.clone()),
            "unknown-kind",
            "承诺类型只能是 approval（审批替代型）、repair（信用修复型）或 voluntary（主动型）".into(),
            "kind is approval, repair or voluntary".into(),
        ));
    };
    if !actor.has(Role::Reviewer) {
        let covers = state
            .divisions
            .unit(&actor.unit)
            .is_some_and(|u| u.sectors.contains(&req.sector) || u.may_report(Some(&req.sector), "licence"));
        if !covers {
            return Err(ApiError::Forbidden(format!(
                "{0} 不负责 {1} 领域 / {0} does not cover the sector {1}",
                actor.unit, req.sector
            )));
        }
    }
    // A subject the bureau knows signs under its registered name.
    let subject = super::intake::subject(&state, Some(&req.subject.uscc), None, Some(&req.subject.name)).await?;
    let uscc = subject.key.clone();
    let name = subject.name.clone();
    let sign_date = req.fields.get("sign_date").and_then(serde_json::Value::as_str).map(str::to_owned);
    let signed = step_day(req.signed_on.as_ref().or(sign_date.as_ref()), "/signed_on", None)?;
    if let Some(d) = sign_date.as_deref().filter(|d| *d != signed.to_string()) {
        return Err(invalid(
            "/fields/sign_date",
            Some(d.to_owned()),
            "sign-date-differs",
            format!("承诺书上的签署日期 {d} 与 signed_on {signed} 不一致"),
            format!("the text's sign_date {d} is not signed_on {signed}"),
        ));
    }
    match (&req.repair_id, req.kind.as_str()) {
        (Some(_), k) if k != "repair" => {
            return Err(invalid(
                "/repair_id",
                None,
                "not-with-this-kind",
                "只有信用修复型承诺关联信用修复申请".into(),
                "repair_id goes with kind repair only".into(),
            ));
        }
        (Some(r), _) => {
            let repair =
                state.store.repair(r).await?.ok_or_else(|| ApiError::NotFound(format!("no credit repair {r:?}")))?;
            if repair.subject_key != uscc {
                return Err(invalid(
                    "/repair_id",
                    Some(r.clone()),
                    "other-subject",
                    "该信用修复申请不是本承诺主体的".into(),
                    "the repair is another subject's".into(),
                ));
            }
        }
        _ => {}
    }
    let (title, text, plugin_version) = render(&state, &req.sector, &req.template, &uscc, &name, &req.fields).await?;
    // The same commitment (kind, template, subject, day, fields) has the
    // same number: stored once.
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        serde_json::json!([req.kind, req.sector, req.template, uscc, signed.to_string(), req.fields])
            .to_string()
            .as_bytes(),
    ));
    let number = format!("信用承诺〔{}〕{}", signed.format("%Y"), &digest[..10]);
    let authority = state.divisions.unit(&actor.unit).map_or_else(|| actor.unit.clone(), |d| d.name.clone());
    let record = NewRecord {
        sector: None,
        kind: "commitment".into(),
        subject,
        legal_representative: None,
        decision_number_norm: crate::ingest::prepare::normalise_decision_number(&number),
        decision_number: number.clone(),
        decision_date: Some(signed.to_string()),
        authority,
        legal_basis: String::new(),
        penalty_types: Vec::new(),
        content: format!("{title}（{kind_zh}）"),
        certificate: String::new(),
        severity: Severity::None,
        publicity_end: None,
        body: serde_json::json!({
            "commitment_kind": req.kind, "sector": req.sector, "template": req.template, "title": title,
            "text": text, "fields": req.fields, "signed_on": signed.to_string(), "repair_id": req.repair_id,
            "plugin_version": plugin_version,
        }),
        plugin_version: Some(plugin_version.clone()),
        list_entries: Vec::new(),
    };
    let summary =
        match state.store.batch(std::slice::from_ref(&record), &[], &actor.account, BatchOptions::default()).await? {
            Ok(s) => s,
            Err(conflicts) => {
                let other = conflicts.first().and_then(|c| c.existing_id.clone()).unwrap_or_default();
                return Err(ApiError::conflict(
                    format!("the commitment would be record {other}; nothing was stored"),
                    "/subject",
                    Some(other.clone()),
                    "conflict",
                    format!("与已有记录 {other} 相同"),
                    format!("the same as record {other}"),
                ));
            }
        };
    let Some(record_id) = summary.ids.into_iter().flatten().next() else {
        return Err(ApiError::conflict(
            format!("commitment {number} is stored already; nothing was stored"),
            "",
            Some(number.clone()),
            "already-stored",
            format!("该信用承诺（{number}）已经存储"),
            format!("this commitment ({number}) is stored already"),
        ));
    };
    let note = AuditNote {
        subject_key: Some(uscc.clone()),
        detail: Some(format!("commitment {record_id} ({}, {}) signed {signed}", req.kind, req.template)),
        ..AuditNote::default()
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/records/{record_id}"))],
        Extension(note),
        Json(SignedCommitment { record_id, number, kind: req.kind, title, text, plugin_version }),
    ))
}

/// A breach found.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBreach {
    /// The day it was found, not after today (default today).
    pub found_on: Option<String>,
    /// What was found (at most 2000 characters).
    pub facts: String,
}

fn breach_error(e: BreachError) -> ApiError {
    match e {
        BreachError::NotFound(what) => ApiError::NotFound(what),
        BreachError::NotNow(code, zh, en) => {
            ApiError::conflict(format!("{en}; nothing was changed"), "", None, code, zh, en)
        }
        BreachError::Db(e) => ApiError::Internal(e),
    }
}

/// `POST /api/v1/commitments/{id}/breaches`: a reporter files a breach of
/// commitment `id` (its record) that its unit found; the office decides.
///
/// # Errors
/// `404` for no such commitment; `409` `breach-open` while another breach
/// of it awaits the office, `already-breached` once one was confirmed;
/// `422` for no facts, or a date in the future or before the commitment
/// was signed.
#[utoipa::path(
    post, path = "/api/v1/commitments/{id}/breaches", params(("id" = String, Path, description = "the commitment's record id")),
    request_body = FileBreach,
    responses(
        (status = 201, description = "filed: found, for the office to decide", body = BreachRow),
        (status = 404, description = "no such commitment", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "another breach is open or confirmed", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn file_breach(
    State(state): State<AppState>,
    actor: Actor,
    err::Path(id): err::Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<BreachRow>), ApiError> {
    let req: FileBreach = parse_json(&body)?;
    let facts = bounded("/facts", &req.facts, "违诺事实", 2000)?.to_owned();
    let signed = match state.store.record(&id).await? {
        Some((r, _)) if r.kind == "commitment" => r.decision_date,
        _ => return Err(ApiError::NotFound(format!("no commitment {id:?}"))),
    };
    let found = step_day(req.found_on.as_ref(), "/found_on", signed.as_deref())?;
    let breach = state
        .store
        .file_breach(&id, &found.to_string(), &facts, &actor.account, &actor.unit)
        .await
        .map_err(breach_error)?;
    let row = state.store.breach(&breach).await?.ok_or_else(|| ApiError::NotFound(format!("no breach {breach:?}")))?;
    let note = AuditNote {
        subject_key: Some(row.subject_key.clone()),
        detail: Some(format!("breach {breach} of commitment {id} found")),
        ..AuditNote::default()
    };
    Ok((StatusCode::CREATED, Extension(note), Json(row)))
}

/// Filters of the breach list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BreachFilter {
    /// Only this status: `found`, `confirmed` or `dismissed`.
    pub status: Option<String>,
    /// At most this many (default 500).
    pub limit: Option<i64>,
}

/// `GET /api/v1/commitment-breaches`: breaches, oldest first; a reporter
/// sees those its unit found.
///
/// # Errors
/// `422` for an unknown status.
#[utoipa::path(get, path = "/api/v1/commitment-breaches", params(BreachFilter), responses(
    (status = 200, description = "breaches, oldest first", body = [BreachRow]),
    (status = 422, description = "unknown status", body = super::Problem, content_type = "application/problem+json"),
))]
pub(crate) async fn list_breaches(
    State(state): State<AppState>,
    actor: Actor,
    err::Query(f): err::Query<BreachFilter>,
) -> Result<Json<Vec<BreachRow>>, ApiError> {
    if let Some(s) = f.status.as_deref().filter(|s| !["found", "confirmed", "dismissed"].contains(s)) {
        return Err(invalid(
            "/query/status",
            Some(s.to_owned()),
            "unknown-status",
            "状态只能是 found、confirmed 或 dismissed".into(),
            "status is found, confirmed or dismissed".into(),
        ));
    }
    let unit = (!actor.has(Role::Reviewer)).then_some(actor.unit.as_str());
    Ok(Json(state.store.breaches(f.status.as_deref(), unit, f.limit.unwrap_or(500).clamp(1, 5000)).await?))
}

/// The office's decision on a breach.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BreachDecision {
    /// `confirm` or `dismiss`.
    pub verdict: String,
    /// Why (required; at most 2000 characters).
    pub reason: String,
    /// The day, not before the breach was found nor after today (default today).
    pub on: Option<String>,
}

/// `POST /api/v1/commitment-breaches/{id}/decision`: the credit office
/// (not whoever found it) confirms or dismisses a breach. Confirmed, the
/// breach becomes a published dishonesty record of kind
/// `commitment-breach` of the subject in the same transaction: a check
/// shows it for `publicity_general_years` (default 1) from `on`, and a
/// repair application of the subject is not accepted (a false commitment
/// given before).
///
/// # Errors
/// `403` for whoever found it; `404` for no such breach; `409`
/// `breach-decided` when it was decided already; `422` naming the field.
#[utoipa::path(
    post, path = "/api/v1/commitment-breaches/{id}/decision", params(("id" = String, Path, description = "breach id")),
    request_body = BreachDecision,
    responses(
        (status = 200, description = "decided", body = BreachRow),
        (status = 403, description = "found by this account", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such breach", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "decided already", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn decide_breach(
    State(state): State<AppState>,
    actor: Actor,
    err::Path(id): err::Path<String>,
    body: Bytes,
) -> Result<(Extension<AuditNote>, Json<BreachRow>), ApiError> {
    let req: BreachDecision = parse_json(&body)?;
    let b = state.store.breach(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no breach {id:?}")))?;
    if b.found_by == actor.account {
        return Err(ApiError::Forbidden(format!(
            "{0} 发现并报送了该违诺，不能自行认定 / {0} found this breach and cannot decide it",
            actor.account
        )));
    }
    let confirm = match req.verdict.as_str() {
        "confirm" => true,
        "dismiss" => false,
        v => {
            return Err(invalid(
                "/verdict",
                Some(v.to_owned()),
                "unknown-verdict",
                "认定只能是 confirm（确认违诺）或 dismiss（不予认定）".into(),
                "verdict is confirm or dismiss".into(),
            ));
        }
    };
    let reason = bounded("/reason", &req.reason, "理由", 2000)?.to_owned();
    let on = step_day(req.on.as_ref(), "/on", Some(&b.found_on))?;
    let record = if confirm {
        let (commitment, _) = state
            .store
            .record(&b.commitment_record_id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no commitment {:?}", b.commitment_record_id)))?;
        let subject = state
            .store
            .subject(&b.subject_key)
            .await?
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no subject {}", b.subject_key)))?;
        let number = format!("违背信用承诺〔{}〕{}", on.format("%Y"), &b.id[..8.min(b.id.len())]);
        let years = state.policy.publicity_general_years;
        let end = on.checked_add_months(chrono::Months::new(12 * u32::try_from(years).unwrap_or(1))).unwrap_or(on);
        let authority = state.divisions.unit(&actor.unit).map_or_else(|| actor.unit.clone(), |d| d.name.clone());
        Some(NewRecord {
            sector: None,
            kind: "commitment-breach".into(),
            subject: NewSubject {
                key: subject.key.clone(),
                kind: subject.kind.clone(),
                name: subject.name.clone(),
                uscc: subject.uscc.clone(),
                id_hash_key_id: None,
                id_masked: None,
                id_encrypted: None,
            },
            legal_representative: None,
            decision_number_norm: crate::ingest::prepare::normalise_decision_number(&number),
            decision_number: number,
            decision_date: Some(on.to_string()),
            authority,
            legal_basis: "《文化和旅游市场信用管理规定》；国办发〔2020〕49号（违背信用承诺）".into(),
            penalty_types: Vec::new(),
            content: b.facts.clone(),
            certificate: String::new(),
            severity: Severity::General,
            publicity_end: Some(end.to_string()),
            body: serde_json::json!({
                "breach_id": b.id, "commitment_record_id": b.commitment_record_id,
                "commitment_number": commitment.decision_number, "commitment_kind": commitment.body["commitment_kind"],
                "found_on": b.found_on, "found_unit": b.found_unit, "facts": b.facts, "confirmed_on": on.to_string(),
                "reason": reason,
            }),
            plugin_version: None,
            list_entries: Vec::new(),
        })
    } else {
        None
    };
    let suspended = state
        .store
        .decide_breach(&id, &on.to_string(), &reason, record.as_ref(), &actor.account)
        .await
        .map_err(breach_error)?;
    if suspended > 0 {
        super::lists::republish(&state, &format!("breach {id} confirmed: red-list entries suspended")).await?;
    }
    let row = state.store.breach(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no breach {id:?}")))?;
    let note = AuditNote {
        subject_key: Some(row.subject_key.clone()),
        detail: Some(format!("breach {id} {}", row.status)),
        ..AuditNote::default()
    };
    Ok((Extension(note), Json(row)))
}
