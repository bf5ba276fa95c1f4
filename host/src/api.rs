//! The HTTP API: one file per resource, each with its own `router()`, and
//! one error type that answers `application/problem+json`.

pub mod access;
mod accounts;
mod assessment;
mod checks;
mod commitments;
mod complaints;
mod corrections;
mod error;
mod exports;
mod imports;
mod intake;
mod lists;
mod objections;
mod plugin_admin;
mod plugin_preview;
mod plugins;
mod records;
mod repairs;
mod reviews;
mod subjects;

pub use accounts::{NewAccount, TokenIssued, create as create_account};
pub use checks::{CheckRequest, CheckResponse};
pub use error::{ApiError, Problem};
pub use exports::{export_loop, run_round as run_export_round};
pub use imports::{
    LEASE_SECS as IMPORT_LEASE_SECS, LiveImport, LiveImports, cancel as cancel_import, import_file, import_status,
    run_claimable as run_claimable_imports, run_job as run_import_job, spawn_import_runner,
};
pub use plugin_admin::{Uploaded, follow_activations, load_active_plugins, stage as stage_plugin};
pub use plugin_preview::resume_previews;
pub use records::{describe_errors, import_csv, json_rows};

use self::access::DeclaredAccess;
use crate::domain::severity::CreditPolicy;
use crate::privacy::PersonalDataKeys;
use crate::runtime::Plugins;
use crate::store::Store;
use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use utoipa::OpenApi;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The credit store.
    pub store: Store,
    /// The plugin runtime.
    pub plugins: Arc<Plugins>,
    /// Periods and thresholds.
    pub policy: Arc<CreditPolicy>,
    /// Keys for personal data.
    pub keys: PersonalDataKeys,
    /// The host's red-list schema.
    pub red_list: Arc<jsonschema::Validator>,
    /// Largest request body, in bytes (default 64 MiB); larger ones get `413`.
    pub max_body_bytes: usize,
    /// Uploads larger than this (bytes, default 4 MiB) are imported as
    /// background jobs.
    pub import_background_bytes: usize,
    /// Wakes the background import runner when a job is queued.
    pub import_wake: Arc<tokio::sync::Notify>,
    /// The divisions and the sectors they own (default: the built-in table).
    pub divisions: Arc<crate::divisions::Divisions>,
    /// The working-day calendar: the built-in holiday schedules plus those
    /// administrators loaded (swapped whole when one is loaded).
    pub calendar: Arc<arc_swap::ArcSwap<credit_calendar::Calendar>>,
    /// Per-token limit of credit checks (default 600 a minute).
    pub check_limiter: Arc<governor::DefaultKeyedRateLimiter<String>>,
    /// Origins allowed cross-origin (default none: CORS closed).
    pub cors_origins: Vec<String>,
    /// How long a request may take (default 120 s); then `408`.
    pub request_timeout: std::time::Duration,
    /// Working days the credit office has to review a reported record
    /// (default 2, so that publication stays inside the 7 working days
    /// 双公示 allows from the decision).
    pub review_working_days: u32,
    /// Accept unsigned plugin uploads (development only; default false).
    pub allow_unsigned_plugins: bool,
    /// Serialises plugin uploads, activations and rollbacks, so that the
    /// recorded activation and the swapped version always agree.
    pub plugin_admin: Arc<tokio::sync::Mutex<()>>,
    /// Impact previews run one at a time (low priority); the rest queue.
    pub previews: Arc<tokio::sync::Mutex<()>>,
    /// This host's name among the replicas sharing the database (default:
    /// the host name and a random suffix).
    pub replica: String,
    /// The platforms published records are exported to (default: the
    /// built-in `config/export-targets.toml`).
    pub export_targets: Arc<crate::export::Targets>,
    /// Export rounds run one at a time.
    pub exporting: Arc<tokio::sync::Mutex<()>>,
    /// The counters of the imports running on this host.
    pub imports_live: imports::LiveImports,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("plugins", &self.plugins).finish_non_exhaustive()
    }
}

impl AppState {
    /// The active plugin of `sector`.
    ///
    /// # Errors
    /// `404` for a sector that is not configured, `503` (with the reason)
    /// when its plugin is not loaded.
    pub fn plugin(&self, sector: &str) -> Result<Arc<crate::runtime::LoadedPlugin>, ApiError> {
        match self.plugins.get(sector) {
            crate::runtime::PluginStatus::Active(p) => Ok(p),
            crate::runtime::PluginStatus::UnknownSector => {
                Err(ApiError::NotFound(format!("unknown sector {sector:?}")))
            }
            crate::runtime::PluginStatus::NotLoaded(reason) => Err(ApiError::Unavailable(reason)),
        }
    }

    /// A state over `store` and `plugins` with the default policy, the
    /// built-in division table (empty if it does not fit the sectors; `main`
    /// loads the configured one and refuses a bad one) and the given
    /// personal-data keys.
    pub fn new(store: Store, plugins: Arc<Plugins>, keys: PersonalDataKeys) -> Self {
        Self {
            store,
            divisions: Arc::new(crate::divisions::Divisions::load(None, plugins.sectors()).unwrap_or_default()),
            plugins,
            policy: Arc::new(CreditPolicy::default()),
            keys,
            red_list: Arc::new(crate::ingest::prepare::red_list_validator()),
            max_body_bytes: 64 << 20,
            import_background_bytes: 4 << 20,
            import_wake: Arc::new(tokio::sync::Notify::new()),
            calendar: Arc::new(arc_swap::ArcSwap::from_pointee(credit_calendar::Calendar::builtin())),
            review_working_days: 2,
            allow_unsigned_plugins: false,
            plugin_admin: Arc::new(tokio::sync::Mutex::new(())),
            previews: Arc::new(tokio::sync::Mutex::new(())),
            replica: default_replica_id(),
            check_limiter: Arc::new(check_limiter(600)),
            cors_origins: Vec::new(),
            request_timeout: std::time::Duration::from_secs(120),
            export_targets: Arc::new(crate::export::Targets::load(None).unwrap_or_default()),
            exporting: Arc::new(tokio::sync::Mutex::new(())),
            imports_live: imports::LiveImports::default(),
        }
    }

