//! Reporting records over HTTP: every error at once, nothing half-stored.

use crate::util::{Db, TestHost, root};
use serde_json::{Value, json};

fn sample(file: &str) -> String {
    std::fs::read_to_string(root().join("data/sample").join(file)).unwrap()
}

/// The sample penalties with line `line` (1-based, header = 1) edited by `f`
/// on its cells.
fn edit_line(text: &str, line: usize, f: impl Fn(&mut Vec<String>)) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(lines[line - 1].as_bytes());
    let mut cells: Vec<String> = rdr.records().next().unwrap().unwrap().iter().map(str::to_owned).collect();
    f(&mut cells);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&cells).unwrap();
    lines[line - 1] = String::from_utf8(w.into_inner().unwrap()).unwrap().trim_end().to_owned();
    lines.join("\n") + "\n"
}

#[tokio::test]
async fn a_bad_csv_is_rejected_whole_with_every_error_located() {
    let host = TestHost::start(Db::Sqlite).await;
    let text = sample("penalties-cultural-market.csv");
    // Line 3: a USCC with a wrong check character; line 5: a date in the wrong
    // format; line 3 (warning + fine under 第三十一条): a fine above 15,000 yuan.
    let text = edit_line(&text, 3, |c| {
        c[2] = "91410108MA1JTPRN2E".into();
        c[14] = "1.6".into();
    });
    let text = edit_line(&text, 5, |c| c[17] = "22/09/2019".into());
    let (status, ct, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", text.into_bytes()).await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(ct, "application/problem+json");
    let errors = body["errors"].as_array().unwrap();
    let found: Vec<(u64, &str, &str)> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap_or(""), e["code"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&(3, "统一社会信用代码", "invalid-uscc")), "{found:?}");
    assert!(found.contains(&(5, "处罚决定日期", "invalid-date")), "{found:?}");
    for e in errors {
        assert!(!e["message"].as_str().unwrap().is_empty() && !e["message_en"].as_str().unwrap().is_empty());
    }
    assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0, "nothing is half-stored");

    // Fix the identifiers; the plugin's semantic check now finds the fine.
    let text = edit_line(&sample("penalties-cultural-market.csv"), 3, |c| c[14] = "1.6".into());
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", text.into_bytes()).await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(body["errors"][0]["code"], "fine-out-of-range");
    assert_eq!(body["errors"][0]["line"], 3);
    assert_eq!(body["errors"][0]["column"], "罚款金额（万元）");
    assert_eq!(body["errors"][0]["pointer"], "/fine_wan_yuan");
    assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);
}

#[tokio::test]
async fn unknown_columns_and_sectors_are_reported() {
    let host = TestHost::start(Db::Sqlite).await;
    let (status, _, body) = host
        .post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", "行政相对人名称,联系电话\n某网吧,123\n".into())
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["code"], "unknown-column");
    assert_eq!(body["errors"][0]["column"], "联系电话");
    let (status, _, _) = host.post_csv("/api/v1/imports?sector=opera&kind=penalty", "a\n".into()).await;
    assert_eq!(status, 404);
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=red-list", sample("red-list.csv").into()).await;
    assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("sector-not-allowed")));
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=commendation", sample("red-list.csv").into()).await;
    assert_eq!(status, 422, "{body:#}");
}

pub(crate) fn cafe_penalty() -> Value {
    json!({
        "subject_name": "郑州市测试网吧", "subject_category": "法人及非法人组织", "uscc": "91410104MA329GYC1F",
        "legal_representative": "尹然梅", "legal_representative_id_type": "身份证",
        "legal_representative_id_number": "４１０１０４１９８４０５２２７２４０",
        "decision_number": "测文旅罚字〔2025〕1号", "violation_type": "接纳未成年人进入营业场所",
        "legal_basis": "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
        "penalty_types": "警告；罚款；吊销许可证件", "penalty_content": "给予警告；罚款人民币15000元；吊销网络文化经营许可证",
        "fine_wan_yuan": 1.5, "revoked_certificate": "网络文化经营许可证（文网文4101049391）",
        "decision_date": "2025-05-22", "authority": "郑州市测试区文化广电和旅游局"
    })
}

