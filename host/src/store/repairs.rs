//! Credit repairs (see [`crate::domain::repairs`]) with every step kept, and
//! what a granted one does: the list entry removed, or the penalty's
//! publicity ended on the day of the decision (`credit_records.repaired_on`;
//! the record stays in the file, and statutory bans still read it).

use super::objections::{PauseRow, end_entry};
use super::steps::{self, NewStep, Procedure};
use super::{Store, now};
use crate::domain::repairs::{Action, RepairPath, Status};
use serde::Serialize;
use sqlx::Row as _;

/// A repair as filed.
#[derive(Debug, Clone)]
pub struct NewRepair {
    /// Which path.
    pub path: RepairPath,
    /// `list-entry`: the entry to repair.
    pub list_entry_id: Option<String>,
    /// `publicity`: the penalty record.
    pub record_id: Option<String>,
    /// The state it starts in: `received`, `opinion-due` or
    /// `platform-deciding`.
    pub status: Status,
    /// Channel.
    pub channel: String,
    /// The channel's ticket (the platform's request number).
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Applicant.
    pub applicant_name: String,
    /// `subject`, `agent` or `platform`.
    pub applicant_role: String,
    /// Documents shown.
    pub proof: Vec<String>,
    /// Proof of rectification.
    pub rectification: Option<String>,
    /// Training record.
    pub training: Option<String>,
    /// The credit commitment.
    pub commitment: Option<String>,
    /// `publicity` asked for an opinion: the unit that gives it.
    pub unit: Option<String>,
    /// `opinion-due`: the opinion's deadline, provisional.
    pub due: Option<(String, bool)>,
    /// sha256 of the applicant's follow code (none for the platform's).
    pub follow_code_hash: Option<String>,
}

/// A repair as the office sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepairRow {
    /// Id.
    pub id: String,
    /// `list-entry` or `publicity`.
    pub path: String,
    /// The list entry repaired.
    pub list_entry_id: Option<String>,
    /// The penalty record whose publicity is repaired.
    pub record_id: Option<String>,
    /// The subject's key.
    pub subject_key: String,
    /// `received`, `checking`, `office-review`, `approval`, `deciding`,
    /// `not-accepted`, `opinion-due`, `platform-deciding`, `granted` or
    /// `refused`.
    pub status: String,
    /// Channel.
    pub channel: String,
    /// Ticket number.
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Applicant.
    pub applicant_name: String,
    /// `subject`, `agent` or `platform`.
    pub applicant_role: String,
    /// Documents shown.
    pub proof: Vec<String>,
    /// Proof of rectification (整改证明).
    pub rectification: Option<String>,
    /// Training record (信用修复培训).
    pub training: Option<String>,
    /// The credit commitment (信用修复承诺).
    pub commitment: Option<String>,
    /// The unit that checks the rectification or gives the opinion.
    pub unit: Option<String>,
    /// The day it was accepted.
    pub accepted_on: Option<String>,
    /// An open 补正 since this day: the clock is stopped.
    pub paused_since: Option<String>,
    /// Closed pauses.
    pub pauses: Vec<PauseRow>,
    /// The current stage's last day.
    pub due: Option<String>,
    /// The deadline may move (a year without a holiday schedule).
    pub due_provisional: bool,
    /// The unit's check: `grant` or `refuse`.
    pub check_verdict: Option<String>,
    /// Who checked.
    pub checked_by: Option<String>,
    /// The office's review: `grant` or `refuse`.
    pub review_verdict: Option<String>,
    /// Who reviewed.
    pub reviewed_by: Option<String>,
    /// The leadership's approval (报批): `grant` or `refuse`.
    pub approval_verdict: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// The unit's opinion to the platform: `grant` or `refuse`.
    pub opinion: Option<String>,
    /// Who gave it.
    pub opinion_by: Option<String>,
    /// The decision: `grant` or `refuse`.
    pub decision: Option<String>,
    /// 准予 / 不予信用修复决定书 number, or the platform's.
    pub decision_number: Option<String>,
    /// The day the entry or the publicity ended.
    pub repaired_on: Option<String>,
    /// Filed (RFC 3339).
    pub created_at: String,
    /// Filed by.
    pub created_by: String,
}

/// A step to apply to a repair.
#[derive(Debug, Clone)]
pub struct RepairTransition {
    /// The action.
    pub action: Action,
    /// The state it leaves.
    pub from: Status,
    /// Whether it leaves a paused repair.
    pub from_paused: bool,
    /// The state it reaches.
    pub to: Status,
    /// The day it took effect.
    pub on_date: String,
    /// Why.
    pub reason: Option<String>,
    /// The new deadline, provisional.
    pub due: Option<(String, bool)>,
    /// `accept`: the unit that checks.
    pub unit: Option<String>,
    /// `request-completion`: pause from `on_date`; `complete`: close it.
    pub pause: Option<Option<PauseRow>>,
    /// The step's verdict: `grant` or `refuse`.
    pub verdict: Option<String>,
    /// `decide`, `platform-decision`: the document's number.
    pub decision_number: Option<String>,
}

