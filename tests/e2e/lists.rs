//! Lists (红黑榜) through HTTP: the office proposes, hears or announces,
//! decides; red entries are suspended by an adverse record; dated
//! publications serve the public. Deadlines are hand-counted on the State
//! Council's 2026 schedule (春节 02-15..02-23 with 02-14 and 02-28 worked;
//! 国庆 10-01..10-07 with 09-20 and 10-10 worked).

use crate::reporting::cafe_penalty;
use crate::util::{TestHost, client_with, databases, plugins, send};
use credit_host::access::Role;
use serde_json::{Value, json};

const CAFE: &str = "91410104MA329GYC1F";

fn check_of(uscc: &str) -> Value {
    json!({
        "subject": {"uscc": uscc}, "sector": "cultural-market", "purpose": "licensing",
        "licence_type": "internet-cafe"
    })
}

fn actions(entry: &Value) -> Vec<&str> {
    entry["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect()
}

fn rule_ids(check: &Value) -> Vec<&str> {
    check["findings"].as_array().unwrap().iter().map(|f| f["rule_id"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn dishonesty_entries_are_heard_before_they_are_decided_and_count() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let proposer = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
        let decider = client_with(Some(&host.account("juece", "credit-office", &[Role::Reviewer]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));

        let (status, entry) = send(
            &proposer,
            "POST",
            url("/api/v1/list-entries"),
            Some(json!({
                "list": "minor-dishonesty", "subject": {"uscc": CAFE, "name": "郑州市测试网吧"},
                "criteria": "未履行信用承诺", "basis": "承诺整改未按期完成；《文化和旅游市场信用管理规定》", "sector": "cultural-market",
                "on": "2026-02-02"
            })),
        )
        .await;
        assert_eq!(status, 201, "{db:?} {entry:#}");
        let id = entry["id"].as_str().unwrap().to_owned();
        assert_eq!(entry["status"], "proposed");
        assert_eq!(entry["in_force"], false);
        assert_eq!(entry["next_steps"], json!(["notify", "withdraw"]));
        assert_eq!(entry["measures"], json!(["重点监管", "信用提醒", "签署信用承诺"]));
        assert_eq!(
            (entry["steps"][0]["action"].as_str(), entry["steps"][0]["actor"].as_str()),
            (Some("propose"), Some("tiwei"))
        );
        let entry_url = url(&format!("/api/v1/list-entries/{id}"));
        let steps_url = format!("{entry_url}/steps");

        // A proposal counts nowhere.
        let (status, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(status, 201, "{check:#}");
        assert_eq!(check["outcome"], "standard", "{check:#}");

        // No decision without a hearing; no announcement on a dishonesty list.
        let decide = json!({"action": "decide", "decision_number": "郑文广新信〔2026〕3号"});
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(decide.clone())).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("step-not-allowed")), "{body:#}");
        let (status, _) = send(&decider, "POST", steps_url.clone(), Some(json!({"action": "announce"}))).await;
        assert_eq!(status, 409);

        // Served the Thursday before Spring Festival: 02-13 (1), Saturday
        // 02-14 worked (2), the holiday, then 02-24, 02-25, 02-26 (5).
        let (status, body) =
            send(&proposer, "POST", steps_url.clone(), Some(json!({"action": "notify", "on": "2026-02-12"}))).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["status"].as_str(), body["due"].as_str()), (Some("notified"), Some("2026-02-26")));
        assert_eq!(body["due_provisional"], false);
        assert_eq!(body["next_steps"], json!(["statement", "decide", "withdraw"]));

        // The statement needs its content; it is kept with its day.
        let (status, body) = send(&proposer, "POST", steps_url.clone(), Some(json!({"action": "statement"}))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/reason")), "{body:#}");
        let statement =
            json!({"action": "statement", "on": "2026-02-25", "reason": "当事人称已于2月20日完成整改，请求从轻"});
        let (status, body) = send(&proposer, "POST", steps_url.clone(), Some(statement)).await;
        assert_eq!((status, body["statement_on"].as_str()), (200, Some("2026-02-25")), "{body:#}");

        // The proposer does not decide; a decision needs its number.
        let (status, body) = send(&proposer, "POST", steps_url.clone(), Some(decide.clone())).await;
        assert_eq!(status, 403, "{body:#}");
        assert!(body["detail"].as_str().unwrap().contains("tiwei proposed this entry"), "{body:#}");
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(json!({"action": "decide"}))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/decision_number")), "{body:#}");
        let (status, body) = send(
            &decider,
            "POST",
            steps_url.clone(),
            Some(json!({"action": "withdraw", "reason": "x", "decision_number": "X"})),
        )
        .await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("only-with-decide")), "{body:#}");

        let today = credit_host::api::today();
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(decide)).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(body["status"], "decided");
        assert_eq!(body["decision_number"], "郑文广新信〔2026〕3号");
        assert_eq!(body["start_date"], today.to_string());
        let year_later = credit_host::domain::severity::add_years(today, 1);
        assert_eq!(body["end_date"], year_later.to_string());
        assert_eq!(body["in_force"], true);
        assert_eq!(body["due"], Value::Null);
        assert_eq!(actions(&body), ["propose", "notify", "statement", "decide"]);
        let notify = &body["steps"][1];
        assert_eq!((notify["on_date"].as_str(), notify["due"].as_str()), (Some("2026-02-12"), Some("2026-02-26")));
        assert_eq!(
            (body["steps"][3]["actor"].as_str(), body["steps"][3]["unit"].as_str()),
            (Some("juece"), Some("credit-office"))
        );

        // Now it counts: key supervision, until its end.
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(check["outcome"], "caution", "{check:#}");
        assert_eq!(rule_ids(&check), ["minor-dishonesty"]);
        assert_eq!(check["findings"][0]["until"], year_later.to_string());
        // Minor dishonesty is not published.
        let (status, publication) = send(&decider, "POST", url("/api/v1/publications"), None).await;
        assert_eq!(status, 201, "{publication:#}");
        assert_eq!(publication["entries"], json!([]));

        // The office's list; removal needs a reason and ends it.
        let (_, listed) =
            send(&decider, "GET", url("/api/v1/list-entries?list=minor-dishonesty&status=decided"), None).await;
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed:#}");
        let (status, _) = send(&decider, "POST", steps_url.clone(), Some(json!({"action": "remove"}))).await;
        assert_eq!(status, 422);
        let remove = json!({"action": "remove", "reason": "认定依据的承诺书被撤销"});
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(remove.clone())).await;
        assert_eq!((status, body["status"].as_str(), body["in_force"].as_bool()), (200, Some("removed"), Some(false)));
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(remove)).await;
        assert_eq!((status, body["errors"][0]["value"].as_str()), (409, Some("remove")), "{body:#}");
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(check["outcome"], "standard", "{check:#}");
        // The whole history, from an inspector's seat too.
        let (status, body) = send(&inspector, "GET", entry_url, None).await;
        assert_eq!(status, 200);
        assert_eq!(actions(&body), ["propose", "notify", "statement", "decide", "remove"]);
        assert!(body["steps"].as_array().unwrap().iter().all(|s| s["at"].as_str().is_some_and(|a| a.len() > 10)));
    }
}

