//! Plugin versions, the division keys that sign them, and the history of
//! activations. Every uploaded version is kept; a sector's active version is
//! its latest activation, so it survives a restart.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// A registered signing key.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PluginKey {
    /// Key id, as `X-Plugin-Signature` names it.
    pub id: String,
    /// The division whose sectors it may sign.
    pub unit: String,
    /// base64 of the 32-byte ed25519 public key.
    pub public_key: String,
    /// When (RFC 3339) and by whom it was registered.
    pub registered_at: String,
    /// Who registered it.
    pub registered_by: String,
    /// When it was revoked: its staged versions can no longer be activated,
    /// its active ones keep serving flagged `signer-revoked`.
    pub revoked_at: Option<String>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

/// A version to keep.
#[derive(Debug, Clone)]
pub struct NewPluginVersion<'a> {
    /// Sector.
    pub sector: &'a str,
    /// The plugin's version (manifest).
    pub version: &'a str,
    /// The interface version of the component.
    pub interface_version: &'a str,
    /// sha256 of `bytes`, hex.
    pub sha256: &'a str,
    /// The component.
    pub bytes: &'a [u8],
    /// The manifest as JSON.
    pub manifest: &'a serde_json::Value,
    /// The key that signed it (`None`: unsigned, development only).
    pub signer_key_id: Option<&'a str>,
    /// The base64 signature.
    pub signature: Option<&'a str>,
    /// Who uploaded it.
    pub uploaded_by: &'a str,
    /// How many of its own fixtures passed.
    pub fixtures: usize,
}

/// What keeping an upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staged {
    /// A new version is kept.
    Created,
    /// The same bytes were already kept under this version: nothing changed.
    Unchanged,
    /// The same bytes were kept signed by another key; the new (verified)
    /// signature replaces it — how a version is recovered after its key
    /// was revoked.
    Resigned,
}

/// A kept version as listed (without its bytes).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PluginVersionRow {
    /// Sector.
    pub sector: String,
    /// The plugin's version.
    pub version: String,
    /// Its interface version.
    pub interface_version: String,
    /// sha256 of the component, hex.
    pub sha256: String,
    /// Size of the component, in bytes.
    pub size_bytes: i64,
    /// The key that signed it; `None` for an unsigned upload.
    pub signer_key_id: Option<String>,
    /// Who uploaded it, and when (RFC 3339).
    pub uploaded_by: String,
    /// When it was uploaded.
    pub uploaded_at: String,
    /// `active`, `staged` (never active), `retired` (active before) or
    /// `refused` (not active and signed by a revoked key: it may not be
    /// activated until re-signed by a valid key).
    pub status: String,
    /// `unsigned`, `signer-revoked` and/or `no-fixtures` (the component
    /// carries no fixtures for the host to run).
    pub flags: Vec<String>,
    /// The `X-Plugin-Signature` value it was kept with.
    pub signature: Option<String>,
    /// How many of its own fixtures passed when it was uploaded.
    pub fixtures: i64,
}

/// An activation, as the history keeps it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PluginActivation {
    /// Sector.
    pub sector: String,
    /// The version made active.
    pub version: String,
    /// The version active before, if any.
    pub previous_version: Option<String>,
    /// `activate` or `rollback`.
    pub action: String,
    /// When (RFC 3339).
    pub at: String,
    /// Who.
    pub actor: String,
    /// True when the version asked for was already active: nothing changed
    /// (this is the activation that made it active).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unchanged: bool,
}