    /// Allow `per_minute` checks a minute per token (at least 1).
    pub fn set_check_rate(&mut self, per_minute: u32) {
        self.check_limiter = Arc::new(check_limiter(per_minute));
    }

    /// When the review of a record reported today by `unit` is due.
    pub fn review_due(&self, unit: &str) -> crate::store::ReviewDue {
        let deadline = self.calendar.load().add_working_days(today(), self.review_working_days);
        crate::store::ReviewDue {
            date: deadline.date.to_string(),
            provisional: deadline.provisional,
            unit: unit.to_owned(),
        }
    }
}

/// The host name (from the kernel) and 8 random hex digits.
fn default_replica_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".into());
    format!("{host}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

fn check_limiter(per_minute: u32) -> governor::DefaultKeyedRateLimiter<String> {
    let n = std::num::NonZeroU32::new(per_minute.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
    governor::RateLimiter::keyed(governor::Quota::per_minute(n))
}

/// The OpenAPI description of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "文化领域信用信息系统 API",
        description = "Credit checks (信用核查), reporting of 双公示 records, credit files, lists (红黑榜) and their publications."
    ),
    paths(
        checks::create_check,
        checks::get_check,
        records::post_records,
        records::post_import,
        imports::get_import,
        corrections::get_record,
        corrections::post_correction,
        corrections::post_revocation,
        commitments::render_commitment,
        commitments::sign_commitment,
        commitments::file_breach,
        commitments::list_breaches,
        commitments::decide_breach,
        subjects::get_subject,
        subjects::lookup_subject,
        plugins::list_plugins,
        plugins::list_divisions,
        plugins::metrics,
        plugin_admin::plugin_versions,
        plugin_admin::upload_plugin,
        plugin_admin::activate_plugin,
        plugin_admin::rollback_plugin,
        plugin_admin::register_key,
        plugin_admin::list_keys,
        plugin_admin::revoke_key,
        plugin_preview::start_preview,
        plugin_preview::get_preview,
        accounts::me,
        accounts::list_accounts,
        accounts::create_account,
        accounts::issue_token,
        accounts::disable_account,
        accounts::revoke_token,
        accounts::audit_trail,
        reviews::list_reviews,
        reviews::review_record,
        reviews::calendar,
        reviews::load_schedule,
        lists::propose_entry,
        lists::list_entries,
        lists::get_entry,
        lists::take_step,
        lists::publish,
        lists::public_lists,
        lists::public_publications,
        lists::public_publication,
        objections::file_objection,
        objections::list_objections,
        objections::get_objection,
        objections::take_step,
        objections::follow_objection,
        assessment::assessment,
        assessment::name_responsible,
        exports::list_targets,
        exports::list_exports,
        exports::run_exports,
        exports::resend,
        repairs::file_repair,
        repairs::list_repairs,
        repairs::get_repair,
        repairs::take_step,
        repairs::follow_repair,
        complaints::file_complaint,
        complaints::list_complaints,
        complaints::get_complaint,
        complaints::take_step,
        complaints::statistics,
        complaints::follow_complaint,
        healthz,
    ),
    components(schemas(Problem, crate::ingest::RowError, crate::divisions::Division)),
    modifiers(&DeclaredAccess)
)]
pub struct ApiDoc;

/// `GET /healthz`: the service is up.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "ok", body = String)))]
async fn healthz() -> &'static str {
    "ok"
}

/// The whole application: the API, its OpenAPI spec at `/api/openapi.json`
/// and the browsable docs at `/api/docs`.
pub fn app(state: AppState) -> Router {
    use axum::http::{HeaderName, HeaderValue, Method, header};
    use tower_http::set_header::SetResponseHeaderLayer;
    let limit = state.max_body_bytes;
    let timeout = state.request_timeout;
    let cors = (!state.cors_origins.iter().all(|o| o.trim().is_empty())).then(|| {
        let origins: Vec<HeaderValue> = state.cors_origins.iter().filter_map(|o| o.trim().parse().ok()).collect();
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static(access::PURPOSE_HEADER),
            ])
            .expose_headers([HeaderName::from_static("x-request-id")])
    });
    let api = Router::new()
        .merge(checks::router())
        .merge(records::router())
        .merge(imports::router())
        .merge(corrections::router())
        .merge(commitments::router())
        .merge(subjects::router())
        .merge(plugins::router())
        .merge(plugin_admin::router())
        .merge(plugin_preview::router())
        .merge(accounts::router())
        .merge(reviews::router())
        .merge(lists::router())
        .merge(objections::router())
        .merge(repairs::router())
        .merge(exports::router())
        .merge(assessment::router())
        .merge(complaints::router())
        .route("/healthz", get(healthz))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), access::authorize))
        .with_state(state);
    api.merge(utoipa_swagger_ui::SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::map_response(error::problem_responses))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(tower::util::option_layer(cors))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
}

/// Today in Beijing time (UTC+8), the default `as_of` of a check.
pub fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}
