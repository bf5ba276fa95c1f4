//! Performers, troupes and agents: the bans of 营业性演出管理条例第五十三条 after a
//! revocation, and lip-syncing (假唱) within the two years of 第四十七条.
//!
//! The bans are the SDK's [`Ban`]s, found with [`Ban::matches`]: through
//! every person linked to the applicant, whatever their role (legal
//! representative, principal, investor, operator), and through the applicant
//! itself when it is a natural person or an individual business; the person
//! a penalty names as 法定代表人 counts as the principal of that business.
//! 第一款 is three bans told apart by the penalised party's legal form
//! ([`Ban::penalised`]: 当事人为单位 or 个人) and, between a solo performer and
//! a solo agent, by the record and the practitioner file; 第二款 (prohibited
//! content) bars for good and takes the record from 第一款. The statute bars
//! the person from the trade itself, so a barred person's applicant is
//! excluded from funding and honours for the ban's term and kept under key
//! supervision ([`Rule::ban_finding`] gives the outcome per purpose).

use super::{EXCLUDE_FUNDING, EXCLUDE_HONOURS, Effect, REVIEW, Rule, SUPERVISE, lasting, numbers};
use crate::checks::PERFORMANCE;
use crate::kinds;
use chrono::NaiveDate;
use credit_sdk::bans::parties;
use credit_sdk::prelude::*;

/// Years an organisation's 法定代表人 or 主要负责人 is barred after the revocation
/// (营业性演出管理条例第五十三条第一款).
pub const LEAD_BAN_YEARS: i32 = 5;
/// Years a solo performer (个体演员) may not perform commercially after the
/// revocation (第五十三条第一款).
pub const PERFORMER_BAN_YEARS: i32 = 1;
/// Years a solo agent (个体演出经纪人) may not act as intermediary or agent
/// after the revocation (第五十三条第一款).
pub const AGENT_BAN_YEARS: i32 = 5;
/// Years within which a second public notice for lip-syncing leads to the
/// revocation of the licence or business licence (第四十七条第一款).
pub const LIP_SYNC_YEARS: i32 = 2;

const BAN_SUPERVISION: Effect =
    Effect { outcome: Outcome::Caution, measures: &["重点监管", "监督从业禁止的执行"] };

/// 营业性演出管理条例第五十三条第一款: after the revocation of a performance
/// licence or business licence, an organisation's legal representative and
/// principal are barred 5 years; a solo performer 1 year; a solo agent 5 years.
pub const REVOCATION_BAN: Rule = Rule {
    id: "performer-revocation-ban",
    title: "被吊销营业性演出许可证或营业执照的，单位法定代表人、主要负责人5年内、个体演员1年内、个体演出经纪人5年内依法禁止从业，期间不予财政资金扶持和评优评先",
    basis: "营业性演出管理条例第五十三条第一款",
    funding: Some(EXCLUDE_FUNDING),
    honours: Some(EXCLUDE_HONOURS),
    supervision: Some(BAN_SUPERVISION),
};

/// 营业性演出管理条例第五十三条第二款: a revocation because a performance had
/// content 第二十五条 prohibits (the revocation of 第四十六条第一款) bars for good.
pub const CONTENT_BAN: Rule = Rule {
    id: "performer-prohibited-content-ban",
    title: "因营业性演出含有第二十五条禁止内容被吊销的，不得再次从事营业性演出及其居间、代理、行纪活动，不予财政资金扶持和评优评先",
    basis: "营业性演出管理条例第五十三条第二款、第二十五条、第四十六条第一款",
    funding: Some(EXCLUDE_FUNDING),
    honours: Some(EXCLUDE_HONOURS),
    supervision: Some(BAN_SUPERVISION),
};

/// 营业性演出管理条例第二十八条、第四十七条第一款第（三）（四）项: a practitioner
/// penalised for lip-syncing, or for enabling it, within the last 2 years.
pub const LIP_SYNC: Rule = Rule {
    id: "lip-sync-record",
    title: "2年内因假唱或为假唱提供条件受到行政处罚的，项目申报和评优评先审慎审查，并列为重点监管对象（2年内再次被公布的依法吊销）",
    basis: "营业性演出管理条例第二十八条、第四十七条第一款",
    funding: Some(REVIEW),
    honours: Some(REVIEW),
    supervision: Some(SUPERVISE),
};

