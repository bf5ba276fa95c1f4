//! One compiled plugin version and the calls into it.

use super::bindings::{self, Level, SectorPluginPre, wit};
use super::engine::{RuntimeConfig, SUPPORTED_INTERFACE};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use thiserror::Error;
use wasmtime::component::{Component, Linker};
use wasmtime::{Store, StoreLimits, StoreLimitsBuilder, Trap};

/// Why a plugin call failed. Every variant names the plugin and version.
#[derive(Debug, Clone, Error)]
pub enum PluginFault {
    /// The component could not be compiled, linked or validated.
    #[error("plugin {sector:?} cannot be loaded: {reason}")]
    Invalid {
        /// Sector (or file name when the manifest is unknown).
        sector: String,
        /// Why.
        reason: String,
    },
    /// The call used up its fuel.
    #[error("plugin {sector} {version} ran out of fuel ({fuel} units) in {function}")]
    OutOfFuel {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The fuel limit.
        fuel: u64,
    },
    /// The call passed its wall-clock limit.
    #[error("plugin {sector} {version} timed out after {timeout_ms} ms in {function}")]
    Timeout {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The limit.
        timeout_ms: u64,
    },
    /// The call tried to grow memory past the cap.
    #[error("plugin {sector} {version} exceeded its memory limit of {max_memory_bytes} bytes in {function}")]
    MemoryLimit {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The cap.
        max_memory_bytes: usize,
    },
    /// Any other trap, with the panic message when the plugin logged one.
    #[error("plugin {sector} {version} trapped in {function}: {cause}")]
    Trap {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The trap and the plugin's last error log line.
        cause: String,
    },
    /// The sector's share of the plugin instance slots, or every slot of
    /// the pooling allocator, is in use: `503 plugin-busy`, retry shortly.
    #[error("plugin {sector} {version}: all {slots} plugin instance slots {scope} are busy; retry shortly")]
    Busy {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The number of slots (`CREDIT_PLUGIN_INSTANCES_PER_SECTOR` or
        /// `CREDIT_PLUGIN_INSTANCES`).
        slots: u32,
        /// `of this sector` or `of the host`.
        scope: &'static str,
    },
    /// The input is larger than `CREDIT_PLUGIN_MAX_INPUT_BYTES`; the plugin
    /// was not called.
    #[error("the input of plugin {sector} {version} {function} is {bytes} bytes, over the limit of {limit} bytes")]
    InputTooLarge {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The input's size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The plugin's answer breaks the interface's contract (e.g. a wrong
    /// number of answers).
    #[error("plugin {sector} {version} answered {function} with invalid output: {reason}")]
    InvalidOutput {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The plugin answered with its own error (not a trap).
    #[error("plugin {sector} {version} refused {function}: {code}: {message}")]
    Refused {
        /// Sector.
        sector: String,
        /// Plugin version.
        version: String,
        /// The exported function.
        function: &'static str,
        /// The plugin's error code.
        code: String,
        /// Its message.
        message: String,
    },
}

impl PluginFault {
    /// The kind of failure, as its problem type says it after `plugin-`:
    /// `timeout` (fuel or wall clock), `memory-limit`, `trap`,
    /// `invalid-output`, `refused`, `busy`, `input-too-large`, `unavailable`
    /// (a component that cannot be loaded).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OutOfFuel { .. } | Self::Timeout { .. } => "timeout",
            Self::MemoryLimit { .. } => "memory-limit",
            Self::Trap { .. } => "trap",
            Self::InvalidOutput { .. } => "invalid-output",
            Self::Refused { .. } => "refused",
            Self::Busy { .. } => "busy",
            Self::InputTooLarge { .. } => "input-too-large",
            Self::Invalid { .. } => "unavailable",
        }
    }
}

/// A record kind of a manifest, with its JSON Schema.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordKindInfo {
    /// Kind id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// The JSON Schema.
    pub schema: serde_json::Value,
}

/// A commitment template of a manifest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommitmentTemplateInfo {
    /// Template id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// Licence type.
    pub licence_type: Option<String>,
    /// JSON Schema of its fields.
    pub fields_schema: serde_json::Value,
}

/// A rule of the catalogue.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// Regulation and article.
    pub legal_basis: String,
}

