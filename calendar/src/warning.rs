//! The reminder to load next year's schedule.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::calendar::Calendar;

/// The month from which next year's schedule is expected: the State Council has published the
/// notice between late October and early December (2024: 2023-10-25; 2025: 2024-11-12;
/// 2026: 2025-11-04; 2019: 2018-12-04).
const WARN_FROM_MONTH: u32 = 11;

/// A year whose holiday schedule should be loaded and is not. `Display` gives the message in
/// Chinese then English; [`MissingSchedule::message_zh`] and [`MissingSchedule::message_en`]
/// give one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingSchedule {
    /// The year without a schedule.
    pub year: i32,
    /// True when it is the current year (deadlines computed today are already provisional),
    /// false when it is next year (deadlines reaching into it will be).
    pub current: bool,
}

impl MissingSchedule {
    /// The warning in Chinese, for the administrator's screen.
    pub fn message_zh(&self) -> String {
        let year = self.year;
        let now = if self.current { "当前" } else { "" };
        format!(
            "尚未载入{now}{year}年节假日安排：涉及{year}年的期限暂按周一至周五计算工作日，并标记为“暂定”。\
             国务院办公厅通知发布后，请上传{year}年安排。"
        )
    }

    /// The warning in English.
    pub fn message_en(&self) -> String {
        let year = self.year;
        let now = if self.current { "current " } else { "" };
        format!(
            "the holiday schedule for the {now}year {year} is not loaded: deadlines reaching into {year} count \
             Monday to Friday as working days and are marked provisional; upload the {year} schedule once the \
             State Council's notice is out"
        )
    }
}

impl fmt::Display for MissingSchedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.message_zh(), self.message_en())
    }
}

impl Calendar {
    /// Whether an administrator should load a schedule, judged on `today`: from 1 November on,
    /// when next year's is missing; on any day, when the current year's is missing (this one
    /// is reported first). `None` when nothing is missing.
    ///
    /// `.to_string()` on the answer gives the bilingual text.
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use credit_calendar::Calendar;
    ///
    /// let calendar = Calendar::builtin(); // 2024–2026
    /// let warning = calendar.missing_schedule_warning(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    /// assert_eq!(warning.map(|w| w.year), Some(2027));
    /// assert!(calendar.missing_schedule_warning(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()).is_none());
    /// ```
    pub fn missing_schedule_warning(&self, today: NaiveDate) -> Option<MissingSchedule> {
        let year = today.year();
        if self.schedule(year).is_none() {
            return Some(MissingSchedule { year, current: true });
        }
        let next_expected = today.month() >= WARN_FROM_MONTH;
        (next_expected && self.schedule(year + 1).is_none())
            .then_some(MissingSchedule { year: year + 1, current: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::YearSchedule;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn warns_from_the_first_of_november_when_next_year_is_missing() {
        let calendar = Calendar::builtin();
        let warning = calendar.missing_schedule_warning(date(2026, 11, 1)).unwrap();
        assert_eq!(warning, MissingSchedule { year: 2027, current: false });
        assert!(warning.message_zh().contains("2027年节假日安排"));
        assert!(warning.message_en().contains("the holiday schedule for the year 2027 is not loaded"));
        assert!(warning.to_string().contains(" / the holiday schedule"));
        assert!(calendar.missing_schedule_warning(date(2026, 12, 31)).is_some());
    }

    #[test]
    fn does_not_warn_on_the_thirty_first_of_october() {
        assert_eq!(Calendar::builtin().missing_schedule_warning(date(2026, 10, 31)), None);
    }

    #[test]
    fn does_not_warn_once_next_year_is_loaded() {
        let next = YearSchedule::parse(
            r#"{"year": 2027, "notice": "test", "make_up_workdays": [],
                "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}]}"#,
        )
        .unwrap();
        assert_eq!(Calendar::builtin().with(next).missing_schedule_warning(date(2026, 11, 1)), None);
    }

    #[test]
    fn warns_all_year_when_the_current_year_is_missing() {
        let calendar = Calendar::builtin();
        let warning = calendar.missing_schedule_warning(date(2027, 3, 1)).unwrap();
        assert_eq!(warning, MissingSchedule { year: 2027, current: true });
        assert!(warning.message_zh().contains("当前2027年"));
        assert!(warning.message_en().contains("current year 2027"));
    }
}
