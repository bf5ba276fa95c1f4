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
    /// Import one CSV file in the 双公示 layout into the database.
    Import {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Sector (omit for `--kind red-list`).
        #[arg(long)]
        sector: Option<String>,
        /// Record kind: penalty, licence, red-list.
        #[arg(long)]
        kind: String,
        #[command(flatten)]
        config: Config,
    },
}

async fn state(config: &Config) -> anyhow::Result<AppState> {
    let store = Store::connect(&config.database_url).await?;
    let plugins = Arc::new(Plugins::new(config.runtime.clone(), config.sectors.clone())?);
    if config.plugin_dir.is_dir() {
        for (name, result) in plugins.load_dir(&config.plugin_dir).await? {
            match result {
                Ok(version) => tracing::info!(plugin = name, version, "loaded"),
                Err(reason) => tracing::error!(plugin = name, "not loaded: {reason}"),
            }
        }
    } else {
        tracing::warn!("plugin directory {} does not exist: every sector answers 503", config.plugin_dir.display());
    }
    if config.id_hash_key.starts_with("dev-only") || config.id_encryption_key.starts_with("dev-only") {
        tracing::warn!(
            "using development keys for ID numbers: set CREDIT_ID_HASH_KEY and CREDIT_ID_ENCRYPTION_KEY in production"
        );
    }
    let mut state =
        AppState::new(store, plugins, PersonalDataKeys::new(&config.id_hash_key, &config.id_encryption_key));
    state.max_body_bytes = config.max_body_bytes;
    Ok(state)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(config) => {
            let state = state(&config).await?;
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
            }
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
        Command::Import { file, sector, kind, config } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let state = state(&config).await?;
            match credit_host::api::import_csv(&state, &kind, sector.as_deref(), &bytes, "cli").await {
                Ok(s) => println!(
                    "{}: {} record(s) stored, {} already stored unchanged, {} list entr(ies) added",
                    file.display(),
                    s.inserted,
                    s.unchanged,
                    s.list_entries
                ),
                Err(e) => {
                    eprintln!("{}: nothing stored:\n{e}", file.display());
                    std::process::exit(1);
                }
            }
        }
    }
    Ok(())
}
