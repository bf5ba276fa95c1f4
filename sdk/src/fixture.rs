//! Fixtures: a credit file and the findings a plugin must give on it.
//!
//! One format serves the plugin's own unit tests ([`crate::harness::fixtures`],
//! native) and the host's test of the compiled component (`credit-host plugin
//! test PLUGIN.wasm DIR`, and the end-to-end tests). A fixture is one JSON
//! file:
//!
//! ```json
//! {
//!   "description": "网吧被吊销许可证，其法定代表人5年内不得担任网吧负责人",
//!   "request": {
//!     "subject": {"key": "91410104MAN0NYBQX1", "kind": "organisation", "name": "新网吧"},
//!     "persons": [{"key": "p-1", "name": "尹然梅", "role": "legal-representative"}],
//!     "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30",
//!     "records": [ … credit records as the host sends them … ]
//!   },
//!   "expected": [
//!     {"rule_id": "cafe-revocation-ban", "outcome": "restricted", "until": "2030-05-22", "evidence": ["r1"]}
//!   ]
//! }
//! ```
//!
//! `request.as_of` is required, so a fixture's answer never drifts with the
//! calendar. The plugin's findings must match `expected` one to one, by rule
//! and outcome; `until` and `evidence`, when given, must match too (`until:
//! null` means "for life").

use crate::types::{Finding, InspectRequest, Outcome};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One fixture file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What it shows, in a sentence (Chinese or English).
    pub description: String,
    /// The inspection request, with its `as_of`.
    pub request: InspectRequest,
    /// The findings the plugin must give, in any order.
    pub expected: Vec<ExpectedFinding>,
}

/// A finding a fixture expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    /// Rule id.
    pub rule_id: String,
    /// Outcome.
    pub outcome: Outcome,
    /// `until` of the finding; absent: not compared; `null`: for life.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub until: Option<Option<String>>,
    /// Evidence record ids in order; absent: not compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Vec<String>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref().unwrap_or(&None).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}

impl ExpectedFinding {
    fn matches(&self, f: &Finding) -> bool {
        self.rule_id == f.rule_id.as_str()
            && self.outcome == f.outcome
            && self.until.as_ref().is_none_or(|u| *u == f.until)
            && self
                .evidence
                .as_ref()
                .is_none_or(|e| e.iter().map(String::as_str).eq(f.evidence.iter().map(|r| r.as_str())))
    }
}

/// Why a fixture file could not be used.
#[derive(Debug)]
pub struct LoadError {
    /// The file (or directory).
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

impl Fixture {
    /// Every `*.json` file of `dir`, sorted by name, each read as a
    /// fixture or, when it is not one, the reason (with serde's line and
    /// column), so one broken file does not hide the others.
    ///
    /// # Errors
    /// An unreadable directory.
    #[allow(clippy::type_complexity)]
    pub fn load_dir(dir: &Path) -> Result<Vec<(PathBuf, Result<Fixture, LoadError>)>, LoadError> {
        let err = |path: &Path, message: String| LoadError { path: path.to_owned(), message };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| err(dir, e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        Ok(paths
            .into_iter()
            .map(|p| {
                let fixture = std::fs::read_to_string(&p)
                    .map_err(|e| err(&p, e.to_string()))
                    .and_then(|text| serde_json::from_str::<Fixture>(&text).map_err(|e| err(&p, e.to_string())))
                    .and_then(|f| match crate::helpers::date(&f.request.as_of) {
                        Some(_) => Ok(f),
                        None => Err(err(&p, format!("request.as_of {:?} is not YYYY-MM-DD", f.request.as_of))),
                    });
                (p, fixture)
            })
            .collect())
    }

    /// Compare the plugin's `findings` with the expected ones.
    ///
    /// # Errors
    /// A readable diff: `- ` lines for expected findings the plugin did not
    /// give, `+ ` lines for findings it gave that were not expected.
    pub fn compare(&self, findings: &[Finding]) -> Result<(), String> {
        let mut unmatched: Vec<&Finding> = findings.iter().collect();
        let mut missing = Vec::new();
        for e in &self.expected {
            match unmatched.iter().position(|f| e.matches(f)) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => missing.push(e),
            }
        }
        if missing.is_empty() && unmatched.is_empty() {
            return Ok(());
        }
        let mut diff = String::new();
        for e in missing {
            diff.push_str(&format!("- expected {}\n", serde_json::to_string(e).unwrap_or_default()));
        }
        for f in unmatched {
            let shown = ExpectedFinding {
                rule_id: f.rule_id.as_str().to_owned(),
                outcome: f.outcome,
                until: Some(f.until.clone()),
                evidence: Some(f.evidence.iter().map(|r| r.as_str().to_owned()).collect()),
            };
            diff.push_str(&format!(
                "+ got      {}  ({})\n",
                serde_json::to_string(&shown).unwrap_or_default(),
                f.message
            ));
        }
        Err(diff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpers::FindingBuilder;

    fn fixture(expected: serde_json::Value) -> Fixture {
        serde_json::from_value(serde_json::json!({
            "description": "d",
            "request": {"subject": {"key": "k", "kind": "organisation", "name": "n"}, "purpose": "licensing", "as_of": "2026-11-30"},
            "expected": expected
        }))
        .unwrap()
    }

    #[test]
    fn findings_match_by_rule_outcome_and_given_fields() {
        let got = [FindingBuilder::new("ban", Outcome::Restricted).until("2030-05-22").evidence("r1").build()];
        assert!(fixture(serde_json::json!([{"rule_id": "ban", "outcome": "restricted"}])).compare(&got).is_ok());
        let f = fixture(serde_json::json!([{"rule_id": "ban", "outcome": "restricted", "until": "2030-05-23"}]));
        let diff = f.compare(&got).unwrap_err();
        assert!(
            diff.contains("- expected {\"rule_id\":\"ban\",\"outcome\":\"restricted\",\"until\":\"2030-05-23\"}"),
            "{diff}"
        );
        assert!(diff.contains("+ got      {\"rule_id\":\"ban\",\"outcome\":\"restricted\",\"until\":\"2030-05-22\",\"evidence\":[\"r1\"]}"), "{diff}");
        // `until: null` means for life.
        let f = fixture(serde_json::json!([{"rule_id": "ban", "outcome": "restricted", "until": null}]));
        assert!(f.compare(&got).is_err());
        assert!(fixture(serde_json::json!([])).compare(&got).unwrap_err().starts_with("+ got"));
    }
}
