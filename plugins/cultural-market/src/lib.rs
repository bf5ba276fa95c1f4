//! The `cultural-market` sector plugin (文化市场处): internet cafés
//! (互联网上网服务营业场所), entertainment venues (娱乐场所) and commercial
//! performances (营业性演出).
//!
//! - record kinds `penalty` and `licence` (schemas in `schemas/cultural-market/`);
//! - semantic checks of penalties against the articles they cite ([`checks`]);
//! - commitment templates per licence type ([`commitment`]);
//! - inspection rules, among them the statutory bans on persons ([`rules`]).

pub mod checks;
pub mod commitment;
pub mod rules;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct CulturalMarket;

/// Sector id.
pub const SECTOR: &str = "cultural-market";

/// Licence types this plugin inspects for.
pub const LICENCE_TYPES: [&str; 3] = ["internet-cafe", "entertainment-venue", "commercial-performance"];

impl SectorPlugin for CulturalMarket {
    fn manifest() -> Manifest {
        let mut m = Manifest::new(SECTOR, "文化市场（网吧、娱乐场所、营业性演出）", env!("CARGO_PKG_VERSION"));
        m.record_kinds = vec![
            RecordKind {
                id: "penalty".into(),
                title: "行政处罚".into(),
                schema: bundle(include_str!("../../../schemas/cultural-market/penalty.schema.json")),
            },
            RecordKind {
                id: "licence".into(),
                title: "行政许可".into(),
                schema: bundle(include_str!("../../../schemas/cultural-market/licence.schema.json")),
            },
        ];
        m.licence_types = LICENCE_TYPES.iter().map(|s| s.to_string()).collect();
        m.commitment_templates = commitment::templates();
        m.rules = rules::catalogue();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        match kind {
            "penalty" => Ok(bodies.iter().map(checks::penalty).collect()),
            "licence" => Ok(bodies.iter().map(checks::licence).collect()),
            other => Err(PluginError::new("unknown-kind", format!("cultural-market has no record kind {other:?}"))),
        }
    }

    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        commitment::render(template, subject, fields)
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        rules::inspect(request)
    }
}

credit_sdk::export_plugin!(CulturalMarket);
