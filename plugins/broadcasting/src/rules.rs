//! Inspection rules.
//!
//! Neither 《广播电视管理条例》 nor 《卫星电视广播地面接收设施管理规定》 bars a person
//! (法定代表人, 负责人, 投资人) after a revocation or a closure, or bars a
//! subject from applying again: there is no 从业禁止 in this sector, and no rule
//! here invents one. Every rule therefore leads to `caution` (审慎审查, 重点监管),
//! never to `restricted`, and reads only the applicant's OWN penalties — never
//! those of other companies its persons led.
//!
//! The regulations attach no period of their own to these consequences, so a
//! penalty counts only while it is inside its publicity period (`publicized`,
//! computed by the host from the national periods and any credit repair): once
//! publicity ends, it stops counting as dishonesty (DESIGN.md §5, "Publicity
//! is not memory"). Rules read only the 双公示 envelope (legal_basis,
//! penalty_types, content, certificate, decision_date, publicized), never a
//! record's body.

use crate::checks::{RTV, SAT, SatelliteParagraph};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// Licence type: 广播电视节目制作经营许可证 (《广播电视管理条例》第三十一条).
pub const PRODUCTION: &str = "radio-tv-production";
/// Licence type: 卫星地面接收设施安装服务许可 and the 设置 licence 《接收卫星传送的
/// 电视节目许可证》 (《卫星电视广播地面接收设施管理规定》第三条、第四条、第七条).
pub const SATELLITE: &str = "satellite-installation";

/// A caution rule over the applicant's own penalties still in publicity.
struct Rule {
    id: &'static str,
    title: &'static str,
    basis: &'static str,
    /// The licence types it is checked for (any purpose other than licensing
    /// carries no licence type and checks every rule).
    licence_types: &'static [&'static str],
    /// Which penalties count.
    counts: fn(&CreditRecord) -> bool,
    /// How many must count for the rule to fire.
    at_least: usize,
    /// What the penalties show, for the message.
    what: &'static str,
    measures: &'static [&'static str],
}

/// Words of a revoked certificate of this sector (广播电视节目制作经营许可证,
/// 电视剧制作许可证, 广播电台、电视台许可证, 卫星…许可证).
const SECTOR_CERTIFICATE_WORDS: [&str; 3] = ["广播", "电视", "卫星"];

fn satellite_paragraph(r: &CreditRecord) -> Option<SatelliteParagraph> {
    r.cites(SAT).then(|| SatelliteParagraph::of(&r.legal_basis, &r.content))
}

