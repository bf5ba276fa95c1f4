//! Plugin administration over HTTP: signed uploads are validated and kept,
//! activation and rollback swap versions between checks, revoked keys and
//! bad uploads change nothing, and the active version survives a restart.
//!
//! Each test has its own plugin runtime: activations here must not swap the
//! plugins other tests share.

use crate::util::{Db, TestHost, client_with, databases, plugin_dir};
use credit_host::access::Role;
use credit_host::runtime::signing::{KeyFile, SIGNATURE_HEADER};
use credit_host::runtime::{Plugins, RuntimeConfig};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use std::sync::Arc;

const SECTOR: &str = "cultural-market";

fn component(dir_var: &str, dir: &str, name: &str) -> Vec<u8> {
    std::fs::read(plugin_dir(dir_var, dir).join(format!("{name}.wasm"))).unwrap()
}

/// The bundled cultural-market plugin.
fn bundled() -> Vec<u8> {
    component("CREDIT_PLUGIN_DIR", "target/plugins", SECTOR)
}

/// The hostile test plugin: it claims cultural-market, version 6.6.6.
fn hostile() -> Vec<u8> {
    component("CREDIT_TEST_PLUGIN_DIR", "target/test-plugins", "hostile")
}

/// `bytes` with a custom section appended: the same component (same
/// manifest, same version) with another sha256.
fn with_custom_section(bytes: &[u8]) -> Vec<u8> {
    with_section(bytes, "e2e-padding", b"different bytes, same version")
}

