//! Severity of a penalty, its publicity period, and whether it puts its
//! subject on the serious dishonesty list. Every period is configurable in
//! [`CreditPolicy`]; the defaults are the national rules (DESIGN.md §5).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Severity of an administrative penalty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Not a penalty (a licence, a list entry).
    None,
    /// 轻微: a warning or 通报批评 alone, or a fine within the on-the-spot amounts.
    Minor,
    /// 一般: other fines, confiscation, suspension.
    General,
    /// 严重: revocation, closure of an unlicensed business, a ban on business or occupation.
    Serious,
}

impl Severity {
    /// Stable text form for the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Minor => "minor",
            Self::General => "general",
            Self::Serious => "serious",
        }
    }

    /// Parse the database form; unknown text is `None`.
    pub fn parse(s: &str) -> Self {
        match s {
            "minor" => Self::Minor,
            "general" => Self::General,
            "serious" => Self::Serious,
            _ => Self::None,
        }
    }
}

/// The bureau's configurable credit periods and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreditPolicy {
    /// Largest fine (万元) on an organisation that is still minor. Default 0.3
    /// (3,000 yuan). Source: 行政处罚法第五十一条 (on-the-spot amounts).
    pub minor_fine_max_organisation_wan_yuan: f64,
    /// Largest fine (万元) on a natural person or individual business that is
    /// still minor. Default 0.02 (200 yuan). Source: 行政处罚法第五十一条.
    pub minor_fine_max_person_wan_yuan: f64,
    /// Publicity of a general penalty, in years from the decision. Default 1.
    pub publicity_general_years: i32,
    /// Publicity of a serious penalty, in years from the decision. Default 3.
    pub publicity_serious_years: i32,
    /// Years a subject stays on the serious dishonesty list. Default 3.
    pub serious_list_years: i32,
    /// Decisions before this date are history only: they put no one on the
    /// serious dishonesty list. Default 2022-01-01 (文化和旅游市场信用管理规定).
    pub serious_list_effective_from: NaiveDate,
    /// Years a subject the bureau lists as minor dishonest stays listed,
    /// unless the decision says otherwise. Default 1 (DESIGN.md §5; keep
    /// configurable until checked against 文化和旅游市场信用管理规定).
    pub minor_list_years: i32,
    /// Years a red-list entry lasts unless the decision says otherwise.
    /// Default 2 (the period of the bureau's published red list).
    pub red_list_years: i32,
    /// Working days a notified subject has to state its case (陈述申辩)
    /// before a dishonesty entry may be decided, not counting the day the
    /// notice was served. Default 5 (文化和旅游市场信用管理规定, 告知 and
    /// 陈述申辩 before listing).
    pub hearing_working_days: u32,
    /// Working days a red-list proposal is announced (公示) before it may be
    /// decided, not counting the first day. Default 5.
    pub red_announcement_working_days: u32,
    /// Working days the unit that provided a record has to verify an
    /// objection against it, from acceptance (the day not counted; 补正
    /// stops the clock). Default 7 (郑文广新〔2017〕245号, 异议处理).
    pub objection_working_days: u32,
    /// Working days the credit office has to review the unit's opinion on
    /// an objection. Default 3 (the bureau's choice).
    pub objection_review_working_days: u32,
    /// Working days the investigating unit has to conclude a complaint or
    /// report, from acceptance (补正 stops the clock). Default 15 (the
    /// bureau's choice, as the 12345 hotline's usual term).
    pub complaint_working_days: u32,
    /// Working days the unit has to check a repair applicant's
    /// rectification, from acceptance (补正 stops the clock). Default 5 (the
    /// bureau's choice; the plan, 信用修复, sets no term).
    pub repair_check_working_days: u32,
    /// Working days the credit office has to review the unit's check of a
    /// repair. Default 3 (the bureau's choice).
    pub repair_review_working_days: u32,
    /// Working days the bureau leadership has to approve a repair (报批).
    /// Default 3 (the bureau's choice).
    pub repair_approval_working_days: u32,
    /// Working days the office has to issue the repair decision
    /// (准予 / 不予信用修复决定书) after the leadership decided. Default 2.
    pub repair_decision_working_days: u32,
    /// Working days the unit has to give its opinion when the national
    /// credit platform asks about a penalty's publicity repair. Default 3
    /// (keep configurable until checked against the platform's rules; the
    /// platform itself decides within 10 working days).
    pub repair_opinion_working_days: u32,
    /// Months a general penalty stays published before repair may end its
    /// publicity. Default 3. Source: 《失信行为纠正后的信用信息修复管理办法
    /// （试行）》（国家发展改革委令第58号）; DESIGN.md §5.
    pub repair_min_general_months: u32,
    /// Months a serious penalty stays published before repair may end its
    /// publicity. Default 12. Source: 国家发展改革委令第58号; DESIGN.md §5.
    pub repair_min_serious_months: u32,
}

