//! Credit-commitment templates (信用承诺书), one per licence type, as
//! [`Template`]s of the SDK: the text takes the subject's name and code
//! (`{subject_name}`, `{subject_code}`) and the fields of [`SIGNATORY`]
//! (`legal_representative`, `address`, `sign_date`).
//!
//! # Source
//! Each pledge restates a duty of the regulation the licence is issued under:
//! 互联网上网服务营业场所管理条例第十二条、第十四条、第二十一条至第二十三条;
//! 娱乐场所管理条例第五条 (the written statement 第九条第二款 requires),
//! 第十三条、第十四条、第十五条、第十八条、第十九条、第二十三条、第二十四条、第二十八条;
//! 营业性演出管理条例第十三条、第十六条、第二十一条、第二十五条、第二十八条、第二十九条、第三十一条.

use credit_sdk::commitment::{SIGNATORY, Template};

/// The templates, by licence type.
pub const TEMPLATES: [Template; 3] = [
    Template {
        id: "internet-cafe",
        title: "互联网上网服务营业场所经营单位信用承诺书",
        licence_type: Some("internet-cafe"),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（经营者）{legal_representative}，现就从事互联网上网服务营业场所经营活动郑重承诺：\n\
（一）每日8时至24时营业，不在规定时间以外营业；\n\
（二）不接纳未成年人进入营业场所，在显著位置悬挂未成年人禁入标志；\n\
（三）对上网消费者的身份证等有效证件进行核对、登记，并记录有关上网信息；\n\
（四）不利用营业场所制作、下载、复制、查阅、发布、传播含有禁止内容的信息；\n\
（五）不涂改、出租、出借或者以其他方式转让《网络文化经营许可证》。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用惩戒。\n\n\
承诺单位（盖章）：{subject_name}\n\
法定代表人（签字）：{legal_representative}\n\
日期：{sign_date}\n",
    },
    Template {
        id: "entertainment-venue",
        title: "娱乐场所经营单位信用承诺书",
        licence_type: Some("entertainment-venue"),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（经营者）{legal_representative}，现就从事娱乐场所经营活动郑重承诺：\n\
（一）不在每日凌晨2时至上午8时营业；\n\
（二）歌舞娱乐场所不接纳未成年人，游艺娱乐场所除国家法定节假日外不向未成年人提供电子游戏机，不招用未成年人；\n\
（三）娱乐活动、播放的曲目和屏幕画面不含有禁止内容，歌曲点播系统不与境外曲库联接，不设置具有赌博功能的电子游戏机；\n\
（四）按规定安装闭路电视监控设备并将录像资料留存30日备查；\n\
（五）不实施、也不为进入场所的人员实施贩毒吸毒、卖淫嫖娼、赌博、营利性陪侍等违法犯罪行为提供条件；\n\
（六）本单位投资人员、法定代表人和其他负责人没有《娱乐场所管理条例》第五条规定的情形。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用惩戒。\n\n\
承诺单位（盖章）：{subject_name}\n\
法定代表人（签字）：{legal_representative}\n\
日期：{sign_date}\n",
    },
    Template {
        id: "commercial-performance",
        title: "营业性演出经营主体信用承诺书",
        licence_type: Some("commercial-performance"),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（经营者）{legal_representative}，现就从事营业性演出经营活动郑重承诺：\n\
（一）举办营业性演出依法报经批准，不擅自变更演出内容和演员；\n\
（二）演出不含有《营业性演出管理条例》第二十五条禁止的内容；\n\
（三）演员不以假唱欺骗观众，不组织演员假唱，不为假唱提供条件；\n\
（四）不伪造、变造、出租、出借、买卖营业性演出许可证、批准文件或者营业执照；\n\
（五）按照核准的观众数量和划定的观众区域印制和出售门票，依法纳税。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用惩戒。\n\n\
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

    fn fields() -> serde_json::Value {
        json!({"legal_representative": "张三", "address": "郑州市管城区某路1号", "sign_date": "2026-11-30"})
    }

    fn organisation(name: &str) -> Subject {
        Subject { key: "91410104MAN0NYBQX1".into(), kind: SubjectKind::Organisation, name: name.into() }
    }

    #[test]
    fn templates_are_complete() {
        harness::templates(&TEMPLATES);
        let ids: Vec<_> = TEMPLATES.iter().map(|t| t.id).collect();
        assert_eq!(ids, crate::LICENCE_TYPES);
        assert!(TEMPLATES.iter().all(|t| t.licence_type == Some(t.id)));
    }

    #[test]
    fn renders_cafe_commitment_with_subject_and_fields() {
        let text = render(&TEMPLATES, "internet-cafe", &organisation("某网吧"), &fields()).unwrap();
        assert!(
            text.starts_with(
                "互联网上网服务营业场所经营单位信用承诺书\n\n本单位某网吧（统一社会信用代码：91410104MAN0NYBQX1），\
经营场所位于郑州市管城区某路1号，法定代表人（经营者）张三，现就从事互联网上网服务营业场所经营活动郑重承诺：\n\
（一）每日8时至24时营业，不在规定时间以外营业；\n"
            ),
            "{text}"
        );
        assert!(text.contains("（二）不接纳未成年人进入营业场所"), "{text}");
        assert!(
            text.ends_with(
                "并接受相应的信用惩戒。\n\n承诺单位（盖章）：某网吧\n法定代表人（签字）：张三\n日期：2026-11-30\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn missing_field_and_unknown_template_are_named() {
        let err = render(&TEMPLATES, "internet-cafe", &organisation("n"), &json!({"legal_representative": "张三"}))
            .unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("address"), "{}", err.message);
        let err = render(&TEMPLATES, "karaoke", &organisation("n"), &fields()).unwrap_err();
        assert_eq!(err.code, "unknown-template");
    }

    #[test]
    fn natural_persons_key_is_never_printed() {
        let s = Subject { key: "hash-of-id".into(), kind: SubjectKind::NaturalPerson, name: "张三".into() };
        let text = render(&TEMPLATES, "commercial-performance", &s, &fields()).unwrap();
        assert!(!text.contains("hash-of-id"), "{text}");
        assert!(text.contains("本单位张三（统一社会信用代码：—），经营场所位于郑州市管城区某路1号"), "{text}");
        assert!(text.contains("（三）演员不以假唱欺骗观众，不组织演员假唱，不为假唱提供条件；"), "{text}");
    }

    #[test]
    fn venue_commitment_includes_the_written_statement_of_article_9() {
        let text = render(&TEMPLATES, "entertainment-venue", &organisation("某KTV"), &fields()).unwrap();
        assert!(
            text.contains("（六）本单位投资人员、法定代表人和其他负责人没有《娱乐场所管理条例》第五条规定的情形。\n\n"),
            "{text}"
        );
    }

    #[test]
    fn fields_schema_comes_from_the_signatory_fields() {
        let info = TEMPLATES[0].info();
        assert_eq!(info.licence_type.as_deref(), Some("internet-cafe"));
        assert_eq!(info.fields_schema["required"], json!(["legal_representative", "address", "sign_date"]));
        assert_eq!(info.fields_schema["properties"]["sign_date"]["format"], "date");
        assert_eq!(info.fields_schema["additionalProperties"], false);
    }
}
