//! Plugin administration: upload (validate, verify, keep, stage), activate,
//! roll back; the division keys that sign plugins; and, at start-up, the
//! active version of each sector from the database.
//!
//! Every version is kept in the database. Activation is one atomic swap of
//! an already compiled version ([`crate::runtime::Plugins::install`]): a
//! check runs entirely on the version it started with, and the next check
//! uses the new one.

use super::access::AuditNote;
use super::error::{Path, Query};
use super::{ApiError, AppState};
use crate::access::Actor;
use crate::runtime::PluginStatus;
use crate::runtime::signing::{self, SIGNATURE_HEADER, SignatureHeader};
use crate::store::{
    NewPluginVersion, PluginActivation, PluginKey, PluginStoreError, PluginVersionRow, ReplicaReport, Staged,
};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/plugins/{sector}", get(plugin_versions))
        .route("/api/v1/admin/plugins/{sector}", put(upload_plugin))
        .route("/api/v1/admin/plugins/{sector}/activate", post(activate_plugin))
        .route("/api/v1/admin/plugins/{sector}/rollback", post(rollback_plugin))
        .route("/api/v1/admin/keys", get(list_keys).post(register_key))
        .route("/api/v1/admin/keys/{id}/revoke", post(revoke_key))
}

impl From<PluginStoreError> for ApiError {
    fn from(e: PluginStoreError) -> Self {
        match e {
            PluginStoreError::Conflict(m) => ApiError::conflict(m.clone(), "", None, "conflict", m.clone(), m),
            PluginStoreError::NotFound(m) => ApiError::NotFound(m),
            PluginStoreError::Db(e) => ApiError::Internal(e),
        }
    }
}

/// What this replica has loaded for a sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReplicaState {
    /// `loaded` or `failed`.
    pub status: String,
    /// The version serving here.
    pub version: Option<String>,
    /// Its sha256.
    pub sha256: Option<String>,
    /// Why none is loaded, or why the version the database says is active
    /// could not be loaded here (the one above keeps serving then).
    pub reason: Option<String>,
}

fn replica_state(state: &AppState, sector: &str) -> ReplicaState {
    match state.plugins.get(sector) {
        PluginStatus::Active(p) => ReplicaState {
            status: "loaded".into(),
            version: Some(p.manifest.version.clone()),
            sha256: Some(p.sha256.clone()),
            reason: state.plugins.load_error(sector),
        },
        PluginStatus::NotLoaded(reason) => {
            ReplicaState { status: "failed".into(), version: None, sha256: None, reason: Some(reason) }
        }
        PluginStatus::UnknownSector => ReplicaState {
            status: "failed".into(),
            version: None,
            sha256: None,
            reason: Some("sector is not configured".into()),
        },
    }
}

/// A sector's kept versions and its activations.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectorVersions {
    /// Sector.
    pub sector: String,
    /// What this replica serves.
    pub replica: ReplicaState,
    /// Every kept version, newest upload first.
    pub versions: Vec<PluginVersionRow>,
    /// Every activation and rollback, latest first.
    pub activations: Vec<PluginActivation>,
    /// What every replica sharing the database serves, as each last
    /// reported (every change, and every 30 s; a report older than that
    /// is from a replica that stopped or lost the database).
    pub replicas: Vec<ReplicaReport>,
}

pub(super) fn known_sector(state: &AppState, sector: &str) -> Result<(), ApiError> {
    if state.plugins.sectors().iter().any(|s| s == sector) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "没有这个行业 {sector} / unknown sector {sector:?}; configured: {}",
            state.plugins.sectors().join(", ")
        )))
    }
}

