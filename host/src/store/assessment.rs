//! What the annual assessment of units reads: the facts of a year, each
//! with the unit responsible at the time, and the persons units name.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// The unit that reported record `r` (its first review step's unit, else
/// the reporting account's): a constant SQL expression.
const RECORD_UNIT: &str = "COALESCE(
    (SELECT v.unit FROM record_reviews v WHERE v.record_id = r.id AND v.unit IS NOT NULL ORDER BY v.seq LIMIT 1),
    (SELECT a.unit FROM accounts a WHERE a.id = r.created_by))";

/// A record reported in the year.
#[derive(Debug, Clone)]
pub struct ReportedRecord {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Sector.
    pub sector: Option<String>,
    /// Decision date.
    pub decision_date: Option<String>,
    /// The body as reported.
    pub body: serde_json::Value,
    /// The day it was reported (UTC date of its creation).
    pub reported_on: String,
    /// The unit that reported it.
    pub unit: Option<String>,
}

/// A step of a procedure a unit answers for.
#[derive(Debug, Clone)]
pub struct UnitStep {
    /// `objection`, `repair` or `complaint`.
    pub procedure: &'static str,
    /// The procedure's id.
    pub id: String,
    /// The unit it was routed to.
    pub unit: String,
    /// Order.
    pub seq: i64,
    /// Action.
    pub action: String,
    /// The day.
    pub on_date: Option<String>,
    /// The deadline the step set.
    pub due: Option<String>,
}

/// A person a unit names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Responsible {
    /// Unit.
    pub unit: String,
    /// `leader` or `liaison`.
    pub role: String,
    /// Name.
    pub name: String,
    /// From this day.
    pub from_date: String,
    /// Named by.
    pub set_by: String,
    /// When (RFC 3339).
    pub set_at: String,
}

/// The facts of one year.
#[derive(Debug, Clone, Default)]
pub struct YearFacts {
    /// Records reported in the year.
    pub records: Vec<ReportedRecord>,
    /// The office's review steps of the year: `(record, published |
    /// returned, the record's unit)`.
    pub reviews: Vec<(String, String, Option<String>)>,
    /// Platform answers of the year: `(record, accepted | rejected, the
    /// record's unit)`.
    pub exports: Vec<(String, String, Option<String>)>,
    /// Every step of the objections, repairs and complaints routed to a
    /// unit and answered (opinion, check, conclusion) in the year.
    pub steps: Vec<UnitStep>,
    /// Checks of the year: `(check id, the inspector's unit)`.
    pub checks: Vec<(String, String)>,
    /// Every person named, oldest first.
    pub responsibles: Vec<Responsible>,
}

