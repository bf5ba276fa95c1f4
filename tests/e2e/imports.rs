//! Background imports: an upload over the configured size answers `202`
//! with a job, which ends exactly as the same upload would have ended
//! inline — same status, same counts, same errors, same records — in every
//! format, on SQLite and PostgreSQL; a job interrupted mid-way resumes where
//! it stopped on another host; an upload over the body limit keeps nothing.

use crate::util::{Db, TestHost, databases, plugins, root};
use serde_json::Value;
use std::time::Duration;

const PENALTIES: &str = "sector=cultural-market&kind=penalty";

fn sample() -> String {
    std::fs::read_to_string(root().join("data/sample/penalties-cultural-market.csv")).unwrap()
}

/// The sample penalties repeated to `n` rows, each with its own decision
/// number; `edit(i, cells, sample rows)` may change row `i`.
fn penalties(n: usize, edit: impl Fn(usize, &mut Vec<String>, &[csv::StringRecord])) -> Vec<u8> {
    let text = sample();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let number_at = header.iter().position(|h| h == "行政处罚决定书文号").unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    for i in 0..n {
        let mut cells: Vec<String> = rows[i % rows.len()].iter().map(str::to_owned).collect();
        cells[number_at] = format!("后台罚字〔2026〕{i}号");
        edit(i, &mut cells, &rows);
        w.write_record(&cells).unwrap();
    }
    w.into_inner().unwrap()
}

/// A host that imports every upload in the background (threshold 0), with
/// its runner.
async fn background_host(db: Db) -> TestHost {
    let host = TestHost::start_configured(db, plugins(), |s| s.import_background_bytes = 0).await;
    credit_host::api::spawn_import_runner(host.state.clone());
    host
}

