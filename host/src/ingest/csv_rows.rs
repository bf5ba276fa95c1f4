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

/// Decode the upload: UTF-8 (a BOM is dropped); otherwise GB18030 (which
/// covers GBK) when that decodes without error.
///
/// # Errors
/// `invalid-encoding` with the byte offset of the first invalid UTF-8 byte.
fn decode(bytes: &[u8]) -> Result<String, Vec<RowError>> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let bytes = &bytes[bom..];
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(e) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                let at = bom + e.valid_up_to();
                Err(vec![error(
                    None,
                    None,
                    None,
                    "invalid-encoding",
                    format!("文件编码无法识别：第{at}字节处既不是有效的UTF-8也不是GBK/GB18030，请另存为UTF-8格式的CSV"),
                    format!(
                        "the file is neither UTF-8 nor GBK/GB18030: invalid byte at offset {at}; save it as UTF-8 CSV"
                    ),
                )])
            } else {
                Ok(text.into_owned())
            }
        }
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

/// Parse a CSV upload for record `kind`, whose headers are `columns`, into
/// rows. Number cells become JSON integers when they are whole, else
/// floats; thousands separators are dropped.
///
/// # Errors
/// Every problem at once: an undecodable file, unknown or repeated columns,
/// malformed CSV lines and cells that must be numbers.
pub fn parse_csv(kind: &str, columns: &Columns, bytes: &[u8]) -> Result<Vec<Row>, Vec<RowError>> {
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| {
        vec![error(
            Some(1),
            None,
            None,
            "invalid-csv",
            format!("表头无法读取：{e}"),
            format!("cannot read the header: {e}"),
        )]
    })?;
    let mut errors = Vec::new();
    let mut fields: Vec<Option<&str>> = Vec::new();
    for h in headers.iter() {
        let f = columns.field(h);
        match f {
            None if h.trim().is_empty() => {}
            None => errors.push(error(
                Some(1),
                Some(h),
                None,
                "unknown-column",
                format!("未知的列“{h}”：不是{kind}类记录的双公示字段，请删除或改为标准列名"),
                format!("unknown column {h:?}: not a field of {kind} records; remove it or use the standard name"),
            )),
            Some(field) if fields.contains(&Some(field)) => errors.push(error(
                Some(1),
                Some(h),
                None,
                "duplicate-column",
                format!("列“{h}”与前面的列重复（同为{field}）"),
                format!("column {h:?} repeats an earlier column ({field})"),
            )),
            Some(_) => {}
        }
        fields.push(f);
    }
    let headers: Vec<String> = headers.iter().map(str::to_owned).collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut lines = Lines::new(&text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte()));
                errors.push(error(
                    line,
                    None,
                    None,
                    "invalid-csv",
                    format!("该行格式错误：{e}"),
                    format!("malformed line: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| lines.at(p.byte()));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row = Row { line, ..Row::default() };
        for ((cell, field), header) in record.iter().zip(&fields).zip(&headers) {
            let Some(field) = field else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            row.columns.insert((*field).to_owned(), header.clone());
            let value = if columns.is_number(field) {
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
            } else {
                Value::String(cell.to_owned())
            };
            row.body.insert((*field).to_owned(), value);
        }
        rows.push(row);
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_chinese_headers_and_numbers() {
        let csv = "\u{feff}行政相对人名称,罚款金额（万元）,处罚决定日期\n某网吧,1.5,2026-02-26\n";
        let rows = parse_csv("penalty", &Columns::new("penalty", None), csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, Some(2));
        assert_eq!(rows[0].body["fine_wan_yuan"], 1.5);
        assert_eq!(rows[0].columns["fine_wan_yuan"], "罚款金额（万元）");
    }

    #[test]
    fn counts_lines_in_crlf_files_and_quoted_line_breaks() {
        let csv = "行政相对人名称,违法事实\r\n甲,\"两\r\n行\"\r\n乙,x\r\n";
        let rows = parse_csv("penalty", &Columns::new("penalty", None), csv.as_bytes()).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [Some(2), Some(4)]);
    }

    #[test]
    fn reports_unknown_column_and_bad_number_with_line_and_column() {
        let errs =
            parse_csv("penalty", &Columns::new("penalty", None), "行政相对人名称,电话\nx,1\n".as_bytes()).unwrap_err();
        assert_eq!(errs[0].code, "unknown-column");
        assert_eq!(errs[0].column.as_deref(), Some("电话"));
        let rows = parse_csv("penalty", &Columns::new("penalty", None), "行政相对人名称,罚款金额\nx,一万\n".as_bytes())
            .unwrap();
        let errs = &rows[0].errors;
        assert_eq!((errs[0].line, errs[0].code.as_str()), (Some(2), "not-a-number"));
        assert!(!rows[0].body.contains_key("fine_wan_yuan"));
    }

    #[test]
    fn reads_gbk_and_rejects_undecodable_bytes_with_offset() {
        let (gbk, _, _) = encoding_rs::GBK.encode("行政相对人名称\n某网吧\n");
        let rows = parse_csv("penalty", &Columns::new("penalty", None), &gbk).unwrap();
        assert_eq!(rows[0].body["subject_name"], "某网吧");
        let errs = parse_csv("penalty", &Columns::new("penalty", None), b"subject_name\n\xff\xff\xff\n").unwrap_err();
        assert_eq!(errs[0].code, "invalid-encoding");
        assert!(errs[0].message_en.contains("offset 13"), "{}", errs[0].message_en);
    }
}
