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
fn a_trap_and_a_stack_overflow_fail_the_call_naming_the_cause() {
    let p = hostile(&RuntimeConfig::default());
    let err = p.inspect(&request("trap")).unwrap_err();
    assert!(matches!(err, PluginFault::Trap { .. }), "{err}");
    assert!(err.to_string().contains("unreachable"), "{err}");
    // A Rust plugin's frames with buffers live on its shadow stack in linear
    // memory: overflowing it runs below address 0.
    let err = p.inspect(&request("stack")).unwrap_err();
    assert!(matches!(err, PluginFault::Trap { .. }), "{err}");
    assert!(err.to_string().contains("out of bounds memory access"), "{err}");
    // Frames without buffers exhaust the WebAssembly call stack.
    let err = p.inspect(&request("recursion")).unwrap_err();
    assert!(matches!(err, PluginFault::Trap { .. }), "{err}");
    assert!(err.to_string().contains("call stack exhausted"), "{err}");
    assert!(err.to_string().len() < 300, "no wasm backtrace in the cause: {err}");
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
}

#[test]
fn a_log_flood_is_cut_to_the_per_call_limit_and_the_answer_still_counts() {
    let p = hostile(&RuntimeConfig::default());
    let findings = p.inspect(&request("log-flood")).unwrap();
    assert_eq!(findings[0].message, "flooded");
    let limit = u64::from(credit_host::runtime::LOG_LINES_PER_CALL);
    assert_eq!(p.log_lines_dropped(), 100_000 - limit);
    assert_eq!(p.inspect(&request("fine")).unwrap().len(), 1);
    assert_eq!(p.log_lines_dropped(), 100_000 - limit, "a quiet call drops nothing");
}

#[test]
fn an_answer_that_breaks_the_interfaces_promises_is_invalid_output() {
    let p = hostile(&RuntimeConfig::default());
    let err = p.inspect(&request("bad-rule")).unwrap_err();
    assert!(matches!(err, PluginFault::InvalidOutput { .. }), "{err}");
    assert!(err.to_string().contains("\"not-in-the-catalogue\", which is not in the plugin's rule catalogue"), "{err}");
    let err = p.inspect(&request("bad-evidence")).unwrap_err();
    assert!(err.to_string().contains("\"no-such-record\", which is not a record of the request"), "{err}");
}

#[test]
fn an_input_over_the_limit_is_refused_before_the_plugin_runs() {
    let config = RuntimeConfig { max_input_bytes: 4_096, ..RuntimeConfig::default() };
    let p = hostile(&config);
    // `loop` would never return: the refusal comes before the call.
    let mut big = request("loop");
    big.subject.name = format!("loop{}", " ".repeat(5_000));
    let err = p.inspect(&big).unwrap_err();
    assert!(matches!(err, PluginFault::InputTooLarge { limit: 4_096, .. }), "{err}");
    assert!(err.to_string().contains("over the limit of 4096 bytes"), "{err}");
    let err = p.check_records("penalty", &["x".repeat(5_000)]).unwrap_err();
    assert!(matches!(err, PluginFault::InputTooLarge { .. }), "{err}");
}

/// A host whose cultural-market is the hostile plugin, with the bundled
/// publishing plugin beside it.
async fn hostile_host(config: RuntimeConfig) -> TestHost {
    let sectors = credit_host::config::DEFAULT_SECTORS.split(',').map(str::to_owned).collect();
    let plugins = Arc::new(Plugins::new(config, sectors).unwrap());
    let dir = plugin_dir("CREDIT_TEST_PLUGIN_DIR", "target/test-plugins");
    plugins.load("hostile", std::fs::read(dir.join("hostile.wasm")).unwrap()).await.unwrap();
    let bundled = plugin_dir("CREDIT_PLUGIN_DIR", "target/plugins");
    plugins.load("publishing", std::fs::read(bundled.join("publishing.wasm")).unwrap()).await.unwrap();
    TestHost::start_with(Db::Sqlite, plugins).await
}