/// `GET /api/v1/plugins/{sector}`: the kept versions of a sector (plugin
/// version, interface version, sha256, signer, who and when, status
/// `active`/`staged`/`retired`, flags `unsigned`/`signer-revoked`), its
/// activations, and what this replica has loaded.
///
/// # Errors
/// `404` for an unknown sector.
#[utoipa::path(
    get, path = "/api/v1/plugins/{sector}", params(("sector" = String, Path, description = "sector id")),
    responses(
        (status = 200, description = "versions and activations", body = SectorVersions),
        (status = 404, description = "unknown sector", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn plugin_versions(
    State(state): State<AppState>,
    Path(sector): Path<String>,
) -> Result<Json<SectorVersions>, ApiError> {
    known_sector(&state, &sector)?;
    Ok(Json(SectorVersions {
        replica: replica_state(&state, &sector),
        versions: state.store.plugin_versions(Some(&sector)).await?,
        activations: state.store.plugin_activations(&sector).await?,
        replicas: state.store.replica_reports(&sector).await?,
        sector,
    }))
}

/// Options of an upload.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadOptions {
    /// Activate the version at once (default false: staged only).
    #[serde(default)]
    pub activate: bool,
}

/// The answer to an upload.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    /// The kept version.
    pub version: PluginVersionRow,
    /// False when the same bytes were already kept under this version.
    pub created: bool,
    /// True when the same bytes were kept signed by another key and this
    /// upload's (verified) signature replaced it: how a version is
    /// recovered after its signer's key was revoked.
    pub resigned: bool,
    /// Record kinds and licence types the sector's active version offers
    /// that this version drops, with how many stored records use each kind
    /// (activating it stops imports of those kinds and checks for those
    /// licences).
    pub warnings: Vec<String>,
    /// The activation, when `activate=true`.
    pub activation: Option<PluginActivation>,
    /// How many of the fixtures the component carries passed (all did, or
    /// it was refused); 0 when it carries none.
    pub fixtures_passed: usize,
}

fn refused(pointer: &str, code: &str, message: String) -> ApiError {
    ApiError::Invalid {
        detail: format!("{message}; nothing was stored or changed"),
        errors: vec![crate::ingest::RowError {
            line: None,
            column: None,
            pointer: Some(pointer.to_owned()),
            value: None,
            code: code.to_owned(),
            message: message.clone(),
            message_en: message,
        }],
    }
}

/// `PUT /api/v1/admin/plugins/{sector}`: upload a component (the `.wasm` as
/// the body) signed in `X-Plugin-Signature: KEY_ID:BASE64` over
/// `credit-plugin/v1 {sector} {version} {sha256}`. The host compiles it,
/// checks that it is a `credit:plugin` component of an interface version it
/// accepts with no other import, that its version is semantic, that its
/// manifest names this sector and its schemas compile, that a registered,
/// unrevoked key of a division owning the sector signed it, and that the
/// fixtures it carries ([`crate::runtime::FIXTURES_SECTION`]) pass; then
/// keeps it as a staged version (`?activate=true` also activates it). The
/// same bytes signed by another valid key re-sign the kept version.
///
/// # Errors
/// `422` naming what failed (nothing changes), `409` when the version
/// number is kept with other bytes, `404` for an unknown sector.
#[utoipa::path(
    put, path = "/api/v1/admin/plugins/{sector}",
    params(("sector" = String, Path, description = "sector id"), UploadOptions,
        ("x-plugin-signature" = String, Header, description = "KEY_ID:BASE64 ed25519 signature")),
    request_body(content = Vec<u8>, content_type = "application/wasm", description = "the component"),
    responses(
        (status = 201, description = "kept (and activated if asked)", body = Uploaded),
        (status = 200, description = "the same bytes were already kept under this version", body = Uploaded),
        (status = 422, description = "not a valid, correctly signed plugin of this sector", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "this version number is kept with other bytes", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn upload_plugin(
    State(state): State<AppState>,
    actor: Actor,
    Path(sector): Path<String>,
    Query(options): Query<UploadOptions>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<Uploaded>), ApiError> {
    known_sector(&state, &sector)?;
    let signature = match headers.get(SIGNATURE_HEADER) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .map_err(|_| "非 ASCII 字符 / not ASCII".to_owned())
                .and_then(SignatureHeader::parse)
                .map_err(|m| refused("/header/x-plugin-signature", "signature-malformed", m))?,
        ),
    };
    let uploaded = stage(&state, &sector, body.to_vec(), signature, &actor.account, options.activate).await?;
    let row = &uploaded.version;
    let note = AuditNote {
        detail: Some(format!(
            "{sector} {} sha256 {} signer {}{}",
            row.version,
            row.sha256,
            row.signer_key_id.as_deref().unwrap_or("unsigned"),
            if uploaded.activation.is_some() { " activated" } else { "" }
        )),
        ..AuditNote::default()
    };
    let status = if uploaded.created { StatusCode::CREATED } else { StatusCode::OK };
    for w in &uploaded.warnings {
        tracing::warn!(sector, "upload of {}: {w}", uploaded.version.version);
    }
    Ok((status, Extension(note), Json(uploaded)))
}

