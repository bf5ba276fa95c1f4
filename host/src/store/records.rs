//! Credit records (append-only states) and list entries.

use super::subjects::{self, NewSubject};
use super::{Store, now, placeholders};
use crate::domain::severity::Severity;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

/// A list entry to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewListEntry {
    /// `red`, `serious-dishonesty`, `minor-dishonesty`.
    pub list: String,
    /// The subject (created if missing).
    pub subject: NewSubject,
    /// Start `YYYY-MM-DD`.
    pub start: String,
    /// End `YYYY-MM-DD` (exclusive).
    pub end: Option<String>,
    /// 列入事由 / 依据.
    pub basis: String,
    /// The body as reported (red list rows).
    pub body: Option<serde_json::Value>,
}

/// A validated credit record to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewRecord {
    /// Sector, `None` for bureau-wide kinds.
    pub sector: Option<String>,
    /// Kind.
    pub kind: String,
    /// The subject.
    pub subject: NewSubject,
    /// The person named as 法定代表人 / operator, with the role to link.
    pub legal_representative: Option<(NewSubject, String)>,
    /// Decision number as written.
    pub decision_number: String,
    /// Decision number normalised for matching.
    pub decision_number_norm: String,
    /// Decision date.
    pub decision_date: Option<String>,
    /// Deciding authority.
    pub authority: String,
    /// 处罚依据.
    pub legal_basis: String,
    /// 处罚类别, split.
    pub penalty_types: Vec<String>,
    /// 处罚内容 / 许可内容.
    pub content: String,
    /// Certificate named.
    pub certificate: String,
    /// Severity.
    pub severity: Severity,
    /// End of publicity.
    pub publicity_end: Option<String>,
    /// The body.
    pub body: serde_json::Value,
    /// Plugin version that validated it.
    pub plugin_version: Option<String>,
    /// List entries the record causes (serious dishonesty), stored with it.
    pub list_entries: Vec<NewListEntry>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct BatchSummary {
    /// Records stored.
    pub inserted: usize,
    /// Records already stored with the same content (nothing changed).
    pub unchanged: usize,
    /// Stored records that got a corrected state (uploads that carry
    /// corrections only; the earlier states are kept).
    pub corrected: usize,
    /// List entries stored.
    pub list_entries: usize,
    /// Red-list entries suspended because an adverse record of their
    /// subject or its representative arrived.
    pub red_suspended: usize,
    /// Ids of the stored (or corrected) records, in input order (`None` for
    /// unchanged).
    pub ids: Vec<Option<String>>,
}

/// A record that conflicts with a stored one: same authority, decision
/// number and subject, different content.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// Index in the batch.
    pub index: usize,
    /// The stored record's id, when it conflicts with a stored record.
    pub existing_id: Option<String>,
    /// The earlier row of the same batch, when it conflicts with that.
    pub earlier_index: Option<usize>,
}

/// A stored credit record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredRecord {
    /// Id.
    pub id: String,
    /// Sector.
    pub sector: Option<String>,
    /// Kind.
    pub kind: String,
    /// Subject key.
    pub subject_key: String,
    /// Subject name.
    pub subject_name: String,
    /// Subject kind.
    pub subject_kind: String,
    /// Key of the 法定代表人 / operator.
    pub legal_rep_key: Option<String>,
    /// Decision number.
    pub decision_number: String,
    /// Decision date.
    pub decision_date: Option<String>,
    /// Authority.
    pub authority: String,
    /// 处罚依据.
    pub legal_basis: String,
    /// 处罚类别.
    pub penalty_types: Vec<String>,
    /// 处罚内容.
    pub content: String,
    /// Certificate.
    pub certificate: String,
    /// Severity.
    pub severity: Severity,
    /// End of publicity.
    pub publicity_end: Option<String>,
    /// Current state number (1 = as first reported).
    pub state: i64,
    /// The body.
    pub body: serde_json::Value,
    /// The credit office's review: `reported` (counts in checks, marked as
    /// not yet reviewed), `published` or `returned` (counts nowhere).
    pub review_status: String,
    /// When it was reported (RFC 3339).
    pub reported_at: Option<String>,
    /// When the review is due (`YYYY-MM-DD`, in working days).
    pub review_due: Option<String>,
    /// When it was reviewed (RFC 3339).
    pub reviewed_at: Option<String>,
    /// When it was published (RFC 3339).
    pub published_at: Option<String>,
    /// Who reported it.
    pub reported_by: String,
    /// The day a credit repair ended its publicity early (`YYYY-MM-DD`);
    /// `publicity_end` keeps the period as reported or computed, and the
    /// check reads publicity as ending on the earlier of the two.
    pub repaired_on: Option<String>,
    /// The publicity version of 违法事实 (公示版本): what the platforms and
    /// the public may read of the facts, as the credit office set it when
    /// publishing (records published without review: the facts as
    /// reported); `None`: the facts are not public.
    pub violation_facts_public: Option<String>,
    /// Fields of the body the office marked as trade secrets (商业秘密)
    /// when publishing: they never leave the bureau.
    pub withheld_fields: Vec<String>,
}

