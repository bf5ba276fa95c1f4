//! Working days for the credit system's deadlines, after the State Council's holiday
//! schedules, make-up working days (调休上班) included.
//!
//! - [`YearSchedule`]: one year's notice, read from JSON and checked
//!   ([`YearSchedule::parse`]); what an administrator uploads for a new year.
//! - [`Calendar`]: the loaded years ([`Calendar::builtin`] ships 2024–2026), what kind of day a
//!   date is ([`Calendar::day`]), deadlines ([`Calendar::add_working_days`],
//!   [`Calendar::add_working_days_paused`] for 补正), durations
//!   ([`Calendar::working_days_between`]) and the reminder to load next year
//!   ([`Calendar::missing_schedule_warning`]).
//!
//! The rules (DESIGN.md §5 "Working days"): the day of receipt is not counted; a date in a
//! year without a schedule is judged by the week alone and everything computed from it is
//! marked provisional; a recomputed deadline never moves earlier ([`Deadline::recompute`]).
//!
//! # Examples
//! ```
//! use chrono::NaiveDate;
//! use credit_calendar::{Calendar, YearSchedule};
//!
//! let received = NaiveDate::from_ymd_opt(2026, 12, 28).unwrap();
//! let calendar = Calendar::builtin();
//! // No 2027 schedule yet: 2027-01-01 counts as a working day, provisionally.
//! let first = calendar.add_working_days(received, 5);
//! assert_eq!(first.date, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
//! assert!(first.provisional);
//!
//! let notice_2027 = r#"{"year": 2027, "notice": "an example, not the real notice",
//!     "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
//!     "make_up_workdays": []}"#;
//! let calendar = calendar.with(YearSchedule::parse(notice_2027).unwrap());
//! let second = calendar.add_working_days(received, 5);
//! assert_eq!(second.date, NaiveDate::from_ymd_opt(2027, 1, 5).unwrap());
//! assert_eq!(first.recompute(second), second);
//! ```
#![deny(missing_docs)]

mod calendar;
mod deadline;
mod error;
mod schedule;
mod warning;

pub use calendar::{Calendar, Day, DayKind};
pub use deadline::{Deadline, DeadlineState, Pause, WorkingDayCount};
pub use error::{Problem, ProblemKind, ScheduleError};
pub use schedule::{Holiday, YearSchedule};
pub use warning::MissingSchedule;
