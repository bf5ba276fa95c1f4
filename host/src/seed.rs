//! Loading `data/sample/` into an empty database: the UTF-8 files of the
//! sectors that have a plugin and the red list, as published records.
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
        let result = import_csv(state, &kind, sector.as_deref(), &bytes, "seed").await;
        if let Err(e) = &result {
            tracing::warn!(file, "sample file not imported: {e}");
        }
        out.push(SeedReport { file, result });
    }
    Ok(out)
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
