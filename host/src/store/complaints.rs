//! Complaints and reports (see [`crate::domain::complaints`]) with every
//! step kept; a substantiated one becomes a credit record in the same
//! transaction; statistics.

use super::objections::PauseRow;
use super::records::{BatchOptions, NewRecord, batch_in};
use super::steps::{self, NewStep, Procedure, ProcedureStep};
use super::subjects::NewSubject;
use super::{Store, now};
use crate::domain::complaints::{Action, Status};
use serde::Serialize;
use sqlx::Row as _;

/// A complaint as filed.
#[derive(Debug, Clone)]
pub struct NewComplaint {
    /// `complaint` (投诉, by an affected party) or `report` (举报).
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Its ticket number.
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Who complains (`None`: an anonymous report).
    pub complainant_name: Option<String>,
    /// How to reach them.
    pub complainant_contact: Option<String>,
    /// The subject complained of (created if unknown; a known one keeps
    /// its name).
    pub subject: NewSubject,
    /// The sector.
    pub sector: String,
    /// The conduct complained of.
    pub statement: String,
    /// sha256 (hex) of the follow code.
    pub follow_code_hash: String,
}

/// A complaint as its handlers see it (with the complainant's identity:
/// only the office and the investigating unit read it).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplaintRow {
    /// Id.
    pub id: String,
    /// `complaint` or `report`.
    pub kind: String,
    /// Channel.
    pub channel: String,
    /// Ticket number.
    pub ticket_number: Option<String>,
    /// The day it arrived.
    pub received_on: String,
    /// Complainant (none: anonymous).
    pub complainant_name: Option<String>,
    /// Their contact.
    pub complainant_contact: Option<String>,
    /// The subject's key.
    pub subject_key: String,
    /// The subject's name.
    pub subject_name: String,
    /// Sector.
    pub sector: String,
    /// The subject as filed: `organisation`, `individual-business` or
    /// `natural-person`; with its USCC or masked ID number.
    #[serde(skip)]
    pub subject: NewSubject,
    /// The conduct complained of.
    pub statement: String,
    /// `received`, `investigating`, `substantiated`, `unsubstantiated`,
    /// `not-accepted` or `closed`.
    pub status: String,
    /// The investigating unit.
    pub unit: Option<String>,
    /// Accepted on.
    pub accepted_on: Option<String>,
    /// An open 补正 since.
    pub paused_since: Option<String>,
    /// Closed pauses.
    pub pauses: Vec<PauseRow>,
    /// The investigation's last day.
    pub due: Option<String>,
    /// The deadline may move.
    pub due_provisional: bool,
    /// What the investigation found.
    pub finding: Option<String>,
    /// The credit record a substantiated complaint became.
    pub record_id: Option<String>,
    /// Concluded on.
    pub concluded_on: Option<String>,
    /// Answered on.
    pub answered_on: Option<String>,
    /// Filed (RFC 3339).
    pub created_at: String,
}

/// A step to apply.
#[derive(Debug, Clone)]
pub struct ComplaintTransition {
    /// The action.
    pub action: Action,
    /// The state it leaves.
    pub from: Status,
    /// Whether it leaves a paused complaint.
    pub from_paused: bool,
    /// The state it reaches.
    pub to: Status,
    /// The day it took effect.
    pub on_date: String,
    /// Why; the finding (`conclude`); the feedback's gist (`answer`).
    pub reason: Option<String>,
    /// The new deadline and whether it is provisional.
    pub due: Option<(String, bool)>,
    /// `accept`: the investigating unit.
    pub unit: Option<String>,
    /// `request-completion`: `Some(None)`; `complete`: the closed pause.
    pub pause: Option<Option<PauseRow>>,
    /// `conclude` substantiated: the record it becomes, and how it is
    /// reported (for the office's review).
    pub record: Option<(Box<NewRecord>, BatchOptions)>,
}

