//! The trait a plugin implements and the glue [`crate::export_plugin!`]
//! uses to expose it through the generated bindings.

use crate::types::*;
use serde_json::Value;

/// A sector plugin: its manifest, semantic record checks, commitment
/// templates and inspection rules. Every method is a pure function of its
/// arguments; a plugin sees no clock, file or network.
pub trait SectorPlugin {
    /// The manifest: sector, version, record kinds with schemas, licence
    /// types, commitment templates and rule catalogue. Called at upload and
    /// load; must always return the same value.
    fn manifest() -> Manifest;

    /// Semantic checks of record `bodies` of `kind`, already valid against
    /// the kind's JSON Schema. Returns one list of violations per body, in
    /// order. The default accepts everything.
    ///
    /// # Errors
    /// A [`PluginError`] for an unknown kind.
    fn check_records(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
        let _ = kind;
        Ok(vec![Vec::new(); bodies.len()])
    }

    /// Fill in commitment `template` for `subject` with `fields`.
    ///
    /// # Errors
    /// A [`PluginError`] for an unknown template or a missing field.
    fn render_commitment(template: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        let _ = (subject, fields);
        Err(PluginError::new("unknown-template", format!("no commitment template {template:?}")))
    }

    /// Apply the inspection rules to a credit file.
    ///
    /// # Errors
    /// A [`PluginError`] when the request cannot be inspected (e.g. an
    /// unknown licence type).
    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError>;
}

/// Export a [`SectorPlugin`] implementation as the component's `sector`
/// interface, and install the panic hook that sends a panic's message to the
/// host's log before the guest aborts. `$plugin` is the name of a type in
/// scope where the macro is invoked (usually the crate root).
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ident) => {
        // The component's exports exist only in the WebAssembly build; a
        // native build (tests, the harness) has none.
        #[cfg(target_arch = "wasm32")]
        #[doc(hidden)]
        mod __credit_plugin_export {
            use super::$plugin;

            pub struct __CreditPluginExport;

            impl $crate::__bindings::exports::credit::plugin::sector::Guest for __CreditPluginExport {
                fn manifest() -> $crate::__glue::WitManifest {
                    $crate::__glue::manifest::<$plugin>()
                }
                fn check_records(
                    kind: ::std::string::String,
                    bodies: ::std::vec::Vec<::std::string::String>,
                ) -> ::std::result::Result<$crate::__glue::WitViolations, $crate::__glue::WitError> {
                    $crate::__glue::check_records::<$plugin>(kind, bodies)
                }
                fn render_commitment(
                    template: ::std::string::String,
                    subject: $crate::__glue::WitSubject,
                    fields: ::std::string::String,
                ) -> ::std::result::Result<::std::string::String, $crate::__glue::WitError> {
                    $crate::__glue::render_commitment::<$plugin>(template, subject, fields)
                }
                fn inspect(
                    request: $crate::__glue::WitInspectRequest,
                ) -> ::std::result::Result<::std::vec::Vec<$crate::__glue::WitFinding>, $crate::__glue::WitError> {
                    $crate::__glue::inspect::<$plugin>(request)
                }
            }

            $crate::__bindings::__export_sector_plugin!(__CreditPluginExport with_types_in $crate::__bindings);
        }
    };
}

#[doc(hidden)]
pub mod glue {
    //! Conversions between the generated bindings and the SDK's types.
    use super::SectorPlugin;
    use crate::__bindings::credit::plugin::types as wit;
    use crate::types::*;
    use serde_json::Value;

    pub type WitManifest = wit::PluginManifest;
    pub type WitViolations = Vec<Vec<wit::Violation>>;
    pub type WitError = wit::PluginError;
    pub type WitSubject = wit::Subject;
    pub type WitInspectRequest = wit::InspectRequest;
    pub type WitFinding = wit::Finding;

