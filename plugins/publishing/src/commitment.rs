//! The credit-commitment template (信用承诺书) for the licence type
//! `publishing` (出版单位设立及出版许可).
//!
//! Placeholders are filled from the subject (its name and key, the USCC) and
//! the fields: `legal_representative`, `address` and `sign_date` (required),
//! `sponsor` (主办单位), `supervising_authority` (主管机关) and
//! `business_scope` (业务范围), which 出版管理条例第十一条、第十三条 require of
//! a publishing unit (optional here, for units already registered).
//!
//! # Source
//! Every pledge restates a duty of 出版管理条例: 第二十四条、第二十五条、
//! 第二十六条 (content and editorial responsibility), 第二十条 (annual plan and
//! major topics filed), 第二十一条 (no sale or lease of the unit's name or
//! numbers), 第三十二条 (printing only by licensed printers), 第二十八条
//! (particulars and quality), 第二十二条 (legal deposit copies), 第十七条、
//! 第十八条 (changes approved, suspension filed and at most 180 days).

use credit_sdk::prelude::*;
use serde_json::{Value, json};

/// The template's id, the licence type it is signed for.
pub const TEMPLATE_ID: &str = crate::LICENCE_TYPE;

const TITLE: &str = "出版单位信用承诺书";

const PLEDGES: &str = "（一）落实编辑责任制度，保障出版物不含有《出版管理条例》第二十五条、第二十六条禁止的内容；\n\
（二）年度出版计划及涉及国家安全、社会安定等方面的重大选题依照规定备案，涉及重大选题未在出版前备案的出版物不出版；\n\
（三）不向任何单位或者个人出售或者以其他形式转让本单位的名称、书号、刊号或者版号、版面，不出租本单位的名称、刊号，不利用出版活动谋取其他不正当利益；\n\
（四）不委托未取得出版物印刷或者复制许可的单位印刷或者复制出版物，并依法签订印刷或者复制合同；\n\
（五）出版物依照规定载明作者、出版者、印刷者或者复制者、发行者的名称、地址，书号、刊号或者版号等事项，规格、开本、版式、装帧、校对等符合国家标准和规范要求；\n\
（六）依照规定免费送交样本；变更名称、主办单位或者其主管机关、业务范围等事项依法办理审批、登记手续；中止出版活动依法备案且不超过180日。";

/// The template for the manifest.
pub fn templates() -> Vec<CommitmentTemplate> {
    vec![CommitmentTemplate {
        id: TEMPLATE_ID.into(),
        title: TITLE.into(),
        licence_type: Some(crate::LICENCE_TYPE.into()),
        fields_schema: json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": format!("{TITLE}字段"),
            "type": "object",
            "properties": {
                "legal_representative": {"title": "法定代表人或者主要负责人", "type": "string", "minLength": 1},
                "address": {"title": "出版单位地址", "type": "string", "minLength": 1},
                "sponsor": {"title": "主办单位", "type": "string", "minLength": 1},
                "supervising_authority": {"title": "主管机关", "type": "string", "minLength": 1},
                "business_scope": {"title": "业务范围", "type": "string", "minLength": 1},
                "sign_date": {"title": "签署日期", "type": "string", "format": "date"}
            },
            "required": ["legal_representative", "address", "sign_date"],
            "additionalProperties": false
        }),
    }]
}

/// Fill in template `id` for `subject`.
///
/// # Errors
/// `unknown-template` for an id other than [`TEMPLATE_ID`]; `missing-field`
/// naming the first required field that is absent or not text.
pub fn render(id: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
    if id != TEMPLATE_ID {
        return Err(PluginError::new("unknown-template", format!("publishing has no commitment template {id:?}")));
    }
    let field = |name: &str| -> Result<&str, PluginError> {
        fields.get(name).and_then(Value::as_str).ok_or_else(|| {
            PluginError::new("missing-field", format!("commitment field {name:?} is missing or not text"))
        })
    };
    let optional = |name: &str| fields.get(name).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
    let rep = field("legal_representative")?;
    let address = field("address")?;
    let sign_date = field("sign_date")?;
    let mut particulars = String::new();
    for (label, name) in
        [("主办单位", "sponsor"), ("主管机关", "supervising_authority"), ("业务范围", "business_scope")]
    {
        if let Some(v) = optional(name) {
            particulars.push_str(&format!("{label}为{v}，"));
        }
    }
    Ok(format!(
        "{TITLE}\n\n本单位{name}（统一社会信用代码：{code}），地址位于{address}，{particulars}法定代表人或者主要负责人{rep}，\
现就从事出版活动郑重承诺：\n{PLEDGES}\n\n本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，\
作为失信信息依法公示，并接受相应的信用惩戒。\n\n承诺单位（盖章）：{name}\n法定代表人或者主要负责人（签字）：{rep}\n日期：{sign_date}\n",
        name = subject.name,
        code = subject.key,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject() -> Subject {
        Subject {
            key: "91410104MANQ7WNG58".into(),
            kind: SubjectKind::Organisation,
            name: "河南汇文教育出版社有限公司".into(),
        }
    }

    #[test]
    fn renders_with_subject_fields_and_optional_particulars() {
        let text = render(
            "publishing",
            &subject(),
            &json!({"legal_representative": "叶秋伟", "address": "郑州市二七区某路1号", "sponsor": "某出版集团有限公司", "sign_date": "2026-11-30"}),
        )
        .unwrap();
        assert!(text.starts_with("出版单位信用承诺书"));
        assert!(text.contains("本单位河南汇文教育出版社有限公司（统一社会信用代码：91410104MANQ7WNG58），地址位于郑州市二七区某路1号，主办单位为某出版集团有限公司，法定代表人或者主要负责人叶秋伟"));
        assert!(!text.contains("主管机关为"));
        assert!(text.contains("日期：2026-11-30"));
    }

    #[test]
    fn missing_field_and_unknown_template_are_named() {
        let err = render("publishing", &subject(), &json!({"legal_representative": "叶秋伟"})).unwrap_err();
        assert_eq!((err.code.as_str(), err.message.contains("address")), ("missing-field", true));
        assert_eq!(render("printing", &subject(), &json!({})).unwrap_err().code, "unknown-template");
    }
}
