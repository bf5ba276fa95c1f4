//! Corrections: a record is never rewritten; a correction adds a state with
//! who did it, when and why, and the record points at its newest state.

use super::records::{NewRecord, RECORD_COLUMNS, StoredRecord, record_from};
use super::{Store, now, subjects};
use serde::Serialize;
use sqlx::Row as _;

/// One state of a record's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordState {
    /// State number, 1 = as first reported.
    pub state: i64,
    /// The body in this state.
    pub body: serde_json::Value,
    /// Why (`reported`, or the correction's reason).
    pub reason: String,
    /// Who.
    pub actor: String,
    /// When (RFC 3339).
    pub at: String,
}

impl Store {
    /// The record with `id` and its whole history, oldest state first.
    ///
    /// # Errors
    /// A database error or a corrupt stored body.
    pub async fn record(&self, id: &str) -> anyhow::Result<Option<(StoredRecord, Vec<RecordState>)>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM credit_records r JOIN subjects s ON s.key = r.subject_key WHERE r.id = $1"
        );
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let record = record_from(row)?;
        // A state without a body of its own (the first, never corrected)
        // is the record's.
        let states = sqlx::query(
            "SELECT st.state, COALESCE(st.body, r.body), st.reason, st.actor, st.at
             FROM record_states st JOIN credit_records r ON r.id = st.record_id
             WHERE st.record_id = $1 ORDER BY st.state",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .map(|r| -> anyhow::Result<RecordState> {
            Ok(RecordState {
                state: r.try_get(0)?,
                body: serde_json::from_str(&r.try_get::<String, _>(1)?)?,
                reason: r.try_get(2)?,
                actor: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Some((record, states)))
    }

    /// Add a corrected state `rec` to record `id`, keeping every earlier
    /// state; with `review`, the record awaits the office's review again. A
    /// correction identical to the current state changes nothing and
    /// returns the current state number.
    /// Returns the new state number, or `None` when there is no such
    /// record.
    ///
    /// # Errors
    /// A database error; nothing is changed then.
    pub async fn correct_record(
        &self,
        id: &str,
        rec: &NewRecord,
        reason: &str,
        actor: &str,
        review: Option<&super::ReviewDue>,
    ) -> anyhow::Result<Option<Result<i64, String>>> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        // The same correction again changes nothing.
        if let Some(row) = sqlx::query("SELECT state, body FROM credit_records WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            && serde_json::from_str::<serde_json::Value>(&row.try_get::<String, _>(1)?)? == rec.body
        {
            return Ok(Some(Ok(row.try_get(0)?)));
        }
        let state = apply_correction(&mut tx, id, rec, reason, actor).await?;
        if let (Some(Ok(_)), Some(due)) = (&state, review) {
            super::reviews::mark_reported(&mut tx, id, due, actor, &now()).await?;
        }
        if matches!(state, Some(Ok(_))) {
            tx.commit().await?;
        }
        Ok(state)
    }
}

/// Add a corrected state `rec` to record `id` inside `tx`. Returns the new
/// state number; `Err(other_id)` when the corrected authority, decision
/// number and subject are another record's (nothing changed); `None` when
/// there is no such record.
pub(super) async fn apply_correction(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    rec: &NewRecord,
    reason: &str,
    actor: &str,
) -> anyhow::Result<Option<Result<i64, String>>> {
    let Some(row) =
        sqlx::query("SELECT state FROM credit_records WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?
    else {
        return Ok(None);
    };
    let state: i64 = row.try_get::<i64, _>(0)? + 1;
    // The corrected identity (authority, decision number, subject) may not
    // be another record's.
    let other = sqlx::query(
        "SELECT id FROM credit_records WHERE kind = $1 AND authority = $2 AND decision_number_norm = $3 AND subject_key = $4 AND id <> $5",
    )
    .bind(&rec.kind)
    .bind(&rec.authority)
    .bind(&rec.decision_number_norm)
    .bind(&rec.subject.key)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(other) = other {
        return Ok(Some(Err(other.try_get::<String, _>(0)?)));
    }
    subjects::upsert(tx, &rec.subject).await?;
    if let Some((rep, _)) = &rec.legal_representative {
        subjects::upsert(tx, rep).await?;
    }
    let body = rec.body.to_string();
    let at = now();
    // The first state, kept as the record's own body until now, keeps it.
    sqlx::query(
        "UPDATE record_states SET body = (SELECT body FROM credit_records WHERE id = $1)
         WHERE record_id = $1 AND body IS NULL",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE credit_records SET subject_key = $1, subject_name = $2, legal_rep_key = $3, decision_number = $4,
            decision_number_norm = $5, decision_date = $6, authority = $7, legal_basis = $8, penalty_types = $9,
            content = $10, certificate = $11, severity = $12, publicity_end = $13, state = $14, body = $15,
            plugin_version = $16
         WHERE id = $17",
    )
    .bind(&rec.subject.key)
    .bind(&rec.subject.name)
    .bind(rec.legal_representative.as_ref().map(|(p, _)| p.key.clone()))
    .bind(&rec.decision_number)
    .bind(&rec.decision_number_norm)
    .bind(&rec.decision_date)
    .bind(&rec.authority)
    .bind(&rec.legal_basis)
    .bind(serde_json::to_string(&rec.penalty_types)?)
    .bind(&rec.content)
    .bind(&rec.certificate)
    .bind(rec.severity.as_str())
    .bind(&rec.publicity_end)
    .bind(state)
    .bind(&body)
    .bind(&rec.plugin_version)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO record_states (record_id, state, body, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(state)
    .bind(&body)
    .bind(reason)
    .bind(actor)
    .bind(&at)
    .execute(&mut **tx)
    .await?;
    Ok(Some(Ok(state)))
}
