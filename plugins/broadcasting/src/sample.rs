//! Tests against the repository's data: every sample row of the sector
//! passes the schema and the checks without an error; the real published rows
//! of the sector pass the checks; the sample scenario `clean-tv` stays
//! standard; and no rule goes beyond `caution` on any sample subject.

use crate::checks::{RTV, SAT};
use crate::{Broadcasting, rules};
use credit_sdk::harness;
use credit_sdk::prelude::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// The 双公示 headers of the sample files and their body fields (the host's
/// `host/src/domain/columns.rs`).
const COLUMNS: [(&str, &str); 40] = [
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
    ("许可文书名称", "decision_document_name"),
    ("行政许可决定文书号", "decision_number"),
    ("许可文书号", "decision_number"),
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
    ("数据来源单位", "data_source"),
];

/// The rows of a CSV file as record bodies: headers mapped to fields, empty
/// cells left out (as the host does), amounts in 万元 as numbers.
fn bodies(path: &str) -> Vec<Map<String, Value>> {
    let mut reader = csv::Reader::from_path(format!("{DATA}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers: Vec<&str> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| COLUMNS.iter().find(|(zh, _)| *zh == h).unwrap_or_else(|| panic!("{path}: unknown column {h:?}")).1)
        .collect();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let mut body = Map::new();
            for (field, cell) in headers.iter().zip(row.iter()).filter(|(_, c)| !c.trim().is_empty()) {
                let value = if field.ends_with("wan_yuan") {
                    json!(cell.trim().parse::<f64>().unwrap_or_else(|e| panic!("{path}: {field} {cell:?}: {e}")))
                } else {
                    json!(cell.trim())
                };
                body.insert((*field).to_owned(), value);
            }
            body
        })
        .collect()
}

fn schema(kind: &str) -> jsonschema::Validator {
    let m = harness::manifest::<Broadcasting>();
    let k = m.record_kinds.iter().find(|k| k.id == kind).unwrap();
    jsonschema::options().should_validate_formats(true).build(&k.schema).unwrap()
}

fn assert_valid(path: &str, kind: &str) -> usize {
    let rows = bodies(path);
    let validator = schema(kind);
    let values: Vec<Value> = rows.into_iter().map(Value::Object).collect();
    let answers = harness::check_records::<Broadcasting>(kind, &values).unwrap();
    let mut failures = String::new();
    for (i, (body, violations)) in values.iter().zip(&answers).enumerate() {
        for e in validator.iter_errors(body) {
            failures.push_str(&format!("line {}: schema: {e} at {}\n", i + 2, e.instance_path()));
        }
        for v in violations.iter().filter(|v| !v.warning) {
            failures.push_str(&format!("line {}: {} {} {}\n", i + 2, v.pointer, v.code, v.message));
        }
    }
    assert!(failures.is_empty(), "{path}:\n{failures}");
    values.len()
}

#[test]
fn every_sample_penalty_passes_schema_and_checks() {
    assert_eq!(assert_valid("sample/penalties-broadcasting.csv", "penalty"), 38);
}

#[test]
fn every_sample_licence_passes_schema_and_checks() {
    assert_eq!(assert_valid("sample/licences-broadcasting.csv", "licence"), 89);
}

