//! Reporting records: rows from JSON or CSV are normalised, checked
//! (identifiers, the kind's JSON Schema, the plugin's `check-records` in one
//! batch) and turned into records to store. Every error of every row is
//! collected, so the clerk sees them all at once.

mod csv_rows;
pub mod prepare;

pub use csv_rows::parse_csv;
pub use prepare::{Prepared, prepare};

use serde::Serialize;
use serde_json::{Map, Value};

/// One input row: its line in the file (CSV) or index (JSON), its body and
/// the header each field came from.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// 1-based line in the CSV file (the header is line 1), or `None` for
    /// JSON input.
    pub line: Option<usize>,
    /// 0-based position in a JSON array, for JSON input.
    pub index: Option<usize>,
    /// The body.
    pub body: Map<String, Value>,
    /// Field → the column header as written.
    pub columns: std::collections::HashMap<String, String>,
    /// Errors found while reading the row (a cell that is not a number),
    /// reported together with the checks' errors.
    pub errors: Vec<RowError>,
}

/// One problem with one row: where, what and why, in Chinese and English.
/// This is the `errors[]` item of every validation error response.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// 1-based line in the uploaded file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The column header as written in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// JSON pointer into the request body (`/0/uscc`) or the record body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The offending value (never a full ID number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Stable machine code.
    pub code: String,
    /// Message in Chinese.
    pub message: String,
    /// Message in English.
    pub message_en: String,
}

impl RowError {
    /// An error about `row`'s field `field` (empty for the whole row).
    pub fn at(row: &Row, field: &str, code: &str, message: String, message_en: String) -> Self {
        let pointer = match (row.index, field.is_empty()) {
            (Some(i), false) => Some(format!("/{i}/{field}")),
            (Some(i), true) => Some(format!("/{i}")),
            (None, false) => Some(format!("/{field}")),
            (None, true) => None,
        };
        let field_root = field.split('/').next().unwrap_or(field);
        let value = if field_root.ends_with("id_number") {
            None
        } else {
            row.body.get(field_root).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        Self {
            line: row.line,
            column: row.columns.get(field_root).cloned(),
            pointer,
            value,
            code: code.to_owned(),
            message,
            message_en,
        }
    }
}
