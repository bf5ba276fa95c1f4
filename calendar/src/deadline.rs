//! Deadlines in working days: counting from the day of receipt, pauses for 补正, durations.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;

/// The last day by which something must be done: the n-th working day after the day of
/// receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The last day (always a working day, unless `n` was 0).
    pub date: NaiveDate,
    /// True when a day passed over lies in a year without a schedule (counted or skipped: a
    /// skipped weekend there could be a make-up working day); the date may move once that
    /// year's notice is loaded.
    pub provisional: bool,
}

impl Deadline {
    /// The deadline to keep after computing it again (a schedule was loaded or corrected): a
    /// deadline never moves earlier, so the later of the two dates is kept. `provisional` is
    /// taken from `new`, which reflects the schedules now loaded; when `self` is kept it is
    /// not a guess any more but a date already promised, later than the law requires.
    ///
    /// Callable as `Deadline::recompute(old, new)` or `old.recompute(new)`.
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use credit_calendar::Deadline;
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2027, 1, day).unwrap();
    /// let old = Deadline { date: d(5), provisional: true };
    /// let new = Deadline { date: d(4), provisional: false };
    /// assert_eq!(Deadline::recompute(old, new), Deadline { date: d(5), provisional: false });
    /// ```
    #[must_use]
    pub fn recompute(self, new: Deadline) -> Deadline {
        Deadline { date: self.date.max(new.date), provisional: new.provisional }
    }
}

/// A stop of the clock while the applicant completes the file (补正): from the day the request
/// to complete goes out to the day the missing material arrives.
///
/// Both `from` and `to` are included: none of the pause's days is counted, and counting
/// resumes the day after `to`. The day the material arrives is thus treated like a day of
/// receipt, which is not counted either. `to: None` is a pause still open: the material has
/// not arrived. A pause whose `to` is before its `from` covers no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The day the request to complete the file (补正通知) was sent.
    pub from: NaiveDate,
    /// The day the missing material arrived; `None` while it has not.
    pub to: Option<NaiveDate>,
}

impl Pause {
    fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

/// A deadline that pauses may hold up. Serialises as `{"due":{"date":…,"provisional":…}}` or
/// `{"paused":{"since":"2026-03-05"}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// The deadline is known.
    Due(Deadline),
    /// An open pause stopped the clock before the deadline was reached: there is no deadline
    /// until the material arrives.
    Paused {
        /// The `from` of the open pause.
        since: NaiveDate,
    },
}

impl DeadlineState {
    /// The deadline, or `None` while paused.
    pub fn deadline(&self) -> Option<Deadline> {
        match self {
            DeadlineState::Due(deadline) => Some(*deadline),
            DeadlineState::Paused { .. } => None,
        }
    }
}

/// How many working days lie in a span of dates (see [`Calendar::working_days_between`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingDayCount {
    /// The number of working days.
    pub days: u32,
    /// True when a day of the span lies in a year without a schedule.
    pub provisional: bool,
}

impl Calendar {
    /// The deadline `n` working days after `received`: the day of receipt is not counted, the
    /// deadline is the n-th working day after it. `n = 0` gives `received` itself.
    ///
    /// # Source
    /// DESIGN.md §5 "Working days" (e.g. the 10 working days in which 信用中国 decides a repair).
    ///
    /// # Panics
    /// If the deadline would fall after chrono's last date (`n` in the tens of millions).
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use credit_calendar::Calendar;
    ///
    /// // Received Thursday 2026-02-12: 02-13 (1), Saturday 02-14 worked (2), 春节 02-15..02-23,
    /// // 02-24..02-27 (3–6), Saturday 02-28 worked (7).
    /// let received = NaiveDate::from_ymd_opt(2026, 2, 12).unwrap();
    /// let deadline = Calendar::builtin().add_working_days(received, 7);
    /// assert_eq!(deadline.date, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
    /// assert!(!deadline.provisional);
    /// ```
    pub fn add_working_days(&self, received: NaiveDate, n: u32) -> Deadline {
        match self.add_working_days_paused(received, n, &[]) {
            DeadlineState::Due(deadline) => deadline,
            DeadlineState::Paused { .. } => unreachable!("no pause was given"),
        }
    }

    /// Like [`Calendar::add_working_days`], with the clock stopped during `pauses` (补正): a
    /// day inside a pause (both ends included, see [`Pause`]) is not counted. Pauses may be
    /// given in any order and may overlap; a pause that starts after the deadline is reached
    /// changes nothing.
    ///
    /// Returns [`DeadlineState::Paused`] when an open pause (`to: None`) begins before the
    /// deadline is reached.
    ///
    /// # Panics
    /// As [`Calendar::add_working_days`].
    pub fn add_working_days_paused(&self, received: NaiveDate, n: u32, pauses: &[Pause]) -> DeadlineState {
        let mut date = received;
        let mut counted = 0;
        let mut provisional = false;
        while counted < n {
            date = date.succ_opt().expect("deadline beyond the last date chrono can represent");
            if let Some(pause) = pauses.iter().find(|p| p.covers(date)) {
                if pause.to.is_none() {
                    return DeadlineState::Paused { since: pause.from };
                }
                continue;
            }
            let day = self.day(date);
            provisional |= day.provisional;
            if day.is_working() {
                counted += 1;
            }
        }
        DeadlineState::Due(Deadline { date, provisional })
    }

    /// The number of working days after `from` up to and including `to` — `from` excluded
    /// like a day of receipt, `to` included like a deadline — so that
    /// `working_days_between(r, add_working_days(r, n).date).days == n`. Zero when `to` is not
    /// after `from`.
    ///
    /// For "handled on time" compare the completion date with the deadline's date
    /// (`done <= deadline.date`): work finished on the Saturday after a Friday deadline is
    /// late even though no working day passed.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> WorkingDayCount {
        let mut count = WorkingDayCount { days: 0, provisional: false };
        for date in from.iter_days().skip(1).take_while(|d| *d <= to) {
            let day = self.day(date);
            count.provisional |= day.provisional;
            if day.is_working() {
                count.days += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests;