impl Store {
    /// The facts of `year` the assessment counts.
    ///
    /// # Errors
    /// A database error.
    pub async fn year_facts(&self, year: i32) -> anyhow::Result<YearFacts> {
        let (from, to) = (format!("{year}-01-01"), format!("{}-01-01", year + 1));
        let mut facts = YearFacts::default();
        let sql = format!(
            "SELECT r.id, r.kind, r.sector, r.decision_date, r.body, r.created_at, {RECORD_UNIT}
             FROM credit_records r WHERE r.created_at >= $1 AND r.created_at < $2 AND r.created_by <> 'seed'
             ORDER BY r.created_at, r.id"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&from).bind(&to).fetch_all(self.pool()).await? {
            let at: String = r.try_get(5)?;
            facts.records.push(ReportedRecord {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                sector: r.try_get(2)?,
                decision_date: r.try_get(3)?,
                body: serde_json::from_str(&r.try_get::<String, _>(4)?)?,
                reported_on: at.chars().take(10).collect(),
                unit: r.try_get(6)?,
            });
        }
        let sql = format!(
            "SELECT v.record_id, v.status, {RECORD_UNIT} FROM record_reviews v JOIN credit_records r ON r.id = v.record_id
             WHERE v.seq > 1 AND v.status IN ('published', 'returned') AND v.at >= $1 AND v.at < $2
             ORDER BY v.at, v.record_id"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&from).bind(&to).fetch_all(self.pool()).await? {
            facts.reviews.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
        }
        let sql = format!(
            "SELECT e.record_id, e.status, {RECORD_UNIT} FROM export_items e JOIN credit_records r ON r.id = e.record_id
             WHERE e.status IN ('accepted', 'rejected') AND e.answered_at >= $1 AND e.answered_at < $2
             ORDER BY e.answered_at, e.key"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&from).bind(&to).fetch_all(self.pool()).await? {
            facts.exports.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
        }
        for (procedure, sql) in [
            (
                "objection",
                "SELECT o.id, o.unit, s.seq, s.action, s.on_date, s.due FROM objection_steps s
                 JOIN objections o ON o.id = s.objection_id WHERE o.unit IS NOT NULL
                   AND o.id IN (SELECT a.objection_id FROM objection_steps a WHERE a.action = 'opinion'
                                AND a.on_date >= $1 AND a.on_date < $2)
                 ORDER BY o.id, s.seq",
            ),
            (
                "repair",
                "SELECT o.id, o.unit, s.seq, s.action, s.on_date, s.due FROM credit_repair_steps s
                 JOIN credit_repairs o ON o.id = s.repair_id WHERE o.unit IS NOT NULL
                   AND o.id IN (SELECT a.repair_id FROM credit_repair_steps a WHERE a.action IN ('check', 'opinion')
                                AND a.on_date >= $1 AND a.on_date < $2)
                 ORDER BY o.id, s.seq",
            ),
            (
                "complaint",
                "SELECT o.id, o.unit, s.seq, s.action, s.on_date, s.due FROM complaint_steps s
                 JOIN complaints o ON o.id = s.complaint_id WHERE o.unit IS NOT NULL
                   AND o.id IN (SELECT a.complaint_id FROM complaint_steps a WHERE a.action = 'conclude'
                                AND a.on_date >= $1 AND a.on_date < $2)
                 ORDER BY o.id, s.seq",
            ),
        ] {
            for r in sqlx::query(sql).bind(&from).bind(&to).fetch_all(self.pool()).await? {
                facts.steps.push(UnitStep {
                    procedure,
                    id: r.try_get(0)?,
                    unit: r.try_get(1)?,
                    seq: r.try_get(2)?,
                    action: r.try_get(3)?,
                    on_date: r.try_get(4)?,
                    due: r.try_get(5)?,
                });
            }
        }
        let rows = sqlx::query(
            "SELECT c.id, a.unit FROM checks c JOIN accounts a ON a.id = c.requested_by
             WHERE c.created_at >= $1 AND c.created_at < $2 ORDER BY c.created_at, c.id",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(self.pool())
        .await?;
        for r in rows {
            facts.checks.push((r.try_get(0)?, r.try_get(1)?));
        }
        facts.responsibles = self.responsibles(None).await?;
        Ok(facts)
    }

    /// Every person named (for `unit`, or all), oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn responsibles(&self, unit: Option<&str>) -> anyhow::Result<Vec<Responsible>> {
        let rows = sqlx::query(
            "SELECT unit, role, name, from_date, set_by, set_at FROM unit_responsibles
             WHERE ($1 IS NULL OR unit = $1) ORDER BY unit, from_date, role",
        )
        .bind(unit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Responsible {
                    unit: r.try_get(0)?,
                    role: r.try_get(1)?,
                    name: r.try_get(2)?,
                    from_date: r.try_get(3)?,
                    set_by: r.try_get(4)?,
                    set_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Name `name` as `unit`'s `role` from `from` (replacing one named for
    /// the same day).
    ///
    /// # Errors
    /// A database error.
    pub async fn name_responsible(
        &self,
        unit: &str,
        role: &str,
        name: &str,
        from: &str,
        actor: &str,
    ) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM unit_responsibles WHERE unit = $1 AND role = $2 AND from_date = $3")
            .bind(unit)
            .bind(role)
            .bind(from)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO unit_responsibles (unit, role, name, from_date, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(unit)
        .bind(role)
        .bind(name)
        .bind(from)
        .bind(actor)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
