//! A hostile plugin cannot hurt the host: each fault fails one call with the
//! plugin, version and cause, and the next call works.

use crate::util::{Db, TestHost, plugin_dir};
use credit_host::runtime::{LoadedPlugin, PluginFault, Plugins, RuntimeConfig, wit};
use std::sync::Arc;

fn request(name: &str) -> wit::InspectRequest {
    wit::InspectRequest {
        subject: wit::Subject {
            key: "91410104MA329GYC1F".into(),
            kind: wit::SubjectKind::Organisation,
            name: name.into(),
        },
        persons: Vec::new(),
        purpose: wit::Purpose::Licensing,
        licence_type: Some("internet-cafe".into()),
        as_of: "2026-11-30".into(),
        records: Vec::new(),
        list_entries: Vec::new(),
    }
}

fn hostile(config: &RuntimeConfig) -> LoadedPlugin {
    let bytes =
        std::fs::read(plugin_dir("CREDIT_TEST_PLUGIN_DIR", "target/test-plugins").join("hostile.wasm")).unwrap();
    LoadedPlugin::load(&config.engine().unwrap(), config, "hostile", &bytes).unwrap()
}

#[test]
fn endless_loop_runs_out_of_fuel_and_the_next_call_works() {
    let config = RuntimeConfig { fuel_per_call: 20_000_000, ..RuntimeConfig::default() };
    let p = hostile(&config);
    let err = p.inspect(&request("loop")).unwrap_err();
    assert!(matches!(err, PluginFault::OutOfFuel { fuel: 20_000_000, .. }), "{err}");
    assert!(err.to_string().contains("cultural-market 6.6.6"), "{err}");
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
}

#[test]
fn endless_loop_times_out_when_fuel_is_ample() {
    let config = RuntimeConfig { fuel_per_call: u64::MAX / 2, timeout_ms: 200, ..RuntimeConfig::default() };
    let p = hostile(&config);
    let err = p.inspect(&request("loop")).unwrap_err();
    assert!(matches!(err, PluginFault::Timeout { timeout_ms: 200, .. }), "{err}");
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
}

#[test]
fn runaway_allocation_hits_the_memory_cap() {
    let config = RuntimeConfig { max_memory_bytes: 16 << 20, ..RuntimeConfig::default() };
    let p = hostile(&config);
    let err = p.inspect(&request("oom")).unwrap_err();
    assert!(matches!(err, PluginFault::MemoryLimit { max_memory_bytes: 16_777_216, .. }), "{err}");
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
}

#[test]
fn a_panic_reaches_the_host_with_its_message() {
    let p = hostile(&RuntimeConfig::default());
    let err = p.inspect(&request("panic")).unwrap_err();
    assert!(matches!(err, PluginFault::Trap { .. }), "{err}");
    assert!(err.to_string().contains("hostile plugin panics on purpose"), "{err}");
    let err = p.inspect(&request("refuse")).unwrap_err();
    assert!(matches!(err, PluginFault::Refused { ref code, .. } if code == "refused"), "{err}");
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
}

#[tokio::test]
async fn a_failing_plugin_answers_502_naming_itself_and_other_checks_go_on() {
    let sectors = vec!["cultural-market".to_owned()];
    let plugins = Arc::new(
        Plugins::new(RuntimeConfig { fuel_per_call: 20_000_000, ..RuntimeConfig::default() }, sectors).unwrap(),
    );
    let bytes =
        std::fs::read(plugin_dir("CREDIT_TEST_PLUGIN_DIR", "target/test-plugins").join("hostile.wasm")).unwrap();
    plugins.load("hostile", bytes).await.unwrap();
    let host = TestHost::start_with(Db::Sqlite, plugins).await;
    let check = |name: &str| {
        serde_json::json!({
            "subject": {"uscc": "91410104MA329GYC1F", "name": name}, "sector": "cultural-market",
            "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
        })
    };
    let (status, body) = host.post("/api/v1/checks", &check("loop")).await;
    assert_eq!(status, 502, "{body:#}");
    assert!(body["detail"].as_str().unwrap().contains("cultural-market 6.6.6 ran out of fuel"), "{body:#}");
    let (status, body) = host.post("/api/v1/checks", &check("fine")).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["plugin"]["version"], "6.6.6");
}

#[test]
fn a_module_that_is_not_a_component_is_refused_with_a_reason() {
    let config = RuntimeConfig::default();
    let err = LoadedPlugin::load(&config.engine().unwrap(), &config, "junk", b"\0asm\x01\0\0\0").unwrap_err();
    assert!(err.to_string().contains("junk") && err.to_string().contains("not a valid component"), "{err}");
}
