//! Tests on the sector's sample data in `data/sample/`: every row, read as
//! the host reads it ([`harness::sample_bodies`]), is valid by construction
//! (schema and `check_records` through [`harness::refused_rows`], and the
//! identifiers' check characters), and every scenario of
//! `scenarios-arts-heritage.json` gets its expected outcome from this plugin's
//! findings combined with a simulation of the host's bureau-wide rules
//! (publicity periods, the serious dishonesty list, joint punishment; the
//! host's defaults of DESIGN.md §5).

use crate::{ArtsHeritage, SECTOR, kinds};
use chrono::NaiveDate;
use credit_sdk::columns::Columns;
use credit_sdk::harness;
use credit_sdk::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample");

fn schema(kind: &str) -> Value {
    ArtsHeritage::manifest().record_kinds.into_iter().find(|k| k.id == kind).expect("kind").schema
}

fn path(file: &str) -> PathBuf {
    Path::new(SAMPLE).join(file)
}

/// The rows of `file` as record bodies, mapped as the host maps them, with
/// their 1-based lines.
fn load(file: &str, kind: &str) -> Vec<(usize, Value)> {
    harness::sample_bodies(&path(file), kind, Some(&schema(kind)))
}

/// The sector's sample files: (file, kind).
const FILES: [(&str, &str); 5] = [
    ("penalties-arts-heritage.csv", kinds::PENALTY),
    ("licences-arts-heritage.csv", kinds::LICENCE),
    ("practitioner-arts-heritage.csv", kinds::PRACTITIONER),
    ("inheritor-assessment-arts-heritage.csv", kinds::INHERITOR_ASSESSMENT),
    ("funding-acceptance-arts-heritage.csv", kinds::FUNDING_ACCEPTANCE),
];

// The check characters of identifiers, which the host verifies on import
// and neither the schema nor the SDK's harness does.

#[test]
fn check_characters_are_computed_as_the_standards_say() {
    assert!(
        credit_sdk::identifiers::uscc_valid("91410104MA329GYC1F")
            && !credit_sdk::identifiers::uscc_valid("91410104MA329GYC1E")
    );
    assert!(
        credit_sdk::identifiers::id_number_valid("41018519640319603X")
            && !credit_sdk::identifiers::id_number_valid("410185196403196031")
    );
}

