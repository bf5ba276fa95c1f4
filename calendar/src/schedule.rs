//! One year's holiday schedule as the State Council publishes it, and its validation.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::{Problem, ProblemKind, ScheduleError};

/// One year's holidays and make-up working days (放假调休安排), as one State Council notice
/// (国务院办公厅关于某年部分节假日安排的通知) sets them.
///
/// Built only by [`YearSchedule::parse`], so a value of this type has passed every check. The
/// JSON shape (also what `Serialize` writes back):
///
/// ```json
/// {"year": 2026,
///  "notice": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
///  "published": "2025-11-04",
///  "note": "optional free text",
///  "holidays": [{"name": "春节", "from": "2026-02-15", "to": "2026-02-23"}],
///  "make_up_workdays": ["2026-02-14", "2026-02-28"]}
/// ```
///
/// A holiday runs from `from` to `to`, both days included, weekends inside it too. A date in
/// neither list follows the week: Monday–Friday work, Saturday and Sunday rest.
///
/// # Source
/// 《全国年节及纪念日放假办法》 and the yearly notice of the General Office of the State Council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSchedule {
    year: i32,
    notice: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    holidays: Vec<Holiday>,
    make_up_workdays: Vec<NaiveDate>,
}

/// A holiday period: `from` to `to`, both days included (放假调休, e.g. 春节 2026-02-15 to
/// 2026-02-23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The name as the notice gives it, e.g. `春节`, `国庆节、中秋节`.
    pub name: String,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (included).
    pub to: NaiveDate,
}

impl Holiday {
    /// Whether `date` is one of this holiday's days.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

const TOP_FIELDS: &[&str] = &["year", "notice", "published", "note", "holidays", "make_up_workdays"];
const HOLIDAY_FIELDS: &[&str] = &["name", "from", "to"];

impl YearSchedule {
    /// Reads and checks a schedule written as JSON (the shape is on [`YearSchedule`]): the
    /// embedded years and what an administrator uploads for a new year go through here.
    ///
    /// `published` and `note` are optional (`null` counts as absent); every other field is
    /// required and unknown fields are refused.
    ///
    /// # Errors
    /// [`ScheduleError::NotJson`] when the text is not JSON; otherwise
    /// [`ScheduleError::Invalid`] listing every problem found, each with a JSON pointer: a
    /// wrong type, a missing or unknown field, a missing notice, a year outside 2000–2999, a
    /// date not written `YYYY-MM-DD`, a date outside the year (December of the year before is
    /// allowed, see [`ProblemKind::OutsideYear`]), an empty holiday list, a holiday whose
    /// `from` is after its `to`, overlapping holidays, a make-up working day that is not a
    /// Saturday or Sunday, listed twice, or inside a holiday.
    ///
    /// # Examples
    /// ```
    /// use credit_calendar::{ProblemKind, YearSchedule};
    ///
    /// let err = YearSchedule::parse(r#"{"year": 2027, "notice": "test",
    ///     "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
    ///     "make_up_workdays": ["2027-01-04"]}"#).unwrap_err();
    /// let problem = &err.problems()[0];
    /// assert_eq!(problem.pointer, "/make_up_workdays/0");
    /// assert!(matches!(problem.kind, ProblemKind::MakeUpNotWeekend { .. })); // a Monday
    /// ```
    pub fn parse(json: &str) -> Result<YearSchedule, ScheduleError> {
        let value: Value = serde_json::from_str(json).map_err(|e| ScheduleError::NotJson {
            line: e.line(),
            column: e.column(),
            reason: strip_position(&e.to_string()),
        })?;
        let mut reader = Reader::default();
        let schedule = reader.schedule(&value);
        match (schedule, reader.problems.is_empty()) {
            (Some(schedule), true) => Ok(schedule),
            _ => {
                debug_assert!(!reader.problems.is_empty());
                Err(ScheduleError::Invalid { problems: reader.problems })
            }
        }
    }

    /// The calendar year this schedule is for.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The notice it comes from, title and document number
    /// (e.g. `国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）`).
    pub fn notice(&self) -> &str {
        &self.notice
    }

    /// The day the notice was issued, when given.
    pub fn published(&self) -> Option<NaiveDate> {
        self.published
    }

    /// Free text kept with the schedule (e.g. what the notice only recommends), when given.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The holiday periods, in the order written.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The weekend days that are working days (调休上班), in the order written.
    pub fn make_up_workdays(&self) -> &[NaiveDate] {
        &self.make_up_workdays
    }

