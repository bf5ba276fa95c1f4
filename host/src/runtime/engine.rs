//! The wasmtime engine and the per-call limits.

use std::time::Duration;

/// The interface versions this host accepts: `0.1.0` up to its own.
pub const SUPPORTED_INTERFACE: (&str, &str) = ("0.1.0", "0.1.0");

/// Limits and pool sizes of the plugin runtime.
#[derive(Debug, Clone, clap::Args)]
pub struct RuntimeConfig {
    /// Fuel per plugin call (about one unit per WebAssembly instruction);
    /// deterministic, so a replay stops at the same point.
    #[arg(long, env = "CREDIT_PLUGIN_FUEL", default_value_t = 2_000_000_000)]
    pub fuel_per_call: u64,
    /// Wall-clock limit of one plugin call, in milliseconds.
    #[arg(long, env = "CREDIT_PLUGIN_TIMEOUT_MS", default_value_t = 5_000)]
    pub timeout_ms: u64,
    /// Linear-memory cap of one plugin call, in bytes (default 64 MiB).
    #[arg(long, env = "CREDIT_PLUGIN_MAX_MEMORY_BYTES", default_value_t = 64 << 20)]
    pub max_memory_bytes: usize,
    /// Plugin instances that may run at once (pooling allocator slots); a
    /// call beyond them is `503 plugin-busy`.
    #[arg(long, env = "CREDIT_PLUGIN_INSTANCES", default_value_t = 32)]
    pub max_instances: u32,
    /// Slots one sector's calls may hold at once (default 0: half of
    /// `max_instances`, at least 1), so that a sector whose plugin is stuck
    /// leaves slots for the others.
    #[arg(long, env = "CREDIT_PLUGIN_INSTANCES_PER_SECTOR", default_value_t = 0)]
    pub max_instances_per_sector: u32,
    /// Largest input of one plugin call, in bytes of JSON text (record
    /// bodies and strings; default 16 MiB); a larger one is refused
    /// (`plugin-input-too-large`) before the plugin runs.
    #[arg(long, env = "CREDIT_PLUGIN_MAX_INPUT_BYTES", default_value_t = 16 << 20)]
    pub max_input_bytes: usize,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            fuel_per_call: 2_000_000_000,
            timeout_ms: 5_000,
            max_memory_bytes: 64 << 20,
            max_instances: 32,
            max_instances_per_sector: 0,
            max_input_bytes: 16 << 20,
        }
    }
}

/// Epoch ticks per second: the timeout's resolution is 10 ms.
pub(crate) const TICKS_PER_SECOND: u64 = 100;

impl RuntimeConfig {
    /// The engine: component model, fuel, epoch interruption, pooling allocator.
    ///
    /// # Errors
    /// When wasmtime refuses the configuration (e.g. a pool it cannot reserve).
    pub fn engine(&self) -> anyhow::Result<wasmtime::Engine> {
        let mut pool = wasmtime::PoolingAllocationConfig::default();
        let n = self.max_instances;
        pool.total_component_instances(n)
            .total_core_instances(n * 8)
            .total_memories(n)
            .total_tables(n * 4)
            .max_core_instances_per_component(8)
            .max_tables_per_component(4)
            .max_memories_per_component(2)
            .max_memory_size(self.max_memory_bytes);
        let mut config = wasmtime::Config::new();
        config
            .wasm_component_model(true)
            .consume_fuel(true)
            .epoch_interruption(true)
            .memory_reservation(self.max_memory_bytes as u64)
            .memory_guard_size(64 << 10)
            .allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool));
        let engine = wasmtime::Engine::new(&config)?;
        let ticker = engine.weak();
        std::thread::Builder::new().name("plugin-epoch".into()).spawn(move || {
            while let Some(engine) = ticker.upgrade() {
                engine.increment_epoch();
                drop(engine);
                std::thread::sleep(Duration::from_millis(1000 / TICKS_PER_SECOND));
            }
        })?;
        Ok(engine)
    }

    /// The slots one sector may hold: `max_instances_per_sector`, or half of
    /// `max_instances` when it is 0; at least 1, at most `max_instances`.
    pub fn per_sector(&self) -> u32 {
        let n = if self.max_instances_per_sector == 0 { self.max_instances / 2 } else { self.max_instances_per_sector };
        n.clamp(1, self.max_instances.max(1))
    }

    /// The epoch deadline of one call, in ticks.
    pub(crate) fn deadline_ticks(&self) -> u64 {
        (self.timeout_ms * TICKS_PER_SECOND / 1000).max(1)
    }
}