/// A plugin's manifest as the host keeps it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Manifest {
    /// Sector id.
    pub sector: String,
    /// Display name.
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Interface version.
    pub interface_version: String,
    /// Record kinds.
    pub record_kinds: Vec<RecordKindInfo>,
    /// Licence types.
    pub licence_types: Vec<String>,
    /// Commitment templates.
    pub commitment_templates: Vec<CommitmentTemplateInfo>,
    /// Rule catalogue.
    pub rules: Vec<RuleInfo>,
}

/// Log lines one call may write; later ones are counted and dropped, so a
/// log flood cannot flood the host's log.
pub const LOG_LINES_PER_CALL: u32 = 100;

/// The state of one call's store: its limits and what the plugin logged.
pub(crate) struct CallState {
    limits: StoreLimits,
    tag: String,
    last_error: Option<String>,
    lines: u32,
}

impl bindings::LogHost for CallState {
    fn log(&mut self, level: Level, message: String) {
        self.lines = self.lines.saturating_add(1);
        if self.lines > LOG_LINES_PER_CALL {
            if matches!(level, Level::Error) {
                self.last_error = Some(message.chars().take(2_000).collect());
            }
            return;
        }
        let message: String = message.chars().take(2_000).collect();
        match level {
            Level::Debug => tracing::debug!(plugin = %self.tag, "{message}"),
            Level::Info => tracing::info!(plugin = %self.tag, "{message}"),
            Level::Warn => tracing::warn!(plugin = %self.tag, "{message}"),
            Level::Error => {
                tracing::error!(plugin = %self.tag, "{message}");
                self.last_error = Some(message);
            }
        }
    }
}

impl bindings::TypesHost for CallState {}

/// One compiled, pre-linked plugin version with its compiled record schemas.
pub struct LoadedPlugin {
    /// The manifest it returned at load.
    pub manifest: Manifest,
    /// sha256 of the component bytes, hex.
    pub sha256: String,
    config: RuntimeConfig,
    engine: wasmtime::Engine,
    pre: SectorPluginPre<CallState>,
    validators: HashMap<String, Arc<jsonschema::Validator>>,
    /// One permit per pooling-allocator instance slot, shared by every
    /// plugin of the engine ([`LoadedPlugin::share_slots`]).
    slots: Arc<tokio::sync::Semaphore>,
    /// The sector's share of the slots (set by the registry).
    sector_slots: Option<Arc<tokio::sync::Semaphore>>,
    /// Log lines dropped over [`LOG_LINES_PER_CALL`], over all calls.
    log_lines_dropped: std::sync::atomic::AtomicU64,
    /// Where calls are counted (set by the registry).
    metrics: Option<Arc<super::metrics::PluginMetrics>>,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadedPlugin({} {})", self.manifest.sector, self.manifest.version)
    }
}

/// Parse `x.y.z`.
fn semver(v: &str) -> Option<(u64, u64, u64)> {
    let mut it = v.split('.').map(|p| p.parse::<u64>().ok());
    let t = (it.next()??, it.next()??, it.next()??);
    it.next().is_none().then_some(t)
}

/// The interface version a component was built for, read from the names of
/// its own imports and exports (`credit:plugin/sector@0.1.0`).
fn interface_version(engine: &wasmtime::Engine, component: &Component) -> Result<String, String> {
    let ty = component.component_type();
    let mut versions = Vec::new();
    for (name, _) in ty.imports(engine).chain(ty.exports(engine)) {
        match name.strip_prefix("credit:plugin/").and_then(|n| n.split_once('@')) {
            Some((_, v)) => versions.push(v.to_owned()),
            None => {
                return Err(format!("unknown import or export {name:?}: a plugin may only use credit:plugin"));
            }
        }
    }
    versions.dedup();
    match versions.as_slice() {
        [v] => Ok(v.clone()),
        [] => Err("the component uses no credit:plugin interface".into()),
        many => Err(format!("the component mixes interface versions {many:?}")),
    }
}

