//! The procedure of an objection (异议), without I/O.
//!
//! ```text
//! received ─accept→ verifying ─opinion→ office-review ─review→ upheld | rejected ─answer→ closed
//!     └─not-accept→ not-accepted ─answer→ closed
//! request-completion (补正) pauses the clock while received or verifying;
//! complete resumes it.
//! ```
//!
//! The unit that provided the record verifies it within 7 working days of
//! acceptance (the bureau's plan, 郑文广新〔2017〕245号: 异议处理); the credit
//! office then reviews the unit's written opinion within its own deadline.
//! An upheld objection corrects or revokes the record at once. While an
//! objection is open its record stays published, marked as under objection.

use serde::{Deserialize, Serialize};

/// The state of an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ObjectionStatus)]
pub enum Status {
    /// 已接收: filed, acceptance not yet decided.
    Received,
    /// 核查中: accepted (受理) and routed to the unit that provided the record.
    Verifying,
    /// 信用办复核: the unit's written opinion is in; the office reviews it.
    OfficeReview,
    /// 异议成立: the record was corrected or revoked.
    Upheld,
    /// 异议不成立: the record stands.
    Rejected,
    /// 不予受理.
    NotAccepted,
    /// 已书面答复: closed.
    Closed,
}

impl Status {
    /// Every state.
    pub const ALL: [Status; 7] = [
        Status::Received,
        Status::Verifying,
        Status::OfficeReview,
        Status::Upheld,
        Status::Rejected,
        Status::NotAccepted,
        Status::Closed,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Verifying => "verifying",
            Status::OfficeReview => "office-review",
            Status::Upheld => "upheld",
            Status::Rejected => "rejected",
            Status::NotAccepted => "not-accepted",
            Status::Closed => "closed",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the objection is still open (its record under objection).
    pub fn open(self) -> bool {
        matches!(self, Status::Received | Status::Verifying | Status::OfficeReview)
    }
}

/// A step on an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ObjectionAction)]
pub enum Action {
    /// 受理: the verification clock starts.
    Accept,
    /// 不予受理, with reasons.
    NotAccept,
    /// 补正: ask for missing material; the clock stops.
    RequestCompletion,
    /// 材料补齐: the material arrived; the clock runs again.
    Complete,
    /// The providing unit's written opinion (uphold or reject, with reasons).
    Opinion,
    /// The credit office's review: uphold (correct or revoke) or reject.
    Review,
    /// 书面答复: the written answer closes it.
    Answer,
}

impl Action {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::NotAccept => "not-accept",
            Action::RequestCompletion => "request-completion",
            Action::Complete => "complete",
            Action::Opinion => "opinion",
            Action::Review => "review",
            Action::Answer => "answer",
        }
    }

    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::Accept,
        Action::NotAccept,
        Action::RequestCompletion,
        Action::Complete,
        Action::Opinion,
        Action::Review,
        Action::Answer,
    ];
}

/// Why a step may not be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("objection is {status}{}: the step {action} is not possible now", if *.paused { " (paused for 补正)" } else { "" })]
pub struct NotAllowed {
    /// Its state.
    pub status: &'static str,
    /// Whether the clock is stopped for 补正.
    pub paused: bool,
    /// The step asked for.
    pub action: &'static str,
}

/// The state after `action` from `status` (`paused`: a 补正 is open;
/// `upheld` tells a review's two outcomes apart).
///
/// # Errors
/// [`NotAllowed`] when the procedure has no such step now: nothing but
/// `complete` (or `not-accept` before acceptance) while paused, one pause at
/// a time, an opinion only while verifying, a review only after it.
pub fn next(status: Status, paused: bool, action: Action, upheld: bool) -> Result<Status, NotAllowed> {
    use Action as A;
    use Status as S;
    let to = match (status, paused, action) {
        (S::Received, false, A::Accept) => S::Verifying,
        (S::Received, _, A::NotAccept) => S::NotAccepted,
        (S::Received | S::Verifying, false, A::RequestCompletion) => status,
        (S::Received | S::Verifying, true, A::Complete) => status,
        (S::Verifying, false, A::Opinion) => S::OfficeReview,
        (S::OfficeReview, _, A::Review) if upheld => S::Upheld,
        (S::OfficeReview, _, A::Review) => S::Rejected,
        (S::Upheld | S::Rejected | S::NotAccepted, _, A::Answer) => S::Closed,
        _ => return Err(NotAllowed { status: status.as_str(), paused, action: action.as_str() }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_objection_runs_from_receipt_to_a_written_answer() {
        assert_eq!(next(Status::Received, false, Action::Accept, false), Ok(Status::Verifying));
        assert_eq!(next(Status::Verifying, false, Action::Opinion, false), Ok(Status::OfficeReview));
        assert_eq!(next(Status::OfficeReview, false, Action::Review, true), Ok(Status::Upheld));
        assert_eq!(next(Status::OfficeReview, false, Action::Review, false), Ok(Status::Rejected));
        assert_eq!(next(Status::Upheld, false, Action::Answer, false), Ok(Status::Closed));
        assert_eq!(next(Status::Received, false, Action::NotAccept, false), Ok(Status::NotAccepted));
        assert_eq!(next(Status::NotAccepted, false, Action::Answer, false), Ok(Status::Closed));
    }

    #[test]
    fn a_pause_for_completion_holds_everything_but_its_end() {
        assert_eq!(next(Status::Verifying, false, Action::RequestCompletion, false), Ok(Status::Verifying));
        let e = next(Status::Verifying, true, Action::Opinion, false).unwrap_err();
        assert_eq!(e.to_string(), "objection is verifying (paused for 补正): the step opinion is not possible now");
        assert!(next(Status::Verifying, true, Action::RequestCompletion, false).is_err());
        assert_eq!(next(Status::Verifying, true, Action::Complete, false), Ok(Status::Verifying));
        assert!(next(Status::Verifying, false, Action::Complete, false).is_err());
        assert!(next(Status::Received, true, Action::Accept, false).is_err());
    }

    #[test]
    fn steps_out_of_order_are_refused() {
        assert!(next(Status::Received, false, Action::Opinion, false).is_err());
        assert!(next(Status::Verifying, false, Action::Review, true).is_err());
        assert!(next(Status::OfficeReview, false, Action::Answer, false).is_err());
        for a in Action::ALL {
            assert!(next(Status::Closed, false, a, true).is_err(), "{a:?}");
        }
        assert!(Status::OfficeReview.open() && !Status::Upheld.open());
    }
}
