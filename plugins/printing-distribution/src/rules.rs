//! Inspection rules: the statutory bans on persons ([`bans`]), cautious
//! review where a record of the sector counts but no statute bars
//! ([`history`]), and checks of the applicant itself ([`applicant`]).
//!
//! Rules read other sectors' records only through the 双公示 envelope (the
//! host sends `{}` as their body), and leave the bureau-wide rules — a
//! penalty inside its publicity period, the serious-dishonesty list, joint
//! punishment, the red list — to the host.
//!
//! The legal form of a party ([`Party`], from a record's key or the
//! subject's kind) matters: 出版管理条例 speaks of 单位 and 个体工商户 separately
//! (第三十五条, 第四十条, 第六十五条, and 第七十条 bans only the heads of 单位);
//! 印刷业管理条例 of 企业 and 个人 (第十条, 第四十五条第一款 for enterprises, 第二款
//! for individuals).

mod applicant;
mod bans;
mod history;

use crate::articles::{PRINTING, PUBLISHING};
use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// A rule of the catalogue that is not a [`Ban`].
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Chinese title.
    pub title: &'static str,
    /// Regulation and article.
    pub basis: &'static str,
}

impl Rule {
    fn info(&self) -> RuleInfo {
        RuleInfo { id: self.id.into(), title: self.title.into(), legal_basis: self.basis.into() }
    }

    fn finding(&self, outcome: Outcome) -> FindingBuilder {
        FindingBuilder::new(self.id, outcome).basis(self.basis)
    }
}

/// The rule catalogue for the manifest, in the order findings are given.
pub fn catalogue() -> Vec<RuleInfo> {
    bans::BANS
        .iter()
        .map(Ban::rule_info)
        .chain(history::RULES.iter().map(Rule::info))
        .chain(applicant::RULES.iter().map(Rule::info))
        .collect()
}

/// Apply every rule to `request`.
///
/// # Errors
/// `unknown-licence-type` for a licence type outside [`crate::LICENCE_TYPES`],
/// `invalid-date` for an `as_of` that is not `YYYY-MM-DD`.
pub fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let as_of = date(&request.as_of)
        .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
    if let Some(t) = &request.licence_type
        && !crate::LICENCE_TYPES.contains(&t.as_str())
    {
        return Err(PluginError::new(
            "unknown-licence-type",
            format!("printing-distribution does not inspect for {t:?}"),
        ));
    }
    let mut findings = bans::findings(request, as_of);
    let banned: Vec<RecordId> = findings.iter().flat_map(|f| f.evidence.iter().cloned()).collect();
    findings.extend(history::findings(request, as_of, &banned));
    findings.extend(applicant::findings(request, as_of));
    Ok(findings)
}

/// Whether `record` revokes a staff member's qualification (出版管理条例第七十条第二款)
/// rather than a licence: it names a 资格 certificate or cites that paragraph,
/// or its subject is a natural person — who holds no licence under 出版管理条例 —
/// and it does not also cite 印刷业管理条例 (an individual printer's licence).
pub fn is_qualification_revocation(record: &CreditRecord) -> bool {
    let person = record.party() == Party::NaturalPerson;
    record.cites(PUBLISHING)
        && record.is_revocation()
        && (record.certificate.contains("资格")
            || cites_article(&record.legal_basis, PUBLISHING, "第七十条第二款")
            || (person && !record.cites(PRINTING)))
}

/// The decision date of a record.
fn decided(record: &CreditRecord) -> Option<NaiveDate> {
    record.decision_date.as_deref().and_then(date)
}

/// Whether the request is for licensing `licence_type`.
fn licensing(request: &InspectRequest, licence_type: &str) -> bool {
    request.purpose == Purpose::Licensing && request.licence_type.as_deref() == Some(licence_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PrintingDistribution;
    use credit_sdk::harness;
    use serde_json::json;

    fn request(licence_type: Option<&str>, purpose: &str) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410104MATG7MB61L", "kind": "organisation", "name": "新印务公司"},
            "purpose": purpose, "licence_type": licence_type, "as_of": "2026-11-30"
        }))
        .unwrap()
    }

    #[test]
    fn a_new_company_has_no_findings() {
        assert!(harness::inspect::<PrintingDistribution>(&request(Some("printing"), "licensing")).unwrap().is_empty());
        assert!(harness::inspect::<PrintingDistribution>(&request(None, "supervision")).unwrap().is_empty());
    }

    #[test]
    fn other_sectors_licence_types_and_bad_dates_are_errors() {
        let err = harness::inspect::<PrintingDistribution>(&request(Some("internet-cafe"), "licensing")).unwrap_err();
        assert_eq!(err.code, "unknown-licence-type");
        let mut req = request(Some("printing"), "licensing");
        req.as_of = "30/11/2026".into();
        assert_eq!(harness::inspect::<PrintingDistribution>(&req).unwrap_err().code, "invalid-date");
    }

    #[test]
    fn party_forms_follow_the_uscc_category() {
        // The bans and the applicant checks rest on these.
        assert_eq!(Party::of_key("91410105MABRE86U35"), Party::Unit);
        assert_eq!(Party::of_key("92410102MAPLET111Q"), Party::IndividualBusiness);
        assert_eq!(Party::of_key("p:0123456789abcdef0123456789abcdef"), Party::NaturalPerson);
        // A lower-case or short key is no USCC.
        assert_eq!(Party::of_key("92410102maplet111q"), Party::NaturalPerson);
    }

    #[test]
    fn catalogue_has_unique_rules_with_their_articles() {
        let rules = catalogue();
        assert!(rules.len() >= 6);
        for r in &rules {
            assert!(r.legal_basis.contains("条例"), "{:?} names no regulation", r.id);
        }
    }
}