#[test]
fn every_sample_row_passes_schema_identifiers_and_check_records() {
    let mut problems = Vec::new();
    for (file, kind) in FILES {
        let refused = harness::refused_rows::<ArtsHeritage>(kind, &path(file));
        problems.extend(refused.iter().map(|r| format!("{file}:{}: {}", r.line, r.reasons.join("; "))));
        let rows = load(file, kind);
        assert!(!rows.is_empty(), "{file} has no rows");
        if !matches!(kind, kinds::PENALTY | kinds::LICENCE) {
            // An own kind's file has a column for every property of its schema.
            let text = std::fs::read_to_string(path(file)).expect("sample file");
            let columns = Columns::new(kind, Some(&schema(kind)));
            let fields: Vec<&str> =
                text.lines().next().unwrap_or_default().split(',').filter_map(|h| columns.field(h)).collect();
            for name in schema(kind)["properties"].as_object().expect("properties").keys() {
                assert!(fields.contains(&name.as_str()), "{file} has no column for {kind}/{name}");
            }
        }
        for (line, body) in &rows {
            for field in ["uscc", "authority_uscc", "data_source_uscc"] {
                if let Some(u) = body[field].as_str().filter(|u| !credit_sdk::identifiers::uscc_valid(u)) {
                    problems.push(format!("{file}:{line}: invalid USCC {u}"));
                }
            }
            for (field, kind_field) in
                [("id_number", "id_type"), ("legal_representative_id_number", "legal_representative_id_type")]
            {
                let is_id_card = body[kind_field].as_str().is_none_or(|t| t == "身份证");
                if let Some(n) =
                    body[field].as_str().filter(|n| is_id_card && !credit_sdk::identifiers::id_number_valid(n))
                {
                    problems.push(format!("{file}:{line}: invalid ID number {n}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "invalid sample rows:\n{}", problems.join("\n"));
}

// --- The scenarios, through a small simulation of the host --------------

fn key_of(body: &Value) -> String {
    match body["uscc"].as_str() {
        Some(u) => u.to_owned(),
        None => format!("id:{}", body["id_number"].as_str().unwrap_or_default()),
    }
}

/// Severity as the host computes it with its defaults (host/src/domain/severity.rs).
fn severity(types: &[String], content: &str, fine: f64, person: bool) -> Severity {
    let text = format!("{}|{content}", types.join("|"));
    if ["吊销", "取缔", "限制从业", "禁止从业", "责令关闭", "撤销许可"].iter().any(|w| text.contains(w))
    {
        return Severity::Serious;
    }
    if ["没收", "停业", "停产", "暂扣", "降低资质", "限制开展生产经营"].iter().any(|w| text.contains(w))
    {
        return Severity::General;
    }
    let max = if person { 0.02 } else { 0.3 };
    let minor =
        |t: &String| t.contains("警告") || t.contains("通报批评") || t == "其他" || (t.contains("罚款") && fine <= max);
    if fine > max || types.is_empty() || !types.iter().all(minor) { Severity::General } else { Severity::Minor }
}

fn records() -> Vec<CreditRecord> {
    let mut out = Vec::new();
    for (file, kind) in FILES {
        for (line, body) in load(file, kind) {
            let text = |f: &str| body[f].as_str().unwrap_or_default().to_owned();
            let types: Vec<String> =
                credit_sdk::checks::penalty_types(&text("penalty_types")).into_iter().map(str::to_owned).collect();
            let content = match kind {
                kinds::PENALTY => text("penalty_content"),
                kinds::LICENCE => text("licence_content"),
                _ => text("content"),
            };
            let person = text("subject_category") != kinds::ORGANISATION;
            let sev = if kind == kinds::PENALTY {
                severity(&types, &content, body["fine_wan_yuan"].as_f64().unwrap_or(0.0), person)
            } else {
                Severity::None
            };
            out.push(CreditRecord {
                id: format!("{file}:{line}").into(),
                sector: SECTOR.into(),
                kind: kind.into(),
                subject_key: key_of(&body).into(),
                subject_name: text("subject_name"),
                legal_representative_key: body["legal_representative_id_number"]
                    .as_str()
                    .map(|n| format!("id:{n}").into()),
                decision_number: text("decision_number"),
                decision_date: body["decision_date"].as_str().map(str::to_owned),
                legal_basis: text("legal_basis"),
                penalty_types: types,
                content,
                certificate: text("revoked_certificate") + &text("certificate_name"),
                severity: sev,
                publicized: false,
                body,
            });
        }
    }
    out
}

/// The host's outcome: its publicity and joint-punishment rules on the
/// applicant's own records, combined with the plugin's findings.
fn simulate(check: &Value, all: &[CreditRecord]) -> (Outcome, Vec<String>) {
    let req = &check["request"];
    let as_of = date(req["as_of"].as_str().expect("as_of")).expect("date");
    let (key, kind) = match req["subject"]["uscc"].as_str() {
        Some(u) => (
            u.to_owned(),
            if Party::of_key(u) == Party::IndividualBusiness { "individual-business" } else { "organisation" },
        ),
        None => (format!("id:{}", req["subject"]["id_number"].as_str().expect("id")), "natural-person"),
    };
    let persons: Vec<Value> = req["persons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| json!({"key": format!("id:{}", p["id_number"].as_str().unwrap()), "name": p["name"], "role": p["role"]}))
        .collect();
    let mut keys = vec![key.clone()];
    keys.extend(persons.iter().map(|p| p["key"].as_str().unwrap().to_owned()));
    let publicity_end = |r: &CreditRecord| -> Option<NaiveDate> {
        let d = r.decision_date.as_deref().and_then(date)?;
        match r.severity {
            Severity::General => Some(add_years(d, 1)),
            Severity::Serious => Some(add_years(d, 3)),
            _ => None,
        }
    };
    let file: Vec<CreditRecord> = all
        .iter()
        .filter(|r| {
            keys.contains(&r.subject_key.0) || r.legal_representative_key.as_ref().is_some_and(|k| keys.contains(&k.0))
        })
        .filter(|r| r.decision_date.as_deref().and_then(date).is_none_or(|d| d <= as_of))
        .map(|r| CreditRecord { publicized: publicity_end(r).is_some_and(|e| as_of < e), ..r.clone() })
        .collect();
    let purpose: Purpose = serde_json::from_value(req["purpose"].clone()).expect("purpose");
    let request: InspectRequest = serde_json::from_value(json!({
        "subject": {"key": key, "kind": kind, "name": req["subject"]["name"]},
        "persons": persons, "purpose": purpose, "as_of": as_of.to_string(), "records": file
    }))
    .expect("request");
    let findings = harness::inspect::<ArtsHeritage>(&request).expect("inspect");
    let mut outcome = findings.iter().map(|f| f.outcome).min().unwrap_or(Outcome::Standard);
    let mut rules: Vec<String> = findings.iter().map(|f| f.rule_id.0.clone()).collect();
    // The host's rules read the applicant's own records and list entries.
    let own = request.records.iter().filter(|r| r.subject_key.0 == key && r.kind == kinds::PENALTY);
    if own.clone().any(|r| r.publicized && r.severity >= Severity::General) {
        outcome = outcome.min(Outcome::Caution);
        rules.push("penalty-in-publicity".into());
    }
    let listed =
        request.records.iter().filter(|r| r.kind == kinds::PENALTY && r.severity == Severity::Serious).any(|r| {
            let d = r.decision_date.as_deref().and_then(date).expect("date");
            let on_list = d >= NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() && as_of < add_years(d, 3);
            let who = r.subject_key.0 == key
                || (r.is_revocation() && r.legal_representative_key.as_ref().is_some_and(|k| k.0 == key));
            on_list && who
        });
    if listed {
        let o =
            if matches!(purpose, Purpose::Funding | Purpose::Honours) { Outcome::Restricted } else { Outcome::Caution };
        outcome = outcome.min(o);
        rules.push("joint-punishment".into());
    }
    (outcome, rules)
}

#[test]
fn every_scenario_outcome_follows_from_the_sample_data() {
    let text = std::fs::read_to_string(format!("{SAMPLE}/scenarios-arts-heritage.json")).expect("scenarios");
    let scenarios: Value = serde_json::from_str(&text).expect("scenarios JSON");
    let checks = scenarios["checks"].as_array().expect("checks");
    assert!(checks.len() >= 5);
    let all = records();
    let mut wrong = Vec::new();
    for check in checks {
        assert_eq!(check["request"]["sector"], SECTOR);
        assert_eq!(check["request"]["as_of"], scenarios["as_of"]);
        assert!(!check["why"].as_str().unwrap_or_default().is_empty());
        let expected: Outcome = serde_json::from_value(check["expected_outcome"].clone()).expect("outcome");
        let (got, rules) = simulate(check, &all);
        if got != expected {
            wrong.push(format!("{}: expected {expected:?}, got {got:?} from {rules:?}", check["label"]));
        }
    }
    assert!(wrong.is_empty(), "scenarios do not follow:\n{}", wrong.join("\n"));
}
