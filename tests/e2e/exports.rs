//! Export to the platforms through HTTP. The municipal platform and the
//! national culture and tourism system do not run here: a small HTTP
//! server in this test stands in for both, answering as a platform does
//! (accepting, rejecting with a reason, failing, or not answering an item).

use crate::reporting::cafe_penalty;
use crate::util::{TestHost, client_with, databases, plugins, send};
use credit_host::access::Role;
use credit_host::export::{Answer, Delivery, ItemResult, Targets};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

/// What the stand-in platform does with the next deliveries.
#[derive(Default)]
struct Platform {
    /// Every delivery received, in order.
    received: Vec<Delivery>,
    /// Answer 503 to this many next deliveries.
    failures: usize,
    /// Reject items of these records, with this reason.
    reject: Vec<(String, String)>,
    /// Leave items of these records unanswered.
    silent: Vec<String>,
}

async fn stand_in() -> (String, Arc<Mutex<Platform>>) {
    use axum::http::StatusCode;
    let platform = Arc::new(Mutex::new(Platform::default()));
    let p = platform.clone();
    let app = axum::Router::new().route(
        "/{target}",
        axum::routing::post(move |axum::Json(d): axum::Json<Delivery>| {
            let p = p.clone();
            async move {
                let mut p = p.lock().unwrap();
                if p.failures > 0 {
                    p.failures -= 1;
                    return Err(StatusCode::SERVICE_UNAVAILABLE);
                }
                let results = d
                    .items
                    .iter()
                    .filter(|i| !p.silent.iter().any(|r| i.key.contains(r.as_str())))
                    .map(|i| match p.reject.iter().find(|(r, _)| i.key.contains(r.as_str())) {
                        Some((_, why)) => {
                            ItemResult { key: i.key.clone(), status: "rejected".into(), reason: Some(why.clone()) }
                        }
                        None => ItemResult { key: i.key.clone(), status: "accepted".into(), reason: None },
                    })
                    .collect();
                p.received.push(d);
                Ok(axum::Json(Answer { results }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, platform)
}

const RAW_FACTS: &str =
    "2025年5月10日执法人员检查发现，该场所接纳3名未成年人（其中一人身份证号410104200801011234）上网。";
const PUBLIC_FACTS: &str = "2025年5月10日执法人员检查发现，该场所接纳未成年人上网。";

fn general_penalty() -> Value {
    let mut p = cafe_penalty();
    p["decision_number"] = json!("测文旅罚字〔2026〕5号");
    p["penalty_types"] = json!("罚款");
    p["penalty_content"] = json!("罚款人民币5000元");
    p["fine_wan_yuan"] = json!(0.5);
    p["decision_date"] = json!("2026-01-05");
    p.as_object_mut().unwrap().remove("revoked_certificate");
    p
}

fn minor_penalty() -> Value {
    let mut p = general_penalty();
    p["decision_number"] = json!("测文旅罚字〔2026〕6号");
    p["penalty_types"] = json!("警告");
    p["penalty_content"] = json!("给予警告");
    p.as_object_mut().unwrap().remove("fine_wan_yuan");
    p
}

fn old_penalty() -> Value {
    let mut p = general_penalty();
    p["decision_number"] = json!("测文旅罚字〔2020〕7号");
    p["decision_date"] = json!("2020-03-02");
    p
}

fn items(v: &Value) -> Vec<(String, String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["target"].as_str().unwrap().into(),
                i["action"].as_str().unwrap().into(),
                i["status"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[tokio::test]
async fn published_records_reach_every_platform_at_least_once_with_changes_and_their_reasons() {
    for db in databases() {
        let (base, platform) = stand_in().await;
        let mut targets = Targets::load(None).unwrap();
        for t in &mut targets.targets {
            t.url = format!("{base}/{}", t.id);
        }
        let host = TestHost::start_configured(db, plugins(), |s| s.export_targets = Arc::new(targets)).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let zhifa = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let mut with_facts = cafe_penalty();
        with_facts["violation_facts"] = json!(RAW_FACTS);
        let (status, report) = send(
            &zhifa,
            "POST",
            url("/api/v1/records?sector=cultural-market&kind=penalty"),
            Some(json!([with_facts, general_penalty(), minor_penalty(), old_penalty()])),
        )
        .await;
        assert_eq!(status, 201, "{db:?} {report:#}");
        let serious = report["ids"][0].as_str().unwrap().to_owned();
        let general = report["ids"][1].as_str().unwrap().to_owned();
        // A minor penalty is never published; one whose publicity ended long
        // ago is not published again: published here, neither leaves.
        for i in [2, 3] {
            let id = report["ids"][i].as_str().unwrap();
            let (status, body) = send(
                &office,
                "POST",
                url(&format!("/api/v1/records/{id}/review")),
                Some(json!({"decision": "publish"})),
            )
            .await;
            assert_eq!(status, 200, "{body:#}");
        }

        // Reported but not yet reviewed: nothing goes out.
        let (status, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!(status, 200, "{round:#}");
        assert_eq!((round[0]["queued"].as_u64(), round[0]["sent"].as_u64()), (Some(0), Some(0)), "{round:#}");
        // The office publishes the facts only in the version it edits.
        let review = url(&format!("/api/v1/records/{serious}/review"));
        let bad = json!({"decision": "return", "reason_code": "incomplete", "violation_facts_public": "x"});
        let (status, body) = send(&office, "POST", review.clone(), Some(bad)).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/violation_facts_public")), "{body:#}");
        let publish = json!({"decision": "publish", "violation_facts_public": PUBLIC_FACTS});
        let (status, body) = send(&office, "POST", review, Some(publish)).await;
        assert_eq!(status, 200, "{body:#}");
        // Its penalty content is a trade secret: withheld, not the identifying fields.
        let review = url(&format!("/api/v1/records/{general}/review"));
        for (fields, code) in [(json!(["uscc"]), "identifying-field"), (json!(["nothing"]), "no-such-field")] {
            let body = json!({"decision": "publish", "withheld_fields": fields});
            let (status, problem) = send(&office, "POST", review.clone(), Some(body)).await;
            assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some(code)), "{problem:#}");
        }
        let publish = json!({"decision": "publish", "withheld_fields": ["penalty_content"]});
        let (status, body) = send(&office, "POST", review, Some(publish)).await;
        assert_eq!(status, 200, "{body:#}");

        // The platform is down: the items stay queued, the error kept.
        platform.lock().unwrap().failures = 2;
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!(round[0]["queued"], 2, "{round:#}");
        assert!(round[0]["error"].as_str().unwrap().contains("503"), "{round:#}");
        let (_, queued) = send(&office, "GET", url("/api/v1/exports?target=municipal"), None).await;
        assert_eq!(
            items(&queued),
            [
                ("municipal".into(), "publish".into(), "pending".into()),
                ("municipal".into(), "publish".into(), "pending".into())
            ]
        );
        assert_eq!((queued[0]["attempts"].as_i64(), queued[0]["last_error"].is_string()), (Some(1), true));

        // It is back; the national system does not answer for the serious
        // record this time, and the municipal platform rejects the general one.
        {
            let mut p = platform.lock().unwrap();
            p.silent = vec![format!("culture-tourism:{serious}")];
            p.reject = vec![(format!("municipal:{general}"), "处罚机关统一社会信用代码缺失".into())];
        }
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[0]["sent"].as_u64(), round[0]["accepted"].as_u64()), (Some(2), Some(1)), "{round:#}");
        assert_eq!(round[0]["rejected"], 1);
        assert_eq!((round[1]["sent"].as_u64(), round[1]["accepted"].as_u64()), (Some(2), Some(1)), "{round:#}");
        let (_, rejected) = send(&office, "GET", url("/api/v1/exports?status=rejected"), None).await;
        assert_eq!(rejected[0]["record_id"], general.as_str());
        assert_eq!(rejected[0]["platform_reason"], "处罚机关统一社会信用代码缺失");
        // The mapping: the platform's field names, the mapping version kept.
        let sent = &platform.lock().unwrap().received.last().unwrap().clone();
        assert_eq!(sent.mapping, "wlsc-2021.2");
        let fields = &sent.items.iter().find(|i| i.key.contains(&serious)).unwrap().fields;
        assert_eq!(
            (fields["主体名称"].as_str(), fields["统一社会信用代码"].as_str(), fields["公示截止日期"].as_str()),
            (Some("郑州市测试网吧"), Some("91410104MA329GYC1F"), Some("2028-05-22"))
        );

        // 违法事实 leaves only as the office's publicity version.
        let municipal = platform.lock().unwrap().received.iter().find(|d| d.target == "municipal").unwrap().clone();
        let facts: Vec<(bool, Value, Value)> = municipal
            .items
            .iter()
            .map(|i| (i.key.contains(&serious), i.fields["违法事实"].clone(), i.fields["处罚内容"].clone()))
            .collect();
        assert_eq!(facts.len(), 2);
        for (is_serious, f, content) in facts {
            assert_eq!(f, if is_serious { json!(PUBLIC_FACTS) } else { Value::Null });
            assert_eq!(content.is_null(), !is_serious, "the general penalty's content is withheld");
        }
        let everything = serde_json::to_string(&platform.lock().unwrap().received).unwrap();
        assert!(!everything.contains("410104200801011234"), "the facts as reported never leave");

        // Unanswered, it goes again under the same key: at least once.
        {
            let mut p = platform.lock().unwrap();
            p.silent.clear();
            p.reject.clear();
        }
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[1]["queued"].as_u64(), round[1]["sent"].as_u64()), (Some(0), Some(1)), "{round:#}");
        let keys: Vec<String> = platform
            .lock()
            .unwrap()
            .received
            .iter()
            .flat_map(|d| d.items.iter().map(|i| i.key.clone()))
            .filter(|k| k.starts_with("culture-tourism") && k.contains(&serious))
            .collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");

        // Re-export on demand: the rejected record goes again, same key.
        let (status, body) =
            send(&office, "POST", url("/api/v1/exports/municipal/resend"), Some(json!({"record_ids": [general]})))
                .await;
        assert_eq!((status, body["queued"].as_u64()), (200, Some(1)), "{body:#}");
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[0]["sent"].as_u64(), round[0]["accepted"].as_u64()), (Some(1), Some(1)), "{round:#}");

        // The publicity of the general penalty is repaired through the
        // national platform: the end of publicity reaches both, with its
        // reason, due within 3 working days.
        let (status, filed) = send(
            &office,
            "POST",
            url("/api/v1/credit-repairs"),
            Some(json!({
                "path": "publicity", "record_id": general, "channel": "credit-china",
                "ticket_number": "XYZG-2026-000200", "received_on": "2026-11-02", "opinion_asked": false
            })),
        )
        .await;
        assert_eq!(status, 201, "{filed:#}");
        let (status, body) = send(
            &office,
            "POST",
            url(&format!("/api/v1/credit-repairs/{}/steps", filed["id"].as_str().unwrap())),
            Some(json!({"action": "platform-decision", "verdict": "grant", "on": "2026-11-10"})),
        )
        .await;
        assert_eq!((status, body["status"].as_str()), (200, Some("granted")), "{body:#}");
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[0]["queued"].as_u64(), round[1]["queued"].as_u64()), (Some(1), Some(1)), "{round:#}");
        let (_, ended) = send(&office, "GET", url(&format!("/api/v1/exports?record_id={general}")), None).await;
        let end: Vec<&Value> = ended.as_array().unwrap().iter().filter(|i| i["action"] == "end-publicity").collect();
        assert_eq!(end.len(), 2, "{ended:#}");
        let municipal = end.iter().find(|i| i["target"] == "municipal").unwrap();
        assert_eq!(municipal["reason"], "信用修复：公示于 2026-11-10 结束");
        assert_eq!(municipal["fields"]["公示截止期"], "2026-11-10");
        assert!(end.iter().all(|i| i["due"].is_string() && i["status"] == "accepted"), "{ended:#}");

        // Sent again on demand (an unknown id has nothing to send); the
        // platform does not answer this time, and before the next round the
        // decision is revoked: the withdrawal supersedes what never arrived.
        let (status, body) = send(
            &office,
            "POST",
            url("/api/v1/exports/municipal/resend"),
            Some(json!({"record_ids": [serious, "nothing"]})),
        )
        .await;
        assert_eq!(
            (status, body["queued"].as_u64(), body["nothing_to_send"].clone()),
            (200, Some(1), json!(["nothing"]))
        );

        // An upheld objection revokes the serious record: the withdrawal
        // reaches both platforms with its reason.
        let (status, objection) = send(
            &office,
            "POST",
            url("/api/v1/objections"),
            Some(json!({
                "record_id": serious, "channel": "counter", "received_on": "2026-11-16",
                "applicant": {"name": "郑州市测试网吧", "role": "subject", "proof": ["business-licence"]},
                "statement": "处罚决定已被复议机关撤销"
            })),
        )
        .await;
        assert_eq!(status, 201, "{objection:#}");
        let steps = url(&format!("/api/v1/objections/{}/steps", objection["id"].as_str().unwrap()));
        for (client, body) in [
            (&office, json!({"action": "accept", "on": "2026-11-16"})),
            (&zhifa, json!({"action": "opinion", "verdict": "uphold", "reason": "复议撤销", "on": "2026-11-17"})),
            (
                &office,
                json!({"action": "review", "verdict": "uphold", "remedy": "revoke", "reason": "复议决定撤销原处罚", "on": "2026-11-18"}),
            ),
        ] {
            let (status, body) = send(client, "POST", steps.clone(), Some(body)).await;
            assert_eq!(status, 200, "{body:#}");
        }
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[0]["queued"].as_u64(), round[1]["queued"].as_u64()), (Some(1), Some(1)), "{round:#}");
        let (_, withdrawn) = send(&office, "GET", url(&format!("/api/v1/exports?record_id={serious}")), None).await;
        let withdrawals: Vec<&Value> =
            withdrawn.as_array().unwrap().iter().filter(|i| i["action"] == "withdraw").collect();
        assert_eq!(withdrawals.len(), 2, "{withdrawn:#}");
        assert_eq!(withdrawals[0]["reason"], "撤销：异议成立，撤销记录：复议决定撤销原处罚", "{withdrawn:#}");
        let superseded: Vec<&Value> = withdrawn
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["target"] == "municipal" && i["action"] == "publish")
            .collect();
        assert_eq!(superseded[0]["status"], "superseded", "{withdrawn:#}");

        // A correction the office returns takes the record out of every
        // file: the platforms withdraw it too.
        let mut corrected = general_penalty();
        corrected["fine_wan_yuan"] = json!(0.6);
        corrected["penalty_content"] = json!("罚款人民币6000元");
        let (status, body) = send(
            &zhifa,
            "POST",
            url(&format!("/api/v1/records/{general}/corrections")),
            Some(json!({"reason": "更正罚款金额", "record": corrected})),
        )
        .await;
        assert_eq!(status, 201, "{body:#}");
        let returned = json!({"decision": "return", "reason_code": "inaccurate", "reason": "金额与决定书不符"});
        let (status, body) =
            send(&office, "POST", url(&format!("/api/v1/records/{general}/review")), Some(returned)).await;
        assert_eq!(status, 200, "{body:#}");
        let (_, round) = send(&office, "POST", url("/api/v1/exports/run"), None).await;
        assert_eq!((round[0]["queued"].as_u64(), round[1]["queued"].as_u64()), (Some(1), Some(1)), "{round:#}");
        let (_, items) =
            send(&office, "GET", url(&format!("/api/v1/exports?record_id={general}&target=municipal")), None).await;
        let last = items.as_array().unwrap().iter().find(|i| i["action"] == "withdraw").unwrap();
        assert_eq!(last["reason"], "退回更正：金额与决定书不符", "{items:#}");

        // Two rounds (two hosts) never hold the same item: a claim is a lease.
        let (status, _) =
            send(&office, "POST", url("/api/v1/exports/municipal/resend"), Some(json!({"record_ids": [general]})))
                .await;
        assert_eq!(status, 200);
        let stale = "2000-01-01T00:00:00.000Z";
        let first = host.state.store.claim_exports("municipal", 500, "round-a", stale).await.unwrap();
        let second = host.state.store.claim_exports("municipal", 500, "round-b", stale).await.unwrap();
        assert_eq!((first.len(), second.len()), (1, 0));

        // Bad requests say what and where.
        let (status, body) = send(&office, "GET", url("/api/v1/exports?target=nowhere"), None).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/query/target")), "{body:#}");
        let (status, _) =
            send(&office, "POST", url("/api/v1/exports/nowhere/resend"), Some(json!({"record_ids": ["x"]}))).await;
        assert_eq!(status, 404);
        let (status, body) =
            send(&office, "POST", url("/api/v1/exports/municipal/resend"), Some(json!({"record_ids": []}))).await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/record_ids")), "{body:#}");
        let (_, targets) = send(&office, "GET", url("/api/v1/export-targets"), None).await;
        // Accepted at municipal: the end of publicity and both withdrawals
        // (the publications were sent again: one superseded, one claimed).
        assert_eq!(
            (targets[0]["configured"].as_bool(), targets[0]["counts"]["accepted"].as_i64()),
            (Some(true), Some(3))
        );
    }
}
