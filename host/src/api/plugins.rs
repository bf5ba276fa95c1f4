//! `GET /api/v1/plugins`: the configured sectors and their active plugins;
//! `GET /api/v1/divisions`: the divisions and the sectors they own.

use super::AppState;
use crate::runtime::{Manifest, PluginStatus};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plugins", get(list_plugins))
        .route("/api/v1/divisions", get(list_divisions))
        .route("/metrics", get(metrics))
}

/// `GET /metrics`: the plugin runtime's metrics in the OpenMetrics text
/// format Prometheus scrapes (give the scraper any account's token):
/// `credit_plugin_calls_total{sector,version,function,result}` (`result`
/// is `ok` or the problem type after `plugin-`),
/// `credit_plugin_call_seconds{sector,function}` (histogram),
/// `credit_plugin_fuel_total{sector,version}`,
/// `credit_plugin_log_lines_dropped_total{sector,version}`,
/// `credit_plugin_active{sector,version}` (1 for the version served),
/// `credit_plugin_slots_in_use` and `credit_plugin_slots`.
#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "OpenMetrics text", body = String, content_type = "application/openmetrics-text")))]
pub(crate) async fn metrics(State(state): State<AppState>) -> Result<axum::response::Response, super::ApiError> {
    use axum::response::IntoResponse as _;
    let text = state.plugins.render_metrics().map_err(|e| anyhow::anyhow!("cannot render metrics: {e}"))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], text)
        .into_response())
}

/// A sector and its plugin.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectorPlugin {
    /// Sector id.
    pub sector: String,
    /// Ids of the divisions that own it (from the division table).
    pub divisions: Vec<String>,
    /// `active` or `not-loaded`.
    pub status: String,
    /// Why it is not loaded.
    pub reason: Option<String>,
    /// sha256 of the active component.
    pub sha256: Option<String>,
    /// Per record kind, the spreadsheet column headers its uploads use (the
    /// standard 双公示 names, then the kind schema's property titles).
    pub columns: std::collections::BTreeMap<String, Vec<String>>,
    /// The active plugin's manifest.
    pub manifest: Option<Manifest>,
    /// Every kept version of the sector, newest upload first (status,
    /// flags, signer, uploader; details at `GET /api/v1/plugins/{sector}`).
    pub versions: Vec<crate::store::PluginVersionRow>,
}

/// `GET /api/v1/plugins`.
#[utoipa::path(get, path = "/api/v1/plugins", responses((status = 200, description = "every configured sector", body = [SectorPlugin])))]
pub(crate) async fn list_plugins(State(state): State<AppState>) -> Result<Json<Vec<SectorPlugin>>, super::ApiError> {
    let mut versions: std::collections::BTreeMap<String, Vec<crate::store::PluginVersionRow>> = Default::default();
    for v in state.store.plugin_versions(None).await? {
        versions.entry(v.sector.clone()).or_default().push(v);
    }
    let mut out: Vec<SectorPlugin> = state
        .plugins
        .sectors()
        .iter()
        .map(|sector| match state.plugins.get(sector) {
            PluginStatus::Active(p) => SectorPlugin {
                sector: sector.clone(),
                divisions: state.divisions.owners(sector).iter().map(|d| d.id.clone()).collect(),
                status: "active".into(),
                reason: None,
                sha256: Some(p.sha256.clone()),
                columns: p
                    .manifest
                    .record_kinds
                    .iter()
                    .map(|k| (k.id.clone(), p.columns(&k.id).headers().into_iter().map(str::to_owned).collect()))
                    .collect(),
                manifest: Some(p.manifest.clone()),
                versions: Vec::new(),
            },
            PluginStatus::NotLoaded(reason) => SectorPlugin {
                sector: sector.clone(),
                divisions: state.divisions.owners(sector).iter().map(|d| d.id.clone()).collect(),
                status: "not-loaded".into(),
                reason: Some(reason),
                sha256: None,
                columns: Default::default(),
                manifest: None,
                versions: Vec::new(),
            },
            PluginStatus::UnknownSector => SectorPlugin {
                sector: sector.clone(),
                divisions: state.divisions.owners(sector).iter().map(|d| d.id.clone()).collect(),
                status: "not-loaded".into(),
                reason: Some("sector is not configured".into()),
                sha256: None,
                columns: Default::default(),
                manifest: None,
                versions: Vec::new(),
            },
        })
        .collect();
    for p in &mut out {
        p.versions = versions.remove(&p.sector).unwrap_or_default();
    }
    Ok(Json(out))
}

/// `GET /api/v1/divisions`.
#[utoipa::path(
    get,
    path = "/api/v1/divisions",
    responses((status = 200, description = "every division with the sectors it owns", body = [crate::divisions::Division]))
)]
pub(crate) async fn list_divisions(State(state): State<AppState>) -> Json<Vec<crate::divisions::Division>> {
    Json(state.divisions.divisions.clone())
}
