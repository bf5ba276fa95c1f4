//! What objections and complaints take in the same way (issue: procedures,
//! point 2): the channel and its ticket, the subject named by USCC or ID
//! number, the follow code, and the clock that 补正 stops.

use super::error::{bounded, parse_id_number, parse_uscc};
use super::{ApiError, AppState};
use crate::store::{NewSubject, PauseRow};
use serde::{Deserialize, Serialize};

/// The channels an objection or complaint arrives through.
pub const CHANNELS: [&str; 7] = ["web", "counter", "municipal-platform", "12345", "12318", "mail", "credit-china"];

/// The channels that always carry a ticket number of their own.
const TICKETED: [&str; 4] = ["12345", "12318", "municipal-platform", "credit-china"];

/// Check `channel` and its `ticket` (trimmed, at most 100 characters;
/// required for the hotlines and platforms); `what_zh`/`what_en` name what
/// arrived. The ticket, if any.
///
/// # Errors
/// `422` `unknown-channel` at `/channel`; `ticket-required` or `too-long`
/// at `/ticket_number`.
pub(super) fn channel_and_ticket(
    channel: &str,
    ticket: Option<&str>,
    what_zh: &str,
    what_en: &str,
) -> Result<Option<String>, ApiError> {
    if !CHANNELS.contains(&channel) {
        return Err(ApiError::invalid(
            "/channel",
            Some(channel.to_owned()),
            "unknown-channel",
            format!("渠道只能是 {}", CHANNELS.join("、")),
            format!("channel is one of {}", CHANNELS.join(", ")),
        ));
    }
    let ticket = match ticket.filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(bounded("/ticket_number", t, "工单号", 100)?.to_owned()),
        None => None,
    };
    if ticket.is_none() && TICKETED.contains(&channel) {
        return Err(ApiError::invalid(
            "/ticket_number",
            None,
            "ticket-required",
            format!("经 {channel} 转来的{what_zh}须填写工单号"),
            format!("a {what_en} through {channel} needs its ticket_number"),
        ));
    }
    Ok(ticket)
}

/// The subject named at `/subject` by exactly one of `uscc` and
/// `id_number` (kept only hashed, masked and encrypted). A subject the
/// bureau knows keeps its name and kind; an unknown one needs `name` (at
/// most 200 characters).
///
/// # Errors
/// `422` `subject-identifier`, `invalid-uscc`, `invalid-id-number`, or
/// `required` at `/subject/name`.
pub(super) async fn subject(
    state: &AppState,
    uscc: Option<&str>,
    id_number: Option<&str>,
    name: Option<&str>,
) -> Result<NewSubject, ApiError> {
    let name = match name.filter(|n| !n.trim().is_empty()) {
        Some(n) => bounded("/subject/name", n, "主体名称", 200)?.to_owned(),
        None => String::new(),
    };
    let mut subject = match (uscc, id_number) {
        (Some(u), None) => {
            let u = parse_uscc("/subject/uscc", u)?;
            NewSubject {
                key: u.to_string(),
                kind: if u.as_str().starts_with("92") { "individual-business" } else { "organisation" }.into(),
                name,
                uscc: Some(u.to_string()),
                id_hash_key_id: None,
                id_masked: None,
                id_encrypted: None,
            }
        }
        (None, Some(n)) => {
            let id = parse_id_number("/subject/id_number", n)?;
            NewSubject {
                key: state.keys.person_key(&id),
                kind: "natural-person".into(),
                name,
                uscc: None,
                id_hash_key_id: Some(state.keys.hash_key_id().to_owned()),
                id_masked: Some(id.masked()),
                id_encrypted: Some(state.keys.encrypt(&id)),
            }
        }
        _ => {
            return Err(ApiError::invalid(
                "/subject",
                None,
                "subject-identifier",
                "对象须且只须提供统一社会信用代码或身份证号码之一".into(),
                "the subject needs exactly one of uscc or id_number".into(),
            ));
        }
    };
    if let Some(known) = state.store.subject(&subject.key).await? {
        subject.kind = known.kind;
        subject.name = known.name;
    }
    if subject.name.is_empty() {
        return Err(ApiError::invalid(
            "/subject/name",
            None,
            "required",
            "系统中尚无该主体，须提供名称".into(),
            "the bureau does not know this subject yet: give its name".into(),
        ));
    }
    Ok(subject)
}

