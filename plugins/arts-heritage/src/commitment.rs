//! Credit-commitment templates (信用承诺书), as data
//! ([`credit_sdk::commitment`]). The sector issues no licences, so there is
//! one template per kind of application: funding applications, inheritor
//! recognition and honours, and performers' and troupes' practice; each
//! pledge cites the article it restates.
//!
//! The text takes the subject's name and code (`{subject_name}`,
//! `{subject_code}`: an organisation's or individual business's USCC, `—` for
//! a natural person, whose ID number is never printed) from the check's
//! subject and the fields [`FIELDS`]: `signatory`, `matter`, `sign_date`.

use credit_sdk::commitment::{Field, Template};

/// The fields every template takes.
pub const FIELDS: [Field; 3] = [
    Field::text("signatory", "签署人（法定代表人或本人）"),
    Field::text("matter", "申报事项或项目名称"),
    Field::date("sign_date", "签署日期"),
];

/// The opening, before the pledges.
macro_rules! opening {
    () => {
        "承诺人{subject_name}（统一社会信用代码：{subject_code}）就{matter}郑重承诺：\n"
    };
}

/// The closing, after the pledges.
macro_rules! closing {
    () => {
        "\n\n承诺人知悉：如违反上述承诺，将依法承担相应责任，违诺情况记入信用记录和从业人员信用档案，\
作为失信信息依法公示，并接受相应的信用惩戒。\n\n承诺人（签字或盖章）：{subject_name}\n签署人：{signatory}\n日期：{sign_date}\n"
    };
}

