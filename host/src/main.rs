//! `credit-host`: the credit-information service and its command line.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use credit_host::privacy::PersonalDataKeys;
use credit_host::runtime::Plugins;
use credit_host::store::Store;
use credit_host::{AppState, Config, app};
use std::sync::Arc;

/// The credit-information system of the Bureau of Culture, Radio, Television,
/// Press and Publication.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve(Config),
    /// Import one file in the 双公示 layout into the database, with a
    /// progress bar (Ctrl-C cancels: nothing is stored).
    Import {
        /// The file: CSV (UTF-8 with or without BOM, GBK or GB18030), XLSX,
        /// or JSON Lines (named `.jsonl` or `.ndjson`).
        file: std::path::PathBuf,
        /// Sector (omit for `--kind red-list`).
        #[arg(long)]
        sector: Option<String>,
        /// Record kind: penalty, licence, a sector's own kind, or red-list.
        #[arg(long)]
        kind: String,
        /// Store as published, without the credit office's review (records
        /// the office has already reviewed elsewhere).
        #[arg(long)]
        published: bool,
        #[command(flatten)]
        config: Config,
    },
    /// Work with plugin components.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Accounts and their API tokens (for the first administrator, and when
    /// one has lost their token; everything else goes through the API).
    #[command(subcommand)]
    Account(AccountCommand),
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Create an administrator account and print its token: the first
    /// account of a fresh database.
    CreateAdmin {
        /// The login.
        #[arg(long, default_value = "admin")]
        id: String,
        /// Display name.
        #[arg(long, default_value = "系统管理员")]
        name: String,
        /// Unit (an id of the division table).
        #[arg(long, default_value = "administration")]
        unit: String,
        #[command(flatten)]
        config: Config,
    },
    /// Issue a new token for an existing, enabled account and print it.
    Token {
        /// The account id.
        id: String,
        #[command(flatten)]
        config: Config,
    },
}

/// Where the running host is, and who calls it.
#[derive(Debug, Clone, clap::Args)]
struct ServerArgs {
    /// The host's base URL.
    #[arg(long, env = "CREDIT_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// An administrator's API token.
    #[arg(long, env = "CREDIT_TOKEN", hide_env_values = true)]
    token: String,
}

