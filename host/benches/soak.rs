//! Soak benchmark of hot swap: checks at an open-loop rate of half the
//! measured maximum while an administrator activates already-staged
//! versions again and again; then while a new upload compiles.
//!
//! Reports: the maximum rate (closed loop), then for each phase the number
//! of requests, failures, median and p99 latency (measured from each
//! request's scheduled start, so a stall is not hidden by the load
//! generator waiting), the ratio of the p99s, and resident memory after 10
//! and after all activations, then after as long again without any: the
//! stored checks (each with its replay input) grow SQLite's page caches and
//! the allocator's arenas whether or not anything is activated, and that
//! last phase shows how much. Needs the built plugins
//! (`cargo xtask plugins` and the hostile test plugin: `cargo xtask test`
//! builds both, or `cargo xtask plugins` plus `target/test-plugins/`).
//!
//! ```sh
//! cargo bench -p credit-host --bench soak                 # 1,000 activations
//! SOAK_ACTIVATIONS=100 cargo bench -p credit-host --bench soak
//! ```
//!
//! The host runs in this process (same binary, same runtime settings as
//! `credit-host serve`) on a fresh SQLite database, and the two staged
//! versions are the bundled cultural-market plugin and the hostile test
//! plugin (whose ordinary answer is one finding), both signed.

use credit_host::access::Role;
use credit_host::api::{NewAccount, create_account};
use credit_host::privacy::PersonalDataKeys;
use credit_host::runtime::signing::KeyFile;
use credit_host::runtime::{Plugins, RuntimeConfig, sha256_hex};
use credit_host::store::Store;
use credit_host::{AppState, app};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").to_owned()
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; build the plugins first (cargo xtask test)", path.display()))
}

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

struct Phase {
    ok: usize,
    failed: usize,
    micros: Vec<f64>,
}

impl Phase {
    fn quantile(&self, q: f64) -> f64 {
        if self.micros.is_empty() {
            return f64::NAN;
        }
        let mut v = self.micros.clone();
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    }

    fn report(&self, name: &str) {
        println!(
            "{name:<28} requests {:>6}  failed {:>3}  median {:>7.0} µs  p99 {:>8.0} µs",
            self.ok + self.failed,
            self.failed,
            self.quantile(0.5),
            self.quantile(0.99)
        );
    }
}

fn check_body() -> serde_json::Value {
    serde_json::json!({
        "subject": {"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"},
        "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe",
        "as_of": "2026-11-30"
    })
}

/// Closed loop with `workers` clients for `secs`: checks per second.
async fn max_rate(client: &reqwest::Client, url: &str, workers: usize, secs: u64) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (client, url) = (client.clone(), url.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                if let Ok(r) = client.post(&url).json(&check_body()).send().await
                    && r.status().is_success()
                    && r.bytes().await.is_ok()
                {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("worker");
    }
    total as f64 / secs as f64
}

/// Open loop at `rate` checks per second until `stop` is set: each request
/// starts at its scheduled time whatever the others do.
async fn open_loop(client: reqwest::Client, url: String, rate: f64, stop: Arc<std::sync::atomic::AtomicBool>) -> Phase {
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    // Results come back through a channel: holding a handle per request
    // would grow this process's memory with the run.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(bool, f64)>();
    let mut i = 0u32;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let scheduled = start + interval * i;
        tokio::time::sleep_until(scheduled.into()).await;
        let (client, url, tx) = (client.clone(), url.clone(), tx.clone());
        tokio::spawn(async move {
            let r = client.post(&url).json(&check_body()).send().await;
            let ok = match r {
                Ok(r) => r.status().as_u16() == 201 && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            let _ = tx.send((ok, scheduled.elapsed().as_secs_f64() * 1e6));
        });
        i += 1;
    }
    drop(tx);
    let mut phase = Phase { ok: 0, failed: 0, micros: Vec::new() };
    while let Some((ok, us)) = rx.recv().await {
        if ok {
            phase.ok += 1;
            phase.micros.push(us);
        } else {
            phase.failed += 1;
        }
    }
    phase
}

