//! The cost of one plugin call: a fresh store, instantiation and the call,
//! for `inspect` over a credit file of 10 records and `check-records` over
//! a batch of 100 penalty bodies. Needs the built plugins
//! (`cargo xtask plugins`); run with `cargo bench -p credit-host`.

use credit_host::runtime::{LoadedPlugin, RuntimeConfig, wit};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;

fn plugin() -> LoadedPlugin {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/plugins/cultural-market.wasm");
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}; run `cargo xtask plugins` first", path.display()));
    let config = RuntimeConfig::default();
    LoadedPlugin::load(&config.engine().expect("engine"), &config, "cultural-market", &bytes).expect("plugin loads")
}

fn record(i: usize) -> wit::CreditRecord {
    wit::CreditRecord {
        id: format!("rec-{i}"),
        sector: "cultural-market".into(),
        kind: "penalty".into(),
        subject_key: "91410104MA329GYC1F".into(),
        subject_name: "郑州市管城回族区极速网络会所".into(),
        legal_representative_key: Some("p:0123456789abcdef0123456789abcdef".into()),
        decision_number: format!("管文旅罚字〔2025〕{i}号"),
        decision_date: Some("2025-05-22".into()),
        legal_basis: "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项".into(),
        penalty_types: vec!["警告".into(), "罚款".into(), "吊销许可证件".into()],
        content: "给予警告；罚款人民币15000元；吊销网络文化经营许可证".into(),
        certificate: "网络文化经营许可证（文网文4101049391）".into(),
        severity: wit::Severity::Serious,
        publicized: true,
        body: r#"{"fine_wan_yuan":1.5,"decision_date":"2025-05-22"}"#.into(),
    }
}

fn bench(c: &mut Criterion) {
    let p = plugin();
    let request = wit::InspectRequest {
        subject: wit::Subject {
            key: "91410104MAN0NYBQX1".into(),
            kind: wit::SubjectKind::Organisation,
            name: "郑州市管城回族区火线网络会所".into(),
        },
        persons: vec![wit::Person {
            key: "p:0123456789abcdef0123456789abcdef".into(),
            name: "尹然梅".into(),
            role: wit::Role::LegalRepresentative,
        }],
        purpose: wit::Purpose::Licensing,
        licence_type: Some("internet-cafe".into()),
        as_of: "2026-11-30".into(),
        records: (0..10).map(record).collect(),
        list_entries: Vec::new(),
    };
    assert_eq!(p.inspect(&request).expect("inspect").len(), 10);
    let empty = wit::InspectRequest { records: Vec::new(), ..request.clone() };
    c.bench_function("inspect_empty_file", |b| b.iter(|| p.inspect(&empty).expect("inspect")));
    c.bench_function("inspect_10_records", |b| b.iter(|| p.inspect(&request).expect("inspect")));
    let body = serde_json::json!({
        "subject_name": "某网吧", "subject_category": "法人及非法人组织", "uscc": "91410104MA329GYC1F",
        "decision_number": "管文旅罚字〔2025〕18号",
        "legal_basis": "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
        "penalty_types": "警告；罚款", "penalty_content": "给予警告；罚款人民币8000元", "fine_wan_yuan": 0.8,
        "decision_date": "2025-03-18", "authority": "登封市文化广电和旅游局"
    })
    .to_string();
    let bodies = vec![body; 100];
    c.bench_function("check_records_100_penalties", |b| b.iter(|| p.check_records("penalty", &bodies).expect("check")));
}

criterion_group!(benches, bench);
criterion_main!(benches);