async fn upload(host: &TestHost, query: &str, content_type: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = host
        .client
        .post(format!("{}/api/v1/imports?{query}", host.base))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Follow job `id` until it ends; its final state.
async fn follow(host: &TestHost, id: &str) -> Value {
    for _ in 0..600 {
        let (status, job) = host.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(status, 200, "{job:#}");
        if job["status"] == "done" || job["status"] == "failed" {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("import {id} did not end within a minute");
}

/// What a report or problem says, without the record ids (which differ
/// between two hosts).
fn outcome(status: u16, body: &Value) -> Value {
    let errors = |v: &Value| -> Vec<Value> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        let mut e = e.clone();
                        if e["code"] == "conflict" {
                            e.as_object_mut().unwrap().remove("value");
                            e.as_object_mut().unwrap().remove("message");
                            e.as_object_mut().unwrap().remove("message_en");
                        }
                        e
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    serde_json::json!({
        "status": status,
        "inserted": body["inserted"], "unchanged": body["unchanged"], "corrected": body["corrected"],
        "list_entries": body["list_entries"], "rejected_rows": body["rejected_rows"], "dry_run": body["dry_run"],
        "ids": body["ids"].as_array().map(Vec::len),
        "warnings": errors(&body["warnings"]), "rejected": errors(&body["rejected"]),
        "errors": errors(&body["errors"]), "type": body["type"],
    })
}

/// Every stored record's identity, body and state, sorted.
async fn stored(host: &TestHost) -> Vec<String> {
    use sqlx::Row as _;
    let rows = sqlx::query(
        "SELECT subject_key, decision_number, decision_date, body, review_status, plugin_version FROM credit_records",
    )
    .fetch_all(host.state.store.pool())
    .await
    .unwrap();
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{:?}|{}|{}|{:?}",
                r.get::<String, _>(0),
                r.get::<String, _>(1),
                r.get::<Option<String>, _>(2),
                r.get::<String, _>(3),
                r.get::<String, _>(4),
                r.get::<Option<String>, _>(5)
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_background_import_ends_as_the_same_upload_inline() {
    let gbk = std::fs::read(root().join("data/sample/penalties-cultural-market.gbk.csv")).unwrap();
    let text = sample();
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&text);
    let real = std::fs::read(root().join("data/real/penalties.csv")).unwrap();
    let real_licences = std::fs::read(root().join("data/real/licences.csv")).unwrap();
    let json_lines: String = {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let headers: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let columns = credit_host::domain::columns::Columns::new("penalty", None);
        r.records()
            .map(|row| {
                let mut body = serde_json::Map::new();
                for (h, cell) in headers.iter().zip(row.unwrap().iter()) {
                    let field = columns.field(h).unwrap();
                    if !cell.is_empty() {
                        let v = if columns.is_number(field) {
                            serde_json::from_str(cell).unwrap()
                        } else {
                            Value::String(cell.into())
                        };
                        body.insert(field.to_owned(), v);
                    }
                }
                Value::Object(body).to_string() + "\n"
            })
            .collect()
    };
    let bad = penalties(2_500, |i, c, _| {
        if i == 7 {
            c[2] = "91410108MA1JTPRN2E".into(); // a wrong check character
        }
        if i == 1_800 {
            c[14] = "一万".into(); // a fine that is not a number
        }
    });
    let conflicting = penalties(2_100, |i, c, rows| {
        if i == 2_050 {
            // Row 3 (line 5) again, in another chunk, with other facts.
            *c = rows[3 % rows.len()].iter().map(str::to_owned).collect();
            c[8] = "后台罚字〔2026〕3号".into();
            c[10].push_str("（补充）");
        }
    });
    let header_only = text.lines().next().unwrap().as_bytes().to_vec();
    let invalid_bytes = [text.as_bytes(), b"\xFF\xFE\xFF"].concat();
    let unknown_column = text.replacen("处罚机关", "处罚单位名称", 1).into_bytes();
    // CRLF line ends, a cell with a line break, a row with a cell too many.
    let crlf = |malformed: bool| -> Vec<u8> {
        text.lines()
            .enumerate()
            .map(|(i, l)| match i {
                2 => {
                    let (name, rest) = l.split_once(',').unwrap();
                    format!("\"{name}\r\n第二行\",{rest}")
                }
                4 if malformed => format!("{l},多余"),
                5 => l.replace("91", "9X"),
                _ => l.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\r\n")
            .into_bytes()
    };

    let cases: Vec<(&str, String, &str, Vec<u8>)> = vec![
        ("UTF-8", PENALTIES.into(), "text/csv", text.clone().into_bytes()),
        ("UTF-8 with BOM", PENALTIES.into(), "text/csv", [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()),
        ("GBK, detected", PENALTIES.into(), "text/csv", gbk),
        ("GB18030, declared", PENALTIES.into(), "text/csv; charset=GB18030", gb18030.into_owned()),
        ("JSON Lines", PENALTIES.into(), "application/x-ndjson", json_lines.into_bytes()),
        ("real penalties, partial", format!("{PENALTIES}&partial=true"), "text/csv", real),
        (
            "real licences, partial",
            "sector=cultural-market&kind=licence&partial=true".into(),
            "text/csv",
            real_licences,
        ),
        ("2,500 rows, two bad", PENALTIES.into(), "text/csv", bad.clone()),
        ("2,500 rows, two bad, partial", format!("{PENALTIES}&partial=true"), "text/csv", bad),
        ("a conflict across chunks", PENALTIES.into(), "text/csv", conflicting),
        ("a dry run", format!("{PENALTIES}&dry_run=true"), "text/csv", penalties(1_200, |_, _, _| {})),
        ("no rows", PENALTIES.into(), "text/csv", header_only),
        ("invalid bytes", PENALTIES.into(), "text/csv", invalid_bytes),
        ("an unknown column", PENALTIES.into(), "text/csv", unknown_column),
        ("CRLF, a quoted line break, a malformed row", PENALTIES.into(), "text/csv", crlf(true)),
        ("CRLF, a quoted line break, bad cells", PENALTIES.into(), "text/csv", crlf(false)),
    ];

    for db in databases() {
        let inline = TestHost::start(Db::Sqlite).await;
        let background = background_host(db).await;
        for (what, query, content_type, bytes) in &cases {
            let (status, body) = upload(&inline, query, content_type, bytes.clone()).await;
            let expected = outcome(status, &body);

            let (status, job) = upload(&background, query, content_type, bytes.clone()).await;
            assert_eq!(status, 202, "{what}: {job:#}");
            let id = job["id"].as_str().unwrap();
            let location = format!("/api/v1/imports/{id}");
            assert_eq!(job["bytes"].as_u64(), Some(bytes.len() as u64), "{what}");
            let job = follow(&background, id).await;
            let got = outcome(job["http_status"].as_u64().unwrap() as u16, &job["result"]);
            assert_eq!(got, expected, "{what} on {db:?}: job {job:#} at {location}");
            if job["status"] == "done" && query.contains("dry_run") {
                assert_eq!(job["result"]["dry_run"], true);
            }
            if job["status"] == "done"
                && let Some(total) = job["rows_total"].as_u64()
            {
                assert_eq!(job["rows_done"].as_u64(), Some(total), "{what}: every row checked");
            }
        }
        assert_eq!(stored(&background).await, stored(&inline).await, "the same records on {db:?}");
        // Nothing of the uploads is left behind.
        let (parts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM import_job_parts")
            .fetch_one(background.state.store.pool())
            .await
            .unwrap();
        assert_eq!(parts, 0);
    }
}

#[tokio::test]
async fn an_interrupted_import_resumes_on_another_host_and_is_never_repeated() {
    for db in databases() {
        let url = crate::util::fresh_database(db).await;
        // The first host keeps uploads as jobs but runs none by itself.
        let first = TestHost::start_on(&url, plugins(), |s| {
            s.import_background_bytes = 0;
            s.replica = "first".into();
        })
        .await;
        let rows = 3_500;
        let (status, job) = upload(&first, PENALTIES, "text/csv", penalties(rows, |_, _, _| {})).await;
        assert_eq!((status, job["status"].as_str()), (202, Some("queued")), "{job:#}");
        let id = job["id"].as_str().unwrap().to_owned();

        // It starts the job and stops dead after the first chunk is checked
        // and written (in its transaction, which other connections do not
        // see: the host shows the counters it keeps).
        let now = chrono::Utc::now().to_rfc3339();
        assert!(first.state.store.claim_import_job(&id, "first", &now).await.unwrap());
        let state = first.state.clone();
        let job_id = id.clone();
        let running = tokio::spawn(async move { credit_host::api::run_import_job(&state, &job_id).await });
        let staged = loop {
            let job = credit_host::api::import_status(&first.state, &id).await.unwrap().unwrap();
            assert!(matches!(job.status.as_str(), "queued" | "checking"), "{job:?}");
            if job.rows_done >= 1_000 {
                break job;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        };
        running.abort();
        let _ = running.await;
        assert_eq!(staged.status, "checking");
        assert_eq!(staged.rows_total, Some(rows as i64));
        assert_eq!(first.state.store.count_records(None, None).await.unwrap(), 0, "nothing stored half-way");
        assert!(!first.state.imports_live.lock().unwrap().contains_key(&id), "the stopped run's counters are gone");

        // While the first host's claim is fresh, no other host takes it.
        let second = TestHost::start_on(&url, plugins(), |s| s.replica = "second".into()).await;
        let fresh = (chrono::Utc::now() - chrono::Duration::seconds(credit_host::api::IMPORT_LEASE_SECS)).to_rfc3339();
        assert_eq!(credit_host::api::run_claimable_imports(&second.state, &fresh).await.unwrap(), 0);
        // Once it is stale, the second host resumes it.
        let later = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
        assert_eq!(credit_host::api::run_claimable_imports(&second.state, &later).await.unwrap(), 1);
        let (status, job) = second.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(job["status"], "done", "{job:#}");
        assert_eq!(job["result"]["inserted"].as_u64(), Some(rows as u64));
        assert_eq!(second.state.store.count_records(None, None).await.unwrap(), rows as i64);
        // Done is done: no host runs it again.
        assert_eq!(credit_host::api::run_claimable_imports(&second.state, &later).await.unwrap(), 0);
        assert_eq!(second.state.store.count_records(None, None).await.unwrap(), rows as i64);
    }
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_and_nothing_is_kept() {
    let host = TestHost::start_configured(Db::Sqlite, plugins(), |s| {
        s.import_background_bytes = 64 << 10;
        s.max_body_bytes = 1 << 20;
    })
    .await;
    let big = penalties(6_000, |_, _, _| {});
    assert!(big.len() > 1 << 20);
    let (status, body) = upload(&host, PENALTIES, "text/csv", big).await;
    assert_eq!(status, 413, "{body:#}");
    assert!(body["type"].as_str().is_some_and(|t| t.ends_with("/too-large")), "{body:#}");
    for table in ["import_jobs", "import_job_parts", "credit_records"] {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(host.state.store.pool())
            .await
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    // Under the threshold it is answered inline; over it, in the background.
    let (status, _) = upload(&host, PENALTIES, "text/csv", penalties(10, |_, _, _| {})).await;
    assert_eq!(status, 201);
    let (status, job) = upload(&host, PENALTIES, "text/csv", penalties(1_000, |_, _, _| {})).await;
    assert_eq!(status, 202, "{job:#}");

    // A job is seen by its unit and the credit office, by no one else.
    let other = host.account("other-reporter", "publishing", &[credit_host::access::Role::Reporter]).await;
    let r = crate::util::client_with(Some(&other))
        .get(format!("{}/api/v1/imports/{}", host.base, job["id"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

/// What a penalty upload stored, without ids and times: records, their
/// first review step and state, subjects and links.
async fn stored_rows(host: &TestHost) -> Vec<String> {
    use sqlx::Row as _;
    let pool = host.state.store.pool();
    let mut out = stored(host).await;
    let queries = [
        "SELECT r.decision_number || '|' || v.seq || '|' || v.status || '|' || COALESCE(v.reason, '') || '|' || v.actor
            || '|' || COALESCE(v.unit, '') || '|' || COALESCE(v.due, '')
           FROM record_reviews v JOIN credit_records r ON r.id = v.record_id",
        "SELECT r.decision_number || '|' || s.state || '|' || COALESCE(s.body, '(the record body)') || '|' || s.reason || '|' || s.actor
           FROM record_states s JOIN credit_records r ON r.id = s.record_id",
        "SELECT key || '|' || kind || '|' || name || '|' || COALESCE(uscc, '') || '|' || COALESCE(id_masked, '') FROM subjects",
        "SELECT l.org_key || '|' || l.person_key || '|' || l.role || '|' || l.person_name || '|' || COALESCE(l.since, '')
            || '|' || r.decision_number
           FROM subject_links l JOIN credit_records r ON r.id = l.source_record_id",
        "SELECT list || '|' || subject_key || '|' || start_date || '|' || COALESCE(end_date, '') || '|' || basis
           FROM list_entries WHERE list <> 'red'",
    ];
    for sql in queries {
        for row in sqlx::query(sql).fetch_all(pool).await.unwrap() {
            out.push(row.get::<String, _>(0));
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn records_written_in_bulk_are_those_written_row_by_row() {
    for db in databases() {
        // One host writes the sample's penalties in bulk; on the other a
        // red-list entry of the first penalised company is in reach, so
        // they are written row by row and that entry is suspended.
        let bulk = TestHost::start(db).await;
        let row_by_row = TestHost::start(db).await;
        let penalties = sample();
        let first: Vec<String> = csv::Reader::from_reader(penalties.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let red = std::fs::read_to_string(root().join("data/sample/red-list.csv")).unwrap();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut reader = csv::Reader::from_reader(red.as_bytes());
        w.write_record(reader.headers().unwrap()).unwrap();
        let mut entry: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(str::to_owned).collect();
        entry[0].clone_from(&first[0]);
        entry[1].clone_from(&first[1]);
        entry[2].clone_from(&first[2]);
        entry[3].clone_from(&first[3]);
        entry[9] = "2018-01-01".into();
        entry[10] = "2030-12-31".into();
        w.write_record(&entry).unwrap();
        let (status, body) = upload(&row_by_row, "kind=red-list", "text/csv", w.into_inner().unwrap()).await;
        assert_eq!(status, 201, "{body:#}");

        let (status, a) = upload(&bulk, PENALTIES, "text/csv", penalties.clone().into_bytes()).await;
        assert_eq!((status, &a["red_suspended"]), (201, &Value::from(0)), "{a:#}");
        let (status, b) = upload(&row_by_row, PENALTIES, "text/csv", penalties.into_bytes()).await;
        assert_eq!((status, &b["red_suspended"]), (201, &Value::from(1)), "{b:#}");
        assert_eq!(outcome(201, &a), outcome(201, &b));
        let (a, b) = (stored_rows(&bulk).await, stored_rows(&row_by_row).await);
        assert!(a.len() > 3 * crate::util::sample_rows("penalties-cultural-market.csv"), "{}", a.len());
        assert_eq!(a, b, "on {db:?}");
    }
}

#[tokio::test]
async fn a_job_that_stopped_its_host_three_times_is_given_up_and_a_cut_off_upload_is_dropped() {
    for db in databases() {
        let host = TestHost::start_configured(db, plugins(), |s| s.import_background_bytes = 0).await;
        let (status, job) = upload(&host, PENALTIES, "text/csv", penalties(50, |_, _, _| {})).await;
        assert_eq!(status, 202, "{job:#}");
        let id = job["id"].as_str().unwrap();
        // Three hosts took it and stopped (their claims went stale).
        let later = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
        for host_name in ["one", "two", "three"] {
            assert!(host.state.store.claim_import_job(id, host_name, &later).await.unwrap());
        }
        // An upload whose host stopped while it arrived, long ago.
        let ghost = uuid::Uuid::new_v4().to_string();
        let new = credit_host::store::NewImportJob {
            id: &ghost,
            sector: Some("cultural-market"),
            kind: "penalty",
            options: serde_json::json!({}),
            content_type: None,
            plugin_version: None,
            actor: "clerk",
            unit: crate::util::CLERK_UNIT,
        };
        host.state.store.create_import_job(&new).await.unwrap();
        host.state.store.add_import_part(&ghost, 0, b"half an upload").await.unwrap();
        sqlx::query("UPDATE import_jobs SET created_at = '2026-01-01T00:00:00.000Z' WHERE id = $1")
            .bind(&ghost)
            .execute(host.state.store.pool())
            .await
            .unwrap();

        let later = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
        assert_eq!(credit_host::api::run_claimable_imports(&host.state, &later).await.unwrap(), 1);
        let (_, job) = host.get(&format!("/api/v1/imports/{id}")).await;
        assert_eq!((job["status"].as_str(), job["http_status"].as_u64()), (Some("failed"), Some(503)), "{job:#}");
        assert!(job["result"]["detail"].as_str().unwrap().contains("given up"), "{job:#}");
        assert_eq!(host.state.store.count_records(None, None).await.unwrap(), 0);
        assert!(host.state.store.import_job(&ghost).await.unwrap().is_none(), "the cut-off upload is dropped");
        let (parts,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM import_job_parts").fetch_one(host.state.store.pool()).await.unwrap();
        assert_eq!(parts, 0);
        // Its end is in the audit trail, under its uploader.
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'record.import.failed' AND actor = 'clerk' AND path LIKE $1",
        )
        .bind(format!("%{id}"))
        .fetch_one(host.state.store.pool())
        .await
        .unwrap();
        assert_eq!(n, 1);
    }
}
