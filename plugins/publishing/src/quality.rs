//! The sector's own record kind `quality-inspection` (出版物质量监督检查结果):
//! one inspection of one publication of a publishing unit, with its result.
//!
//! # Source
//! 出版管理条例第五十一条: 出版行政主管部门根据有关规定和标准，对出版物的内容、
//! 编校、印刷或者复制、装帧设计等方面质量实施监督检查; 第二十八条第二款:
//! 出版物的规格、开本、版式、装帧、校对等必须符合国家标准和规范要求; 第六十七条
//! 第（八）项: 出版物质量不符合有关规定和标准的, 责令改正, 给予警告.
//! The schema is `schemas/publishing/quality-inspection.schema.json`.

use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// The kind's id.
pub const KIND: &str = "quality-inspection";

/// The aspects of a publication's quality 第五十一条 names (内容、编校、
/// 印刷或者复制、装帧设计), with the short forms clerks write (印制, 设计).
pub const ASPECTS: [&str; 9] = ["内容", "编校", "印刷或者复制", "印刷", "复制", "印制", "装帧设计", "装帧", "设计"];

/// A quality-inspection body (the fields the checks and rules read).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QualityInspection {
    /// 检查结论日期 `YYYY-MM-DD`.
    #[serde(default)]
    pub decision_date: String,
    /// 抽样日期 `YYYY-MM-DD`.
    #[serde(default)]
    pub inspection_date: Option<String>,
    /// 出版物名称.
    #[serde(default)]
    pub publication_title: String,
    /// 出版物类别: 图书、报纸、期刊、音像制品、电子出版物.
    #[serde(default)]
    pub publication_type: String,
    /// 书号、刊号或者版号.
    #[serde(default)]
    pub publication_number: Option<String>,
    /// 检查项目, separated by `；` or `、`.
    #[serde(default)]
    pub aspects: String,
    /// 检查结论: 合格 or 不合格.
    #[serde(default)]
    pub result: String,
    /// 编校差错率 in units of 1/10,000.
    #[serde(default)]
    pub error_rate_per_10000: Option<f64>,
    /// 不合格项目.
    #[serde(default)]
    pub nonconformities: Option<String>,
    /// 整改期限 `YYYY-MM-DD`.
    #[serde(default)]
    pub rectification_deadline: Option<String>,
}

impl QualityInspection {
    /// Whether the publication failed the inspection.
    pub fn failed(&self) -> bool {
        self.result == "不合格"
    }

    /// The key that identifies the publication across inspections: its
    /// number when given, else its title.
    pub fn publication_key(&self) -> String {
        match self.publication_number.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.replace(['-', ' '], "").to_uppercase(),
            _ => self.publication_title.trim().to_owned(),
        }
    }
}

