//! Build tasks, run as `cargo xtask <task>`:
//!
//! - `plugins`: build every crate under `plugins/` for `wasm32-unknown-unknown`
//!   (installing the target with rustup if missing) and encode each as a
//!   component in `target/plugins/<sector>.wasm`;
//! - `serve`: build the plugins, then run the host on `sqlite:credit.db`
//!   (override with `CREDIT_DATABASE_URL`, address with `CREDIT_LISTEN`),
//!   importing `data/sample/` when the database is empty and creating one
//!   demo account per role (tokens in `credit-demo-tokens.env`) when it has
//!   no account;
//! - `test`: build the plugins, then run every test of the workspace, then
//!   (without test arguments) the README walkthrough;
//! - `walkthrough`: run the README's "Ship a new plugin version" block
//!   verbatim, with bash, against a host started as `cargo xtask serve`
//!   starts it, in a scratch copy of the repository: edit, build, test,
//!   sign, upload, list, preview, activate, roll back — the CLI alone;
//! - `bench-import [ROWS]`: import ROWS (default 100,000) penalty rows made
//!   from the sample file through `credit-host import` (release build, full
//!   validation, fresh SQLite database) and, in the same run, SQLite's own
//!   `.import` of the same file into a plain table; prints rows/s of both;
//! - `fuzz [SECS] [TARGET…]`: run the fuzz targets of `fuzz/` (default 600 s
//!   each) with `cargo fuzz` on stable (`--sanitizer none`).

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

mod walkthrough;

const TARGET: &str = "wasm32-unknown-unknown";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_owned()
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("cannot run {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let out = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match out {
        Ok(o) if String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == TARGET) => Ok(()),
        Ok(_) => {
            eprintln!("installing the {TARGET} target with rustup");
            run(Command::new("rustup").args(["target", "add", TARGET]))
        }
        Err(_) => {
            eprintln!("rustup not found: assuming the {TARGET} target is installed");
            Ok(())
        }
    }
}

/// The plugin crates: every directory under `dir` with a Cargo.toml.
fn plugin_crates(dir: &str) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join(dir))? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            names.push(path.file_name().expect("dir name").to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// Build the plugin crates under `src` (package name = directory name) into
/// components in `target/<out>/<name>.wasm`.
fn build_components(src: &str, out: &str) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let root = root();
    let crates: Vec<String> = plugin_crates(src)?
        .into_iter()
        .map(|dir| if src == "plugins" { dir } else { format!("{dir}-plugin") })
        .collect();
    for c in &crates {
        // A plugin crate is an `rlib` (for native tests); the component is
        // its `cdylib` build for the WebAssembly target.
        run(cargo().current_dir(&root).args([
            "rustc",
            "--quiet",
            "--lib",
            "-p",
            c,
            "--target",
            TARGET,
            "--profile",
            "plugin",
            "--crate-type",
            "cdylib",
        ]))?;
    }
    let out_dir = root.join("target").join(out);
    std::fs::create_dir_all(&out_dir)?;
    for c in &crates {
        let module_path = root.join(format!("target/{TARGET}/plugin/{}.wasm", c.replace('-', "_")));
        let module = std::fs::read(&module_path).with_context(|| format!("cannot read {}", module_path.display()))?;
        let component = wit_component::ComponentEncoder::default()
            .module(&module)
            .with_context(|| format!("{c}: not a module built with wit-bindgen"))?
            .validate(true)
            .encode()
            .with_context(|| format!("{c}: cannot encode the component"))?;
        let name = c.trim_end_matches("-plugin");
        let fixtures = embedded_fixtures(&root.join(src).join(name).join("fixtures"))?;
        let count = fixtures.as_ref().map_or(0, |(n, _)| *n);
        let mut component = component;
        if let Some((_, section)) = fixtures {
            append_custom_section(&mut component, FIXTURES_SECTION, &section);
        }
        let dest = out_dir.join(format!("{name}.wasm"));
        std::fs::write(&dest, &component)?;
        eprintln!("plugin {c}: {} ({} bytes, {count} fixtures embedded)", dest.display(), component.len());
    }
    Ok(out_dir)
}

