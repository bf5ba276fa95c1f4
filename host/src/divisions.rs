//! The bureau's divisions (处室) and the sectors each owns: configuration,
//! read from a TOML file (`config/divisions.toml` is the default, built in),
//! because the bureau has been reorganised since 2017 and will be again.
//! Plugins do not know which division uploads them.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// The built-in division table (`config/divisions.toml`).
pub const DEFAULT: &str = include_str!("../../config/divisions.toml");

/// What kind of unit (单位) a table entry is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// A division (处室) of the bureau: owns sectors and their plugins.
    #[default]
    Division,
    /// An affiliated unit (局属单位).
    AffiliatedUnit,
    /// The comprehensive law-enforcement detachment (综合执法支队), which
    /// decides penalties in every sector.
    Detachment,
    /// The credit office (信用办).
    CreditOffice,
    /// The bureau leadership (局领导), who approve what goes up for 报批.
    Leadership,
    /// Whoever runs the system (plugins, keys, accounts).
    Administration,
}

/// One unit: a division, or another unit accounts belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Division {
    /// Stable id, e.g. `cultural-market`.
    pub id: String,
    /// Name users read, e.g. `文化市场处`.
    pub name: String,
    /// What kind of unit (default `division`).
    #[serde(default)]
    pub kind: UnitKind,
    /// The sectors whose plugin it maintains (and, by default, whose records
    /// it reports).
    #[serde(default)]
    pub sectors: Vec<String>,
    /// What its reporters may report, as `sector:kind` scopes (`*` for any
    /// sector or kind; `*:penalty` is every sector's penalties). Default: every
    /// record kind of its own sectors except `penalty` (the detachment
    /// decides penalties) — `["<sector>:*"]` minus penalties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<Vec<String>>,
}

impl Division {
    /// Whether this unit's reporters may report records of `kind` in
    /// `sector` (`None` for the bureau-wide red list).
    pub fn may_report(&self, sector: Option<&str>, kind: &str) -> bool {
        match &self.reports {
            Some(scopes) => scopes.iter().any(|scope| {
                let (s, k) = scope.split_once(':').unwrap_or((scope, "*"));
                (s == "*" || Some(s) == sector) && (k == "*" || k == kind)
            }),
            None => kind != "penalty" && sector.is_some_and(|s| self.sectors.iter().any(|own| own == s)),
        }
    }
}

/// Every division.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divisions {
    /// In the order of the file.
    #[serde(rename = "division", default)]
    pub divisions: Vec<Division>,
}

/// Why a division table was refused.
#[derive(Debug, thiserror::Error)]
pub enum DivisionsError {
    /// The file could not be read.
    #[error("cannot read the division table {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not TOML of the expected shape (with line and column).
    #[error("the division table is not valid: {0}")]
    Syntax(String),
    /// A rule of the table is broken.
    #[error("the division table is not valid: {0}")]
    Invalid(String),
}

impl Divisions {
    /// Parse `text` and check it against the configured `sectors`.
    ///
    /// # Errors
    /// [`DivisionsError::Syntax`] for bad TOML or unknown keys;
    /// [`DivisionsError::Invalid`] for an empty or repeated id, an empty
    /// name, or a sector that is not configured.
    pub fn parse(text: &str, sectors: &[String]) -> Result<Self, DivisionsError> {
        let d: Self = toml::from_str(text).map_err(|e| DivisionsError::Syntax(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for div in &d.divisions {
            if div.id.trim().is_empty() || div.name.trim().is_empty() {
                return Err(DivisionsError::Invalid("every division needs an id and a name".into()));
            }
            if !seen.insert(div.id.as_str()) {
                return Err(DivisionsError::Invalid(format!("division id {:?} appears twice", div.id)));
            }
            for scope in div.reports.iter().flatten() {
                let ok = scope
                    .split_once(':')
                    .is_some_and(|(s, k)| !k.is_empty() && (s == "*" || sectors.iter().any(|c| c == s)));
                if !ok {
                    return Err(DivisionsError::Invalid(format!(
                        "unit {:?} reports {scope:?}: a scope is `sector:kind` with a configured sector or `*` (sectors: {})",
                        div.id,
                        sectors.join(", ")
                    )));
                }
            }
            if let Some(s) = div.sectors.iter().find(|s| !sectors.contains(s)) {
                return Err(DivisionsError::Invalid(format!(
                    "division {:?} ({}) owns sector {s:?}, which is not configured (sectors: {})",
                    div.id,
                    div.name,
                    sectors.join(", ")
                )));
            }
        }
        Ok(d)
    }

    /// Read `path`, or the built-in table when `None`.
    ///
    /// # Errors
    /// As [`Divisions::parse`], or [`DivisionsError::Read`].
    pub fn load(path: Option<&Path>, sectors: &[String]) -> Result<Self, DivisionsError> {
        match path {
            None => Self::parse(DEFAULT, sectors),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|source| DivisionsError::Read { path: p.display().to_string(), source })?;
                Self::parse(&text, sectors)
            }
        }
    }

