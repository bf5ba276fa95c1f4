//! Starting a host on a fresh database, and talking to it.

use credit_host::access::Role;
use credit_host::api::{NewAccount, create_account};
use credit_host::divisions::{Division, UnitKind};
use credit_host::privacy::PersonalDataKeys;
use credit_host::runtime::{Plugins, RuntimeConfig};
use credit_host::store::Store;
use credit_host::{AppState, app};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// Where `cargo xtask test` put the plugins.
pub fn plugin_dir(var: &str, default: &str) -> PathBuf {
    let dir = std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| root().join(default));
    assert!(
        dir.is_dir(),
        "{} does not exist: run the tests with `cargo xtask test`, which builds the plugins first",
        dir.display()
    );
    dir
}

/// The bundled plugins, compiled once for the whole test binary.
pub fn plugins() -> Arc<Plugins> {
    static PLUGINS: OnceLock<Arc<Plugins>> = OnceLock::new();
    PLUGINS
        .get_or_init(|| {
            std::thread::spawn(|| {
                let rt = tokio::runtime::Runtime::new().unwrap();
                rt.block_on(async {
                    // Plus `film`, a configured sector without a plugin (it answers 503).
                    let sectors = credit_host::config::DEFAULT_SECTORS
                        .split(',')
                        .chain([SECTOR_WITHOUT_PLUGIN])
                        .map(str::to_owned)
                        .collect();
                    let plugins = Plugins::new(RuntimeConfig::default(), sectors).unwrap();
                    for (name, result) in
                        plugins.load_dir(&plugin_dir("CREDIT_PLUGIN_DIR", "target/plugins"), &[]).await.unwrap()
                    {
                        result.unwrap_or_else(|e| panic!("bundled plugin {name} does not load: {e}"));
                    }
                    Arc::new(plugins)
                })
            })
            .join()
            .unwrap()
        })
        .clone()
}

/// The sectors whose plugins this build bundles.
/// A configured sector whose plugin is not bundled.
pub const SECTOR_WITHOUT_PLUGIN: &str = "film";

/// The sectors whose plugins are bundled.
pub const SECTORS_WITH_PLUGINS: [&str; 5] =
    ["cultural-market", "publishing", "printing-distribution", "broadcasting", "arts-heritage"];

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database on `CREDIT_TEST_POSTGRES_URL`.
    Postgres,
}

/// The databases to run on: SQLite, and PostgreSQL when configured.
pub fn databases() -> Vec<Db> {
    let mut v = vec![Db::Sqlite];
    if std::env::var("CREDIT_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Db::Postgres);
    } else {
        eprintln!("CREDIT_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped");
    }
    v
}