impl LoadedPlugin {
    /// Compile, link and validate a component: its interface version is in
    /// [`SUPPORTED_INTERFACE`], its only imports are `credit:plugin`'s, its
    /// manifest can be read and every record schema compiles. Blocking:
    /// call it on a blocking thread.
    ///
    /// # Errors
    /// [`PluginFault::Invalid`] saying what is wrong, naming both versions
    /// for an unsupported interface.
    pub fn load(
        engine: &wasmtime::Engine,
        config: &RuntimeConfig,
        name: &str,
        bytes: &[u8],
    ) -> Result<Self, PluginFault> {
        let invalid = |reason: String| PluginFault::Invalid { sector: name.to_owned(), reason };
        let component = Component::new(engine, bytes).map_err(|e| {
            let first = format!("{e:#}").lines().next().unwrap_or_default().chars().take(300).collect::<String>();
            invalid(format!("不是有效的 WebAssembly 组件 / not a valid component: {first}"))
        })?;
        let version = interface_version(engine, &component).map_err(invalid)?;
        let (lo, hi) = (semver(SUPPORTED_INTERFACE.0), semver(SUPPORTED_INTERFACE.1));
        let v = semver(&version);
        if v.is_none() || v < lo || v > hi {
            return Err(invalid(format!(
                "不支持接口版本 {version}，本系统接受 {} 至 {} / interface version {version} is not supported: this host accepts credit:plugin {} to {}",
                SUPPORTED_INTERFACE.0, SUPPORTED_INTERFACE.1, SUPPORTED_INTERFACE.0, SUPPORTED_INTERFACE.1
            )));
        }
        let mut linker = Linker::new(engine);
        bindings::add_to_linker(&mut linker).map_err(|e| invalid(format!("{e:#}")))?;
        let pre = linker.instantiate_pre(&component).map_err(|e| invalid(format!("cannot be linked: {e:#}")))?;
        let pre =
            SectorPluginPre::new(pre).map_err(|e| invalid(format!("is not a credit:plugin sector plugin: {e:#}")))?;
        let mut plugin = Self {
            manifest: Manifest {
                sector: name.to_owned(),
                name: String::new(),
                version: "?".into(),
                interface_version: version,
                record_kinds: Vec::new(),
                licence_types: Vec::new(),
                commitment_templates: Vec::new(),
                rules: Vec::new(),
            },
            sha256: hex::encode(Sha256::digest(bytes)),
            config: config.clone(),
            engine: engine.clone(),
            pre,
            validators: HashMap::new(),
            slots: Arc::new(tokio::sync::Semaphore::new(config.max_instances as usize)),
            sector_slots: None,
            log_lines_dropped: std::sync::atomic::AtomicU64::new(0),
            metrics: None,
        };
        let m = plugin.call("manifest", |store, p| p.credit_plugin_sector().call_manifest(store))?;
        let parse = |what: &str, text: &str| -> Result<serde_json::Value, PluginFault> {
            serde_json::from_str(text).map_err(|e| invalid(format!("{what} is not JSON: {e}")))
        };
        let mut record_kinds = Vec::new();
        for k in m.record_kinds {
            let schema = parse(&format!("schema of kind {:?}", k.id), &k.schema)?;
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .map_err(|e| invalid(format!("schema of kind {:?} does not compile: {e}", k.id)))?;
            plugin.validators.insert(k.id.clone(), Arc::new(validator));
            record_kinds.push(RecordKindInfo { id: k.id, title: k.title, schema });
        }
        let mut commitment_templates = Vec::new();
        for t in m.commitment_templates {
            let fields_schema = parse(&format!("fields schema of template {:?}", t.id), &t.fields_schema)?;
            commitment_templates.push(CommitmentTemplateInfo {
                id: t.id,
                title: t.title,
                licence_type: t.licence_type,
                fields_schema,
            });
        }
        if semver::Version::parse(&m.version).is_err() {
            return Err(invalid(format!(
                "插件版本 {:?} 不是语义化版本号（如 1.2.0）/ the plugin version {:?} is not a semantic version such as 1.2.0",
                m.version.chars().take(40).collect::<String>(),
                m.version.chars().take(40).collect::<String>()
            )));
        }
        if m.interface_version != plugin.manifest.interface_version {
            return Err(invalid(format!(
                "manifest says interface {} but the component is built for {}",
                m.interface_version, plugin.manifest.interface_version
            )));
        }
        plugin.manifest = Manifest {
            sector: m.sector,
            name: m.name,
            version: m.version,
            interface_version: m.interface_version,
            record_kinds,
            licence_types: m.licence_types,
            commitment_templates,
            rules: m
                .rules
                .into_iter()
                .map(|r| RuleInfo { id: r.id, title: r.title, legal_basis: r.legal_basis })
                .collect(),
        };
        Ok(plugin)
    }