/// Validate, verify and keep `bytes` as a version of `sector` uploaded by
/// `actor`, and activate it when `activate` (what `PUT
/// /api/v1/admin/plugins/{sector}` does after reading the signature header).
///
/// # Errors
/// `422` naming what failed, `409` when the version number is kept with
/// other bytes, `404` for an unknown sector; nothing changes then.
pub async fn stage(
    state: &AppState,
    sector: &str,
    bytes: Vec<u8>,
    signature: Option<SignatureHeader>,
    actor: &str,
    activate_now: bool,
) -> Result<Uploaded, ApiError> {
    known_sector(state, sector)?;
    if signature.is_none() && !state.allow_unsigned_plugins {
        return Err(refused(
            "/header/x-plugin-signature",
            "signature-missing",
            format!(
                "插件须经本处室密钥签名（{SIGNATURE_HEADER}）/ a plugin upload must be signed ({SIGNATURE_HEADER}: KEY_ID:BASE64); this host accepts unsigned plugins only with CREDIT_ALLOW_UNSIGNED_PLUGINS=true (development)"
            ),
        ));
    }
    let _admin = state.plugin_admin.lock().await;
    let digest = crate::runtime::sha256_hex(&bytes);
    let plugin = match state.plugins.compiled(sector, &digest) {
        Some(p) => p,
        None => state
            .plugins
            .compile(sector, bytes.clone())
            .await
            .map_err(|e| refused("/body", "plugin-invalid", e.to_string()))?,
    };
    let m = &plugin.manifest;
    if m.sector != sector {
        return Err(refused(
            "/path/sector",
            "sector-mismatch",
            format!(
                "组件的清单声明行业 {}，上传地址为 {sector} / the component's manifest says sector {:?}, the URL says {sector:?}",
                m.sector, m.sector
            ),
        ));
    }
    if let Some(sig) = &signature {
        let key = state.store.plugin_key(&sig.key_id).await?.ok_or_else(|| {
            refused(
                "/header/x-plugin-signature",
                "key-unknown",
                format!("密钥 {} 未登记 / key {:?} is not registered", sig.key_id, sig.key_id),
            )
        })?;
        if key.revoked_at.is_some() {
            return Err(refused(
                "/header/x-plugin-signature",
                "key-revoked",
                format!("密钥 {} 已撤销 / key {:?} is revoked", key.id, key.id),
            ));
        }
        if !state.divisions.owners(sector).iter().any(|d| d.id == key.unit) {
            return Err(refused(
                "/header/x-plugin-signature",
                "key-not-for-sector",
                format!(
                    "密钥 {} 属于 {}，不能为 {sector} 签名 / key {:?} belongs to {:?}, which does not own sector {sector:?}",
                    key.id, key.unit, key.id, key.unit
                ),
            ));
        }
        signing::verify(&key.public_key, &signing::signed_message(sector, &m.version, &plugin.sha256), &sig.signature)
            .map_err(|e| refused("/header/x-plugin-signature", "signature-invalid", e))?;
    }
    let fixtures_passed = run_own_fixtures(&plugin, &bytes).await?;
    let manifest = serde_json::to_value(m).map_err(anyhow::Error::from)?;
    let encoded = signature.as_ref().map(SignatureHeader::to_header);
    let created = state
        .store
        .stage_plugin_version(&NewPluginVersion {
            sector,
            version: &m.version,
            interface_version: &m.interface_version,
            sha256: &plugin.sha256,
            bytes: &bytes,
            manifest: &manifest,
            signer_key_id: signature.as_ref().map(|s| s.key_id.as_str()),
            signature: encoded.as_deref(),
            uploaded_by: actor,
            fixtures: fixtures_passed,
        })
        .await?;
    let version = m.version.clone();
    let warnings = dropped_offers(state, sector, m).await?;
    if state.plugins.get(sector).active_sha256() != Some(plugin.sha256.as_str()) {
        state.plugins.keep_compiled(plugin.clone());
    }
    let activation =
        if activate_now { Some(activate(state, sector, &version, "activate", actor).await?) } else { None };
    let row = state
        .store
        .plugin_version_row(sector, &version)
        .await?
        .ok_or_else(|| anyhow::anyhow!("version {version} vanished after staging"))?;
    Ok(Uploaded {
        version: row,
        created: created == Staged::Created,
        resigned: created == Staged::Resigned,
        warnings,
        activation,
        fixtures_passed,
    })
}

