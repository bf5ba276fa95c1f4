//! Inspection rules: the 10-year ban of 出版管理条例第七十条第一款 on the
//! persons of a unit whose licence was revoked, the closure of the applicant's
//! own unlicensed publishing (第六十一条), a revoked qualification
//! certificate (第七十条第二款), and key supervision after prohibited
//! content, trading in book and periodical numbers, repeated violations and
//! failed quality inspections.
//!
//! A rule reads other sectors' records only through the 双公示 envelope; the
//! bodies it reads are those of this sector's own `quality-inspection` kind.
//! Records decided after the check date are ignored, so a check replays the
//! same on any day.

use crate::checks::PUBLISHING;
use crate::quality::{self, QualityInspection};
use chrono::NaiveDate;
use credit_sdk::prelude::*;
use std::collections::BTreeMap;

/// The 10-year ban on persons after a revocation under 出版管理条例.
///
/// # Source
/// 出版管理条例第七十条第一款: 单位违反本条例被处以吊销许可证行政处罚的，其法定
/// 代表人或者主要负责人自许可证被吊销之日起10年内不得担任出版、印刷或者复制、
/// 进口、发行单位的法定代表人或者主要负责人.
///
/// It is triggered by a revocation that cites 出版管理条例, whatever the
/// unit: a publishing unit, or a printing, copying, import or distribution
/// unit penalised under this regulation (e.g. 第六十二条、第六十五条), found
/// in any sector's records. A revocation that cites only 印刷业管理条例 is
/// not "违反本条例": its own ban (印刷业管理条例第四十五条) reaches printing
/// enterprises only, and is the printing-distribution plugin's. Revoking a
/// professional's qualification certificate (第七十条第二款) is no licence
/// revocation of a unit: [`Ban::reads`] leaves it out, to [`QUALIFICATION`].
/// Like every rule, it ignores records decided after the check date.
pub const BAN: Ban = Ban {
    id: "publishing-revocation-ban",
    title: "单位违反《出版管理条例》被吊销许可证的，其法定代表人或者主要负责人自吊销之日起10年内不得担任出版单位的法定代表人或者主要负责人",
    basis: "出版管理条例第七十条第一款",
    regulation: PUBLISHING,
    licence_types: &[crate::LICENCE_TYPE],
    trigger: Trigger::Revocation,
    years: Some(10),
    years_for_individual: Some(10),
    roles: LEAD,
    barred_from: "出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人",
    // 单位: the article speaks of units, as printing-distribution reads it.
    penalised: &[Party::Unit],
    reads: Some(|r| !is_qualification_revocation(r)),
};

/// A rule of the catalogue other than the ban: id, Chinese title, legal basis.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Chinese title.
    pub title: &'static str,
    /// Regulation and article.
    pub basis: &'static str,
}

/// In supervision, funding or honours: a unit led by a person inside the ban
/// of 第七十条第一款 → caution (the person may not hold the post).
pub const BAN_SERVING: Rule = Rule {
    id: "publishing-ban-serving",
    title: "出版单位的法定代表人或者主要负责人处于第七十条第一款规定的10年期限内的，列为重点监管对象，督促依法更换",
    basis: "出版管理条例第七十条第一款",
};

/// Licensing: the applicant itself was closed down (取缔) under 第六十一条 and
/// the closure is still publicized → restricted.
///
/// 出版管理条例 attaches no ban to a closure (第七十条 names revocations only);
/// the refusal while the closure is publicized is the bureau's policy on an
/// applicant that carried on the very activity it now asks a licence for.
pub const CLOSURE: Rule = Rule {
    id: "publishing-unlicensed-closure",
    title: "申请人曾因未经批准擅自设立出版单位、擅自从事出版物出版等业务或者假冒出版单位名称出版被依法取缔，且仍在公示期内的，不予许可",
    basis: "出版管理条例第六十一条、第九条第一款",
};

/// Licensing (and supervision): a person leading the applicant lost a
/// publishing qualification certificate under 第七十条第二款 → caution.
pub const QUALIFICATION: Rule = Rule {
    id: "publishing-qualification-revoked",
    title: "法定代表人或者主要负责人曾因违反《出版管理条例》情节严重被吊销出版专业资格证书的，审慎审查其资格证明文件",
    basis: "出版管理条例第七十条第二款、第十三条第一款第（三）项、第五十二条第二款",
};