#[derive(Debug, Subcommand)]
enum PluginCommand {
    /// Create a division's ed25519 signing key and write it to a key file
    /// (JSON, readable by you only); prints the public key to register.
    Keygen {
        /// Key id: 1–64 of a-z 0-9 - _ . (e.g. cultural-market-2026).
        #[arg(long)]
        id: String,
        /// The division it signs for (an id of the division table).
        #[arg(long)]
        unit: String,
        /// Where to write the key file (default `<id>.key.json`).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Print the `X-Plugin-Signature` of a component, signed with a key file.
    Sign {
        /// The component.
        wasm: std::path::PathBuf,
        /// The key file `keygen` wrote.
        #[arg(long)]
        key: std::path::PathBuf,
        #[command(flatten)]
        runtime: credit_host::runtime::RuntimeConfig,
    },
    /// Register a key file's public key with the host (administrator).
    RegisterKey {
        /// The key file `keygen` wrote.
        #[arg(long)]
        key: std::path::PathBuf,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Sign (with `--key`) and upload a component as a new staged version
    /// of its sector; `--activate` also activates it.
    Upload {
        /// The component.
        wasm: std::path::PathBuf,
        /// The key file to sign with (omit only on a development host).
        #[arg(long)]
        key: Option<std::path::PathBuf>,
        /// Activate it at once.
        #[arg(long)]
        activate: bool,
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        runtime: credit_host::runtime::RuntimeConfig,
    },
    /// List the kept versions of every sector, or of one.
    List {
        /// A sector (default: every sector).
        sector: Option<String>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Make a kept version of a sector the active one.
    Activate {
        /// The sector.
        sector: String,
        /// The version.
        version: String,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Measure what one call costs: compiling the component, then each
    /// fixture's `inspect` (warm-up, then `--calls` calls, each in a fresh
    /// instance as the host runs them); prints median, p90 and max.
    Bench {
        /// The component.
        wasm: std::path::PathBuf,
        /// A fixture directory (default: the fixtures the component carries).
        fixtures: Option<std::path::PathBuf>,
        /// Calls per fixture.
        #[arg(long, default_value_t = 200)]
        calls: usize,
        #[command(flatten)]
        runtime: credit_host::runtime::RuntimeConfig,
    },
    /// Preview what activating a kept version would change: replay the
    /// sector's latest stored checks on the active and on this version, and
    /// list the stored records it would reject. Waits for the result and
    /// prints it (`--json` for the whole answer).
    Preview {
        /// The sector.
        sector: String,
        /// The version to preview.
        version: String,
        /// How many of the latest checks to replay (at most 1000).
        #[arg(long, default_value_t = 100)]
        last: u32,
        /// Only checks stored on or after this day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Only checks stored on or before this day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Print the whole result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Return a sector to the version active before the current one.
    Rollback {
        /// The sector.
        sector: String,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Run a plugin's fixtures (`*.json`, see credit_sdk::fixture) against
    /// its compiled component; prints a diff for each failing one and exits
    /// with status 1 if any fails.
    Test {
        /// The component (`target/plugins/<sector>.wasm`).
        wasm: std::path::PathBuf,
        /// The fixture directory (`plugins/<sector>/fixtures`); default: the
        /// fixtures the component carries (what the host runs on upload).
        fixtures: Option<std::path::PathBuf>,
        #[command(flatten)]
        runtime: credit_host::runtime::RuntimeConfig,
    },
}

/// Which plugins a command loads.
#[derive(Debug, Clone, Copy)]
enum Load<'a> {
    /// Every plugin of the plugin directory.
    All,
    /// Just this sector's (an import needs one, and compiling a component
    /// costs about half a second).
    One(&'a str),
    /// None (account commands).
    Nothing,
}

/// The state `config` describes, with the plugins `load` says.
async fn state(config: &Config, load: Load<'_>) -> anyhow::Result<AppState> {
    let store = Store::connect(&config.database_url).await?;
    let plugins = Arc::new(Plugins::new(config.runtime.clone(), config.sectors.clone())?);
    let decided = match load {
        Load::Nothing => Vec::new(),
        Load::One(sector) => credit_host::api::load_active_plugins(&store, &plugins, Some(sector)).await?,
        Load::All => credit_host::api::load_active_plugins(&store, &plugins, None).await?,
    };
    match load {
        Load::Nothing => {}
        Load::One(sector) if decided.iter().any(|s| s == sector) => {}
        Load::One(sector) => {
            let file = config.plugin_dir.join(format!("{sector}.wasm"));
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read the plugin {}", file.display()))?;
            plugins.load(sector, bytes).await?;
        }
        Load::All if config.plugin_dir.is_dir() => {
            // Bundled plugins serve the sectors the database has no active version for.
            for (name, result) in plugins.load_dir(&config.plugin_dir, &decided).await? {
                match result {
                    Ok(version) => tracing::info!(plugin = name, version, "loaded from the plugin directory"),
                    Err(reason) => tracing::error!(plugin = name, "not loaded: {reason}"),
                }
            }
        }
        Load::All => {
            tracing::warn!(
                "plugin directory {} does not exist: sectors without an active version in the database answer 503",
                config.plugin_dir.display()
            )
        }
    }
    if config.id_hash_key.starts_with("dev-only") || config.id_encryption_key.starts_with("dev-only") {
        tracing::warn!(
            "using development keys for ID numbers: set CREDIT_ID_HASH_KEY and CREDIT_ID_ENCRYPTION_KEY in production"
        );
    }
    let mut state =
        AppState::new(store, plugins, PersonalDataKeys::new(&config.id_hash_key, &config.id_encryption_key));
    state.max_body_bytes = config.max_body_bytes;
    state.import_background_bytes = config.import_background_bytes;
    state.review_working_days = config.review_working_days;
    state.policy = Arc::new(credit_host::domain::severity::CreditPolicy {
        hearing_working_days: config.hearing_working_days,
        red_announcement_working_days: config.red_announcement_working_days,
        objection_working_days: config.objection_working_days,
        objection_review_working_days: config.objection_review_working_days,
        complaint_working_days: config.complaint_working_days,
        repair_check_working_days: config.repair_check_working_days,
        repair_review_working_days: config.repair_review_working_days,
        repair_approval_working_days: config.repair_approval_working_days,
        repair_decision_working_days: config.repair_decision_working_days,
        repair_opinion_working_days: config.repair_opinion_working_days,
        repair_min_general_months: config.repair_min_general_months,
        repair_min_serious_months: config.repair_min_serious_months,
        ..credit_host::domain::severity::CreditPolicy::default()
    });
    state.allow_unsigned_plugins = config.allow_unsigned_plugins;
    if !config.replica_id.trim().is_empty() {
        config.replica_id.trim().clone_into(&mut state.replica);
    }
    state.set_check_rate(config.check_rate_per_minute);
    state.cors_origins.clone_from(&config.cors_origins);
    state.request_timeout = std::time::Duration::from_secs(config.request_timeout_secs);
    let mut calendar = credit_calendar::Calendar::builtin();
    for text in state.store.holiday_schedules().await? {
        match credit_calendar::YearSchedule::parse(&text) {
            Ok(s) => calendar = calendar.with(s),
            Err(e) => tracing::error!("an uploaded holiday schedule no longer parses: {e}"),
        }
    }
    if let Some(w) = calendar.missing_schedule_warning(credit_host::api::today()) {
        tracing::warn!("{w} (PUT /api/v1/admin/calendar/{{year}})");
    }
    state.calendar = Arc::new(arc_swap::ArcSwap::from_pointee(calendar));
    let file = (!config.divisions_file.is_empty()).then(|| std::path::Path::new(&config.divisions_file));
    let divisions = credit_host::divisions::Divisions::load(file, &config.sectors)?;
    for sector in divisions.orphans(&config.sectors) {
        tracing::warn!(sector, "no division owns this sector in the division table");
    }
    state.divisions = Arc::new(divisions);
    let file = (!config.export_targets_file.is_empty()).then(|| std::path::Path::new(&config.export_targets_file));
    state.export_targets = Arc::new(credit_host::export::Targets::load(file)?);
    Ok(state)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    if let Err(e) = run(Cli::parse().command).await {
        // The causes, without a backtrace: the command line is for people.
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(config) => {
            let state = state(&config, Load::All).await?;
            if !config.seed_dir.is_empty() && state.store.is_empty().await? {
                for r in credit_host::seed::import_dir(&state, std::path::Path::new(&config.seed_dir)).await? {
                    match r.result {
                        Ok(s) => tracing::info!(
                            file = r.file,
                            records = s.inserted,
                            list_entries = s.list_entries,
                            "sample data imported"
                        ),
                        Err(e) => tracing::warn!(file = r.file, "sample data not imported:\n{e}"),
                    }
                }
                let p = credit_host::seed::publish_lists(&state).await?;
                tracing::info!(entries = p.entry_count, as_of = p.as_of, "lists published (GET /api/v1/public/lists)");
            }
            if config.demo_accounts {
                demo_accounts(&state, &config.demo_tokens_file).await?;
                for (sector, version) in
                    credit_host::seed::demo_plugins(&state, &config.plugin_dir, &config.demo_keys_dir).await?
                {
                    tracing::info!(
                        sector,
                        version,
                        "bundled plugin signed with a local key ({}), kept and activated",
                        config.demo_keys_dir.display()
                    );
                }
            }
            if config.watch {
                tokio::spawn(watch_plugin_dir(state.clone(), config.plugin_dir.clone()));
            }
            // A rotated ID hash key: re-hash every person's key first.
            let rekeyed = state.store.rekey_subjects(&state.keys).await?;
            if rekeyed.subjects + rekeyed.complaints > 0 {
                tracing::info!(
                    subjects = rekeyed.subjects,
                    complaints = rekeyed.complaints,
                    hash_key = state.keys.hash_key_id(),
                    "ID hash key rotated: subject keys re-hashed"
                );
            }
            credit_host::api::spawn_import_runner(state.clone());
            let resumed = credit_host::api::resume_previews(&state).await?;
            if resumed > 0 {
                tracing::info!(resumed, "impact previews resumed");
            }
            if config.export_interval_secs > 0 {
                tokio::spawn(credit_host::api::export_loop(
                    state.clone(),
                    std::time::Duration::from_secs(config.export_interval_secs),
                ));
            }
            tokio::spawn(credit_host::api::follow_activations(
                state.clone(),
                std::time::Duration::from_millis(config.activation_poll_ms),
            ));
            let listener = tokio::net::TcpListener::bind(&config.listen)
                .await
                .with_context(|| format!("cannot listen on {}", config.listen))?;
            tracing::info!("serving on http://{} (docs at /api/docs)", listener.local_addr()?);
            axum::serve(listener, app(state))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
        Command::Import { file, sector, kind, published, config } => {
            let state = state(&config, sector.as_deref().map_or(Load::All, Load::One)).await?;
            let bar = indicatif::ProgressBar::no_length();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg:28} [{bar:40}] {human_pos}/{human_len} rows ({elapsed}, ETA {eta})",
                )?
                .progress_chars("=> "),
            );
            let running = std::cell::RefCell::new(None::<String>);
            let import = credit_host::api::import_file(&state, &file, sector.as_deref(), &kind, published, |job| {
                running.borrow_mut().get_or_insert_with(|| job.id.clone());
                if let Some(total) = job.rows_total {
                    bar.set_length(u64::try_from(total).unwrap_or(0));
                }
                bar.set_position(u64::try_from(job.rows_done).unwrap_or(0));
                let step = match job.status.as_str() {
                    "checking" => "校验 checking",
                    "storing" => "入库 storing",
                    "done" => "完成 done",
                    "failed" => "未导入 failed",
                    _ => "排队 queued",
                };
                bar.set_message(format!("{step}, {} error(s)", job.errors));
            });
            let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            let stopped = tokio::select! {
                job = import => Ok(job?),
                _ = tokio::signal::ctrl_c() => Err("Ctrl-C"),
                _ = terminate.recv() => Err("SIGTERM"),
            };
            bar.finish_and_clear();
            let job = match stopped {
                Ok(job) => job,
                Err(signal) => {
                    let id = running.borrow().clone();
                    if let Some(id) = id {
                        credit_host::api::cancel_import(&state, &id, signal).await?;
                    }
                    eprintln!("{}: cancelled ({signal}); nothing stored", file.display());
                    std::process::exit(130);
                }
            };
            let result = job.result.clone().unwrap_or_default();
            if job.status == "done" {
                println!(
                    "{}: {} record(s) stored, {} already stored unchanged, {} list entr(ies) added ({} rows, import {})",
                    file.display(),
                    result["inserted"],
                    result["unchanged"],
                    result["list_entries"],
                    job.rows_done,
                    job.id
                );
            } else {
                let errors: Vec<credit_host::ingest::RowError> =
                    serde_json::from_value(result["errors"].clone()).unwrap_or_default();
                let detail = result["detail"].as_str().unwrap_or_default();
                eprintln!("{}: nothing stored: {detail}", file.display());
                eprintln!("{}", credit_host::api::describe_errors(&errors));
                std::process::exit(1);
            }
        }
        Command::Account(AccountCommand::CreateAdmin { id, name, unit, config }) => {
            let state = state(&config, Load::Nothing).await?;
            let new = credit_host::api::NewAccount { id, name, unit, roles: vec!["administrator".into()] };
            match credit_host::api::create_account(&state, &new, "cli").await {
                Ok(t) => {
                    cli_audit(&state, "account.create", &format!("administrator {} (token {})", t.account, t.token_id))
                        .await?;
                    println!("administrator {} created; its token (shown once):\n{}", t.account, t.token);
                }
                Err(e) => {
                    eprintln!("no account created: {e}");
                    std::process::exit(1);
                }
            }
        }
        Command::Account(AccountCommand::Token { id, config }) => {
            let state = state(&config, Load::Nothing).await?;
            match state.store.issue_token(&id, "issued on the command line", "cli").await {
                Ok(t) => {
                    cli_audit(&state, "token.issue", &format!("token {} for {id}", t.id)).await?;
                    println!("new token for {id} (shown once):\n{}", t.token);
                }
                Err(e) => {
                    eprintln!("no token issued: {e}");
                    std::process::exit(1);
                }
            }
        }
        Command::Plugin(PluginCommand::Keygen { id, unit, out }) => {
            anyhow::ensure!(
                credit_host::runtime::signing::valid_key_id(&id),
                "invalid key id {id:?}: 1–64 of a-z, 0-9, '-', '_', '.'"
            );
            let out = out.unwrap_or_else(|| format!("{id}.key.json").into());
            let key = credit_host::runtime::signing::KeyFile::generate(&id, &unit)?;
            key.write(&out)?;
            println!(
                "key {id} for {unit} written to {} (keep it secret)\npublic key: {}\nregister it: credit-host plugin register-key --key {}",
                out.display(),
                key.public_key,
                out.display()
            );
        }
        Command::Plugin(PluginCommand::Sign { wasm, key, runtime }) => {
            let (bytes, sector, version) = read_component(&wasm, runtime).await?;
            let key = credit_host::runtime::signing::KeyFile::read(&key)?;
            println!("{}", key.sign(&sector, &version, &credit_host::runtime::sha256_hex(&bytes))?.to_header());
        }
        Command::Plugin(PluginCommand::RegisterKey { key, server }) => {
            let key = credit_host::runtime::signing::KeyFile::read(&key)?;
            let body = serde_json::json!({"id": key.key_id, "unit": key.unit, "public_key": key.public_key});
            send(http(&server).post(format!("{}/api/v1/admin/keys", server.server)).json(&body)).await?;
            println!("key {} registered for {}", key.key_id, key.unit);
        }
        Command::Plugin(PluginCommand::Upload { wasm, key, activate, server, runtime }) => {
            let (bytes, sector, version) = read_component(&wasm, runtime).await?;
            let mut req = http(&server)
                .put(format!("{}/api/v1/admin/plugins/{sector}?activate={activate}", server.server))
                .header("content-type", "application/wasm");
            if let Some(key) = key {
                let key = credit_host::runtime::signing::KeyFile::read(&key)?;
                let sig = key.sign(&sector, &version, &credit_host::runtime::sha256_hex(&bytes))?;
                req = req.header(credit_host::runtime::signing::SIGNATURE_HEADER, sig.to_header());
            }
            let body = send(req.body(bytes)).await?;
            let v = &body["version"];
            println!(
                "{sector} {version}: {} (sha256 {}, signer {})",
                if body["created"] == true { "kept" } else { "already kept, unchanged" },
                v["sha256"].as_str().unwrap_or_default(),
                v["signer_key_id"].as_str().unwrap_or("unsigned"),
            );
            let flags: Vec<&str> = v["flags"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
            println!(
                "status: {}{}",
                v["status"].as_str().unwrap_or_default(),
                if flags.is_empty() { String::new() } else { format!(" ({})", flags.join(", ")) }
            );
            for w in body["warnings"].as_array().into_iter().flatten() {
                println!("warning: {}", w.as_str().unwrap_or_default());
            }
        }
        Command::Plugin(PluginCommand::List { sector, server }) => {
            let sectors: Vec<String> = match sector {
                Some(s) => vec![s],
                None => send(http(&server).get(format!("{}/api/v1/plugins", server.server)))
                    .await?
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["sector"].as_str().map(str::to_owned))
                    .collect(),
            };
            for sector in sectors {
                let body = send(http(&server).get(format!("{}/api/v1/plugins/{sector}", server.server))).await?;
                let replica = &body["replica"];
                println!(
                    "{sector}: serving {}",
                    replica["version"].as_str().map_or_else(
                        || format!("nothing ({})", replica["reason"].as_str().unwrap_or_default()),
                        str::to_owned
                    )
                );
                for r in body["replicas"].as_array().into_iter().flatten() {
                    println!(
                        "  replica {}: {} {} (reported {}){}",
                        r["replica"].as_str().unwrap_or_default(),
                        r["status"].as_str().unwrap_or_default(),
                        r["version"].as_str().unwrap_or("-"),
                        r["reported_at"].as_str().unwrap_or_default(),
                        r["reason"].as_str().map(|x| format!(": {x}")).unwrap_or_default()
                    );
                }
                for v in body["versions"].as_array().into_iter().flatten() {
                    let flags: Vec<&str> =
                        v["flags"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
                    println!(
                        "  {:<10} {:<8} {:<16} sha256 {}  signer {}  by {} at {}",
                        v["version"].as_str().unwrap_or_default(),
                        v["status"].as_str().unwrap_or_default(),
                        flags.join(","),
                        v["sha256"].as_str().unwrap_or_default().get(..12).unwrap_or_default(),
                        v["signer_key_id"].as_str().unwrap_or("-"),
                        v["uploaded_by"].as_str().unwrap_or_default(),
                        v["uploaded_at"].as_str().unwrap_or_default(),
                    );
                }
            }
        }
        Command::Plugin(PluginCommand::Activate { sector, version, server }) => {
            let url = format!("{}/api/v1/admin/plugins/{sector}/activate", server.server);
            let a = send(http(&server).post(url).json(&serde_json::json!({"version": version}))).await?;
            if a["unchanged"] == true {
                println!("{sector}: {version} is already active; nothing changed");
            } else {
                println!(
                    "{sector}: {} → {}",
                    a["previous_version"].as_str().unwrap_or("none"),
                    a["version"].as_str().unwrap_or_default()
                );
            }
        }
        Command::Plugin(PluginCommand::Rollback { sector, server }) => {
            let url = format!("{}/api/v1/admin/plugins/{sector}/rollback", server.server);
            let a = send(http(&server).post(url)).await?;
            println!(
                "{sector}: rolled back {} → {}",
                a["previous_version"].as_str().unwrap_or("none"),
                a["version"].as_str().unwrap_or_default()
            );
        }
        Command::Plugin(PluginCommand::Preview { sector, version, last, from, to, json, server }) => {
            plugin_preview(&server, &sector, &version, last, from, to, json).await?;
        }
        Command::Plugin(PluginCommand::Bench { wasm, fixtures, calls, runtime }) => {
            tokio::task::spawn_blocking(move || plugin_bench(&wasm, fixtures.as_deref(), calls.max(1), &runtime))
                .await??;
        }
        Command::Plugin(PluginCommand::Test { wasm, fixtures, runtime }) => {
            let passed = tokio::task::spawn_blocking(move || plugin_test(&wasm, &fixtures, &runtime)).await??;
            if !passed {
                std::process::exit(1);
            }
        }
    }
    Ok(())
}

/// Append a command-line change to the audit trail (actor `cli`).
async fn cli_audit(state: &AppState, action: &str, detail: &str) -> anyhow::Result<()> {
    let user = std::env::var("USER").unwrap_or_default();
    state
        .store
        .audit(&credit_host::store::AuditEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            request_id: uuid::Uuid::new_v4().to_string(),
            actor: "cli".into(),
            action: action.into(),
            method: "CLI".into(),
            path: format!("credit-host account (OS user {user:?})"),
            detail: Some(detail.into()),
            ..Default::default()
        })
        .await
}

/// Create the demo accounts on a database without accounts and write their
/// tokens to `file` as shell variables (`CREDIT_TOKEN_INSPECTOR=…`).
async fn demo_accounts(state: &AppState, file: &std::path::Path) -> anyhow::Result<()> {
    let tokens = credit_host::seed::demo_accounts(state).await?;
    if tokens.is_empty() {
        if file.exists() {
            tracing::info!("demo tokens: {}", file.display());
        }
        return Ok(());
    }
    let mut text =
        String::from("# Demo API tokens (development only), one account per role: . ./credit-demo-tokens.env\n");
    for (account, token) in &tokens {
        let var = account.trim_start_matches("demo-").replace('-', "_").to_uppercase();
        text.push_str(&format!("export CREDIT_TOKEN_{var}={token}\n"));
    }
    write_private(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
    tracing::info!("demo accounts created; their tokens are in {}:\n{text}", file.display());
    Ok(())
}

/// Write `text` to `path`, readable by its owner only (tokens, keys).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// A client that sends the administrator's token with every request.
struct Http<'a> {
    client: reqwest::Client,
    token: &'a str,
}

impl Http<'_> {
    fn get(&self, url: String) -> reqwest::RequestBuilder {
        self.client.get(url).bearer_auth(self.token)
    }
    fn post(&self, url: String) -> reqwest::RequestBuilder {
        self.client.post(url).bearer_auth(self.token)
    }
    fn put(&self, url: String) -> reqwest::RequestBuilder {
        self.client.put(url).bearer_auth(self.token)
    }
}

fn http(server: &ServerArgs) -> Http<'_> {
    if !(server.server.starts_with("http://") || server.server.starts_with("https://")) {
        eprintln!(
            "error: --server / CREDIT_SERVER must be a URL such as http://127.0.0.1:8080, not {:?}",
            server.server
        );
        std::process::exit(2);
    }
    Http { client: reqwest::Client::new(), token: &server.token }
}

/// Send `req`; the JSON answer, or an error with the host's problem text
/// (detail and every listed error).
async fn send(req: reqwest::RequestBuilder) -> anyhow::Result<serde_json::Value> {
    let resp = req.send().await.context("cannot reach the host (is it running? see --server)")?;
    let status = resp.status();
    let body: serde_json::Value = resp.json().await.unwrap_or(serde_json::Value::Null);
    if status.is_success() {
        return Ok(body);
    }
    let mut text = format!("{status}: {}", body["detail"].as_str().unwrap_or("(no detail)"));
    for e in body["errors"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "\n  {} {}: {}",
            e["pointer"].as_str().unwrap_or_default(),
            e["code"].as_str().unwrap_or_default(),
            e["message_en"].as_str().unwrap_or_default()
        ));
    }
    anyhow::bail!(text)
}