    /// Draw call permits from `slots`, the engine-wide semaphore of instance
    /// slots, instead of this plugin's own.
    #[must_use]
    pub fn share_slots(mut self, slots: Arc<tokio::sync::Semaphore>) -> Self {
        self.slots = slots;
        self
    }

    /// Also draw a permit from `sector_slots`, the sector's share of the
    /// slots, so that one sector's stuck calls cannot starve the others.
    #[must_use]
    pub fn share_sector_slots(mut self, sector_slots: Arc<tokio::sync::Semaphore>) -> Self {
        self.sector_slots = Some(sector_slots);
        self
    }

    /// Record calls, latency, fuel and dropped log lines in `metrics`.
    #[must_use]
    pub fn with_metrics(mut self, metrics: Arc<super::metrics::PluginMetrics>) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// The columns of record `kind` for spreadsheet input: the standard
    /// 双公示 headers plus the property titles of the plugin's schema.
    pub fn columns(&self, kind: &str) -> crate::domain::columns::Columns {
        let schema = self.manifest.record_kinds.iter().find(|k| k.id == kind).map(|k| &k.schema);
        crate::domain::columns::Columns::new(kind, schema)
    }

    /// The compiled JSON Schema of record `kind`, if the plugin has it.
    pub fn validator(&self, kind: &str) -> Option<&jsonschema::Validator> {
        self.validators.get(kind).map(|v| v.as_ref())
    }

