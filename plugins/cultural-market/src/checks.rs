//! Semantic checks a JSON Schema cannot express.

use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

const CAFE: &str = "互联网上网服务营业场所管理条例";
const VENUE: &str = "娱乐场所管理条例";
const PERFORMANCE: &str = "营业性演出管理条例";

/// Articles whose fine has a fixed ceiling (万元), independent of turnover.
///
/// # Source
/// 互联网上网服务营业场所管理条例第三十一条、第三十三条 (15,000 元以下);
/// 第二十七条 (不足1万元时 1万–5万, so at most 5 万元 unless turnover ≥ 1 万:
/// turnover-dependent, see [`TURNOVER_ARTICLES`]).
const FIXED_CEILINGS: [(&str, &str, f64); 2] = [(CAFE, "第三十一条", 1.5), (CAFE, "第三十三条", 1.5)];

/// Articles whose fine depends on a turnover or illegal gain the record does
/// not give: a fine above the low band is a warning, not a rejection.
const TURNOVER_ARTICLES: [(&str, &str, f64); 4] = [
    (CAFE, "第二十七条", 5.0),
    (VENUE, "第四十五条", 5.0),
    (PERFORMANCE, "第四十三条", 10.0),
    (PERFORMANCE, "第四十四条", 5.0),
];

#[derive(Deserialize)]
struct Penalty {
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    penalty_types: String,
    #[serde(default)]
    penalty_content: String,
    fine_wan_yuan: Option<f64>,
    #[serde(default)]
    revoked_certificate: String,
    decision_date: Option<String>,
    penalty_valid_until: Option<String>,
    publicity_end: Option<String>,
}

