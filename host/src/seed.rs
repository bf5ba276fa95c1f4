//! Loading `data/sample/` into an empty database: the UTF-8 files of the
//! sectors that have a plugin and the red list, as published records (no
//! review by the credit office).
//!
//! A file is named `<kind>-<sector>.csv`: `penalties-…` and `licences-…`
//! for the standard kinds, the kind's id for a plugin's own kind
//! (`inheritor-assessment-arts-heritage.csv`); the `.gbk.csv` copy is
//! skipped.

use crate::api::AppState;
use crate::api::import_csv;
use std::path::Path;

/// What seeding imported, per file.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// File name.
    pub file: String,
    /// What was stored, or why the file was not.
    pub result: Result<crate::store::BatchSummary, String>,
}

/// Import the sample files of `dir` through the same checks as an upload.
///
/// # Errors
/// When `dir` cannot be read.
pub async fn import_dir(state: &AppState, dir: &Path) -> anyhow::Result<Vec<SeedReport>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") && !n.ends_with(".gbk.csv"))
        .collect();
    files.sort();
    // Licences first, so that penalties find their subjects already known.
    files.sort_by_key(|n| !n.starts_with("licences-"));
    let mut out = Vec::new();
    for file in files {
        let Some((kind, sector)) = kind_and_sector(&file, state) else { continue };
        let bytes = std::fs::read(dir.join(&file))?;
        let result = import_csv(state, &kind, sector.as_deref(), &bytes, "seed", true).await;
        if let Err(e) = &result {
            tracing::warn!(file, "sample file not imported: {e}");
        }
        out.push(SeedReport { file, result });
    }
    Ok(out)
}

/// Publish the lists as they stand today, as the credit office would after
/// loading them, so that the public endpoints have something to serve.
///
/// # Errors
/// A database error.
pub async fn publish_lists(state: &AppState) -> anyhow::Result<crate::store::Publication> {
    let today = crate::api::today().to_string();
    let entries = state.store.public_entries(&today).await?;
    state.store.save_publication(&today, &entries, "seed").await
}

/// The kind and sector a sample file holds, if its sector has an active
/// plugin (or it is the red list).
fn kind_and_sector(file: &str, state: &AppState) -> Option<(String, Option<String>)> {
    let stem = file.strip_suffix(".csv")?;
    if stem == "red-list" {
        return Some(("red-list".into(), None));
    }
    let (kind, sector) = state.plugins.active().into_iter().find_map(|p| {
        let sector = p.manifest.sector.clone();
        let kind = stem.strip_suffix(sector.as_str())?.strip_suffix('-')?;
        Some((kind.to_owned(), sector))
    })?;
    let kind = match kind.as_str() {
        "penalties" => "penalty".to_owned(),
        "licences" => "licence".to_owned(),
        _ => kind,
    };
    Some((kind, Some(sector)))
}

/// The demo accounts `cargo xtask serve` creates on a database without
/// accounts: `(account id, name, unit, role)` — one per role, plus a
/// division reporter (licences of the cultural market) beside the
/// detachment's (penalties of every sector).
pub const DEMO_ACCOUNTS: [(&str, &str, &str, crate::access::Role); 6] = [
    ("demo-reporter", "执法支队报送员（演示）", "enforcement-detachment", crate::access::Role::Reporter),
    ("demo-market-reporter", "文化市场处报送员（演示）", "cultural-market", crate::access::Role::Reporter),
    ("demo-reviewer", "信用办审核员（演示）", "credit-office", crate::access::Role::Reviewer),
    ("demo-approver", "局领导（演示）", "leadership", crate::access::Role::Approver),
    ("demo-inspector", "审批核查员（演示）", "cultural-market", crate::access::Role::Inspector),
    ("demo-admin", "系统管理员（演示）", "administration", crate::access::Role::Administrator),
];

/// Create [`DEMO_ACCOUNTS`] when the database has no account, and return
/// `(account id, token)` for each (empty when accounts exist: tokens are
/// shown once and stored hashed).
///
/// # Errors
/// A database error, or a demo unit missing from the division table.
pub async fn demo_accounts(state: &AppState) -> anyhow::Result<Vec<(String, String)>> {
    if state.store.account_count().await? > 0 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (id, name, unit, role) in DEMO_ACCOUNTS {
        let new = crate::api::NewAccount {
            id: id.into(),
            name: name.into(),
            unit: unit.into(),
            roles: vec![role.as_str().into()],
        };
        let issued = crate::api::create_account(state, &new, "seed")
            .await
            .map_err(|e| anyhow::anyhow!("demo account {id}: {e}"))?;
        out.push((issued.account, issued.token));
    }
    Ok(out)
}

/// On a database that keeps no plugin version and no key (development,
/// `cargo xtask serve`): create a local signing key for the first division
/// owning each loaded sector, register it, write it to `keys_dir/<unit>.key.json`,
/// and sign, keep and activate every plugin loaded from `plugin_dir` — the
/// same path an administrator's upload takes. Returns `(sector, version)`
/// for each.
///
/// # Errors
/// A database error, a key file that cannot be written, or a bundled plugin
/// the host refuses.
pub async fn demo_plugins(
    state: &AppState,
    plugin_dir: &std::path::Path,
    keys_dir: &std::path::Path,
) -> anyhow::Result<Vec<(String, String)>> {
    use crate::runtime::signing::KeyFile;
    if !state.store.plugin_versions(None).await?.is_empty() || !state.store.plugin_keys().await?.is_empty() {
        return Ok(Vec::new());
    }
    let mut keys: std::collections::BTreeMap<String, KeyFile> = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for plugin in state.plugins.active() {
        let sector = plugin.manifest.sector.clone();
        let Some(unit) = state.divisions.owners(&sector).first().map(|d| d.id.clone()) else {
            tracing::warn!(sector, "no division owns this sector: its bundled plugin is not kept");
            continue;
        };
        let file = plugin_dir.join(format!("{sector}.wasm"));
        let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        if crate::runtime::sha256_hex(&bytes) != plugin.sha256 {
            tracing::warn!(sector, "{} changed since it was loaded; not kept", file.display());
            continue;
        }
        if !keys.contains_key(&unit) {
            let key = KeyFile::generate(&format!("local-{unit}"), &unit)?;
            std::fs::create_dir_all(keys_dir)?;
            let path = keys_dir.join(format!("{unit}.key.json"));
            if path.exists() {
                std::fs::remove_file(&path)?; // a key of an earlier database: never registered here
            }
            key.write(&path)?;
            state.store.register_plugin_key(&key.key_id, &unit, &key.public_key, "seed").await?;
            keys.insert(unit.clone(), key);
        }
        let key = &keys[&unit];
        let signature = key.sign(&sector, &plugin.manifest.version, &plugin.sha256)?;
        crate::api::stage_plugin(state, &sector, bytes, Some(signature), "seed", true)
            .await
            .map_err(|e| anyhow::anyhow!("bundled plugin {sector}: {e}"))?;
        out.push((sector, plugin.manifest.version.clone()));
    }
    Ok(out)
}
