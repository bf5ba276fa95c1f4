//! The platforms the bureau's published records are exported to
//! (configuration: `config/export-targets.toml`, built in), each with a
//! versioned field mapping, and the wire format of a delivery.
//!
//! A delivery is `POST {url}` with [`Delivery`]; the platform answers
//! [`Answer`], one result per item it decided. An item it does not answer
//! stays `sent` and goes again in the next round with the same `key`: the
//! delivery is at least once, and the key lets the platform drop a repeat.

use crate::store::StoredRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in targets (`config/export-targets.toml`).
pub const DEFAULT: &str = include_str!("../../config/export-targets.toml");

/// A platform records are exported to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Id (`municipal`, `culture-tourism`).
    pub id: String,
    /// Chinese name.
    pub name: String,
    /// Where deliveries are posted; empty: they wait as `pending`.
    #[serde(default)]
    pub url: String,
    /// Its field mapping, which names the record kinds it takes.
    pub mapping: Mapping,
}

/// A versioned field mapping: per record kind, platform field → record
/// field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Raised whenever the fields change.
    pub version: String,
    /// Record kind → (platform field → a key of the record's body, or a
    /// computed field: `@record_id`, `@state`, `@kind`, `@sector`,
    /// `@subject_name`, `@uscc`, `@decision_number`, `@decision_date`,
    /// `@authority`, `@publicity_end`, `@penalty_types`,
    /// `@violation_facts_public`: the office's publicity version of 违法事实
    /// — the facts as reported never leave).
    pub kinds: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    target: Vec<Target>,
}

/// The computed fields a mapping may name.
pub const COMPUTED: [&str; 12] = [
    "@record_id",
    "@state",
    "@kind",
    "@sector",
    "@subject_name",
    "@uscc",
    "@decision_number",
    "@decision_date",
    "@authority",
    "@publicity_end",
    "@penalty_types",
    "@violation_facts_public",
];

/// Record fields no mapping may send: the facts as reported (only their
/// publicity version leaves), ID numbers, addresses and contact details.
pub const PRIVATE: [&str; 6] =
    ["violation_facts", "legal_representative_id_number", "id_number", "address", "contact", "phone"];

/// The export targets.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// In file order.
    pub targets: Vec<Target>,
}

impl Targets {
    /// Read `path`, or the built-in table.
    ///
    /// # Errors
    /// Unreadable or invalid TOML, two targets with one id, a target
    /// without kinds, or a mapping naming an unknown computed field or a
    /// [`PRIVATE`] one.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let text = match path {
            Some(p) => std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?,
            None => DEFAULT.to_owned(),
        };
        Self::parse(&text)
    }

    /// Parse a target table.
    ///
    /// # Errors
    /// As [`Targets::load`].
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let file: File = toml::from_str(text)?;
        for (i, t) in file.target.iter().enumerate() {
            if file.target[..i].iter().any(|o| o.id == t.id) {
                anyhow::bail!("export target {:?} is declared twice", t.id);
            }
            if t.mapping.kinds.is_empty() {
                anyhow::bail!("export target {:?} takes no record kind", t.id);
            }
            for (kind, fields) in &t.mapping.kinds {
                if let Some((field, source)) = fields.iter().find(|(_, s)| PRIVATE.contains(&s.as_str())) {
                    anyhow::bail!(
                        "export target {:?}, kind {kind}: field {field:?} maps to {source:?}, which never leaves the bureau (违法事实 leaves only as @violation_facts_public)",
                        t.id
                    );
                }
                if let Some((field, source)) =
                    fields.iter().find(|(_, s)| s.starts_with('@') && !COMPUTED.contains(&s.as_str()))
                {
                    anyhow::bail!(
                        "export target {:?}, kind {kind}: field {field:?} maps to {source:?}, which is not one of {}",
                        t.id,
                        COMPUTED.join(", ")
                    );
                }
            }
        }
        Ok(Self { targets: file.target })
    }

    /// Target `id`.
    pub fn get(&self, id: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.id == id)
    }
}

impl Target {
    /// The record kinds it takes (those its mapping maps).
    pub fn kinds(&self) -> Vec<String> {
        self.mapping.kinds.keys().cloned().collect()
    }

