//! Credit commitments (信用承诺) through HTTP: signed from a sector plugin's
//! template and stored as a published credit record shown in checks; a
//! breach found by a unit, confirmed by the office, becomes a dishonesty
//! record — and its subject's repair applications are not accepted.

use crate::util::{TestHost, client_with, databases, send};
use credit_host::access::Role;
use serde_json::{Value, json};

const CLUB: &str = "91410108MA1JTPRN2D";

fn check_of(uscc: &str) -> Value {
    json!({"subject": {"uscc": uscc}, "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe"})
}

fn finding<'a>(check: &'a Value, rule: &str) -> Option<&'a Value> {
    check["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == rule)
}

async fn step(client: &reqwest::Client, url: &str, body: Value) -> (u16, Value) {
    send(client, "POST", url.to_owned(), Some(body)).await
}

fn commitment(kind: &str, signed_on: &str) -> Value {
    json!({
        "kind": kind, "sector": "cultural-market", "template": "internet-cafe",
        "subject": {"uscc": CLUB, "name": "郑州市惠济区迅游网络会所"},
        "fields": {"legal_representative": "程军欣", "address": "郑州市惠济区某路1号", "sign_date": signed_on},
        "signed_on": signed_on
    })
}

#[tokio::test]
async fn a_signed_commitment_is_a_record_and_a_confirmed_breach_a_dishonesty_record() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let url = |p: &str| format!("{}{p}", host.base);
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let radio = client_with(Some(&host.account("guangdian", "media", &[Role::Reporter]).await));
        let office = client_with(Some(&host.account("xinyong", "credit-office", &[Role::Reviewer]).await));
        let both =
            client_with(Some(&host.account("jianguan", "credit-office", &[Role::Reviewer, Role::Reporter]).await));
        let inspector = client_with(Some(&host.account("shenpi", "cultural-market", &[Role::Inspector]).await));

        // What is wrong is named, with its pointer; nothing is stored.
        for (change, pointer, code) in [
            (json!({"kind": "forced"}), "/kind", "unknown-kind"),
            (json!({"repair_id": "x"}), "/repair_id", "not-with-this-kind"),
            (json!({"signed_on": "2099-01-01"}), "/signed_on", "date-in-future"),
            (json!({"subject": {"uscc": "91410108MA1JTPRN2X", "name": "x"}}), "/subject/uscc", "invalid-uscc"),
            (json!({"fields": {"legal_representative": "程军欣"}}), "/fields", "invalid-field"),
            (
                json!({"fields": {"legal_representative": "程军欣", "address": "一路\n二路", "sign_date": "2026-11-02"}}),
                "/fields/address",
                "control-character",
            ),
            (
                json!({"fields": {"legal_representative": "程军欣", "address": "一路", "sign_date": "2026-11-01"}}),
                "/fields/sign_date",
                "sign-date-differs",
            ),
        ] {
            let mut body = commitment("approval", "2026-11-02");
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let (status, problem) = send(&market, "POST", url("/api/v1/commitments"), Some(body)).await;
            assert_eq!(status, 422, "{problem:#}");
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{problem:#}");
            assert_eq!(problem["errors"][0]["code"], code, "{problem:#}");
        }
        let (status, _) =
            send(&radio, "POST", url("/api/v1/commitments"), Some(commitment("approval", "2026-11-02"))).await;
        assert_eq!(status, 403, "a division signs for its own sectors only");
        let (status, body) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CLUB))).await;
        assert_eq!((status, body["findings"].as_array().map(Vec::len)), (201, Some(0)), "{body:#}");

        // Signed in place of documents at approval: a published record, shown in checks.
        let (status, signed) =
            send(&market, "POST", url("/api/v1/commitments"), Some(commitment("approval", "2026-11-02"))).await;
        assert_eq!(status, 201, "{signed:#}");
        assert!(
            signed["text"]
                .as_str()
                .unwrap()
                .contains("郑州市惠济区迅游网络会所（统一社会信用代码：91410108MA1JTPRN2D）")
        );
        let record = signed["record_id"].as_str().unwrap().to_owned();
        let (status, again) =
            send(&market, "POST", url("/api/v1/commitments"), Some(commitment("approval", "2026-11-02"))).await;
        assert_eq!((status, again["errors"][0]["code"].as_str()), (409, Some("already-stored")), "{again:#}");
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{record}")), None).await;
        assert_eq!(
            (file["record"]["kind"].as_str(), file["record"]["review_status"].as_str()),
            (Some("commitment"), Some("published"))
        );
        assert_eq!(file["record"]["body"]["commitment_kind"], "approval");
        assert_eq!(file["record"]["decision_date"], "2026-11-02");
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CLUB))).await;
        assert_eq!(check["outcome"], "standard", "{check:#}");
        let shown = finding(&check, "credit-commitment").unwrap_or_else(|| panic!("{check:#}"));
        assert_eq!(shown["evidence"], json!([record]));

        // Two minor-dishonesty entries of the subject, each with a repair
        // application; the first is accepted before any breach.
        let mut repairs = Vec::new();
        for basis in ["承诺后接纳未成年人上网", "承诺后超时营业"] {
            let (status, entry) = send(
                &office,
                "POST",
                url("/api/v1/list-entries"),
                Some(json!({
                    "list": "minor-dishonesty", "subject": {"uscc": CLUB}, "criteria": "违背信用承诺",
                    "basis": basis, "sector": "cultural-market", "on": "2026-11-16"
                })),
            )
            .await;
            assert_eq!(status, 201, "{entry:#}");
            let entry_steps = url(&format!("/api/v1/list-entries/{}/steps", entry["id"].as_str().unwrap()));
            let (status, body) = step(&office, &entry_steps, json!({"action": "notify", "on": "2026-11-16"})).await;
            assert_eq!(status, 200, "{body:#}");
            let decide = json!({"action": "decide", "on": "2026-11-24", "decision_number": format!("郑文广新信〔2026〕{basis}")});
            let (status, body) = step(&both, &entry_steps, decide).await;
            assert_eq!((status, body["status"].as_str()), (200, Some("decided")), "{body:#}");
            let mut application = json!({
                "path": "list-entry", "list_entry_id": entry["id"], "channel": "counter", "received_on": "2026-11-24",
                "applicant": {"name": "郑州市惠济区迅游网络会所", "role": "subject", "proof": ["business-licence"]},
                "rectification": "已整改", "training": "已培训", "commitment": "再次承诺"
            });
            let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application.clone())).await;
            assert_eq!(status, 201, "{body:#}");
            repairs.push(url(&format!("/api/v1/credit-repairs/{}/steps", body["id"].as_str().unwrap())));
            // Nothing about an entry's repair arrives before the entry starts.
            application["received_on"] = json!("2026-11-15");
            let (status, body) = send(&office, "POST", url("/api/v1/credit-repairs"), Some(application)).await;
            assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("before-target")), "{body:#}");
        }
        let [first_repair, second_repair] = [repairs[0].clone(), repairs[1].clone()];
        let (status, body) = step(&office, &first_repair, json!({"action": "accept", "on": "2026-11-24"})).await;
        assert_eq!((status, body["unit"].as_str()), (200, Some("cultural-market")), "{body:#}");

        // A unit finds a breach; the office confirms it.
        let breach_url = url(&format!("/api/v1/commitments/{record}/breaches"));
        let (status, problem) = send(&market, "POST", breach_url.clone(), Some(json!({"facts": " "}))).await;
        assert_eq!((status, problem["errors"][0]["pointer"].as_str()), (422, Some("/facts")), "{problem:#}");
        let early = json!({"facts": "x", "found_on": "2026-11-01"});
        let (status, problem) = send(&market, "POST", breach_url.clone(), Some(early)).await;
        assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("before-previous-step")), "{problem:#}");
        let facts = json!({"facts": "核查发现其接纳未成年人上网，与承诺不符", "found_on": "2026-11-20"});
        let (status, breach) = send(&market, "POST", breach_url.clone(), Some(facts.clone())).await;
        assert_eq!((status, breach["status"].as_str()), (201, Some("found")), "{breach:#}");
        let (status, again) = send(&market, "POST", breach_url.clone(), Some(facts.clone())).await;
        assert_eq!((status, again["errors"][0]["code"].as_str()), (409, Some("breach-open")), "{again:#}");
        let (_, listed) = send(&radio, "GET", url("/api/v1/commitment-breaches"), None).await;
        assert_eq!(listed, json!([]), "a unit sees the breaches it found");
        let decision_url = url(&format!("/api/v1/commitment-breaches/{}/decision", breach["id"].as_str().unwrap()));
        let (status, problem) = send(
            &office,
            "POST",
            decision_url.clone(),
            Some(json!({"verdict": "confirm", "reason": "属实", "on": "2026-11-19"})),
        )
        .await;
        assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("before-previous-step")), "{problem:#}");
        let confirm = json!({"verdict": "confirm", "reason": "经核实属实", "on": "2026-11-25"});
        let (status, decided) = send(&office, "POST", decision_url.clone(), Some(confirm.clone())).await;
        assert_eq!((status, decided["status"].as_str()), (200, Some("confirmed")), "{decided:#}");
        let (status, _) = send(&office, "POST", decision_url, Some(confirm)).await;
        assert_eq!(status, 409);
        let (status, again) = send(&market, "POST", breach_url, Some(facts)).await;
        assert_eq!((status, again["errors"][0]["code"].as_str()), (409, Some("already-breached")), "{again:#}");

        // The breach is a published dishonesty record for a year.
        let dishonesty = decided["record_id"].as_str().unwrap().to_owned();
        let (_, file) = send(&office, "GET", url(&format!("/api/v1/records/{dishonesty}")), None).await;
        assert_eq!(
            (file["record"]["kind"].as_str(), file["record"]["publicity_end"].as_str()),
            (Some("commitment-breach"), Some("2027-11-25")),
            "{file:#}"
        );
        let (_, check) = send(&inspector, "POST", url("/api/v1/checks"), Some(check_of(CLUB))).await;
        assert_eq!(check["outcome"], "caution", "{check:#}");
        let adverse = finding(&check, "commitment-breach").unwrap_or_else(|| panic!("{check:#}"));
        assert_eq!(adverse["evidence"], json!([dishonesty]));
        assert!(adverse["measures"].as_array().unwrap().contains(&json!("不适用告知承诺制")), "{adverse:#}");

        // It keeps the subject off the red list.
        let red = json!({
            "list": "red", "subject": {"uscc": CLUB}, "criteria": "诚信经营", "basis": "年度守信评价", "on": "2026-11-26"
        });
        let (status, body) = send(&office, "POST", url("/api/v1/list-entries"), Some(red)).await;
        assert_eq!(status, 409, "{body:#}");
        assert!(body.to_string().contains("违背信用承诺"), "{body:#}");

        // Whoever found a breach does not decide it; a dismissed one leaves
        // no record.
        let (status, voluntary) =
            send(&both, "POST", url("/api/v1/commitments"), Some(commitment("voluntary", "2026-11-03"))).await;
        assert_eq!(status, 201, "{voluntary:#}");
        let (status, breach) = send(
            &both,
            "POST",
            url(&format!("/api/v1/commitments/{}/breaches", voluntary["record_id"].as_str().unwrap())),
            Some(json!({"facts": "群众反映未履行承诺"})),
        )
        .await;
        assert_eq!(status, 201, "{breach:#}");
        let decision_url = url(&format!("/api/v1/commitment-breaches/{}/decision", breach["id"].as_str().unwrap()));
        let dismiss = json!({"verdict": "dismiss", "reason": "经核查不属实"});
        let (status, _) = send(&both, "POST", decision_url.clone(), Some(dismiss.clone())).await;
        assert_eq!(status, 403);
        let (status, dismissed) = send(&office, "POST", decision_url, Some(dismiss)).await;
        assert_eq!(
            (status, dismissed["status"].as_str(), dismissed["record_id"].as_str()),
            (200, Some("dismissed"), None)
        );
        let (_, found) = send(&office, "GET", url("/api/v1/commitment-breaches?status=confirmed"), None).await;
        assert_eq!(found.as_array().map(Vec::len), Some(1), "{found:#}");

        // A subject that breached a commitment is not accepted for repair,
        // and one accepted before is not granted.
        let (status, refused) = step(&office, &second_repair, json!({"action": "accept", "on": "2026-11-30"})).await;
        assert_eq!((status, refused["errors"][0]["code"].as_str()), (409, Some("false-commitment")), "{refused:#}");
        let not_accept = json!({"action": "not-accept", "on": "2026-11-30", "reason": "曾违背信用承诺"});
        let (status, body) = step(&office, &second_repair, not_accept).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("not-accepted")), "{body:#}");
        let grant = json!({"action": "check", "verdict": "grant", "reason": "已整改", "on": "2026-11-30"});
        let (status, body) = step(&market, &first_repair, grant).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (409, Some("false-commitment")), "{body:#}");
        let refuse = json!({"action": "check", "verdict": "refuse", "reason": "曾违背信用承诺", "on": "2026-11-30"});
        let (status, body) = step(&market, &first_repair, refuse).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("office-review")), "{body:#}");
    }
}
