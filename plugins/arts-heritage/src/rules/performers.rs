//! Performers, troupes and agents: the bans of 营业性演出管理条例第五十三条 after a
//! revocation, and lip-syncing (假唱) within the two years of 第四十七条.
//!
//! A ban is found through every person linked to the applicant, whatever
//! their role (legal representative, principal, investor, operator), and
//! through the applicant itself when it is a natural person or an individual
//! business: the person a penalty names as 法定代表人 counts as the principal of
//! that business. The statute bars the person from the trade itself, so a
//! barred person's applicant is excluded from funding and honours for the
//! ban's term and kept under key supervision.

use super::{EXCLUDE_FUNDING, EXCLUDE_HONOURS, Effect, REVIEW, Rule, SUPERVISE, decided, lasting, numbers};
use crate::checks::PERFORMANCE;
use crate::kinds;
use chrono::NaiveDate;
use credit_sdk::bans::{parties, role_name};
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

/// Whether `record` is a penalty under the regulation that revokes a
/// licence or business licence (吊销).
fn is_revocation(record: &CreditRecord) -> bool {
    record.kind == kinds::PENALTY && record.cites(PERFORMANCE) && record.is_revocation()
}

/// Whether the revocation was for prohibited content: it cites 第二十五条, or
/// 第四十六条, whose revocation is only for 第二十五条 content.
fn for_prohibited_content(record: &CreditRecord) -> bool {
    cites_article(&record.legal_basis, PERFORMANCE, "第二十五条")
        || cites_article(&record.legal_basis, PERFORMANCE, "第四十六条")
}

/// Whether the penalised party is an individual (solo performer or agent)
/// rather than an organisation: the person itself, or an individual business
/// (USCC `92…`) run by the person.
fn individual(record: &CreditRecord, key: &SubjectKey) -> bool {
    record.subject_key == *key || record.subject_key.as_str().starts_with("92")
}

/// Whether the individual penalised by `record` is an agent (个体演出经纪人):
/// the record says so, or the practitioner file lists the subject as one.
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

fn bans(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut seen: Vec<(&str, &RecordId)> = Vec::new();
    for (key, name, role) in parties(request) {
        for record in request.records.iter().filter(|r| is_revocation(r)) {
            let as_lead = record.legal_representative_key.as_ref() == Some(&key);
            if !(record.subject_key == key || as_lead) {
                continue;
            }
            let Some(on) = decided(record, as_of) else { continue };
            let solo = individual(record, &key);
            let (rule, until, barred) = if for_prohibited_content(record) {
                (CONTENT_BAN, None, "不得再次从事营业性演出或者营业性演出的居间、代理、行纪活动")
            } else {
                let (years, barred) = match (solo, agent(request, record)) {
                    (true, true) => (AGENT_BAN_YEARS, "不得从事营业性演出的居间、代理活动"),
                    (true, false) => (PERFORMER_BAN_YEARS, "不得从事营业性演出"),
                    (false, _) => (
                        LEAD_BAN_YEARS,
                        "不得担任文艺表演团体、演出经纪机构或者演出场所经营单位的法定代表人、主要负责人",
                    ),
                };
                let Some(until) = lasting(record, as_of, years) else { continue };
                (REVOCATION_BAN, Some(until), barred)
            };
            if seen.contains(&(rule.id, &record.id)) {
                continue;
            }
            seen.push((rule.id, &record.id));
            let term = until.map_or("永久".to_owned(), |u| format!("至{u}止"));
            let who = if solo { "本人" } else { "法定代表人/主要负责人" };
            let message = format!(
                "{name}（{}）为{}的{who}，该主体于{on}被吊销许可证或营业执照（{}，{}），依法{term}{barred}",
                role_name(role),
                record.subject_name,
                record.decision_number,
                record.legal_basis,
            );
            out.extend(rule.finding(request.purpose, message, [record], until));
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
            let runs = r.subject_key.as_str().starts_with("92")
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
