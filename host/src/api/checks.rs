//! The credit check (信用核查): `POST /api/v1/checks`, `GET /api/v1/checks/{id}`.

use super::access::AuditNote;
use super::error::{parse_id_number, parse_json, parse_uscc};
use super::{ApiError, AppState};
use crate::domain::check::{self, FileListEntry, FileRecord, Finding, FindingSource, Outcome, Purpose};
use crate::domain::severity::Severity;
use crate::runtime::{LoadedPlugin, PluginFault, wit};
use crate::store::{StoredListEntry, StoredRecord};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;

mod model;

pub use model::{CheckRequest, CheckResponse, PluginRef, Role, SubjectView};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/checks", post(create_check)).route("/api/v1/checks/{id}", get(get_check))
}

fn bad(pointer: &str, code: &str, zh: String, en: String) -> ApiError {
    ApiError::invalid(pointer, None, code, zh, en)
}

use super::error::stored_day as parse_date;

/// Most persons a check may name.
const MAX_PERSONS: usize = 50;

fn to_wit_severity(s: Severity) -> wit::Severity {
    match s {
        Severity::None => wit::Severity::None,
        Severity::Minor => wit::Severity::Minor,
        Severity::General => wit::Severity::General,
        Severity::Serious => wit::Severity::Serious,
    }
}

fn file_record(r: &StoredRecord) -> FileRecord {
    FileRecord {
        id: r.id.clone(),
        kind: r.kind.clone(),
        severity: r.severity,
        decision_number: r.decision_number.clone(),
        decision_date: r.decision_date.as_deref().and_then(parse_date),
        publicity_end: r.publicity_ends().and_then(parse_date),
    }
}

fn file_entry(e: &StoredListEntry) -> Option<FileListEntry> {
    Some(FileListEntry {
        list: e.list.clone(),
        start: parse_date(&e.start_date)?,
        end: e.end_date.as_deref().and_then(parse_date),
        record_id: e.record_id.clone(),
        basis: e.basis.clone(),
    })
}

fn from_wit(f: wit::Finding) -> Finding {
    Finding {
        rule_id: f.rule_id,
        outcome: match f.outcome {
            wit::Outcome::Restricted => Outcome::Restricted,
            wit::Outcome::Caution => Outcome::Caution,
            wit::Outcome::Standard => Outcome::Standard,
            wit::Outcome::GreenChannel => Outcome::GreenChannel,
        },
        measures: f.measures,
        message: f.message,
        legal_basis: f.legal_basis,
        evidence: f.evidence,
        until: f.until,
        source: FindingSource::Plugin,
    }
}

/// What a replay of a check needs, stored with it (`checks.replay`): the
/// exact input its plugin got and the host's own reading of the subject's
/// file. Plugins are pure functions of their input, so a replay on the same
/// version gives the same answer (the impact preview,
/// [`super::plugin_preview`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplayInput {
    /// Why the check was run.
    pub purpose: Purpose,
    /// The plugin's input, `as_of` included.
    pub request: wit::InspectRequest,
    /// The subject's own records, as the host rules read them.
    pub own_records: Vec<FileRecord>,
    /// The subject's own list entries.
    pub own_entries: Vec<FileListEntry>,
}

/// Run a check's input on `plugin` and decide: the plugin's findings and the
/// bureau's, the outcome, findings sorted from the strictest.
///
/// # Errors
/// The plugin's fault; a panic of the blocking call is reported as a trap.
pub async fn run_check(plugin: Arc<LoadedPlugin>, input: &ReplayInput) -> Result<(Outcome, Vec<Finding>), PluginFault> {
    let as_of = parse_date(&input.request.as_of).unwrap_or_else(super::today);
    let request = input.request.clone();
    let p = plugin.clone();
    let plugin_findings =
        tokio::task::spawn_blocking(move || p.inspect(&request)).await.map_err(|e| PluginFault::Trap {
            sector: plugin.manifest.sector.clone(),
            version: plugin.manifest.version.clone(),
            function: "inspect",
            cause: format!("the host's call panicked: {e}"),
        })??;
    let mut findings = check::bureau_findings(input.purpose, as_of, &input.own_records, &input.own_entries);
    findings.extend(plugin_findings.into_iter().map(from_wit));
    let (outcome, mut findings) = check::decide(findings, &input.own_entries, as_of);
    findings.sort_by_key(|f| f.outcome);
    Ok((outcome, findings))
}

