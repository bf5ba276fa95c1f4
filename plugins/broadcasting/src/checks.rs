//! Semantic checks a JSON Schema cannot express: every penalty article of the
//! two regulations as a [`PenaltyArticle`] (with the measures it makes
//! mandatory), the smaller fine 第十条第三款 allows an individual, and who may
//! hold which licence. The own kind's checks are in [`crate::facility`].

use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// 《广播电视管理条例》 (国务院令第228号, revised 2020-11-29).
pub const RTV: &str = "广播电视管理条例";
/// 《卫星电视广播地面接收设施管理规定》 (国务院令第129号, revised 2018-09-18).
pub const SAT: &str = "卫星电视广播地面接收设施管理规定";

/// The penalty articles of 《广播电视管理条例》 (第四十七条 to 第五十二条; 第五十三条
/// concerns officials and gives no penalty on a subject). Fines in 万元.
///
/// The mandatory measures are `requires`: records usually report 取缔 and
/// 没收 of equipment in 处罚内容 (there is no 处罚类别 for 取缔; 没收 is often
/// written as 其他), and the SDK reads both columns.
///
/// # Source
/// - 第四十七条: 取缔, 没收 equipment, 并处 a fine of 1–2 times the total investment
///   (no fixed range: the record does not give the investment). 取缔 is reported
///   under 处罚类别 as 其他 or 责令关闭.
/// - 第四十八条: 取缔, 没收 tools, equipment and carriers, 并处 1万–5万.
/// - 第四十九条: 收缴 the programme carriers (often reported as 没收非法财物), 并处
///   1万–5万; 情节严重的 吊销.
/// - 第五十条、第五十一条: 给予警告, 没收, 可以并处 2万元以下; 情节严重的 吊销.
/// - 第五十二条: 情节严重的 2万–5万 (责令停止违法活动 is no penalty type).
pub const RTV_ARTICLES: [PenaltyArticle; 6] = [
    PenaltyArticle::new(RTV, "第四十七条")
        .provides(&["取缔", "关闭", "没收", "罚款"])
        .requires(&["罚款", "取缔", "没收"])
        .turnover(),
    PenaltyArticle::new(RTV, "第四十八条")
        .provides(&["取缔", "关闭", "没收", "罚款"])
        .requires(&["罚款", "取缔", "没收"])
        .fine(1.0, 5.0),
    PenaltyArticle::new(RTV, "第四十九条")
        .provides(&["罚款", "收缴", "没收", "吊销"])
        .requires(&["罚款"])
        .fine(1.0, 5.0),
    PenaltyArticle::new(RTV, "第五十条").provides(&["警告", "没收", "罚款", "吊销"]).requires(&["警告"]).fine(0.0, 2.0),
    PenaltyArticle::new(RTV, "第五十一条")
        .provides(&["警告", "没收", "罚款", "吊销"])
        .requires(&["警告"])
        .fine(0.0, 2.0),
    PenaltyArticle::new(RTV, "第五十二条").provides(&["罚款"]).fine(2.0, 5.0),
];

/// 《卫星电视广播地面接收设施管理规定》第十条第一款: a producer without a licence, or
/// one selling to others than lawful installers, is ordered to stop producing
/// and selling (by the industrial-product licensing authority); no fine.
pub const SAT_PRODUCTION: PenaltyArticle = PenaltyArticle::new(SAT, "第十条").provides(&["停产", "停止"]);
/// 第十条第二款: unauthorised sale — 没收 the facilities, 可以 a fine of up to twice
/// the sales (no fixed ceiling: the record does not give the sales).
pub const SAT_SALE: PenaltyArticle =
    PenaltyArticle::new(SAT, "第十条").provides(&["没收", "罚款"]).requires(&["没收"]).turnover();
/// 第十条第三款: unauthorised installation and use — 没收 the facilities; 可以并处 up
/// to 5,000 元 (0.5 万元) for an individual, 5万 for an organisation (the individual
/// limit is checked separately, it depends on 行政相对人类别).
pub const SAT_INSTALLATION: PenaltyArticle =
    PenaltyArticle::new(SAT, "第十条").provides(&["没收", "罚款"]).requires(&["没收"]).fine(0.0, 5.0);

/// The largest fine 第十条第三款 allows an individual (个人), in 万元.
pub const SAT_INDIVIDUAL_MAX_WAN_YUAN: f64 = 0.5;

/// Which paragraph of 《卫星电视广播地面接收设施管理规定》第十条 a record falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SatelliteParagraph {
    /// 第一款: unlicensed production, or a producer selling to others than installers.
    Production,
    /// 第二款: unauthorised sale.
    Sale,
    /// 第三款: unauthorised installation and use (the bureau's own; the default).
    Installation,
}