#[tokio::test]
async fn json_records_are_stored_once_and_conflicts_store_nothing() {
    for db in crate::util::databases() {
        let host = TestHost::start(db).await;
        let path = "/api/v1/records?sector=cultural-market&kind=penalty";
        // An array with one bad record: the pointer names the item and field.
        let mut bad = cafe_penalty();
        bad["decision_number"] = "测文旅罚字〔2025〕2号".into();
        bad["decision_date"] = "2025-13-01".into();
        let (status, body) = host.post(path, &json!([cafe_penalty(), bad])).await;
        assert_eq!(status, 422, "{body:#}");
        assert_eq!(body["errors"][0]["pointer"], "/1/decision_date");
        assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);

        let (status, body) = host.post(path, &cafe_penalty()).await;
        assert_eq!(status, 201, "{body:#}");
        assert_eq!(body["inserted"], 1);
        // Subject and (revoked licence) its legal representative are listed from the decision date.
        assert_eq!(body["list_entries"], 2);
        let (status, body) = host.post(path, &cafe_penalty()).await;
        assert_eq!((status, body["inserted"].as_u64(), body["unchanged"].as_u64()), (201, Some(0), Some(1)));

        let mut changed = cafe_penalty();
        changed["fine_wan_yuan"] = json!(1.0);
        changed["decision_number"] = "测文旅罚字[2025]1号".into();
        let (status, body) = host.post(path, &json!([changed])).await;
        assert_eq!(status, 409, "{body:#}");
        assert_eq!(body["errors"][0]["code"], "conflict");
        assert_eq!(body["errors"][0]["pointer"], "/0");
        assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 1);

        // The organisation's file, and the person's through the lookup (never by URL).
        let (status, file) = host.get("/api/v1/subjects/91410104MA329GYC1F").await;
        assert_eq!(status, 200);
        assert_eq!(file["records"][0]["severity"], "serious");
        assert_eq!(file["records"][0]["publicity_end"], "2028-05-22");
        assert_eq!(file["list_entries"][0]["start_date"], "2025-05-22");
        assert_eq!(file["persons"][0]["id_masked"], "410104********7240");
        assert!(!file.to_string().contains("410104198405227240"));
        let (status, person) = host.post("/api/v1/subjects/lookup", &json!({"id_number": "410104198405227240"})).await;
        assert_eq!(status, 200, "{person:#}");
        assert_eq!(person["subject"]["id_masked"], "410104********7240");
        assert_eq!(person["list_entries"][0]["list"], "serious-dishonesty");
        assert_eq!(person["list_entries"][0]["start_date"], "2025-05-22");
        assert!(!person.to_string().contains("410104198405227240"));

        assert_eq!(host.get("/api/v1/subjects/91410104MA329GYC1G").await.0, 422);
        assert_eq!(host.get("/api/v1/subjects/91410104MAN0NYBQX1").await.0, 404);
    }
}

#[tokio::test]
async fn a_decision_not_to_penalise_is_refused_by_the_plugin() {
    let host = TestHost::start(Db::Sqlite).await;
    let mut r = cafe_penalty();
    r["penalty_types"] = "其他".into();
    r["penalty_content"] = "不予行政处罚".into();
    r.as_object_mut().unwrap().remove("fine_wan_yuan");
    let (status, body) = host.post("/api/v1/records?sector=cultural-market&kind=penalty", &r).await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(body["errors"][0]["code"], "not-a-penalty");
}

