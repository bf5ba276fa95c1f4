//! Credit repair (信用修复) through HTTP: a serious-dishonesty entry
//! repaired by the bureau (the unit's check, the office's review, the
//! leadership's approval, the decision), with 补正 and deadlines
//! hand-counted across Spring Festival 2026 (02-15..02-23 off, Saturdays
//! 02-14 and 02-28 worked); a general penalty's publicity repaired by the
//! national credit platform and mirrored; a platform request in a year
//! without a schedule.

use crate::reporting::cafe_penalty;
use crate::util::{TestHost, client_with, databases, plugins, send};
use credit_host::access::Role;
use serde_json::{Value, json};

const CAFE: &str = "91410104MA329GYC1F";
const CLUB: &str = "91410108MA1JTPRN2D";

fn check_of(uscc: &str) -> Value {
    json!({"subject": {"uscc": uscc}, "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe"})
}

fn rule_ids(check: &Value) -> Vec<String> {
    check["findings"].as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap().to_owned()).collect()
}

/// A general penalty (a fine of 5,000 yuan) of another café, decided
/// 2026-01-05: published one year.
fn general_penalty() -> Value {
    json!({
        "subject_name": "郑州市惠济区迅游网络会所", "subject_category": "法人及非法人组织", "uscc": CLUB,
        "legal_representative": "程军欣", "legal_representative_id_type": "身份证",
        "legal_representative_id_number": "410108198611066332",
        "decision_number": "测文旅罚字〔2026〕3号", "violation_type": "未核验上网消费者身份证件",
        "legal_basis": "《互联网上网服务营业场所管理条例》第二十三条、第三十二条",
        "penalty_types": "罚款", "penalty_content": "罚款人民币5000元",
        "fine_wan_yuan": 0.5, "decision_date": "2026-01-05", "authority": "郑州市测试区文化广电和旅游局"
    })
}

async fn step(client: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    send(client, "POST", url.to_owned(), Some(body)).await
}

fn application(entry: &str) -> Value {
    json!({
        "path": "list-entry", "list_entry_id": entry, "channel": "counter", "received_on": "2026-02-10",
        "applicant": {"name": "郑州市测试网吧", "role": "subject", "proof": ["business-licence"]},
        "rectification": "已停业整顿，更换经营管理人员，建立未成年人禁入制度",
        "training": "2026-01-20 参加市文化广电和旅游局信用修复专题培训",
        "commitment": "本单位承诺今后依法诚信经营，如有违反愿承担相应责任"
    })
}

