//! A native test harness: runs a plugin's logic without wasm, and checks
//! what the host would check of its answers.
//!
//! ```
//! # use credit_sdk::prelude::*;
//! # struct P;
//! # impl SectorPlugin for P {
//! #     fn manifest() -> Manifest { Manifest::new("demo", "示例", "0.1.0") }
//! #     fn inspect(_: &InspectRequest) -> Result<Vec<Finding>, PluginError> { Ok(vec![]) }
//! # }
//! let request: InspectRequest = serde_json::from_value(serde_json::json!({
//!     "subject": {"key": "91410104MA329GYC1F", "kind": "organisation", "name": "某网吧"},
//!     "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
//! })).unwrap();
//! let findings = credit_sdk::harness::inspect::<P>(&request).unwrap();
//! assert!(findings.is_empty());
//! ```

use crate::SectorPlugin;
use crate::types::*;
use serde_json::Value;

/// The plugin's manifest, checked: the interface version is the SDK's,
/// every schema is a JSON object, rule ids are unique and every rule names
/// its legal basis.
///
/// # Panics
/// On the first broken promise, with a message saying which.
pub fn manifest<P: SectorPlugin>() -> Manifest {
    let m = P::manifest();
    assert_eq!(m.interface_version, crate::INTERFACE_VERSION, "interface version");
    for k in &m.record_kinds {
        assert!(k.schema.is_object(), "schema of kind {:?} is not a JSON object", k.id);
    }
    let mut ids: Vec<_> = m.rules.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "rule ids are not unique");
    for r in &m.rules {
        assert!(!r.legal_basis.trim().is_empty(), "rule {:?} has no legal basis", r.id);
    }
    for t in &m.commitment_templates {
        assert!(t.fields_schema.is_object(), "fields schema of template {:?} is not a JSON object", t.id);
    }
    m
}

/// Run `check-records` natively.
///
/// # Errors
/// The plugin's own error.
///
/// # Panics
/// When the plugin returns a different number of lists than bodies.
pub fn check_records<P: SectorPlugin>(kind: &str, bodies: &[Value]) -> Result<Vec<Vec<Violation>>, PluginError> {
    let out = P::check_records(kind, bodies)?;
    assert_eq!(out.len(), bodies.len(), "one list of violations per body");
    Ok(out)
}

/// Run `inspect` natively and check every finding: its rule is in the
/// catalogue, it names a legal basis, and its evidence ids are records of
/// the request.
///
/// # Errors
/// The plugin's own error.
///
/// # Panics
/// On a finding that breaks one of those promises.
pub fn inspect<P: SectorPlugin>(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
    let m = P::manifest();
    let findings = P::inspect(request)?;
    for f in &findings {
        assert!(m.rules.iter().any(|r| r.id == f.rule_id), "finding of unknown rule {:?}", f.rule_id);
        assert!(!f.legal_basis.is_empty(), "finding of {:?} has no legal basis", f.rule_id);
        for e in &f.evidence {
            assert!(request.records.iter().any(|r| &r.id == e), "evidence {e:?} is not a record of the request");
        }
    }
    Ok(findings)
}