#[tokio::test]
async fn openapi_and_health_are_served() {
    let host = TestHost::start(Db::Sqlite).await;
    let (status, spec) = host.get("/api/openapi.json").await;
    assert_eq!(status, 200);
    for path in
        ["/api/v1/checks", "/api/v1/checks/{id}", "/api/v1/records", "/api/v1/imports", "/api/v1/subjects/lookup"]
    {
        assert!(spec["paths"][path].is_object(), "{path} missing from the spec");
    }
    let r = host.client.get(format!("{}/healthz", host.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = host.client.get(format!("{}/api/docs/", host.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (status, plugins) = host.get("/api/v1/plugins").await;
    assert_eq!(status, 200);
    let cm = plugins.as_array().unwrap().iter().find(|p| p["sector"] == "cultural-market").unwrap();
    assert_eq!(cm["status"], "active");
    assert!(cm["manifest"]["rules"].as_array().unwrap().len() >= 6);
}

#[tokio::test]
async fn a_correction_adds_a_state_and_keeps_the_old_one() {
    for db in crate::util::databases() {
        let host = TestHost::start(db).await;
        let (status, body) = host.post("/api/v1/records?sector=cultural-market&kind=penalty", &cafe_penalty()).await;
        assert_eq!(status, 201, "{body:#}");
        let id = body["ids"][0].as_str().unwrap().to_owned();
        let path = format!("/api/v1/records/{id}/corrections");

        let mut fixed = cafe_penalty();
        fixed["fine_wan_yuan"] = json!(1.2);
        fixed["penalty_content"] = "给予警告；罚款人民币12000元；吊销网络文化经营许可证".into();
        let (status, body) = host.post(&path, &json!({"reason": "", "record": fixed})).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("reason-required")));
        let mut broken = fixed.clone();
        broken["fine_wan_yuan"] = json!(2.0);
        let (status, body) = host.post(&path, &json!({"reason": "罚款金额录入错误", "record": broken})).await;
        assert_eq!((status, body["errors"][0]["code"].as_str()), (422, Some("fine-out-of-range")), "{body:#}");

        let (status, body) = host.post(&path, &json!({"reason": "罚款金额录入错误", "record": fixed})).await;
        assert_eq!(status, 201, "{body:#}");
        assert_eq!(body["state"], 2);
        let (status, history) = host.get(&format!("/api/v1/records/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(history["record"]["state"], 2);
        assert_eq!(history["record"]["body"]["fine_wan_yuan"], 1.2);
        let states = history["states"].as_array().unwrap();
        assert_eq!(states.len(), 2);
        assert_eq!(states[0]["body"]["fine_wan_yuan"], 1.5);
        assert_eq!(
            (states[0]["reason"].as_str(), states[1]["reason"].as_str()),
            (Some("reported"), Some("罚款金额录入错误"))
        );
        assert!(!history.to_string().contains("410104198405227240"));
        assert_eq!(
            host.post("/api/v1/records/nope/corrections", &json!({"reason": "x", "record": fixed})).await.0,
            404
        );
    }
}

#[tokio::test]
async fn a_commitment_is_rendered_from_the_plugins_template() {
    let host = TestHost::start(Db::Sqlite).await;
    let path = "/api/v1/sectors/cultural-market/commitments/internet-cafe";
    let subject = json!({"uscc": "91410104MAN0NYBQX1", "name": "郑州市管城回族区火线网络会所"});
    let fields =
        json!({"legal_representative": "张三", "address": "郑州市管城回族区某路1号", "sign_date": "2026-11-30"});
    let (status, body) = host.post(path, &json!({"subject": subject, "fields": fields})).await;
    assert_eq!(status, 200, "{body:#}");
    let text = body["text"].as_str().unwrap();
    assert!(text.contains("本单位郑州市管城回族区火线网络会所（统一社会信用代码：91410104MAN0NYBQX1）"), "{text}");
    assert!(text.contains("不接纳未成年人"));
    let (status, body) = host
        .post(path, &json!({"subject": subject, "fields": {"legal_representative": "张三", "sign_date": "30.11.2026"}}))
        .await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(body["errors"].as_array().unwrap().len(), 2, "missing address and a bad date: {body:#}");
    assert_eq!(host.post("/api/v1/sectors/cultural-market/commitments/karaoke", &json!({})).await.0, 404);
}

#[tokio::test]
async fn bad_input_gets_problem_json_and_never_a_full_id_number() {
    let host = TestHost::start(Db::Sqlite).await;
    let id = "410104198405227240";
    // A number where text is expected, in the lookup and in a record.
    let (status, body) = host.post("/api/v1/subjects/lookup", &json!({"id_number": 410104198405227240u64})).await;
    assert_eq!(status, 422, "{body:#}");
    assert!(!body.to_string().contains(id), "{body:#}");
    let mut r = cafe_penalty();
    r["legal_representative_id_number"] = json!(410104198405227240u64);
    let (status, body) = host.post("/api/v1/records?sector=cultural-market&kind=penalty", &r).await;
    assert_eq!(status, 422, "{body:#}");
    assert!(!body.to_string().contains(id), "{body:#}");
    // An ID number in the URL, and an organisation row that also fills 证件号码.
    let (status, body) = host.get(&format!("/api/v1/subjects/{id}")).await;
    assert_eq!(status, 422);
    assert!(!body.to_string().contains(id), "{body:#}");
    let mut r = cafe_penalty();
    r["id_type"] = "身份证".into();
    r["id_number"] = id.into();
    let (status, body) = host.post("/api/v1/records?sector=cultural-market&kind=penalty", &r).await;
    assert_eq!(status, 201, "{body:#}");
    let (_, file) = host.get("/api/v1/subjects/91410104MA329GYC1F").await;
    assert!(!file.to_string().contains(id), "{file:#}");
    // A query string that lacks a parameter is a 422 that names it; axum's
    // own rejections (an unknown route) are problem+json too.
    let r = host
        .client
        .post(format!("{}/api/v1/imports?sector=cultural-market", host.base))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["code"], "invalid-query");
    assert!(body["errors"][0]["message_en"].as_str().unwrap().contains("missing field `kind`"), "{body:#}");
    let r = host.client.get(format!("{}/api/v1/nothing", host.base)).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["content-type"].to_str().unwrap()), (404, "application/problem+json"));
}

#[tokio::test]
async fn empty_blank_control_and_implausible_values_are_refused() {
    let host = TestHost::start(Db::Sqlite).await;
    let path = "/api/v1/records?sector=cultural-market&kind=penalty";
    let codes = |body: &Value| -> Vec<String> {
        body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_owned()).collect()
    };
    let (status, body) = host.post(path, &json!([])).await;
    assert_eq!((status, codes(&body)), (422, vec!["no-records".to_owned()]));
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", "行政相对人名称,处罚类别\n".into()).await;
    assert_eq!((status, codes(&body)), (422, vec!["no-records".to_owned()]));
    let mut r = cafe_penalty();
    r["authority"] = "　 ".into();
    r["subject_name"] = "NUL\u{0}网吧".into();
    r["decision_date"] = "9999-12-31".into();
    let (status, body) = host.post(path, &r).await;
    assert_eq!(status, 422, "{body:#}");
    let got = codes(&body);
    for code in ["control-character", "implausible-date", "required"] {
        assert!(got.iter().any(|c| c == code), "{code} missing from {got:?}");
    }
    let mut r = cafe_penalty();
    r["decision_date"] = "2099-01-01".into();
    let (_, body) = host.post(path, &r).await;
    assert_eq!(codes(&body), ["date-in-future"]);
    // Surrounding spaces are trimmed, so the same record is recognised.
    let (status, _) = host.post(path, &cafe_penalty()).await;
    assert_eq!(status, 201);
    let mut r = cafe_penalty();
    r["authority"] = " 郑州市测试区文化广电和旅游局　".into();
    let (status, body) = host.post(path, &r).await;
    assert_eq!((status, body["unchanged"].as_u64()), (201, Some(1)), "{body:#}");
    // An unknown kind is named before the file is read.
    let (status, _, body) = host
        .post_csv("/api/v1/imports?sector=cultural-market&kind=foo", sample("penalties-cultural-market.csv").into())
        .await;
    assert_eq!((status, codes(&body)), (422, vec!["unknown-kind".to_owned()]));
    // Two rows of one upload that disagree point at each other.
    let text = sample("penalties-cultural-market.csv");
    let twice = format!(
        "{}\n{}\n{}\n",
        text.lines().next().unwrap(),
        text.lines().nth(1).unwrap(),
        text.lines().nth(1).unwrap()
    );
    let csv = edit_line(&twice, 3, |c| c[14] = "5.2".into());
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", csv.into_bytes()).await;
    assert_eq!(status, 409, "{body:#}");
    assert_eq!(body["errors"][0]["line"], 3);
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("第2行"), "{body:#}");
}