/// 当事人为个人 (第五十三条第一款): a solo performer or agent, penalised as a
/// natural person or as the individual business (个体工商户) it registered
/// under 第九条.
const INDIVIDUAL: &[Party] = &[Party::IndividualBusiness, Party::NaturalPerson];

/// Whether the revocation was for prohibited content: it cites 第二十五条, or
/// 第四十六条, whose revocation is only for 第二十五条 content.
fn for_prohibited_content(record: &CreditRecord) -> bool {
    cites_article(&record.legal_basis, PERFORMANCE, "第二十五条")
        || cites_article(&record.legal_basis, PERFORMANCE, "第四十六条")
}

/// A revocation the bans of 第一款 read: any but one for prohibited content,
/// which bars for good under 第二款 instead ([`PROHIBITED_CONTENT`]).
fn for_other_conduct(record: &CreditRecord) -> bool {
    !for_prohibited_content(record)
}

/// 第五十三条第一款, 当事人为单位: the organisation's legal representative and
/// principal, 5 years.
pub const UNIT_LEADERS: Ban = Ban {
    id: REVOCATION_BAN.id,
    title: REVOCATION_BAN.title,
    basis: REVOCATION_BAN.basis,
    regulation: PERFORMANCE,
    licence_types: &[],
    trigger: Trigger::Revocation,
    years: Some(LEAD_BAN_YEARS),
    years_for_individual: Some(LEAD_BAN_YEARS),
    roles: ANY,
    barred_from: "文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人",
    penalised: &[Party::Unit],
    reads: Some(for_other_conduct),
};

/// 第五十三条第一款, 当事人为个人: a solo performer (个体演员), 1 year.
pub const SOLO_PERFORMER: Ban = Ban {
    years: Some(PERFORMER_BAN_YEARS),
    years_for_individual: Some(PERFORMER_BAN_YEARS),
    barred_from: "个体演员，不得从事营业性演出",
    penalised: INDIVIDUAL,
    ..UNIT_LEADERS
};

/// 第五十三条第一款, 当事人为个人: a solo agent (个体演出经纪人), 5 years. Told
/// from a performer by the record (经纪) or the practitioner file.
pub const SOLO_AGENT: Ban = Ban {
    years: Some(AGENT_BAN_YEARS),
    years_for_individual: Some(AGENT_BAN_YEARS),
    barred_from: "个体演出经纪人，不得从事营业性演出的居间、代理活动",
    ..SOLO_PERFORMER
};

/// 第五十三条第二款: after a revocation for prohibited content, for good,
/// whatever the party.
pub const PROHIBITED_CONTENT: Ban = Ban {
    id: CONTENT_BAN.id,
    title: CONTENT_BAN.title,
    basis: CONTENT_BAN.basis,
    years: None,
    years_for_individual: None,
    barred_from: "营业性演出经营主体的法定代表人、主要负责人或者经营者，不得再次从事营业性演出或者营业性演出的居间、代理、行纪活动",
    penalised: &[],
    reads: Some(for_prohibited_content),
    ..UNIT_LEADERS
};

/// Whether the individual penalised by `record` is an agent (个体演出经纪人):
/// the record says so, or the practitioner file lists the subject as one.
/// (A [`Ban::reads`] sees the record only, so this choice between
/// [`SOLO_PERFORMER`] and [`SOLO_AGENT`] is made on their matches.)
fn agent(request: &InspectRequest, record: &CreditRecord) -> bool {
    record.subject_name.contains("经纪")
        || record.content.contains("经纪")
        || request.records.iter().any(|r| {
            r.sector == crate::SECTOR
                && r.kind == kinds::PRACTITIONER
                && r.subject_key == record.subject_key
                && r.body.get("practitioner_category").and_then(|v| v.as_str()) == Some(kinds::AGENT)
        })
}

