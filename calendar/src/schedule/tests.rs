use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A valid 2026 schedule (part of the real one) to break one field at a time.
fn valid() -> Value {
    json!({
        "year": 2026,
        "notice": "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
        "published": "2025-11-04",
        "holidays": [
            {"name": "元旦", "from": "2026-01-01", "to": "2026-01-03"},
            {"name": "春节", "from": "2026-02-15", "to": "2026-02-23"}
        ],
        "make_up_workdays": ["2026-01-04", "2026-02-14", "2026-02-28"]
    })
}

/// The problems `json` is refused for, as (pointer, kind).
fn problems(json: &Value) -> Vec<(String, ProblemKind)> {
    match YearSchedule::parse(&json.to_string()) {
        Ok(_) => panic!("accepted: {json}"),
        Err(ScheduleError::Invalid { problems }) => problems.into_iter().map(|p| (p.pointer, p.kind)).collect(),
        Err(other) => panic!("not a validation error: {other}"),
    }
}

fn only(json: &Value) -> (String, ProblemKind) {
    let mut found = problems(json);
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

#[test]
fn accepts_a_valid_schedule_and_keeps_every_field() {
    let schedule = YearSchedule::parse(&valid().to_string()).unwrap();
    assert_eq!(schedule.year(), 2026);
    assert!(schedule.notice().ends_with("（国办发明电〔2025〕7号）"));
    assert_eq!(schedule.published(), Some(date(2025, 11, 4)));
    assert_eq!(schedule.note(), None);
    assert_eq!(schedule.holidays()[1], Holiday { name: "春节".into(), from: date(2026, 2, 15), to: date(2026, 2, 23) });
    assert_eq!(schedule.make_up_workdays(), [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28)]);
    // What it writes back parses to the same schedule.
    let written = serde_json::to_string(&schedule).unwrap();
    assert_eq!(YearSchedule::parse(&written).unwrap(), schedule);
}

#[test]
fn rejects_text_that_is_not_json_with_line_and_column() {
    let err = YearSchedule::parse("{\n  \"year\": 2026,\n  oops\n}").unwrap_err();
    let ScheduleError::NotJson { line, column, reason } = &err else { panic!("{err:?}") };
    assert_eq!((*line, *column), (3, 3));
    assert!(!reason.contains("at line"), "{reason}");
    let text = err.to_string();
    assert!(text.contains("line 3, column 3") && text.contains("第 3 行第 3 列"), "{text}");
    assert!(err.problems().is_empty());
}

#[test]
fn rejects_a_document_that_is_not_an_object() {
    assert_eq!(only(&json!([1, 2])), (String::new(), ProblemKind::WrongType { expected: "an object" }));
}

#[test]
fn rejects_a_missing_notice() {
    let mut json = valid();
    json.as_object_mut().unwrap().remove("notice");
    assert_eq!(only(&json), ("/notice".into(), ProblemKind::MissingNotice));
}

#[test]
fn rejects_a_blank_notice() {
    let mut json = valid();
    json["notice"] = json!("   ");
    assert_eq!(only(&json), ("/notice".into(), ProblemKind::MissingNotice));
}

#[test]
fn rejects_a_missing_field_naming_it() {
    let mut json = valid();
    json.as_object_mut().unwrap().remove("make_up_workdays");
    assert_eq!(only(&json), ("/make_up_workdays".into(), ProblemKind::MissingField));
    let mut json = valid();
    json["holidays"][1].as_object_mut().unwrap().remove("to");
    assert_eq!(only(&json), ("/holidays/1/to".into(), ProblemKind::MissingField));
}

#[test]
fn rejects_an_unknown_field_such_as_a_typo() {
    let mut json = valid();
    json["make_up_workday"] = json!([]);
    json["holidays"][0]["form"] = json!("2026-01-01");
    json["a/b"] = json!(1);
    let found = problems(&json);
    assert!(found.contains(&("/make_up_workday".into(), ProblemKind::UnknownField)), "{found:?}");
    assert!(found.contains(&("/holidays/0/form".into(), ProblemKind::UnknownField)), "{found:?}");
    assert!(found.contains(&("/a~1b".into(), ProblemKind::UnknownField)), "{found:?}");
    assert_eq!(found.len(), 3);
}

#[test]
fn rejects_wrong_types() {
    let mut json = valid();
    json["year"] = json!("2026");
    json["holidays"][0]["name"] = json!(1);
    json["make_up_workdays"] = json!("2026-01-04");
    let found = problems(&json);
    assert_eq!(
        found,
        [
            ("/year".into(), ProblemKind::WrongType { expected: "an integer" }),
            ("/holidays/0/name".into(), ProblemKind::WrongType { expected: "a string" }),
            ("/make_up_workdays".into(), ProblemKind::WrongType { expected: "an array" }),
        ]
    );
}

#[test]
fn rejects_a_year_out_of_range() {
    let mut json = valid();
    json["year"] = json!(20226);
    assert_eq!(only(&json), ("/year".into(), ProblemKind::YearOutOfRange { year: 20226 }));
}

#[test]
fn rejects_a_blank_holiday_name() {
    let mut json = valid();
    json["holidays"][0]["name"] = json!("");
    assert_eq!(only(&json), ("/holidays/0/name".into(), ProblemKind::BlankName));
}

#[test]
fn rejects_dates_not_written_yyyy_mm_dd() {
    for bad in ["2026-2-15", "2026/02/15", "2026-02-30", "15.02.2026", ""] {
        let mut json = valid();
        json["holidays"][1]["from"] = json!(bad);
        assert_eq!(only(&json), ("/holidays/1/from".into(), ProblemKind::NotADate { value: bad.into() }), "{bad}");
    }
    let mut json = valid();
    json["published"] = json!("4 November 2025");
    assert_eq!(only(&json), ("/published".into(), ProblemKind::NotADate { value: "4 November 2025".into() }));
}