#[tokio::test]
async fn red_entries_are_announced_suspended_by_an_adverse_record_and_published() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let proposer = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
        let decider = client_with(Some(&host.account("juece", "credit-office", &[Role::Reviewer]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));
        let public = client_with(None);

        let (status, body) = send(&public, "GET", url("/api/v1/public/lists"), None).await;
        assert_eq!(status, 404, "nothing published yet: {body:#}");
        let (status, entry) = send(
            &proposer,
            "POST",
            url("/api/v1/list-entries"),
            Some(json!({
                "list": "red", "subject": {"uscc": CAFE, "name": "郑州市测试网吧"},
                "criteria": "年度诚信经营示范单位", "basis": "郑文广新〔2017〕245号；连续三年无违法违规记录", "on": "2026-09-25"
            })),
        )
        .await;
        assert_eq!(status, 201, "{db:?} {entry:#}");
        let steps_url = url(&format!("/api/v1/list-entries/{}/steps", entry["id"].as_str().unwrap()));
        assert_eq!(entry["next_steps"], json!(["announce", "withdraw"]));
        let (status, _) = send(&proposer, "POST", steps_url.clone(), Some(json!({"action": "notify"}))).await;
        assert_eq!(status, 409, "a red entry is announced, not notified");

        // Announced the day before National Day: 10-08 (1), 10-09 (2),
        // Saturday 10-10 worked (3), 10-12 (4), 10-13 (5).
        let (status, body) =
            send(&proposer, "POST", steps_url.clone(), Some(json!({"action": "announce", "on": "2026-09-30"}))).await;
        assert_eq!((status, body["due"].as_str()), (200, Some("2026-10-13")), "{body:#}");
        let decide = json!({"action": "decide", "decision_number": "郑文广新〔2026〕12号", "on": "2026-10-20"});
        let early = json!({"action": "decide", "decision_number": "郑文广新〔2026〕12号", "on": "2026-10-13"});
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(early)).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("announcement-not-over")), "{body:#}");
        let (status, body) = send(&decider, "POST", steps_url.clone(), Some(decide)).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["start_date"].as_str(), body["end_date"].as_str()), (Some("2026-10-20"), Some("2028-10-20")));

        // Green channel while nothing adverse is known.
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert_eq!(check["outcome"], "green-channel", "{check:#}");
        let (status, first) = send(&decider, "POST", url("/api/v1/publications"), Some(json!({}))).await;
        assert_eq!(status, 201, "{first:#}");
        assert_eq!(first["entries"].as_array().unwrap().len(), 1);
        let (status, current) = send(&public, "GET", url("/api/v1/public/lists?list=red"), None).await;
        assert_eq!(status, 200, "{current:#}");
        assert_eq!(current["id"], first["id"]);
        let red = &current["entries"][0];
        assert_eq!(
            (red["list_name"].as_str(), red["subject_name"].as_str()),
            (Some("守信红名单"), Some("郑州市测试网吧"))
        );
        assert_eq!((red["uscc"].as_str(), red["decision_number"].as_str()), (Some(CAFE), Some("郑文广新〔2026〕12号")));
        assert_eq!(red["measures"], json!(["优先办理", "容缺办理", "简化程序"]));

        // A penalty of the subject arrives: the red entry is suspended at once.
        let (status, report) = send(
            &host.client,
            "POST",
            url("/api/v1/records?sector=cultural-market&kind=penalty"),
            Some(cafe_penalty()),
        )
        .await;
        assert_eq!(status, 201, "{report:#}");
        assert_eq!(report["red_suspended"], 1, "{report:#}");
        let (_, current) = send(&public, "GET", url("/api/v1/public/lists"), None).await;
        assert_eq!(current["entries"], json!([]), "the suspended entry left public view at once: {current:#}");
        let (_, entry) =
            send(&decider, "GET", url(&format!("/api/v1/list-entries/{}", entry["id"].as_str().unwrap())), None).await;
        assert_eq!((entry["status"].as_str(), entry["in_force"].as_bool()), (Some("suspended"), Some(false)));
        let suspend = entry["steps"].as_array().unwrap().last().unwrap();
        assert_eq!((suspend["action"].as_str(), suspend["actor"].as_str()), (Some("suspend"), Some("system")));
        assert!(suspend["reason"].as_str().unwrap().contains("测文旅罚字〔2025〕1号"), "{suspend:#}");
        assert_eq!(entry["next_steps"], json!(["reinstate", "remove"]));
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CAFE))).await;
        assert!(!rule_ids(&check).contains(&"red-list-green-channel"), "{check:#}");

        // The serious record's entries (the café and, its licence revoked,
        // its legal representative) reach the public only once the office
        // publishes the record.
        let (_, second) = send(&decider, "POST", url("/api/v1/publications"), None).await;
        assert_eq!(second["entries"], json!([]), "{second:#}");
        let record = report["ids"][0].as_str().unwrap();
        let (status, _) = send(
            &decider,
            "POST",
            url(&format!("/api/v1/records/{record}/review")),
            Some(json!({"decision": "publish"})),
        )
        .await;
        assert_eq!(status, 200);
        let (_, third) = send(&decider, "POST", url("/api/v1/publications"), None).await;
        let mut listed: Vec<(&str, &str)> = third["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["list"].as_str().unwrap(), e["subject_name"].as_str().unwrap()))
            .collect();
        listed.sort_unstable();
        assert_eq!(listed, [("serious-dishonesty", "尹然梅"), ("serious-dishonesty", "郑州市测试网吧")], "{third:#}");
        let person = third["entries"].as_array().unwrap().iter().find(|e| e["subject_name"] == "尹然梅").unwrap();
        assert_eq!(
            (person["subject_category"].as_str(), person["id_masked"].as_str()),
            (Some("自然人"), Some("410104********7240"))
        );
        let cafe = third["entries"].as_array().unwrap().iter().find(|e| e["uscc"] == CAFE).unwrap();
        assert_eq!(
            (cafe["legal_representative"].as_str(), cafe["start_date"].as_str()),
            (Some("尹然梅"), Some("2025-05-22"))
        );
        assert_eq!(cafe["decision_number"], "测文旅罚字〔2025〕1号");
        let (_, current) = send(&public, "GET", url("/api/v1/public/lists"), None).await;
        let text = current.to_string();
        assert_eq!(current["id"], third["id"]);
        assert!(!text.contains("410104198405227240") && !text.contains("subject_key"), "{text}");

        // Reinstated by the office (with its reason); an earlier
        // publication stays as it was published.
        let (status, _) = send(&decider, "POST", steps_url.clone(), Some(json!({"action": "reinstate"}))).await;
        assert_eq!(status, 422);
        let reinstate = json!({"action": "reinstate", "reason": "处罚已于复议中撤销"});
        let (status, body) = send(&decider, "POST", steps_url, Some(reinstate)).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("decided")), "{body:#}");
        let (status, old) =
            send(&public, "GET", url(&format!("/api/v1/public/publications/{}", first["id"].as_str().unwrap())), None)
                .await;
        assert_eq!((status, old["entries"][0]["list"].as_str()), (200, Some("red")));
        // Three published by the office, one by the host when the suspension
        // took the red entry out of force.
        let (_, all) = send(&public, "GET", url("/api/v1/public/publications"), None).await;
        assert_eq!(all.as_array().unwrap().len(), 4, "{all:#}");
        assert_eq!(all[0]["id"], third["id"]);
        assert_eq!(all[0]["entry_count"], 2);
    }
}

