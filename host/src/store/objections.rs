//! Objections (see [`crate::domain::objections`]) with every step kept, and
//! what an upheld one does to its record: a corrected state, or the record
//! revoked and the list entries resting on it removed.

use super::records::NewRecord;
use super::steps::{self, NewStep, Procedure, ProcedureStep};
use super::{Store, now};
use crate::domain::objections::{Action, Status};
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

/// An objection as filed.
#[derive(Debug, Clone)]
pub struct NewObjection {
    /// The record disputed.
    pub record_id: Option<String>,
    /// The list entry disputed.
    pub list_entry_id: Option<String>,
    /// The channel it came through.
    pub channel: String,
    /// The channel's ticket number.
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Who objects.
    pub applicant_name: String,
    /// `subject` or `agent`.
    pub applicant_role: String,
    /// The documents shown (proof of identity or authority).
    pub proof: Vec<String>,
    /// What is disputed and why.
    pub statement: String,
    /// sha256 (hex) of the code the applicant follows it with.
    pub follow_code_hash: String,
}

/// A pause of the clock for 补正, both days included.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PauseRow {
    /// The day the request went out.
    pub from: String,
    /// The day the material arrived.
    pub to: String,
}

/// An objection as the office sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObjectionRow {
    /// Id.
    pub id: String,
    /// The record disputed.
    pub record_id: Option<String>,
    /// The list entry disputed.
    pub list_entry_id: Option<String>,
    /// The subject's key.
    pub subject_key: String,
    /// `received`, `verifying`, `office-review`, `upheld`, `rejected`,
    /// `not-accepted` or `closed`.
    pub status: String,
    /// Channel.
    pub channel: String,
    /// Ticket number.
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Applicant.
    pub applicant_name: String,
    /// `subject` or `agent`.
    pub applicant_role: String,
    /// Documents shown.
    pub proof: Vec<String>,
    /// What is disputed.
    pub statement: String,
    /// The unit that verifies it.
    pub unit: Option<String>,
    /// The day it was accepted.
    pub accepted_on: Option<String>,
    /// An open 补正 since this day: the clock is stopped.
    pub paused_since: Option<String>,
    /// Closed pauses.
    pub pauses: Vec<PauseRow>,
    /// The current stage's last day (none while paused or finished).
    pub due: Option<String>,
    /// The deadline may move (a year without a holiday schedule).
    pub due_provisional: bool,
    /// The unit's opinion: `uphold` or `reject`.
    pub opinion: Option<String>,
    /// Who gave it.
    pub opinion_by: Option<String>,
    /// The office's decision: `uphold` or `reject`.
    pub decision: Option<String>,
    /// `revoke` or `correct`.
    pub remedy: Option<String>,
    /// Filed (RFC 3339).
    pub created_at: String,
    /// Filed by.
    pub created_by: String,
}

/// What an upheld objection does to its record.
#[derive(Debug, Clone)]
pub enum Remedy {
    /// The record is revoked (and the list entries resting on it removed).
    Revoke,
    /// The record gets this corrected state.
    Correct(Box<NewRecord>),
    /// The list entry disputed ends: removed, or withdrawn before a decision.
    EndEntry,
}

/// A step to apply to an objection.
#[derive(Debug, Clone)]
pub struct ObjectionTransition {
    /// The action.
    pub action: Action,
    /// The state it leaves.
    pub from: Status,
    /// Whether it leaves a paused objection.
    pub from_paused: bool,
    /// The state it reaches.
    pub to: Status,
    /// The day it took effect.
    pub on_date: String,
    /// Why.
    pub reason: Option<String>,
    /// The new deadline (`None`: none, e.g. while paused), provisional.
    pub due: Option<(String, bool)>,
    /// `accept`: the verifying unit.
    pub unit: Option<String>,
    /// `request-completion`: pause from `on_date`; `complete`: close it.
    pub pause: Option<Option<PauseRow>>,
    /// `opinion` / `review`: `uphold` or `reject`.
    pub verdict: Option<String>,
    /// `review` upholding: what happens to the record.
    pub remedy: Option<Remedy>,
}

