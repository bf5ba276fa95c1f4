//! The statutory bans on persons (从业禁止) of the three regulations, as
//! [`Ban`]s of the SDK, each with the records of the credit file it reads.
//!
//! Two bans need more than the SDK's triggers, so their records are chosen
//! (and, for one, read) here before [`Ban::findings`] runs:
//! - 营业性演出管理条例第五十三条第一款 bars an organisation's leaders 5 years,
//!   an individual performer (个体演员) 1 year and an individual agent
//!   (个体演出经纪人) 5 years: three bans, each reading the revocations of its
//!   kind of party ([`party`]).
//! - 娱乐场所管理条例第五十三条第二款 follows 吊销 *or* 撤销 of the licence;
//!   the SDK's revocation trigger sees only 吊销, so a cancellation (撤销, under
//!   第四十二条) is read as a revocation, and its finding says 撤销.

use super::record_text;
use crate::checks::{CAFE, PERFORMANCE, VENUE};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// Which records of the credit file a ban reads.
#[derive(Debug, Clone, Copy)]
pub enum Reads {
    /// Every record (the SDK's trigger decides).
    All,
    /// The records the function accepts.
    Only(fn(&CreditRecord) -> bool),
    /// Every record, with cancellations (撤销) of the licence read as
    /// revocations.
    CancellationsToo,
}

/// A statutory ban and the records it reads.
#[derive(Debug, Clone, Copy)]
pub struct ScopedBan {
    /// The ban.
    pub ban: Ban,
    /// Its records.
    pub reads: Reads,
}

impl ScopedBan {
    /// The ban's findings on `request` (see [`Ban::findings`]), read through
    /// [`ScopedBan::reads`].
    pub fn findings(&self, request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
        let mut findings = match self.reads {
            Reads::All => return self.ban.findings(request, as_of),
            Reads::Only(accepts) => {
                let mut scoped = request.clone();
                scoped.records.retain(accepts);
                self.ban.findings(&scoped, as_of)
            }
            Reads::CancellationsToo => {
                let mut scoped = request.clone();
                for r in scoped.records.iter_mut().filter(|r| is_cancellation(r) && !r.is_revocation()) {
                    r.penalty_types.push("撤销许可证件（与吊销同论）".into());
                    r.content.push_str("；吊销或者撤销许可证件");
                }
                self.ban.findings(&scoped, as_of)
            }
        };
        for f in &mut findings {
            let cancelled = f
                .evidence
                .iter()
                .any(|id| request.records.iter().any(|r| &r.id == id && is_cancellation(r) && !r.is_revocation()));
            if cancelled {
                f.message = f.message.replace("被吊销许可证", "被撤销许可证");
            }
        }
        findings
    }
}

/// Who a performance penalty was imposed on, for 营业性演出管理条例第五十三条第一款.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// An organisation: 文艺表演团体, 演出经纪机构, 演出场所经营单位.
    Unit,
    /// 个体演员.
    Performer,
    /// 个体演出经纪人.
    Agent,
}

/// The party a penalty was imposed on: a natural person (`subject_category`
/// 自然人 in the body, or a record without a legal representative when the
/// body is not there) or an individual business the record calls 个体演员 /
/// 个体演出经纪人 is an individual; an individual whose record speaks of
/// 演出经纪, 经纪人 or 居间 is an agent, any other a performer.
pub fn party(r: &CreditRecord) -> Party {
    let text = record_text(r);
    let named = text.contains("个体演员") || text.contains("个体演出经纪人");
    let individual = match r.body.get("subject_category").and_then(serde_json::Value::as_str) {
        Some("自然人") => true,
        Some(_) => named,
        None => named || r.legal_representative_key.is_none(),
    };
    if !individual {
        Party::Unit
    } else if ["演出经纪", "经纪人", "居间"].iter().any(|w| text.contains(w)) {
        Party::Agent
    } else {
        Party::Performer
    }
}

/// Whether a record cancels (撤销) an entertainment licence.
///
/// # Source
/// 娱乐场所管理条例第四十二条 (撤销 of a licence obtained by fraud).
pub fn is_cancellation(r: &CreditRecord) -> bool {
    let says = |w: &str| r.content.contains(w) || r.penalty_types.iter().any(|t| t.contains(w));
    r.kind == "penalty"
        && r.cites(VENUE)
        && (says("撤销娱乐经营许可证")
            || says("撤销许可证")
            || (cites_article(&r.legal_basis, VENUE, "第四十二条") && says("撤销")))
}

fn unit(r: &CreditRecord) -> bool {
    party(r) == Party::Unit
}

fn performer(r: &CreditRecord) -> bool {
    party(r) == Party::Performer
}

fn agent(r: &CreditRecord) -> bool {
    party(r) == Party::Agent
}

/// A revocation for content 第二十五条 prohibits: one citing 第二十五条, or
/// 第四十六条 (whose only revocation is for such content).
fn prohibited_content(r: &CreditRecord) -> bool {
    cites_article(&r.legal_basis, PERFORMANCE, "第二十五条") || cites_article(&r.legal_basis, PERFORMANCE, "第四十六条")
}

const PERFORMANCE_LEADERS: &str = "文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人";

/// The bans, in catalogue order.
pub const BANS: [ScopedBan; 8] = [
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::All,
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::All,
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::All,
    },
    ScopedBan {
        ban: Ban {
            id: "venue-revocation-ban",
            title: "娱乐场所被吊销或者撤销娱乐经营许可证的，其法定代表人、负责人5年内不得担任娱乐场所的法定代表人、负责人",
            basis: "娱乐场所管理条例第五十三条第二款",
            regulation: VENUE,
            licence_types: &["entertainment-venue"],
            barred_from: "娱乐场所的法定代表人、负责人",
            trigger: Trigger::Revocation,
            years: Some(5),
            years_for_individual: Some(5),
            roles: LEAD,
        },
        reads: Reads::CancellationsToo,
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::Only(unit),
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::Only(performer),
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::Only(agent),
    },
    ScopedBan {
        ban: Ban {
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
        },
        reads: Reads::Only(prohibited_content),
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
    fn parties_are_told_apart_by_category_and_wording() {
        let r = |body: Value, rep: Option<&str>| -> CreditRecord {
            let mut v =
                record("k", rep, "《营业性演出管理条例》第五十二条", "吊销许可证件", "吊销营业执照", "2026-01-01");
            v["body"] = body;
            serde_json::from_value(v).unwrap()
        };
        assert_eq!(party(&r(json!({"subject_category": "法人及非法人组织"}), Some("p"))), Party::Unit);
        assert_eq!(party(&r(json!({"subject_category": "个体工商户"}), Some("p"))), Party::Unit);
        assert_eq!(
            party(&r(json!({"subject_category": "个体工商户", "violation_facts": "个体演员"}), Some("p"))),
            Party::Performer
        );
        assert_eq!(party(&r(json!({"subject_category": "自然人"}), None)), Party::Performer);
        assert_eq!(party(&r(json!({"subject_category": "自然人", "violation_type": "演出经纪"}), None)), Party::Agent);
        // Another sector's record comes without a body: no legal representative means a person.
        assert_eq!(party(&r(json!({}), None)), Party::Performer);
        assert_eq!(party(&r(json!({}), Some("p"))), Party::Unit);
    }
}
