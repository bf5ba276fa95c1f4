//! The penalty articles of the sector's two regulations, as data: the
//! penalty types each provides and makes mandatory, and its fine range in
//! 万元.
//!
//! - 印刷业管理条例 (2020), 第六章 罚则: 第三十六条 to 第四十四条. 第四十五条 is a
//!   ban on persons ([`crate::rules`]), 第四十六条 is about collecting fines and
//!   第四十七条 disciplines officials: neither penalises a subject.
//! - 出版管理条例 (2020), 第八章 法律责任: 第六十一条 to 第六十八条 and 第七十条第二款.
//!   第六十四条 is not declared: smuggling is punished by customs under the
//!   海关法, not by this bureau. 第六十六条 concerns publishers (出版单位) and
//!   第六十七条 mostly publishers; both are declared so that a record citing
//!   them is still checked. 第六十九条 (the source of an illegal publication
//!   disclosed) lets the authority reduce or remit the other penalties:
//!   records citing it are not held to the mandatory types.
//!
//! Fines: every article of 印刷业管理条例 with a fine orders, for an illegal
//! turnover under 10,000 yuan, 并处1万元以上5万元以下, and above it 5 to 10
//! times the turnover — at least 5万. The record gives no turnover, so a fine
//! above 5万 is only a warning, but a fine under 1万 is below both branches and
//! refused (`fine-out-of-range`) unless the record cites a reduction
//! ([`for_basis`] then drops the floor). 出版管理条例
//! allows, under 10,000 yuan of turnover, 可以处5万元以下: no floor.
//!
//! Types: 取缔 (closure of an unlicensed business) is reported under 处罚类别 as
//! 责令关闭 (行政处罚法第九条第四项) or as 其他 with 取缔 in 处罚内容; both are
//! accepted where the article orders 取缔. `requires` lists what the article
//! orders unconditionally (给予警告, 并处罚款 in both turnover branches, 没收,
//! 责令停业整顿); a record without it is only warned.

use credit_sdk::checks::PenaltyArticle;
use credit_sdk::schema::cites_article;

/// 《出版管理条例》 (2020 revision) without 《》.
pub const PUBLISHING: &str = "出版管理条例";
/// 《印刷业管理条例》 (2020 revision) without 《》.
pub const PRINTING: &str = "印刷业管理条例";
/// 《行政处罚法》 (2021) without 《》.
pub const PENALTY_LAW: &str = "行政处罚法";

const CLOSURE: &[&str] = &["取缔", "关闭", "没收", "罚款"];
const SUSPEND_FINE_REVOKE: &[&str] = &["停业", "没收", "罚款", "吊销"];
const WARN_FINE_REVOKE: &[&str] = &["警告", "没收", "罚款", "停业", "吊销"];
const WARN_REVOKE: &[&str] = &["警告", "停业", "吊销"];
const FINE_REVOKE: &[&str] = &["没收", "罚款", "停业", "吊销"];

