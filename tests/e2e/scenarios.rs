//! Every scenario of `data/sample/scenarios.json` on the imported sample data.

use crate::util::{Db, SECTORS_WITH_PLUGINS, TestHost, databases, root, sample_rows};
use serde_json::Value;

async fn scenarios_hold_on(db: Db) {
    let host = TestHost::start(db).await;
    for (file, stored) in host.import_sample().await {
        let rows = sample_rows(&file) as u64;
        if file.starts_with("penalties-") {
            // Serious penalties also list their subjects (and revoked licences' representatives).
            assert!(stored >= rows, "{file}: {stored} < {rows}");
            let sector = file.trim_start_matches("penalties-").trim_end_matches(".csv");
            let n = host.state.store.count_records(Some(sector), Some("penalty")).await.unwrap();
            assert_eq!(n as u64, rows, "{file}");
        } else {
            assert_eq!(stored, rows, "{file}");
        }
    }

    let scenarios: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("data/sample/scenarios.json")).unwrap()).unwrap();
    let mut checked = 0;
    for s in scenarios["checks"].as_array().unwrap() {
        let label = s["label"].as_str().unwrap();
        let sector = s["request"]["sector"].as_str().unwrap();
        let (status, body) = host.post("/api/v1/checks", &s["request"]).await;
        if !SECTORS_WITH_PLUGINS.contains(&sector) {
            // No plugin for that sector is bundled yet.
            assert_eq!(status, 503, "{label}: {body:#}");
            assert_eq!(body["status"], 503);
            continue;
        }
        assert_eq!(status, 201, "{label}: {body:#}");
        let expected = s["expected_outcome"].as_str().unwrap();
        assert_eq!(body["outcome"], expected, "{label} ({}):\n{body:#}", s["why"]);
        assert_eq!(body["as_of"], s["request"]["as_of"], "{label}");
        assert_eq!(body["plugin"]["sector"], sector);
        let findings = body["findings"].as_array().unwrap();
        match expected {
            "restricted" | "caution" => {
                let deciding: Vec<&Value> = findings.iter().filter(|f| f["outcome"] == expected).collect();
                assert!(!deciding.is_empty(), "{label}: no finding with the outcome");
                for f in deciding {
                    let basis = f["legal_basis"].as_str().unwrap();
                    assert!(basis.contains('条') || basis.contains('号'), "{label}: finding cites no article: {f:#}");
                    assert!(!f["evidence"].as_array().unwrap().is_empty(), "{label}: finding without evidence: {f:#}");
                }
            }
            "green-channel" => {
                assert_eq!(body["measures"], serde_json::json!(["优先办理", "容缺办理", "简化程序"]), "{label}");
            }
            _ => {}
        }
        // Every check is stored and readable, with ID numbers masked.
        let (status, stored) = host.get(&format!("/api/v1/checks/{}", body["check_id"].as_str().unwrap())).await;
        assert_eq!(status, 200, "{label}");
        assert_eq!(stored["answer"]["outcome"], expected);
        let person_id = s["request"]["persons"][0]["id_number"].as_str().unwrap();
        assert!(!stored.to_string().contains(person_id), "{label}: stored check holds a full ID number");
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} scenarios ran");
}

#[tokio::test]
async fn every_scenario_of_a_bundled_sector_gives_its_expected_outcome() {
    for db in databases() {
        scenarios_hold_on(db).await;
    }
}

#[tokio::test]
async fn subject_without_records_is_standard_with_a_note() {
    let host = TestHost::start(Db::Sqlite).await;
    let (status, body) = host
        .post(
            "/api/v1/checks",
            &serde_json::json!({
                "subject": {"uscc": "91410104MAN0NYBQX1", "name": "新网吧"},
                "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
            }),
        )
        .await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["outcome"], "standard");
    assert_eq!(body["subject"]["known"], false);
    assert!(body["notes"][0].as_str().unwrap().contains("no credit records"));
}

#[tokio::test]
async fn check_requests_are_validated() {
    let host = TestHost::start(Db::Sqlite).await;
    let base = serde_json::json!({
        "subject": {"uscc": "91410104MA329GYC1F"}, "sector": "cultural-market", "purpose": "licensing",
        "licence_type": "internet-cafe", "as_of": "2026-11-30"
    });
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        v
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (with(&|v| v["sector"] = "opera".into()), 404, ""),
        (with(&|v| v["sector"] = "publishing".into()), 503, ""),
        (
            with(&|v| {
                v.as_object_mut().unwrap().remove("licence_type");
            }),
            422,
            "licence-type-required",
        ),
        (with(&|v| v["licence_type"] = "printing".into()), 422, "licence-type-not-in-sector"),
        (with(&|v| v["purpose"] = "funding".into()), 422, "licence-type-not-allowed"),
        (with(&|v| v["subject"]["uscc"] = "91410104MA329GYC1G".into()), 422, "invalid-uscc"),
        (with(&|v| v["as_of"] = "30/11/2026".into()), 422, "invalid-date"),
        (with(&|v| v["subject"] = serde_json::json!({})), 422, "subject-identifier"),
        (
            with(&|v| v["persons"] = serde_json::json!([{"role": "principal", "id_number": "410104198405227241"}])),
            422,
            "invalid-id-number",
        ),
        (with(&|v| v["purpose"] = "gossip".into()), 422, "invalid-json"),
    ];
    for (req, status, code) in cases {
        let (got, body) = host.post("/api/v1/checks", &req).await;
        assert_eq!(got, status, "{req}: {body:#}");
        assert_eq!(body["status"], status);
        if !code.is_empty() {
            assert_eq!(body["errors"][0]["code"], code, "{req}: {body:#}");
            assert!(!body["errors"][0]["message"].as_str().unwrap().is_empty());
        }
    }
}
