//! The `printing-distribution` sector plugin (印刷发行管理处): printing
//! (印刷业管理条例, licence type `printing`, 印刷经营许可证) and publication
//! distribution (出版管理条例, licence type `publication-distribution`,
//! 出版物经营许可证).
//!
//! - record kinds `penalty`, `licence` and the sector's own `annual-report`
//!   (印刷企业年度报告, 印刷业管理条例第七条; [`annual_report`]); schemas in
//!   `schemas/printing-distribution/`;
//! - semantic checks of penalties against every penalty article of both
//!   regulations ([`articles`], [`checks`]);
//! - commitment templates per licence type ([`commitment`]);
//! - inspection rules: the 10-year bans of 出版管理条例第七十条第一款 and
//!   印刷业管理条例第四十五条, cautious review where no statute bars, and checks
//!   of the applicant itself ([`rules`]).
//!
//! See `plugins/printing-distribution/README.md` for the rule table.

pub mod annual_report;
pub mod articles;
pub mod checks;
pub mod commitment;
pub mod rules;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct PrintingDistribution;

/// Sector id.
pub const SECTOR: &str = "printing-distribution";

/// Licence types this plugin inspects for: `printing` (印刷经营许可证) and
/// `publication-distribution` (出版物经营许可证).
pub const LICENCE_TYPES: [&str; 2] = ["printing", "publication-distribution"];

impl SectorPlugin for PrintingDistribution {
    fn manifest() -> Manifest {
        let mut m = Manifest::new(SECTOR, "印刷发行（印刷业、出版物发行）", env!("CARGO_PKG_VERSION"));
        m.record_kinds = vec![
            RecordKind {
                id: "penalty".into(),
                title: "行政处罚".into(),
                schema: bundle(include_str!("../../../schemas/printing-distribution/penalty.schema.json")),
            },
            RecordKind {
                id: "licence".into(),
                title: "行政许可".into(),
                schema: bundle(include_str!("../../../schemas/printing-distribution/licence.schema.json")),
            },
            RecordKind {
                id: annual_report::KIND.into(),
                title: "印刷企业年度报告".into(),
                schema: bundle(include_str!("../../../schemas/printing-distribution/annual-report.schema.json")),
            },
        ];
        m.licence_types = LICENCE_TYPES.iter().map(|s| s.to_string()).collect();
        m.commitment_templates = commitment::TEMPLATES.iter().map(|t| t.info()).collect();
        m.rules = rules::catalogue();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        let check: fn(&Value) -> Vec<Violation> = match kind {
            "penalty" => checks::penalty,
            "licence" => checks::licence,
            annual_report::KIND => annual_report::check,
            other => {
                return Err(PluginError::new(
                    "unknown-kind",
                    format!("printing-distribution has no record kind {other:?}"),
                ));
            }
        };
        Ok(bodies.iter().map(check).collect())
    }

    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        credit_sdk::commitment::render(&commitment::TEMPLATES, template, subject, fields)
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        rules::inspect(request)
    }
}

credit_sdk::export_plugin!(PrintingDistribution);

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;
    use std::path::{Path, PathBuf};

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<PrintingDistribution>();
        assert_eq!(m.sector, SECTOR);
        assert_eq!(m.version, env!("CARGO_PKG_VERSION"));
        let kinds: Vec<_> = m.record_kinds.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["penalty", "licence", "annual-report"]);
        assert_eq!(m.licence_types, LICENCE_TYPES);
        assert_eq!(m.commitment_templates.len(), 2);
        assert!(m.rules.len() >= 6);
    }

    #[test]
    fn own_kind_schema_titles_every_property_and_names_the_envelope() {
        let m = harness::manifest::<PrintingDistribution>();
        let schema = &m.record_kinds[2].schema;
        let props = schema["properties"].as_object().unwrap();
        for (name, p) in props {
            assert!(p["title"].as_str().is_some_and(|t| !t.is_ascii()), "{name} has no Chinese title");
        }
        for envelope in ["decision_number", "decision_date", "authority", "legal_basis", "content"] {
            assert!(props.contains_key(envelope), "{envelope} missing");
        }
        assert!(schema["required"].as_array().unwrap().iter().any(|r| r == "decision_date"));
        assert_eq!(schema["$defs"]["shared"]["$id"], "https://credit.bureau.local/schemas/shared.schema.json");
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let err = harness::check_records::<PrintingDistribution>("red-list", &[]).unwrap_err();
        assert_eq!(err.code, "unknown-kind");
    }

    #[test]
    fn fixtures() {
        harness::fixtures::<PrintingDistribution>(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")));
    }

    /// A data file of the repository (`data/…`).
    fn data(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
    }

    // The sample data of `data/sample/` is valid by construction
    // (`data/README.md`): every row must pass the kind's JSON Schema and
    // `check_records` without an error (warnings allowed).

    #[test]
    fn every_sample_penalty_passes() {
        let path = data("data/sample/penalties-printing-distribution.csv");
        assert!(!harness::sample_bodies(&path, "penalty", None).is_empty());
        let refused = harness::refused_rows::<PrintingDistribution>("penalty", &path);
        assert!(refused.is_empty(), "{refused:#?}");
    }

    #[test]
    fn every_sample_licence_passes() {
        let path = data("data/sample/licences-printing-distribution.csv");
        assert!(!harness::sample_bodies(&path, "licence", None).is_empty());
        let refused = harness::refused_rows::<PrintingDistribution>("licence", &path);
        assert!(refused.is_empty(), "{refused:#?}");
    }

    #[test]
    fn published_rows_of_the_sector_pass() {
        // data/real holds every sector's published rows: those of distribution
        // (出版物发行) or citing 印刷业管理条例 must not be refused by check_records.
        let rows: Vec<(usize, Value)> = harness::sample_bodies(&data("data/real/penalties.csv"), "penalty", None)
            .into_iter()
            .filter(|(_, b)| {
                let t = |f: &str| b.get(f).and_then(Value::as_str).unwrap_or_default().to_owned();
                t("legal_basis").contains(articles::PRINTING) || t("violation_type").contains("发行")
            })
            .collect();
        assert!(rows.len() >= 5, "{} rows", rows.len());
        let bodies: Vec<Value> = rows.iter().map(|(_, b)| b.clone()).collect();
        let answers = harness::check_records::<PrintingDistribution>("penalty", &bodies).unwrap();
        let refused: Vec<_> = rows
            .iter()
            .zip(&answers)
            .filter(|(_, v)| v.iter().any(|v| !v.warning))
            .map(|((line, _), v)| (line, v))
            .collect();
        assert!(refused.is_empty(), "{refused:#?}");
    }
}
