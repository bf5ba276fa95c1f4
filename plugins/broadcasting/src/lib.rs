//! The `broadcasting` sector plugin: radio and television programme
//! production (广播电视节目制作经营, 《广播电视管理条例》) and satellite television
//! reception facilities (卫星电视广播地面接收设施, 《卫星电视广播地面接收设施管理规定》).
//! Which divisions (处室) report and use it — 传媒管理处 and 科技信息处 at the time
//! of writing — is the host's configuration, not this crate's.
//!
//! - record kinds `penalty`, `licence` and the sector's own `satellite-facility`
//!   (schemas in `schemas/broadcasting/`);
//! - semantic checks: every penalty article of both regulations with its
//!   penalty types and fine range ([`checks`]), the steps of a facility's
//!   approval, installation and licence ([`facility`]);
//! - commitment templates for `radio-tv-production` and `satellite-installation`
//!   ([`commitment`]);
//! - inspection rules ([`rules`]). The sector's statutes bar no person after a
//!   revocation or closure, so every rule leads to `caution`, never `restricted`.

pub mod checks;
pub mod commitment;
pub mod facility;
pub mod rules;

use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct Broadcasting;

/// Sector id.
pub const SECTOR: &str = "broadcasting";

/// Licence types this plugin inspects for: 广播电视节目制作经营许可证, and
/// 卫星地面接收设施安装服务许可 with the 设置 licence (接收卫星传送的电视节目许可证).
pub const LICENCE_TYPES: [&str; 2] = [rules::PRODUCTION, rules::SATELLITE];

/// The sector's own record kind: a satellite reception facility set up under
/// 《卫星电视广播地面接收设施管理规定》第七条 (schema `satellite-facility.schema.json`).
pub const SATELLITE_FACILITY: &str = "satellite-facility";

impl SectorPlugin for Broadcasting {
    fn manifest() -> Manifest {
        let mut m = Manifest::new(SECTOR, "广播电视（节目制作经营、卫星地面接收设施）", env!("CARGO_PKG_VERSION"));
        m.record_kinds = vec![
            RecordKind {
                id: "penalty".into(),
                title: "行政处罚".into(),
                schema: bundle(include_str!("../../../schemas/broadcasting/penalty.schema.json")),
            },
            RecordKind {
                id: "licence".into(),
                title: "行政许可".into(),
                schema: bundle(include_str!("../../../schemas/broadcasting/licence.schema.json")),
            },
            RecordKind {
                id: SATELLITE_FACILITY.into(),
                title: "卫星地面接收设施设置记录".into(),
                schema: bundle(include_str!("../../../schemas/broadcasting/satellite-facility.schema.json")),
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
            SATELLITE_FACILITY => facility::satellite_facility,
            other => {
                return Err(PluginError::new("unknown-kind", format!("broadcasting has no record kind {other:?}")));
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

credit_sdk::export_plugin!(Broadcasting);

#[cfg(test)]
mod sample;

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;
    use std::path::Path;

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<Broadcasting>();
        assert_eq!(m.sector, SECTOR);
        assert_eq!(m.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(m.licence_types, LICENCE_TYPES);
        let kinds: Vec<_> = m.record_kinds.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kinds, ["penalty", "licence", SATELLITE_FACILITY]);
        assert_eq!(m.commitment_templates.len(), 2);
        assert!(m.rules.len() >= 6);
    }

    #[test]
    fn every_schema_compiles_with_the_shared_definitions() {
        for k in harness::manifest::<Broadcasting>().record_kinds {
            jsonschema::options()
                .should_validate_formats(true)
                .build(&k.schema)
                .unwrap_or_else(|e| panic!("schema of {:?} does not compile: {e}", k.id));
        }
    }

    #[test]
    fn own_kind_titles_every_property_for_the_csv_columns() {
        let m = harness::manifest::<Broadcasting>();
        let k = m.record_kinds.iter().find(|k| k.id == SATELLITE_FACILITY).unwrap();
        for (field, p) in k.schema["properties"].as_object().unwrap() {
            assert!(p["title"].is_string(), "property {field:?} has no title");
        }
    }

    #[test]
    fn satellite_facility_record_validates_and_an_individual_needs_an_employer() {
        let m = harness::manifest::<Broadcasting>();
        let k = m.record_kinds.iter().find(|k| k.id == SATELLITE_FACILITY).unwrap();
        let v = jsonschema::options().should_validate_formats(true).build(&k.schema).unwrap();
        let mut body = serde_json::json!({
            "subject_name": "郑州某酒店有限公司", "subject_category": "法人及非法人组织", "uscc": "91410104MAJ62FJQ2L",
            "decision_number": "豫广电卫审〔2024〕3号", "decision_date": "2024-03-01", "authority": "河南省广播电视局",
            "legal_basis": "《卫星电视广播地面接收设施管理规定》第七条", "content": "设置卫星地面接收设施1套",
            "facility_address": "郑州市某路1号", "quality_certificate": "CQC2024-001",
            "installer_name": "新密市同心锋芒电子工程有限公司", "installer_uscc": "91410183MAWA3R6R3A",
            "installer_licence_number": "豫卫安4101839999", "installed_date": "2024-03-20",
            "reception_licence_number": "豫卫接2024-015", "reception_licence_date": "2024-04-02"
        });
        assert!(v.is_valid(&body), "{:?}", v.iter_errors(&body).map(|e| e.to_string()).collect::<Vec<_>>());
        let answers = harness::check_records::<Broadcasting>(SATELLITE_FACILITY, std::slice::from_ref(&body)).unwrap();
        assert!(answers[0].is_empty(), "{:?}", answers[0]);
        body["subject_category"] = "自然人".into();
        body["id_number"] = "410108198010026597".into();
        assert!(!v.is_valid(&body), "an individual without 所在单位 is refused");
        body["employer_name"] = "某某大学".into();
        assert!(v.is_valid(&body));
        body["unknown"] = "x".into();
        assert!(!v.is_valid(&body), "unknown properties are refused");
    }

    #[test]
    fn unknown_kind_is_an_error() {
        assert_eq!(harness::check_records::<Broadcasting>("red-list", &[]).unwrap_err().code, "unknown-kind");
    }

    #[test]
    fn fixtures() {
        harness::fixtures::<Broadcasting>(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")));
    }
}