/// A publicized penalty of the applicant for prohibited content (第二十五条、
/// 第二十六条, punished under 第六十二条) → caution and content review.
pub const PROHIBITED_CONTENT: Rule = Rule {
    id: "publishing-prohibited-content",
    title: "因出版含有禁止内容的出版物受到行政处罚且仍在公示期内的，列为重点监管对象，加强出版物内容审读",
    basis: "出版管理条例第二十五条、第二十六条、第六十二条、第五十条第（三）项",
};

/// A publicized penalty of the applicant for selling or renting its name or
/// book, periodical or edition numbers (第二十一条, punished under 第六十六条)
/// → caution and checks of its numbers.
pub const NUMBER_TRADING: Rule = Rule {
    id: "publishing-number-trading",
    title: "因出售、转让、出租本单位名称、书号、刊号、版号、版面或者利用出版活动谋取不正当利益受到行政处罚且仍在公示期内的，列为重点监管对象",
    basis: "出版管理条例第二十一条、第六十六条、第四十九条第一款",
};

/// Two or more penalties of the applicant under 出版管理条例 within
/// [`REPEAT_YEARS`] years → caution.
///
/// 出版管理条例 names no period: 2 years is the limitation period of
/// 行政处罚法第三十六条第一款 and the period the bureau's other statutes use
/// for repeated violations (娱乐场所管理条例第五十三条第三款、营业性演出管理条例
/// 第五十三条第三款). A further violation may be found 情节严重 under
/// 第六十二条至第六十八条.
pub const REPEAT: Rule = Rule {
    id: "publishing-repeat-violations",
    title: "2年内2次以上因违反《出版管理条例》受到行政处罚的，列为重点监管对象；再有违法行为的，依法认定情节是否严重",
    basis: "出版管理条例第四十九条第一款、第六十二条至第六十八条；行政处罚法第三十六条第一款（期间）",
};

/// The applicant's latest quality inspection of a publication failed and no
/// later one passed → caution.
pub const QUALITY: Rule = Rule {
    id: "publishing-quality-unrectified",
    title: "出版物质量监督检查不合格且尚无复查合格结论的，列为重点监管对象，核查整改情况",
    basis: "出版管理条例第五十一条、第二十八条第二款、第六十七条第（八）项",
};

/// The rules besides [`BAN`], in catalogue order.
pub const RULES: [Rule; 7] = [BAN_SERVING, CLOSURE, QUALIFICATION, PROHIBITED_CONTENT, NUMBER_TRADING, REPEAT, QUALITY];

/// The period of [`REPEAT`] in years.
pub const REPEAT_YEARS: i32 = 2;

/// The rule catalogue for the manifest.
pub fn catalogue() -> Vec<RuleInfo> {
    std::iter::once(BAN.rule_info())
        .chain(RULES.iter().map(|r| RuleInfo { id: r.id.into(), title: r.title.into(), legal_basis: r.basis.into() }))
        .collect()
}

/// Apply every rule to `request`.
///
/// # Errors
/// `unknown-licence-type` for a licence type other than
/// [`crate::LICENCE_TYPE`], `invalid-date` for an `as_of` that is not
/// `YYYY-MM-DD`.
pub fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let as_of = date(&request.as_of)
        .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
    if let Some(t) = &request.licence_type
        && t != crate::LICENCE_TYPE
    {
        return Err(PluginError::new("unknown-licence-type", format!("publishing does not inspect for {t:?}")));
    }
    let licensing =
        request.purpose == Purpose::Licensing && request.licence_type.as_deref() == Some(crate::LICENCE_TYPE);
    let mut out = Vec::new();
    let barred = ban_matches(request, as_of);
    if licensing {
        out.extend(barred.iter().map(|m| BAN.finding(m, Outcome::Restricted, "不予许可")));
    } else if request.purpose != Purpose::Licensing {
        out.extend(barred.iter().map(ban_serving));
    }
    if licensing {
        out.extend(closure(request, as_of));
    }
    if licensing || request.purpose == Purpose::Supervision {
        out.extend(qualification(request, as_of));
    }
    out.extend(prohibited_content(request, as_of));
    out.extend(number_trading(request, as_of));
    out.extend(repeat_violations(request, as_of));
    out.extend(quality_unrectified(request, as_of));
    Ok(out)
}

