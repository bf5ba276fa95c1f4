//! Tests against the repository's data: every sample row of the sector
//! passes the schema and the checks without an error; the real published rows
//! of the sector pass the checks; the sample scenario `clean-tv` stays
//! standard; and no rule goes beyond `caution` on any sample subject.
//!
//! CSV files are read as the host imports them ([`harness::sample_bodies`],
//! [`harness::refused_rows`]: its header table, the schema, `check-records`).

use crate::checks::{RTV, SAT};
use crate::{Broadcasting, rules};
use credit_sdk::checks::penalty_types;
use credit_sdk::harness;
use credit_sdk::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

fn path(file: &str) -> PathBuf {
    Path::new(DATA).join(file)
}

/// The rows of a 双公示 CSV file of `kind` as the host maps them to bodies.
fn bodies(file: &str, kind: &str) -> Vec<Value> {
    let m = harness::manifest::<Broadcasting>();
    let schema = m.record_kinds.iter().find(|k| k.id == kind).map(|k| &k.schema);
    harness::sample_bodies(&path(file), kind, schema).into_iter().map(|(_, body)| body).collect()
}

#[test]
fn every_sample_penalty_passes_schema_and_checks() {
    let file = "sample/penalties-broadcasting.csv";
    let refused = harness::refused_rows::<Broadcasting>("penalty", &path(file));
    assert!(refused.is_empty(), "{file}: {refused:#?}");
    assert_eq!(bodies(file, "penalty").len(), 38);
}

#[test]
fn every_sample_licence_passes_schema_and_checks() {
    let file = "sample/licences-broadcasting.csv";
    let refused = harness::refused_rows::<Broadcasting>("licence", &path(file));
    assert!(refused.is_empty(), "{file}: {refused:#?}");
    assert_eq!(bodies(file, "licence").len(), 89);
}

#[test]
fn sample_penalties_give_no_warning_either() {
    let values = bodies("sample/penalties-broadcasting.csv", "penalty");
    let warnings: Vec<_> =
        harness::check_records::<Broadcasting>("penalty", &values).unwrap().into_iter().flatten().collect();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn real_published_rows_of_the_sector_pass_the_checks() {
    let values: Vec<Value> = bodies("real/penalties.csv", "penalty")
        .into_iter()
        .filter(|b| {
            b.get("legal_basis")
                .and_then(Value::as_str)
                .is_some_and(|s| cites_regulation(s, RTV) || cites_regulation(s, SAT))
        })
        .collect();
    let answers = harness::check_records::<Broadcasting>("penalty", &values).unwrap();
    let got: Vec<(&str, Vec<&str>)> = values
        .iter()
        .zip(&answers)
        .map(|(b, v)| (&b["remarks"].as_str().unwrap()[..5], v.iter().map(|v| v.code.as_str()).collect()))
        .collect();
    // S28: satellite dish confiscated (第十条第三款). S29: unlicensed production
    // under 第四十八条, published without the mandatory 取缔: a warning only.
    assert_eq!(got, [("[S28]", vec![]), ("[S29]", vec!["required-type-missing"])]);
    assert!(answers.iter().flatten().all(|v| v.warning));
}

/// A natural person's key as the host makes it: `p:` and a keyed hash of the
/// ID number (here the number itself stands in for the hash).
fn person_key(id_number: &str) -> SubjectKey {
    format!("p:{id_number}").into()
}

/// A sample row as the credit record the host would send: the subject's key
/// is its USCC or the key of its ID number, the legal representative's key
/// that of their ID number, and a penalty is publicized for 1 year (3 for
/// 取缔/吊销) from its decision.
fn record(i: usize, kind: &str, b: &Value, as_of: &str) -> CreditRecord {
    let text = |f: &str| b.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
    let types: Vec<String> = penalty_types(&text("penalty_types")).into_iter().map(str::to_owned).collect();
    let content = if kind == "penalty" { text("penalty_content") } else { text("licence_content") };
    let serious = content.contains("取缔") || content.contains("吊销");
    let decided = date(&text("decision_date"));
    let years = if serious { 3 } else { 1 };
    let publicized = kind == "penalty" && decided.is_some_and(|d| add_years(d, years) > date(as_of).unwrap());
    let key = if text("uscc").is_empty() { person_key(&text("id_number")) } else { text("uscc").into() };
    CreditRecord {
        id: format!("{kind}-{i}").into(),
        sector: "broadcasting".into(),
        kind: kind.into(),
        subject_key: key,
        subject_name: text("subject_name"),
        legal_representative_key: b.get("legal_representative_id_number").and_then(Value::as_str).map(person_key),
        decision_number: text("decision_number"),
        decision_date: decided.map(|d| d.to_string()),
        legal_basis: text("legal_basis"),
        penalty_types: types,
        content,
        certificate: if kind == "penalty" { text("revoked_certificate") } else { text("certificate_name") },
        severity: if serious { Severity::Serious } else { Severity::General },
        publicized,
        body: b.clone(),
    }
}

/// Every sample record of the sector.
fn sample_records(as_of: &str) -> Vec<CreditRecord> {
    let penalties = bodies("sample/penalties-broadcasting.csv", "penalty").into_iter().map(|b| ("penalty", b));
    let licences = bodies("sample/licences-broadcasting.csv", "licence").into_iter().map(|b| ("licence", b));
    penalties.chain(licences).enumerate().map(|(i, (kind, b))| record(i, kind, &b, as_of)).collect()
}

/// The licensing request the host would assemble for the unit or individual
/// business `subject`: its records and those naming `rep` as legal
/// representative.
fn request(subject: &str, name: &str, rep: &SubjectKey, licence_type: &str, as_of: &str) -> InspectRequest {
    let records = sample_records(as_of)
        .into_iter()
        .filter(|r| r.subject_key.as_str() == subject || r.legal_representative_key.as_ref() == Some(rep))
        .collect();
    let kind = match Party::of_key(subject) {
        Party::IndividualBusiness => SubjectKind::IndividualBusiness,
        _ => SubjectKind::Organisation,
    };
    InspectRequest {
        subject: Subject { key: subject.into(), kind, name: name.into() },
        persons: vec![Person { key: rep.clone(), name: String::new(), role: Role::LegalRepresentative }],
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
        &person_key(r["persons"][0]["id_number"].as_str().unwrap()),
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
    let subjects: BTreeSet<(String, String, SubjectKey)> = all
        .iter()
        .filter(|r| r.party() != Party::NaturalPerson)
        .map(|r| {
            let rep = r.legal_representative_key.clone().unwrap_or_else(|| "".into());
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