/// Why an objection operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ObjectionError {
    /// No such objection, record or entry.
    #[error("{0}")]
    NotFound(String),
    /// It changed meanwhile.
    #[error("objection {id} is {status} now")]
    Stale {
        /// Id.
        id: String,
        /// Its state now.
        status: String,
    },
    /// The record or entry disputed no longer counts: (Chinese, English).
    #[error("{1}")]
    NotCounting(String, String),
    /// A correction would collide with another record.
    #[error("the corrected record would be record {0}")]
    Collides(String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ObjectionError {
    fn from(e: sqlx::Error) -> Self {
        ObjectionError::Db(e.into())
    }
}

const COLUMNS: &str = "id, record_id, list_entry_id, subject_key, status, channel, ticket_number, received_on, applicant_name, \
     applicant_role, proof, statement, unit, accepted_on, paused_since, pauses, due, due_provisional, opinion, opinion_by, \
     decision, remedy, created_at, created_by";

fn row_from(r: &sqlx::any::AnyRow) -> anyhow::Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.try_get(0)?,
        record_id: r.try_get(1)?,
        list_entry_id: r.try_get(2)?,
        subject_key: r.try_get(3)?,
        status: r.try_get(4)?,
        channel: r.try_get(5)?,
        ticket_number: r.try_get(6)?,
        received_on: r.try_get(7)?,
        applicant_name: r.try_get(8)?,
        applicant_role: r.try_get(9)?,
        proof: serde_json::from_str(&r.try_get::<String, _>(10)?)?,
        statement: r.try_get(11)?,
        unit: r.try_get(12)?,
        accepted_on: r.try_get(13)?,
        paused_since: r.try_get(14)?,
        pauses: serde_json::from_str(&r.try_get::<String, _>(15)?)?,
        due: r.try_get(16)?,
        due_provisional: r.try_get::<i64, _>(17)? != 0,
        opinion: r.try_get(18)?,
        opinion_by: r.try_get(19)?,
        decision: r.try_get(20)?,
        remedy: r.try_get(21)?,
        created_at: r.try_get(22)?,
        created_by: r.try_get(23)?,
    })
}

#[allow(clippy::too_many_arguments)]
async fn add_step(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    action: &str,
    status: &str,
    on_date: Option<&str>,
    reason: Option<&str>,
    actor: &str,
    unit: Option<&str>,
    at: &str,
    due: Option<&str>,
) -> sqlx::Result<()> {
    let step = NewStep { action, status, on_date, reason, actor, unit, at, due };
    steps::add(conn, Procedure::Objection, id, &step).await
}

