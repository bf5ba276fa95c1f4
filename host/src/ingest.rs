//! Reporting records: rows from JSON or CSV are normalised, checked
//! (identifiers, the kind's JSON Schema, the plugin's `check-records` in one
//! batch) and turned into records to store. Every error of every row is
//! collected, so the clerk sees them all at once.

mod csv_rows;
pub mod prepare;
pub mod stream;
mod xlsx;

pub use csv_rows::{CsvTable, REPORT_COLUMN, error_report, missing_columns_once, parse_csv, written_date};
pub use prepare::{Prepared, prepare};
pub use xlsx::{is_xlsx, parse_xlsx};

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
    /// The cells as written (CSV input), for an error report.
    pub raw: Vec<String>,
}

/// One problem with one row: where, what and why, in Chinese and English.
/// This is the `errors[]` item of every validation error response.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
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

/// Parse an upload of record `kind` whatever its format: an XLSX workbook
/// (recognised by its bytes or its content type), JSON Lines
/// (`application/x-ndjson`, `application/jsonl`), or CSV — decoded with
/// the charset the content type declares, or else detected (UTF-8 with or
/// without BOM, GBK/GB18030).
///
/// # Errors
/// Every problem found in the file, located.
pub fn parse_upload(
    kind: &str,
    columns: &crate::domain::columns::Columns,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<CsvTable, Vec<RowError>> {
    match stream::Format::of(content_type, bytes) {
        stream::Format::Xlsx => parse_xlsx(kind, columns, bytes),
        stream::Format::JsonLines => json_lines(bytes),
        stream::Format::Csv(charset) => parse_csv(kind, columns, bytes, charset),
    }
}

/// Line `line` (1-based) of a JSON Lines upload: a row, or its error
/// (`not-an-object`, `invalid-json`); `None` when blank.
pub(crate) fn json_line(line: usize, text: &str) -> Option<Result<Row, RowError>> {
    if text.trim().is_empty() {
        return None;
    }
    Some(match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(body)) => Ok(Row { line: Some(line), body, ..Row::default() }),
        Ok(_) => Err(RowError {
            line: Some(line),
            column: None,
            pointer: None,
            value: None,
            code: "not-an-object".into(),
            message: "每行应为一个JSON对象".into(),
            message_en: "each line must be one JSON object".into(),
        }),
        Err(e) => Err(RowError {
            line: Some(line),
            column: None,
            pointer: None,
            value: None,
            code: "invalid-json".into(),
            message: format!("该行不是有效的JSON：第{}列，{e}", e.column()),
            message_en: format!("not valid JSON at column {}: {e}", e.column()),
        }),
    })
}

/// JSON Lines: one record object per line; blank lines are skipped.
fn json_lines(bytes: &[u8]) -> Result<CsvTable, Vec<RowError>> {
    let text = std::str::from_utf8(bytes).map_err(|e| stream::json_lines_encoding(e.valid_up_to()))?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match json_line(i + 1, line) {
            Some(Ok(row)) => rows.push(row),
            Some(Err(e)) => errors.push(e),
            None => {}
        }
    }
    if errors.is_empty() { Ok(CsvTable { headers: Vec::new(), rows }) } else { Err(errors) }
}