#[tokio::test]
async fn a_plugins_own_kind_is_imported_by_its_schema_titles_with_errors_in_its_words() {
    let host = TestHost::start(Db::Sqlite).await;
    let header = "行政相对人名称,行政相对人类别,证件类型,证件号码,代表性项目名称,传承人级别,评估年度,评估结果,传习补助（万元）,文书号,决定日期,决定机关,依据,内容摘要";
    let good = "吴长顺,自然人,身份证,410184195205308474,新郑唢呐,市级,2022,合格,0.5,郑文旅非遗〔2023〕6号,2023-03-10,郑州市文化广电和旅游局,《中华人民共和国非物质文化遗产法》第三十一条,2022年度评估合格";
    // Line 3: a result outside the allowed set, a subsidy that is not a
    // number and a 1900 decision date; line 4 lacks the project.
    let bad = "吴长顺,自然人,身份证,410184195205308474,新郑唢呐,市级,2023,优秀,半万,郑文旅非遗〔2024〕6号,1900-03-10,郑州市文化广电和旅游局,《中华人民共和国非物质文化遗产法》第三十一条,评估";
    let missing = "吴长顺,自然人,身份证,410184195205308474,,市级,2024,合格,0.5,郑文旅非遗〔2025〕6号,2025-03-10,郑州市文化广电和旅游局,《中华人民共和国非物质文化遗产法》第三十一条,评估";
    let (_, plugins) = host.get("/api/v1/plugins").await;
    let arts = plugins.as_array().unwrap().iter().find(|p| p["sector"] == "arts-heritage").unwrap();
    let listed: Vec<&str> =
        arts["columns"]["inheritor-assessment"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    for h in header.split(',') {
        assert!(listed.contains(&h), "GET /api/v1/plugins does not list the column {h}: {listed:?}");
    }
    let url = "/api/v1/imports?sector=arts-heritage&kind=inheritor-assessment";
    let (status, _, body) = host.post_csv(url, format!("{header}\n{good}\n{bad}\n{missing}\n").into()).await;
    assert_eq!(status, 422, "{body:#}");
    let errors: Vec<(u64, &str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["column"].as_str().unwrap_or(""), e["code"].as_str().unwrap()))
        .collect();
    assert!(errors.contains(&(3, "传习补助（万元）", "not-a-number")), "{errors:?}");
    assert!(errors.contains(&(3, "决定日期", "implausible-date")), "{errors:?}");
    assert!(errors.iter().any(|(l, c, _)| *l == 3 && *c == "评估结果"), "{errors:?}");
    assert!(errors.iter().any(|(l, c, _)| *l == 4 && *c == "代表性项目名称"), "{errors:?}");
    assert!(errors.iter().all(|(l, _, _)| *l != 2), "the good row has no error: {errors:?}");
    assert_eq!(host.state.store.count_records(Some("arts-heritage"), None).await.unwrap(), 0, "nothing stored");

    let (status, _, body) = host.post_csv(url, format!("{header}\n{good}\n").into()).await;
    assert_eq!(status, 201, "{body:#}");
    let (_, subject) =
        host.post("/api/v1/subjects/lookup", &serde_json::json!({"id_number": "410184195205308474"})).await;
    let record = &subject["records"][0];
    assert_eq!(record["kind"], "inheritor-assessment", "{subject:#}");
    assert_eq!(record["content"], "2022年度评估合格");
    assert_eq!(record["body"]["subsidy_wan_yuan"], 0.5);
    assert_eq!(record["body"]["assessment_year"], "2022");
}

