//! Semantic checks a JSON Schema cannot express: the shared 双公示 checks of
//! the SDK with every penalty article of 出版管理条例 (the measures an article
//! makes mandatory may be written in 处罚类别 or 处罚内容), and the sector's
//! own warnings: the closure (取缔 or 关闭) of 第六十一条, the customs article
//! 第六十四条 and the person a 第七十条第二款 revocation is against.
//!
//! The checks of the sector's own kind, the quality-inspection result, are in
//! [`crate::quality`].

use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// The regulation's title, as 处罚依据 cites it (without 《》).
pub const PUBLISHING: &str = "出版管理条例";

/// Every penalty article of 出版管理条例 (第八章 法律责任): the penalty types
/// it provides and makes mandatory, and its fine range in 万元.
///
/// # Source
/// 出版管理条例 (2020 text, `shared/reference/laws/04-publishing-2020.md`):
/// - 第六十一条: 取缔; 没收出版物、违法所得和专用工具、设备 (mandatory);
///   违法经营额1万元以上的并处5–10倍, 不足1万元的可以处5万元以下.
/// - 第六十二条: 责令限期停业整顿 and 没收 (mandatory; clerks often write the
///   停业整顿 in 处罚内容 under the type 其他, which the SDK accepts), the
///   same fines, 情节严重的吊销.
/// - 第六十三条、第六十五条: 没收 (mandatory), the same fines; 情节严重的
///   停业整顿 or 吊销.
/// - 第六十六条: 警告 and 没收 (mandatory), the same fines; 停业整顿 or 吊销.
/// - 第六十七条: 警告 (mandatory); 情节严重的停业整顿 or 吊销; no fine.
/// - 第六十八条: 没收 (mandatory); 停业整顿 or 吊销; no fine.
/// - 第六十四条: smuggling, punished by customs under 海关法; nothing to
///   check here but who decides it (a warning when it is not customs).
/// - 第六十九条: 没收 (mandatory); the other penalties of the article
///   applied may be reduced or remitted, so it is cited with that article.
/// - 第七十条第二款: 吊销出版从业人员的资格证书.
///
/// The fines of 第六十一条至第六十三条、第六十五条、第六十六条 have no
/// ceiling for a turnover of 1万元 or more (5–10 times it), which the record
/// does not give: a fine above 5万元 is only a warning. 第六十条 (discipline
/// of officials, 处分) and 第七十一条 (collection of fines) provide no
/// administrative penalty.
pub const ARTICLES: [PenaltyArticle; 10] = [
    PenaltyArticle::new(PUBLISHING, "第六十一条")
        .provides(&["取缔", "关闭", "没收", "罚款"])
        .requires(&["没收"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十二条")
        .provides(&["停业", "没收", "罚款", "吊销"])
        .requires(&["没收", "停业"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十三条")
        .provides(&["没收", "罚款", "停业", "吊销"])
        .requires(&["没收"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十四条"),
    PenaltyArticle::new(PUBLISHING, "第六十五条")
        .provides(&["没收", "罚款", "停业", "吊销"])
        .requires(&["没收"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十六条")
        .provides(&["警告", "没收", "罚款", "停业", "吊销"])
        .requires(&["警告", "没收"])
        .fine(0.0, 5.0)
        .turnover(),
    PenaltyArticle::new(PUBLISHING, "第六十七条").provides(&["警告", "停业", "吊销"]).requires(&["警告"]),
    PenaltyArticle::new(PUBLISHING, "第六十八条").provides(&["没收", "停业", "吊销"]).requires(&["没收"]),
    PenaltyArticle::new(PUBLISHING, "第六十九条").provides(&["没收"]).requires(&["没收"]),
    PenaltyArticle::new(PUBLISHING, "第七十条").provides(&["吊销"]),
];

/// The fields of a penalty body the sector's own checks read.
#[derive(Deserialize)]
struct Penalty {
    #[serde(default)]
    subject_category: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    penalty_types: String,
    #[serde(default)]
    penalty_content: String,
    #[serde(default)]
    authority: String,
}

/// Check one penalty body: the SDK's shared checks against [`ARTICLES`], then
/// the sector's own warnings.
pub fn penalty(body: &Value) -> Vec<Violation> {
    let mut out = checks::penalty(body, &ARTICLES);
    if let Ok(p) = body_as::<Penalty>(body) {
        out.extend(sector_checks(&p));
    }
    out
}

/// Check one licence body (the shared checks; the certificate name is the
/// schema's enum).
pub fn licence(body: &Value) -> Vec<Violation> {
    checks::licence(body)
}

fn cites(p: &Penalty, article: &str) -> bool {
    cites_article(&p.legal_basis, PUBLISHING, article)
}

/// Warnings for a closure of 第六十一条 that neither 处罚类别 nor 处罚内容
/// mentions (it may be written 取缔 or 关闭, which `requires` cannot say: it
/// takes every keyword as mandatory), and for articles cited against the
/// wrong authority or party.
fn sector_checks(p: &Penalty) -> Vec<Violation> {
    let text = format!("{}{}", p.penalty_types, p.penalty_content);
    let mut out = Vec::new();
    if cites(p, "第六十一条") && !text.contains("取缔") && !text.contains("关闭") {
        out.push(Violation::warning(
            "/penalty_content",
            "closure-missing",
            "《出版管理条例》第六十一条规定对擅自设立出版单位或者擅自从事出版业务等行为“予以取缔”，处罚类别和处罚内容均未载明取缔",
            "出版管理条例 第六十一条 orders closure (取缔), but neither 处罚类别 nor 处罚内容 mentions it",
        ));
    }
    if customs_only(p) && !p.authority.contains("海关") {
        out.push(Violation::warning(
            "/authority",
            "customs-article",
            "《出版管理条例》第六十四条规定走私出版物尚不够刑事处罚的，由海关依照海关法给予行政处罚；处罚机关不是海关，请核实处罚依据",
            "出版管理条例 第六十四条 leaves smuggling to customs (海关法); the deciding authority is not customs, please check the legal basis",
        ));
    }
    let other_articles = ARTICLES.iter().any(|a| a.article != "第七十条" && cites(p, a.article));
    if cites(p, "第七十条") && !other_articles && p.subject_category != "自然人" {
        out.push(Violation::warning(
            "/subject_category",
            "qualification-revocation-subject",
            "《出版管理条例》第七十条第二款吊销的是出版从业人员的资格证书，行政相对人应为自然人",
            "出版管理条例 第七十条第二款 revokes a publishing professional's qualification certificate: the subject should be a natural person",
        ));
    }
    out
}

/// Whether the record cites 第六十四条 and no other penalty article of the
/// regulation (so customs must have decided it).
fn customs_only(p: &Penalty) -> bool {
    cites(p, "第六十四条") && !ARTICLES.iter().any(|a| a.article != "第六十四条" && cites(p, a.article))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(basis: &str, types: &str, content: &str, fine: Option<f64>) -> Value {
        let mut b = json!({
            "subject_category": "法人及非法人组织", "legal_basis": basis, "penalty_types": types,
            "penalty_content": content, "decision_date": "2025-06-01", "authority": "郑州市文化广电和旅游局"
        });
        if let Some(f) = fine {
            b["fine_wan_yuan"] = json!(f);
        }
        b
    }

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    #[test]
    fn prohibited_content_penalty_with_suspension_in_content_passes() {
        let b = body(
            "《出版管理条例》第二十五条、第六十二条第（一）项",
            "罚款；没收违法所得、没收非法财物；其他",
            "责令限期停业整顿，没收出版物；罚款人民币34000元",
            Some(3.4),
        );
        assert!(penalty(&b).is_empty(), "{:?}", penalty(&b));
    }

    #[test]
    fn article_62_without_suspension_is_a_warning() {
        let b = body("《出版管理条例》第六十二条第（一）项", "没收违法所得", "没收出版物", None);
        let v = penalty(&b);
        assert_eq!(codes(&v), [("required-type-missing", true)]);
        assert!(v[0].message.contains("第六十二条规定应当给予“停业”"), "{v:?}");
    }

    #[test]
    fn article_67_gives_no_fine_and_requires_a_warning() {
        let b = body("《出版管理条例》第六十七条第（三）项", "罚款", "罚款", Some(0.5));
        assert_eq!(
            codes(&penalty(&b)),
            [("type-not-provided", false), ("required-type-missing", true), ("fine-not-provided", false)]
        );
        assert!(
            penalty(&body("《出版管理条例》第六十七条第（三）项", "警告；其他", "责令改正；给予警告", None)).is_empty()
        );
    }

    #[test]
    fn article_68_gives_no_fine() {
        let b = body("《出版管理条例》第四十八条、第六十八条", "罚款；没收违法所得", "没收出版物，罚款", Some(1.0));
        assert_eq!(codes(&penalty(&b)), [("type-not-provided", false), ("fine-not-provided", false)]);
    }

    #[test]
    fn turnover_dependent_fine_above_5_wan_is_only_a_warning() {
        let b = body(
            "《出版管理条例》第六十六条第（一）项",
            "警告；罚款；没收违法所得",
            "给予警告，没收违法所得，罚款12万元",
            Some(12.0),
        );
        assert_eq!(codes(&penalty(&b)), [("fine-depends-on-turnover", true)]);
    }

    #[test]
    fn unlicensed_publishing_must_be_closed_down() {
        let b = body("《出版管理条例》第六十一条", "没收违法所得；罚款", "没收出版物，罚款2万元", Some(2.0));
        assert_eq!(codes(&penalty(&b)), [("closure-missing", true)]);
        let b =
            body("《出版管理条例》第六十一条", "没收违法所得；罚款", "依法予以取缔，没收出版物，罚款2万元", Some(2.0));
        assert!(penalty(&b).is_empty());
    }

    #[test]
    fn smuggling_article_is_for_customs_and_qualification_revocation_for_persons() {
        let b = body("《出版管理条例》第六十四条", "没收非法财物", "没收走私出版物", None);
        assert_eq!(codes(&penalty(&b)), [("customs-article", true)]);
        let mut b = body("《出版管理条例》第七十条第二款", "吊销许可证件", "吊销出版专业技术人员职业资格证书", None);
        b["revoked_certificate"] = json!("出版专业技术人员职业资格证书 No.0001");
        assert_eq!(codes(&penalty(&b)), [("qualification-revocation-subject", true)]);
        b["subject_category"] = json!("自然人");
        assert!(penalty(&b).is_empty());
    }

    #[test]
    fn other_regulations_are_not_checked_against_these_articles() {
        let b = body(
            "《网络出版服务管理规定》第五十一条",
            "罚款；其他",
            "删除全部相关网络出版物，并处3000元罚款",
            Some(0.3),
        );
        assert!(penalty(&b).is_empty());
    }
}
