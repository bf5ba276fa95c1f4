//! The `printing-distribution` sector plugin (印刷发行管理处): printing
//! (印刷业管理条例) and publication distribution (出版管理条例).
//!
//! - record kinds `penalty` and `licence` (schemas in `schemas/printing-distribution/`);
//! - the shared 双公示 checks with the fine limits of the cited articles;
//! - commitment templates for `printing` and `publication-distribution`;
//! - the 10-year bans on persons after a revocation (出版管理条例第七十条,
//!   which reaches printing and distribution alike; 印刷业管理条例第四十五条).

use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde_json::Value;

/// The plugin.
pub struct PrintingDistribution;

/// Sector id.
pub const SECTOR: &str = "printing-distribution";

/// Licence types this plugin inspects for.
pub const LICENCE_TYPES: [&str; 2] = ["printing", "publication-distribution"];

const PUBLISHING: &str = "出版管理条例";
const PRINTING: &str = "印刷业管理条例";

/// The fines the sector's articles allow (万元).
///
/// # Source
/// 出版管理条例第六十一条至第六十三条、第六十五条 (违法经营额不足1万元的, 5万元以下);
/// 印刷业管理条例第三十六条至第三十八条、第四十条至第四十二条 (不足1万元的, 1万–5万):
/// both depend on a turnover the record does not give. 印刷业管理条例第三十九条、
/// 第四十四条 provide a warning, suspension or revocation, and no fine.
const LIMITS: [PenaltyArticle; 12] = [
    PenaltyArticle::new(PUBLISHING, "第六十一条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十二条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十三条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十五条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第三十六条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第三十七条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第三十八条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第四十条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第四十一条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第四十二条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PRINTING, "第三十九条").provides(&["警告", "停业", "吊销"]),
    PenaltyArticle::new(PRINTING, "第四十四条").provides(&["警告", "停业", "吊销"]),
];

/// The statutory bans on persons.
const BANS: [Ban; 2] = [
    Ban {
        id: "publishing-law-revocation-ban",
        title: "单位被吊销许可证的，其法定代表人或者主要负责人10年内不得担任出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人",
        basis: "出版管理条例第七十条第一款",
        regulation: PUBLISHING,
        licence_types: &["printing", "publication-distribution"],
        trigger: Trigger::Revocation,
        years: Some(10),
        years_for_individual: Some(10),
        roles: LEAD,
        barred_from: "出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人",
    },
    Ban {
        id: "printing-revocation-ban",
        title: "印刷企业被吊销许可证的，其法定代表人或者负责人10年内不得担任印刷企业的法定代表人或者负责人；个人10年内不得从事印刷经营活动",
        basis: "印刷业管理条例第四十五条",
        regulation: PRINTING,
        licence_types: &["printing"],
        trigger: Trigger::Revocation,
        years: Some(10),
        years_for_individual: Some(10),
        roles: LEAD,
        barred_from: "印刷企业的法定代表人或者负责人",
    },
];

struct Template {
    id: &'static str,
    title: &'static str,
    pledges: &'static str,
}

const TEMPLATES: [Template; 2] = [
    Template {
        id: "printing",
        title: "印刷经营者信用承诺书",
        pledges: "（一）建立并执行承印验证、承印登记、印刷品保管、印刷品交付和残次品销毁制度；\n（二）不印刷含有法律法规禁止内容的印刷品，不盗印、不擅自加印出版物；\n（三）接受委托印刷注册商标标识、广告宣传品等，依照规定验证、核查有关证明；\n（四）不出租、出借、出售或者以其他形式转让印刷经营许可证。",
    },
    Template {
        id: "publication-distribution",
        title: "出版物发行单位信用承诺书",
        pledges: "（一）不发行含有法律法规禁止内容的出版物，不发行非法出版物和侵权盗版出版物；\n（二）不发行未署出版单位名称的出版物；\n（三）依法从依法设立的出版物发行单位进货，建立进销货登记；\n（四）不出租、出借、出售或者以其他形式转让出版物经营许可证。",
    },
];

fn fields_schema(title: &str) -> Value {
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": format!("{title}字段"),
        "type": "object",
        "properties": {
            "legal_representative": {"title": "法定代表人（经营者）", "type": "string", "minLength": 1},
            "address": {"title": "经营场所地址", "type": "string", "minLength": 1},
            "sign_date": {"title": "签署日期", "type": "string", "format": "date"}
        },
        "required": ["legal_representative", "address", "sign_date"],
        "additionalProperties": false
    })
}

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
        ];
        m.licence_types = LICENCE_TYPES.iter().map(|s| s.to_string()).collect();
        m.commitment_templates = TEMPLATES
            .iter()
            .map(|t| CommitmentTemplate {
                id: t.id.into(),
                title: t.title.into(),
                licence_type: Some(t.id.into()),
                fields_schema: fields_schema(t.title),
            })
            .collect();
        m.rules = BANS.iter().map(Ban::rule_info).collect();
        m
    }

    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        match kind {
            "penalty" => Ok(bodies.iter().map(|b| checks::penalty(b, &LIMITS)).collect()),
            "licence" => Ok(bodies.iter().map(checks::licence).collect()),
            other => {
                Err(PluginError::new("unknown-kind", format!("printing-distribution has no record kind {other:?}")))
            }
        }
    }

    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        let t = TEMPLATES.iter().find(|t| t.id == template).ok_or_else(|| {
            PluginError::new(
                "unknown-template",
                format!("printing-distribution has no commitment template {template:?}"),
            )
        })?;
        let field = |name: &str| -> Result<&str, PluginError> {
            fields.get(name).and_then(Value::as_str).ok_or_else(|| {
                PluginError::new("missing-field", format!("commitment field {name:?} is missing or not text"))
            })
        };
        Ok(format!(
            "{}\n\n本单位{}（统一社会信用代码：{}），经营场所位于{}，法定代表人（经营者）{}，郑重承诺：\n{}\n\n如违反上述承诺，本单位愿依法承担相应法律责任，违诺情况记入信用记录并依法公示。\n\n承诺单位（盖章）：{}\n法定代表人（签字）：{}\n日期：{}\n",
            t.title,
            subject.name,
            subject.key,
            field("address")?,
            field("legal_representative")?,
            t.pledges,
            subject.name,
            field("legal_representative")?,
            field("sign_date")?,
        ))
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        let as_of = date(&request.as_of)
            .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
        if let Some(t) = &request.licence_type
            && !LICENCE_TYPES.contains(&t.as_str())
        {
            return Err(PluginError::new(
                "unknown-licence-type",
                format!("printing-distribution does not inspect for {t:?}"),
            ));
        }
        Ok(BANS.iter().flat_map(|b| b.findings(request, as_of)).collect())
    }
}

