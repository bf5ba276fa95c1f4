//! The credit-commitment template (信用承诺书) for the licence type
//! `publishing` (出版单位设立及出版许可), declared as data
//! ([`credit_sdk::commitment`]): the manifest entry and its fields' JSON
//! Schema come from [`Template::info`], the text from
//! [`credit_sdk::commitment::render`].
//!
//! Fields: `legal_representative`, `address` and `sign_date` (required),
//! `sponsor` (主办单位), `supervising_authority` (主管机关) and
//! `business_scope` (业务范围), which 出版管理条例第十一条、第十三条 require of
//! a publishing unit (optional here, for units already registered; an
//! absent one prints as `—`).
//!
//! # Source
//! Every pledge restates a duty of 出版管理条例: 第二十四条、第二十五条、
//! 第二十六条 (content and editorial responsibility), 第二十条 (annual plan and
//! major topics filed), 第二十一条 (no sale or lease of the unit's name or
//! numbers), 第三十二条 (printing only by licensed printers), 第二十八条
//! (particulars and quality), 第二十二条 (legal deposit copies), 第十七条、
//! 第十八条 (changes approved, suspension filed and at most 180 days).

use credit_sdk::commitment::{Field, Template};

/// The template's id, the licence type it is signed for.
pub const TEMPLATE_ID: &str = crate::LICENCE_TYPE;

/// The commitment templates of the plugin.
pub const TEMPLATES: [Template; 1] = [Template {
    id: TEMPLATE_ID,
    title: "出版单位信用承诺书",
    licence_type: Some(crate::LICENCE_TYPE),
    fields: &[
        Field::text("legal_representative", "法定代表人或者主要负责人"),
        Field::text("address", "出版单位地址"),
        Field::text("sponsor", "主办单位").optional(),
        Field::text("supervising_authority", "主管机关").optional(),
        Field::text("business_scope", "业务范围").optional(),
        Field::date("sign_date", "签署日期"),
    ],
    text: "本单位{subject_name}（统一社会信用代码：{subject_code}），地址位于{address}，主办单位为{sponsor}，\
主管机关为{supervising_authority}，业务范围为{business_scope}，法定代表人或者主要负责人{legal_representative}，\
现就从事出版活动郑重承诺：\n\
（一）落实编辑责任制度，保障出版物不含有《出版管理条例》第二十五条、第二十六条禁止的内容；\n\
（二）年度出版计划及涉及国家安全、社会安定等方面的重大选题依照规定备案，涉及重大选题未在出版前备案的出版物不出版；\n\
（三）不向任何单位或者个人出售或者以其他形式转让本单位的名称、书号、刊号或者版号、版面，不出租本单位的名称、刊号，\
不利用出版活动谋取其他不正当利益；\n\
（四）不委托未取得出版物印刷或者复制许可的单位印刷或者复制出版物，并依法签订印刷或者复制合同；\n\
（五）出版物依照规定载明作者、出版者、印刷者或者复制者、发行者的名称、地址，书号、刊号或者版号等事项，\
规格、开本、版式、装帧、校对等符合国家标准和规范要求；\n\
（六）依照规定免费送交样本；变更名称、主办单位或者其主管机关、业务范围等事项依法办理审批、登记手续；\
中止出版活动依法备案且不超过180日。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用惩戒。\n\n\
承诺单位（盖章）：{subject_name}\n\
法定代表人或者主要负责人（签字）：{legal_representative}\n\
日期：{sign_date}\n",
}];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Publishing;
    use credit_sdk::harness;
    use credit_sdk::prelude::*;
    use serde_json::{Value, json};

    /// Render through the plugin, as the host asks it.
    fn render(id: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        Publishing::render_commitment(id, subject, fields)
    }

    fn subject() -> Subject {
        Subject {
            key: "91410104MANQ7WNG58".into(),
            kind: SubjectKind::Organisation,
            name: "河南汇文教育出版社有限公司".into(),
        }
    }

    #[test]
    fn templates_fill_every_placeholder() {
        harness::templates(&TEMPLATES);
    }

    #[test]
    fn renders_with_subject_fields_and_optional_particulars() {
        let text = render(
            "publishing",
            &subject(),
            &json!({"legal_representative": "叶秋伟", "address": "郑州市二七区某路1号", "sponsor": "某出版集团有限公司", "sign_date": "2026-11-30"}),
        )
        .unwrap();
        assert!(text.starts_with("出版单位信用承诺书\n\n本单位河南汇文教育出版社有限公司（统一社会信用代码：91410104MANQ7WNG58），地址位于郑州市二七区某路1号，主办单位为某出版集团有限公司，主管机关为—，业务范围为—，法定代表人或者主要负责人叶秋伟，现就从事出版活动郑重承诺：\n（一）落实编辑责任制度"));
        assert!(text.contains("（四）不委托未取得出版物印刷或者复制许可的单位印刷或者复制出版物"));
        assert!(text.contains("中止出版活动依法备案且不超过180日。\n\n本单位知悉："));
        assert!(text.ends_with(
            "承诺单位（盖章）：河南汇文教育出版社有限公司\n法定代表人或者主要负责人（签字）：叶秋伟\n日期：2026-11-30\n"
        ));
    }

    #[test]
    fn manifest_entry_has_the_fields_schema() {
        let info = &harness::manifest::<Publishing>().commitment_templates[0];
        assert_eq!((info.id.as_str(), info.licence_type.as_deref()), ("publishing", Some("publishing")));
        let schema = &info.fields_schema;
        assert_eq!(schema["required"], json!(["legal_representative", "address", "sign_date"]));
        assert_eq!(schema["properties"]["supervising_authority"]["title"], "主管机关");
        assert_eq!(schema["properties"]["sign_date"]["format"], "date");
        assert_eq!(schema["additionalProperties"], false);
    }

    #[test]
    fn missing_field_and_unknown_template_are_named() {
        let err = render("publishing", &subject(), &json!({"legal_representative": "叶秋伟"})).unwrap_err();
        assert_eq!((err.code.as_str(), err.message.contains("address")), ("missing-field", true));
        assert_eq!(render("printing", &subject(), &json!({})).unwrap_err().code, "unknown-template");
    }
}
