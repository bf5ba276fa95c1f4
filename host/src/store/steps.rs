//! The steps of a procedure (a list entry's, an objection's): who, when,
//! why, kept append-only in one table per procedure with the same columns.

use super::Store;
use serde::Serialize;
use sqlx::Row as _;

/// Which procedure's step table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procedure {
    /// `list_entry_steps`, keyed by `entry_id`.
    ListEntry,
    /// `objection_steps`, keyed by `objection_id`.
    Objection,
    /// `complaint_steps`, keyed by `complaint_id`.
    Complaint,
    /// `credit_repair_steps`, keyed by `repair_id`.
    Repair,
}

impl Procedure {
    /// The procedure's own table (objections and complaints have a `due`).
    fn own_table(self) -> &'static str {
        match self {
            Procedure::ListEntry => "list_entries",
            Procedure::Objection => "objections",
            Procedure::Complaint => "complaints",
            Procedure::Repair => "credit_repairs",
        }
    }

    /// (table, key column): constants, never input.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Procedure::ListEntry => ("list_entry_steps", "entry_id"),
            Procedure::Objection => ("objection_steps", "objection_id"),
            Procedure::Complaint => ("complaint_steps", "complaint_id"),
            Procedure::Repair => ("credit_repair_steps", "repair_id"),
        }
    }
}

/// One step of a procedure.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProcedureStep {
    /// What was done: for a list entry `propose`, `notify`, `statement`,
    /// `announce`, `decide`, `withdraw`, `suspend`, `reinstate`, `remove`
    /// or `list` (listed by an import); for an objection `file`, `accept`,
    /// `not-accept`, `request-completion`, `complete`, `opinion`, `review`
    /// or `answer`; for a complaint `file`, `accept`, `not-accept`,
    /// `request-completion`, `complete`, `conclude` or `answer`; for a
    /// credit repair `file`, `accept`, `not-accept`, `request-completion`,
    /// `complete`, `check`, `review`, `approve`, `decide`, `opinion` or
    /// `platform-decision`.
    pub action: String,
    /// The state after it.
    pub status: String,
    /// The day it took effect (`YYYY-MM-DD`).
    pub on_date: Option<String>,
    /// Why, or what was stated, asked or answered.
    pub reason: Option<String>,
    /// Who (an account, or `system`).
    pub actor: String,
    /// Their unit.
    pub unit: Option<String>,
    /// When (RFC 3339).
    pub at: String,
    /// The deadline it set.
    pub due: Option<String>,
}

/// A step to add (its sequence number follows the last one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewStep<'a> {
    /// What was done.
    pub action: &'a str,
    /// The state after it.
    pub status: &'a str,
    /// The day it took effect.
    pub on_date: Option<&'a str>,
    /// Why.
    pub reason: Option<&'a str>,
    /// Who.
    pub actor: &'a str,
    /// Their unit.
    pub unit: Option<&'a str>,
    /// When (RFC 3339).
    pub at: &'a str,
    /// The deadline it set.
    pub due: Option<&'a str>,
}

/// Append step `s` to `id`'s steps of `procedure`, inside `conn`.
pub(crate) async fn add(
    conn: &mut sqlx::AnyConnection,
    procedure: Procedure,
    id: &str,
    s: &NewStep<'_>,
) -> sqlx::Result<()> {
    let (table, key) = procedure.table();
    // Only the constant table and column names are formatted in.
    let count = format!("SELECT COUNT(*) FROM {table} WHERE {key} = $1");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count)).bind(id).fetch_one(&mut *conn).await?;
    let insert = format!(
        "INSERT INTO {table} ({key}, seq, action, status, on_date, reason, actor, unit, at, due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    sqlx::query(sqlx::AssertSqlSafe(insert))
        .bind(id)
        .bind(n + 1)
        .bind(s.action)
        .bind(s.status)
        .bind(s.on_date)
        .bind(s.reason)
        .bind(s.actor)
        .bind(s.unit)
        .bind(s.at)
        .bind(s.due)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A deadline as stored: `(due, provisional)` from `Some((day,
/// provisional))`, or `(None, false)`.
pub(crate) fn due_columns(due: &Option<(String, bool)>) -> (Option<&str>, bool) {
    match due {
        Some((d, p)) => (Some(d.as_str()), *p),
        None => (None, false),
    }
}

/// The 补正 columns after a step: `pause` `Some(None)` opens a pause on
/// `on`, `Some(Some(closed))` closes the open one, `None` leaves them;
/// `paused_since` and the closed `pauses` (JSON) as stored. The new
/// `(paused_since, pauses JSON)`.
///
/// # Errors
/// The stored pauses are not valid JSON.
pub(crate) fn pause_columns(
    pause: &Option<Option<super::PauseRow>>,
    on: &str,
    paused_since: Option<String>,
    pauses: &str,
) -> anyhow::Result<(Option<String>, String)> {
    let mut pauses: Vec<super::PauseRow> = serde_json::from_str(pauses)?;
    let paused_since = match pause {
        Some(None) => Some(on.to_owned()),
        Some(Some(closed)) => {
            pauses.push(closed.clone());
            None
        }
        None => paused_since,
    };
    Ok((paused_since, serde_json::to_string(&pauses)?))
}

impl Store {
    /// Set the deadline of `id` in `procedure` to `due` (provisional or
    /// not) after a holiday schedule was loaded, never earlier than the one
    /// it has.
    ///
    /// # Errors
    /// A database error.
    pub(crate) async fn recompute_due(
        &self,
        procedure: Procedure,
        id: &str,
        due: &str,
        provisional: bool,
    ) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        // Only the constant table name is formatted in.
        let sql = format!(
            "UPDATE {} SET due = CASE WHEN due IS NOT NULL AND due > $1 THEN due ELSE $1 END, due_provisional = $2 WHERE id = $3",
            procedure.own_table()
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(due)
            .bind(i64::from(provisional))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The steps of `id` in `procedure`, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub(crate) async fn steps(&self, procedure: Procedure, id: &str) -> anyhow::Result<Vec<ProcedureStep>> {
        let (table, key) = procedure.table();
        let sql = format!(
            "SELECT action, status, on_date, reason, actor, unit, at, due FROM {table} WHERE {key} = $1 ORDER BY seq"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(ProcedureStep {
                    action: r.try_get(0)?,
                    status: r.try_get(1)?,
                    on_date: r.try_get(2)?,
                    reason: r.try_get(3)?,
                    actor: r.try_get(4)?,
                    unit: r.try_get(5)?,
                    at: r.try_get(6)?,
                    due: r.try_get(7)?,
                })
            })
            .collect()
    }
}