/// Check one quality-inspection body: dates in order, the aspects from
/// 第五十一条, a failed result naming what failed, and (warnings) an
/// editing error rate that contradicts a passed book, an ISBN with a wrong
/// check digit.
pub fn check(body: &Value) -> Vec<Violation> {
    let q: QualityInspection = match body_as(body) {
        Ok(q) => q,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let decided = date(&q.decision_date);
    if let (Some(d), Some(s)) = (decided, q.inspection_date.as_deref().and_then(date))
        && s > d
    {
        out.push(Violation::error(
            "/inspection_date",
            "inspection-after-result",
            format!("抽样日期{s}晚于检查结论日期{d}"),
            format!("inspection_date {s} is after the decision date {d}"),
        ));
    }
    if let (Some(d), Some(r)) = (decided, q.rectification_deadline.as_deref().and_then(date))
        && r < d
    {
        out.push(Violation::error(
            "/rectification_deadline",
            "deadline-before-result",
            format!("整改期限{r}早于检查结论日期{d}"),
            format!("rectification_deadline {r} is before the decision date {d}"),
        ));
    }
    for aspect in split(&q.aspects).filter(|a| !ASPECTS.contains(a)) {
        out.push(Violation::error(
            "/aspects",
            "aspect-unknown",
            format!("检查项目“{aspect}”不是《出版管理条例》第五十一条所列的内容、编校、印刷或者复制、装帧设计"),
            format!("inspected aspect {aspect:?} is none of those of 出版管理条例 第五十一条 (内容、编校、印刷或者复制、装帧设计)"),
        ));
    }
    let nonconformities = q.nonconformities.as_deref().map(str::trim).unwrap_or_default();
    if q.failed() && nonconformities.is_empty() {
        out.push(Violation::error(
            "/nonconformities",
            "nonconformity-missing",
            "检查结论为不合格，但未填写不合格项目",
            "the result is 不合格 but 不合格项目 does not say what failed",
        ));
    }
    if !q.failed() && q.rectification_deadline.is_some() {
        out.push(Violation::warning(
            "/rectification_deadline",
            "deadline-without-failure",
            "检查结论为合格，却填写了整改期限，请核实检查结论",
            "the result is 合格 but a rectification deadline is given; please check the result",
        ));
    }
    let edited = q.aspects.contains("编校");
    if q.publication_type == "图书" && edited && !q.failed() && q.error_rate_per_10000.is_some_and(|r| r > 1.0) {
        out.push(Violation::warning(
            "/error_rate_per_10000",
            "error-rate-above-pass",
            "图书编校差错率超过万分之一，检查结论却为合格（《图书质量管理规定》：差错率不超过万分之一的，编校质量属合格），请核实",
            "a book with an editing error rate above 1/10,000 is recorded as passed (图书质量管理规定), please check",
        ));
    }
    if q.publication_type == "图书"
        && let Some(isbn) = q.publication_number.as_deref().and_then(isbn13_digits)
        && !isbn13_valid(&isbn)
    {
        out.push(Violation::warning(
            "/publication_number",
            "isbn-check-digit",
            "书号（ISBN）校验位不正确，请核对",
            "the ISBN's check digit is wrong, please check",
        ));
    }
    out
}

fn split(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(['；', ';', '，', ',', '、', '/']).map(str::trim).filter(|a| !a.is_empty())
}

/// The 13 digits of an ISBN-13 (`ISBN 978-7-…`), or `None` when the number
/// is not written as one.
fn isbn13_digits(number: &str) -> Option<Vec<u32>> {
    let rest = number.trim().trim_start_matches("ISBN").trim_start_matches(['：', ':', ' ']);
    let digits: Vec<u32> =
        rest.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_digit(10)).collect::<Option<_>>()?;
    (digits.len() == 13 && (digits.starts_with(&[9, 7, 8]) || digits.starts_with(&[9, 7, 9]))).then_some(digits)
}

/// The ISBN-13 check (GB/T 5795-2006, ISO 2108): weights 1 and 3 in turn,
/// the check digit makes the sum a multiple of 10.
fn isbn13_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits[..12].iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 }).sum();
    (10 - sum % 10) % 10 == digits[12]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> Value {
        json!({
            "subject_name": "河南黄河教育出版社有限公司", "subject_category": "法人及非法人组织",
            "uscc": "91410184MA8DAQ6A9N", "decision_number": "豫新出质检〔2026〕3号", "decision_date": "2026-05-20",
            "inspection_date": "2026-04-10", "authority": "河南省新闻出版局", "legal_basis": "《出版管理条例》第五十一条",
            "publication_title": "初中数学同步练习（七年级上）", "publication_type": "图书",
            "publication_number": "ISBN 978-7-5347-0000-2", "aspects": "内容；编校；印刷或者复制；装帧设计",
            "result": "合格", "error_rate_per_10000": 0.4
        })
    }

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    #[test]
    fn passed_inspection_in_order_passes() {
        assert!(check(&body()).is_empty(), "{:?}", check(&body()));
    }

    #[test]
    fn failed_inspection_must_name_what_failed_and_dates_must_be_in_order() {
        let mut b = body();
        b["result"] = json!("不合格");
        b["inspection_date"] = json!("2026-06-01");
        b["rectification_deadline"] = json!("2026-05-01");
        assert_eq!(
            codes(&check(&b)),
            [("inspection-after-result", false), ("deadline-before-result", false), ("nonconformity-missing", false)]
        );
    }

    #[test]
    fn aspects_come_from_article_51() {
        let mut b = body();
        b["aspects"] = json!("编校、营销");
        assert_eq!(codes(&check(&b)), [("aspect-unknown", false)]);
    }

    #[test]
    fn passed_book_with_high_error_rate_and_bad_isbn_are_warnings() {
        let mut b = body();
        b["error_rate_per_10000"] = json!(1.6);
        b["publication_number"] = json!("978-7-5347-0000-5");
        assert_eq!(codes(&check(&b)), [("error-rate-above-pass", true), ("isbn-check-digit", true)]);
    }

    #[test]
    fn isbn_check_digit_follows_iso_2108() {
        assert!(isbn13_valid(&isbn13_digits("9787534700002").unwrap()));
        assert!(isbn13_valid(&isbn13_digits("ISBN 978-0-306-40615-7").unwrap()));
        assert!(isbn13_digits("CN 41-1034/G4").is_none());
    }
}