/// `POST /api/v1/checks`: run a credit check and store it.
#[utoipa::path(
    post, path = "/api/v1/checks", request_body = CheckRequest,
    responses(
        (status = 201, description = "the check, stored", body = CheckResponse),
        (status = 422, description = "invalid request", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown sector", body = super::Problem, content_type = "application/problem+json"),
        (status = 503, description = "the sector's plugin is not loaded", body = super::Problem, content_type = "application/problem+json"),
        (status = 502, description = "the plugin failed (trap, limit)", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn create_check(
    State(state): State<AppState>,
    actor: crate::access::Actor,
    body: Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<CheckResponse>), ApiError> {
    let req: CheckRequest = parse_json(&body)?;
    let plugin = state.plugin(&req.sector)?;
    match (req.purpose, &req.licence_type) {
        (Purpose::Licensing, _) if plugin.manifest.licence_types.is_empty() => {
            return Err(ApiError::invalid(
                "/purpose",
                Some("licensing".into()),
                "no-licensing-in-sector",
                format!(
                    "{}行业不做行政许可核查：请改用 funding（财政资金扶持、项目申报）、honours（评优评先）或 supervision（日常监管）",
                    plugin.manifest.name
                ),
                format!("sector {:?} has no licence types: use purpose funding, honours or supervision", req.sector),
            ));
        }
        (Purpose::Licensing, None) => {
            return Err(bad(
                "/licence_type",
                "licence-type-required",
                "行政许可核查须注明许可类型".into(),
                "licence_type is required for licensing".into(),
            ));
        }
        (Purpose::Licensing, Some(t)) if !plugin.manifest.licence_types.contains(t) => {
            return Err(ApiError::invalid(
                "/licence_type",
                Some(t.clone()),
                "licence-type-not-in-sector",
                format!(
                    "许可类型“{t}”不属于{}行业，可选：{}",
                    plugin.manifest.name,
                    plugin.manifest.licence_types.join("、")
                ),
                format!(
                    "licence type {t:?} does not belong to sector {:?}; it has {:?}",
                    req.sector, plugin.manifest.licence_types
                ),
            ));
        }
        (Purpose::Licensing, Some(_)) | (_, None) => {}
        (_, Some(t)) => {
            return Err(ApiError::invalid(
                "/licence_type",
                Some(t.clone()),
                "licence-type-not-allowed",
                "只有行政许可核查才有许可类型".into(),
                "only licensing checks carry a licence type".into(),
            ));
        }
    }
    let as_of = match &req.as_of {
        Some(s) => super::error::parse_day("/as_of", s)?,
        None => super::today(),
    };
    // The subject and its key.
    let (key, kind_guess, uscc, masked) = match (&req.subject.uscc, &req.subject.id_number) {
        (Some(u), None) => {
            let u = parse_uscc("/subject/uscc", u)?;
            let kind = if u.as_str().starts_with("92") { "individual-business" } else { "organisation" };
            (u.to_string(), kind, Some(u.to_string()), None)
        }
        (None, Some(n)) => {
            let id = parse_id_number("/subject/id_number", n)?;
            (state.keys.person_key(&id), "natural-person", None, Some(id.masked()))
        }
        _ => {
            return Err(bad(
                "/subject",
                "subject-identifier",
                "核查对象须且只须提供统一社会信用代码或身份证号码之一".into(),
                "the subject needs exactly one of uscc or id_number".into(),
            ));
        }
    };
    let stored = state.store.subject(&key).await?;
    let subject_kind = stored.as_ref().map(|s| s.kind.clone()).unwrap_or_else(|| kind_guess.to_owned());
    let subject_name = stored.as_ref().map(|s| s.name.clone()).or(req.subject.name.clone()).unwrap_or_default();
    // Persons: the request's, then the links the bureau knows.
    if req.persons.len() > MAX_PERSONS {
        return Err(ApiError::invalid(
            "/persons",
            Some(req.persons.len().to_string()),
            "too-many-persons",
            format!("一次核查最多列{MAX_PERSONS}名相关人员"),
            format!("a check may name at most {MAX_PERSONS} persons"),
        ));
    }
    let mut persons: Vec<(String, String, Role)> = Vec::new();
    let mut masked_persons = Vec::new();
    for (i, p) in req.persons.iter().enumerate() {
        let id = parse_id_number(&format!("/persons/{i}/id_number"), &p.id_number)?;
        let person_key = state.keys.person_key(&id);
        if persons.iter().any(|(k, _, r)| *k == person_key && *r == p.role) {
            continue;
        }
        persons.push((person_key, p.name.clone().unwrap_or_default(), p.role));
        masked_persons.push(json!({"role": p.role, "name": p.name, "id_number": id.masked()}));
    }
    for link in state.store.links(&key).await? {
        let role = match link.role.as_str() {
            "operator" => Role::Operator,
            "principal" => Role::Principal,
            "investor" => Role::Investor,
            _ => Role::LegalRepresentative,
        };
        if !persons.iter().any(|(k, _, r)| *k == link.person_key && *r == role) {
            persons.push((link.person_key, link.person_name, role));
        }
    }
    // The credit file: the subject's and its persons' records up to as_of.
    let mut keys: Vec<String> = vec![key.clone()];
    keys.extend(persons.iter().map(|(k, _, _)| k.clone()));
    keys.dedup();
    let (records, entries) = state.store.credit_file(&keys).await?;
    let records: Vec<StoredRecord> = records
        .into_iter()
        .filter(|r| r.decision_date.as_deref().and_then(parse_date).is_none_or(|d| d <= as_of))
        .collect();
    let own_records: Vec<FileRecord> = records.iter().filter(|r| r.subject_key == key).map(file_record).collect();
    let own_entries: Vec<FileListEntry> =
        entries.iter().filter(|e| e.subject_key == key).filter_map(file_entry).collect();
    let wit_kind = |k: &str| match k {
        "natural-person" => wit::SubjectKind::NaturalPerson,
        "individual-business" => wit::SubjectKind::IndividualBusiness,
        _ => wit::SubjectKind::Organisation,
    };
    let request = wit::InspectRequest {
        subject: wit::Subject { key: key.clone(), kind: wit_kind(&subject_kind), name: subject_name.clone() },
        persons: persons
            .iter()
            .map(|(k, name, role)| wit::Person {
                key: k.clone(),
                name: name.clone(),
                role: match role {
                    Role::LegalRepresentative => wit::Role::LegalRepresentative,
                    Role::Principal => wit::Role::Principal,
                    Role::Investor => wit::Role::Investor,
                    Role::Operator => wit::Role::Operator,
                },
            })
            .collect(),
        purpose: match req.purpose {
            Purpose::Licensing => wit::Purpose::Licensing,
            Purpose::Funding => wit::Purpose::Funding,
            Purpose::Honours => wit::Purpose::Honours,
            Purpose::Supervision => wit::Purpose::Supervision,
        },
        licence_type: req.licence_type.clone(),
        as_of: as_of.to_string(),
        records: records
            .iter()
            .map(|r| wit::CreditRecord {
                id: r.id.clone(),
                sector: r.sector.clone().unwrap_or_default(),
                kind: r.kind.clone(),
                subject_key: r.subject_key.clone(),
                subject_name: r.subject_name.clone(),
                legal_representative_key: r.legal_rep_key.clone(),
                decision_number: r.decision_number.clone(),
                decision_date: r.decision_date.clone(),
                legal_basis: r.legal_basis.clone(),
                penalty_types: r.penalty_types.clone(),
                content: r.content.clone(),
                certificate: r.certificate.clone(),
                severity: to_wit_severity(r.severity),
                publicized: check::publicized(&file_record(r), as_of),
                // Other sectors' records are read through the shared 双公示
                // envelope only: their bodies follow schemas this plugin's
                // version does not know.
                body: if r.sector.as_deref() == Some(req.sector.as_str()) { r.body.to_string() } else { "{}".into() },
            })
            .collect(),
        list_entries: entries
            .iter()
            .map(|e| wit::ListEntry {
                list: e.list.clone(),
                subject_key: e.subject_key.clone(),
                start: e.start_date.clone(),
                end: e.end_date.clone(),
                record_id: e.record_id.clone(),
                basis: e.basis.clone(),
            })
            .collect(),
    };
    let replay = ReplayInput { purpose: req.purpose, request, own_records, own_entries };
    let (outcome, findings) = run_check(plugin.clone(), &replay).await?;
    let mut notes = Vec::new();
    if records.is_empty() && entries.is_empty() {
        notes.push("未查询到该主体及其相关人员的信用记录（新设立主体属正常情况）/ no credit records found for the subject or its persons".into());
    }
    // Reported records count at once, marked as not yet reviewed.
    let mut unreviewed: Vec<&str> = findings
        .iter()
        .flat_map(|f| f.evidence.iter())
        .filter(|id| records.iter().any(|r| &r.id == *id && r.review_status == "reported"))
        .map(String::as_str)
        .collect();
    unreviewed.sort_unstable();
    unreviewed.dedup();
    for id in &unreviewed {
        notes.push(format!(
            "证据记录 {id} 已报送、尚未经信用办审核 / evidence record {id} is reported and not yet reviewed by the credit office"
        ));
    }
    // A record under objection stays in force, marked as disputed.
    let mut evidence: Vec<String> = findings.iter().flat_map(|f| f.evidence.iter().cloned()).collect();
    evidence.sort_unstable();
    evidence.dedup();
    for (record, objection) in state.store.open_objections(&evidence).await? {
        notes.push(format!(
            "证据记录 {record} 异议处理中（异议 {objection}）/ evidence record {record} is under objection ({objection})"
        ));
    }
    let response = CheckResponse {
        check_id: uuid::Uuid::new_v4().to_string(),
        outcome,
        measures: check::measures(&findings),
        findings,
        subject: SubjectView {
            kind: subject_kind,
            name: subject_name,
            uscc,
            id_masked: masked,
            known: stored.is_some(),
        },
        plugin: PluginRef { sector: plugin.manifest.sector.clone(), version: plugin.manifest.version.clone() },
        as_of: as_of.to_string(),
        notes,
    };
    let mut input = serde_json::to_value(&req).map_err(anyhow::Error::from)?;
    input["persons"] = json!(masked_persons);
    if let Some(m) = &response.subject.id_masked {
        input["subject"]["id_number"] = json!(m);
    }
    let outcome_text = serde_json::to_value(outcome).map_err(anyhow::Error::from)?;
    state
        .store
        .insert_check(
            &response.check_id,
            &actor.account,
            req.purpose.as_str(),
            &req.sector,
            &key,
            &response.as_of,
            &response.plugin.version,
            outcome_text.as_str().unwrap_or_default(),
            &input,
            &serde_json::to_string(&response).map_err(anyhow::Error::from)?,
            &serde_json::to_string(&replay).map_err(anyhow::Error::from)?,
        )
        .await?;
    let note = AuditNote {
        purpose: Some(req.purpose.as_str().to_owned()),
        subject_key: Some(key.clone()),
        detail: Some(format!(
            "check {} {}: {}",
            response.check_id,
            req.sector,
            outcome_text.as_str().unwrap_or_default()
        )),
    };
    Ok((StatusCode::CREATED, Extension(note), Json(response)))
}

/// `GET /api/v1/checks/{id}`: a stored check with its input and answer.
#[utoipa::path(
    get, path = "/api/v1/checks/{id}", params(("id" = String, Path, description = "check id")),
    responses(
        (status = 200, description = "the stored check: who, when, input (ID numbers masked), answer", body = Object),
        (status = 404, description = "no such check", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_check(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<serde_json::Value>), ApiError> {
    let check = state.store.check(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no check {id:?}")))?;
    let note = AuditNote { detail: Some(format!("check {id}")), ..AuditNote::default() };
    Ok((Extension(note), Json(serde_json::to_value(check).map_err(anyhow::Error::from)?)))
}
