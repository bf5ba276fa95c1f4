//! What objections and complaints take in the same way (issue: procedures,
//! point 2): the channel and its ticket, the subject named by USCC or ID
//! number, the follow code, and the clock that 补正 stops.

use super::error::{bounded, parse_id_number, parse_uscc};
use super::{ApiError, AppState};
use crate::store::{NewSubject, PauseRow};
use serde::Serialize;

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
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let pauses: Vec<credit_calendar::Pause> =
        pauses.iter().filter_map(|p| Some(credit_calendar::Pause { from: day(&p.from)?, to: day(&p.to) })).collect();
    let state_of = state.calendar.load().add_working_days_paused(start, days, &pauses);
    state_of.deadline().map(|d| (d.date.to_string(), d.provisional))
}