/// `plugin preview`: queue, follow with a progress line on stderr, print.
async fn plugin_preview(
    server: &ServerArgs,
    sector: &str,
    version: &str,
    last: u32,
    from: Option<String>,
    to: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    use std::io::Write as _;
    let url = format!("{}/api/v1/admin/plugins/{sector}/preview", server.server);
    let body = serde_json::json!({"version": version, "last": last, "from": from, "to": to});
    let job = send(http(server).post(url).json(&body)).await?;
    let id = job["id"].as_str().unwrap_or_default().to_owned();
    let url = format!("{}/api/v1/admin/plugins/{sector}/previews/{id}", server.server);
    let job = loop {
        let job = match send(http(server).get(url.clone())).await {
            Ok(job) => job,
            Err(e) => {
                eprintln!();
                return Err(e.context(format!("follow it with GET {url}")));
            }
        };
        match job["status"].as_str() {
            Some("done" | "failed") => break job,
            Some("queued") => eprint!("\rpreview {id}: queued behind other previews        "),
            _ => eprint!("\rpreview {id}: {} of {} checks replayed                ", job["done"], job["total"]),
        }
        std::io::stderr().flush().ok();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    };
    eprintln!();
    if job["status"] == "failed" {
        anyhow::bail!("preview {id} failed: {}", job["error"].as_str().unwrap_or_default());
    }
    let r = &job["result"];
    if json {
        println!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    let s = &r["summary"];
    let p = &r["previewed"];
    let flags: Vec<&str> = p["flags"].as_array().into_iter().flatten().filter_map(|f| f.as_str()).collect();
    println!(
        "{sector} {version} ({}{}) against the active {}: {} checks, {} replayed, {} skipped (stored before replay inputs were kept)",
        p["status"].as_str().unwrap_or("?"),
        if flags.is_empty() { String::new() } else { format!(", {}", flags.join(", ")) },
        r["active"]["version"].as_str().unwrap_or("(none)"),
        s["checks"],
        s["replayed"],
        s["skipped"]
    );
    println!(
        "  answers {version} would change: {} ({} in findings only), unchanged: {}",
        s["changed"], s["findings_only"], s["unchanged"]
    );
    for (t, n) in s["transitions"].as_object().into_iter().flatten() {
        println!("    {t}: {n}");
    }
    println!(
        "  calls that failed: {} on the active version, {} on {version}",
        s["active_errors"], s["previewed_errors"]
    );
    println!(
        "  drift (the active version no longer answers as it did when it stored the check): {} ({} checks were stored by another version)",
        s["drift"], s["stored_by_another_version"]
    );
    let show = |v: &serde_json::Value| {
        let rules: Vec<&str> =
            v["findings"].as_array().into_iter().flatten().filter_map(|f| f["rule_id"].as_str()).collect();
        match v["outcome"].as_str() {
            Some(o) => format!("{} {o} [{}]", v["version"].as_str().unwrap_or("?"), rules.join(" ")),
            None => {
                format!("{} error {}", v["version"].as_str().unwrap_or("?"), v["error"]["kind"].as_str().unwrap_or(""))
            }
        }
    };
    let listed: Vec<&serde_json::Value> =
        r["checks"].as_array().into_iter().flatten().filter(|c| c["changed"] == true || c["drift"] == true).collect();
    if !listed.is_empty() {
        println!("  checks that change or drift (stored → active → {version}):");
    }
    for c in listed {
        println!(
            "    {} as of {}{}: {} → {} → {}",
            c["check_id"].as_str().unwrap_or_default(),
            c["as_of"].as_str().unwrap_or_default(),
            if c["drift"] == true { " DRIFT" } else { "" },
            show(&c["original"]),
            show(&c["active"]),
            show(&c["previewed"])
        );
    }
    println!("  stored records {version} would reject: {} of {}", s["records_rejected"], s["records_checked"]);
    let records = r["records"].as_array().map_or(&[][..], Vec::as_slice);
    for rec in records.iter().take(20) {
        let first = &rec["errors"][0];
        println!(
            "    {} {} {}: {} {}",
            rec["record_id"].as_str().unwrap_or_default(),
            rec["kind"].as_str().unwrap_or_default(),
            rec["decision_number"].as_str().unwrap_or_default(),
            first["code"].as_str().unwrap_or_default(),
            first["message_en"].as_str().unwrap_or_default()
        );
    }
    let rejected = s["records_rejected"].as_u64().unwrap_or(0);
    if rejected > records.len().min(20) as u64 {
        println!(
            "    … and {} more (--json lists the first {})",
            rejected - records.len().min(20) as u64,
            records.len()
        );
    }
    Ok(())
}

/// A component's bytes, sector and version (compiled here to read its manifest).
async fn read_component(
    wasm: &std::path::Path,
    runtime: credit_host::runtime::RuntimeConfig,
) -> anyhow::Result<(Vec<u8>, String, String)> {
    let bytes = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let name = wasm.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (bytes, manifest) = tokio::task::spawn_blocking(move || {
        let plugin = credit_host::runtime::LoadedPlugin::load(&runtime.engine()?, &runtime, &name, &bytes)?;
        anyhow::Ok((bytes, plugin.manifest))
    })
    .await??;
    Ok((bytes, manifest.sector, manifest.version))
}

/// The fixtures of `dir`, or those `bytes` carries.
#[allow(clippy::type_complexity)]
fn fixtures_for(
    bytes: &[u8],
    dir: Option<&std::path::Path>,
    wasm: &std::path::Path,
) -> anyhow::Result<Vec<(String, Result<credit_sdk::fixture::Fixture, String>)>> {
    match dir {
        Some(dir) => Ok(credit_sdk::fixture::Fixture::load_dir(dir)?
            .into_iter()
            .map(|(p, f)| (p.display().to_string(), f.map_err(|e| e.message)))
            .collect()),
        None => credit_host::runtime::embedded_fixtures(bytes).map_err(anyhow::Error::msg)?.with_context(|| {
            format!(
                "{} carries no fixtures ({} section); name a fixture directory",
                wasm.display(),
                credit_host::runtime::FIXTURES_SECTION
            )
        }),
    }
}

/// `plugin bench`: compile once, then time `calls` inspects per fixture.
fn plugin_bench(
    wasm: &std::path::Path,
    dir: Option<&std::path::Path>,
    calls: usize,
    runtime: &credit_host::runtime::RuntimeConfig,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let name = wasm.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let engine = runtime.engine()?;
    let started = std::time::Instant::now();
    let plugin = credit_host::runtime::LoadedPlugin::load(&engine, runtime, &name, &bytes)?;
    println!(
        "{} {}: compiled and validated in {} ms ({} bytes)",
        plugin.manifest.sector,
        plugin.manifest.version,
        started.elapsed().as_millis(),
        bytes.len()
    );
    let mut all = Vec::new();
    for (file, fixture) in fixtures_for(&bytes, dir, wasm)? {
        let Ok(fixture) = fixture else {
            println!("skipped {file}: not a fixture");
            continue;
        };
        let request = credit_host::runtime::to_wit(&fixture.request);
        for _ in 0..10 {
            plugin.inspect(&request)?;
        }
        let mut micros: Vec<f64> = (0..calls)
            .map(|_| {
                let t = std::time::Instant::now();
                plugin.inspect(&request).map(|_| t.elapsed().as_secs_f64() * 1e6)
            })
            .collect::<Result<_, _>>()?;
        micros.sort_by(f64::total_cmp);
        let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
        println!(
            "{file}: {} records, median {:.0} µs, p90 {:.0} µs, max {:.0} µs",
            request.records.len(),
            at(0.5),
            at(0.9),
            at(1.0)
        );
        all.extend(micros);
    }
    anyhow::ensure!(!all.is_empty(), "no fixture to run");
    all.sort_by(f64::total_cmp);
    println!(
        "all {} calls: median {:.0} µs, p99 {:.0} µs",
        all.len(),
        all[(all.len() - 1) / 2],
        all[((all.len() - 1) as f64 * 0.99).round() as usize]
    );
    Ok(())
}

/// `serve --watch`: every second, reload a plugin of `dir` whose file
/// changed (size or modification time). A file that does not load (half
/// written, or broken) is logged and the sector keeps its version.
async fn watch_plugin_dir(state: AppState, dir: std::path::PathBuf) {
    let stamp = |p: &std::path::Path| std::fs::metadata(p).ok().map(|m| (m.len(), m.modified().ok()));
    let scan = |dir: &std::path::Path| -> std::collections::BTreeMap<std::path::PathBuf, _> {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
            .map(|p| {
                let s = stamp(&p);
                (p, s)
            })
            .collect()
    };
    let mut seen = scan(&dir);
    tracing::info!("watching {} for changed plugins", dir.display());
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let now = scan(&dir);
        for (path, stamp) in &now {
            if seen.get(path) == Some(stamp) {
                continue;
            }
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let Ok(bytes) = std::fs::read(path) else { continue };
            let digest = credit_host::runtime::sha256_hex(&bytes);
            if state.plugins.get(&name).active_sha256() == Some(digest.as_str()) {
                continue;
            }
            match state.plugins.compile(&name, bytes).await {
                Ok(p) => {
                    tracing::warn!(
                        sector = p.manifest.sector,
                        version = p.manifest.version,
                        "reloaded from {} (watch mode: not signed, not kept)",
                        path.display()
                    );
                    state.plugins.install(p);
                }
                Err(e) => {
                    tracing::error!("{} changed but does not load; the sector keeps its version: {e}", path.display())
                }
            }
        }
        seen = now;
    }
}

/// `plugin test`: true when every fixture passed.
fn plugin_test(
    wasm: &std::path::Path,
    fixtures: &Option<std::path::PathBuf>,
    runtime: &credit_host::runtime::RuntimeConfig,
) -> anyhow::Result<bool> {
    let bytes = std::fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let name = wasm.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let plugin = credit_host::runtime::LoadedPlugin::load(&runtime.engine()?, runtime, &name, &bytes)?;
    let fixtures = fixtures_for(&bytes, fixtures.as_deref(), wasm)?;
    anyhow::ensure!(!fixtures.is_empty(), "no fixtures (*.json) to run");
    let results = credit_host::runtime::run_embedded(&plugin, fixtures);
    let failed = results.iter().filter(|r| r.outcome.is_err()).count();
    for r in &results {
        match &r.outcome {
            Ok(()) => println!("ok      {} — {}", r.file.display(), r.description),
            Err(diff) => println!("FAILED  {} — {}\n{diff}", r.file.display(), r.description),
        }
    }
    println!(
        "{} {} {}: {} passed, {failed} failed",
        plugin.manifest.sector,
        plugin.manifest.version,
        wasm.display(),
        results.len() - failed
    );
    Ok(failed == 0)
}