/// What the sector's active version offers that `m` drops: record kinds
/// (with the number of stored records of each) and licence types.
async fn dropped_offers(state: &AppState, sector: &str, m: &crate::runtime::Manifest) -> Result<Vec<String>, ApiError> {
    let PluginStatus::Active(active) = state.plugins.get(sector) else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for kind in &active.manifest.record_kinds {
        if !m.record_kinds.iter().any(|k| k.id == kind.id) {
            let n = state.store.count_records(Some(sector), Some(&kind.id)).await?;
            out.push(format!(
                "版本 {} 不再提供记录类别 {}（库中有 {n} 条）/ version {} drops record kind {:?}, which {n} stored records use",
                m.version, kind.id, m.version, kind.id
            ));
        }
    }
    for licence in &active.manifest.licence_types {
        if !m.licence_types.contains(licence) {
            out.push(format!(
                "版本 {} 不再核查许可类型 {licence} / version {} drops licence type {licence:?}",
                m.version, m.version
            ));
        }
    }
    Ok(out)
}

/// Check kept bytes before they serve: their sha256 is the one recorded,
/// and the recorded signature still verifies with its key (revoked keys
/// included: a revoked signer's active version keeps serving, flagged).
///
/// # Errors
/// Why the bytes may not serve.
pub(crate) async fn verify_kept(
    store: &crate::store::Store,
    row: &PluginVersionRow,
    bytes: &[u8],
) -> Result<(), String> {
    let digest = crate::runtime::sha256_hex(bytes);
    if digest != row.sha256 {
        return Err(format!(
            "库中 {} {} 的内容与登记的 sha256 不符 / the stored bytes of {} {} have sha256 {digest}, not the recorded {}",
            row.sector, row.version, row.sector, row.version, row.sha256
        ));
    }
    let (Some(key_id), Some(signature)) = (&row.signer_key_id, &row.signature) else {
        return Ok(()); // unsigned (development), flagged
    };
    let key = store
        .plugin_key(key_id)
        .await
        .map_err(|e| format!("cannot read key {key_id}: {e}"))?
        .ok_or_else(|| format!("签名密钥 {key_id} 不存在 / signing key {key_id:?} is not registered"))?;
    let sig = SignatureHeader::parse(signature)?;
    signing::verify(&key.public_key, &signing::signed_message(&row.sector, &row.version, &row.sha256), &sig.signature)
}

/// Why a kept version could not be made ready to serve here.
#[derive(Debug)]
pub(crate) enum NotReady {
    /// The stored bytes fail [`verify_kept`]: the reason.
    Bytes(String),
    /// They do not compile or load: the reason.
    Compile(String),
    /// The bytes could not be read.
    Db(anyhow::Error),
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotReady::Bytes(m) | NotReady::Compile(m) => f.write_str(m),
            NotReady::Db(e) => write!(f, "{e:#}"),
        }
    }
}

/// Kept version `row` ready to serve on this replica: the compiled form it
/// holds already, or its stored bytes (`bytes`, read from the store when
/// `None`) checked by [`verify_kept`] and then compiled.
///
/// # Errors
/// [`NotReady`] saying which of reading, verifying and compiling failed.
pub(crate) async fn ready_version(
    state: &AppState,
    row: &PluginVersionRow,
    bytes: Option<Vec<u8>>,
) -> Result<std::sync::Arc<crate::runtime::LoadedPlugin>, NotReady> {
    if let Some(p) = state.plugins.compiled(&row.sector, &row.sha256) {
        return Ok(p);
    }
    let bytes = match bytes {
        Some(b) => b,
        None => state
            .store
            .plugin_version_bytes(&row.sector, &row.version)
            .await
            .map_err(NotReady::Db)?
            .ok_or_else(|| NotReady::Db(anyhow::anyhow!("the bytes of {} {} vanished", row.sector, row.version)))?,
    };
    verify_kept(&state.store, row, &bytes).await.map_err(NotReady::Bytes)?;
    state.plugins.compile(&row.sector, bytes).await.map_err(|e| NotReady::Compile(e.to_string()))
}

