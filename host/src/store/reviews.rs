//! The credit office's review of reported records: `reported` →
//! `published` or `returned` (with a coded reason), each step kept with who,
//! when and why.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// When a reported record's review is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDue {
    /// The last day of the review, `YYYY-MM-DD`.
    pub date: String,
    /// The date lies in (or passes) a year without a holiday schedule.
    pub provisional: bool,
    /// The reporting unit, kept with the step.
    pub unit: String,
}

/// One review step of a record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewStep {
    /// `reported`, `published` or `returned`.
    pub status: String,
    /// A returned record's reason code.
    pub reason_code: Option<String>,
    /// Why, in words.
    pub reason: Option<String>,
    /// Who.
    pub actor: String,
    /// Their unit.
    pub unit: Option<String>,
    /// When (RFC 3339).
    pub at: String,
    /// For `reported`: the review's deadline.
    pub due: Option<String>,
}

/// A record awaiting (or past) review, as the office's list shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewItem {
    /// Record id.
    pub id: String,
    /// Sector.
    pub sector: Option<String>,
    /// Kind.
    pub kind: String,
    /// 行政相对人名称.
    pub subject_name: String,
    /// Decision number.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: Option<String>,
    /// Review status.
    pub review_status: String,
    /// When it was reported (RFC 3339).
    pub reported_at: Option<String>,
    /// Who reported it.
    pub reported_by: String,
    /// The review's deadline.
    pub review_due: Option<String>,
    /// The deadline may move (a year without a holiday schedule).
    pub review_due_provisional: bool,
}

/// Why a review was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such record.
    #[error("no record {0:?}")]
    NotFound(String),
    /// The record is not awaiting review.
    #[error("record {id} is {status}, not awaiting review")]
    NotPending {
        /// Record id.
        id: String,
        /// Its status.
        status: String,
    },
    /// The reviewer reported or corrected the record themselves.
    #[error("{0} reported or corrected this record and cannot review it")]
    OwnReport(String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

/// Mark record `id` as reported, due `due`, inside `tx`, and add the step.
pub(super) async fn mark_reported(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    due: &ReviewDue,
    actor: &str,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE credit_records SET review_status = 'reported', reported_at = $1, review_due = $2,
            review_due_provisional = $3, reviewed_at = NULL, reviewed_by = NULL WHERE id = $4",
    )
    .bind(at)
    .bind(&due.date)
    .bind(i64::from(due.provisional))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    add_step(tx, id, "reported", None, None, actor, Some(&due.unit), at, Some(&due.date)).await
}

/// The first review step of a record just inserted (its review columns are
/// written with it): `reported` with its deadline, or `published` at once
/// (the sample data, a bureau import). Sequence 1, so no count is needed on
/// the import path.
pub(super) async fn first_step(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    review: Option<&ReviewDue>,
    actor: &str,
    at: &str,
) -> anyhow::Result<()> {
    let (status, reason, unit, due) = first_step_fields(review);
    insert_step(tx, id, 1, status, None, reason, actor, unit, at, due).await
}

