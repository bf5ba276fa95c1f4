//! The plugin runtime: wasmtime with the component model.
//!
//! Each plugin is compiled once and pre-linked ([`wasmtime::component::InstancePre`]
//! under a pooling allocator); every call runs in a fresh [`wasmtime::Store`],
//! so nothing leaks from one subject to the next. A call is bounded by fuel
//! (deterministic: a replay stops at the same point), a wall-clock timeout
//! (epoch interruption) and a memory cap; a trap, timeout or exhausted
//! memory fails that one call with a [`PluginFault`] naming the plugin, its
//! version and the cause, and the next call works. Compilation and calls
//! run on blocking threads, never on the async workers.

mod bindings;
mod engine;
mod fixtures;
mod metrics;
mod plugin;
mod registry;
pub mod signing;

pub use bindings::wit;
pub use engine::{RuntimeConfig, SUPPORTED_INTERFACE};
pub use fixtures::{FIXTURES_SECTION, FixtureResult, embedded_fixtures, from_wit, run_embedded, run_fixtures, to_wit};
pub use metrics::PluginMetrics;
pub use plugin::{CommitmentTemplateInfo, LOG_LINES_PER_CALL, LoadedPlugin, Manifest, PluginFault, RecordKindInfo};
pub use registry::{COMPILED_KEPT, PluginStatus, Plugins};

/// sha256 of `bytes`, lower-case hex: how versions and signatures name a
/// component.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}