#[tokio::test]
async fn a_hearing_in_a_year_without_a_schedule_is_provisional_until_it_is_loaded() {
    for db in databases() {
        // A host that knows no holiday schedule at all.
        let host = TestHost::start_configured(db, plugins(), |s| {
            s.calendar = std::sync::Arc::new(arc_swap::ArcSwap::from_pointee(credit_calendar::Calendar::empty()));
        })
        .await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
        let admin = client_with(Some(&host.account("admin", "administration", &[Role::Administrator]).await));
        let (_, entry) = send(
            &office,
            "POST",
            url("/api/v1/list-entries"),
            Some(json!({
                "list": "serious-dishonesty", "subject": {"uscc": CAFE, "name": "郑州市测试网吧"},
                "criteria": "以欺骗手段取得许可", "basis": "提交虚假材料取得网络文化经营许可证", "on": "2026-02-10"
            })),
        )
        .await;
        let steps_url = url(&format!("/api/v1/list-entries/{}/steps", entry["id"].as_str().unwrap()));
        // Weekdays only, for want of the notice: 02-13, 16, 17, 18, 19.
        let (status, body) =
            send(&office, "POST", steps_url, Some(json!({"action": "notify", "on": "2026-02-12"}))).await;
        assert_eq!(status, 200, "{body:#}");
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-02-19"), Some(true)));
        let (_, due) = send(&office, "GET", url("/api/v1/list-entries?due=true"), None).await;
        assert_eq!(due[0]["id"], entry["id"]);

        // The 2026 notice arrives: Spring Festival moves the deadline to 02-26.
        let schedule = std::fs::read_to_string(crate::util::root().join("calendar/schedules/2026.json")).unwrap();
        let (status, body) =
            send(&admin, "PUT", url("/api/v1/admin/calendar/2026?replace=true"), Some(Value::String(schedule))).await;
        assert_eq!(status, 200, "{body:#}");
        let (_, body) =
            send(&office, "GET", url(&format!("/api/v1/list-entries/{}", entry["id"].as_str().unwrap())), None).await;
        assert_eq!((body["due"].as_str(), body["due_provisional"].as_bool()), (Some("2026-02-26"), Some(false)));
    }
}

