//! Helpers for the common work of a plugin: logging, typed record bodies,
//! findings with their legal basis and evidence, and date arithmetic.

use crate::types::*;
use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Log `message` at info level through the host's `log` import (natively,
/// to standard error).
pub fn log(message: &str) {
    write_log(false, message);
}

/// Log `message` at error level (used by the panic hook).
pub fn log_error(message: &str) {
    write_log(true, message);
}

#[cfg(target_arch = "wasm32")]
fn write_log(error: bool, message: &str) {
    use crate::__bindings::credit::plugin::host::{Level, log};
    log(if error { Level::Error } else { Level::Info }, message);
}

#[cfg(not(target_arch = "wasm32"))]
fn write_log(error: bool, message: &str) {
    eprintln!("[plugin {}] {message}", if error { "error" } else { "info" });
}

/// Parse a record body into a typed struct.
///
/// # Errors
/// A [`Violation`] with code `body-shape` naming serde's reason, for a body
/// that passed the JSON Schema but not the struct (a plugin bug, usually).
pub fn body_as<T: DeserializeOwned>(body: &Value) -> Result<T, Violation> {
    T::deserialize(body).map_err(|e| {
        Violation::error(
            "",
            "body-shape",
            format!("记录内容格式不符：{e}"),
            format!("record body does not have the expected shape: {e}"),
        )
    })
}

/// Parse a `YYYY-MM-DD` date.
pub fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// `date` plus `years` calendar years (29 February becomes 28 February).
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, date.month(), date.day() - 1))
        .unwrap_or(date)
}

/// Builds a [`Finding`] with its legal basis and evidence.
///
/// ```
/// use credit_sdk::prelude::*;
/// let f = FindingBuilder::new("cafe-revocation-ban", Outcome::Restricted)
///     .basis("互联网上网服务营业场所管理条例第三十六条")
///     .message("法定代表人五年内不得担任网吧法定代表人")
///     .measure("不予许可")
///     .evidence("rec-1")
///     .until("2030-05-22")
///     .build();
/// assert_eq!(f.evidence[0].as_str(), "rec-1");
/// ```
#[derive(Debug, Clone)]
pub struct FindingBuilder(Finding);

impl FindingBuilder {
    /// A finding of rule `rule_id` with `outcome`.
    pub fn new(rule_id: &str, outcome: Outcome) -> Self {
        Self(Finding {
            rule_id: RuleId::from(rule_id),
            outcome,
            measures: Vec::new(),
            message: String::new(),
            legal_basis: String::new(),
            evidence: Vec::new(),
            until: None,
        })
    }

    /// The regulation and article.
    pub fn basis(mut self, legal_basis: &str) -> Self {
        self.0.legal_basis = legal_basis.to_owned();
        self
    }

    /// The Chinese message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.0.message = message.into();
        self
    }

    /// Add a measure.
    pub fn measure(mut self, measure: &str) -> Self {
        self.0.measures.push(measure.to_owned());
        self
    }

    /// Add an evidence record id.
    pub fn evidence(mut self, id: impl Into<RecordId>) -> Self {
        self.0.evidence.push(id.into());
        self
    }

    /// Until when the consequence lasts.
    pub fn until(mut self, date: impl Into<String>) -> Self {
        self.0.until = Some(date.into());
        self
    }

    /// The finding.
    pub fn build(self) -> Finding {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_years_moves_leap_day_to_28_february() {
        assert_eq!(add_years(date("2024-02-29").unwrap(), 5), date("2029-02-28").unwrap());
        assert_eq!(add_years(date("2025-05-22").unwrap(), 5), date("2030-05-22").unwrap());
    }

    #[test]
    fn body_as_names_the_missing_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct B {
            fine: f64,
        }
        let err = body_as::<B>(&serde_json::json!({})).unwrap_err();
        assert_eq!(err.code, "body-shape");
        assert!(err.message_en.contains("fine"), "{}", err.message_en);
    }
}
