//! Inspection rules, by purpose: funding (财政资金扶持、项目申报), honours (评优评先)
//! and supervision (日常监管). The sector inspects for no licence type: the
//! licensing of performances is the cultural-market plugin's.
//!
//! - [`performers`]: the bans of 营业性演出管理条例第五十三条 on persons after a
//!   revocation, found through every role, and lip-syncing within two years;
//! - [`heritage`]: representative inheritors' assessments and disqualification;
//! - [`funding`]: funded projects that failed, had funds recovered or rested on
//!   false materials.
//!
//! Bureau-wide rules (publicity of penalties, the serious dishonesty list and
//! joint punishment, the red list) are the host's and are not repeated here.
//! A rule reads other sectors' records only through their 双公示 envelope.

pub mod funding;
pub mod heritage;
pub mod performers;

use chrono::NaiveDate;
use credit_sdk::prelude::*;

/// What a rule does for one purpose: its outcome and measures (Chinese).
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    /// The outcome.
    pub outcome: Outcome,
    /// The measures it triggers.
    pub measures: &'static [&'static str],
}

/// Exclusion from funding.
pub const EXCLUDE_FUNDING: Effect =
    Effect { outcome: Outcome::Restricted, measures: &["不予财政资金扶持", "不得参与项目申报"] };
/// Exclusion from honours.
pub const EXCLUDE_HONOURS: Effect =
    Effect { outcome: Outcome::Restricted, measures: &["不予推荐", "不得参加评优评先"] };
/// Cautious review.
pub const REVIEW: Effect = Effect { outcome: Outcome::Caution, measures: &["审慎审查"] };
/// Key supervision.
pub const SUPERVISE: Effect = Effect { outcome: Outcome::Caution, measures: &["重点监管"] };

/// A rule of the catalogue with its effect per purpose (`None`: the rule
/// does not apply to that purpose; it never applies to licensing).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Chinese title.
    pub title: &'static str,
    /// Regulation and article.
    pub basis: &'static str,
    /// Effect on a funding check.
    pub funding: Option<Effect>,
    /// Effect on an honours check.
    pub honours: Option<Effect>,
    /// Effect on a supervision check.
    pub supervision: Option<Effect>,
}

impl Rule {
    /// The catalogue entry.
    pub fn info(&self) -> RuleInfo {
        RuleInfo { id: self.id.into(), title: self.title.into(), legal_basis: self.basis.into() }
    }

    /// The effect for `purpose`.
    pub fn effect(&self, purpose: Purpose) -> Option<Effect> {
        match purpose {
            Purpose::Funding => self.funding,
            Purpose::Honours => self.honours,
            Purpose::Supervision => self.supervision,
            Purpose::Licensing => None,
        }
    }

    /// A finding of this rule for `purpose`, or `None` when the rule does
    /// not apply to it.
    pub fn finding<'a>(
        &self,
        purpose: Purpose,
        message: String,
        evidence: impl IntoIterator<Item = &'a CreditRecord>,
        until: Option<NaiveDate>,
    ) -> Option<Finding> {
        let effect = self.effect(purpose)?;
        let mut f = FindingBuilder::new(self.id, effect.outcome).basis(self.basis).message(message);
        for m in effect.measures {
            f = f.measure(m);
        }
        for r in evidence {
            f = f.evidence(r.id.clone());
        }
        if let Some(u) = until {
            f = f.until(u.to_string());
        }
        Some(f.build())
    }

    /// The finding of `ban` (whose id is this rule's) for one of its matches,
    /// with this rule's effect for `purpose`, or `None` when the rule does
    /// not apply to it.
    pub fn ban_finding(&self, ban: &Ban, m: &BanMatch<'_>, purpose: Purpose) -> Option<Finding> {
        let effect = self.effect(purpose)?;
        let mut f = ban.finding(m, effect.outcome, effect.measures.first().copied().unwrap_or_default());
        f.measures = effect.measures.iter().map(|m| (*m).to_owned()).collect();
        Some(f)
    }
}