const RULES: [Rule; 7] = [
    Rule {
        id: "unlicensed-broadcasting-closure",
        title: "擅自设立广播电台、电视台、广播电视站或广播电视节目制作经营单位，或擅自制作广播电视节目，被予以取缔且处罚仍在公示期内的，申请广播电视节目制作经营许可时审慎审查",
        basis: "广播电视管理条例第四十七条、第四十八条、第三十一条",
        licence_types: &[PRODUCTION],
        counts: |r| {
            cites_article(&r.legal_basis, RTV, "第四十七条") || cites_article(&r.legal_basis, RTV, "第四十八条")
        },
        at_least: 1,
        what: "曾擅自设立广播电视机构或擅自制作广播电视节目被依法取缔（条例未规定取缔后的申请限制，不构成禁止许可）",
        measures: &["审慎审查", "核查原违法设备、节目载体处置及整改情况", "重点监管"],
    },
    Rule {
        id: "licence-revoked",
        title: "本单位的广播电视类许可证被吊销且处罚仍在公示期内的，重新申请许可时审慎审查",
        basis: "广播电视管理条例第四十九条、第五十条、第五十一条（情节严重的，由原批准机关吊销许可证）",
        licence_types: &[PRODUCTION, SATELLITE],
        counts: |r| {
            r.is_revocation()
                && (r.cites(RTV) || r.cites(SAT) || SECTOR_CERTIFICATE_WORDS.iter().any(|w| r.certificate.contains(w)))
        },
        at_least: 1,
        what: "许可证曾因情节严重被吊销（条例未禁止被吊销单位重新申请）",
        measures: &["审慎审查", "核查原吊销事由的整改情况", "重点监管"],
    },
    Rule {
        id: "prohibited-content",
        title: "制作、播放、向境外提供含有禁止内容的节目受到处罚且仍在公示期内的，申请广播电视节目制作经营许可时审慎审查",
        basis: "广播电视管理条例第三十二条、第四十九条",
        licence_types: &[PRODUCTION],
        counts: |r| cites_article(&r.legal_basis, RTV, "第四十九条") && !r.is_revocation(),
        at_least: 1,
        what: "曾制作、播放或向境外提供含有禁止内容的节目受到处罚",
        measures: &["审慎审查", "核查节目内容审查制度", "重点监管"],
    },
    Rule {
        id: "repeat-violations",
        title: "2件以上广播电视或卫星地面接收设施行政处罚仍在公示期内的，列为重点监管对象",
        basis: "广播电视管理条例第四十九条至第五十一条（情节严重的吊销许可证）；卫星电视广播地面接收设施管理规定第十条",
        licence_types: &[PRODUCTION, SATELLITE],
        counts: |r| r.cites(RTV) || r.cites(SAT),
        at_least: 2,
        what: "多次违反广播电视管理规定受到处罚（法规未规定累计期间，按处罚公示期计）",
        measures: &["重点监管", "提高抽查频次", "审慎审查"],
    },
    Rule {
        id: "satellite-unlicensed-installation",
        title: "擅自安装和使用卫星地面接收设施受到处罚且仍在公示期内的，申请卫星地面接收设施安装服务或设置许可时审慎审查",
        basis: "卫星电视广播地面接收设施管理规定第十条第三款、第三条、第七条、第八条",
        licence_types: &[SATELLITE],
        counts: |r| satellite_paragraph(r) == Some(SatelliteParagraph::Installation),
        at_least: 1,
        what: "曾擅自安装和使用卫星地面接收设施受到处罚（规定未规定其后的申请限制）",
        measures: &["审慎审查", "核查被没收设施的处置情况", "重点监管"],
    },
    Rule {
        id: "satellite-unauthorised-sale",
        title: "擅自生产、销售卫星地面接收设施或未按规定销售给依法设立的安装服务机构受到处罚且仍在公示期内的，申请卫星地面接收设施安装服务许可时审慎审查",
        basis: "卫星电视广播地面接收设施管理规定第十条第一款、第二款、第四条",
        licence_types: &[SATELLITE],
        counts: |r| matches!(satellite_paragraph(r), Some(SatelliteParagraph::Sale | SatelliteParagraph::Production)),
        at_least: 1,
        what: "曾擅自生产、销售卫星地面接收设施受到处罚",
        measures: &["审慎审查", "核查设施进货来源与销售去向", "重点监管"],
    },
    Rule {
        id: "transmission-violation",
        title: "擅自利用卫星方式传输、擅自进行传输覆盖网工程安装，或擅自截传、干扰、解扰广播电视信号等受到处罚且仍在公示期内的，申请卫星地面接收设施安装服务许可时审慎审查",
        basis: "广播电视管理条例第五十一条、第二十二条、第二十八条",
        licence_types: &[SATELLITE],
        counts: |r| cites_article(&r.legal_basis, RTV, "第五十一条") && !r.is_revocation(),
        at_least: 1,
        what: "曾违反广播电视传输覆盖网、卫星传输或信号管理规定受到处罚",
        measures: &["审慎审查", "核查工程安装资质与信号安全措施", "重点监管"],
    },
];

/// The rule on the kind of applicant: (id, title, basis).
const NATURAL_PERSON: (&str, &str, &str) = (
    "applicant-natural-person",
    "自然人申请广播电视节目制作经营许可或卫星地面接收设施安装服务、设置许可的，审慎审查申请主体资格",
    "广播电视管理条例第三十一条；卫星电视广播地面接收设施管理规定第四条、第七条、第八条",
);

/// The rule catalogue for the manifest.
pub fn catalogue() -> Vec<RuleInfo> {
    RULES
        .iter()
        .map(|r| (r.id, r.title, r.basis))
        .chain(std::iter::once(NATURAL_PERSON))
        .map(|(id, title, basis)| RuleInfo { id: id.into(), title: title.into(), legal_basis: basis.into() })
        .collect()
}

