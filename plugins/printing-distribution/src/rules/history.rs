//! Cautious review (审慎审查, 重点监管) where a penalty of the sector counts
//! against the applicant or its persons but no statute bars the licence:
//! DESIGN.md §4 — in licensing, refuse only where a statute says so.
//!
//! A record counts through the applicant (its subject) or through any person
//! of the applicant, investors included, who is the record's subject or the
//! 法定代表人 (经营者) it names. The periods: a revocation counts for the 10
//! years the statutes attach to it (出版管理条例第七十条第一款, 印刷业管理条例第四十五条);
//! repeated violations count over 2 years; the other records while inside
//! their publicity period (the host's `publicized`), as neither regulation
//! names a period for them.

use super::{Rule, decided, is_qualification_revocation, licensing};
use crate::articles::{PRINTING, PUBLISHING};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// The rules of this module.
pub const RULES: [Rule; 5] = [REVOKED, UNLICENSED, PROHIBITED, QUALIFICATION, REPEATED];

const REVOKED: Rule = Rule {
    id: "revoked-licence-review",
    title: "申请人或其相关人员涉及10年内被吊销的出版、印刷、发行许可证，而法定禁止不及于本次申请的，审慎审查",
    basis: "出版管理条例第七十条第一款；印刷业管理条例第四十五条",
};
const UNLICENSED: Rule = Rule {
    id: "unlicensed-operation",
    title: "申请人或其相关人员因未经许可擅自从事印刷、出版物发行等经营活动受到处罚（取缔）且仍在公示期内的，审慎审查、重点监管",
    basis: "出版管理条例第六十一条；印刷业管理条例第八条、第三十六条",
};
const PROHIBITED: Rule = Rule {
    id: "prohibited-content",
    title: "申请人或其相关人员因印刷、发行含禁止内容或者国家明令禁止的出版物、印刷品受到处罚且仍在公示期内的，审慎审查、重点监管",
    basis: "印刷业管理条例第三条、第三十八条；出版管理条例第二十五条、第二十六条、第六十二条",
};
const QUALIFICATION: Rule = Rule {
    id: "qualification-revoked",
    title: "申请人的相关人员因违反出版管理条例情节严重被吊销出版从业资格证书且仍在公示期内的，审慎审查",
    basis: "出版管理条例第七十条第二款",
};
const REPEATED: Rule = Rule {
    id: "repeat-violations",
    title: "申请人2年内2次以上因违反印刷业管理条例或者出版管理条例受到行政处罚的，列为重点监管对象",
    basis: "印刷业管理条例第三十九条至第四十四条、出版管理条例第六十二条至第六十八条（情节严重的，责令停业整顿或者吊销许可证）；行政处罚法第三十三条第一款、第三十六条",
};

fn penalties(request: &InspectRequest) -> impl Iterator<Item = &CreditRecord> {
    request.records.iter().filter(|r| r.kind == "penalty")
}

