//! The sector's own record kind `performance-approval` (营业性演出审批): one
//! approval document (批准文件) for a commercial performance, its subject
//! the organiser (演出举办单位). Schema:
//! `schemas/cultural-market/performance-approval.schema.json`.
//!
//! # Source
//! 营业性演出管理条例第十三条 (application to the county-level culture
//! authority of the place of performance, a decision within 3 days, 批准文件);
//! 第十五条 (with foreign or Hong Kong / Macao performers: the provincial
//! authority; Taiwan: the authority the ministry designates); 第十四条 (who
//! may organise a performance with such performers); 第十二条第二款 (who may
//! organise a group show, 营业性组台演出); 第十六条 (what the application
//! names: name, organiser, performers, time, place, sessions; a change is
//! approved anew); 第二十四条第二款 (words a performance may not bear).

use crate::checks::{PERFORMANCE, PROVINCIAL};
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

/// The kind's id.
pub const KIND: &str = "performance-approval";

/// Words a commercial performance may not bear (营业性演出管理条例第二十四条第二款).
pub const NATIONAL_WORDS: [&str; 4] = ["中国", "中华", "全国", "国际"];

/// Where performers from outside the mainland come from, as 第十四条 and
/// 第十五条 distinguish them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// 外国.
    Foreign,
    /// 香港特别行政区, 澳门特别行政区.
    HongKongMacao,
    /// 台湾地区.
    Taiwan,
}

impl Origin {
    /// The origin a cell token names (`外国`, `香港`/`香港特别行政区`,
    /// `澳门`/`澳门特别行政区`, `港澳`, `台湾`/`台湾地区`).
    pub fn parse(token: &str) -> Option<Self> {
        match token {
            "外国" => Some(Self::Foreign),
            "香港" | "香港特别行政区" | "澳门" | "澳门特别行政区" | "港澳" => {
                Some(Self::HongKongMacao)
            }
            "台湾" | "台湾地区" => Some(Self::Taiwan),
            _ => None,
        }
    }
}

/// A performance-approval body (the fields the checks read).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PerformanceApproval {
    /// The organiser's USCC.
    pub uscc: Option<String>,
    /// 批准文号.
    #[serde(default)]
    pub decision_number: String,
    /// 批准日期 `YYYY-MM-DD`.
    pub decision_date: Option<String>,
    /// 审批机关.
    #[serde(default)]
    pub authority: String,
    /// 审批依据.
    #[serde(default)]
    pub legal_basis: String,
    /// 演出举办单位类别: 演出经纪机构, 文艺表演团体, 演出场所经营单位, 个体演员.
    #[serde(default)]
    pub organiser_type: String,
    /// 营业性演出许可证编号.
    pub organiser_licence_number: Option<String>,
    /// 演出名称.
    #[serde(default)]
    pub performance_name: String,
    /// 是否营业性组台演出: 是 or 否.
    pub group_show: Option<String>,
    /// 外国或港澳台参演方: `无`, or origins separated by `；`.
    #[serde(default)]
    pub overseas_performers: String,
    /// 演出场所经营单位统一社会信用代码.
    pub venue_operator_uscc: Option<String>,
    /// 演出开始日期 `YYYY-MM-DD`. Not named `start_date`: the host refuses a
    /// `start_date` after the day of import (it is a red-list entry's
    /// 列入日期), and a performance is approved before it is held.
    pub first_performance_date: Option<String>,
    /// 演出结束日期 `YYYY-MM-DD`.
    pub last_performance_date: Option<String>,
    /// 原批准文号 (a re-approval after a change, 第十六条第三款).
    pub original_decision_number: Option<String>,
}