    /// Run `f` in a fresh store with the configured limits.
    fn call<R>(
        &self,
        function: &'static str,
        f: impl FnOnce(&mut Store<CallState>, &bindings::SectorPlugin) -> wasmtime::Result<R>,
    ) -> Result<R, PluginFault> {
        let busy = |slots: u32, scope: &'static str| PluginFault::Busy {
            sector: self.manifest.sector.clone(),
            version: self.manifest.version.clone(),
            slots,
            scope,
        };
        let _sector_slot = match &self.sector_slots {
            Some(s) => Some(s.try_acquire().map_err(|_| busy(self.config.per_sector(), "of this sector"))?),
            None => None,
        };
        let _slot = self.slots.try_acquire().map_err(|_| busy(self.config.max_instances, "of the host"))?;
        let tag = format!("{} {}", self.manifest.sector, self.manifest.version);
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.config.max_memory_bytes)
            .instances(8)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(&self.engine, CallState { limits, tag, last_error: None, lines: 0 });
        store.limiter(|s| &mut s.limits);
        store.set_fuel(self.config.fuel_per_call).expect("fuel is enabled");
        store.set_epoch_deadline(self.config.deadline_ticks());
        let started = std::time::Instant::now();
        let result = self.pre.instantiate(&mut store).and_then(|instance| f(&mut store, &instance));
        let dropped = store.data().lines.saturating_sub(LOG_LINES_PER_CALL);
        if let Some(m) = &self.metrics {
            let (sector, version) = (self.manifest.sector.clone(), self.manifest.version.clone());
            let fuel = self.config.fuel_per_call.saturating_sub(store.get_fuel().unwrap_or(0));
            m.seconds
                .get_or_create(&super::metrics::FunctionLabels {
                    sector: sector.clone(),
                    function: function.to_owned(),
                })
                .observe(started.elapsed().as_secs_f64());
            let labels = super::metrics::VersionLabels { sector, version };
            m.fuel.get_or_create(&labels).inc_by(fuel);
            if dropped > 0 {
                m.log_lines_dropped.get_or_create(&labels).inc_by(u64::from(dropped));
            }
        }
        if dropped > 0 {
            self.log_lines_dropped.fetch_add(u64::from(dropped), std::sync::atomic::Ordering::Relaxed);
            tracing::warn!(plugin = %store.data().tag, function, "dropped {dropped} log lines over {LOG_LINES_PER_CALL} in one call");
        }
        result.map_err(|e| self.fault(function, e, store.data_mut().last_error.take()))
    }

    fn fault(&self, function: &'static str, e: wasmtime::Error, logged: Option<String>) -> PluginFault {
        let (sector, version) = (self.manifest.sector.clone(), self.manifest.version.clone());
        match e.downcast_ref::<Trap>() {
            Some(Trap::OutOfFuel) => {
                return PluginFault::OutOfFuel { sector, version, function, fuel: self.config.fuel_per_call };
            }
            Some(Trap::Interrupt) => {
                return PluginFault::Timeout { sector, version, function, timeout_ms: self.config.timeout_ms };
            }
            _ => {}
        }
        let text = format!("{e:#}");
        tracing::debug!(sector, version, function, "plugin fault: {text}");
        if text.contains("growing memory") || text.contains("memory limit") {
            return PluginFault::MemoryLimit {
                sector,
                version,
                function,
                max_memory_bytes: self.config.max_memory_bytes,
            };
        }
        // The trap itself, without the wasm backtrace (thousands of frames
        // for a stack overflow); other errors by their first line.
        let text = match e.downcast_ref::<Trap>() {
            Some(trap) => trap.to_string(),
            None => text.lines().next().unwrap_or_default().chars().take(500).collect(),
        };
        let cause = match logged {
            Some(msg) => format!("{text} ({msg})"),
            None => text,
        };
        PluginFault::Trap { sector, version, function, cause }
    }

    /// Log lines dropped because a call wrote more than
    /// [`LOG_LINES_PER_CALL`], over every call of this version.
    pub fn log_lines_dropped(&self) -> u64 {
        self.log_lines_dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn input_limit(&self, function: &'static str, bytes: usize) -> Result<(), PluginFault> {
        if bytes <= self.config.max_input_bytes {
            return Ok(());
        }
        Err(PluginFault::InputTooLarge {
            sector: self.manifest.sector.clone(),
            version: self.manifest.version.clone(),
            function,
            bytes,
            limit: self.config.max_input_bytes,
        })
    }

    fn invalid_output(&self, function: &'static str, reason: String) -> PluginFault {
        PluginFault::InvalidOutput {
            sector: self.manifest.sector.clone(),
            version: self.manifest.version.clone(),
            function,
            reason,
        }
    }

    fn refused(&self, function: &'static str, e: wit::PluginError) -> PluginFault {
        PluginFault::Refused {
            sector: self.manifest.sector.clone(),
            version: self.manifest.version.clone(),
            function,
            code: e.code,
            message: e.message,
        }
    }

    /// Semantic checks of `bodies` (JSON texts) of record `kind`, in one
    /// call. Blocking.
    ///
    /// # Errors
    /// A [`PluginFault`] for a trap, a limit, or the plugin's refusal.
    pub fn check_records(&self, kind: &str, bodies: &[String]) -> Result<Vec<Vec<wit::Violation>>, PluginFault> {
        self.counted("check-records", self.check_records_inner(kind, bodies))
    }

    fn check_records_inner(&self, kind: &str, bodies: &[String]) -> Result<Vec<Vec<wit::Violation>>, PluginFault> {
        self.input_limit("check-records", kind.len() + bodies.iter().map(String::len).sum::<usize>())?;
        let out =
            self.call("check-records", |store, p| p.credit_plugin_sector().call_check_records(store, kind, bodies))?;
        let out = out.map_err(|e| self.refused("check-records", e))?;
        if out.len() != bodies.len() {
            return Err(PluginFault::InvalidOutput {
                sector: self.manifest.sector.clone(),
                version: self.manifest.version.clone(),
                function: "check-records",
                reason: format!("returned {} answers for {} records", out.len(), bodies.len()),
            });
        }
        for (i, violations) in out.iter().enumerate() {
            if let Some(v) = violations.iter().find(|v| !(v.pointer.is_empty() || v.pointer.starts_with('/'))) {
                return Err(self.invalid_output(
                    "check-records",
                    format!("record {i}: violation {:?} has pointer {:?}, not a JSON pointer", v.code, v.pointer),
                ));
            }
        }
        Ok(out)
    }

    /// Apply the plugin's inspection rules. Blocking.
    ///
    /// # Errors
    /// A [`PluginFault`] for a trap, a limit, or the plugin's refusal.
    pub fn inspect(&self, request: &wit::InspectRequest) -> Result<Vec<wit::Finding>, PluginFault> {
        self.counted("inspect", self.inspect_inner(request))
    }

    fn inspect_inner(&self, request: &wit::InspectRequest) -> Result<Vec<wit::Finding>, PluginFault> {
        self.input_limit("inspect", inspect_size(request))?;
        let out = self.call("inspect", |store, p| p.credit_plugin_sector().call_inspect(store, request))?;
        let findings = out.map_err(|e| self.refused("inspect", e))?;
        self.check_findings(request, &findings)?;
        Ok(findings)
    }

    /// The promises of `inspect`'s answer: every finding cites a rule of the
    /// catalogue, its evidence ids are records of the request, and `until`
    /// is a date.
    fn check_findings(&self, request: &wit::InspectRequest, findings: &[wit::Finding]) -> Result<(), PluginFault> {
        for f in findings {
            if !self.manifest.rules.iter().any(|r| r.id == f.rule_id) {
                return Err(self.invalid_output(
                    "inspect",
                    format!("finding cites rule {:?}, which is not in the plugin's rule catalogue", f.rule_id),
                ));
            }
            if let Some(id) = f.evidence.iter().find(|id| !request.records.iter().any(|r| &r.id == *id)) {
                return Err(self.invalid_output(
                    "inspect",
                    format!(
                        "finding of rule {:?} cites evidence {id:?}, which is not a record of the request",
                        f.rule_id
                    ),
                ));
            }
            if let Some(until) =
                f.until.as_deref().filter(|u| chrono::NaiveDate::parse_from_str(u, "%Y-%m-%d").is_err())
            {
                return Err(self.invalid_output(
                    "inspect",
                    format!("finding of rule {:?} lasts until {until:?}, which is not a date YYYY-MM-DD", f.rule_id),
                ));
            }
        }
        Ok(())
    }

    /// Fill in a commitment template. Blocking.
    ///
    /// # Errors
    /// A [`PluginFault`] for a trap, a limit, or the plugin's refusal.
    pub fn render_commitment(
        &self,
        template: &str,
        subject: &wit::Subject,
        fields: &str,
    ) -> Result<String, PluginFault> {
        let out = self
            .call("render-commitment", |store, p| {
                p.credit_plugin_sector().call_render_commitment(store, template, subject, &fields.to_owned())
            })
            .and_then(|out| out.map_err(|e| self.refused("render-commitment", e)));
        self.counted("render-commitment", out)
    }

    /// Count a call's result in the metrics, and pass it on.
    fn counted<T>(&self, function: &'static str, result: Result<T, PluginFault>) -> Result<T, PluginFault> {
        if let Some(m) = &self.metrics {
            let labels = super::metrics::CallLabels {
                sector: self.manifest.sector.clone(),
                version: self.manifest.version.clone(),
                function: function.to_owned(),
                result: result.as_ref().err().map_or("ok", PluginFault::kind).to_owned(),
            };
            m.calls.get_or_create(&labels).inc();
        }
        result
    }
}

