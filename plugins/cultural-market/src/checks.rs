//! Semantic checks a JSON Schema cannot express: the shared 双公示 checks of
//! the SDK with this sector's fine limits, and the warning 第三十一条 orders.

use credit_sdk::checks::{self, PenaltyArticle};
use credit_sdk::prelude::*;
use serde_json::Value;

const CAFE: &str = "互联网上网服务营业场所管理条例";
const VENUE: &str = "娱乐场所管理条例";
const PERFORMANCE: &str = "营业性演出管理条例";

/// The fines the sector's articles allow (万元).
///
/// # Source
/// 互联网上网服务营业场所管理条例第三十一条、第三十三条 (15,000 元以下);
/// 第二十七条 (违法经营额不足1万元的, 1万–5万); 娱乐场所管理条例第四十五条
/// (没有违法所得或不足1万元的, 2万–5万); 营业性演出管理条例第四十三条
/// (5万–10万), 第四十四条 (3万–5万): the last four depend on a turnover or
/// illegal gain the record does not give.
const LIMITS: [PenaltyArticle; 6] = [
    PenaltyArticle::new(CAFE, "第三十一条").provides(&["警告", "罚款", "停业", "吊销"]).requires(&["警告"]).fine(0.0, 1.5),
    PenaltyArticle::new(CAFE, "第三十三条").fine(0.0, 1.5),
    PenaltyArticle::new(CAFE, "第二十七条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(VENUE, "第四十五条").fine(0.0, 5.0).turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十三条").fine(0.0, 10.0).turnover(),
    PenaltyArticle::new(PERFORMANCE, "第四十四条").fine(0.0, 5.0).turnover(),
];

/// Check one penalty body.
pub fn penalty(body: &Value) -> Vec<Violation> {
    checks::penalty(body, &LIMITS)
}

/// Check one licence body.
pub fn licence(body: &Value) -> Vec<Violation> {
    checks::licence(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cafe_penalty(fine: f64) -> Value {
        json!({
            "legal_basis": "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
            "penalty_types": "警告；罚款", "penalty_content": "给予警告；罚款", "fine_wan_yuan": fine,
            "decision_date": "2025-03-18"
        })
    }

    #[test]
    fn cafe_fine_above_15000_yuan_is_rejected() {
        let v = penalty(&cafe_penalty(1.6));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].code, "fine-out-of-range");
        assert_eq!(v[0].pointer, "/fine_wan_yuan");
        assert!(!v[0].warning);
        assert!(penalty(&cafe_penalty(1.5)).is_empty());
    }

    #[test]
    fn turnover_dependent_fine_is_only_a_warning() {
        let v = penalty(&json!({
            "legal_basis": "《营业性演出管理条例》第十三条、第四十四条第一款",
            "penalty_types": "罚款", "penalty_content": "罚款", "fine_wan_yuan": 8.0
        }));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].code, "fine-depends-on-turnover");
        assert!(v[0].warning);
    }

    #[test]
    fn decision_not_to_penalise_is_refused() {
        let v = penalty(
            &json!({"legal_basis": "《行政处罚法》第三十三条", "penalty_types": "其他", "penalty_content": "不予行政处罚"}),
        );
        assert_eq!(v[0].code, "not-a-penalty");
    }

    #[test]
    fn revocation_must_name_the_licence_and_dates_must_be_in_order() {
        let v = penalty(&json!({
            "legal_basis": "《互联网上网服务营业场所管理条例》第三十一条", "penalty_types": "警告；吊销许可证件",
            "penalty_content": "吊销", "decision_date": "2025-05-22", "publicity_end": "2025-01-01"
        }));
        let codes: Vec<_> = v.iter().map(|v| v.code.as_str()).collect();
        assert_eq!(codes, ["revocation-without-certificate", "date-before-decision"]);
    }

    #[test]
    fn licence_validity_must_not_be_reversed() {
        let v = licence(&json!({"valid_from": "2020-01-01", "valid_to": "2019-01-01", "decision_date": "2020-01-01"}));
        assert_eq!(v[0].code, "validity-reversed");
    }
}