/// The custom section a component carries its own fixtures in; the host
/// runs them before it keeps an upload (`credit_host::runtime::FIXTURES_SECTION`).
const FIXTURES_SECTION: &str = "credit-plugin-fixtures";

/// The fixtures of `dir` (`*.json`, sorted) as the section's JSON payload
/// `[{"file": "x.json", "fixture": {…}}]`, with their count; `None` without
/// a fixture directory.
fn embedded_fixtures(dir: &std::path::Path) -> Result<Option<(usize, Vec<u8>)>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut items = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)?;
        let fixture: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
        let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        items.push(serde_json::json!({"file": file, "fixture": fixture}));
    }
    Ok(Some((items.len(), serde_json::to_vec(&items)?)))
}

/// Append a custom section (id 0: LEB128 size, LEB128 name length, name,
/// payload) at the end of a component.
fn append_custom_section(component: &mut Vec<u8>, name: &str, payload: &[u8]) {
    fn leb128(out: &mut Vec<u8>, mut n: usize) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let mut body = Vec::new();
    leb128(&mut body, name.len());
    body.extend_from_slice(name.as_bytes());
    body.extend_from_slice(payload);
    component.push(0);
    leb128(component, body.len());
    component.extend_from_slice(&body);
}

fn build_plugins() -> Result<PathBuf> {
    build_components("plugins", "plugins")
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    match args.first().map(String::as_str) {
        Some("plugins") => {
            build_plugins()?;
        }
        Some("serve") => {
            let dir = build_plugins()?;
            let mut cmd = cargo();
            cmd.current_dir(&root).args(["run", "--quiet", "-p", "credit-host", "--", "serve"]);
            cmd.env("CREDIT_PLUGIN_DIR", &dir);
            if std::env::var_os("CREDIT_SEED_DIR").is_none() {
                cmd.env("CREDIT_SEED_DIR", root.join("data/sample"));
            }
            if std::env::var_os("CREDIT_DEMO_ACCOUNTS").is_none() {
                cmd.env("CREDIT_DEMO_ACCOUNTS", "true");
            }
            cmd.args(&args[1..]);
            run(&mut cmd)?;
        }
        Some("test") => {
            let dir = build_plugins()?;
            let test_dir = build_components("tests/plugins", "test-plugins")?;
            let mut cmd = cargo();
            cmd.current_dir(&root)
                .args(["test", "--workspace"])
                .env("CREDIT_PLUGIN_DIR", &dir)
                .env("CREDIT_TEST_PLUGIN_DIR", &test_dir);
            cmd.args(&args[1..]);
            run(&mut cmd)?;
            if args.len() == 1 {
                walkthrough::run_readme(&root, false)?;
            }
        }
        Some("walkthrough") => {
            walkthrough::run_readme(&root, true)?;
        }
        Some("bench-import") => {
            let rows: usize = args.get(1).map(|n| n.parse()).transpose()?.unwrap_or(100_000);
            bench_import(rows)?;
        }
        Some("fuzz") => {
            let secs: u64 = args.get(1).map(|n| n.parse()).transpose()?.unwrap_or(600);
            let only: Vec<&str> = args.iter().skip(2).map(String::as_str).collect();
            fuzz(secs, &only)?;
        }
        _ => {
            eprintln!("usage: cargo xtask <plugins|serve|test|walkthrough|bench-import|fuzz> [args…]");
            std::process::exit(2);
        }
    }
    Ok(())
}

/// The fuzz targets of `fuzz/` (see `fuzz/fuzz_targets/`).
const FUZZ_TARGETS: [&str; 4] = ["csv_upload", "xlsx_upload", "identifiers", "json_record"];

