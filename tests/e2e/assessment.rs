//! The annual assessment of units through HTTP, on a small bureau whose
//! figures are counted here by hand: the detachment reports three
//! penalties (one more than 7 working days after its decision; the office
//! returns another; their 双公示 fields are 3, 2 and 2 of the 6 expected)
//! and answers one objection on time; the cultural-market division reports
//! one complete licence, its inspector runs two checks, it collects one
//! commitment. Dates are relative to today, so the counts hold whenever the
//! test runs.

use crate::reporting::cafe_penalty;
use crate::util::{TestHost, client_with, databases, send};
use chrono::Datelike as _;
use credit_host::access::Role;
use serde_json::{Value, json};

fn sorted(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids
}

fn ids(v: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn each_unit_is_assessed_on_what_it_did_with_drill_down_to_the_ids() {
    let today = credit_host::api::today();
    let year = today.year();
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));

        // Named persons: the detachment replaces its liaison mid-year.
        for (unit, role, name, from) in [
            ("enforcement-detachment", "leader", "王强", format!("{year}-01-01")),
            ("enforcement-detachment", "liaison", "李娜", format!("{year}-01-01")),
            ("enforcement-detachment", "liaison", "赵敏", today.to_string()),
            ("cultural-market", "leader", "陈静", format!("{year}-01-01")),
        ] {
            let body = json!({"role": role, "name": name, "from": from});
            let (status, named) =
                send(&office, "POST", url(&format!("/api/v1/units/{unit}/responsibles")), Some(body)).await;
            assert_eq!(status, 200, "{named:#}");
        }
        let (status, _) = send(&office, "POST", url("/api/v1/units/nowhere/responsibles"), Some(json!({}))).await;
        assert_eq!(status, 404);
        let (status, body) = send(
            &office,
            "POST",
            url("/api/v1/units/cultural-market/responsibles"),
            Some(json!({"role": "boss", "name": "x"})),
        )
        .await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/role")), "{body:#}");

        // Three penalties: decided today, 60 days ago (late), 3 days ago.
        let mut a = cafe_penalty();
        a["decision_number"] = json!("考核罚字A号");
        a["decision_date"] = json!(today.to_string());
        a["violation_facts"] = json!("经查接纳未成年人上网");
        let mut b = cafe_penalty();
        b["decision_number"] = json!("考核罚字B号");
        b["decision_date"] = json!((today - chrono::Days::new(60)).to_string());
        let mut c = cafe_penalty();
        c["decision_number"] = json!("考核罚字C号");
        c["decision_date"] = json!((today - chrono::Days::new(3)).to_string());
        let (status, report) =
            send(&zhifa, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(json!([a, b, c])))
                .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let [ra, rb, rc] = [0, 1, 2].map(|i| report["ids"][i].as_str().unwrap().to_owned());
        for (id, decision) in [
            (&ra, json!({"decision": "publish"})),
            (&rb, json!({"decision": "publish"})),
            (&rc, json!({"decision": "return", "reason_code": "incomplete"})),
        ] {
            let (status, body) =
                send(&office, "POST", url(&format!("/api/v1/records/{id}/review")), Some(decision)).await;
            assert_eq!(status, 200, "{body:#}");
        }
        // An objection against A, answered by the detachment the day it was accepted.
        let (status, objection) = send(
            &office,
            "POST",
            url("/api/v1/objections"),
            Some(json!({
                "record_id": ra, "channel": "counter",
                "applicant": {"name": "郑州市测试网吧", "role": "subject", "proof": ["business-licence"]},
                "statement": "金额有误"
            })),
        )
        .await;
        assert_eq!(status, 201, "{objection:#}");
        let objection_id = objection["id"].as_str().unwrap().to_owned();
        let steps = url(&format!("/api/v1/objections/{objection_id}/steps"));
        let (status, body) = send(&office, "POST", steps.clone(), Some(json!({"action": "accept"}))).await;
        assert_eq!(status, 200, "{body:#}");
        let opinion = json!({"action": "opinion", "verdict": "reject", "reason": "金额无误"});
        let (status, body) = send(&zhifa, "POST", steps, Some(opinion)).await;
        assert_eq!(status, 200, "{body:#}");

        // The division: one licence with every expected field, two checks,
        // one commitment.
        let licence = json!({
            "subject_name": "郑州市管城回族区蓝海网吧", "subject_category": "法人及非法人组织", "uscc": "91410104MA92PMTP0N",
            "legal_representative": "侯子", "legal_representative_id_type": "身份证",
            "legal_representative_id_number": "410104199106259060", "decision_document_name": "准予行政许可决定书",
            "decision_number": "管许准字〔考核〕1号", "licence_category": "普通", "certificate_name": "网络文化经营许可证",
            "licence_number": "文网文4101049999", "licence_content": "互联网上网服务营业场所",
            "decision_date": today.to_string(), "valid_from": today.to_string(), "valid_to": "2099-12-31",
            "authority": "郑州市管城回族区文化广电和旅游局", "authority_uscc": "11410104MAM63WPL7W", "status": "有效",
            "data_source": "郑州市管城回族区文化广电和旅游局", "data_source_uscc": "11410104MAM63WPL7W"
        });
        let (status, body) =
            send(&market, "POST", url("/api/v1/records?sector=cultural-market&kind=licence"), Some(licence)).await;
        assert_eq!(status, 201, "{body:#}");
        let licence_id = body["ids"][0].as_str().unwrap().to_owned();
        let mut checks = Vec::new();
        for _ in 0..2 {
            let (status, check) = send(
                &inspector,
                "POST",
                url("/api/v1/checks"),
                Some(json!({
                    "subject": {"uscc": "91410104MA92PMTP0N"}, "sector": "cultural-market", "purpose": "licensing",
                    "licence_type": "internet-cafe"
                })),
            )
            .await;
            assert_eq!(status, 201, "{check:#}");
            checks.push(check["check_id"].as_str().unwrap().to_owned());
        }
        let (status, signed) = send(
            &market,
            "POST",
            url("/api/v1/commitments"),
            Some(json!({
                "kind": "voluntary", "sector": "cultural-market", "template": "internet-cafe",
                "subject": {"uscc": "91410104MA92PMTP0N", "name": "郑州市管城回族区蓝海网吧"},
                "fields": {"legal_representative": "侯子", "address": "郑州市管城回族区某路2号", "sign_date": today.to_string()}
            })),
        )
        .await;
        assert_eq!(status, 201, "{signed:#}");
        let commitment = signed["record_id"].as_str().unwrap().to_owned();

        let (status, a) = send(&office, "GET", url(&format!("/api/v1/assessments/{year}")), None).await;
        assert_eq!(status, 200, "{a:#}");
        let unit = |id: &str| a["units"].as_array().unwrap().iter().find(|u| u["unit"] == id).unwrap().clone();
        let d = unit("enforcement-detachment");
        assert_eq!(d["responsibles"], json!({"leader": "王强", "liaison": "赵敏"}));
        assert_eq!(d["responsibles_named"], true);
        let f = &d["figures"];
        assert_eq!(f["records_reported"]["value"], 3.0);
        assert_eq!(sorted(&f["records_reported"]["ids"]), ids(&[&ra, &rb, &rc]));
        // Within 7 working days: A and C, not B.
        let timely = &f["reported_within_7_working_days"];
        assert_eq!((timely["numerator"].as_u64(), timely["denominator"].as_u64()), (Some(2), Some(3)));
        assert_eq!(timely["exceptions"], json!([rb]));
        // Fields: 3 + 2 + 2 of 3 × 6.
        let complete = &f["field_completeness"];
        assert_eq!((complete["numerator"].as_u64(), complete["denominator"].as_u64()), (Some(7), Some(18)));
        assert_eq!(sorted(&complete["exceptions"]), ids(&[&ra, &rb, &rc]));
        // The office returned one of three.
        let returned = &f["office_return_rate"];
        assert_eq!((returned["numerator"].as_u64(), returned["denominator"].as_u64()), (Some(1), Some(3)));
        assert_eq!(returned["exceptions"], json!([rc]));
        // Nothing answered by a platform, no repair, no complaint.
        assert_eq!(
            (f["platform_rejection_rate"]["value"].clone(), f["platform_rejection_rate"]["denominator"].as_u64()),
            (Value::Null, Some(0))
        );
        assert_eq!(f["repairs_on_time"]["value"], Value::Null);
        assert_eq!(f["complaints_on_time"]["value"], Value::Null);
        let objections = &f["objections_on_time"];
        assert_eq!((objections["value"].as_f64(), objections["ids"].clone()), (Some(1.0), json!([objection_id])));
        assert_eq!(f["commitments_collected"]["value"], 0.0);

        let m = unit("cultural-market");
        assert_eq!(
            (m["responsibles_named"].as_bool(), m["responsibles"].clone()),
            (Some(false), json!({"leader": "陈静"}))
        );
        let f = &m["figures"];
        assert_eq!(
            (f["records_reported"]["value"].as_f64(), f["field_completeness"]["value"].as_f64()),
            (Some(2.0), Some(1.0))
        );
        assert_eq!(sorted(&f["records_reported"]["ids"]), ids(&[&licence_id, &commitment]));
        let per = &f["checks_per_licence"];
        assert_eq!(
            (per["value"].as_f64(), per["numerator"].as_u64(), per["denominator"].as_u64()),
            (Some(2.0), Some(2), Some(1))
        );
        assert_eq!(sorted(&per["ids"]), ids(&[&checks[0], &checks[1]]));
        assert_eq!(f["commitments_collected"]["ids"], json!([commitment]));

        // The same as CSV, one row per unit and figure.
        let response = office.get(url(&format!("/api/v1/assessments/{year}?format=csv"))).send().await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
        let text = response.text().await.unwrap();
        assert!(text.starts_with("unit,name,figure,value,numerator,denominator,ids,exceptions\n"), "{text}");
        let row = text
            .lines()
            .find(|l| l.starts_with("enforcement-detachment,") && l.contains(",reported_within_7_working_days,"))
            .unwrap();
        assert!(row.contains(",0.6667,2,3,") && row.ends_with(&format!(",{rb}")), "{row}");

        for (path, pointer) in
            [("/api/v1/assessments/2016", "/path/year"), ("/api/v1/assessments/2026?format=xml", "/query/format")]
        {
            let (status, body) = send(&office, "GET", url(path), None).await;
            assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some(pointer)), "{body:#}");
        }
    }
}