fn check(name: &str) -> serde_json::Value {
    serde_json::json!({
        "subject": {"uscc": "91410104MA329GYC1F", "name": name}, "sector": "cultural-market",
        "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
    })
}

#[tokio::test]
async fn every_hostile_behaviour_has_its_problem_type_and_the_service_stays_up() {
    let config = RuntimeConfig {
        fuel_per_call: 50_000_000,
        max_memory_bytes: 16 << 20,
        max_input_bytes: 64 << 10,
        ..RuntimeConfig::default()
    };
    let host = hostile_host(config).await;
    let long_name = format!("x{}", "名".repeat(30_000));
    for (name, status, kind) in [
        ("loop", 502, "plugin-timeout"),
        ("oom", 502, "plugin-memory-limit"),
        ("panic", 502, "plugin-trap"),
        ("trap", 502, "plugin-trap"),
        ("stack", 502, "plugin-trap"),
        ("recursion", 502, "plugin-trap"),
        ("bad-rule", 502, "plugin-invalid-output"),
        ("bad-evidence", 502, "plugin-invalid-output"),
        ("refuse", 502, "plugin-refused"),
        (long_name.as_str(), 422, "plugin-input-too-large"),
    ] {
        let (got, body) = host.post("/api/v1/checks", &check(name)).await;
        let label = name.chars().take(12).collect::<String>();
        assert_eq!(got, status, "{label}: {body:#}");
        assert!(body["type"].as_str().unwrap().ends_with(&format!("/{kind}")), "{label}: {body:#}");
        assert!(body["detail"].as_str().unwrap().contains("cultural-market 6.6.6"), "{label}: {body:#}");
        // Never a pass: no outcome, no stored check.
        assert!(body.get("outcome").is_none(), "{label}: {body:#}");
        // The next call of the same plugin works.
        let (got, body) = host.post("/api/v1/checks", &check("fine")).await;
        assert_eq!(got, 201, "after {label}: {body:#}");
    }
}

/// The value of the series `name{labels}` in OpenMetrics `text`.
fn series(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().filter(|l| !l.starts_with('#')).find_map(|line| {
        let (head, value) = line.rsplit_once(' ')?;
        let (metric, rest) = head.split_once('{').unwrap_or((head, "}"));
        let all = labels.iter().all(|(k, v)| rest.contains(&format!("{k}=\"{v}\"")));
        (metric == name && all).then(|| value.parse().ok()).flatten()
    })
}