/// A new follow code (16 hex digits, shown once) and its sha256, which is
/// all that is stored.
pub(super) fn follow_code() -> (String, String) {
    let code = uuid::Uuid::new_v4().simple().to_string()[..16].to_owned();
    let hash = code_hash(&code);
    (code, hash)
}

/// sha256 (hex) of a follow code.
pub(super) fn code_hash(code: &str) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(code.as_bytes()))
}

/// One step as the applicant or complainant sees it: no names.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowedStep {
    /// Action.
    pub action: String,
    /// The state after it.
    pub status: String,
    /// The day.
    pub on_date: Option<String>,
}

impl From<crate::store::ProcedureStep> for FollowedStep {
    fn from(s: crate::store::ProcedureStep) -> Self {
        FollowedStep { action: s.action, status: s.status, on_date: s.on_date }
    }
}

/// Close the open 补正 that began `since`, the material arriving `on`:
/// the closed pause, and `pauses` with it.
///
/// # Errors
/// `422` `before-pause` at `/on` when `on` is before `since`.
pub(super) fn close_pause(
    since: Option<&str>,
    on: chrono::NaiveDate,
    pauses: &[PauseRow],
) -> Result<(PauseRow, Vec<PauseRow>), ApiError> {
    let since = since.unwrap_or_default().to_owned();
    if on.to_string() < since {
        return Err(ApiError::invalid(
            "/on",
            Some(on.to_string()),
            "before-pause",
            format!("材料补齐日期 {on} 早于补正通知日期 {since}"),
            format!("on {on} is before the request to complete the file ({since})"),
        ));
    }
    let closed = PauseRow { from: since, to: on.to_string() };
    let mut all = pauses.to_vec();
    all.push(closed.clone());
    Ok((closed, all))
}

/// `days` working days after `start` on the current calendar, the days of
/// the closed `pauses` (补正, both ends included) not counted: `(last day,
/// provisional)`.
pub(super) fn paused_deadline(
    state: &AppState,
    start: chrono::NaiveDate,
    days: u32,
    pauses: &[PauseRow],
) -> Option<(String, bool)> {
    let day = super::error::stored_day;
    let pauses: Vec<credit_calendar::Pause> =
        pauses.iter().filter_map(|p| Some(credit_calendar::Pause { from: day(&p.from)?, to: day(&p.to) })).collect();
    let state_of = state.calendar.load().add_working_days_paused(start, days, &pauses);
    state_of.deadline().map(|d| (d.date.to_string(), d.provisional))
}

