//! Metrics of the plugin runtime, per plugin, for `GET /metrics` (the
//! OpenMetrics text format Prometheus scrapes): calls and errors by kind,
//! call latency, fuel used, dropped log lines, the active version of each
//! sector and how many instance slots are in use.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Mutex;

/// Labels of a call counter.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct CallLabels {
    pub sector: String,
    pub version: String,
    pub function: String,
    /// `ok`, or the problem type without `plugin-` (`timeout`, `trap`, …).
    pub result: String,
}

/// Labels of per-version series.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct VersionLabels {
    pub sector: String,
    pub version: String,
}

/// Labels of the latency histogram.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct FunctionLabels {
    pub sector: String,
    pub function: String,
}

type HistogramFn = fn() -> Histogram;

/// The runtime's metrics and their registry.
pub struct PluginMetrics {
    registry: Mutex<Registry>,
    pub(crate) calls: Family<CallLabels, Counter>,
    pub(crate) seconds: Family<FunctionLabels, Histogram, HistogramFn>,
    pub(crate) fuel: Family<VersionLabels, Counter>,
    pub(crate) log_lines_dropped: Family<VersionLabels, Counter>,
    pub(crate) active: Family<VersionLabels, Gauge>,
    pub(crate) slots_in_use: Gauge,
    pub(crate) slots: Gauge,
}

impl std::fmt::Debug for PluginMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PluginMetrics")
    }
}

fn latency() -> Histogram {
    // 100 µs to about 26 s, ×4 a bucket.
    Histogram::new(exponential_buckets(0.000_1, 4.0, 10))
}

impl PluginMetrics {
    /// Empty metrics for a runtime with `slots` instance slots.
    pub fn new(slots: u32) -> Self {
        let metrics = Self {
            registry: Mutex::new(Registry::default()),
            calls: Family::default(),
            seconds: Family::new_with_constructor(latency as HistogramFn),
            fuel: Family::default(),
            log_lines_dropped: Family::default(),
            active: Family::default(),
            slots_in_use: Gauge::default(),
            slots: Gauge::default(),
        };
        metrics.slots.set(i64::from(slots));
        {
            let mut r = metrics.registry.lock().expect("lock");
            r.register(
                "credit_plugin_calls",
                "Plugin calls by sector, version, function and result",
                metrics.calls.clone(),
            );
            r.register(
                "credit_plugin_call_seconds",
                "Wall-clock time of plugin calls, in seconds",
                metrics.seconds.clone(),
            );
            r.register("credit_plugin_fuel", "Fuel the plugin's calls used", metrics.fuel.clone());
            r.register(
                "credit_plugin_log_lines_dropped",
                "Log lines dropped over the per-call limit",
                metrics.log_lines_dropped.clone(),
            );
            r.register("credit_plugin_active", "1 for the version each sector serves", metrics.active.clone());
            r.register("credit_plugin_slots_in_use", "Plugin instance slots in use", metrics.slots_in_use.clone());
            r.register("credit_plugin_slots", "Plugin instance slots (CREDIT_PLUGIN_INSTANCES)", metrics.slots.clone());
        }
        metrics
    }

    /// Record that `sector` now serves `version` (and no longer `previous`).
    pub(crate) fn activated(&self, sector: &str, version: &str, previous: Option<&str>) {
        if let Some(previous) = previous.filter(|p| *p != version) {
            self.active.remove(&VersionLabels { sector: sector.to_owned(), version: previous.to_owned() });
        }
        self.active.get_or_create(&VersionLabels { sector: sector.to_owned(), version: version.to_owned() }).set(1);
    }

    /// The OpenMetrics text, with the slots in use as of now.
    ///
    /// # Errors
    /// Only if formatting fails.
    pub fn render(&self, slots_in_use: i64) -> Result<String, std::fmt::Error> {
        self.slots_in_use.set(slots_in_use);
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry.lock().expect("lock"))?;
        Ok(out)
    }
}
