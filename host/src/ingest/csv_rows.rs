//! CSV in the 双公示 layout: a header of Chinese column names (or the
//! English field names), one record per row.

use super::{Row, RowError};
use crate::domain::columns::Columns;
use serde_json::Value;

fn error(
    line: Option<usize>,
    column: Option<&str>,
    value: Option<&str>,
    code: &str,
    message: String,
    message_en: String,
) -> RowError {
    RowError {
        line,
        column: column.map(str::to_owned),
        pointer: None,
        value: value.map(str::to_owned),
        code: code.to_owned(),
        message,
        message_en,
    }
}

/// Decode the upload: with a declared charset (`text/csv; charset=gbk`),
/// that one; otherwise UTF-8 (a BOM is dropped), or else GB18030 (which
/// covers GBK) when that decodes without error.
///
/// # Errors
/// `invalid-encoding` with the byte offset of the first invalid byte.
fn decode(bytes: &[u8], declared: Option<&'static encoding_rs::Encoding>) -> Result<String, Vec<RowError>> {
    let invalid = invalid_encoding;
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    if declared == Some(encoding_rs::UTF_8) {
        return std::str::from_utf8(&bytes[bom..])
            .map(str::to_owned)
            .map_err(|e| invalid(bom + e.valid_up_to(), "UTF-8"));
    }
    if let Some(encoding) = declared {
        return encoding.decode_without_bom_handling_and_without_replacement(bytes).map(|t| t.into_owned()).ok_or_else(
            // Where the first malformed sequence starts.
            || invalid(super::stream::first_invalid(encoding, bytes).unwrap_or(bytes.len()), encoding.name()),
        );
    }
    let bytes = &bytes[bom..];
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err(invalid(bom + e.valid_up_to(), "UTF-8 或 GBK/GB18030"))
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

/// `invalid-encoding`: the file is not valid `what` from byte `at`.
pub(super) fn invalid_encoding(at: usize, what: &str) -> Vec<RowError> {
    let what_en = what.replace(" 或 ", " or ");
    vec![error(
        None,
        None,
        None,
        "invalid-encoding",
        format!("文件编码无法识别：第{at}字节处不是有效的{what}，请另存为UTF-8格式的CSV"),
        format!("the file is not valid {what_en}: invalid byte at offset {at}; save it as UTF-8 CSV"),
    )]
}

/// `invalid-csv`: the header line cannot be read.
pub(super) fn written_header(e: &csv::Error) -> RowError {
    error(Some(1), None, None, "invalid-csv", format!("表头无法读取：{e}"), format!("cannot read the header: {e}"))
}

/// `invalid-csv`: the line at `line` is malformed.
pub(super) fn malformed_line(line: Option<usize>, e: &csv::Error) -> RowError {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => error(
            line,
            None,
            None,
            "invalid-csv",
            format!(
                "该行有{len}个单元格，表头有{expected_len}列：请检查是否多了或少了逗号，含逗号的单元格须加英文双引号"
            ),
            format!(
                "the line has {len} cells but the header {expected_len} columns: check for a missing or extra comma; quote cells that hold commas"
            ),
        ),
        _ => error(line, None, None, "invalid-csv", format!("该行格式错误：{e}"), format!("malformed line: {e}")),
    }
}

/// Turns byte offsets of records, in increasing order, into 1-based lines,
/// counting only the bytes since the previous record (linear in the file).
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self { bytes: text.as_bytes(), offset: 0, line: 1 }
    }

    /// The line at byte `offset`. With CRLF the reader ends a record at
    /// `\r`, so the next one "starts" at the `\n` before its first cell.
    fn at(&mut self, offset: u64) -> usize {
        let mut end = (offset as usize).min(self.bytes.len());
        while end < self.bytes.len() && matches!(self.bytes[end], b'\r' | b'\n') {
            end += 1;
        }
        if end > self.offset {
            self.line += self.bytes[self.offset..end].iter().filter(|b| **b == b'\n').count();
            self.offset = end;
        }
        self.line
    }
}

