//! The shared types of the credit domain as idiomatic Rust.
//!
//! They mirror `credit:plugin/types` (see `sdk/wit/plugin.wit`, the source
//! of truth) and derive serde so that tests can write requests as JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! string_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_newtype!(
    /// A subject's opaque key: the USCC of an organisation, the host's keyed
    /// hash of a natural person's ID number (never the number itself).
    SubjectKey
);
string_newtype!(
    /// A credit record's id, used as evidence in findings.
    RecordId
);
string_newtype!(
    /// A rule's stable id, e.g. `cafe-revocation-ban`.
    RuleId
);

/// The outcome of a check, most to least severe (`Ord`: `Restricted` is the
/// smallest, so `min()` picks the most severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Refuse or exclude.
    Restricted,
    /// Cautious review and key supervision.
    Caution,
    /// The ordinary procedure.
    Standard,
    /// Red list and nothing adverse.
    GreenChannel,
}

/// Why a check is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// 行政许可.
    Licensing,
    /// 财政资金扶持、项目申报.
    Funding,
    /// 评优评先.
    Honours,
    /// 日常监管、抽查.
    Supervision,
}

/// The role a person holds in an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 法定代表人.
    LegalRepresentative,
    /// 主要负责人 / 负责人.
    Principal,
    /// 投资人.
    Investor,
    /// 经营者 of an individual business.
    Operator,
}

/// The kind of credit subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    /// 法人及非法人组织.
    Organisation,
    /// 个体工商户.
    IndividualBusiness,
    /// 自然人.
    NaturalPerson,
}

/// Severity of a penalty as the host classified it (DESIGN.md §5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Not a penalty.
    #[default]
    None,
    /// 轻微.
    Minor,
    /// 一般.
    General,
    /// 严重.
    Serious,
}

/// A rule in the plugin's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Stable id.
    pub id: RuleId,
    /// Chinese title.
    pub title: String,
    /// Regulation and article.
    pub legal_basis: String,
}

/// A record kind with its JSON Schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordKind {
    /// Kind id (`penalty`, `licence`, …).
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// JSON Schema of the body (draft 2020-12), shared definitions inlined.
    pub schema: Value,
}

/// A commitment template (信用承诺书).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentTemplate {
    /// Template id.
    pub id: String,
    /// Chinese title.
    pub title: String,
    /// Licence type it is signed for.
    pub licence_type: Option<String>,
    /// JSON Schema of its fields.
    pub fields_schema: Value,
}

/// What a plugin is and offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Sector id.
    pub sector: String,
    /// Display name (Chinese).
    pub name: String,
    /// The plugin's semantic version.
    pub version: String,
    /// Interface version (set by the SDK to [`crate::INTERFACE_VERSION`]).
    pub interface_version: String,
    /// Record kinds.
    pub record_kinds: Vec<RecordKind>,
    /// Licence types inspected for.
    pub licence_types: Vec<String>,
    /// Commitment templates.
    pub commitment_templates: Vec<CommitmentTemplate>,
    /// Rule catalogue.
    pub rules: Vec<RuleInfo>,
}

impl Manifest {
    /// An empty manifest for `sector`, with the SDK's interface version.
    pub fn new(sector: &str, name: &str, version: &str) -> Self {
        Self {
            sector: sector.to_owned(),
            name: name.to_owned(),
            version: version.to_owned(),
            interface_version: crate::INTERFACE_VERSION.to_owned(),
            record_kinds: Vec::new(),
            licence_types: Vec::new(),
            commitment_templates: Vec::new(),
            rules: Vec::new(),
        }
    }
}

/// One semantic problem in a record body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// JSON pointer into the body (`/fine_wan_yuan`); empty for the whole.
    pub pointer: String,
    /// Stable code, e.g. `fine-out-of-range`.
    pub code: String,
    /// Chinese message for the clerk.
    pub message: String,
    /// English message.
    pub message_en: String,
    /// A warning does not reject the record.
    pub warning: bool,
}

impl Violation {
    /// An error (rejects the record) at `pointer`.
    pub fn error(pointer: &str, code: &str, message: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_owned(),
            code: code.to_owned(),
            message: message.into(),
            message_en: message_en.into(),
            warning: false,
        }
    }

    /// A warning (reported, does not reject) at `pointer`.
    pub fn warning(pointer: &str, code: &str, message: impl Into<String>, message_en: impl Into<String>) -> Self {
        Self { warning: true, ..Self::error(pointer, code, message, message_en) }
    }
}

/// A plugin's own error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginError {
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

impl PluginError {
    /// A new error.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }
}

/// A subject as plugins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Opaque key.
    pub key: SubjectKey,
    /// Kind.
    pub kind: SubjectKind,
    /// Display name (never matched on).
    pub name: String,
}

/// A person linked to the subject of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person's key.
    pub key: SubjectKey,
    /// Display name.
    pub name: String,
    /// Role in the applicant.
    pub role: Role,
}

