//! The procedure of a credit repair (信用修复), without I/O.
//!
//! Two paths (DESIGN.md §5, "Where repair is decided"):
//!
//! ```text
//! list-entry (the bureau repairs its own list entries):
//! received ─accept→ checking ─check→ office-review ─review→ approval ─approve→ deciding ─decide→ granted | refused
//!     └─not-accept→ not-accepted
//! request-completion (补正) pauses the clock while received or checking;
//! complete resumes it.
//!
//! publicity (a penalty's publicity, decided by the national credit platform):
//! opinion-due ─opinion→ platform-deciding ─platform-decision→ granted | refused
//!     └──────────────platform-decision──────────┘
//! ```
//!
//! The plan (郑文广新〔2017〕245号, 信用修复): the unit checks that the
//! subject has rectified, the repair is sent up for approval (报批), and
//! only then allowed. Since 2023 the publicity of a penalty is repaired by
//! the national credit platform (信用中国), which asks the deciding
//! authority; the bureau records its request, the unit's opinion and the
//! platform's decision, and mirrors it.

use serde::{Deserialize, Serialize};

/// Which kind of repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = RepairPath)]
pub enum RepairPath {
    /// A list entry, repaired by the bureau itself.
    ListEntry,
    /// A penalty's publicity, repaired by the national credit platform.
    Publicity,
}

impl RepairPath {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairPath::ListEntry => "list-entry",
            RepairPath::Publicity => "publicity",
        }
    }
}

/// The state of a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = RepairStatus)]
pub enum Status {
    /// 已接收: filed, acceptance not yet decided.
    Received,
    /// 整改核查: accepted (受理); the unit checks the rectification.
    Checking,
    /// 信用办审核: the unit's check is in; the office reviews it.
    OfficeReview,
    /// 报批: with the bureau leadership.
    Approval,
    /// 待出具决定书: the leadership has decided; the office issues the decision.
    Deciding,
    /// 不予受理.
    NotAccepted,
    /// 待反馈意见: the platform asked the unit for its opinion.
    OpinionDue,
    /// 平台决定中: the platform decides.
    PlatformDeciding,
    /// 准予信用修复: the entry ended, or the publicity.
    Granted,
    /// 不予信用修复.
    Refused,
}

impl Status {
    /// Every state.
    pub const ALL: [Status; 10] = [
        Status::Received,
        Status::Checking,
        Status::OfficeReview,
        Status::Approval,
        Status::Deciding,
        Status::NotAccepted,
        Status::OpinionDue,
        Status::PlatformDeciding,
        Status::Granted,
        Status::Refused,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Checking => "checking",
            Status::OfficeReview => "office-review",
            Status::Approval => "approval",
            Status::Deciding => "deciding",
            Status::NotAccepted => "not-accepted",
            Status::OpinionDue => "opinion-due",
            Status::PlatformDeciding => "platform-deciding",
            Status::Granted => "granted",
            Status::Refused => "refused",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the repair is still open.
    pub fn open(self) -> bool {
        !matches!(self, Status::Granted | Status::Refused | Status::NotAccepted)
    }
}

/// A step on a repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = RepairAction)]
pub enum Action {
    /// 受理: the unit's check begins.
    Accept,
    /// 不予受理, with reasons.
    NotAccept,
    /// 补正: ask for missing material; the clock stops.
    RequestCompletion,
    /// 材料补齐: the clock runs again.
    Complete,
    /// The unit's check of the rectification (`grant` or `refuse`).
    Check,
    /// The credit office's review (`grant` or `refuse`).
    Review,
    /// The bureau leadership's approval (报批; `grant` or `refuse`).
    Approve,
    /// The decision (准予 / 不予信用修复决定书), as the leadership decided.
    Decide,
    /// The unit's opinion to the platform (`grant` or `refuse`).
    Opinion,
    /// The platform's decision, mirrored (`grant` or `refuse`).
    PlatformDecision,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 10] = [
        Action::Accept,
        Action::NotAccept,
        Action::RequestCompletion,
        Action::Complete,
        Action::Check,
        Action::Review,
        Action::Approve,
        Action::Decide,
        Action::Opinion,
        Action::PlatformDecision,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::NotAccept => "not-accept",
            Action::RequestCompletion => "request-completion",
            Action::Complete => "complete",
            Action::Check => "check",
            Action::Review => "review",
            Action::Approve => "approve",
            Action::Decide => "decide",
            Action::Opinion => "opinion",
            Action::PlatformDecision => "platform-decision",
        }
    }

    /// Whether the step carries a verdict (`grant` or `refuse`).
    pub fn takes_verdict(self) -> bool {
        matches!(self, Action::Check | Action::Review | Action::Approve | Action::Opinion | Action::PlatformDecision)
    }
}