/// The unit that answers for a record or list entry (verifies an
/// objection, checks a repair's rectification): the one that reported the
/// record (or proposed the entry). `given` names it only when the store does not
/// know it, and must then be a unit whose reporters may report such a
/// record — someone there must be able to give the opinion.
///
/// # Errors
/// `422` `unit-known` when `given` differs from the known unit,
/// `unit-required` when neither is there, `unknown-unit` or
/// `unit-cannot-verify` for a unit that cannot answer.
pub(super) async fn responsible_unit(
    state: &AppState,
    record_id: Option<&str>,
    entry_id: Option<&str>,
    given: Option<&str>,
) -> Result<String, ApiError> {
    let given = given.map(str::trim).filter(|u| !u.is_empty());
    let known = state.store.providing_unit(record_id, entry_id).await?;
    match (known, given) {
        (Some(k), Some(g)) if k != g => Err(ApiError::invalid(
            "/unit",
            Some(g.to_owned()),
            "unit-known",
            format!("该记录由 {k} 报送，应由其核查"),
            format!("the record was reported by {k}, which verifies it; leave unit out"),
        )),
        (Some(k), _) => Ok(k),
        (None, None) if record_id.is_some() => {
            // Imported history says nobody reported it: the one unit whose
            // reporters may report such a record answers for it.
            let record = match record_id {
                Some(r) => state.store.record(r).await?.map(|(rec, _)| rec),
                None => None,
            };
            let able: Vec<&crate::divisions::Division> = match &record {
                Some(rec) => state
                    .divisions
                    .divisions
                    .iter()
                    .filter(|u| u.may_report(rec.sector.as_deref(), &rec.kind))
                    .collect(),
                None => Vec::new(),
            };
            match able.as_slice() {
                [only] => Ok(only.id.clone()),
                _ => Err(ApiError::invalid(
                    "/unit",
                    None,
                    "unit-required",
                    "无法确定报送该记录的单位（如导入的历史数据），请指定核查单位".into(),
                    "the unit that provided the record is not known (imported data): name the unit that verifies"
                        .into(),
                )),
            }
        }
        (None, None) => Err(ApiError::invalid(
            "/unit",
            None,
            "unit-required",
            "无法确定报送该记录的单位（如导入的历史数据），请指定核查单位".into(),
            "the unit that provided the record is not known (imported data): name the unit that verifies".into(),
        )),
        (None, Some(g)) => {
            let Some(unit) = state.divisions.unit(g) else {
                return Err(ApiError::invalid(
                    "/unit",
                    Some(g.to_owned()),
                    "unknown-unit",
                    format!("未知单位 {g}"),
                    format!("unknown unit {g:?}"),
                ));
            };
            let able = match record_id {
                Some(r) => match state.store.record(r).await? {
                    Some((rec, _)) => unit.may_report(rec.sector.as_deref(), &rec.kind),
                    None => false,
                },
                None => unit.reports.is_some() || !unit.sectors.is_empty(),
            };
            if !able {
                return Err(ApiError::invalid(
                    "/unit",
                    Some(g.to_owned()),
                    "unit-cannot-verify",
                    format!("{g} 不报送此类记录，无人能出具核查意见"),
                    format!("{g} does not report such records: no one there could give the opinion"),
                ));
            }
            Ok(g.to_owned())
        }
    }
}

/// The documents that prove identity or authority.
pub const PROOFS: [&str; 5] = ["business-licence", "id-card", "power-of-attorney", "agent-id-card", "other"];

/// The applicant and the documents shown.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Name.
    pub name: String,
    /// `subject` (the subject itself) or `agent` (on its behalf).
    pub role: String,
    /// Documents shown: `business-licence`, `id-card`,
    /// `power-of-attorney` (required for an agent), `agent-id-card`, `other`.
    pub proof: Vec<String>,
}

/// Check an applicant: a name of at most 100 characters, `subject` or
/// `agent`, known proofs (sorted, each once), an agent with a power of
/// attorney. The name and the proofs.
///
/// # Errors
/// `422` at `/applicant/…`: `required`, `too-long`, `unknown-role`,
/// `unknown-proof` (with its index), `proof-required`,
/// `power-of-attorney-required`.
pub(super) fn applicant(a: &Applicant) -> Result<(String, Vec<String>), ApiError> {
    let name = bounded("/applicant/name", &a.name, "申请人", 100)?.to_owned();
    if !["subject", "agent"].contains(&a.role.as_str()) {
        return Err(ApiError::invalid(
            "/applicant/role",
            Some(a.role.clone()),
            "unknown-role",
            "申请人身份只能是 subject（信用主体本人）或 agent（代理人）".into(),
            "applicant role is subject or agent".into(),
        ));
    }
    if let Some((i, p)) = a.proof.iter().enumerate().find(|(_, p)| !PROOFS.contains(&p.as_str())) {
        return Err(ApiError::invalid(
            &format!("/applicant/proof/{i}"),
            Some(p.clone()),
            "unknown-proof",
            format!("证明材料只能是 {}", PROOFS.join("、")),
            format!("proof is one of {}", PROOFS.join(", ")),
        ));
    }
    let mut proof = a.proof.clone();
    proof.sort_unstable();
    proof.dedup();
    if proof.is_empty() {
        return Err(ApiError::invalid(
            "/applicant/proof",
            None,
            "proof-required",
            "须提供身份或主体资格证明（营业执照、身份证等）".into(),
            "proof of identity or authority is required (business licence, ID card…)".into(),
        ));
    }
    if a.role == "agent" && !proof.iter().any(|p| p == "power-of-attorney") {
        return Err(ApiError::invalid(
            "/applicant/proof",
            None,
            "power-of-attorney-required",
            "代理人须提供授权委托书".into(),
            "an agent needs a power-of-attorney".into(),
        ));
    }
    Ok((name, proof))
}
