//! Semantic checks a JSON Schema cannot express: every penalty article of the
//! sector's statutes as a [`PenaltyArticle`] (with the narrower fine ranges
//! of single items and paragraphs) and who may hold a troupe's licence; the
//! consistency of the sector's own kinds is in [`own`].

pub mod own;

pub use own::{assessment, funding, practitioner};

use crate::kinds;
use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// 《营业性演出管理条例》 (国务院令第439号, revised 2020-11-29).
pub const PERFORMANCE: &str = "营业性演出管理条例";
/// 《中华人民共和国非物质文化遗产法》 (2011). Its text is NOT in the reference
/// folder `shared/reference/laws/`; the article below is cited from the
/// published law.
pub const HERITAGE: &str = "非物质文化遗产法";

/// The penalty articles of the sector's statutes. Fines in 万元.
///
/// # Source
/// 营业性演出管理条例 (reference folder, file 03):
/// - 第四十三条: 取缔 (reported as 其他 or 责令关闭), 没收 equipment and gains,
///   并处 8–10 times the gain, or 5万–10万 when there is none or it is under 1万;
///   its 第二款 has 工商 取缔 and punish 依法, under other law, with no range here.
/// - 第四十四条: 没收, 8–10 times or 5万–10万, 情节严重 吊销; its 第二款 also
///   gives 警告 with up to 3万, and its 第三款 3–5 times or 3万–5万.
/// - 第四十五条: 没收, 8–10 times or 5万–10万, 吊销 or 撤销.
/// - 第四十六条: 没收, 8–10 times or 5万–10万, 吊销; 第二款 警告 with 5万–10万 or
///   5000–1万.
/// - 第四十七条: 向社会公布 (通报批评), 吊销 on a second publication within 2
///   years, 5万–10万 for items (一)–(三), 5000–1万 for item (四); fixed amounts.
/// - 第四十八条: 没收, 3–5 times or 3万–5万, 吊销; its 第二款 (advertising) is
///   punished 依法 by 工商, with no range here.
/// - 第四十九条: 3–5 times the gain (no fixed range), 向社会公布, 吊销.
/// - 第五十条: 警告 and 1万–3万 (第一款) or 5000–1万 (第二款); fixed amounts.
/// - 第五十一条第二款 (public security): 没收, 3–5 times or 3万–5万, 吊销; its
///   第一款 is punished 依法 (safety, fire, tickets), with no range here.
/// - 第五十二条: 责令停止营业性演出经营活动, 吊销营业执照; no fine.
/// - 第五十四条 (government bodies): 警告 or 通报批评.
///
/// The SDK's floor of an article holds whatever the turnover, so the three
/// articles with a paragraph that punishes under other law declare no floor
/// (`0.0`); [`penalty`] checks the floor of their own paragraph
/// ([`PARAGRAPH_FLOORS`]).
///
/// 非物质文化遗产法第四十一条 (not in the reference folder): a foreign
/// organisation or individual investigating without approval (第十五条) gets
/// 警告 and 没收; 情节严重 并处 10万–50万 (organisation) or 1万–5万 (individual).
pub const ARTICLES: [PenaltyArticle; 12] = [
    PenaltyArticle::new(PERFORMANCE, "第四十三条")
        .provides(&["取缔", "关闭", "没收", "罚款"])
        .requires(&["罚款"])
        .fine(0.0, 10.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十四条")
        .provides(&["警告", "没收", "罚款", "吊销"])
        .fine(0.0, 10.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十五条")
        .provides(&["没收", "罚款", "吊销", "撤销"])
        .requires(&["罚款"])
        .fine(5.0, 10.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十六条")
        .provides(&["警告", "没收", "罚款", "吊销"])
        .requires(&["罚款"])
        .fine(0.5, 10.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十七条").provides(&["通报批评", "罚款", "吊销"]).fine(0.5, 10.0),
    PenaltyArticle::new(PERFORMANCE, "第四十八条")
        .provides(&["没收", "罚款", "吊销"])
        .requires(&["罚款"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十九条").provides(&["罚款", "通报批评", "吊销"]),
    PenaltyArticle::new(PERFORMANCE, "第五十条").provides(&["警告", "罚款"]).requires(&["警告", "罚款"]).fine(0.5, 3.0),
    PenaltyArticle::new(PERFORMANCE, "第五十一条")
        .provides(&["没收", "罚款", "吊销"])
        .requires(&["罚款"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PERFORMANCE, "第五十二条").provides(&["停产停业", "停止", "限制", "吊销"]),
    PenaltyArticle::new(PERFORMANCE, "第五十四条").provides(&["警告", "通报批评"]),
    PenaltyArticle::new(HERITAGE, "第四十一条").provides(&["警告", "没收", "罚款"]).requires(&["警告"]).fine(1.0, 50.0),
];

/// The floors of the fixed-range paragraphs of the articles that also have a
/// paragraph punishing 依法, under other law: (article, that other
/// paragraph, the fixed-range paragraph, its floor in 万元). Every tier of
/// the fixed-range paragraph (8–10 or 3–5 times a gain of at least 1万, or the
/// fixed amounts) starts at the floor; a penalty citing the other paragraph
/// is not held to it.
pub const PARAGRAPH_FLOORS: [(&str, &str, &str, f64); 3] = [
    ("第四十三条", "第二款", "第一款", 5.0),
    ("第四十八条", "第二款", "第一款", 3.0),
    ("第五十一条", "第一款", "第二款", 3.0),
];

#[derive(Deserialize)]
struct PenaltyFine {
    #[serde(default)]
    subject_category: String,
    #[serde(default)]
    legal_basis: String,
    fine_wan_yuan: Option<f64>,
}

/// Check one penalty body: the SDK's shared checks with [`ARTICLES`], then
/// the narrower fixed ranges of single items and paragraphs
/// (`fine-out-of-range`): 营业性演出管理条例第四十七条 items (一)–(三) 5万–10万 and
/// item (四) 5000–1万; 第五十条第一款 1万–3万 and 第二款 5000–1万; the floors of
/// [`PARAGRAPH_FLOORS`]; 非物质文化遗产法第四十一条 10万–50万 for an organisation
/// and 1万–5万 for an individual.
pub fn penalty(body: &Value) -> Vec<Violation> {
    let mut out = checks::penalty(body, &ARTICLES);
    let Ok(p) = serde_json::from_value::<PenaltyFine>(body.clone()) else {
        return out;
    };
    let Some(fine) = p.fine_wan_yuan.filter(|f| *f > 0.0) else {
        return out;
    };
    let basis = p.legal_basis.as_str();
    let item = |n: &str| basis.contains(&format!("第（{n}）项")) || basis.contains(&format!("第({n})项"));
    // (what, floor, ceiling) in 万元; no ceiling: the SDK checks it.
    let mut ranges: Vec<(String, f64, Option<f64>)> = Vec::new();
    let performance = |name: &str| format!("《{PERFORMANCE}》{name}");
    if cites_article(basis, PERFORMANCE, "第四十七条") {
        let upper = item("一") || item("二") || item("三");
        match (upper, item("四")) {
            (true, false) => ranges.push((performance("第四十七条第一款第（一）至（三）项"), 5.0, Some(10.0))),
            (false, true) => ranges.push((performance("第四十七条第一款第（四）项"), 0.5, Some(1.0))),
            _ => {}
        }
    }
    if cites_article(basis, PERFORMANCE, "第五十条第一款") && !cites_article(basis, PERFORMANCE, "第五十条第二款")
    {
        ranges.push((performance("第五十条第一款"), 1.0, Some(3.0)));
    } else if cites_article(basis, PERFORMANCE, "第五十条第二款")
        && !cites_article(basis, PERFORMANCE, "第五十条第一款")
    {
        ranges.push((performance("第五十条第二款"), 0.5, Some(1.0)));
    }
    for (article, other_law, fixed, floor) in PARAGRAPH_FLOORS {
        if cites_article(basis, PERFORMANCE, article)
            && !cites_article(basis, PERFORMANCE, &format!("{article}{other_law}"))
        {
            ranges.push((performance(&format!("{article}{fixed}")), floor, None));
        }
    }
    if cites_article(basis, HERITAGE, "第四十一条") {
        if p.subject_category == kinds::NATURAL_PERSON {
            ranges.push(("《中华人民共和国非物质文化遗产法》第四十一条第二款（境外个人）".into(), 1.0, Some(5.0)));
        } else {
            ranges.push(("《中华人民共和国非物质文化遗产法》第四十一条第一款（境外组织）".into(), 10.0, Some(50.0)));
        }
    }
    let already = out.iter().any(|v| v.code == "fine-out-of-range");
    for (name, min, max) in ranges {
        if already || (fine + 1e-9 >= min && max.is_none_or(|max| fine <= max + 1e-9)) {
            continue;
        }
        let (zh, en) = match max {
            Some(max) => (
                format!("罚款{fine}万元不在{name}规定的{min}万元至{max}万元之间"),
                format!("fine of {fine} wan yuan is outside the {min}–{max} wan yuan of {name}"),
            ),
            None => (
                format!("罚款{fine}万元低于{name}规定的下限{min}万元"),
                format!("fine of {fine} wan yuan is below the {min} wan yuan minimum of {name}"),
            ),
        };
        out.push(Violation::error("/fine_wan_yuan", "fine-out-of-range", zh, en));
    }
    out
}

#[derive(Deserialize)]
struct LicenceHolder {
    #[serde(default)]
    subject_category: String,
}

/// Check one licence body: the SDK's validity checks, and that a troupe's
/// 营业性演出许可证 is held by an organisation (`licensee-not-organisation`):
/// 营业性演出管理条例第六条 licenses 文艺表演团体, while 个体演员 register and
/// file under 第九条 and hold no such licence.
pub fn licence(body: &Value) -> Vec<Violation> {
    let mut out = checks::licence(body);
    if let Ok(l) = serde_json::from_value::<LicenceHolder>(body.clone())
        && l.subject_category != kinds::ORGANISATION
    {
        out.push(Violation::error(
            "/subject_category",
            "licensee-not-organisation",
            format!(
                "文艺表演团体的营业性演出许可证应由法人及非法人组织持有（营业性演出管理条例第六条），行政相对人类别为“{}”；个体演员依第九条办理注册登记和备案",
                l.subject_category
            ),
            format!(
                "a troupe's performance licence is held by an organisation (第六条), not a {:?}; solo performers register under 第九条",
                l.subject_category
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

    #[test]
    fn lip_sync_fine_below_fifty_thousand_yuan_is_rejected() {
        let body = |fine: f64| {
            json!({
                "subject_category": "自然人",
                "legal_basis": "《营业性演出管理条例》第二十八条、第四十七条第一款第（三）项和第三款",
                "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": fine
            })
        };
        assert_eq!(codes(&penalty(&body(3.0))), [("fine-out-of-range", false)]);
        assert!(penalty(&body(5.0)).is_empty());
        assert_eq!(codes(&penalty(&body(12.0))), [("fine-out-of-range", false)], "one error, not two");
    }

    #[test]
    fn providing_conditions_for_lip_sync_allows_only_up_to_ten_thousand_yuan() {
        let v = penalty(&json!({
            "legal_basis": "《营业性演出管理条例》第二十八条、第四十七条第一款第（四）项和第三款",
            "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 2.0
        }));
        assert_eq!(codes(&v), [("fine-out-of-range", false)]);
    }

    /// 第五十条第二款: 责令改正，给予警告，并处5000元以上1万元以下的罚款. 警告 is
    /// mandatory, named in 处罚类别 or (the SDK reads both) 处罚内容; the fine
    /// has a fixed range, no turnover in it, so a fine on either side is an
    /// error (one, not one of the article and one of the paragraph).
    #[test]
    fn unfiled_solo_performer_gets_warning_and_at_most_ten_thousand_yuan() {
        let body = |types: &str, content: &str, fine: f64| {
            json!({
                "legal_basis": "《营业性演出管理条例》第九条第二款、第五十条第二款",
                "penalty_types": types, "penalty_content": content, "fine_wan_yuan": fine
            })
        };
        assert!(penalty(&body("警告；罚款", "给予警告；罚款6000元", 0.6)).is_empty());
        assert_eq!(codes(&penalty(&body("罚款", "罚款6000元", 0.6))), [("required-type-missing", true)]);
        assert!(penalty(&body("罚款", "责令改正，给予警告，并处罚款6000元", 0.6)).is_empty(), "警告 in 处罚内容");
        assert_eq!(codes(&penalty(&body("警告；罚款", "给予警告；罚款", 0.3))), [("fine-out-of-range", false)]);
        assert_eq!(codes(&penalty(&body("警告；罚款", "给予警告；罚款", 1.5))), [("fine-out-of-range", false)]);
        let change = json!({
            "legal_basis": "《营业性演出管理条例》第八条第一款、第五十条第一款",
            "penalty_types": "警告；罚款", "penalty_content": "给予警告，并处罚款", "fine_wan_yuan": 0.8
        });
        assert_eq!(codes(&penalty(&change)), [("fine-out-of-range", false)], "第一款 starts at 1万");
    }

    /// 第四十三条第一款 starts at 5万 whatever the gain (8–10 times a gain of at
    /// least 1万, or 5万–10万); its 第二款 (工商 取缔、处罚 依法) sets no range.
    #[test]
    fn unlicensed_performance_floor_is_the_first_paragraphs() {
        let body = |basis: &str, fine: f64| json!({"legal_basis": basis, "penalty_types": "罚款；没收违法所得、没收非法财物", "penalty_content": "没收演出器材；罚款", "fine_wan_yuan": fine});
        let first = "《营业性演出管理条例》第十条、第四十三条第一款第（一）项";
        assert_eq!(codes(&penalty(&body(first, 3.0))), [("fine-out-of-range", false)]);
        assert!(penalty(&body(first, 6.0)).is_empty());
        assert_eq!(codes(&penalty(&body(first, 20.0))), [("fine-depends-on-turnover", true)]);
        let second = "《营业性演出管理条例》第九条、第四十三条第二款；《无证无照经营查处办法》第十三条";
        assert!(penalty(&body(second, 0.5)).is_empty());
        let tickets = "《营业性演出管理条例》第五十一条第二款";
        assert_eq!(codes(&penalty(&body(tickets, 1.0))), [("fine-out-of-range", false)]);
        assert!(
            penalty(&body("《营业性演出管理条例》第五十一条第一款第（一）项；《中华人民共和国消防法》第六十条", 1.0))
                .is_empty()
        );
    }

    #[test]
    fn unapproved_performance_fine_depends_on_the_gain() {
        let v = penalty(&json!({
            "legal_basis": "《营业性演出管理条例》第十三条、第四十四条第一款",
            "penalty_types": "罚款；没收违法所得、没收非法财物；其他", "penalty_content": "罚款", "fine_wan_yuan": 12.0
        }));
        assert_eq!(codes(&v), [("fine-depends-on-turnover", true)]);
    }

    #[test]
    fn heritage_law_fine_depends_on_organisation_or_individual() {
        let body = |category: &str, fine: f64| {
            json!({
                "subject_category": category,
                "legal_basis": "《中华人民共和国非物质文化遗产法》第十五条、第四十一条",
                "penalty_types": "警告；没收违法所得、没收非法财物；罚款", "penalty_content": "警告", "fine_wan_yuan": fine
            })
        };
        assert!(penalty(&body("自然人", 3.0)).is_empty());
        assert_eq!(codes(&penalty(&body("自然人", 8.0))), [("fine-out-of-range", false)]);
        assert_eq!(codes(&penalty(&body("法人及非法人组织", 8.0))), [("fine-out-of-range", false)]);
        assert!(penalty(&body("法人及非法人组织", 20.0)).is_empty());
    }

    #[test]
    fn article_52_gives_no_fine() {
        let v = penalty(&json!({
            "legal_basis": "《营业性演出管理条例》第五十二条",
            "penalty_types": "责令停产停业；罚款", "penalty_content": "责令停止营业性演出经营活动", "fine_wan_yuan": 1.0
        }));
        assert_eq!(codes(&v), [("type-not-provided", false), ("fine-not-provided", false)]);
    }

    #[test]
    fn troupe_licence_held_by_a_person_is_refused() {
        let ok = json!({"subject_category": "法人及非法人组织", "decision_date": "2022-05-01", "valid_from": "2022-05-01", "valid_to": "2028-04-30"});
        assert!(licence(&ok).is_empty());
        let bad = json!({"subject_category": "个体工商户", "decision_date": "2022-05-01"});
        assert_eq!(codes(&licence(&bad)), [("licensee-not-organisation", false)]);
    }
}