/// A credit record with its 双公示 envelope and the sector body. The host
/// sends every field; in fixtures all but `id`, `sector`, `kind` and
/// `subject_key` may be left out (empty, `none`, `false`, `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreditRecord {
    /// Record id.
    pub id: RecordId,
    /// Sector.
    pub sector: String,
    /// Kind.
    pub kind: String,
    /// The subject's key.
    pub subject_key: SubjectKey,
    /// The subject's display name.
    #[serde(default)]
    pub subject_name: String,
    /// Key of the person named as 法定代表人 / operator.
    #[serde(default)]
    pub legal_representative_key: Option<SubjectKey>,
    /// Decision number.
    #[serde(default)]
    pub decision_number: String,
    /// Decision date `YYYY-MM-DD`.
    #[serde(default)]
    pub decision_date: Option<String>,
    /// 处罚依据 / 许可依据.
    #[serde(default)]
    pub legal_basis: String,
    /// 处罚类别, split.
    #[serde(default)]
    pub penalty_types: Vec<String>,
    /// 处罚内容 / 许可内容.
    #[serde(default)]
    pub content: String,
    /// 暂扣或吊销证照名称及编号 / 许可证书名称.
    #[serde(default)]
    pub certificate: String,
    /// Severity the host computed.
    #[serde(default)]
    pub severity: Severity,
    /// Inside its publicity period on the check date.
    #[serde(default)]
    pub publicized: bool,
    /// The body.
    #[serde(default)]
    pub body: Value,
}

impl CreditRecord {
    /// Whether 处罚类别 or 处罚内容 revokes a licence (吊销).
    pub fn is_revocation(&self) -> bool {
        self.penalty_types.iter().any(|t| t.contains("吊销")) || self.content.contains("吊销")
    }

    /// Whether it cancels a licence (撤销许可证件, e.g. one obtained by
    /// fraud), which some articles treat as a revocation.
    pub fn is_cancellation(&self) -> bool {
        let cancels = |t: &str| t.contains("撤销") && (t.contains("许可") || t.contains("证"));
        self.penalty_types.iter().any(|t| cancels(t)) || cancels(&self.content)
    }

    /// The legal form of the penalised party, from its key: a USCC whose
    /// registration-authority and category characters are `92` is an
    /// individual business (GB 32100-2015: 9 市场监管, 2 个体工商户), any other
    /// USCC an organisation, anything else (the host's keyed hash of an ID
    /// number) a natural person.
    pub fn party(&self) -> Party {
        Party::of_key(self.subject_key.as_str())
    }

    /// Whether it closes an unlicensed business (取缔).
    pub fn is_closure(&self) -> bool {
        self.penalty_types.iter().any(|t| t.contains("取缔")) || self.content.contains("取缔")
    }

    /// Whether 处罚依据 cites the regulation named `title` (without 《》).
    pub fn cites(&self, title: &str) -> bool {
        crate::schema::cites_regulation(&self.legal_basis, title)
    }
}

/// The legal form of a party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// 单位: a legal person or other organisation.
    Unit,
    /// 个体工商户.
    IndividualBusiness,
    /// 自然人.
    NaturalPerson,
}

impl Party {
    /// The form a subject key stands for (see [`CreditRecord::party`]).
    pub fn of_key(key: &str) -> Self {
        const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        let uscc = key.chars().count() == 18 && key.chars().all(|c| USCC_CHARS.contains(c));
        match (uscc, key.starts_with("92")) {
            (true, true) => Self::IndividualBusiness,
            (true, false) => Self::Unit,
            (false, _) => Self::NaturalPerson,
        }
    }

    /// The form of a subject under check.
    pub fn of_subject(subject: &Subject) -> Self {
        match subject.kind {
            SubjectKind::Organisation => Self::Unit,
            SubjectKind::IndividualBusiness => Self::IndividualBusiness,
            SubjectKind::NaturalPerson => Self::NaturalPerson,
        }
    }

    /// Chinese name: 单位, 个体工商户, 自然人.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unit => "单位",
            Self::IndividualBusiness => "个体工商户",
            Self::NaturalPerson => "自然人",
        }
    }
}

/// A list entry (红黑榜).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// `red`, `serious-dishonesty` or `minor-dishonesty`.
    pub list: String,
    /// Whose entry.
    pub subject_key: SubjectKey,
    /// Start date.
    pub start: String,
    /// End date.
    pub end: Option<String>,
    /// The record it rests on.
    pub record_id: Option<RecordId>,
    /// Basis.
    pub basis: String,
}

/// Everything a plugin needs to inspect a subject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectRequest {
    /// The subject under check.
    pub subject: Subject,
    /// Its persons.
    #[serde(default)]
    pub persons: Vec<Person>,
    /// Purpose.
    pub purpose: Purpose,
    /// Licence type (licensing only).
    pub licence_type: Option<String>,
    /// Check date `YYYY-MM-DD`.
    pub as_of: String,
    /// The credit file.
    #[serde(default)]
    pub records: Vec<CreditRecord>,
    /// List entries.
    #[serde(default)]
    pub list_entries: Vec<ListEntry>,
}

/// One result of an inspection rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id.
    pub rule_id: RuleId,
    /// Outcome.
    pub outcome: Outcome,
    /// Measures (Chinese).
    pub measures: Vec<String>,
    /// Message (Chinese).
    pub message: String,
    /// Regulation and article.
    pub legal_basis: String,
    /// Evidence record ids.
    pub evidence: Vec<RecordId>,
    /// Until when it lasts (`None`: for life or not time-bound).
    pub until: Option<String>,
}
