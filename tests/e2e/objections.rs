//! Objections (异议) through HTTP: intake, routing to the unit that
//! provided the record, 补正 stopping the clock, the unit's opinion, the
//! office's review, the written answer; deadlines hand-counted across
//! National Day 2026 (10-01..10-07 off, Saturday 10-10 worked).

use crate::reporting::cafe_penalty;
use crate::util::{TestHost, client_with, databases, send};
use credit_host::access::Role;
use serde_json::{Value, json};

const CAFE: &str = "91410104MA329GYC1F";

fn check_of(uscc: &str) -> Value {
    json!({"subject": {"uscc": uscc}, "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe"})
}

fn objection(record: &str) -> Value {
    json!({
        "record_id": record, "channel": "counter", "received_on": "2026-09-28",
        "applicant": {"name": "王律师", "role": "agent", "proof": ["power-of-attorney", "agent-id-card"]},
        "statement": "处罚决定已被复议机关撤销，请求撤销该信用记录"
    })
}

#[tokio::test]
async fn an_objection_is_verified_by_the_providing_unit_and_an_upheld_one_acts_at_once() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));
        let (status, report) =
            send(&zhifa, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let record = report["ids"][0].as_str().unwrap().to_owned();

        // Intake: what is missing is named, with its pointer.
        for (change, pointer, code) in [
            (json!({"channel": "12345"}), "/ticket_number", "ticket-required"),
            (json!({"channel": "fax"}), "/channel", "unknown-channel"),
            (
                json!({"applicant": {"name": "王律师", "role": "agent", "proof": ["agent-id-card"]}}),
                "/applicant/proof",
                "power-of-attorney-required",
            ),
            (
                json!({"applicant": {"name": "王律师", "role": "subject", "proof": ["passport"]}}),
                "/applicant/proof/0",
                "unknown-proof",
            ),
            (json!({"statement": " "}), "/statement", "required"),
            (json!({"received_on": "2099-01-01"}), "/received_on", "date-in-future"),
            (json!({"list_entry_id": "x"}), "/record_id", "objection-target"),
        ] {
            let mut body = objection(&record);
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (status, problem) = send(&office, "POST", url("/api/v1/objections"), Some(body)).await;
            assert_eq!((status, problem["errors"][0]["pointer"].as_str()), (422, Some(pointer)), "{problem:#}");
            assert_eq!(problem["errors"][0]["code"], code);
        }
        let (status, _) = send(&office, "POST", url("/api/v1/objections"), Some(objection("no-such-record"))).await;
        assert_eq!(status, 404);

        let (status, filed) = send(&office, "POST", url("/api/v1/objections"), Some(objection(&record))).await;
        assert_eq!(status, 201, "{filed:#}");
        let id = filed["id"].as_str().unwrap().to_owned();
        let code = filed["follow_code"].as_str().unwrap().to_owned();
        assert_eq!((filed["status"].as_str(), filed["subject_key"].as_str()), (Some("received"), Some(CAFE)));
        assert_eq!(filed["next_steps"], json!(["accept", "not-accept", "request-completion"]));
        let steps_url = url(&format!("/api/v1/objections/{id}/steps"));

        // While it is open the record still counts, marked as under objection.
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(check["outcome"], "restricted", "{check:#}");
        let mark = format!("evidence record {record} is under objection ({id})");
        assert!(check["notes"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains(&mark)), "{check:#}");

        // Accepted on Monday 09-28 and routed to the detachment that
        // reported it: 09-29 (1), 09-30 (2), National Day, 10-08 (3),
        // 10-09 (4), Saturday 10-10 (5), 10-12 (6), 10-13 (7).
        let (status, body) =
            send(&office, "POST", steps_url.clone(), Some(json!({"action": "accept", "on": "2026-09-28"}))).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["unit"].as_str(), body["due"].as_str()), (Some("enforcement-detachment"), Some("2026-10-13")));

        // 补正 from 09-30 stops the clock; nothing but its end is allowed.
        let ask = json!({"action": "request-completion", "on": "2026-09-30", "reason": "请补充复议决定书复印件"});
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(ask)).await;
        assert_eq!(
            (status, body["paused_since"].as_str(), body["due"].as_str()),
            (200, Some("2026-09-30"), None),
            "{body:#}"
        );
        let uphold = json!({"action": "opinion", "verdict": "uphold", "reason": "复议决定撤销原处罚，异议成立", "on": "2026-10-15"});
        let (status, body) = send(&zhifa, "POST", steps_url.clone(), Some(uphold.clone())).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("step-not-allowed")), "{body:#}");
        // The material arrives 10-09: 09-29 (1), the pause 09-30..10-09,
        // Saturday 10-10 (2), 10-12 (3) … 10-16 (7).
        let (status, body) =
            send(&office, "POST", steps_url.clone(), Some(json!({"action": "complete", "on": "2026-10-09"}))).await;
        assert_eq!((status, body["due"].as_str()), (200, Some("2026-10-16")), "{body:#}");
        assert_eq!(body["pauses"], json!([{"from": "2026-09-30", "to": "2026-10-09"}]));
        let (_, overdue) = send(&office, "GET", url("/api/v1/objections?overdue=true"), None).await;
        assert_eq!(overdue[0]["id"], id.as_str(), "{overdue:#}");

        // The opinion is the verifying unit's; other units do not see it.
        let (status, _) = send(&office, "POST", steps_url.clone(), Some(uphold.clone())).await;
        assert_eq!(status, 403);
        let (status, _) = send(&market, "POST", steps_url.clone(), Some(uphold.clone())).await;
        assert_eq!(status, 404);
        let (_, routed) = send(&market, "GET", url("/api/v1/objections"), None).await;
        assert_eq!(routed, json!([]));
        let (_, routed) = send(&zhifa, "GET", url("/api/v1/objections"), None).await;
        assert_eq!(routed.as_array().unwrap().len(), 1);
        // Thursday 10-15: the office's review is due 10-16 (1), 10-19 (2), 10-20 (3).
        let (status, body) = send(&zhifa, "POST", steps_url.clone(), Some(uphold)).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["status"].as_str(), body["due"].as_str()), (Some("office-review"), Some("2026-10-20")));
        assert_eq!((body["opinion"].as_str(), body["opinion_by"].as_str()), (Some("uphold"), Some("zhifa")));

        // Upheld, the record is revoked at once, with its list entries.
        let review = json!({"action": "review", "verdict": "uphold", "reason": "复议已撤销原处罚"});
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(review.clone())).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/remedy")), "{body:#}");
        let mut revoke = review.clone();
        revoke["remedy"] = json!("revoke");
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(revoke)).await;
        assert_eq!(
            (status, body["status"].as_str(), body["remedy"].as_str()),
            (200, Some("upheld"), Some("revoke")),
            "{body:#}"
        );
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        assert_eq!(file["record"]["review_status"], "revoked");
        let last = file["reviews"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["status"].as_str(), last["actor"].as_str()), (Some("revoked"), Some("xinyong")));
        let (_, removed) = send(&office, "GET", url("/api/v1/list-entries?status=removed"), None).await;
        assert_eq!(removed.as_array().unwrap().len(), 2, "the café and its representative: {removed:#}");
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(check["outcome"], "standard", "{check:#}");

        // The written answer closes it; the applicant follows it with the code.
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(json!({"action": "answer"}))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason")));
        let answer = json!({"action": "answer", "reason": "异议成立，已撤销该信用记录，书面答复已送达"});
        let (status, body) = send(&office, "POST", steps_url, Some(answer)).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("closed")));
        let actions: Vec<&str> =
            body["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
        assert_eq!(actions, ["file", "accept", "request-completion", "complete", "opinion", "review", "answer"]);
        assert!(body["steps"].as_array().unwrap().iter().all(|s| s["actor"].is_string() && s["at"].is_string()));
        let public = client_with(None);
        let (status, _) = send(&public, "GET", url(&format!("/api/v1/public/objections/{id}?code=wrong")), None).await;
        assert_eq!(status, 404);
        let (status, followed) =
            send(&public, "GET", url(&format!("/api/v1/public/objections/{id}?code={code}")), None).await;
        assert_eq!(
            (status, followed["status"].as_str(), followed["decision"].as_str()),
            (200, Some("closed"), Some("uphold"))
        );
        assert_eq!(followed["steps"].as_array().unwrap().len(), 7);
        assert!(!followed.to_string().contains("xinyong") && !followed.to_string().contains("王律师"), "{followed:#}");
    }
}

