//! Every bundled plugin through its compiled component: its fixtures (the
//! files its native unit tests run too), its manifest, and the division
//! table that says who owns each sector.

use crate::util::{Db, SECTORS_WITH_PLUGINS, TestHost, plugins, root};
use credit_host::runtime::{PluginStatus, run_fixtures};

#[test]
fn every_plugin_passes_its_fixtures_as_a_component() {
    for sector in SECTORS_WITH_PLUGINS {
        let PluginStatus::Active(plugin) = plugins().get(sector) else { panic!("{sector} is not loaded") };
        let results = run_fixtures(&plugin, &root().join("plugins").join(sector).join("fixtures")).unwrap();
        let failures: Vec<String> = results
            .iter()
            .filter_map(|r| r.outcome.as_ref().err().map(|d| format!("{}:\n{d}", r.file.display())))
            .collect();
        assert!(failures.is_empty(), "{sector}:\n{}", failures.join("\n"));
        // A fixture per rule at least, and every rule fires in one.
        let m = &plugin.manifest;
        assert!(m.rules.len() >= 6, "{sector} has {} rules", m.rules.len());
        assert!(results.len() >= m.rules.len(), "{sector}: {} fixtures for {} rules", results.len(), m.rules.len());
        let fixtures =
            credit_sdk::fixture::Fixture::load_dir(&root().join("plugins").join(sector).join("fixtures")).unwrap();
        for rule in &m.rules {
            assert!(
                fixtures.iter().any(|(_, f)| f.as_ref().is_ok_and(|f| f.expected.iter().any(|e| e.rule_id == rule.id))),
                "{sector}: no fixture shows rule {} firing",
                rule.id
            );
            assert!(rule.legal_basis.contains('条'), "{sector}: rule {} cites no article", rule.id);
        }
    }
}

#[test]
fn every_plugin_has_penalty_and_licence_kinds_with_chinese_schemas() {
    for sector in SECTORS_WITH_PLUGINS {
        let PluginStatus::Active(plugin) = plugins().get(sector) else { panic!("{sector} is not loaded") };
        let kinds: Vec<&str> = plugin.manifest.record_kinds.iter().map(|k| k.id.as_str()).collect();
        assert!(kinds.contains(&"penalty") && kinds.contains(&"licence"), "{sector}: {kinds:?}");
        assert!(kinds.len() >= 3, "{sector} has no record kind of its own: {kinds:?}");
        for k in &plugin.manifest.record_kinds {
            let title = k.schema["title"].as_str().unwrap_or_default();
            assert!(
                title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{sector}/{}: title {title:?}",
                k.id
            );
        }
        for t in &plugin.manifest.commitment_templates {
            assert!(t.fields_schema.is_object(), "{sector}/{}", t.id);
        }
        for t in &plugin.manifest.licence_types {
            assert!(
                plugin.manifest.commitment_templates.iter().any(|c| c.licence_type.as_deref() == Some(t)),
                "{sector}: no commitment template for licence type {t}"
            );
        }
    }
}

#[tokio::test]
async fn divisions_are_configuration_and_listed_with_their_sectors() {
    let host = TestHost::start(Db::Sqlite).await;
    let (status, divisions) = host.get("/api/v1/divisions").await;
    assert_eq!(status, 200);
    let owners = |sector: &str| -> Vec<String> {
        divisions
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["sectors"].as_array().unwrap().iter().any(|s| s == sector))
            .map(|d| d["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(owners("arts-heritage"), ["艺术处", "非物质文化遗产处", "公共文化处", "文化产业处"]);
    assert_eq!(owners("publishing"), ["出版（版权）管理处", "反非法和违禁出版处"]);
    assert_eq!(owners("broadcasting"), ["传媒管理处", "科技信息处"]);
    let (_, plugins) = host.get("/api/v1/plugins").await;
    let printing = plugins.as_array().unwrap().iter().find(|p| p["sector"] == "printing-distribution").unwrap();
    assert_eq!(printing["divisions"], serde_json::json!(["printing-distribution"]));
}

#[test]
fn a_broken_fixture_file_is_reported_and_the_others_still_run() {
    let dir = std::env::temp_dir().join(format!("credit-fixtures-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = root().join("plugins/broadcasting/fixtures");
    let good: Vec<_> = std::fs::read_dir(&source).unwrap().map(|e| e.unwrap().path()).collect();
    for p in &good {
        std::fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("aa-typo.json"),
        r#"{"description": "x", "request": {"as_of": "2026-11-30"}, "expectd": []}"#,
    )
    .unwrap();
    let PluginStatus::Active(plugin) = plugins().get("broadcasting") else { panic!("broadcasting is not loaded") };
    let results = run_fixtures(&plugin, &dir).unwrap();
    assert_eq!(results.len(), good.len() + 1);
    let broken = &results[0];
    assert!(broken.file.ends_with("aa-typo.json"));
    assert!(broken.outcome.as_ref().unwrap_err().starts_with("not a fixture"), "{:?}", broken.outcome);
    assert!(results[1..].iter().all(|r| r.outcome.is_ok()), "the other fixtures still pass");
    std::fs::remove_dir_all(&dir).unwrap();
}
