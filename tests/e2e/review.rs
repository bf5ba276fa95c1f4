//! The credit office's review of reported records, through HTTP, and the
//! working-day calendar its deadlines follow.

use crate::reporting::cafe_penalty;
use crate::util::{CLERK_UNIT, TestHost, client_with, databases, send};
use credit_host::access::Role;
use serde_json::{Value, json};

fn check_request() -> Value {
    json!({
        "subject": {"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"},
        "persons": [{"role": "legal-representative", "name": "尹然梅", "id_number": "410104198405227240"}],
        "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
    })
}

#[tokio::test]
async fn reported_records_are_published_or_returned_by_someone_else() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        // An office clerk who reports and reviews, another reviewer, an inspector.
        let clerk = client_with(Some(&host.account("zhifa", CLERK_UNIT, &[Role::Reporter, Role::Reviewer]).await));
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));

        let (status, body) =
            send(&clerk, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        assert_eq!(status, 201, "{db:?} {body:#}");
        let id = body["ids"][0].as_str().unwrap().to_owned();
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{id}")), None).await;
        assert_eq!(file["record"]["review_status"], "reported");
        assert_eq!(file["record"]["reported_by"], "zhifa");
        // Due two working days after today (the day of report not counted).
        let today = credit_host::api::today();
        let due = host.state.calendar.load().add_working_days(today, 2);
        assert_eq!(file["record"]["review_due"], due.date.to_string());
        assert_eq!(file["reviews"][0]["status"], "reported");
        assert_eq!(file["reviews"][0]["unit"], CLERK_UNIT);

        // It counts in checks at once, marked as not yet reviewed.
        let (status, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_request())).await;
        assert_eq!(status, 201, "{check:#}");
        assert_eq!(check["outcome"], "restricted");
        let note = format!("evidence record {id} is reported and not yet reviewed");
        assert!(check["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains(&note)), "{check:#}");

        // The office's list shows it; nothing is overdue yet.
        let (_, list) = send(&office, "GET", url("/api/v1/reviews"), None).await;
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["id"], id.as_str());
        let (_, overdue) = send(&office, "GET", url("/api/v1/reviews?overdue=true"), None).await;
        assert_eq!(overdue, json!([]));

        // Whoever reported a record cannot review it, whatever roles they hold.
        let (status, body) =
            send(&clerk, "POST", url(&format!("/api/v1/records/{id}/review")), Some(json!({"decision": "publish"})))
                .await;
        assert_eq!(status, 403, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("zhifa reported or corrected this record"));
        // A publication takes no reason code; a return needs one.
        let (status, body) = send(
            &office,
            "POST",
            url(&format!("/api/v1/records/{id}/review")),
            Some(json!({"decision": "publish", "reason_code": "incomplete"})),
        )
        .await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("reason-code-not-allowed")));
        let (status, body) =
            send(&office, "POST", url(&format!("/api/v1/records/{id}/review")), Some(json!({"decision": "return"})))
                .await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason_code")));
        let (status, body) = send(
            &office,
            "POST",
            url(&format!("/api/v1/records/{id}/review")),
            Some(json!({"decision": "return", "reason_code": "other"})),
        )
        .await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason")));
        let (status, body) = send(
            &office,
            "POST",
            url(&format!("/api/v1/records/{id}/review")),
            Some(json!({"decision": "return", "reason_code": "inaccurate", "reason": "罚款金额与决定书不符"})),
        )
        .await;
        assert_eq!((status, body["review_status"].as_str()), (200, Some("returned")), "{body:#}");
        // A returned record stops counting in checks.
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_request())).await;
        assert_eq!(check["outcome"], "standard", "{check:#}");
        // It cannot be reviewed again until corrected.
        let (status, _) =
            send(&office, "POST", url(&format!("/api/v1/records/{id}/review")), Some(json!({"decision": "publish"})))
                .await;
        assert_eq!(status, 409);

        // The clerk corrects it: reported again, and the office publishes it.
        let mut fixed = cafe_penalty();
        fixed["penalty_content"] = "给予警告；罚款人民币15000元；吊销网络文化经营许可证（更正）".into();
        let (status, body) = send(
            &clerk,
            "POST",
            url(&format!("/api/v1/records/{id}/corrections")),
            Some(json!({"reason": "按退回意见更正", "record": fixed})),
        )
        .await;
        assert_eq!(status, 201, "{body:#}");
        let (status, _) =
            send(&office, "POST", url(&format!("/api/v1/records/{id}/review")), Some(json!({"decision": "publish"})))
                .await;
        assert_eq!(status, 200);
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{id}")), None).await;
        assert_eq!(file["record"]["review_status"], "published");
        assert!(file["record"]["published_at"].is_string());
        let steps: Vec<(&str, &str)> = file["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["status"].as_str().unwrap(), s["actor"].as_str().unwrap()))
            .collect();
        assert_eq!(
            steps,
            [("reported", "zhifa"), ("returned", "xinyong"), ("reported", "zhifa"), ("published", "xinyong")]
        );
        assert_eq!(file["reviews"][1]["reason_code"], "inaccurate");
        assert_eq!(file["reviews"][1]["reason"], "罚款金额与决定书不符");
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_request())).await;
        assert_eq!(check["outcome"], "restricted");
        assert!(!check["notes"].to_string().contains("not yet reviewed"), "{check:#}");

        // An overdue review is listed: a second record whose deadline has passed.
        let mut other = cafe_penalty();
        other["decision_number"] = "测文旅罚字〔2025〕9号".into();
        let (_, body) =
            send(&clerk, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(other)).await;
        let late = body["ids"][0].as_str().unwrap().to_owned();
        sqlx::query("UPDATE credit_records SET review_due = '2026-01-05' WHERE id = $1")
            .bind(&late)
            .execute(host.state.store.pool())
            .await
            .unwrap();
        let (_, overdue) = send(&office, "GET", url("/api/v1/reviews?overdue=true"), None).await;
        let ids: Vec<&str> = overdue.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [late.as_str()]);
        // The sample data is imported as published: nothing for the office.
        let (status, body) = send(&office, "GET", url("/api/v1/reviews?status=everything"), None).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("unknown-status")));
    }
}

