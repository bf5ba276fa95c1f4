//! The bureau-wide rules of a credit check (DESIGN.md §4–5), which the host
//! owns: penalties inside their publicity period, breaches of credit
//! commitments and the commitments signed, the serious dishonesty list and
//! joint punishment, the red list and the green channel; and how
//! they combine with a plugin's findings into one outcome.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The outcome of a check, most to least severe (`Ord`: the most severe is
/// the smallest, so `min()` picks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Refuse or exclude.
    Restricted,
    /// Cautious review and key supervision (审慎审查、重点监管).
    Caution,
    /// The ordinary procedure.
    Standard,
    /// Red list, nothing adverse: 绿色通道.
    GreenChannel,
}

/// Why a check is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
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

impl Purpose {
    /// The wire form (`licensing`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Licensing => "licensing",
            Self::Funding => "funding",
            Self::Honours => "honours",
            Self::Supervision => "supervision",
        }
    }
}

/// Who found a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FindingSource {
    /// A bureau-wide rule of the host.
    Host,
    /// The sector plugin.
    Plugin,
}

/// One finding of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// The rule's id.
    pub rule_id: String,
    /// Its outcome.
    pub outcome: Outcome,
    /// The measures it triggers (Chinese).
    pub measures: Vec<String>,
    /// Message (Chinese).
    pub message: String,
    /// The regulation and article (or policy document) it rests on.
    pub legal_basis: String,
    /// Ids of the credit records it rests on.
    pub evidence: Vec<String>,
    /// Until when the consequence lasts, `YYYY-MM-DD`; absent when for life
    /// or not time-bound.
    pub until: Option<String>,
    /// Host or plugin.
    pub source: FindingSource,
}

/// A record of the subject, as the host rules read it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    /// Record id.
    pub id: String,
    /// Record kind.
    pub kind: String,
    /// Severity.
    pub severity: crate::domain::severity::Severity,
    /// Decision number, for messages.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: Option<NaiveDate>,
    /// End of publicity, if published.
    pub publicity_end: Option<NaiveDate>,
}

/// A list entry of the subject.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileListEntry {
    /// `red`, `serious-dishonesty`, `minor-dishonesty`.
    pub list: String,
    /// Start.
    pub start: NaiveDate,
    /// End (exclusive).
    pub end: Option<NaiveDate>,
    /// The record it rests on.
    pub record_id: Option<String>,
    /// 列入事由 / 依据.
    pub basis: String,
}

impl FileListEntry {
    /// Whether the entry is in force on `as_of`.
    pub fn active(&self, as_of: NaiveDate) -> bool {
        self.start <= as_of && self.end.is_none_or(|e| as_of < e)
    }
}

/// Whether a record is inside its publicity period on `as_of`.
pub fn publicized(r: &FileRecord, as_of: NaiveDate) -> bool {
    r.decision_date.is_none_or(|d| d <= as_of) && r.publicity_end.is_some_and(|e| as_of < e)
}

const BASIS_PUBLICITY: &str =
    "《失信行为纠正后的信用信息修复管理办法》（国家发展改革委令第58号）；《文化和旅游市场信用管理规定》";
const BASIS_JOINT: &str = "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）；《文化和旅游市场信用管理规定》";
const BASIS_MINOR: &str = "《文化和旅游市场信用管理规定》（轻微失信主体：信用提醒、约谈、重点监管）";
const BASIS_BREACH: &str = "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号：曾作出虚假承诺的，信用修复前不适用告知承诺制）；《文化和旅游市场信用管理规定》";
const BASIS_COMMITMENT: &str = "国办发〔2020〕42号、国办发〔2020〕49号（信用承诺，事中事后核查履约情况）";
const BASIS_RED: &str = "郑文广新〔2017〕245号《关于推进文化领域信用体系建设工作的实施方案》（守信激励）";