/// Why a plugin-store operation failed; nothing changed then.
#[derive(Debug, thiserror::Error)]
pub enum PluginStoreError {
    /// The key id, or the sector's version number, is taken by something else.
    #[error("{0}")]
    Conflict(String),
    /// No such key or version.
    #[error("{0}")]
    NotFound(String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

fn db(e: sqlx::Error) -> PluginStoreError {
    PluginStoreError::Db(e.into())
}

const VERSION_COLUMNS: &str =
    "v.sector, v.version, v.interface_version, v.sha256, CAST(LENGTH(v.bytes) AS BIGINT), v.signer_key_id,
     v.uploaded_by, v.uploaded_at,
     (SELECT a.version FROM plugin_activations a WHERE a.sector = v.sector ORDER BY a.id DESC LIMIT 1),
     (SELECT COUNT(*) FROM plugin_activations a WHERE a.sector = v.sector AND a.version = v.version),
     k.revoked_at, v.signature, v.fixtures";

fn version_row(r: &sqlx::any::AnyRow) -> Result<PluginVersionRow, sqlx::Error> {
    let version: String = r.try_get(1)?;
    let current: Option<String> = r.try_get(8)?;
    let times_active: i64 = r.try_get(9)?;
    let signer: Option<String> = r.try_get(5)?;
    let revoked: Option<String> = r.try_get(10)?;
    let status = if current.as_deref() == Some(version.as_str()) {
        "active"
    } else if revoked.is_some() {
        "refused"
    } else if times_active > 0 {
        "retired"
    } else {
        "staged"
    };
    let mut flags = Vec::new();
    if signer.is_none() {
        flags.push("unsigned".to_owned());
    }
    if revoked.is_some() {
        flags.push("signer-revoked".to_owned());
    }
    let fixtures: i64 = r.try_get(12)?;
    if fixtures == 0 {
        flags.push("no-fixtures".to_owned());
    }
    Ok(PluginVersionRow {
        sector: r.try_get(0)?,
        version,
        interface_version: r.try_get(2)?,
        sha256: r.try_get(3)?,
        size_bytes: r.try_get(4)?,
        signer_key_id: signer,
        uploaded_by: r.try_get(6)?,
        uploaded_at: r.try_get(7)?,
        status: status.to_owned(),
        flags,
        signature: r.try_get(11)?,
        fixtures,
    })
}

fn key_row(r: &sqlx::any::AnyRow) -> Result<PluginKey, sqlx::Error> {
    Ok(PluginKey {
        id: r.try_get(0)?,
        unit: r.try_get(1)?,
        public_key: r.try_get(2)?,
        registered_at: r.try_get(3)?,
        registered_by: r.try_get(4)?,
        revoked_at: r.try_get(5)?,
        revoked_by: r.try_get(6)?,
    })
}

fn activation_row(r: &sqlx::any::AnyRow) -> Result<PluginActivation, sqlx::Error> {
    Ok(PluginActivation {
        sector: r.try_get(0)?,
        version: r.try_get(1)?,
        previous_version: r.try_get(2)?,
        action: r.try_get(3)?,
        at: r.try_get(4)?,
        actor: r.try_get(5)?,
        unchanged: false,
    })
}

const KEY_COLUMNS: &str = "id, unit, public_key, registered_at, registered_by, revoked_at, revoked_by";

/// The PostgreSQL channel an activation is announced on (payload: the sector).
pub const ACTIVATION_CHANNEL: &str = "credit_plugin_activation";

impl Store {
    /// The activation generation: it grows with every activation and
    /// rollback, so a replica that saw another number must look again.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_generation(&self) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM plugin_activations")
            .fetch_one(self.pool())
            .await?;
        Ok(n)
    }

    /// Register a division's public key.
    ///
    /// # Errors
    /// [`PluginStoreError::Conflict`] when the key id is taken.
    pub async fn register_plugin_key(
        &self,
        id: &str,
        unit: &str,
        public_key: &str,
        by: &str,
    ) -> Result<PluginKey, PluginStoreError> {
        let _guard = self.write_guard().await;
        if self.plugin_key(id).await?.is_some() {
            return Err(PluginStoreError::Conflict(format!("密钥 {id} 已存在 / key {id:?} already exists")));
        }
        let same: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT id, revoked_at FROM plugin_keys WHERE public_key = $1")
                .bind(public_key)
                .fetch_optional(self.pool())
                .await
                .map_err(db)?;
        if let Some((other, revoked)) = same {
            let state = if revoked.is_some() { "已撤销 / revoked" } else { "在用 / in use" };
            return Err(PluginStoreError::Conflict(format!(
                "该公钥已登记为密钥 {other}（{state}），一个公钥只能登记一次 / this public key is already registered as key {other:?} ({state}); a public key is registered once, and a revoked one never again"
            )));
        }
        sqlx::query(
            "INSERT INTO plugin_keys (id, unit, public_key, registered_at, registered_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(unit)
        .bind(public_key)
        .bind(now())
        .bind(by)
        .execute(self.pool())
        .await
        .map_err(db)?;
        Ok(self.plugin_key(id).await?.expect("just inserted"))
    }

    /// The key `id`, revoked or not.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_key(&self, id: &str) -> anyhow::Result<Option<PluginKey>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {KEY_COLUMNS} FROM plugin_keys WHERE id = $1")))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(key_row).transpose()?)
    }

    /// Every registered key, by id.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_keys(&self) -> anyhow::Result<Vec<PluginKey>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {KEY_COLUMNS} FROM plugin_keys ORDER BY id")))
            .fetch_all(self.pool())
            .await?;
        Ok(rows.iter().map(key_row).collect::<Result<_, _>>()?)
    }