#[test]
fn sample_penalties_give_no_warning_either() {
    let values: Vec<Value> = bodies("sample/penalties-broadcasting.csv").into_iter().map(Value::Object).collect();
    let warnings: Vec<_> =
        harness::check_records::<Broadcasting>("penalty", &values).unwrap().into_iter().flatten().collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn real_published_rows_of_the_sector_pass_the_checks() {
    let values: Vec<Value> = bodies("real/penalties.csv")
        .into_iter()
        .filter(|b| b.get("legal_basis").and_then(Value::as_str).is_some_and(|s| s.contains(RTV) || s.contains(SAT)))
        .map(Value::Object)
        .collect();
    let answers = harness::check_records::<Broadcasting>("penalty", &values).unwrap();
    let got: Vec<(&str, Vec<&str>)> = values
        .iter()
        .zip(&answers)
        .map(|(b, v)| (&b["remarks"].as_str().unwrap()[..5], v.iter().map(|v| v.code.as_str()).collect()))
        .collect();
    // S28: satellite dish confiscated (第十条第三款). S29: unlicensed production
    // under 第四十八条, published without the mandatory 取缔: a warning only.
    assert_eq!(got, [("[S28]", vec![]), ("[S29]", vec!["mandatory-measure-missing"])]);
    assert!(answers.iter().flatten().all(|v| v.warning));
}

/// A sample row as the credit record the host would send: the subject's key
/// is its USCC or ID number, the legal representative's key their ID number,
/// and a penalty is publicized for 1 year (3 for 取缔/吊销) from its decision.
fn record(i: usize, kind: &str, b: &Map<String, Value>, as_of: &str) -> CreditRecord {
    let text = |f: &str| b.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
    let types: Vec<String> = text("penalty_types").split('；').filter(|t| *t != "其他").map(str::to_owned).collect();
    let content = if kind == "penalty" { text("penalty_content") } else { text("licence_content") };
    let serious = content.contains("取缔") || content.contains("吊销");
    let decided = date(&text("decision_date"));
    let years = if serious { 3 } else { 1 };
    let publicized = kind == "penalty" && decided.is_some_and(|d| add_years(d, years) > date(as_of).unwrap());
    let key = if text("uscc").is_empty() { text("id_number") } else { text("uscc") };
    CreditRecord {
        id: format!("{kind}-{i}").into(),
        sector: "broadcasting".into(),
        kind: kind.into(),
        subject_key: key.into(),
        subject_name: text("subject_name"),
        legal_representative_key: b.get("legal_representative_id_number").and_then(Value::as_str).map(Into::into),
        decision_number: text("decision_number"),
        decision_date: decided.map(|d| d.to_string()),
        legal_basis: text("legal_basis"),
        penalty_types: types,
        content,
        certificate: if kind == "penalty" { text("revoked_certificate") } else { text("certificate_name") },
        severity: if serious { Severity::Serious } else { Severity::General },
        publicized,
        body: Value::Object(b.clone()),
    }
}

/// Every sample record of the sector.
fn sample_records(as_of: &str) -> Vec<CreditRecord> {
    let penalties = bodies("sample/penalties-broadcasting.csv").into_iter().map(|b| ("penalty", b));
    let licences = bodies("sample/licences-broadcasting.csv").into_iter().map(|b| ("licence", b));
    penalties.chain(licences).enumerate().map(|(i, (kind, b))| record(i, kind, &b, as_of)).collect()
}

/// The request the host would assemble: the subject's records and those
/// naming `rep` as legal representative.
fn request(subject: &str, name: &str, rep: &str, licence_type: &str, as_of: &str) -> InspectRequest {
    let records = sample_records(as_of)
        .into_iter()
        .filter(|r| {
            r.subject_key.as_str() == subject || r.legal_representative_key.as_ref().is_some_and(|k| k.as_str() == rep)
        })
        .collect();
    InspectRequest {
        subject: Subject { key: subject.into(), kind: SubjectKind::Organisation, name: name.into() },
        persons: vec![Person { key: rep.into(), name: String::new(), role: Role::LegalRepresentative }],
        purpose: Purpose::Licensing,
        licence_type: Some(licence_type.into()),
        as_of: as_of.into(),
        records,
        list_entries: Vec::new(),
    }
}

#[test]
fn scenario_clean_tv_stays_standard() {
    let text = std::fs::read_to_string(format!("{DATA}/sample/scenarios.json")).unwrap();
    let scenarios: Value = serde_json::from_str(&text).unwrap();
    let s = scenarios["checks"].as_array().unwrap().iter().find(|c| c["label"] == "clean-tv").unwrap();
    let r = &s["request"];
    assert_eq!(s["expected_outcome"], "standard");
    let req = request(
        r["subject"]["uscc"].as_str().unwrap(),
        r["subject"]["name"].as_str().unwrap(),
        r["persons"][0]["id_number"].as_str().unwrap(),
        r["licence_type"].as_str().unwrap(),
        r["as_of"].as_str().unwrap(),
    );
    assert!(!req.records.is_empty(), "the scenario's licence is in the sample");
    let findings = harness::inspect::<Broadcasting>(&req).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn no_rule_restricts_any_sample_subject() {
    let as_of = "2026-11-30";
    let all = sample_records(as_of);
    let subjects: BTreeSet<(String, String, String)> = all
        .iter()
        .filter(|r| r.body.get("uscc").is_some())
        .map(|r| {
            let rep = r.legal_representative_key.as_ref().map(|k| k.0.clone()).unwrap_or_default();
            (r.subject_key.0.clone(), r.subject_name.clone(), rep)
        })
        .collect();
    let mut fired = BTreeSet::new();
    for (key, name, rep) in &subjects {
        for t in crate::LICENCE_TYPES {
            for f in harness::inspect::<Broadcasting>(&request(key, name, rep, t, as_of)).unwrap() {
                assert_eq!(f.outcome, Outcome::Caution, "{key} {t}: {f:?}");
                fired.insert(f.rule_id.0);
            }
        }
    }
    // The sample's publicized penalties are content fines, closures, repeat
    // offences and unlicensed satellite installations.
    for id in ["prohibited-content", "unlicensed-broadcasting-closure", "satellite-unlicensed-installation"] {
        assert!(fired.contains(id), "{id} never fired on the sample: {fired:?}");
    }
    assert!(rules::catalogue().iter().any(|r| r.id.as_str() == "repeat-violations"));
}