/// The column of an error report ([`error_report`]); ignored on upload, so
/// a corrected report can be uploaded as it is.
pub const REPORT_COLUMN: &str = "错误说明";

/// A parsed CSV upload.
#[derive(Debug, Default)]
pub struct CsvTable {
    /// The header cells as written.
    pub headers: Vec<String>,
    /// The rows (each with its raw cells, for an error report).
    pub rows: Vec<Row>,
}

/// Parse a CSV upload for record `kind`, whose headers are `columns`, into
/// rows, decoded with the declared `charset` or else detected. Number cells become JSON integers when they are whole, else
/// floats; thousands separators are dropped.
///
/// # Errors
/// Every problem at once: an undecodable file, unknown or repeated columns,
/// malformed CSV lines and cells that must be numbers.
pub fn parse_csv(
    kind: &str,
    columns: &Columns,
    bytes: &[u8],
    charset: Option<&'static encoding_rs::Encoding>,
) -> Result<CsvTable, Vec<RowError>> {
    let text = decode(bytes, charset)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map_err(|e| vec![written_header(&e)])?.iter().map(str::to_owned).collect();
    let mut builder = TableBuilder::new(kind, columns, headers)?;
    let mut lines = Lines::new(&text);
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map(|p| lines.at(p.byte()));
                builder.push(line, record.iter().map(str::to_owned).collect(), Vec::new());
            }
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte()));
                builder.errors.push(malformed_line(line, &e));
            }
        }
    }
    builder.finish()
}

/// Turns a header and rows of text cells, from any file format, into
/// [`Row`]s: maps the headers to fields, parses numbers and reads dates
/// written year first ([`written_date`]).
pub(super) struct TableBuilder<'a> {
    columns: &'a Columns,
    headers: Vec<String>,
    fields: Vec<Option<String>>,
    rows: Vec<Row>,
    /// File-level errors so far (malformed lines…).
    pub errors: Vec<RowError>,
}

impl<'a> TableBuilder<'a> {
    /// Map `headers` to the fields of `kind`.
    ///
    /// # Errors
    /// Every unknown or repeated column.
    pub fn new(kind: &str, columns: &'a Columns, headers: Vec<String>) -> Result<Self, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut fields: Vec<Option<String>> = Vec::new();
        let known = headers.iter().filter(|h| columns.field(h).is_some()).count();
        let looks_like_data = |h: &str| h.chars().filter(char::is_ascii_digit).count() >= 6;
        if known == 0 && headers.iter().any(|h| looks_like_data(h)) {
            // The first line is a record, not a header: say so once, and
            // never echo its cells (an ID number among them).
            return Err(vec![error(
                Some(1),
                None,
                None,
                "header-missing",
                "第一行应为表头（列名，如“行政相对人名称”“统一社会信用代码”），但它看起来是一条记录：请在文件第一行加上列名".into(),
                "the first line must be the header (column names such as 行政相对人名称), but it looks like a record: add the header line".into(),
            )]);
        }
        for h in &headers {
            let f = columns.field(h);
            // A header is never a full ID number in a message.
            let h_shown = if looks_like_data(h) { crate::privacy::mask_document(h) } else { h.clone() };
            let h = &h_shown;
            match f {
                None if h.trim().is_empty() || h.trim() == REPORT_COLUMN => {}
                None => errors.push(error(
                    Some(1),
                    Some(h),
                    None,
                    "unknown-column",
                    format!("未知的列“{h}”：不是{kind}类记录的双公示字段，请删除或改为标准列名"),
                    format!("unknown column {h:?}: not a field of {kind} records; remove it or use the standard name"),
                )),
                Some(field) if fields.iter().any(|x| x.as_deref() == Some(field)) => errors.push(error(
                    Some(1),
                    Some(h),
                    None,
                    "duplicate-column",
                    format!("列“{h}”与前面的列重复（同为{field}）"),
                    format!("column {h:?} repeats an earlier column ({field})"),
                )),
                Some(_) => {}
            }
            fields.push(f.map(str::to_owned));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self { columns, headers, fields, rows: Vec::new(), errors: Vec::new() })
    }