/// Apply every rule to `request`.
///
/// # Errors
/// `invalid-date` for an `as_of` that is not `YYYY-MM-DD`;
/// `unknown-licence-type` for a licence type outside [`crate::LICENCE_TYPES`].
pub fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let as_of = date(&request.as_of)
        .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
    if let Some(t) = &request.licence_type
        && !crate::LICENCE_TYPES.contains(&t.as_str())
    {
        return Err(PluginError::new("unknown-licence-type", format!("broadcasting does not inspect for {t:?}")));
    }
    let own: Vec<&CreditRecord> = request.records.iter().filter(|r| counts_against(request, r, as_of)).collect();
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter(|rule| request.licence_type.as_deref().is_none_or(|t| rule.licence_types.contains(&t)))
        .filter_map(|rule| finding(rule, &own))
        .collect();
    findings.extend(natural_person(request));
    Ok(findings)
}

/// A penalty of the applicant itself, decided by `as_of` and still inside
/// its publicity period.
fn counts_against(request: &InspectRequest, r: &CreditRecord, as_of: NaiveDate) -> bool {
    r.kind == "penalty"
        && r.subject_key == request.subject.key
        && r.publicized
        && r.decision_date.as_deref().and_then(date).is_none_or(|d| d <= as_of)
}

fn finding(rule: &Rule, own: &[&CreditRecord]) -> Option<Finding> {
    let hits: Vec<&CreditRecord> = own.iter().copied().filter(|r| (rule.counts)(r)).collect();
    if hits.len() < rule.at_least {
        return None;
    }
    let listed: Vec<String> = hits
        .iter()
        .map(|r| format!("{}（{}）", r.decision_date.as_deref().unwrap_or("日期不详"), r.decision_number))
        .collect();
    let mut f = FindingBuilder::new(rule.id, Outcome::Caution).basis(rule.basis).message(format!(
        "申请人{}：公示期内有{}条处罚记录，{}",
        rule.what,
        hits.len(),
        listed.join("、")
    ));
    for m in rule.measures {
        f = f.measure(m);
    }
    for r in hits {
        f = f.evidence(r.id.clone());
    }
    Some(f.build())
}

