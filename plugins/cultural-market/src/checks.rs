//! Semantic checks a JSON Schema cannot express: the shared 双公示 checks of
//! the SDK against every penalty article of the sector's three regulations,
//! plus two checks of this sector's own (who may be fined under
//! 娱乐场所管理条例第四十三条, and the per-head fine of 第五十二条).
//!
//! Articles that discipline officials (行政处分, not 行政处罚) are not
//! declared: 互联网上网服务营业场所管理条例第二十五条、第二十六条;
//! 娱乐场所管理条例第五十五条、第五十六条; 营业性演出管理条例第五十四条、第五十五条.

use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde_json::Value;

/// 互联网上网服务营业场所管理条例 (2022).
pub const CAFE: &str = "互联网上网服务营业场所管理条例";
/// 娱乐场所管理条例 (2020).
pub const VENUE: &str = "娱乐场所管理条例";
/// 营业性演出管理条例 (2020).
pub const PERFORMANCE: &str = "营业性演出管理条例";

/// 警告 + 可以并处15000元以下罚款; 情节严重的停业整顿直至吊销
/// (互联网上网服务营业场所管理条例第三十一条至第三十四条).
const CAFE_WARNING: [&str; 4] = ["警告", "罚款", "停业", "吊销"];
/// 给予警告; 情节严重的停业整顿 (娱乐场所管理条例第四十四条、第四十九条、第五十条).
const VENUE_WARNING: [&str; 2] = ["警告", "停业"];

