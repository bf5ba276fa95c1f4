//! Tests on the bureau's data: every sample row passes the schema and
//! `check_records`; the published real rows of the sector mostly pass; the
//! sample scenarios of this sector keep their outcomes; every fixture holds.
//! The CSV files are read as the host imports them ([`harness::sample_bodies`],
//! [`harness::refused_rows`]).

use crate::{CulturalMarket, approval};
use credit_sdk::harness;
use credit_sdk::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data").join(path)
}

/// The rows of a 双公示 CSV of `kind` as record bodies, with their lines.
fn rows(kind: &str, path: &str) -> Vec<(usize, Value)> {
    let m = CulturalMarket::manifest();
    let schema = m.record_kinds.iter().find(|k| k.id == kind).map(|k| &k.schema);
    harness::sample_bodies(&data(path), kind, schema)
}

#[test]
fn every_sample_penalty_passes_schema_and_check_records() {
    let path = "sample/penalties-cultural-market.csv";
    let refused = harness::refused_rows::<CulturalMarket>("penalty", &data(path));
    assert!(refused.is_empty(), "sample penalties are valid by construction: {refused:#?}");
    let rows = rows("penalty", path);
    assert!(rows.len() > 100);
    let (_, warnings) = check("penalty", &rows);
    assert!(
        warnings.is_empty(),
        "the sample gives every mandatory type and fines inside the fixed ranges: {warnings:#?}"
    );
}

#[test]
fn every_sample_licence_passes_schema_and_check_records() {
    let path = "sample/licences-cultural-market.csv";
    assert!(rows("licence", path).len() > 300);
    let refused = harness::refused_rows::<CulturalMarket>("licence", &data(path));
    assert!(refused.is_empty(), "{refused:#?}");
}

#[test]
fn every_sample_performance_approval_passes_schema_and_check_records() {
    let path = "sample/performance-approval-cultural-market.csv";
    let refused = harness::refused_rows::<CulturalMarket>(approval::KIND, &data(path));
    assert!(refused.is_empty(), "sample approvals are valid by construction: {refused:#?}");
    let licences = rows("licence", "sample/licences-cultural-market.csv");
    let rows = rows(approval::KIND, path);
    assert!(rows.len() >= 10, "{}", rows.len());
    let (_, warnings) = check(approval::KIND, &rows);
    assert!(warnings.is_empty(), "{warnings:#?}");
    // Every organiser holds a valid commercial-performance licence of the sample,
    // under the number the approval gives, from before the approval.
    for (line, a) in &rows {
        let held = licences.iter().any(|(_, l)| {
            l["uscc"] == a["uscc"]
                && l["licence_number"] == a["organiser_licence_number"]
                && l["certificate_name"] == "营业性演出许可证"
                && l["valid_from"].as_str() <= a["decision_date"].as_str()
                && a["decision_date"].as_str() <= l["valid_to"].as_str()
        });
        assert!(held, "line {line}: the organiser holds no valid licence {}", a["organiser_licence_number"]);
    }
}

/// A clerk's file of approvals, by the schema's column titles: a row with
/// its dates out of order and one without 场次 are refused, each with why.
#[test]
fn performance_approval_rows_out_of_order_are_refused() {
    let csv = "行政相对人名称,行政相对人类别,统一社会信用代码,批准文号,批准日期,审批机关,审批依据,演出举办单位类别,\
营业性演出许可证编号,演出名称,参加演出的文艺表演团体、演员,外国或港澳台参演方,演出场所,演出开始日期,演出结束日期,场次,内容摘要\n\
郑州聚鑫黎明演艺文化传媒有限公司,法人及非法人组织,91410104MAG4LUR402,金文旅演审〔2025〕41号,2025-10-20,\
郑州市金水区文化广电和旅游局,《营业性演出管理条例》第十三条,演出经纪机构,文演经4101046481,冬日民谣音乐会,歌手林远,无,\
郑州绿城音乐厅,2025-10-18,2025-10-17,2,批准举办冬日民谣音乐会2场\n\
郑州聚鑫黎明演艺文化传媒有限公司,法人及非法人组织,91410104MAG4LUR402,金文旅演审〔2025〕42号,2025-10-20,\
郑州市金水区文化广电和旅游局,《营业性演出管理条例》第十三条,演出经纪机构,文演经4101046481,冬日民谣音乐会,歌手林远,无,\
郑州绿城音乐厅,2025-11-18,2025-11-18,,批准举办冬日民谣音乐会\n";
    let path = std::env::temp_dir().join(format!("cultural-market-approval-{}.csv", std::process::id()));
    std::fs::write(&path, csv).unwrap();
    let refused = harness::refused_rows::<CulturalMarket>(approval::KIND, &path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(refused.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3], "{refused:#?}");
    let first = refused[0].reasons.join("\n");
    assert!(first.contains("end-before-start") && first.contains("approved-after-start"), "{first}");
    assert!(refused[1].reasons.iter().any(|r| r.contains("sessions")), "{:?}", refused[1].reasons);
    let m = CulturalMarket::manifest();
    let schema = &m.record_kinds.iter().find(|k| k.id == approval::KIND).unwrap().schema;
    assert_eq!(schema["unevaluatedProperties"], false);
}

