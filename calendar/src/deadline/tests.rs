//! Every expected date below was counted by hand on a calendar and its weekday is asserted
//! with chrono, so a wrong comment fails the test too.

use chrono::{Datelike, NaiveDate, Weekday};

use super::*;
use crate::YearSchedule;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn on(y: i32, m: u32, d: u32, weekday: Weekday) -> NaiveDate {
    let date = date(y, m, d);
    assert_eq!(date.weekday(), weekday, "{date} is not a {weekday}");
    date
}

fn due(date: NaiveDate) -> Deadline {
    Deadline { date, provisional: false }
}

/// A made-up 2027 schedule for tests (the real notice is not out): 元旦 Friday 01-01 to
/// Sunday 01-03, no make-up day.
fn test_2027() -> YearSchedule {
    YearSchedule::parse(
        r#"{"year": 2027, "notice": "test only, not the State Council notice", "make_up_workdays": [],
            "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}]}"#,
    )
    .unwrap()
}

#[test]
fn deadline_skips_spring_festival_2026_and_counts_both_makeup_saturdays() {
    // Received Thu 02-12 (not counted). Fri 02-13 → 1, Sat 02-14 (上班) → 2, 春节 Sun 02-15 ..
    // Mon 02-23, Tue 02-24 → 3, Wed 02-25 → 4, Thu 02-26 → 5, Fri 02-27 → 6, Sat 02-28 (上班) → 7.
    let received = on(2026, 2, 12, Weekday::Thu);
    let calendar = Calendar::builtin();
    assert_eq!(calendar.add_working_days(received, 7), due(on(2026, 2, 28, Weekday::Sat)));
    assert_eq!(calendar.add_working_days(received, 2), due(on(2026, 2, 14, Weekday::Sat)));
    assert_eq!(calendar.add_working_days(received, 3), due(on(2026, 2, 24, Weekday::Tue)));
    // 8: Sun 03-01 is an ordinary Sunday, Mon 03-02 → 8.
    assert_eq!(calendar.add_working_days(received, 8), due(on(2026, 3, 2, Weekday::Mon)));
}

#[test]
fn deadline_skips_national_day_2025_and_counts_its_makeup_days() {
    // Received Fri 09-26. Sat 09-27 rest, Sun 09-28 (上班) → 1, Mon 09-29 → 2, Tue 09-30 → 3,
    // 国庆节、中秋节 Wed 10-01 .. Wed 10-08, Thu 10-09 → 4, Fri 10-10 → 5, Sat 10-11 (上班) → 6.
    let received = on(2025, 9, 26, Weekday::Fri);
    let calendar = Calendar::builtin();
    assert_eq!(calendar.add_working_days(received, 1), due(on(2025, 9, 28, Weekday::Sun)));
    assert_eq!(calendar.add_working_days(received, 4), due(on(2025, 10, 9, Weekday::Thu)));
    assert_eq!(calendar.add_working_days(received, 5), due(on(2025, 10, 10, Weekday::Fri)));
    assert_eq!(calendar.add_working_days(received, 6), due(on(2025, 10, 11, Weekday::Sat)));
}

#[test]
fn deadline_skips_mid_autumn_and_national_day_2026() {
    // Received Fri 09-18. Sat 09-19 rest, Sun 09-20 (上班) → 1, Mon 09-21 .. Thu 09-24 → 2–5,
    // 中秋节 Fri 09-25 .. Sun 09-27, Mon 09-28 → 6, Tue 09-29 → 7, Wed 09-30 → 8,
    // 国庆节 Thu 10-01 .. Wed 10-07, Thu 10-08 → 9, Fri 10-09 → 10, Sat 10-10 (上班) → 11.
    let received = on(2026, 9, 18, Weekday::Fri);
    let calendar = Calendar::builtin();
    assert_eq!(calendar.add_working_days(received, 1), due(on(2026, 9, 20, Weekday::Sun)));
    assert_eq!(calendar.add_working_days(received, 6), due(on(2026, 9, 28, Weekday::Mon)));
    assert_eq!(calendar.add_working_days(received, 10), due(on(2026, 10, 9, Weekday::Fri)));
    assert_eq!(calendar.add_working_days(received, 11), due(on(2026, 10, 10, Weekday::Sat)));
}

#[test]
fn deadline_crosses_new_year_2026_and_counts_the_makeup_sunday() {
    // Received Wed 2025-12-31. 元旦 Thu 01-01 .. Sat 01-03, Sun 01-04 (上班) → 1, Mon 01-05 → 2.
    let received = on(2025, 12, 31, Weekday::Wed);
    let calendar = Calendar::builtin();
    assert_eq!(calendar.add_working_days(received, 1), due(on(2026, 1, 4, Weekday::Sun)));
    assert_eq!(calendar.add_working_days(received, 2), due(on(2026, 1, 5, Weekday::Mon)));
}