impl SatelliteParagraph {
    /// The paragraph from the cited 款 when given, else from the words of the
    /// violation (`what`: 违法行为类型 or 处罚内容): 生产 → 第一款, 销售 → 第二款,
    /// anything else → 第三款, the one the broadcasting authority applies.
    pub fn of(legal_basis: &str, what: &str) -> Self {
        if cites_article(legal_basis, SAT, "第十条第一款") {
            Self::Production
        } else if cites_article(legal_basis, SAT, "第十条第二款") {
            Self::Sale
        } else if cites_article(legal_basis, SAT, "第十条第三款") {
            Self::Installation
        } else if what.contains("生产") {
            Self::Production
        } else if what.contains("销售") {
            Self::Sale
        } else {
            Self::Installation
        }
    }

    fn article(self) -> PenaltyArticle {
        match self {
            Self::Production => SAT_PRODUCTION,
            Self::Sale => SAT_SALE,
            Self::Installation => SAT_INSTALLATION,
        }
    }
}

#[derive(Deserialize)]
struct Penalty {
    #[serde(default)]
    subject_category: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    violation_type: String,
    #[serde(default)]
    penalty_content: String,
    fine_wan_yuan: Option<f64>,
}

/// Check one penalty body: the SDK's shared checks against the articles it
/// cites ([`RTV_ARTICLES`] and the paragraph of 第十条 it falls under; among
/// them mandatory 取缔/没收 missing from both 处罚类别 and 处罚内容, the warning
/// `required-type-missing`), plus the individual's fine limit of 第十条第三款
/// (error `fine-out-of-range`; a warning for an individual business) and a
/// basis that cites only the conduct articles of these regulations and none
/// of their penalty articles (warning `penalty-article-missing`, 行政处罚法
/// 第五十九条第一款第（三）项 requires the decision to state its basis).
pub fn penalty(body: &Value) -> Vec<Violation> {
    let p: Penalty = match body_as(body) {
        Ok(p) => p,
        Err(v) => return vec![v],
    };
    let paragraph = SatelliteParagraph::of(&p.legal_basis, &format!("{}{}", p.violation_type, p.penalty_content));
    let articles: Vec<PenaltyArticle> =
        RTV_ARTICLES.iter().copied().chain(std::iter::once(paragraph.article())).collect();
    let mut out = checks::penalty(body, &articles);
    let fine = p.fine_wan_yuan.unwrap_or(0.0);
    let satellite = cites_article(&p.legal_basis, SAT, "第十条");
    if satellite && paragraph == SatelliteParagraph::Installation && fine > SAT_INDIVIDUAL_MAX_WAN_YUAN + 1e-9 {
        let zh = format!("《{SAT}》第十条第三款对个人只能并处5000元（0.5万元）以下罚款，本记录罚款{fine}万元");
        let en = format!("{SAT} 第十条第三款 allows an individual a fine of at most 0.5 wan yuan; this one is {fine}");
        match p.subject_category.as_str() {
            "自然人" => out.push(Violation::error("/fine_wan_yuan", "fine-out-of-range", zh, en)),
            "个体工商户" => out.push(Violation::warning(
                "/fine_wan_yuan",
                "fine-above-individual-limit",
                format!("{zh}；个体工商户按个人还是单位处罚，请核实"),
                format!("{en}; please verify whether the individual business was fined as an individual"),
            )),
            _ => {}
        }
    }
    if let Some(regulation) = cites_only_conduct_articles(&p.legal_basis) {
        out.push(Violation::warning(
            "/legal_basis",
            "penalty-article-missing",
            format!("处罚依据只引用了《{regulation}》的禁止性条款，未引用其罚则条款（行政处罚法第五十九条第一款第（三）项），请核实"),
            format!("处罚依据 cites {regulation} but none of its penalty articles"),
        ));
    }
    out
}

/// The regulation a basis cites without any of its penalty articles, when the
/// basis cites no other regulation either (another one may hold the penalty).
fn cites_only_conduct_articles(legal_basis: &str) -> Option<&'static str> {
    let titles: Vec<&str> =
        legal_basis.split('《').skip(1).filter_map(|s| s.split_once('》').map(|(title, _)| title)).collect();
    if titles.is_empty() || titles.iter().any(|t| *t != RTV && *t != SAT) {
        return None;
    }
    let rtv_penalty = RTV_ARTICLES.iter().any(|a| cites_article(legal_basis, RTV, a.article));
    let sat_penalty = cites_article(legal_basis, SAT, "第十条");
    if titles.contains(&RTV) && !rtv_penalty && !sat_penalty {
        Some(RTV)
    } else if titles.contains(&SAT) && !sat_penalty && !rtv_penalty {
        Some(SAT)
    } else {
        None
    }
}