/// Run the fixtures `bytes` carries ([`crate::runtime::FIXTURES_SECTION`])
/// through its compiled `plugin`; their number.
///
/// # Errors
/// `422` with the diff of every failing fixture, or when the section cannot
/// be read.
async fn run_own_fixtures(
    plugin: &std::sync::Arc<crate::runtime::LoadedPlugin>,
    bytes: &[u8],
) -> Result<usize, ApiError> {
    let Some(fixtures) =
        crate::runtime::embedded_fixtures(bytes).map_err(|m| refused("/body", "fixtures-unreadable", m))?
    else {
        return Ok(0);
    };
    let p = plugin.clone();
    let results = tokio::task::spawn_blocking(move || crate::runtime::run_embedded(&p, fixtures))
        .await
        .map_err(|e| anyhow::anyhow!("fixture run panicked: {e}"))?;
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| {
            r.outcome.as_ref().err().map(|diff| format!("{} — {}\n{diff}", r.file.display(), r.description))
        })
        .collect();
    if !failed.is_empty() {
        return Err(refused(
            "/body",
            "fixture-failed",
            format!(
                "{} 个自带测试用例未通过 / {} of the component's {} fixtures fail:\n{}",
                failed.len(),
                failed.len(),
                results.len(),
                failed.join("\n")
            ),
        ));
    }
    Ok(results.len())
}

/// Make kept `version` of `sector` the active one: checks it may serve,
/// takes its compiled form (compiling it if this replica has none),
/// records the activation, then swaps. The caller holds `plugin_admin`.
async fn activate(
    state: &AppState,
    sector: &str,
    version: &str,
    action: &str,
    actor: &str,
) -> Result<PluginActivation, ApiError> {
    // The bytes are read only when this replica must compile them: an
    // activation of a compiled version is a few small queries and a swap.
    let row = state.store.plugin_version_row(sector, version).await?.ok_or_else(|| {
        ApiError::NotFound(format!("{sector} 没有版本 {version} / {sector} has no version {version:?}"))
    })?;
    let refuse = |code: &str, m: String| {
        ApiError::conflict(format!("{m}; nothing changed"), "/version", Some(version.to_owned()), code, m.clone(), m)
    };
    if row.flags.iter().any(|f| f == "signer-revoked") {
        return Err(refuse(
            "signer-revoked",
            format!(
                "{sector} {version} 的签名密钥 {} 已撤销，不能启用 / {sector} {version} was signed with revoked key {:?} and cannot be activated",
                row.signer_key_id.as_deref().unwrap_or_default(),
                row.signer_key_id.as_deref().unwrap_or_default()
            ),
        ));
    }
    if row.signer_key_id.is_none() && !state.allow_unsigned_plugins {
        return Err(refuse(
            "unsigned",
            format!(
                "{sector} {version} 未签名，本系统只启用已签名插件 / {sector} {version} is unsigned; this host activates only signed plugins"
            ),
        ));
    }
    let current = state.store.current_plugin_activation(sector).await?;
    if let Some(current) = current.filter(|c| c.version == version && action == "activate")
        && state.plugins.get(sector).active_sha256() == Some(row.sha256.as_str())
    {
        return Ok(PluginActivation { unchanged: true, ..current }); // already active: nothing to swap
    }
    let plugin = ready_version(state, &row, None).await.map_err(|e| match e {
        NotReady::Bytes(m) => refuse("stored-bytes-invalid", m),
        NotReady::Compile(m) => refuse("plugin-invalid", m),
        NotReady::Db(e) => ApiError::Internal(e),
    })?;
    let activation = state.store.record_plugin_activation(sector, version, action, actor).await?;
    state.plugins.install(plugin);
    Ok(activation)
}

