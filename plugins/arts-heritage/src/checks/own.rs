//! Semantic checks of the sector's own kinds: a practitioner entry fits its
//! subject, an assessment is annual and about a person, a funding acceptance
//! is consistent in its dates and amounts.

use crate::kinds::{self, Assessment, FundingAcceptance, Practitioner};
use credit_sdk::prelude::*;
use serde_json::Value;

/// Check one `practitioner` body: the category fits the subject
/// (`category-subject-mismatch`: 文艺表演团体 is an organisation, 营业性演出管理条例
/// 第六条; 演员 and 演出经纪人员 are natural persons or individual businesses,
/// 第九条; a representative inheritor is a natural person, 非物质文化遗产法第二十九条);
/// an inheritor's recognition or disqualification names its level
/// (`level-missing`); a troupe has no qualification to cancel
/// (`troupe-disqualification`: its licence is revoked by a penalty).
pub fn practitioner(body: &Value) -> Vec<Violation> {
    let p: Practitioner = match body_as(body) {
        Ok(p) => p,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let (fits, rule) = match p.practitioner_category.as_str() {
        kinds::TROUPE => {
            (p.subject_category == kinds::ORGANISATION, "文艺表演团体应为法人及非法人组织（营业性演出管理条例第六条）")
        }
        kinds::PERFORMER | kinds::AGENT => (
            p.subject_category != kinds::ORGANISATION,
            "演员、演出经纪人员应为自然人或个体工商户（营业性演出管理条例第九条）",
        ),
        kinds::INHERITOR => {
            (p.subject_category == kinds::NATURAL_PERSON, "代表性传承人应为自然人（非物质文化遗产法第二十九条）")
        }
        _ => (true, ""),
    };
    if !fits {
        out.push(Violation::error(
            "/practitioner_category",
            "category-subject-mismatch",
            format!("{rule}，本条行政相对人类别为“{}”", p.subject_category),
            format!("a {:?} cannot be a {:?}", p.subject_category, p.practitioner_category),
        ));
    }
    if p.practitioner_category == kinds::INHERITOR
        && matches!(p.entry_type.as_str(), kinds::RECOGNITION | kinds::DISQUALIFICATION)
        && p.level.as_deref().is_none_or(str::is_empty)
    {
        out.push(Violation::error(
            "/level",
            "level-missing",
            format!("代表性传承人的{}须填写级别（国家级、省级、市级或县级）", p.entry_type),
            format!("an inheritor's {} must give the level", p.entry_type),
        ));
    }
    if p.practitioner_category == kinds::TROUPE && p.entry_type == kinds::DISQUALIFICATION {
        out.push(Violation::error(
            "/entry_type",
            "troupe-disqualification",
            "文艺表演团体没有可取消的从业资格；吊销营业性演出许可证应作为行政处罚报送",
            "a troupe holds no qualification to cancel; a licence revocation is reported as a penalty",
        ));
    }
    out
}

/// Check one `inheritor-assessment` body: the inheritor is a natural person
/// (`category-subject-mismatch`, 非物质文化遗产法第二十九条); the assessed year is
/// not after the decision (`assessment-after-decision`) and, as the
/// assessment is annual, at most one year before it (warning
/// `late-assessment`).
pub fn assessment(body: &Value) -> Vec<Violation> {
    let a: Assessment = match body_as(body) {
        Ok(a) => a,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    if a.subject_category != kinds::NATURAL_PERSON {
        out.push(Violation::error(
            "/subject_category",
            "category-subject-mismatch",
            format!("代表性传承人年度评估的对象是传承人本人，行政相对人类别应为自然人，本条为“{}”", a.subject_category),
            format!("an inheritor assessment is about a natural person, not a {:?}", a.subject_category),
        ));
    }
    let decided = a.decision_date.as_deref().and_then(date).map(|d| chrono::Datelike::year(&d));
    if let (Ok(year), Some(decided)) = (a.assessment_year.trim().parse::<i32>(), decided) {
        if year > decided {
            out.push(Violation::error(
                "/assessment_year",
                "assessment-after-decision",
                format!("评估年度{year}晚于评估决定日期所在年度{decided}"),
                format!("assessment year {year} is after the decision year {decided}"),
            ));
        } else if decided - year > 1 {
            out.push(Violation::warning(
                "/assessment_year",
                "late-assessment",
                format!(
                    "评估年度{year}比决定日期所在年度{decided}早{}年，年度评估通常在次年作出，请核实",
                    decided - year
                ),
                format!(
                    "assessment year {year} is {} years before the decision; assessments are annual",
                    decided - year
                ),
            ));
        }
    }
    out
}

/// Check one `funding-acceptance` body: acceptance not before approval
/// (`acceptance-before-approval`); a positive grant (`no-funding`); a
/// recovery with its amount and only with it (`recovery-without-amount`,
/// `amount-without-recovery`), not above the grant (`recovered-exceeds-funded`);
/// a project with false materials does not pass (`fraud-passed`); funds
/// recovered from a passed project are probably an unspent balance (warning
/// `recovered-after-pass`).
pub fn funding(body: &Value) -> Vec<Violation> {
    let f: FundingAcceptance = match body_as(body) {
        Ok(f) => f,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    if let (Some(approved), Some(decided)) =
        (f.approval_date.as_deref().and_then(date), f.decision_date.as_deref().and_then(date))
        && decided < approved
    {
        out.push(Violation::error(
            "/decision_date",
            "acceptance-before-approval",
            format!("验收决定日期{decided}早于立项日期{approved}"),
            format!("the acceptance {decided} is before the approval {approved}"),
        ));
    }
    let funded = f.funded_wan_yuan.unwrap_or(0.0);
    if funded <= 0.0 {
        out.push(Violation::error(
            "/funded_wan_yuan",
            "no-funding",
            "资助金额应大于0万元",
            "the grant must be more than 0 wan yuan",
        ));
    }
    let recovered = f.recovered_wan_yuan.unwrap_or(0.0);
    if f.recovered() && recovered <= 0.0 {
        out.push(Violation::error(
            "/recovered_wan_yuan",
            "recovery-without-amount",
            "“是否追回资金”为“是”，但未填写追回金额（万元）",
            "funds_recovered is 是 but no recovered amount is given",
        ));
    }
    if !f.recovered() && recovered > 0.0 {
        out.push(Violation::error(
            "/funds_recovered",
            "amount-without-recovery",
            format!("填写了追回金额{recovered}万元，但“是否追回资金”为“{}”", f.funds_recovered),
            format!(
                "a recovered amount of {recovered} wan yuan is given but funds_recovered is {:?}",
                f.funds_recovered
            ),
        ));
    }
    if funded > 0.0 && recovered > funded + 1e-9 {
        out.push(Violation::error(
            "/recovered_wan_yuan",
            "recovered-exceeds-funded",
            format!("追回金额{recovered}万元高于资助金额{funded}万元"),
            format!("the recovered {recovered} wan yuan exceed the grant of {funded} wan yuan"),
        ));
    }
    if f.fraud() && f.result == "通过" {
        out.push(Violation::error(
            "/result",
            "fraud-passed",
            "存在弄虚作假的项目不能验收通过，验收结论应为“不通过”或“终止”",
            "a project with false materials cannot pass acceptance",
        ));
    }
    if f.recovered() && f.result == "通过" {
        out.push(Violation::warning(
            "/funds_recovered",
            "recovered-after-pass",
            "项目验收通过却追回资金：结余资金的正常退回不属于“追回”，请核实",
            "funds recovered from a passed project: an unspent balance returned is not a recovery; please verify",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    #[test]
    fn practitioner_category_must_fit_the_subject() {
        let v = practitioner(
            &json!({"subject_category": "法人及非法人组织", "practitioner_category": "非物质文化遗产代表性传承人", "entry_type": "资格认定", "level": "市级"}),
        );
        assert_eq!(codes(&v), [("category-subject-mismatch", false)]);
        let v = practitioner(
            &json!({"subject_category": "自然人", "practitioner_category": "非物质文化遗产代表性传承人", "entry_type": "取消资格"}),
        );
        assert_eq!(codes(&v), [("level-missing", false)]);
        let v = practitioner(
            &json!({"subject_category": "法人及非法人组织", "practitioner_category": "文艺表演团体", "entry_type": "取消资格"}),
        );
        assert_eq!(codes(&v), [("troupe-disqualification", false)]);
        let v = practitioner(
            &json!({"subject_category": "个体工商户", "practitioner_category": "演员", "entry_type": "备案"}),
        );
        assert!(v.is_empty());
    }

    #[test]
    fn assessment_year_is_the_year_before_the_decision() {
        let body = |year: &str| json!({"subject_category": "自然人", "assessment_year": year, "result": "合格", "decision_date": "2026-03-13"});
        assert!(assessment(&body("2025")).is_empty());
        assert!(assessment(&body("2026")).is_empty());
        assert_eq!(codes(&assessment(&body("2027"))), [("assessment-after-decision", false)]);
        assert_eq!(codes(&assessment(&body("2023"))), [("late-assessment", true)]);
        let org =
            json!({"subject_category": "法人及非法人组织", "assessment_year": "2025", "decision_date": "2026-03-13"});
        assert_eq!(codes(&assessment(&org)), [("category-subject-mismatch", false)]);
    }

    #[test]
    fn funding_acceptance_must_be_consistent() {
        let base = json!({
            "approval_date": "2023-04-10", "funded_wan_yuan": 20.0, "result": "终止",
            "false_materials": "否", "funds_recovered": "是", "recovered_wan_yuan": 12.5, "decision_date": "2025-06-30"
        });
        assert!(funding(&base).is_empty());
        let with = |patch: Value| {
            let mut b = base.clone();
            for (k, v) in patch.as_object().unwrap() {
                b[k] = v.clone();
            }
            funding(&b)
        };
        assert_eq!(codes(&with(json!({"decision_date": "2023-01-01"}))), [("acceptance-before-approval", false)]);
        assert_eq!(codes(&with(json!({"recovered_wan_yuan": 25.0}))), [("recovered-exceeds-funded", false)]);
        assert_eq!(codes(&with(json!({"recovered_wan_yuan": 0.0}))), [("recovery-without-amount", false)]);
        assert_eq!(codes(&with(json!({"funds_recovered": "否"}))), [("amount-without-recovery", false)]);
        assert_eq!(
            codes(&with(json!({"result": "通过", "false_materials": "是"}))),
            [("fraud-passed", false), ("recovered-after-pass", true)]
        );
        assert_eq!(
            codes(&with(json!({"funded_wan_yuan": 0.0, "recovered_wan_yuan": 0.0, "funds_recovered": "否"}))),
            [("no-funding", false)]
        );
    }
}