fn decided(record: &CreditRecord) -> Option<NaiveDate> {
    record.decision_date.as_deref().and_then(date)
}

/// Whether a record was decided on or before `as_of` (records without a
/// date are kept; the rules that need a date skip them).
fn known_on(record: &CreditRecord, as_of: NaiveDate) -> bool {
    decided(record).is_none_or(|d| d <= as_of)
}

fn cites(record: &CreditRecord, article: &str) -> bool {
    cites_article(&record.legal_basis, PUBLISHING, article)
}

/// Whether a revocation is of a professional's qualification certificate
/// (第七十条第二款: 资格证书, 职业资格) rather than of a unit's licence.
fn is_qualification_revocation(record: &CreditRecord) -> bool {
    record.is_revocation() && (record.content.contains("资格") || record.certificate.contains("资格"))
}

/// The persons [`BAN`] bars on the check date, through revocations known
/// on it.
fn ban_matches(request: &InspectRequest, as_of: NaiveDate) -> Vec<BanMatch<'_>> {
    BAN.matches(request, as_of).into_iter().filter(|m| m.decided <= as_of).collect()
}

/// The applicant's own penalties known on the check date.
fn own_penalties(request: &InspectRequest, as_of: NaiveDate) -> impl Iterator<Item = &CreditRecord> {
    request
        .records
        .iter()
        .filter(move |r| r.kind == "penalty" && r.subject_key == request.subject.key && known_on(r, as_of))
}

fn finding(rule: &Rule, outcome: Outcome, measures: &[&str], message: String, evidence: &[&CreditRecord]) -> Finding {
    let mut f = FindingBuilder::new(rule.id, outcome).basis(rule.basis).message(message);
    for m in measures {
        f = f.measure(m);
    }
    for r in evidence {
        f = f.evidence(r.id.clone());
    }
    f.build()
}

/// [`BAN_SERVING`]: a person [`BAN`] bars who leads the unit now, outside
/// licensing.
fn ban_serving(m: &BanMatch<'_>) -> Finding {
    let mut f = BAN.finding(m, Outcome::Caution, "重点监管");
    f.rule_id = BAN_SERVING.id.into();
    f.legal_basis = BAN_SERVING.basis.into();
    f.measures.push("督促依法更换法定代表人或者主要负责人".into());
    f.message.push_str("；其现任本单位职务，不符合第七十条第一款的规定");
    f
}

fn closure(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    let closed: Vec<&CreditRecord> =
        own_penalties(request, as_of).filter(|r| r.publicized && r.is_closure() && cites(r, "第六十一条")).collect();
    let first = closed.first()?;
    Some(finding(
        &CLOSURE,
        Outcome::Restricted,
        &["不予许可"],
        format!(
            "申请人曾因未经批准从事出版活动被依法取缔（{}，{}），该处罚仍在公示期内",
            first.decision_number,
            first.decision_date.as_deref().unwrap_or("日期不详")
        ),
        &closed,
    ))
}

fn qualification(request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for person in request.persons.iter().filter(|p| LEAD.contains(&p.role)) {
        let revoked: Vec<&CreditRecord> = request
            .records
            .iter()
            .filter(|r| r.kind == "penalty" && r.subject_key == person.key && known_on(r, as_of))
            .filter(|r| {
                r.cites(PUBLISHING) && r.is_revocation() && (cites(r, "第七十条") || is_qualification_revocation(r))
            })
            .collect();
        if let Some(first) = revoked.first() {
            out.push(finding(
                &QUALIFICATION,
                Outcome::Caution,
                &["审慎审查", "核验法定代表人或者主要负责人的资格证明文件"],
                format!(
                    "{}（{}）曾被吊销出版专业资格证书（{}，{}），请核验其现持有的资格证明文件",
                    person.name,
                    credit_sdk::bans::role_name(person.role),
                    first.decision_number,
                    first.decision_date.as_deref().unwrap_or("日期不详")
                ),
                &revoked,
            ));
        }
    }
    out
}

