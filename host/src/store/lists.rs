//! List entries' procedure (see [`crate::domain::lists`]) with every step
//! kept, red-list suspension when an adverse record arrives, and the
//! office's dated publications.

use super::steps::{self, NewStep, Procedure, ProcedureStep};
use super::subjects::{self, NewSubject};
use super::{Store, now, placeholders};
use crate::domain::lists::{Action, List, Status};
use serde::Serialize;
use sqlx::Row as _;

/// An entry the office proposes.
#[derive(Debug, Clone)]
pub struct NewProposal {
    /// The list.
    pub list: List,
    /// The subject (created if missing).
    pub subject: NewSubject,
    /// 认定标准: which criterion of the list applies.
    pub criteria: String,
    /// 列入事由 / 依据.
    pub basis: String,
    /// The record it rests on, if any.
    pub record_id: Option<String>,
    /// Proposed start `YYYY-MM-DD` (the decision may change it).
    pub start: String,
    /// Proposed end `YYYY-MM-DD`, exclusive.
    pub end: Option<String>,
    /// The measures it triggers.
    pub measures: Vec<String>,
    /// The sector, if the entry is about one.
    pub sector: Option<String>,
    /// The proposing unit.
    pub unit: String,
    /// The day of the proposal (Beijing), `YYYY-MM-DD`.
    pub proposed_on: String,
}

/// A list entry as the office sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListEntryRow {
    /// Id.
    pub id: String,
    /// `red`, `serious-dishonesty` or `minor-dishonesty`.
    pub list: String,
    /// `proposed`, `notified`, `announced`, `decided`, `suspended`,
    /// `withdrawn` or `removed`.
    pub status: String,
    /// Subject key (USCC, or `p:` + keyed hash).
    pub subject_key: String,
    /// 主体名称, as listed.
    pub subject_name: String,
    /// `organisation`, `individual-business` or `natural-person`.
    pub subject_kind: String,
    /// USCC.
    pub uscc: Option<String>,
    /// Masked ID number (natural persons).
    pub id_masked: Option<String>,
    /// Start `YYYY-MM-DD`.
    pub start_date: String,
    /// End `YYYY-MM-DD`, exclusive.
    pub end_date: Option<String>,
    /// The record it rests on.
    pub record_id: Option<String>,
    /// 列入事由 / 依据.
    pub basis: String,
    /// 认定标准.
    pub criteria: Option<String>,
    /// 认定决定书文号 (for an entry that follows from a record: that
    /// record's decision number).
    pub decision_number: Option<String>,
    /// The measures it triggers.
    pub measures: Vec<String>,
    /// The unit that proposed or reported it.
    pub unit: Option<String>,
    /// Sector.
    pub sector: Option<String>,
    /// The current timed step's last day (hearing or announcement).
    pub due: Option<String>,
    /// The deadline may move (a year without a holiday schedule).
    pub due_provisional: bool,
    /// The day the subject's statement (陈述申辩) arrived.
    pub statement_on: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Created by.
    pub created_by: String,
}

/// A step to apply.
#[derive(Debug, Clone)]
pub struct Transition {
    /// The action.
    pub action: Action,
    /// The state it leaves.
    pub from: Status,
    /// The state it reaches.
    pub to: Status,
    /// The day it took effect.
    pub on_date: String,
    /// Why.
    pub reason: Option<String>,
    /// A timed step: (last day, provisional, working days).
    pub due: Option<(String, bool, u32)>,
    /// A decision: (decision number, start, end).
    pub decision: Option<(String, String, Option<String>)>,
    /// A statement's day.
    pub statement_on: Option<String>,
}

/// Why a list operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// No such entry (or record).
    #[error("{0}")]
    NotFound(String),
    /// The record named cannot be the entry's basis: (Chinese, English).
    #[error("{1}")]
    Record(String, String),
    /// The same entry (list, subject, start, basis) exists.
    #[error("the same entry exists: {0}")]
    Duplicate(String),
    /// The entry changed state meanwhile.
    #[error("entry {id} is {status} now")]
    Stale {
        /// Entry id.
        id: String,
        /// Its state now.
        status: String,
    },
    /// A database error.
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ListError {
    fn from(e: sqlx::Error) -> Self {
        ListError::Db(e.into())
    }
}

