//! The README's plugin walkthrough, run verbatim: the shell block under
//! "## Ship a new plugin version" goes to bash unchanged, in a scratch copy
//! of the repository (so its `sed -i` edits the copy), against a host
//! started the way `cargo xtask serve` starts it (demo accounts and keys,
//! sample data, the bundled plugins signed and active) on a free port.
//!
//! `credit-host` in the block is the host binary this checkout builds
//! (bash does not expand the block's `alias` line outside an interactive
//! shell, so the name resolves on `PATH`); `cargo xtask plugins` really
//! builds the edited plugin. The scratch copy's `target/` is
//! `target/walkthrough/target`, kept between runs.
//!
//! Passes when every line succeeds and the host ends where the block
//! leaves it: the new version kept, previewed, activated and rolled back.

use super::{cargo, run};
use anyhow::{Context, Result, bail, ensure};
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const HEADING: &str = "## Ship a new plugin version";

/// The first ```sh block after `heading` in `readme`.
fn readme_block(readme: &str, heading: &str) -> Result<String> {
    let start = readme.find(heading).with_context(|| format!("README has no heading {heading:?}"))?;
    let rest = &readme[start..];
    let open = rest.find("```sh\n").context("no ```sh block after the heading")? + "```sh\n".len();
    let len = rest[open..].find("\n```").context("the ```sh block is not closed")?;
    Ok(rest[open..open + len + 1].to_owned())
}

/// Copy the files git tracks or would track (not ignored ones) to `to`.
fn copy_checkout(root: &Path, to: &Path) -> Result<usize> {
    let out = Command::new("git")
        .current_dir(root)
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .output()
        .context("the walkthrough copies the checkout with git ls-files: is git installed?")?;
    ensure!(out.status.success(), "git ls-files failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut n = 0;
    for name in out.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let rel = Path::new(std::str::from_utf8(name)?);
        let src = root.join(rel);
        if !src.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))?;
        std::fs::copy(&src, &dest).with_context(|| format!("cannot copy {}", src.display()))?;
        n += 1;
    }
    Ok(n)
}

