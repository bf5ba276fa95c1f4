//! The procedure of a list entry (红黑榜), without I/O: which lists there
//! are, the states an entry passes through and which step may follow which.
//!
//! ```text
//! serious / minor dishonesty, decided by the bureau:
//!   proposed ─notify→ notified ─(statement)…─decide→ decided ─remove→ removed
//!        └─────────────┴──withdraw→ withdrawn
//! red list:
//!   proposed ─announce→ announced ─decide→ decided ─(adverse record)→ suspended
//!                                             ↑──────── reinstate ──────┘
//! an entry that follows from a serious record is decided at once,
//! dated from that record's decision.
//! ```
//!
//! An entry counts (in checks, in publications) only while it is
//! `decided` and its period covers the day: `in force`.
//!
//! Source: 《文化和旅游市场信用管理规定》（文化和旅游部令第7号，2021）on listing
//! serious and minor dishonest subjects after notice and a hearing (告知,
//! 陈述申辩); 郑文广新〔2017〕245号 (the bureau's plan) on the red list and
//! its publicity before the decision; 国办发〔2020〕49号 on naming the basis,
//! the measures and the period of every list.

use serde::{Deserialize, Serialize};

/// A list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ListName)]
pub enum List {
    /// 守信红名单: green-channel incentives.
    Red,
    /// 严重失信主体名单: joint punishment.
    SeriousDishonesty,
    /// 轻微失信主体名单: key supervision and a commitment.
    MinorDishonesty,
}

impl List {
    /// Every list.
    pub const ALL: [List; 3] = [List::Red, List::SeriousDishonesty, List::MinorDishonesty];

    /// The stored (and URL) name: `red`, `serious-dishonesty`, `minor-dishonesty`.
    pub fn as_str(self) -> &'static str {
        match self {
            List::Red => "red",
            List::SeriousDishonesty => "serious-dishonesty",
            List::MinorDishonesty => "minor-dishonesty",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The name users read.
    pub fn name_zh(self) -> &'static str {
        match self {
            List::Red => "守信红名单",
            List::SeriousDishonesty => "严重失信主体名单",
            List::MinorDishonesty => "轻微失信主体名单",
        }
    }

    /// The measures an entry triggers unless the decision names others.
    ///
    /// Source: 国办发〔2020〕49号 (measures by list); the bureau's plan
    /// (green channel: 优先办理、容缺办理、简化程序).
    pub fn default_measures(self) -> &'static [&'static str] {
        match self {
            List::Red => &["优先办理", "容缺办理", "简化程序"],
            List::SeriousDishonesty => &["审慎审查", "重点监管", "限制财政资金支持", "限制评优评先"],
            List::MinorDishonesty => &["重点监管", "信用提醒", "签署信用承诺"],
        }
    }

    /// Whether a publication shows this list to the public. Minor dishonesty
    /// is a lighter measure the bureau keeps to itself (its choice, stated
    /// here so that it is one line to change).
    pub fn public(self) -> bool {
        !matches!(self, List::MinorDishonesty)
    }

    /// The step between proposal and decision: a hearing for the dishonesty
    /// lists, a public announcement for the red list.
    pub fn before_decision(self) -> Status {
        match self {
            List::Red => Status::Announced,
            List::SeriousDishonesty | List::MinorDishonesty => Status::Notified,
        }
    }
}

/// The state of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ListEntryStatus)]
pub enum Status {
    /// 拟列入: proposed by the office, nothing public.
    Proposed,
    /// 已告知: the subject was told and may state its case until the deadline.
    Notified,
    /// 公示中: a red-list proposal announced to the public until the deadline.
    Announced,
    /// 已认定: decided, with its decision number; in force over its period.
    Decided,
    /// 暂停: a red-list entry held after an adverse record arrived.
    Suspended,
    /// 不予列入: withdrawn before a decision.
    Withdrawn,
    /// 已移出: removed after a decision (its basis revoked, repaired).
    Removed,
}

impl Status {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Notified => "notified",
            Status::Announced => "announced",
            Status::Decided => "decided",
            Status::Suspended => "suspended",
            Status::Withdrawn => "withdrawn",
            Status::Removed => "removed",
        }
    }

    /// Parse the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Proposed,
            Status::Notified,
            Status::Announced,
            Status::Decided,
            Status::Suspended,
            Status::Withdrawn,
            Status::Removed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A step the office takes on an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
