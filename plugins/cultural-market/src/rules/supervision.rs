//! Key supervision (重点监管) of an applicant after repeated violations within
//! the period its regulation names, and one statutory condition that follows
//! from a recent violation. They read the applicant's own penalties only,
//! count decisions in the two years up to the check date, and give
//! `caution` (or `standard`, for the condition): none of them bars a licence.

use super::record_text;
use crate::checks::{CAFE, PERFORMANCE, VENUE};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// A supervision rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Chinese title.
    pub title: &'static str,
    /// Regulation and article.
    pub basis: &'static str,
}

/// 网吧接纳未成年人的处罚在公示期内.
pub const CAFE_MINORS: Rule = Rule {
    id: "cafe-minors-supervision",
    title: "网吧因接纳未成年人受到处罚且仍在公示期内的，列为重点监管对象",
    basis: "互联网上网服务营业场所管理条例第二十一条、第二十八条、第三十一条第（二）项",
};
/// 娱乐场所2年内3次警告或者罚款.
pub const VENUE_WARNINGS: Rule = Rule {
    id: "venue-repeat-violations",
    title: "娱乐场所2年内被处以3次警告或者罚款的，再有违法行为应责令停业整顿3个月至6个月，列为重点监管对象",
    basis: "娱乐场所管理条例第五十三条第三款",
};
/// 娱乐场所2年内2次责令停业整顿.
pub const VENUE_SUSPENSIONS: Rule = Rule {
    id: "venue-repeat-suspensions",
    title: "娱乐场所2年内被2次责令停业整顿的，再有违法行为应由原发证机关吊销娱乐经营许可证，列为重点监管对象",
    basis: "娱乐场所管理条例第五十三条第三款",
};
/// 2年内2次受到营业性演出行政处罚.
pub const PERFORMANCE_REPEAT: Rule = Rule {
    id: "performance-repeat-violations",
    title: "2年内2次受到营业性演出行政处罚的，再有违法行为应当从重处罚，列为重点监管对象",
    basis: "营业性演出管理条例第五十三条第三款",
};
/// 因第四十七条所列行为被向社会公布.
pub const PERFORMANCE_NOTICE: Rule = Rule {
    id: "performance-public-notice",
    title: "因假唱、非因不可抗力中止演出等行为被向社会公布的，2年内再次被公布将吊销营业性演出许可证，列为重点监管对象",
    basis: "营业性演出管理条例第四十七条第一款",
};
/// 2年内有违反营业性演出管理条例的记录: 不得举办涉外及港澳台演出.
pub const FOREIGN_SHOWS: Rule = Rule {
    id: "performance-foreign-show-condition",
    title: "举办营业性演出前2年内有违反营业性演出管理条例记录的，不得举办外国或者港澳台文艺表演团体、个人参加的营业性演出",
    basis: "营业性演出管理条例第十四条第二款第（三）项",
};

const RULES: [Rule; 6] =
    [CAFE_MINORS, VENUE_WARNINGS, VENUE_SUSPENSIONS, PERFORMANCE_REPEAT, PERFORMANCE_NOTICE, FOREIGN_SHOWS];

/// The catalogue entries.
pub fn catalogue() -> impl Iterator<Item = RuleInfo> {
    RULES.iter().map(|r| RuleInfo { id: r.id.into(), title: r.title.into(), legal_basis: r.basis.into() })
}

/// A penalty for admitting minors to an internet café.
///
/// # Source
/// 互联网上网服务营业场所管理条例第二十一条第一款、第三十一条第（二）项.
pub fn admits_minors_to_cafe(r: &CreditRecord) -> bool {
    let basis = &r.legal_basis;
    r.cites(CAFE)
        && (cites_article(basis, CAFE, "第二十一条")
            || ["第三十一条第（二）项", "第三十一条第(二)项", "第三十一条第二项"]
                .iter()
                .any(|a| cites_article(basis, CAFE, a))
            || record_text(r).contains("接纳未成年人"))
}