#[tokio::test]
async fn a_list_entry_is_repaired_after_the_check_the_review_and_the_leaderships_approval() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let decider = client_with(Some(&host.account("juece", "credit-office", &[Role::Reviewer]).await));
        let proposer = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
        let reporter = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let checker = client_with(Some(&host.account("jiancha", "enforcement-detachment", &[Role::Reporter]).await));
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let leader = client_with(Some(&host.account("lingdao", "leadership", &[Role::Approver]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));
        let (status, report) =
            send(&reporter, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let (_, entries) =
            send(&office, "GET", url(&format!("/api/v1/list-entries?list=serious-dishonesty&uscc={CAFE}")), None).await;
        let entry = entries[0]["id"].as_str().unwrap().to_owned();
        let (_, before) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert!(rule_ids(&before).contains(&"joint-punishment".to_owned()), "{before:#}");

        // What an application lacks is named, with its pointer.
        for (change, pointer, code) in [
            (json!({"training": " "}), "/training", "required"),
            (json!({"commitment": null}), "/commitment", "required"),
            (json!({"applicant": null}), "/applicant", "required"),
            (json!({"record_id": "x"}), "/record_id", "not-with-this-path"),
            (json!({"opinion_asked": false}), "/opinion_asked", "not-with-this-path"),
            (json!({"received_on": "2099-01-01"}), "/received_on", "date-in-future"),
            (json!({"training": "已培训\u{0}"}), "/training", "control-character"),
        ] {
            let mut body = application(&entry);
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (status, problem) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(body)).await;
            assert_eq!((status, problem["errors"][0]["pointer"].as_str()), (422, Some(pointer)), "{problem:#}");
            assert_eq!(problem["errors"][0]["code"], code, "{problem:#}");
        }
        let (status, _) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application("nothing"))).await;
        assert_eq!(status, 404);
        let (status, _) = send(&checker, "POST", url("/api/v1/credit-repairs"), Some(application(&entry))).await;
        assert_eq!(status, 403, "a division does not file what the office receives");

        let (status, filed) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application(&entry))).await;
        assert_eq!(status, 201, "{filed:#}");
        let id = filed["id"].as_str().unwrap().to_owned();
        let code = filed["follow_code"].as_str().unwrap().to_owned();
        assert_eq!((filed["status"].as_str(), filed["subject_key"].as_str()), (Some("received"), Some(CAFE)));
        assert_eq!(filed["next_steps"], json!(["accept", "not-accept", "request-completion"]));
        let (status, again) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application(&entry))).await;
        assert_eq!((status, again["errors"][0]["code"].as_str()), (409, Some("repair-open")), "{again:#}");
        let steps_url = url(&format!("/api/v1/credit-repairs/{id}/steps"));

        // Accepted Wednesday 02-11, routed to the detachment that reported
        // the record: 02-12 (1), 02-13 (2), Saturday 02-14 (3), Spring
        // Festival, 02-24 (4), 02-25 (5).
        let (status, body) = step(&office, &steps_url, json!({"action": "accept", "on": "2026-02-11"})).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["unit"].as_str(), body["due"].as_str()), (Some("enforcement-detachment"), Some("2026-02-25")));
        // 补正 from 02-12 to 02-24 stops the clock: 02-25 (1), 02-26 (2),
        // 02-27 (3), Saturday 02-28 (4), 03-02 (5).
        let (status, body) = step(
            &office,
            &steps_url,
            json!({"action": "request-completion", "on": "2026-02-12", "reason": "请补充培训结业证明"}),
        )
        .await;
        assert_eq!((status, body["due"].as_str()), (200, None), "{body:#}");
        let grant_check =
            json!({"action": "check", "verdict": "grant", "reason": "现场复查整改到位", "on": "2026-02-26"});
        let (status, body) = step(&checker, &steps_url, grant_check.clone()).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("step-not-allowed")), "{body:#}");
        let (status, body) = step(&office, &steps_url, json!({"action": "complete", "on": "2026-02-24"})).await;
        assert_eq!((status, body["due"].as_str()), (200, Some("2026-03-02")), "{body:#}");

        // The check is the detachment's: the office may not, another unit
        // does not see it.
        let (status, _) = step(&office, &steps_url, grant_check.clone()).await;
        assert_eq!(status, 403);
        let (status, _) = step(&market, &steps_url, grant_check.clone()).await;
        assert_eq!(status, 404);
        let (status, body) =
            step(&checker, &steps_url, json!({"action": "check", "verdict": "maybe", "reason": "x"})).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/verdict")), "{body:#}");
        // Thursday 02-26: the office's review is due 02-27, 02-28, 03-02.
        let (status, body) = step(&checker, &steps_url, grant_check).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["status"].as_str(), body["due"].as_str()), (Some("office-review"), Some("2026-03-02")));
        assert_eq!((body["check_verdict"].as_str(), body["checked_by"].as_str()), (Some("grant"), Some("jiancha")));

        let review = json!({"action": "review", "verdict": "grant", "reason": "整改材料齐全", "on": "2026-03-02"});
        let (status, body) = step(&reporter, &steps_url, review.clone()).await;
        assert_eq!(status, 403, "{body:#}");
        // Monday 03-02: the leadership's approval is due 03-03, 03-04, 03-05.
        let (status, body) = step(&office, &steps_url, review).await;
        assert_eq!((status, body["due"].as_str()), (200, Some("2026-03-05")), "{body:#}");
        assert_eq!(body["status"], "approval");

        // 报批: only the leadership approves.
        let approve = json!({"action": "approve", "verdict": "grant", "on": "2026-03-04"});
        let (status, _) = step(&office, &steps_url, approve.clone()).await;
        assert_eq!(status, 403);
        let (status, listed) = send(&leader, "GET", url("/api/v1/credit-repairs?status=approval"), None).await;
        assert_eq!((status, listed.as_array().map(Vec::len)), (200, Some(1)), "{listed:#}");
        let (status, body) = step(&leader, &steps_url, approve).await;
        assert_eq!(status, 200, "{body:#}");
        // The decision is due 03-05, 03-06.
        assert_eq!((body["status"].as_str(), body["due"].as_str()), (Some("deciding"), Some("2026-03-06")));
        assert_eq!((body["approval_verdict"].as_str(), body["approved_by"].as_str()), (Some("grant"), Some("lingdao")));

        // The decision follows the leadership: its number, no verdict.
        let (status, body) = step(&decider, &steps_url, json!({"action": "decide", "on": "2026-03-05"})).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/decision_number")), "{body:#}");
        let (status, body) = step(
            &decider,
            &steps_url,
            json!({"action": "decide", "on": "2026-03-05", "verdict": "refuse", "decision_number": "1"}),
        )
        .await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/verdict")), "{body:#}");
        let decide = json!({"action": "decide", "on": "2026-03-05", "decision_number": "郑文广信修〔2026〕1号"});
        let (status, body) = step(&decider, &steps_url, decide.clone()).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(
            (body["status"].as_str(), body["decision"].as_str(), body["repaired_on"].as_str()),
            (Some("granted"), Some("grant"), Some("2026-03-05"))
        );
        assert_eq!(body["next_steps"], json!([]));
        let actions: Vec<&str> =
            body["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
        assert_eq!(
            actions,
            ["file", "accept", "request-completion", "complete", "check", "review", "approve", "decide"]
        );
        let (status, _) = step(&decider, &steps_url, decide).await;
        assert_eq!(status, 409);

        // The entry was removed at once and no longer counts.
        let (_, removed) = send(&office, "GET", url(&format!("/api/v1/list-entries/{entry}")), None).await;
        assert_eq!((removed["status"].as_str(), removed["in_force"].as_bool()), (Some("removed"), Some(false)));
        let last = removed["steps"].as_array().unwrap().last().unwrap();
        assert!(last["reason"].as_str().unwrap().contains("郑文广信修〔2026〕1号"), "{removed:#}");
        let (_, after) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert!(!rule_ids(&after).contains(&"joint-punishment".to_owned()), "{after:#}");
        // The penalty itself is still published: repairing the entry is not
        // repairing the penalty's publicity.
        assert!(rule_ids(&after).contains(&"penalty-in-publicity".to_owned()), "{after:#}");
        // A check as of a day before the repair sees the entry as it was.
        let mut then = check_of(CAFE);
        then["as_of"] = json!("2026-03-04");
        let (_, replay) = send(&inspector, "POST", url("/api/v1/checks"), Some(then)).await;
        assert!(rule_ids(&replay).contains(&"joint-punishment".to_owned()), "{replay:#}");

        // The applicant follows it with the code, without names.
        let (status, followed) =
            send(&client_with(None), "GET", url(&format!("/api/v1/public/credit-repairs/{id}?code={code}")), None)
                .await;
        assert_eq!((status, followed["status"].as_str()), (200, Some("granted")), "{followed:#}");
        assert!(followed["steps"][0].get("actor").is_none());
        let (status, _) =
            send(&client_with(None), "GET", url(&format!("/api/v1/public/credit-repairs/{id}?code=0000")), None).await;
        assert_eq!(status, 404);

        // A removed entry is not repaired again.
        let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application(&entry))).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("entry-not-in-force")), "{body:#}");

        // An entry the office proposed itself: its proposer decides nothing
        // about its repair; a refusal from the leadership refuses it.
        let (status, proposed) = send(
            &proposer,
            "POST",
            url("/api/v1/list-entries"),
            Some(json!({
                "list": "minor-dishonesty", "subject": {"uscc": CLUB, "name": "郑州市惠济区迅游网络会所"},
                "criteria": "未履行信用承诺", "basis": "承诺整改未按期完成", "sector": "cultural-market", "on": "2026-01-05"
            })),
        )
        .await;
        assert_eq!(status, 201, "{proposed:#}");
        let minor = proposed["id"].as_str().unwrap().to_owned();
        let entry_steps = url(&format!("/api/v1/list-entries/{minor}/steps"));
        let (status, body) = step(&proposer, &entry_steps, json!({"action": "notify", "on": "2026-01-06"})).await;
        assert_eq!(status, 200, "{body:#}");
        let decide_entry = json!({"action": "decide", "on": "2026-01-20", "decision_number": "郑文广新信〔2026〕1号"});
        let (status, body) = step(&decider, &entry_steps, decide_entry).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("decided")), "{body:#}");
        let mut body = application(&minor);
        body["applicant"]["name"] = json!("郑州市惠济区迅游网络会所");
        let (status, filed) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(body)).await;
        assert_eq!(status, 201, "{filed:#}");
        let steps_url = url(&format!("/api/v1/credit-repairs/{}/steps", filed["id"].as_str().unwrap()));
        let (status, body) = step(&office, &steps_url, json!({"action": "accept", "on": "2026-02-11"})).await;
        // The office proposed it about a sector: that sector's division checks it.
        assert_eq!((status, body["unit"].as_str()), (200, Some("cultural-market")), "{body:#}");
        let check = json!({"action": "check", "verdict": "refuse", "reason": "整改未完成", "on": "2026-02-12"});
        let (status, body) = step(&market, &steps_url, check).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("office-review")), "{body:#}");
        let review = json!({"action": "review", "verdict": "refuse", "reason": "整改未完成", "on": "2026-02-13"});
        let (status, body) = step(&proposer, &steps_url, review.clone()).await;
        assert_eq!(status, 403, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("tiwei"), "{body:#}");
        let (status, body) = step(&office, &steps_url, review).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("approval")), "{body:#}");
        let refuse = json!({"action": "approve", "verdict": "refuse", "on": "2026-02-13"});
        let (status, body) = step(&leader, &steps_url, refuse.clone()).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason")), "{body:#}");
        let mut refuse = refuse;
        refuse["reason"] = json!("整改未到位");
        let (status, body) = step(&leader, &steps_url, refuse).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("deciding")), "{body:#}");
        let (status, body) = step(&proposer, &steps_url, json!({"action": "decide", "decision_number": "x"})).await;
        assert_eq!(status, 403, "{body:#}");
        let decide = json!({"action": "decide", "on": "2026-02-24", "decision_number": "郑文广信修〔2026〕2号"});
        let (status, body) = step(&decider, &steps_url, decide).await;
        assert_eq!(
            (status, body["status"].as_str(), body["decision"].as_str(), body["repaired_on"].as_str()),
            (200, Some("refused"), Some("refuse"), None),
            "{body:#}"
        );
        let (_, still) = send(&office, "GET", url(&format!("/api/v1/list-entries/{minor}")), None).await;
        assert_eq!((still["status"].as_str(), still["in_force"].as_bool()), (Some("decided"), Some(true)), "{still:#}");
    }
}

