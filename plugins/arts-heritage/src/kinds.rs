//! The record kinds of the sector: their ids, Chinese titles, bundled JSON
//! Schemas, and the typed bodies of the sector's own kinds.
//!
//! Own kinds share the envelope the host reads for every kind —
//! `decision_number` (文书号), `decision_date` (决定日期), `authority` (决定机关),
//! `legal_basis` (依据), `content` (内容摘要) — and the shared `subject` fields.
//! The host maps a CSV column to a field by the property's Chinese `title`,
//! so the titles in `schemas/arts-heritage/*.schema.json` are the column
//! headers of the divisions' spreadsheets.

use credit_sdk::prelude::*;
use serde::Deserialize;

/// `penalty`: 行政处罚 (双公示).
pub const PENALTY: &str = "penalty";
/// `licence`: 行政许可 (双公示), the 营业性演出许可证 of 文艺表演团体.
pub const LICENCE: &str = "licence";
/// `practitioner`: 从业人员信用档案条目.
pub const PRACTITIONER: &str = "practitioner";
/// `inheritor-assessment`: 非物质文化遗产代表性传承人年度评估.
pub const INHERITOR_ASSESSMENT: &str = "inheritor-assessment";
/// `funding-acceptance`: 资助项目验收与绩效评价.
pub const FUNDING_ACCEPTANCE: &str = "funding-acceptance";

/// Every kind: (id, Chinese title, schema text).
pub const KINDS: [(&str, &str, &str); 5] = [
    (PENALTY, "行政处罚", include_str!("../../../schemas/arts-heritage/penalty.schema.json")),
    (LICENCE, "行政许可", include_str!("../../../schemas/arts-heritage/licence.schema.json")),
    (PRACTITIONER, "从业人员信用档案条目", include_str!("../../../schemas/arts-heritage/practitioner.schema.json")),
    (
        INHERITOR_ASSESSMENT,
        "非物质文化遗产代表性传承人年度评估",
        include_str!("../../../schemas/arts-heritage/inheritor-assessment.schema.json"),
    ),
    (
        FUNDING_ACCEPTANCE,
        "资助项目验收与绩效评价",
        include_str!("../../../schemas/arts-heritage/funding-acceptance.schema.json"),
    ),
];

/// The record kinds for the manifest, each schema bundled with the shared
/// definitions.
pub fn record_kinds() -> Vec<RecordKind> {
    KINDS
        .iter()
        .map(|(id, title, schema)| RecordKind { id: (*id).into(), title: (*title).into(), schema: bundle(schema) })
        .collect()
}

/// 行政相对人类别 of a natural person.
pub const NATURAL_PERSON: &str = "自然人";
/// 行政相对人类别 of an organisation.
pub const ORGANISATION: &str = "法人及非法人组织";

/// 从业人员类别 of a troupe (文艺表演团体).
pub const TROUPE: &str = "文艺表演团体";
/// 从业人员类别 of a performer (演员).
pub const PERFORMER: &str = "演员";
/// 从业人员类别 of a performance agent (演出经纪人员).
pub const AGENT: &str = "演出经纪人员";
/// 从业人员类别 of a representative inheritor.
pub const INHERITOR: &str = "非物质文化遗产代表性传承人";
/// 档案事项 of a disqualification (取消资格).
pub const DISQUALIFICATION: &str = "取消资格";
/// 档案事项 of a recognition (资格认定).
pub const RECOGNITION: &str = "资格认定";

/// A `practitioner` body (从业人员信用档案条目).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Practitioner {
    /// 行政相对人类别.
    #[serde(default)]
    pub subject_category: String,
    /// 从业人员类别: 文艺表演团体, 演员, 演出经纪人员, 非物质文化遗产代表性传承人.
    #[serde(default)]
    pub practitioner_category: String,
    /// 档案事项: 备案, 资格认定, 表彰奖励, 取消资格, 不良行为记录.
    #[serde(default)]
    pub entry_type: String,
    /// 级别 (国家级 … 县级).
    pub level: Option<String>,
}

/// An `inheritor-assessment` body (代表性传承人年度评估).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Assessment {
    /// 行政相对人类别.
    #[serde(default)]
    pub subject_category: String,
    /// 评估年度, `YYYY`.
    #[serde(default)]
    pub assessment_year: String,
    /// 评估结果: 合格, 基本合格, 不合格.
    #[serde(default)]
    pub result: String,
    /// 决定日期 `YYYY-MM-DD`.
    pub decision_date: Option<String>,
}

/// 评估结果 of a failed assessment.
pub const FAILED: &str = "不合格";

/// A `funding-acceptance` body (资助项目验收与绩效评价). Amounts in 万元.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FundingAcceptance {
    /// 立项日期 `YYYY-MM-DD`.
    pub approval_date: Option<String>,
    /// 资助金额（万元）.
    pub funded_wan_yuan: Option<f64>,
    /// 验收结论: 通过, 不通过, 终止.
    #[serde(default)]
    pub result: String,
    /// 是否弄虚作假: 是 / 否.
    #[serde(default)]
    pub false_materials: String,
    /// 是否追回资金: 是 / 否.
    #[serde(default)]
    pub funds_recovered: String,
    /// 追回金额（万元）.
    pub recovered_wan_yuan: Option<f64>,
    /// 决定日期 `YYYY-MM-DD`.
    pub decision_date: Option<String>,
}

impl FundingAcceptance {
    /// Materials were false (弄虚作假).
    pub fn fraud(&self) -> bool {
        self.false_materials == "是"
    }

    /// Funds were recovered as a sanction (追回).
    pub fn recovered(&self) -> bool {
        self.funds_recovered == "是"
    }

    /// The project failed acceptance or was terminated.
    pub fn failed(&self) -> bool {
        matches!(self.result.as_str(), "不通过" | "终止")
    }
}
