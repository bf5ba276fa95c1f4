//! Credit-commitment templates (信用承诺书), one per licence type.
//!
//! Placeholders `{name}` are filled from the subject (`subject_name`) and
//! the fields (`uscc`, `legal_representative`, `address`, `sign_date`).
//!
//! # Source
//! Each pledge restates a duty of the regulation the licence is issued under:
//! 互联网上网服务营业场所管理条例第十二条、第十四条、第二十一条至第二十三条;
//! 娱乐场所管理条例第五条 (the written statement 第九条第二款 requires),
//! 第十三条、第十四条、第十五条、第十八条、第十九条、第二十三条、第二十四条、第二十八条;
//! 营业性演出管理条例第十三条、第十六条、第二十一条、第二十五条、第二十八条、第二十九条、第三十一条.

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
        pledges: "（一）不在每日凌晨2时至上午8时营业；\n（二）歌舞娱乐场所不接纳未成年人，游艺娱乐场所除国家法定节假日外不向未成年人提供电子游戏机，不招用未成年人；\n（三）娱乐活动、播放的曲目和屏幕画面不含有禁止内容，歌曲点播系统不与境外曲库联接，不设置具有赌博功能的电子游戏机；\n（四）按规定安装闭路电视监控设备并将录像资料留存30日备查；\n（五）不实施、也不为进入场所的人员实施贩毒吸毒、卖淫嫖娼、赌博、营利性陪侍等违法犯罪行为提供条件；\n（六）本单位投资人员、法定代表人和其他负责人没有《娱乐场所管理条例》第五条规定的情形。",
    },
    Template {
        id: "commercial-performance",
        title: "营业性演出经营主体信用承诺书",
        business: "营业性演出",
        pledges: "（一）举办营业性演出依法报经批准，不擅自变更演出内容和演员；\n（二）演出不含有《营业性演出管理条例》第二十五条禁止的内容；\n（三）演员不以假唱欺骗观众，不组织演员假唱，不为假唱提供条件；\n（四）不伪造、变造、出租、出借、买卖营业性演出许可证、批准文件或者营业执照；\n（五）按照核准的观众数量和划定的观众区域印制和出售门票，依法纳税。",
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
    // A natural person's key is the host's hash of its ID number: never print it.
    let code = fields
        .get("uscc")
        .and_then(Value::as_str)
        .or_else(|| (subject.kind != SubjectKind::NaturalPerson).then_some(subject.key.as_str()));
    let code = code.map(|c| format!("（统一社会信用代码：{c}）")).unwrap_or_default();
    Ok(format!(
        "{title}\n\n本单位{name}{code}，经营场所位于{address}，法定代表人（经营者）{rep}，\
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

    #[test]
    fn natural_persons_key_is_never_printed() {
        let s = Subject { key: "hash-of-id".into(), kind: SubjectKind::NaturalPerson, name: "张三".into() };
        let fields = json!({"legal_representative": "张三", "address": "某路1号", "sign_date": "2026-11-30"});
        let text = render("commercial-performance", &s, &fields).unwrap();
        assert!(!text.contains("hash-of-id"), "{text}");
        assert!(text.contains("本单位张三，经营场所位于某路1号"), "{text}");
    }

    #[test]
    fn venue_commitment_includes_the_written_statement_of_article_9() {
        let s = Subject { key: "91410104MAN0NYBQX1".into(), kind: SubjectKind::Organisation, name: "某KTV".into() };
        let fields = json!({"legal_representative": "张三", "address": "某路1号", "sign_date": "2026-11-30"});
        let text = render("entertainment-venue", &s, &fields).unwrap();
        assert!(text.contains("没有《娱乐场所管理条例》第五条规定的情形"), "{text}");
    }
}