/// `check_records` on `rows`: the errors and the warnings, as `line code: message`.
fn check(kind: &str, rows: &[(usize, Value)]) -> (Vec<String>, Vec<String>) {
    let bodies: Vec<Value> = rows.iter().map(|(_, b)| b.clone()).collect();
    let answers = harness::check_records::<CulturalMarket>(kind, &bodies).unwrap();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for ((line, _), violations) in rows.iter().zip(answers) {
        for v in violations {
            let text = format!("line {line} {}: {}", v.code, v.message);
            if v.warning { warnings.push(text) } else { errors.push(text) }
        }
    }
    (errors, warnings)
}

/// The published rows of this sector: those citing one of its regulations
/// or naming one of its businesses. The published pages give only some
/// columns, so they are read by `check_records` alone, not the schema.
/// Expected errors, each for a reason a clerk can fix: the 不予行政处罚
/// decision (S12) is no penalty.
#[test]
fn real_rows_of_the_sector_mostly_pass() {
    let ours: Vec<(usize, Value)> = rows("penalty", "real/penalties.csv")
        .into_iter()
        .filter(|(_, b)| {
            let text = b.to_string();
            ["互联网上网服务营业场所管理条例", "娱乐场所管理条例", "营业性演出管理条例", "网吧", "网咖", "演出", "KTV"]
                .iter()
                .any(|w| text.contains(w))
        })
        .collect();
    assert!(ours.len() >= 25, "{}", ours.len());
    let (errors, warnings) = check("penalty", &ours);
    // Row 13: S12, a decision not to penalise.
    assert_eq!(
        errors,
        ["line 13 not-a-penalty: 不予行政处罚决定不是行政处罚，不应作为行政处罚信息报送（行政处罚法第三十三条）"]
    );
    // Row 50: a fine under 第三十一条 without the warning it orders; row 6: no 处罚类别
    // at all (the published page stops early), so the 罚款 第四十八条 orders is missing.
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    let (errors, _) = check("licence", &rows("licence", "real/licences.csv"));
    assert!(errors.is_empty(), "{errors:?}");
}

/// A natural person's key as the host makes it from an ID number: a keyed
/// hash, never the number (which has the shape of a USCC, and would be read
/// as an organisation's key by [`CreditRecord::party`]).
fn person_key(id_number: &str) -> String {
    format!("p:{id_number}")
}