/// The findings of the three rules.
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut out = bans(request, as_of);
    out.extend(lip_sync(request, as_of));
    out
}

/// The bans, each with the rule whose effects it takes and, for a solo ban,
/// whether it is the agent's (`Some(true)`) or the performer's.
const BANS: [(Ban, Rule, Option<bool>); 4] = [
    (UNIT_LEADERS, REVOCATION_BAN, None),
    (SOLO_PERFORMER, REVOCATION_BAN, Some(false)),
    (SOLO_AGENT, REVOCATION_BAN, Some(true)),
    (PROHIBITED_CONTENT, CONTENT_BAN, None),
];

/// One finding per ban and triggering record decided by `as_of` (a person
/// reached through several roles counts once), with the rule's effect for
/// the purpose.
fn bans(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen: Vec<(&str, &RecordId)> = Vec::new();
    for (ban, rule, solo_agent) in &BANS {
        for m in ban.matches(request, as_of) {
            let other_solo = solo_agent.is_some_and(|a| a != agent(request, m.record));
            if other_solo || m.decided > as_of || seen.contains(&(ban.id, &m.record.id)) {
                continue;
            }
            seen.push((ban.id, &m.record.id));
            out.extend(rule.ban_finding(ban, &m, request.purpose));
        }
    }
    out
}

/// Whether `record` is a penalty for lip-syncing (第二十八条) or for one of the
/// lip-sync items (三)(四) of 第四十七条第一款.
fn is_lip_sync(record: &CreditRecord) -> bool {
    let basis = &record.legal_basis;
    let item = |n: &str| basis.contains(&format!("第（{n}）项")) || basis.contains(&format!("第({n})项"));
    record.kind == kinds::PENALTY
        && (cites_article(basis, PERFORMANCE, "第二十八条")
            || (cites_article(basis, PERFORMANCE, "第四十七条")
                && (item("三") || item("四") || record.content.contains("假唱"))))
}