/// Every rule, in catalogue order.
pub const RULES: [Rule; 9] = [
    performers::REVOCATION_BAN,
    performers::CONTENT_BAN,
    performers::LIP_SYNC,
    heritage::FAILED_ASSESSMENT,
    heritage::REPEATED_FAILURE,
    heritage::DISQUALIFIED,
    funding::FRAUD,
    funding::RECOVERED,
    funding::FAILED,
];

/// The rule catalogue for the manifest.
pub fn catalogue() -> Vec<RuleInfo> {
    RULES.iter().map(Rule::info).collect()
}

/// Apply every rule to `request`. A licensing request without a licence type
/// gets no findings (the sector has no licences of its own).
///
/// # Errors
/// `unknown-licence-type` for any licence type (the manifest lists none),
/// `invalid-date` for an `as_of` that is not `YYYY-MM-DD`.
pub fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let as_of = date(&request.as_of)
        .ok_or_else(|| PluginError::new("invalid-date", format!("as_of {:?} is not YYYY-MM-DD", request.as_of)))?;
    if let Some(t) = &request.licence_type {
        return Err(PluginError::new(
            "unknown-licence-type",
            format!(
                "arts-heritage inspects for no licence type, not {t:?}: performance licences are cultural-market's"
            ),
        ));
    }
    let mut findings = performers::findings(request, as_of);
    findings.extend(heritage::findings(request, as_of));
    findings.extend(funding::findings(request, as_of));
    Ok(findings)
}

/// The decision date of `record`, if it is on or before `as_of`.
pub fn decided(record: &CreditRecord, as_of: NaiveDate) -> Option<NaiveDate> {
    record.decision_date.as_deref().and_then(date).filter(|d| *d <= as_of)
}

/// The end of a consequence of `years` from `record`'s decision, if it still
/// lasts on `as_of`.
pub fn lasting(record: &CreditRecord, as_of: NaiveDate, years: i32) -> Option<NaiveDate> {
    decided(record, as_of).map(|d| add_years(d, years)).filter(|until| as_of < *until)
}

/// The applicant's own records of this sector's `kind`, with their bodies.
pub fn own<'a>(request: &'a InspectRequest, kind: &'a str) -> impl Iterator<Item = &'a CreditRecord> + 'a {
    request
        .records
        .iter()
        .filter(move |r| r.sector == crate::SECTOR && r.kind == kind && r.subject_key == request.subject.key)
}

/// The decision numbers of `records`, for messages.
pub fn numbers(records: &[&CreditRecord]) -> String {
    records.iter().map(|r| r.decision_number.as_str()).collect::<Vec<_>>().join("、")
}

/// The body of one of this sector's records as `T`; a body the host did not
/// send (`{}`) or of another shape gives `T::default()`, which no rule fires on.
pub fn body<T: serde::de::DeserializeOwned + Default>(record: &CreditRecord) -> T {
    <T as serde::Deserialize>::deserialize(&record.body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ArtsHeritage;
    use credit_sdk::harness;
    use serde_json::json;

    fn request(purpose: &str, licence_type: Option<&str>, as_of: &str) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410105MA0N1XBRLB", "kind": "organisation", "name": "某艺术团"},
            "purpose": purpose, "licence_type": licence_type, "as_of": as_of
        }))
        .unwrap()
    }

    #[test]
    fn any_licence_type_is_unknown_to_the_sector() {
        let err = harness::inspect::<ArtsHeritage>(&request("licensing", Some("commercial-performance"), "2026-11-30"))
            .unwrap_err();
        assert_eq!(err.code, "unknown-licence-type");
    }

    #[test]
    fn licensing_without_a_licence_type_finds_nothing() {
        assert!(harness::inspect::<ArtsHeritage>(&request("licensing", None, "2026-11-30")).unwrap().is_empty());
    }

    #[test]
    fn malformed_as_of_is_an_error() {
        let err = harness::inspect::<ArtsHeritage>(&request("funding", None, "2026/11/30")).unwrap_err();
        assert_eq!(err.code, "invalid-date");
    }

    #[test]
    fn every_rule_applies_to_some_purpose_and_never_to_licensing() {
        for r in RULES {
            assert!(r.effect(Purpose::Licensing).is_none(), "{}", r.id);
            assert!([Purpose::Funding, Purpose::Honours, Purpose::Supervision].iter().any(|p| r.effect(*p).is_some()));
        }
    }
}