/// One HTTP/1.0 request to the host on `port`: status and body.
fn http(port: u16, method: &str, path: &str, token: Option<&str>, body: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let auth = token.map(|t| format!("authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nhost: 127.0.0.1\r\n{auth}content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).context("no HTTP status")?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Ok((status, body))
}

/// The host, killed when dropped.
struct Host(Child);

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A token of `credit-demo-tokens.env` (`export CREDIT_TOKEN_ROLE=…`).
fn demo_token(file: &Path, role: &str) -> Result<String> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let prefix = format!("export CREDIT_TOKEN_{role}=");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .map(str::to_owned)
        .with_context(|| format!("{} has no {role} token", file.display()))
}

/// Run the README walkthrough; fails naming the line's output when any
/// step does not do what the README says. `build_host`: build the host
/// binary first (`cargo xtask test` does not: `cargo test --workspace` has
/// just built it, for the host's CLI tests, with the features the tests
/// unify — a plain `cargo build -p credit-host` would compile a second
/// variant of a dozen dependencies).
pub fn run_readme(root: &Path, build_host: bool) -> Result<()> {
    let started = Instant::now();
    let block = readme_block(&std::fs::read_to_string(root.join("README.md"))?, HEADING)?;
    if build_host {
        run(cargo().current_dir(root).args(["build", "--quiet", "-p", "credit-host"]))?;
    }
    let host_bin = root.join("target/debug/credit-host");
    ensure!(host_bin.is_file(), "{} is missing: build it with cargo build -p credit-host", host_bin.display());
    let work = root.join("target/walkthrough");
    let scratch = work.join("repo");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    std::fs::create_dir_all(&scratch)?;
    let files = copy_checkout(root, &scratch)?;
    let target = work.join("target");
    std::fs::create_dir_all(&target)?;
    std::os::unix::fs::symlink(&target, scratch.join("target"))?;
    let bin = work.join("bin");
    std::fs::create_dir_all(&bin)?;
    let shim = bin.join("credit-host");
    let _ = std::fs::remove_file(&shim);
    std::os::unix::fs::symlink(&host_bin, &shim)?;
    eprintln!("walkthrough: {files} files copied to {}", scratch.display());

    // What `cargo xtask serve` does: build the plugins, then serve with
    // demo accounts, keys and the sample data.
    run(cargo().current_dir(&scratch).args(["xtask", "plugins"]))?;
    let port = free_port()?;
    let log = std::fs::File::create(work.join("host.log"))?;
    let host = Host(
        Command::new(&host_bin)
            .arg("serve")
            .current_dir(&scratch)
            .env("CREDIT_LISTEN", format!("127.0.0.1:{port}"))
            .env("CREDIT_DATABASE_URL", "sqlite:credit.db")
            .env("CREDIT_PLUGIN_DIR", "target/plugins")
            .env("CREDIT_SEED_DIR", "data/sample")
            .env("CREDIT_DEMO_ACCOUNTS", "true")
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("cannot start the host")?,
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while !matches!(http(port, "GET", "/healthz", None, ""), Ok((200, _))) {
        ensure!(Instant::now() < deadline, "the host did not answer within 2 minutes; see target/walkthrough/host.log");
        std::thread::sleep(Duration::from_millis(200));
    }
    // An inspector's checks, for the preview to replay: the README's
    // example and a subject without records.
    let tokens = scratch.join("credit-demo-tokens.env");
    let inspector = demo_token(&tokens, "INSPECTOR")?;
    for subject in [r#"{"uscc": "91410104MAN0NYBQX1"}"#, r#"{"uscc": "91410104MA329GYC1F"}"#] {
        let check = format!(
            r#"{{"subject": {subject}, "persons": [{{"role": "legal-representative", "id_number": "410104198405227240"}}],
                "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"}}"#
        );
        let (status, body) = http(port, "POST", "/api/v1/checks", Some(&inspector), &check)?;
        ensure!(status == 201, "a check failed: {status} {body}");
    }

    let script = work.join("walkthrough.sh");
    std::fs::write(&script, format!("set -euo pipefail\nset -x\n{block}"))?;
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("bash")
        .arg(&script)
        .current_dir(&scratch)
        .env("PATH", path)
        .env("CREDIT_SERVER", format!("http://127.0.0.1:{port}"))
        .stdin(Stdio::null())
        .output()
        .context("cannot run bash")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}{stdout}");
    if !out.status.success() {
        bail!("the README walkthrough failed ({}); the host's log is target/walkthrough/host.log", out.status);
    }
    for expected in [
        "cultural-market 0.1.1: kept",
        "status: staged",
        "0.1.1      staged",
        "2 checks, 2 replayed, 0 skipped",
        "drift (the active version no longer answers as it did when it stored the check): 0",
        "stored records 0.1.1 would reject: 0 of",
        "cultural-market: 0.1.0 → 0.1.1",
        "cultural-market: rolled back 0.1.1 → 0.1.0",
    ] {
        ensure!(stdout.contains(expected), "the walkthrough's output lacks {expected:?}");
    }
    // Where the block leaves the host: 0.1.0 serving, 0.1.1 kept.
    let admin = demo_token(&tokens, "ADMIN")?;
    let (status, body) = http(port, "GET", "/api/v1/plugins/cultural-market", Some(&admin), "")?;
    let v: serde_json::Value = serde_json::from_str(&body)?;
    ensure!(status == 200, "GET /api/v1/plugins/cultural-market: {status} {body}");
    ensure!(v["replica"]["version"] == "0.1.0", "0.1.0 should serve after the rollback: {v:#}");
    let actions: Vec<&str> =
        v["activations"].as_array().into_iter().flatten().filter_map(|a| a["action"].as_str()).collect();
    ensure!(actions == ["rollback", "activate", "activate"], "activations: {actions:?}");
    drop(host);
    eprintln!("walkthrough: the README's plugin walkthrough passed in {:.0?}", started.elapsed());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_the_first_sh_block_after_the_heading() {
        let readme = "# x\n```sh\nno\n```\n## Ship a new plugin version\ntext\n```sh\na\nb\n```\n```sh\nc\n```\n";
        assert_eq!(readme_block(readme, HEADING).unwrap(), "a\nb\n");
        assert!(readme_block("## Other\n```sh\na\n```\n", HEADING).is_err());
        assert!(readme_block("## Ship a new plugin version\n```sh\nopen", HEADING).is_err());
    }

    #[test]
    fn demo_tokens_are_read_by_role() {
        let dir = std::env::temp_dir().join(format!("xtask-tokens-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("t.env");
        std::fs::write(&file, "export CREDIT_TOKEN_ADMIN=crt_a\nexport CREDIT_TOKEN_INSPECTOR=crt_i\n").unwrap();
        assert_eq!(demo_token(&file, "INSPECTOR").unwrap(), "crt_i");
        assert!(demo_token(&file, "APPROVER").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