#[tokio::test]
async fn bad_list_requests_say_what_and_where_and_store_nothing() {
    let host = TestHost::start(crate::util::Db::Sqlite).await;
    let url = |p: &str| format!("{}{p}", host.base);
    let office = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
    let good = json!({"list": "red", "subject": {"uscc": CAFE, "name": "郑州市测试网吧"}, "criteria": "示范", "basis": "连续三年无违法违规记录"});
    let with = |pointer: &str, value: Value| {
        let mut b = good.clone();
        *b.pointer_mut(pointer).unwrap() = value;
        b
    };
    let cases = [
        (with("/list", json!("black")), 422, "/list", "unknown-list"),
        (
            with("/subject", json!({"uscc": CAFE, "id_number": "410104198405227240"})),
            422,
            "/subject",
            "subject-identifier",
        ),
        (with("/subject/uscc", json!("91410104MA329GYC1G")), 422, "/subject/uscc", "invalid-uscc"),
        (with("/subject", json!({"uscc": "91410104MAN0NYBQX1"})), 422, "/subject/name", "required"),
        (with("/basis", json!("  ")), 422, "/basis", "required"),
        (with("/criteria", json!(7)), 422, "/criteria", "invalid-json"),
        (json!({"subject": {"uscc": CAFE}, "criteria": "a", "basis": "b"}), 422, "/list", "invalid-json"),
        (
            json!({"list": "red", "subject": {"uscc": CAFE, "name": "x"}, "criteria": "a", "basis": "b", "start": "2026-02-30"}),
            422,
            "/start",
            "invalid-date",
        ),
        (
            json!({"list": "red", "subject": {"uscc": CAFE, "name": "x"}, "criteria": "a", "basis": "b", "start": "2026-03-01", "end": "2026-03-01"}),
            422,
            "/end",
            "end-before-start",
        ),
        (
            json!({"list": "red", "subject": {"uscc": CAFE, "name": "x"}, "criteria": "a", "basis": "b", "sector": "opera-houses"}),
            422,
            "/sector",
            "unknown-sector",
        ),
        (
            json!({"list": "red", "subject": {"uscc": CAFE, "name": "x"}, "criteria": "a", "basis": "b", "measures": [" "]}),
            422,
            "/measures",
            "required",
        ),
        (
            json!({"list": "red", "subject": {"uscc": CAFE, "name": "x"}, "criteria": "a", "basis": "b", "colour": "red"}),
            422,
            "/colour",
            "invalid-json",
        ),
    ];
    for (body, status, pointer, code) in cases {
        let (got, problem) = send(&office, "POST", url("/api/v1/list-entries"), Some(body.clone())).await;
        assert_eq!(got, status, "{body} → {problem:#}");
        assert_eq!(problem["errors"][0]["pointer"], pointer, "{body} → {problem:#}");
        assert_eq!(problem["errors"][0]["code"], code, "{body} → {problem:#}");
        assert!(!problem["errors"][0]["message"].as_str().unwrap().is_empty());
    }
    let (status, _) = send(
        &office,
        "POST",
        url("/api/v1/list-entries"),
        Some(
            with("/criteria", json!("x"))
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("record_id".into(), json!("no-such-record"));
                    Value::Object(o)
                })
                .unwrap(),
        ),
    )
    .await;
    assert_eq!(status, 404);
    let (_, listed) = send(&office, "GET", url("/api/v1/list-entries"), None).await;
    assert_eq!(listed, json!([]), "nothing was stored");

    let (status, entry) = send(&office, "POST", url("/api/v1/list-entries"), Some(good.clone())).await;
    assert_eq!(status, 201, "{entry:#}");
    let (status, body) = send(&office, "POST", url("/api/v1/list-entries"), Some(good)).await;
    assert_eq!((status, body["errors"][0]["value"].as_str()), (409, entry["id"].as_str()), "{body:#}");
    let steps_url = url(&format!("/api/v1/list-entries/{}/steps", entry["id"].as_str().unwrap()));
    let tomorrow = credit_host::api::today().succ_opt().unwrap().to_string();
    let (status, body) =
        send(&office, "POST", steps_url.clone(), Some(json!({"action": "announce", "on": tomorrow}))).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("date-in-future")), "{body:#}");
    let (status, body) = send(&office, "POST", steps_url, Some(json!({"action": "promote"}))).await;
    assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/action")), "{body:#}");
    let (status, _) =
        send(&office, "POST", url("/api/v1/list-entries/nobody/steps"), Some(json!({"action": "notify"}))).await;
    assert_eq!(status, 404);
    let (status, body) = send(&office, "GET", url("/api/v1/list-entries?status=pending"), None).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("unknown-status")));
    let (status, body) = send(&office, "POST", url("/api/v1/publications"), Some(json!({"as_of": "30/11/2026"}))).await;
    assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/as_of")));
    let (status, body) = send(&client_with(None), "GET", url("/api/v1/public/lists?list=minor-dishonesty"), None).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("list-not-public")));
    let (status, _) = send(&client_with(None), "GET", url("/api/v1/public/publications/nobody"), None).await;
    assert_eq!(status, 404);
    // The entry is as it was.
    let (_, listed) = send(&office, "GET", url("/api/v1/list-entries"), None).await;
    assert_eq!((listed.as_array().unwrap().len(), listed[0]["status"].as_str()), (1, Some("proposed")));
}

