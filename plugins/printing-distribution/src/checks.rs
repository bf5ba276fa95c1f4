//! Semantic checks of penalties and licences that a JSON Schema cannot
//! express: the SDK's shared 双公示 checks against this sector's articles
//! ([`crate::articles`]), and what the two regulations add.

use crate::articles::{self, PRINTING, PUBLISHING};
use credit_sdk::checks;
use credit_sdk::prelude::*;
use serde_json::Value;

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// Check one penalty body: the shared checks against the cited articles
/// ([`articles::for_basis`]: a fine under the 1万 floor of an article of
/// 印刷业管理条例 is `fine-out-of-range` unless the record cites a reduction), and
/// - 取缔 in 处罚内容 needs an article that orders it (`closure-not-provided`:
///   印刷业管理条例第三十六条, 出版管理条例第六十一条);
/// - 出版管理条例第七十条第二款 revokes a person's qualification: its subject is
///   a natural person (`qualification-not-a-person`);
/// - a revocation under 印刷业管理条例 alone names the 印刷经营许可证 (warning
///   `revoked-certificate-unexpected`).
pub fn penalty(body: &Value) -> Vec<Violation> {
    let basis = text(body, "legal_basis");
    let articles = articles::for_basis(basis);
    let mut out = checks::penalty(body, &articles);
    let cited = articles::cited(basis, &articles);
    let named = cited.iter().map(|a| format!("《{}》{}", a.regulation, a.article)).collect::<Vec<_>>().join("、");

    let content = text(body, "penalty_content");
    if content.contains("取缔") && !cited.is_empty() && cited.iter().all(|a| !a.provides.is_empty()) {
        let closes = cited.iter().any(|a| a.provides.contains(&"取缔"));
        if !closes {
            out.push(Violation::error(
                "/penalty_content",
                "closure-not-provided",
                format!("{named}没有规定“取缔”；擅自从事印刷、发行等经营活动的取缔依据为《印刷业管理条例》第三十六条或《出版管理条例》第六十一条"),
                format!("{named} does not provide closure (取缔); unlicensed operation is closed under 印刷业管理条例第三十六条 or 出版管理条例第六十一条"),
            ));
        }
    }

    let only_qualification =
        !cited.is_empty() && cited.iter().all(|a| a.regulation == PUBLISHING && a.article == "第七十条");
    if only_qualification && text(body, "subject_category") != "自然人" {
        out.push(Violation::error(
            "/subject_category",
            "qualification-not-a-person",
            "《出版管理条例》第七十条第二款吊销的是出版从业人员的资格证书，行政相对人应为自然人",
            "出版管理条例第七十条第二款 revokes a staff member's qualification certificate: the subject is a natural person",
        ));
    }

    let revoked = text(body, "revoked_certificate");
    let printing_only = !cited.is_empty() && cited.iter().all(|a| a.regulation == PRINTING);
    if text(body, "penalty_types").contains("吊销")
        && printing_only
        && !revoked.trim().is_empty()
        && !revoked.contains("印刷经营许可证")
    {
        out.push(Violation::warning(
            "/revoked_certificate",
            "revoked-certificate-unexpected",
            format!("依据《印刷业管理条例》吊销的应为印刷经营许可证，记录为“{revoked}”，请核实"),
            format!("a revocation under 印刷业管理条例 revokes the 印刷经营许可证, but the record names {revoked:?}"),
        ));
    }
    out
}

/// Whether an authority's name is a provincial (or national) one: 省,
/// 自治区 or 直辖市 without a lower unit (市, 县, 区, 州, 盟) after it.
fn is_provincial(authority: &str) -> bool {
    if authority.contains("国家") || authority.contains("总署") {
        return true;
    }
    let rest = ["北京市", "天津市", "上海市", "重庆市"]
        .iter()
        .find_map(|m| authority.strip_prefix(m))
        .or_else(|| authority.split_once("自治区").map(|(_, r)| r))
        .or_else(|| authority.split_once('省').map(|(_, r)| r));
    rest.is_some_and(|r| !r.contains(['市', '县', '区', '州', '盟']))
}

