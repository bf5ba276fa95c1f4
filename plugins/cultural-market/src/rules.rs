//! Inspection rules: the statutory bans on persons ([`bans`]), and key
//! supervision after repeated violations within the periods the statutes
//! name ([`supervision`]).
//!
//! A ban applies only to revocations and closures under its own regulation,
//! for the roles and the licence types the article names, and is found
//! through every person linked to the applicant: the person a penalty names
//! as 法定代表人 counts as that business's principal (负责人 / 主要负责人).
//! Supervision rules read the applicant's own penalties.
//!
//! Rules read other sectors' records only through the 双公示 envelope. The
//! body (`subject_category`, `violation_type` …) is read only where it is
//! there (this sector's own records); without it a rule falls back on the
//! envelope.

pub mod bans;
pub mod supervision;

use credit_sdk::prelude::*;

/// The rule catalogue for the manifest: the bans, then the supervision rules.
pub fn catalogue() -> Vec<RuleInfo> {
    bans::BANS.iter().map(Ban::rule_info).chain(supervision::catalogue()).collect()
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
        return Err(PluginError::new("unknown-licence-type", format!("cultural-market does not inspect for {t:?}")));
    }
    let mut findings = Vec::new();
    for ban in &bans::BANS {
        findings.extend(ban.findings(request, as_of));
    }
    findings.extend(supervision::findings(request, as_of));
    Ok(findings)
}

/// The text a rule may search in a record: 处罚内容, 处罚依据, the name, and
/// (for this sector's own records) 违法行为类型 and 违法事实 of the body.
pub(crate) fn record_text(r: &CreditRecord) -> String {
    let body = |field: &str| r.body.get(field).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    [r.content.clone(), r.legal_basis.clone(), r.subject_name.clone(), body("violation_type"), body("violation_facts")]
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CulturalMarket;
    use credit_sdk::harness;
    use serde_json::json;

    fn request(licence_type: &str) -> InspectRequest {
        serde_json::from_value(json!({
            "subject": {"key": "91410104MAN0NYBQX1", "kind": "organisation", "name": "新网吧"},
            "persons": [{"key": "p-1", "name": "尹然梅", "role": "legal-representative"}],
            "purpose": "licensing", "licence_type": licence_type, "as_of": "2026-11-30"
        }))
        .unwrap()
    }

    #[test]
    fn unknown_licence_type_is_an_error() {
        let err = harness::inspect::<CulturalMarket>(&request("printing")).unwrap_err();
        assert_eq!(err.code, "unknown-licence-type");
    }

    #[test]
    fn bad_check_date_is_an_error() {
        let mut req = request("internet-cafe");
        req.as_of = "30.11.2026".into();
        assert_eq!(harness::inspect::<CulturalMarket>(&req).unwrap_err().code, "invalid-date");
    }

    #[test]
    fn catalogue_names_an_article_for_every_rule() {
        let rules = catalogue();
        assert!(rules.len() >= 6);
        for r in &rules {
            assert!(r.legal_basis.contains('条'), "{r:?}");
        }
    }
}
