//! The procedure of a complaint or report (投诉举报), without I/O.
//!
//! ```text
//! received ─accept→ investigating ─conclude→ substantiated | unsubstantiated ─answer→ closed
//!     └─not-accept→ not-accepted ─answer→ closed
//! request-completion (补正) pauses the clock while received or
//! investigating; complete resumes it.
//! ```
//!
//! A substantiated complaint becomes a credit record of its subject
//! (reported, for the office's review); an unsubstantiated one never enters
//! a credit file. The complainant's identity is seen only by those handling
//! it; the feedback (`answer`) closes it.
//!
//! Source: 郑文广新〔2017〕245号 (投诉举报); DESIGN.md §5 (a substantiated
//! complaint is a credit record; a complainant's identity only for the
//! people handling the complaint).

use serde::{Deserialize, Serialize};

/// The state of a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ComplaintStatus)]
pub enum Status {
    /// 已接收.
    Received,
    /// 调查中: accepted and assigned to the unit of its sector.
    Investigating,
    /// 属实: it became a credit record.
    Substantiated,
    /// 不属实: nothing enters a credit file.
    Unsubstantiated,
    /// 不予受理.
    NotAccepted,
    /// 已反馈: closed.
    Closed,
}

impl Status {
    /// Every state.
    pub const ALL: [Status; 6] = [
        Status::Received,
        Status::Investigating,
        Status::Substantiated,
        Status::Unsubstantiated,
        Status::NotAccepted,
        Status::Closed,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Investigating => "investigating",
            Status::Substantiated => "substantiated",
            Status::Unsubstantiated => "unsubstantiated",
            Status::NotAccepted => "not-accepted",
            Status::Closed => "closed",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A step on a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ComplaintAction)]
pub enum Action {
    /// 受理: assigned to the unit that investigates; its clock starts.
    Accept,
    /// 不予受理, with reasons.
    NotAccept,
    /// 补正: the clock stops.
    RequestCompletion,
    /// 材料补齐: the clock runs again.
    Complete,
    /// The unit's conclusion: substantiated (with the record it becomes) or not.
    Conclude,
    /// 反馈: the answer to the complainant closes it.
    Answer,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 6] = [
        Action::Accept,
        Action::NotAccept,
        Action::RequestCompletion,
        Action::Complete,
        Action::Conclude,
        Action::Answer,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::NotAccept => "not-accept",
            Action::RequestCompletion => "request-completion",
            Action::Complete => "complete",
            Action::Conclude => "conclude",
            Action::Answer => "answer",
        }
    }
}

/// Why a step may not be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("complaint is {status}{}: the step {action} is not possible now", if *.paused { " (paused for 补正)" } else { "" })]
pub struct NotAllowed {
    /// Its state.
    pub status: &'static str,
    /// Whether the clock is stopped for 补正.
    pub paused: bool,
    /// The step asked for.
    pub action: &'static str,
}

/// The state after `action` from `status` (`paused`: a 补正 is open;
/// `substantiated` tells a conclusion's two outcomes apart).
///
/// # Errors
/// [`NotAllowed`] when the procedure has no such step now.
pub fn next(status: Status, paused: bool, action: Action, substantiated: bool) -> Result<Status, NotAllowed> {
    use Action as A;
    use Status as S;
    let to = match (status, paused, action) {
        (S::Received, false, A::Accept) => S::Investigating,
        (S::Received, _, A::NotAccept) => S::NotAccepted,
        (S::Received | S::Investigating, false, A::RequestCompletion) => status,
        (S::Received | S::Investigating, true, A::Complete) => status,
        (S::Investigating, false, A::Conclude) if substantiated => S::Substantiated,
        (S::Investigating, false, A::Conclude) => S::Unsubstantiated,
        (S::Substantiated | S::Unsubstantiated | S::NotAccepted, _, A::Answer) => S::Closed,
        _ => return Err(NotAllowed { status: status.as_str(), paused, action: action.as_str() }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_runs_from_receipt_to_feedback() {
        assert_eq!(next(Status::Received, false, Action::Accept, false), Ok(Status::Investigating));
        assert_eq!(next(Status::Investigating, false, Action::Conclude, true), Ok(Status::Substantiated));
        assert_eq!(next(Status::Investigating, false, Action::Conclude, false), Ok(Status::Unsubstantiated));
        assert_eq!(next(Status::Substantiated, false, Action::Answer, false), Ok(Status::Closed));
        assert_eq!(next(Status::Received, true, Action::NotAccept, false), Ok(Status::NotAccepted));
    }

    #[test]
    fn paused_or_finished_complaints_take_no_other_step() {
        assert!(next(Status::Investigating, true, Action::Conclude, true).is_err());
        assert_eq!(next(Status::Investigating, true, Action::Complete, false), Ok(Status::Investigating));
        assert!(next(Status::Received, false, Action::Conclude, true).is_err());
        for a in Action::ALL {
            assert!(next(Status::Closed, false, a, false).is_err(), "{a:?}");
        }
    }
}
