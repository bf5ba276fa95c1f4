//! The request and answer of a credit check.

use crate::domain::check::{Finding, Outcome, Purpose};
use serde::{Deserialize, Serialize};

/// The subject of a check: an organisation by USCC or a natural person by
/// ID number (exactly one). The name is shown, never matched on.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectRef {
    /// 统一社会信用代码.
    pub uscc: Option<String>,
    /// 居民身份证号码 (a natural person).
    pub id_number: Option<String>,
    /// Name as the applicant gives it.
    pub name: Option<String>,
}

/// The role of a person in the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
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

/// A person named in the application.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    /// Role.
    pub role: Role,
    /// Name.
    pub name: Option<String>,
    /// ID number.
    pub id_number: String,
}

/// `POST /api/v1/checks` request.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// The applicant.
    pub subject: SubjectRef,
    /// Its persons (optional; the host also follows the links it knows).
    #[serde(default)]
    pub persons: Vec<PersonRef>,
    /// Sector whose plugin inspects.
    pub sector: String,
    /// Why.
    pub purpose: Purpose,
    /// Licence type, required for `licensing`, absent otherwise.
    pub licence_type: Option<String>,
    /// Check date `YYYY-MM-DD`, default today (Beijing time); recorded, so a
    /// past decision can be replayed.
    pub as_of: Option<String>,
}

/// The subject as the answer shows it (never a full ID number).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubjectView {
    /// `organisation`, `individual-business`, `natural-person`.
    pub kind: String,
    /// Name (the stored one if known, else the request's).
    pub name: String,
    /// USCC.
    pub uscc: Option<String>,
    /// Masked ID number.
    pub id_masked: Option<String>,
    /// Whether the bureau has records of it.
    pub known: bool,
}

/// The plugin that answered.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PluginRef {
    /// Sector.
    pub sector: String,
    /// Plugin version.
    pub version: String,
}

/// `POST /api/v1/checks` answer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckResponse {
    /// Check id, readable at `GET /api/v1/checks/{id}`.
    pub check_id: String,
    /// The decision.
    pub outcome: Outcome,
    /// Every finding, host and plugin.
    pub findings: Vec<Finding>,
    /// The measures of all findings.
    pub measures: Vec<String>,
    /// The subject.
    pub subject: SubjectView,
    /// The plugin.
    pub plugin: PluginRef,
    /// The check date.
    pub as_of: String,
    /// Notes (e.g. that no records were found).
    pub notes: Vec<String>,
}