/// Why a step may not be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("repair is {status}{}: the step {action} is not possible now", if *.paused { " (paused for 补正)" } else { "" })]
pub struct NotAllowed {
    /// Its state.
    pub status: &'static str,
    /// Whether the clock is stopped for 补正.
    pub paused: bool,
    /// The step asked for.
    pub action: &'static str,
}

/// The state after `action` from `status` (`paused`: a 补正 is open;
/// `granted`: the step's verdict, or for `decide` the leadership's).
///
/// # Errors
/// [`NotAllowed`] when the procedure has no such step now: nothing but
/// `complete` (or `not-accept` before acceptance) while paused, one pause
/// at a time, each stage's step only in its stage.
pub fn next(status: Status, paused: bool, action: Action, granted: bool) -> Result<Status, NotAllowed> {
    use Action as A;
    use Status as S;
    let to = match (status, paused, action) {
        (S::Received, false, A::Accept) => S::Checking,
        (S::Received, _, A::NotAccept) => S::NotAccepted,
        (S::Received | S::Checking, false, A::RequestCompletion) => status,
        (S::Received | S::Checking, true, A::Complete) => status,
        (S::Checking, false, A::Check) => S::OfficeReview,
        (S::OfficeReview, _, A::Review) => S::Approval,
        (S::Approval, _, A::Approve) => S::Deciding,
        (S::Deciding, _, A::Decide) if granted => S::Granted,
        (S::Deciding, _, A::Decide) => S::Refused,
        (S::OpinionDue, _, A::Opinion) => S::PlatformDeciding,
        (S::OpinionDue | S::PlatformDeciding, _, A::PlatformDecision) if granted => S::Granted,
        (S::OpinionDue | S::PlatformDeciding, _, A::PlatformDecision) => S::Refused,
        _ => return Err(NotAllowed { status: status.as_str(), paused, action: action.as_str() }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_entry_is_repaired_after_the_check_the_review_and_the_leaderships_approval() {
        assert_eq!(next(Status::Received, false, Action::Accept, false), Ok(Status::Checking));
        assert_eq!(next(Status::Checking, false, Action::Check, true), Ok(Status::OfficeReview));
        // A refusing check still goes up: the office and the leadership decide.
        assert_eq!(next(Status::Checking, false, Action::Check, false), Ok(Status::OfficeReview));
        assert_eq!(next(Status::OfficeReview, false, Action::Review, true), Ok(Status::Approval));
        assert_eq!(next(Status::Approval, false, Action::Approve, true), Ok(Status::Deciding));
        assert_eq!(next(Status::Deciding, false, Action::Decide, true), Ok(Status::Granted));
        assert_eq!(next(Status::Deciding, false, Action::Decide, false), Ok(Status::Refused));
        assert_eq!(next(Status::Received, true, Action::NotAccept, false), Ok(Status::NotAccepted));
    }

    #[test]
    fn the_platform_decides_a_penaltys_publicity_with_or_without_the_units_opinion() {
        assert_eq!(next(Status::OpinionDue, false, Action::Opinion, true), Ok(Status::PlatformDeciding));
        assert_eq!(next(Status::PlatformDeciding, false, Action::PlatformDecision, true), Ok(Status::Granted));
        assert_eq!(next(Status::OpinionDue, false, Action::PlatformDecision, false), Ok(Status::Refused));
        assert!(next(Status::PlatformDeciding, false, Action::Opinion, true).is_err());
        assert!(next(Status::OpinionDue, false, Action::Approve, true).is_err());
    }

    #[test]
    fn steps_out_of_order_or_while_paused_are_refused() {
        let e = next(Status::Checking, true, Action::Check, true).unwrap_err();
        assert_eq!(e.to_string(), "repair is checking (paused for 补正): the step check is not possible now");
        assert!(next(Status::Checking, true, Action::RequestCompletion, false).is_err());
        assert!(next(Status::Received, false, Action::Review, true).is_err());
        assert!(next(Status::OfficeReview, false, Action::Decide, true).is_err());
        assert!(next(Status::Approval, false, Action::Decide, true).is_err());
        for s in [Status::Granted, Status::Refused, Status::NotAccepted] {
            assert!(!s.open());
            for a in Action::ALL {
                assert!(next(s, false, a, true).is_err(), "{s:?} {a:?}");
            }
        }
    }
}