#[test]
fn deadline_skips_spring_festival_2024_and_counts_the_makeup_sunday_after_it() {
    // Received Thu 2024-02-08. Fri 02-09 (除夕, only recommended off) → 1, 春节 Sat 02-10 ..
    // Sat 02-17, Sun 02-18 (上班) → 2, Mon 02-19 → 3.
    let received = on(2024, 2, 8, Weekday::Thu);
    let calendar = Calendar::builtin();
    assert_eq!(calendar.add_working_days(received, 1), due(on(2024, 2, 9, Weekday::Fri)));
    assert_eq!(calendar.add_working_days(received, 3), due(on(2024, 2, 19, Weekday::Mon)));
}

#[test]
fn zero_working_days_is_the_day_of_receipt() {
    let received = on(2026, 2, 15, Weekday::Sun);
    assert_eq!(Calendar::builtin().add_working_days(received, 0), due(received));
}

#[test]
fn receipt_on_a_holiday_counts_from_the_next_working_day() {
    // Received on 春节 Mon 2026-02-16: Tue 02-17 .. Mon 02-23 still 春节, Tue 02-24 → 1.
    let received = on(2026, 2, 16, Weekday::Mon);
    assert_eq!(Calendar::builtin().add_working_days(received, 1), due(on(2026, 2, 24, Weekday::Tue)));
}

#[test]
fn deadline_in_a_year_without_schedule_is_provisional() {
    // Received Mon 2026-12-28. Tue 12-29 → 1, Wed 12-30 → 2, Thu 12-31 → 3, Fri 2027-01-01 → 4
    // (no 2027 schedule: counted as a weekday), Mon 01-04 → 5.
    let received = on(2026, 12, 28, Weekday::Mon);
    let deadline = Calendar::builtin().add_working_days(received, 5);
    assert_eq!(deadline, Deadline { date: on(2027, 1, 4, Weekday::Mon), provisional: true });
    // Received Thu 12-24: Fri 12-25 → 1, Mon 12-28 .. Thu 12-31 → 2–5; all in 2026.
    let deadline = Calendar::builtin().add_working_days(on(2026, 12, 24, Weekday::Thu), 5);
    assert_eq!(deadline, due(on(2026, 12, 31, Weekday::Thu)));
}

#[test]
fn skipping_a_weekend_of_a_year_without_schedule_is_provisional_too() {
    // No 2023 schedule is loaded. Received Fri 2023-12-29: Sat 12-30 and Sun 12-31 are skipped
    // by the week alone (they could have been make-up days), 元旦 Mon 2024-01-01, Tue 01-02 → 1.
    let deadline = Calendar::builtin().add_working_days(on(2023, 12, 29, Weekday::Fri), 1);
    assert_eq!(deadline, Deadline { date: on(2024, 1, 2, Weekday::Tue), provisional: true });
    // Received Thu 2026-12-31: Fri 2027-01-01 → 1, counted by the week alone.
    let deadline = Calendar::builtin().add_working_days(on(2026, 12, 31, Weekday::Thu), 1);
    assert_eq!(deadline, Deadline { date: on(2027, 1, 1, Weekday::Fri), provisional: true });
}

#[test]
fn loading_the_next_year_settles_a_provisional_deadline() {
    // With the test 2027 schedule: Tue 12-29 → 1, Wed 12-30 → 2, Thu 12-31 → 3, 元旦 Fri 01-01 ..
    // Sun 01-03, Mon 01-04 → 4, Tue 01-05 → 5.
    let received = on(2026, 12, 28, Weekday::Mon);
    let old = Calendar::builtin().add_working_days(received, 5);
    let new = Calendar::builtin().with(test_2027()).add_working_days(received, 5);
    assert_eq!(new, due(on(2027, 1, 5, Weekday::Tue)));
    assert_eq!(old.recompute(new), new);
}

#[test]
fn a_recomputed_deadline_never_moves_earlier() {
    let later = Deadline { date: date(2027, 1, 5), provisional: true };
    let earlier = Deadline { date: date(2027, 1, 4), provisional: false };
    assert_eq!(Deadline::recompute(later, earlier), Deadline { date: date(2027, 1, 5), provisional: false });
    assert_eq!(Deadline::recompute(earlier, later), later);
}

#[test]
fn a_pause_for_completion_stops_the_clock_both_ends_included() {
    // Received Mon 2026-03-02, 10 working days. Tue 03-03 → 1, Wed 03-04 → 2; request to complete
    // sent Thu 03-05, material arrives Tue 03-10: 03-05 .. 03-10 not counted. Wed 03-11 → 3,
    // Thu 03-12 → 4, Fri 03-13 → 5, Mon 03-16 .. Fri 03-20 → 6–10.
    let received = on(2026, 3, 2, Weekday::Mon);
    let pause = Pause { from: on(2026, 3, 5, Weekday::Thu), to: Some(on(2026, 3, 10, Weekday::Tue)) };
    let calendar = Calendar::builtin();
    let state = calendar.add_working_days_paused(received, 10, &[pause]);
    assert_eq!(state, DeadlineState::Due(due(on(2026, 3, 20, Weekday::Fri))));
    // Without the pause: 03-03 .. 03-06 → 1–4, 03-09 .. 03-13 → 5–9, Mon 03-16 → 10; the pause
    // held back its four working days 03-05, 03-06, 03-09, 03-10.
    assert_eq!(calendar.add_working_days(received, 10), due(on(2026, 3, 16, Weekday::Mon)));
}

