//! The `arts-heritage` sector plugin: practitioner credit files
//! (从业人员信用档案) of troupes, performers and agents (文艺表演团体、演员、演出经纪人员),
//! intangible-heritage representative inheritors (非物质文化遗产代表性传承人) and
//! applicants for arts, cultural-industry and public-culture funding. It
//! serves the divisions the host configures for it (艺术处, 非物质文化遗产处,
//! 公共文化处, 文化产业处 by default).
//!
//! - record kinds ([`kinds`]): `penalty` and `licence` (双公示), and the sector's
//!   own `practitioner`, `inheritor-assessment` and `funding-acceptance`
//!   (schemas in `schemas/arts-heritage/`);
//! - semantic checks ([`checks`]): every penalty article of 营业性演出管理条例 and
//!   非物质文化遗产法第四十一条, and the consistency of the own kinds;
//! - commitment templates per kind of application ([`commitment`]);
//! - inspection rules for funding, honours and supervision ([`rules`]). The
//!   sector inspects for no licence type: performance licences are the
//!   cultural-market plugin's.

pub mod checks;
pub mod commitment;
pub mod kinds;
pub mod rules;

#[cfg(test)]
mod sample_data;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct ArtsHeritage;

/// Sector id.
pub const SECTOR: &str = "arts-heritage";

impl SectorPlugin for ArtsHeritage {
    fn manifest() -> Manifest {
        let mut m =
            Manifest::new(SECTOR, "艺术与非物质文化遗产（从业人员、传承人、资助项目）", env!("CARGO_PKG_VERSION"));
        m.record_kinds = kinds::record_kinds();
        m.commitment_templates = commitment::TEMPLATES.iter().map(|t| t.info()).collect();
        m.rules = rules::catalogue();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        let check: fn(&Value) -> Vec<Violation> = match kind {
            kinds::PENALTY => checks::penalty,
            kinds::LICENCE => checks::licence,
            kinds::PRACTITIONER => checks::practitioner,
            kinds::INHERITOR_ASSESSMENT => checks::assessment,
            kinds::FUNDING_ACCEPTANCE => checks::funding,
            other => {
                return Err(PluginError::new("unknown-kind", format!("arts-heritage has no record kind {other:?}")));
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

credit_sdk::export_plugin!(ArtsHeritage);

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<ArtsHeritage>();
        assert_eq!(m.sector, SECTOR);
        assert_eq!(m.version, env!("CARGO_PKG_VERSION"));
        assert!(m.licence_types.is_empty());
        let kinds: Vec<_> = m.record_kinds.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["penalty", "licence", "practitioner", "inheritor-assessment", "funding-acceptance"]);
        assert!(m.rules.len() >= 6);
        assert_eq!(m.commitment_templates.len(), 3);
        assert!(m.commitment_templates.iter().all(|t| t.licence_type.is_none()));
    }

    /// Every own property has a Chinese title: the host maps a CSV column to
    /// it by that title. (That each schema compiles as the host compiles it
    /// is checked with the sample files, in `sample_data`.)
    #[test]
    fn every_own_property_has_a_chinese_title() {
        for k in ArtsHeritage::manifest().record_kinds {
            for (name, p) in k.schema["properties"].as_object().into_iter().flatten() {
                let title = p["title"].as_str().unwrap_or_default();
                assert!(
                    k.id == "licence" || title.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{}/{name} has no Chinese title",
                    k.id
                );
            }
        }
    }

    #[test]
    fn unknown_kind_is_an_error() {
        assert_eq!(harness::check_records::<ArtsHeritage>("red-list", &[json!({})]).unwrap_err().code, "unknown-kind");
    }

    #[test]
    fn fixtures_pass() {
        harness::fixtures::<ArtsHeritage>(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")));
    }
}