fn lip_sync(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut keys = vec![request.subject.key.clone()];
    keys.extend(parties(request).into_iter().map(|(k, _, _)| k));
    let records: Vec<&CreditRecord> = request
        .records
        .iter()
        .filter(|r| {
            // The person's own penalty, or one of the individual business the person runs.
            let own = keys.contains(&r.subject_key);
            let runs = r.party() == Party::IndividualBusiness
                && r.legal_representative_key.as_ref().is_some_and(|k| keys.contains(k));
            is_lip_sync(r) && (own || runs)
        })
        .filter(|r| lasting(r, as_of, LIP_SYNC_YEARS).is_some())
        .collect();
    let Some(until) = records.iter().filter_map(|r| lasting(r, as_of, LIP_SYNC_YEARS)).max() else {
        return Vec::new();
    };
    let message = format!(
        "{}年内有{}条假唱相关行政处罚（{}）；2年内再次被公布的，依法吊销营业性演出许可证或营业执照",
        LIP_SYNC_YEARS,
        records.len(),
        numbers(&records)
    );
    LIP_SYNC.finding(request.purpose, message, records, Some(until)).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArtsHeritage;
    use credit_sdk::harness;
    use serde_json::{Value, json};

    fn revocation(subject: &str, name: &str, rep: Option<&str>, basis: &str, content: &str) -> Value {
        json!({
            "id": "r1", "sector": "arts-heritage", "kind": "penalty", "subject_key": subject, "subject_name": name,
            "legal_representative_key": rep, "decision_number": "管市监罚字〔2026〕3号", "decision_date": "2026-02-10",
            "legal_basis": basis, "penalty_types": ["吊销许可证件"], "content": content, "body": {}
        })
    }

    fn check(subject: Value, persons: Value, records: Value) -> Vec<Finding> {
        let request = serde_json::from_value(json!({
            "subject": subject, "persons": persons, "purpose": "funding", "as_of": "2026-11-30", "records": records
        }))
        .unwrap();
        harness::inspect::<ArtsHeritage>(&request)
            .unwrap()
            .into_iter()
            .filter(|f| f.rule_id.as_str() != LIP_SYNC.id)
            .collect()
    }

    #[test]
    fn a_troupes_leader_is_barred_five_years_through_the_new_unit() {
        let found = check(
            json!({"key": "91410105MA0N1XBRLB", "kind": "organisation", "name": "郑州新韵戏曲文化传播有限公司"}),
            json!([{"key": "p-1", "name": "韩立军", "role": "legal-representative"}]),
            json!([revocation(
                "91410103MAJ9G48Y9X",
                "郑州天籁歌舞艺术团有限公司",
                Some("p-1"),
                "《营业性演出管理条例》第四十七条第一款第（三）项",
                "吊销营业性演出许可证"
            )]),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id.as_str(), REVOCATION_BAN.id);
        assert_eq!(found[0].measures, ["不予财政资金扶持", "不得参与项目申报"]);
        assert_eq!(found[0].until.as_deref(), Some("2031-02-10"));
        assert_eq!(
            found[0].message,
            "韩立军（法定代表人）曾为郑州天籁歌舞艺术团有限公司的法定代表人/负责人，该单位于2026-02-10被吊销许可证（管市监罚字〔2026〕3号），\
依法至2031-02-10止不得担任文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人"
        );
    }

    #[test]
    fn a_solo_performer_is_barred_one_year_and_an_agent_five() {
        let person = json!({"key": "p-9", "kind": "natural-person", "name": "王亚楠"});
        let basis = "《营业性演出管理条例》第四十七条第一款第（三）项";
        // Penalised as the person itself.
        let found = check(person.clone(), json!([]), json!([revocation("p-9", "王亚楠", None, basis, "吊销营业执照")]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].until.as_deref(), Some("2027-02-10"));
        assert_eq!(
            found[0].message,
            "王亚楠（经营者）本人于2026-02-10被吊销许可证（管市监罚字〔2026〕3号），依法至2027-02-10止不得担任个体演员，不得从事营业性演出"
        );
        // As the operator of the individual business (92…) the agent registered.
        let shop = revocation("92410104MA0N22JGWM", "郑州市金水区王亚楠工作室", Some("p-9"), basis, "吊销营业执照");
        let file = json!({
            "id": "d1", "sector": "arts-heritage", "kind": "practitioner", "subject_key": "92410104MA0N22JGWM",
            "subject_name": "郑州市金水区王亚楠工作室", "body": {"practitioner_category": "演出经纪人员"}
        });
        let found = check(person, json!([]), json!([shop, file]));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].until.as_deref(), Some("2031-02-10"), "the practitioner file lists an agent");
        assert!(found[0].message.ends_with("不得担任个体演出经纪人，不得从事营业性演出的居间、代理活动"));
    }

    #[test]
    fn prohibited_content_bars_for_good_and_only_under_the_second_paragraph() {
        let found = check(
            json!({"key": "91410105MA0N1XBRLB", "kind": "organisation", "name": "新公司"}),
            json!([{"key": "p-1", "name": "韩立军", "role": "investor"}, {"key": "p-1", "name": "韩立军", "role": "principal"}]),
            json!([revocation(
                "91410105MA1A1HJ9XY",
                "旧艺术团",
                Some("p-1"),
                "《营业性演出管理条例》第二十五条第（六）项、第四十六条第一款",
                "吊销营业性演出许可证"
            )]),
        );
        assert_eq!(found.len(), 1, "one finding for the record, whatever the roles: {found:#?}");
        assert_eq!(found[0].rule_id.as_str(), CONTENT_BAN.id);
        assert_eq!(found[0].until, None);
        assert!(found[0].message.contains("依法终身不得担任"));
    }

    #[test]
    fn the_regulations_implementing_rules_are_another_title() {
        let found = check(
            json!({"key": "p-9", "kind": "natural-person", "name": "王亚楠"}),
            json!([]),
            json!([revocation("p-9", "王亚楠", None, "《营业性演出管理条例实施细则》第五十三条", "吊销营业执照")]),
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
