//! XLSX workbooks (Excel 2007+): the first sheet, its first row the header,
//! read into the same rows as CSV. Typed cells are turned into the text a
//! clerk sees: a date cell, or a date serial in a date column, becomes
//! `YYYY-MM-DD`; a whole number loses its `.0`. An identifier (USCC, ID
//! number) stored as a number has already lost digits (Excel keeps 15
//! significant digits and drops a trailing `X`), so it is refused with the
//! advice to store the column as text.

use super::RowError;
use super::csv_rows::{CsvTable, TableBuilder};
use crate::domain::columns::Columns;
use calamine::{Data, Reader, Xlsx};

fn error(
    line: Option<usize>,
    column: Option<&str>,
    value: Option<String>,
    code: &str,
    zh: String,
    en: String,
) -> RowError {
    RowError {
        line,
        column: column.map(str::to_owned),
        pointer: None,
        value,
        code: code.to_owned(),
        message: zh,
        message_en: en,
    }
}

/// Most bytes a workbook may unpack to, in MiB.
pub const MAX_UNPACKED_MIB: u64 = 256;
/// Most cells of a sheet's used range (rows × columns).
pub const MAX_CELLS: u64 = 20_000_000;

/// Whether `bytes` look like an XLSX workbook (a ZIP archive).
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// An Excel date serial (1900 date system) as a date.
fn serial_date(serial: f64) -> Option<chrono::NaiveDate> {
    let days = serial.floor();
    if !(1.0..=2_958_465.0).contains(&days) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(days as u64))
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
}

