//! The sector's own record kind `annual-report` (印刷企业年度报告): a printing
//! enterprise reports to the publishing authority every year, and the
//! authority publishes what the law asks of it (印刷业管理条例第七条).
//!
//! The record is the filing as the bureau received it — schema
//! `schemas/printing-distribution/annual-report.schema.json`: `report_year`
//! (报告年度, an integer such as 2025),
//! `submission_date` (报送日期), `decision_date` (受理日期), `publicity_date`
//! (公示日期), `decision_number`, `authority`, `legal_basis`, `content`
//! (the host's envelope), `licence_number`, `printing_scope`. The rule that
//! reads it is `annual-report` in [`crate::rules`].

use crate::articles::PRINTING;
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// Record kind id.
pub const KIND: &str = "annual-report";

/// The three kinds of printing business (印刷业管理条例第二条; the licence
/// names them, 第十一条第二款).
pub const SCOPES: [&str; 3] = ["出版物印刷", "包装装潢印刷品印刷", "其他印刷品印刷"];

#[derive(Deserialize)]
struct Report {
    #[serde(default)]
    subject_category: String,
    submission_date: Option<String>,
    decision_date: Option<String>,
    publicity_date: Option<String>,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    printing_scope: String,
}

/// The year a report is for, from a record body (`None` when absent or not
/// a whole number; a text `"2025"` is read too).
pub fn report_year(body: &Value) -> Option<i32> {
    let v = body.get("report_year")?;
    let year = v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))?;
    i32::try_from(year).ok()
}