impl Store {
    /// Revoke record `id` because its decision was withdrawn or annulled
    /// (复议, 诉讼, the authority's own correction), in one transaction: it
    /// counts nowhere, leaves public view and the export withdraws it; the
    /// entries resting on it end.
    ///
    /// # Errors
    /// [`ObjectionError::NotFound`] for no such record,
    /// [`ObjectionError::NotCounting`] when it is returned or revoked
    /// already.
    pub async fn withdraw_decision(
        &self,
        id: &str,
        why: &str,
        on: &str,
        actor: &str,
        unit: &str,
    ) -> Result<(), ObjectionError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let row: Option<(String,)> = sqlx::query_as("SELECT review_status FROM credit_records WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((status,)) = row else {
            return Err(ObjectionError::NotFound(format!("no record {id:?}")));
        };
        if status == "returned" || status == "revoked" {
            return Err(ObjectionError::NotCounting(
                format!("记录 {id} 已被退回或撤销"),
                format!("record {id} is {status} already"),
            ));
        }
        let at = now();
        revoke_record(&mut tx, id, "decision-withdrawn", why, actor, unit, on, &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// File objection `o` (status `received`) against its record or list
    /// entry; returns its id.
    ///
    /// # Errors
    /// [`ObjectionError::NotFound`] for a record or entry not stored.
    pub async fn file_objection(&self, o: &NewObjection, actor: &str, unit: &str) -> Result<String, ObjectionError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let (subject, record_id) = match (&o.record_id, &o.list_entry_id) {
            (Some(r), _) => {
                let row = sqlx::query("SELECT subject_key, review_status FROM credit_records WHERE id = $1")
                    .bind(r)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| ObjectionError::NotFound(format!("no record {r:?}")))?;
                let status: String = row.try_get(1)?;
                if status == "returned" || status == "revoked" {
                    return Err(ObjectionError::NotCounting(
                        format!("记录 {r} 已被退回或撤销，不再计入信用档案"),
                        format!("record {r} is {status}: it counts nowhere"),
                    ));
                }
                (row.try_get::<String, _>(0)?, Some(r.clone()))
            }
            (None, Some(e)) => {
                let row = sqlx::query("SELECT subject_key, status FROM list_entries WHERE id = $1")
                    .bind(e)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| ObjectionError::NotFound(format!("no list entry {e:?}")))?;
                let status: String = row.try_get(1)?;
                if status == "withdrawn" || status == "removed" {
                    return Err(ObjectionError::NotCounting(
                        format!("名单条目 {e} 已撤回或移出"),
                        format!("list entry {e} is {status}"),
                    ));
                }
                (row.try_get::<String, _>(0)?, None)
            }
            (None, None) => return Err(ObjectionError::NotFound("an objection names a record or a list entry".into())),
        };
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        sqlx::query(
            "INSERT INTO objections (id, record_id, list_entry_id, subject_key, status, channel, ticket_number, received_on,
                applicant_name, applicant_role, proof, statement, follow_code_hash, created_at, created_by)
             VALUES ($1, $2, $3, $4, 'received', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(&id)
        .bind(&record_id)
        .bind(&o.list_entry_id)
        .bind(&subject)
        .bind(&o.channel)
        .bind(&o.ticket_number)
        .bind(&o.received_on)
        .bind(&o.applicant_name)
        .bind(&o.applicant_role)
        .bind(serde_json::to_string(&o.proof).map_err(anyhow::Error::from)?)
        .bind(&o.statement)
        .bind(&o.follow_code_hash)
        .bind(&at)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        add_step(&mut tx, &id, "file", "received", Some(&o.received_on), None, actor, Some(unit), &at, None).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Objection `id`, or `None`.
    ///
    /// # Errors
    /// A database error.
    pub async fn objection(&self, id: &str) -> anyhow::Result<Option<ObjectionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM objections WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// Objection `id` if `code_hash` is its follow code's.
    ///
    /// # Errors
    /// A database error.
    pub async fn objection_followed(&self, id: &str, code_hash: &str) -> anyhow::Result<Option<ObjectionRow>> {
        let sql = format!("SELECT {COLUMNS} FROM objections WHERE id = $1 AND follow_code_hash = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(code_hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// The steps of objection `id`, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn objection_steps(&self, id: &str) -> anyhow::Result<Vec<ProcedureStep>> {
        self.steps(Procedure::Objection, id).await
    }

    /// Objections by status, verifying unit and a deadline before
    /// `due_before`, earliest deadline first.
    ///
    /// # Errors
    /// A database error.
    pub async fn objections(
        &self,
        status: Option<&str>,
        unit: Option<&str>,
        due_before: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<ObjectionRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM objections
             WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR unit = $2) AND ($3 IS NULL OR (due IS NOT NULL AND due < $3))
             ORDER BY CASE WHEN due IS NULL THEN 1 ELSE 0 END, due, created_at, id LIMIT $4"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(status)
            .bind(unit)
            .bind(due_before)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(row_from).collect()
    }

    /// Objections whose deadline is provisional (a year without a holiday
    /// schedule), with what recomputing it needs: `(row, the day of the
    /// unit's opinion)`.
    ///
    /// # Errors
    /// A database error.
    pub async fn provisional_objections(&self) -> anyhow::Result<Vec<(ObjectionRow, Option<String>)>> {
        let sql = format!(
            "SELECT {COLUMNS}, (SELECT s.on_date FROM objection_steps s WHERE s.objection_id = o.id AND s.action = 'opinion'
                                ORDER BY s.seq DESC LIMIT 1)
             FROM objections o WHERE due_provisional = 1 AND status IN ('verifying', 'office-review')"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((row_from(r)?, r.try_get(24)?))).collect()
    }

    /// The open objections against `record_ids`: `(record id, objection id)`.
    ///
    /// # Errors
    /// A database error.
    pub async fn open_objections(&self, record_ids: &[String]) -> anyhow::Result<Vec<(String, String)>> {
        if record_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT record_id, id FROM objections WHERE status IN ('received', 'verifying', 'office-review')
               AND record_id IN ({}) ORDER BY record_id, id",
            super::placeholders(1, record_ids.len())
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for r in record_ids {
            q = q.bind(r);
        }
        let rows = q.fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// The unit of whoever reported record `id` (its first review step's
    /// unit, else the reporting account's), or of whoever proposed entry
    /// `id`: the unit that verifies an objection.
    ///
    /// # Errors
    /// A database error.
    pub async fn providing_unit(
        &self,
        record_id: Option<&str>,
        entry_id: Option<&str>,
    ) -> anyhow::Result<Option<String>> {
        let row = sqlx::query(
            "SELECT COALESCE(
                (SELECT unit FROM record_reviews WHERE record_id = $1 AND unit IS NOT NULL ORDER BY seq LIMIT 1),
                (SELECT a.unit FROM credit_records r JOIN accounts a ON a.id = r.created_by WHERE r.id = $1),
                (SELECT unit FROM list_entries WHERE id = $2),
                (SELECT a.unit FROM list_entries e JOIN accounts a ON a.id = e.created_by WHERE e.id = $2))",
        )
        .bind(record_id)
        .bind(entry_id)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Apply step `t` to objection `id` if it is still where `t` leaves
    /// from; with a remedy, change the record in the same transaction.
    ///
    /// # Errors
    /// [`ObjectionError::Stale`] when it moved meanwhile,
    /// [`ObjectionError::Collides`] when a correction would duplicate
    /// another record; nothing changes then.
    pub async fn transition_objection(
        &self,
        id: &str,
        t: &ObjectionTransition,
        actor: &str,
        unit: &str,
    ) -> Result<(), ObjectionError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let row =
            sqlx::query("SELECT status, paused_since, pauses, record_id, list_entry_id FROM objections WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| ObjectionError::NotFound(format!("no objection {id:?}")))?;
        let (status, paused_since, pauses, record_id, entry_id): (
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        ) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?);
        if status != t.from.as_str() || paused_since.is_some() != t.from_paused {
            return Err(ObjectionError::Stale { id: id.to_owned(), status });
        }
        let (paused_since, pauses) = super::steps::pause_columns(&t.pause, &t.on_date, paused_since, &pauses)?;
        let (due, provisional) = super::steps::due_columns(&t.due);
        sqlx::query(
            "UPDATE objections SET status = $1, paused_since = $2, pauses = $3, due = $4, due_provisional = $5,
                unit = COALESCE($6, unit),
                accepted_on = CASE WHEN $7 = 'accept' THEN $8 ELSE accepted_on END,
                opinion = CASE WHEN $7 = 'opinion' THEN $9 ELSE opinion END,
                opinion_by = CASE WHEN $7 = 'opinion' THEN $10 ELSE opinion_by END,
                decision = CASE WHEN $7 = 'review' THEN $9 ELSE decision END,
                remedy = CASE WHEN $7 = 'review' THEN $11 ELSE remedy END
             WHERE id = $12",
        )
        .bind(t.to.as_str())
        .bind(&paused_since)
        .bind(&pauses)
        .bind(due)
        .bind(i64::from(provisional))
        .bind(&t.unit)
        .bind(t.action.as_str())
        .bind(&t.on_date)
        .bind(&t.verdict)
        .bind(actor)
        .bind(t.remedy.as_ref().map(|r| match r {
            Remedy::Revoke => "revoke",
            Remedy::Correct(_) => "correct",
            Remedy::EndEntry => "end-entry",
        }))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        match (&t.remedy, &record_id) {
            (Some(Remedy::Correct(rec)), Some(record)) => {
                let why = format!("异议成立，予以更正：{}", t.reason.as_deref().unwrap_or("原记录有误"));
                match super::corrections::apply_correction(&mut tx, record, rec, &why, actor).await? {
                    Some(Ok(_)) => {}
                    Some(Err(other)) => return Err(ObjectionError::Collides(other)),
                    None => return Err(ObjectionError::NotFound(format!("no record {record:?}"))),
                }
            }
            (Some(Remedy::Revoke), Some(record)) => {
                let why = format!("异议成立，撤销记录：{}", t.reason.as_deref().unwrap_or("原记录有误"));
                revoke_record(&mut tx, record, "objection-upheld", &why, actor, unit, &t.on_date, &at).await?;
            }
            (Some(Remedy::EndEntry), _) => {
                if let Some(entry) = &entry_id {
                    let why = format!("异议成立（异议 {id}）");
                    let status: Option<(String,)> = sqlx::query_as("SELECT status FROM list_entries WHERE id = $1")
                        .bind(entry)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some((status,)) = status {
                        end_entry(&mut tx, entry, &status, &why, actor, unit, &t.on_date, &at).await?;
                    }
                }
            }
            _ => {}
        }
        add_step(
            &mut tx,
            id,
            t.action.as_str(),
            t.to.as_str(),
            Some(&t.on_date),
            t.reason.as_deref(),
            actor,
            Some(unit),
            &at,
            due,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Revoke record `id` inside `tx`: it counts nowhere and leaves public view
/// (its history is kept, with a `revoked` review step coded `code`), and
/// the list entries resting on it are removed, or withdrawn when not yet
/// decided — the bureau's own repair when a basis is revoked.
#[allow(clippy::too_many_arguments)]
async fn revoke_record(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    code: &str,
    why: &str,
    actor: &str,
    unit: &str,
    on_date: &str,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE credit_records SET review_status = 'revoked', reviewed_at = $1, reviewed_by = $2 WHERE id = $3",
    )
    .bind(at)
    .bind(actor)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM record_reviews WHERE record_id = $1").bind(id).fetch_one(&mut *tx).await?;
    sqlx::query(
        "INSERT INTO record_reviews (record_id, seq, status, reason_code, reason, actor, unit, at, due)
         VALUES ($1, $2, 'revoked', $7, $3, $4, $5, $6, NULL)",
    )
    .bind(id)
    .bind(n + 1)
    .bind(why)
    .bind(actor)
    .bind(unit)
    .bind(at)
    .bind(code)
    .execute(&mut *tx)
    .await?;
    let entries = sqlx::query(
        "SELECT id, status FROM list_entries WHERE record_id = $1 AND status IN ('proposed', 'notified', 'announced', 'decided', 'suspended')",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for e in &entries {
        let (entry, status): (String, String) = (e.try_get(0)?, e.try_get(1)?);
        let reason = format!("认定依据的记录 {id} 已撤销：{why}");
        end_entry(tx, &entry, &status, &reason, actor, unit, on_date, at).await?;
    }
    Ok(())
}

/// End list entry `entry` (now `status`) inside `tx`: removed when it was
/// decided or suspended, withdrawn when not yet decided; the step kept.
#[allow(clippy::too_many_arguments)]
pub(super) async fn end_entry(
    tx: &mut sqlx::AnyConnection,
    entry: &str,
    status: &str,
    reason: &str,
    actor: &str,
    unit: &str,
    on_date: &str,
    at: &str,
) -> anyhow::Result<()> {
    let (action, to) = match status {
        "decided" | "suspended" => ("remove", "removed"),
        "proposed" | "notified" | "announced" => ("withdraw", "withdrawn"),
        _ => return Ok(()),
    };
    sqlx::query("UPDATE list_entries SET status = $1, due = NULL, due_provisional = 0 WHERE id = $2")
        .bind(to)
        .bind(entry)
        .execute(&mut *tx)
        .await?;
    super::lists::add_step(tx, entry, action, to, Some(on_date), Some(reason), actor, Some(unit), at, None).await?;
    Ok(())
}