/// Parse the first sheet of an XLSX upload for record `kind`.
///
/// # Errors
/// Every problem at once: a file that is not a readable workbook, unknown
/// or repeated columns, identifiers stored as numbers, error cells (`#N/A`)
/// and cells that must be numbers.
pub fn parse_xlsx(kind: &str, columns: &Columns, bytes: &[u8]) -> Result<CsvTable, Vec<RowError>> {
    let unreadable = |e: String| {
        vec![error(
            None,
            None,
            None,
            "invalid-xlsx",
            format!("无法读取Excel文件：{e}；请确认是.xlsx格式（Excel 2007及以后），或另存为CSV"),
            format!("cannot read the Excel file: {e}; save it as .xlsx (Excel 2007+) or CSV"),
        )]
    };
    // A workbook is a ZIP archive: refuse one that unpacks beyond reason
    // (a few megabytes may unpack to gigabytes) before reading it.
    let too_large = |what: &str, what_en: &str| {
        vec![error(
            None,
            None,
            None,
            "xlsx-too-large",
            format!(
                "Excel文件{what}，超过上限（解压后{MAX_UNPACKED_MIB} MiB、{MAX_CELLS}个单元格）：请拆分文件或另存为CSV"
            ),
            format!(
                "the workbook {what_en}, over the limit ({MAX_UNPACKED_MIB} MiB unpacked, {MAX_CELLS} cells): split it or save it as CSV"
            ),
        )]
    };
    // Unpacked and counted, not taken from the archive's own word (sizes
    // may be missing or false), stopping at the limit.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let limit = MAX_UNPACKED_MIB << 20;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let mut bounded = std::io::Read::take(entry, limit - unpacked + 1);
        unpacked += std::io::copy(&mut bounded, &mut std::io::sink()).map_err(|e| unreadable(e.to_string()))?;
        if unpacked > limit {
            return Err(too_large(
                &format!("解压后超过{MAX_UNPACKED_MIB} MiB"),
                &format!("unpacks to over {MAX_UNPACKED_MIB} MiB"),
            ));
        }
    }
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    // The cells in use, counted as they stream by: a sheet's range is held
    // whole, as wide and as tall as its farthest cell.
    let first = workbook.sheet_names().first().cloned().unwrap_or_default();
    let (mut last_row, mut last_col, mut first_row, mut first_col) = (0u64, 0u64, u64::MAX, u64::MAX);
    {
        let mut cells = workbook.worksheet_cells_reader(&first).map_err(|e| unreadable(e.to_string()))?;
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
            let (r, c) = cell.get_position();
            (last_row, last_col) = (last_row.max(u64::from(r)), last_col.max(u64::from(c)));
            (first_row, first_col) = (first_row.min(u64::from(r)), first_col.min(u64::from(c)));
        }
    }
    if first_row != u64::MAX && (last_row - first_row + 1) * (last_col - first_col + 1) > MAX_CELLS {
        return Err(too_large(
            &format!("用到第{}行、第{}列", last_row + 1, last_col + 1),
            &format!("reaches row {} and column {}", last_row + 1, last_col + 1),
        ));
    }
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable("工作簿没有工作表 / no worksheet".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let width = range.width();
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Ok(CsvTable::default());
    };
    let headers: Vec<String> = header.iter().map(|c| c.to_string().trim().to_owned()).collect();
    let mut builder = TableBuilder::new(kind, columns, headers)?;
    for (i, cells) in rows.enumerate() {
        // Excel's row number, as the clerk sees it.
        let line = Some(first_row + i + 2);
        let mut texts = Vec::with_capacity(width);
        let mut errors = Vec::new();
        for (col, cell) in cells.iter().cloned().enumerate() {
            let field = builder.field(col).map(str::to_owned);
            let header = builder.header(col).to_owned();
            let is_date = field.as_deref().is_some_and(|f| columns.is_date(f));
            let is_identifier = field.as_deref().is_some_and(|f| columns.is_identifier(f));
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Bool(b) => if b { "是" } else { "否" }.to_owned(),
                Data::DateTimeIso(s) => s.chars().take(10).collect(),
                Data::DurationIso(s) => s.clone(),
                Data::DateTime(dt) => {
                    serial_date(dt.as_f64()).map(|d| d.to_string()).unwrap_or_else(|| dt.as_f64().to_string())
                }
                Data::Int(_) | Data::Float(_) if is_identifier => {
                    errors.push(error(
                        line,
                        Some(&header),
                        None,
                        "identifier-stored-as-number",
                        format!("“{header}”在表格中存成了数字，号码的位数已经丢失（Excel只保留15位、会去掉末尾的X）：请把该列设为“文本”格式后重新录入"),
                        format!("{header} is stored as a number, so digits are lost (Excel keeps 15 and drops a trailing X): format the column as text and enter it again"),
                    ));
                    String::new()
                }
                Data::Int(n) if is_date => serial_date(n as f64).map(|d| d.to_string()).unwrap_or(n.to_string()),
                Data::Float(n) if is_date => serial_date(n).map(|d| d.to_string()).unwrap_or(n.to_string()),
                Data::Int(n) => n.to_string(),
                Data::Float(n) => number_text(n),
                Data::Error(e) => {
                    errors.push(error(
                        line,
                        Some(&header),
                        Some(e.to_string()),
                        "cell-error",
                        format!("“{header}”单元格是公式错误值（{e}），请填写实际内容"),
                        format!("{header} holds a formula error ({e}); enter the value itself"),
                    ));
                    String::new()
                }
            };
            texts.push(text);
        }
        builder.push(line, texts, errors);
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(serial_date(45799.0).unwrap().to_string(), "2025-05-22");
        assert_eq!(serial_date(45799.75).unwrap().to_string(), "2025-05-22");
        assert!(serial_date(-3.0).is_none());
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(2025.0), "2025");
    }
}

#[cfg(test)]
mod bombs {
    use super::*;
    use std::io::Write as _;

    fn columns() -> Columns {
        Columns::new("penalty", None)
    }

    #[test]
    fn a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read() {
        // A few hundred kilobytes that unpack to 257 MiB of spaces.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("xl/worksheets/sheet1.xml", deflated).unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..=MAX_UNPACKED_MIB {
            zip.write_all(&spaces).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 4 << 20, "{} bytes", bytes.len());
        let errors = parse_xlsx("penalty", &columns(), &bytes).unwrap_err();
        assert_eq!(errors[0].code, "xlsx-too-large", "{errors:?}");
        assert!(errors[0].message.contains("256 MiB"), "{}", errors[0].message);
    }
}