#[test]
fn material_arriving_on_the_request_day_still_stops_that_day() {
    // Received Mon 2026-03-02, 3 days; pause Wed 03-04 .. Wed 03-04. Tue 03-03 → 1,
    // Thu 03-05 → 2, Fri 03-06 → 3.
    let received = on(2026, 3, 2, Weekday::Mon);
    let day = on(2026, 3, 4, Weekday::Wed);
    let state = Calendar::builtin().add_working_days_paused(received, 3, &[Pause { from: day, to: Some(day) }]);
    assert_eq!(state.deadline(), Some(due(on(2026, 3, 6, Weekday::Fri))));
}

#[test]
fn an_open_pause_means_no_deadline_yet() {
    let received = on(2026, 3, 2, Weekday::Mon);
    let since = on(2026, 3, 5, Weekday::Thu);
    let calendar = Calendar::builtin();
    let state = calendar.add_working_days_paused(received, 10, &[Pause { from: since, to: None }]);
    assert_eq!(state, DeadlineState::Paused { since });
    assert_eq!(state.deadline(), None);
    // A pause opened after the deadline was reached (Tue 03-03 → 1, Wed 03-04 → 2) changes nothing.
    let state = calendar.add_working_days_paused(received, 2, &[Pause { from: since, to: None }]);
    assert_eq!(state, DeadlineState::Due(due(on(2026, 3, 4, Weekday::Wed))));
}

#[test]
fn a_pause_across_spring_festival_resumes_after_the_material_arrives() {
    // Received Mon 2026-02-09, 5 days. Tue 02-10 → 1; pause Wed 02-11 .. Sat 02-14 (swallows the
    // make-up Saturday), 春节 02-15 .. 02-23, Tue 02-24 → 2, Wed 02-25 → 3, Thu 02-26 → 4,
    // Fri 02-27 → 5.
    let received = on(2026, 2, 9, Weekday::Mon);
    let pause = Pause { from: on(2026, 2, 11, Weekday::Wed), to: Some(on(2026, 2, 14, Weekday::Sat)) };
    let state = Calendar::builtin().add_working_days_paused(received, 5, &[pause]);
    assert_eq!(state.deadline(), Some(due(on(2026, 2, 27, Weekday::Fri))));
}

#[test]
fn an_inverted_pause_covers_no_day() {
    let received = on(2026, 3, 2, Weekday::Mon);
    let pause = Pause { from: date(2026, 3, 5), to: Some(date(2026, 3, 3)) };
    let state = Calendar::builtin().add_working_days_paused(received, 3, &[pause]);
    assert_eq!(state.deadline(), Some(due(on(2026, 3, 5, Weekday::Thu))));
}

#[test]
fn working_days_between_excludes_the_start_and_includes_the_end() {
    let calendar = Calendar::builtin();
    // Thu 2026-02-12 → Sat 02-28: 02-13, 02-14, 02-24 .. 02-27, 02-28 = 7.
    let count = calendar.working_days_between(date(2026, 2, 12), date(2026, 2, 28));
    assert_eq!(count, WorkingDayCount { days: 7, provisional: false });
    assert_eq!(calendar.working_days_between(date(2026, 2, 12), date(2026, 2, 12)).days, 0);
    assert_eq!(calendar.working_days_between(date(2026, 2, 28), date(2026, 2, 12)).days, 0);
    // Mon 2026-12-28 → Mon 2027-01-04: 12-29, 12-30, 12-31, then 01-01 and 01-04 by the week
    // alone: 5, provisional.
    let count = calendar.working_days_between(date(2026, 12, 28), date(2027, 1, 4));
    assert_eq!(count, WorkingDayCount { days: 5, provisional: true });
}

#[test]
fn working_days_between_undoes_add_working_days() {
    let calendar = Calendar::builtin();
    for received in date(2023, 12, 20).iter_days().take_while(|d| d.year() < 2027) {
        for n in [1, 3, 5, 7, 10, 15, 20, 30] {
            let deadline = calendar.add_working_days(received, n);
            assert_eq!(calendar.working_days_between(received, deadline.date).days, n, "{received} + {n}");
            assert!(calendar.day(deadline.date).is_working(), "{received} + {n} ends on a rest day");
        }
    }
}

#[test]
fn deadline_state_serialises_as_tagged_json() {
    let due = DeadlineState::Due(due(date(2026, 2, 28)));
    assert_eq!(serde_json::to_string(&due).unwrap(), r#"{"due":{"date":"2026-02-28","provisional":false}}"#);
    let paused = DeadlineState::Paused { since: date(2026, 3, 5) };
    assert_eq!(serde_json::to_string(&paused).unwrap(), r#"{"paused":{"since":"2026-03-05"}}"#);
}
