//! The set of loaded year schedules, and what kind of day a date is.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::schedule::YearSchedule;

/// The schedules shipped with the crate: `schedules/<year>.json`, one State Council notice each.
const EMBEDDED: &[(i32, &str)] = &[
    (2024, include_str!("../schedules/2024.json")),
    (2025, include_str!("../schedules/2025.json")),
    (2026, include_str!("../schedules/2026.json")),
];

static BUILTIN: LazyLock<Calendar> = LazyLock::new(|| {
    EMBEDDED.iter().fold(Calendar::empty(), |calendar, (year, json)| {
        let schedule = YearSchedule::parse(json)
            .unwrap_or_else(|e| panic!("embedded schedule schedules/{year}.json is invalid: {e}"));
        assert_eq!(schedule.year(), *year, "schedules/{year}.json names another year");
        calendar.with(schedule)
    })
});

/// Working days as the State Council's holiday schedules define them: one [`YearSchedule`]
/// per loaded year.
///
/// A date in a year without a schedule is judged by the week alone (Monday–Friday work) and
/// everything computed from it is marked *provisional* — never a silent guess (DESIGN.md §5
/// "Working days"). Cheap to clone: a few hundred dates.
///
/// # Source
/// The yearly notices of the General Office of the State Council (国务院办公厅关于某年部分节假日
/// 安排的通知); the embedded ones are listed in `calendar/README.md`.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearSchedule>,
}

impl Calendar {
    /// A calendar with no schedule at all: every date is provisional.
    pub fn empty() -> Calendar {
        Calendar::default()
    }

    /// The schedules shipped with the crate: 2024 (国办发明电〔2023〕7号), 2025
    /// (国办发明电〔2024〕12号) and 2026 (国办发明电〔2025〕7号). Add later years with
    /// [`Calendar::with`].
    ///
    /// # Panics
    /// Never in practice: the embedded files are checked by this crate's tests.
    pub fn builtin() -> Calendar {
        BUILTIN.clone()
    }

    /// This calendar with `schedule` loaded; a schedule already loaded for the same year is
    /// replaced (an administrator's upload wins over the embedded one).
    ///
    /// Dates of December of the year before that `schedule` names (a New Year holiday that
    /// starts there) take precedence over that year's own schedule.
    #[must_use]
    pub fn with(mut self, schedule: YearSchedule) -> Calendar {
        self.years.insert(schedule.year(), schedule);
        self
    }

    /// The schedule loaded for `year`, if any.
    pub fn schedule(&self, year: i32) -> Option<&YearSchedule> {
        self.years.get(&year)
    }

    /// The years that have a schedule, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// What kind of day `date` is: working or rest, why, and whether its year has a schedule.
    ///
    /// A holiday wins over everything, then a make-up working day, then the week. For a date
    /// in December the next year's schedule is consulted first (its New Year holiday may start
    /// there).
    ///
    /// # Examples
    /// ```
    /// use chrono::NaiveDate;
    /// use credit_calendar::{Calendar, DayKind};
    ///
    /// let calendar = Calendar::builtin();
    /// let day = calendar.day(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap()); // a Saturday
    /// assert_eq!(day.kind, DayKind::MakeUpWorkday);
    /// assert!(day.is_working() && !day.provisional);
    /// ```
    pub fn day(&self, date: NaiveDate) -> Day {
        let provisional = !self.years.contains_key(&date.year());
        let next_year = if date.month() == 12 { self.years.get(&(date.year() + 1)) } else { None };
        for schedule in next_year.into_iter().chain(self.years.get(&date.year())) {
            if let Some(holiday) = schedule.holiday_on(date) {
                return Day { date, kind: DayKind::Holiday { name: holiday.name.clone() }, provisional };
            }
            if schedule.is_make_up_workday(date) {
                return Day { date, kind: DayKind::MakeUpWorkday, provisional };
            }
        }
        let kind = match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayKind::Weekend,
            _ => DayKind::Weekday,
        };
        Day { date, kind, provisional }
    }
}

/// One date as the calendar sees it. Serialises as
/// `{"date":"2026-02-16","kind":{"holiday":{"name":"春节"}},"provisional":false}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    /// The date.
    pub date: NaiveDate,
    /// Why it is a working or a rest day.
    pub kind: DayKind,
    /// True when the date's year has no schedule loaded: `kind` then follows the week alone
    /// and may turn out wrong once the State Council publishes that year's notice.
    pub provisional: bool,
}

impl Day {
    /// Whether the date is a working day (a weekday that is not a holiday, or a make-up
    /// working day).
    pub fn is_working(&self) -> bool {
        matches!(self.kind, DayKind::Weekday | DayKind::MakeUpWorkday)
    }
}