/// Why a repair operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum RepairError {
    /// No such repair, record or entry.
    #[error("{0}")]
    NotFound(String),
    /// It changed meanwhile.
    #[error("repair {id} is {status} now")]
    Stale {
        /// Id.
        id: String,
        /// Its state now.
        status: String,
    },
    /// The target cannot be repaired: (code, Chinese, English).
    #[error("{2}")]
    NotRepairable(&'static str, String, String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for RepairError {
    fn from(e: sqlx::Error) -> Self {
        RepairError::Db(e.into())
    }
}

const COLUMNS: &str = "id, path, list_entry_id, record_id, subject_key, status, channel, ticket_number, received_on, \
     applicant_name, applicant_role, proof, rectification, training, commitment, unit, accepted_on, paused_since, pauses, \
     due, due_provisional, check_verdict, checked_by, review_verdict, reviewed_by, approval_verdict, approved_by, opinion, \
     opinion_by, decision, decision_number, repaired_on, created_at, created_by";

fn row_from(r: &sqlx::any::AnyRow) -> anyhow::Result<RepairRow> {
    Ok(RepairRow {
        id: r.try_get(0)?,
        path: r.try_get(1)?,
        list_entry_id: r.try_get(2)?,
        record_id: r.try_get(3)?,
        subject_key: r.try_get(4)?,
        status: r.try_get(5)?,
        channel: r.try_get(6)?,
        ticket_number: r.try_get(7)?,
        received_on: r.try_get(8)?,
        applicant_name: r.try_get(9)?,
        applicant_role: r.try_get(10)?,
        proof: serde_json::from_str(&r.try_get::<String, _>(11)?)?,
        rectification: r.try_get(12)?,
        training: r.try_get(13)?,
        commitment: r.try_get(14)?,
        unit: r.try_get(15)?,
        accepted_on: r.try_get(16)?,
        paused_since: r.try_get(17)?,
        pauses: serde_json::from_str(&r.try_get::<String, _>(18)?)?,
        due: r.try_get(19)?,
        due_provisional: r.try_get::<i64, _>(20)? != 0,
        check_verdict: r.try_get(21)?,
        checked_by: r.try_get(22)?,
        review_verdict: r.try_get(23)?,
        reviewed_by: r.try_get(24)?,
        approval_verdict: r.try_get(25)?,
        approved_by: r.try_get(26)?,
        opinion: r.try_get(27)?,
        opinion_by: r.try_get(28)?,
        decision: r.try_get(29)?,
        decision_number: r.try_get(30)?,
        repaired_on: r.try_get(31)?,
        created_at: r.try_get(32)?,
        created_by: r.try_get(33)?,
    })
}

/// What a repair's target is, as the API needs it to check a filing.
#[derive(Debug, Clone)]
pub struct RepairTarget {
    /// The subject's key.
    pub subject_key: String,
    /// The entry's list (`list-entry`).
    pub list: Option<String>,
    /// The entry's or record's status.
    pub status: String,
    /// The record's decision date (`publicity`).
    pub decision_date: Option<String>,
    /// The record's severity (`publicity`).
    pub severity: Option<String>,
    /// The day publicity ends, repairs counted (`publicity`).
    pub publicity_ends: Option<String>,
    /// The record the entry rests on, or the record itself.
    pub record_id: Option<String>,
    /// Who reported the record or proposed the entry: they decide nothing
    /// about its repair.
    pub reported_by: Option<String>,
    /// The day a repair already ended the record's publicity.
    pub repaired_on: Option<String>,
    /// The entry's sector, if it is about one.
    pub sector: Option<String>,
    /// The day the entry starts, or the penalty was decided: nothing about
    /// its repair arrives before.
    pub start: Option<String>,
}