impl StoredRecord {
    /// The day publicity ends: `publicity_end`, or `repaired_on` when a
    /// repair ended it earlier.
    pub fn publicity_ends(&self) -> Option<&str> {
        match (self.publicity_end.as_deref(), self.repaired_on.as_deref()) {
            (Some(end), Some(repaired)) => Some(end.min(repaired)),
            (end, _) => end,
        }
    }
}

/// A stored list entry.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredListEntry {
    /// Id.
    pub id: String,
    /// List.
    pub list: String,
    /// Subject key.
    pub subject_key: String,
    /// Start.
    pub start_date: String,
    /// End (exclusive).
    pub end_date: Option<String>,
    /// Record it rests on.
    pub record_id: Option<String>,
    /// Basis.
    pub basis: String,
}

pub(super) const RECORD_COLUMNS: &str = "r.id, r.sector, r.kind, r.subject_key, r.subject_name, s.kind, r.legal_rep_key, r.decision_number, \
     r.decision_date, r.authority, r.legal_basis, r.penalty_types, r.content, r.certificate, r.severity, r.publicity_end, r.state, r.body, \
     r.review_status, r.reported_at, r.review_due, r.reviewed_at, r.published_at, r.created_by, r.repaired_on, \
     r.violation_facts_public, r.withheld_fields";

pub(super) fn record_from(r: sqlx::any::AnyRow) -> anyhow::Result<StoredRecord> {
    Ok(StoredRecord {
        id: r.try_get(0)?,
        sector: r.try_get(1)?,
        kind: r.try_get(2)?,
        subject_key: r.try_get(3)?,
        subject_name: r.try_get(4)?,
        subject_kind: r.try_get(5)?,
        legal_rep_key: r.try_get(6)?,
        decision_number: r.try_get(7)?,
        decision_date: r.try_get(8)?,
        authority: r.try_get(9)?,
        legal_basis: r.try_get(10)?,
        penalty_types: serde_json::from_str(&r.try_get::<String, _>(11)?)?,
        content: r.try_get(12)?,
        certificate: r.try_get(13)?,
        severity: Severity::parse(&r.try_get::<String, _>(14)?),
        publicity_end: r.try_get(15)?,
        state: r.try_get(16)?,
        body: serde_json::from_str(&r.try_get::<String, _>(17)?)?,
        review_status: r.try_get(18)?,
        reported_at: r.try_get(19)?,
        review_due: r.try_get(20)?,
        reviewed_at: r.try_get(21)?,
        published_at: r.try_get(22)?,
        reported_by: r.try_get(23)?,
        repaired_on: r.try_get(24)?,
        violation_facts_public: r.try_get(25)?,
        withheld_fields: serde_json::from_str(&r.try_get::<String, _>(26)?)?,
    })
}