/// Check one annual-report body.
///
/// - dates in order: 受理日期 not before 报送日期 (`acceptance-before-submission`),
///   公示日期 not before 受理日期 (`publicity-before-acceptance`);
/// - a report covers a year that has begun before it is submitted
///   (`report-year-in-future`, error) and has usually ended (warning
///   `report-year-not-ended`);
/// - 印刷经营活动种类 from [`SCOPES`] (`unknown-scope`); an individual or
///   individual business only prints 其他印刷品 (`individual-printing-scope`,
///   印刷业管理条例第十条第三款);
/// - 第七条 binds 印刷企业: a natural person's report is a warning
///   (`not-an-enterprise`), and a basis not citing 第七条 is a warning
///   (`basis-not-article-7`).
pub fn check(body: &Value) -> Vec<Violation> {
    let r: Report = match body_as(body) {
        Ok(r) => r,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let submitted = r.submission_date.as_deref().and_then(date);
    let accepted = r.decision_date.as_deref().and_then(date);
    let published = r.publicity_date.as_deref().and_then(date);
    if let (Some(s), Some(a)) = (submitted, accepted)
        && a < s
    {
        out.push(Violation::error(
            "/decision_date",
            "acceptance-before-submission",
            format!("受理日期{a}早于报送日期{s}"),
            format!("decision_date {a} is before submission_date {s}"),
        ));
    }
    if let (Some(a), Some(p)) = (accepted, published)
        && p < a
    {
        out.push(Violation::error(
            "/publicity_date",
            "publicity-before-acceptance",
            format!("公示日期{p}早于受理日期{a}"),
            format!("publicity_date {p} is before decision_date {a}"),
        ));
    }
    if let (Some(year), Some(s)) = (report_year(body), submitted) {
        use chrono::Datelike;
        if year > s.year() {
            out.push(Violation::error(
                "/report_year",
                "report-year-in-future",
                format!("报告年度{year}晚于报送日期{s}所在年度，年度报告不能在该年度开始前报送"),
                format!("report_year {year} is after the year of submission_date {s}"),
            ));
        } else if year == s.year() {
            out.push(Violation::warning(
                "/report_year",
                "report-year-not-ended",
                format!("{year}年度报告在该年度结束前（{s}）报送，请核实报告年度"),
                format!("the {year} report was submitted on {s}, before that year ended; check report_year"),
            ));
        }
    }
    let scopes = credit_sdk::checks::penalty_types(&r.printing_scope);
    for s in scopes.iter().filter(|s| !SCOPES.contains(s)) {
        out.push(Violation::error(
            "/printing_scope",
            "unknown-scope",
            format!("印刷经营活动种类“{s}”不在允许范围内，可选：{}", SCOPES.join("、")),
            format!("printing_scope {s:?} is not one of {}", SCOPES.join(", ")),
        ));
    }
    let individual = matches!(r.subject_category.as_str(), "自然人" | "个体工商户");
    if individual && scopes.iter().any(|s| *s == SCOPES[0] || *s == SCOPES[1]) {
        out.push(Violation::error(
            "/printing_scope",
            "individual-printing-scope",
            "《印刷业管理条例》第十条第三款：个人不得从事出版物、包装装潢印刷品印刷经营活动",
            "印刷业管理条例第十条第三款: an individual may print only 其他印刷品",
        ));
    }
    if r.subject_category == "自然人" {
        out.push(Violation::warning(
            "/subject_category",
            "not-an-enterprise",
            "《印刷业管理条例》第七条规定由印刷企业报送年度报告，行政相对人为自然人，请核实",
            "印刷业管理条例第七条 binds printing enterprises; the subject is a natural person",
        ));
    }
    if !cites_article(&r.legal_basis, PRINTING, "第七条") {
        out.push(Violation::warning(
            "/legal_basis",
            "basis-not-article-7",
            "年度报告的依据应为《印刷业管理条例》第七条",
            "the basis of an annual report is 印刷业管理条例第七条",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "subject_name": "郑州九州梦之城印务有限公司", "subject_category": "法人及非法人组织", "uscc": "91410103MAR2JL7U9H",
            "decision_number": "郑印年报〔2026〕0031号", "report_year": 2025, "submission_date": "2026-03-10",
            "decision_date": "2026-03-12", "publicity_date": "2026-04-01", "authority": "郑州市文化广电和旅游局",
            "legal_basis": "《印刷业管理条例》第七条", "printing_scope": "包装装潢印刷品印刷；其他印刷品印刷",
            "content": "报送2025年度报告：经营情况正常，承印验证等制度健全"
        })
    }

    fn codes(body: &Value) -> Vec<(String, bool)> {
        check(body).into_iter().map(|v| (v.code, v.warning)).collect()
    }

    #[test]
    fn a_complete_report_passes() {
        assert!(check(&report()).is_empty(), "{:?}", check(&report()));
        assert_eq!(report_year(&report()), Some(2025));
    }

    #[test]
    fn the_schema_takes_a_report_and_refuses_unknown_or_missing_fields() {
        let m = credit_sdk::harness::manifest::<crate::PrintingDistribution>();
        let schema = &m.record_kinds.iter().find(|k| k.id == KIND).unwrap().schema;
        let v = jsonschema::options().should_validate_formats(true).build(schema).unwrap();
        assert!(v.is_valid(&report()), "{:?}", v.iter_errors(&report()).map(|e| e.to_string()).collect::<Vec<_>>());
        let mut r = report();
        r["产值"] = json!(1);
        assert!(!v.is_valid(&r));
        let mut r = report();
        r.as_object_mut().unwrap().remove("decision_date");
        assert!(!v.is_valid(&r));
        let mut r = report();
        r["uscc"] = json!("91410103MAR2JL7U9");
        assert!(!v.is_valid(&r));
    }

    #[test]
    fn dates_must_follow_submission() {
        let mut r = report();
        r["decision_date"] = json!("2026-03-01");
        assert_eq!(codes(&r), [("acceptance-before-submission".to_owned(), false)]);
        let mut r = report();
        r["publicity_date"] = json!("2026-03-11");
        assert_eq!(codes(&r), [("publicity-before-acceptance".to_owned(), false)]);
    }

    #[test]
    fn a_report_cannot_precede_its_year() {
        let mut r = report();
        r["report_year"] = json!(2027);
        assert_eq!(codes(&r), [("report-year-in-future".to_owned(), false)]);
        r["report_year"] = json!(2026);
        assert_eq!(codes(&r), [("report-year-not-ended".to_owned(), true)]);
    }

    #[test]
    fn scopes_are_the_three_kinds_and_individuals_print_other_matter_only() {
        let mut r = report();
        r["printing_scope"] = json!("数码快印");
        assert_eq!(codes(&r), [("unknown-scope".to_owned(), false)]);
        let mut r = report();
        r["subject_category"] = json!("个体工商户");
        assert_eq!(codes(&r), [("individual-printing-scope".to_owned(), false)]);
        r["printing_scope"] = json!("其他印刷品印刷");
        assert!(codes(&r).is_empty());
    }

    #[test]
    fn basis_should_cite_article_7() {
        let mut r = report();
        r["legal_basis"] = json!("《出版管理条例》第四十九条");
        assert_eq!(codes(&r), [("basis-not-article-7".to_owned(), true)]);
    }
}