    /// The holiday `date` belongs to, if any.
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.contains(date))
    }

    /// Whether `date` is a make-up working day in this schedule.
    pub fn is_make_up_workday(&self, date: NaiveDate) -> bool {
        self.make_up_workdays.contains(&date)
    }
}

/// `serde_json` appends " at line L column C"; the error carries them as fields already.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Walks the JSON value, collecting every problem instead of stopping at the first.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, pointer: impl Into<String>, kind: ProblemKind) {
        self.problems.push(Problem { pointer: pointer.into(), kind });
    }

    fn schedule(&mut self, value: &Value) -> Option<YearSchedule> {
        let top = self.object(value, "", TOP_FIELDS)?;

        let year = self.required(top, "", "year").and_then(|v| self.year(v));
        let notice = match top.get("notice") {
            None | Some(Value::Null) => {
                self.problem("/notice", ProblemKind::MissingNotice);
                None
            }
            Some(v) => match self.string(v, "/notice") {
                Some(s) if s.trim().is_empty() => {
                    self.problem("/notice", ProblemKind::MissingNotice);
                    None
                }
                s => s.map(|s| s.trim().to_owned()),
            },
        };
        let published = self.optional(top, "published").and_then(|v| self.date(v, "/published"));
        let note = self.optional(top, "note").and_then(|v| self.string(v, "/note")).map(str::to_owned);

        let holidays = self.required(top, "", "holidays").and_then(|v| self.holidays(v, year));
        let workdays = self.required(top, "", "make_up_workdays").and_then(|v| self.workdays(v, year));
        if let (Some(holidays), Some(workdays)) = (&holidays, &workdays) {
            self.workdays_outside_holidays(workdays, holidays);
        }

        Some(YearSchedule {
            year: year?,
            notice: notice?,
            published,
            note,
            holidays: holidays?.into_iter().map(|(_, h)| h).collect(),
            make_up_workdays: workdays?.into_iter().map(|(_, d)| d).collect(),
        })
    }

    fn year(&mut self, value: &Value) -> Option<i32> {
        let Some(year) = value.as_i64() else {
            self.problem("/year", ProblemKind::WrongType { expected: "an integer" });
            return None;
        };
        if !(2000..=2999).contains(&year) {
            self.problem("/year", ProblemKind::YearOutOfRange { year });
            return None;
        }
        i32::try_from(year).ok()
    }

    /// The holidays with their index, or `None` when the list itself is unusable. A holiday
    /// with a problem is left out (the problem is recorded) so that the others are still
    /// checked against each other.
    fn holidays(&mut self, value: &Value, year: Option<i32>) -> Option<Vec<(usize, Holiday)>> {
        let items = self.array(value, "/holidays")?;
        if items.is_empty() {
            self.problem("/holidays", ProblemKind::NoHolidays);
        }
        let mut holidays = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("/holidays/{i}");
            let Some(fields) = self.object(item, &at, HOLIDAY_FIELDS) else { continue };
            let name = self.required(fields, &at, "name").and_then(|v| self.string(v, &format!("{at}/name")));
            if name.is_some_and(|n| n.trim().is_empty()) {
                self.problem(format!("{at}/name"), ProblemKind::BlankName);
            }
            let from = self.dated(fields, &at, "from", year);
            let to = self.dated(fields, &at, "to", year);
            let (Some(name), Some(from), Some(to)) = (name, from, to) else { continue };
            if from > to {
                self.problem(at, ProblemKind::FromAfterTo { from, to });
                continue;
            }
            holidays.push((i, Holiday { name: name.trim().to_owned(), from, to }));
        }
        self.no_overlaps(&holidays);
        Some(holidays)
    }

    fn no_overlaps(&mut self, holidays: &[(usize, Holiday)]) {
        let mut by_start: Vec<&(usize, Holiday)> = holidays.iter().collect();
        by_start.sort_by_key(|(i, h)| (h.from, *i));
        // The holiday reaching furthest so far: any later start on or before its end overlaps.
        let mut reach: Option<&(usize, Holiday)> = None;
        for entry in by_start {
            let (i, holiday) = entry;
            match reach {
                Some((j, furthest)) if holiday.from <= furthest.to => {
                    let (first, second) = if j < i { (j, i) } else { (i, j) };
                    self.problem(
                        format!("/holidays/{second}"),
                        ProblemKind::OverlappingHolidays { other: format!("/holidays/{first}") },
                    );
                    if holiday.to > furthest.to {
                        reach = Some(entry);
                    }
                }
                _ => reach = Some(entry),
            }
        }
    }

    fn workdays(&mut self, value: &Value, year: Option<i32>) -> Option<Vec<(usize, NaiveDate)>> {
        let items = self.array(value, "/make_up_workdays")?;
        let mut seen: HashMap<NaiveDate, usize> = HashMap::new();
        let mut workdays = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("/make_up_workdays/{i}");
            let Some(date) = self.date(item, &at) else { continue };
            if let Some(year) = year {
                self.in_year(date, year, &at);
            }
            let weekday = date.weekday();
            if !matches!(weekday, Weekday::Sat | Weekday::Sun) {
                self.problem(&at, ProblemKind::MakeUpNotWeekend { date, weekday });
            }
            if let Some(first) = seen.get(&date) {
                let first = format!("/make_up_workdays/{first}");
                self.problem(&at, ProblemKind::DuplicateWorkday { date, first });
                continue;
            }
            seen.insert(date, i);
            workdays.push((i, date));
        }
        Some(workdays)
    }

    fn workdays_outside_holidays(&mut self, workdays: &[(usize, NaiveDate)], holidays: &[(usize, Holiday)]) {
        for (i, date) in workdays {
            if let Some((j, _)) = holidays.iter().find(|(_, h)| h.contains(*date)) {
                self.problem(
                    format!("/make_up_workdays/{i}"),
                    ProblemKind::HolidayAndWorkday { date: *date, holiday: format!("/holidays/{j}") },
                );
            }
        }
    }

    /// A required date field of a holiday, checked against the year when it is known.
    fn dated(&mut self, fields: &Map<String, Value>, at: &str, key: &str, year: Option<i32>) -> Option<NaiveDate> {
        let pointer = format!("{at}/{key}");
        let date = self.required(fields, at, key).and_then(|v| self.date(v, &pointer))?;
        match year {
            Some(year) if !self.in_year(date, year, &pointer) => None,
            _ => Some(date),
        }
    }

    fn in_year(&mut self, date: NaiveDate, year: i32, pointer: &str) -> bool {
        let december_before = date.year() == year - 1 && date.month() == 12;
        if date.year() == year || december_before {
            return true;
        }
        self.problem(pointer, ProblemKind::OutsideYear { date, year });
        false
    }

    fn object<'v>(&mut self, value: &'v Value, pointer: &str, known: &[&str]) -> Option<&'v Map<String, Value>> {
        let Some(fields) = value.as_object() else {
            self.problem(pointer, ProblemKind::WrongType { expected: "an object" });
            return None;
        };
        for key in fields.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(format!("{pointer}/{}", escape(key)), ProblemKind::UnknownField);
        }
        Some(fields)
    }

    fn required<'v>(&mut self, fields: &'v Map<String, Value>, at: &str, key: &str) -> Option<&'v Value> {
        let value = fields.get(key);
        if value.is_none() {
            self.problem(format!("{at}/{key}"), ProblemKind::MissingField);
        }
        value
    }

    fn optional<'v>(&mut self, fields: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        fields.get(key).filter(|v| !v.is_null())
    }

    fn array<'v>(&mut self, value: &'v Value, pointer: &str) -> Option<&'v Vec<Value>> {
        let items = value.as_array();
        if items.is_none() {
            self.problem(pointer, ProblemKind::WrongType { expected: "an array" });
        }
        items
    }

    fn string<'v>(&mut self, value: &'v Value, pointer: &str) -> Option<&'v str> {
        let text = value.as_str();
        if text.is_none() {
            self.problem(pointer, ProblemKind::WrongType { expected: "a string" });
        }
        text
    }

    fn date(&mut self, value: &Value, pointer: &str) -> Option<NaiveDate> {
        let text = self.string(value, pointer)?;
        // Exactly YYYY-MM-DD: chrono alone would also take "2026-2-5".
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
        let date = well_formed.then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten();
        if date.is_none() {
            self.problem(pointer, ProblemKind::NotADate { value: text.to_owned() });
        }
        date
    }
}

/// RFC 6901: `~` is written `~0` and `/` is written `~1` inside a pointer token.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests;