    /// The field of column `i`, if it has one.
    pub fn field(&self, i: usize) -> Option<&str> {
        self.fields.get(i).and_then(|f| f.as_deref())
    }

    /// The header of column `i`.
    pub fn header(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }

    /// Add the row at `line` with its text `cells` and the errors found
    /// while reading them; a row of empty cells is skipped.
    pub fn push(&mut self, line: Option<usize>, cells: Vec<String>, errors: Vec<RowError>) {
        if cells.iter().all(|c| c.trim().is_empty()) && errors.is_empty() {
            return;
        }
        let mut row = Row { line, errors, ..Row::default() };
        for ((cell, field), header) in cells.iter().zip(&self.fields).zip(&self.headers) {
            let Some(field) = field else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            row.columns.insert(field.clone(), header.clone());
            let value = if self.columns.is_number(field) {
                let plain = cell.replace([',', '，'], "");
                match plain.parse::<f64>() {
                    Ok(_) if plain.parse::<i64>().is_ok() => Value::from(plain.parse::<i64>().unwrap_or_default()),
                    Ok(n) if n.is_finite() => serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null),
                    _ => {
                        row.errors.push(error(
                            line,
                            Some(header),
                            Some(cell),
                            "not-a-number",
                            format!("“{header}”应为以万元计的数字，实际为“{cell}”"),
                            format!("{header} must be a number in wan yuan, found {cell:?}"),
                        ));
                        continue;
                    }
                }
            } else if self.columns.is_date(field) {
                Value::String(written_date(cell).unwrap_or_else(|| cell.to_owned()))
            } else {
                Value::String(cell.to_owned())
            };
            row.body.insert(field.clone(), value);
        }
        row.raw = cells;
        self.rows.push(row);
    }

    /// Rows read and not yet taken.
    pub fn pending(&self) -> usize {
        self.rows.len()
    }

    /// The rows read since the last call (a chunk of a streamed upload).
    pub fn take_rows(&mut self) -> Vec<Row> {
        std::mem::take(&mut self.rows)
    }

    /// The table.
    ///
    /// # Errors
    /// The file-level errors, if any.
    pub fn finish(self) -> Result<CsvTable, Vec<RowError>> {
        if self.errors.is_empty() { Ok(CsvTable { headers: self.headers, rows: self.rows }) } else { Err(self.errors) }
    }
}

