//! Credit-commitment templates (信用承诺书), one per licence type, declared as
//! data ([`credit_sdk::commitment`]): the SDK makes the fields' JSON Schema
//! and renders the text.
//!
//! The text takes the subject's name and code (`{subject_name}`,
//! `{subject_code}`: the USCC of the committing unit) and the fields of
//! [`SIGNATORY`]: `legal_representative`, `address`, `sign_date`. Every pledge
//! restates a duty of the regulation and article it names.

use credit_sdk::commitment::{SIGNATORY, Template};

/// The templates, by licence type.
pub const TEMPLATES: [Template; 2] = [
    Template {
        id: crate::rules::PRODUCTION,
        title: "广播电视节目制作经营单位信用承诺书",
        licence_type: Some(crate::rules::PRODUCTION),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（负责人）{legal_representative}，现就从事广播电视节目制作经营活动郑重承诺：\n\
（一）不制作、不向境外提供含有《广播电视管理条例》第三十二条规定禁止内容的节目（第四十九条）；\n\
（二）在广播电视节目制作经营许可范围内从事制作经营活动，未取得电视剧制作许可不制作电视剧（第三十一条、第三十五条）；\n\
（三）向境外提供广播电视节目，按照国家有关规定向省级以上广播电视行政部门备案（第三十九条第二款）；\n\
（四）制作、使用享有著作权的节目，依照《中华人民共和国著作权法》办理（第四十六条）；\n\
（五）不擅自举办广播电视节目交流、交易活动（第四十五条）。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用监管。\n\n\
承诺单位（盖章）：{subject_name}\n法定代表人（签字）：{legal_representative}\n日期：{sign_date}\n",
    },
    Template {
        id: crate::rules::SATELLITE,
        title: "卫星电视广播地面接收设施安装服务（设置）单位信用承诺书",
        licence_type: Some(crate::rules::SATELLITE),
        fields: &SIGNATORY,
        text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
法定代表人（负责人）{legal_representative}，现就从事卫星电视广播地面接收设施安装服务或设置活动郑重承诺：\n\
（一）只从经许可的生产企业购进卫星地面接收设施，不向安装服务机构以外的单位和个人销售（《卫星电视广播地面接收设施管理规定》第四条）；\n\
（二）不销售、安装和使用未经质量认证的设施（第六条）；\n\
（三）只为持有审批机关证明的单位安装设施，不为未经批准的个人安装（第七条、第八条）；\n\
（四）不携带、邮寄卫星地面接收设施入境，进口设施依法办理审批（第五条）；\n\
（五）不擅自截传、干扰、解扰广播电视信号，不擅自进行广播电视传输覆盖网工程安装（《广播电视管理条例》第二十二条、第二十八条）。\n\n\
本单位知悉：如违反上述承诺，将依法承担相应法律责任，违诺情况将记入本单位信用记录，作为失信信息依法公示，\
并接受相应的信用监管。\n\n\
承诺单位（盖章）：{subject_name}\n法定代表人（签字）：{legal_representative}\n日期：{sign_date}\n",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use credit_sdk::commitment::render;
    use credit_sdk::harness;
    use credit_sdk::{Subject, SubjectKind};
    use serde_json::json;

    fn subject() -> Subject {
        Subject {
            key: "91410104MAJ62FJQ2L".into(),
            kind: SubjectKind::Organisation,
            name: "郑州中原光速影视文化有限公司".into(),
        }
    }

    fn fields() -> serde_json::Value {
        json!({"legal_representative": "程刚子", "address": "郑州市中原区某路1号", "sign_date": "2026-11-30"})
    }

    #[test]
    fn every_placeholder_is_a_field_and_every_template_renders() {
        harness::templates(&TEMPLATES);
        for t in &TEMPLATES {
            assert_eq!(t.licence_type, Some(t.id));
            assert_eq!(t.info().fields_schema["required"], json!(["legal_representative", "address", "sign_date"]));
        }
    }

    #[test]
    fn renders_production_commitment_with_subject_and_fields() {
        let text = render(&TEMPLATES, "radio-tv-production", &subject(), &fields()).unwrap();
        assert!(text.starts_with(
            "广播电视节目制作经营单位信用承诺书\n\n本单位郑州中原光速影视文化有限公司（统一社会信用代码：91410104MAJ62FJQ2L），\
经营场所位于郑州市中原区某路1号，法定代表人（负责人）程刚子，现就从事广播电视节目制作经营活动郑重承诺：\n"
        ));
        assert!(text.contains(
            "（一）不制作、不向境外提供含有《广播电视管理条例》第三十二条规定禁止内容的节目（第四十九条）；\n"
        ));
        assert!(text.contains("（五）不擅自举办广播电视节目交流、交易活动（第四十五条）。\n\n本单位知悉："));
        assert!(text.ends_with(
            "承诺单位（盖章）：郑州中原光速影视文化有限公司\n法定代表人（签字）：程刚子\n日期：2026-11-30\n"
        ));
    }

    #[test]
    fn renders_satellite_commitment_and_unknown_one_is_an_error() {
        let text = render(&TEMPLATES, "satellite-installation", &subject(), &fields()).unwrap();
        assert!(text.starts_with("卫星电视广播地面接收设施安装服务（设置）单位信用承诺书\n\n"));
        assert!(text.contains("现就从事卫星电视广播地面接收设施安装服务或设置活动郑重承诺："));
        assert!(text.contains("（二）不销售、安装和使用未经质量认证的设施（第六条）；"));
        assert!(text.contains("（《广播电视管理条例》第二十二条、第二十八条）。"));
        assert_eq!(render(&TEMPLATES, "printing", &subject(), &fields()).unwrap_err().code, "unknown-template");
    }

    #[test]
    fn missing_field_is_named() {
        let err = render(&TEMPLATES, "radio-tv-production", &subject(), &json!({"legal_representative": "程刚子"}))
            .unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("address"));
    }
}