/// Every penalty article of the three regulations: the penalty types each
/// provides (keywords of 处罚类别), the types it makes mandatory, and its
/// fine range in 万元.
///
/// An article with several tiers accepts every tier: the smallest fine of
/// the lowest tier to the largest of the highest fixed tier. Where a tier is
/// a multiple of 违法经营额 / 违法所得 (which the record does not give) the
/// range is `.turnover()`: a fine above it is only a warning, one below it
/// still an error (every tier starts at or above the fixed floor). Articles
/// that refer to penalties under other laws (互联网上网服务营业场所管理条例第三十五条,
/// 娱乐场所管理条例第五十四条, 营业性演出管理条例第五十一条第一款) do not
/// restrict the types. `取缔` is also accepted as `关闭` (责令关闭), the
/// 处罚类别 some units use for it.
///
/// # Source
/// The articles named in each entry, in /work/shared/reference/laws/01–03.
pub const ARTICLES: &[PenaltyArticle] = &[
    // 互联网上网服务营业场所管理条例
    // 第二十七条: 取缔, 查封, 扣押, 没收; 经营额≥1万: 5–10倍, <1万: 1万–5万.
    PenaltyArticle::new(CAFE, "第二十七条")
        .provides(&["取缔", "关闭", "查封", "扣押", "没收", "罚款"])
        .requires(&["罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 第二十九条: 吊销, 没收; 经营额≥5000元: 2–5倍, <5000元: 5000元–1万.
    PenaltyArticle::new(CAFE, "第二十九条")
        .provides(&["吊销", "没收", "罚款"])
        .requires(&["吊销", "罚款"])
        .fine(0.5, 1.0)
        .turnover(),
    // 第三十条: 警告, 没收; 经营额≥1万: 2–5倍, <1万: 1万–2万; 情节严重: 停业, 吊销.
    PenaltyArticle::new(CAFE, "第三十条")
        .provides(&["警告", "没收", "罚款", "停业", "吊销"])
        .requires(&["警告", "罚款"])
        .fine(1.0, 2.0)
        .turnover(),
    PenaltyArticle::new(CAFE, "第三十一条").provides(&CAFE_WARNING).requires(&["警告"]).fine(0.0, 1.5),
    PenaltyArticle::new(CAFE, "第三十二条").provides(&CAFE_WARNING).requires(&["警告"]).fine(0.0, 1.5),
    PenaltyArticle::new(CAFE, "第三十三条").provides(&CAFE_WARNING).requires(&["警告"]).fine(0.0, 1.5),
    PenaltyArticle::new(CAFE, "第三十四条").provides(&CAFE_WARNING).requires(&["警告"]).fine(0.0, 1.5),
    // 第三十五条: penalties under other laws, then 吊销 by the issuing authority.
    PenaltyArticle::new(CAFE, "第三十五条"),
    // 第三十六条: the 5-year ban on persons (限制从业).
    PenaltyArticle::new(CAFE, "第三十六条").provides(&["限制从业"]),
    // 娱乐场所管理条例
    // 第四十一条: 取缔 of an unlicensed venue; no fine.
    PenaltyArticle::new(VENUE, "第四十一条").provides(&["取缔", "关闭", "查封"]),
    // 第四十二条: 撤销 of a licence obtained by fraud.
    PenaltyArticle::new(VENUE, "第四十二条").provides(&["撤销"]),
    // 第四十三条: 没收, 停业3–6个月; 情节严重: 吊销, and 1万–2万 on the responsible persons.
    PenaltyArticle::new(VENUE, "第四十三条").provides(&["没收", "停业", "吊销", "罚款"]).fine(1.0, 2.0),
    PenaltyArticle::new(VENUE, "第四十四条").provides(&VENUE_WARNING).requires(&["警告"]),
    // 第四十五条: 没收; 违法所得2–5倍, 没有或不足1万: 2万–5万; 情节严重: 停业.
    PenaltyArticle::new(VENUE, "第四十五条")
        .provides(&["没收", "罚款", "停业"])
        .requires(&["罚款"])
        .fine(2.0, 5.0)
        .turnover(),
    // 第四十六条: 停业1–3个月; 造成严重后果: 吊销.
    PenaltyArticle::new(VENUE, "第四十六条").provides(&["停业", "吊销"]),
    PenaltyArticle::new(VENUE, "第四十七条").provides(&["警告"]).requires(&["警告"]),
    // 第四十八条: 没收; 违法所得1–3倍, 没有或不足1万: 1万–3万; 情节严重: 停业.
    PenaltyArticle::new(VENUE, "第四十八条")
        .provides(&["没收", "罚款", "停业"])
        .requires(&["罚款"])
        .fine(1.0, 3.0)
        .turnover(),
    PenaltyArticle::new(VENUE, "第四十九条").provides(&VENUE_WARNING).requires(&["警告"]),
    PenaltyArticle::new(VENUE, "第五十条").provides(&VENUE_WARNING).requires(&["警告"]),
    PenaltyArticle::new(VENUE, "第五十一条").provides(&["警告"]).requires(&["警告"]),
    // 第五十二条: 5000元 per minor employed per month: no ceiling (see `per_head_fine`).
    PenaltyArticle {
        min_wan_yuan: 0.5,
        ..PenaltyArticle::new(VENUE, "第五十二条").provides(&["罚款"]).requires(&["罚款"])
    },
    // 第五十三条: bans (限制从业); 第三款 停业3–6个月 or 吊销 after repeated violations.
    PenaltyArticle::new(VENUE, "第五十三条").provides(&["停业", "吊销", "限制从业"]),
    PenaltyArticle::new(VENUE, "第五十四条"),
    // 营业性演出管理条例
    // 第四十三条: 取缔, 没收; 违法所得8–10倍, 没有或不足1万: 5万–10万.
    PenaltyArticle::new(PERFORMANCE, "第四十三条")
        .provides(&["取缔", "关闭", "没收", "罚款"])
        .requires(&["罚款"])
        .fine(5.0, 10.0)
        .turnover(),
    // 第四十四条: 第一款 没收 + 8–10倍 / 5万–10万, 吊销; 第二款 also 警告 + 3万以下;
    // 第三款 没收 + 3–5倍 / 3万–5万.
    PenaltyArticle::new(PERFORMANCE, "第四十四条")
        .provides(&["警告", "没收", "罚款", "吊销"])
        .fine(0.0, 10.0)
        .turnover(),
    // 第四十五条: 没收; 8–10倍 / 5万–10万; 吊销、撤销.
    PenaltyArticle::new(PERFORMANCE, "第四十五条")
        .provides(&["没收", "罚款", "吊销", "撤销"])
        .requires(&["罚款"])
        .fine(5.0, 10.0)
        .turnover(),
    // 第四十六条: 第一款 没收 + 8–10倍 / 5万–10万, 吊销; 第二款 警告 + 5万–10万 or 5000元–1万.
    PenaltyArticle::new(PERFORMANCE, "第四十六条")
        .provides(&["警告", "没收", "罚款", "吊销"])
        .requires(&["罚款"])
        .fine(0.5, 10.0)
        .turnover(),
    // 第四十七条: 向社会公布; 2年内再次公布: 吊销; 第三款 5万–10万 or 5000元–1万.
    PenaltyArticle::new(PERFORMANCE, "第四十七条").provides(&["通报批评", "公布", "罚款", "吊销"]).fine(0.5, 10.0),
    // 第四十八条: 没收; 3–5倍 / 3万–5万; 吊销 (第二款: advertising, under other law).
    PenaltyArticle::new(PERFORMANCE, "第四十八条").provides(&["没收", "罚款", "吊销"]).fine(3.0, 5.0).turnover(),
    // 第四十九条: 违法所得3–5倍 only (no fixed tier), 公布, 吊销.
    PenaltyArticle::new(PERFORMANCE, "第四十九条").provides(&["罚款", "通报批评", "公布", "吊销"]),
    // 第五十条: 警告 + 1万–3万 (第一款) or 5000元–1万 (第二款).
    PenaltyArticle::new(PERFORMANCE, "第五十条").provides(&["警告", "罚款"]).requires(&["警告", "罚款"]).fine(0.5, 3.0),
    // 第五十一条: 第一款 under other laws; 第二款 没收 + 3–5倍 / 3万–5万, 吊销.
    PenaltyArticle::new(PERFORMANCE, "第五十一条").fine(3.0, 5.0).turnover(),
    // 第五十二条: 责令停止营业性演出经营活动, 吊销营业执照 (or 责令变更登记); no fine.
    PenaltyArticle::new(PERFORMANCE, "第五十二条").provides(&["停业", "停止", "限制开展生产经营活动", "吊销"]),
    // 第五十三条: bans (限制从业); 第三款 a heavier penalty under the article applied.
    PenaltyArticle::new(PERFORMANCE, "第五十三条").provides(&["限制从业"]),
];

/// Check one penalty body: the SDK's shared checks against [`ARTICLES`],
/// then the sector's own: a fine under 娱乐场所管理条例第四十三条 falls on
/// natural persons only (`fine-on-organisation`), one under 第五十二条 is a
/// whole number of 5000 元 steps (`fine-not-per-head`).
pub fn penalty(body: &Value) -> Vec<Violation> {
    let basis = body.get("legal_basis").and_then(Value::as_str).unwrap_or_default();
    let mut out = checks::penalty(body, ARTICLES);
    let fine = body.get("fine_wan_yuan").and_then(Value::as_f64).unwrap_or(0.0);
    if fine > 0.0 {
        let fining = fining_articles(basis);
        let category = body.get("subject_category").and_then(Value::as_str);
        out.extend(fine_on_organisation(&fining, category));
        out.extend(per_head_fine(&fining, fine));
    }
    out
}

/// The declared articles `legal_basis` cites that provide a fine.
fn fining_articles(legal_basis: &str) -> Vec<&'static PenaltyArticle> {
    ARTICLES
        .iter()
        .filter(|a| a.provides.is_empty() || a.provides.contains(&"罚款"))
        .filter(|a| cites_article(legal_basis, a.regulation, a.article))
        .collect()
}

/// A fine under 娱乐场所管理条例第四十三条 alone falls on the responsible
/// persons (直接负责的主管人员和其他直接责任人员), never on the venue:
/// error `fine-on-organisation` when the subject is not a natural person.
///
/// # Source
/// 娱乐场所管理条例第四十三条.
fn fine_on_organisation(fining: &[&PenaltyArticle], category: Option<&str>) -> Option<Violation> {
    let only_43 = matches!(fining, [a] if a.regulation == VENUE && a.article == "第四十三条");
    (only_43 && category.is_some_and(|c| c != "自然人")).then(|| {
        Violation::error(
            "/fine_wan_yuan",
            "fine-on-organisation",
            "《娱乐场所管理条例》第四十三条的罚款只能处以直接负责的主管人员和其他直接责任人员（自然人），不能处以娱乐场所",
            "娱乐场所管理条例 article 43 fines the responsible persons (natural persons), not the venue",
        )
    })
}

/// A fine under 娱乐场所管理条例第五十二条 alone is 5000 元 per minor employed
/// per month: error `fine-not-per-head` unless it is a whole multiple of
/// 0.5 万元 (a fine below 0.5 is already out of range).
///
/// # Source
/// 娱乐场所管理条例第五十二条.
fn per_head_fine(fining: &[&PenaltyArticle], fine: f64) -> Option<Violation> {
    let only_52 = matches!(fining, [a] if a.regulation == VENUE && a.article == "第五十二条");
    let heads = fine / 0.5;
    (only_52 && heads >= 1.0 - 1e-9 && (heads - heads.round()).abs() > 1e-6).then(|| {
        Violation::error(
            "/fine_wan_yuan",
            "fine-not-per-head",
            format!("《娱乐场所管理条例》第五十二条按每招用一名未成年人每月5000元处罚，罚款{fine}万元不是0.5万元的整数倍"),
            format!("娱乐场所管理条例 article 52 fines 5000 yuan per minor per month; {fine} wan yuan is not a multiple of 0.5"),
        )
    })
}

/// Check one licence body: the SDK's shared checks (validity in order), and
/// an agency's performance licence from a provincial authority (warning
/// `licence-authority-level`).
pub fn licence(body: &Value) -> Vec<Violation> {
    let mut out = checks::licence(body);
    out.extend(agency_licence_authority(body));
    out
}

/// Words that name a provincial culture authority or the ministry.
pub(crate) const PROVINCIAL: [&str; 9] =
    ["省", "自治区", "北京市", "天津市", "上海市", "重庆市", "兵团", "文化和旅游部", "文化部"];

/// A performance licence of an agency (演出经纪机构) is issued by the
/// province (or, foreign-invested, the ministry): warning
/// `licence-authority-level` when 许可机关 names neither.
///
/// # Source
/// 营业性演出管理条例第六条、第十条、第十一条.
fn agency_licence_authority(body: &Value) -> Option<Violation> {
    let text = |f: &str| body.get(f).and_then(Value::as_str).unwrap_or_default();
    let agency = text("certificate_name") == "营业性演出许可证" && text("licence_content").contains("演出经纪机构");
    let authority = text("authority");
    (agency && !authority.is_empty() && !PROVINCIAL.iter().any(|w| authority.contains(w))).then(|| {
        Violation::warning(
            "/authority",
            "licence-authority-level",
            format!("演出经纪机构的营业性演出许可证由省级文化主管部门（外商投资的由国务院文化主管部门）颁发，许可机关“{authority}”不是省级机关，请核实（营业性演出管理条例第六条、第十条、第十一条）"),
            format!("an agency's performance licence is issued by a provincial authority (营业性演出管理条例 articles 6, 10, 11), not {authority:?}; please verify"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(basis: &str, types: &str, fine: Option<f64>) -> Value {
        let mut b = json!({
            "subject_category": "法人及非法人组织", "legal_basis": basis, "penalty_types": types,
            "penalty_content": types, "decision_date": "2025-03-18"
        });
        if let Some(f) = fine {
            b["fine_wan_yuan"] = json!(f);
        }
        b
    }

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    const CAFE_31: &str = "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项";

    #[test]
    fn every_article_is_declared_once() {
        let mut seen: Vec<(&str, &str)> = ARTICLES.iter().map(|a| (a.regulation, a.article)).collect();
        assert_eq!(seen.len(), 34);
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 34, "an article is declared twice");
    }

    #[test]
    fn cafe_fine_above_15000_yuan_is_rejected() {
        let v = penalty(&body(CAFE_31, "警告；罚款", Some(1.6)));
        assert_eq!(codes(&v), [("fine-out-of-range", false)]);
        assert_eq!(v[0].pointer, "/fine_wan_yuan");
        assert!(penalty(&body(CAFE_31, "警告；罚款", Some(1.5))).is_empty());
    }

    #[test]
    fn cafe_article_31_orders_a_warning() {
        assert_eq!(codes(&penalty(&body(CAFE_31, "罚款", Some(0.5)))), [("required-type-missing", true)]);
    }

    #[test]
    fn cafe_article_33_provides_no_confiscation() {
        let basis = "《互联网上网服务营业场所管理条例》第二十三条、第三十三条第（三）项";
        let v = penalty(&body(basis, "警告；没收违法所得", None));
        assert_eq!(codes(&v), [("type-not-provided", false)]);
    }

    #[test]
    fn unlicensed_cafe_fine_has_a_fixed_floor_and_a_ceiling_by_turnover() {
        let basis = "《互联网上网服务营业场所管理条例》第七条、第二十七条";
        let types = "罚款；没收违法所得、没收非法财物；其他";
        // 1万元 is the least of every tier (经营额≥1万: 5–10倍), so below it is an error.
        let v = penalty(&body(basis, types, Some(0.8)));
        assert_eq!(codes(&v), [("fine-out-of-range", false)]);
        assert!(v[0].message.contains("低于"), "{}", v[0].message);
        assert!(penalty(&body(basis, types, Some(4.75))).is_empty());
        // Above 5万元 only a turnover of 1万元 or more allows it: a warning.
        assert_eq!(codes(&penalty(&body(basis, types, Some(8.0)))), [("fine-depends-on-turnover", true)]);
    }

    #[test]
    fn performance_article_44_accepts_every_tier() {
        let basis = "《营业性演出管理条例》第十三条、第四十四条第一款";
        // 第一款 (5万–10万), 第二款 warning tier (3万以下), 第三款 (3万–5万).
        for fine in [9.45, 2.0, 4.0] {
            assert!(penalty(&body(basis, "罚款；没收违法所得、没收非法财物；其他", Some(fine))).is_empty(), "{fine}");
        }
        let v = penalty(&body(basis, "罚款", Some(12.0)));
        assert_eq!(codes(&v), [("fine-depends-on-turnover", true)]);
    }

    #[test]
    fn lip_syncing_fine_is_fixed_by_article_47() {
        let basis = "《营业性演出管理条例》第二十八条、第四十七条第一款第（三）项和第三款";
        assert!(penalty(&body(basis, "罚款", Some(5.1))).is_empty());
        assert_eq!(codes(&penalty(&body(basis, "罚款", Some(12.0)))), [("fine-out-of-range", false)]);
        assert_eq!(codes(&penalty(&body(basis, "罚款", Some(0.3)))), [("fine-out-of-range", false)]);
    }

    #[test]
    fn venue_closure_provides_no_fine() {
        let v = penalty(&body("《娱乐场所管理条例》第九条、第四十一条", "罚款；其他", Some(1.0)));
        assert_eq!(codes(&v), [("type-not-provided", false), ("fine-not-provided", false)]);
        assert!(penalty(&body("《娱乐场所管理条例》第九条、第四十一条", "其他", None)).is_empty());
    }

    #[test]
    fn article_43_fines_the_responsible_persons_not_the_venue() {
        let basis = "《娱乐场所管理条例》第十四条、第四十三条";
        let v = penalty(&body(basis, "罚款；吊销许可证件", Some(1.5)));
        assert!(codes(&v).contains(&("fine-on-organisation", false)), "{v:?}");
        let mut person = body(basis, "罚款", Some(1.5));
        person["subject_category"] = json!("自然人");
        assert!(penalty(&person).is_empty());
    }

    #[test]
    fn employing_minors_is_fined_per_head_and_month() {
        let basis = "《娱乐场所管理条例》第二十四条、第五十二条";
        assert!(penalty(&body(basis, "罚款", Some(1.5))).is_empty());
        assert_eq!(codes(&penalty(&body(basis, "罚款", Some(0.8)))), [("fine-not-per-head", false)]);
        assert_eq!(codes(&penalty(&body(basis, "罚款", Some(0.3)))), [("fine-out-of-range", false)]);
    }

    #[test]
    fn implementing_rules_are_not_read_as_the_regulation() {
        // 实施细则第五十三条 is not 营业性演出管理条例第五十三条 (which provides no fine).
        let basis = "《营业性演出管理条例》第四十三条第一款第(一)项；《营业性演出管理条例实施细则》第五十三条第一款";
        assert!(penalty(&body(basis, "罚款；没收违法所得；没收非法财物", Some(5.0))).is_empty());
        assert!(!cites_article(basis, PERFORMANCE, "第五十三条"));
        assert!(cites_article(basis, PERFORMANCE, "第四十三条"));
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
    fn agency_licence_from_a_county_bureau_is_a_warning() {
        let l = |authority: &str| {
            licence(&json!({
                "certificate_name": "营业性演出许可证", "licence_content": "演出经纪机构", "authority": authority,
                "decision_date": "2020-05-04"
            }))
        };
        assert!(l("河南省文化和旅游厅").is_empty());
        assert!(l("北京市文化和旅游局").is_empty());
        assert_eq!(codes(&l("中牟县文化广电和旅游局")), [("licence-authority-level", true)]);
    }

    #[test]
    fn licence_validity_must_not_be_reversed() {
        let v = licence(&json!({"valid_from": "2020-01-01", "valid_to": "2019-01-01", "decision_date": "2020-01-01"}));
        assert_eq!(v[0].code, "validity-reversed");
    }
}