#[tokio::test]
async fn metrics_count_calls_by_result_with_latency_fuel_and_the_active_version() {
    let host = hostile_host(RuntimeConfig { fuel_per_call: 500_000_000, ..RuntimeConfig::default() }).await;
    for name in ["fine", "fine", "loop", "panic", "log-flood"] {
        host.post("/api/v1/checks", &check(name)).await;
    }
    let r = host.client.get(format!("{}/metrics", host.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = r.text().await.unwrap();
    let calls = |result: &str| {
        series(
            &text,
            "credit_plugin_calls_total",
            &[("sector", "cultural-market"), ("version", "6.6.6"), ("function", "inspect"), ("result", result)],
        )
    };
    assert_eq!(calls("ok"), Some(3.0), "{text}");
    assert_eq!(calls("timeout"), Some(1.0), "{text}");
    assert_eq!(calls("trap"), Some(1.0), "{text}");
    let count =
        series(&text, "credit_plugin_call_seconds_count", &[("sector", "cultural-market"), ("function", "inspect")]);
    assert_eq!(count, Some(5.0), "{text}");
    let fuel =
        series(&text, "credit_plugin_fuel_total", &[("sector", "cultural-market"), ("version", "6.6.6")]).unwrap();
    assert!(fuel >= 500_000_000.0, "the endless loop used all its fuel: {fuel}");
    let dropped = series(&text, "credit_plugin_log_lines_dropped_total", &[("sector", "cultural-market")]);
    assert_eq!(dropped, Some(100_000.0 - f64::from(credit_host::runtime::LOG_LINES_PER_CALL)));
    assert_eq!(
        series(&text, "credit_plugin_active", &[("sector", "cultural-market"), ("version", "6.6.6")]),
        Some(1.0)
    );
    assert_eq!(series(&text, "credit_plugin_active", &[("sector", "publishing")]), Some(1.0));
    assert_eq!(series(&text, "credit_plugin_slots_in_use", &[]), Some(0.0));
    assert_eq!(series(&text, "credit_plugin_slots", &[]), Some(32.0));
    // Anonymous scrapes are refused: metrics are for signed-in monitoring.
    assert_eq!(reqwest::get(format!("{}/metrics", host.base)).await.unwrap().status(), 401);
}

#[tokio::test]
async fn other_sectors_and_health_answer_while_a_hostile_call_runs() {
    let config = RuntimeConfig { fuel_per_call: u64::MAX / 2, timeout_ms: 2_000, ..RuntimeConfig::default() };
    let host = hostile_host(config).await;
    let (client, base) = (host.client.clone(), host.base.clone());
    let looping = tokio::spawn(async move {
        let r = client.post(format!("{base}/api/v1/checks")).json(&check("loop")).send().await.unwrap();
        r.status().as_u16()
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let health = reqwest::get(format!("{}/healthz", host.base)).await.unwrap();
    assert_eq!(health.status(), 200);
    let publishing = serde_json::json!({
        "subject": {"uscc": "91410104MA329GYC1F", "name": "某出版社"}, "sector": "publishing",
        "purpose": "supervision", "as_of": "2026-11-30"
    });
    let (status, body) = host.post("/api/v1/checks", &publishing).await;
    assert_eq!(status, 201, "{body:#}");
    assert!(!looping.is_finished(), "answered after {:?}, while the hostile call still ran", started.elapsed());
    assert_eq!(looping.await.unwrap(), 502);
    let (status, _) = host.post("/api/v1/checks", &check("fine")).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn a_stuck_sector_cannot_take_the_other_sectors_slots() {
    // 4 slots, 2 a sector: three endless loops in cultural-market hold its
    // two and the third is turned away; publishing still has its own.
    let config =
        RuntimeConfig { max_instances: 4, fuel_per_call: u64::MAX / 2, timeout_ms: 2_000, ..RuntimeConfig::default() };
    let host = hostile_host(config).await;
    let loops: Vec<_> = (0..3)
        .map(|_| {
            let (client, base) = (host.client.clone(), host.base.clone());
            tokio::spawn(async move {
                let r = client.post(format!("{base}/api/v1/checks")).json(&check("loop")).send().await.unwrap();
                (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap())
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let publishing = serde_json::json!({
        "subject": {"uscc": "91410104MA329GYC1F", "name": "某出版社"}, "sector": "publishing",
        "purpose": "supervision", "as_of": "2026-11-30"
    });
    let (status, body) = host.post("/api/v1/checks", &publishing).await;
    assert_eq!(status, 201, "publishing must keep its slots: {body:#}");
    let mut statuses = Vec::new();
    for l in loops {
        let (status, body) = l.await.unwrap();
        if status == 503 {
            assert!(
                body["detail"].as_str().unwrap().contains("all 2 plugin instance slots of this sector are busy"),
                "{body:#}"
            );
        }
        statuses.push(status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [502, 502, 503]);
}

#[test]
fn a_module_that_is_not_a_component_is_refused_with_a_reason() {
    let config = RuntimeConfig::default();
    let err = LoadedPlugin::load(&config.engine().unwrap(), &config, "junk", b"\0asm\x01\0\0\0").unwrap_err();
    assert!(err.to_string().contains("junk") && err.to_string().contains("not a valid component"), "{err}");
}