/// Check one penalty body.
pub fn penalty(body: &Value) -> Vec<Violation> {
    let p: Penalty = match body_as(body) {
        Ok(p) => p,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let text = format!("{}{}", p.penalty_types, p.penalty_content);
    if text.contains("不予行政处罚") || text.contains("不予处罚") {
        out.push(Violation::error(
            "/penalty_types",
            "not-a-penalty",
            "不予行政处罚决定不是行政处罚，不应作为行政处罚信息报送（行政处罚法第三十三条）",
            "a decision not to penalise (不予行政处罚) is not a penalty and is not reported as one (行政处罚法第三十三条)",
        ));
    }
    let fine = p.fine_wan_yuan.unwrap_or(0.0);
    if fine > 0.0 && !p.penalty_types.contains("罚款") {
        out.push(Violation::error(
            "/penalty_types",
            "fine-without-type",
            "填写了罚款金额，但处罚类别中没有“罚款”",
            "a fine amount is given but 处罚类别 does not include 罚款",
        ));
    }
    for (reg, art, max) in FIXED_CEILINGS {
        if cites_article(&p.legal_basis, reg, art) && fine > max {
            out.push(Violation::error(
                "/fine_wan_yuan",
                "fine-above-maximum",
                format!("罚款{fine}万元超过《{reg}》{art}规定的上限{max}万元"),
                format!("fine of {fine} wan yuan exceeds the {max} wan yuan maximum of {reg} {art}"),
            ));
        }
    }
    for (reg, art, low_band_max) in TURNOVER_ARTICLES {
        if cites_article(&p.legal_basis, reg, art) && fine > low_band_max {
            out.push(Violation::warning(
                "/fine_wan_yuan",
                "fine-depends-on-turnover",
                format!("罚款{fine}万元高于《{reg}》{art}按违法经营额不足1万元计的上限{low_band_max}万元；记录未载明违法经营额，请核实"),
                format!("fine of {fine} wan yuan is above the {low_band_max} wan yuan band of {reg} {art} for small turnovers; the record gives no turnover, please verify"),
            ));
        }
    }
    if cites_article(&p.legal_basis, CAFE, "第三十一条") && !p.penalty_types.contains("警告") {
        out.push(Violation::warning(
            "/penalty_types",
            "warning-missing",
            "《互联网上网服务营业场所管理条例》第三十一条规定应当给予警告，处罚类别中没有“警告”",
            "互联网上网服务营业场所管理条例 art. 31 orders a warning, but 处罚类别 has none",
        ));
    }
    if p.penalty_types.contains("吊销") && p.revoked_certificate.trim().is_empty() {
        out.push(Violation::error(
            "/revoked_certificate",
            "revocation-without-certificate",
            "处罚类别含“吊销许可证件”，但未填写被吊销的证照名称及编号",
            "the penalty revokes a licence but 暂扣或吊销证照名称及编号 does not name it",
        ));
    }
    if let Some(decided) = p.decision_date.as_deref().and_then(date) {
        for (field, name, value) in [
            ("/penalty_valid_until", "处罚有效期", &p.penalty_valid_until),
            ("/publicity_end", "公示截止期", &p.publicity_end),
        ] {
            if let Some(d) = value.as_deref().and_then(date)
                && d < decided
            {
                out.push(Violation::error(
                    field,
                    "date-before-decision",
                    format!("{name}{d}早于处罚决定日期{decided}"),
                    format!("{field} {d} is before the decision date {decided}"),
                ));
            }
        }
    }
    out
}

#[derive(Deserialize)]
struct Licence {
    valid_from: Option<String>,
    valid_to: Option<String>,
    decision_date: Option<String>,
}

/// Check one licence body.
pub fn licence(body: &Value) -> Vec<Violation> {
    let l: Licence = match body_as(body) {
        Ok(l) => l,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let from = l.valid_from.as_deref().and_then(date);
    let to = l.valid_to.as_deref().and_then(date);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        out.push(Violation::error(
            "/valid_to",
            "validity-reversed",
            format!("有效期至{t}早于有效期自{f}"),
            format!("valid_to {t} is before valid_from {f}"),
        ));
    }
    if let (Some(d), Some(f)) = (l.decision_date.as_deref().and_then(date), from)
        && f < d
    {
        out.push(Violation::error(
            "/valid_from",
            "validity-before-decision",
            format!("有效期自{f}早于许可决定日期{d}"),
            format!("valid_from {f} is before the decision date {d}"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cafe_penalty(fine: f64) -> Value {
        json!({
            "legal_basis": "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
            "penalty_types": "警告；罚款", "penalty_content": "给予警告；罚款", "fine_wan_yuan": fine,
            "decision_date": "2025-03-18"
        })
    }

    #[test]
    fn cafe_fine_above_15000_yuan_is_rejected() {
        let v = penalty(&cafe_penalty(1.6));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].code, "fine-above-maximum");
        assert_eq!(v[0].pointer, "/fine_wan_yuan");
        assert!(!v[0].warning);
        assert!(penalty(&cafe_penalty(1.5)).is_empty());
    }

    #[test]
    fn turnover_dependent_fine_is_only_a_warning() {
        let v = penalty(&json!({
            "legal_basis": "《营业性演出管理条例》第十三条、第四十四条第一款",
            "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 8.0
        }));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].code, "fine-depends-on-turnover");
        assert!(v[0].warning);
    }

    #[test]
    fn decision_not_to_penalise_is_refused() {
        let v = penalty(
            &json!({"legal_basis": "《行政处罚法》第三十三条", "penalty_types": "其他", "penalty_content": "不予行政处罚"}),
        );
        assert_eq!(v[0].code, "not-a-penalty");
    }

    #[test]
    fn revocation_must_name_the_licence_and_dates_must_be_in_order() {
        let v = penalty(&json!({
            "legal_basis": "《互联网上网服务营业场所管理条例》第三十一条", "penalty_types": "警告；吊销许可证件",
            "penalty_content": "吊销", "decision_date": "2025-05-22", "publicity_end": "2025-01-01"
        }));
        let codes: Vec<_> = v.iter().map(|v| v.code.as_str()).collect();
        assert_eq!(codes, ["revocation-without-certificate", "date-before-decision"]);
    }

    #[test]
    fn licence_validity_must_not_be_reversed() {
        let v = licence(&json!({"valid_from": "2020-01-01", "valid_to": "2019-01-01", "decision_date": "2020-01-01"}));
        assert_eq!(v[0].code, "validity-reversed");
    }
}
