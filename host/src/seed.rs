//! Loading `data/sample/` into an empty database: the UTF-8 files of the
//! sectors that have a plugin (`penalties-<sector>.csv`,
//! `licences-<sector>.csv`; the `.gbk.csv` copy is skipped) and the red
//! list, as published records.

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
        let stem = file.trim_end_matches(".csv");
        let (kind, sector) = match stem.split_once('-') {
            _ if stem == "red-list" => ("red-list", None),
            Some(("penalties", s)) => ("penalty", Some(s)),
            Some(("licences", s)) => ("licence", Some(s)),
            _ => continue,
        };
        if let Some(s) = sector
            && !matches!(state.plugins.get(s), crate::runtime::PluginStatus::Active(_))
        {
            continue;
        }
        let bytes = std::fs::read(dir.join(&file))?;
        let result = import_csv(state, kind, sector, &bytes, "seed").await;
        if let Err(e) = &result {
            tracing::warn!(file, "sample file not imported: {e}");
        }
        out.push(SeedReport { file, result });
    }
    Ok(out)
}
