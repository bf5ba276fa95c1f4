//! Semantic checks of the 双公示 envelope that every sector shares, and
//! fine limits declared per article.

use crate::helpers::{body_as, date};
use crate::schema::cites_article;
use crate::types::Violation;
use serde::Deserialize;
use serde_json::Value;

/// The fine an article allows, in 万元.
#[derive(Debug, Clone, Copy)]
pub struct FineLimit {
    /// Regulation title without 《》.
    pub regulation: &'static str,
    /// Article, e.g. `第三十一条`.
    pub article: &'static str,
    /// Largest fine in 万元 (`0.0`: the article provides no fine).
    pub max_wan_yuan: f64,
    /// The ceiling holds only when the turnover or illegal gain is small; the
    /// record does not give it, so a larger fine is a warning, not an error.
    pub depends_on_turnover: bool,
}

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

/// Checks of a penalty body every sector shares, plus `limits`: a decision
/// not to penalise is no penalty (行政处罚法第三十三条); a fine needs the type
/// 罚款; a revocation names the licence; dates follow the decision; the fine
/// stays within the cited article's limit.
pub fn penalty(body: &Value, limits: &[FineLimit]) -> Vec<Violation> {
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
    for l in
        limits.iter().filter(|l| cites_article(&p.legal_basis, l.regulation, l.article) && fine > l.max_wan_yuan + 1e-9)
    {
        let (reg, art, max) = (l.regulation, l.article, l.max_wan_yuan);
        if l.depends_on_turnover {
            out.push(Violation::warning(
                "/fine_wan_yuan",
                "fine-depends-on-turnover",
                format!("罚款{fine}万元高于《{reg}》{art}按违法经营额不足1万元计的上限{max}万元；记录未载明违法经营额，请核实"),
                format!("fine of {fine} wan yuan is above the {max} wan yuan band of {reg} {art} for small turnovers; the record gives no turnover, please verify"),
            ));
        } else if max == 0.0 {
            out.push(Violation::error(
                "/fine_wan_yuan",
                "fine-not-provided",
                format!("《{reg}》{art}未规定罚款，不能处以罚款{fine}万元"),
                format!("{reg} {art} provides no fine, but a fine of {fine} wan yuan is given"),
            ));
        } else {
            out.push(Violation::error(
                "/fine_wan_yuan",
                "fine-above-maximum",
                format!("罚款{fine}万元超过《{reg}》{art}规定的上限{max}万元"),
                format!("fine of {fine} wan yuan exceeds the {max} wan yuan maximum of {reg} {art}"),
            ));
        }
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

/// Checks of a licence body every sector shares: validity in order and not
/// before the decision.
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