    /// The fields of `record` under this target's mapping for its kind:
    /// each platform field with its value, or `null` when the record has
    /// none or the office withheld it as a trade secret.
    pub fn map(&self, record: &StoredRecord) -> serde_json::Map<String, serde_json::Value> {
        use serde_json::Value;
        let text = |s: &str| Value::String(s.to_owned());
        let opt = |s: Option<&str>| s.map_or(Value::Null, text);
        let uscc = record
            .body
            .get("uscc")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| (record.subject_kind != "natural-person").then(|| record.subject_key.clone()));
        let Some(fields) = self.mapping.kinds.get(&record.kind) else {
            return serde_json::Map::new();
        };
        fields
            .iter()
            .map(|(field, source)| {
                let value = match source.as_str() {
                    "@record_id" => text(&record.id),
                    "@state" => Value::from(record.state),
                    "@kind" => text(&record.kind),
                    "@sector" => opt(record.sector.as_deref()),
                    "@subject_name" => text(&record.subject_name),
                    "@uscc" => opt(uscc.as_deref()),
                    "@decision_number" => text(&record.decision_number),
                    "@decision_date" => opt(record.decision_date.as_deref()),
                    "@authority" => text(&record.authority),
                    "@publicity_end" => opt(record.publicity_ends()),
                    "@violation_facts_public" => opt(record.violation_facts_public.as_deref()),
                    "@penalty_types" => {
                        if record.penalty_types.is_empty() {
                            Value::Null
                        } else {
                            text(&record.penalty_types.join("；"))
                        }
                    }
                    key if record.withheld_fields.iter().any(|w| w == key) => Value::Null,
                    key => record.body.get(key).cloned().unwrap_or(Value::Null),
                };
                (field.clone(), value)
            })
            .collect()
    }
}

/// One item of a delivery.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryItem {
    /// Stable: the same record state and action always has the same key.
    pub key: String,
    /// `publish` (new), `change` (a corrected state), `end-publicity`
    /// (repaired: publicity ends early) or `withdraw` (revoked).
    pub action: String,
    /// Why, for `change`, `end-publicity` and `withdraw`: made public
    /// (行政处罚法第四十八条第二款).
    pub reason: Option<String>,
    /// The mapped fields.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// A delivery to one target.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Delivery {
    /// Target id.
    pub target: String,
    /// Mapping version of the items (a delivery holds one version).
    pub mapping: String,
    /// The items.
    pub items: Vec<DeliveryItem>,
}

/// A platform's answer to a delivery.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    /// One per item the platform decided.
    pub results: Vec<ItemResult>,
}

/// The platform's word on one item.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemResult {
    /// The item's key.
    pub key: String,
    /// `accepted` or `rejected`.
    pub status: String,
    /// The platform's reason (for a rejection).
    pub reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_targets_parse_and_bad_tables_say_why() {
        let t = Targets::parse(DEFAULT).unwrap();
        let ids: Vec<&str> = t.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["municipal", "culture-tourism"]);
        let municipal = t.get("municipal").unwrap();
        assert_eq!(municipal.kinds(), ["commitment", "commitment-breach", "licence", "penalty"]);
        assert_eq!(municipal.mapping.kinds["penalty"]["违法事实"], "@violation_facts_public");
        assert_eq!(t.get("culture-tourism").unwrap().kinds(), ["commitment-breach", "penalty"]);
        let one = |id: &str, source: &str| {
            format!(
                "[[target]]\nid='{id}'\nname='A'\n[target.mapping]\nversion='1'\n[target.mapping.kinds.penalty]\nx='{source}'\n"
            )
        };
        let twice = format!("{}{}", one("a", "@uscc"), one("a", "@uscc"));
        assert_eq!(Targets::parse(&twice).unwrap_err().to_string(), "export target \"a\" is declared twice");
        assert!(Targets::parse(&one("a", "@nothing")).unwrap_err().to_string().contains("maps to \"@nothing\""));
        let private = Targets::parse(&one("a", "violation_facts")).unwrap_err().to_string();
        assert!(private.contains("never leaves the bureau"), "{private}");
        let none = "[[target]]\nid='a'\nname='A'\n[target.mapping]\nversion='1'\n[target.mapping.kinds]\n";
        assert_eq!(Targets::parse(none).unwrap_err().to_string(), "export target \"a\" takes no record kind");
    }
}