fn prohibited_content(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    let hits: Vec<&CreditRecord> = own_penalties(request, as_of)
        .filter(|r| r.publicized && (cites(r, "第六十二条") || cites(r, "第二十五条") || cites(r, "第二十六条")))
        .collect();
    if hits.is_empty() {
        return None;
    }
    let serious = hits.iter().filter(|r| r.is_revocation()).count();
    let mut message = format!("公示期内有{}条出版、进口、印刷或者发行含有禁止内容出版物的处罚记录", hits.len());
    if serious > 0 {
        message.push_str(&format!("，其中{serious}条情节严重被吊销许可证"));
    }
    Some(finding(
        &PROHIBITED_CONTENT,
        Outcome::Caution,
        &["重点监管", "加强出版物内容审读", "核查编辑责任制度落实情况"],
        message,
        &hits,
    ))
}

fn number_trading(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    let hits: Vec<&CreditRecord> = own_penalties(request, as_of)
        .filter(|r| r.publicized && (cites(r, "第六十六条") || cites(r, "第二十一条")))
        .collect();
    (!hits.is_empty()).then(|| {
        finding(
            &NUMBER_TRADING,
            Outcome::Caution,
            &["重点监管", "核查书号、刊号、版号和版面的使用情况"],
            format!(
                "公示期内有{}条出售、转让、出租本单位名称、书号、刊号、版号、版面或者谋取不正当利益的处罚记录",
                hits.len()
            ),
            &hits,
        )
    })
}

fn repeat_violations(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    let since = add_years(as_of, -REPEAT_YEARS);
    let hits: Vec<&CreditRecord> = own_penalties(request, as_of)
        .filter(|r| r.cites(PUBLISHING) && decided(r).is_some_and(|d| d > since))
        .collect();
    (hits.len() >= 2).then(|| {
        finding(
            &REPEAT,
            Outcome::Caution,
            &["重点监管"],
            format!("{since}以来已{}次因违反《出版管理条例》受到行政处罚", hits.len()),
            &hits,
        )
    })
}

