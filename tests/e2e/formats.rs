//! One content, every format a division saves: UTF-8, UTF-8 with BOM, GBK,
//! GB18030 (declared), XLSX (with real date cells and 年月日 text) and JSON
//! Lines import to identical records; identifiers stored as numbers in a
//! workbook are refused.

use crate::util::{Db, TestHost, root};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

const PATH: &str = "/api/v1/imports?sector=cultural-market&kind=penalty";

fn sample() -> String {
    std::fs::read_to_string(root().join("data/sample/penalties-cultural-market.csv")).unwrap()
}

fn table() -> (Vec<String>, Vec<Vec<String>>) {
    let text = sample();
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_owned).collect()).collect();
    (headers, rows)
}

/// The sample as a workbook: decision dates as date cells on even rows and
/// as `2025年5月22日` text on odd ones, amounts as numbers.
fn workbook(identifiers_as_numbers: bool) -> Vec<u8> {
    let (headers, rows) = table();
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let (col, h) = (c as u16, headers[c].as_str());
            if cell.is_empty() {
                continue;
            }
            if h == "处罚决定日期" {
                if r % 2 == 0 {
                    let d = ExcelDateTime::parse_from_str(cell).unwrap();
                    sheet.write_datetime_with_format(at, col, &d, &date_format).unwrap();
                } else {
                    let (y, rest) = cell.split_at(4);
                    let (m, d) = rest[1..].split_at(2);
                    let text = format!("{y}年{}月{}日", m.trim_start_matches('0'), d[1..].trim_start_matches('0'));
                    sheet.write_string(at, col, &text).unwrap();
                }
            } else if h.starts_with("罚款金额")
                || h.starts_with("没收")
                || (identifiers_as_numbers && h == "法定代表人证件号码" && cell.chars().all(|c| c.is_ascii_digit()))
            {
                sheet.write_number(at, col, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(at, col, cell).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The sample as JSON Lines, with the field names.
fn json_lines() -> String {
    let (headers, rows) = table();
    let columns = credit_host::domain::columns::Columns::new("penalty", None);
    rows.iter()
        .map(|row| {
            let mut body = serde_json::Map::new();
            for (h, cell) in headers.iter().zip(row) {
                if cell.is_empty() {
                    continue;
                }
                let field = columns.field(h).unwrap();
                let value = if columns.is_number(field) {
                    serde_json::from_str::<Value>(cell).unwrap()
                } else {
                    Value::String(cell.clone())
                };
                body.insert(field.to_owned(), value);
            }
            Value::Object(body).to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every stored record's identity and body, sorted.
async fn stored(host: &TestHost) -> Vec<(String, String, String, String)> {
    use sqlx::Row as _;
    let rows = sqlx::query("SELECT subject_key, decision_number, decision_date, body FROM credit_records")
        .fetch_all(host.state.store.pool())
        .await
        .unwrap();
    let mut out: Vec<_> = rows
        .iter()
        .map(|r| {
            let body: Value = serde_json::from_str(&r.get::<String, _>(3)).unwrap();
            (r.get(0), r.get(1), r.get::<Option<String>, _>(2).unwrap_or_default(), body.to_string())
        })
        .collect();
    out.sort();
    out
}

async fn import(bytes: Vec<u8>, content_type: &str) -> Vec<(String, String, String, String)> {
    let host = TestHost::start(Db::Sqlite).await;
    let r = host
        .client
        .post(format!("{}{PATH}", host.base))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{content_type}: {body:#}");
    stored(&host).await
}

#[tokio::test]
async fn every_format_imports_to_identical_records() {
    let text = sample();
    let utf8 = import(text.clone().into_bytes(), "text/csv").await;
    assert_eq!(utf8.len(), crate::util::sample_rows("penalties-cultural-market.csv"));
    let bom = import([b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), "text/csv").await;
    assert_eq!(bom, utf8, "UTF-8 with BOM");
    let gbk = std::fs::read(root().join("data/sample/penalties-cultural-market.gbk.csv")).unwrap();
    assert_eq!(import(gbk.clone(), "text/csv").await, utf8, "GBK, detected");
    let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    assert_eq!(import(gb18030.into_owned(), "text/csv; charset=GB18030").await, utf8, "GB18030, declared");
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    assert_eq!(import(workbook(false), xlsx).await, utf8, "XLSX with date cells and 年月日 text");
    assert_eq!(import(json_lines().into_bytes(), "application/x-ndjson").await, utf8, "JSON Lines");
}

#[tokio::test]
async fn a_workbook_with_id_numbers_stored_as_numbers_is_refused_with_advice() {
    let host = TestHost::start(Db::Sqlite).await;
    let r = host.client.post(format!("{}{PATH}", host.base)).body(workbook(true)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.unwrap();
    let e = body["errors"].as_array().unwrap().iter().find(|e| e["code"] == "identifier-stored-as-number").unwrap();
    assert_eq!(e["column"], "法定代表人证件号码");
    assert_eq!(e["line"], 2, "Excel's row number");
    assert!(e["message"].as_str().unwrap().contains("文本"), "{e:#}");
    assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);
}

#[tokio::test]
async fn a_workbook_with_a_far_away_cell_is_refused_before_its_range_is_held() {
    // Two cells, but a used range of a million rows by 16,000 columns.
    let (headers, _) = table();
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    sheet.write_string(1_000_000, 16_000, "远处的单元格").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let host = TestHost::start(Db::Sqlite).await;
    let r = host.client.post(format!("{}{PATH}", host.base)).body(bytes).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "xlsx-too-large", "{body:#}");
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("第1000001行"), "{body:#}");
}

#[tokio::test]
async fn a_declared_charset_that_does_not_fit_is_refused_with_the_offset() {
    let host = TestHost::start(Db::Sqlite).await;
    // 0xFF is no byte of GBK.
    let bytes = b"subject_name\n\xff\n".to_vec();
    let r = host
        .client
        .post(format!("{}{PATH}", host.base))
        .header("content-type", "text/csv; charset=gbk")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "invalid-encoding");
    assert!(body["errors"][0]["message_en"].as_str().unwrap().contains("GBK: invalid byte at offset 13"), "{body:#}");
}