/// Run `load` while `during` runs (and for at least `min`), then stop it.
async fn under_load<F: std::future::Future<Output = T>, T>(
    client: &reqwest::Client,
    url: &str,
    rate: f64,
    min: Duration,
    during: F,
) -> (Phase, T) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = tokio::spawn(open_loop(client.clone(), url.to_owned(), rate, stop.clone()));
    let started = Instant::now();
    let out = during.await;
    if let Some(rest) = min.checked_sub(started.elapsed()) {
        tokio::time::sleep(rest).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (load.await.expect("load"), out)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    let activations: usize = std::env::var("SOAK_ACTIVATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let dir = std::env::temp_dir().join(format!("credit-soak-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let store = Store::connect(&format!("sqlite:{}", dir.join("soak.db").display())).await.expect("store");
        let sectors = credit_host::config::DEFAULT_SECTORS.split(',').map(str::to_owned).collect();
        let plugins = Arc::new(Plugins::new(RuntimeConfig::default(), sectors).expect("runtime"));
        let mut state = AppState::new(store, plugins, PersonalDataKeys::new("soak-hash", "soak-enc"));
        state.set_check_rate(u32::MAX);
        let admin = create_account(
            &state,
            &NewAccount {
                id: "soak-admin".into(),
                name: "soak".into(),
                unit: "administration".into(),
                roles: vec![Role::Administrator.as_str().into()],
            },
            "bench",
        )
        .await
        .expect("admin")
        .token;
        let inspector = create_account(
            &state,
            &NewAccount {
                id: "soak-inspector".into(),
                name: "soak".into(),
                unit: "cultural-market".into(),
                roles: vec![Role::Inspector.as_str().into()],
            },
            "bench",
        )
        .await
        .expect("inspector")
        .token;
        let key = KeyFile::generate("soak-key", "cultural-market").expect("key");
        state.store.register_plugin_key(&key.key_id, &key.unit, &key.public_key, "bench").await.expect("key");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app(state)).await.expect("serve") });

        let headers = |token: &str| {
            let mut h = reqwest::header::HeaderMap::new();
            h.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().expect("header"));
            h
        };
        let admin = reqwest::Client::builder().default_headers(headers(&admin)).build().expect("client");
        let client = reqwest::Client::builder()
            .default_headers(headers(&inspector))
            .pool_max_idle_per_host(256)
            .build()
            .expect("client");
        let upload = |bytes: Vec<u8>, version: &str, activate: bool| {
            let sig = key.sign("cultural-market", version, &sha256_hex(&bytes)).expect("sign").to_header();
            admin
                .put(format!("{base}/api/v1/admin/plugins/cultural-market?activate={activate}"))
                .header(credit_host::runtime::signing::SIGNATURE_HEADER, sig)
                .body(bytes)
                .send()
        };
        let bundled = read(root().join("target/plugins/cultural-market.wasm"));
        let hostile = read(root().join("target/test-plugins/hostile.wasm"));
        let bundled_version = {
            let config = RuntimeConfig::default();
            credit_host::runtime::LoadedPlugin::load(&config.engine().expect("engine"), &config, "b", &bundled)
                .expect("bundled plugin")
                .manifest
                .version
        };
        let r = upload(bundled.clone(), &bundled_version, true).await.expect("upload");
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
        let r = upload(hostile.clone(), "6.6.6", false).await.expect("upload");
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
        let url = format!("{base}/api/v1/checks");

        let max = max_rate(&client, &url, 16, 5).await;
        let rate = max / 2.0;
        println!("maximum (closed loop, 16 clients, 5 s): {max:.0} checks/s; open-loop rate: {rate:.0}/s");

        let (baseline, ()) = under_load(&client, &url, rate, Duration::from_secs(10), async {}).await;
        baseline.report("without activations");

        let versions = [bundled_version.as_str(), "6.6.6"];
        let activate = |n: usize| {
            let admin = admin.clone();
            let base = base.clone();
            let version = versions[n % 2].to_owned();
            async move {
                let r = admin
                    .post(format!("{base}/api/v1/admin/plugins/cultural-market/activate"))
                    .json(&serde_json::json!({"version": version}))
                    .send()
                    .await
                    .expect("activate");
                assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
            }
        };
        let before = rss_kib();
        let mut after_10 = 0;
        let mut samples = Vec::new();
        let started = Instant::now();
        let (during, ()) = under_load(&client, &url, rate, Duration::from_secs(5), async {
            for n in 1..=activations {
                activate(n).await;
                if n == 10 {
                    after_10 = rss_kib();
                }
                if n % (activations / 5).max(1) == 0 {
                    samples.push((n, rss_kib()));
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        let activating = started.elapsed();
        let after_all = rss_kib();
        during.report(&format!("during {activations} activations"));

        // The same load for as long again, without activations: what the
        // stored checks alone add to this process's memory.
        let (control, ()) = under_load(&client, &url, rate, activating, async {}).await;
        let after_control = rss_kib();
        control.report("as long again, without");

        // A new version compiling while checks run: the same component with
        // one more custom section is another sha256, so it compiles afresh.
        let mut fresh = hostile.clone();
        fresh.extend_from_slice(&[0, 6, 5, b's', b'o', b'a', b'k', b'!']);
        let (compiling, status) = under_load(&client, &url, rate, Duration::from_secs(5), async {
            upload(fresh, "6.6.6", false).await.map(|r| r.status().as_u16())
        })
        .await;
        compiling.report("while an upload compiles");
        println!("  (that upload answered {:?}: 409, the version number is taken, after compiling)", status.ok());

        println!("p99 during activations / without: {:.2}", during.quantile(0.99) / baseline.quantile(0.99));
        let growth = |a: u64, b: u64| (b as f64 / a.max(1) as f64 - 1.0) * 100.0;
        println!("resident memory, KiB:");
        let line = |name: &str, rss: u64| println!("  {name:<26} {rss:>8}");
        line("before activations", before);
        line("after 10 activations", after_10);
        for (n, m) in &samples {
            line(&format!("after {n}"), *m);
        }
        line("as long again, without", after_control);
        println!(
            "after {activations} activations vs after 10: {:+.1}%; the same time without activations then adds {:+.1}%",
            growth(after_10, after_all),
            growth(after_all, after_control),
        );
        println!("failed requests: {}", baseline.failed + during.failed + compiling.failed + control.failed);
        let _ = std::fs::remove_dir_all(&dir);
    });
}
