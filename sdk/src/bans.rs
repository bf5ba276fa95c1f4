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
    /// 吊销 of the licence.
    Revocation,
    /// 吊销 or 撤销 of the licence (e.g. 娱乐场所管理条例第五十三条第二款).
    RevocationOrCancellation,
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
    /// The legal forms of penalised party the article speaks of (`单位`
    /// only, for 出版管理条例第七十条); empty: any.
    pub penalised: &'static [Party],
    /// Further choice of the records it reads (e.g. an agent's revocations,
    /// not a performer's); `None`: every record the trigger accepts.
    pub reads: Option<fn(&CreditRecord) -> bool>,
}

/// One barred person: who, through which record, until when.
#[derive(Debug, Clone)]
pub struct BanMatch<'a> {
    /// The person's (or the applicant's) key.
    pub key: SubjectKey,
    /// Display name.
    pub name: String,
    /// Their role in the applicant.
    pub role: Role,
    /// The triggering record.
    pub record: &'a CreditRecord,
    /// Its decision date.
    pub decided: NaiveDate,
    /// The last day before the ban ends (exclusive end); `None`: for life.
    pub until: Option<NaiveDate>,
    /// Whether the person was the penalised party itself (a performer, an
    /// individual business's operator), not a unit's leader.
    pub as_person: bool,
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

    /// Whether `record` is a penalty under this ban's regulation, of a party
    /// of the forms it names, that triggers it.
    pub fn triggered_by(&self, record: &CreditRecord) -> bool {
        record.kind == "penalty"
            && record.cites(self.regulation)
            && (self.penalised.is_empty() || self.penalised.contains(&record.party()))
            && self.reads.is_none_or(|reads| reads(record))
            && match self.trigger {
                Trigger::Revocation => record.is_revocation(),
                Trigger::RevocationOrCancellation => record.is_revocation() || record.is_cancellation(),
                Trigger::Closure => record.is_closure(),
                Trigger::RevocationFor(article) => {
                    record.is_revocation()
                        && crate::schema::cites_article(&record.legal_basis, self.regulation, article)
                }
            }
    }

    /// Everyone the ban bars on `as_of` (decisions after it do not count),
    /// whatever the purpose of the check:
    /// each person of the applicant in one of [`Ban::roles`] (and the
    /// applicant itself when it is a person or an individual business) who
    /// is the subject or the 法定代表人 of a triggering record whose ban has
    /// not ended.
    pub fn matches<'a>(&self, request: &'a InspectRequest, as_of: NaiveDate) -> Vec<BanMatch<'a>> {
        let mut out = Vec::new();
        for (key, name, role) in parties(request).into_iter().filter(|(_, _, r)| self.roles.contains(r)) {
            for record in request.records.iter().filter(|r| self.triggered_by(r)) {
                let as_person = record.subject_key == key;
                let as_lead = record.legal_representative_key.as_ref() == Some(&key);
                if !(as_person || as_lead) {
                    continue;
                }
                let Some(decided) = record.decision_date.as_deref().and_then(date).filter(|d| *d <= as_of) else {
                    continue;
                };
                let as_person = as_person && !as_lead;
                let years = if as_person { self.years_for_individual } else { self.years };
                let until = years.map(|y| add_years(decided, y));
                if until.is_some_and(|u| as_of >= u) {
                    continue;
                }
                out.push(BanMatch { key: key.clone(), name: name.clone(), role, record, decided, until, as_person });
            }
        }
        out
    }

    /// A finding of `outcome` with `measure` for one match, its message
    /// saying who, through which decision, until when.
    pub fn finding(&self, m: &BanMatch<'_>, outcome: Outcome, measure: &str) -> Finding {
        let term = match m.until {
            Some(u) => format!("至{u}止"),
            None => "终身".to_owned(),
        };
        let what = match self.trigger {
            Trigger::Revocation | Trigger::RevocationFor(_) => "吊销许可证",
            Trigger::RevocationOrCancellation if m.record.is_cancellation() && !m.record.is_revocation() => {
                "撤销许可证"
            }
            Trigger::RevocationOrCancellation => "吊销许可证",
            Trigger::Closure => "依法取缔",
        };
        let (decided, number, role) = (m.decided, &m.record.decision_number, role_name(m.role));
        let message = if m.as_person {
            format!("{}（{role}）本人于{decided}被{what}（{number}），依法{term}不得担任{}", m.name, self.barred_from)
        } else {
            format!(
                "{}（{role}）曾为{}的法定代表人/负责人，该单位于{decided}被{what}（{number}），依法{term}不得担任{}",
                m.name, m.record.subject_name, self.barred_from
            )
        };
        let mut f = FindingBuilder::new(self.id, outcome)
            .basis(self.basis)
            .measure(measure)
            .message(message)
            .evidence(m.record.id.clone());
        if let Some(u) = m.until {
            f = f.until(u.to_string());
        }
        f.build()
    }

    /// The ban's findings for a licensing request: one `restricted` finding
    /// (不予许可) per barred person and triggering record. Empty unless the
    /// request is for licensing one of [`Ban::licence_types`]; for other
    /// purposes use [`Ban::matches`] and choose the outcome.
    pub fn findings(&self, request: &InspectRequest, as_of: NaiveDate) -> Vec<Finding> {
        let applies = request.purpose == Purpose::Licensing
            && request.licence_type.as_deref().is_some_and(|t| self.licence_types.contains(&t));
        if !applies {
            return Vec::new();
        }
        self.matches(request, as_of).iter().map(|m| self.finding(m, Outcome::Restricted, "不予许可")).collect()
    }
}
