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
        let outcome = inspect::<P>(&fixture.request)
            .map_err(|e| format!("plugin error {}: {}\n", e.code, e.message))
            .and_then(|findings| fixture.compare(&findings));
        if let Err(diff) = outcome {
            failures.push_str(&format!("{} ({}):\n{diff}\n", path.display(), fixture.description));
        }
    }
    assert!(failures.is_empty(), "fixtures failed:\n{failures}");
}
