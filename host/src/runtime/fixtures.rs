//! Running a plugin's fixtures (the format of [`credit_sdk::fixture`])
//! against its compiled component: the same files its native unit tests
//! run, so a difference between the two builds shows.

use super::plugin::{LoadedPlugin, PluginFault};
use super::wit;
use credit_sdk::fixture::{Fixture, LoadError};
use std::path::{Path, PathBuf};

/// The result of one fixture.
#[derive(Debug)]
pub struct FixtureResult {
    /// The fixture file.
    pub file: PathBuf,
    /// Its description.
    pub description: String,
    /// `Err` holds the readable diff (`- expected …`, `+ got …`) or the
    /// plugin's fault.
    pub outcome: Result<(), String>,
}

/// Run every fixture of `dir` through `plugin`'s `inspect`. Blocking: call
/// it on a blocking thread.
///
/// # Errors
/// When the directory cannot be read; a file that is not a fixture, and a
/// failing fixture, are an `Err` in its [`FixtureResult`], not here.
pub fn run_fixtures(plugin: &LoadedPlugin, dir: &Path) -> Result<Vec<FixtureResult>, LoadError> {
    Ok(Fixture::load_dir(dir)?
        .into_iter()
        .map(|(file, fixture)| run_one(plugin, file, fixture.map_err(|e| e.message)))
        .collect())
}

/// The custom section in which a component carries its own fixtures: a
/// JSON array `[{"file": "x.json", "fixture": {…}}]` (`cargo xtask plugins`
/// embeds `plugins/<sector>/fixtures/*.json`). The host runs them before it
/// keeps an upload.
pub const FIXTURES_SECTION: &str = "credit-plugin-fixtures";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Embedded {
    file: String,
    fixture: serde_json::Value,
}

/// The fixtures component `bytes` carries in its [`FIXTURES_SECTION`], each
/// read as a fixture or the reason it is not one; `None` when it carries
/// none.
///
/// # Errors
/// When the component cannot be read, carries the section twice, or the
/// section is not the JSON array described above.
#[allow(clippy::type_complexity)]
pub fn embedded_fixtures(bytes: &[u8]) -> Result<Option<Vec<(String, Result<Fixture, String>)>>, String> {
    let mut found = None;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| format!("cannot read the component's sections: {e}"))?;
        if let wasmparser::Payload::CustomSection(reader) = payload
            && reader.name() == FIXTURES_SECTION
        {
            if found.is_some() {
                return Err(format!("the component carries the {FIXTURES_SECTION} section twice"));
            }
            let items: Vec<Embedded> = serde_json::from_slice(reader.data())
                .map_err(|e| format!("the {FIXTURES_SECTION} section is not a list of {{file, fixture}}: {e}"))?;
            found = Some(
                items
                    .into_iter()
                    .map(|i| {
                        let fixture = serde_json::from_value::<Fixture>(i.fixture)
                            .map_err(|e| format!("not a fixture: {e}"))
                            .and_then(|f| match credit_sdk::helpers::date(&f.request.as_of) {
                                Some(_) => Ok(f),
                                None => Err(format!("request.as_of {:?} is not YYYY-MM-DD", f.request.as_of)),
                            });
                        (i.file, fixture)
                    })
                    .collect(),
            );
        }
    }
    Ok(found)
}

/// Run fixtures read by [`embedded_fixtures`] through `plugin`. Blocking.
pub fn run_embedded(plugin: &LoadedPlugin, fixtures: Vec<(String, Result<Fixture, String>)>) -> Vec<FixtureResult> {
    fixtures.into_iter().map(|(file, fixture)| run_one(plugin, PathBuf::from(file), fixture)).collect()
}