/// Build the credit file the host would send for a scenario's request, from
/// the sample penalties of this sector (severity and publicity by the
/// defaults of DESIGN.md §5: serious 3 years, general 1 year, minor none).
fn scenario_request(request: &Value) -> InspectRequest {
    let as_of = date(request["as_of"].as_str().unwrap()).unwrap();
    let key = request["subject"]["uscc"].as_str().unwrap().to_owned();
    let penalties = rows("penalty", "sample/penalties-cultural-market.csv");
    let mut persons: Vec<Value> = request["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| json!({"key": person_key(p["id_number"].as_str().unwrap()), "name": p["name"], "role": p["role"]}))
        .collect();
    // The links the host knows: the representatives named on the subject's records.
    for (_, b) in penalties.iter().filter(|(_, b)| b["uscc"] == key.as_str()) {
        if let Some(rep) = b["legal_representative_id_number"].as_str().map(person_key)
            && !persons.iter().any(|p| p["key"] == rep.as_str())
        {
            let role = if key.starts_with("92") { "operator" } else { "legal-representative" };
            persons.push(json!({"key": rep, "name": b["legal_representative"], "role": role}));
        }
    }
    let keys: Vec<String> =
        std::iter::once(key.clone()).chain(persons.iter().map(|p| p["key"].as_str().unwrap().to_owned())).collect();
    let text = |b: &Value, f: &str| b[f].as_str().unwrap_or_default().to_owned();
    let subject_key = |b: &Value| b["uscc"].as_str().map(str::to_owned).or(b["id_number"].as_str().map(person_key));
    let records: Vec<Value> = penalties
        .iter()
        .filter(|(_, b)| {
            let (subject, rep) = (subject_key(b), b["legal_representative_id_number"].as_str().map(person_key));
            keys.iter().any(|k| Some(k) == subject.as_ref() || Some(k) == rep.as_ref())
        })
        .filter(|(_, b)| date(&text(b, "decision_date")).is_some_and(|d| d <= as_of))
        .map(|(line, b)| {
            let types = text(b, "penalty_types");
            let all = format!("{types}{}", text(b, "penalty_content"));
            let fine = b["fine_wan_yuan"].as_f64().unwrap_or(0.0);
            let (severity, years) = if ["吊销", "取缔"].iter().any(|w| all.contains(w)) {
                ("serious", Some(3))
            } else if all.contains("没收") || all.contains("停业") || fine > 0.3 {
                ("general", Some(1))
            } else {
                ("minor", None)
            };
            let decided = date(&text(b, "decision_date")).unwrap();
            json!({
                "id": format!("line-{line}"), "sector": "cultural-market", "kind": "penalty",
                "subject_key": subject_key(b), "subject_name": b["subject_name"],
                "legal_representative_key": b["legal_representative_id_number"].as_str().map(person_key),
                "decision_number": b["decision_number"], "decision_date": b["decision_date"],
                "legal_basis": b["legal_basis"], "penalty_types": credit_sdk::checks::penalty_types(&types),
                "content": b["penalty_content"], "certificate": text(b, "revoked_certificate"), "severity": severity,
                "publicized": years.is_some_and(|y| as_of < add_years(decided, y)), "body": b
            })
        })
        .collect();
    serde_json::from_value(json!({
        "subject": {"key": key, "kind": if key.starts_with("92") { "individual-business" } else { "organisation" },
                    "name": request["subject"]["name"]},
        "persons": persons, "purpose": request["purpose"], "licence_type": request["licence_type"],
        "as_of": request["as_of"], "records": records
    }))
    .unwrap()
}

/// The plugin never makes a scenario more severe than its expected outcome,
/// and gives the restriction itself where one is expected (the host adds
/// publicity and list findings on top).
#[test]
fn sample_scenarios_keep_their_outcomes() {
    let scenarios: Value =
        serde_json::from_str(&std::fs::read_to_string(data("sample/scenarios.json")).unwrap()).unwrap();
    let mut checked = 0;
    for s in scenarios["checks"].as_array().unwrap().iter().filter(|s| s["request"]["sector"] == "cultural-market") {
        let label = s["label"].as_str().unwrap();
        let expected: Outcome = serde_json::from_value(s["expected_outcome"].clone()).unwrap();
        let findings = harness::inspect::<CulturalMarket>(&scenario_request(&s["request"])).unwrap();
        let worst = findings.iter().map(|f| f.outcome).min().unwrap_or(Outcome::Standard);
        let shown: Vec<String> =
            findings.iter().map(|f| format!("{} {:?}: {}", f.rule_id, f.outcome, f.message)).collect();
        match expected {
            Outcome::Restricted => assert_eq!(worst, Outcome::Restricted, "{label}: {shown:#?}"),
            Outcome::Caution => assert!(worst >= Outcome::Caution, "{label}: {shown:#?}"),
            Outcome::Standard | Outcome::GreenChannel => assert!(worst >= Outcome::Standard, "{label}: {shown:#?}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 9);
}

#[test]
fn fixtures_hold() {
    harness::fixtures::<CulturalMarket>(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")));
}