#[derive(Deserialize)]
struct Licence {
    #[serde(default)]
    subject_category: String,
    #[serde(default)]
    certificate_name: String,
}

/// Check one licence body: the SDK's shared checks (validity in order), and a
/// warning `holder-not-a-unit` when a natural person holds a licence the
/// regulations grant to units: 广播电视节目制作经营许可证 (《广播电视管理条例》第三十一条:
/// 制作经营单位), 卫星地面接收设施安装服务许可证 (《卫星电视广播地面接收设施管理规定》
/// 第四条: 依法设立的安装服务机构), 接收卫星传送的电视节目许可证 (同规定第八条: 个人不得
/// 安装和使用, save the special case of 第八条第二款).
pub fn licence(body: &Value) -> Vec<Violation> {
    let mut out = checks::licence(body);
    let l: Licence = match body_as(body) {
        Ok(l) => l,
        Err(v) => return vec![v],
    };
    if l.subject_category == "自然人" {
        let basis = match l.certificate_name.as_str() {
            "广播电视节目制作经营许可证" => {
                "《广播电视管理条例》第三十一条，该许可授予广播电视节目制作经营单位"
            }
            "卫星地面接收设施安装服务许可证" => {
                "《卫星电视广播地面接收设施管理规定》第四条，安装服务由依法设立的安装服务机构承担"
            }
            _ => {
                "《卫星电视广播地面接收设施管理规定》第八条，个人不得安装和使用卫星地面接收设施，第八条第二款的特殊情况除外"
            }
        };
        out.push(Violation::warning(
            "/subject_category",
            "holder-not-a-unit",
            format!("{}的持证人为自然人：依{basis}，请核实", l.certificate_name),
            format!(
                "a natural person holds a {}; the regulation grants it to units, please verify",
                l.certificate_name
            ),
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

    fn programme_penalty(fine: f64) -> Value {
        json!({
            "subject_category": "法人及非法人组织",
            "legal_basis": "《广播电视管理条例》第三十二条、第四十九条", "penalty_types": "罚款；其他",
            "penalty_content": "责令停止制作，收缴节目载体；罚款", "fine_wan_yuan": fine, "decision_date": "2025-03-06"
        })
    }

    #[test]
    fn prohibited_content_fine_must_be_between_one_and_five_wan_yuan() {
        assert!(penalty(&programme_penalty(1.0)).is_empty());
        assert!(penalty(&programme_penalty(5.0)).is_empty());
        assert_eq!(codes(&penalty(&programme_penalty(0.5))), [("fine-out-of-range", false)]);
        assert_eq!(codes(&penalty(&programme_penalty(5.5))), [("fine-out-of-range", false)]);
    }

    #[test]
    fn warning_is_not_provided_by_article_49_but_required_by_article_50() {
        let v = penalty(&json!({
            "legal_basis": "《广播电视管理条例》第四十九条", "penalty_types": "警告；罚款", "penalty_content": "警告；罚款",
            "fine_wan_yuan": 2.0
        }));
        assert_eq!(codes(&v), [("type-not-provided", false)]);
        let v = penalty(&json!({
            "legal_basis": "《广播电视管理条例》第五十条第（五）项", "penalty_types": "罚款", "penalty_content": "罚款",
            "fine_wan_yuan": 2.5
        }));
        assert_eq!(codes(&v), [("required-type-missing", true), ("fine-out-of-range", false)]);
    }

    #[test]
    fn closure_under_article_48_needs_a_fine_and_names_closure_and_confiscation() {
        let ok = json!({
            "legal_basis": "《广播电视管理条例》第四十八条", "penalty_types": "罚款；其他",
            "penalty_content": "依法予以取缔，没收其从事违法活动的专用工具、设备和节目载体；罚款", "fine_wan_yuan": 1.65
        });
        assert!(penalty(&ok).is_empty());
        // Real row S29: confiscation and a fine, no 取缔 written down.
        let v = penalty(&json!({
            "legal_basis": "违反《广播电视管理条例》第三十一条；依据《广播电视管理条例》第四十八条",
            "penalty_types": "罚款；没收非法财物", "penalty_content": "没收移动硬盘1个、光盘10张，罚款人民币5万元",
            "fine_wan_yuan": 5.0
        }));
        assert_eq!(codes(&v), [("required-type-missing", true)]);
        assert!(v[0].message.contains("第四十八条规定应当给予“取缔”"), "{}", v[0].message);
        // A satellite dish confiscated under 第十条第三款 only in 处罚内容 is enough;
        // without 没收 anywhere it is a warning.
        let dish = |content: &str| {
            penalty(&json!({
                "subject_category": "法人及非法人组织", "legal_basis": "《卫星电视广播地面接收设施管理规定》第十条第三款",
                "penalty_types": "罚款", "penalty_content": content, "fine_wan_yuan": 1.0
            }))
        };
        assert!(dish("没收卫星地面接收设施1套；罚款").is_empty());
        assert_eq!(codes(&dish("罚款")), [("required-type-missing", true)]);
        let v = penalty(&json!({
            "legal_basis": "《广播电视管理条例》第四十八条", "penalty_types": "其他", "penalty_content": "依法予以取缔，没收设备"
        }));
        assert_eq!(codes(&v), [("required-type-missing", true)]);
    }

    #[test]
    fn satellite_installation_fine_is_limited_to_5000_yuan_for_an_individual() {
        let body = |category: &str, fine: f64| {
            json!({
                "subject_category": category, "legal_basis": "《卫星电视广播地面接收设施管理规定》第八条、第十条",
                "violation_type": "擅自安装和使用卫星地面接收设施", "penalty_types": "罚款；其他",
                "penalty_content": "没收其安装和使用的卫星地面接收设施；罚款", "fine_wan_yuan": fine
            })
        };
        assert!(penalty(&body("自然人", 0.5)).is_empty());
        assert_eq!(codes(&penalty(&body("自然人", 0.6))), [("fine-out-of-range", false)]);
        assert_eq!(codes(&penalty(&body("个体工商户", 0.6))), [("fine-above-individual-limit", true)]);
        assert!(penalty(&body("法人及非法人组织", 4.0)).is_empty());
        assert_eq!(codes(&penalty(&body("法人及非法人组织", 6.0))), [("fine-out-of-range", false)]);
    }

    #[test]
    fn satellite_sale_fine_depends_on_sales_and_production_has_no_fine() {
        let sale = json!({
            "subject_category": "法人及非法人组织", "legal_basis": "《卫星电视广播地面接收设施管理规定》第四条、第十条第二款",
            "penalty_types": "没收非法财物；罚款", "penalty_content": "没收卫星地面接收设施；罚款", "fine_wan_yuan": 8.0
        });
        assert!(penalty(&sale).is_empty());
        let production = json!({
            "subject_category": "法人及非法人组织", "legal_basis": "《卫星电视广播地面接收设施管理规定》第十条",
            "violation_type": "擅自生产卫星地面接收设施", "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 1.0
        });
        let v = penalty(&production);
        let c = codes(&v);
        assert!(c.contains(&("fine-not-provided", false)), "{c:?}");
    }

    #[test]
    fn satellite_paragraph_follows_the_cited_paragraph_first() {
        let basis = "违反《卫星电视广播地面接收设施管理规定》第八条；依据第十条第三款";
        assert_eq!(SatelliteParagraph::of(basis, "销售"), SatelliteParagraph::Installation);
        assert_eq!(
            SatelliteParagraph::of("《卫星电视广播地面接收设施管理规定》第十条", "擅自销售"),
            SatelliteParagraph::Sale
        );
        assert_eq!(
            SatelliteParagraph::of("《卫星电视广播地面接收设施管理规定》第十条", "没收"),
            SatelliteParagraph::Installation
        );
    }

    #[test]
    fn basis_without_a_penalty_article_is_a_warning() {
        let v = penalty(
            &json!({"legal_basis": "《广播电视管理条例》第三十二条", "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 1.0}),
        );
        assert_eq!(codes(&v), [("penalty-article-missing", true)]);
        // Another regulation may hold the penalty: not checked.
        let v = penalty(
            &json!({"legal_basis": "《广播电视管理条例》第三十一条；《广播电视节目制作经营管理规定》第二十条", "penalty_types": "罚款", "penalty_content": "罚款"}),
        );
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn natural_person_holding_a_production_licence_is_a_warning() {
        let v = licence(&json!({"subject_category": "自然人", "certificate_name": "广播电视节目制作经营许可证"}));
        assert_eq!(codes(&v), [("holder-not-a-unit", true)]);
        assert!(
            licence(&json!({"subject_category": "法人及非法人组织", "certificate_name": "广播电视节目制作经营许可证"}))
                .is_empty()
        );
    }
}
