//! Stored credit checks: who asked, when, for what, which plugin version
//! answered and what it answered.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// A stored check.
#[derive(Debug, Clone, Serialize)]
pub struct StoredCheck {
    /// Check id.
    pub id: String,
    /// Who asked.
    pub requested_by: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// The request, ID numbers masked.
    pub input: serde_json::Value,
    /// The answer.
    pub answer: serde_json::Value,
}

impl Store {
    /// Store a check before it is answered: `input` as JSON, `answer` and
    /// `replay` already serialised (JSON text).
    ///
    /// # Errors
    /// A database error: the check is then not answered.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_check(
        &self,
        id: &str,
        requested_by: &str,
        purpose: &str,
        sector: &str,
        subject_key: &str,
        as_of: &str,
        plugin_version: &str,
        outcome: &str,
        input: &serde_json::Value,
        answer: &str,
        replay: &str,
    ) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        sqlx::query(
            "INSERT INTO checks (id, requested_by, purpose, sector, subject_key, as_of, plugin_version, outcome, input, answer, created_at, replay)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(requested_by)
        .bind(purpose)
        .bind(sector)
        .bind(subject_key)
        .bind(as_of)
        .bind(plugin_version)
        .bind(outcome)
        .bind(input.to_string())
        .bind(answer)
        .bind(now())
        .bind(replay)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The check with `id`.
    ///
    /// # Errors
    /// A database error.
    pub async fn check(&self, id: &str) -> anyhow::Result<Option<StoredCheck>> {
        let row = sqlx::query("SELECT id, requested_by, created_at, input, answer FROM checks WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| -> anyhow::Result<StoredCheck> {
            Ok(StoredCheck {
                id: r.try_get(0)?,
                requested_by: r.try_get(1)?,
                created_at: r.try_get(2)?,
                input: serde_json::from_str(&r.try_get::<String, _>(3)?)?,
                answer: serde_json::from_str(&r.try_get::<String, _>(4)?)?,
            })
        })
        .transpose()
    }
}