/// A fresh database URL for `db`.
pub async fn fresh_database(db: Db) -> String {
    let name = format!("credit_test_{}", uuid::Uuid::new_v4().simple());
    match db {
        Db::Sqlite => {
            let dir = std::env::temp_dir().join("credit-e2e");
            std::fs::create_dir_all(&dir).unwrap();
            format!("sqlite:{}", dir.join(format!("{name}.db")).display())
        }
        Db::Postgres => {
            use sqlx::Connection as _;
            let admin = std::env::var("CREDIT_TEST_POSTGRES_URL").unwrap();
            let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL is reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.unwrap();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    }
}

/// A running host.
pub struct TestHost {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// The state the server runs on.
    pub state: AppState,
    /// The HTTP client, signed in as `clerk` (reporter, reviewer and
    /// inspector in unit `e2e-clerks`, a credit-office unit that may report
    /// every kind of every sector).
    pub client: reqwest::Client,
}

/// The unit of the test accounts that report anything.
pub const CLERK_UNIT: &str = "e2e-clerks";

/// A client that sends `token` with every request (`None`: the public).
pub fn client_with(token: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(t) = token {
        headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {t}").parse().unwrap());
    }
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

impl TestHost {
    /// Start a host on a fresh `db` with the bundled plugins.
    pub async fn start(db: Db) -> Self {
        Self::start_with(db, plugins()).await
    }

    /// Start a host on a fresh `db` with `plugins`.
    pub async fn start_with(db: Db, plugins: Arc<Plugins>) -> Self {
        Self::start_configured(db, plugins, |_| {}).await
    }

    /// Start a host on a fresh `db` with `plugins` and the state `configure`
    /// changes (limits, origins…).
    pub async fn start_configured(db: Db, plugins: Arc<Plugins>, configure: impl FnOnce(&mut AppState)) -> Self {
        Self::start_on(&fresh_database(db).await, plugins, configure).await
    }

    /// Start a host on database `url` (which another host may share: then
    /// the clerk account exists already and gets a new token).
    pub async fn start_on(url: &str, plugins: Arc<Plugins>, configure: impl FnOnce(&mut AppState)) -> Self {
        let store = Store::connect(url).await.unwrap();
        let mut state = AppState::new(store, plugins, PersonalDataKeys::new("test-hash", "test-enc"));
        configure(&mut state);
        let mut divisions = (*state.divisions).clone();
        divisions.divisions.push(Division {
            id: CLERK_UNIT.into(),
            name: "端到端测试".into(),
            kind: UnitKind::CreditOffice,
            sectors: Vec::new(),
            reports: Some(vec!["*:*".into()]),
        });
        state.divisions = Arc::new(divisions);
        let roles = [Role::Reporter, Role::Reviewer, Role::Inspector].iter().map(|r| r.as_str().to_owned()).collect();
        let clerk = NewAccount { id: "clerk".into(), name: "测试员".into(), unit: CLERK_UNIT.into(), roles };
        let token = match create_account(&state, &clerk, "test").await {
            Ok(issued) => issued.token,
            Err(_) => state.store.issue_token("clerk", "second host", "test").await.unwrap().token,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = app(state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { base, state, client: client_with(Some(&token)) }
    }

    /// Create account `id` in `unit` with `roles`; returns its token.
    pub async fn account(&self, id: &str, unit: &str, roles: &[Role]) -> String {
        let new = NewAccount {
            id: id.into(),
            name: id.into(),
            unit: unit.into(),
            roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
        };
        create_account(&self.state, &new, "test").await.unwrap().token
    }

    /// POST JSON, return status and body.
    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.client.post(format!("{}{path}", self.base)).json(body).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// POST a CSV file, return status, content type and body.
    pub async fn post_csv(&self, path: &str, csv: Vec<u8>) -> (u16, String, Value) {
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let ct = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        (status, ct, r.json().await.unwrap_or(Value::Null))
    }

    /// GET, return status and body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Import the sample data over HTTP: every `<kind>-<sector>.csv` of a
    /// sector in [`SECTORS_WITH_PLUGINS`] (licences first; `penalties` and
    /// `licences` name the standard kinds, other prefixes a plugin's own
    /// kind), and the red list. Returns the number stored per file.
    pub async fn import_sample(&self) -> Vec<(String, u64)> {
        let mut names: Vec<String> = std::fs::read_dir(root().join("data/sample"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".csv") && !n.ends_with(".gbk.csv"))
            .collect();
        names.sort();
        names.sort_by_key(|n| !n.starts_with("licences-"));
        let mut files = Vec::new();
        for name in names {
            let stem = name.trim_end_matches(".csv");
            let Some((kind, sector)) =
                SECTORS_WITH_PLUGINS.iter().find_map(|s| Some((stem.strip_suffix(s)?.strip_suffix('-')?, *s)))
            else {
                continue;
            };
            let kind = match kind {
                "penalties" => "penalty",
                "licences" => "licence",
                other => other,
            };
            files.push((name.clone(), format!("sector={sector}&kind={kind}")));
        }
        files.push(("red-list.csv".to_owned(), "kind=red-list".to_owned()));
        let mut out = Vec::new();
        for (file, query) in files {
            let bytes = std::fs::read(root().join("data/sample").join(&file)).unwrap();
            let (status, _, body) = self.post_csv(&format!("/api/v1/imports?{query}"), bytes).await;
            assert_eq!(status, 201, "{file}: {body:#}");
            let n = body["inserted"].as_u64().unwrap() + body["list_entries"].as_u64().unwrap();
            out.push((file, n));
        }
        out
    }
}

/// Data rows of a CSV file of `data/sample/` (lines minus the header).
pub fn sample_rows(file: &str) -> usize {
    std::fs::read_to_string(root().join("data/sample").join(file))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
        - 1
}

/// Send `body` (JSON; a `Value::String` is sent as the raw JSON text) with
/// `method` to `url`; the status and the body read as JSON (`Null` when it
/// is not).
pub async fn send(client: &reqwest::Client, method: &str, url: String, body: Option<Value>) -> (u16, Value) {
    let req = match method {
        "GET" => client.get(url),
        "PUT" => client.put(url),
        "DELETE" => client.delete(url),
        _ => client.post(url),
    };
    let req = match body {
        Some(Value::String(s)) => req.header("content-type", "application/json").body(s),
        Some(b) => req.json(&b),
        None => req,
    };
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}
