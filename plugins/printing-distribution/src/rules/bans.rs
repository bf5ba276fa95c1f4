//! The statutory bans on persons after a revocation. Neither regulation
//! attaches a ban to the closure (取缔) of an unlicensed business, nor names
//! investors; each ban is read with the party whose licence was revoked:
//!
//! | ban | revoked party | barred person | barred from |
//! |---|---|---|---|
//! | 出版管理条例第七十条第一款 | a 单位 (not an individual business, not a person's qualification, 第二款) | its 法定代表人 or 主要负责人 | 法定代表人 / 主要负责人 of any 出版、印刷或者复制、进口、发行单位 — both licence types |
//! | 印刷业管理条例第四十五条第一款 | a 印刷企业 | its 法定代表人 or 负责人 | 法定代表人 / 负责人 of a 印刷企业 — printing |
//! | 印刷业管理条例第四十五条第二款 | an individual printer (自然人 or 个体工商户) | the individual | any printing business (从事印刷经营活动) — printing |
//!
//! Each row is a [`Ban`] whose `penalised` names the legal form of the
//! revoked party ([`Party`], read from the record's key) and whose `reads`
//! leaves out a revocation of a person's qualification (出版管理条例第七十条第二款),
//! which is no licence. The person a penalty names as 法定代表人 is the
//! business's 负责人. An operator of an individual business applicant is not
//! the head of a 单位 or 印刷企业, so the first two bans do not reach it;
//! [`super::history`] gives such cases a cautious review instead.

use super::is_qualification_revocation;
use crate::articles::{PRINTING, PUBLISHING};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// The roles the first paragraphs name: 法定代表人 and (主要)负责人.
const HEADS: &[Role] = &[Role::LegalRepresentative, Role::Principal];

/// What a ban reads: the revocation of a licence, not of a person's
/// qualification.
fn revokes_a_licence(record: &CreditRecord) -> bool {
    !is_qualification_revocation(record)
}

/// The three bans.
pub const BANS: [Ban; 3] = [
    Ban {
        id: "publishing-law-revocation-ban",
        title: "单位被吊销许可证的，其法定代表人或者主要负责人10年内不得担任出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人",
        basis: "出版管理条例第七十条第一款",
        regulation: PUBLISHING,
        licence_types: &["printing", "publication-distribution"],
        trigger: Trigger::Revocation,
        years: Some(10),
        years_for_individual: Some(10),
        roles: HEADS,
        barred_from: "出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人",
        penalised: &[Party::Unit],
        reads: Some(revokes_a_licence),
    },
    Ban {
        id: "printing-revocation-ban",
        title: "印刷企业被吊销许可证的，其法定代表人或者负责人10年内不得担任印刷企业的法定代表人或者负责人",
        basis: "印刷业管理条例第四十五条第一款",
        regulation: PRINTING,
        licence_types: &["printing"],
        trigger: Trigger::Revocation,
        years: Some(10),
        years_for_individual: Some(10),
        roles: HEADS,
        barred_from: "印刷企业的法定代表人或者负责人",
        penalised: &[Party::Unit],
        reads: Some(revokes_a_licence),
    },
    Ban {
        id: "printing-individual-revocation-ban",
        title: "从事其他印刷品印刷经营活动的个人被吊销许可证的，10年内不得从事印刷经营活动",
        basis: "印刷业管理条例第四十五条第二款",
        regulation: PRINTING,
        licence_types: &["printing"],
        trigger: Trigger::Revocation,
        years: Some(10),
        years_for_individual: Some(10),
        roles: LEAD,
        barred_from: "印刷经营者，不得从事印刷经营活动",
        penalised: &[Party::NaturalPerson, Party::IndividualBusiness],
        reads: Some(revokes_a_licence),
    },
];

/// Every ban's findings (restricted, 不予许可, when licensing a type it names).
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    BANS.iter().flat_map(|b| b.findings(request, as_of)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(licence_type: &str, role: &str, record_subject: &str, basis: &str) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410108MALYQ2UJXM", "kind": "organisation", "name": "新书店"},
            "persons": [{"key": "p:person", "name": "吴阳", "role": role}],
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30",
            "records": [{
                "id": "r1", "sector": "printing-distribution", "kind": "penalty", "subject_key": record_subject,
                "subject_name": "旧店", "legal_representative_key": "p:person", "decision_number": "X罚字〔2019〕9号",
                "decision_date": "2019-06-12", "legal_basis": basis, "penalty_types": ["罚款", "吊销许可证件"],
                "content": "吊销", "severity": "serious", "body": {}
            }]
        }))
        .unwrap()
    }

    fn ids(req: &InspectRequest) -> Vec<String> {
        findings(req, date("2026-11-30").unwrap()).into_iter().map(|f| f.rule_id.0).collect()
    }

    const UNIT: &str = "91410181MAXEYCEC57";
    const SHOP: &str = "92410102MAPLET111Q";

    #[test]
    fn each_paragraph_reads_the_form_of_the_revoked_party() {
        let printing = "《印刷业管理条例》第四十二条";
        assert_eq!(ids(&request("printing", "legal-representative", UNIT, printing)), ["printing-revocation-ban"]);
        assert_eq!(ids(&request("printing", "principal", SHOP, printing)), ["printing-individual-revocation-ban"]);
        let publishing = "《出版管理条例》第六十五条第（五）项";
        assert_eq!(ids(&request("printing", "principal", UNIT, publishing)), ["publishing-law-revocation-ban"]);
        // An individual business is no 单位 under 出版管理条例第七十条.
        assert!(ids(&request("publication-distribution", "legal-representative", SHOP, publishing)).is_empty());
        // Nor is a staff member's qualification a unit's licence (第七十条第二款).
        let mut req = request("printing", "legal-representative", UNIT, "《出版管理条例》第六十五条、第七十条第二款");
        req.records[0].certificate = "出版专业技术人员职业资格证书".into();
        assert!(ids(&req).is_empty());
    }

    #[test]
    fn investors_are_not_barred_and_operators_only_by_paragraph_two() {
        let printing = "《印刷业管理条例》第四十二条";
        assert!(ids(&request("printing", "investor", UNIT, printing)).is_empty());
        assert!(ids(&request("printing", "operator", UNIT, printing)).is_empty());
        assert_eq!(ids(&request("printing", "operator", SHOP, printing)), ["printing-individual-revocation-ban"]);
    }
}
