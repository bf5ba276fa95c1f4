//! The active plugin of each sector, swapped atomically.

use super::engine::RuntimeConfig;
use super::plugin::{LoadedPlugin, PluginFault};
use arc_swap::ArcSwap;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// What a sector's plugin slot holds.
#[derive(Debug, Clone)]
pub enum PluginStatus {
    /// The sector is not configured: `404`.
    UnknownSector,
    /// The sector is configured but has no working plugin: `503`, with why.
    NotLoaded(String),
    /// The active plugin.
    Active(Arc<LoadedPlugin>),
}

/// The engine and the active plugin of each configured sector.
///
/// A call takes the plugin `Arc` once and runs entirely on that version;
/// activating a new version swaps the map atomically and never waits for
/// running calls.
pub struct Plugins {
    engine: wasmtime::Engine,
    config: RuntimeConfig,
    sectors: Vec<String>,
    active: ArcSwap<HashMap<String, Arc<LoadedPlugin>>>,
    failed: RwLock<HashMap<String, String>>,
}

impl std::fmt::Debug for Plugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugins").field("sectors", &self.sectors).finish_non_exhaustive()
    }
}

impl Plugins {
    /// A runtime for the configured `sectors`, with no plugin loaded.
    ///
    /// # Errors
    /// When the engine cannot be created.
    pub fn new(config: RuntimeConfig, sectors: Vec<String>) -> anyhow::Result<Self> {
        Ok(Self {
            engine: config.engine()?,
            config,
            sectors,
            active: ArcSwap::from_pointee(HashMap::new()),
            failed: RwLock::new(HashMap::new()),
        })
    }

    /// The configured sectors.
    pub fn sectors(&self) -> &[String] {
        &self.sectors
    }

    /// Compile and validate `bytes` on a blocking thread, then make it the
    /// active plugin of its sector. A failure leaves the sector's current
    /// plugin serving (and is remembered as the reason when there is none).
    ///
    /// # Errors
    /// [`PluginFault::Invalid`] when the component is not a valid plugin or
    /// its sector is not configured.
    pub async fn load(&self, name: &str, bytes: Vec<u8>) -> Result<Arc<LoadedPlugin>, PluginFault> {
        let (engine, config, owned) = (self.engine.clone(), self.config.clone(), name.to_owned());
        let loaded = tokio::task::spawn_blocking(move || LoadedPlugin::load(&engine, &config, &owned, &bytes))
            .await
            .map_err(|e| PluginFault::Invalid { sector: name.to_owned(), reason: format!("loader panicked: {e}") })?;
        let plugin = match loaded {
            Ok(p) => Arc::new(p),
            Err(e) => {
                self.failed.write().expect("lock").insert(name.to_owned(), e.to_string());
                return Err(e);
            }
        };
        let sector = plugin.manifest.sector.clone();
        if !self.sectors.contains(&sector) {
            return Err(PluginFault::Invalid {
                sector,
                reason: format!("sector is not configured; configured sectors: {}", self.sectors.join(", ")),
            });
        }
        self.active.rcu(|map| {
            let mut map = HashMap::clone(map);
            map.insert(sector.clone(), plugin.clone());
            map
        });
        self.failed.write().expect("lock").remove(&sector);
        tracing::info!(sector, version = %plugin.manifest.version, sha256 = %plugin.sha256, "plugin active");
        Ok(plugin)
    }

    /// Load every `*.wasm` file of `dir`, each named after its sector
    /// (`cultural-market.wasm`). One that fails is logged and its sector
    /// answers `503`; the others serve.
    ///
    /// # Errors
    /// When `dir` cannot be read.
    pub async fn load_dir(&self, dir: &Path) -> anyhow::Result<Vec<(String, Result<String, String>)>> {
        let mut out = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| anyhow::anyhow!("cannot read plugin directory {}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let result = match std::fs::read(&path) {
                Ok(bytes) => {
                    self.load(&name, bytes).await.map(|p| p.manifest.version.clone()).map_err(|e| e.to_string())
                }
                Err(e) => Err(format!("cannot read {}: {e}", path.display())),
            };
            if let Err(reason) = &result {
                tracing::error!(plugin = %name, "{reason}");
            }
            out.push((name, result));
        }
        Ok(out)
    }

    /// The status of `sector`.
    pub fn get(&self, sector: &str) -> PluginStatus {
        if let Some(p) = self.active.load().get(sector) {
            return PluginStatus::Active(p.clone());
        }
        if !self.sectors.iter().any(|s| s == sector) {
            return PluginStatus::UnknownSector;
        }
        let reason = self
            .failed
            .read()
            .expect("lock")
            .get(sector)
            .cloned()
            .unwrap_or_else(|| format!("no plugin is loaded for sector {sector:?}"));
        PluginStatus::NotLoaded(reason)
    }

    /// Every active plugin, by sector.
    pub fn active(&self) -> Vec<Arc<LoadedPlugin>> {
        let mut v: Vec<_> = self.active.load().values().cloned().collect();
        v.sort_by(|a, b| a.manifest.sector.cmp(&b.manifest.sector));
        v
    }
}
