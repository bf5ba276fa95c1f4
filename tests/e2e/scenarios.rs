//! Every scenario of `data/sample/scenarios.json` on the imported sample data.

use crate::util::{Db, SECTOR_WITHOUT_PLUGIN, SECTORS_WITH_PLUGINS, TestHost, databases, root, sample_rows};
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

    // The bureau's scenarios plus those written with the later sectors'
    // sample data (`scenarios-<name>.json`, the same format).
    let mut files: Vec<_> = std::fs::read_dir(root().join("data/sample"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("scenarios") && p.extension().unwrap() == "json"
        })
        .collect();
    files.sort();
    let mut checked = 0;
    let mut cited: Vec<String> = Vec::new();
    for file in files {
        let scenarios: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for s in scenarios["checks"].as_array().unwrap() {
            let label = s["label"].as_str().unwrap();
            let sector = s["request"]["sector"].as_str().unwrap();
            assert!(SECTORS_WITH_PLUGINS.contains(&sector), "{label}: sector {sector} has no bundled plugin");
            let (status, body) = host.post("/api/v1/checks", &s["request"]).await;
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
                        assert!(
                            basis.contains('条') || basis.contains('号'),
                            "{label}: finding cites no article: {f:#}"
                        );
                        assert!(
                            !f["evidence"].as_array().unwrap().is_empty(),
                            "{label}: finding without evidence: {f:#}"
                        );
                    }
                    // What this check covers: its licence type, or its purpose.
                    let what =
                        s["request"]["licence_type"].as_str().unwrap_or(s["request"]["purpose"].as_str().unwrap());
                    if findings
                        .iter()
                        .any(|f| f["source"] == "plugin" && f["legal_basis"].as_str().unwrap().contains('条'))
                    {
                        cited.push(what.to_owned());
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
            let ids = s["request"]["persons"].as_array().into_iter().flatten().map(|p| &p["id_number"]);
            for id in ids.chain([&s["request"]["subject"]["id_number"]]).filter_map(Value::as_str) {
                assert!(!stored.to_string().contains(id), "{label}: stored check holds a full ID number");
            }
            checked += 1;
        }
    }
    assert!(checked >= 19, "only {checked} scenarios ran");
    // Every licence type of every plugin, and funding, has a scenario whose
    // plugin findings cite an article.
    let (_, plugins) = host.get("/api/v1/plugins").await;
    let mut wanted: Vec<String> = vec!["funding".into()];
    for p in plugins.as_array().unwrap() {
        for t in p["manifest"]["licence_types"].as_array().into_iter().flatten() {
            wanted.push(t.as_str().unwrap().to_owned());
        }
    }
    let missing: Vec<&String> = wanted.iter().filter(|w| !cited.contains(w)).collect();
    assert!(missing.is_empty(), "no scenario with a plugin finding citing an article for {missing:?}");
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
        (with(&|v| v["sector"] = SECTOR_WITHOUT_PLUGIN.into()), 503, ""),
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
        if code == "invalid-json" {
            assert_eq!(body["errors"][0]["pointer"], "/purpose", "the member serde refused: {body:#}");
        }
    }
}
