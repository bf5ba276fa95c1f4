//! Credit-commitment templates (信用承诺书), one per licence type.
//!
//! Placeholders `{name}` are filled from the subject (`subject_name`) and
//! the fields (`uscc`, `legal_representative`, `address`, `sign_date`).

use credit_sdk::prelude::*;
use serde_json::{Value, json};

struct Template {
    id: &'static str,
    title: &'static str,
    business: &'static str,
    pledges: &'static str,
}

const TEMPLATES: [Template; 3] = [
    Template {
        id: "internet-cafe",
        title: "互联网上网服务营业场所经营单位信用承诺书",
        business: "互联网上网服务营业场所",
        pledges: "（一）每日8时至24时营业，不在规定时间以外营业；\n（二）不接纳未成年人进入营业场所，在显著位置悬挂未成年人禁入标志；\n（三）对上网消费者的身份证等有效证件进行核对、登记，并记录有关上网信息；\n（四）不利用营业场所制作、下载、复制、查阅、发布、传播含有禁止内容的信息；\n（五）不涂改、出租、出借或者以其他方式转让《网络文化经营许可证》。",
    },
    Template {
        id: "entertainment-venue",
        title: "娱乐场所经营单位信用承诺书",
        business: "娱乐场所",
        pledges: "（一）不在每日凌晨2时至上午8时营业；\n（二）歌舞娱乐场所不接纳未成年人；\n（三）不提供含有禁止内容的曲目和节目，不设置具有赌博功能的电子游戏机；\n（四）按规定安装闭路电视监控设备并保存录像资料；\n（五）不为进入场所的人员提供或者从事卖淫、嫖娼、赌博、吸毒等违法犯罪活动提供条件。",
    },
    Template {
        id: "commercial-performance",
        title: "营业性演出经营主体信用承诺书",
        business: "营业性演出",
        pledges: "（一）举办营业性演出依法报经批准，不擅自变更演出内容和演员；\n（二）演出不含有《营业性演出管理条例》第二十五条禁止的内容；\n（三）不以假唱、假演奏等手段欺骗观众；\n（四）不伪造、变造、出租、出借营业性演出许可证、批准文件或者营业执照；\n（五）如实申报演出收入，不印制、销售假票。",
    },
];

/// The templates for the manifest.
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
                    "legal_representative": {"title": "法定代表人（经营者）", "type": "string", "minLength": 1},
                    "address": {"title": "经营场所地址", "type": "string", "minLength": 1},
                    "sign_date": {"title": "签署日期", "type": "string", "format": "date"}
                },
                "required": ["legal_representative", "address", "sign_date"],
                "additionalProperties": false
            }),
        })
        .collect()
}

/// Fill in template `id`.
///
/// # Errors
/// `unknown-template` for an id not in [`templates`]; `missing-field` naming
/// the first required field that is absent or not a string.
pub fn render(id: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
    let t = TEMPLATES.iter().find(|t| t.id == id).ok_or_else(|| {
        PluginError::new("unknown-template", format!("cultural-market has no commitment template {id:?}"))
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
        "{title}\n\n本单位{name}（统一社会信用代码：{code}），经营场所位于{address}，法定代表人（经营者）{rep}，\
现就从事{business}经营活动郑重承诺：\n{pledges}\n\n本单位知悉：如违反上述承诺，将依法承担相应法律责任，\
违诺情况将记入本单位信用记录，作为失信信息依法公示，并接受相应的信用惩戒。\n\n承诺单位（盖章）：{name}\n法定代表人（签字）：{rep}\n日期：{sign_date}\n",
        title = t.title,
        name = subject.name,
        business = t.business,
        pledges = t.pledges,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_cafe_commitment_with_subject_and_fields() {
        let s = Subject { key: "91410104MAN0NYBQX1".into(), kind: SubjectKind::Organisation, name: "某网吧".into() };
        let text = render(
            "internet-cafe",
            &s,
            &json!({"legal_representative": "张三", "address": "郑州市管城区某路1号", "sign_date": "2026-11-30"}),
        )
        .unwrap();
        assert!(text.starts_with("互联网上网服务营业场所经营单位信用承诺书"));
        assert!(text.contains("本单位某网吧（统一社会信用代码：91410104MAN0NYBQX1）"));
        assert!(text.contains("日期：2026-11-30"));
    }

    #[test]
    fn missing_field_is_named() {
        let s = Subject { key: "k".into(), kind: SubjectKind::Organisation, name: "n".into() };
        let err = render("internet-cafe", &s, &json!({"legal_representative": "张三"})).unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("address"));
    }
}