/// A list entry as a publication shows it: no key, no full ID number, no
/// address, nothing about persons but the listed subject's name and its
/// legal representative's name as 双公示 shows them.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct PublicEntry {
    /// `red` or `serious-dishonesty`.
    pub list: String,
    /// 守信红名单 / 严重失信主体名单.
    pub list_name: String,
    /// 主体名称.
    pub subject_name: String,
    /// 主体类别: 法人及非法人组织, 个体工商户 or 自然人.
    pub subject_category: String,
    /// 统一社会信用代码.
    pub uscc: Option<String>,
    /// 证件号码, masked (natural persons only).
    pub id_masked: Option<String>,
    /// 法定代表人 / 经营者, as 双公示 shows it.
    pub legal_representative: Option<String>,
    /// 认定决定书文号.
    pub decision_number: Option<String>,
    /// 列入事由 / 依据.
    pub basis: String,
    /// 列入日期.
    pub start_date: String,
    /// 移出日期 (exclusive).
    pub end_date: Option<String>,
    /// 惩戒或激励措施.
    pub measures: Vec<String>,
}

/// A dated publication.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Publication {
    /// Id.
    pub id: String,
    /// The day it shows (`YYYY-MM-DD`).
    pub as_of: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
    /// How many entries it holds.
    pub entry_count: i64,
}

const ENTRY_COLUMNS: &str = "e.id, e.list, e.status, e.subject_key, COALESCE(e.subject_name, s.name), s.kind, s.uscc, s.id_masked, \
     e.start_date, e.end_date, e.record_id, e.basis, e.criteria, COALESCE(e.decision_number, r.decision_number), e.measures, \
     e.unit, COALESCE(e.sector, r.sector), e.due, e.due_provisional, e.statement_on, e.created_at, e.created_by";

const ENTRY_FROM: &str =
    "list_entries e JOIN subjects s ON s.key = e.subject_key LEFT JOIN credit_records r ON r.id = e.record_id";

fn entry_from(r: &sqlx::any::AnyRow) -> anyhow::Result<ListEntryRow> {
    let list: String = r.try_get(1)?;
    let measures = match r.try_get::<Option<String>, _>(14)? {
        Some(m) => serde_json::from_str(&m)?,
        None => List::parse(&list)
            .map(|l| l.default_measures().iter().map(|m| (*m).to_owned()).collect())
            .unwrap_or_default(),
    };
    Ok(ListEntryRow {
        id: r.try_get(0)?,
        list,
        status: r.try_get(2)?,
        subject_key: r.try_get(3)?,
        subject_name: r.try_get(4)?,
        subject_kind: r.try_get(5)?,
        uscc: r.try_get(6)?,
        id_masked: r.try_get(7)?,
        start_date: r.try_get(8)?,
        end_date: r.try_get(9)?,
        record_id: r.try_get(10)?,
        basis: r.try_get(11)?,
        criteria: r.try_get(12)?,
        decision_number: r.try_get(13)?,
        measures,
        unit: r.try_get(15)?,
        sector: r.try_get(16)?,
        due: r.try_get(17)?,
        due_provisional: r.try_get::<i64, _>(18)? != 0,
        statement_on: r.try_get(19)?,
        created_at: r.try_get(20)?,
        created_by: r.try_get(21)?,
    })
}

/// Append a step to entry `id`'s history inside `conn`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn add_step(
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
    steps::add(conn, Procedure::ListEntry, id, &step).await
}