fn natural_person(request: &InspectRequest) -> Option<Finding> {
    if request.purpose != Purpose::Licensing || request.subject.kind != SubjectKind::NaturalPerson {
        return None;
    }
    let why = match request.licence_type.as_deref() {
        Some(PRODUCTION) => {
            "广播电视节目制作经营许可授予经批准设立的广播电视节目制作经营单位（广播电视管理条例第三十一条）"
        }
        Some(SATELLITE) => {
            "卫星地面接收设施由依法设立的安装服务机构安装（卫星电视广播地面接收设施管理规定第四条），个人不得安装和使用，确有特殊情况的须符合第八条第二款的许可条件、向所在单位申请并经省级审批"
        }
        _ => return None,
    };
    let (id, _, basis) = NATURAL_PERSON;
    Some(
        FindingBuilder::new(id, Outcome::Caution)
            .basis(basis)
            .measure("审慎审查")
            .measure("核实申请主体资格")
            .message(format!("申请人{}为自然人：{why}", request.subject.name))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Broadcasting;
    use credit_sdk::harness;
    use serde_json::json;

    const APPLICANT: &str = "91410104MAJ62FJQ2L";

    fn penalty(
        id: &str,
        subject: &str,
        basis: &str,
        types: &[&str],
        content: &str,
        publicized: bool,
    ) -> serde_json::Value {
        json!({
            "id": id, "sector": "broadcasting", "kind": "penalty", "subject_key": subject,
            "subject_name": "某影视文化有限公司", "legal_representative_key": "p-1",
            "decision_number": "郑广电罚字〔2026〕1号", "decision_date": "2026-04-29", "legal_basis": basis,
            "penalty_types": types, "content": content, "severity": "general", "publicized": publicized, "body": {}
        })
    }

    fn request(licence_type: Option<&str>, records: Vec<serde_json::Value>) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": APPLICANT, "kind": "organisation", "name": "郑州中原光速影视文化有限公司"},
            "persons": [{"key": "p-1", "name": "程刚子", "role": "legal-representative"}],
            "purpose": if licence_type.is_some() { "licensing" } else { "supervision" },
            "licence_type": licence_type, "as_of": "2026-11-30", "records": records
        }))
        .unwrap()
    }

    fn rules(req: &InspectRequest) -> Vec<(String, Outcome)> {
        harness::inspect::<Broadcasting>(req).unwrap().into_iter().map(|f| (f.rule_id.0, f.outcome)).collect()
    }

    const CONTENT_BASIS: &str = "《广播电视管理条例》第三十二条、第四十九条";

    #[test]
    fn every_rule_is_caution_because_the_sector_has_no_statutory_ban() {
        let r = penalty("r1", APPLICANT, CONTENT_BASIS, &["罚款"], "责令停止制作，收缴节目载体；罚款", true);
        let f = harness::inspect::<Broadcasting>(&request(Some(PRODUCTION), vec![r])).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].rule_id.as_str(), f[0].outcome), ("prohibited-content", Outcome::Caution));
        assert_eq!(f[0].evidence[0].as_str(), "r1");
        assert!(f[0].message.contains("2026-04-29（郑广电罚字〔2026〕1号）"), "{}", f[0].message);
    }

    #[test]
    fn penalty_out_of_publicity_no_longer_counts() {
        let r = penalty("r1", APPLICANT, CONTENT_BASIS, &["罚款"], "罚款", false);
        assert!(rules(&request(Some(PRODUCTION), vec![r])).is_empty());
    }

    #[test]
    fn penalties_of_a_company_the_representative_led_do_not_count() {
        let r = penalty("r1", "91410185MAQ9D68P5F", "《广播电视管理条例》第四十八条", &["罚款"], "依法予以取缔", true);
        assert!(rules(&request(Some(PRODUCTION), vec![r])).is_empty());
    }

    #[test]
    fn production_rules_are_not_checked_for_satellite_licences() {
        let r = penalty("r1", APPLICANT, CONTENT_BASIS, &["罚款"], "罚款", true);
        assert!(rules(&request(Some(SATELLITE), vec![r.clone()])).is_empty());
        // Supervision carries no licence type and checks every rule.
        assert_eq!(rules(&request(None, vec![r])), [("prohibited-content".to_owned(), Outcome::Caution)]);
    }

    #[test]
    fn revocation_counts_as_revocation_not_as_content_penalty() {
        let r = penalty(
            "r1",
            APPLICANT,
            CONTENT_BASIS,
            &["罚款", "吊销许可证件"],
            "罚款；吊销广播电视节目制作经营许可证",
            true,
        );
        assert_eq!(rules(&request(Some(PRODUCTION), vec![r])), [("licence-revoked".to_owned(), Outcome::Caution)]);
    }

    #[test]
    fn satellite_sale_and_installation_are_told_apart_by_paragraph_and_content() {
        let install = penalty(
            "r1",
            APPLICANT,
            "《卫星电视广播地面接收设施管理规定》第十条",
            &["罚款"],
            "没收其安装和使用的卫星地面接收设施；罚款",
            true,
        );
        let sale = penalty(
            "r2",
            APPLICANT,
            "《卫星电视广播地面接收设施管理规定》第十条第二款",
            &["没收非法财物"],
            "没收卫星地面接收设施",
            true,
        );
        let mut got = rules(&request(Some(SATELLITE), vec![install, sale]));
        got.sort();
        assert_eq!(
            got,
            [
                ("repeat-violations".to_owned(), Outcome::Caution),
                ("satellite-unauthorised-sale".to_owned(), Outcome::Caution),
                ("satellite-unlicensed-installation".to_owned(), Outcome::Caution),
            ]
        );
    }

    #[test]
    fn natural_person_applicant_is_cautioned_only_in_licensing() {
        let mut req = request(Some(SATELLITE), vec![]);
        req.subject = Subject { key: "p-9".into(), kind: SubjectKind::NaturalPerson, name: "曹强".into() };
        assert_eq!(rules(&req), [("applicant-natural-person".to_owned(), Outcome::Caution)]);
        req.purpose = Purpose::Supervision;
        req.licence_type = None;
        assert!(rules(&req).is_empty());
    }

    #[test]
    fn errors_for_unknown_licence_type_and_bad_date() {
        let err = harness::inspect::<Broadcasting>(&request(Some("internet-cafe"), vec![])).unwrap_err();
        assert_eq!(err.code, "unknown-licence-type");
        let mut req = request(Some(PRODUCTION), vec![]);
        req.as_of = "2026-13-01".into();
        assert_eq!(harness::inspect::<Broadcasting>(&req).unwrap_err().code, "invalid-date");
    }

    #[test]
    fn catalogue_has_eight_rules_each_with_a_basis() {
        let c = catalogue();
        assert_eq!(c.len(), 8);
        assert!(c.iter().all(|r| r.legal_basis.contains("条")));
    }
}
