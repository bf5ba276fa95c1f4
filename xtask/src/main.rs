//! Build tasks, run as `cargo xtask <task>`:
//!
//! - `plugins`: build every crate under `plugins/` for `wasm32-unknown-unknown`
//!   (installing the target with rustup if missing) and encode each as a
//!   component in `target/plugins/<sector>.wasm`;
//! - `serve`: build the plugins, then run the host on `sqlite:credit.db`
//!   (override with `CREDIT_DATABASE_URL`, address with `CREDIT_LISTEN`),
//!   importing `data/sample/` when the database is empty;
//! - `test`: build the plugins, then run every test of the workspace.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

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
        let dest = out_dir.join(format!("{}.wasm", c.trim_end_matches("-plugin")));
        std::fs::write(&dest, &component)?;
        eprintln!("plugin {c}: {} ({} bytes)", dest.display(), component.len());
    }
    Ok(out_dir)
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
        }
        _ => {
            eprintln!("usage: cargo xtask <plugins|serve|test> [args…]");
            std::process::exit(2);
        }
    }
    Ok(())
}