#[tokio::test]
async fn the_platforms_decision_on_a_penaltys_publicity_is_mirrored() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let reporter = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));
        let (status, report) = send(
            &reporter,
            "POST",
            url("/api/v1/records?sector=cultural-market&kind=penalty"),
            Some(general_penalty()),
        )
        .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let record = report["ids"][0].as_str().unwrap().to_owned();
        let (_, before) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CLUB))).await;
        assert_eq!(rule_ids(&before), ["penalty-in-publicity"], "{before:#}");

        let request = json!({
            "path": "publicity", "record_id": record, "channel": "credit-china",
            "ticket_number": "XYZG-2026-000123", "received_on": "2026-02-12"
        });
        let mut by_counter = request.clone();
        by_counter["channel"] = json!("counter");
        let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(by_counter)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("platform-only")), "{body:#}");
        let mut no_ticket = request.clone();
        no_ticket["ticket_number"] = Value::Null;
        let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(no_ticket)).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/ticket_number")), "{body:#}");

        // The platform asks for the unit's opinion, due 3 working days after
        // Thursday 02-12: 02-13 (1), Saturday 02-14 (2), 02-24 (3).
        let (status, filed) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(request.clone())).await;
        assert_eq!(status, 201, "{filed:#}");
        assert_eq!(
            (filed["status"].as_str(), filed["unit"].as_str(), filed["due"].as_str()),
            (Some("opinion-due"), Some("enforcement-detachment"), Some("2026-02-24"))
        );
        assert_eq!((filed["follow_code"].as_str(), filed["applicant_role"].as_str()), (None, Some("platform")));
        let steps_url = url(&format!("/api/v1/credit-repairs/{}/steps", filed["id"].as_str().unwrap()));
        let (status, body) = send(
            &reporter,
            "POST",
            steps_url.clone(),
            Some(json!({"action": "opinion", "verdict": "grant", "reason": "罚款已缴清，已整改", "on": "2026-02-24"})),
        )
        .await;
        assert_eq!((status, body["status"].as_str(), body["due"].as_str()), (200, Some("platform-deciding"), None));

        // Not before three months of publicity (from 2026-01-05).
        let early = json!({"action": "platform-decision", "verdict": "grant", "on": "2026-03-01"});
        let (status, body) = send(&office, "POST", steps_url.clone(), Some(early)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("before-minimum-publicity")), "{body:#}");
        let decision = json!({"action": "platform-decision", "verdict": "grant", "on": "2026-04-07", "decision_number": "信用中国修复〔2026〕88号"});
        let (status, body) = send(&office, "POST", steps_url, Some(decision)).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("granted")), "{body:#}");

        // Mirrored: publicity ended 04-07; the record stays in the file.
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        assert_eq!(
            (file["record"]["repaired_on"].as_str(), file["record"]["publicity_end"].as_str()),
            (Some("2026-04-07"), Some("2027-01-05"))
        );
        let last = file["reviews"].as_array().unwrap().last().unwrap();
        assert_eq!(
            (last["reason_code"].as_str(), last["actor"].as_str()),
            (Some("publicity-repaired"), Some("xinyong"))
        );
        assert!(last["reason"].as_str().unwrap().contains("信用中国修复〔2026〕88号"), "{file:#}");
        let (_, after) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CLUB))).await;
        assert!(!rule_ids(&after).contains(&"penalty-in-publicity".to_owned()), "{after:#}");
        // A check as of a day before the repair still sees the publicity.
        let mut then = check_of(CLUB);
        then["as_of"] = json!("2026-03-01");
        let (_, replay) = send(&inspector, "POST", url("/api/v1/checks"), Some(then)).await;
        assert_eq!(rule_ids(&replay), ["penalty-in-publicity"], "{replay:#}");
        // Nothing left to repair.
        let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(request.clone())).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("already-repaired")), "{body:#}");
        // A serious penalty decided long ago is out of publicity; a minor
        // one was never published.
        let mut old = general_penalty();
        old["decision_number"] = json!("测文旅罚字〔2024〕9号");
        old["decision_date"] = json!("2024-03-01");
        let mut minor = general_penalty();
        minor["decision_number"] = json!("测文旅罚字〔2026〕4号");
        minor["penalty_types"] = json!("警告");
        minor["penalty_content"] = json!("给予警告");
        minor.as_object_mut().unwrap().remove("fine_wan_yuan");
        for (body, code) in [(old, "publicity-over"), (minor, "not-published")] {
            let (status, report) =
                send(&reporter, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(body)).await;
            assert_eq!(status, 201, "{report:#}");
            let mut again = request.clone();
            again["record_id"] = report["ids"][0].clone();
            let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(again)).await;
            assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some(code)), "{body:#}");
        }
    }
}