async fn insert_entry(
    conn: &mut sqlx::AnyConnection,
    e: &NewListEntry,
    record_id: Option<&str>,
    actor: &str,
) -> sqlx::Result<u64> {
    subjects::upsert(conn, &e.subject).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let at = now();
    // Listed at once: an entry that follows from a serious record (its
    // decision already went through notice and hearing), or a list the
    // bureau reported (the red list).
    let (criteria, why) = match record_id {
        Some(_) => ("serious-record", "follows from a serious record"),
        None => ("reported", "imported"),
    };
    let done = sqlx::query(
        "INSERT INTO list_entries (id, list, subject_key, start_date, end_date, record_id, basis, body, created_at, created_by,
            status, subject_name, criteria)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'decided', $11, $12)
         ON CONFLICT (list, subject_key, start_date, basis) WHERE status NOT IN ('withdrawn', 'removed') DO NOTHING",
    )
    .bind(&id)
    .bind(&e.list)
    .bind(&e.subject.key)
    .bind(&e.start)
    .bind(&e.end)
    .bind(record_id)
    .bind(&e.basis)
    .bind(e.body.as_ref().map(|b| b.to_string()))
    .bind(&at)
    .bind(actor)
    .bind(&e.subject.name)
    .bind(criteria)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() > 0 {
        super::lists::add_step(conn, &id, "list", "decided", Some(&e.start), Some(why), actor, None, &at, None).await?;
    }
    Ok(done.rows_affected())
}

/// How [`Store::batch`] stores.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Rows that differ from a stored record of the same identity are
    /// corrections of it, not conflicts.
    pub corrections: bool,
    /// Roll back: report, store nothing.
    pub dry_run: bool,
    /// New and corrected records await the credit office's review, due as
    /// given; `None` stores them as published (the sample data, a bureau
    /// import).
    pub review: Option<super::ReviewDue>,
}

impl Store {
    /// Store `records` and `entries` in one transaction: all of them or, on
    /// a conflict or an error, none.
    ///
    /// # Errors
    /// `Ok(Err(conflicts))` when records conflict with stored ones (nothing
    /// is stored); `Err` for a database error (nothing is stored).
    pub async fn insert_batch(
        &self,
        records: &[NewRecord],
        entries: &[NewListEntry],
        actor: &str,
    ) -> anyhow::Result<Result<BatchSummary, Vec<Conflict>>> {
        self.batch(records, entries, actor, BatchOptions::default()).await
    }

    /// [`Store::insert_batch`] with `options`: with `corrections`, a record
    /// whose authority, decision number and subject are stored with other
    /// content becomes a new state of that record (the earlier states kept)
    /// instead of a conflict; with `dry_run`, the transaction is rolled
    /// back, so the summary says what would be stored and nothing is (its
    /// `ids` are all `None`).
    ///
    /// # Errors
    /// As [`Store::insert_batch`].
    pub async fn batch(
        &self,
        records: &[NewRecord],
        entries: &[NewListEntry],
        actor: &str,
        options: BatchOptions,
    ) -> anyhow::Result<Result<BatchSummary, Vec<Conflict>>> {
        let result = self.run_batch(records, entries, actor, &options).await?;
        Ok(result.map(|mut s| {
            if options.dry_run {
                s.ids.iter_mut().for_each(|id| *id = None);
            }
            s
        }))
    }

    async fn run_batch(
        &self,
        records: &[NewRecord],
        entries: &[NewListEntry],
        actor: &str,
        options: &BatchOptions,
    ) -> anyhow::Result<Result<BatchSummary, Vec<Conflict>>> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let (summary, conflicts) = batch_in(&mut tx, records, entries, actor, options).await?;
        if !conflicts.is_empty() {
            tx.rollback().await?;
            return Ok(Err(conflicts));
        }
        if options.dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(Ok(summary))
    }
}

/// The cells of a new row of `credit_records` (state 1).
const RECORD_CELLS: [&str; 27] = [
    "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?", "1", "?", "?", "?", "?", "?", "?",
    "?", "?", "?", "?",
];

/// Parameters per multi-row statement. sqlx looks a SQLite parameter up
/// among all of its statement's, so a bind costs in proportion to their
/// number: a few hundred keep statements few and binds cheap (10,000 made
/// binding most of an import's time).
const PARAMETERS_PER_STATEMENT: usize = 256;