/// `fuzz [SECS] [TARGET…]`: run each fuzz target (or those named) for SECS
/// seconds with `cargo fuzz` on the stable toolchain (`--sanitizer none`),
/// from its seeds (`fuzz/seeds/<target>`, kept) and the corpus grown so far
/// (`fuzz/corpus/<target>`, not kept); a crash fails with the input saved
/// in `fuzz/artifacts/<target>/`.
fn fuzz(secs: u64, only: &[&str]) -> Result<()> {
    let root = root();
    if !Command::new("cargo").args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success()) {
        bail!("cargo-fuzz is missing: cargo install cargo-fuzz --locked");
    }
    for target in FUZZ_TARGETS.iter().filter(|t| only.is_empty() || only.contains(t)) {
        let corpus = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        let started = std::time::Instant::now();
        run(cargo()
            .current_dir(&root)
            .args(["fuzz", "run", "--sanitizer", "none", target])
            .arg(&corpus)
            .arg(root.join("fuzz/seeds").join(target))
            .args([
                "--",
                &format!("-max_total_time={secs}"),
                "-timeout=20",
                "-rss_limit_mb=4096",
                "-print_final_stats=1",
            ]))?;
        println!("fuzz {target}: {:.0} s without a crash", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// `bench-import`: the importer's rate beside SQLite's `.import`.
fn bench_import(rows: usize) -> Result<()> {
    let root = root();
    let plugins = build_plugins()?;
    run(cargo().current_dir(&root).args(["build", "--release", "--quiet", "-p", "credit-host"]))?;
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir)?;
    // The sample penalties, repeated with a new decision number per row.
    let sample = std::fs::read_to_string(root.join("data/sample/penalties-cultural-market.csv"))?;
    let mut lines = sample.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().context("empty sample")?;
    let number_at = header.split(',').position(|h| h == "行政处罚决定书文号").context("no 文号 column")?;
    let body: Vec<&str> = lines.collect();
    let mut csv = String::from(header);
    csv.push('\n');
    for i in 0..rows {
        // The sample has no quoted commas before the 文号 column.
        let mut cells: Vec<String> = body[i % body.len()].splitn(number_at + 2, ',').map(str::to_owned).collect();
        cells[number_at] = format!("基准罚字〔2026〕{i}号");
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    let file = dir.join(format!("penalties-{rows}.csv"));
    std::fs::write(&file, csv)?;

    let plain = dir.join("plain.db");
    let _ = std::fs::remove_file(&plain);
    let started = std::time::Instant::now();
    run(Command::new("sqlite3").arg(&plain).args(["-cmd", ".mode csv", &format!(".import {} plain", file.display())]))?;
    let sqlite = started.elapsed().as_secs_f64();

    let db = dir.join("credit.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let host = root.join("target/release/credit-host");
    // Peak memory of the import, where GNU time is installed.
    let time = std::path::Path::new("/usr/bin/time");
    let peak = dir.join("peak-kib");
    let mut import = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&peak).arg(&host);
        c
    } else {
        Command::new(&host)
    };
    let started = std::time::Instant::now();
    run(import
        .args(["import"])
        .arg(&file)
        .args(["--sector", "cultural-market", "--kind", "penalty"])
        .env("CREDIT_DATABASE_URL", format!("sqlite:{}", db.display()))
        .env("CREDIT_PLUGIN_DIR", &plugins)
        .env("RUST_LOG", "warn"))?;
    let ours = started.elapsed().as_secs_f64();
    let rate = |s: f64| rows as f64 / s;
    println!("rows: {rows}");
    println!("sqlite3 .import (plain table):   {sqlite:8.2} s  {:>10.0} rows/s", rate(sqlite));
    println!("credit-host import (validated):  {ours:8.2} s  {:>10.0} rows/s", rate(ours));
    println!("ratio: {:.3} of SQLite's rate (target: at least 0.25)", rate(ours) / rate(sqlite));
    if let Ok(kib) = std::fs::read_to_string(&peak) {
        println!("credit-host import peak memory: {} MiB", kib.trim().parse::<u64>().unwrap_or(0) / 1024);
    }
    Ok(())
}
