//! Credit-commitment templates (信用承诺书), one per licence type.
//!
//! The text is filled from the subject (its name and key) and the fields
//! `legal_representative`, `address`, `sign_date` (required) and `uscc`
//! (optional; the subject's key otherwise). Every pledge restates a duty of
//! the regulation it names.

use credit_sdk::prelude::*;
use serde_json::{Value, json};

struct Template {
    id: &'static str,
    title: &'static str,
    business: &'static str,
    pledges: &'static str,
}

const TEMPLATES: [Template; 2] = [
    Template {
        id: crate::rules::PRODUCTION,
        title: "广播电视节目制作经营单位信用承诺书",
        business: "广播电视节目制作经营",
        pledges: "（一）不制作、不向境外提供含有《广播电视管理条例》第三十二条规定禁止内容的节目（第四十九条）；\n\
（二）在广播电视节目制作经营许可范围内从事制作经营活动，未取得电视剧制作许可不制作电视剧（第三十一条、第三十五条）；\n\
（三）向境外提供广播电视节目，按照国家有关规定向省级以上广播电视行政部门备案（第三十九条第二款）；\n\
（四）制作、使用享有著作权的节目，依照《中华人民共和国著作权法》办理（第四十六条）；\n\
（五）不擅自举办广播电视节目交流、交易活动（第四十五条）。",
    },
    Template {
        id: crate::rules::SATELLITE,
        title: "卫星电视广播地面接收设施安装服务（设置）单位信用承诺书",
        business: "卫星电视广播地面接收设施安装服务或设置",
        pledges: "（一）只从经许可的生产企业购进卫星地面接收设施，不向安装服务机构以外的单位和个人销售（《卫星电视广播地面接收设施管理规定》第四条）；\n\
（二）不销售、安装和使用未经质量认证的设施（第六条）；\n\
（三）只为持有审批机关证明的单位安装设施，不为未经批准的个人安装（第七条、第八条）；\n\
（四）不携带、邮寄卫星地面接收设施入境，进口设施依法办理审批（第五条）；\n\
（五）不擅自截传、干扰、解扰广播电视信号，不擅自进行广播电视传输覆盖网工程安装（《广播电视管理条例》第二十二条、第二十八条）。",
    },
];

/// The templates for the manifest, each with the JSON Schema of its fields.
pub fn templates() -> Vec<CommitmentTemplate> {
    TEMPLATES
        .iter()
        .map(|t| CommitmentTemplate {
            id: t.id.into(),
            title: t.title.into(),
            licence_type: Some(t.id.into()),
            fields_schema: json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": format!("{}字段", t.title),
                "type": "object",
                "properties": {
                    "uscc": {"title": "统一社会信用代码", "type": "string", "minLength": 18, "maxLength": 18},
                    "legal_representative": {"title": "法定代表人（负责人）", "type": "string", "minLength": 1},
                    "address": {"title": "经营场所地址", "type": "string", "minLength": 1},
                    "sign_date": {"title": "签署日期", "type": "string", "format": "date"}
                },
                "required": ["legal_representative", "address", "sign_date"],
                "additionalProperties": false
            }),
        })
        .collect()
}

/// Fill in template `id` for `subject`.
///
/// # Errors
/// `unknown-template` for an id not in [`templates`]; `missing-field` naming
/// the first required field that is absent or not text.
pub fn render(id: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
    let t = TEMPLATES.iter().find(|t| t.id == id).ok_or_else(|| {
        PluginError::new("unknown-template", format!("broadcasting has no commitment template {id:?}"))
    })?;
    let field = |name: &str| -> Result<&str, PluginError> {
        fields.get(name).and_then(Value::as_str).ok_or_else(|| {
            PluginError::new("missing-field", format!("commitment field {name:?} is missing or not text"))
        })
    };
    let rep = field("legal_representative")?;
    let address = field("address")?;
    let sign_date = field("sign_date")?;
    let code = fields.get("uscc").and_then(Value::as_str).unwrap_or(subject.key.as_str());
    Ok(format!(
        "{title}\n\n本单位{name}（统一社会信用代码：{code}），经营场所位于{address}，法定代表人（负责人）{rep}，\
现就从事{business}活动郑重承诺：\n{pledges}\n\n本单位知悉：如违反上述承诺，将依法承担相应法律责任，\
违诺情况将记入本单位信用记录，作为失信信息依法公示，并接受相应的信用监管。\n\n承诺单位（盖章）：{name}\n法定代表人（签字）：{rep}\n日期：{sign_date}\n",
        title = t.title,
        name = subject.name,
        business = t.business,
        pledges = t.pledges,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Subject {
        Subject {
            key: "91410104MAJ62FJQ2L".into(),
            kind: SubjectKind::Organisation,
            name: "郑州中原光速影视文化有限公司".into(),
        }
    }

    #[test]
    fn renders_production_commitment_with_subject_and_fields() {
        let text = render(
            "radio-tv-production",
            &subject(),
            &json!({"legal_representative": "程刚子", "address": "郑州市中原区某路1号", "sign_date": "2026-11-30"}),
        )
        .unwrap();
        assert!(text.starts_with("广播电视节目制作经营单位信用承诺书"));
        assert!(text.contains("本单位郑州中原光速影视文化有限公司（统一社会信用代码：91410104MAJ62FJQ2L）"));
        assert!(text.contains("第三十二条"));
        assert!(text.contains("日期：2026-11-30"));
    }

    #[test]
    fn satellite_template_exists_and_unknown_one_is_an_error() {
        let fields = json!({"legal_representative": "胡刚", "address": "巩义市某路2号", "sign_date": "2026-11-30"});
        assert!(render("satellite-installation", &subject(), &fields).unwrap().contains("第六条"));
        assert_eq!(render("printing", &subject(), &fields).unwrap_err().code, "unknown-template");
    }

    #[test]
    fn missing_field_is_named() {
        let err = render("radio-tv-production", &subject(), &json!({"legal_representative": "程刚子"})).unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("address"));
    }
}