/// Rows of `width` parameters per statement.
const fn rows_per_statement(width: usize) -> usize {
    let rows = PARAMETERS_PER_STATEMENT / width;
    if rows == 0 { 1 } else { rows }
}

/// The work of [`Store::batch`] inside `tx`, which the caller commits or
/// rolls back: what was stored, and the conflicts (with any, the caller
/// must roll back).
///
/// New records are written in bulk — a few multi-row statements per batch
/// instead of seven a row — unless a red-list entry in force could be
/// suspended by them (a subject of the batch, or an organisation one of
/// its persons represents, is on the red list): then row by row, in order,
/// as the suspension reads the links the rows before it made.
pub(super) async fn batch_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    records: &[NewRecord],
    entries: &[NewListEntry],
    actor: &str,
    options: &BatchOptions,
) -> anyhow::Result<(BatchSummary, Vec<Conflict>)> {
    {
        let mut summary = BatchSummary::default();
        let mut conflicts = Vec::new();
        let row_by_row = red_entries_in_reach(tx, records).await?;
        let stored = stored_identities(tx, records).await?;
        let mut fresh: Vec<(usize, String, String)> = Vec::new();
        let mut seen: std::collections::HashMap<(&str, &str, &str, &str), usize> = std::collections::HashMap::new();
        for (index, rec) in records.iter().enumerate() {
            let identity = (
                rec.kind.as_str(),
                rec.authority.as_str(),
                rec.decision_number_norm.as_str(),
                rec.subject.key.as_str(),
            );
            if let Some(&earlier) = seen.get(&identity) {
                if records[earlier].body == rec.body {
                    summary.unchanged += 1;
                    summary.ids.push(None);
                } else {
                    conflicts.push(Conflict { index, existing_id: None, earlier_index: Some(earlier) });
                }
                continue;
            }
            seen.insert(identity, index);
            let key =
                (rec.kind.clone(), rec.authority.clone(), rec.decision_number_norm.clone(), rec.subject.key.clone());
            if let Some((id, stored)) = stored.get(&key) {
                let id = id.clone();
                if serde_json::from_str::<serde_json::Value>(stored)? == rec.body {
                    summary.unchanged += 1;
                    summary.ids.push(None);
                } else if options.corrections {
                    // Same identity as the stored record: no other record can hold it.
                    super::corrections::apply_correction(tx, &id, rec, "更正（随报送批量更正）", actor).await?;
                    if let Some(due) = &options.review {
                        super::reviews::mark_reported(tx, &id, due, actor, &now()).await?;
                    }
                    summary.corrected += 1;
                    summary.ids.push(Some(id));
                } else {
                    conflicts.push(Conflict { index, existing_id: Some(id), earlier_index: None });
                }
                continue;
            }
            // Time-ordered ids: each insert lands at the end of the id
            // indexes instead of on a random page of them.
            let (id, at) = (uuid::Uuid::now_v7().to_string(), now());
            if row_by_row {
                write_record(tx, rec, &id, &at, actor, options, &mut summary).await?;
            } else {
                fresh.push((index, id.clone(), at));
            }
            summary.inserted += 1;
            summary.ids.push(Some(id));
        }
        if !fresh.is_empty() {
            write_records_in_bulk(tx, records, &fresh, actor, options, &mut summary).await?;
        }
        for (i, e) in entries.iter().enumerate() {
            // A reported entry (red list) that is already stored: the same
            // report changes nothing, a different one is a conflict.
            if let Some(body) = &e.body {
                let existing = sqlx::query(
                    "SELECT id, body FROM list_entries WHERE list = $1 AND subject_key = $2 AND start_date = $3 AND basis = $4",
                )
                .bind(&e.list)
                .bind(&e.subject.key)
                .bind(&e.start)
                .bind(&e.basis)
                .fetch_optional(&mut **tx)
                .await?;
                if let Some(row) = existing {
                    let (id, stored): (String, Option<String>) = (row.try_get(0)?, row.try_get(1)?);
                    if stored.as_deref().map(serde_json::from_str::<serde_json::Value>).transpose()?.as_ref()
                        == Some(body)
                    {
                        summary.unchanged += 1;
                    } else {
                        conflicts.push(Conflict {
                            index: records.len() + i,
                            existing_id: Some(id),
                            earlier_index: None,
                        });
                    }
                    continue;
                }
            }
            summary.list_entries += insert_entry(tx, e, None, actor).await? as usize;
        }
        Ok((summary, conflicts))
    }
}