/// Every supervision finding on `request`.
pub fn findings(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let own: Vec<&CreditRecord> =
        request.records.iter().filter(|r| r.kind == "penalty" && r.subject_key == request.subject.key).collect();
    // Penalties under `regulation` decided in the two years up to `as_of`, newest first.
    let recent = |regulation: &str| -> Vec<(&CreditRecord, NaiveDate)> {
        let from = add_years(as_of, -2);
        let mut v: Vec<_> = own
            .iter()
            .filter(|r| r.cites(regulation))
            .filter_map(|r| r.decision_date.as_deref().and_then(date).map(|d| (*r, d)))
            .filter(|(_, d)| *d > from && *d <= as_of)
            .collect();
        v.sort_by_key(|(_, d)| std::cmp::Reverse(*d));
        v
    };
    let mut out = Vec::new();

    let minors: Vec<&CreditRecord> = own.iter().copied().filter(|r| r.publicized && admits_minors_to_cafe(r)).collect();
    if !minors.is_empty() {
        let f = FindingBuilder::new(CAFE_MINORS.id, Outcome::Caution)
            .basis(CAFE_MINORS.basis)
            .measure("重点监管")
            .measure("审慎审查")
            .message(format!("公示期内有{}条接纳未成年人进入网吧的处罚记录", minors.len()));
        out.push(minors.iter().fold(f, |f, r| f.evidence(r.id.clone())).build());
    }

    let venue = recent(VENUE);
    let has = |r: &CreditRecord, w: &str| r.penalty_types.iter().any(|t| t.contains(w));
    let warned: Vec<_> = venue.iter().copied().filter(|(r, _)| has(r, "警告") || has(r, "罚款")).collect();
    out.extend(repeated(
        VENUE_WARNINGS,
        &warned,
        3,
        "次警告或者罚款，再有违反娱乐场所管理条例的行为应责令停业整顿3个月至6个月",
    ));
    let suspended: Vec<_> =
        venue.iter().copied().filter(|(r, _)| has(r, "停业") || r.content.contains("停业整顿")).collect();
    out.extend(repeated(
        VENUE_SUSPENSIONS,
        &suspended,
        2,
        "次责令停业整顿，再有违反娱乐场所管理条例的行为应吊销娱乐经营许可证",
    ));

    let performance = recent(PERFORMANCE);
    out.extend(repeated(PERFORMANCE_REPEAT, &performance, 2, "次营业性演出行政处罚，再有违法行为应当从重处罚"));
    let noticed: Vec<_> =
        performance.iter().copied().filter(|(r, _)| cites_article(&r.legal_basis, PERFORMANCE, "第四十七条")).collect();
    let notice_what = if noticed.len() >= 2 {
        "次因第四十七条第一款所列行为受到处罚并被向社会公布，依法应由原发证机关吊销营业性演出许可证（个体演员由工商行政管理部门吊销营业执照）"
    } else {
        "次因第四十七条第一款所列行为受到处罚并被向社会公布，2年内再次被公布的将吊销营业性演出许可证"
    };
    out.extend(repeated(PERFORMANCE_NOTICE, &noticed, 1, notice_what));

    let performance_licence = request.licence_type.as_deref().is_none_or(|t| t == "commercial-performance");
    if performance_licence && let Some((latest, decided)) = performance.first() {
        out.push(
            FindingBuilder::new(FOREIGN_SHOWS.id, Outcome::Standard)
                .basis(FOREIGN_SHOWS.basis)
                .measure("不得举办外国或者港澳台文艺表演团体、个人参加的营业性演出")
                .message(format!(
                    "{decided}受到营业性演出行政处罚（{}），至{}止不具备举办外国或者港澳台文艺表演团体、个人参加的营业性演出的条件",
                    latest.decision_number,
                    add_years(*decided, 2)
                ))
                .evidence(latest.id.clone())
                .until(add_years(*decided, 2).to_string())
                .build(),
        );
    }
    out
}

