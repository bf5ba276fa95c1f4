//! Statutory bans on persons (从业禁止): after a revocation or the closure of
//! an unlicensed business, the statute bars the business's legal
//! representative or principal (sometimes its investors) from leading
//! another business of the same kind for some years or for life.
//!
//! A ban applies only to revocations and closures under its own regulation,
//! for the roles and the licence types its article names, and is found
//! through every person linked to the applicant: the person a penalty names
//! as 法定代表人 counts as that business's principal (负责人 / 主要负责人).
//! Sector plugins declare their bans as constants and call
//! [`Ban::findings`].

use crate::helpers::{FindingBuilder, add_years, date};
use crate::types::*;
use chrono::NaiveDate;

/// What ends a business in a way the statute attaches a ban to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// 吊销 (or 撤销) of the licence.
    Revocation,
    /// 取缔 of an unlicensed business.
    Closure,
    /// 吊销 for conduct under the given article of the same regulation
    /// (e.g. `第二十五条`, prohibited content).
    RevocationFor(&'static str),
}

/// The roles that lead a business: legal representative, principal, operator.
pub const LEAD: &[Role] = &[Role::LegalRepresentative, Role::Principal, Role::Operator];
/// Every role, investors included.
pub const ANY: &[Role] = &[Role::LegalRepresentative, Role::Principal, Role::Investor, Role::Operator];

/// A statutory ban on persons.
#[derive(Debug, Clone, Copy)]
pub struct Ban {
    /// Rule id, e.g. `cafe-revocation-ban`.
    pub id: &'static str,
    /// Chinese title for the catalogue.
    pub title: &'static str,
    /// The article, e.g. `互联网上网服务营业场所管理条例第三十六条第一款`.
    pub basis: &'static str,
    /// The regulation's title (without 《》) the triggering penalty must cite.
    pub regulation: &'static str,
    /// The licence types the barred person may not lead.
    pub licence_types: &'static [&'static str],
    /// What triggers it.
    pub trigger: Trigger,
    /// Years from the decision; `None` for life.
    pub years: Option<i32>,
    /// Years when the penalised party is the natural person itself (e.g. a
    /// solo performer); `None` for life.
    pub years_for_individual: Option<i32>,
    /// The roles in the applicant the ban forbids.
    pub roles: &'static [Role],
    /// What the person may not be, in Chinese, for the message.
    pub barred_from: &'static str,
}

/// The people a ban can reach: each person with a role, plus the applicant
/// itself when it is a natural person or an individual business (as its
/// operator) and not already among them.
pub fn parties(request: &InspectRequest) -> Vec<(SubjectKey, String, Role)> {
    let mut out: Vec<_> = request.persons.iter().map(|p| (p.key.clone(), p.name.clone(), p.role)).collect();
    if request.subject.kind != SubjectKind::Organisation && !out.iter().any(|(k, _, _)| *k == request.subject.key) {
        out.push((request.subject.key.clone(), request.subject.name.clone(), Role::Operator));
    }
    out
}

/// The Chinese name of a role.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::LegalRepresentative => "法定代表人",
        Role::Principal => "主要负责人",
        Role::Investor => "投资人",
        Role::Operator => "经营者",
    }
}

impl Ban {
    /// The catalogue entry.
    pub fn rule_info(&self) -> RuleInfo {
        RuleInfo { id: self.id.into(), title: self.title.into(), legal_basis: self.basis.into() }
    }

    /// Whether `record` is a penalty under this ban's regulation that triggers it.
    pub fn triggered_by(&self, record: &CreditRecord) -> bool {
        record.kind == "penalty"
            && record.cites(self.regulation)
            && match self.trigger {
                Trigger::Revocation => record.is_revocation(),
                Trigger::Closure => record.is_closure(),
                Trigger::RevocationFor(article) => {
                    record.is_revocation()
                        && crate::schema::cites_article(&record.legal_basis, self.regulation, article)
                }
            }
    }

    /// The ban's findings for a licensing request: one `restricted` finding
    /// per barred person and triggering record still inside the ban on
    /// `as_of`. Empty unless the request is for licensing one of
    /// [`Ban::licence_types`].
    pub fn findings(&self, request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
        let applies = request.purpose == Purpose::Licensing
            && request.licence_type.as_deref().is_some_and(|t| self.licence_types.contains(&t));
        if !applies {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (key, name, role) in parties(request).into_iter().filter(|(_, _, r)| self.roles.contains(r)) {
            for record in request.records.iter().filter(|r| self.triggered_by(r)) {
                let as_person = record.subject_key == key;
                let as_lead = record.legal_representative_key.as_ref() == Some(&key);
                if !(as_person || as_lead) {
                    continue;
                }
                let Some(decided) = record.decision_date.as_deref().and_then(date) else {
                    continue;
                };
                let years = if as_person && !as_lead { self.years_for_individual } else { self.years };
                let until = years.map(|y| add_years(decided, y));
                if until.is_some_and(|u| as_of >= u) {
                    continue;
                }
                let term = match until {
                    Some(u) => format!("至{u}止"),
                    None => "终身".to_owned(),
                };
                let what = match self.trigger {
                    Trigger::Revocation | Trigger::RevocationFor(_) => "吊销许可证",
                    Trigger::Closure => "依法取缔",
                };
                let mut f = FindingBuilder::new(self.id, Outcome::Restricted)
                    .basis(self.basis)
                    .measure("不予许可")
                    .message(format!(
                        "{name}（{}）曾为{}的{}，该单位于{decided}被{what}（{}），依法{term}不得担任{}",
                        role_name(role),
                        record.subject_name,
                        if as_lead { "法定代表人/负责人" } else { "当事人" },
                        record.decision_number,
                        self.barred_from,
                    ))
                    .evidence(record.id.clone());
                if let Some(u) = until {
                    f = f.until(u.to_string());
                }
                out.push(f.build());
            }
        }
        out
    }
}
