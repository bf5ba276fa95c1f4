//! Tests on the bureau's data: every sample row of `data/sample/` passes the
//! schema and `check-records` as the host runs them; the published real rows
//! of the sector (`data/real/`) raise no semantic error; the own kind's
//! schema takes a CSV row by its column titles.

use crate::{Publishing, quality};
use credit_sdk::SectorPlugin;
use credit_sdk::harness;
use serde_json::{Map, Value, json};

/// The 双公示 headers of the sample files and the fields they map to
/// (as `host/src/domain/columns.rs` maps them).
const HEADERS: [(&str, &str); 41] = [
    ("行政相对人名称", "subject_name"),
    ("行政相对人类别", "subject_category"),
    ("统一社会信用代码", "uscc"),
    ("法定代表人", "legal_representative"),
    ("法定代表人证件类型", "legal_representative_id_type"),
    ("法定代表人证件号码", "legal_representative_id_number"),
    ("证件类型", "id_type"),
    ("证件号码", "id_number"),
    ("行政处罚决定书文号", "decision_number"),
    ("违法行为类型", "violation_type"),
    ("违法事实", "violation_facts"),
    ("处罚依据", "legal_basis"),
    ("处罚类别", "penalty_types"),
    ("处罚内容", "penalty_content"),
    ("罚款金额（万元）", "fine_wan_yuan"),
    ("没收违法所得、没收非法财物的金额（万元）", "confiscation_wan_yuan"),
    ("暂扣或吊销证照名称及编号", "revoked_certificate"),
    ("处罚决定日期", "decision_date"),
    ("处罚有效期", "penalty_valid_until"),
    ("公示截止期", "publicity_end"),
    ("处罚机关", "authority"),
    ("处罚机关统一社会信用代码", "authority_uscc"),
    ("数据来源单位", "data_source"),
    ("数据来源单位统一社会信用代码", "data_source_uscc"),
    ("备注", "remarks"),
    ("行政许可决定文书名称", "decision_document_name"),
    ("行政许可决定文书号", "decision_number"),
    ("许可类别", "licence_category"),
    ("许可证书名称", "certificate_name"),
    ("许可编号", "licence_number"),
    ("许可内容", "licence_content"),
    ("许可决定日期", "decision_date"),
    ("有效期自", "valid_from"),
    ("有效期至", "valid_to"),
    ("许可机关", "authority"),
    ("许可机关统一社会信用代码", "authority_uscc"),
    ("当前状态", "status"),
    ("许可文书名称", "decision_document_name"),
    ("许可文书号", "decision_number"),
    ("许可决定文书号", "decision_number"),
    ("许可决定文书名称", "decision_document_name"),
];

/// The bodies of a 双公示 CSV file, empty cells left out.
fn bodies(path: &str) -> Vec<Value> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let mut body = Map::new();
            for (header, cell) in headers.iter().zip(row.iter()) {
                let field = HEADERS.iter().find(|(h, _)| *h == header).map(|(_, f)| *f);
                let field = field.unwrap_or_else(|| panic!("{path}: unknown column {header:?}"));
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                let value = if field.ends_with("_wan_yuan") {
                    json!(cell.parse::<f64>().unwrap_or_else(|e| panic!("{path}: {field} {cell:?}: {e}")))
                } else {
                    json!(cell)
                };
                body.insert(field.to_owned(), value);
            }
            Value::Object(body)
        })
        .collect()
}

fn schema_errors(kind: &str, body: &Value) -> Vec<String> {
    let m = Publishing::manifest();
    let schema = &m.record_kinds.iter().find(|k| k.id == kind).unwrap().schema;
    let validator = jsonschema::options().should_validate_formats(true).build(schema).unwrap();
    validator.iter_errors(body).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// Every sample row is valid by construction (data/README.md): the schema
/// and `check-records` must accept it; warnings are allowed.
fn data(file: &str) -> String {
    format!("{}/../../data/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn sample_passes(kind: &str, file: &str) {
    let path = data(&format!("sample/{file}"));
    let rows = bodies(&path);
    assert!(!rows.is_empty(), "{file} has no rows");
    let answers = harness::check_records::<Publishing>(kind, &rows).unwrap();
    let mut warnings = 0;
    for (line, (row, violations)) in rows.iter().zip(&answers).enumerate() {
        let schema = schema_errors(kind, row);
        assert!(schema.is_empty(), "{file} row {}: schema: {schema:?}", line + 2);
        let errors: Vec<_> = violations.iter().filter(|v| !v.warning).collect();
        assert!(errors.is_empty(), "{file} row {}: {errors:?}", line + 2);
        warnings += violations.len();
    }
    eprintln!("{file}: {} rows, no errors, {warnings} warnings", rows.len());
}

#[test]
fn sample_penalties_pass_schema_and_checks() {
    sample_passes("penalty", "penalties-publishing.csv");
}

#[test]
fn sample_licences_pass_schema_and_checks() {
    sample_passes("licence", "licences-publishing.csv");
}

#[test]
fn quality_inspection_schema_takes_a_csv_row_and_refuses_unknown_fields() {
    let row = json!({
        "subject_name": "河南黄河教育出版社有限公司", "subject_category": "法人及非法人组织",
        "uscc": "91410184MA8DAQ6A9N", "decision_number": "豫新出质检〔2026〕3号", "decision_date": "2026-05-20",
        "authority": "河南省新闻出版局", "publication_title": "初中数学同步练习（七年级上）",
        "publication_type": "图书", "aspects": "编校", "result": "不合格", "error_rate_per_10000": 2.3,
        "nonconformities": "编校差错率万分之二点三", "rectification_deadline": "2026-06-20",
        "content": "《初中数学同步练习（七年级上）》编校质量不合格，差错率万分之二点三，责令限期改正"
    });
    assert!(schema_errors(quality::KIND, &row).is_empty(), "{:?}", schema_errors(quality::KIND, &row));
    assert!(quality::check(&row).is_empty());
    let mut bad = row.clone();
    bad["fine_wan_yuan"] = json!(1.0);
    bad["result"] = json!("基本合格");
    assert_eq!(schema_errors(quality::KIND, &bad).len(), 2, "{:?}", schema_errors(quality::KIND, &bad));
}

#[test]
fn licence_schema_takes_only_publishing_certificates() {
    let row = json!({
        "subject_name": "某出版社", "subject_category": "法人及非法人组织", "uscc": "91410104MANQ7WNG58",
        "decision_number": "豫许准字〔2023〕59号", "certificate_name": "印刷经营许可证", "licence_number": "1",
        "decision_date": "2023-08-19", "authority": "河南省新闻出版局"
    });
    assert_eq!(schema_errors("licence", &row).len(), 1);
}

/// The published rows of this sector (citing 出版管理条例, or about
/// publishing or publications) get no semantic error: most are incomplete
/// (the schema rejects them for missing fields, which the host reports), and
/// none cites a penalty article of the regulation against what it provides.
#[test]
fn published_real_publishing_rows_raise_no_semantic_errors() {
    let rows: Vec<Value> = bodies(&data("real/penalties.csv"))
        .into_iter()
        .filter(|r| {
            let text = |f: &str| r.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
            text("legal_basis").contains("出版") || text("violation_type").contains("出版")
        })
        .collect();
    assert!(rows.len() >= 10, "{} publishing rows", rows.len());
    let answers = harness::check_records::<Publishing>("penalty", &rows).unwrap();
    for (row, violations) in rows.iter().zip(&answers) {
        let errors: Vec<_> = violations.iter().filter(|v| !v.warning).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", row["violation_type"]);
    }
}