/// `bytes` with custom section `name` appended (id 0, LEB128 sizes).
fn with_section(bytes: &[u8], name: &str, payload: &[u8]) -> Vec<u8> {
    fn leb128(out: &mut Vec<u8>, mut n: usize) {
        loop {
            let byte = u8::try_from(n & 0x7f).unwrap();
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
    let mut out = bytes.to_vec();
    out.push(0);
    leb128(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

/// The hostile plugin carrying one fixture that expects `outcome` from its
/// "fine" branch (which answers rule `ok`, `standard`).
fn hostile_with_fixture(outcome: &str) -> Vec<u8> {
    let fixture = json!([{"file": "fine.json", "fixture": {
        "description": "正常主体",
        "request": {
            "subject": {"key": "91410104MA329GYC1F", "kind": "organisation", "name": "fine"},
            "persons": [], "purpose": "licensing", "licence_type": "internet-cafe",
            "as_of": "2026-11-30", "records": []
        },
        "expected": [{"rule_id": "ok", "outcome": outcome}]
    }}]);
    with_section(&hostile(), credit_host::runtime::FIXTURES_SECTION, &serde_json::to_vec(&fixture).unwrap())
}

/// The version the bundled cultural-market plugin declares.
fn bundled_version() -> String {
    match crate::util::plugins().get(SECTOR) {
        credit_host::runtime::PluginStatus::Active(p) => p.manifest.version.clone(),
        other => panic!("{other:?}"),
    }
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A host with its own runtime (cultural-market and publishing, nothing
/// loaded), an administrator client, and the cultural-market division's key
/// registered.
struct Admin {
    host: TestHost,
    admin: reqwest::Client,
    key: KeyFile,
}

/// A runtime for the bureau's sectors with nothing loaded.
fn fresh_runtime(config: RuntimeConfig) -> Arc<Plugins> {
    let sectors = credit_host::config::DEFAULT_SECTORS.split(',').map(str::to_owned).collect();
    Arc::new(Plugins::new(config, sectors).unwrap())
}

async fn admin_host(db: Db, allow_unsigned: bool) -> Admin {
    admin_host_with(db, allow_unsigned, RuntimeConfig::default()).await
}

async fn admin_host_with(db: Db, allow_unsigned: bool, config: RuntimeConfig) -> Admin {
    let host =
        TestHost::start_configured(db, fresh_runtime(config), |s| s.allow_unsigned_plugins = allow_unsigned).await;
    admin_on(host).await
}

/// An administrator and the cultural-market key on `host`.
async fn admin_on(host: TestHost) -> Admin {
    let token = host.account("plugin-admin", "administration", &[Role::Administrator]).await;
    let admin = client_with(Some(&token));
    let key = KeyFile::generate("market-2026", SECTOR).unwrap();
    let r = admin
        .post(format!("{}/api/v1/admin/keys", host.base))
        .json(&json!({"id": key.key_id, "unit": key.unit, "public_key": key.public_key}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    Admin { host, admin, key }
}

impl Admin {
    /// PUT a component with an optional signature header; status and body.
    async fn upload(&self, sector: &str, query: &str, bytes: Vec<u8>, signature: Option<String>) -> (u16, Value) {
        let mut req = self
            .admin
            .put(format!("{}/api/v1/admin/plugins/{sector}{query}", self.host.base))
            .header("content-type", "application/wasm")
            .body(bytes);
        if let Some(sig) = signature {
            req = req.header(SIGNATURE_HEADER, sig);
        }
        let r = req.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// Upload `bytes` as `version` of `sector`, signed with the division key.
    async fn upload_signed(&self, sector: &str, version: &str, query: &str, bytes: Vec<u8>) -> (u16, Value) {
        let sig = self.key.sign(sector, version, &sha256(&bytes)).unwrap().to_header();
        self.upload(sector, query, bytes, Some(sig)).await
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.admin.post(format!("{}{path}", self.host.base)).json(body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn versions(&self) -> Value {
        self.host.get(&format!("/api/v1/plugins/{SECTOR}")).await.1
    }

    /// The plugin version that answers a check now.
    async fn checked_by(&self) -> String {
        let check = json!({
            "subject": {"uscc": "91410104MA329GYC1F", "name": "fine"}, "sector": SECTOR,
            "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
        });
        let (status, body) = self.host.post("/api/v1/checks", &check).await;
        assert_eq!(status, 201, "{body:#}");
        body["plugin"]["version"].as_str().unwrap().to_owned()
    }
}

fn status_of<'a>(versions: &'a Value, version: &str) -> (&'a str, Vec<&'a str>) {
    let v = versions["versions"].as_array().unwrap().iter().find(|v| v["version"] == version).unwrap();
    (v["status"].as_str().unwrap(), v["flags"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect())
}

#[tokio::test]
async fn a_signed_version_is_staged_activated_rolled_back_and_survives_a_restart() {
    for db in databases() {
        let a = admin_host(db, false).await;
        // Nothing loaded yet: the sector answers 503.
        let r = a.host.get(&format!("/api/v1/plugins/{SECTOR}")).await.1;
        assert_eq!(r["replica"]["status"], "failed", "{r:#}");

        let bundled = bundled();
        let first = bundled_version();
        let (status, body) = a.upload_signed(SECTOR, &first, "?activate=true", bundled.clone()).await;
        assert_eq!(status, 201, "{db:?} {body:#}");
        assert_eq!(body["version"]["version"], first);
        assert_eq!(body["version"]["status"], "active");
        assert_eq!(body["version"]["signer_key_id"], "market-2026");
        assert_eq!(body["version"]["sha256"], sha256(&bundled));
        assert_eq!(body["version"]["interface_version"], "0.1.0");
        assert_eq!(body["version"]["uploaded_by"], "plugin-admin");
        assert_eq!(body["activation"]["previous_version"], Value::Null);
        assert_eq!(a.checked_by().await, first);
        // The list of every sector carries each one's kept versions too.
        let all = a.host.get("/api/v1/plugins").await.1;
        let market = all.as_array().unwrap().iter().find(|p| p["sector"] == SECTOR).unwrap();
        let listed: Vec<(&str, &str)> = market["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["version"].as_str().unwrap(), v["status"].as_str().unwrap()))
            .collect();
        assert_eq!(listed, [(first.as_str(), "active")]);
        let publishing = all.as_array().unwrap().iter().find(|p| p["sector"] == "publishing").unwrap();
        assert_eq!(publishing["versions"], json!([]));

        // The hostile plugin as a staged 6.6.6: checks still use the first.
        // It drops the record kinds the bundled plugin offers: warned.
        let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile()).await;
        assert_eq!(status, 201, "{body:#}");
        assert_eq!(body["version"]["status"], "staged");
        let warnings = body["warnings"].as_array().unwrap();
        assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("drops record kind \"penalty\"")), "{body:#}");
        assert!(
            warnings.iter().any(|w| w.as_str().unwrap().contains("drops licence type \"entertainment-venue\"")),
            "{body:#}"
        );
        assert_eq!(body["version"]["flags"], json!(["no-fixtures"]));
        assert_eq!(body["activation"], Value::Null);
        assert_eq!(a.checked_by().await, first);
        // The same bytes again change nothing.
        let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile()).await;
        assert_eq!((status, &body["created"]), (200, &json!(false)), "{body:#}");

        let (status, body) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "6.6.6"})).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(
            (body["version"].as_str(), body["previous_version"].as_str()),
            (Some("6.6.6"), Some(first.as_str()))
        );
        assert_eq!(a.checked_by().await, "6.6.6");
        let v = a.versions().await;
        assert_eq!(status_of(&v, "6.6.6").0, "active");
        assert_eq!(status_of(&v, &first).0, "retired");
        assert_eq!(v["replica"]["version"], "6.6.6");

        let (status, body) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/rollback"), &json!({})).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["version"].as_str(), body["action"].as_str()), (Some(first.as_str()), Some("rollback")));
        assert_eq!(a.checked_by().await, first);
        let v = a.versions().await;
        let actions: Vec<_> =
            v["activations"].as_array().unwrap().iter().map(|x| x["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["rollback", "activate", "activate"]);
        // A second rollback would undo the first activation: nothing before it.
        let (status, body) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/rollback"), &json!({})).await;
        assert_eq!(status, 409, "{body:#}");
        assert_eq!(a.checked_by().await, first);
        // Activating the active version changes nothing.
        let (status, body) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": first})).await;
        assert_eq!((status, &body["unchanged"]), (200, &json!(true)), "{body:#}");

        // Activate 6.6.6 again, then "restart": a new runtime loads the
        // active version from the database alone.
        let (status, _) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "6.6.6"})).await;
        assert_eq!(status, 200);
        let restarted = fresh_runtime(RuntimeConfig::default());
        let decided = credit_host::api::load_active_plugins(&a.host.state.store, &restarted, None).await.unwrap();
        assert_eq!(decided, [SECTOR]);
        match restarted.get(SECTOR) {
            credit_host::runtime::PluginStatus::Active(p) => assert_eq!(p.manifest.version, "6.6.6"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(restarted.get("publishing"), credit_host::runtime::PluginStatus::NotLoaded(_)));

        // The audit trail names each change.
        let audit = a.admin.get(format!("{}/api/v1/audit", a.host.base)).send().await.unwrap();
        let audit: Value = audit.json().await.unwrap();
        let actions: Vec<_> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        for action in ["key.register", "plugin.upload", "plugin.activate", "plugin.rollback"] {
            assert!(actions.contains(&action), "{action} not in {actions:?}");
        }
    }
}

#[tokio::test]
async fn an_upload_that_fails_validation_is_422_naming_why_and_changes_nothing() {
    for db in databases() {
        let a = admin_host(db, false).await;
        let bundled = bundled();
        let sha = sha256(&bundled);
        let version = bundled_version();
        // (what, body, signature header, error code, the detail says)
        type Case<'a> = (&'a str, Vec<u8>, Option<String>, &'a str, &'a str);
        let cases: Vec<Case> = vec![
            ("no signature", bundled.clone(), None, "signature-missing", "CREDIT_ALLOW_UNSIGNED_PLUGINS"),
            ("malformed", bundled.clone(), Some("market-2026".into()), "signature-malformed", "KEY_ID:BASE64"),
            (
                "unknown key",
                bundled.clone(),
                Some(KeyFile::generate("nobody", SECTOR).unwrap().sign(SECTOR, &version, &sha).unwrap().to_header()),
                "key-unknown",
                "not registered",
            ),
            (
                "signed for another version",
                bundled.clone(),
                Some(a.key.sign(SECTOR, "9.9.9", &sha).unwrap().to_header()),
                "signature-invalid",
                "does not verify",
            ),
            (
                "signed over other bytes",
                bundled.clone(),
                Some(a.key.sign(SECTOR, &version, &sha256(b"other")).unwrap().to_header()),
                "signature-invalid",
                "does not verify",
            ),
            (
                "not a component",
                b"\0asm\x01\0\0\0".to_vec(),
                Some(a.key.sign(SECTOR, &version, &sha).unwrap().to_header()),
                "plugin-invalid",
                "not a valid component",
            ),
        ];
        for (what, bytes, sig, code, says) in cases {
            let (status, body) = a.upload(SECTOR, "?activate=true", bytes, sig).await;
            assert_eq!(status, 422, "{what}: {body:#}");
            assert_eq!(body["errors"][0]["code"], code, "{what}: {body:#}");
            assert!(body["detail"].as_str().unwrap().contains(says), "{what}: {body:#}");
            assert!(body["detail"].as_str().unwrap().contains("nothing was stored"), "{what}: {body:#}");
        }
        // A cultural-market component uploaded as publishing.
        let (status, body) = a.upload_signed("publishing", "1.0.0", "", bundled.clone()).await;
        assert_eq!((status, &body["errors"][0]["code"]), (422, &json!("sector-mismatch")), "{body:#}");
        // A key of another division may not sign cultural-market.
        let other = KeyFile::generate("publishing-2026", "publishing").unwrap();
        let (status, _) = a
            .post(
                "/api/v1/admin/keys",
                &json!({"id": other.key_id, "unit": other.unit, "public_key": other.public_key}),
            )
            .await;
        assert_eq!(status, 201);
        let (status, body) =
            a.upload(SECTOR, "", bundled.clone(), Some(other.sign(SECTOR, &version, &sha).unwrap().to_header())).await;
        assert_eq!((status, &body["errors"][0]["code"]), (422, &json!("key-not-for-sector")), "{body:#}");
        // Unknown sector.
        let (status, _) = a.upload_signed("no-such-sector", "1.0.0", "", bundled.clone()).await;
        assert_eq!(status, 404);
        // Nothing was kept, nothing is active.
        let v = a.versions().await;
        assert_eq!(v["versions"], json!([]), "{v:#}");
        assert_eq!(v["replica"]["status"], "failed");

        // A valid upload, then other bytes under the same version: 409.
        let (status, _) = a.upload_signed(SECTOR, &version, "", bundled.clone()).await;
        assert_eq!(status, 201);
        let (status, body) = a.upload_signed(SECTOR, &version, "", with_custom_section(&bundled)).await;
        assert_eq!(status, 409, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("frozen"), "{body:#}");
        assert_eq!(a.versions().await["versions"].as_array().unwrap().len(), 1);
        // Nothing to roll back to, an unknown version to activate.
        let (status, _) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/rollback"), &json!({})).await;
        assert_eq!(status, 409);
        let (status, _) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "0.0.9"})).await;
        assert_eq!(status, 404);
        let (status, body) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"versoin": "1"})).await;
        assert_eq!(status, 422, "{body:#}");
    }
}

