//! `GET /api/v1/plugins`: the configured sectors and their active plugins;
//! `GET /api/v1/divisions`: the divisions and the sectors they own.

use super::AppState;
use crate::runtime::{Manifest, PluginStatus};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/plugins", get(list_plugins)).route("/api/v1/divisions", get(list_divisions))
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
}

/// `GET /api/v1/plugins`.
#[utoipa::path(get, path = "/api/v1/plugins", responses((status = 200, description = "every configured sector", body = [SectorPlugin])))]
pub(crate) async fn list_plugins(State(state): State<AppState>) -> Json<Vec<SectorPlugin>> {
    let out = state
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
            },
            PluginStatus::NotLoaded(reason) => SectorPlugin {
                sector: sector.clone(),
                divisions: state.divisions.owners(sector).iter().map(|d| d.id.clone()).collect(),
                status: "not-loaded".into(),
                reason: Some(reason),
                sha256: None,
                columns: Default::default(),
                manifest: None,
            },
            PluginStatus::UnknownSector => SectorPlugin {
                sector: sector.clone(),
                divisions: state.divisions.owners(sector).iter().map(|d| d.id.clone()).collect(),
                status: "not-loaded".into(),
                reason: Some("sector is not configured".into()),
                sha256: None,
                columns: Default::default(),
                manifest: None,
            },
        })
        .collect();
    Json(out)
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