/// One new record written as [`batch_in`] did row by row: subjects, the
/// record, its first review step and state, the link to its
/// representative, its list entries, and the red-list entries it suspends.
#[allow(clippy::too_many_arguments)]
async fn write_record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &NewRecord,
    id: &str,
    at: &str,
    actor: &str,
    options: &BatchOptions,
    summary: &mut BatchSummary,
) -> anyhow::Result<()> {
    let body = rec.body.to_string();
    subjects::upsert(tx, &rec.subject).await?;
    if let Some((rep, _)) = &rec.legal_representative {
        subjects::upsert(tx, rep).await?;
    }
    sqlx::query(
        "INSERT INTO credit_records (id, sector, kind, subject_key, subject_name, legal_rep_key, decision_number,
            decision_number_norm, decision_date, authority, legal_basis, penalty_types, content, certificate, severity,
            publicity_end, state, body, plugin_version, created_at, created_by,
            review_status, reported_at, review_due, review_due_provisional, published_at, violation_facts_public)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $19, $20,
            $21, $19, $22, $23, $24, $25)",
    )
    .bind(id)
    .bind(&rec.sector)
    .bind(&rec.kind)
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
    .bind(&body)
    .bind(&rec.plugin_version)
    .bind(at)
    .bind(actor)
    .bind(if options.review.is_some() { "reported" } else { "published" })
    .bind(options.review.as_ref().map(|d| d.date.clone()))
    .bind(i64::from(options.review.as_ref().is_some_and(|d| d.provisional)))
    .bind(options.review.is_none().then_some(at))
    // Published without review (the bureau's own import): its facts
    // as reported are the publicity version.
    .bind(
        options
            .review
            .is_none()
            .then(|| rec.body.get("violation_facts").and_then(serde_json::Value::as_str).map(str::to_owned))
            .flatten(),
    )
    .execute(&mut **tx)
    .await?;
    super::reviews::first_step(tx, id, options.review.as_ref(), actor, at).await?;
    // The first state's body is the record's own (NULL) until corrected.
    sqlx::query(
        "INSERT INTO record_states (record_id, state, body, reason, actor, at) VALUES ($1, 1, NULL, $2, $3, $4)",
    )
    .bind(id)
    .bind("reported")
    .bind(actor)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    if let Some((rep, role)) = &rec.legal_representative
        && rec.subject.kind != "natural-person"
    {
        subjects::link(tx, &rec.subject.key, rep, role, id, rec.decision_date.as_deref()).await?;
    }
    for e in &rec.list_entries {
        summary.list_entries += insert_entry(tx, e, Some(id), actor).await? as usize;
    }
    // An adverse record — a penalty, a confirmed breach of a credit
    // commitment — suspends its subject's red-list entries.
    if rec.kind == "penalty" || rec.kind == "commitment-breach" {
        let mut keys = vec![rec.subject.key.as_str()];
        keys.extend(rec.legal_representative.as_ref().map(|(p, _)| p.key.as_str()));
        let why = format!("不良记录：{}（{}）", rec.decision_number, rec.authority);
        let on = rec.decision_date.clone().unwrap_or_else(|| crate::api::today().to_string());
        summary.red_suspended += super::lists::suspend_red_entries(tx, &keys, &why, &on, at).await?;
    }
    Ok(())
}