impl Store {
    /// The target of a repair: list entry `entry` or penalty record
    /// `record`, or `None` when not stored.
    ///
    /// # Errors
    /// A database error.
    pub async fn repair_target(&self, path: RepairPath, id: &str) -> anyhow::Result<Option<RepairTarget>> {
        let row = match path {
            RepairPath::ListEntry => {
                sqlx::query(
                    "SELECT subject_key, list, status, NULL, NULL, NULL, record_id, created_by, NULL, sector, start_date FROM list_entries WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(self.pool())
                .await?
            }
            RepairPath::Publicity => {
                sqlx::query(
                    "SELECT subject_key, NULL, review_status, decision_date, severity,
                        CASE WHEN repaired_on IS NOT NULL AND (publicity_end IS NULL OR repaired_on < publicity_end)
                             THEN repaired_on ELSE publicity_end END,
                        id, created_by, repaired_on, sector, decision_date
                     FROM credit_records WHERE id = $1 AND kind = 'penalty'",
                )
                .bind(id)
                .fetch_optional(self.pool())
                .await?
            }
        };
        row.map(|r| {
            Ok(RepairTarget {
                subject_key: r.try_get(0)?,
                list: r.try_get(1)?,
                status: r.try_get(2)?,
                decision_date: r.try_get(3)?,
                severity: r.try_get(4)?,
                publicity_ends: r.try_get(5)?,
                record_id: r.try_get(6)?,
                reported_by: r.try_get(7)?,
                repaired_on: r.try_get(8)?,
                sector: r.try_get(9)?,
                start: r.try_get(10)?,
            })
        })
        .transpose()
    }

    /// File repair `r`; returns its id.
    ///
    /// # Errors
    /// [`RepairError::NotRepairable`] `repair-open` while another repair of
    /// the same entry or record is open (checked in the same transaction).
    pub async fn file_repair(
        &self,
        r: &NewRepair,
        subject_key: &str,
        actor: &str,
        unit: &str,
    ) -> Result<String, RepairError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let open: Option<(String,)> = sqlx::query_as(
            "SELECT id FROM credit_repairs
             WHERE status NOT IN ('granted', 'refused', 'not-accepted')
               AND (list_entry_id = $1 OR record_id = $2) LIMIT 1",
        )
        .bind(&r.list_entry_id)
        .bind(&r.record_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((other,)) = open {
            return Err(RepairError::NotRepairable(
                "repair-open",
                format!("已有未办结的信用修复申请 {other}"),
                format!("repair {other} of the same target is still open"),
            ));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        let (due, provisional) = super::steps::due_columns(&r.due);
        sqlx::query(
            "INSERT INTO credit_repairs (id, path, list_entry_id, record_id, subject_key, status, channel, ticket_number,
                received_on, applicant_name, applicant_role, proof, rectification, training, commitment, unit, due,
                due_provisional, follow_code_hash, created_at, created_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
        )
        .bind(&id)
        .bind(r.path.as_str())
        .bind(&r.list_entry_id)
        .bind(&r.record_id)
        .bind(subject_key)
        .bind(r.status.as_str())
        .bind(&r.channel)
        .bind(&r.ticket_number)
        .bind(&r.received_on)
        .bind(&r.applicant_name)
        .bind(&r.applicant_role)
        .bind(serde_json::to_string(&r.proof).map_err(anyhow::Error::from)?)
        .bind(&r.rectification)
        .bind(&r.training)
        .bind(&r.commitment)
        .bind(&r.unit)
        .bind(due)
        .bind(i64::from(provisional))
        .bind(&r.follow_code_hash)
        .bind(&at)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        let step = NewStep {
            action: "file",
            status: r.status.as_str(),
            on_date: Some(&r.received_on),
            reason: None,
            actor,
            unit: Some(unit),
            at: &at,
            due,
        };
        steps::add(&mut tx, Procedure::Repair, &id, &step).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Repair `id`, or `None`.
    ///
    /// # Errors
    /// A database error.
    pub async fn repair(&self, id: &str) -> anyhow::Result<Option<RepairRow>> {
        let sql = format!("SELECT {COLUMNS} FROM credit_repairs WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// Repair `id` if `code_hash` is its follow code's.
    ///
    /// # Errors
    /// A database error.
    pub async fn repair_followed(&self, id: &str, code_hash: &str) -> anyhow::Result<Option<RepairRow>> {
        let sql = format!("SELECT {COLUMNS} FROM credit_repairs WHERE id = $1 AND follow_code_hash = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(code_hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// Repairs by status, unit and a deadline before `due_before`, earliest
    /// deadline first.
    ///
    /// # Errors
    /// A database error.
    pub async fn repairs(
        &self,
        status: Option<&str>,
        unit: Option<&str>,
        due_before: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<RepairRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM credit_repairs
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

    /// Open repairs whose deadline is provisional, with the day their
    /// current stage began (the last step's day).
    ///
    /// # Errors
    /// A database error.
    pub async fn provisional_repairs(&self) -> anyhow::Result<Vec<(RepairRow, Option<String>)>> {
        let sql = format!(
            "SELECT {COLUMNS}, (SELECT s.on_date FROM credit_repair_steps s WHERE s.repair_id = r.id ORDER BY s.seq DESC LIMIT 1)
             FROM credit_repairs r WHERE due_provisional = 1 AND due IS NOT NULL"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(|r| Ok((row_from(r)?, r.try_get(34)?))).collect()
    }

    /// Apply step `t` to repair `id` if it is still where `t` leaves from;
    /// a granted decision ends the entry or the publicity in the same
    /// transaction.
    ///
    /// # Errors
    /// [`RepairError::Stale`] when it moved meanwhile; nothing changes then.
    pub async fn transition_repair(
        &self,
        id: &str,
        t: &RepairTransition,
        actor: &str,
        unit: &str,
    ) -> Result<(), RepairError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let row = sqlx::query(
            "SELECT status, paused_since, pauses, list_entry_id, record_id FROM credit_repairs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| RepairError::NotFound(format!("no credit repair {id:?}")))?;
        let (status, paused_since, pauses, entry_id, record_id): (
            String,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
        ) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?, row.try_get(4)?);
        if status != t.from.as_str() || paused_since.is_some() != t.from_paused {
            return Err(RepairError::Stale { id: id.to_owned(), status });
        }
        let (paused_since, pauses) = super::steps::pause_columns(&t.pause, &t.on_date, paused_since, &pauses)?;
        let (due, provisional) = super::steps::due_columns(&t.due);
        let granted = t.to == Status::Granted;
        sqlx::query(
            "UPDATE credit_repairs SET status = $1, paused_since = $2, pauses = $3, due = $4, due_provisional = $5,
                unit = COALESCE($6, unit),
                accepted_on = CASE WHEN $7 = 'accept' THEN $8 ELSE accepted_on END,
                check_verdict = CASE WHEN $7 = 'check' THEN $9 ELSE check_verdict END,
                checked_by = CASE WHEN $7 = 'check' THEN $10 ELSE checked_by END,
                review_verdict = CASE WHEN $7 = 'review' THEN $9 ELSE review_verdict END,
                reviewed_by = CASE WHEN $7 = 'review' THEN $10 ELSE reviewed_by END,
                approval_verdict = CASE WHEN $7 = 'approve' THEN $9 ELSE approval_verdict END,
                approved_by = CASE WHEN $7 = 'approve' THEN $10 ELSE approved_by END,
                opinion = CASE WHEN $7 = 'opinion' THEN $9 ELSE opinion END,
                opinion_by = CASE WHEN $7 = 'opinion' THEN $10 ELSE opinion_by END,
                decision = CASE WHEN $7 IN ('decide', 'platform-decision') THEN $11 ELSE decision END,
                decision_number = CASE WHEN $7 IN ('decide', 'platform-decision') THEN $12 ELSE decision_number END,
                repaired_on = COALESCE($13, repaired_on)
             WHERE id = $14",
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
        .bind(match t.to {
            Status::Granted => Some("grant"),
            Status::Refused => Some("refuse"),
            _ => None,
        })
        .bind(&t.decision_number)
        .bind(granted.then_some(t.on_date.as_str()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if granted {
            let number = t.decision_number.as_deref().unwrap_or("—");
            if let Some(entry) = &entry_id {
                let status: Option<(String,)> = sqlx::query_as("SELECT status FROM list_entries WHERE id = $1")
                    .bind(entry)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some((status,)) = status {
                    let why = format!("准予信用修复（{number}，信用修复 {id}）");
                    end_entry(&mut tx, entry, &status, &why, actor, unit, &t.on_date, &at).await?;
                }
            } else if let Some(record) = &record_id {
                sqlx::query("UPDATE credit_records SET repaired_on = $1 WHERE id = $2 AND repaired_on IS NULL")
                    .bind(&t.on_date)
                    .bind(record)
                    .execute(&mut *tx)
                    .await?;
                // The record's own history says who, when and why.
                let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM record_reviews WHERE record_id = $1")
                    .bind(record)
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO record_reviews (record_id, seq, status, reason_code, reason, actor, unit, at, due)
                     SELECT $1, $2, review_status, 'publicity-repaired', $3, $4, $5, $6, NULL FROM credit_records WHERE id = $1",
                )
                .bind(record)
                .bind(n + 1)
                .bind(format!("信用修复：公示于 {} 结束（{number}，信用修复 {id}）", t.on_date))
                .bind(actor)
                .bind(unit)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
        }
        let step = NewStep {
            action: t.action.as_str(),
            status: t.to.as_str(),
            on_date: Some(&t.on_date),
            reason: t.reason.as_deref(),
            actor,
            unit: Some(unit),
            at: &at,
            due,
        };
        steps::add(&mut tx, Procedure::Repair, id, &step).await?;
        tx.commit().await?;
        Ok(())
    }
}