/// A date as clerks write it, year first, as `YYYY-MM-DD`: `2025年5月22日`
/// (spaces allowed, 日 optional), `2025/5/22`, `2025-5-22`, `2025.5.22`
/// and `20250522`. `None` for anything else — day-first forms such as
/// `22/05/2025` are ambiguous — which the date checks then judge as written.
pub fn written_date(cell: &str) -> Option<String> {
    let s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let parts: Vec<&str> = if s.contains('年') {
        let (y, rest) = s.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        vec![y, m, d.strip_suffix('日').unwrap_or(d)]
    } else if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
        if parts.len() != 3 || parts[0].len() != 4 {
            return None;
        }
        parts
    };
    let number = |p: &str| p.parse::<u32>().ok().filter(|_| !p.is_empty() && p.len() <= 4);
    let y = i32::try_from(number(parts[0])?).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(y, number(parts[1])?, number(parts[2])?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// Required fields whose column the file's header lacks and that every one
/// of its `rows` (at least two) needs: one error about the header instead of
/// one per row (a 1,000-row file would otherwise list it 1,000 times). A
/// field only some rows need (an ID number, for natural persons) stays an
/// error of those rows. `errors` are the upload's; `headers` its header.
pub fn missing_columns_once(
    errors: Vec<RowError>,
    headers: &[String],
    rows: usize,
    columns: &Columns,
) -> Vec<RowError> {
    let present: Vec<&str> = headers.iter().filter_map(|h| columns.field(h)).collect();
    let field_of = |e: &RowError| e.pointer.as_deref().map(|p| p.trim_start_matches('/').to_owned());
    let missing = |e: &RowError| {
        e.code == "required" && e.line.is_some() && field_of(e).is_some_and(|f| !present.contains(&f.as_str()))
    };
    let mut absent: Vec<(String, usize)> = Vec::new();
    for f in errors.iter().filter(|e| missing(e)).filter_map(field_of) {
        match absent.iter_mut().find(|(x, _)| *x == f) {
            Some((_, n)) => *n += 1,
            None => absent.push((f, 1)),
        }
    }
    absent.retain(|(_, n)| *n == rows && rows >= 2);
    if absent.is_empty() || headers.is_empty() {
        return errors;
    }
    let mut out: Vec<RowError> = absent
        .iter()
        .map(|(field, _)| {
            let header = columns.header(field).unwrap_or(field).to_owned();
            RowError {
                line: Some(1),
                column: Some(header.clone()),
                pointer: Some(format!("/{field}")),
                value: None,
                code: "column-missing".into(),
                message: format!("表头缺少必填的“{header}”列，全部{rows}行都因此无法报送：请加上这一列并逐行填写"),
                message_en: format!("the header lacks the required column {header} ({field}), so none of the {rows} rows can be reported: add it and fill it in"),
            }
        })
        .collect();
    out.extend(
        errors
            .into_iter()
            .filter(|e| !(missing(e) && field_of(e).is_some_and(|f| absent.iter().any(|(x, _)| *x == f)))),
    );
    out
}

/// An error report the clerk can fix and upload again: the header as
/// uploaded plus [`REPORT_COLUMN`], then each row that has errors, its cells
/// as written and its reasons (`列“…”：…；…`). Errors of the whole file
/// (no line, or the header) come first, on a row with empty cells. UTF-8
/// with a BOM, so Excel on Chinese Windows opens it.
pub fn error_report(headers: &[String], rows: &[Row], errors: &[RowError]) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    let mut w = csv::Writer::from_writer(&mut out);
    let mut header = headers.to_vec();
    header.retain(|h| h.trim() != REPORT_COLUMN);
    let width = header.len();
    header.push(REPORT_COLUMN.to_owned());
    let reason = |e: &RowError| match &e.column {
        Some(c) => format!("列“{c}”：{}", e.message),
        None => e.message.clone(),
    };
    let whole: Vec<String> = errors.iter().filter(|e| e.line.is_none_or(|l| l <= 1)).map(reason).collect();
    let _ = w.write_record(&header);
    if !whole.is_empty() {
        let mut cells = vec![String::new(); width];
        cells.push(whole.join("；"));
        let _ = w.write_record(&cells);
    }
    for row in rows {
        let Some(line) = row.line else { continue };
        let reasons: Vec<String> = errors.iter().filter(|e| e.line == Some(line)).map(reason).collect();
        if reasons.is_empty() {
            continue;
        }
        let report_at = headers.iter().position(|h| h.trim() == REPORT_COLUMN);
        let mut cells: Vec<String> =
            row.raw.iter().enumerate().filter(|(i, _)| Some(*i) != report_at).map(|(_, c)| c.clone()).collect();
        cells.resize(width, String::new());
        cells.push(reasons.join("；"));
        let _ = w.write_record(&cells);
    }
    drop(w);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_csv_detected(kind: &str, columns: &Columns, bytes: &[u8]) -> Result<Vec<Row>, Vec<RowError>> {
        parse_csv(kind, columns, bytes, None).map(|t| t.rows)
    }

    #[test]
    fn headers_with_stray_spaces_keep_their_values() {
        let csv = "行政相对人名称 ,罚款金额（万元） , 公示截止期,备 注\n某网吧,1,2026-12-01,无\n";
        let rows = parse_csv_detected("penalty", &Columns::new("penalty", None), csv.as_bytes()).unwrap();
        let body = &rows[0].body;
        assert_eq!((body["subject_name"].as_str(), body["fine_wan_yuan"].as_i64()), (Some("某网吧"), Some(1)));
        assert_eq!((body["publicity_end"].as_str(), body["remarks"].as_str()), (Some("2026-12-01"), Some("无")));
    }

    #[test]
    fn year_first_dates_are_read_and_others_left_as_written() {
        for written in
            ["2025年5月22日", " 2025 年 05 月 22 日", "2025年5月22", "2025/5/22", "2025-5-22", "2025.05.22", "20250522"]
        {
            assert_eq!(written_date(written).as_deref(), Some("2025-05-22"), "{written}");
        }
        for other in
            ["2025年5月", "2025年2月30日", "22/05/2025", "05/22/2025", "2025-05", "2025-05-22T10:00", "202505221"]
        {
            assert_eq!(written_date(other), None, "{other}");
        }
    }

    #[test]
    fn an_error_report_keeps_the_layout_and_says_why() {
        let csv = "行政相对人名称,罚款金额（万元）,错误说明\n甲,一万,旧的说明\n乙,1,\n";
        let table = parse_csv("penalty", &Columns::new("penalty", None), csv.as_bytes(), None).unwrap();
        let errors: Vec<RowError> = table.rows.iter().flat_map(|r| r.errors.clone()).collect();
        let report = String::from_utf8(error_report(&table.headers, &table.rows, &errors)).unwrap();
        assert_eq!(
            report,
            "\u{feff}行政相对人名称,罚款金额（万元）,错误说明\n甲,一万,列“罚款金额（万元）”：“罚款金额（万元）”应为以万元计的数字，实际为“一万”\n"
        );
    }

    #[test]
    fn maps_chinese_headers_and_numbers() {
        let csv = "\u{feff}行政相对人名称,罚款金额（万元）,处罚决定日期\n某网吧,1.5,2026-02-26\n";
        let rows = parse_csv_detected("penalty", &Columns::new("penalty", None), csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, Some(2));
        assert_eq!(rows[0].body["fine_wan_yuan"], 1.5);
        assert_eq!(rows[0].columns["fine_wan_yuan"], "罚款金额（万元）");
    }

    #[test]
    fn counts_lines_in_crlf_files_and_quoted_line_breaks() {
        let csv = "行政相对人名称,违法事实\r\n甲,\"两\r\n行\"\r\n乙,x\r\n";
        let rows = parse_csv_detected("penalty", &Columns::new("penalty", None), csv.as_bytes()).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [Some(2), Some(4)]);
    }

    #[test]
    fn reports_unknown_column_and_bad_number_with_line_and_column() {
        let errs =
            parse_csv_detected("penalty", &Columns::new("penalty", None), "行政相对人名称,电话\nx,1\n".as_bytes())
                .unwrap_err();
        assert_eq!(errs[0].code, "unknown-column");
        assert_eq!(errs[0].column.as_deref(), Some("电话"));
        let rows = parse_csv_detected(
            "penalty",
            &Columns::new("penalty", None),
            "行政相对人名称,罚款金额\nx,一万\n".as_bytes(),
        )
        .unwrap();
        let errs = &rows[0].errors;
        assert_eq!((errs[0].line, errs[0].code.as_str()), (Some(2), "not-a-number"));
        assert!(!rows[0].body.contains_key("fine_wan_yuan"));
    }

    #[test]
    fn reads_gbk_and_rejects_undecodable_bytes_with_offset() {
        let (gbk, _, _) = encoding_rs::GBK.encode("行政相对人名称\n某网吧\n");
        let rows = parse_csv_detected("penalty", &Columns::new("penalty", None), &gbk).unwrap();
        assert_eq!(rows[0].body["subject_name"], "某网吧");
        let errs =
            parse_csv_detected("penalty", &Columns::new("penalty", None), b"subject_name\n\xff\xff\xff\n").unwrap_err();
        assert_eq!(errs[0].code, "invalid-encoding");
        assert!(errs[0].message_en.contains("offset 13"), "{}", errs[0].message_en);
    }
}
