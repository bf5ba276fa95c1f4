//! Checks of the applicant itself: whether its legal form may hold the
//! licence it asks for, and whether a printing enterprise has filed its
//! annual reports.

use super::{Rule, decided, licensing};
use crate::annual_report::{self, report_year};
use crate::articles::{PRINTING, PUBLISHING};
use chrono::{Datelike, NaiveDate};
use credit_sdk::prelude::*;
use serde_json::Value;

/// The rules of this module.
pub const RULES: [Rule; 2] = [ELIGIBILITY, ANNUAL_REPORT];

const ELIGIBILITY: Rule = Rule {
    id: "applicant-eligibility",
    title: "出版物经营许可证只许可单位和个体工商户（批发只许可单位）；个人只能申请其他印刷品印刷经营活动",
    basis: "出版管理条例第三十五条；印刷业管理条例第十条第三款",
};
const ANNUAL_REPORT: Rule = Rule {
    id: "annual-report",
    title: "持有印刷经营许可证的印刷企业未见近两个年度的年度报告的，核实报送情况；曾报送后中断的，列为重点监管对象",
    basis: "印刷业管理条例第七条",
};

/// The findings of this module.
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    eligibility(request).into_iter().chain(annual_reports(request, as_of)).collect()
}

fn eligibility(request: &InspectRequest) -> Option<Finding> {
    let form = Party::of_subject(&request.subject);
    if licensing(request, "publication-distribution") {
        return match form {
            Party::NaturalPerson => Some(
                ELIGIBILITY
                    .finding(Outcome::Restricted)
                    .basis("出版管理条例第三十五条")
                    .measure("不予许可")
                    .message(
                        "出版物经营许可证只许可单位（批发、零售）和个体工商户（零售）；自然人须先依法登记为个体工商户",
                    )
                    .build(),
            ),
            Party::IndividualBusiness => Some(
                ELIGIBILITY
                    .finding(Outcome::Standard)
                    .basis("出版管理条例第三十五条第二款")
                    .measure("许可范围限于出版物零售")
                    .message("个体工商户只能经县级出版行政主管部门许可从事出版物零售，不得从事出版物批发")
                    .build(),
            ),
            Party::Unit => None,
        };
    }
    if licensing(request, "printing") && form != Party::Unit {
        return Some(
            ELIGIBILITY
                .finding(Outcome::Standard)
                .basis("印刷业管理条例第十条第三款")
                .measure("许可范围限于其他印刷品印刷")
                .message("个人不得从事出版物、包装装潢印刷品印刷经营活动；从事其他印刷品印刷经营活动的，由设区的市级出版行政部门审批")
                .build(),
        );
    }
    None
}

fn body_date(body: &Value, field: &str) -> Option<NaiveDate> {
    body.get(field).and_then(Value::as_str).and_then(date)
}

/// Whether the applicant held a printing licence on `day`: a licence record
/// of its own naming the 印刷经营许可证 whose validity covers `day` (from its
/// 有效期自, or the decision date; open-ended without 有效期至), and no
/// revocation of it under either regulation on or before `day`.
fn held_printing_licence(request: &InspectRequest, day: NaiveDate) -> bool {
    let own = |r: &&CreditRecord| r.subject_key == request.subject.key;
    let revoked = request.records.iter().filter(own).any(|r| {
        r.kind == "penalty"
            && (r.cites(PRINTING) || r.cites(PUBLISHING))
            && r.is_revocation()
            && r.certificate.contains("印刷经营许可证")
            && decided(r).is_some_and(|d| d <= day)
    });
    !revoked
        && request.records.iter().filter(own).any(|r| {
            let from = body_date(&r.body, "valid_from").or_else(|| decided(r));
            let to = body_date(&r.body, "valid_to");
            r.kind == "licence"
                && r.certificate.contains("印刷经营许可证")
                && from.is_some_and(|f| f <= day)
                && to.is_none_or(|t| day <= t)
        })
}

/// 第七条 sets no deadline, so the rule asks only for one of the last two
/// years' reports: a printing enterprise that held its licence at the end
/// of the year before last has certainly had time to report on that year.
/// None of either year: a caution when it did report before (reporting
/// stopped), a note to verify when the file holds no report of it at all
/// (reports may not have been entered).
fn annual_reports(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    if Party::of_subject(&request.subject) != Party::Unit || licensing(request, "publication-distribution") {
        return None;
    }
    let year = as_of.year() - 2;
    if !held_printing_licence(request, NaiveDate::from_ymd_opt(year, 12, 31)?) {
        return None;
    }
    let reports: Vec<(i32, &CreditRecord)> = request
        .records
        .iter()
        .filter(|r| r.kind == annual_report::KIND && r.subject_key == request.subject.key)
        .filter_map(|r| report_year(&r.body).map(|y| (y, r)))
        .collect();
    if reports.iter().any(|(y, _)| *y == year || *y == year + 1) {
        return None;
    }
    let finding = match reports.iter().max_by_key(|(y, _)| *y) {
        Some((latest, r)) => ANNUAL_REPORT
            .finding(Outcome::Caution)
            .measure("重点监管")
            .measure("督促报送年度报告")
            .message(format!(
                "该印刷企业最近一次报送的是{latest}年度报告（{}），未见{year}、{}年度报告，未按《印刷业管理条例》第七条定期报送",
                r.decision_number,
                year + 1
            ))
            .evidence(r.id.clone()),
        None => ANNUAL_REPORT
            .finding(Outcome::Standard)
            .measure("核实年度报告报送情况")
            .message(format!(
                "该印刷企业{year}年末持有印刷经营许可证，本系统未见其年度报告记录；请核实其是否依照《印刷业管理条例》第七条定期报送（未录入的请补录）"
            )),
    };
    Some(finding.build())
}
