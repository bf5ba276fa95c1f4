//! The statutory bans on persons (从业禁止) of the three regulations, as
//! [`Ban`]s of the SDK.
//!
//! - 娱乐场所管理条例第五十三条第二款 follows 吊销 *or* 撤销 of the licence
//!   ([`Trigger::RevocationOrCancellation`]; the finding says which).
//! - 营业性演出管理条例第五十三条第一款 bars a unit's leaders 5 years (当事人为单位),
//!   and, when the party is an individual (当事人为个人: a natural person or
//!   an individual business, the registered form of 第九条), an individual
//!   performer (个体演员) 1 year and an individual agent (个体演出经纪人)
//!   5 years: three bans, told apart by [`Ban::penalised`] and, between
//!   performer and agent, by the wording of the record ([`is_agent`]).
//! - 同条第二款 bars for good after a revocation for content 第二十五条
//!   prohibits ([`prohibited_content`]).

use super::record_text;
use crate::checks::{CAFE, PERFORMANCE, VENUE};
use credit_sdk::prelude::*;

/// 当事人为个人 (营业性演出管理条例第五十三条第一款): a natural person or an
/// individual business.
const INDIVIDUAL: &[Party] = &[Party::IndividualBusiness, Party::NaturalPerson];

/// Whether an individual's penalty is one of an individual agent (个体演出经纪人):
/// its record speaks of 演出经纪, 经纪人 or 居间. Any other individual is a
/// performer (个体演员).
///
/// # Source
/// 营业性演出管理条例第九条 (个体演员, 个体演出经纪人), 第五十三条第一款.
pub fn is_agent(r: &CreditRecord) -> bool {
    let text = record_text(r);
    ["演出经纪", "经纪人", "居间"].iter().any(|w| text.contains(w))
}

fn is_performer(r: &CreditRecord) -> bool {
    !is_agent(r)
}

/// A revocation for content 第二十五条 prohibits: one citing 第二十五条, or
/// 第四十六条 (whose only revocation is for such content).
///
/// # Source
/// 营业性演出管理条例第二十五条、第四十六条第一款、第五十三条第二款.
pub fn prohibited_content(r: &CreditRecord) -> bool {
    cites_article(&r.legal_basis, PERFORMANCE, "第二十五条") || cites_article(&r.legal_basis, PERFORMANCE, "第四十六条")
}

const PERFORMANCE_LEADERS: &str = "文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人";