#[tokio::test]
async fn the_procedure_keeps_its_order_its_subjects_and_its_lists_apart() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let proposer = client_with(Some(&host.account("tiwei", "credit-office", &[Role::Reviewer]).await));
        let decider = client_with(Some(&host.account("juece", "credit-office", &[Role::Reviewer]).await));
        let (status, report) = send(
            &host.client,
            "POST",
            url("/api/v1/records?sector=cultural-market&kind=penalty"),
            Some(cafe_penalty()),
        )
        .await;
        assert_eq!(status, 201, "{report:#}");
        let record = report["ids"][0].as_str().unwrap().to_owned();
        let propose = |body: Value| send(&proposer, "POST", url("/api/v1/list-entries"), Some(body));

        // Not on the red list while seriously dishonest, with a penalty in publicity.
        let red =
            json!({"list": "red", "subject": {"uscc": CAFE}, "criteria": "示范", "basis": "连续三年无违法违规记录"});
        let (status, body) = propose(red).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("adverse-record")), "{body:#}");
        assert!(body["errors"][0]["value"].as_str().unwrap().contains("测文旅罚字〔2025〕1号"), "{body:#}");

        // A proposal renames nobody, and rests only on its subject's record.
        let minor = json!({
            "list": "minor-dishonesty", "subject": {"uscc": CAFE, "name": "假名字有限公司"}, "criteria": "未履行信用承诺",
            "basis": "承诺未兑现", "on": "2026-11-02", "record_id": record
        });
        let (status, entry) = propose(minor.clone()).await;
        assert_eq!(status, 201, "{entry:#}");
        assert_eq!(entry["subject_name"], "郑州市测试网吧");
        let (_, subject) = send(&decider, "GET", url(&format!("/api/v1/subjects/{CAFE}")), None).await;
        assert_eq!(subject["subject"]["name"], "郑州市测试网吧", "{subject:#}");
        let mut other = minor.clone();
        other["subject"] = json!({"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"});
        let (status, body) = propose(other).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/record_id")), "{body:#}");
        let mut many = minor.clone();
        many["measures"] = json!(vec!["重点监管"; 21]);
        assert_eq!(propose(many).await.0, 422);

        // Each step on or after the one before it; a decision starts on its day.
        let steps_url = url(&format!("/api/v1/list-entries/{}/steps", entry["id"].as_str().unwrap()));
        let step = |body: Value| send(&decider, "POST", steps_url.clone(), Some(body));
        let (status, body) = step(json!({"action": "notify", "on": "2026-11-01"})).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("before-previous-step")), "{body:#}");
        assert_eq!(step(json!({"action": "notify", "on": "2026-11-03"})).await.0, 200);
        let (status, body) = step(json!({"action": "statement", "on": "2026-11-02", "reason": "x"})).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/on")), "{body:#}");
        assert_eq!(step(json!({"action": "statement", "on": "2026-11-05", "reason": "已整改"})).await.0, 200);
        let decide = json!({"action": "decide", "decision_number": "郑文广新信〔2026〕9号", "on": "2026-11-20", "start": "1990-01-01"});
        let (status, body) = step(decide).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("start-before-decision")), "{body:#}");
        let long = json!({"action": "decide", "decision_number": "号".repeat(101), "on": "2026-11-20"});
        assert_eq!(step(long).await.0, 422);

        // Withdrawn, the same entry may be proposed again.
        assert_eq!(step(json!({"action": "withdraw", "on": "2026-11-20", "reason": "重新调查"})).await.0, 200);
        let (status, again) = propose(minor).await;
        assert_eq!(status, 201, "{again:#}");
        assert_ne!(again["id"], entry["id"]);

        // No publication of the future; a backdated one does not replace the current one.
        let (status, body) =
            send(&decider, "POST", url("/api/v1/publications"), Some(json!({"as_of": "2099-01-01"}))).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("date-in-future")));
        let (_, today) = send(&decider, "POST", url("/api/v1/publications"), None).await;
        let (status, _) =
            send(&decider, "POST", url("/api/v1/publications"), Some(json!({"as_of": "2020-01-01"}))).await;
        assert_eq!(status, 201);
        let (_, current) = send(&client_with(None), "GET", url("/api/v1/public/lists"), None).await;
        assert_eq!(current["id"], today["id"]);
    }
}
