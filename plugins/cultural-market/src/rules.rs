//! Inspection rules: the statutory bans on persons, and key supervision after
//! repeated or minors-related violations.
//!
//! A ban applies only to revocations and closures under its own regulation,
//! for the roles and the licence types the article names, and is found
//! through every person linked to the applicant: the person a penalty names
//! as 法定代表人 counts as that business's principal (负责人 / 主要负责人).

use chrono::NaiveDate;
use credit_sdk::prelude::*;

const CAFE: &str = "互联网上网服务营业场所管理条例";
const VENUE: &str = "娱乐场所管理条例";
const PERFORMANCE: &str = "营业性演出管理条例";

const BANS: [Ban; 6] = [
    Ban {
        id: "cafe-revocation-ban",
        title: "网吧被吊销许可证后，其法定代表人或主要负责人5年内不得担任网吧法定代表人或主要负责人",
        basis: "互联网上网服务营业场所管理条例第三十六条第一款",
        regulation: CAFE,
        licence_types: &["internet-cafe"],
        barred_from: "互联网上网服务营业场所经营单位的法定代表人或主要负责人",
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
    },
    Ban {
        id: "cafe-closure-ban",
        title: "擅自设立的网吧被取缔后，其主要负责人5年内不得担任网吧法定代表人或主要负责人",
        basis: "互联网上网服务营业场所管理条例第三十六条第二款",
        regulation: CAFE,
        licence_types: &["internet-cafe"],
        barred_from: "互联网上网服务营业场所经营单位的法定代表人或主要负责人",
        trigger: Trigger::Closure,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
    },
    Ban {
        id: "venue-unlicensed-lifetime-ban",
        title: "擅自从事娱乐场所经营活动被取缔的，其投资人员和负责人终身不得投资开办娱乐场所或担任其法定代表人、负责人",
        basis: "娱乐场所管理条例第五十三条第一款",
        regulation: VENUE,
        licence_types: &["entertainment-venue"],
        barred_from: "娱乐场所的投资人、法定代表人或负责人",
        trigger: Trigger::Closure,
        years: None,
        years_for_individual: None,
        roles: ANY,
    },
    Ban {
        id: "venue-revocation-ban",
        title: "娱乐经营许可证被吊销或撤销的，其法定代表人、负责人5年内不得担任娱乐场所法定代表人、负责人",
        basis: "娱乐场所管理条例第五十三条第二款",
        regulation: VENUE,
        licence_types: &["entertainment-venue"],
        barred_from: "娱乐场所的投资人、法定代表人或负责人",
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(5),
        roles: LEAD,
    },
    Ban {
        id: "performance-revocation-ban",
        title: "营业性演出许可证被吊销的，单位法定代表人、主要负责人5年内不得担任演出单位法定代表人、主要负责人；个体演员1年内不得从事营业性演出",
        basis: "营业性演出管理条例第五十三条第一款",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: "文艺表演团体、演出经纪机构或演出场所经营单位的法定代表人、主要负责人",
        trigger: Trigger::Revocation,
        years: Some(5),
        years_for_individual: Some(1),
        roles: LEAD,
    },
    Ban {
        id: "performance-prohibited-content-ban",
        title: "因演出含有禁止内容被吊销营业性演出许可证的，不得再次从事营业性演出及其居间、代理、行纪活动",
        basis: "营业性演出管理条例第五十三条第二款、第二十五条",
        regulation: PERFORMANCE,
        licence_types: &["commercial-performance"],
        barred_from: "文艺表演团体、演出经纪机构或演出场所经营单位的法定代表人、主要负责人",
        trigger: Trigger::RevocationFor("第二十五条"),
        years: None,
        years_for_individual: None,
        roles: ANY,
    },
];

/// Key-supervision rules: (id, title, legal basis).
const SUPERVISION: [(&str, &str, &str); 3] = [
    (
        "cafe-minors-supervision",
        "网吧因接纳未成年人受到处罚且仍在公示期内的，列为重点监管对象",
        "互联网上网服务营业场所管理条例第二十一条、第三十一条",
    ),
    (
        "venue-repeat-violations",
        "娱乐场所2年内被处以3次警告或者罚款的，再有违法行为应责令停业整顿，列为重点监管对象",
        "娱乐场所管理条例第五十三条第三款",
    ),
    (
        "performance-repeat-violations",
        "2年内2次受到营业性演出行政处罚的，再有违法行为应当从重处罚，列为重点监管对象",
        "营业性演出管理条例第五十三条第三款",
    ),
];

