//! Every public endpoint's output, on the whole sample bureau, against the
//! personal-data rules: no full ID number, no private field, no natural
//! person named who is not on a published list (a legal representative's
//! name as 双公示 shows it is allowed).
//!
//! The endpoints come from the host's own access table, so a public
//! endpoint added later is scanned too — or this test fails until it knows
//! how to call it.

use crate::util::{TestHost, client_with, databases, send};
use credit_host::access::Role;
use credit_host::api::access::{Access, ENDPOINTS};
use credit_host::domain::identifiers::IdNumber;
use serde_json::{Value, json};

/// Runs of ID-number characters of an ID's length that are valid ID
/// numbers (GB 11643 check digit and date): a full number shown.
fn full_id_numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], 'X' | 'x')) {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        for len in [18, 15] {
            for w in 0..=run.len().saturating_sub(len) {
                let window = &run[w..w + len.min(run.len())];
                if window.len() == len && IdNumber::parse(window).is_ok() {
                    found.push(window.to_owned());
                }
            }
        }
    }
    found
}

/// Keys that must never be public, anywhere in a body.
const PRIVATE_KEYS: [&str; 10] = [
    "id_number",
    "id_encrypted",
    "subject_key",
    "address",
    "phone",
    "contact",
    "applicant_name",
    "statement",
    "created_by",
    "actor",
];

fn private_keys(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if PRIVATE_KEYS.contains(&k.as_str()) || k.contains("legal_representative_id") {
                    out.push(format!("{path}/{k}"));
                }
                private_keys(x, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| private_keys(x, &format!("{path}/{i}"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn public_endpoints_show_no_personal_data_beyond_the_published_lists() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        host.import_sample().await;
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let (status, publication) = send(&office, "POST", url("/api/v1/publications"), None).await;
        assert_eq!(status, 201, "{publication:#}");
        assert!(publication["entry_count"].as_i64().unwrap() > 0, "the sample bureau has listed subjects");
        // An objection, followed with its code, as an applicant would.
        let (record,): (String,) =
            sqlx::query_as("SELECT id FROM credit_records WHERE kind = 'penalty' ORDER BY id LIMIT 1")
                .fetch_one(host.state.store.pool())
                .await
                .unwrap();
        let (status, filed) = send(
            &office,
            "POST",
            url("/api/v1/objections"),
            Some(json!({
                "record_id": record, "channel": "web",
                "applicant": {"name": "申请人甲", "role": "subject", "proof": ["id-card"]},
                "statement": "身份证号410104198405227240的当事人认为处罚有误"
            })),
        )
        .await;
        assert_eq!(status, 201, "{filed:#}");
        // A complaint, with its complainant's name and telephone.
        let (status, complaint) = send(
            &office,
            "POST",
            url("/api/v1/complaints"),
            Some(json!({
                "kind": "complaint", "channel": "12318", "ticket_number": "12318-2026-0001",
                "complainant": {"name": "投诉人乙", "contact": "13800000000"},
                "subject": {"uscc": "91410103MATU7E5C3A"}, "sector": "cultural-market",
                "statement": "该网吧接纳未成年人上网"
            })),
        )
        .await;
        assert_eq!(status, 201, "{complaint:#}");
        // A repair application for a listed subject, with its materials.
        let (entry,): (String,) = sqlx::query_as(
            "SELECT id FROM list_entries WHERE list = 'serious-dishonesty' AND status = 'decided' ORDER BY id LIMIT 1",
        )
        .fetch_one(host.state.store.pool())
        .await
        .unwrap();
        let (status, repair) = send(
            &office,
            "POST",
            url("/api/v1/credit-repairs"),
            Some(json!({
                "path": "list-entry", "list_entry_id": entry, "channel": "counter",
                "applicant": {"name": "申请人丙", "role": "subject", "proof": ["id-card"]},
                "rectification": "负责人身份证号410104198405227240，已整改", "training": "已参加培训",
                "commitment": "承诺诚信经营"
            })),
        )
        .await;
        assert_eq!(status, 201, "{repair:#}");

        // Who may be named: listed natural persons; and legal
        // representatives, whose names 双公示 shows.
        let listed: Vec<String> = publication["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["subject_category"] == "自然人")
            .map(|e| e["subject_name"].as_str().unwrap().to_owned())
            .collect();
        let penalised: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT s.name FROM subjects s JOIN credit_records r ON r.subject_key = s.key
             WHERE s.kind = 'natural-person' AND s.name NOT IN (SELECT person_name FROM subject_links)",
        )
        .fetch_all(host.state.store.pool())
        .await
        .unwrap();
        let unlisted: Vec<String> =
            penalised.into_iter().map(|(n,)| n).filter(|n| !listed.contains(n) && n.chars().count() > 1).collect();
        assert!(!unlisted.is_empty(), "the sample names penalised natural persons who are not listed");

        let public = client_with(None);
        let mut scanned = Vec::new();
        for e in ENDPOINTS.iter().filter(|e| e.access == Access::Public) {
            let path = match e.path {
                "/api/v1/public/publications/{id}" => {
                    format!("/api/v1/public/publications/{}", publication["id"].as_str().unwrap())
                }
                "/api/v1/public/objections/{id}" => format!(
                    "/api/v1/public/objections/{}?code={}",
                    filed["id"].as_str().unwrap(),
                    filed["follow_code"].as_str().unwrap()
                ),
                "/api/v1/public/complaints/{id}" => format!(
                    "/api/v1/public/complaints/{}?code={}",
                    complaint["id"].as_str().unwrap(),
                    complaint["follow_code"].as_str().unwrap()
                ),
                "/api/v1/public/credit-repairs/{id}" => format!(
                    "/api/v1/public/credit-repairs/{}?code={}",
                    repair["id"].as_str().unwrap(),
                    repair["follow_code"].as_str().unwrap()
                ),
                // Renders what the caller sends; it reads no stored data.
                "/api/v1/sectors/{sector}/commitments/{template}" => continue,
                p if p.contains('{') => panic!("public endpoint {p} is not scanned yet: teach this test to call it"),
                p => p.to_owned(),
            };
            let method = e.method.as_str();
            let (status, body) = send(&public, method, url(&path), None).await;
            assert_eq!(status, 200, "{method} {path}: {body:#}");
            let text = body.to_string();
            assert_eq!(full_id_numbers(&text), Vec::<String>::new(), "{method} {path} shows full ID numbers");
            let mut keys = Vec::new();
            private_keys(&body, "", &mut keys);
            assert_eq!(keys, Vec::<String>::new(), "{method} {path} shows private fields");
            let named: Vec<&String> = unlisted.iter().filter(|n| text.contains(n.as_str())).collect();
            for private in ["投诉人乙", "13800000000", "申请人甲", "申请人丙", "已整改"] {
                assert!(!text.contains(private), "{method} {path} shows {private}");
            }
            assert!(named.is_empty(), "{method} {path} names unlisted natural persons {named:?}");
            scanned.push(path);
        }
        assert!(scanned.len() >= 5, "{scanned:?}");
        // The scan itself finds what it must: a full number, a named field.
        assert!(full_id_numbers("号码410104198405227240。").contains(&"410104198405227240".to_owned()));
        assert!(full_id_numbers("410104********7240 91410103MATU7E5C3A").is_empty());
    }
}
