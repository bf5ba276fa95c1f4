//! Complaints and reports (投诉举报) through HTTP: intake, investigation by
//! the sector's division, a substantiated one becoming a credit record
//! without a word about the complainant, feedback, statistics. Deadlines
//! hand-counted on the 2026 schedule (National Day; Sunday 09-20 worked).

use crate::util::{TestHost, client_with, databases, send};
use credit_host::access::Role;
use serde_json::{Value, json};

const CAFE: &str = "91410104MA329GYC1F";

fn complaint() -> Value {
    json!({
        "kind": "complaint", "channel": "12318", "ticket_number": "12318-2026-0928", "received_on": "2026-09-28",
        "complainant": {"name": "投诉人乙", "contact": "13800000000"},
        "subject": {"uscc": CAFE, "name": "郑州市测试网吧"}, "sector": "cultural-market",
        "statement": "该网吧多次接纳未成年人上网"
    })
}

#[tokio::test]
async fn a_substantiated_complaint_becomes_a_record_and_the_complainant_stays_private() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let press = client_with(Some(&host.account("chuban", "publishing", &[Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));

        let mut anonymous = complaint();
        anonymous.as_object_mut().unwrap().remove("complainant");
        let (status, body) = send(&office, "POST", url("/api/v1/complaints"), Some(anonymous)).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/complainant")), "{db:?} {body:#}");
        let (status, filed) = send(&office, "POST", url("/api/v1/complaints"), Some(complaint())).await;
        assert_eq!(status, 201, "{filed:#}");
        let id = filed["id"].as_str().unwrap().to_owned();
        let steps_url = url(&format!("/api/v1/complaints/{id}/steps"));
        // An allegation registers nobody; the same ticket is not filed twice.
        assert_eq!(send(&office, "GET", url(&format!("/api/v1/subjects/{CAFE}")), None).await.0, 404);
        let (status, body) = send(&office, "POST", url("/api/v1/complaints"), Some(complaint())).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("duplicate-ticket")), "{body:#}");

        // Accepted on Monday 09-28 for the sector's division: 15 working
        // days, National Day skipped, Saturday 10-10 worked → 10-23.
        let (status, body) =
            send(&office, "POST", steps_url.clone(), Some(json!({"action": "accept", "on": "2026-09-28"}))).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["unit"].as_str(), body["due"].as_str()), (Some("cultural-market"), Some("2026-10-23")));

        // The handlers see who complained; nobody else sees the complaint.
        let (_, mine) = send(&market, "GET", url("/api/v1/complaints"), None).await;
        assert_eq!(mine[0]["complainant_name"], "投诉人乙", "{mine:#}");
        let (_, theirs) = send(&press, "GET", url("/api/v1/complaints"), None).await;
        assert_eq!(theirs, json!([]));
        assert_eq!(send(&press, "GET", url(&format!("/api/v1/complaints/{id}")), None).await.0, 404);
        assert_eq!(send(&inspector, "GET", url(&format!("/api/v1/complaints/{id}")), None).await.0, 403);

        // The division concludes; substantiated, it becomes a record.
        let conclude = json!({"action": "conclude", "verdict": "substantiated", "on": "2026-10-20", "reason": "现场检查发现接纳未成年人3名，投诉属实"});
        assert_eq!(send(&office, "POST", steps_url.clone(), Some(conclude.clone())).await.0, 403);
        let (status, body) =
            send(&market, "POST", steps_url.clone(), Some(json!({"action": "conclude", "reason": "x"}))).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("verdict-required")));
        let naming =
            json!({"action": "conclude", "verdict": "substantiated", "on": "2026-10-20", "reason": "投诉人乙反映属实"});
        let (status, body) = send(&market, "POST", steps_url.clone(), Some(naming)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("complainant-in-finding")), "{body:#}");
        let (status, body) = send(&market, "POST", steps_url.clone(), Some(conclude)).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("substantiated")), "{body:#}");
        let record = body["record_id"].as_str().unwrap().to_owned();
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        assert_eq!(
            (file["record"]["kind"].as_str(), file["record"]["review_status"].as_str()),
            (Some("complaint"), Some("published"))
        );
        let (status, subject) = send(&office, "GET", url(&format!("/api/v1/subjects/{CAFE}")), None).await;
        assert_eq!((status, subject["subject"]["name"].as_str()), (200, Some("郑州市测试网吧")), "{subject:#}");
        assert_eq!(file["record"]["subject_key"], CAFE);
        let text = file.to_string();
        assert!(!text.contains("投诉人乙") && !text.contains("13800000000"), "{text}");
        let check = json!({"subject": {"uscc": CAFE}, "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe"});
        let (status, answer) = send(&inspector, "POST", url("/api/v1/checks"), Some(check)).await;
        assert_eq!(status, 201, "a check reads a file with a complaint record: {answer:#}");

        // Feedback closes it; the complainant follows it with the code.
        let (status, body) =
            send(&office, "POST", steps_url, Some(json!({"action": "answer", "reason": "已书面反馈调查结果"}))).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("closed")));
        let code = filed["follow_code"].as_str().unwrap();
        let (status, followed) =
            send(&client_with(None), "GET", url(&format!("/api/v1/public/complaints/{id}?code={code}")), None).await;
        assert_eq!((status, followed["status"].as_str()), (200, Some("closed")));
        assert!(!followed.to_string().contains("投诉人乙") && !followed.to_string().contains("xinyong"));

        // An anonymous report, concluded late and unsubstantiated: nothing
        // enters the file. Received 09-01: 15 working days with Sunday
        // 09-20 worked end on 09-21.
        let report = json!({
            "kind": "report", "channel": "web", "received_on": "2026-09-01",
            "subject": {"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"}, "sector": "cultural-market",
            "statement": "举报该场所超时营业"
        });
        let (status, filed) = send(&office, "POST", url("/api/v1/complaints"), Some(report)).await;
        assert_eq!((status, filed["complainant_name"].clone()), (201, Value::Null), "{filed:#}");
        let steps_url = url(&format!("/api/v1/complaints/{}/steps", filed["id"].as_str().unwrap()));
        let (_, body) =
            send(&office, "POST", steps_url.clone(), Some(json!({"action": "accept", "on": "2026-09-01"}))).await;
        assert_eq!(body["due"], "2026-09-21");
        let (status, body) = send(
            &market,
            "POST",
            steps_url,
            Some(json!({"action": "conclude", "verdict": "unsubstantiated", "reason": "检查未发现超时营业"})),
        )
        .await;
        assert_eq!((status, body["record_id"].clone()), (200, Value::Null), "{body:#}");
        let (_, file) = send(&office, "GET", url("/api/v1/subjects/91410104MAN0NYBQX1"), None).await;
        assert!(file["records"].as_array().is_none_or(|r| r.iter().all(|r| r["kind"] != "complaint")), "{file:#}");

        let (status, _) =
            send(&office, "GET", url("/api/v1/complaints/statistics?from=2026-12-31&to=2026-01-01"), None).await;
        assert_eq!(status, 422);
        let (status, stats) = send(&office, "GET", url("/api/v1/complaints/statistics?from=2026-01-01"), None).await;
        assert_eq!(status, 200, "{stats:#}");
        assert_eq!(
            (stats["received"].as_i64(), stats["substantiated"].as_i64(), stats["unsubstantiated"].as_i64()),
            (Some(2), Some(1), Some(1))
        );
        assert_eq!((stats["concluded_on_time"].as_i64(), stats["concluded_late"].as_i64()), (Some(1), Some(1)));
        assert_eq!(stats["by_kind"], json!({"complaint": 1, "report": 1}));
        assert_eq!(stats["by_channel"], json!({"12318": 1, "web": 1}));
    }
}
