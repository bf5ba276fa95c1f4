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

impl PluginStatus {
    /// The sha256 of the active plugin, if there is one.
    pub fn active_sha256(&self) -> Option<&str> {
        match self {
            Self::Active(p) => Some(&p.sha256),
            _ => None,
        }
    }
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
    /// Compiled versions that are not active (staged ones, and the last
    /// few replaced ones for a quick rollback), newest last, at most
    /// [`COMPILED_KEPT`]; an evicted one's memory goes once its last call ends.
    compiled: RwLock<Vec<Arc<LoadedPlugin>>>,
    slots: Arc<tokio::sync::Semaphore>,
    sector_slots: HashMap<String, Arc<tokio::sync::Semaphore>>,
    metrics: Arc<super::metrics::PluginMetrics>,
}

/// How many inactive compiled versions [`Plugins`] keeps in memory.
pub const COMPILED_KEPT: usize = 8;

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
            slots: Arc::new(tokio::sync::Semaphore::new(config.max_instances as usize)),
            metrics: Arc::new(super::metrics::PluginMetrics::new(config.max_instances)),
            sector_slots: sectors
                .iter()
                .map(|s| (s.clone(), Arc::new(tokio::sync::Semaphore::new(config.per_sector() as usize))))
                .collect(),
            engine: config.engine()?,
            config,
            sectors,
            active: ArcSwap::from_pointee(HashMap::new()),
            failed: RwLock::new(HashMap::new()),
            compiled: RwLock::new(Vec::new()),
        })
    }

    /// The metrics in the OpenMetrics text format, with the instance slots
    /// in use as of now.
    ///
    /// # Errors
    /// Only if formatting fails.
    pub fn render_metrics(&self) -> Result<String, std::fmt::Error> {
        let in_use =
            self.config.max_instances as usize - self.slots.available_permits().min(self.config.max_instances as usize);
        self.metrics.render(i64::try_from(in_use).unwrap_or(i64::MAX))
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
        let plugin = match self.compile(name, bytes).await {
            Ok(p) => p,
            Err(e) => {
                self.failed.write().expect("lock").insert(name.to_owned(), e.to_string());
                return Err(e);
            }
        };
        self.install(plugin.clone());
        Ok(plugin)
    }

    /// Compile and validate `bytes` on a blocking thread without activating
    /// it; `name` is what errors call it until its manifest is read.
    ///
    /// # Errors
    /// [`PluginFault::Invalid`] when the component is not a valid plugin or
    /// its sector is not configured.
    pub async fn compile(&self, name: &str, bytes: Vec<u8>) -> Result<Arc<LoadedPlugin>, PluginFault> {
        let (engine, config, owned) = (self.engine.clone(), self.config.clone(), name.to_owned());
        let (slots, metrics) = (self.slots.clone(), self.metrics.clone());
        let plugin = tokio::task::spawn_blocking(move || {
            LoadedPlugin::load(&engine, &config, &owned, &bytes).map(|p| p.share_slots(slots).with_metrics(metrics))
        })
        .await
        .map_err(|e| PluginFault::Invalid { sector: name.to_owned(), reason: format!("loader panicked: {e}") })??;
        let Some(sector_slots) = self.sector_slots.get(&plugin.manifest.sector) else {
            return Err(PluginFault::Invalid {
                sector: plugin.manifest.sector.clone(),
                reason: format!("sector is not configured; configured sectors: {}", self.sectors.join(", ")),
            });
        };
        Ok(Arc::new(plugin.share_sector_slots(sector_slots.clone())))
    }

    /// Make the compiled `plugin` the active one of its sector: one atomic
    /// swap. A call that already holds the old version finishes on it; the
    /// next call gets the new one. The old version is kept compiled for a
    /// quick rollback (up to [`COMPILED_KEPT`] inactive versions).
    pub fn install(&self, plugin: Arc<LoadedPlugin>) {
        let sector = plugin.manifest.sector.clone();
        let mut replaced = None;
        self.active.rcu(|map| {
            let mut map = HashMap::clone(map);
            replaced = map.insert(sector.clone(), plugin.clone());
            map
        });
        let previous = replaced.as_ref().map(|p| p.manifest.version.clone());
        {
            let mut kept = self.compiled.write().expect("lock");
            kept.retain(|p| !Arc::ptr_eq(p, &plugin));
            if let Some(old) = replaced.filter(|old| !Arc::ptr_eq(old, &plugin)) {
                keep(&mut kept, old);
            }
        }
        self.failed.write().expect("lock").remove(&sector);
        self.metrics.activated(&sector, &plugin.manifest.version, previous.as_deref());
        tracing::info!(sector, version = %plugin.manifest.version, sha256 = %plugin.sha256, "plugin active");
    }

    /// Keep a compiled, inactive version (a staged upload) for a later
    /// activation without compiling again.
    pub fn keep_compiled(&self, plugin: Arc<LoadedPlugin>) {
        keep(&mut self.compiled.write().expect("lock"), plugin);
    }

    /// The compiled version of `sector` with digest `sha256`, if this
    /// replica holds it (active or kept).
    pub fn compiled(&self, sector: &str, sha256: &str) -> Option<Arc<LoadedPlugin>> {
        if let Some(p) = self.active.load().get(sector).filter(|p| p.sha256 == sha256) {
            return Some(p.clone());
        }
        self.compiled.read().expect("lock").iter().find(|p| p.manifest.sector == sector && p.sha256 == sha256).cloned()
    }

    /// Record that `sector`'s plugin could not be loaded, and why; the
    /// sector answers `503` with `reason` until a version loads.
    pub fn fail(&self, sector: &str, reason: String) {
        self.active.rcu(|map| {
            let mut map = HashMap::clone(map);
            map.remove(sector);
            map
        });
        self.failed.write().expect("lock").insert(sector.to_owned(), reason);
    }

    /// Load every `*.wasm` file of `dir`, each named after its sector
    /// (`cultural-market.wasm`), except those named in `skip` (sectors
    /// whose active version comes from the database). One that fails is
    /// logged and its sector answers `503`; the others serve.
    ///
    /// # Errors
    /// When `dir` cannot be read.
    pub async fn load_dir(&self, dir: &Path, skip: &[String]) -> anyhow::Result<Vec<(String, Result<String, String>)>> {
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
            if skip.contains(&name) {
                continue;
            }
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

    /// Record that this replica could not load the version `sector` should
    /// serve, without dropping the version it serves now; reported by
    /// [`Plugins::load_error`] until a version of the sector is installed.
    pub fn note_load_error(&self, sector: &str, reason: String) {
        self.failed.write().expect("lock").insert(sector.to_owned(), reason);
    }

    /// Why this replica could not load `sector`'s version, if it could not.
    pub fn load_error(&self, sector: &str) -> Option<String> {
        self.failed.read().expect("lock").get(sector).cloned()
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

/// Add `plugin` to the inactive compiled versions, newest last, replacing
/// one with the same digest and dropping the oldest beyond
/// [`COMPILED_KEPT`].
fn keep(kept: &mut Vec<Arc<LoadedPlugin>>, plugin: Arc<LoadedPlugin>) {
    kept.retain(|p| p.sha256 != plugin.sha256);
    kept.push(plugin);
    let excess = kept.len().saturating_sub(COMPILED_KEPT);
    kept.drain(..excess);
}
