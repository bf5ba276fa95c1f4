//! Configuration: every field from a flag or an environment variable.

use crate::runtime::RuntimeConfig;
use std::path::PathBuf;

/// The sectors of the bureau (configuration, not code: the bureau has been
/// reorganised before).
pub const DEFAULT_SECTORS: &str = "cultural-market,publishing,printing-distribution,broadcasting,arts-heritage";

/// How the host runs.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "CREDIT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Database URL: `sqlite:credit.db` (default) or `postgres://…`.
    #[arg(long, env = "CREDIT_DATABASE_URL", default_value = "sqlite:credit.db")]
    pub database_url: String,
    /// Directory of bundled plugin components (`<sector>.wasm`), loaded at start.
    #[arg(long, env = "CREDIT_PLUGIN_DIR", default_value = "target/plugins")]
    pub plugin_dir: PathBuf,
    /// Directory of sample data imported when the database is empty; empty to skip.
    #[arg(long, env = "CREDIT_SEED_DIR", default_value = "")]
    pub seed_dir: String,
    /// Configured sectors, comma-separated.
    #[arg(long, env = "CREDIT_SECTORS", default_value = DEFAULT_SECTORS, value_delimiter = ',')]
    pub sectors: Vec<String>,
    /// The division table (TOML, see `config/divisions.toml`); empty for the
    /// built-in one.
    #[arg(long, env = "CREDIT_DIVISIONS_FILE", default_value = "")]
    pub divisions_file: String,
    /// The export targets and their field mappings (TOML, see
    /// `config/export-targets.toml`); empty for the built-in ones.
    #[arg(long, env = "CREDIT_EXPORT_TARGETS_FILE", default_value = "")]
    pub export_targets_file: String,
    /// Seconds between export rounds (queue what the platforms have not
    /// been sent, deliver it); 0: only on demand (`POST /api/v1/exports/run`).
    #[arg(long, env = "CREDIT_EXPORT_INTERVAL_SECS", default_value_t = 300)]
    pub export_interval_secs: u64,
    /// Secret for the keyed hash of ID numbers. The default is for development only.
    #[arg(long, env = "CREDIT_ID_HASH_KEY", default_value = "dev-only-hash-key", hide_env_values = true)]
    pub id_hash_key: String,
    /// Secret for the encrypted copy of ID numbers. The default is for development only.
    #[arg(long, env = "CREDIT_ID_ENCRYPTION_KEY", default_value = "dev-only-encryption-key", hide_env_values = true)]
    pub id_encryption_key: String,
    /// Largest request body in bytes (uploads included); larger ones get `413`.
    #[arg(long, env = "CREDIT_MAX_BODY_BYTES", default_value_t = 64 << 20)]
    pub max_body_bytes: usize,
    /// Uploads to `POST /api/v1/imports` larger than this many bytes are
    /// imported in the background: `202` with a job to follow at
    /// `GET /api/v1/imports/{id}`.
    #[arg(long, env = "CREDIT_IMPORT_BACKGROUND_BYTES", default_value_t = 4 << 20)]
    pub import_background_bytes: usize,
    /// Credit checks one token may run per minute (a burst of that many,
    /// refilled evenly); more get `429` with `Retry-After`.
    #[arg(long, env = "CREDIT_CHECK_RATE_PER_MINUTE", default_value_t = 600)]
    pub check_rate_per_minute: u32,
    /// Browser origins allowed to call the API cross-origin (CORS),
    /// comma-separated. Default none: CORS closed.
    #[arg(long, env = "CREDIT_CORS_ORIGINS", value_delimiter = ',', default_value = "")]
    pub cors_origins: Vec<String>,
    /// Seconds a request may take before it is answered `408` (uploads
    /// included).
    #[arg(long, env = "CREDIT_REQUEST_TIMEOUT_SECS", default_value_t = 120)]
    pub request_timeout_secs: u64,
    /// Working days the credit office has to review a reported record.
    #[arg(long, env = "CREDIT_REVIEW_WORKING_DAYS", default_value_t = 2)]
    pub review_working_days: u32,
    /// Working days a subject notified of a proposed dishonesty-list entry
    /// has to state its case (陈述申辩) before the office may decide, the day
    /// of service not counted.
    #[arg(long, env = "CREDIT_HEARING_WORKING_DAYS", default_value_t = 5)]
    pub hearing_working_days: u32,
    /// Working days a red-list proposal is announced (公示) before the
    /// office may decide, the first day not counted.
    #[arg(long, env = "CREDIT_RED_ANNOUNCEMENT_WORKING_DAYS", default_value_t = 5)]
    pub red_announcement_working_days: u32,
    /// Working days the unit that provided a record has to verify an
    /// objection, from its acceptance (郑文广新〔2017〕245号: 7).
    #[arg(long, env = "CREDIT_OBJECTION_WORKING_DAYS", default_value_t = 7)]
    pub objection_working_days: u32,
    /// Working days the credit office has to review the unit's opinion on
    /// an objection.
    #[arg(long, env = "CREDIT_OBJECTION_REVIEW_WORKING_DAYS", default_value_t = 3)]
    pub objection_review_working_days: u32,
    /// Working days the investigating unit has to conclude a complaint or
    /// report, from acceptance.
    #[arg(long, env = "CREDIT_COMPLAINT_WORKING_DAYS", default_value_t = 15)]
    pub complaint_working_days: u32,
    /// Working days the unit has to check a credit-repair applicant's
    /// rectification, from acceptance.
    #[arg(long, env = "CREDIT_REPAIR_CHECK_WORKING_DAYS", default_value_t = 5)]
    pub repair_check_working_days: u32,
    /// Working days the credit office has to review the unit's check of a
    /// credit repair.
    #[arg(long, env = "CREDIT_REPAIR_REVIEW_WORKING_DAYS", default_value_t = 3)]
    pub repair_review_working_days: u32,
    /// Working days the bureau leadership has to approve a credit repair (报批).
    #[arg(long, env = "CREDIT_REPAIR_APPROVAL_WORKING_DAYS", default_value_t = 3)]
    pub repair_approval_working_days: u32,
    /// Working days the office has to issue the repair decision after the
    /// leadership decided.
    #[arg(long, env = "CREDIT_REPAIR_DECISION_WORKING_DAYS", default_value_t = 2)]
    pub repair_decision_working_days: u32,
    /// Working days the unit has to give its opinion when the national credit
    /// platform asks about repairing a penalty's publicity.
    #[arg(long, env = "CREDIT_REPAIR_OPINION_WORKING_DAYS", default_value_t = 3)]
    pub repair_opinion_working_days: u32,
    /// Months a general penalty stays published before repair may end its
    /// publicity (national rules: 3).
    #[arg(long, env = "CREDIT_REPAIR_MIN_GENERAL_MONTHS", default_value_t = 3)]
    pub repair_min_general_months: u32,
    /// Months a serious penalty stays published before repair may end its
    /// publicity (national rules: 12).
    #[arg(long, env = "CREDIT_REPAIR_MIN_SERIOUS_MONTHS", default_value_t = 12)]
    pub repair_min_serious_months: u32,
    /// Reload a plugin of `plugin_dir` when its file changes (the plugin
    /// author's loop: `cargo xtask plugins` in another terminal). Development
    /// only: the reloaded version is neither signed nor kept, and a restart
    /// serves what the database says.
    #[arg(long, env = "CREDIT_WATCH_PLUGINS", default_value_t = false)]
    pub watch: bool,
    /// How often, in milliseconds, the host reads the activation generation
    /// to follow activations made by other hosts sharing the database (on
    /// PostgreSQL a notification also wakes it at once).
    #[arg(long, env = "CREDIT_ACTIVATION_POLL_MS", default_value_t = 1_000)]
    pub activation_poll_ms: u64,
    /// This host's name among replicas sharing the database, as
    /// `GET /api/v1/plugins/{sector}` lists them (default: the host name
    /// and a random suffix, new at each start).
    #[arg(long, env = "CREDIT_REPLICA_ID", default_value = "")]
    pub replica_id: String,
    /// Accept plugin uploads without a signature, marked `unsigned`
    /// (development only: a production host refuses them, and refuses to
    /// activate unsigned versions kept earlier).
    #[arg(long, env = "CREDIT_ALLOW_UNSIGNED_PLUGINS", default_value_t = false)]
    pub allow_unsigned_plugins: bool,
    /// On a database without accounts, create one demo account per role and
    /// write their tokens to `demo_tokens_file` (development only; `cargo
    /// xtask serve` turns it on).
    #[arg(long, env = "CREDIT_DEMO_ACCOUNTS", default_value_t = false)]
    pub demo_accounts: bool,
    /// With `demo_accounts`, on a database that keeps no plugin version:
    /// where the local signing keys of the bundled plugins are written
    /// (one `<division>.key.json` each), to sign edited plugins with.
    #[arg(long, env = "CREDIT_DEMO_KEYS_DIR", default_value = "credit-demo-keys")]
    pub demo_keys_dir: std::path::PathBuf,
    /// Where the demo tokens go, as shell variables (`CREDIT_TOKEN_INSPECTOR=…`).
    #[arg(long, env = "CREDIT_DEMO_TOKENS_FILE", default_value = "credit-demo-tokens.env")]
    pub demo_tokens_file: PathBuf,
    /// Plugin limits.
    #[command(flatten)]
    pub runtime: RuntimeConfig,
}
