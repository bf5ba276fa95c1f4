//! The credit store, the same suite on SQLite and PostgreSQL.

use crate::util::{Db, databases, fresh_database};
use credit_host::domain::severity::Severity;
use credit_host::store::{NewListEntry, NewRecord, NewSubject, Store};
use serde_json::json;

fn org(uscc: &str) -> NewSubject {
    NewSubject {
        key: uscc.into(),
        kind: "organisation".into(),
        name: format!("公司{uscc}"),
        uscc: Some(uscc.into()),
        id_hash_key_id: None,
        id_masked: None,
        id_encrypted: None,
    }
}

fn person(key: &str) -> NewSubject {
    NewSubject {
        key: key.into(),
        kind: "natural-person".into(),
        name: "某人".into(),
        uscc: None,
        id_hash_key_id: Some("k1".into()),
        id_masked: Some("410104********7240".into()),
        id_encrypted: Some("xx".into()),
    }
}

fn record(subject: &str, number: &str, fine: f64, rep: Option<&str>) -> NewRecord {
    NewRecord {
        sector: Some("cultural-market".into()),
        kind: "penalty".into(),
        subject: org(subject),
        legal_representative: rep.map(|k| (person(k), "legal-representative".into())),
        decision_number: number.into(),
        decision_number_norm: number.into(),
        decision_date: Some("2025-05-22".into()),
        authority: "某局".into(),
        legal_basis: "《互联网上网服务营业场所管理条例》第三十一条".into(),
        penalty_types: vec!["罚款".into()],
        content: "罚款".into(),
        certificate: String::new(),
        severity: Severity::General,
        publicity_end: Some("2026-05-22".into()),
        body: json!({"fine_wan_yuan": fine}),
        plugin_version: Some("0.1.0".into()),
        list_entries: Vec::new(),
    }
}

async fn suite(db: Db) {
    let store = Store::connect(&fresh_database(db).await).await.unwrap();
    assert!(store.is_empty().await.unwrap());
    let a = "91410104MA329GYC1F";
    let b = "91410104MAN0NYBQX1";
    let listed = NewListEntry {
        list: "red".into(),
        subject: org(b),
        start: "2026-01-01".into(),
        end: Some("2028-01-01".into()),
        basis: "示范".into(),
        body: None,
    };
    let s = store
        .insert_batch(
            &[record(a, "1号", 1.0, Some("p:1")), record(b, "2号", 1.0, Some("p:1"))],
            std::slice::from_ref(&listed),
            "t",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!((s.inserted, s.unchanged, s.list_entries), (2, 0, 1));

    // A person's file reaches the records of every organisation they represented.
    let (records, _) = store.credit_file(&["p:1".into()]).await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].legal_rep_key.as_deref(), Some("p:1"));
    assert_eq!(records[0].state, 1);
    let (records, entries) = store.credit_file(&[b.into()]).await.unwrap();
    assert_eq!((records.len(), entries.len()), (1, 1));
    assert_eq!(store.links(a).await.unwrap()[0].person_key, "p:1");

    // The same batch again changes nothing; a conflicting one stores nothing at all.
    let s = store.insert_batch(&[record(a, "1号", 1.0, None)], &[listed], "t").await.unwrap().unwrap();
    assert_eq!((s.inserted, s.unchanged, s.list_entries), (0, 1, 0));
    let c = store
        .insert_batch(&[record(a, "3号", 1.0, None), record(a, "1号", 2.0, None)], &[], "t")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].index, 1);
    assert!(c[0].existing_id.is_some());
    // Two rows of one batch with the same identity and different content.
    let c = store
        .insert_batch(&[record(b, "9号", 1.0, None), record(b, "9号", 2.0, None)], &[], "t")
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!((c[0].index, c[0].earlier_index, c[0].existing_id.as_deref()), (1, Some(0), None));
    assert_eq!(store.count_records(None, None).await.unwrap(), 2, "the valid row of a conflicting batch is not stored");
    assert_eq!(store.count_records(Some("cultural-market"), Some("penalty")).await.unwrap(), 2);
    assert_eq!(store.count_records(Some("publishing"), None).await.unwrap(), 0);
}

#[tokio::test]
async fn store_suite_runs_on_every_database() {
    for db in databases() {
        suite(db).await;
    }
}

#[tokio::test]
async fn sqlite_serialises_concurrent_writers() {
    let store = Store::connect(&fresh_database(Db::Sqlite).await).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..10 {
                let rec = record("91410104MA329GYC1F", &format!("{w}-{i}号"), 1.0, None);
                store.insert_batch(&[rec], &[], "t").await.unwrap().unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.count_records(None, None).await.unwrap(), 40);
}
