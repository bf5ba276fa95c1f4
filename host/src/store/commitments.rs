//! Breaches of credit commitments: found by a unit, confirmed or dismissed
//! by the credit office; a confirmed one becomes a dishonesty record in the
//! same transaction. (The commitments themselves are credit records of kind
//! `commitment`, stored like any other.)

use super::records::{BatchOptions, NewRecord, batch_in};
use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// A breach as the office sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BreachRow {
    /// Id.
    pub id: String,
    /// The commitment (its credit record).
    pub commitment_record_id: String,
    /// The subject's key.
    pub subject_key: String,
    /// `found`, `confirmed` or `dismissed`.
    pub status: String,
    /// The day the unit found it.
    pub found_on: String,
    /// What was found.
    pub facts: String,
    /// Who found it.
    pub found_by: String,
    /// Their unit.
    pub found_unit: String,
    /// When it was filed (RFC 3339).
    pub found_at: String,
    /// The day the office decided.
    pub decided_on: Option<String>,
    /// The office's reasons.
    pub reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When (RFC 3339).
    pub decided_at: Option<String>,
    /// The dishonesty record a confirmed breach became.
    pub record_id: Option<String>,
}

const COLUMNS: &str = "id, commitment_record_id, subject_key, status, found_on, facts, found_by, found_unit, found_at, \
     decided_on, reason, decided_by, decided_at, record_id";

fn row_from(r: &sqlx::any::AnyRow) -> anyhow::Result<BreachRow> {
    Ok(BreachRow {
        id: r.try_get(0)?,
        commitment_record_id: r.try_get(1)?,
        subject_key: r.try_get(2)?,
        status: r.try_get(3)?,
        found_on: r.try_get(4)?,
        facts: r.try_get(5)?,
        found_by: r.try_get(6)?,
        found_unit: r.try_get(7)?,
        found_at: r.try_get(8)?,
        decided_on: r.try_get(9)?,
        reason: r.try_get(10)?,
        decided_by: r.try_get(11)?,
        decided_at: r.try_get(12)?,
        record_id: r.try_get(13)?,
    })
}

/// Why a breach operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum BreachError {
    /// No such breach or commitment.
    #[error("{0}")]
    NotFound(String),
    /// Not possible now: (code, Chinese, English).
    #[error("{2}")]
    NotNow(&'static str, String, String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for BreachError {
    fn from(e: sqlx::Error) -> Self {
        BreachError::Db(e.into())
    }
}

impl Store {
    /// File a breach of commitment `record` (a stored `commitment` record)
    /// found on `found_on`; its id.
    ///
    /// # Errors
    /// [`BreachError::NotFound`] for no such commitment;
    /// [`BreachError::NotNow`] `breach-open` while another breach of it
    /// awaits the office, `already-breached` once one was confirmed.
    pub async fn file_breach(
        &self,
        record: &str,
        found_on: &str,
        facts: &str,
        actor: &str,
        unit: &str,
    ) -> Result<String, BreachError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let subject: Option<(String,)> = sqlx::query_as(
            "SELECT subject_key FROM credit_records WHERE id = $1 AND kind = 'commitment'
               AND review_status NOT IN ('returned', 'revoked')",
        )
        .bind(record)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((subject,)) = subject else {
            return Err(BreachError::NotFound(format!("no commitment {record:?}")));
        };
        let open: Option<(String, String)> = sqlx::query_as(
            "SELECT id, status FROM commitment_breaches WHERE commitment_record_id = $1 AND status IN ('found', 'confirmed')
             ORDER BY found_at LIMIT 1",
        )
        .bind(record)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((other, status)) = open {
            return Err(if status == "found" {
                BreachError::NotNow(
                    "breach-open",
                    format!("该承诺的违诺认定 {other} 尚待信用办确认"),
                    format!("breach {other} of this commitment awaits the office"),
                )
            } else {
                BreachError::NotNow(
                    "already-breached",
                    format!("该承诺已认定违诺（{other}）"),
                    format!("a breach of this commitment was confirmed already ({other})"),
                )
            });
        }
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO commitment_breaches (id, commitment_record_id, subject_key, status, found_on, facts, found_by, found_unit, found_at)
             VALUES ($1, $2, $3, 'found', $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(record)
        .bind(&subject)
        .bind(found_on)
        .bind(facts)
        .bind(actor)
        .bind(unit)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Breach `id`, or `None`.
    ///
    /// # Errors
    /// A database error.
    pub async fn breach(&self, id: &str) -> anyhow::Result<Option<BreachRow>> {
        let sql = format!("SELECT {COLUMNS} FROM commitment_breaches WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// Breaches by status and the finding unit, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn breaches(
        &self,
        status: Option<&str>,
        unit: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<BreachRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM commitment_breaches WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR found_unit = $2)
             ORDER BY found_at, id LIMIT $3"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(status).bind(unit).bind(limit).fetch_all(self.pool()).await?;
        rows.iter().map(row_from).collect()
    }

    /// Decide breach `id` (still `found`): confirmed with `record` — the
    /// dishonesty record, stored in the same transaction — or dismissed
    /// without. The number of red-list entries the record suspended.
    ///
    /// # Errors
    /// [`BreachError::NotNow`] `breach-decided` when it was decided
    /// meanwhile, `conflict` when the record collides with a stored one;
    /// nothing changes then.
    pub async fn decide_breach(
        &self,
        id: &str,
        on: &str,
        reason: &str,
        record: Option<&NewRecord>,
        actor: &str,
    ) -> Result<usize, BreachError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let status: Option<(String,)> = sqlx::query_as("SELECT status FROM commitment_breaches WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match status {
            None => return Err(BreachError::NotFound(format!("no breach {id:?}"))),
            Some((s,)) if s != "found" => {
                return Err(BreachError::NotNow(
                    "breach-decided",
                    format!("该违诺认定已处理（{s}）"),
                    format!("the breach is {s} already"),
                ));
            }
            Some(_) => {}
        }
        let mut record_id = None;
        let mut suspended = 0;
        if let Some(rec) = record {
            let (summary, conflicts) =
                batch_in(&mut tx, std::slice::from_ref(rec), &[], actor, &BatchOptions::default()).await?;
            if let Some(c) = conflicts.first() {
                let other = c.existing_id.clone().unwrap_or_default();
                return Err(BreachError::NotNow(
                    "conflict",
                    format!("违诺记录与已有记录 {other} 相同"),
                    format!("the breach record would be record {other}"),
                ));
            }
            suspended = summary.red_suspended;
            record_id = summary.ids.into_iter().flatten().next();
        }
        sqlx::query(
            "UPDATE commitment_breaches SET status = $1, decided_on = $2, reason = $3, decided_by = $4, decided_at = $5,
                record_id = $6 WHERE id = $7",
        )
        .bind(if record.is_some() { "confirmed" } else { "dismissed" })
        .bind(on)
        .bind(reason)
        .bind(actor)
        .bind(now())
        .bind(&record_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(suspended)
    }

    /// Whether subject `key` has a confirmed breach of a commitment that
    /// still counts (a false commitment): its record ids.
    ///
    /// # Errors
    /// A database error.
    pub async fn commitment_breaches_of(&self, key: &str) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM credit_records WHERE subject_key = $1 AND kind = 'commitment-breach'
               AND review_status NOT IN ('returned', 'revoked') ORDER BY decision_date, id",
        )
        .bind(key)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