#[test]
fn rejects_dates_outside_the_year() {
    let mut json = valid();
    json["holidays"][1]["to"] = json!("2027-02-23");
    json["make_up_workdays"][0] = json!("2025-11-30"); // a Sunday, but November of the year before
    assert_eq!(date(2025, 11, 30).weekday(), Weekday::Sun);
    let found = problems(&json);
    assert_eq!(
        found,
        [
            ("/holidays/1/to".into(), ProblemKind::OutsideYear { date: date(2027, 2, 23), year: 2026 }),
            ("/make_up_workdays/0".into(), ProblemKind::OutsideYear { date: date(2025, 11, 30), year: 2026 }),
        ]
    );
}

#[test]
fn accepts_december_of_the_year_before_as_the_2019_notice_needed() {
    // 国办发明电〔2018〕15号: 元旦 2018-12-30 to 2019-01-01, work on Saturday 2018-12-29.
    assert_eq!(date(2018, 12, 29).weekday(), Weekday::Sat);
    let json = json!({
        "year": 2019, "notice": "国务院办公厅关于2019年部分节假日安排的通知（国办发明电〔2018〕15号）",
        "holidays": [{"name": "元旦", "from": "2018-12-30", "to": "2019-01-01"}],
        "make_up_workdays": ["2018-12-29"]
    });
    let schedule = YearSchedule::parse(&json.to_string()).unwrap();
    assert_eq!(schedule.holiday_on(date(2018, 12, 31)).unwrap().name, "元旦");
}

#[test]
fn rejects_from_after_to() {
    let mut json = valid();
    json["holidays"][1]["from"] = json!("2026-02-23");
    json["holidays"][1]["to"] = json!("2026-02-15");
    assert_eq!(
        only(&json),
        ("/holidays/1".into(), ProblemKind::FromAfterTo { from: date(2026, 2, 23), to: date(2026, 2, 15) })
    );
}

#[test]
fn rejects_an_empty_holiday_list() {
    let mut json = valid();
    json["holidays"] = json!([]);
    json["make_up_workdays"] = json!([]);
    assert_eq!(only(&json), ("/holidays".into(), ProblemKind::NoHolidays));
}

#[test]
fn rejects_overlapping_holidays_naming_both() {
    let mut json = valid();
    json["holidays"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "春节（重复）", "from": "2026-02-20", "to": "2026-02-25"}));
    assert_eq!(only(&json), ("/holidays/2".into(), ProblemKind::OverlappingHolidays { other: "/holidays/1".into() }));
    // Written before the holiday it overlaps: the later index is still the one reported.
    let mut json = valid();
    json["holidays"]
        .as_array_mut()
        .unwrap()
        .insert(0, json!({"name": "春节（重复）", "from": "2026-02-23", "to": "2026-02-25"}));
    assert_eq!(only(&json), ("/holidays/2".into(), ProblemKind::OverlappingHolidays { other: "/holidays/0".into() }));
}

#[test]
fn rejects_a_makeup_workday_that_is_not_a_weekend_day() {
    let mut json = valid();
    json["make_up_workdays"][1] = json!("2026-02-13");
    assert_eq!(date(2026, 2, 13).weekday(), Weekday::Fri);
    let (pointer, kind) = only(&json);
    assert_eq!(pointer, "/make_up_workdays/1");
    assert_eq!(kind, ProblemKind::MakeUpNotWeekend { date: date(2026, 2, 13), weekday: Weekday::Fri });
    assert!(kind.message_en().contains("2026-02-13 is a Friday"), "{}", kind.message_en());
    assert!(kind.message_zh().contains("2026-02-13 是星期五"), "{}", kind.message_zh());
}

#[test]
fn rejects_a_date_both_holiday_and_workday() {
    let mut json = valid();
    json["make_up_workdays"][1] = json!("2026-02-21"); // a Saturday inside 春节
    assert_eq!(date(2026, 2, 21).weekday(), Weekday::Sat);
    assert_eq!(
        only(&json),
        (
            "/make_up_workdays/1".into(),
            ProblemKind::HolidayAndWorkday { date: date(2026, 2, 21), holiday: "/holidays/1".into() }
        )
    );
}

#[test]
fn rejects_a_workday_listed_twice() {
    let mut json = valid();
    json["make_up_workdays"].as_array_mut().unwrap().push(json!("2026-02-14"));
    assert_eq!(
        only(&json),
        (
            "/make_up_workdays/3".into(),
            ProblemKind::DuplicateWorkday { date: date(2026, 2, 14), first: "/make_up_workdays/1".into() }
        )
    );
}

#[test]
fn lists_every_problem_at_once_in_both_languages() {
    let json = json!({
        "year": 2026,
        "holidays": [{"name": "春节", "from": "2026-02-23", "to": "2026-02-15"}],
        "make_up_workdays": ["2026-02-16"]
    });
    let err = YearSchedule::parse(&json.to_string()).unwrap_err();
    let pointers: Vec<&str> = err.problems().iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(pointers, ["/notice", "/holidays/0", "/make_up_workdays/0"]);
    let text = err.to_string();
    assert!(text.starts_with("the schedule was refused (3 problem(s)) / 节假日安排未通过校验（3 处）"), "{text}");
    assert!(text.contains(r#"at "/notice": the notice is missing"#), "{text}");
    assert!(text.contains("缺少通知名称"), "{text}");
    assert!(text.contains("2026-02-16 is a Monday"), "{text}");
}