impl PerformanceApproval {
    /// The origins of 外国或港澳台参演方, or the tokens that name none
    /// (`无` is only valid alone).
    pub fn origins(&self) -> Result<Vec<Origin>, Vec<String>> {
        let tokens: Vec<&str> = self
            .overseas_performers
            .split(['；', ';', '，', ',', '、', '/'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.is_empty() || tokens == ["无"] {
            return Ok(Vec::new());
        }
        let unknown: Vec<String> =
            tokens.iter().filter(|t| Origin::parse(t).is_none()).map(|t| t.to_string()).collect();
        if unknown.is_empty() { Ok(tokens.iter().filter_map(|t| Origin::parse(t)).collect()) } else { Err(unknown) }
    }

    /// Whether it is a re-approval after a change (第十六条第三款).
    pub fn is_reapproval(&self) -> bool {
        given(&self.original_decision_number)
    }
}

fn given(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// A document number without spaces, for comparing two of them.
fn plain(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Check one performance-approval body.
///
/// Errors: `end-before-start` (演出结束日期 before 演出开始日期);
/// `approved-after-start` (批准日期 after the first performance: a
/// performance is held after its approval, 第十三条、第十五条, one held before
/// is 未经批准举办, 第四十四条; a re-approval after a change, 第十六条第三款, may
/// come during the run, not after its end); `overseas-origin-unknown` (a
/// value of 外国或港澳台参演方 that names no origin of 第十四条);
/// `invalid-venue-operator-uscc` (GB 32100-2015 check character);
/// `original-is-self` (a re-approval citing its own number as the original).
///
/// Warnings, for the clerk or the inspector to verify: `overseas-organiser`
/// (第十四条第一款: only an agency, or a troupe organising its own show,
/// may have foreign or Hong Kong, Macao or Taiwan performers);
/// `approval-authority-level` (第十五条: foreign or Hong Kong / Macao
/// performers are approved by a provincial authority or the ministry);
/// `group-show-organiser` (第十二条第二款: a group show is organised by an
/// agency, or by a venue operator in its own venue); `basis-article-mismatch`
/// (审批依据 does not cite 第十三条, or 第十五条 where such performers take
/// part); `organiser-licence-missing` (第六条: an agency or a troupe holds a
/// 营业性演出许可证); `name-national-words` (第二十四条第二款).
pub fn check(body: &Value) -> Vec<Violation> {
    let a: PerformanceApproval = match body_as(body) {
        Ok(a) => a,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let approved = a.decision_date.as_deref().and_then(date);
    let start = a.first_performance_date.as_deref().and_then(date);
    let end = a.last_performance_date.as_deref().and_then(date);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        out.push(Violation::error(
            "/last_performance_date",
            "end-before-start",
            format!("演出结束日期{e}早于演出开始日期{s}"),
            format!("last_performance_date {e} is before first_performance_date {s}"),
        ));
    }
    // A re-approval may come during the run (the change applies to the
    // sessions after it), never after its end.
    let last_allowed = if a.is_reapproval() { end.or(start) } else { start };
    if let (Some(d), Some(l)) = (approved, last_allowed)
        && d > l
    {
        out.push(Violation::error(
            "/decision_date",
            "approved-after-start",
            format!(
                "批准日期{d}晚于演出{}日期{l}：营业性演出应在批准后举办（《{PERFORMANCE}》第十三条、第十五条），先演出后批准的属未经批准举办（第四十四条），请核对日期",
                if a.is_reapproval() { "结束" } else { "开始" }
            ),
            format!("decision_date {d} is after the performance date {l}: a performance is held after its approval ({PERFORMANCE} 第十三条、第十五条)"),
        ));
    }
    // `None` when 外国或港澳台参演方 names no origin: the checks that depend
    // on it are left out.
    let origins = match a.origins() {
        Ok(o) => Some(o),
        Err(unknown) => {
            out.push(Violation::error(
                "/overseas_performers",
                "overseas-origin-unknown",
                format!(
                    "外国或港澳台参演方“{}”无法识别：填“无”，或以“；”分隔的外国、香港特别行政区、澳门特别行政区、台湾地区（《{PERFORMANCE}》第十四条）",
                    unknown.join("；")
                ),
                format!("overseas_performers {unknown:?}: write 无, or 外国/香港特别行政区/澳门特别行政区/台湾地区 separated by ；"),
            ));
            None
        }
    };
    if let Some(code) = a.venue_operator_uscc.as_deref()
        && !credit_sdk::identifiers::uscc_valid(code)
    {
        out.push(Violation::error(
            "/venue_operator_uscc",
            "invalid-venue-operator-uscc",
            format!("演出场所经营单位统一社会信用代码{code}的校验码不正确（GB 32100-2015）"),
            format!("venue_operator_uscc {code} has a wrong check character (GB 32100-2015)"),
        ));
    }
    if let Some(original) = a.original_decision_number.as_deref().filter(|o| !o.trim().is_empty())
        && plain(original) == plain(&a.decision_number)
    {
        out.push(Violation::error(
            "/original_decision_number",
            "original-is-self",
            "原批准文号与本批准文号相同：重新报批（第十六条第三款）应填原批准文件的文号",
            "original_decision_number is this approval's own number",
        ));
    }
    let group = a.group_show.as_deref() == Some("是");
    let organiser = a.organiser_type.as_str();
    if origins.as_ref().is_some_and(|o| !o.is_empty())
        && !(organiser == "演出经纪机构" || (organiser == "文艺表演团体" && !group))
    {
        out.push(Violation::warning(
            "/organiser_type",
            "overseas-organiser",
            format!(
                "有外国或港澳台文艺表演团体、个人参加的营业性演出，除演出经纪机构外只能由文艺表演团体自行举办时邀请（《{PERFORMANCE}》第十四条第一款），演出举办单位类别为“{organiser}”{}，请核实",
                if group { "且为组台演出" } else { "" }
            ),
            format!("performances with foreign, Hong Kong, Macao or Taiwan performers are organised by an agency, or by a troupe organising its own show ({PERFORMANCE} 第十四条第一款), not by {organiser:?}"),
        ));
    }
    let provincial_needed = origins.iter().flatten().any(|o| matches!(o, Origin::Foreign | Origin::HongKongMacao));
    if provincial_needed && !a.authority.is_empty() && !is_provincial(&a.authority) {
        out.push(Violation::warning(
            "/authority",
            "approval-authority-level",
            format!(
                "有外国或者香港、澳门文艺表演团体、个人参加的营业性演出由省级文化主管部门（或国务院文化主管部门）审批（《{PERFORMANCE}》第十五条），审批机关“{}”不是省级机关，请核实",
                a.authority
            ),
            format!("performances with foreign or Hong Kong / Macao performers are approved by a provincial authority ({PERFORMANCE} 第十五条), not {:?}", a.authority),
        ));
    }
    if group {
        let own_venue = a.venue_operator_uscc.as_deref().zip(a.uscc.as_deref()).is_none_or(|(v, s)| v == s);
        let why = match organiser {
            "文艺表演团体" | "个体演员" => Some(format!("演出举办单位类别为“{organiser}”")),
            "演出场所经营单位" if !own_venue => Some("演出场所不是本单位经营的场所".to_owned()),
            _ => None,
        };
        if let Some(why) = why {
            out.push(Violation::warning(
                "/group_show",
                "group-show-organiser",
                format!("营业性组台演出应由演出经纪机构举办，演出场所经营单位只能在本单位经营的场所内举办（《{PERFORMANCE}》第十二条第二款）；{why}，请核实"),
                format!("a group show is organised by an agency, or by a venue operator in its own venue ({PERFORMANCE} 第十二条第二款)"),
            ));
        }
    }
    if let Some(origins) = &origins
        && let article = if origins.is_empty() { "第十三条" } else { "第十五条" }
        && !a.legal_basis.is_empty()
        && !cites_article(&a.legal_basis, PERFORMANCE, article)
    {
        out.push(Violation::warning(
            "/legal_basis",
            "basis-article-mismatch",
            format!(
                "审批依据未引《{PERFORMANCE}》{article}（{}），请核实审批依据与外国或港澳台参演方",
                if origins.is_empty() {
                    "举办营业性演出的审批"
                } else {
                    "有外国或港澳台文艺表演团体、个人参加的营业性演出的审批"
                }
            ),
            format!("legal_basis does not cite {PERFORMANCE} {article}"),
        ));
    }
    if matches!(organiser, "演出经纪机构" | "文艺表演团体") && !given(&a.organiser_licence_number) {
        out.push(Violation::warning(
            "/organiser_licence_number",
            "organiser-licence-missing",
            format!("{organiser}从事营业性演出经营活动须取得营业性演出许可证（《{PERFORMANCE}》第六条），未填写许可证编号，请核实"),
            format!("a {organiser} holds a commercial-performance licence ({PERFORMANCE} 第六条); its number is missing"),
        ));
    }
    let words: Vec<&str> = NATIONAL_WORDS.iter().copied().filter(|w| a.performance_name.contains(w)).collect();
    if !words.is_empty() {
        out.push(Violation::warning(
            "/performance_name",
            "name-national-words",
            format!(
                "演出名称含“{}”：营业性演出不得冠以“中国”“中华”“全国”“国际”等字样（《{PERFORMANCE}》第二十四条第二款、第四十八条），请核实",
                words.join("”“")
            ),
            format!("the performance name contains {words:?}, which {PERFORMANCE} 第二十四条第二款 forbids"),
        ));
    }
    out
}

/// Whether `authority` is a provincial culture authority or the ministry:
/// it names one of [`PROVINCIAL`] with no lower unit (市, 县, 区, 州, 盟, 旗)
/// after it, or the ministry.
fn is_provincial(authority: &str) -> bool {
    if authority.contains("文化和旅游部") || authority.contains("文化部") {
        return true;
    }
    PROVINCIAL.iter().any(|p| {
        authority.find(p).is_some_and(|at| !authority[at + p.len()..].contains(['市', '县', '区', '州', '盟', '旗']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body() -> Value {
        json!({
            "subject_name": "郑州聚鑫黎明演艺文化传媒有限公司", "subject_category": "法人及非法人组织",
            "uscc": "91410104MAG4LUR402", "decision_number": "金文旅演审〔2025〕37号", "decision_date": "2025-09-12",
            "authority": "郑州市金水区文化广电和旅游局", "legal_basis": "《营业性演出管理条例》第十三条",
            "organiser_type": "演出经纪机构", "organiser_licence_number": "文演经4101046481",
            "performance_name": "金秋民谣音乐会", "group_show": "是", "performers": "林远；苏晴；周野",
            "overseas_performers": "无", "venue": "郑州绿城音乐厅", "venue_operator": "郑州绿城音乐厅运营管理有限公司",
            "venue_operator_uscc": "91410105MA9GLYC3Q9", "first_performance_date": "2025-10-03", "last_performance_date": "2025-10-04",
            "sessions": 2, "content": "批准举办营业性组台演出“金秋民谣音乐会”2场"
        })
    }

    fn foreign() -> Value {
        let mut b = body();
        b["overseas_performers"] = json!("外国");
        b["authority"] = json!("河南省文化和旅游厅");
        b["legal_basis"] = json!("《营业性演出管理条例》第十四条、第十五条第一款");
        b
    }

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    #[test]
    fn approval_in_order_passes() {
        assert!(check(&body()).is_empty(), "{:?}", check(&body()));
        assert!(check(&foreign()).is_empty(), "{:?}", check(&foreign()));
    }

    #[test]
    fn dates_must_be_in_order() {
        let mut b = body();
        b["last_performance_date"] = json!("2025-10-02");
        b["decision_date"] = json!("2025-10-04");
        assert_eq!(codes(&check(&b)), [("end-before-start", false), ("approved-after-start", false)]);
        // The approval may be given on the day of the first performance.
        b["decision_date"] = json!("2025-10-03");
        b["last_performance_date"] = json!("2025-10-03");
        assert!(check(&b).is_empty());
    }

    #[test]
    fn a_reapproval_may_come_during_the_run_but_not_after_it() {
        let mut b = body();
        b["decision_number"] = json!("金文旅演审〔2025〕40号");
        b["original_decision_number"] = json!("金文旅演审〔2025〕37号");
        b["decision_date"] = json!("2025-10-04");
        assert!(check(&b).is_empty(), "{:?}", check(&b));
        b["decision_date"] = json!("2025-10-05");
        assert_eq!(codes(&check(&b)), [("approved-after-start", false)]);
        b["decision_date"] = json!("2025-10-01");
        b["original_decision_number"] = json!("金文旅演审 〔2025〕40号");
        assert_eq!(codes(&check(&b)), [("original-is-self", false)]);
    }

    #[test]
    fn overseas_origins_are_those_of_article_14() {
        let mut b = foreign();
        b["overseas_performers"] = json!("外国；香港特别行政区");
        assert!(check(&b).is_empty());
        b["overseas_performers"] = json!("美国");
        assert_eq!(codes(&check(&b)), [("overseas-origin-unknown", false)]);
        b["overseas_performers"] = json!("无；外国");
        assert_eq!(codes(&check(&b))[0], ("overseas-origin-unknown", false));
    }

    #[test]
    fn foreign_performers_are_approved_by_the_province_for_an_agency_or_a_troupe() {
        let mut b = foreign();
        b["authority"] = json!("郑州市金水区文化广电和旅游局");
        b["organiser_type"] = json!("演出场所经营单位");
        b["venue_operator_uscc"] = json!("91410104MAG4LUR402");
        assert_eq!(codes(&check(&b)), [("overseas-organiser", true), ("approval-authority-level", true)]);
        // A troupe may invite them to its own show, not to a group show.
        b["authority"] = json!("北京市文化和旅游局");
        b["organiser_type"] = json!("文艺表演团体");
        b["group_show"] = json!("否");
        assert!(check(&b).is_empty(), "{:?}", check(&b));
        // Taiwan performers: the authority the ministry designates, not checked.
        b["overseas_performers"] = json!("台湾地区");
        b["authority"] = json!("郑州市文化广电和旅游局");
        assert!(check(&b).is_empty(), "{:?}", check(&b));
    }

    #[test]
    fn provincial_authority_names_no_lower_unit() {
        for a in ["河南省文化和旅游厅", "上海市文化和旅游局", "新疆维吾尔自治区文化和旅游厅", "文化和旅游部"]
        {
            assert!(is_provincial(a), "{a}");
        }
        for a in [
            "河南省郑州市文化广电和旅游局",
            "郑州市金水区文化广电和旅游局",
            "北京市朝阳区文化和旅游局",
            "中牟县文化广电和旅游局",
        ] {
            assert!(!is_provincial(a), "{a}");
        }
    }

    #[test]
    fn group_show_is_an_agencys_or_in_the_venue_operators_own_venue() {
        let mut b = body();
        b["organiser_type"] = json!("文艺表演团体");
        assert_eq!(codes(&check(&b)), [("group-show-organiser", true)]);
        b["organiser_type"] = json!("演出场所经营单位");
        assert_eq!(codes(&check(&b)), [("group-show-organiser", true)]);
        b["venue_operator_uscc"] = b["uscc"].clone();
        assert!(check(&b).is_empty(), "{:?}", check(&b));
    }

    #[test]
    fn basis_licence_name_and_venue_code_are_checked() {
        let mut b = body();
        b["legal_basis"] = json!("《营业性演出管理条例实施细则》第十三条");
        b.as_object_mut().unwrap().remove("organiser_licence_number");
        b["performance_name"] = json!("国际民谣音乐节");
        b["venue_operator_uscc"] = json!("91410105MA9GLYC3Q8");
        assert_eq!(
            codes(&check(&b)),
            [
                ("invalid-venue-operator-uscc", false),
                ("basis-article-mismatch", true),
                ("organiser-licence-missing", true),
                ("name-national-words", true)
            ]
        );
        let mut f = foreign();
        f["legal_basis"] = json!("《营业性演出管理条例》第十三条");
        assert_eq!(codes(&check(&f)), [("basis-article-mismatch", true)]);
    }

    #[test]
    fn uscc_check_character_follows_gb_32100() {
        assert!(credit_sdk::identifiers::uscc_valid("91410104MAG4LUR402"));
        assert!(credit_sdk::identifiers::uscc_valid("11410000MA0FRP8X7D"));
        assert!(!credit_sdk::identifiers::uscc_valid("91410104MAG4LUR403"));
        assert!(!credit_sdk::identifiers::uscc_valid("91500106MASU8G2M3L"));
    }
}