#[tokio::test]
async fn a_revocation_by_another_authority_than_the_issuer_is_flagged() {
    let host = TestHost::start(Db::Sqlite).await;
    let (status, _, body) = host
        .post_csv("/api/v1/imports?sector=cultural-market&kind=licence", sample("licences-cultural-market.csv").into())
        .await;
    assert_eq!(status, 201, "{body:#}");
    // 蓝海网吧's licence 文网文4101043847 was issued by the 管城回族区 bureau.
    let mut penalty = cafe_penalty();
    penalty["subject_name"] = "郑州市管城回族区蓝海网吧".into();
    penalty["uscc"] = "91410104MA92PMTP0N".into();
    penalty["revoked_certificate"] = "网络文化经营许可证（文网文4101043847）".into();
    penalty["authority"] = "郑州市二七区文化广电和旅游局".into();
    let path = "/api/v1/records?sector=cultural-market&kind=penalty";
    let (status, body) = host.post(path, &json!([penalty.clone()])).await;
    assert_eq!(status, 201, "a warning does not refuse the record: {body:#}");
    let w = &body["warnings"][0];
    assert_eq!(w["code"], "revocation-not-by-issuer", "{body:#}");
    assert_eq!(w["pointer"], "/0/authority");
    assert!(w["message"].as_str().unwrap().contains("郑州市管城回族区文化广电和旅游局"), "{w:#}");
    // Revoked by its issuer: no warning.
    penalty["decision_number"] = "管文旅罚字〔2025〕9号".into();
    penalty["authority"] = "郑州市管城回族区文化广电和旅游局".into();
    let (status, body) = host.post(path, &penalty).await;
    assert_eq!(status, 201, "{body:#}");
    assert!(body["warnings"].as_array().unwrap().iter().all(|w| w["code"] != "revocation-not-by-issuer"), "{body:#}");
}

