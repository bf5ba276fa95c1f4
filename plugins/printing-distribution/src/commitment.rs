//! Credit-commitment templates (信用承诺书), one per licence type, as data
//! ([`credit_sdk::commitment`]); each pledge restates a duty of the
//! regulation it cites.
//!
//! The text takes the subject's name and code (`{subject_name}`,
//! `{subject_code}`: the USCC, `—` for a natural person) from the check's
//! subject and the fields of [`SIGNATORY`]: `legal_representative`
//! (法定代表人或经营者), `address` (经营场所), `sign_date` (签署日期, `YYYY-MM-DD`).

use credit_sdk::commitment::{SIGNATORY, Template};

/// The templates, by licence type.
pub const TEMPLATES: [Template; 2] = [
    Template {
        id: "printing",
        title: "印刷经营者信用承诺书",
        licence_type: Some("printing"),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（经营者）{legal_representative}，现就从事印刷经营活动郑重承诺：\n\
（一）建立、健全并执行承印验证、承印登记、印刷品保管、印刷品交付、印刷活动残次品销毁制度（《印刷业管理条例》第五条）；\n\
（二）不印刷含有反动、淫秽、迷信内容和国家明令禁止印刷的其他内容的印刷品，不印刷国家明令禁止出版的出版物和非出版单位出版的出版物（第三条、第十七条）；\n\
（三）不盗印出版物和他人的印刷品，不擅自加印、销售受委托印刷的出版物和印刷品（第二十三条、第三十五条）；\n\
（四）接受委托印刷注册商标标识、广告宣传品、票证证件等，依照规定验证、核查并保存有关证明（第二十六条、第二十七条、第三十一条）；\n\
（五）不出售、出租、出借或者以其他形式转让印刷经营许可证（第十一条第三款）；\n\
（六）变更主要登记事项或者终止印刷经营活动，报原批准设立的出版行政部门备案；定期报送年度报告（第十二条第二款、第七条）。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录并依法公示。\n\n\
承诺单位（盖章）：{subject_name}\n\
法定代表人（签字）：{legal_representative}\n\
日期：{sign_date}\n",
    },
    Template {
        id: "publication-distribution",
        title: "出版物发行单位信用承诺书",
        licence_type: Some("publication-distribution"),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（经营者）{legal_representative}，现就从事出版物发行业务郑重承诺：\n\
（一）不发行含有《出版管理条例》第二十五条、第二十六条禁止内容的出版物（第四十条第一项）；\n\
（二）不发行非法进口的、伪造或者假冒出版单位名称或者报纸期刊名称的、未署出版单位名称的、未经依法审定的中学小学教科书和侵犯他人著作权的出版物（第四十条）；\n\
（三）发行进口出版物，从依法设立的出版物进口经营单位进货（第四十七条）；\n\
（四）通过互联网等信息网络发行出版物的，依法取得《出版物经营许可证》（第三十六条）；\n\
（五）变更《出版物经营许可证》登记事项或者兼并、合并、分立的，依法办理审批手续；终止经营活动的，向原批准的出版行政主管部门备案（第三十七条）。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录并依法公示。\n\n\
承诺单位（盖章）：{subject_name}\n\
法定代表人（签字）：{legal_representative}\n\
日期：{sign_date}\n",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::commitment::render;
    use credit_sdk::{Subject, SubjectKind, harness};
    use serde_json::json;

    fn shop() -> Subject {
        Subject { key: "91410108MALYQ2UJXM".into(), kind: SubjectKind::Organisation, name: "某书店".into() }
    }

    fn signed() -> serde_json::Value {
        json!({"legal_representative": "吴阳", "address": "某路1号", "sign_date": "2026-11-30"})
    }

    #[test]
    fn templates_are_complete() {
        harness::templates(&TEMPLATES);
    }

    #[test]
    fn renders_distribution_commitment_with_subject_and_fields() {
        let text = render(&TEMPLATES, "publication-distribution", &shop(), &signed()).unwrap();
        assert!(text.starts_with(
            "出版物发行单位信用承诺书\n\n本单位某书店（统一社会信用代码：91410108MALYQ2UJXM），经营场所位于某路1号，\
法定代表人（经营者）吴阳，现就从事出版物发行业务郑重承诺：\n（一）不发行含有《出版管理条例》第二十五条、第二十六条禁止内容的出版物"
        ));
        assert!(text.contains("从依法设立的出版物进口经营单位进货（第四十七条）；\n"));
        assert!(text.ends_with(
            "第三十七条）。\n\n本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录并依法公示。\n\n\
承诺单位（盖章）：某书店\n法定代表人（签字）：吴阳\n日期：2026-11-30\n"
        ));
    }

    #[test]
    fn renders_printing_commitment_and_hides_a_persons_key() {
        let text = render(&TEMPLATES, "printing", &shop(), &signed()).unwrap();
        assert!(text.starts_with("印刷经营者信用承诺书\n\n本单位某书店（统一社会信用代码：91410108MALYQ2UJXM）"));
        assert!(text.contains("现就从事印刷经营活动郑重承诺：\n（一）建立、健全并执行承印验证"));
        assert!(text.contains("（《印刷业管理条例》第五条）"));
        assert!(text.contains("定期报送年度报告（第十二条第二款、第七条）。\n\n本单位知悉"));
        let person = Subject { key: "p:abc".into(), kind: SubjectKind::NaturalPerson, name: "赵敏".into() };
        let text = render(&TEMPLATES, "printing", &person, &signed()).unwrap();
        assert!(text.contains("本单位赵敏（统一社会信用代码：—）"), "{text}");
        assert!(!text.contains("p:abc"));
    }

    #[test]
    fn missing_field_and_unknown_template_are_named() {
        let err = render(&TEMPLATES, "printing", &shop(), &json!({"legal_representative": "吴阳"})).unwrap_err();
        assert_eq!((err.code.as_str(), err.message.contains("address")), ("missing-field", true));
        assert_eq!(render(&TEMPLATES, "internet-cafe", &shop(), &json!({})).unwrap_err().code, "unknown-template");
    }

    #[test]
    fn manifest_entries_come_from_the_fields() {
        let info = TEMPLATES[1].info();
        assert_eq!(info.licence_type.as_deref(), Some("publication-distribution"));
        assert_eq!(info.fields_schema["required"], json!(["legal_representative", "address", "sign_date"]));
        assert_eq!(info.fields_schema["properties"]["sign_date"]["format"], "date");
    }
}