/// The bans, in catalogue order.
pub const BANS: [Ban; 8] = [
    Ban {
        id: "cafe-revocation-ban",
        title: "网吧被吊销《网络文化经营许可证》的，其法定代表人或者主要负责人5年内不得担任网吧的法定代表人或者主要负责人",
        basis: "互联网上网服务营业场所管理条例第三十六条第一款",
        regulation: CAFE,
        licence_types: &["internet-cafe"],
        barred_from: "互联网上网服务营业场所经营单位的法定代表人或者主要负责人",
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
        penalised: &[],
        reads: None,
    },
    Ban {
        id: "cafe-closure-ban",
        title: "擅自设立的网吧被依法取缔的，其主要负责人5年内不得担任网吧的法定代表人或者主要负责人",
        basis: "互联网上网服务营业场所管理条例第三十六条第二款",
        regulation: CAFE,
        licence_types: &["internet-cafe"],
        barred_from: "互联网上网服务营业场所经营单位的法定代表人或者主要负责人",
        trigger: Trigger::Closure,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
        penalised: &[],
        reads: None,
    },
    Ban {
        id: "venue-unlicensed-lifetime-ban",
        title: "因擅自从事娱乐场所经营活动被依法取缔的，其投资人员和负责人终身不得投资开办娱乐场所或者担任娱乐场所的法定代表人、负责人",
        basis: "娱乐场所管理条例第五十三条第一款",
        regulation: VENUE,
        licence_types: &["entertainment-venue"],
        barred_from: "娱乐场所的投资人、法定代表人或者负责人",
        trigger: Trigger::Closure,
        years: None,
        years_for_individual: None,
        roles: ANY,
        penalised: &[],
        reads: None,
    },
    Ban {
        id: "venue-revocation-ban",
        title: "娱乐场所被吊销或者撤销娱乐经营许可证的，其法定代表人、负责人5年内不得担任娱乐场所的法定代表人、负责人",
        basis: "娱乐场所管理条例第五十三条第二款",
        regulation: VENUE,
        licence_types: &["entertainment-venue"],
        barred_from: "娱乐场所的法定代表人、负责人",
        trigger: Trigger::RevocationOrCancellation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
        penalised: &[],
        reads: None,
    },
    Ban {
        id: "performance-revocation-ban",
        title: "单位被吊销营业性演出许可证或者营业执照的，其法定代表人、主要负责人5年内不得担任文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人",
        basis: "营业性演出管理条例第五十三条第一款",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: PERFORMANCE_LEADERS,
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
        penalised: &[Party::Unit],
        reads: None,
    },
    Ban {
        id: "performer-revocation-ban",
        title: "个体演员被吊销营业执照的，1年内不得从事营业性演出",
        basis: "营业性演出管理条例第五十三条第一款",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: "营业性演出经营主体的法定代表人、主要负责人或者经营者（个体演员1年内不得从事营业性演出）",
        trigger: Trigger::Revocation,
        years: Some(1),
        years_for_individual: Some(1),
        roles: LEAD,
        penalised: INDIVIDUAL,
        reads: Some(is_performer),
    },
    Ban {
        id: "agent-revocation-ban",
        title: "个体演出经纪人被吊销营业执照的，5年内不得从事营业性演出的居间、代理活动",
        basis: "营业性演出管理条例第五十三条第一款",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: "演出经纪机构的法定代表人、主要负责人或者经营者（个体演出经纪人5年内不得从事营业性演出的居间、代理活动）",
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
        penalised: INDIVIDUAL,
        reads: Some(is_agent),
    },
    Ban {
        id: "performance-prohibited-content-ban",
        title: "因营业性演出有第二十五条禁止情形被吊销营业性演出许可证或者营业执照的，不得再次从事营业性演出或者营业性演出的居间、代理、行纪活动",
        basis: "营业性演出管理条例第五十三条第二款、第二十五条、第四十六条第一款",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: "营业性演出经营主体的投资人、法定代表人、主要负责人或者经营者（不得再次从事营业性演出或者其居间、代理、行纪活动）",
        trigger: Trigger::Revocation,
        years: None,
        years_for_individual: None,
        roles: ANY,
        penalised: &[],
        reads: Some(prohibited_content),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CulturalMarket;
    use credit_sdk::harness;
    use serde_json::{Value, json};

    fn record(subject: &str, rep: Option<&str>, basis: &str, types: &str, content: &str, decided: &str) -> Value {
        json!({
            "id": "r1", "sector": "cultural-market", "kind": "penalty", "subject_key": subject,
            "subject_name": "旧单位", "legal_representative_key": rep, "decision_number": "X罚字〔2025〕1号",
            "decision_date": decided, "legal_basis": basis, "penalty_types": types.split('；').collect::<Vec<_>>(),
            "content": content, "certificate": "", "severity": "serious", "publicized": true, "body": {}
        })
    }

    fn request(licence_type: &str, role: &str, records: Vec<Value>) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410104MAN0NYBQX1", "kind": "organisation", "name": "新单位"},
            "persons": [{"key": "p-1", "name": "尹然梅", "role": role}],
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30",
            "records": records
        }))
        .unwrap()
    }

    /// A natural person applying in its own name, with its own records.
    fn person_request(records: Vec<Value>) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "p-9", "kind": "natural-person", "name": "演员"},
            "purpose": "licensing", "licence_type": "commercial-performance", "as_of": "2026-11-30",
            "records": records
        }))
        .unwrap()
    }

    fn found(req: &InspectRequest) -> Vec<(String, Outcome, Option<String>)> {
        harness::inspect::<CulturalMarket>(req)
            .unwrap()
            .into_iter()
            .filter(|f| f.outcome == Outcome::Restricted)
            .map(|f| (f.rule_id.0, f.outcome, f.until))
            .collect()
    }

    const CAFE_BASIS: &str = "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项";

    #[test]
    fn revoked_cafe_bars_its_representative_on_a_new_company_for_five_years() {
        let r = record("91410104MA329GYC1F", Some("p-1"), CAFE_BASIS, "警告；罚款；吊销许可证件", "吊销", "2025-05-22");
        let f = harness::inspect::<CulturalMarket>(&request("internet-cafe", "legal-representative", vec![r.clone()]))
            .unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule_id.as_str(), "cafe-revocation-ban");
        assert_eq!(f[0].until.as_deref(), Some("2030-05-22"));
        assert_eq!(f[0].evidence[0].as_str(), "r1");
        // An investor is not barred by 第三十六条, nor is a performance licence.
        assert!(found(&request("internet-cafe", "investor", vec![r.clone()])).is_empty());
        assert!(found(&request("commercial-performance", "legal-representative", vec![r])).is_empty());
    }

    #[test]
    fn a_ban_applies_only_to_its_own_regulation() {
        let r = record(
            "x",
            Some("p-1"),
            "《互联网上网服务营业场所管理条例》第七条、第二十七条",
            "其他",
            "依法予以取缔",
            "2023-10-16",
        );
        assert!(found(&request("entertainment-venue", "legal-representative", vec![r.clone()])).is_empty());
        assert_eq!(found(&request("internet-cafe", "principal", vec![r]))[0].0, "cafe-closure-ban");
        // 《营业性演出管理条例实施细则》 is not the regulation.
        let basis = "《营业性演出管理条例实施细则》第五十三条";
        let r = record("91410100MA00000000", Some("p-1"), basis, "吊销许可证件", "吊销营业性演出许可证", "2025-01-01");
        assert!(found(&request("commercial-performance", "legal-representative", vec![r])).is_empty());
    }

    #[test]
    fn cancelled_venue_licence_bars_like_a_revoked_one_and_says_so() {
        let r = record("x", Some("p-1"), "《娱乐场所管理条例》第四十二条", "其他", "撤销娱乐经营许可证", "2024-04-01");
        let req = request("entertainment-venue", "legal-representative", vec![r]);
        assert_eq!(found(&req), [("venue-revocation-ban".into(), Outcome::Restricted, Some("2029-04-01".into()))]);
        let f = harness::inspect::<CulturalMarket>(&req).unwrap();
        assert!(f[0].message.contains("被撤销许可证"), "{}", f[0].message);
    }

    #[test]
    fn venue_revocation_does_not_bar_an_investor() {
        let r =
            record("x", Some("p-1"), "《娱乐场所管理条例》第十四条、第四十三条", "吊销许可证件", "吊销", "2024-04-01");
        assert!(found(&request("entertainment-venue", "investor", vec![r.clone()])).is_empty());
        assert_eq!(found(&request("entertainment-venue", "principal", vec![r])).len(), 1);
    }

    #[test]
    fn individual_performer_is_barred_for_one_year_only() {
        let basis = "《营业性演出管理条例》第二十八条、第四十七条第一款第（三）项";
        let mut r = record("p-9", None, basis, "吊销许可证件", "吊销营业执照", "2026-01-10");
        r["body"] = json!({"subject_category": "自然人", "violation_type": "个体演员2年内再次以假唱欺骗观众"});
        assert_eq!(
            found(&person_request(vec![r.clone()])),
            [("performer-revocation-ban".into(), Outcome::Restricted, Some("2027-01-10".into()))]
        );
        r["decision_date"] = json!("2025-10-10");
        assert!(found(&person_request(vec![r])).is_empty());
    }

    #[test]
    fn individual_agent_is_barred_for_five_years() {
        let basis = "《营业性演出管理条例》第五十二条";
        let mut r = record("p-9", None, basis, "吊销许可证件", "吊销营业执照", "2023-10-10");
        r["body"] = json!({"subject_category": "自然人", "violation_type": "个体演出经纪人超范围从事演出经纪活动"});
        assert_eq!(
            found(&person_request(vec![r])),
            [("agent-revocation-ban".into(), Outcome::Restricted, Some("2028-10-10".into()))]
        );
    }

    #[test]
    fn individual_business_performer_is_found_through_its_operator() {
        let basis = "《营业性演出管理条例》第五十二条";
        let mut r = record("92410100MA00000000", Some("p-1"), basis, "吊销许可证件", "吊销营业执照", "2026-03-01");
        r["body"] = json!({"subject_category": "个体工商户", "violation_type": "个体演员违反条例情节严重"});
        assert_eq!(
            found(&request("commercial-performance", "legal-representative", vec![r]))[0].2.as_deref(),
            Some("2027-03-01")
        );
    }

    #[test]
    fn unit_revocation_bars_its_representative_five_years() {
        let basis = "《营业性演出管理条例》第十三条、第四十四条第一款";
        let mut r = record(
            "91410100MA00000000",
            Some("p-1"),
            basis,
            "罚款；吊销许可证件",
            "吊销营业性演出许可证",
            "2024-06-17",
        );
        r["body"] = json!({"subject_category": "法人及非法人组织"});
        assert_eq!(
            found(&request("commercial-performance", "legal-representative", vec![r])),
            [("performance-revocation-ban".into(), Outcome::Restricted, Some("2029-06-17".into()))]
        );
    }

    #[test]
    fn revocation_for_prohibited_content_bars_for_good_even_citing_article_46_alone() {
        let basis = "《营业性演出管理条例》第四十六条第一款";
        let mut r = record("x", Some("p-1"), basis, "罚款；吊销许可证件", "吊销营业性演出许可证", "2010-01-01");
        r["body"] = json!({"subject_category": "法人及非法人组织"});
        assert_eq!(
            found(&request("commercial-performance", "investor", vec![r])),
            [("performance-prohibited-content-ban".into(), Outcome::Restricted, None)]
        );
    }

    #[test]
    fn the_penalised_party_is_told_by_its_key_and_an_agent_by_the_wording() {
        let r = |key: &str, body: Value| -> CreditRecord {
            let mut v =
                record(key, None, "《营业性演出管理条例》第五十二条", "吊销许可证件", "吊销营业执照", "2026-01-01");
            v["body"] = body;
            serde_json::from_value(v).unwrap()
        };
        let by = |r: &CreditRecord| -> Vec<&str> { BANS.iter().filter(|b| b.triggered_by(r)).map(|b| b.id).collect() };
        // 当事人为单位: its leaders, 5 years.
        assert_eq!(by(&r("91410100MA00000000", json!({}))), ["performance-revocation-ban"]);
        // 当事人为个人: a natural person or an individual business (第九条), whatever the body says.
        assert_eq!(by(&r("p-9", json!({}))), ["performer-revocation-ban"]);
        assert_eq!(
            by(&r("92410100MA00000000", json!({"subject_category": "个体工商户"}))),
            ["performer-revocation-ban"]
        );
        assert_eq!(
            by(&r("p-9", json!({"subject_category": "自然人", "violation_type": "超范围从事演出经纪活动"}))),
            ["agent-revocation-ban"]
        );
        // An agency (单位) is a unit, whatever its record says of 经纪.
        assert_eq!(
            by(&r("91410100MA00000000", json!({"violation_type": "演出经纪机构超范围经营"}))),
            ["performance-revocation-ban"]
        );
    }

    #[test]
    fn a_person_barred_for_their_own_revocation_is_told_so() {
        let mut r =
            record("p-9", None, "《营业性演出管理条例》第五十二条", "吊销许可证件", "吊销营业执照", "2026-01-10");
        r["subject_name"] = json!("演员");
        let f: Vec<Finding> = harness::inspect::<CulturalMarket>(&person_request(vec![r]))
            .unwrap()
            .into_iter()
            .filter(|f| f.outcome == Outcome::Restricted)
            .collect();
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("演员（经营者）本人于2026-01-10被吊销许可证"), "{}", f[0].message);
    }
}