fn quality_unrectified(request: &InspectRequest, as_of: NaiveDate) -> Option<Finding> {
    // The latest inspection of each publication, by decision date (the later
    // record wins a tie).
    let mut latest: BTreeMap<String, (NaiveDate, &CreditRecord, QualityInspection)> = BTreeMap::new();
    for r in request
        .records
        .iter()
        .filter(|r| r.sector == crate::SECTOR && r.kind == quality::KIND && r.subject_key == request.subject.key)
    {
        let Some(d) = decided(r).filter(|d| *d <= as_of) else { continue };
        let Ok(q) = body_as::<QualityInspection>(&r.body) else { continue };
        let key = q.publication_key();
        if latest.get(&key).is_none_or(|(seen, _, _)| d >= *seen) {
            latest.insert(key, (d, r, q));
        }
    }
    let failed: Vec<(&CreditRecord, &QualityInspection)> =
        latest.values().filter(|(_, _, q)| q.failed()).map(|(_, r, q)| (*r, q)).collect();
    if failed.is_empty() {
        return None;
    }
    let titles: Vec<String> = failed.iter().map(|(_, q)| format!("《{}》", q.publication_title)).collect();
    let evidence: Vec<&CreditRecord> = failed.iter().map(|(r, _)| *r).collect();
    Some(finding(
        &QUALITY,
        Outcome::Caution,
        &["重点监管", "核查整改情况"],
        format!("{}质量监督检查不合格，尚无复查合格结论", titles.join("、")),
        &evidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Publishing;
    use credit_sdk::harness;
    use serde_json::{Value, json};
    use std::path::Path;

    fn penalty(id: &str, subject: &str, rep: &str, basis: &str, types: &str, content: &str, decided: &str) -> Value {
        json!({
            "id": id, "sector": "publishing", "kind": "penalty", "subject_key": subject,
            "subject_name": "旧出版社", "legal_representative_key": rep, "decision_number": "豫新出罚字〔2020〕1号",
            "decision_date": decided, "legal_basis": basis, "penalty_types": types.split('；').collect::<Vec<_>>(),
            "content": content, "certificate": "", "severity": "serious", "publicized": true, "body": {}
        })
    }

    fn request(purpose: &str, role: &str, records: Vec<Value>) -> InspectRequest {
        let licence = if purpose == "licensing" { json!("publishing") } else { Value::Null };
        serde_json::from_value(json!({
            "subject": {"key": "91410104MANQ7WNG58", "kind": "organisation", "name": "新出版社"},
            "persons": [{"key": "p-1", "name": "叶秋伟", "role": role}],
            "purpose": purpose, "licence_type": licence, "as_of": "2026-11-30",
            "records": records
        }))
        .unwrap()
    }

    fn rules(req: &InspectRequest) -> Vec<(String, Outcome)> {
        harness::inspect::<Publishing>(req).unwrap().into_iter().map(|f| (f.rule_id.0, f.outcome)).collect()
    }

    const REVOKED: &str = "《出版管理条例》第二十五条、第六十二条第（一）项";

    #[test]
    fn revocation_bars_the_representative_for_ten_years_in_licensing_and_flags_him_in_supervision() {
        let r = penalty(
            "r1",
            "91410103MAEXTC265Q",
            "p-1",
            REVOKED,
            "没收违法所得；吊销许可证件",
            "吊销出版许可证",
            "2018-03-01",
        );
        let f = harness::inspect::<Publishing>(&request("licensing", "legal-representative", vec![r.clone()])).unwrap();
        assert_eq!((f[0].rule_id.as_str(), f[0].outcome), (BAN.id, Outcome::Restricted));
        assert_eq!(f[0].until.as_deref(), Some("2028-03-01"));
        assert!(
            f[0].message
                .starts_with("叶秋伟（法定代表人）曾为旧出版社的法定代表人/负责人，该单位于2018-03-01被吊销许可证"),
            "{}",
            f[0].message
        );
        let f = harness::inspect::<Publishing>(&request("supervision", "principal", vec![r.clone()])).unwrap();
        assert_eq!(
            f.iter().map(|f| (f.rule_id.as_str(), f.outcome)).collect::<Vec<_>>(),
            [(BAN_SERVING.id, Outcome::Caution)]
        );
        assert_eq!((f[0].legal_basis.as_str(), f[0].until.as_deref()), (BAN_SERVING.basis, Some("2028-03-01")));
        assert_eq!(f[0].measures, ["重点监管", "督促依法更换法定代表人或者主要负责人"]);
        assert!(f[0].message.ends_with("依法至2028-03-01止不得担任出版、印刷或者复制、进口、发行单位的法定代表人或者主要负责人；其现任本单位职务，不符合第七十条第一款的规定"), "{}", f[0].message);
        assert!(rules(&request("licensing", "investor", vec![r])).is_empty(), "第七十条 names no investors");
    }

    #[test]
    fn revocation_under_the_printing_regulation_alone_does_not_bar_publishing() {
        let r = penalty(
            "r1",
            "x",
            "p-1",
            "《印刷业管理条例》第三十八条",
            "吊销许可证件",
            "吊销印刷经营许可证",
            "2020-01-01",
        );
        assert!(rules(&request("licensing", "legal-representative", vec![r])).is_empty());
    }

    #[test]
    fn qualification_revocation_is_not_a_unit_revocation() {
        let r = penalty(
            "r1",
            "p-1",
            "",
            "《出版管理条例》第七十条第二款",
            "吊销许可证件",
            "吊销出版专业技术人员职业资格证书",
            "2024-01-01",
        );
        assert_eq!(
            rules(&request("licensing", "legal-representative", vec![r])),
            [(QUALIFICATION.id.into(), Outcome::Caution)]
        );
    }

    #[test]
    fn future_records_are_ignored() {
        let r = penalty("r1", "91410103MAEXTC265Q", "p-1", REVOKED, "吊销许可证件", "吊销出版许可证", "2027-01-01");
        assert!(rules(&request("licensing", "legal-representative", vec![r])).is_empty());
    }

    #[test]
    fn other_licence_types_and_bad_dates_are_errors() {
        let mut req = request("licensing", "principal", vec![]);
        req.licence_type = Some("printing".into());
        assert_eq!(harness::inspect::<Publishing>(&req).unwrap_err().code, "unknown-licence-type");
        let mut req = request("licensing", "principal", vec![]);
        req.as_of = "2026-13-01".into();
        assert_eq!(harness::inspect::<Publishing>(&req).unwrap_err().code, "invalid-date");
    }

    #[test]
    fn catalogue_has_every_rule_once() {
        let m = harness::manifest::<Publishing>();
        assert_eq!(m.rules.len(), 8);
        assert!(m.rules.iter().all(|r| r.legal_basis.contains("出版管理条例")));
    }

    #[test]
    fn fixtures() {
        harness::fixtures::<Publishing>(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")));
    }
}
