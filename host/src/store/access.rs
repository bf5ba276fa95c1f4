//! Accounts, API tokens and the append-only audit trail.

use super::{Store, now};
use crate::access::{Actor, IssuedToken, Role, issue_token, secret_matches, split_token};
use serde::Serialize;
use sqlx::Row as _;

/// An account as stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccountRow {
    /// The login.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Unit id (division table).
    pub unit: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// When and by whom it was created (RFC 3339, account id).
    pub created_at: String,
    /// Who created it.
    pub created_by: String,
    /// When it was disabled; a disabled account's tokens no longer work.
    pub disabled_at: Option<String>,
}

/// Why an account or token operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The account id is taken.
    #[error("account {0:?} already exists")]
    Exists(String),
    /// No such account or token.
    #[error("no account or token {0:?}")]
    NotFound(String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

/// One row of the audit trail.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Sequence number (assigned by the store).
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The request id (`x-request-id`).
    pub request_id: String,
    /// Account id, or `anonymous`.
    pub actor: String,
    /// The actor's unit.
    pub unit: Option<String>,
    /// The actor's roles.
    pub roles: Vec<Role>,
    /// What was done: `check.create`, `subject.read`, `record.report`, …
    pub action: String,
    /// HTTP method.
    pub method: String,
    /// Request path (no query string).
    pub path: String,
    /// HTTP status answered.
    pub status: u16,
    /// Declared purpose (a check's purpose, or the `x-credit-purpose` header).
    pub purpose: Option<String>,
    /// The subject whose file was read or changed (USCC or `p:` key).
    pub subject_key: Option<String>,
    /// More about it (a check id, a record id, a count).
    pub detail: Option<String>,
}

/// Filters of an audit query; every field optional.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// Only this account.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only this subject key.
    pub subject_key: Option<String>,
    /// From this time on: RFC 3339 with an offset, or `YYYY-MM-DD` (from
    /// the start of that day in Beijing time).
    pub from: Option<String>,
    /// Up to this time: RFC 3339 with an offset (exclusive), or `YYYY-MM-DD`
    /// (that whole day in Beijing time included).
    pub to: Option<String>,
    /// At most this many rows, newest first (default 1,000, at most 100,000).
    pub limit: Option<i64>,
}

fn roles_text(roles: &[Role]) -> String {
    serde_json::to_string(roles).unwrap_or_else(|_| "[]".into())
}

fn roles_parse(text: &str) -> Vec<Role> {
    serde_json::from_str(text).unwrap_or_default()
}