#[tokio::test]
async fn an_upheld_objection_can_correct_and_a_refused_one_is_answered() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let (_, report) =
            send(&zhifa, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        let record = report["ids"][0].as_str().unwrap().to_owned();

        // Not accepted: answered in writing, the record untouched.
        let (_, filed) = send(&office, "POST", url("/api/v1/objections"), Some(objection(&record))).await;
        let steps_url = url(&format!("/api/v1/objections/{}/steps", filed["id"].as_str().unwrap()));
        let refuse = json!({"action": "not-accept", "reason": "超过异议申请期限且无正当理由"});
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(refuse)).await;
        assert_eq!(
            (status, body["status"].as_str(), body["next_steps"].clone()),
            (200, Some("not-accepted"), json!(["answer"]))
        );
        let (status, body) =
            send(&office, "POST", steps_url, Some(json!({"action": "answer", "reason": "不予受理告知书已送达"}))).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("closed")));

        // Upheld with a correction: the fine was wrongly recorded.
        let (_, filed) = send(&office, "POST", url("/api/v1/objections"), Some(objection(&record))).await;
        let steps_url = url(&format!("/api/v1/objections/{}/steps", filed["id"].as_str().unwrap()));
        let (status, _) = send(&office, "POST", steps_url.clone(), Some(json!({"action": "accept"}))).await;
        assert_eq!(status, 200);
        let opinion = json!({"action": "opinion", "verdict": "uphold", "reason": "罚款金额录入错误"});
        let (status, _) = send(&zhifa, "POST", steps_url.clone(), Some(opinion)).await;
        assert_eq!(status, 200);
        let mut corrected = cafe_penalty();
        corrected["penalty_content"] = json!("给予警告；罚款人民币5000元；吊销网络文化经营许可证");
        corrected["fine_wan_yuan"] = json!(0.5);
        let mut bad = corrected.clone();
        bad["decision_date"] = json!("2025-02-30");
        let review = |record: Value| json!({"action": "review", "verdict": "uphold", "remedy": "correct", "reason": "更正罚款金额", "record": record});
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(review(bad))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/record/decision_date")), "{body:#}");
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        assert_eq!(file["states"].as_array().unwrap().len(), 1, "nothing changed");
        let (status, body) = send(&office, "POST", steps_url, Some(review(corrected))).await;
        assert_eq!(
            (status, body["status"].as_str(), body["remedy"].as_str()),
            (200, Some("upheld"), Some("correct")),
            "{body:#}"
        );
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        let states = file["states"].as_array().unwrap();
        assert_eq!(states.len(), 2, "{file:#}");
        assert!(states[1]["reason"].as_str().unwrap().contains("异议成立"), "{file:#}");
        assert_eq!(file["record"]["body"]["fine_wan_yuan"], 0.5);
    }
}

