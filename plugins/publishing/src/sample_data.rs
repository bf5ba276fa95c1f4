//! Tests on the bureau's data: every sample row of `data/sample/` passes the
//! schema and `check-records` as the host runs them; the published real rows
//! of the sector (`data/real/`) raise no semantic error; the own kind's
//! schema takes a CSV row by its column titles. Columns are mapped as the
//! host maps them ([`credit_sdk::columns`], through [`harness`]).

use crate::{Publishing, quality};
use credit_sdk::SectorPlugin;
use credit_sdk::harness::{self, RefusedRow};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn data(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data").join(file)
}

/// Every sample row is valid by construction (data/README.md): the schema
/// and `check-records` must accept it; warnings are allowed.
fn sample_passes(kind: &str, file: &str) {
    let path = data(&format!("sample/{file}"));
    let schema = schema(kind);
    assert!(!harness::sample_bodies(&path, kind, Some(&schema)).is_empty(), "{file} has no rows");
    let refused = harness::refused_rows::<Publishing>(kind, &path);
    assert!(refused.is_empty(), "{file}: {refused:#?}");
}

fn schema(kind: &str) -> Value {
    Publishing::manifest().record_kinds.into_iter().find(|k| k.id == kind).unwrap().schema
}

/// The rows `csv` (a header line and rows, as a clerk's file) refused as
/// record `kind`.
fn refused(kind: &str, name: &str, csv: &str) -> Vec<RefusedRow> {
    let path = std::env::temp_dir().join(format!("publishing-{}-{name}.csv", std::process::id()));
    std::fs::write(&path, csv).unwrap();
    let refused = harness::refused_rows::<Publishing>(kind, &path);
    std::fs::remove_file(&path).unwrap();
    refused
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
fn quality_inspection_schema_takes_a_csv_row_by_its_column_titles() {
    let csv = "行政相对人名称,行政相对人类别,统一社会信用代码,检查结果文书号,检查结论日期,检查机关,出版物名称,\
出版物类别,检查项目,检查结论,编校差错率（万分之）,不合格项目,整改期限,内容摘要\n\
河南黄河教育出版社有限公司,法人及非法人组织,91410184MA8DAQ6A9N,豫新出质检〔2026〕3号,2026-05-20,河南省新闻出版局,\
初中数学同步练习（七年级上）,图书,编校,不合格,2.3,编校差错率万分之二点三,2026-06-20,\
《初中数学同步练习（七年级上）》编校质量不合格，差错率万分之二点三，责令限期改正\n\
河南黄河教育出版社有限公司,法人及非法人组织,91410184MA8DAQ6A9N,豫新出质检〔2026〕4号,2026-05-20,河南省新闻出版局,\
初中语文同步练习（七年级上）,图书,编校、营销,基本合格,,,,\n";
    let refused = refused(quality::KIND, "quality", csv);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0].line, 3);
    let reasons = &refused[0].reasons;
    assert!(reasons.iter().any(|r| r.starts_with("schema /result")), "{reasons:#?}");
    assert!(reasons.iter().any(|r| r.contains("aspect-unknown")), "{reasons:#?}");
}

#[test]
fn quality_inspection_schema_refuses_unknown_fields() {
    assert_eq!(schema(quality::KIND)["unevaluatedProperties"], false);
}

#[test]
fn licence_schema_takes_only_publishing_certificates() {
    let csv = "行政相对人名称,行政相对人类别,统一社会信用代码,行政许可决定文书号,许可证书名称,许可编号,许可决定日期,许可机关\n\
某出版社,法人及非法人组织,91410104MANQ7WNG58,豫许准字〔2023〕59号,印刷经营许可证,1,2023-08-19,河南省新闻出版局\n";
    let refused = refused("licence", "licence", csv);
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0].reasons.len(), 1, "{refused:#?}");
    assert!(refused[0].reasons[0].starts_with("schema /certificate_name"), "{refused:#?}");
}

/// The published rows of this sector (citing 出版管理条例, or about
/// publishing or publications) get no semantic error: most are incomplete
/// (the schema rejects them for missing fields, which the host reports), and
/// none cites a penalty article of the regulation against what it provides.
#[test]
fn published_real_publishing_rows_raise_no_semantic_errors() {
    let rows: Vec<Value> = harness::sample_bodies(&data("real/penalties.csv"), "penalty", Some(&schema("penalty")))
        .into_iter()
        .map(|(_, body)| body)
        .filter(|r| {
            let text = |f: &str| r.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
            text("legal_basis").contains("出版") || text("violation_type").contains("出版")
        })
        .collect();
    assert!(rows.len() >= 10, "{} publishing rows", rows.len());
    let answers = harness::check_records::<Publishing>("penalty", &rows).unwrap();
    for (row, violations) in rows.iter().zip(&answers) {
        let errors: Vec<_> = violations.iter().filter(|v| !v.warning).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", row["violation_type"]);
    }
}
