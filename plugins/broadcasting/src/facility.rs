//! Checks of the sector's own record kind `satellite-facility` (卫星地面接收设施
//! 设置记录, schema `schemas/broadcasting/satellite-facility.schema.json`): the
//! steps of 《卫星电视广播地面接收设施管理规定》第七条 in order, and what 第三条,
//! 第四条, 第六条 and 第八条 ask of the installer, the equipment and the holder.

use crate::checks::SAT;
use credit_sdk::prelude::*;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Facility {
    #[serde(default)]
    subject_category: String,
    decision_date: Option<String>,
    installed_date: Option<String>,
    reception_licence_date: Option<String>,
    reception_licence_number: Option<String>,
    installer_name: Option<String>,
    installer_uscc: Option<String>,
    installer_licence_number: Option<String>,
    quality_certificate: Option<String>,
}

/// Check one satellite-facility record (《卫星电视广播地面接收设施管理规定》第七条:
/// approval, then installation, then the 《接收卫星传送的电视节目许可证》):
/// errors `installed-before-approval`, `licence-before-installation` and
/// `licence-before-approval` for steps out of order, `invalid-installer-uscc`
/// for a bad check character (GB 32100-2015); warnings for an installed
/// facility without its installer (第四条), installer licence (第三条) or
/// quality certificate (第六条), a licence number without the installation
/// date or a licence date without its number (第七条), and an individual
/// setting one up (第八条).
pub fn satellite_facility(body: &Value) -> Vec<Violation> {
    let f: Facility = match body_as(body) {
        Ok(f) => f,
        Err(v) => return vec![v],
    };
    let mut out = Vec::new();
    let approved = f.decision_date.as_deref().and_then(date);
    let installed = f.installed_date.as_deref().and_then(date);
    let licensed = f.reception_licence_date.as_deref().and_then(date);
    let mut before =
        |field: &str, code: &str, later: Option<chrono::NaiveDate>, earlier: Option<chrono::NaiveDate>, zh: &str| {
            if let (Some(l), Some(e)) = (later, earlier)
                && l < e
            {
                out.push(Violation::error(
                    field,
                    code,
                    format!("{zh}（{l}早于{e}；《{SAT}》第七条）"),
                    format!("{field} {l} is before {e} ({SAT} 第七条)"),
                ));
            }
        };
    before(
        "/installed_date",
        "installed-before-approval",
        installed,
        approved,
        "安装完毕日期早于审批日期，应先审批后购买、安装",
    );
    before(
        "/reception_licence_date",
        "licence-before-installation",
        licensed,
        installed,
        "许可证发证日期早于安装完毕日期，许可证应在安装完毕后发给",
    );
    before("/reception_licence_date", "licence-before-approval", licensed, approved, "许可证发证日期早于审批日期");
    let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    if let Some(code) = f.installer_uscc.as_deref()
        && !credit_sdk::identifiers::uscc_valid(code)
    {
        out.push(Violation::error(
            "/installer_uscc",
            "invalid-installer-uscc",
            format!("安装服务机构统一社会信用代码{code}的校验码不正确（GB 32100-2015）"),
            format!("installer_uscc {code} has a wrong check character (GB 32100-2015)"),
        ));
    }
    let mut warn = |field: &str, code: &str, zh: &str, en: &str| {
        out.push(Violation::warning(field, code, zh.to_owned(), en.to_owned()));
    };
    if installed.is_some() && !given(&f.installer_name) {
        warn(
            "/installer_name",
            "installer-missing",
            "已安装完毕但未填写安装服务机构；设施应由依法设立的安装服务机构安装（第四条）",
            "installed, but no installation service agency is named (第四条)",
        );
    }
    if given(&f.installer_name) && !given(&f.installer_licence_number) {
        warn(
            "/installer_licence_number",
            "installer-licence-missing",
            "未填写安装服务机构的安装服务许可证编号（第三条、第四条），请核实其资质",
            "the installation service agency's licence number is missing (第三条、第四条)",
        );
    }
    if installed.is_some() && !given(&f.quality_certificate) {
        warn(
            "/quality_certificate",
            "quality-certificate-missing",
            "未填写设施质量认证证书编号；未经质量认证的设施不得销售和使用（第六条）",
            "no quality certificate is given; uncertified facilities may not be sold or used (第六条)",
        );
    }
    if given(&f.reception_licence_number) && installed.is_none() {
        warn(
            "/installed_date",
            "installation-date-missing",
            "已发许可证但未填写安装完毕日期；许可证在安装完毕后发给（第七条）",
            "a licence number is given without the installation date (第七条)",
        );
    }
    if licensed.is_some() && !given(&f.reception_licence_number) {
        warn(
            "/reception_licence_number",
            "licence-number-missing",
            "填写了许可证发证日期但未填写许可证编号",
            "a licence date is given without the licence number",
        );
    }
    if f.subject_category == "自然人" {
        warn(
            "/subject_category",
            "individual-installation",
            "个人不得安装和使用卫星地面接收设施，确有特殊情况的须向所在单位申请并经省级审批（第八条），请核实",
            "individuals may not install satellite reception facilities save the special case of 第八条第二款; please verify",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn codes(v: &[Violation]) -> Vec<(&str, bool)> {
        v.iter().map(|v| (v.code.as_str(), v.warning)).collect()
    }

    fn facility() -> Value {
        json!({
            "subject_name": "郑州某酒店有限公司", "subject_category": "法人及非法人组织", "uscc": "91410104MAJ62FJQ2L",
            "decision_number": "豫广电卫审〔2024〕3号", "decision_date": "2024-03-01", "authority": "河南省广播电视局",
            "content": "设置卫星地面接收设施1套", "facility_address": "郑州市某路1号",
            "quality_certificate": "CQC2024-001", "installer_name": "某电子工程有限公司", "installer_uscc": "91410183MAWA3R6R3A",
            "installer_licence_number": "豫卫安4101839999", "installed_date": "2024-03-20",
            "reception_licence_number": "豫卫接2024-015", "reception_licence_date": "2024-04-02"
        })
    }

    #[test]
    fn complete_satellite_facility_record_passes() {
        assert!(satellite_facility(&facility()).is_empty(), "{:?}", satellite_facility(&facility()));
    }

    #[test]
    fn satellite_facility_steps_must_be_in_order() {
        let mut f = facility();
        f["installed_date"] = json!("2024-02-01");
        f["reception_licence_date"] = json!("2024-01-15");
        let v = satellite_facility(&f);
        let c = codes(&v);
        assert_eq!(
            c,
            [
                ("installed-before-approval", false),
                ("licence-before-installation", false),
                ("licence-before-approval", false)
            ]
        );
    }

    #[test]
    fn satellite_facility_warns_about_missing_certificate_installer_licence_and_individuals() {
        let mut f = facility();
        f.as_object_mut().unwrap().remove("quality_certificate");
        f.as_object_mut().unwrap().remove("installer_licence_number");
        f["subject_category"] = json!("自然人");
        f["installer_uscc"] = json!("91410183MAWA3R6R3B");
        let v = satellite_facility(&f);
        let c = codes(&v);
        assert_eq!(
            c,
            [
                ("invalid-installer-uscc", false),
                ("installer-licence-missing", true),
                ("quality-certificate-missing", true),
                ("individual-installation", true)
            ]
        );
    }

    #[test]
    fn uscc_check_character_follows_gb_32100() {
        assert!(credit_sdk::identifiers::uscc_valid("91410104MAJ62FJQ2L"));
        assert!(credit_sdk::identifiers::uscc_valid("91410183MAWA3R6R3A"));
        assert!(!credit_sdk::identifiers::uscc_valid("91410183MAWA3R6R3B"));
        assert!(!credit_sdk::identifiers::uscc_valid("91500106MASU8G2M3L"));
    }
}
