//! The `cultural-market` sector plugin (文化市场处): internet cafés
//! (互联网上网服务营业场所管理条例), entertainment venues (娱乐场所管理条例) and
//! commercial performances (营业性演出管理条例).
//!
//! - record kinds `penalty` and `licence`, and the sector's own
//!   `performance-approval` (营业性演出审批, 营业性演出管理条例第十三条、第十五条;
//!   [`approval`]); schemas in `schemas/cultural-market/`;
//! - semantic checks of penalties against every penalty article of the three
//!   regulations: the penalty types each provides and requires, and its fine
//!   range in 万元 ([`checks`]);
//! - a credit-commitment template per licence type ([`commitment`]);
//! - inspection rules: the statutory bans on persons after a revocation or the
//!   closure of an unlicensed business, and key supervision after repeated
//!   violations within the periods the regulations name ([`rules`]).
//!
//! Tests: unit tests beside the code, the fixtures in `fixtures/` (one or more
//! per rule), and the sample and real data of `data/` (the `sample_data` tests).

pub mod approval;
pub mod checks;
pub mod commitment;
pub mod rules;
#[cfg(test)]
mod sample_data;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct CulturalMarket;

/// Sector id.
pub const SECTOR: &str = "cultural-market";

/// Licence types this plugin inspects for (DESIGN.md §5): 网络文化经营许可证
/// (互联网上网服务营业场所), 娱乐经营许可证, 营业性演出许可证.
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
            RecordKind {
                id: approval::KIND.into(),
                title: "营业性演出审批".into(),
                schema: bundle(include_str!("../../../schemas/cultural-market/performance-approval.schema.json")),
            },
        ];
        m.licence_types = LICENCE_TYPES.iter().map(|s| s.to_string()).collect();
        m.commitment_templates = commitment::TEMPLATES.iter().map(|t| t.info()).collect();
        m.rules = rules::catalogue();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        match kind {
            "penalty" => Ok(bodies.iter().map(checks::penalty).collect()),
            "licence" => Ok(bodies.iter().map(checks::licence).collect()),
            approval::KIND => Ok(bodies.iter().map(approval::check).collect()),
            other => Err(PluginError::new("unknown-kind", format!("cultural-market has no record kind {other:?}"))),
        }
    }

    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        credit_sdk::commitment::render(&commitment::TEMPLATES, template, subject, fields)
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        rules::inspect(request)
    }
}

credit_sdk::export_plugin!(CulturalMarket);

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<CulturalMarket>();
        assert_eq!((m.sector.as_str(), m.version.as_str()), (SECTOR, env!("CARGO_PKG_VERSION")));
        assert_eq!(
            m.record_kinds.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
            ["penalty", "licence", "performance-approval"]
        );
        assert_eq!(m.licence_types, LICENCE_TYPES);
        assert_eq!(m.commitment_templates.len(), 3);
        assert_eq!(m.rules.len(), 14);
    }

    #[test]
    fn unknown_record_kind_is_an_error() {
        let err = harness::check_records::<CulturalMarket>("commendation", &[]).unwrap_err();
        assert_eq!(err.code, "unknown-kind");
    }
}