#[tokio::test]
async fn dry_runs_store_nothing_and_partial_uploads_return_an_error_report_to_fix_and_upload() {
    let host = TestHost::start(Db::Sqlite).await;
    let path = "/api/v1/imports?sector=cultural-market&kind=penalty";
    let original = sample("penalties-cultural-market.csv");
    let rows = crate::util::sample_rows("penalties-cultural-market.csv") as u64;

    // A dry run reports what would be stored, and stores nothing.
    let (status, _, body) = host.post_csv(&format!("{path}&dry_run=true"), original.clone().into()).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!((body["dry_run"].as_bool(), body["inserted"].as_u64()), (Some(true), Some(rows)));
    assert!(body["ids"].as_array().unwrap().iter().all(Value::is_null));
    assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);

    // Two bad rows: a wrong USCC check character (line 3), a fine that is not a number (line 5).
    let bad = edit_line(&original, 3, |c| c[2] = "91410108MA1JTPRN2E".into());
    let bad = edit_line(&bad, 5, |c| c[14] = "一万".into());
    let upload = |url: String, text: String| {
        host.client.post(format!("{}{url}", host.base)).header("accept", "text/csv").body(text).send()
    };
    // Without partial: a 422 error report, nothing stored.
    let r = upload(path.to_owned(), bad.clone()).await.unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let report = r.text().await.unwrap();
    assert_eq!(report.trim_start_matches('\u{feff}').lines().count(), 3, "header and the two bad rows:\n{report}");
    assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);

    // With partial: the valid rows are stored, the report holds the others.
    let r = upload(format!("{path}&partial=true"), bad).await.unwrap();
    assert_eq!(r.status().as_u16(), 201);
    assert_eq!(r.headers()["x-credit-rejected-rows"], "2");
    assert_eq!(r.headers()["x-credit-inserted"], (rows - 2).to_string());
    let report = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(report.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("错误说明"));
    let lines: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0][header.len() - 1].contains("统一社会信用代码"), "{:?}", &lines[0]);
    assert!(lines[1][header.len() - 1].contains("罚款金额"), "{:?}", &lines[1]);
    assert_eq!(host.state.store.count_records(None, None).await.unwrap() as u64, rows - 2);

    // The clerk fixes the two cells in the report and uploads it as it is.
    let fixed_source: Vec<csv::StringRecord> =
        csv::Reader::from_reader(original.as_bytes()).records().map(Result::unwrap).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for (line, at) in lines.iter().zip([1usize, 3]) {
        let mut cells: Vec<String> = line.iter().map(str::to_owned).collect();
        cells[2] = fixed_source[at][2].to_owned();
        cells[14] = fixed_source[at][14].to_owned();
        w.write_record(&cells).unwrap();
    }
    let corrected = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let (status, _, body) = host.post_csv(path, corrected.into()).await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["inserted"], 2);
    assert_eq!(host.state.store.count_records(None, None).await.unwrap() as u64, rows);
}