/// The size of an inspect request as the plugin receives it, in bytes of
/// text (close to what crosses the boundary: every string).
fn inspect_size(r: &wit::InspectRequest) -> usize {
    let subject = r.subject.key.len() + r.subject.name.len();
    let persons: usize = r.persons.iter().map(|p| p.key.len() + p.name.len() + 8).sum();
    let records: usize = r
        .records
        .iter()
        .map(|c| {
            c.id.len()
                + c.sector.len()
                + c.kind.len()
                + c.subject_key.len()
                + c.subject_name.len()
                + c.legal_representative_key.as_ref().map_or(0, String::len)
                + c.decision_number.len()
                + c.decision_date.as_ref().map_or(0, String::len)
                + c.legal_basis.len()
                + c.penalty_types.iter().map(String::len).sum::<usize>()
                + c.content.len()
                + c.certificate.len()
                + c.body.len()
                + 8
        })
        .sum();
    let entries: usize = r
        .list_entries
        .iter()
        .map(|e| {
            e.list.len()
                + e.subject_key.len()
                + e.start.len()
                + e.end.as_ref().map_or(0, String::len)
                + e.record_id.as_ref().map_or(0, String::len)
                + e.basis.len()
        })
        .sum();
    subject + persons + records + entries + r.as_of.len() + r.licence_type.as_ref().map_or(0, String::len)
}