/// Run every fixture of `dir` (see [`crate::fixture`]) natively, through
/// [`inspect`]'s checks.
///
/// # Panics
/// When the directory or a fixture cannot be read, a plugin errs, or any
/// fixture's findings differ; the message lists every failing fixture with
/// its diff. Also when `dir` holds no fixture at all.
pub fn fixtures<P: SectorPlugin>(dir: &std::path::Path) {
    let fixtures = crate::fixture::Fixture::load_dir(dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(!fixtures.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = String::new();
    for (path, fixture) in &fixtures {
        let fixture = match fixture {
            Ok(f) => f,
            Err(e) => {
                failures.push_str(&format!("{e}\n"));
                continue;
            }
        };
        let outcome = inspect::<P>(&fixture.request)
            .map_err(|e| format!("plugin error {}: {}\n", e.code, e.message))
            .and_then(|findings| fixture.compare(&findings));
        if let Err(diff) = outcome {
            failures.push_str(&format!("{} ({}):\n{diff}\n", path.display(), fixture.description));
        }
    }
    assert!(failures.is_empty(), "fixtures failed:\n{failures}");
}

/// Check declared commitment templates: every placeholder is filled by a
/// field, and each renders with placeholder values.
///
/// # Panics
/// Naming the template and the unknown placeholders, or the render error.
pub fn templates(templates: &[crate::commitment::Template]) {
    let subject =
        Subject { key: "91410104MA329GYC1F".into(), kind: SubjectKind::Organisation, name: "测试单位".into() };
    for t in templates {
        assert!(
            t.unknown_placeholders().is_empty(),
            "template {:?}: unknown placeholders {:?}",
            t.id,
            t.unknown_placeholders()
        );
        let fields: serde_json::Map<String, Value> =
            t.fields.iter().map(|f| (f.name.to_owned(), Value::String(format!("〈{}〉", f.title)))).collect();
        let text = t.render(&subject, &Value::Object(fields)).unwrap_or_else(|e| panic!("template {:?}: {e:?}", t.id));
        assert!(text.starts_with(t.title), "template {:?}", t.id);
    }
}

/// One row of a sample file that a plugin refused.
#[derive(Debug)]
pub struct RefusedRow {
    /// 1-based line (the header is line 1).
    pub line: usize,
    /// Why: schema errors and the plugin's error-level violations.
    pub reasons: Vec<String>,
}

/// The record bodies of a 双公示 CSV file of record `kind`, mapped as the
/// host maps them (standard headers plus the kind schema's property
/// titles; numbers for number columns; empty cells left out), each with its
/// line.
///
/// # Panics
/// When the file cannot be read or has a column the kind does not know.
pub fn sample_bodies(path: &std::path::Path, kind: &str, schema: Option<&Value>) -> Vec<(usize, Value)> {
    let columns = crate::columns::Columns::new(kind, schema);
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fields: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .iter()
        .map(|h| {
            columns
                .field(h)
                .unwrap_or_else(|| panic!("{}: column {h:?} is not a field of {kind}", path.display()))
                .to_owned()
        })
        .collect();
    reader
        .records()
        .enumerate()
        .map(|(i, row)| {
            let row = row.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut body = serde_json::Map::new();
            for (cell, field) in row.iter().zip(&fields) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                let value = if columns.is_number(field) {
                    let plain = cell.replace(',', "");
                    plain
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| plain.parse::<f64>().map(Value::from))
                        .unwrap_or_else(|_| Value::String(cell.to_owned()))
                } else {
                    Value::String(cell.to_owned())
                };
                body.insert(field.clone(), value);
            }
            (i + 2, Value::Object(body))
        })
        .collect()
}

/// Run a sample file of record `kind` through the plugin's schema (bundled,
/// formats checked, as the host compiles it) and `check-records`: the rows
/// refused, with every reason. Warnings do not refuse a row.
///
/// # Panics
/// When the plugin has no such kind, its schema does not compile, the file
/// cannot be read or the plugin errs.
pub fn refused_rows<P: SectorPlugin>(kind: &str, path: &std::path::Path) -> Vec<RefusedRow> {
    let m = P::manifest();
    let schema =
        &m.record_kinds.iter().find(|k| k.id == kind).unwrap_or_else(|| panic!("no record kind {kind:?}")).schema;
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("schema of {kind:?} does not compile: {e}"));
    let rows = sample_bodies(path, kind, Some(schema));
    let bodies: Vec<Value> = rows.iter().map(|(_, b)| b.clone()).collect();
    let violations = check_records::<P>(kind, &bodies).unwrap_or_else(|e| panic!("check-records: {e:?}"));
    rows.iter()
        .zip(violations)
        .filter_map(|((line, body), violations)| {
            let mut reasons: Vec<String> =
                validator.iter_errors(body).map(|e| format!("schema {}: {e}", e.instance_path())).collect();
            reasons.extend(
                violations.iter().filter(|v| !v.warning).map(|v| format!("{} {}: {}", v.pointer, v.code, v.message)),
            );
            (!reasons.is_empty()).then_some(RefusedRow { line: *line, reasons })
        })
        .collect()
}