/// The templates (no licence type: they are signed for applications).
pub const TEMPLATES: [Template; 3] = [
    Template {
        id: "funding-application",
        title: "财政资金扶持项目申报信用承诺书",
        licence_type: None,
        fields: &FIELDS,
        text: concat!(
            opening!(),
            "（一）所提交的申报材料真实、准确、完整，不以虚报、冒领等手段骗取财政资金（《财政违法行为处罚处分条例》第十四条）；\n\
（二）资助资金专款专用、单独核算，不截留、挤占、挪用；\n\
（三）按资助协议实施项目，按期接受验收和绩效评价（《中华人民共和国预算法》第五十七条）；\n\
（四）项目内容不含有《营业性演出管理条例》第二十五条禁止的内容；\n\
（五）如有弄虚作假或违规使用资金，同意追回资助资金，并接受一定期限内不予财政资金扶持的信用约束。",
            closing!()
        ),
    },
    Template {
        id: "inheritor-honours",
        title: "非物质文化遗产代表性传承人申报及评优评先信用承诺书",
        licence_type: None,
        fields: &FIELDS,
        text: concat!(
            opening!(),
            "（一）所报材料真实，不以弄虚作假等不正当手段取得代表性传承人资格或者荣誉；\n\
（二）依法履行代表性传承人义务：开展传承活动，培养后继人才；妥善保存相关的实物、资料；配合文化主管部门和其他有关部门进行非物质文化遗产调查；参与非物质文化遗产公益性宣传（《中华人民共和国非物质文化遗产法》第三十一条第一款）；\n\
（三）尊重非物质文化遗产的形式和内涵，不以歪曲、贬损等方式使用非物质文化遗产（《中华人民共和国非物质文化遗产法》第五条）；\n\
（四）按要求报送传承活动情况，配合年度评估，如实使用传习补助。",
            closing!()
        ),
    },
    Template {
        id: "performer-practice",
        title: "文艺表演团体、演员从业信用承诺书",
        licence_type: None,
        fields: &FIELDS,
        text: concat!(
            opening!(),
            "（一）演出不含有《营业性演出管理条例》第二十五条禁止的内容；\n\
（二）不以假唱欺骗观众，不为假唱提供条件（第二十八条）；\n\
（三）除因不可抗力不能演出外，不中止、停止或者退出演出（第二十七条第二款）；\n\
（四）募捐义演不获取经济利益（第三十条）；\n\
（五）不伪造、变造、出租、出借或者买卖营业性演出许可证、批准文件或者营业执照（第三十一条）；个体演员依法办理注册登记和备案（第九条）。",
            closing!()
        ),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::commitment::render;
    use credit_sdk::{Subject, SubjectKind, harness};
    use serde_json::{Value, json};

    fn fields() -> Value {
        json!({"signatory": "刘桂芳", "matter": "2027年度市级非遗传承人传习补助", "sign_date": "2026-11-30"})
    }

    #[test]
    fn templates_are_complete() {
        harness::templates(&TEMPLATES);
        let info = TEMPLATES[0].info();
        assert_eq!(info.fields_schema["required"], json!(["signatory", "matter", "sign_date"]));
        assert_eq!(info.fields_schema["properties"]["sign_date"]["format"], "date");
        assert!(TEMPLATES.iter().all(|t| t.licence_type.is_none()));
    }

    #[test]
    fn natural_person_commitment_names_the_person_without_an_id_number() {
        let s = Subject { key: "p:hash".into(), kind: SubjectKind::NaturalPerson, name: "刘桂芳".into() };
        let text = render(&TEMPLATES, "inheritor-honours", &s, &fields()).unwrap();
        assert!(text.starts_with(
            "非物质文化遗产代表性传承人申报及评优评先信用承诺书\n\n\
承诺人刘桂芳（统一社会信用代码：—）就2027年度市级非遗传承人传习补助郑重承诺：\n\
（一）所报材料真实，不以弄虚作假等不正当手段取得代表性传承人资格或者荣誉；\n"
        ));
        assert!(
            text.contains("参与非物质文化遗产公益性宣传（《中华人民共和国非物质文化遗产法》第三十一条第一款）；\n")
        );
        assert!(!text.contains("p:hash"));
        assert!(text.ends_with(
            "如实使用传习补助。\n\n承诺人知悉：如违反上述承诺，将依法承担相应责任，违诺情况记入信用记录和从业人员信用档案，\
作为失信信息依法公示，并接受相应的信用惩戒。\n\n承诺人（签字或盖章）：刘桂芳\n签署人：刘桂芳\n日期：2026-11-30\n"
        ));
    }

    #[test]
    fn organisation_commitment_carries_its_code() {
        let s =
            Subject { key: "91410105MAC9R2YH1D".into(), kind: SubjectKind::Organisation, name: "某艺术团".into() };
        let f = json!({"signatory": "韩立军", "matter": "2027年度舞台艺术精品扶持项目", "sign_date": "2026-11-30"});
        let text = render(&TEMPLATES, "funding-application", &s, &f).unwrap();
        assert!(text.starts_with(
            "财政资金扶持项目申报信用承诺书\n\n\
承诺人某艺术团（统一社会信用代码：91410105MAC9R2YH1D）就2027年度舞台艺术精品扶持项目郑重承诺：\n\
（一）所提交的申报材料真实、准确、完整，不以虚报、冒领等手段骗取财政资金（《财政违法行为处罚处分条例》第十四条）；\n"
        ));
        assert!(text.contains("承诺人（签字或盖章）：某艺术团\n签署人：韩立军\n"));
        let practice = render(&TEMPLATES, "performer-practice", &s, &f).unwrap();
        assert!(practice.contains("（二）不以假唱欺骗观众，不为假唱提供条件（第二十八条）；\n"));
    }

    #[test]
    fn missing_field_and_unknown_template_are_named() {
        let s = Subject { key: "k".into(), kind: SubjectKind::Organisation, name: "n".into() };
        let err = render(&TEMPLATES, "performer-practice", &s, &json!({"signatory": "张三"})).unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("matter"));
        assert_eq!(render(&TEMPLATES, "internet-cafe", &s, &fields()).unwrap_err().code, "unknown-template");
    }
}