fn run_one(plugin: &LoadedPlugin, file: PathBuf, fixture: Result<Fixture, String>) -> FixtureResult {
    match fixture {
        Ok(fixture) => {
            let outcome = plugin
                .inspect(&to_wit(&fixture.request))
                .map_err(|e: PluginFault| format!("plugin fault: {e}\n"))
                .and_then(|findings| fixture.compare(&findings.into_iter().map(from_wit).collect::<Vec<_>>()));
            FixtureResult { file, description: fixture.description, outcome }
        }
        Err(message) => FixtureResult {
            file,
            description: "（无法读取）".into(),
            outcome: Err(format!("not a fixture: {message}\n")),
        },
    }
}

/// The SDK's request as the interface carries it.
pub fn to_wit(r: &credit_sdk::InspectRequest) -> wit::InspectRequest {
    use credit_sdk::{Purpose, Role, Severity, SubjectKind};
    let kind = |k: SubjectKind| match k {
        SubjectKind::Organisation => wit::SubjectKind::Organisation,
        SubjectKind::IndividualBusiness => wit::SubjectKind::IndividualBusiness,
        SubjectKind::NaturalPerson => wit::SubjectKind::NaturalPerson,
    };
    wit::InspectRequest {
        subject: wit::Subject {
            key: r.subject.key.0.clone(),
            kind: kind(r.subject.kind),
            name: r.subject.name.clone(),
        },
        persons: r
            .persons
            .iter()
            .map(|p| wit::Person {
                key: p.key.0.clone(),
                name: p.name.clone(),
                role: match p.role {
                    Role::LegalRepresentative => wit::Role::LegalRepresentative,
                    Role::Principal => wit::Role::Principal,
                    Role::Investor => wit::Role::Investor,
                    Role::Operator => wit::Role::Operator,
                },
            })
            .collect(),
        purpose: match r.purpose {
            Purpose::Licensing => wit::Purpose::Licensing,
            Purpose::Funding => wit::Purpose::Funding,
            Purpose::Honours => wit::Purpose::Honours,
            Purpose::Supervision => wit::Purpose::Supervision,
        },
        licence_type: r.licence_type.clone(),
        as_of: r.as_of.clone(),
        records: r
            .records
            .iter()
            .map(|c| wit::CreditRecord {
                id: c.id.0.clone(),
                sector: c.sector.clone(),
                kind: c.kind.clone(),
                subject_key: c.subject_key.0.clone(),
                subject_name: c.subject_name.clone(),
                legal_representative_key: c.legal_representative_key.as_ref().map(|k| k.0.clone()),
                decision_number: c.decision_number.clone(),
                decision_date: c.decision_date.clone(),
                legal_basis: c.legal_basis.clone(),
                penalty_types: c.penalty_types.clone(),
                content: c.content.clone(),
                certificate: c.certificate.clone(),
                severity: match c.severity {
                    Severity::None => wit::Severity::None,
                    Severity::Minor => wit::Severity::Minor,
                    Severity::General => wit::Severity::General,
                    Severity::Serious => wit::Severity::Serious,
                },
                publicized: c.publicized,
                body: c.body.to_string(),
            })
            .collect(),
        list_entries: r
            .list_entries
            .iter()
            .map(|e| wit::ListEntry {
                list: e.list.clone(),
                subject_key: e.subject_key.0.clone(),
                start: e.start.clone(),
                end: e.end.clone(),
                record_id: e.record_id.as_ref().map(|id| id.0.clone()),
                basis: e.basis.clone(),
            })
            .collect(),
    }
}

/// The interface's finding as the SDK's.
pub fn from_wit(f: wit::Finding) -> credit_sdk::Finding {
    use credit_sdk::{Outcome, RecordId, RuleId};
    credit_sdk::Finding {
        rule_id: RuleId(f.rule_id),
        outcome: match f.outcome {
            wit::Outcome::Restricted => Outcome::Restricted,
            wit::Outcome::Caution => Outcome::Caution,
            wit::Outcome::Standard => Outcome::Standard,
            wit::Outcome::GreenChannel => Outcome::GreenChannel,
        },
        measures: f.measures,
        message: f.message,
        legal_basis: f.legal_basis,
        evidence: f.evidence.into_iter().map(RecordId).collect(),
        until: f.until,
    }
}