credit_sdk::export_plugin!(PrintingDistribution);

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::harness;
    use serde_json::json;

    fn request(licence_type: &str, basis: &str, decided: &str) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410108MALYQ2UJXM", "kind": "organisation", "name": "新书店"},
            "persons": [{"key": "p-1", "name": "吴阳", "role": "legal-representative"}],
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30",
            "records": [{
                "id": "r1", "sector": "printing-distribution", "kind": "penalty", "subject_key": "x",
                "subject_name": "旧书店", "legal_representative_key": "p-1", "decision_number": "金新出罚字〔2018〕9号",
                "decision_date": decided, "legal_basis": basis, "penalty_types": ["罚款", "吊销许可证件"],
                "content": "吊销出版物经营许可证", "certificate": "", "severity": "serious", "publicized": false, "body": {}
            }]
        }))
        .unwrap()
    }

    fn rules(req: &InspectRequest) -> Vec<String> {
        harness::inspect::<PrintingDistribution>(req).unwrap().into_iter().map(|f| f.rule_id.0).collect()
    }

    #[test]
    fn publishing_law_revocation_bars_for_ten_years_in_distribution_and_printing() {
        let basis = "《出版管理条例》第六十五条第（五）项";
        assert_eq!(rules(&request("publication-distribution", basis, "2018-09-20")), ["publishing-law-revocation-ban"]);
        assert_eq!(rules(&request("printing", basis, "2018-09-20")), ["publishing-law-revocation-ban"]);
        let f = harness::inspect::<PrintingDistribution>(&request("printing", basis, "2018-09-20")).unwrap();
        assert_eq!(f[0].until.as_deref(), Some("2028-09-20"));
        assert!(rules(&request("printing", basis, "2016-11-29")).is_empty(), "ten years have passed");
    }

    #[test]
    fn printing_law_revocation_bars_printing_only() {
        let basis = "《印刷业管理条例》第四十一条第（一）项";
        assert_eq!(rules(&request("printing", basis, "2019-06-12")), ["printing-revocation-ban"]);
        assert!(rules(&request("publication-distribution", basis, "2019-06-12")).is_empty());
    }

    #[test]
    fn a_fine_under_article_39_is_refused_and_turnover_fines_are_warnings() {
        let v = checks::penalty(
            &json!({"legal_basis": "《印刷业管理条例》第三十九条第（四）项", "penalty_types": "警告；罚款", "penalty_content": "罚款", "fine_wan_yuan": 0.5}),
            &LIMITS,
        );
        assert_eq!(v[0].code, "fine-not-provided");
        let v = checks::penalty(
            &json!({"legal_basis": "《出版管理条例》第六十五条第（五）项", "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 6.0}),
            &LIMITS,
        );
        assert_eq!((v[0].code.as_str(), v[0].warning), ("fine-depends-on-turnover", true));
    }

    #[test]
    fn manifest_is_complete_and_commitments_render() {
        let m = harness::manifest::<PrintingDistribution>();
        assert_eq!((m.sector.as_str(), m.record_kinds.len(), m.commitment_templates.len()), (SECTOR, 2, 2));
        let s = Subject { key: "91410108MALYQ2UJXM".into(), kind: SubjectKind::Organisation, name: "某书店".into() };
        let text = PrintingDistribution::render_commitment(
            "publication-distribution",
            &s,
            &json!({"legal_representative": "吴阳", "address": "某路1号", "sign_date": "2026-11-30"}),
        )
        .unwrap();
        assert!(text.contains("本单位某书店（统一社会信用代码：91410108MALYQ2UJXM）"));
    }
}