/// Why a date is a working day or a rest day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday to Friday, not a holiday: a working day.
    Weekday,
    /// Saturday or Sunday, not a make-up working day: a rest day.
    Weekend,
    /// A day of a holiday period (including the weekend days inside it): a rest day.
    Holiday {
        /// The holiday's name as the notice gives it, e.g. `春节`.
        name: String,
    },
    /// A Saturday or Sunday made a working day (调休上班): a working day.
    MakeUpWorkday,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn embedded_schedules_parse_and_name_their_notices() {
        let calendar = Calendar::builtin();
        assert_eq!(calendar.years().collect::<Vec<_>>(), [2024, 2025, 2026]);
        let notices: Vec<&str> = calendar.years().map(|y| calendar.schedule(y).unwrap().notice()).collect();
        assert!(notices[0].contains("国办发明电〔2023〕7号"));
        assert!(notices[1].contains("国办发明电〔2024〕12号"));
        assert!(notices[2].contains("国办发明电〔2025〕7号"));
        assert_eq!(calendar.schedule(2026).unwrap().published(), Some(date(2025, 11, 4)));
    }

    #[test]
    fn counts_the_working_days_of_each_embedded_year() {
        // Counted independently by a script from the notices: 2024 has 251 working days, 2025
        // 248 (261 weekdays − 18 holiday weekdays + 5 make-up days, the figure the 2025 holiday
        // reform gives), 2026 248.
        let calendar = Calendar::builtin();
        for (year, expected) in [(2024, 251), (2025, 248), (2026, 248)] {
            let working = date(year, 1, 1)
                .iter_days()
                .take_while(|d| d.year() == year)
                .filter(|d| calendar.day(*d).is_working())
                .count();
            assert_eq!(working, expected, "{year}");
        }
    }

    #[test]
    fn classifies_the_days_around_spring_festival_2026() {
        let calendar = Calendar::builtin();
        // 2026-02-13 Friday, 02-14 Saturday (上班), 02-15 Sunday .. 02-23 Monday 春节,
        // 02-21 Saturday inside the holiday, 02-24 Tuesday, 02-28 Saturday (上班), 03-01 Sunday.
        assert_eq!(date(2026, 2, 13).weekday(), Weekday::Fri);
        assert_eq!(calendar.day(date(2026, 2, 13)).kind, DayKind::Weekday);
        assert_eq!(calendar.day(date(2026, 2, 14)).kind, DayKind::MakeUpWorkday);
        let spring = DayKind::Holiday { name: "春节".into() };
        assert_eq!(calendar.day(date(2026, 2, 15)).kind, spring);
        assert_eq!(calendar.day(date(2026, 2, 21)).kind, spring);
        assert_eq!(calendar.day(date(2026, 2, 23)).kind, spring);
        assert_eq!(calendar.day(date(2026, 2, 24)).kind, DayKind::Weekday);
        assert_eq!(calendar.day(date(2026, 2, 28)).kind, DayKind::MakeUpWorkday);
        assert_eq!(calendar.day(date(2026, 3, 1)).kind, DayKind::Weekend);
        assert!(!calendar.day(date(2026, 2, 16)).is_working());
        assert!(!calendar.day(date(2026, 2, 16)).provisional);
    }

    #[test]
    fn judges_a_year_without_schedule_by_the_week_and_marks_it_provisional() {
        let calendar = Calendar::builtin();
        // 2027-01-01 is a Friday: surely 元旦, but no 2027 schedule is loaded.
        let day = calendar.day(date(2027, 1, 1));
        assert_eq!(date(2027, 1, 1).weekday(), Weekday::Fri);
        assert_eq!(day.kind, DayKind::Weekday);
        assert!(day.is_working() && day.provisional);
        assert!(calendar.day(date(2023, 10, 2)).provisional);
    }

    #[test]
    fn an_uploaded_schedule_replaces_the_embedded_year() {
        let replacement = YearSchedule::parse(
            r#"{"year": 2026, "notice": "test notice",
                "holidays": [{"name": "test", "from": "2026-03-02", "to": "2026-03-02"}],
                "make_up_workdays": []}"#,
        )
        .unwrap();
        let calendar = Calendar::builtin().with(replacement);
        assert_eq!(calendar.schedule(2026).unwrap().notice(), "test notice");
        assert_eq!(calendar.day(date(2026, 2, 16)).kind, DayKind::Weekday);
        assert_eq!(calendar.day(date(2026, 3, 2)).kind, DayKind::Holiday { name: "test".into() });
        assert_eq!(calendar.years().count(), 3);
    }

    #[test]
    fn a_new_year_holiday_starting_in_december_overrides_the_year_before() {
        // Shaped like the 2019 notice (国办发明电〔2018〕15号): 元旦 from 30 December to 1 January,
        // work on Saturday 29 December. Here a made-up 2027: 2026-12-26 is a Saturday.
        assert_eq!(date(2026, 12, 26).weekday(), Weekday::Sat);
        let next = YearSchedule::parse(
            r#"{"year": 2027, "notice": "test: a 2027 notice reaching into December 2026",
                "holidays": [{"name": "元旦", "from": "2026-12-31", "to": "2027-01-01"}],
                "make_up_workdays": ["2026-12-26"]}"#,
        )
        .unwrap();
        let calendar = Calendar::builtin().with(next);
        assert_eq!(calendar.day(date(2026, 12, 26)).kind, DayKind::MakeUpWorkday);
        assert_eq!(calendar.day(date(2026, 12, 31)).kind, DayKind::Holiday { name: "元旦".into() });
        assert!(!calendar.day(date(2026, 12, 31)).provisional);
        assert_eq!(calendar.day(date(2026, 12, 30)).kind, DayKind::Weekday);
    }

    #[test]
    fn day_serialises_with_snake_case_kinds() {
        let day = Calendar::builtin().day(date(2026, 2, 16));
        let json = serde_json::to_string(&day).unwrap();
        assert_eq!(json, r#"{"date":"2026-02-16","kind":{"holiday":{"name":"春节"}},"provisional":false}"#);
    }
}