/// The version to activate.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    /// A kept version of the sector, e.g. `1.3.0`.
    pub version: String,
}

/// `POST /api/v1/admin/plugins/{sector}/activate`: make a kept version
/// active: one swap of an already compiled version; checks already running
/// finish on the version they started with.
///
/// # Errors
/// `404` for an unknown sector or version; `409` for a version signed by a
/// revoked key, or unsigned on a host that requires signatures.
#[utoipa::path(
    post, path = "/api/v1/admin/plugins/{sector}/activate", params(("sector" = String, Path, description = "sector id")),
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "active", body = PluginActivation),
        (status = 404, description = "no such sector or version", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the version may not serve", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn activate_plugin(
    State(state): State<AppState>,
    actor: Actor,
    Path(sector): Path<String>,
    body: axum::body::Bytes,
) -> Result<(Extension<AuditNote>, Json<PluginActivation>), ApiError> {
    known_sector(&state, &sector)?;
    let request: ActivateRequest = super::error::parse_json(&body)?;
    let _admin = state.plugin_admin.lock().await;
    let activation = activate(&state, &sector, &request.version, "activate", &actor.account).await?;
    Ok((Extension(activation_note(&activation)), Json(activation)))
}

fn activation_note(a: &PluginActivation) -> AuditNote {
    AuditNote {
        detail: Some(format!(
            "{} {} → {} ({})",
            a.sector,
            a.previous_version.as_deref().unwrap_or("none"),
            a.version,
            a.action
        )),
        ..AuditNote::default()
    }
}

