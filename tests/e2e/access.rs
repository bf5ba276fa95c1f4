//! Accounts, roles, scopes, tokens and the audit trail, through HTTP.

use crate::util::{CLERK_UNIT, TestHost, client_with, databases, root};
use credit_host::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Who may call what — written here by hand from the issue, independently
/// of the host's own table, so that a change of either shows up.
/// `None` is public; `Some(&[])` any signed-in account.
const MATRIX: &[(&str, &str, Option<&[Role]>)] = &[
    ("GET", "/healthz", None),
    ("GET", "/api/v1/divisions", None),
    ("POST", "/api/v1/sectors/cultural-market/commitments/internet-cafe", None),
    ("POST", "/api/v1/commitments", Some(&[Role::Reporter, Role::Reviewer])),
    ("POST", "/api/v1/commitments/nobody/breaches", Some(&[Role::Reporter])),
    ("GET", "/api/v1/commitment-breaches", Some(&[Role::Reviewer, Role::Reporter])),
    ("POST", "/api/v1/commitment-breaches/nobody/decision", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/plugins", Some(&[])),
    ("GET", "/api/v1/me", Some(&[])),
    ("POST", "/api/v1/checks", Some(&[Role::Inspector])),
    ("GET", "/api/v1/checks/nonexistent", Some(&[Role::Inspector, Role::Reviewer])),
    ("POST", "/api/v1/records?sector=cultural-market&kind=licence", Some(&[Role::Reporter])),
    ("POST", "/api/v1/imports?sector=cultural-market&kind=licence", Some(&[Role::Reporter])),
    ("GET", "/api/v1/imports/nonexistent", Some(&[Role::Reporter, Role::Reviewer])),
    ("GET", "/api/v1/records/nonexistent", Some(&[Role::Reporter, Role::Reviewer, Role::Inspector])),
    ("POST", "/api/v1/records/nonexistent/corrections", Some(&[Role::Reporter])),
    ("POST", "/api/v1/records/nonexistent/revocation", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/subjects/91410104MAN0NYBQX1", Some(&[Role::Inspector, Role::Reviewer, Role::Reporter])),
    ("POST", "/api/v1/subjects/lookup", Some(&[Role::Inspector, Role::Reviewer, Role::Reporter])),
    ("GET", "/api/v1/reviews", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/records/nonexistent/review", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/list-entries", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/list-entries", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/list-entries/nobody", Some(&[Role::Reviewer, Role::Inspector])),
    ("POST", "/api/v1/list-entries/nobody/steps", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/publications", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/public/lists", None),
    ("GET", "/api/v1/public/publications", None),
    ("GET", "/api/v1/public/publications/nobody", None),
    ("POST", "/api/v1/objections", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/objections", Some(&[Role::Reviewer, Role::Reporter])),
    ("GET", "/api/v1/objections/nobody", Some(&[Role::Reviewer, Role::Reporter])),
    ("POST", "/api/v1/objections/nobody/steps", Some(&[Role::Reviewer, Role::Reporter])),
    ("GET", "/api/v1/public/objections/nobody?code=x", None),
    ("GET", "/api/v1/assessments/2026", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/units/nobody/responsibles", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/export-targets", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/exports", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/exports/run", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/exports/municipal/resend", Some(&[Role::Reviewer])),
    ("POST", "/api/v1/credit-repairs", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/credit-repairs", Some(&[Role::Reviewer, Role::Approver, Role::Reporter])),
    ("GET", "/api/v1/credit-repairs/nobody", Some(&[Role::Reviewer, Role::Approver, Role::Reporter])),
    ("POST", "/api/v1/credit-repairs/nobody/steps", Some(&[Role::Reviewer, Role::Approver, Role::Reporter])),
    ("GET", "/api/v1/public/credit-repairs/nobody?code=x", None),
    ("POST", "/api/v1/complaints", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/complaints", Some(&[Role::Reviewer, Role::Reporter])),
    ("GET", "/api/v1/complaints/statistics", Some(&[Role::Reviewer])),
    ("GET", "/api/v1/complaints/nobody", Some(&[Role::Reviewer, Role::Reporter])),
    ("POST", "/api/v1/complaints/nobody/steps", Some(&[Role::Reviewer, Role::Reporter])),
    ("GET", "/api/v1/public/complaints/nobody?code=x", None),
    ("GET", "/api/v1/calendar", Some(&[])),
    ("PUT", "/api/v1/admin/calendar/2099", Some(&[Role::Administrator])),
    ("GET", "/api/v1/audit", Some(&[Role::Reviewer, Role::Administrator])),
    ("GET", "/api/v1/admin/accounts", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/accounts", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/accounts/nobody/tokens", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/accounts/nobody/disable", Some(&[Role::Administrator])),
    ("DELETE", "/api/v1/admin/tokens/0000000000000000", Some(&[Role::Administrator])),
    ("GET", "/api/v1/plugins/cultural-market", Some(&[])),
    ("GET", "/metrics", Some(&[])),
    ("PUT", "/api/v1/admin/plugins/cultural-market", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/plugins/cultural-market/activate", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/plugins/cultural-market/rollback", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/plugins/cultural-market/preview", Some(&[Role::Administrator])),
    ("GET", "/api/v1/admin/plugins/cultural-market/previews/nobody", Some(&[Role::Administrator])),
    ("GET", "/api/v1/admin/keys", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/keys", Some(&[Role::Administrator])),
    ("POST", "/api/v1/admin/keys/nobody/revoke", Some(&[Role::Administrator])),
];

/// The OpenAPI route a concrete matrix path instantiates.
fn template(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    let known = [
        (
            "/api/v1/sectors/cultural-market/commitments/internet-cafe",
            "/api/v1/sectors/{sector}/commitments/{template}",
        ),
        ("/api/v1/checks/nonexistent", "/api/v1/checks/{id}"),
        ("/api/v1/imports/nonexistent", "/api/v1/imports/{id}"),
        ("/api/v1/records/nonexistent/corrections", "/api/v1/records/{id}/corrections"),
        ("/api/v1/records/nonexistent/revocation", "/api/v1/records/{id}/revocation"),
        ("/api/v1/records/nonexistent/review", "/api/v1/records/{id}/review"),
        ("/api/v1/admin/calendar/2099", "/api/v1/admin/calendar/{year}"),
        ("/api/v1/records/nonexistent", "/api/v1/records/{id}"),
        ("/api/v1/subjects/91410104MAN0NYBQX1", "/api/v1/subjects/{uscc}"),
        ("/api/v1/admin/accounts/nobody/tokens", "/api/v1/admin/accounts/{id}/tokens"),
        ("/api/v1/admin/accounts/nobody/disable", "/api/v1/admin/accounts/{id}/disable"),
        ("/api/v1/admin/tokens/0000000000000000", "/api/v1/admin/tokens/{id}"),
        ("/api/v1/plugins/cultural-market", "/api/v1/plugins/{sector}"),
        ("/api/v1/admin/plugins/cultural-market", "/api/v1/admin/plugins/{sector}"),
        ("/api/v1/admin/plugins/cultural-market/activate", "/api/v1/admin/plugins/{sector}/activate"),
        ("/api/v1/admin/plugins/cultural-market/rollback", "/api/v1/admin/plugins/{sector}/rollback"),
        ("/api/v1/admin/plugins/cultural-market/preview", "/api/v1/admin/plugins/{sector}/preview"),
        ("/api/v1/admin/plugins/cultural-market/previews/nobody", "/api/v1/admin/plugins/{sector}/previews/{id}"),
        ("/api/v1/admin/keys/nobody/revoke", "/api/v1/admin/keys/{id}/revoke"),
        ("/api/v1/list-entries/nobody", "/api/v1/list-entries/{id}"),
        ("/api/v1/objections/nobody", "/api/v1/objections/{id}"),
        ("/api/v1/objections/nobody/steps", "/api/v1/objections/{id}/steps"),
        ("/api/v1/public/objections/nobody", "/api/v1/public/objections/{id}"),
        ("/api/v1/credit-repairs/nobody", "/api/v1/credit-repairs/{id}"),
        ("/api/v1/commitments/nobody/breaches", "/api/v1/commitments/{id}/breaches"),
        ("/api/v1/exports/municipal/resend", "/api/v1/exports/{target}/resend"),
        ("/api/v1/assessments/2026", "/api/v1/assessments/{year}"),
        ("/api/v1/units/nobody/responsibles", "/api/v1/units/{unit}/responsibles"),
        ("/api/v1/commitment-breaches/nobody/decision", "/api/v1/commitment-breaches/{id}/decision"),
        ("/api/v1/credit-repairs/nobody/steps", "/api/v1/credit-repairs/{id}/steps"),
        ("/api/v1/public/credit-repairs/nobody", "/api/v1/public/credit-repairs/{id}"),
        ("/api/v1/complaints/nobody", "/api/v1/complaints/{id}"),
        ("/api/v1/complaints/nobody/steps", "/api/v1/complaints/{id}/steps"),
        ("/api/v1/public/complaints/nobody", "/api/v1/public/complaints/{id}"),
        ("/api/v1/list-entries/nobody/steps", "/api/v1/list-entries/{id}/steps"),
        ("/api/v1/public/publications/nobody", "/api/v1/public/publications/{id}"),
    ];
    known.iter().find(|(p, _)| *p == path).map_or(path.to_owned(), |(_, t)| (*t).to_owned())
}

async fn call(client: &reqwest::Client, base: &str, method: &str, path: &str) -> u16 {
    let url = format!("{base}{path}");
    let req = match method {
        "GET" => client.get(url),
        "DELETE" => client.delete(url),
        "PUT" => client.put(url).header("content-type", "application/json").body("{}"),
        _ => client.post(url).header("content-type", "application/json").body("{}"),
    };
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn every_role_meets_every_endpoint_as_declared() {
    let host = TestHost::start(crate::util::Db::Sqlite).await;
    // One account per role, in the unit that may report anything, so that
    // only the role decides here (scopes have their own test).
    let mut callers: Vec<(String, Option<Role>, reqwest::Client)> = vec![("public".into(), None, client_with(None))];
    for role in Role::ALL {
        let unit = match role {
            Role::Approver => "leadership",
            Role::Administrator => "administration",
            Role::Inspector => "cultural-market",
            Role::Reporter | Role::Reviewer => CLERK_UNIT,
        };
        let token = host.account(&format!("only-{}", role.as_str()), unit, &[role]).await;
        callers.push((role.as_str().into(), Some(role), client_with(Some(&token))));
    }
    let mut failures = Vec::new();
    let mut pairs = 0;
    for (method, path, access) in MATRIX {
        for (who, role, client) in &callers {
            let allowed = match (access, role) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(roles), Some(r)) => roles.is_empty() || roles.contains(r),
            };
            let status = call(client, &host.base, method, path).await;
            pairs += 1;
            let ok = if allowed {
                status != 401 && status != 403
            } else if role.is_none() {
                status == 401
            } else {
                status == 403
            };
            if !ok {
                failures.push(format!(
                    "{who} {method} {path}: {status} (expected {})",
                    if allowed { "allowed" } else { "denied" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{pairs} pairs, wrong:\n{}", failures.join("\n"));
    assert_eq!(pairs, MATRIX.len() * 6);

    // The matrix covers every operation of the OpenAPI spec, and the spec
    // shows each one's roles.
    let (status, spec) = host.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    let mut in_spec = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            in_spec.insert((method.to_uppercase(), path.clone()));
            let security = &op["security"][0];
            let (m, _, access) = MATRIX
                .iter()
                .find(|(m, p, _)| m.eq_ignore_ascii_case(method) && template(p) == *path)
                .unwrap_or_else(|| panic!("{method} {path} is in the spec but not in the test's matrix"));
            match access {
                None => assert_eq!(security, &json!({}), "{m} {path} is public"),
                Some(roles) => {
                    let declared: BTreeSet<&str> =
                        security["token"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
                    let expected: BTreeSet<&str> = roles.iter().map(|r| r.as_str()).collect();
                    assert_eq!(declared, expected, "{m} {path}");
                }
            }
        }
    }
    let in_matrix: BTreeSet<(String, String)> = MATRIX.iter().map(|(m, p, _)| ((*m).to_owned(), template(p))).collect();
    assert_eq!(in_spec, in_matrix);
    assert_eq!(spec["components"]["securitySchemes"]["token"]["scheme"], "bearer");
}

#[tokio::test]
async fn reporters_report_only_within_their_units_scope() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let detachment = client_with(Some(&host.account("zhifa", "enforcement-detachment", &[Role::Reporter]).await));
        let market = client_with(Some(&host.account("shichang", "cultural-market", &[Role::Reporter]).await));
        let sample = |f: &str| std::fs::read(root().join("data/sample").join(f)).unwrap();
        let post = |client: &reqwest::Client, query: &str, body: Vec<u8>| {
            client
                .post(format!("{}/api/v1/imports?{query}", host.base))
                .header("content-type", "text/csv")
                .body(body)
                .send()
        };
        // The division reports its licences, not its penalties, not another sector's.
        let r =
            post(&market, "sector=cultural-market&kind=licence", sample("licences-cultural-market.csv")).await.unwrap();
        assert_eq!(r.status(), 201, "{db:?}");
        let r = post(&market, "sector=cultural-market&kind=penalty", sample("penalties-cultural-market.csv"))
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{db:?}");
        let problem: Value = r.json().await.unwrap();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("unit cultural-market may not report penalty records of sector cultural-market"),
            "{problem}"
        );
        let r = post(&market, "sector=publishing&kind=licence", sample("licences-publishing.csv")).await.unwrap();
        assert_eq!(r.status(), 403, "{db:?}");
        // The detachment reports penalties in every sector, and nothing else.
        let r = post(&detachment, "sector=cultural-market&kind=penalty", sample("penalties-cultural-market.csv"))
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{db:?}");
        let r = post(&detachment, "sector=publishing&kind=penalty", sample("penalties-publishing.csv")).await.unwrap();
        assert_eq!(r.status(), 201, "{db:?}");
        let r = post(&detachment, "sector=publishing&kind=licence", sample("licences-publishing.csv")).await.unwrap();
        assert_eq!(r.status(), 403, "{db:?}");
        // A refused upload stored nothing: publishing has penalties, no licences.
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM credit_records WHERE sector = 'publishing' AND kind = 'licence'")
                .fetch_one(host.state.store.pool())
                .await
                .unwrap();
        assert_eq!(n, 0);
        // Records carry who reported them.
        let (by,): (String,) = sqlx::query_as(
            "SELECT DISTINCT created_by FROM credit_records WHERE kind = 'penalty' AND sector = 'publishing'",
        )
        .fetch_one(host.state.store.pool())
        .await
        .unwrap();
        assert_eq!(by, "zhifa");
    }
}

#[tokio::test]
async fn tokens_are_issued_revoked_and_stored_only_as_hashes() {
    for db in databases() {
        let host = TestHost::start(db).await;
        let admin = client_with(Some(&host.account("root-admin", "administration", &[Role::Administrator]).await));
        let url = |p: &str| format!("{}{p}", host.base);
        // An administrator creates an inspector; the token works at once.
        let r = admin
            .post(url("/api/v1/admin/accounts"))
            .json(&json!({"id": "li.si", "name": "李四", "unit": "cultural-market", "roles": ["inspector"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{db:?}");
        let issued: Value = r.json().await.unwrap();
        let token = issued["token"].as_str().unwrap().to_owned();
        let me: Value = client_with(Some(&token)).get(url("/api/v1/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["account"], "li.si");
        assert_eq!(me["unit"], "cultural-market");
        assert_eq!(me["roles"], json!(["inspector"]));
        // The database holds the hash, never the secret.
        let secret = token.rsplit('_').next().unwrap();
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, secret_sha256 FROM api_tokens")
            .fetch_all(host.state.store.pool())
            .await
            .unwrap();
        assert!(rows.iter().all(|(_, h)| h != secret && !token.contains(h.as_str())));
        // Bad input is refused with the field.
        for (body, pointer) in [
            (json!({"id": "Li Si", "name": "李四", "unit": "cultural-market", "roles": ["inspector"]}), "/id"),
            (json!({"id": "li.si2", "name": "李四", "unit": "film-bureau", "roles": ["inspector"]}), "/unit"),
            (json!({"id": "li.si2", "name": "李四", "unit": "cultural-market", "roles": ["boss"]}), "/roles/0"),
            (json!({"id": "li.si2", "name": "李四", "unit": "cultural-market", "roles": []}), "/roles"),
            (json!({"id": "li.si", "name": "李四", "unit": "cultural-market", "roles": ["inspector"]}), "/id"),
            (json!({"id": "anonymous", "name": "李四", "unit": "cultural-market", "roles": ["inspector"]}), "/id"),
            (json!({"id": "li.si2", "name": "李\n四", "unit": "cultural-market", "roles": ["inspector"]}), "/name"),
            // Reviewers sit in the credit office, approvers in the leadership…
            (json!({"id": "li.si2", "name": "李四", "unit": "cultural-market", "roles": ["reviewer"]}), "/roles"),
            (json!({"id": "li.si2", "name": "李四", "unit": "cultural-market", "roles": ["approver"]}), "/roles"),
            // …reporters in a unit that reports, and administrators use no credit data.
            (json!({"id": "li.si2", "name": "李四", "unit": "leadership", "roles": ["reporter"]}), "/roles"),
            (
                json!({"id": "li.si2", "name": "李四", "unit": "administration", "roles": ["administrator", "inspector"]}),
                "/roles",
            ),
        ] {
            let r = admin.post(url("/api/v1/admin/accounts")).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 422, "{body}");
            let p: Value = r.json().await.unwrap();
            assert_eq!(p["errors"][0]["pointer"], pointer, "{p}");
        }
        // A second token; revoking the first leaves the second working.
        let second: Value =
            admin.post(url("/api/v1/admin/accounts/li.si/tokens")).send().await.unwrap().json().await.unwrap();
        let second = second["token"].as_str().unwrap().to_owned();
        let r = admin
            .delete(url(&format!("/api/v1/admin/tokens/{}", issued["token_id"].as_str().unwrap())))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let r = client_with(Some(&token)).get(url("/api/v1/me")).send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["www-authenticate"], "Bearer realm=\"credit\"");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        assert_eq!(client_with(Some(&second)).get(url("/api/v1/me")).send().await.unwrap().status(), 200);
        // Disabling the account stops every token of it.
        let r = admin.post(url("/api/v1/admin/accounts/li.si/disable")).send().await.unwrap();
        assert_eq!(r.status(), 204);
        assert_eq!(client_with(Some(&second)).get(url("/api/v1/me")).send().await.unwrap().status(), 401);
        // A garbage token is 401 even on a public endpoint: never silently public.
        assert_eq!(client_with(Some("crt_nonsense")).get(url("/api/v1/divisions")).send().await.unwrap().status(), 401);
        assert_eq!(client_with(None).get(url("/api/v1/divisions")).send().await.unwrap().status(), 200);
    }
}

#[tokio::test]
async fn checks_reads_and_changes_are_in_the_append_only_audit_trail() {
    for db in databases() {
        let host = TestHost::start(db).await;
        host.import_sample().await;
        let inspector = client_with(Some(&host.account("jiancha", "cultural-market", &[Role::Inspector]).await));
        let url = |p: &str| format!("{}{p}", host.base);
        let r = inspector
            .post(url("/api/v1/checks"))
            .json(&json!({
                "subject": {"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"},
                "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{db:?}");
        let request_id = r.headers()["x-request-id"].to_str().unwrap().to_owned();
        let check: Value = r.json().await.unwrap();
        let r = inspector
            .get(url("/api/v1/subjects/91410103MATU7E5C3A"))
            .header("x-credit-purpose", "licensing")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        // A denied attempt is audited too.
        assert_eq!(inspector.get(url("/api/v1/admin/accounts")).send().await.unwrap().status(), 403);
        // So is one with a bad token, and an ID number in a path is masked there.
        let r = client_with(Some("crt_0123456789abcdef_00"))
            .get(url("/api/v1/subjects/91410103MATU7E5C3A"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = inspector.get(url("/api/v1/subjects/410104198405227240")).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let (_, denied) = host.get("/api/v1/audit?actor=anonymous").await;
        assert_eq!(denied[0]["status"], 401, "{denied:#}");
        assert_eq!(denied[0]["path"], "/api/v1/subjects/91410103MATU7E5C3A");
        let (_, all) = host.get("/api/v1/audit").await;
        assert!(!all.to_string().contains("410104198405227240"), "a full ID number in the audit trail");
        // Days are Beijing days, `to` inclusive; a bad bound is a 422.
        let today = credit_host::api::today();
        let (_, rows) = host.get(&format!("/api/v1/audit?actor=jiancha&from={today}&to={today}")).await;
        assert_eq!(rows.as_array().unwrap().len(), 4, "{rows:#}");
        let (status, body) = host.get("/api/v1/audit?from=2026-13-45").await;
        assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some("/from")));
        // A query string or path serde cannot read is a 422 naming the parameter, in Chinese too.
        for (path, pointer) in
            [("/api/v1/audit?limit=abc", "/query/limit"), ("/api/v1/reviews?overdue=1", "/query/overdue")]
        {
            let (status, body) = host.get(path).await;
            assert_eq!((status, body["errors"][0]["pointer"].as_str()), (422, Some(pointer)), "{path}: {body:#}");
            assert!(body["errors"][0]["message"].as_str().unwrap().starts_with("查询参数"), "{body:#}");
        }

        let (status, rows) = host.get("/api/v1/audit?actor=jiancha").await;
        assert_eq!(status, 200);
        let rows = rows.as_array().unwrap();
        let actions: Vec<(&str, u64)> =
            rows.iter().map(|r| (r["action"].as_str().unwrap(), r["status"].as_u64().unwrap())).collect();
        assert_eq!(
            actions,
            [("subject.read", 422), ("account.list", 403), ("subject.read", 200), ("check.create", 201)],
            "{db:?}"
        );
        let rows = &rows[1..];
        let check_row = &rows[2];
        assert_eq!(check_row["request_id"], request_id.as_str());
        assert_eq!(check_row["purpose"], "licensing");
        assert_eq!(check_row["unit"], "cultural-market");
        assert_eq!(check_row["subject_key"], "91410104MAN0NYBQX1");
        assert!(check_row["detail"].as_str().unwrap().contains(check["check_id"].as_str().unwrap()));
        assert_eq!(rows[1]["purpose"], "licensing");
        assert_eq!(rows[1]["path"], "/api/v1/subjects/91410103MATU7E5C3A");
        assert_eq!(rows[1]["subject_key"], "91410103MATU7E5C3A");
        // The sample import is in it with who reported it.
        let (_, imports) = host.get("/api/v1/audit?action=record.import&actor=clerk").await;
        assert_eq!(imports.as_array().unwrap().len(), host_sample_files());
        // Exported as CSV for the office.
        let csv = host
            .client
            .get(url("/api/v1/audit?actor=jiancha"))
            .header("accept", "text/csv")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut lines = csv.strip_prefix('\u{feff}').expect("a BOM for Excel").lines();
        assert!(lines.next().unwrap().starts_with("id,at,request_id,actor,unit,roles,action"));
        assert_eq!(lines.count(), 4);
        // Append-only, on both databases.
        for sql in ["UPDATE audit_log SET actor = 'someone-else'", "DELETE FROM audit_log"] {
            let e = sqlx::query(sql).execute(host.state.store.pool()).await.unwrap_err();
            assert!(e.to_string().contains("append-only"), "{db:?} {sql}: {e}");
        }
    }
}

/// How many files `import_sample` uploads.
fn host_sample_files() -> usize {
    std::fs::read_dir(root().join("data/sample"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") && !n.ends_with(".gbk.csv"))
        .filter(|n| {
            n == "red-list.csv" || crate::util::SECTORS_WITH_PLUGINS.iter().any(|s| n.ends_with(&format!("-{s}.csv")))
        })
        .count()
}

#[tokio::test]
async fn checks_are_rate_limited_per_token_and_answers_carry_security_headers() {
    let host =
        TestHost::start_configured(crate::util::Db::Sqlite, crate::util::plugins(), |s| s.set_check_rate(2)).await;
    let one = client_with(Some(&host.account("one", "cultural-market", &[Role::Inspector]).await));
    let two = client_with(Some(&host.account("two", "cultural-market", &[Role::Inspector]).await));
    let request = json!({
        "subject": {"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"},
        "sector": "cultural-market", "purpose": "licensing", "licence_type": "internet-cafe", "as_of": "2026-11-30"
    });
    let check = |c: &reqwest::Client| c.post(format!("{}/api/v1/checks", host.base)).json(&request).send();
    assert_eq!(check(&one).await.unwrap().status(), 201);
    assert_eq!(check(&one).await.unwrap().status(), 201);
    let r = check(&one).await.unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    // Another token has its own allowance; other endpoints are not limited.
    assert_eq!(check(&two).await.unwrap().status(), 201);
    assert_eq!(one.get(format!("{}/api/v1/me", host.base)).send().await.unwrap().status(), 200);
    // Security headers on every answer; CORS closed by default.
    let r = client_with(None)
        .get(format!("{}/healthz", host.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert!(r.headers().get("access-control-allow-origin").is_none());
    // Two Authorization headers are refused, not resolved by order.
    let r = reqwest::Client::new()
        .get(format!("{}/api/v1/me", host.base))
        .header("authorization", "Bearer crt_0123456789abcdef_00")
        .header("authorization", "Bearer x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn configured_origins_may_call_cross_origin() {
    let host = TestHost::start_configured(crate::util::Db::Sqlite, crate::util::plugins(), |s| {
        s.cors_origins = vec!["https://credit.zz.gov.cn".into()];
    })
    .await;
    let preflight = |origin: &'static str| {
        reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, format!("{}/api/v1/checks", host.base))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization,content-type")
            .send()
    };
    let r = preflight("https://credit.zz.gov.cn").await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "https://credit.zz.gov.cn");
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn when_the_id_hash_key_rotates_every_person_is_rehashed_and_found_again() {
    use credit_host::privacy::PersonalDataKeys;
    for db in databases() {
        let url = crate::util::fresh_database(db).await;
        let before = TestHost::start_on(&url, crate::util::plugins(), |_| {}).await;
        let (status, body) =
            before.post("/api/v1/records?sector=cultural-market&kind=penalty", &crate::reporting::cafe_penalty()).await;
        assert_eq!(status, 201, "{db:?} {body:#}");
        let lookup = json!({"id_number": "410104198405227240"});
        let (status, person) = before.post("/api/v1/subjects/lookup", &lookup).await;
        assert_eq!(status, 200, "{person:#}");
        let old_key = person["subject"]["key"].as_str().unwrap().to_owned();

        // A host with a new hash key (the encryption key unchanged) finds
        // nobody until the keys are re-hashed…
        let rotated = PersonalDataKeys::new("rotated-hash", "test-enc");
        let after = TestHost::start_on(&url, crate::util::plugins(), |s| s.keys = rotated.clone()).await;
        assert_eq!(after.post("/api/v1/subjects/lookup", &lookup).await.0, 404);
        let done = after.state.store.rekey_subjects(&rotated).await.unwrap();
        assert_eq!((done.subjects, done.complaints), (1, 0));
        // …then finds the person with its records and list entry, under the new key.
        let (status, person) = after.post("/api/v1/subjects/lookup", &lookup).await;
        assert_eq!(status, 200, "{person:#}");
        let new_key = person["subject"]["key"].as_str().unwrap().to_owned();
        assert_ne!(new_key, old_key);
        assert_eq!(person["list_entries"][0]["list"], "serious-dishonesty", "{person:#}");
        assert_eq!(after.state.store.earlier_keys(&new_key).await.unwrap(), std::slice::from_ref(&old_key));
        // Nothing is left under the old key, and a second rotation run changes nothing.
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM credit_records WHERE legal_rep_key = $1")
            .bind(&new_key)
            .fetch_one(after.state.store.pool())
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(after.state.store.rekey_subjects(&rotated).await.unwrap(), Default::default());
        // A host still on the old key finds nobody now.
        assert_eq!(before.post("/api/v1/subjects/lookup", &lookup).await.0, 404);
        // The audit trail keeps the old key, and a query by the new key finds it.
        let auditor =
            crate::util::client_with(Some(&after.account("shenji", "credit-office", &[Role::Reviewer]).await));
        let (status, trail) =
            crate::util::send(&auditor, "GET", format!("{}/api/v1/audit?subject_key={new_key}", after.base), None)
                .await;
        assert_eq!(status, 200, "{trail:#}");
        let keys: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["subject_key"].as_str().unwrap()).collect();
        assert!(keys.contains(&old_key.as_str()) && keys.contains(&new_key.as_str()), "{keys:?}");
    }
}