#[tokio::test]
async fn an_opinion_due_in_a_year_without_a_schedule_is_provisional_until_it_is_loaded() {
    for db in databases() {
        let host = TestHost::start_configured(db, plugins(), |s| {
            s.calendar = std::sync::Arc::new(arc_swap::ArcSwap::from_pointee(credit_calendar::Calendar::empty()));
        })
        .await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let reporter = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let admin = client_with(Some(&host.account("admin", "administration", &[Role::Administrator]).await));
        let (_, report) = send(
            &reporter,
            "POST",
            url("/api/v1/records?sector=cultural-market&kind=penalty"),
            Some(general_penalty()),
        )
        .await;
        let request = json!({
            "path": "publicity", "record_id": report["ids"][0], "channel": "credit-china",
            "ticket_number": "XYZG-2026-000124", "received_on": "2026-02-12"
        });
        // Weekdays only, for want of the notice: 02-13, 02-16, 02-17.
        let (status, filed) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(request)).await;
        assert_eq!(status, 201, "{filed:#}");
        assert_eq!((filed["due"].as_str(), filed["due_provisional"].as_bool()), (Some("2026-02-17"), Some(true)));
        let schedule = std::fs::read_to_string(crate::util::root().join("calendar/schedules/2026.json")).unwrap();
        let (status, body) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/2026?replace=true"), Some(Value::String(schedule))).await;
        assert_eq!(status, 200, "{body:#}");
        let (_, body) =
            send(&office, "GET", url(&format!("/api/v1/credit-repairs/{}", filed["id"].as_str().unwrap())), None).await;
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-02-24"), Some(false)));
    }
}