/// Counts of complaints received in a period.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ComplaintStatistics {
    /// Received.
    pub received: i64,
    /// Of which complaints (投诉) and reports (举报).
    pub by_kind: std::collections::BTreeMap<String, i64>,
    /// By channel.
    pub by_channel: std::collections::BTreeMap<String, i64>,
    /// By sector.
    pub by_sector: std::collections::BTreeMap<String, i64>,
    /// By current status.
    pub by_status: std::collections::BTreeMap<String, i64>,
    /// Concluded substantiated.
    pub substantiated: i64,
    /// Concluded unsubstantiated.
    pub unsubstantiated: i64,
    /// Not accepted.
    pub not_accepted: i64,
    /// Concluded by their deadline.
    pub concluded_on_time: i64,
    /// Concluded after it.
    pub concluded_late: i64,
    /// Still investigating past their deadline (today, Beijing time).
    pub overdue: i64,
}

const COLUMNS: &str = "id, kind, channel, ticket_number, received_on, complainant_name, complainant_contact, subject_key, \
     subject_name, sector, statement, status, unit, accepted_on, paused_since, pauses, due, due_provisional, finding, record_id, \
     concluded_on, answered_on, created_at, subject_kind, subject_uscc, subject_id_hash_key_id, subject_id_masked, \
     subject_id_encrypted";

fn row_from(r: &sqlx::any::AnyRow) -> anyhow::Result<ComplaintRow> {
    Ok(ComplaintRow {
        id: r.try_get(0)?,
        kind: r.try_get(1)?,
        channel: r.try_get(2)?,
        ticket_number: r.try_get(3)?,
        received_on: r.try_get(4)?,
        complainant_name: r.try_get(5)?,
        complainant_contact: r.try_get(6)?,
        subject_key: r.try_get(7)?,
        subject_name: r.try_get(8)?,
        sector: r.try_get(9)?,
        subject: NewSubject {
            key: r.try_get(7)?,
            kind: r.try_get(23)?,
            name: r.try_get(8)?,
            uscc: r.try_get(24)?,
            id_hash_key_id: r.try_get(25)?,
            id_masked: r.try_get(26)?,
            id_encrypted: r.try_get(27)?,
        },
        statement: r.try_get(10)?,
        status: r.try_get(11)?,
        unit: r.try_get(12)?,
        accepted_on: r.try_get(13)?,
        paused_since: r.try_get(14)?,
        pauses: serde_json::from_str(&r.try_get::<String, _>(15)?)?,
        due: r.try_get(16)?,
        due_provisional: r.try_get::<i64, _>(17)? != 0,
        finding: r.try_get(18)?,
        record_id: r.try_get(19)?,
        concluded_on: r.try_get(20)?,
        answered_on: r.try_get(21)?,
        created_at: r.try_get(22)?,
    })
}

/// Why a complaint operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ComplaintError {
    /// No such complaint.
    #[error("{0}")]
    NotFound(String),
    /// It changed meanwhile.
    #[error("complaint {id} is {status} now")]
    Stale {
        /// Id.
        id: String,
        /// Its state now.
        status: String,
    },
    /// The channel's ticket was filed before, as this complaint.
    #[error("ticket filed before as complaint {0}")]
    Duplicate(String),
    /// The record it would become collides with a stored one.
    #[error("the record would duplicate record {0}")]
    Collides(String),
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ComplaintError {
    fn from(e: sqlx::Error) -> Self {
        ComplaintError::Db(e.into())
    }
}