#[tokio::test]
async fn a_verification_in_a_year_without_a_schedule_is_provisional_until_it_is_loaded() {
    for db in databases() {
        let host = TestHost::start_configured(db, crate::util::plugins(), |s| {
            s.calendar = std::sync::Arc::new(arc_swap::ArcSwap::from_pointee(credit_calendar::Calendar::empty()));
        })
        .await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let admin = client_with(Some(&host.account("admin", "administration", &[Role::Administrator]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let (_, report) =
            send(&zhifa, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        let (_, filed) =
            send(&office, "POST", url("/api/v1/objections"), Some(objection(report["ids"][0].as_str().unwrap()))).await;
        let id = filed["id"].as_str().unwrap().to_owned();
        // Weekdays only, for want of the notice: 09-29 … 10-07 (7).
        let accept = json!({"action": "accept", "on": "2026-09-28"});
        let (status, body) = send(&office, "POST", url(&format!("/api/v1/objections/{id}/steps")), Some(accept)).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-10-07"), Some(true)));
        // A complaint accepted the same day: 15 weekdays → 10-19, provisional.
        let complaint = json!({
            "kind": "report", "channel": "web", "received_on": "2026-09-28",
            "subject": {"uscc": CAFE, "name": "郑州市测试网吧"}, "sector": "cultural-market", "statement": "超时营业"
        });
        let (status, filed) = send(&office, "POST", url("/api/v1/complaints"), Some(complaint)).await;
        assert_eq!(status, 201, "{filed:#}");
        let complaint_url = url(&format!("/api/v1/complaints/{}", filed["id"].as_str().unwrap()));
        let (_, body) = send(
            &office,
            "POST",
            format!("{complaint_url}/steps"),
            Some(json!({"action": "accept", "on": "2026-09-28"})),
        )
        .await;
        assert_eq!(
            (body["due"].as_str(), body["due_provisional"].as_bool()),
            (Some("2026-10-19"), Some(true)),
            "{body:#}"
        );
        // The notice arrives: National Day moves it to 10-13, and it is certain.
        let schedule = std::fs::read_to_string(crate::util::root().join("calendar/schedules/2026.json")).unwrap();
        let r = admin
            .put(url("/api/v1/admin/calendar/2026?replace=true"))
            .header("content-type", "application/json")
            .body(schedule)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let (_, body) = send(&office, "GET", url(&format!("/api/v1/objections/{id}")), None).await;
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-10-13"), Some(false)));
        // And the complaint's to 10-23.
        let (_, body) = send(&office, "GET", complaint_url, None).await;
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-10-23"), Some(false)));
    }
}

#[tokio::test]
async fn objections_reach_a_unit_that_can_answer_and_only_what_still_counts() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let second = client_with(Some(&host.account("fuhe", "credit-office", &[Role::Reviewer]).await));
        // Imported as published by the bureau: no reporting unit is known.
        let csv = std::fs::read(crate::util::root().join("data/sample/penalties-cultural-market.csv")).unwrap();
        credit_host::api::import_csv(&host.state, "penalty", Some("cultural-market"), &csv, "seed", true)
            .await
            .unwrap();
        let (record,): (String,) = sqlx::query_as(
            "SELECT id FROM credit_records WHERE kind = 'penalty' ORDER BY decision_date DESC, id LIMIT 1",
        )
        .fetch_one(host.state.store.pool())
        .await
        .unwrap();
        let (_, filed) = send(&office, "POST", url("/api/v1/objections"), Some(objection(&record))).await;
        let steps_url = url(&format!("/api/v1/objections/{}/steps", filed["id"].as_str().unwrap()));
        let accept = |unit: Option<&str>| {
            let mut b = json!({"action": "accept", "on": "2026-09-28"});
            if let Some(u) = unit {
                b["unit"] = json!(u);
            }
            send(&office, "POST", steps_url.clone(), Some(b))
        };
        for (unit, code) in [
            (None, "unit-required"),
            (Some("leadership"), "unit-cannot-verify"),
            (Some("cultural-market"), "unit-cannot-verify"),
            (Some("nowhere"), "unknown-unit"),
        ] {
            let (status, body) = accept(unit).await;
            assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some(code)), "{unit:?} {body:#}");
        }
        let (status, body) = accept(Some("enforcement-detachment")).await;
        assert_eq!((status, body["unit"].as_str()), (200, Some("enforcement-detachment")), "{body:#}");

        // A step is never dated before the one it follows.
        let ask = json!({"action": "request-completion", "on": "2026-09-27", "reason": "补充材料"});
        let (status, body) = send(&office, "POST", steps_url, Some(ask)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("before-previous-step")), "{body:#}");

        // Upheld against a list entry, the entry ends at once.
        let (_, entries) =
            send(&office, "GET", url("/api/v1/list-entries?status=decided&list=serious-dishonesty"), None).await;
        let entry = entries[0]["id"].as_str().unwrap().to_owned();
        let mut body = objection("x");
        body.as_object_mut().unwrap().remove("record_id");
        body["list_entry_id"] = json!(entry);
        let (status, filed) = send(&office, "POST", url("/api/v1/objections"), Some(body.clone())).await;
        assert_eq!(status, 201, "{filed:#}");
        let steps_url = url(&format!("/api/v1/objections/{}/steps", filed["id"].as_str().unwrap()));
        let (status, body2) = send(
            &office,
            "POST",
            steps_url.clone(),
            Some(json!({"action": "accept", "unit": "enforcement-detachment"})),
        )
        .await;
        assert_eq!(status, 200, "{body2:#}");
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let opinion = json!({"action": "opinion", "verdict": "uphold", "reason": "列入依据有误"});
        assert_eq!(send(&zhifa, "POST", steps_url.clone(), Some(opinion)).await.0, 200);
        let review = json!({"action": "review", "verdict": "uphold", "reason": "异议成立"});
        let (status, reviewed) = send(&second, "POST", steps_url, Some(review)).await;
        assert_eq!((status, reviewed["remedy"].as_str()), (200, Some("end-entry")), "{reviewed:#}");
        let (_, ended) = send(&office, "GET", url(&format!("/api/v1/list-entries/{entry}")), None).await;
        assert_eq!(
            (ended["status"].as_str(), ended["in_force"].as_bool()),
            (Some("removed"), Some(false)),
            "{ended:#}"
        );

        // What no longer counts takes no objection.
        let (status, problem) = send(&office, "POST", url("/api/v1/objections"), Some(body)).await;
        assert_eq!((status, problem["errors"][0]["code"].as_str()), (409, Some("target-not-counting")), "{problem:#}");
    }
}