/// The rule catalogue for the manifest.
pub fn catalogue() -> Vec<RuleInfo> {
    BANS.iter()
        .map(Ban::rule_info)
        .chain(SUPERVISION.iter().map(|(id, title, basis)| RuleInfo {
            id: (*id).into(),
            title: (*title).into(),
            legal_basis: (*basis).into(),
        }))
        .collect()
}

/// Apply every rule to `request`.
///
/// # Errors
/// `unknown-licence-type` for a licence type outside [`crate::LICENCE_TYPES`],
/// `invalid-date` for an `as_of` that is not `YYYY-MM-DD`.
pub fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let as_of = date(&request.as_of)
        .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
    if let Some(t) = &request.licence_type
        && !crate::LICENCE_TYPES.contains(&t.as_str())
    {
        return Err(PluginError::new("unknown-licence-type", format!("cultural-market does not inspect for {t:?}")));
    }
    let mut findings = Vec::new();
    for ban in &BANS {
        findings.extend(ban.findings(request, as_of));
    }
    findings.extend(supervision_findings(request, as_of));
    Ok(findings)
}

fn supervision_findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let own: Vec<&CreditRecord> =
        request.records.iter().filter(|r| r.kind == "penalty" && r.subject_key == request.subject.key).collect();
    let two_years_before = add_years(as_of, -2);
    let recent = |reg: &str| -> Vec<&CreditRecord> {
        own.iter()
            .copied()
            .filter(|r| r.cites(reg))
            .filter(|r| r.decision_date.as_deref().and_then(date).is_some_and(|d| d > two_years_before && d <= as_of))
            .collect()
    };
    let mut out = Vec::new();
    let (id, _, basis) = SUPERVISION[0];
    let minors: Vec<_> =
        own.iter().filter(|r| r.publicized && cites_article(&r.legal_basis, CAFE, "第二十一条")).collect();
    if !minors.is_empty() {
        let mut f = FindingBuilder::new(id, Outcome::Caution)
            .basis(basis)
            .measure("重点监管")
            .measure("审慎审查")
            .message(format!("公示期内有{}条接纳未成年人的处罚记录", minors.len()));
        for r in minors {
            f = f.evidence(r.id.clone());
        }
        out.push(f.build());
    }
    let venue_warnings: Vec<_> = recent(VENUE)
        .into_iter()
        .filter(|r| r.penalty_types.iter().any(|t| t.contains("警告") || t.contains("罚款")))
        .collect();
    if venue_warnings.len() >= 3 {
        let (id, _, basis) = SUPERVISION[1];
        out.push(repeat_finding(id, basis, &venue_warnings, "次警告或罚款，再有违法行为应责令停业整顿"));
    }
    let performance = recent(PERFORMANCE);
    if performance.len() >= 2 {
        let (id, _, basis) = SUPERVISION[2];
        out.push(repeat_finding(id, basis, &performance, "次营业性演出行政处罚，再有违法行为应当从重处罚"));
    }
    out
}