impl Store {
    /// File complaint `c` (`received`); its id. The subject is kept with it,
    /// not stored as a subject (an allegation registers nobody).
    ///
    /// # Errors
    /// [`ComplaintError::Duplicate`] when the channel's ticket was filed
    /// before; a database error.
    pub async fn file_complaint(&self, c: &NewComplaint, actor: &str, unit: &str) -> Result<String, ComplaintError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        // An allegation registers nobody: the subject is kept with the
        // complaint, and stored as a subject only if it is substantiated.
        let known: Option<(String, String)> = sqlx::query_as("SELECT name, kind FROM subjects WHERE key = $1")
            .bind(&c.subject.key)
            .fetch_optional(&mut *tx)
            .await?;
        let (name, kind) = known.unwrap_or_else(|| (c.subject.name.clone(), c.subject.kind.clone()));
        if let Some(ticket) = &c.ticket_number {
            let dup: Option<(String,)> =
                sqlx::query_as("SELECT id FROM complaints WHERE channel = $1 AND ticket_number = $2")
                    .bind(&c.channel)
                    .bind(ticket)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some((other,)) = dup {
                return Err(ComplaintError::Duplicate(other));
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        sqlx::query(
            "INSERT INTO complaints (id, kind, channel, ticket_number, received_on, complainant_name, complainant_contact,
                subject_key, subject_name, sector, statement, status, follow_code_hash, created_at, created_by,
                subject_kind, subject_uscc, subject_id_hash_key_id, subject_id_masked, subject_id_encrypted)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', $12, $13, $14, $15, $16, $17, $18, $19)",
        )
        .bind(&id)
        .bind(&c.kind)
        .bind(&c.channel)
        .bind(&c.ticket_number)
        .bind(&c.received_on)
        .bind(&c.complainant_name)
        .bind(&c.complainant_contact)
        .bind(&c.subject.key)
        .bind(&name)
        .bind(&c.sector)
        .bind(&c.statement)
        .bind(&c.follow_code_hash)
        .bind(&at)
        .bind(actor)
        .bind(&kind)
        .bind(&c.subject.uscc)
        .bind(&c.subject.id_hash_key_id)
        .bind(&c.subject.id_masked)
        .bind(&c.subject.id_encrypted)
        .execute(&mut *tx)
        .await?;
        let step = NewStep {
            action: "file",
            status: "received",
            on_date: Some(&c.received_on),
            reason: None,
            actor,
            unit: Some(unit),
            at: &at,
            due: None,
        };
        steps::add(&mut tx, Procedure::Complaint, &id, &step).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Complaint `id`, or `None`.
    ///
    /// # Errors
    /// A database error.
    pub async fn complaint(&self, id: &str) -> anyhow::Result<Option<ComplaintRow>> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// Complaints under investigation whose deadline is provisional (a year
    /// without a holiday schedule) and whose clock runs.
    ///
    /// # Errors
    /// A database error.
    pub async fn provisional_complaints(&self) -> anyhow::Result<Vec<ComplaintRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM complaints WHERE due_provisional = 1 AND status = 'investigating' AND paused_since IS NULL"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.pool()).await?;
        rows.iter().map(row_from).collect()
    }

    /// Complaint `id` if `code_hash` is its follow code's.
    ///
    /// # Errors
    /// A database error.
    pub async fn complaint_followed(&self, id: &str, code_hash: &str) -> anyhow::Result<Option<ComplaintRow>> {
        let sql = format!("SELECT {COLUMNS} FROM complaints WHERE id = $1 AND follow_code_hash = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).bind(code_hash).fetch_optional(self.pool()).await?;
        row.as_ref().map(row_from).transpose()
    }

    /// The steps of complaint `id`, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn complaint_steps(&self, id: &str) -> anyhow::Result<Vec<ProcedureStep>> {
        self.steps(Procedure::Complaint, id).await
    }

    /// Complaints by status, investigating unit and (open ones only) a
    /// deadline before `due_before`, earliest deadline first.
    ///
    /// # Errors
    /// A database error.
    pub async fn complaints(
        &self,
        status: Option<&str>,
        unit: Option<&str>,
        due_before: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<ComplaintRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM complaints
             WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR unit = $2) AND ($3 IS NULL OR (status IN ('received', 'investigating') AND due IS NOT NULL AND due < $3))
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