/// Whether a red-list entry in force belongs to a subject or a
/// representative of `records`, or to an organisation one of their persons
/// represents: then an adverse record among them may suspend it.
async fn red_entries_in_reach(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    records: &[NewRecord],
) -> anyhow::Result<bool> {
    let mut keys: Vec<&str> = records
        .iter()
        .flat_map(|r| {
            std::iter::once(r.subject.key.as_str()).chain(r.legal_representative.as_ref().map(|(p, _)| p.key.as_str()))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for part in keys.chunks(rows_per_statement(2)) {
        let n = part.len();
        let sql = format!(
            "SELECT 1 FROM list_entries WHERE list = 'red' AND status = 'decided'
               AND (subject_key IN ({}) OR subject_key IN (SELECT org_key FROM subject_links WHERE person_key IN ({})))
             LIMIT 1",
            placeholders(1, n),
            placeholders(n + 1, n)
        );
        // Only numbered placeholders are formatted in; the keys are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in part.iter().chain(part) {
            q = q.bind(*k);
        }
        if q.fetch_optional(&mut **tx).await?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The stored records with the identity (kind, authority, normalised
/// decision number, subject) of one of `records`: identity → (id, body).
async fn stored_identities(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    records: &[NewRecord],
) -> anyhow::Result<std::collections::HashMap<(String, String, String, String), (String, String)>> {
    // By kind and authority, so that the identity index serves each query.
    let mut numbers: std::collections::BTreeMap<(&str, &str), Vec<&str>> = std::collections::BTreeMap::new();
    for r in records {
        numbers.entry((r.kind.as_str(), r.authority.as_str())).or_default().push(r.decision_number_norm.as_str());
    }
    let mut out = std::collections::HashMap::new();
    for ((kind, authority), mut numbers) in numbers {
        numbers.sort_unstable();
        numbers.dedup();
        for part in numbers.chunks(rows_per_statement(1)) {
            let sql = format!(
                "SELECT id, body, kind, authority, decision_number_norm, subject_key FROM credit_records
                 WHERE kind = $1 AND authority = $2 AND decision_number_norm IN ({})",
                placeholders(3, part.len())
            );
            // Only numbered placeholders are formatted in; the values are bound.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind).bind(authority);
            for n in part {
                q = q.bind(*n);
            }
            for row in q.fetch_all(&mut **tx).await? {
                let identity = (row.try_get(2)?, row.try_get(3)?, row.try_get(4)?, row.try_get(5)?);
                out.insert(identity, (row.try_get(0)?, row.try_get(1)?));
            }
        }
    }
    Ok(out)
}

/// `($1, $2, …), (…)` for `rows` rows of `cells`: each `?` a parameter,
/// numbered in order, anything else a constant written as it is.
fn value_rows(rows: usize, cells: &[&str]) -> String {
    let width = cells.iter().filter(|c| **c == "?").count();
    (0..rows)
        .map(|r| {
            let mut n = r * width;
            let row: Vec<String> = cells
                .iter()
                .map(|c| {
                    if *c == "?" {
                        n += 1;
                        format!("${n}")
                    } else {
                        (*c).to_owned()
                    }
                })
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The new records `fresh` (index into `records`, id, time) written as
/// [`write_record`] writes each, in a few multi-row statements: no red-list
/// entry is in reach, so none is suspended.
async fn write_records_in_bulk(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    records: &[NewRecord],
    fresh: &[(usize, String, String)],
    actor: &str,
    options: &BatchOptions,
    summary: &mut BatchSummary,
) -> anyhow::Result<()> {
    // Subjects: as upserts one after the other would leave them — created
    // from the first mention, named by the last.
    let mut subjects: Vec<NewSubject> = Vec::new();
    let mut at_key: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, _, _) in fresh {
        let rec = &records[*i];
        for s in std::iter::once(&rec.subject).chain(rec.legal_representative.as_ref().map(|(p, _)| p)) {
            match at_key.get(&s.key) {
                Some(&k) => s.name.clone_into(&mut subjects[k].name),
                None => {
                    at_key.insert(s.key.clone(), subjects.len());
                    subjects.push(s.clone());
                }
            }
        }
    }
    let at = now();
    for part in subjects.chunks(rows_per_statement(9)) {
        let sql = format!(
            "INSERT INTO subjects (key, kind, name, uscc, id_hash_key_id, id_masked, id_encrypted, created_at, updated_at)
             VALUES {} ON CONFLICT (key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
            value_rows(part.len(), &["?"; 9])
        );
        // Only numbered placeholders are formatted in; the values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in part {
            q = q.bind(&s.key).bind(&s.kind).bind(&s.name).bind(&s.uscc).bind(&s.id_hash_key_id);
            q = q.bind(&s.id_masked).bind(&s.id_encrypted).bind(&at).bind(&at);
        }
        q.execute(&mut **tx).await?;
    }

    let bodies: Vec<String> = fresh.iter().map(|(i, _, _)| records[*i].body.to_string()).collect();
    let types: Vec<String> =
        fresh.iter().map(|(i, _, _)| serde_json::to_string(&records[*i].penalty_types)).collect::<Result<_, _>>()?;
    let (status, due, provisional) = match &options.review {
        Some(d) => ("reported", Some(d.date.as_str()), i64::from(d.provisional)),
        None => ("published", None, 0),
    };
    let rows: Vec<usize> = (0..fresh.len()).collect();
    for part in rows.chunks(rows_per_statement(26)) {
        let sql = format!(
            "INSERT INTO credit_records (id, sector, kind, subject_key, subject_name, legal_rep_key, decision_number,
                decision_number_norm, decision_date, authority, legal_basis, penalty_types, content, certificate, severity,
                publicity_end, state, body, plugin_version, created_at, created_by,
                review_status, reported_at, review_due, review_due_provisional, published_at, violation_facts_public)
             VALUES {}",
            value_rows(part.len(), &RECORD_CELLS)
        );
        // Only numbered placeholders are formatted in; the values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for &n in part {
            let (i, id, at) = &fresh[n];
            let rec = &records[*i];
            q = q.bind(id).bind(&rec.sector).bind(&rec.kind).bind(&rec.subject.key).bind(&rec.subject.name);
            q = q.bind(rec.legal_representative.as_ref().map(|(p, _)| p.key.as_str()));
            q = q.bind(&rec.decision_number).bind(&rec.decision_number_norm).bind(&rec.decision_date);
            q = q.bind(&rec.authority).bind(&rec.legal_basis).bind(&types[n]).bind(&rec.content);
            q = q.bind(&rec.certificate).bind(rec.severity.as_str()).bind(&rec.publicity_end);
            q = q.bind(&bodies[n]).bind(&rec.plugin_version).bind(at).bind(actor).bind(status).bind(at);
            q = q.bind(due).bind(provisional).bind(options.review.is_none().then_some(at.as_str()));
            // Published without review (the bureau's own import): its facts
            // as reported are the publicity version.
            let facts = rec.body.get("violation_facts").and_then(serde_json::Value::as_str);
            q = q.bind(options.review.is_none().then_some(facts).flatten());
        }
        q.execute(&mut **tx).await?;

        let (step, reason, unit, step_due) = super::reviews::first_step_fields(options.review.as_ref());
        let sql = format!(
            "INSERT INTO record_reviews (record_id, seq, status, reason_code, reason, actor, unit, at, due) VALUES {}",
            value_rows(part.len(), &["?", "1", "?", "NULL", "?", "?", "?", "?", "?"])
        );
        // Only numbered placeholders and constants are formatted in.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for &n in part {
            let (_, id, at) = &fresh[n];
            q = q.bind(id).bind(step).bind(reason).bind(actor).bind(unit).bind(at).bind(step_due);
        }
        q.execute(&mut **tx).await?;

        let sql = format!(
            "INSERT INTO record_states (record_id, state, body, reason, actor, at) VALUES {}",
            value_rows(part.len(), &["?", "1", "NULL", "'reported'", "?", "?"])
        );
        // Only numbered placeholders and constants are formatted in.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for &n in part {
            let (_, id, at) = &fresh[n];
            q = q.bind(id).bind(actor).bind(at);
        }
        q.execute(&mut **tx).await?;
    }

    let links: Vec<(&NewRecord, &(NewSubject, String), &str)> = fresh
        .iter()
        .filter_map(|(i, id, _)| {
            let rec = &records[*i];
            let rep = rec.legal_representative.as_ref().filter(|_| rec.subject.kind != "natural-person")?;
            Some((rec, rep, id.as_str()))
        })
        .collect();
    for part in links.chunks(rows_per_statement(6)) {
        let sql = format!(
            "INSERT INTO subject_links (org_key, person_key, role, person_name, source_record_id, since)
             VALUES {} ON CONFLICT (org_key, person_key, role) DO NOTHING",
            value_rows(part.len(), &["?"; 6])
        );
        // Only numbered placeholders are formatted in; the values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (rec, (rep, role), id) in part {
            q = q.bind(&rec.subject.key).bind(&rep.key).bind(role).bind(&rep.name).bind(*id);
            q = q.bind(&rec.decision_date);
        }
        q.execute(&mut **tx).await?;
    }

    for (i, id, _) in fresh {
        for e in &records[*i].list_entries {
            summary.list_entries += insert_entry(tx, e, Some(id), actor).await? as usize;
        }
    }
    Ok(())
}

impl Store {
    /// Every record whose subject or 法定代表人 is one of `keys`, and every
    /// list entry of `keys` that was ever in force (one that left force
    /// ends the day it left): the credit file a check hands to a plugin.
    ///
    /// # Errors
    /// A database error or a corrupt stored body.
    pub async fn credit_file(&self, keys: &[String]) -> anyhow::Result<(Vec<StoredRecord>, Vec<StoredListEntry>)> {
        if keys.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let n = keys.len();
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM credit_records r JOIN subjects s ON s.key = r.subject_key
             WHERE (r.subject_key IN ({}) OR r.legal_rep_key IN ({})) AND r.review_status NOT IN ('returned', 'revoked')
             ORDER BY r.decision_date, r.id",
            placeholders(1, n),
            placeholders(n + 1, n)
        );
        // Only numbered placeholders are formatted in; the keys are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in keys.iter().chain(keys) {
            q = q.bind(k);
        }
        let records =
            q.fetch_all(self.pool()).await?.into_iter().map(record_from).collect::<anyhow::Result<Vec<_>>>()?;
        // Entries that left force (removed, suspended) are in the file too,
        // ending the day they left, so that a check as of an earlier day
        // sees them as they were.
        let sql = format!(
            "SELECT id, list, subject_key, start_date,
                CASE WHEN status = 'decided' OR left_on IS NULL THEN end_date
                     WHEN end_date IS NOT NULL AND end_date < left_on THEN end_date
                     ELSE left_on END,
                record_id, basis
             FROM (SELECT e.*, (SELECT st.on_date FROM list_entry_steps st WHERE st.entry_id = e.id
                                  AND st.action IN ('remove', 'suspend') ORDER BY st.seq DESC LIMIT 1) AS left_on
                   FROM list_entries e) e
             WHERE subject_key IN ({}) AND status IN ('decided', 'removed', 'suspended')
               AND (record_id IS NULL OR record_id NOT IN (SELECT id FROM credit_records WHERE review_status IN ('returned', 'revoked')))
             ORDER BY start_date, id",
            placeholders(1, n)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for k in keys {
            q = q.bind(k);
        }
        let entries = q
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|r| -> anyhow::Result<StoredListEntry> {
                Ok(StoredListEntry {
                    id: r.try_get(0)?,
                    list: r.try_get(1)?,
                    subject_key: r.try_get(2)?,
                    start_date: r.try_get(3)?,
                    end_date: r.try_get(4)?,
                    record_id: r.try_get(5)?,
                    basis: r.try_get(6)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok((records, entries))
    }

    /// Count records, optionally of one sector and kind.
    ///
    /// # Errors
    /// A database error.
    pub async fn count_records(&self, sector: Option<&str>, kind: Option<&str>) -> anyhow::Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM credit_records WHERE ($1 IS NULL OR sector = $1) AND ($2 IS NULL OR kind = $2)",
        )
        .bind(sector)
        .bind(kind)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }
}