/// How the applicant or one of its persons is tied to `record`: the
/// applicant is its subject, or a person is its subject or the 法定代表人
/// (经营者) it names. The texts name the tied parties (`申请人`, or
/// `吴阳（法定代表人）`); empty when none is.
fn ties(request: &InspectRequest, record: &CreditRecord, roles: &[Role]) -> Vec<String> {
    let mut out = Vec::new();
    if record.subject_key == request.subject.key {
        out.push("申请人".to_owned());
    }
    for p in request.persons.iter().filter(|p| roles.contains(&p.role)) {
        let tied = record.subject_key == p.key || record.legal_representative_key.as_ref() == Some(&p.key);
        let text = format!("{}（{}）", p.name, credit_sdk::bans::role_name(p.role));
        if tied && !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

fn applies_to(request: &InspectRequest, printing_only: bool) -> bool {
    match request.purpose {
        Purpose::Licensing => !printing_only || licensing(request, "printing"),
        _ => true,
    }
}

/// The findings of this module; records in `banned` already restrict and
/// get no cautious review.
pub fn findings(request: &InspectRequest, as_of: NaiveDate, banned: &[RecordId]) -> Vec<Finding> {
    let mut out = revoked(request, as_of, banned);
    out.extend(unlicensed(request));
    out.extend(prohibited(request));
    out.extend(qualification(request));
    out.extend(repeated(request, as_of));
    out
}

fn revoked(request: &InspectRequest, as_of: NaiveDate, banned: &[RecordId]) -> Vec<Finding> {
    if request.purpose != Purpose::Licensing {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in penalties(request) {
        if !(r.cites(PUBLISHING) || r.cites(PRINTING)) || !r.is_revocation() || is_qualification_revocation(r) {
            continue;
        }
        let (Some(d), false) = (decided(r), banned.contains(&r.id)) else { continue };
        let until = add_years(d, 10);
        let tied = ties(request, r, ANY);
        if as_of >= until || tied.is_empty() {
            continue;
        }
        out.push(
            REVOKED
                .finding(Outcome::Caution)
                .measure("审慎审查")
                .measure("核实法定代表人、主要负责人、经营者")
                .message(format!(
                    "{}：{}于{d}被吊销许可证（{}，依据{}）。{}，不据此不予许可；至{until}止（吊销之日起10年）审慎审查，核实申请人的法定代表人、主要负责人、经营者是否为被吊销时的法定代表人或者负责人",
                    tied.join("、"),
                    r.subject_name,
                    r.decision_number,
                    r.legal_basis,
                    why_not_barred(request, r),
                ))
                .evidence(r.id.clone())
                .until(until.to_string())
                .build(),
        );
    }
    out
}

/// Why the 10-year bans do not reach this application, in Chinese.
fn why_not_barred(request: &InspectRequest, r: &CreditRecord) -> String {
    let form = r.party();
    let applicant = Party::of_subject(&request.subject);
    if r.cites(PRINTING) && !r.cites(PUBLISHING) && !licensing(request, "printing") {
        return "印刷业管理条例第四十五条只禁止担任印刷企业负责人或者从事印刷经营活动，所申请的不是印刷经营许可"
            .to_owned();
    }
    if r.cites(PUBLISHING) && form != Party::Unit {
        return format!("出版管理条例第七十条第一款只适用于单位被吊销许可证，被吊销的是{}", form.name());
    }
    if applicant != Party::Unit {
        return format!(
            "第七十条第一款、第四十五条第一款禁止担任的是单位或者印刷企业的法定代表人、负责人，申请人为{}",
            applicant.name()
        );
    }
    let heads = request.persons.iter().any(|p| {
        matches!(p.role, Role::LegalRepresentative | Role::Principal)
            && (r.subject_key == p.key || r.legal_representative_key.as_ref() == Some(&p.key))
    });
    if heads {
        return "该吊销不属于出版管理条例第七十条第一款、印刷业管理条例第四十五条所列情形".to_owned();
    }
    if r.subject_key == request.subject.key {
        return "法律禁止的是被吊销时的法定代表人或者负责人，不是单位本身".to_owned();
    }
    "法律只禁止担任法定代表人或者（主要）负责人，该人员在申请人中的身份不在禁止之列".to_owned()
}

fn unlicensed(request: &InspectRequest) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in penalties(request).filter(|r| r.publicized) {
        let publishing = cites_article(&r.legal_basis, PUBLISHING, "第六十一条");
        let printing = cites_article(&r.legal_basis, PRINTING, "第三十六条");
        let tied = ties(request, r, ANY);
        if !(publishing || printing) || !applies_to(request, !publishing) || tied.is_empty() {
            continue;
        }
        let what = if r.is_closure() { "被依法取缔" } else { "受到行政处罚" };
        out.push(
            UNLICENSED
                .finding(Outcome::Caution)
                .measure("审慎审查")
                .measure("重点监管")
                .message(format!(
                    "{}：{}于{}因未经批准擅自从事经营活动{what}（{}，依据{}），处罚仍在公示期内。法律法规未规定取缔后禁止申请，不据此不予许可；实施审慎审查，实地核查经营场所和经营情况",
                    tied.join("、"),
                    r.subject_name,
                    r.decision_date.as_deref().unwrap_or("（日期不详）"),
                    r.decision_number,
                    r.legal_basis,
                ))
                .evidence(r.id.clone())
                .build(),
        );
    }
    out
}

fn prohibited(request: &InspectRequest) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in penalties(request).filter(|r| r.publicized) {
        let b = &r.legal_basis;
        let hit = cites_article(b, PRINTING, "第三条")
            || cites_article(b, PRINTING, "第三十八条")
            || ["第二十五条", "第二十六条", "第六十二条"].iter().any(|a| cites_article(b, PUBLISHING, a));
        let tied = ties(request, r, ANY);
        if !hit || tied.is_empty() {
            continue;
        }
        out.push(
            PROHIBITED
                .finding(Outcome::Caution)
                .measure("审慎审查")
                .measure("重点监管")
                .message(format!(
                    "{}：{}于{}因印刷或者发行含禁止内容、国家明令禁止的出版物或印刷品受到行政处罚（{}，依据{}），处罚仍在公示期内；重点核查承印验证、进货查验等制度的执行",
                    tied.join("、"),
                    r.subject_name,
                    r.decision_date.as_deref().unwrap_or("（日期不详）"),
                    r.decision_number,
                    r.legal_basis,
                ))
                .evidence(r.id.clone())
                .build(),
        );
    }
    out
}

fn qualification(request: &InspectRequest) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in penalties(request).filter(|r| r.publicized && is_qualification_revocation(r)) {
        let tied = ties(request, r, ANY);
        if tied.is_empty() {
            continue;
        }
        out.push(
            QUALIFICATION
                .finding(Outcome::Caution)
                .measure("审慎审查")
                .message(format!(
                    "{}于{}被吊销出版从业资格证书（{}，依据{}），处罚仍在公示期内；核实其在申请人中是否从事须具备相应资格的工作",
                    tied.join("、"),
                    r.decision_date.as_deref().unwrap_or("（日期不详）"),
                    r.decision_number,
                    r.legal_basis,
                ))
                .evidence(r.id.clone())
                .build(),
        );
    }
    out
}

