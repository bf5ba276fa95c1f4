//! Why a holiday schedule was refused, in English and Chinese, with a JSON pointer to the place.

use std::fmt;

use chrono::{NaiveDate, Weekday};

/// A holiday schedule that [`YearSchedule::parse`](crate::YearSchedule::parse) refused.
///
/// Its `Display` text is one line in English followed by the same in Chinese; an HTTP layer
/// that answers `application/problem+json` maps [`ScheduleError::problems`] to its `errors[]`
/// (each with its JSON `pointer`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The text is not JSON at all. `line` and `column` are 1-based, as `serde_json` counts them.
    #[error(
        "the schedule is not valid JSON at line {line}, column {column}: {reason}; send one JSON object \
         / 节假日安排不是有效的 JSON（第 {line} 行第 {column} 列：{reason}），请上传一个 JSON 对象"
    )]
    NotJson {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
        /// `serde_json`'s description of the error (English).
        reason: String,
    },
    /// The text is JSON but breaks one or more rules; every problem found is listed, in
    /// document order as far as it can be followed.
    #[error("{}", list(problems))]
    Invalid {
        /// Every problem found; never empty.
        problems: Vec<Problem>,
    },
}

impl ScheduleError {
    /// The problems with a JSON pointer each; empty for [`ScheduleError::NotJson`].
    pub fn problems(&self) -> &[Problem] {
        match self {
            ScheduleError::NotJson { .. } => &[],
            ScheduleError::Invalid { problems } => problems,
        }
    }
}

fn list(problems: &[Problem]) -> String {
    let items: Vec<String> = problems.iter().map(Problem::to_string).collect();
    format!(
        "the schedule was refused ({} problem(s)) / 节假日安排未通过校验（{} 处）: {}",
        problems.len(),
        problems.len(),
        items.join("; ")
    )
}

/// One thing wrong with an uploaded schedule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// RFC 6901 JSON pointer to the offending value, e.g. `/holidays/1/from`; `""` is the
    /// whole document.
    pub pointer: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl Problem {
    /// The message in English (lower-case, says what failed, with which value, and what to do).
    pub fn message_en(&self) -> String {
        self.kind.message_en()
    }

    /// The message in Chinese, for the administrator's screen.
    pub fn message_zh(&self) -> String {
        self.kind.message_zh()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {:?}: {} / {}", self.pointer, self.kind.message_en(), self.kind.message_zh())
    }
}

/// What is wrong at a [`Problem`]'s pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The value has the wrong JSON type; `expected` names the right one ("an object", …).
    WrongType {
        /// The JSON type the rule wants, in English ("an object", "a string", "an array",
        /// "an integer").
        expected: &'static str,
    },
    /// A required field is absent; the pointer names it.
    MissingField,
    /// A field the format does not know (a typo such as `make_up_workday`); the pointer names it.
    UnknownField,
    /// `year` is outside 2000–2999.
    YearOutOfRange {
        /// The year as written.
        year: i64,
    },
    /// `notice` is absent or blank: every schedule must name the State Council notice it
    /// comes from.
    MissingNotice,
    /// A holiday's `name` is blank.
    BlankName,
    /// Not a date written `YYYY-MM-DD`.
    NotADate {
        /// The text as written.
        value: String,
    },
    /// A date outside the schedule's year. December of the year before is allowed: a notice
    /// can start the New Year holiday there (the 2019 notice, 国办发明电〔2018〕15号, did).
    OutsideYear {
        /// The date as parsed.
        date: NaiveDate,
        /// The schedule's `year`.
        year: i32,
    },
    /// A holiday whose `from` is after its `to`.
    FromAfterTo {
        /// First day as written.
        from: NaiveDate,
        /// Last day as written.
        to: NaiveDate,
    },
    /// `holidays` is empty: a schedule without holidays is almost surely a mistake.
    NoHolidays,
    /// This holiday shares days with the one at `other`.
    OverlappingHolidays {
        /// JSON pointer of the other holiday.
        other: String,
    },
    /// A make-up working day (调休上班) that is not a Saturday or Sunday.
    MakeUpNotWeekend {
        /// The date.
        date: NaiveDate,
        /// Its weekday.
        weekday: Weekday,
    },
    /// A date listed as a make-up working day that lies inside the holiday at `holiday`.
    HolidayAndWorkday {
        /// The date.
        date: NaiveDate,
        /// JSON pointer of the holiday that contains it.
        holiday: String,
    },
    /// A make-up working day listed twice; `first` points at the first listing.
    DuplicateWorkday {
        /// The date.
        date: NaiveDate,
        /// JSON pointer of the first listing.
        first: String,
    },
}