/// The host's own findings about the subject's records and list entries.
pub fn bureau_findings(
    purpose: Purpose,
    as_of: NaiveDate,
    records: &[FileRecord],
    entries: &[FileListEntry],
) -> Vec<Finding> {
    use crate::domain::severity::Severity;
    let mut out = Vec::new();
    let published: Vec<&FileRecord> = records
        .iter()
        .filter(|r| r.kind == "penalty" && r.severity >= Severity::General && publicized(r, as_of))
        .collect();
    if !published.is_empty() {
        let until = published.iter().filter_map(|r| r.publicity_end).max();
        out.push(Finding {
            rule_id: "penalty-in-publicity".into(),
            outcome: Outcome::Caution,
            measures: vec!["审慎审查".into(), "重点监管".into()],
            message: format!(
                "有{}条一般或严重行政处罚仍在公示期内：{}",
                published.len(),
                published.iter().map(|r| r.decision_number.as_str()).collect::<Vec<_>>().join("、")
            ),
            legal_basis: BASIS_PUBLICITY.into(),
            evidence: published.iter().map(|r| r.id.clone()).collect(),
            until: until.map(|d| d.to_string()),
            source: FindingSource::Host,
        });
    }
    let breaches: Vec<&FileRecord> =
        records.iter().filter(|r| r.kind == "commitment-breach" && publicized(r, as_of)).collect();
    if !breaches.is_empty() {
        out.push(Finding {
            rule_id: "commitment-breach".into(),
            outcome: Outcome::Caution,
            measures: ["审慎审查", "重点监管", "不适用告知承诺制"].into_iter().map(str::to_owned).collect(),
            message: format!(
                "违背信用承诺{}次（{}），信用修复前不适用告知承诺制",
                breaches.len(),
                breaches.iter().map(|r| r.decision_number.as_str()).collect::<Vec<_>>().join("、")
            ),
            legal_basis: BASIS_BREACH.into(),
            evidence: breaches.iter().map(|r| r.id.clone()).collect(),
            until: breaches.iter().filter_map(|r| r.publicity_end).max().map(|d| d.to_string()),
            source: FindingSource::Host,
        });
    }
    let commitments: Vec<&FileRecord> =
        records.iter().filter(|r| r.kind == "commitment" && r.decision_date.is_none_or(|d| d <= as_of)).collect();
    if !commitments.is_empty() {
        out.push(Finding {
            rule_id: "credit-commitment".into(),
            outcome: Outcome::Standard,
            measures: vec!["核查承诺履行情况".into()],
            message: format!(
                "已签署信用承诺{}份（{}），按承诺核查履约情况",
                commitments.len(),
                commitments.iter().map(|r| r.decision_number.as_str()).collect::<Vec<_>>().join("、")
            ),
            legal_basis: BASIS_COMMITMENT.into(),
            evidence: commitments.iter().map(|r| r.id.clone()).collect(),
            until: None,
            source: FindingSource::Host,
        });
    }
    for e in entries.iter().filter(|e| e.list == "serious-dishonesty" && e.active(as_of)) {
        let (outcome, measures, what) = match purpose {
            Purpose::Funding => {
                (Outcome::Restricted, vec!["不予财政资金支持", "不得参与项目申报"], "依法限制申请财政资金扶持")
            }
            Purpose::Honours => (Outcome::Restricted, vec!["不得参加评优评先"], "依法限制参加评优评先"),
            Purpose::Licensing | Purpose::Supervision => (
                Outcome::Caution,
                vec!["审慎审查", "重点监管"],
                "实施审慎审查和重点监管；法律法规未规定的，不据此不予许可",
            ),
        };
        out.push(Finding {
            rule_id: "joint-punishment".into(),
            outcome,
            measures: measures.into_iter().map(str::to_owned).collect(),
            message: format!("自{}起列入严重失信主体名单（{}），{what}", e.start, e.basis),
            legal_basis: BASIS_JOINT.into(),
            evidence: e.record_id.iter().cloned().collect(),
            until: e.end.map(|d| d.to_string()),
            source: FindingSource::Host,
        });
    }
    for e in entries.iter().filter(|e| e.list == "minor-dishonesty" && e.active(as_of)) {
        out.push(Finding {
            rule_id: "minor-dishonesty".into(),
            outcome: Outcome::Caution,
            measures: ["重点监管", "信用提醒", "签署信用承诺"].into_iter().map(str::to_owned).collect(),
            message: format!("自{}起列入轻微失信主体名单（{}），实施信用提醒和重点监管", e.start, e.basis),
            legal_basis: BASIS_MINOR.into(),
            evidence: e.record_id.iter().cloned().collect(),
            until: e.end.map(|d| d.to_string()),
            source: FindingSource::Host,
        });
    }
    out
}