/// A `caution` finding of `rule` when `records` (newest first) holds at
/// least `threshold` decisions; it lasts until the `threshold`-th newest
/// leaves the two-year window.
fn repeated(rule: Rule, records: &[(&CreditRecord, NaiveDate)], threshold: usize, what: &str) -> Option<Finding> {
    let (_, kth) = records.get(threshold.checked_sub(1)?)?;
    let f = FindingBuilder::new(rule.id, Outcome::Caution)
        .basis(rule.basis)
        .measure("重点监管")
        .message(format!("2年内已受到{}{what}", records.len()))
        .until(add_years(*kth, 2).to_string());
    Some(records.iter().fold(f, |f, (r, _)| f.evidence(r.id.clone())).build())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn record(id: &str, basis: &str, types: &str, decided: &str) -> Value {
        json!({
            "id": id, "sector": "cultural-market", "kind": "penalty", "subject_key": "s",
            "decision_number": format!("罚字{id}"), "decision_date": decided, "legal_basis": basis,
            "penalty_types": types.split('；').collect::<Vec<_>>(), "content": types, "publicized": true
        })
    }

    fn rules(licence_type: &str, records: Vec<Value>) -> Vec<(String, Outcome, Option<String>)> {
        let req: InspectRequest = serde_json::from_value(json!({
            "subject": {"key": "s", "kind": "organisation", "name": "某单位"},
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30", "records": records
        }))
        .unwrap();
        findings(&req, date(&req.as_of).unwrap()).into_iter().map(|f| (f.rule_id.0, f.outcome, f.until)).collect()
    }

    const KTV: &str = "《娱乐场所管理条例》第二十三条、第四十八条第（三）项";

    #[test]
    fn three_venue_fines_in_two_years_call_for_key_supervision() {
        let three = vec![
            record("a", KTV, "罚款", "2024-12-10"),
            record("b", KTV, "罚款", "2025-12-03"),
            record("c", KTV, "罚款", "2026-06-30"),
        ];
        assert_eq!(
            rules("entertainment-venue", three.clone()),
            [("venue-repeat-violations".into(), Outcome::Caution, Some("2026-12-10".into()))]
        );
        // The oldest fell out of the window: two are not enough.
        let mut two = three;
        two[0]["decision_date"] = json!("2024-11-30");
        assert!(rules("entertainment-venue", two).is_empty());
    }

    #[test]
    fn two_venue_suspensions_in_two_years_call_for_key_supervision() {
        let r = vec![
            record("a", KTV, "责令停产停业", "2025-01-10"),
            record("b", "《娱乐场所管理条例》第四十九条第（二）项", "警告；责令停产停业", "2026-02-01"),
        ];
        assert_eq!(
            rules("entertainment-venue", r),
            [("venue-repeat-suspensions".into(), Outcome::Caution, Some("2027-01-10".into()))]
        );
    }

    #[test]
    fn one_lip_syncing_notice_warns_of_revocation_and_bars_foreign_shows() {
        let basis = "《营业性演出管理条例》第二十八条、第四十七条第一款第（三）项和第三款";
        assert_eq!(
            rules("commercial-performance", vec![record("a", basis, "罚款", "2025-05-21")]),
            [
                ("performance-public-notice".into(), Outcome::Caution, Some("2027-05-21".into())),
                ("performance-foreign-show-condition".into(), Outcome::Standard, Some("2027-05-21".into())),
            ]
        );
        // Not shown when the licence applied for is another sector's kind.
        assert_eq!(rules("internet-cafe", vec![record("a", basis, "罚款", "2025-05-21")]).len(), 1);
    }

    #[test]
    fn two_performance_penalties_in_two_years_mean_a_heavier_penalty_next() {
        let basis = "《营业性演出管理条例》第十三条、第四十四条第一款";
        let got = rules(
            "commercial-performance",
            vec![record("a", basis, "罚款", "2024-12-14"), record("b", basis, "罚款", "2026-10-10")],
        );
        let ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(ids, ["performance-repeat-violations", "performance-foreign-show-condition"]);
    }

    #[test]
    fn cafe_minors_penalty_counts_only_while_publicized() {
        let basis = "《互联网上网服务营业场所管理条例》第三十一条第(二)项";
        let mut r = record("a", basis, "警告；罚款", "2026-02-26");
        assert_eq!(rules("internet-cafe", vec![r.clone()])[0].0, "cafe-minors-supervision");
        r["publicized"] = json!(false);
        assert!(rules("internet-cafe", vec![r]).is_empty());
    }

    #[test]
    fn other_subjects_records_are_not_counted() {
        let mut r = record("a", KTV, "罚款", "2026-01-01");
        r["subject_key"] = json!("other");
        assert!(rules("entertainment-venue", vec![r.clone(), r.clone(), r]).is_empty());
    }
}