/// Suspend, inside `tx`, the decided red-list entries of `keys` (the
/// subject and the 法定代表人 of an adverse record just stored) and of the
/// organisations those persons represent: an adverse record puts a red-list
/// entry on hold until the office reinstates or removes it. Returns how many
/// entries were suspended.
pub(super) async fn suspend_red_entries(
    conn: &mut sqlx::AnyConnection,
    keys: &[&str],
    why: &str,
    on_date: &str,
    at: &str,
) -> sqlx::Result<usize> {
    if keys.is_empty() {
        return Ok(0);
    }
    let n = keys.len();
    let sql = format!(
        "SELECT id FROM list_entries WHERE list = 'red' AND status = 'decided'
           AND (subject_key IN ({}) OR subject_key IN (SELECT org_key FROM subject_links
                WHERE person_key IN ({}) AND role IN ('legal-representative', 'operator', 'principal')))",
        placeholders(1, n),
        placeholders(n + 1, n)
    );
    // Only numbered placeholders are formatted in; the keys are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for k in keys.iter().chain(keys) {
        q = q.bind(*k);
    }
    let ids: Vec<String> = q.fetch_all(&mut *conn).await?.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    for id in &ids {
        sqlx::query("UPDATE list_entries SET status = 'suspended' WHERE id = $1").bind(id).execute(&mut *conn).await?;
        add_step(conn, id, "suspend", "suspended", Some(on_date), Some(why), "system", None, at, None).await?;
    }
    Ok(ids.len())
}