/// What [`first_step`] writes: status, reason, the unit the review is
/// awaited from, and its due day.
pub(super) fn first_step_fields(
    review: Option<&ReviewDue>,
) -> (&'static str, Option<&'static str>, Option<&str>, Option<&str>) {
    match review {
        Some(d) => ("reported", None, Some(d.unit.as_str()), Some(d.date.as_str())),
        None => ("published", Some("imported as published"), None, None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn add_step(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    status: &str,
    reason_code: Option<&str>,
    reason: Option<&str>,
    actor: &str,
    unit: Option<&str>,
    at: &str,
    due: Option<&str>,
) -> anyhow::Result<()> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM record_reviews WHERE record_id = $1").bind(id).fetch_one(&mut *tx).await?;
    insert_step(tx, id, n + 1, status, reason_code, reason, actor, unit, at, due).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_step(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    seq: i64,
    status: &str,
    reason_code: Option<&str>,
    reason: Option<&str>,
    actor: &str,
    unit: Option<&str>,
    at: &str,
    due: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO record_reviews (record_id, seq, status, reason_code, reason, actor, unit, at, due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(seq)
    .bind(status)
    .bind(reason_code)
    .bind(reason)
    .bind(actor)
    .bind(unit)
    .bind(at)
    .bind(due)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The credit office's decision on a reported record.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReviewOutcome<'a> {
    /// Returned (else published).
    pub returned: bool,
    /// A return's coded reason.
    pub reason_code: Option<&'a str>,
    /// Why, in words.
    pub reason: Option<&'a str>,
    /// Publishing: the publicity version of 违法事实.
    pub violation_facts_public: Option<&'a str>,
    /// Publishing: body fields withheld as trade secrets.
    pub withheld_fields: &'a [String],
}

impl Store {
    /// Review record `id`: publish it (with the publicity version of its
    /// facts) or return it with a coded reason. The reviewer must not have
    /// reported or corrected it.
    ///
    /// # Errors
    /// [`ReviewError`]; nothing changes then.
    pub async fn review_record(
        &self,
        id: &str,
        o: &ReviewOutcome<'_>,
        actor: &str,
        unit: &str,
    ) -> Result<String, ReviewError> {
        let ReviewOutcome { returned, reason_code, reason, violation_facts_public, withheld_fields } = *o;
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await.map_err(anyhow::Error::from)?;
        let row = sqlx::query("SELECT review_status FROM credit_records WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(anyhow::Error::from)?;
        let Some(row) = row else { return Err(ReviewError::NotFound(id.to_owned())) };
        let status: String = row.try_get(0).map_err(anyhow::Error::from)?;
        if status != "reported" {
            return Err(ReviewError::NotPending { id: id.to_owned(), status });
        }
        let (own,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM record_states WHERE record_id = $1 AND actor = $2)
                  + (SELECT COUNT(*) FROM credit_records WHERE id = $1 AND created_by = $2)",
        )
        .bind(id)
        .bind(actor)
        .fetch_one(&mut *tx)
        .await
        .map_err(anyhow::Error::from)?;
        if own > 0 {
            return Err(ReviewError::OwnReport(actor.to_owned()));
        }
        let at = now();
        let new_status = if returned { "returned" } else { "published" };
        sqlx::query(
            "UPDATE credit_records SET review_status = $1, reviewed_at = $2, reviewed_by = $3,
                published_at = CASE WHEN $1 = 'published' THEN $2 ELSE published_at END,
                violation_facts_public = CASE WHEN $1 = 'published' THEN $5 ELSE violation_facts_public END,
                withheld_fields = CASE WHEN $1 = 'published' THEN $6 ELSE withheld_fields END
             WHERE id = $4",
        )
        .bind(new_status)
        .bind(&at)
        .bind(actor)
        .bind(id)
        .bind(violation_facts_public)
        .bind(serde_json::to_string(withheld_fields).map_err(anyhow::Error::from)?)
        .execute(&mut *tx)
        .await
        .map_err(anyhow::Error::from)?;
        add_step(&mut tx, id, new_status, reason_code, reason, actor, Some(unit), &at, None).await?;
        tx.commit().await.map_err(anyhow::Error::from)?;
        Ok(new_status.to_owned())
    }

    /// The review steps of record `id`, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn review_steps(&self, id: &str) -> anyhow::Result<Vec<ReviewStep>> {
        let rows = sqlx::query(
            "SELECT status, reason_code, reason, actor, unit, at, due FROM record_reviews WHERE record_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewStep {
                    status: r.try_get(0)?,
                    reason_code: r.try_get(1)?,
                    reason: r.try_get(2)?,
                    actor: r.try_get(3)?,
                    unit: r.try_get(4)?,
                    at: r.try_get(5)?,
                    due: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// Records in `status`, oldest deadline first; with `overdue_on`, only
    /// those whose review was due before that day (`YYYY-MM-DD`).
    ///
    /// # Errors
    /// A database error.
    pub async fn reviews(
        &self,
        status: &str,
        overdue_on: Option<&str>,
        sector: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<ReviewItem>> {
        let rows = sqlx::query(
            "SELECT id, sector, kind, subject_name, decision_number, decision_date, review_status, reported_at, created_by,
                    review_due, review_due_provisional
             FROM credit_records
             WHERE review_status = $1 AND ($2 IS NULL OR review_due < $2) AND ($3 IS NULL OR sector = $3)
             ORDER BY review_due, id LIMIT $4",
        )
        .bind(status)
        .bind(overdue_on)
        .bind(sector)
        .bind(limit.clamp(1, 10_000))
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReviewItem {
                    id: r.try_get(0)?,
                    sector: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    subject_name: r.try_get(3)?,
                    decision_number: r.try_get(4)?,
                    decision_date: r.try_get(5)?,
                    review_status: r.try_get(6)?,
                    reported_at: r.try_get(7)?,
                    reported_by: r.try_get(8)?,
                    review_due: r.try_get(9)?,
                    review_due_provisional: r.try_get::<i64, _>(10)? != 0,
                })
            })
            .collect()
    }

    /// Recompute the deadlines of every record awaiting review (a new or
    /// corrected schedule may move any of them) with
    /// `recompute(reported_at, old_due) -> (new_due, provisional)`; a deadline
    /// never moves earlier. Returns how many changed.
    ///
    /// # Errors
    /// A database error; nothing changes then.
    pub async fn recompute_review_deadlines(
        &self,
        recompute: impl Fn(&str) -> Option<(String, bool)>,
    ) -> anyhow::Result<usize> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let rows =
            sqlx::query("SELECT id, reported_at, review_due FROM credit_records WHERE review_status = 'reported'")
                .fetch_all(&mut *tx)
                .await?;
        let mut changed = 0;
        for r in rows {
            let (id, reported_at, old): (String, Option<String>, Option<String>) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let Some((new, provisional)) = reported_at.as_deref().and_then(&recompute) else { continue };
            let due = match old {
                Some(old) if old > new => old,
                _ => new,
            };
            sqlx::query("UPDATE credit_records SET review_due = $1, review_due_provisional = $2 WHERE id = $3")
                .bind(&due)
                .bind(i64::from(provisional))
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            changed += 1;
        }
        tx.commit().await?;
        Ok(changed)
    }
}

impl Store {
    /// Keep an uploaded holiday schedule (the JSON as sent), replacing that
    /// year's earlier upload.
    ///
    /// # Errors
    /// A database error; nothing changes then.
    pub async fn save_holiday_schedule(&self, year: i32, schedule: &str, by: &str) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM holiday_schedules WHERE year = $1").bind(i64::from(year)).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO holiday_schedules (year, schedule, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4)")
            .bind(i64::from(year))
            .bind(schedule)
            .bind(by)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every uploaded holiday schedule (JSON), by year.
    ///
    /// # Errors
    /// A database error.
    pub async fn holiday_schedules(&self) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT schedule FROM holiday_schedules ORDER BY year").fetch_all(self.pool()).await?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }
}