#[schema(as = ListEntryAction)]
pub enum Action {
    /// 告知: serve the notice (dishonesty lists); the hearing deadline starts.
    Notify,
    /// 陈述申辩: record the subject's statement (while notified).
    Statement,
    /// 公示: announce a red-list proposal; the announcement deadline starts.
    Announce,
    /// 认定: decide to list, with the decision number.
    Decide,
    /// 不予列入: decide not to list.
    Withdraw,
    /// 恢复: lift a red-list entry's suspension.
    Reinstate,
    /// 移出: end a decided (or suspended) entry early.
    Remove,
}

impl Action {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Notify => "notify",
            Action::Statement => "statement",
            Action::Announce => "announce",
            Action::Decide => "decide",
            Action::Withdraw => "withdraw",
            Action::Reinstate => "reinstate",
            Action::Remove => "remove",
        }
    }
}

/// Why a step may not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{list} entry is {status}: the step {action} is not possible now")]
pub struct NotAllowed {
    /// The list.
    pub list: &'static str,
    /// The entry's state.
    pub status: &'static str,
    /// The step asked for.
    pub action: &'static str,
}

/// The state after `action` on an entry of `list` in `status`.
///
/// # Errors
/// [`NotAllowed`] when the procedure has no such step from that state:
/// a dishonesty entry cannot be announced, nor a red entry notified; only
/// a notified or announced entry can be decided; only a suspended red
/// entry reinstated.
pub fn next(list: List, status: Status, action: Action) -> Result<Status, NotAllowed> {
    use Action as A;
    use Status as S;
    let pre = list.before_decision();
    let to = match (status, action) {
        (S::Proposed, A::Notify) if pre == S::Notified => S::Notified,
        (S::Proposed, A::Announce) if pre == S::Announced => S::Announced,
        (S::Notified, A::Statement) => S::Notified,
        (s, A::Decide) if s == pre => S::Decided,
        (S::Proposed | S::Notified | S::Announced, A::Withdraw) => S::Withdrawn,
        (S::Suspended, A::Reinstate) => S::Decided,
        (S::Decided | S::Suspended, A::Remove) => S::Removed,
        _ => return Err(NotAllowed { list: list.as_str(), status: status.as_str(), action: action.as_str() }),
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dishonesty_entries_are_heard_before_a_decision() {
        let l = List::SeriousDishonesty;
        assert_eq!(next(l, Status::Proposed, Action::Notify), Ok(Status::Notified));
        assert_eq!(next(l, Status::Notified, Action::Statement), Ok(Status::Notified));
        assert_eq!(next(l, Status::Notified, Action::Decide), Ok(Status::Decided));
        let skipped = next(l, Status::Proposed, Action::Decide).unwrap_err();
        assert_eq!(skipped.to_string(), "serious-dishonesty entry is proposed: the step decide is not possible now");
        assert!(next(l, Status::Proposed, Action::Announce).is_err());
        assert!(next(l, Status::Decided, Action::Reinstate).is_err());
    }

    #[test]
    fn red_entries_are_announced_and_suspended_entries_reinstated() {
        let l = List::Red;
        assert_eq!(next(l, Status::Proposed, Action::Announce), Ok(Status::Announced));
        assert_eq!(next(l, Status::Announced, Action::Decide), Ok(Status::Decided));
        assert_eq!(next(l, Status::Suspended, Action::Reinstate), Ok(Status::Decided));
        assert_eq!(next(l, Status::Suspended, Action::Remove), Ok(Status::Removed));
        assert!(next(l, Status::Proposed, Action::Notify).is_err());
        assert!(next(l, Status::Announced, Action::Statement).is_err());
        assert!(next(l, Status::Decided, Action::Decide).is_err());
    }

    #[test]
    fn finished_entries_take_no_step() {
        for l in List::ALL {
            for s in [Status::Withdrawn, Status::Removed] {
                for a in [Action::Notify, Action::Announce, Action::Decide, Action::Withdraw, Action::Reinstate] {
                    assert!(next(l, s, a).is_err(), "{l:?} {s:?} {a:?}");
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for l in List::ALL {
            assert_eq!(List::parse(l.as_str()), Some(l));
        }
        assert_eq!(List::parse("black"), None);
        assert_eq!(Status::parse("suspended"), Some(Status::Suspended));
        assert!(!List::MinorDishonesty.public());
    }
}
