//! Semantic checks of the 双公示 envelope that every sector shares, and the
//! penalty articles each sector declares as data.

use crate::helpers::{body_as, date};
use crate::schema::cites_article;
use crate::types::Violation;
use serde::Deserialize;
use serde_json::Value;

/// What one penalty article provides: the penalty types it allows, the ones
/// it makes mandatory and its fine range in 万元.
///
/// Declared with the `const` builders:
///
/// ```
/// use credit_sdk::checks::PenaltyArticle;
/// // 互联网上网服务营业场所管理条例第三十一条: 警告, 15,000 元以下罚款, 情节严重的停业整顿或吊销.
/// const ART_31: PenaltyArticle = PenaltyArticle::new("互联网上网服务营业场所管理条例", "第三十一条")
///     .provides(&["警告", "罚款", "停业", "吊销"])
///     .requires(&["警告"])
///     .fine(0.0, 1.5);
/// assert_eq!(ART_31.max_wan_yuan, Some(1.5));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PenaltyArticle {
    /// Regulation title without 《》.
    pub regulation: &'static str,
    /// Article, e.g. `第三十一条`.
    pub article: &'static str,
    /// Keywords of the penalty types the article provides (`警告`, `罚款`,
    /// `没收`, `停业`, `吊销`, `取缔`…); a type of the record that contains
    /// none of them is refused. Empty: not checked.
    pub provides: &'static [&'static str],
    /// Keywords of the types the article makes mandatory (`应当给予警告`,
    /// `并处罚款`): a record without one gets a warning.
    pub requires: &'static [&'static str],
    /// Smallest fine in 万元, when a fine is given.
    pub min_wan_yuan: f64,
    /// Largest fine in 万元; `None`: the article sets no fixed ceiling.
    pub max_wan_yuan: Option<f64>,
    /// The ceiling holds only for a small turnover or illegal gain; the
    /// record does not give it, so a fine above it is a warning, not an
    /// error. (The floor holds either way: every tier starts at or above it.)
    pub depends_on_turnover: bool,
}

impl PenaltyArticle {
    /// An article with nothing declared yet.
    pub const fn new(regulation: &'static str, article: &'static str) -> Self {
        Self {
            regulation,
            article,
            provides: &[],
            requires: &[],
            min_wan_yuan: 0.0,
            max_wan_yuan: None,
            depends_on_turnover: false,
        }
    }

    /// The penalty types the article provides.
    pub const fn provides(mut self, types: &'static [&'static str]) -> Self {
        self.provides = types;
        self
    }

    /// The penalty types the article makes mandatory.
    pub const fn requires(mut self, types: &'static [&'static str]) -> Self {
        self.requires = types;
        self
    }

    /// A fine of `min`–`max` 万元.
    pub const fn fine(mut self, min: f64, max: f64) -> Self {
        self.min_wan_yuan = min;
        self.max_wan_yuan = Some(max);
        self
    }

    /// The fine's ceiling depends on a turnover the record does not give.
    pub const fn turnover(mut self) -> Self {
        self.depends_on_turnover = true;
        self
    }

    fn allows_fine(&self) -> bool {
        self.provides.is_empty() || self.provides.contains(&"罚款")
    }
}