/// Combine every finding into one outcome: the most severe wins; the green
/// channel is given only when nothing adverse was found and a red-list entry
/// is in force, and then adds its own finding.
pub fn decide(findings: Vec<Finding>, entries: &[FileListEntry], as_of: NaiveDate) -> (Outcome, Vec<Finding>) {
    // The same rule on the same evidence is one finding, whichever role or
    // path led to it.
    let mut findings: Vec<Finding> = findings.into_iter().fold(Vec::new(), |mut kept, f| {
        if !kept.iter().any(|k: &Finding| k.rule_id == f.rule_id && k.evidence == f.evidence && k.until == f.until) {
            kept.push(f);
        }
        kept
    });
    let outcome = findings.iter().map(|f| f.outcome).min().unwrap_or(Outcome::Standard);
    if outcome >= Outcome::Standard
        && let Some(red) = entries.iter().find(|e| e.list == "red" && e.active(as_of))
    {
        findings.push(Finding {
            rule_id: "red-list-green-channel".into(),
            outcome: Outcome::GreenChannel,
            measures: vec!["优先办理".into(), "容缺办理".into(), "简化程序".into()],
            message: format!("守信红名单主体（{}，自{}起），无不良记录，适用绿色通道", red.basis, red.start),
            legal_basis: BASIS_RED.into(),
            evidence: Vec::new(),
            until: red.end.map(|d| d.to_string()),
            source: FindingSource::Host,
        });
        return (Outcome::GreenChannel, findings);
    }
    (outcome.min(Outcome::Standard), findings)
}