fn repeat_finding(id: &str, basis: &str, records: &[&CreditRecord], what: &str) -> Finding {
    let mut f = FindingBuilder::new(id, Outcome::Caution)
        .basis(basis)
        .measure("重点监管")
        .message(format!("2年内已受到{}{what}", records.len()));
    for r in records {
        f = f.evidence(r.id.clone());
    }
    f.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CulturalMarket;
    use credit_sdk::harness;
    use serde_json::json;

    fn record(
        id: &str,
        subject: &str,
        rep: &str,
        basis: &str,
        types: &str,
        content: &str,
        decided: &str,
    ) -> serde_json::Value {
        json!({
            "id": id, "sector": "cultural-market", "kind": "penalty", "subject_key": subject,
            "subject_name": "旧网吧", "legal_representative_key": rep, "decision_number": "X罚字〔2025〕1号",
            "decision_date": decided, "legal_basis": basis, "penalty_types": types.split('；').collect::<Vec<_>>(),
            "content": content, "certificate": "", "severity": "serious", "publicized": true, "body": {}
        })
    }

    fn request(licence_type: &str, role: &str, records: Vec<serde_json::Value>) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410104MAN0NYBQX1", "kind": "organisation", "name": "新网吧"},
            "persons": [{"key": "p-1", "name": "尹然梅", "role": role}],
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30",
            "records": records
        }))
        .unwrap()
    }

    fn outcomes(req: &InspectRequest) -> Vec<(String, Outcome)> {
        harness::inspect::<CulturalMarket>(req).unwrap().into_iter().map(|f| (f.rule_id.0, f.outcome)).collect()
    }

    const CAFE_BASIS: &str = "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项";

    #[test]
    fn revoked_cafe_bars_its_representative_on_a_new_company_for_five_years() {
        let r = record(
            "r1",
            "91410104MA329GYC1F",
            "p-1",
            CAFE_BASIS,
            "警告；罚款；吊销许可证件",
            "吊销网络文化经营许可证",
            "2025-05-22",
        );
        let req = request("internet-cafe", "legal-representative", vec![r.clone()]);
        let f = harness::inspect::<CulturalMarket>(&req).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].rule_id.as_str(), "cafe-revocation-ban");
        assert_eq!(f[0].outcome, Outcome::Restricted);
        assert_eq!(f[0].until.as_deref(), Some("2030-05-22"));
        assert_eq!(f[0].evidence[0].as_str(), "r1");
        // An investor is not barred by 第三十六条.
        assert!(outcomes(&request("internet-cafe", "investor", vec![r.clone()])).is_empty());
        // Nor is a performance licence.
        assert!(outcomes(&request("commercial-performance", "legal-representative", vec![r])).is_empty());
    }

    #[test]
    fn cafe_ban_ends_after_five_years() {
        let r = record("r1", "x", "p-1", CAFE_BASIS, "吊销许可证件", "吊销", "2020-03-10");
        assert!(outcomes(&request("internet-cafe", "principal", vec![r])).is_empty());
    }

    #[test]
    fn closure_of_unlicensed_venue_bars_investors_for_life() {
        let r =
            record("r1", "x", "p-1", "《娱乐场所管理条例》第九条、第四十一条", "其他", "依法予以取缔", "2012-08-30");
        assert_eq!(
            outcomes(&request("entertainment-venue", "investor", vec![r])),
            [("venue-unlicensed-lifetime-ban".to_owned(), Outcome::Restricted)]
        );
    }

    #[test]
    fn a_ban_applies_only_to_its_own_regulation() {
        // A café closure under the café regulation does not bar entertainment venues.
        let r = record(
            "r1",
            "x",
            "p-1",
            "《互联网上网服务营业场所管理条例》第七条、第二十七条",
            "其他",
            "依法予以取缔",
            "2023-10-16",
        );
        assert!(outcomes(&request("entertainment-venue", "legal-representative", vec![r.clone()])).is_empty());
        assert_eq!(
            outcomes(&request("internet-cafe", "legal-representative", vec![r])),
            [("cafe-closure-ban".to_owned(), Outcome::Restricted)]
        );
    }

    #[test]
    fn revocation_for_prohibited_content_bars_for_good() {
        let r = record(
            "r1",
            "x",
            "p-1",
            "《营业性演出管理条例》第二十五条、第四十六条",
            "吊销许可证件",
            "吊销营业性演出许可证",
            "2010-01-01",
        );
        assert_eq!(
            outcomes(&request("commercial-performance", "legal-representative", vec![r])),
            [("performance-prohibited-content-ban".to_owned(), Outcome::Restricted)]
        );
    }

    #[test]
    fn solo_performer_is_barred_for_one_year_only() {
        let mut req = request("commercial-performance", "legal-representative", vec![]);
        req.persons.clear();
        req.subject = Subject { key: "p-9".into(), kind: SubjectKind::NaturalPerson, name: "演员".into() };
        let mut r = record("r1", "p-9", "", "《营业性演出管理条例》第四十六条", "吊销许可证件", "吊销", "2026-01-10");
        r["legal_representative_key"] = serde_json::Value::Null;
        req.records = vec![serde_json::from_value(r.clone()).unwrap()];
        assert_eq!(outcomes(&req), [("performance-revocation-ban".to_owned(), Outcome::Restricted)]);
        r["decision_date"] = json!("2025-10-10");
        req.records = vec![serde_json::from_value(r).unwrap()];
        assert!(outcomes(&req).is_empty());
    }

    #[test]
    fn unknown_licence_type_is_an_error() {
        let err = harness::inspect::<CulturalMarket>(&request("printing", "principal", vec![])).unwrap_err();
        assert_eq!(err.code, "unknown-licence-type");
    }

    #[test]
    fn manifest_is_complete() {
        let m = harness::manifest::<CulturalMarket>();
        assert_eq!(m.sector, "cultural-market");
        assert!(m.rules.len() >= 6);
        assert_eq!(m.record_kinds.len(), 2);
        assert_eq!(m.commitment_templates.len(), 3);
    }
}