#[tokio::test]
async fn an_amount_that_looks_like_yuan_is_refused_or_questioned() {
    let host = TestHost::start(Db::Sqlite).await;
    let path = "/api/v1/records?sector=cultural-market&kind=penalty";
    // 15,000 entered in the 万元 column: 150 million yuan.
    let mut p = cafe_penalty();
    p["fine_wan_yuan"] = json!(15000);
    let (status, body) = host.post(path, &p).await;
    assert_eq!(status, 422, "{body:#}");
    let e = body["errors"].as_array().unwrap().iter().find(|e| e["code"] == "amount-looks-like-yuan").unwrap();
    assert_eq!(e["pointer"], "/fine_wan_yuan");
    assert!(e["message"].as_str().unwrap().contains("应填1.5"), "{e:#}");
    // 2,000 万元 of confiscated gains is stored, with a question.
    let mut p = cafe_penalty();
    p["confiscation_wan_yuan"] = json!(2000);
    let (status, body) = host.post(path, &p).await;
    assert_eq!(status, 201, "{body:#}");
    assert!(body["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "amount-looks-like-yuan"), "{body:#}");
}

#[tokio::test]
async fn an_upload_that_carries_corrections_adds_states_instead_of_conflicting() {
    for db in crate::util::databases() {
        let host = TestHost::start(db).await;
        let path = "/api/v1/records?sector=cultural-market&kind=penalty";
        let (status, body) = host.post(path, &cafe_penalty()).await;
        assert_eq!(status, 201, "{body:#}");
        let id = body["ids"][0].as_str().unwrap().to_owned();
        let mut fixed = cafe_penalty();
        fixed["fine_wan_yuan"] = json!(1.2);
        // Without the flag: a conflict, nothing changed.
        let (status, _) = host.post(path, &fixed).await;
        assert_eq!(status, 409);
        // A dry run of the correction changes nothing either.
        let (status, body) = host.post(&format!("{path}&corrections=true&dry_run=true"), &fixed).await;
        assert_eq!((status, body["corrected"].as_u64()), (201, Some(1)), "{body:#}");
        assert_eq!(host.get(&format!("/api/v1/records/{id}")).await.1["record"]["state"], 1);
        // Two different versions of one record in one upload stay a conflict.
        let (status, _) = host.post(&format!("{path}&corrections=true"), &json!([fixed, cafe_penalty()])).await;
        assert_eq!(status, 409);
        // With the flag: a new state of the same record, the old one kept,
        // beside a new record.
        let mut other = cafe_penalty();
        other["decision_number"] = "测文旅罚字〔2025〕7号".into();
        let (status, body) = host.post(&format!("{path}&corrections=true"), &json!([fixed, other])).await;
        assert_eq!(status, 201, "{body:#}");
        assert_eq!((body["corrected"].as_u64(), body["inserted"].as_u64()), (Some(1), Some(1)), "{body:#}");
        assert_eq!(body["ids"][0], id.as_str());
        let (_, history) = host.get(&format!("/api/v1/records/{id}")).await;
        assert_eq!(history["record"]["body"]["fine_wan_yuan"], 1.2);
        let states = history["states"].as_array().unwrap();
        assert_eq!(states.len(), 2, "{history:#}");
        assert_eq!(states[1]["reason"], "更正（随报送批量更正）");
        assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 2);
    }
}

#[tokio::test]
async fn parallel_uploads_of_several_divisions_never_lock_or_interleave() {
    let host = std::sync::Arc::new(TestHost::start(Db::Sqlite).await);
    let files = [
        ("penalties-cultural-market.csv", "cultural-market"),
        ("penalties-publishing.csv", "publishing"),
        ("penalties-broadcasting.csv", "broadcasting"),
        ("penalties-printing-distribution.csv", "printing-distribution"),
    ];
    for round in 0..10 {
        let mut tasks = Vec::new();
        for (file, sector) in files {
            let host = host.clone();
            tasks.push(tokio::spawn(async move {
                let url = format!("/api/v1/imports?sector={sector}&kind=penalty");
                let (status, _, body) = host.post_csv(&url, sample(file).into_bytes()).await;
                assert_eq!(status, 201, "round {round}, {file}: {body:#}");
                let n = crate::util::sample_rows(file) as u64;
                // The first round stores every row, the others none: the
                // same file again changes nothing.
                let expected = if round == 0 { (n, 0) } else { (0, n) };
                assert_eq!((body["inserted"].as_u64().unwrap(), body["unchanged"].as_u64().unwrap()), expected);
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    }
    let total: usize = files.iter().map(|(f, _)| crate::util::sample_rows(f)).sum();
    assert_eq!(host.state.store.count_records(None, Some("penalty")).await.unwrap() as usize, total);
}

#[tokio::test]
async fn a_correction_onto_another_records_identity_is_a_conflict() {
    let host = TestHost::start(Db::Sqlite).await;
    let path = "/api/v1/records?sector=cultural-market&kind=penalty";
    let mut b = cafe_penalty();
    b["decision_number"] = "测文旅罚字〔2025〕2号".into();
    let (status, body) = host.post(path, &json!([cafe_penalty(), b.clone()])).await;
    assert_eq!(status, 201, "{body:#}");
    let (a_id, b_id) = (body["ids"][0].as_str().unwrap().to_owned(), body["ids"][1].as_str().unwrap().to_owned());
    let (status, body) = host
        .post(&format!("/api/v1/records/{a_id}/corrections"), &json!({"reason": "文号录入错误", "record": b}))
        .await;
    assert_eq!(status, 409, "{body:#}");
    assert_eq!(body["errors"][0]["value"], b_id.as_str());
    assert_eq!(host.get(&format!("/api/v1/records/{a_id}")).await.1["record"]["state"], 1, "nothing changed");
}

#[tokio::test]
async fn a_file_without_its_header_line_is_refused_once_without_echoing_id_numbers() {
    let host = TestHost::start(Db::Sqlite).await;
    let text = sample("penalties-cultural-market.csv");
    let headless: String = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", headless.into_bytes()).await;
    assert_eq!(status, 422, "{body:#}");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1, "{body:#}");
    assert_eq!(body["errors"][0]["code"], "header-missing");
    let first_id = text.lines().nth(1).unwrap().split(',').nth(5).unwrap();
    assert!(!body.to_string().contains(first_id), "an ID number is echoed: {body:#}");
}

#[tokio::test]
async fn a_large_upload_is_checked_in_batches_within_the_plugins_limits() {
    let host = TestHost::start(Db::Sqlite).await;
    let text = sample("penalties-cultural-market.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let number_at = header.iter().position(|h| h == "行政处罚决定书文号").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    let n = 6_000;
    for i in 0..n {
        let mut cells: Vec<String> = rows[i % rows.len()].iter().map(str::to_owned).collect();
        cells[number_at] = format!("批量罚字〔2026〕{i}号");
        w.write_record(&cells).unwrap();
    }
    let (status, _, body) = host
        .post_csv("/api/v1/imports?sector=cultural-market&kind=penalty&dry_run=true", w.into_inner().unwrap())
        .await;
    assert_eq!(status, 201, "{body:#}");
    assert_eq!(body["inserted"].as_u64(), Some(n as u64));
}

#[tokio::test]
async fn a_missing_required_column_is_one_error_about_the_header() {
    let host = TestHost::start(Db::Sqlite).await;
    let text = sample("penalties-cultural-market.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let drop = header.iter().position(|h| h == "处罚决定日期").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, h)| h)).unwrap();
    for r in reader.records() {
        let r = r.unwrap();
        w.write_record(r.iter().enumerate().filter(|(i, _)| *i != drop).map(|(_, c)| c)).unwrap();
    }
    let (status, _, body) =
        host.post_csv("/api/v1/imports?sector=cultural-market&kind=penalty", w.into_inner().unwrap()).await;
    assert_eq!(status, 422, "{body:#}");
    let errors = body["errors"].as_array().unwrap();
    let about_date: Vec<&Value> =
        errors.iter().filter(|e| e["pointer"].as_str().is_some_and(|p| p.ends_with("decision_date"))).collect();
    assert_eq!(about_date.len(), 1, "{about_date:#?}");
    assert_eq!(about_date[0]["code"], "column-missing");
    assert_eq!((about_date[0]["line"].as_u64(), about_date[0]["column"].as_str()), (Some(1), Some("处罚决定日期")));
    let rows = crate::util::sample_rows("penalties-cultural-market.csv");
    assert!(about_date[0]["message"].as_str().unwrap().contains(&format!("{rows}行")), "{:#}", about_date[0]);
}