#[tokio::test]
async fn the_bureau_revokes_a_withdrawn_decision_and_the_entries_resting_on_it_end() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));
        let (status, report) =
            send(&zhifa, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(cafe_penalty()))
                .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let record = report["ids"][0].as_str().unwrap().to_owned();
        let revocation = url(&format!("/api/v1/records/{record}/revocation"));
        let (status, body) = send(&office, "POST", revocation.clone(), Some(json!({"reason": " "}))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason")), "{body:#}");
        let (status, _) =
            send(&office, "POST", url("/api/v1/records/nothing/revocation"), Some(json!({"reason": "x"}))).await;
        assert_eq!(status, 404);
        let (status, _) = send(&zhifa, "POST", revocation.clone(), Some(json!({"reason": "x"}))).await;
        assert_eq!(status, 403, "a reporter does not revoke");

        let withdrawn = json!({"reason": "复议机关撤销原处罚决定（郑复决〔2026〕12号）", "on": "2026-11-20"});
        let (status, body) = send(&office, "POST", revocation.clone(), Some(withdrawn.clone())).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(body["record"]["review_status"], "revoked");
        let last = body["reviews"].as_array().unwrap().last().unwrap();
        assert_eq!(
            (last["reason_code"].as_str(), last["status"].as_str()),
            (Some("decision-withdrawn"), Some("revoked"))
        );
        // Both entries resting on it (the café and its legal representative) ended.
        let (_, entries) = send(&office, "GET", url("/api/v1/list-entries?list=serious-dishonesty"), None).await;
        let statuses: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["removed", "removed"], "{entries:#}");
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert!(!rule_ids(&check).contains(&"joint-punishment".to_owned()), "{check:#}");
        assert!(!rule_ids(&check).contains(&"penalty-in-publicity".to_owned()), "{check:#}");
        let (status, body) = send(&office, "POST", revocation, Some(withdrawn)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("not-counting")), "{body:#}");
        // A revoked decision is not corrected back to life.
        let correction = json!({"reason": "更正罚款金额", "record": cafe_penalty()});
        let (status, body) =
            send(&zhifa, "POST", url(&format!("/api/v1/records/{record}/corrections")), Some(correction)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("record-revoked")), "{body:#}");

        // Whoever reported a record does not revoke it, reviewer or not
        // (the test bureau's clerks report every kind and review too).
        let both = client_with(Some(
            &host.account("hongbang", crate::util::CLERK_UNIT, &[Role::Reporter, Role::Reviewer]).await,
        ));
        let mut other = cafe_penalty();
        other["decision_number"] = json!("测文旅罚字〔2025〕77号");
        let (status, report) =
            send(&both, "POST", url("/api/v1/records?sector=cultural-market&kind=penalty"), Some(other)).await;
        assert_eq!(status, 201, "{report:#}");
        let (status, body) = send(
            &both,
            "POST",
            url(&format!("/api/v1/records/{}/revocation", report["ids"][0].as_str().unwrap())),
            Some(json!({"reason": "误报"})),
        )
        .await;
        assert_eq!(status, 403, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("hongbang reported this record"), "{body:#}");
    }
}