/// Check one licence body: the shared checks, and who may hold which
/// licence and who grants it.
///
/// # Source
/// - 出版管理条例第三十五条: 《出版物经营许可证》 for 批发 only to 单位 (by the
///   province), for 零售 to 单位 and 个体工商户 — never to a natural person
///   (errors `holder-not-allowed`, `wholesale-not-allowed`; warning
///   `authority-level` for wholesale not granted by a province).
/// - 印刷业管理条例第十条: 出版物印刷 is granted by the province; an individual
///   (个人, so also an individual business) may only print 其他印刷品 (error
///   `individual-printing-scope`; warning `authority-level`).
pub fn licence(body: &Value) -> Vec<Violation> {
    let mut out = checks::licence(body);
    let certificate = text(body, "certificate_name");
    let content = text(body, "licence_content");
    let category = text(body, "subject_category");
    let authority = text(body, "authority");
    let individual = matches!(category, "自然人" | "个体工商户");
    if certificate == "出版物经营许可证" {
        if category == "自然人" {
            out.push(Violation::error(
                "/subject_category",
                "holder-not-allowed",
                "《出版管理条例》第三十五条：出版物经营许可证只发给单位和个体工商户，自然人不能持有",
                "出版管理条例第三十五条 grants the 出版物经营许可证 to units and individual businesses only",
            ));
        } else if category == "个体工商户" && content.contains("批发") {
            out.push(Violation::error(
                "/licence_content",
                "wholesale-not-allowed",
                "《出版管理条例》第三十五条第一款：出版物批发业务只许可给单位，个体工商户只能从事零售",
                "出版管理条例第三十五条第一款 licenses wholesale to units only; an individual business may only retail",
            ));
        }
        if content.contains("批发") && !authority.is_empty() && !is_provincial(authority) {
            out.push(Violation::warning(
                "/authority",
                "authority-level",
                format!("《出版管理条例》第三十五条第一款：出版物批发由省级出版行政主管部门审核许可，许可机关为“{authority}”，请核实"),
                format!("出版管理条例第三十五条第一款: wholesale is licensed by the province, but the authority is {authority:?}"),
            ));
        }
    }
    if certificate == "印刷经营许可证" {
        if individual && (content.contains("出版物") || content.contains("包装装潢")) {
            out.push(Violation::error(
                "/licence_content",
                "individual-printing-scope",
                "《印刷业管理条例》第十条第三款：个人不得从事出版物、包装装潢印刷品印刷经营活动，只能从事其他印刷品印刷",
                "印刷业管理条例第十条第三款: an individual may print only 其他印刷品, not publications or packaging",
            ));
        }
        if content.contains("出版物") && !authority.is_empty() && !is_provincial(authority) {
            out.push(Violation::warning(
                "/authority",
                "authority-level",
                format!("《印刷业管理条例》第十条第一款：出版物印刷经营活动由省级出版行政部门批准，许可机关为“{authority}”，请核实"),
                format!("印刷业管理条例第十条第一款: printing publications is licensed by the province, but the authority is {authority:?}"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    #[test]
    fn printing_fine_under_ten_thousand_yuan_is_refused_unless_reduced() {
        let mut body = json!({
            "legal_basis": "《印刷业管理条例》第四十一条第（一）项", "penalty_types": "警告；罚款；没收违法所得",
            "penalty_content": "给予警告；罚款人民币5000元", "fine_wan_yuan": 0.5
        });
        let v = penalty(&body);
        assert_eq!(codes(&v), [("fine-out-of-range", false)]);
        assert_eq!(v[0].message, "罚款0.5万元低于《印刷业管理条例》第四十一条规定的下限1万元");
        body["legal_basis"] = json!("《印刷业管理条例》第四十一条第（一）项；《行政处罚法》第三十二条第（一）项");
        assert!(penalty(&body).is_empty(), "a reduction (减轻处罚) may go below the floor");
        body["fine_wan_yuan"] = json!(6.0);
        body["legal_basis"] = json!("《印刷业管理条例》第四十一条第（一）项");
        assert_eq!(codes(&penalty(&body)), [("fine-depends-on-turnover", true)]);
    }

    #[test]
    fn a_publishing_fine_has_no_floor_and_article_39_no_fine() {
        let body = json!({
            "legal_basis": "《出版管理条例》第六十五条第（五）项", "penalty_types": "罚款；没收违法所得",
            "penalty_content": "罚款人民币2500元", "fine_wan_yuan": 0.25
        });
        assert!(penalty(&body).is_empty());
        let body = json!({
            "legal_basis": "《印刷业管理条例》第三十九条第（四）项", "penalty_types": "警告；罚款",
            "penalty_content": "警告；罚款", "fine_wan_yuan": 0.5
        });
        assert_eq!(codes(&penalty(&body)), [("type-not-provided", false), ("fine-not-provided", false)]);
    }

    #[test]
    fn paragraph_43_2_fines_the_client_500_to_5000_yuan() {
        let body = |fine: f64| {
            json!({"legal_basis": "《印刷业管理条例》第四十三条第二款", "penalty_types": "罚款",
                   "penalty_content": "罚款", "fine_wan_yuan": fine})
        };
        assert!(penalty(&body(0.3)).is_empty());
        assert_eq!(codes(&penalty(&body(0.8))), [("fine-out-of-range", false)]);
    }

    #[test]
    fn an_unmarked_in_house_print_shop_has_no_licence_to_revoke() {
        let body = json!({
            "legal_basis": "《印刷业管理条例》第十五条、第三十九条第二款", "penalty_types": "警告；吊销许可证件",
            "penalty_content": "警告；吊销", "revoked_certificate": "印刷经营许可证"
        });
        assert_eq!(codes(&penalty(&body)), [("type-not-provided", false)]);
    }

    #[test]
    fn closure_needs_an_article_that_orders_it() {
        let body = json!({
            "legal_basis": "《出版管理条例》第六十五条第（五）项", "penalty_types": "没收违法所得；其他",
            "penalty_content": "依法予以取缔，没收出版物"
        });
        assert_eq!(codes(&penalty(&body)), [("closure-not-provided", false)]);
        let body = json!({
            "legal_basis": "《印刷业管理条例》第八条、第三十六条", "penalty_types": "责令关闭；没收非法财物；罚款",
            "penalty_content": "依法予以取缔，没收印刷品；罚款1万元", "fine_wan_yuan": 1.0
        });
        assert!(penalty(&body).is_empty());
    }

    #[test]
    fn qualification_revocation_is_of_a_person() {
        let body = json!({
            "legal_basis": "《出版管理条例》第七十条第二款", "penalty_types": "吊销许可证件",
            "penalty_content": "吊销出版专业技术人员职业资格证书", "revoked_certificate": "出版专业技术人员职业资格证书",
            "subject_category": "法人及非法人组织"
        });
        assert_eq!(codes(&penalty(&body)), [("qualification-not-a-person", false)]);
    }

    #[test]
    fn printing_revocation_names_the_printing_licence() {
        let body = json!({
            "legal_basis": "《印刷业管理条例》第三十八条", "penalty_types": "责令停产停业；没收违法所得；罚款；吊销许可证件",
            "penalty_content": "吊销", "fine_wan_yuan": 2.0, "revoked_certificate": "出版物经营许可证（新出发4101059470）"
        });
        assert_eq!(codes(&penalty(&body)), [("revoked-certificate-unexpected", true)]);
    }

    #[test]
    fn who_may_hold_which_licence() {
        let lic = |category: &str, certificate: &str, content: &str, authority: &str| {
            json!({"subject_category": category, "certificate_name": certificate, "licence_content": content,
                   "authority": authority, "decision_date": "2024-01-01", "valid_from": "2024-01-01", "valid_to": "2030-01-01"})
        };
        assert_eq!(
            codes(&licence(&lic("自然人", "出版物经营许可证", "出版物零售", "中牟县文化广电和旅游局"))),
            [("holder-not-allowed", false)]
        );
        assert_eq!(
            codes(&licence(&lic("个体工商户", "出版物经营许可证", "出版物批发", "河南省新闻出版局"))),
            [("wholesale-not-allowed", false)]
        );
        assert_eq!(
            codes(&licence(&lic("法人及非法人组织", "出版物经营许可证", "出版物批发", "郑州市文化广电和旅游局"))),
            [("authority-level", true)]
        );
        assert_eq!(
            codes(&licence(&lic(
                "个体工商户",
                "印刷经营许可证",
                "包装装潢印刷品和其他印刷品印刷",
                "郑州市文化广电和旅游局"
            ))),
            [("individual-printing-scope", false)]
        );
        assert!(licence(&lic("法人及非法人组织", "印刷经营许可证", "出版物印刷", "中共河南省委宣传部")).is_empty());
        assert!(licence(&lic("个体工商户", "出版物经营许可证", "出版物零售", "新郑市文化广电和旅游局")).is_empty());
    }

    #[test]
    fn provincial_authorities_are_told_from_lower_ones() {
        for p in ["河南省新闻出版局", "广西壮族自治区新闻出版局", "北京市新闻出版局", "国家新闻出版署"]
        {
            assert!(is_provincial(p), "{p}");
        }
        for p in [
            "郑州市文化广电和旅游局",
            "北京市朝阳区文化和旅游局",
            "广西壮族自治区南宁市文化广电和旅游局",
            "河南省郑州市新闻出版局",
        ] {
            assert!(!is_provincial(p), "{p}");
        }
    }
}