/// Neither regulation names a period for repeat violations; 2 years is the
/// limitation period of 行政处罚法第三十六条 (and the period 娱乐场所管理条例 and
/// 营业性演出管理条例第五十三条第三款 use). A repeat offender is no longer a
/// first offender (行政处罚法第三十三条第一款), which the articles' 情节严重 may
/// take into account.
fn repeated(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let since = add_years(as_of, -2);
    let mut recent: Vec<(NaiveDate, &CreditRecord)> = penalties(request)
        .filter(|r| r.subject_key == request.subject.key && (r.cites(PUBLISHING) || r.cites(PRINTING)))
        .filter_map(|r| decided(r).map(|d| (d, r)))
        .filter(|(d, _)| *d > since && *d <= as_of)
        .collect();
    if recent.len() < 2 {
        return Vec::new();
    }
    recent.sort_by_key(|(d, _)| *d);
    // The finding lasts while two of them are inside the 2 years.
    let until = add_years(recent[recent.len() - 2].0, 2);
    let mut f = REPEATED
        .finding(Outcome::Caution)
        .measure("重点监管")
        .message(format!(
            "2年内已{}次因违反印刷业管理条例或者出版管理条例受到行政处罚（{}）；列为重点监管对象，再次违法的可依法认定情节严重",
            recent.len(),
            recent.iter().map(|(_, r)| r.decision_number.as_str()).collect::<Vec<_>>().join("、"),
        ))
        .until(until.to_string());
    for (_, r) in &recent {
        f = f.evidence(r.id.clone());
    }
    vec![f.build()]
}