#[tokio::test]
async fn an_upload_runs_the_fixtures_it_carries_and_is_refused_when_one_fails() {
    let a = admin_host(Db::Sqlite, false).await;
    // The bundled plugin carries its fixtures (cargo xtask plugins embeds them).
    let embedded = credit_host::runtime::embedded_fixtures(&bundled()).unwrap().expect("fixtures embedded");
    let on_disk = std::fs::read_dir(crate::util::root().join("plugins/cultural-market/fixtures")).unwrap().count();
    assert_eq!(embedded.len(), on_disk);
    let (status, body) = a.upload_signed(SECTOR, &bundled_version(), "", bundled()).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["fixtures_passed"], on_disk);

    let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile_with_fixture("restricted")).await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(body["errors"][0]["code"], "fixture-failed");
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("1 of the component's 1 fixtures fail") && detail.contains("fine.json"), "{detail}");
    assert!(detail.contains(r#"- expected {"rule_id":"ok","outcome":"restricted"}"#), "{detail}");
    assert!(detail.contains(r#"+ got      {"rule_id":"ok","outcome":"standard""#), "{detail}");
    assert_eq!(a.versions().await["versions"].as_array().unwrap().len(), 1, "nothing kept");

    let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile_with_fixture("standard")).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["fixtures_passed"], 1);

    let broken = with_section(&hostile(), credit_host::runtime::FIXTURES_SECTION, b"[{\"file\": 1}]");
    let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", broken).await;
    assert_eq!((status, &body["errors"][0]["code"]), (422, &json!("fixtures-unreadable")), "{body:#}");
}

#[tokio::test]
async fn a_revoked_keys_staged_version_cannot_be_activated_and_its_active_one_keeps_serving() {
    let a = admin_host(Db::Sqlite, false).await;
    let (status, body) = a.upload_signed(SECTOR, "6.6.6", "?activate=true", hostile()).await;
    assert_eq!(status, 201, "{body:#}");
    let bundled = bundled();
    let version = bundled_version();
    let (status, _) = a.upload_signed(SECTOR, &version, "", bundled.clone()).await;
    assert_eq!(status, 201);

    let (status, body) = a.post("/api/v1/admin/keys/market-2026/revoke", &json!({})).await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body["revoked_at"].is_string());
    let v = a.versions().await;
    assert_eq!(status_of(&v, "6.6.6"), ("active", vec!["signer-revoked", "no-fixtures"]));
    assert_eq!(status_of(&v, &version), ("refused", vec!["signer-revoked"]));
    assert_eq!(a.checked_by().await, "6.6.6");
    let (status, body) =
        a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": version})).await;
    assert_eq!(status, 409, "{body:#}");
    assert_eq!(body["errors"][0]["code"], "signer-revoked");
    // What this replica serves is reported for every sector: the one it
    // serves, and the ones with nothing loaded, with the reason.
    let follower =
        tokio::spawn(credit_host::api::follow_activations(a.host.state.clone(), std::time::Duration::from_secs(1)));
    let mut reported = Value::Null;
    for _ in 0..50 {
        reported = a.versions().await["replicas"].clone();
        if reported.as_array().is_some_and(|r| !r.is_empty()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(reported[0]["replica"], a.host.state.replica.as_str(), "{reported:#}");
    assert_eq!((&reported[0]["status"], &reported[0]["version"]), (&json!("loaded"), &json!("6.6.6")));
    let other = a.host.get("/api/v1/plugins/publishing").await.1;
    assert_eq!(other["replicas"][0]["status"], "failed", "{other:#}");
    assert!(other["replicas"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()), "{other:#}");
    follower.abort();
    assert_eq!(a.checked_by().await, "6.6.6");
    // A new upload signed with the revoked key is refused.
    let (status, body) = a.upload_signed(SECTOR, &version, "", with_custom_section(&bundled)).await;
    assert_eq!((status, &body["errors"][0]["code"]), (422, &json!("key-revoked")), "{body:#}");
    // After a restart it still serves.
    let restarted = fresh_runtime(RuntimeConfig::default());
    credit_host::api::load_active_plugins(&a.host.state.store, &restarted, None).await.unwrap();
    assert!(
        matches!(restarted.get(SECTOR), credit_host::runtime::PluginStatus::Active(p) if p.manifest.version == "6.6.6")
    );
    // Unknown key: 404.
    let (status, _) = a.post("/api/v1/admin/keys/nobody/revoke", &json!({})).await;
    assert_eq!(status, 404);

    // Recovery: the division registers a new key and re-signs the good
    // bytes it already uploaded; then that version may be activated.
    let new_key = KeyFile::generate("market-2028", SECTOR).unwrap();
    let (status, _) = a
        .post("/api/v1/admin/keys", &json!({"id": new_key.key_id, "unit": SECTOR, "public_key": new_key.public_key}))
        .await;
    assert_eq!(status, 201);
    let sig = new_key.sign(SECTOR, &version, &sha256(&bundled)).unwrap().to_header();
    let (status, body) = a.upload(SECTOR, "", bundled.clone(), Some(sig)).await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!((&body["created"], &body["resigned"]), (&json!(false), &json!(true)), "{body:#}");
    assert_eq!(body["version"]["signer_key_id"], "market-2028");
    assert_eq!(body["version"]["flags"], json!([]));
    assert_eq!(body["version"]["status"], "staged");
    let (status, body) =
        a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": version})).await;
    assert_eq!(status, 200, "{body:#}");
    assert_eq!(a.checked_by().await, version);
}

#[tokio::test]
async fn kept_bytes_that_no_longer_match_their_digest_do_not_serve_after_a_restart() {
    let a = admin_host(Db::Sqlite, false).await;
    let version = bundled_version();
    let (status, body) = a.upload_signed(SECTOR, &version, "?activate=true", bundled()).await;
    assert_eq!(status, 201, "{body:#}");
    // Someone with database access swaps the stored bytes.
    sqlx::query("UPDATE plugin_versions SET bytes = $1 WHERE sector = $2")
        .bind(with_custom_section(&bundled()))
        .bind(SECTOR)
        .execute(a.host.state.store.pool())
        .await
        .unwrap();
    let restarted = fresh_runtime(RuntimeConfig::default());
    credit_host::api::load_active_plugins(&a.host.state.store, &restarted, None).await.unwrap();
    match restarted.get(SECTOR) {
        credit_host::runtime::PluginStatus::NotLoaded(reason) => {
            assert!(reason.contains("not the recorded") && reason.contains(&sha256(&bundled())), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unsigned_uploads_are_kept_only_in_development_and_flagged() {
    let a = admin_host(Db::Sqlite, true).await;
    let (status, body) = a.upload(SECTOR, "?activate=true", hostile(), None).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["version"]["flags"], json!(["unsigned", "no-fixtures"]));
    assert_eq!(body["version"]["signer_key_id"], Value::Null);
    assert_eq!(a.checked_by().await, "6.6.6");
}

#[tokio::test]
async fn keys_are_validated_and_listed() {
    let a = admin_host(Db::Sqlite, false).await;
    let good = KeyFile::generate("x", SECTOR).unwrap();
    for (body, code) in [
        (json!({"id": "Bad Id", "unit": SECTOR, "public_key": good.public_key}), "key-id-invalid"),
        (json!({"id": "k2", "unit": "credit-office", "public_key": good.public_key}), "unit-owns-no-sector"),
        (json!({"id": "k2", "unit": "nowhere", "public_key": good.public_key}), "unit-owns-no-sector"),
        (json!({"id": "k2", "unit": SECTOR, "public_key": "AAAA"}), "public-key-invalid"),
    ] {
        let (status, resp) = a.post("/api/v1/admin/keys", &body).await;
        assert_eq!((status, &resp["errors"][0]["code"]), (422, &json!(code)), "{body}: {resp:#}");
    }
    let (status, _) = a
        .post("/api/v1/admin/keys", &json!({"id": "market-2026", "unit": SECTOR, "public_key": good.public_key}))
        .await;
    assert_eq!(status, 409);
    // A public key is registered once: not under a second id, not for
    // another division, and a revoked one never again.
    for (id, unit) in [("market-again", SECTOR), ("publishing-copy", "publishing")] {
        let (status, body) =
            a.post("/api/v1/admin/keys", &json!({"id": id, "unit": unit, "public_key": a.key.public_key})).await;
        assert_eq!(status, 409, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("already registered as key \"market-2026\""), "{body:#}");
    }
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let weak = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, identity);
    let (status, body) = a.post("/api/v1/admin/keys", &json!({"id": "weak", "unit": SECTOR, "public_key": weak})).await;
    assert_eq!((status, &body["errors"][0]["code"]), (422, &json!("public-key-invalid")), "{body:#}");
    let (status, _) =
        a.post("/api/v1/admin/keys", &json!({"id": "..", "unit": SECTOR, "public_key": good.public_key})).await;
    assert_eq!(status, 422);
    let keys: Value =
        a.admin.get(format!("{}/api/v1/admin/keys", a.host.base)).send().await.unwrap().json().await.unwrap();
    let ids: Vec<_> = keys.as_array().unwrap().iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["market-2026"]);
}

#[tokio::test]
async fn a_call_beyond_the_instance_slots_is_503_plugin_busy_while_health_answers() {
    let config =
        RuntimeConfig { max_instances: 1, timeout_ms: 1_500, fuel_per_call: u64::MAX / 2, ..RuntimeConfig::default() };
    let a = admin_host_with(Db::Sqlite, true, config).await;
    let (status, body) = a.upload(SECTOR, "?activate=true", hostile(), None).await;
    assert_eq!(status, 201, "{body:#}");
    let check = |name: &str| {
        json!({
            "subject": {"uscc": "91410104MA329GYC1F", "name": name}, "sector": SECTOR,
            "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
        })
    };
    let (client, base) = (a.host.client.clone(), a.host.base.clone());
    let looping = tokio::spawn(async move {
        let r = client.post(format!("{base}/api/v1/checks")).json(&check("loop")).send().await.unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    });
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let (status, body) = a.host.post("/api/v1/checks", &check("fine")).await;
    assert_eq!(status, 503, "{body:#}");
    assert!(body["type"].as_str().unwrap().ends_with("/plugin-busy"), "{body:#}");
    let health = reqwest::get(format!("{}/healthz", a.host.base)).await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(!looping.is_finished(), "the hostile call should still be running");
    let (status, body) = looping.await.unwrap();
    assert_eq!(status, 502, "{body:#}");
    assert!(body["type"].as_str().unwrap().ends_with("/plugin-timeout"), "{body:#}");
    let (status, body) = a.host.post("/api/v1/checks", &check("fine")).await;
    assert_eq!(status, 201, "{body:#}");
}

/// Poll `host` until cultural-market is served by `version`; the time it took.
async fn served_within(host: &TestHost, version: &str, limit: std::time::Duration) -> std::time::Duration {
    let start = std::time::Instant::now();
    loop {
        if let credit_host::runtime::PluginStatus::Active(p) = host.state.plugins.get(SECTOR)
            && p.manifest.version == version
        {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{version} not served within {limit:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn replicas_sharing_postgresql_follow_activations_even_when_the_listener_is_killed() {
    let Ok(admin_url) = std::env::var("CREDIT_TEST_POSTGRES_URL") else {
        eprintln!("CREDIT_TEST_POSTGRES_URL is not set: replica test skipped");
        return;
    };
    let url = crate::util::fresh_database(Db::Postgres).await;
    let a = admin_on(TestHost::start_on(&url, fresh_runtime(RuntimeConfig::default()), |_| {}).await).await;
    let b = TestHost::start_on(&url, fresh_runtime(RuntimeConfig::default()), |_| {}).await;
    // Replica b polls rarely (10 s), so within 2 s only the notification can
    // have told it; after the listener is killed, polling must catch up.
    let follower =
        tokio::spawn(credit_host::api::follow_activations(b.state.clone(), std::time::Duration::from_secs(10)));
    let first = bundled_version();
    let (status, body) = a.upload_signed(SECTOR, &first, "?activate=true", bundled()).await;
    assert_eq!(status, 201, "{body:#}");
    let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile()).await;
    assert_eq!(status, 201, "{body:#}");
    served_within(&b, &first, std::time::Duration::from_secs(5)).await;

    let (status, _) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "6.6.6"})).await;
    assert_eq!(status, 200);
    let took = served_within(&b, "6.6.6", std::time::Duration::from_secs(2)).await;
    eprintln!("replica followed an activation in {took:?} (notification)");

    // Kill b's listener backend, then roll back at once: the notice may be
    // lost while it reconnects; the generation poll catches it.
    use sqlx::Connection as _;
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap().to_owned();
    let db_name = url.rsplit_once('/').unwrap().1.to_owned();
    let mut conn = sqlx::PgConnection::connect(&format!("{base}/{db_name}")).await.unwrap();
    let killed: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'",
    )
    .bind(&db_name)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(killed.len(), 1, "exactly one listener (b's) was found and terminated");
    let (status, _) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/rollback"), &json!({})).await;
    assert_eq!(status, 200);
    let took = served_within(&b, &first, std::time::Duration::from_secs(12)).await;
    eprintln!("replica followed a rollback in {took:?} after its listener was killed");
    // And b keeps following afterwards.
    let (status, _) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "6.6.6"})).await;
    assert_eq!(status, 200);
    served_within(&b, "6.6.6", std::time::Duration::from_secs(12)).await;
    // Either replica's answer shows what both serve, as each reported.
    let a_follows =
        tokio::spawn(credit_host::api::follow_activations(a.host.state.clone(), std::time::Duration::from_secs(1)));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let v = b.get(&format!("/api/v1/plugins/{SECTOR}")).await.1;
        let replicas = v["replicas"].as_array().unwrap();
        let serving: Vec<(&str, &str)> = replicas
            .iter()
            .filter(|r| r["status"] == "loaded")
            .map(|r| (r["replica"].as_str().unwrap(), r["version"].as_str().unwrap()))
            .collect();
        let want = [a.host.state.replica.as_str(), b.state.replica.as_str()];
        if want.iter().all(|w| serving.contains(&(*w, "6.6.6"))) {
            assert_ne!(want[0], want[1]);
            assert_eq!(replicas.len(), 2, "{v:#}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "both replicas should report 6.6.6: {v:#}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    follower.abort();
    a_follows.abort();
}

/// Poll a preview until it is done or failed (at most a minute).
async fn finished_preview(a: &Admin, job: &Value) -> Value {
    let id = job["id"].as_str().unwrap();
    for _ in 0..600 {
        let (status, job) = a.host_get_admin(&format!("/api/v1/admin/plugins/{SECTOR}/previews/{id}")).await;
        assert_eq!(status, 200, "{job:#}");
        if job["status"] == "done" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("preview {id} did not finish within a minute");
}

impl Admin {
    async fn host_get_admin(&self, path: &str) -> (u16, Value) {
        let r = self.admin.get(format!("{}{path}", self.host.base)).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// Start a preview and wait for it: the finished job.
    async fn preview(&self, body: &Value) -> Value {
        let (status, job) = self.post(&format!("/api/v1/admin/plugins/{SECTOR}/preview"), body).await;
        assert_eq!(status, 202, "{job:#}");
        assert_eq!(job["status"], "queued", "{job:#}");
        let job = finished_preview(self, &job).await;
        assert_eq!(job["status"], "done", "{job:#}");
        job
    }
}

/// The USCCs of the first `n` subjects of a sample penalty file.
fn penalised_usccs(file: &str, n: usize) -> Vec<String> {
    let mut reader = csv::Reader::from_path(crate::util::root().join("data/sample").join(file)).unwrap();
    let mut out: Vec<String> = Vec::new();
    for row in reader.records() {
        let uscc = row.unwrap()[2].to_owned();
        if !uscc.is_empty() && !out.contains(&uscc) {
            out.push(uscc);
        }
    }
    out.truncate(n);
    out
}

#[tokio::test]
async fn an_impact_preview_replays_stored_checks_on_both_versions_and_lists_the_records_a_version_rejects() {
    for db in databases() {
        let a = admin_host(db, false).await;
        let first = bundled_version();
        let (status, body) = a.upload_signed(SECTOR, &first, "?activate=true", bundled()).await;
        assert_eq!(status, 201, "{body:#}");
        let mut stored = 0;
        for (file, kind) in [("licences-cultural-market.csv", "licence"), ("penalties-cultural-market.csv", "penalty")]
        {
            let bytes = std::fs::read(crate::util::root().join("data/sample").join(file)).unwrap();
            let (status, _, body) =
                a.host.post_csv(&format!("/api/v1/imports?sector={SECTOR}&kind={kind}"), bytes).await;
            assert_eq!(status, 201, "{file}: {body:#}");
            stored += body["inserted"].as_u64().unwrap();
        }
        // Checks: a café of the sample licences, penalised subjects as of
        // today, then one of those as of a day before its decision.
        let usccs = penalised_usccs("penalties-cultural-market.csv", 4);
        let mut answers = Vec::new();
        let subjects = std::iter::once("91410104MA329GYC1F".to_owned()).chain(usccs.iter().cloned());
        for (uscc, as_of) in subjects.map(|u| (u, "2026-11-30")).chain([(String::new(), "2015-01-01")]) {
            let uscc = if uscc.is_empty() {
                // The first penalised subject whose answer today has findings.
                answers
                    .iter()
                    .find(|b: &&Value| !b["findings"].as_array().unwrap().is_empty())
                    .map(|b| b["subject"]["uscc"].as_str().unwrap().to_owned())
                    .expect("a penalised subject with findings today")
            } else {
                uscc
            };
            let check = json!({"subject": {"uscc": uscc}, "sector": SECTOR, "purpose": "licensing",
                "licence_type": "internet-cafe", "as_of": as_of});
            let (status, body) = a.host.post("/api/v1/checks", &check).await;
            assert_eq!(status, 201, "{body:#}");
            answers.push(body);
        }
        // And one for a licence type 6.6.6 no longer offers.
        let venue = json!({"subject": {"uscc": usccs[1]}, "sector": SECTOR, "purpose": "licensing",
            "licence_type": "entertainment-venue", "as_of": "2026-11-30"});
        let (status, venue) = a.host.post("/api/v1/checks", &venue).await;
        assert_eq!(status, 201, "{venue:#}");
        answers.push(venue.clone());
        let n = answers.len() as u64;
        // The hostile plugin, staged as 6.6.6: it answers one `ok` finding
        // for every subject here, and its `licence` schema requires a
        // field no stored licence has.
        let (status, body) = a.upload_signed(SECTOR, "6.6.6", "", hostile()).await;
        assert_eq!(status, 201, "{body:#}");

        let job = a.preview(&json!({"version": "6.6.6"})).await;
        let r = &job["result"];
        assert_eq!(job["total"], n, "{job:#}");
        assert_eq!(job["done"], n);
        assert_eq!(r["previewed"]["version"], "6.6.6");
        assert_eq!(r["active"]["version"], first);
        let s = &r["summary"];
        assert_eq!((s["checks"].as_u64(), s["replayed"].as_u64(), s["skipped"].as_u64()), (Some(n), Some(n), Some(0)));
        assert_eq!(s["drift"], 0, "the active version answers every check as stored: {r:#}");
        assert_eq!(s["stored_by_another_version"], 0, "{r:#}");
        assert_eq!(s["active_errors"], 0, "{r:#}");
        assert_eq!(s["previewed_errors"], 1, "the entertainment-venue check: {r:#}");
        assert_eq!(s["changed"], n, "6.6.6 adds its `ok` finding to every answer, or refuses: {r:#}");
        let listed = r["checks"].as_array().unwrap();
        assert_eq!(listed.len() as u64, n);
        // The host would refuse the dropped licence type before calling the
        // plugin: shown as such, not as a relaxation.
        let refused = listed.iter().find(|e| e["check_id"] == venue["check_id"]).unwrap();
        assert_eq!(refused["previewed"]["error"]["kind"], "licence-type-not-in-sector", "{refused:#}");
        assert_eq!(refused["active"]["outcome"], venue["outcome"], "{refused:#}");
        let key = format!("{} → error licence-type-not-in-sector", venue["outcome"].as_str().unwrap());
        assert_eq!(s["transitions"][key.as_str()], 1, "{s:#}");
        for entry in listed.iter().filter(|e| e["check_id"] != venue["check_id"]) {
            let stored = answers.iter().find(|b| b["check_id"] == entry["check_id"]).unwrap();
            assert_eq!(entry["as_of"], stored["as_of"]);
            assert_eq!(entry["original"]["outcome"], stored["outcome"], "{entry:#}");
            assert_eq!(entry["original"]["version"], first);
            assert_eq!(entry["active"]["outcome"], stored["outcome"], "{entry:#}");
            assert_eq!(entry["active"]["findings"], entry["original"]["findings"], "{entry:#}");
            assert_eq!(entry["previewed"]["version"], "6.6.6");
            let rules: Vec<&str> = entry["previewed"]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|f| f["rule_id"].as_str())
                .collect();
            assert!(rules.contains(&"ok"), "{entry:#}");
            assert_eq!((entry["drift"].as_bool(), entry["changed"].as_bool()), (Some(false), Some(true)));
        }
        // Each check replays with its own as_of: before its decision the
        // penalised subject's answer differs from today's.
        let early = listed.iter().find(|e| e["as_of"] == "2015-01-01").unwrap();
        assert_eq!(early["original"]["findings"], json!([]), "{early:#}");
        assert_eq!(early["active"]["findings"], json!([]), "{early:#}");
        let transitions: u64 = s["transitions"].as_object().unwrap().values().map(|v| v.as_u64().unwrap()).sum();
        assert_eq!(transitions + s["findings_only"].as_u64().unwrap(), n, "{s:#}");
        assert!(s["transitions"].as_object().unwrap().keys().all(|k| {
            let (from, to) = k.split_once(" → ").unwrap();
            from != to
        }));
        // Every stored licence fails 6.6.6's schema; every penalty is of a
        // kind it no longer offers.
        assert_eq!(s["records_checked"], stored, "{s:#}");
        assert_eq!(s["records_rejected"], stored, "{s:#}");
        let records = r["records"].as_array().unwrap();
        assert_eq!(records.len() as u64, stored.min(200));
        assert_eq!(s["records_listed"], records.len(), "{s:#}");
        let codes = |kind: &str| -> Vec<String> {
            records
                .iter()
                .filter(|x| x["kind"] == kind)
                .flat_map(|x| x["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_owned()))
                .collect()
        };
        assert!(codes("penalty").iter().all(|c| c == "kind-dropped") && !codes("penalty").is_empty(), "{r:#}");
        assert!(codes("licence").iter().all(|c| c == "schema") && !codes("licence").is_empty(), "{r:#}");
        assert!(
            records
                .iter()
                .filter(|x| x["kind"] == "licence")
                .all(|x| x["errors"][0]["message"].as_str().unwrap().contains("hostile_grade")),
            "{r:#}"
        );

        // With 6.6.6 active, previewing the first version again: the checks
        // were stored by another version than the active one, so they are
        // not drift; the previewed (first) version answers exactly as
        // stored. `last` picks the newest checks.
        let (status, body) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/activate"), &json!({"version": "6.6.6"})).await;
        assert_eq!(status, 200, "{body:#}");
        let job = a.preview(&json!({"version": first, "last": 2})).await;
        let r = &job["result"];
        assert_eq!(r["summary"]["checks"], 2, "{r:#}");
        assert_eq!(r["summary"]["drift"], 0, "{r:#}");
        assert_eq!(r["summary"]["stored_by_another_version"], 2, "{r:#}");
        assert_eq!(r["summary"]["records_rejected"], 0, "{r:#}");
        for entry in r["checks"].as_array().unwrap() {
            assert!(answers[answers.len() - 2..].iter().any(|b| b["check_id"] == entry["check_id"]), "{entry:#}");
            assert_eq!(entry["previewed"]["findings"], entry["original"]["findings"], "{entry:#}");
            assert_eq!((&entry["drift"], &entry["comparable"]), (&json!(false), &json!(false)));
        }
        // Drift: a stored answer the same version no longer gives (here
        // made by editing the stored answer, as a changed host rule would).
        let (status, _) = a.post(&format!("/api/v1/admin/plugins/{SECTOR}/rollback"), &json!({})).await;
        assert_eq!(status, 200);
        let drifted = answers[0]["check_id"].as_str().unwrap();
        let mut answer = answers[0].clone();
        let edited = if answer["outcome"] == "standard" { "restricted" } else { "standard" };
        answer["outcome"] = json!(edited);
        sqlx::query("UPDATE checks SET answer = $1 WHERE id = $2")
            .bind(answer.to_string())
            .bind(drifted)
            .execute(a.host.state.store.pool())
            .await
            .unwrap();
        let job = a.preview(&json!({"version": "6.6.6"})).await;
        let r = &job["result"];
        assert_eq!(r["summary"]["drift"], 1, "{r:#}");
        let entry = r["checks"].as_array().unwrap().iter().find(|e| e["check_id"] == drifted).unwrap();
        assert_eq!((&entry["drift"], &entry["original"]["outcome"]), (&json!(true), &json!(edited)));

        // A preview replays the checks stored before it was asked for,
        // however long it waits in the queue.
        let busy = a.host.state.previews.clone().lock_owned().await;
        let (status, queued) =
            a.post(&format!("/api/v1/admin/plugins/{SECTOR}/preview"), &json!({"version": "6.6.6"})).await;
        assert_eq!(status, 202, "{queued:#}");
        let later = json!({"subject": {"uscc": usccs[0]}, "sector": SECTOR, "purpose": "licensing",
            "licence_type": "internet-cafe", "as_of": "2026-11-30"});
        let (status, later) = a.host.post("/api/v1/checks", &later).await;
        assert_eq!(status, 201, "{later:#}");
        drop(busy);
        let job = finished_preview(&a, &queued).await;
        assert_eq!(job["total"], n, "the check stored after the request is not replayed: {job:#}");
        assert!(job["result"]["checks"].as_array().unwrap().iter().all(|e| e["check_id"] != later["check_id"]));
        answers.push(later);
        let n = n + 1;

        // A check stored before checks kept their replay input is skipped,
        // and says why.
        let oldest = answers[0]["check_id"].as_str().unwrap();
        sqlx::query("UPDATE checks SET replay = NULL WHERE id = $1")
            .bind(oldest)
            .execute(a.host.state.store.pool())
            .await
            .unwrap();
        let job = a.preview(&json!({"version": "6.6.6", "from": "2000-01-01", "to": "2100-12-31"})).await;
        let r = &job["result"];
        assert_eq!(r["summary"]["skipped"], 1, "{r:#}");
        assert_eq!(r["summary"]["replayed"], n - 1, "{r:#}");
        let skipped = r["checks"].as_array().unwrap().iter().find(|e| e["check_id"] == oldest).unwrap();
        assert!(skipped["skipped"].as_str().unwrap().contains("stored before"), "{skipped:#}");
        // A range that selects nothing replays nothing.
        let job = a.preview(&json!({"version": "6.6.6", "to": "2001-01-01"})).await;
        assert_eq!(job["result"]["summary"]["checks"], 0, "{job:#}");

        // Bad requests change nothing and say why, and where.
        let path = format!("/api/v1/admin/plugins/{SECTOR}/preview");
        for (body, status, pointer) in [
            (json!({"version": "9.9.9"}), 404, None),
            (json!({"version": "6.6.6", "last": 0}), 422, Some("/last")),
            (json!({"version": "6.6.6", "last": 1001}), 422, Some("/last")),
            (json!({"version": "6.6.6", "last": -1}), 422, Some("/last")),
            (json!({"version": "6.6.6", "last": "10"}), 422, Some("/last")),
            (json!({"version": 6}), 422, Some("/version")),
            (json!({"version": "not a version"}), 422, Some("/version")),
            (json!({}), 422, Some("/version")),
            (json!(["6.6.6", 5]), 422, Some("")),
            (json!({"version": "6.6.6", "from": "2026-12-01", "to": "2026-11-01"}), 422, Some("/to")),
            (json!({"version": "6.6.6", "from": "2026-13-01"}), 422, Some("/from")),
            (json!({"version": "6.6.6", "from": "2099-01-01"}), 422, Some("/from")),
            (json!({"version": "6.6.6", "size": 3}), 422, None),
        ] {
            let (got, problem) = a.post(&path, &body).await;
            assert_eq!(got, status, "{body} {problem:#}");
            if let Some(pointer) = pointer {
                assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem:#}");
            }
        }
        let (got, _) = a.post("/api/v1/admin/plugins/no-such-sector/preview", &json!({"version": "6.6.6"})).await;
        assert_eq!(got, 404);
        let (got, _) = a.host_get_admin(&format!("/api/v1/admin/plugins/{SECTOR}/previews/no-such-job")).await;
        assert_eq!(got, 404);
        let (got, problem) = a.host_get_admin("/api/v1/admin/plugins/no-such-sector/previews/no-such-job").await;
        assert_eq!(got, 404);
        assert!(problem["detail"].as_str().unwrap().contains("unknown sector"), "{problem:#}");
        // The queue is bounded: beyond MAX_QUEUED, 409 and nothing queued.
        let busy = a.host.state.previews.clone().lock_owned().await;
        let mut queued = Vec::new();
        for _ in 0..10 {
            let (status, job) = a.post(&path, &json!({"version": "6.6.6", "last": 1})).await;
            assert_eq!(status, 202, "{job:#}");
            queued.push(job);
        }
        let (status, problem) = a.post(&path, &json!({"version": "6.6.6", "last": 1})).await;
        assert_eq!((status, &problem["errors"][0]["code"]), (409, &json!("preview-queue-full")), "{problem:#}");
        drop(busy);
        for job in &queued {
            assert_eq!(finished_preview(&a, job).await["status"], "done");
        }

        // A preview a stop left queued is resumed at start-up.
        let row = a
            .host
            .state
            .store
            .insert_preview("left-by-a-stop", SECTOR, "6.6.6", &json!({"last": 3}), "plugin-admin")
            .await
            .unwrap();
        assert_eq!(row.status, "queued");
        assert_eq!(credit_host::api::resume_previews(&a.host.state).await.unwrap(), 1);
        let job = finished_preview(&a, &json!({"id": "left-by-a-stop"})).await;
        assert_eq!(job["status"], "done", "{job:#}");
        assert_eq!(job["result"]["summary"]["checks"], 3, "{job:#}");
    }
}
