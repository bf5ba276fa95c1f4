//! The `publishing` sector plugin: publishing units (出版单位: 报社、期刊社、
//! 图书出版社、音像出版社、电子出版物出版社) and their publications under
//! 出版管理条例, including illegal and prohibited publishing. Which divisions
//! report and use it is the host's configuration.
//!
//! - record kinds `penalty`, `licence` and the sector's own
//!   `quality-inspection` (出版物质量监督检查结果, 第五十一条); schemas in
//!   `schemas/publishing/`;
//! - semantic checks of penalties against every penalty article of
//!   出版管理条例 ([`checks`]) and of quality inspections ([`quality`]);
//! - the commitment template for the licence type `publishing`
//!   ([`commitment`]);
//! - inspection rules, among them the 10-year ban of 第七十条第一款 ([`rules`]).

pub mod checks;
pub mod commitment;
pub mod quality;
pub mod rules;
#[cfg(test)]
mod sample_data;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct Publishing;

/// Sector id.
pub const SECTOR: &str = "publishing";

/// The licence type this plugin inspects for: 出版单位设立及出版许可
/// (出版许可证, 出版管理条例第十二条、第十五条).
pub const LICENCE_TYPE: &str = "publishing";

impl SectorPlugin for Publishing {
    fn manifest() -> Manifest {
        let mut m = Manifest::new(SECTOR, "出版（出版单位、出版物）", env!("CARGO_PKG_VERSION"));
        m.record_kinds = vec![
            RecordKind {
                id: "penalty".into(),
                title: "行政处罚".into(),
                schema: bundle(include_str!("../../../schemas/publishing/penalty.schema.json")),
            },
            RecordKind {
                id: "licence".into(),
                title: "行政许可".into(),
                schema: bundle(include_str!("../../../schemas/publishing/licence.schema.json")),
            },
            RecordKind {
                id: quality::KIND.into(),
                title: "出版物质量监督检查结果".into(),
                schema: bundle(include_str!("../../../schemas/publishing/quality-inspection.schema.json")),
            },
        ];
        m.licence_types = vec![LICENCE_TYPE.into()];
        m.commitment_templates = commitment::TEMPLATES.iter().map(credit_sdk::commitment::Template::info).collect();
        m.rules = rules::catalogue();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        match kind {
            "penalty" => Ok(bodies.iter().map(checks::penalty).collect()),
            "licence" => Ok(bodies.iter().map(checks::licence).collect()),
            quality::KIND => Ok(bodies.iter().map(quality::check).collect()),
            other => Err(PluginError::new("unknown-kind", format!("publishing has no record kind {other:?}"))),
        }
    }

    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        credit_sdk::commitment::render(&commitment::TEMPLATES, template, subject, fields)
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        rules::inspect(request)
    }
}

credit_sdk::export_plugin!(Publishing);

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<Publishing>();
        assert_eq!((m.sector.as_str(), m.version.as_str()), (SECTOR, env!("CARGO_PKG_VERSION")));
        let kinds: Vec<_> = m.record_kinds.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["penalty", "licence", "quality-inspection"]);
        assert_eq!(m.licence_types, [LICENCE_TYPE]);
        assert_eq!(m.commitment_templates.len(), 1);
        assert!(m.rules.len() >= 6);
        let err = harness::check_records::<Publishing>("commendation", &[]).unwrap_err();
        assert_eq!(err.code, "unknown-kind");
    }
}
