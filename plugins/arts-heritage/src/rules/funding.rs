//! Funded projects (艺术创作扶持、文化产业发展专项资金、公共文化服务项目、非物质文化遗产
//! 保护资金): false materials, recovered funds, failed acceptance.
//!
//! Each acceptance record of the applicant counts under the most severe rule
//! it meets: false materials, then recovered funds, then failure.
//!
//! # Source
//! The funding statutes are NOT in the reference folder
//! `shared/reference/laws/`; they are cited from the published texts:
//! - 《财政违法行为处罚处分条例》(国务院令第427号) 第十四条: a company or person that
//!   obtains fiscal funds by false claims (以虚报、冒领等手段骗取, 第（一）项) or
//!   uses them against the rules is ordered to correct, the funds are
//!   recovered (追回), and it is warned and fined;
//! - 《中华人民共和国预算法》第五十七条第三款 (every spending unit evaluates the
//!   performance of its spending) and 第三十二条第一款 (budgets are drawn up with
//!   regard to the results of those evaluations).
//!
//! The reference folder's own implementation plan, 郑文广新〔2017〕245号 三（三）,
//! makes credit information an important basis of the bureau's administrative
//! decisions. The periods below are the bureau's defaults, not statutory.

use super::{EXCLUDE_FUNDING, REVIEW, Rule, SUPERVISE, body, lasting, numbers, own};
use crate::kinds::{self, FundingAcceptance};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// Years false materials exclude from funding, from the acceptance decision
/// (bureau default).
pub const FRAUD_YEARS: i32 = 5;
/// Years recovered funds exclude from funding (bureau default).
pub const RECOVERY_YEARS: i32 = 3;
/// Years a failed or terminated project leads to cautious review (bureau default).
pub const FAILED_YEARS: i32 = 3;

/// The regulation a penalty for misused or defrauded fiscal funds cites.
pub const FISCAL: &str = "财政违法行为处罚处分条例";

/// False materials (弄虚作假) in a funded project within [`FRAUD_YEARS`].
pub const FRAUD: Rule = Rule {
    id: "funding-fraud",
    title: "申报、实施或验收资助项目弄虚作假的，5年内不予财政资金扶持，评优评先审慎审查",
    basis: "财政违法行为处罚处分条例第十四条第（一）项；郑文广新〔2017〕245号三（三）",
    funding: Some(EXCLUDE_FUNDING),
    honours: Some(REVIEW),
    supervision: Some(SUPERVISE),
};

/// Funds recovered (追回) from a funded project within [`RECOVERY_YEARS`], or a
/// penalty under 财政违法行为处罚处分条例第十四条 inside the same period.
pub const RECOVERED: Rule = Rule {
    id: "funding-recovered",
    title: "资助项目资金因违规使用被追回或受到财政违法行为处罚的，3年内不予财政资金扶持",
    basis: "财政违法行为处罚处分条例第十四条；郑文广新〔2017〕245号三（三）",
    funding: Some(EXCLUDE_FUNDING),
    honours: None,
    supervision: Some(SUPERVISE),
};

/// A funded project that failed acceptance or was terminated within
/// [`FAILED_YEARS`].
pub const FAILED: Rule = Rule {
    id: "funding-failed-acceptance",
    title: "资助项目验收不通过或被终止的，3年内申报财政资金扶持审慎审查",
    basis: "中华人民共和国预算法第五十七条第三款、第三十二条第一款；郑文广新〔2017〕245号三（三）",
    funding: Some(REVIEW),
    honours: None,
    supervision: Some(SUPERVISE),
};

/// Whether `record` is a penalty for misused or defrauded fiscal funds.
fn fiscal_penalty(record: &CreditRecord) -> bool {
    record.kind == kinds::PENALTY && cites_article(&record.legal_basis, FISCAL, "第十四条")
}

/// The findings of the three rules, on the applicant's own records.
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut groups: [(Rule, i32, Vec<&CreditRecord>); 3] =
        [(FRAUD, FRAUD_YEARS, Vec::new()), (RECOVERED, RECOVERY_YEARS, Vec::new()), (FAILED, FAILED_YEARS, Vec::new())];
    for r in own(request, kinds::FUNDING_ACCEPTANCE) {
        let f: FundingAcceptance = body(r);
        let group = if f.fraud() {
            0
        } else if f.recovered() {
            1
        } else if f.failed() {
            2
        } else {
            continue;
        };
        if lasting(r, as_of, groups[group].1).is_some() {
            groups[group].2.push(r);
        }
    }
    for r in request.records.iter().filter(|r| r.subject_key == request.subject.key && fiscal_penalty(r)) {
        if lasting(r, as_of, RECOVERY_YEARS).is_some() {
            groups[1].2.push(r);
        }
    }
    let mut out = Vec::new();
    for (rule, years, records) in &groups {
        let Some(until) = records.iter().filter_map(|r| lasting(r, as_of, *years)).max() else { continue };
        let what = match rule.id {
            "funding-fraud" => "资助项目存在弄虚作假",
            "funding-recovered" => "资助项目资金被追回或受到财政违法行为处罚",
            _ => "资助项目验收不通过或被终止",
        };
        let message = format!("{years}年内{what}（{}），至{until}止", numbers(records));
        out.extend(rule.finding(request.purpose, message, records.iter().copied(), Some(until)));
    }
    out
}