    fn install_panic_hook() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            std::panic::set_hook(Box::new(|info| {
                crate::helpers::log_error(&format!("plugin panicked: {info}"));
            }));
        });
    }

    fn error(e: PluginError) -> wit::PluginError {
        wit::PluginError { code: e.code, message: e.message }
    }

    fn bad_json(what: &str, e: serde_json::Error) -> wit::PluginError {
        wit::PluginError { code: "invalid-json".into(), message: format!("{what} is not valid JSON: {e}") }
    }

    pub fn manifest<P: SectorPlugin>() -> wit::PluginManifest {
        install_panic_hook();
        let m = P::manifest();
        wit::PluginManifest {
            sector: m.sector,
            name: m.name,
            version: m.version,
            interface_version: m.interface_version,
            record_kinds: m
                .record_kinds
                .into_iter()
                .map(|k| wit::RecordKind { id: k.id, title: k.title, schema: k.schema.to_string() })
                .collect(),
            licence_types: m.licence_types,
            commitment_templates: m
                .commitment_templates
                .into_iter()
                .map(|t| wit::CommitmentTemplate {
                    id: t.id,
                    title: t.title,
                    licence_type: t.licence_type,
                    fields_schema: t.fields_schema.to_string(),
                })
                .collect(),
            rules: m
                .rules
                .into_iter()
                .map(|r| wit::RuleInfo { id: r.id.0, title: r.title, legal_basis: r.legal_basis })
                .collect(),
        }
    }

    pub fn check_records<P: SectorPlugin>(
        kind: String,
        bodies: Vec<String>,
    ) -> Result<WitViolations, wit::PluginError> {
        install_panic_hook();
        let values = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| serde_json::from_str::<Value>(b).map_err(|e| bad_json(&format!("body {i}"), e)))
            .collect::<Result<Vec<_>, _>>()?;
        let out = P::check_records(&kind, &values).map_err(error)?;
        Ok(out
            .into_iter()
            .map(|vs| {
                vs.into_iter()
                    .map(|v| wit::Violation {
                        pointer: v.pointer,
                        code: v.code,
                        message: v.message,
                        message_en: v.message_en,
                        warning: v.warning,
                    })
                    .collect()
            })
            .collect())
    }

    fn subject_kind(k: wit::SubjectKind) -> SubjectKind {
        match k {
            wit::SubjectKind::Organisation => SubjectKind::Organisation,
            wit::SubjectKind::IndividualBusiness => SubjectKind::IndividualBusiness,
            wit::SubjectKind::NaturalPerson => SubjectKind::NaturalPerson,
        }
    }

    fn subject(s: wit::Subject) -> Subject {
        Subject { key: SubjectKey(s.key), kind: subject_kind(s.kind), name: s.name }
    }

    pub fn render_commitment<P: SectorPlugin>(
        template: String,
        s: wit::Subject,
        fields: String,
    ) -> Result<String, wit::PluginError> {
        install_panic_hook();
        let fields: Value = serde_json::from_str(&fields).map_err(|e| bad_json("fields", e))?;
        P::render_commitment(&template, &subject(s), &fields).map_err(error)
    }

    fn record(r: wit::CreditRecord) -> Result<CreditRecord, wit::PluginError> {
        let body = serde_json::from_str(&r.body).map_err(|e| bad_json(&format!("record {}", r.id), e))?;
        Ok(CreditRecord {
            id: RecordId(r.id),
            sector: r.sector,
            kind: r.kind,
            subject_key: SubjectKey(r.subject_key),
            subject_name: r.subject_name,
            legal_representative_key: r.legal_representative_key.map(SubjectKey),
            decision_number: r.decision_number,
            decision_date: r.decision_date,
            legal_basis: r.legal_basis,
            penalty_types: r.penalty_types,
            content: r.content,
            certificate: r.certificate,
            severity: match r.severity {
                wit::Severity::None => Severity::None,
                wit::Severity::Minor => Severity::Minor,
                wit::Severity::General => Severity::General,
                wit::Severity::Serious => Severity::Serious,
            },
            publicized: r.publicized,
            body,
        })
    }

    pub fn inspect<P: SectorPlugin>(req: wit::InspectRequest) -> Result<Vec<wit::Finding>, wit::PluginError> {
        install_panic_hook();
        let request = InspectRequest {
            subject: subject(req.subject),
            persons: req
                .persons
                .into_iter()
                .map(|p| Person {
                    key: SubjectKey(p.key),
                    name: p.name,
                    role: match p.role {
                        wit::Role::LegalRepresentative => Role::LegalRepresentative,
                        wit::Role::Principal => Role::Principal,
                        wit::Role::Investor => Role::Investor,
                        wit::Role::Operator => Role::Operator,
                    },
                })
                .collect(),
            purpose: match req.purpose {
                wit::Purpose::Licensing => Purpose::Licensing,
                wit::Purpose::Funding => Purpose::Funding,
                wit::Purpose::Honours => Purpose::Honours,
                wit::Purpose::Supervision => Purpose::Supervision,
            },
            licence_type: req.licence_type,
            as_of: req.as_of,
            records: req.records.into_iter().map(record).collect::<Result<_, _>>()?,
            list_entries: req
                .list_entries
                .into_iter()
                .map(|e| ListEntry {
                    list: e.list,
                    subject_key: SubjectKey(e.subject_key),
                    start: e.start,
                    end: e.end,
                    record_id: e.record_id.map(RecordId),
                    basis: e.basis,
                })
                .collect(),
        };
        let findings = P::inspect(&request).map_err(error)?;
        Ok(findings
            .into_iter()
            .map(|f| wit::Finding {
                rule_id: f.rule_id.0,
                outcome: match f.outcome {
                    Outcome::Restricted => wit::Outcome::Restricted,
                    Outcome::Caution => wit::Outcome::Caution,
                    Outcome::Standard => wit::Outcome::Standard,
                    Outcome::GreenChannel => wit::Outcome::GreenChannel,
                },
                measures: f.measures,
                message: f.message,
                legal_basis: f.legal_basis,
                evidence: f.evidence.into_iter().map(|e| e.0).collect(),
                until: f.until,
            })
            .collect())
    }
}