    /// Apply step `t` to complaint `id` if it is still where `t` leaves
    /// from; a substantiated conclusion stores its record in the same
    /// transaction.
    ///
    /// # Errors
    /// [`ComplaintError::Stale`] when it moved meanwhile,
    /// [`ComplaintError::Collides`] when the record would duplicate one;
    /// nothing changes then.
    pub async fn transition_complaint(
        &self,
        id: &str,
        t: &ComplaintTransition,
        actor: &str,
        unit: &str,
    ) -> Result<(), ComplaintError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let row = sqlx::query("SELECT status, paused_since, pauses FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| ComplaintError::NotFound(format!("no complaint {id:?}")))?;
        let (status, paused_since, pauses): (String, Option<String>, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if status != t.from.as_str() || paused_since.is_some() != t.from_paused {
            return Err(ComplaintError::Stale { id: id.to_owned(), status });
        }
        let (paused_since, pauses) = super::steps::pause_columns(&t.pause, &t.on_date, paused_since, &pauses)?;
        let mut record_id = None;
        if let Some((record, options)) = &t.record {
            let (summary, conflicts) = batch_in(&mut tx, std::slice::from_ref(record), &[], actor, options).await?;
            if let Some(c) = conflicts.first() {
                return Err(ComplaintError::Collides(c.existing_id.clone().unwrap_or_default()));
            }
            record_id = summary.ids.into_iter().flatten().next();
        }
        let (due, provisional) = super::steps::due_columns(&t.due);
        sqlx::query(
            "UPDATE complaints SET status = $1, paused_since = $2, pauses = $3,
                due = CASE WHEN $7 IN ('conclude', 'answer') THEN due ELSE $4 END,
                due_provisional = CASE WHEN $7 IN ('conclude', 'answer') THEN due_provisional ELSE $5 END,
                unit = COALESCE($6, unit),
                accepted_on = CASE WHEN $7 = 'accept' THEN $8 ELSE accepted_on END,
                finding = CASE WHEN $7 = 'conclude' THEN $9 ELSE finding END,
                concluded_on = CASE WHEN $7 = 'conclude' THEN $8 ELSE concluded_on END,
                answered_on = CASE WHEN $7 = 'answer' THEN $8 ELSE answered_on END,
                record_id = COALESCE($10, record_id)
             WHERE id = $11",
        )
        .bind(t.to.as_str())
        .bind(&paused_since)
        .bind(&pauses)
        .bind(due)
        .bind(i64::from(provisional))
        .bind(&t.unit)
        .bind(t.action.as_str())
        .bind(&t.on_date)
        .bind(&t.reason)
        .bind(&record_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
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
        steps::add(&mut tx, Procedure::Complaint, id, &step).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts of the complaints received from `from` to `to` (days,
    /// included); `today` decides what is overdue.
    ///
    /// # Errors
    /// A database error.
    pub async fn complaint_statistics(&self, from: &str, to: &str, today: &str) -> anyhow::Result<ComplaintStatistics> {
        let rows = sqlx::query(
            "SELECT kind, channel, sector, status, due, concluded_on, record_id FROM complaints
             WHERE received_on >= $1 AND received_on <= $2",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        let mut s = ComplaintStatistics::default();
        for r in &rows {
            let (kind, channel, sector, status): (String, String, String, String) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let (due, concluded, record): (Option<String>, Option<String>, Option<String>) =
                (r.try_get(4)?, r.try_get(5)?, r.try_get(6)?);
            s.received += 1;
            *s.by_kind.entry(kind).or_default() += 1;
            *s.by_channel.entry(channel).or_default() += 1;
            *s.by_sector.entry(sector).or_default() += 1;
            match status.as_str() {
                "not-accepted" => s.not_accepted += 1,
                "investigating" if due.as_deref().is_some_and(|d| d < today) => s.overdue += 1,
                _ => {}
            }
            if let Some(on) = &concluded {
                if record.is_some() {
                    s.substantiated += 1;
                } else {
                    s.unsubstantiated += 1;
                }
                if due.as_deref().is_none_or(|d| on.as_str() <= d) {
                    s.concluded_on_time += 1;
                } else {
                    s.concluded_late += 1;
                }
            }
            *s.by_status.entry(status).or_default() += 1;
        }
        Ok(s)
    }
}
