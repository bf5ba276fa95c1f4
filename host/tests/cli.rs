//! The `credit-host` command line, run as a user runs it (the one
//! integration-test binary of this crate; it also has cargo build the
//! binary that `cargo xtask test`'s README walkthrough runs).

use std::process::Command;

fn credit_host() -> Command {
    Command::new(env!("CARGO_BIN_EXE_credit-host"))
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("credit-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn keygen_writes_a_key_file_only_its_owner_reads_and_refuses_a_bad_id() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("keygen");
    let file = dir.join("market.key.json");
    let out = credit_host()
        .args(["plugin", "keygen", "--id", "market-2027", "--unit", "cultural-market", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let key = credit_host::runtime::signing::KeyFile::read(&file).unwrap();
    assert_eq!((key.key_id.as_str(), key.unit.as_str()), ("market-2027", "cultural-market"));
    assert!(stdout.contains(&format!("public key: {}", key.public_key)), "{stdout}");
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);

    let bad = dir.join("bad.key.json");
    let out = credit_host()
        .args(["plugin", "keygen", "--id", "../escape", "--unit", "cultural-market", "--out"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("invalid key id \"../escape\""), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!bad.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_server_address_that_is_not_a_url_exits_2_saying_what_to_write() {
    let out = credit_host()
        .args(["plugin", "list"])
        .env("CREDIT_SERVER", "127.0.0.1:8080")
        .env("CREDIT_TOKEN", "crt_x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("must be a URL such as http://127.0.0.1:8080"), "{stderr}");
}

#[test]
fn an_unreachable_host_is_an_error_naming_the_server_option() {
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = credit_host()
        .args(["plugin", "preview", "cultural-market", "1.0.0"])
        .env("CREDIT_SERVER", format!("http://127.0.0.1:{port}"))
        .env("CREDIT_TOKEN", "crt_x")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot reach the host"), "{stderr}");
}