impl Default for CreditPolicy {
    fn default() -> Self {
        Self {
            minor_fine_max_organisation_wan_yuan: 0.3,
            minor_fine_max_person_wan_yuan: 0.02,
            publicity_general_years: 1,
            publicity_serious_years: 3,
            serious_list_years: 3,
            serious_list_effective_from: NaiveDate::from_ymd_opt(2022, 1, 1).expect("valid date"),
            minor_list_years: 1,
            red_list_years: 2,
            hearing_working_days: 5,
            red_announcement_working_days: 5,
            objection_working_days: 7,
            objection_review_working_days: 3,
            complaint_working_days: 15,
            repair_check_working_days: 5,
            repair_review_working_days: 3,
            repair_approval_working_days: 3,
            repair_decision_working_days: 2,
            repair_opinion_working_days: 3,
            repair_min_general_months: 3,
            repair_min_serious_months: 12,
        }
    }
}

/// Split 处罚类别 (`警告；罚款；吊销许可证件`) into its types.
pub fn penalty_types(text: &str) -> Vec<String> {
    text.split(['；', ';', '、', ',', '，', '/']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Words in 处罚类别 or 处罚内容 that make a penalty serious.
const SERIOUS_WORDS: [&str; 6] = ["吊销", "取缔", "限制从业", "禁止从业", "责令关闭", "撤销许可"];
/// Words that make a penalty at least general.
const GENERAL_WORDS: [&str; 6] = ["没收", "停业", "停产", "暂扣", "降低资质", "限制开展生产经营"];

impl CreditPolicy {
    /// Classify a penalty from 处罚类别, 处罚内容, the fine (万元) and whether
    /// the party is a natural person or individual business.
    ///
    /// # Source
    /// DESIGN.md §5; 行政处罚法第九条 (penalty types), 第五十一条 (on-the-spot
    /// amounts); 失信行为纠正后的信用信息修复管理办法 (severity tiers).
    pub fn severity(&self, types: &[String], content: &str, fine_wan_yuan: Option<f64>, person: bool) -> Severity {
        let text = format!("{}|{content}", types.join("|"));
        if SERIOUS_WORDS.iter().any(|w| text.contains(w)) {
            return Severity::Serious;
        }
        if GENERAL_WORDS.iter().any(|w| text.contains(w)) {
            return Severity::General;
        }
        let max = if person { self.minor_fine_max_person_wan_yuan } else { self.minor_fine_max_organisation_wan_yuan };
        let fine = fine_wan_yuan.unwrap_or(0.0);
        let minor_type = |t: &String| {
            t.contains("警告") || t.contains("通报批评") || t == "其他" || (t.contains("罚款") && fine <= max + 1e-9)
        };
        if fine > max + 1e-9 || types.is_empty() || !types.iter().all(minor_type) {
            return Severity::General;
        }
        if types.iter().all(|t| t == "其他") { Severity::General } else { Severity::Minor }
    }

    /// The end of a penalty's publicity: the reported 公示截止期 wins;
    /// otherwise the decision date plus the period of its severity. Minor
    /// penalties are not published (`None`).
    ///
    /// # Source
    /// 国家发展改革委《失信行为纠正后的信用信息修复管理办法》: general 1 year,
    /// serious 3 years, from the decision.
    pub fn publicity_end(
        &self,
        severity: Severity,
        decided: Option<NaiveDate>,
        reported: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        if reported.is_some() {
            return reported;
        }
        let years = match severity {
            Severity::General => self.publicity_general_years,
            Severity::Serious => self.publicity_serious_years,
            Severity::None | Severity::Minor => return None,
        };
        decided.map(|d| add_years(d, years))
    }

    /// The serious-dishonesty list period `(start, end)` for a serious
    /// record decided on `decided`, or `None` when it is history only.
    ///
    /// # Source
    /// 文化和旅游市场信用管理规定 (2021): revocation and unlicensed operation
    /// are serious dishonesty; the entry dates from the decision.
    pub fn serious_list_period(
        &self,
        severity: Severity,
        decided: Option<NaiveDate>,
    ) -> Option<(NaiveDate, NaiveDate)> {
        let d = decided?;
        (severity == Severity::Serious && d >= self.serious_list_effective_from)
            .then(|| (d, add_years(d, self.serious_list_years)))
    }
}

/// `date` plus `years` calendar years (29 February → 28 February).
pub fn add_years(date: NaiveDate, years: i32) -> NaiveDate {
    let y = date.year() + years;
    NaiveDate::from_ymd_opt(y, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, date.month(), 28))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sev(types: &str, content: &str, fine: Option<f64>, person: bool) -> Severity {
        CreditPolicy::default().severity(&penalty_types(types), content, fine, person)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn warning_alone_is_minor() {
        assert_eq!(sev("警告", "给予警告", None, false), Severity::Minor);
        assert_eq!(sev("警告；其他", "责令改正；给予警告", None, false), Severity::Minor);
    }

    #[test]
    fn on_the_spot_fine_is_minor_and_above_it_general() {
        assert_eq!(sev("警告；罚款", "罚款3000元", Some(0.3), false), Severity::Minor);
        assert_eq!(sev("警告；罚款", "罚款8000元", Some(0.8), false), Severity::General);
        assert_eq!(sev("罚款", "罚款300元", Some(0.03), true), Severity::General);
    }

    #[test]
    fn revocation_and_closure_are_serious() {
        assert_eq!(sev("警告；罚款；吊销许可证件", "吊销网络文化经营许可证", Some(1.5), false), Severity::Serious);
        assert_eq!(sev("其他", "依法予以取缔", None, false), Severity::Serious);
    }

    #[test]
    fn confiscation_is_general() {
        assert_eq!(sev("没收违法所得、没收非法财物；其他", "没收出版物", None, false), Severity::General);
    }

    #[test]
    fn publicity_runs_from_decision_and_reported_end_wins() {
        let p = CreditPolicy::default();
        assert_eq!(p.publicity_end(Severity::General, Some(d("2026-02-26")), None), Some(d("2027-02-26")));
        assert_eq!(p.publicity_end(Severity::Serious, Some(d("2025-05-22")), None), Some(d("2028-05-22")));
        assert_eq!(p.publicity_end(Severity::Minor, Some(d("2024-01-09")), None), None);
        assert_eq!(
            p.publicity_end(Severity::General, Some(d("2026-02-26")), Some(d("2026-08-26"))),
            Some(d("2026-08-26"))
        );
    }

    #[test]
    fn serious_list_starts_at_decision_and_ignores_decisions_before_2022() {
        let p = CreditPolicy::default();
        assert_eq!(
            p.serious_list_period(Severity::Serious, Some(d("2025-05-22"))),
            Some((d("2025-05-22"), d("2028-05-22")))
        );
        assert_eq!(p.serious_list_period(Severity::Serious, Some(d("2020-03-10"))), None);
        assert_eq!(p.serious_list_period(Severity::General, Some(d("2025-05-22"))), None);
    }
}