/// The penalty types of a 处罚类别 cell (split on `；;，,、/`), without `其他`.
pub fn penalty_types(cell: &str) -> Vec<&str> {
    cell.split(['；', ';', '，', ',', '、', '/']).map(str::trim).filter(|t| !t.is_empty() && *t != "其他").collect()
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

/// Checks of a penalty body every sector shares, plus those of the cited
/// `articles`: a decision not to penalise is no penalty (行政处罚法第三十三条);
/// a fine needs the type 罚款; each type is one the cited articles provide
/// (error `type-not-provided`), the types they make mandatory are named in
/// 处罚类别 or 处罚内容 (warning `required-type-missing`); a fine is one they provide
/// (`fine-not-provided`) and inside their range (`fine-out-of-range`, or the
/// warning `fine-depends-on-turnover`); a revocation names the licence; dates
/// follow the decision. Articles the record cites but `articles` lacks are
/// not checked.
pub fn penalty(body: &Value, articles: &[PenaltyArticle]) -> Vec<Violation> {
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
    let cited: Vec<&PenaltyArticle> =
        articles.iter().filter(|a| cites_article(&p.legal_basis, a.regulation, a.article)).collect();
    let types = penalty_types(&p.penalty_types);
    let named = |list: &[&PenaltyArticle]| -> String {
        list.iter().map(|a| format!("《{}》{}", a.regulation, a.article)).collect::<Vec<_>>().join("、")
    };
    if !cited.is_empty() && cited.iter().all(|a| !a.provides.is_empty()) {
        for t in &types {
            if !cited.iter().any(|a| a.provides.iter().any(|k| t.contains(k))) {
                out.push(Violation::error(
                    "/penalty_types",
                    "type-not-provided",
                    format!("{}没有规定“{t}”这一处罚种类", named(&cited)),
                    format!("{} does not provide the penalty type {t:?}", named(&cited)),
                ));
            }
        }
    }
    for a in &cited {
        // Clerks often write an ordered measure (停业整顿, 取缔) in 处罚内容
        // under the type 其他: either column counts.
        for r in a.requires.iter().filter(|r| !types.iter().any(|t| t.contains(*r)) && !p.penalty_content.contains(*r))
        {
            out.push(Violation::warning(
                "/penalty_types",
                "required-type-missing",
                format!("《{}》{}规定应当给予“{r}”，处罚类别和处罚内容中都没有", a.regulation, a.article),
                format!(
                    "{} {} makes {r:?} mandatory, but neither 处罚类别 nor 处罚内容 mentions it",
                    a.regulation, a.article
                ),
            ));
        }
    }
    let fining: Vec<&PenaltyArticle> = cited.iter().copied().filter(|a| a.allows_fine()).collect();
    if fine > 0.0 && !cited.is_empty() && fining.is_empty() {
        out.push(Violation::error(
            "/fine_wan_yuan",
            "fine-not-provided",
            format!("{}未规定罚款，不能处以罚款{fine}万元", named(&cited)),
            format!("{} provides no fine, but a fine of {fine} wan yuan is given", named(&cited)),
        ));
    } else if fine > 0.0 && !fining.is_empty() {
        // Several cited articles: the widest range of them.
        let max = fining.iter().map(|a| a.max_wan_yuan).try_fold(0.0_f64, |m, x| x.map(|x| m.max(x)));
        let min = fining.iter().map(|a| a.min_wan_yuan).fold(f64::INFINITY, f64::min);
        let turnover = fining.iter().any(|a| a.depends_on_turnover);
        // Every tier of the articles starts at or above the fixed floor, so
        // the minimum holds whatever the turnover; only the ceiling depends
        // on it.
        if fine + 1e-9 < min {
            out.push(Violation::error(
                "/fine_wan_yuan",
                "fine-out-of-range",
                format!("罚款{fine}万元低于{}规定的下限{min}万元", named(&fining)),
                format!("fine of {fine} wan yuan is below the {min} wan yuan minimum of {}", named(&fining)),
            ));
        }
        let (zh, en) = match max {
            Some(max) if fine > max + 1e-9 => (
                format!("罚款{fine}万元高于{}规定的上限{max}万元", named(&fining)),
                format!("fine of {fine} wan yuan exceeds the {max} wan yuan maximum of {}", named(&fining)),
            ),
            _ => (String::new(), String::new()),
        };
        if !zh.is_empty() {
            out.push(if turnover {
                Violation::warning(
                    "/fine_wan_yuan",
                    "fine-depends-on-turnover",
                    format!("{zh}（按违法经营额或违法所得较小计）；记录未载明违法经营额，请核实"),
                    format!("{en} (for a small turnover or illegal gain); the record gives no turnover, please verify"),
                )
            } else {
                Violation::error("/fine_wan_yuan", "fine-out-of-range", zh, en)
            });
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