impl ProblemKind {
    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            ProblemKind::WrongType { expected } => format!("must be {expected}"),
            ProblemKind::MissingField => "this required field is missing; add it".into(),
            ProblemKind::UnknownField => "unknown field; the fields are year, notice, published, note, holidays \
                 (name, from, to) and make_up_workdays — check the spelling"
                .into(),
            ProblemKind::YearOutOfRange { year } => {
                format!("year {year} is out of range; give a year from 2000 to 2999")
            }
            ProblemKind::MissingNotice => "the notice is missing; name the State Council notice the schedule comes \
                 from, e.g. \"国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）\""
                .into(),
            ProblemKind::BlankName => "the holiday's name is blank; give its name, e.g. \"春节\"".into(),
            ProblemKind::NotADate { value } => format!("{value:?} is not a date; write it as YYYY-MM-DD"),
            ProblemKind::OutsideYear { date, year } => format!(
                "{date} lies outside {year}; a {year} schedule may only name dates in {year} \
                 (or in December {})",
                year - 1
            ),
            ProblemKind::FromAfterTo { from, to } => {
                format!("the holiday starts on {from}, after it ends on {to}; swap or correct the dates")
            }
            ProblemKind::NoHolidays => "no holidays are listed; copy them from the notice".into(),
            ProblemKind::OverlappingHolidays { other } => {
                format!("this holiday overlaps the one at {other:?}; a day can belong to one holiday only")
            }
            ProblemKind::MakeUpNotWeekend { date, weekday } => format!(
                "{date} is a {}; a make-up working day (调休上班) must be a Saturday or Sunday",
                weekday_en(*weekday)
            ),
            ProblemKind::HolidayAndWorkday { date, holiday } => {
                format!("{date} is listed as a make-up working day but lies inside the holiday at {holiday:?}")
            }
            ProblemKind::DuplicateWorkday { date, first } => {
                format!("{date} is listed twice as a make-up working day (first at {first:?}); remove one")
            }
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            ProblemKind::WrongType { expected } => format!("应为{}", type_zh(expected)),
            ProblemKind::MissingField => "缺少此必填字段，请补上".into(),
            ProblemKind::UnknownField => {
                "未知字段；可用字段为 year、notice、published、note、holidays（name、from、to）\
                 和 make_up_workdays，请检查拼写"
                    .into()
            }
            ProblemKind::YearOutOfRange { year } => format!("年份 {year} 超出范围，应在 2000 至 2999 之间"),
            ProblemKind::MissingNotice => "缺少通知名称：请写明所依据的国务院办公厅通知及文号".into(),
            ProblemKind::BlankName => "节日名称为空，请填写，如“春节”".into(),
            ProblemKind::NotADate { value } => format!("“{value}”不是日期，请按 YYYY-MM-DD 格式填写"),
            ProblemKind::OutsideYear { date, year } => {
                format!("{date} 不在 {year} 年内；{year} 年的安排只能包含 {year} 年（或 {} 年 12 月）的日期", year - 1)
            }
            ProblemKind::FromAfterTo { from, to } => {
                format!("放假开始日 {from} 晚于结束日 {to}，请更正")
            }
            ProblemKind::NoHolidays => "未列出任何节假日，请按通知填写".into(),
            ProblemKind::OverlappingHolidays { other } => {
                format!("此节假日与 {other} 处的节假日日期重叠；同一天只能属于一个节假日")
            }
            ProblemKind::MakeUpNotWeekend { date, weekday } => {
                format!("调休上班日 {date} 是{}，应为星期六或星期日", weekday_zh(*weekday))
            }
            ProblemKind::HolidayAndWorkday { date, holiday } => {
                format!("{date} 既列为调休上班日，又在 {holiday} 处的节假日之内")
            }
            ProblemKind::DuplicateWorkday { date, first } => {
                format!("调休上班日 {date} 重复列出（首次在 {first}），请删去一处")
            }
        }
    }
}

fn type_zh(expected: &str) -> &'static str {
    match expected {
        "an object" => "对象（{…}）",
        "an array" => "数组（[…]）",
        "a string" => "字符串",
        "an integer" => "整数",
        _ => "其他类型",
    }
}

pub(crate) fn weekday_en(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub(crate) fn weekday_zh(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}