    /// Revoke key `id` (a second revocation changes nothing).
    ///
    /// # Errors
    /// [`PluginStoreError::NotFound`] for an unknown key.
    pub async fn revoke_plugin_key(&self, id: &str, by: &str) -> Result<PluginKey, PluginStoreError> {
        let _guard = self.write_guard().await;
        sqlx::query("UPDATE plugin_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(by)
            .bind(id)
            .execute(self.pool())
            .await
            .map_err(db)?;
        self.plugin_key(id).await?.ok_or_else(|| PluginStoreError::NotFound(format!("没有密钥 {id} / no key {id:?}")))
    }

    /// Keep a new version. The same bytes under the same version again
    /// change nothing (`Ok(false)`).
    ///
    /// # Errors
    /// [`PluginStoreError::Conflict`] when the sector already has this
    /// version number with other bytes: a released version is frozen.
    pub async fn stage_plugin_version(&self, v: &NewPluginVersion<'_>) -> Result<Staged, PluginStoreError> {
        let _guard = self.write_guard().await;
        let existing: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT sha256, signer_key_id FROM plugin_versions WHERE sector = $1 AND version = $2")
                .bind(v.sector)
                .bind(v.version)
                .fetch_optional(self.pool())
                .await
                .map_err(db)?;
        match existing {
            Some((sha, signer)) if sha == v.sha256 => {
                if v.signer_key_id.is_none() || signer.as_deref() == v.signer_key_id {
                    return Ok(Staged::Unchanged);
                }
                sqlx::query(
                    "UPDATE plugin_versions SET signer_key_id = $1, signature = $2 WHERE sector = $3 AND version = $4",
                )
                .bind(v.signer_key_id)
                .bind(v.signature)
                .bind(v.sector)
                .bind(v.version)
                .execute(self.pool())
                .await
                .map_err(db)?;
                return Ok(Staged::Resigned);
            }
            Some((sha, _)) => {
                return Err(PluginStoreError::Conflict(format!(
                    "{} 的版本 {} 已存在且内容不同（sha256 {sha}），请提高版本号 / {} version {} is already kept with other bytes (sha256 {sha}): a released version is frozen, raise the version",
                    v.sector, v.version, v.sector, v.version
                )));
            }
            None => {}
        }
        sqlx::query(
            "INSERT INTO plugin_versions (sector, version, interface_version, sha256, bytes, manifest, signer_key_id,
                 signature, uploaded_at, uploaded_by, fixtures) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(v.sector)
        .bind(v.version)
        .bind(v.interface_version)
        .bind(v.sha256)
        .bind(v.bytes.to_vec())
        .bind(v.manifest.to_string())
        .bind(v.signer_key_id)
        .bind(v.signature)
        .bind(now())
        .bind(v.uploaded_by)
        .bind(i64::try_from(v.fixtures).unwrap_or(i64::MAX))
        .execute(self.pool())
        .await
        .map_err(db)?;
        Ok(Staged::Created)
    }

    /// The kept versions of `sector` (every sector when `None`), newest
    /// upload first.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_versions(&self, sector: Option<&str>) -> anyhow::Result<Vec<PluginVersionRow>> {
        let filter = if sector.is_some() { "WHERE v.sector = $1" } else { "" };
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM plugin_versions v LEFT JOIN plugin_keys k ON k.id = v.signer_key_id
             {filter} ORDER BY v.sector, v.uploaded_at DESC, v.version DESC"
        );
        // Only constant fragments are formatted in; values are bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(sector) = sector {
            query = query.bind(sector);
        }
        let rows = query.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(version_row).collect::<Result<_, _>>()?)
    }

    /// One kept version with its bytes.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_version(
        &self,
        sector: &str,
        version: &str,
    ) -> anyhow::Result<Option<(PluginVersionRow, Vec<u8>)>> {
        let Some(row) = self.plugin_version_row(sector, version).await? else { return Ok(None) };
        Ok(self.plugin_version_bytes(sector, version).await?.map(|bytes| (row, bytes)))
    }

    /// One kept version, without its bytes.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_version_row(&self, sector: &str, version: &str) -> anyhow::Result<Option<PluginVersionRow>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {VERSION_COLUMNS} FROM plugin_versions v LEFT JOIN plugin_keys k ON k.id = v.signer_key_id
             WHERE v.sector = $1 AND v.version = $2"
        )))
        .bind(sector)
        .bind(version)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(version_row).transpose()?)
    }

    /// The bytes of a kept version.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_version_bytes(&self, sector: &str, version: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let row: Option<(Vec<u8>,)> =
            sqlx::query_as("SELECT bytes FROM plugin_versions WHERE sector = $1 AND version = $2")
                .bind(sector)
                .bind(version)
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// The latest activation of `sector`: what it serves.
    ///
    /// # Errors
    /// A database error.
    pub async fn current_plugin_activation(&self, sector: &str) -> anyhow::Result<Option<PluginActivation>> {
        let row = sqlx::query(
            "SELECT sector, version, previous_version, action, at, actor FROM plugin_activations
             WHERE sector = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(sector)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(activation_row).transpose()?)
    }

    /// The active version of every sector that has one, with its bytes.
    ///
    /// # Errors
    /// A database error.
    pub async fn active_plugin_versions(&self) -> anyhow::Result<Vec<(PluginVersionRow, Vec<u8>)>> {
        let sectors: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT sector FROM plugin_activations ORDER BY sector")
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::new();
        for (sector,) in sectors {
            if let Some(current) = self.current_plugin_activation(&sector).await?
                && let Some(v) = self.plugin_version(&sector, &current.version).await?
            {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// The activations of `sector`, latest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_activations(&self, sector: &str) -> anyhow::Result<Vec<PluginActivation>> {
        let rows = sqlx::query(
            "SELECT sector, version, previous_version, action, at, actor FROM plugin_activations
             WHERE sector = $1 ORDER BY id DESC",
        )
        .bind(sector)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(activation_row).collect::<Result<_, _>>()?)
    }

    /// The version a rollback of `sector` returns to: each rollback undoes
    /// the latest activation not undone yet, so a second rollback goes one
    /// step further back (never forward again). `None` when nothing is left
    /// to undo.
    ///
    /// # Errors
    /// A database error.
    pub async fn plugin_rollback_target(&self, sector: &str) -> anyhow::Result<Option<String>> {
        let mut undone = 0usize;
        for a in self.plugin_activations(sector).await? {
            if a.action == "rollback" {
                undone += 1;
            } else if undone > 0 {
                undone -= 1;
            } else {
                return Ok(a.previous_version);
            }
        }
        Ok(None)
    }

    /// Record that `version` of `sector` is active from now on (`action`:
    /// `activate` or `rollback`); returns the activation.
    ///
    /// # Errors
    /// [`PluginStoreError::NotFound`] for a version that is not kept.
    pub async fn record_plugin_activation(
        &self,
        sector: &str,
        version: &str,
        action: &str,
        actor: &str,
    ) -> Result<PluginActivation, PluginStoreError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await.map_err(db)?;
        let kept: Option<(String,)> =
            sqlx::query_as("SELECT sha256 FROM plugin_versions WHERE sector = $1 AND version = $2")
                .bind(sector)
                .bind(version)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        if kept.is_none() {
            return Err(PluginStoreError::NotFound(format!(
                "{sector} 没有版本 {version} / {sector} has no version {version:?}"
            )));
        }
        let previous: Option<(String,)> =
            sqlx::query_as("SELECT version FROM plugin_activations WHERE sector = $1 ORDER BY id DESC LIMIT 1")
                .bind(sector)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
        let activation = PluginActivation {
            sector: sector.to_owned(),
            version: version.to_owned(),
            previous_version: previous.map(|p| p.0),
            action: action.to_owned(),
            at: now(),
            actor: actor.to_owned(),
            unchanged: false,
        };
        sqlx::query(
            "INSERT INTO plugin_activations (sector, version, previous_version, action, at, actor)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&activation.sector)
        .bind(&activation.version)
        .bind(&activation.previous_version)
        .bind(&activation.action)
        .bind(&activation.at)
        .bind(&activation.actor)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if self.backend() == super::Backend::Postgres {
            // Delivered to every listening replica when the transaction commits.
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(ACTIVATION_CHANNEL)
                .bind(sector)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        Ok(activation)
    }
}