/// Every penalty article of both regulations, whole articles.
///
/// # Source
/// 印刷业管理条例第三十六条至第四十四条; 出版管理条例第六十一条至第六十三条、
/// 第六十五条至第六十八条、第七十条第二款 (texts in
/// `/work/shared/reference/laws/05-printing-2020.md` and `04-publishing-2020.md`).
pub const ARTICLES: [PenaltyArticle; 17] = [
    // 擅自设立或者擅自从事印刷经营活动: 取缔, 没收, 并处罚款.
    PenaltyArticle::new(PRINTING, "第三十六条").provides(CLOSURE).requires(&["没收", "罚款"]).fine(1.0, 5.0).turnover(),
    // 擅自兼营、变更、兼并; 合并分立未办手续; 转让许可证: 停业整顿, 没收, 并处罚款; 情节严重的吊销.
    PenaltyArticle::new(PRINTING, "第三十七条")
        .provides(SUSPEND_FINE_REVOKE)
        .requires(&["停业", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 印刷含第三条禁止内容的印刷品, 国家明令禁止出版的或者非出版单位出版的出版物.
    PenaltyArticle::new(PRINTING, "第三十八条")
        .provides(SUSPEND_FINE_REVOKE)
        .requires(&["停业", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 制度不健全, 不报告, 不备案, 不留存: 警告; 情节严重的停业整顿或者吊销.
    PenaltyArticle::new(PRINTING, "第三十九条").provides(WARN_REVOKE).requires(&["警告"]),
    // 出版物印刷企业: 警告, 没收违法所得, 并处罚款; 情节严重的停业整顿或者吊销.
    PenaltyArticle::new(PRINTING, "第四十条")
        .provides(WARN_FINE_REVOKE)
        .requires(&["警告", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 包装装潢印刷品印刷企业: the same.
    PenaltyArticle::new(PRINTING, "第四十一条")
        .provides(WARN_FINE_REVOKE)
        .requires(&["警告", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 其他印刷品印刷企业和个人: the same.
    PenaltyArticle::new(PRINTING, "第四十二条")
        .provides(WARN_FINE_REVOKE)
        .requires(&["警告", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 布告、票证未验证证明, 伪造学历证书等: the same (第一款; 第二款 in PARAGRAPHS).
    PenaltyArticle::new(PRINTING, "第四十三条")
        .provides(WARN_FINE_REVOKE)
        .requires(&["警告", "没收", "罚款"])
        .fine(1.0, 5.0)
        .turnover(),
    // 擅自留存包装装潢印刷品, 擅自保留样本: 警告; 情节严重的停业整顿或者吊销.
    PenaltyArticle::new(PRINTING, "第四十四条").provides(WARN_REVOKE).requires(&["警告"]),
    // 未经批准擅自设立或从事出版、印刷、复制、进口、发行: 取缔, 没收, 罚款 (不足1万元的可以处5万元以下).
    PenaltyArticle::new(PUBLISHING, "第六十一条").provides(CLOSURE).requires(&["没收"]).fine(0.0, 5.0).turnover(),
    // 禁止内容的出版、进口、印刷、发行: 限期停业整顿, 没收, 罚款; 情节严重的吊销.
    PenaltyArticle::new(PUBLISHING, "第六十二条")
        .provides(SUSPEND_FINE_REVOKE)
        .requires(&["停业", "没收"])
        .fine(0.0, 5.0)
        .turnover(),
    // 发行禁止进口的、走私的出版物, 进口出版物未从进口经营单位进货.
    PenaltyArticle::new(PUBLISHING, "第六十三条").provides(FINE_REVOKE).requires(&["没收"]).fine(0.0, 5.0).turnover(),
    // 未取得许可印刷, 接受非出版单位委托, 发行未署出版单位名称、假冒名称的出版物, 未审定教科书.
    PenaltyArticle::new(PUBLISHING, "第六十五条").provides(FINE_REVOKE).requires(&["没收"]).fine(0.0, 5.0).turnover(),
    // 出版单位买卖书号、刊号, 谋取不正当利益: 警告, 没收, 罚款 (publishers).
    PenaltyArticle::new(PUBLISHING, "第六十六条")
        .provides(WARN_FINE_REVOKE)
        .requires(&["警告", "没收"])
        .fine(0.0, 5.0)
        .turnover(),
    // 未留存备查材料 (印刷或者复制单位), 发行单位未办理变更审批手续, …: 警告; 情节严重的停业或吊销.
    PenaltyArticle::new(PUBLISHING, "第六十七条").provides(WARN_REVOKE).requires(&["警告"]),
    // 未经批准举办境外出版物展览: 没收; 情节严重的停业整顿或者吊销. No fine.
    PenaltyArticle::new(PUBLISHING, "第六十八条").provides(&["没收", "停业", "吊销"]).requires(&["没收"]),
    // 第二款: 出版从业人员情节严重的, 吊销其资格证书.
    PenaltyArticle::new(PUBLISHING, "第七十条").provides(&["吊销"]).requires(&["吊销"]),
];

/// A paragraph that provides less than its whole article.
#[derive(Debug, Clone, Copy)]
pub struct Paragraph {
    /// What the paragraph provides, declared under its article's number.
    pub article: PenaltyArticle,
    /// The paragraph, e.g. `第二款`.
    pub paragraph: &'static str,
}

/// Paragraphs used instead of their article when a record cites the
/// paragraph and not the first one.
///
/// # Source
/// 印刷业管理条例第三十九条第二款 (单位内部印刷厂未登记: 警告, 情节严重的停业整顿 —
/// it holds no licence to revoke); 第四十一条第二款 (工商行政管理部门: 警告, 没收,
/// 罚款, no suspension or revocation); 第四十三条第二款 (委托印刷单位未取得主管部门
/// 证明: 500元以上5000元以下的罚款, nothing else).
pub const PARAGRAPHS: [Paragraph; 3] = [
    Paragraph {
        article: PenaltyArticle::new(PRINTING, "第三十九条").provides(&["警告", "停业"]).requires(&["警告"]),
        paragraph: "第二款",
    },
    Paragraph {
        article: PenaltyArticle::new(PRINTING, "第四十一条")
            .provides(&["警告", "没收", "罚款"])
            .requires(&["警告", "没收", "罚款"])
            .fine(1.0, 5.0)
            .turnover(),
        paragraph: "第二款",
    },
    Paragraph {
        article: PenaltyArticle::new(PRINTING, "第四十三条").provides(&["罚款"]).requires(&["罚款"]).fine(0.05, 0.5),
        paragraph: "第二款",
    },
];

/// Whether `legal_basis` cites `paragraph` (`第二款`) of `article` of the
/// regulation titled `regulation`, written out (`第四十三条第二款`) or after
/// other parts of the article (`第四十三条第一款第（一）项、第二款`).
pub fn cites_paragraph(legal_basis: &str, regulation: &str, article: &str, paragraph: &str) -> bool {
    let mut rest = legal_basis;
    while let Some(at) = rest.find(regulation) {
        let after = &rest[at + regulation.len()..];
        rest = after;
        // The whole title: 《…条例实施细则》 is another text.
        if !after.trim_start_matches(['》', ' ', '\u{3000}']).starts_with('第') {
            continue;
        }
        let mut segment = &after[..after.find('《').unwrap_or(after.len())];
        while let Some(i) = segment.find(article) {
            segment = &segment[i + article.len()..];
            // The article's own parts run up to the next article (…条).
            if segment[..segment.find('条').unwrap_or(segment.len())].contains(paragraph) {
                return true;
            }
        }
    }
    false
}

/// Whether `legal_basis` cites a reduction or remission of the penalty:
/// 行政处罚法第三十二条 (应当从轻或者减轻) or 出版管理条例第六十九条 (来源说明、指认
/// 属实的, 可以减轻或者免除其他行政处罚).
pub fn cites_reduction(legal_basis: &str) -> bool {
    cites_article(legal_basis, PENALTY_LAW, "第三十二条") || cites_article(legal_basis, PUBLISHING, "第六十九条")
}

/// The articles to check a record citing `legal_basis` against: [`ARTICLES`]
/// with a cited paragraph of [`PARAGRAPHS`] in place of its article (both,
/// when the first paragraph is cited too), and without mandatory types or a
/// fine floor when the record cites a reduction ([`cites_reduction`]:
/// 减轻处罚 goes below the article's minimum).
pub fn for_basis(legal_basis: &str) -> Vec<PenaltyArticle> {
    let mut out = Vec::with_capacity(ARTICLES.len());
    for a in ARTICLES {
        let paragraph = PARAGRAPHS.iter().find(|p| {
            p.article.regulation == a.regulation
                && p.article.article == a.article
                && cites_paragraph(legal_basis, a.regulation, a.article, p.paragraph)
        });
        match paragraph {
            Some(p) => {
                out.push(p.article);
                if cites_paragraph(legal_basis, a.regulation, a.article, "第一款") {
                    out.push(a);
                }
            }
            None => out.push(a),
        }
    }
    if cites_reduction(legal_basis) {
        for a in &mut out {
            a.requires = &[];
            a.min_wan_yuan = 0.0;
        }
    }
    out
}

/// The articles of `articles` that `legal_basis` cites.
pub fn cited<'a>(legal_basis: &str, articles: &'a [PenaltyArticle]) -> Vec<&'a PenaltyArticle> {
    articles.iter().filter(|a| cites_article(legal_basis, a.regulation, a.article)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_paragraph_replaces_its_article_unless_the_first_is_cited_too() {
        let only = for_basis("《印刷业管理条例》第四十三条第二款");
        let c = cited("《印刷业管理条例》第四十三条第二款", &only);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].article, c[0].max_wan_yuan), ("第四十三条", Some(0.5)));
        let both = "《印刷业管理条例》第四十三条第一款第（一）项、第二款";
        assert_eq!(cited(both, &for_basis(both)).len(), 2);
        let first = "《印刷业管理条例》第四十三条第一款第（二）项";
        assert_eq!(cited(first, &for_basis(first))[0].article, "第四十三条");
    }

    #[test]
    fn paragraphs_are_read_within_their_article_only() {
        assert!(cites_paragraph("《印刷业管理条例》第四十三条第二款", PRINTING, "第四十三条", "第二款"));
        assert!(cites_paragraph(
            "《印刷业管理条例》第四十三条第一款第（一）项、第二款",
            PRINTING,
            "第四十三条",
            "第二款"
        ));
        assert!(!cites_paragraph("《印刷业管理条例》第四十三条、第四十四条第二款", PRINTING, "第四十三条", "第二款"));
        assert!(!cites_paragraph(
            "《印刷业管理条例》第四十三条；《出版管理条例》第二款",
            PRINTING,
            "第四十三条",
            "第二款"
        ));
    }

    #[test]
    fn a_cited_reduction_drops_the_mandatory_types_and_the_floor() {
        let basis = "《出版管理条例》第六十五条第（五）项、第六十九条";
        assert!(cited(basis, &for_basis(basis)).iter().all(|a| a.requires.is_empty()));
        let basis = "《印刷业管理条例》第四十一条；《行政处罚法》第三十二条";
        assert!(cited(basis, &for_basis(basis)).iter().all(|a| a.min_wan_yuan == 0.0));
        let basis = "《印刷业管理条例》第四十一条";
        assert_eq!(cited(basis, &for_basis(basis))[0].min_wan_yuan, 1.0);
        assert!(!cited("《出版管理条例》第六十五条", &for_basis("《出版管理条例》第六十五条"))[0].requires.is_empty());
    }

    #[test]
    fn article_numbers_do_not_match_their_neighbours() {
        // 第四十条 is not 第四十一条 and 第三条 is not 第四十三条.
        assert!(!cites_article("《印刷业管理条例》第四十一条", PRINTING, "第四十条"));
        assert!(!cites_article("《印刷业管理条例》第四十三条", PRINTING, "第三条"));
        assert!(!cites_article("《印刷业管理条例》第四十一条", PUBLISHING, "第四十一条"));
    }
}
