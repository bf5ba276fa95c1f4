//! Representative inheritors of intangible cultural heritage (非物质文化遗产代表性
//! 传承人): failed annual assessments and disqualification.
//!
//! # Source
//! None of these texts is in the reference folder `shared/reference/laws/`;
//! they are cited from the published texts:
//! - 《中华人民共和国非物质文化遗产法》(2011) 第三十一条: 第一款 lists the
//!   inheritor's duties (开展传承活动、培养后继人才；妥善保存实物、资料；配合调查；
//!   参与公益性宣传); 第二款: an inheritor who without good reason fails them may be
//!   disqualified (取消其代表性传承人资格) by the culture authority.
//! - 《国家级非物质文化遗产代表性传承人认定与管理办法》(文化和旅游部令第3号, in force
//!   2020-03-01) 第二十二条: disqualification, among others, for a qualification
//!   obtained by fraud (第（二）项) and for failing the duties without good
//!   reason with two failed assessments in all (第（三）项, 累计两次评估不合格).
//!   The 办法 makes the annual assessment the main basis of the qualification
//!   and of the transmission subsidy; municipal and provincial inheritors are
//!   managed on the same model.
//!
//! The periods below are the bureau's defaults, not statutory: the law names
//! none.

use super::{EXCLUDE_FUNDING, EXCLUDE_HONOURS, Effect, REVIEW, Rule, SUPERVISE, lasting, numbers, own};
use crate::kinds::{self, Assessment, Practitioner};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// Years a failed assessment counts against honours and funding, from its
/// decision (bureau default; the law names no period).
pub const ASSESSMENT_LOOKBACK_YEARS: i32 = 2;
/// Failed assessments in all that ground a disqualification
/// (国家级非物质文化遗产代表性传承人认定与管理办法第二十二条第（三）项).
pub const FAILURES_FOR_DISQUALIFICATION: usize = 2;
/// Years a disqualified inheritor is excluded from funding and honours, from
/// the disqualification (bureau default; the law names no period).
pub const DISQUALIFICATION_YEARS: i32 = 5;

/// A failed assessment within [`ASSESSMENT_LOOKBACK_YEARS`]: not recommended
/// for honours; funding reviewed cautiously; duties supervised.
pub const FAILED_ASSESSMENT: Rule = Rule {
    id: "inheritor-failed-assessment",
    title: "代表性传承人近2年年度评估不合格的，不予推荐评优评先，项目申报审慎审查，督促履行传承义务",
    basis: "中华人民共和国非物质文化遗产法第三十一条第一款；国家级非物质文化遗产代表性传承人认定与管理办法第二十二条第（三）项",
    funding: Some(REVIEW),
    honours: Some(EXCLUDE_HONOURS),
    supervision: Some(Effect { outcome: Outcome::Caution, measures: &["重点监管", "督促履行传承义务"] }),
};

/// Two failed assessments in all and not yet disqualified: the ground of
/// 第二十二条第（三）项 is met.
pub const REPEATED_FAILURE: Rule = Rule {
    id: "inheritor-repeated-failure",
    title: "代表性传承人累计两次评估不合格、尚未取消资格的，依法启动取消资格程序，期间不予财政资金扶持和评优评先",
    basis: "国家级非物质文化遗产代表性传承人认定与管理办法第二十二条第（三）项；中华人民共和国非物质文化遗产法第三十一条第二款",
    funding: Some(EXCLUDE_FUNDING),
    honours: Some(EXCLUDE_HONOURS),
    supervision: Some(Effect {
        outcome: Outcome::Caution,
        measures: &["重点监管", "依法启动取消代表性传承人资格程序"],
    }),
};

/// Disqualified (取消资格) within [`DISQUALIFICATION_YEARS`].
pub const DISQUALIFIED: Rule = Rule {
    id: "inheritor-disqualified",
    title: "被取消代表性传承人资格的，5年内不予财政资金扶持和评优评先",
    basis: "中华人民共和国非物质文化遗产法第三十一条第二款；国家级非物质文化遗产代表性传承人认定与管理办法第二十二条",
    funding: Some(EXCLUDE_FUNDING),
    honours: Some(EXCLUDE_HONOURS),
    supervision: Some(SUPERVISE),
};

fn failed(record: &CreditRecord) -> bool {
    super::body::<Assessment>(record).result == kinds::FAILED
}

fn disqualification(record: &CreditRecord) -> bool {
    let p = super::body::<Practitioner>(record);
    p.practitioner_category == kinds::INHERITOR && p.entry_type == kinds::DISQUALIFICATION
}

/// The findings of the three rules, on the applicant's own records.
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let purpose = request.purpose;
    let mut out = Vec::new();
    let failures: Vec<&CreditRecord> =
        own(request, kinds::INHERITOR_ASSESSMENT).filter(|r| failed(r) && super::decided(r, as_of).is_some()).collect();
    let disqualifications: Vec<&CreditRecord> = own(request, kinds::PRACTITIONER)
        .filter(|r| disqualification(r) && super::decided(r, as_of).is_some())
        .collect();

    let recent: Vec<&CreditRecord> =
        failures.iter().copied().filter(|r| lasting(r, as_of, ASSESSMENT_LOOKBACK_YEARS).is_some()).collect();
    if let Some(until) = recent.iter().filter_map(|r| lasting(r, as_of, ASSESSMENT_LOOKBACK_YEARS)).max() {
        let message = format!(
            "近{ASSESSMENT_LOOKBACK_YEARS}年内代表性传承人年度评估不合格{}次（{}），未履行或未充分履行传承义务",
            recent.len(),
            numbers(&recent)
        );
        out.extend(FAILED_ASSESSMENT.finding(purpose, message, recent.iter().copied(), Some(until)));
    }

    let last_failure = failures.iter().filter_map(|r| super::decided(r, as_of)).max();
    let disqualified_since = last_failure
        .is_some_and(|f| disqualifications.iter().any(|r| super::decided(r, as_of).is_some_and(|d| d >= f)));
    if failures.len() >= FAILURES_FOR_DISQUALIFICATION && !disqualified_since {
        let message = format!(
            "代表性传承人累计{}次年度评估不合格（{}），已符合取消资格的情形，尚无取消资格的记录",
            failures.len(),
            numbers(&failures)
        );
        out.extend(REPEATED_FAILURE.finding(purpose, message, failures.iter().copied(), None));
    }

    let active: Vec<&CreditRecord> =
        disqualifications.iter().copied().filter(|r| lasting(r, as_of, DISQUALIFICATION_YEARS).is_some()).collect();
    if let Some(until) = active.iter().filter_map(|r| lasting(r, as_of, DISQUALIFICATION_YEARS)).max() {
        let message = format!(
            "已被取消代表性传承人资格（{}），{DISQUALIFICATION_YEARS}年内不予财政资金扶持和评优评先",
            numbers(&active)
        );
        out.extend(DISQUALIFIED.finding(purpose, message, active.iter().copied(), Some(until)));
    }
    out
}