impl Store {
    /// Create an account.
    ///
    /// # Errors
    /// [`AccessError::Exists`] when the id is taken.
    pub async fn create_account(
        &self,
        id: &str,
        name: &str,
        unit: &str,
        roles: &[Role],
        by: &str,
    ) -> Result<(), AccessError> {
        let _guard = self.write_guard().await;
        let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(anyhow::Error::from)?;
        if taken.is_some() {
            return Err(AccessError::Exists(id.to_owned()));
        }
        sqlx::query(
            "INSERT INTO accounts (id, name, unit, roles, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(name)
        .bind(unit)
        .bind(roles_text(roles))
        .bind(now())
        .bind(by)
        .execute(self.pool())
        .await
        .map_err(anyhow::Error::from)?;
        Ok(())
    }

    /// Every account, by id.
    ///
    /// # Errors
    /// A database error.
    pub async fn accounts(&self) -> anyhow::Result<Vec<AccountRow>> {
        let rows =
            sqlx::query("SELECT id, name, unit, roles, created_at, created_by, disabled_at FROM accounts ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                Ok(AccountRow {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    unit: r.try_get(2)?,
                    roles: roles_parse(&r.try_get::<String, _>(3)?),
                    created_at: r.try_get(4)?,
                    created_by: r.try_get(5)?,
                    disabled_at: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Disable an account: its tokens stop working at once; the account and
    /// everything it did stay.
    ///
    /// # Errors
    /// [`AccessError::NotFound`] for an unknown account.
    pub async fn disable_account(&self, id: &str, by: &str) -> Result<(), AccessError> {
        self.end("UPDATE accounts SET disabled_at = $1, disabled_by = $2 WHERE id = $3 AND disabled_at IS NULL", id, by)
            .await
    }

    /// Run `sql` (`$1` now, `$2` by, `$3` id) that ends an account or a token
    /// once; `NotFound` when nothing was left to end.
    async fn end(&self, sql: &'static str, id: &str, by: &str) -> Result<(), AccessError> {
        let _guard = self.write_guard().await;
        let done =
            sqlx::query(sql).bind(now()).bind(by).bind(id).execute(self.pool()).await.map_err(anyhow::Error::from)?;
        if done.rows_affected() == 0 {
            return Err(AccessError::NotFound(id.to_owned()));
        }
        Ok(())
    }

    /// Issue a token for `account` and store its hash; the returned token is
    /// the only copy of the secret.
    ///
    /// # Errors
    /// [`AccessError::NotFound`] for an unknown or disabled account.
    pub async fn issue_token(&self, account: &str, label: &str, by: &str) -> Result<IssuedToken, AccessError> {
        let _guard = self.write_guard().await;
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE id = $1 AND disabled_at IS NULL")
            .bind(account)
            .fetch_optional(self.pool())
            .await
            .map_err(anyhow::Error::from)?;
        if exists.is_none() {
            return Err(AccessError::NotFound(account.to_owned()));
        }
        let token = issue_token()?;
        sqlx::query(
            "INSERT INTO api_tokens (id, account_id, secret_sha256, label, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&token.id)
        .bind(account)
        .bind(&token.secret_sha256)
        .bind(label)
        .bind(now())
        .bind(by)
        .execute(self.pool())
        .await
        .map_err(anyhow::Error::from)?;
        Ok(token)
    }

    /// Revoke a token (by its id, the part after `crt_`).
    ///
    /// # Errors
    /// [`AccessError::NotFound`] for an unknown or already revoked token.
    pub async fn revoke_token(&self, id: &str, by: &str) -> Result<(), AccessError> {
        self.end("UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL", id, by)
            .await
    }

    /// The actor `token` signs in as: `None` for a malformed, unknown,
    /// revoked or expired token, or one of a disabled account.
    ///
    /// # Errors
    /// A database error.
    pub async fn authenticate(&self, token: &str) -> anyhow::Result<Option<Actor>> {
        let Some((id, secret)) = split_token(token) else { return Ok(None) };
        let row = sqlx::query(
            "SELECT t.secret_sha256, t.expires_at, a.id, a.name, a.unit, a.roles
             FROM api_tokens t JOIN accounts a ON a.id = t.account_id
             WHERE t.id = $1 AND t.revoked_at IS NULL AND a.disabled_at IS NULL",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let stored: String = r.try_get(0)?;
        let expires: Option<String> = r.try_get(1)?;
        if !secret_matches(secret, &stored) || expires.is_some_and(|e| e <= now()) {
            return Ok(None);
        }
        Ok(Some(Actor {
            account: r.try_get(2)?,
            name: r.try_get(3)?,
            unit: r.try_get(4)?,
            roles: roles_parse(&r.try_get::<String, _>(5)?),
            token_id: id.to_owned(),
        }))
    }

    /// How many accounts exist.
    ///
    /// # Errors
    /// A database error.
    pub async fn account_count(&self) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(self.pool()).await?;
        Ok(n)
    }

    /// Append `entry` to the audit trail (its `id` is ignored).
    ///
    /// # Errors
    /// A database error: the caller then does not answer.
    pub async fn audit(&self, entry: &AuditEntry) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query(
            "INSERT INTO audit_log (at, request_id, actor, unit, roles, action, method, path, status, purpose, subject_key, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&entry.at)
        .bind(&entry.request_id)
        .bind(&entry.actor)
        .bind(&entry.unit)
        .bind(roles_text(&entry.roles))
        .bind(&entry.action)
        .bind(&entry.method)
        .bind(&entry.path)
        .bind(i64::from(entry.status))
        .bind(&entry.purpose)
        .bind(&entry.subject_key)
        .bind(&entry.detail)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The audit rows `q` selects, newest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn audit_trail(&self, q: &AuditQuery) -> anyhow::Result<Vec<AuditEntry>> {
        let mut sql = "SELECT id, at, request_id, actor, unit, roles, action, method, path, status, purpose, subject_key, detail FROM audit_log WHERE 1 = 1".to_owned();
        let mut binds = Vec::new();
        for (column, op, value) in [
            ("actor", "=", &q.actor),
            ("action", "=", &q.action),
            ("subject_key", "=", &q.subject_key),
            ("at", ">=", &q.from),
            ("at", "<", &q.to),
        ] {
            if let Some(v) = value {
                binds.push(v.clone());
                let n = binds.len();
                if column == "subject_key" {
                    // A person's key before an ID hash key rotation is
                    // the same person: the trail keeps the key of its day.
                    sql.push_str(&format!(
                        " AND (subject_key = ${n} OR subject_key IN (SELECT old_key FROM subject_key_history WHERE new_key = ${n}))"
                    ));
                } else {
                    sql.push_str(&format!(" AND {column} {op} ${n}"));
                }
            }
        }
        let limit = q.limit.unwrap_or(1000).clamp(1, 100_000);
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {limit}"));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    request_id: r.try_get(2)?,
                    actor: r.try_get(3)?,
                    unit: r.try_get(4)?,
                    roles: roles_parse(&r.try_get::<String, _>(5)?),
                    action: r.try_get(6)?,
                    method: r.try_get(7)?,
                    path: r.try_get(8)?,
                    status: u16::try_from(r.try_get::<i64, _>(9)?).unwrap_or_default(),
                    purpose: r.try_get(10)?,
                    subject_key: r.try_get(11)?,
                    detail: r.try_get(12)?,
                })
            })
            .collect()
    }
}