impl Store {
    /// Propose an entry: `proposed`, nothing public, counting nowhere.
    ///
    /// # Errors
    /// [`ListError::NotFound`] for a `record_id` that is not stored;
    /// [`ListError::Duplicate`] when the same list, subject, start and basis
    /// is already an entry; nothing changes then.
    pub async fn propose_list_entry(&self, p: &NewProposal, actor: &str) -> Result<String, ListError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        if let Some(record) = &p.record_id {
            let found =
                sqlx::query("SELECT subject_key, legal_rep_key, review_status FROM credit_records WHERE id = $1")
                    .bind(record)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(found) = found else { return Err(ListError::NotFound(format!("no record {record:?}"))) };
            let (subject, rep, status): (String, Option<String>, String) =
                (found.try_get(0)?, found.try_get(1)?, found.try_get(2)?);
            if subject != p.subject.key && rep.as_deref() != Some(p.subject.key.as_str()) {
                return Err(ListError::Record(
                    format!("记录 {record} 不是该主体（或其法定代表人）的记录"),
                    format!("record {record} is not about this subject (nor names it as legal representative)"),
                ));
            }
            if status == "returned" || status == "revoked" {
                return Err(ListError::Record(
                    format!("记录 {record} 已被退回或撤销，不能作为列入依据"),
                    format!("record {record} is {status}: it cannot be a basis"),
                ));
            }
        }
        let existing = sqlx::query(
            "SELECT id FROM list_entries WHERE list = $1 AND subject_key = $2 AND start_date = $3 AND basis = $4
               AND status NOT IN ('withdrawn', 'removed')",
        )
        .bind(p.list.as_str())
        .bind(&p.subject.key)
        .bind(&p.start)
        .bind(&p.basis)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            return Err(ListError::Duplicate(row.try_get(0)?));
        }
        // A subject the bureau knows keeps its name: only a new one is stored.
        let known = sqlx::query("SELECT key FROM subjects WHERE key = $1")
            .bind(&p.subject.key)
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            subjects::upsert(&mut tx, &p.subject).await?;
        }
        let id = uuid::Uuid::new_v4().to_string();
        let at = now();
        sqlx::query(
            "INSERT INTO list_entries (id, list, subject_key, start_date, end_date, record_id, basis, body, created_at, created_by,
                status, subject_name, criteria, measures, unit, sector)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, 'proposed', $10, $11, $12, $13, $14)",
        )
        .bind(&id)
        .bind(p.list.as_str())
        .bind(&p.subject.key)
        .bind(&p.start)
        .bind(&p.end)
        .bind(&p.record_id)
        .bind(&p.basis)
        .bind(&at)
        .bind(actor)
        .bind(&p.subject.name)
        .bind(&p.criteria)
        .bind(serde_json::to_string(&p.measures).map_err(anyhow::Error::from)?)
        .bind(&p.unit)
        .bind(&p.sector)
        .execute(&mut *tx)
        .await?;
        add_step(
            &mut tx,
            &id,
            "propose",
            "proposed",
            Some(&p.proposed_on),
            Some(&p.criteria),
            actor,
            Some(&p.unit),
            &at,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Entry `id`, or `None`.
    ///
    /// # Errors
    /// A database error.
    pub async fn list_entry(&self, id: &str) -> anyhow::Result<Option<ListEntryRow>> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM} WHERE e.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(entry_from).transpose()
    }

    /// The steps of entry `id`, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn list_entry_steps(&self, id: &str) -> anyhow::Result<Vec<ProcedureStep>> {
        self.steps(Procedure::ListEntry, id).await
    }

    /// Entries filtered by list, status, subject and a deadline before
    /// `due_before` (`YYYY-MM-DD`), earliest deadline first, then newest.
    ///
    /// # Errors
    /// A database error.
    pub async fn list_entries(
        &self,
        list: Option<&str>,
        status: Option<&str>,
        subject_key: Option<&str>,
        due_before: Option<&str>,
        limit: i64,
    ) -> anyhow::Result<Vec<ListEntryRow>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM {ENTRY_FROM}
             WHERE ($1 IS NULL OR e.list = $1) AND ($2 IS NULL OR e.status = $2) AND ($3 IS NULL OR e.subject_key = $3)
               AND ($4 IS NULL OR (e.due IS NOT NULL AND e.due < $4))
             ORDER BY CASE WHEN e.due IS NULL THEN 1 ELSE 0 END, e.due, e.created_at DESC, e.id LIMIT $5"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(list)
            .bind(status)
            .bind(subject_key)
            .bind(due_before)
            .bind(limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(entry_from).collect()
    }

    /// Apply step `t` to entry `id` if it is still in `t.from`; the step is
    /// kept with `actor`, `unit` and the reason.
    ///
    /// # Errors
    /// [`ListError::Stale`] when the entry left `t.from` meanwhile (two
    /// officers at once); [`ListError::Duplicate`] when a decided start
    /// collides with another entry's identity; nothing changes then.
    pub async fn transition_list_entry(
        &self,
        id: &str,
        t: &Transition,
        actor: &str,
        unit: &str,
    ) -> Result<(), ListError> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let (due, provisional, days) = match &t.due {
            Some((d, p, n)) => (Some(d.as_str()), *p, Some(i64::from(*n))),
            None => (None, false, None),
        };
        let timed = t.due.is_some();
        let done = sqlx::query(
            "UPDATE list_entries SET status = $1,
                step_on = CASE WHEN $2 = 1 THEN $3 ELSE step_on END,
                step_days = CASE WHEN $2 = 1 THEN $4 ELSE step_days END,
                due = CASE WHEN $2 = 1 THEN $5 ELSE due END,
                due_provisional = CASE WHEN $2 = 1 THEN $6 ELSE due_provisional END,
                statement_on = COALESCE($7, statement_on)
             WHERE id = $8 AND status = $9",
        )
        .bind(t.to.as_str())
        .bind(i64::from(timed))
        .bind(&t.on_date)
        .bind(days)
        .bind(due)
        .bind(i64::from(provisional))
        .bind(&t.statement_on)
        .bind(id)
        .bind(t.from.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let now_status: Option<(String,)> = sqlx::query_as("SELECT status FROM list_entries WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            return Err(match now_status {
                Some((status,)) => ListError::Stale { id: id.to_owned(), status },
                None => ListError::NotFound(format!("no list entry {id:?}")),
            });
        }
        if let Some((number, start, end)) = &t.decision {
            let clash = sqlx::query(
                "SELECT o.id FROM list_entries o JOIN list_entries e ON e.id = $1
                 WHERE o.id <> e.id AND o.list = e.list AND o.subject_key = e.subject_key AND o.start_date = $2 AND o.basis = e.basis
                   AND o.status NOT IN ('withdrawn', 'removed')",
            )
            .bind(id)
            .bind(start)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = clash {
                return Err(ListError::Duplicate(row.try_get(0)?));
            }
            sqlx::query(
                "UPDATE list_entries SET decision_number = $1, start_date = $2, end_date = $3, due = NULL, due_provisional = 0
                 WHERE id = $4",
            )
            .bind(number)
            .bind(start)
            .bind(end)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if matches!(t.to, Status::Withdrawn | Status::Removed) {
            sqlx::query("UPDATE list_entries SET due = NULL, due_provisional = 0 WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
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

    /// What keeps `subject_key` off the red list on `today`: its
    /// dishonesty entries in force and its penalties (or those naming it
    /// as legal representative) and confirmed breaches of credit
    /// commitments still in publicity, described.
    ///
    /// # Errors
    /// A database error.
    pub async fn adverse_now(&self, subject_key: &str, today: &str) -> anyhow::Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT list, start_date FROM list_entries
             WHERE subject_key = $1 AND list IN ('serious-dishonesty', 'minor-dishonesty') AND status = 'decided'
               AND start_date <= $2 AND (end_date IS NULL OR end_date > $2)
               AND (record_id IS NULL OR record_id NOT IN (SELECT id FROM credit_records WHERE review_status IN ('returned', 'revoked')))
             ORDER BY start_date",
        )
        .bind(subject_key)
        .bind(today)
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let (list, start): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let name = List::parse(&list).map_or_else(|| list.clone(), |l| l.name_zh().to_owned());
            out.push(format!("{name}（自{start}）"));
        }
        let rows = sqlx::query(
            "SELECT decision_number, kind FROM credit_records
             WHERE (subject_key = $1 OR legal_rep_key = $1) AND kind IN ('penalty', 'commitment-breach')
               AND review_status NOT IN ('returned', 'revoked')
               AND publicity_end IS NOT NULL AND publicity_end > $2 AND (repaired_on IS NULL OR repaired_on > $2)
             ORDER BY decision_date, id",
        )
        .bind(subject_key)
        .bind(today)
        .fetch_all(self.pool())
        .await?;
        for r in &rows {
            let what = if r.try_get::<String, _>(1)? == "penalty" { "行政处罚" } else { "违背信用承诺" };
            out.push(format!("{what} {}", r.try_get::<String, _>(0)?));
        }
        Ok(out)
    }

    /// Whether `actor` proposed entry `id` (the proposer does not decide it).
    ///
    /// # Errors
    /// A database error.
    pub async fn proposed_list_entry(&self, id: &str, actor: &str) -> anyhow::Result<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM list_entry_steps WHERE entry_id = $1 AND action = 'propose' AND actor = $2",
        )
        .bind(id)
        .bind(actor)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// The entries of the public lists in force on `as_of`, as the public
    /// sees them: decided, their period covering the day, and resting on a
    /// published record (or on none).
    ///
    /// # Errors
    /// A database error.
    pub async fn public_entries(&self, as_of: &str) -> anyhow::Result<Vec<PublicEntry>> {
        let rows = sqlx::query(
            "SELECT e.list, COALESCE(e.subject_name, s.name), s.kind, s.uscc, s.id_masked,
                    COALESCE(e.decision_number, r.decision_number), e.basis, e.start_date, e.end_date, e.measures,
                    (SELECT l.person_name FROM subject_links l WHERE l.org_key = e.subject_key
                       AND l.role IN ('legal-representative', 'operator') ORDER BY l.since DESC LIMIT 1)
             FROM list_entries e JOIN subjects s ON s.key = e.subject_key LEFT JOIN credit_records r ON r.id = e.record_id
             WHERE e.status = 'decided' AND e.list IN ('red', 'serious-dishonesty')
               AND e.start_date <= $1 AND (e.end_date IS NULL OR e.end_date > $1)
               AND (e.record_id IS NULL OR r.review_status = 'published')
             ORDER BY e.list, e.start_date, COALESCE(e.subject_name, s.name)",
        )
        .bind(as_of)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let list: String = r.try_get(0)?;
                let parsed = List::parse(&list);
                let kind: String = r.try_get(2)?;
                let person = kind == "natural-person";
                let measures = match r.try_get::<Option<String>, _>(9)? {
                    Some(m) => serde_json::from_str(&m)?,
                    None => parsed
                        .map(|l| l.default_measures().iter().map(|m| (*m).to_owned()).collect())
                        .unwrap_or_default(),
                };
                Ok(PublicEntry {
                    list_name: parsed.map(List::name_zh).unwrap_or_default().to_owned(),
                    list,
                    subject_name: r.try_get(1)?,
                    subject_category: match kind.as_str() {
                        "natural-person" => "自然人",
                        "individual-business" => "个体工商户",
                        _ => "法人及非法人组织",
                    }
                    .to_owned(),
                    uscc: r.try_get(3)?,
                    id_masked: if person { r.try_get(4)? } else { None },
                    decision_number: r.try_get(5)?,
                    basis: r.try_get(6)?,
                    start_date: r.try_get(7)?,
                    end_date: r.try_get(8)?,
                    measures,
                    legal_representative: if person { None } else { r.try_get(10)? },
                })
            })
            .collect()
    }

    /// Store a publication of `entries` for `as_of`; returns its id.
    ///
    /// # Errors
    /// A database error.
    pub async fn save_publication(
        &self,
        as_of: &str,
        entries: &[PublicEntry],
        actor: &str,
    ) -> anyhow::Result<Publication> {
        let _guard = self.write_guard().await;
        let p = Publication {
            id: uuid::Uuid::new_v4().to_string(),
            as_of: as_of.to_owned(),
            published_at: now(),
            entry_count: entries.len() as i64,
        };
        sqlx::query(
            "INSERT INTO publications (id, as_of, published_at, published_by, entries, body) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&p.id)
        .bind(&p.as_of)
        .bind(&p.published_at)
        .bind(actor)
        .bind(p.entry_count)
        .bind(serde_json::to_string(entries)?)
        .execute(self.pool())
        .await?;
        Ok(p)
    }

    /// The publications, the latest day shown first (then the latest
    /// published).
    ///
    /// # Errors
    /// A database error.
    pub async fn publications(&self, limit: i64) -> anyhow::Result<Vec<Publication>> {
        let rows = sqlx::query(
            "SELECT id, as_of, published_at, entries FROM publications ORDER BY as_of DESC, published_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Publication {
                    id: r.try_get(0)?,
                    as_of: r.try_get(1)?,
                    published_at: r.try_get(2)?,
                    entry_count: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Publication `id` (or the current one — the latest day shown, then
    /// the latest published — for `None`) with its entries.
    ///
    /// # Errors
    /// A database error, or a stored body that does not parse.
    pub async fn publication(&self, id: Option<&str>) -> anyhow::Result<Option<(Publication, Vec<PublicEntry>)>> {
        let row = sqlx::query(
            "SELECT id, as_of, published_at, entries, body FROM publications
             WHERE ($1 IS NULL OR id = $1) ORDER BY as_of DESC, published_at DESC, id LIMIT 1",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let p = Publication {
            id: r.try_get(0)?,
            as_of: r.try_get(1)?,
            published_at: r.try_get(2)?,
            entry_count: r.try_get(3)?,
        };
        let entries = serde_json::from_str(&r.try_get::<String, _>(4)?)?;
        Ok(Some((p, entries)))
    }

    /// Recompute the provisional deadlines of entries awaiting a decision
    /// with `recompute(step_on, working_days) -> (due, provisional)`; a
    /// deadline never moves earlier. Returns how many changed.
    ///
    /// # Errors
    /// A database error.
    pub async fn recompute_list_deadlines(
        &self,
        recompute: impl Fn(&str, u32) -> Option<(String, bool)>,
    ) -> anyhow::Result<usize> {
        let _guard = self.write_guard().await;
        let rows = sqlx::query(
            "SELECT id, step_on, step_days, due FROM list_entries
             WHERE status IN ('notified', 'announced') AND due_provisional = 1 AND step_on IS NOT NULL",
        )
        .fetch_all(self.pool())
        .await?;
        let mut changed = 0;
        for r in &rows {
            let (id, on, days, old): (String, String, Option<i64>, Option<String>) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let Some((new, provisional)) = recompute(&on, days.unwrap_or(0).try_into().unwrap_or(0)) else { continue };
            let kept = old.filter(|o| *o > new).unwrap_or(new);
            sqlx::query("UPDATE list_entries SET due = $1, due_provisional = $2 WHERE id = $3")
                .bind(&kept)
                .bind(i64::from(provisional))
                .bind(&id)
                .execute(self.pool())
                .await?;
            changed += 1;
        }
        Ok(changed)
    }
}