/// `POST /api/v1/admin/plugins/{sector}/rollback`: undo the latest
/// activation: return to the version active before it. A second rollback
/// undoes the activation before that (it never goes forward again); when
/// nothing is left to undo, `409`.
///
/// # Errors
/// `404` for an unknown sector; `409` when there is no earlier version, or
/// it may no longer serve.
#[utoipa::path(
    post, path = "/api/v1/admin/plugins/{sector}/rollback", params(("sector" = String, Path, description = "sector id")),
    responses(
        (status = 200, description = "the previous version is active", body = PluginActivation),
        (status = 409, description = "nothing to roll back to", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn rollback_plugin(
    State(state): State<AppState>,
    actor: Actor,
    Path(sector): Path<String>,
) -> Result<(Extension<AuditNote>, Json<PluginActivation>), ApiError> {
    known_sector(&state, &sector)?;
    let _admin = state.plugin_admin.lock().await;
    let Some(previous) = state.store.plugin_rollback_target(&sector).await? else {
        let m = format!("{sector} 没有可回退的上一版本 / {sector} has no earlier active version to roll back to");
        return Err(ApiError::conflict(format!("{m}; nothing changed"), "", None, "no-previous-version", m.clone(), m));
    };
    let activation = activate(&state, &sector, &previous, "rollback", &actor.account).await?;
    Ok((Extension(activation_note(&activation)), Json(activation)))
}

/// A key to register.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// Key id: 1–64 of `a-z 0-9 - _ .`, e.g. `cultural-market-2026`.
    pub id: String,
    /// The division it signs for (an id of the division table that owns sectors).
    pub unit: String,
    /// base64 of the 32-byte ed25519 public key (`credit-host plugin keygen` prints it).
    pub public_key: String,
}

/// `POST /api/v1/admin/keys`: register a division's public key.
///
/// # Errors
/// `422` for a bad id, an unknown unit or a unit that owns no sector, or a
/// key that is not a valid ed25519 public key; `409` when the id is taken.
#[utoipa::path(
    post, path = "/api/v1/admin/keys", request_body = NewKey,
    responses(
        (status = 201, description = "registered", body = PluginKey),
        (status = 422, description = "invalid key", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "the key id is taken", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn register_key(
    State(state): State<AppState>,
    actor: Actor,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Extension<AuditNote>, Json<PluginKey>), ApiError> {
    let new: NewKey = super::error::parse_json(&body)?;
    if !signing::valid_key_id(&new.id) {
        return Err(ApiError::invalid(
            "/id",
            Some(new.id.chars().take(80).collect()),
            "key-id-invalid",
            "密钥编号须为 1–64 个小写字母、数字、-、_ 或 .".into(),
            "a key id is 1–64 of a-z, 0-9, '-', '_', '.'".into(),
        ));
    }
    let owns = state.plugins.sectors().iter().any(|s| state.divisions.owners(s).iter().any(|d| d.id == new.unit));
    if !owns {
        return Err(ApiError::invalid(
            "/unit",
            Some(new.unit.chars().take(80).collect()),
            "unit-owns-no-sector",
            format!("单位 {} 不在处室表中或不负责任何行业，不能登记插件签名密钥", new.unit),
            format!(
                "unit {:?} is not in the division table or owns no sector; only a division signs plugins",
                new.unit
            ),
        ));
    }
    signing::public_key(&new.public_key)
        .map_err(|m| ApiError::invalid("/public_key", None, "public-key-invalid", m.clone(), m))?;
    let key = state.store.register_plugin_key(&new.id, &new.unit, new.public_key.trim(), &actor.account).await?;
    let note = AuditNote { detail: Some(format!("key {} for {}", key.id, key.unit)), ..AuditNote::default() };
    Ok((StatusCode::CREATED, Extension(note), Json(key)))
}

/// `GET /api/v1/admin/keys`: every registered key, revoked ones included.
#[utoipa::path(get, path = "/api/v1/admin/keys", responses((status = 200, description = "every key", body = [PluginKey])))]
pub(crate) async fn list_keys(State(state): State<AppState>) -> Result<Json<Vec<PluginKey>>, ApiError> {
    Ok(Json(state.store.plugin_keys().await?))
}

/// `POST /api/v1/admin/keys/{id}/revoke`: revoke a key. Versions it signed
/// that are staged can no longer be activated; an active one keeps serving,
/// flagged `signer-revoked`, until another version replaces it.
///
/// # Errors
/// `404` for an unknown key.
#[utoipa::path(
    post, path = "/api/v1/admin/keys/{id}/revoke", params(("id" = String, Path, description = "key id")),
    responses(
        (status = 200, description = "revoked", body = PluginKey),
        (status = 404, description = "no such key", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn revoke_key(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<(Extension<AuditNote>, Json<PluginKey>), ApiError> {
    let key = state.store.revoke_plugin_key(&id, &actor.account).await?;
    let note = AuditNote { detail: Some(format!("key {} of {}", key.id, key.unit)), ..AuditNote::default() };
    Ok((Extension(note), Json(key)))
}

/// At start-up: load the active version of every sector that has one in the
/// database (only of sector `only` when given). A version that fails to load leaves its sector answering
/// `503` with the reason, and the others serve; a version whose signer was
/// revoked keeps serving (flagged), so a restart brings no surprise.
/// Returns the sectors the database decides (the plugin directory is not
/// consulted for them).
///
/// # Errors
/// A database error.
pub async fn load_active_plugins(
    store: &crate::store::Store,
    plugins: &crate::runtime::Plugins,
    only: Option<&str>,
) -> anyhow::Result<Vec<String>> {
    let mut decided = Vec::new();
    for (row, bytes) in store.active_plugin_versions().await? {
        if only.is_some_and(|s| s != row.sector) {
            continue;
        }
        decided.push(row.sector.clone());
        if row.flags.iter().any(|f| f == "unsigned") {
            tracing::warn!(sector = row.sector, version = row.version, "the active plugin version is unsigned");
        }
        if let Err(reason) = verify_kept(store, &row, &bytes).await {
            tracing::error!(sector = row.sector, version = row.version, "active plugin not loaded: {reason}");
            plugins.fail(&row.sector, format!("active version {} may not serve: {reason}", row.version));
            continue;
        }
        if row.flags.iter().any(|f| f == "signer-revoked") {
            tracing::warn!(
                sector = row.sector,
                version = row.version,
                "the active version's signing key is revoked; it serves until replaced"
            );
        }
        match plugins.compile(&row.sector, bytes).await {
            Ok(p) => plugins.install(p),
            Err(e) => {
                tracing::error!(sector = row.sector, version = row.version, "active plugin not loaded: {e}");
                plugins.fail(&row.sector, format!("active version {} could not be loaded: {e}", row.version));
            }
        }
    }
    Ok(decided)
}

/// Follow activations made by other replicas sharing the database: on
/// PostgreSQL a `LISTEN` on [`crate::store::ACTIVATION_CHANNEL`] wakes the
/// host at once, and every `poll` the activation generation is read, so a
/// notification lost while the listener reconnects is caught at the next
/// poll (within 2 s with the default of 1 s). Runs until the process ends.
pub async fn follow_activations(state: AppState, poll: std::time::Duration) {
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    if state.store.backend() == crate::store::Backend::Postgres {
        let (url, wake) = (state.store.url().to_owned(), wake.clone());
        tokio::spawn(async move { listen(&url, &wake).await });
    }
    let mut seen = None;
    let mut reported: Option<(Vec<(String, ReplicaState)>, std::time::Instant)> = None;
    loop {
        match state.store.plugin_generation().await {
            Ok(generation) if seen != Some(generation) => {
                if let Err(e) = sync_active_plugins(&state).await {
                    tracing::warn!("cannot follow plugin activations: {e:#}");
                } else {
                    seen = Some(generation);
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("cannot read the plugin activation generation: {e:#}"),
        }
        report_replica(&state, &mut reported).await;
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
        }
    }
}

/// How often a replica reports what it serves even when nothing changed.
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Record what this replica serves, when it changed since `last` or
/// [`REPORT_EVERY`] passed.
async fn report_replica(state: &AppState, last: &mut Option<(Vec<(String, ReplicaState)>, std::time::Instant)>) {
    let now: Vec<(String, ReplicaState)> =
        state.plugins.sectors().iter().map(|s| (s.clone(), replica_state(state, s))).collect();
    if last.as_ref().is_some_and(|(states, at)| *states == now && at.elapsed() < REPORT_EVERY) {
        return;
    }
    let reports: Vec<(String, ReplicaReport)> = now
        .iter()
        .map(|(sector, r)| {
            let report = ReplicaReport {
                replica: state.replica.clone(),
                status: r.status.clone(),
                version: r.version.clone(),
                sha256: r.sha256.clone(),
                reason: r.reason.clone(),
                reported_at: String::new(),
            };
            (sector.clone(), report)
        })
        .collect();
    match state.store.report_replica(&state.replica, &reports).await {
        Ok(()) => *last = Some((now, std::time::Instant::now())),
        Err(e) => tracing::warn!("cannot report what this replica serves: {e:#}"),
    }
}

/// Wake `wake` on every activation notice, and when the connection drops
/// (notices may have been lost meanwhile).
async fn listen(url: &str, wake: &tokio::sync::Notify) {
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("plugin activation listener cannot connect: {e}");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(crate::store::ACTIVATION_CHANNEL).await {
            tracing::warn!("plugin activation listener cannot LISTEN: {e}");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            continue;
        }
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => wake.notify_one(),
                Ok(None) => {
                    tracing::info!("plugin activation listener reconnecting");
                    wake.notify_one();
                }
                Err(e) => {
                    tracing::warn!("plugin activation listener lost its connection: {e}");
                    wake.notify_one();
                    break; // a fresh listener
                }
            }
        }
    }
}

/// Make this replica serve, for every sector, the version the database says
/// is active (under the administration lock, so it never races a local
/// activation). A version that cannot be loaded here leaves the one serving
/// in place and is reported as this replica's load error.
async fn sync_active_plugins(state: &AppState) -> anyhow::Result<()> {
    let _admin = state.plugin_admin.lock().await;
    for (row, bytes) in state.store.active_plugin_versions().await? {
        if state.plugins.get(&row.sector).active_sha256() == Some(row.sha256.as_str()) {
            continue;
        }
        match ready_version(state, &row, Some(bytes)).await {
            Ok(p) => {
                tracing::info!(sector = row.sector, version = row.version, "activated by another replica");
                state.plugins.install(p);
            }
            Err(e) => {
                tracing::error!(sector = row.sector, version = row.version, "cannot load the active version: {e}");
                state
                    .plugins
                    .note_load_error(&row.sector, format!("version {} could not be loaded here: {e}", row.version));
            }
        }
    }
    Ok(())
}