#[tokio::test]
async fn a_new_years_schedule_is_loaded_and_provisional_deadlines_move_only_later() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let admin = client_with(Some(&host.account("guanli", "administration", &[Role::Administrator]).await));
        let clerk = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let url = |p: &str| format!("{}{p}", host.base);
        // Two reported records whose deadlines reach into 2027, which has no schedule.
        let mut ids = Vec::new();
        for n in [1, 2] {
            let mut p = cafe_penalty();
            p["decision_number"] = format!("测文旅罚字〔2026〕{n}号").into();
            let (_, body) =
                send(&clerk, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(p)).await;
            ids.push(body["ids"][0].as_str().unwrap().to_owned());
        }
        // Reported on Wednesday 2026-12-30 (Beijing): +2 working days is Friday
        // 2027-01-01 if 2027 had no New Year holiday — provisional.
        for (id, due) in ids.iter().zip(["2027-01-01", "2027-01-20"]) {
            sqlx::query(
                "UPDATE credit_records SET reported_at = '2026-12-30T02:00:00.000Z', review_due = $1, review_due_provisional = 1 WHERE id = $2",
            )
            .bind(due)
            .bind(id)
            .execute(host.state.store.pool())
            .await
            .unwrap();
        }
        // A broken schedule is refused with every problem and its pointer; nothing changes.
        let broken = json!({"year": 2027, "notice": "", "holidays": [{"name": "元旦", "from": "2027-01-03", "to": "2027-01-01"}], "make_up_workdays": ["2027-01-06"]});
        let (status, body) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/2027"), Some(Value::String(broken.to_string()))).await;
        assert_eq!(status, 422, "{body:#}");
        let pointers: Vec<&str> =
            body["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
        assert!(
            pointers.contains(&"/notice")
                && pointers.contains(&"/holidays/0")
                && pointers.contains(&"/make_up_workdays/0"),
            "{body:#}"
        );
        let (status, _) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/2028"), Some(Value::String(test_2027()))).await;
        assert_eq!(status, 422, "the year in the path must be the schedule's");
        let (status, body) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/next"), Some(Value::String(test_2027()))).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("invalid-path")), "{body:#}");
        // A built-in year is not replaced by accident.
        let (status, body) = send(
            &admin,
            "PUT",
            url("/api/v1/admin/calendar/2026"),
            Some(Value::String(test_2027().replace("2027", "2026"))),
        )
        .await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("built-in-year")));
        // The (made-up, test-only) 2027 schedule: 元旦 1-1..1-3.
        let (status, body) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/2027"), Some(Value::String(test_2027()))).await;
        assert_eq!(status, 200, "{body:#}");
        assert!(body["years"].as_array().unwrap().iter().any(|y| y["year"] == 2027));
        let due = |id: String| {
            let pool = host.state.store.pool().clone();
            async move {
                let row: (String, i64) =
                    sqlx::query_as("SELECT review_due, review_due_provisional FROM credit_records WHERE id = $1")
                        .bind(id)
                        .fetch_one(&pool)
                        .await
                        .unwrap();
                row
            }
        };
        // Thursday 12-31 is day 1, Monday 2027-01-04 day 2: later, no longer provisional.
        assert_eq!(due(ids[0].clone()).await, ("2027-01-04".to_owned(), 0));
        // A recomputed deadline never moves earlier.
        assert_eq!(due(ids[1].clone()).await, ("2027-01-20".to_owned(), 0));
        // The upload is kept: a restarted host loads it.
        assert_eq!(host.state.store.holiday_schedules().await.unwrap().len(), 1);
    }
}

fn test_2027() -> String {
    json!({
        "year": 2027,
        "notice": "测试用安排（非官方，test only）",
        "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
        "make_up_workdays": []
    })
    .to_string()
}