/// The union of the findings' measures, in order of first appearance.
pub fn measures(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in findings.iter().flat_map(|f| &f.measures) {
        if !out.contains(m) {
            out.push(m.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::severity::Severity;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn penalty(sev: Severity, decided: &str, end: Option<&str>) -> FileRecord {
        FileRecord {
            id: "r1".into(),
            kind: "penalty".into(),
            severity: sev,
            decision_number: "X罚〔2026〕1号".into(),
            decision_date: Some(d(decided)),
            publicity_end: end.map(d),
        }
    }

    fn serious_entry() -> FileListEntry {
        FileListEntry {
            list: "serious-dishonesty".into(),
            start: d("2025-05-22"),
            end: Some(d("2028-05-22")),
            record_id: Some("r1".into()),
            basis: "吊销".into(),
        }
    }

    #[test]
    fn general_penalty_in_publicity_means_caution() {
        let f = bureau_findings(
            Purpose::Licensing,
            d("2026-11-30"),
            &[penalty(Severity::General, "2026-02-26", Some("2027-02-26"))],
            &[],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].outcome, Outcome::Caution);
        assert_eq!(f[0].evidence, ["r1"]);
    }

    #[test]
    fn penalty_after_publicity_adds_nothing() {
        let f = bureau_findings(
            Purpose::Licensing,
            d("2026-11-30"),
            &[penalty(Severity::General, "2025-02-26", Some("2026-02-26"))],
            &[],
        );
        assert!(f.is_empty());
    }

    #[test]
    fn a_breached_commitment_cautions_while_published_and_a_signed_one_is_shown() {
        let commitment = FileRecord {
            id: "c1".into(),
            kind: "commitment".into(),
            severity: Severity::None,
            decision_number: "信用承诺〔2026〕ab".into(),
            decision_date: Some(d("2026-03-01")),
            publicity_end: None,
        };
        let breach = FileRecord {
            id: "b1".into(),
            kind: "commitment-breach".into(),
            severity: Severity::General,
            decision_number: "违背信用承诺〔2026〕cd".into(),
            decision_date: Some(d("2026-06-01")),
            publicity_end: Some(d("2027-06-01")),
        };
        let records = [commitment, breach];
        let f = bureau_findings(Purpose::Licensing, d("2026-11-30"), &records, &[]);
        let ids: Vec<(&str, Outcome)> = f.iter().map(|f| (f.rule_id.as_str(), f.outcome)).collect();
        assert_eq!(ids, [("commitment-breach", Outcome::Caution), ("credit-commitment", Outcome::Standard)]);
        assert_eq!((f[0].evidence.clone(), f[0].until.as_deref()), (vec!["b1".to_owned()], Some("2027-06-01")));
        assert!(f[0].measures.contains(&"不适用告知承诺制".to_owned()));
        // Before signing nothing; after the breach's publicity only the commitment.
        assert!(bureau_findings(Purpose::Licensing, d("2026-02-28"), &records, &[]).is_empty());
        let later = bureau_findings(Purpose::Licensing, d("2027-06-01"), &records, &[]);
        assert_eq!(later.iter().map(|f| f.rule_id.as_str()).collect::<Vec<_>>(), ["credit-commitment"]);
        let (outcome, _) = decide(later, &[], d("2027-06-01"));
        assert_eq!(outcome, Outcome::Standard);
    }

    #[test]
    fn serious_dishonesty_restricts_funding_but_only_cautions_licensing() {
        let e = [serious_entry()];
        assert_eq!(bureau_findings(Purpose::Funding, d("2026-11-30"), &[], &e)[0].outcome, Outcome::Restricted);
        assert_eq!(bureau_findings(Purpose::Honours, d("2026-11-30"), &[], &e)[0].outcome, Outcome::Restricted);
        assert_eq!(bureau_findings(Purpose::Licensing, d("2026-11-30"), &[], &e)[0].outcome, Outcome::Caution);
        assert!(bureau_findings(Purpose::Funding, d("2028-05-22"), &[], &e).is_empty());
    }

    #[test]
    fn green_channel_only_without_anything_adverse() {
        let red = FileListEntry {
            list: "red".into(),
            start: d("2026-03-01"),
            end: Some(d("2028-02-29")),
            record_id: None,
            basis: "示范".into(),
        };
        let (o, f) = decide(Vec::new(), std::slice::from_ref(&red), d("2026-11-30"));
        assert_eq!(o, Outcome::GreenChannel);
        assert_eq!(f[0].measures, ["优先办理", "容缺办理", "简化程序"]);
        let adverse = bureau_findings(Purpose::Licensing, d("2026-11-30"), &[], &[serious_entry()]);
        let (o, _) = decide(adverse, &[red], d("2026-11-30"));
        assert_eq!(o, Outcome::Caution);
    }

    #[test]
    fn minor_dishonesty_cautions_while_listed() {
        let minor = FileListEntry {
            list: "minor-dishonesty".into(),
            start: d("2026-03-10"),
            end: Some(d("2027-03-10")),
            record_id: None,
            basis: "未履行信用承诺".into(),
        };
        let f = bureau_findings(Purpose::Licensing, d("2026-11-30"), &[], std::slice::from_ref(&minor));
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].rule_id.as_str(), f[0].outcome), ("minor-dishonesty", Outcome::Caution));
        assert_eq!(f[0].until.as_deref(), Some("2027-03-10"));
        assert!(bureau_findings(Purpose::Licensing, d("2027-03-10"), &[], &[minor]).is_empty());
    }
}