    /// The divisions that own `sector`.
    pub fn owners(&self, sector: &str) -> Vec<&Division> {
        self.divisions.iter().filter(|d| d.sectors.iter().any(|s| s == sector)).collect()
    }

    /// The unit with id `id`.
    pub fn unit(&self, id: &str) -> Option<&Division> {
        self.divisions.iter().find(|d| d.id == id)
    }

    /// Configured sectors that no division owns.
    pub fn orphans<'a>(&self, sectors: &'a [String]) -> Vec<&'a str> {
        sectors.iter().filter(|s| self.owners(s).is_empty()).map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sectors() -> Vec<String> {
        crate::config::DEFAULT_SECTORS.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn the_built_in_table_covers_every_sector() {
        let d = Divisions::load(None, &sectors()).unwrap();
        assert_eq!(d.divisions.iter().filter(|d| d.kind == UnitKind::Division).count(), 10);
        assert!(d.orphans(&sectors()).is_empty());
        let arts: Vec<&str> = d.owners("arts-heritage").iter().map(|d| d.name.as_str()).collect();
        assert_eq!(arts, ["艺术处", "非物质文化遗产处", "公共文化处", "文化产业处"]);
        assert_eq!(d.owners("publishing").len(), 2);
    }

    #[test]
    fn scopes_follow_the_units_table() {
        let d = Divisions::load(None, &sectors()).unwrap();
        let market = d.unit("cultural-market").unwrap();
        assert!(market.may_report(Some("cultural-market"), "licence"));
        assert!(market.may_report(Some("cultural-market"), "performance-approval"));
        assert!(!market.may_report(Some("cultural-market"), "penalty"), "the detachment decides penalties");
        assert!(!market.may_report(Some("publishing"), "licence"));
        assert!(!market.may_report(None, "red-list"));
        let detachment = d.unit("enforcement-detachment").unwrap();
        for s in sectors() {
            assert!(detachment.may_report(Some(&s), "penalty"), "{s}");
            assert!(!detachment.may_report(Some(&s), "licence"), "{s}");
        }
        let office = d.unit("credit-office").unwrap();
        assert!(office.may_report(None, "red-list"));
        assert!(!office.may_report(Some("publishing"), "penalty"));
        assert!(d.unit("leadership").is_some_and(|u| u.kind == UnitKind::Leadership));
        let bad = "[[division]]\nid = \"x\"\nname = \"甲\"\nreports = [\"opera:penalty\"]\n";
        assert!(Divisions::parse(bad, &sectors()).unwrap_err().to_string().contains("reports \"opera:penalty\""));
    }

    #[test]
    fn a_reorganisation_is_a_new_table() {
        let text = "[[division]]\nid = \"culture-tourism-market\"\nname = \"文化和旅游市场管理处\"\nsectors = [\"cultural-market\", \"arts-heritage\"]\n";
        let d = Divisions::parse(text, &sectors()).unwrap();
        assert_eq!(d.owners("arts-heritage")[0].id, "culture-tourism-market");
        assert_eq!(d.orphans(&sectors()), ["publishing", "printing-distribution", "broadcasting"]);
    }

    #[test]
    fn bad_tables_are_refused_with_the_reason() {
        let err = |t: &str| Divisions::parse(t, &sectors()).unwrap_err().to_string();
        assert!(
            err("[[division]]\nid = \"a\"\nname = \"甲处\"\nsectors = [\"opera\"]\n")
                .contains("sector \"opera\", which is not configured")
        );
        assert!(err("[[division]]\nid = \"a\"\nname = \"甲\"\nsectors = []\n[[division]]\nid = \"a\"\nname = \"乙\"\nsectors = []\n").contains("\"a\" appears twice"));
        assert!(
            err("[[division]]\nid = \"a\"\nname = \"甲\"\nsectors = []\ncolour = 1\n")
                .contains("unknown field `colour`")
        );
        assert!(err("[[division]]\nid = \"\"\nname = \"甲\"\nsectors = []\n").contains("needs an id and a name"));
        let missing = Divisions::load(Some(Path::new("/nonexistent/divisions.toml")), &sectors()).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/divisions.toml"));
    }
}
