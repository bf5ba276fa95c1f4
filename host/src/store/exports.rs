//! The export queue: what each platform has been sent, keyed stably per
//! target, record state and action, and what it answered.

use super::records::{RECORD_COLUMNS, StoredRecord, record_from};
use super::{Store, now, placeholders};
use serde::Serialize;
use sqlx::Row as _;

/// A record to queue for a target, with the action and its public reason.
#[derive(Debug, Clone)]
pub struct ExportCandidate {
    /// The record, current state.
    pub record: StoredRecord,
    /// `publish`, `change`, `end-publicity` or `withdraw`.
    pub action: &'static str,
    /// Why (for all but `publish`).
    pub reason: Option<String>,
}

/// An item to queue.
#[derive(Debug, Clone)]
pub struct NewExportItem {
    /// Target id.
    pub target: String,
    /// The record.
    pub record_id: String,
    /// Its state.
    pub record_state: i64,
    /// The action.
    pub action: String,
    /// The mapping version.
    pub mapping_version: String,
    /// The mapped fields.
    pub fields: serde_json::Value,
    /// Why.
    pub reason: Option<String>,
    /// The last day it should be accepted, provisional.
    pub due: Option<(String, bool)>,
}

impl NewExportItem {
    /// `target:record:state:action`.
    pub fn key(&self) -> String {
        format!("{}:{}:{}:{}", self.target, self.record_id, self.record_state, self.action)
    }
}

/// A queued item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExportItem {
    /// Stable key.
    pub key: String,
    /// Target.
    pub target: String,
    /// Record.
    pub record_id: String,
    /// Record state.
    pub record_state: i64,
    /// `publish`, `change`, `end-publicity` or `withdraw`.
    pub action: String,
    /// Mapping version.
    pub mapping_version: String,
    /// The fields sent.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
    /// The public reason.
    pub reason: Option<String>,
    /// `pending`, `sent`, `accepted`, `rejected` or `superseded` (a
    /// withdrawal replaced it before it reached the platform).
    pub status: String,
    /// Deliveries tried.
    pub attempts: i64,
    /// Why the last delivery failed (the platform unreachable or refusing).
    pub last_error: Option<String>,
    /// The platform's reason for a rejection.
    pub platform_reason: Option<String>,
    /// Queued (RFC 3339).
    pub created_at: String,
    /// The last day it should be accepted.
    pub due: Option<String>,
    /// The deadline may move (a year without a holiday schedule).
    pub due_provisional: bool,
    /// Last sent (RFC 3339).
    pub sent_at: Option<String>,
    /// Answered (RFC 3339).
    pub answered_at: Option<String>,
}

const COLUMNS: &str = "key, target, record_id, record_state, action, mapping_version, fields, reason, status, attempts, \
     last_error, platform_reason, created_at, due, due_provisional, sent_at, answered_at";

fn item_from(r: &sqlx::any::AnyRow) -> anyhow::Result<ExportItem> {
    Ok(ExportItem {
        key: r.try_get(0)?,
        target: r.try_get(1)?,
        record_id: r.try_get(2)?,
        record_state: r.try_get(3)?,
        action: r.try_get(4)?,
        mapping_version: r.try_get(5)?,
        fields: serde_json::from_str(&r.try_get::<String, _>(6)?)?,
        reason: r.try_get(7)?,
        status: r.try_get(8)?,
        attempts: r.try_get(9)?,
        last_error: r.try_get(10)?,
        platform_reason: r.try_get(11)?,
        created_at: r.try_get(12)?,
        due: r.try_get(13)?,
        due_provisional: r.try_get::<i64, _>(14)? != 0,
        sent_at: r.try_get(15)?,
        answered_at: r.try_get(16)?,
    })
}

/// Filters of the queue.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery<'a> {
    /// Target.
    pub target: Option<&'a str>,
    /// Status.
    pub status: Option<&'a str>,
    /// Record.
    pub record_id: Option<&'a str>,
    /// Not accepted and due before this day.
    pub due_before: Option<&'a str>,
    /// At most.
    pub limit: i64,
}

impl Store {
    /// What target `target` (taking `kinds`) has not been sent yet on
    /// `today`: new and corrected states of published records still to be
    /// public (a penalty only while in publicity, never a minor one),
    /// publicity ended by repair, and withdrawals of records it was sent
    /// that were revoked or returned since.
    ///
    /// # Errors
    /// A database error.
    pub async fn export_candidates(
        &self,
        target: &str,
        kinds: &[String],
        today: &str,
    ) -> anyhow::Result<Vec<ExportCandidate>> {
        // `$2 <> ''` keeps `today` referenced in both queries: PostgreSQL
        // cannot type a bound parameter the statement never uses.
        let kinds_in = placeholders(3, kinds.len());
        let sent_before = "EXISTS (SELECT 1 FROM export_items e WHERE e.target = $1 AND e.record_id = r.id)";
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, CASE WHEN {sent_before} THEN 1 ELSE 0 END,
                (SELECT reason FROM record_states st WHERE st.record_id = r.id AND st.state = r.state)
             FROM credit_records r JOIN subjects s ON s.key = r.subject_key
             WHERE r.review_status = 'published' AND r.kind IN ({kinds_in}) AND $2 <> ''
               AND NOT (r.kind = 'penalty' AND (r.severity = 'minor' OR r.publicity_end IS NULL OR r.publicity_end <= $2
                                                OR (r.repaired_on IS NOT NULL AND r.repaired_on <= $2)))
               AND NOT EXISTS (SELECT 1 FROM export_items e WHERE e.target = $1 AND e.record_id = r.id
                               AND e.record_state = r.state AND e.action IN ('publish', 'change'))
             ORDER BY r.decision_date, r.id"
        );
        let mut out = Vec::new();
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(target).bind(today);
        for k in kinds {
            q = q.bind(k);
        }
        for row in q.fetch_all(self.pool()).await? {
            let sent: i64 = row.try_get(27)?;
            let why: Option<String> = row.try_get(28)?;
            let record = record_from(row)?;
            let (action, reason) =
                if sent == 1 { ("change", Some(why.unwrap_or_else(|| "更正".into()))) } else { ("publish", None) };
            out.push(ExportCandidate { record, action, reason });
        }
        let sql = format!(
            "SELECT {RECORD_COLUMNS},
                (SELECT reason FROM record_reviews rv WHERE rv.record_id = r.id ORDER BY rv.seq DESC LIMIT 1)
             FROM credit_records r JOIN subjects s ON s.key = r.subject_key
             WHERE r.kind IN ({kinds_in}) AND {sent_before} AND $2 <> ''
               AND ((r.review_status = 'published' AND r.repaired_on IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM export_items e WHERE e.target = $1 AND e.record_id = r.id
                                     AND e.action = 'end-publicity'))
                 OR (r.review_status IN ('revoked', 'returned')
                     AND NOT EXISTS (SELECT 1 FROM export_items e WHERE e.target = $1 AND e.record_id = r.id
                                     AND e.action = 'withdraw')))
             ORDER BY r.decision_date, r.id"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(target).bind(today);
        for k in kinds {
            q = q.bind(k);
        }
        for row in q.fetch_all(self.pool()).await? {
            let why: Option<String> = row.try_get(27)?;
            let record = record_from(row)?;
            match record.review_status.as_str() {
                "revoked" => {
                    let reason = format!("撤销：{}", why.unwrap_or_else(|| "决定已撤销".into()));
                    out.push(ExportCandidate { record, action: "withdraw", reason: Some(reason) });
                }
                "returned" => {
                    let reason = format!("退回更正：{}", why.unwrap_or_else(|| "信用办退回".into()));
                    out.push(ExportCandidate { record, action: "withdraw", reason: Some(reason) });
                }
                _ => {
                    let on = record.repaired_on.clone().unwrap_or_default();
                    let reason = format!("信用修复：公示于 {on} 结束");
                    out.push(ExportCandidate { record, action: "end-publicity", reason: Some(reason) });
                }
            }
        }
        Ok(out)
    }

    /// Queue `items` (an item already queued under its key is left as it
    /// is); the number queued.
    ///
    /// # Errors
    /// A database error.
    pub async fn queue_exports(&self, items: &[NewExportItem]) -> anyhow::Result<u64> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let mut n = 0;
        for i in items {
            let (due, provisional) = super::steps::due_columns(&i.due);
            n += sqlx::query(
                "INSERT INTO export_items (key, target, record_id, record_state, action, mapping_version, fields, reason,
                    status, created_at, due, due_provisional)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11) ON CONFLICT (key) DO NOTHING",
            )
            .bind(i.key())
            .bind(&i.target)
            .bind(&i.record_id)
            .bind(i.record_state)
            .bind(&i.action)
            .bind(&i.mapping_version)
            .bind(i.fields.to_string())
            .bind(&i.reason)
            .bind(&at)
            .bind(due)
            .bind(i64::from(provisional))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if i.action == "withdraw" {
                // What has not reached the platform yet never will: the
                // withdrawal replaces it.
                sqlx::query(
                    "UPDATE export_items SET status = 'superseded' WHERE target = $1 AND record_id = $2
                       AND action <> 'withdraw' AND status IN ('pending', 'sent')",
                )
                .bind(&i.target)
                .bind(&i.record_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Keep a platform's answers `(key, accepted, reason)` for items still
    /// awaiting one (the first answer of a key counts; a reason is kept to
    /// 500 characters): how many were stored as accepted and as rejected.
    ///
    /// # Errors
    /// A database error.
    pub async fn exports_answered(
        &self,
        target: &str,
        answers: &[(String, bool, Option<String>)],
    ) -> anyhow::Result<(usize, usize)> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        let (mut accepted, mut rejected) = (0, 0);
        for (key, ok, reason) in answers {
            let reason: Option<String> = reason.as_deref().map(|r| r.chars().take(500).collect());
            let n = sqlx::query(
                "UPDATE export_items SET status = $1, platform_reason = $2, answered_at = $3
                 WHERE key = $4 AND target = $5 AND status IN ('pending', 'sent')",
            )
            .bind(if *ok { "accepted" } else { "rejected" })
            .bind(reason)
            .bind(&at)
            .bind(key)
            .bind(target)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                if *ok {
                    accepted += 1;
                } else {
                    rejected += 1;
                }
            }
        }
        tx.commit().await?;
        Ok((accepted, rejected))
    }

    /// Claim for round `claim` up to `limit` items of `target` awaiting an
    /// answer and return them: never-sent items first, withdrawals and
    /// changes before publications, fewest attempts first — so items a
    /// platform leaves unanswered never hold back the others — all of one
    /// mapping version (the first's). An item claimed by another round
    /// (another host) since `stale_before` is left to it.
    ///
    /// # Errors
    /// A database error.
    pub async fn claim_exports(
        &self,
        target: &str,
        limit: i64,
        claim: &str,
        stale_before: &str,
    ) -> anyhow::Result<Vec<ExportItem>> {
        let _guard = self.write_guard().await;
        let order = "CASE WHEN status = 'pending' THEN 0 ELSE 1 END, CASE WHEN action = 'publish' THEN 1 ELSE 0 END, \
                     attempts, created_at, key";
        let free = "status IN ('pending', 'sent') AND (claim IS NULL OR claimed_at < $2)";
        let version: Option<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT mapping_version FROM export_items WHERE target = $1 AND {free} ORDER BY {order} LIMIT 1"
        )))
        .bind(target)
        .bind(stale_before)
        .fetch_optional(self.pool())
        .await?;
        let Some((version,)) = version else { return Ok(Vec::new()) };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE export_items SET claim = $3, claimed_at = $4
             WHERE key IN (SELECT key FROM export_items WHERE target = $1 AND mapping_version = $5 AND {free}
                           ORDER BY {order} LIMIT $6)
               AND {free}"
        )))
        .bind(target)
        .bind(stale_before)
        .bind(claim)
        .bind(now())
        .bind(&version)
        .bind(limit)
        .execute(self.pool())
        .await?;
        let sql = format!("SELECT {COLUMNS} FROM export_items WHERE claim = $1 ORDER BY {order}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(claim).fetch_all(self.pool()).await?;
        rows.iter().map(item_from).collect()
    }

    /// Mark `keys` sent and release their claim (`error`: the delivery
    /// failed, they stay as they were and the error is kept).
    ///
    /// # Errors
    /// A database error.
    pub async fn exports_sent(&self, keys: &[String], error: Option<&str>) -> anyhow::Result<()> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let at = now();
        for k in keys {
            sqlx::query(
                "UPDATE export_items SET attempts = attempts + 1, last_error = $1, sent_at = $2, claim = NULL,
                    claimed_at = NULL, status = CASE WHEN $1 IS NULL AND status = 'pending' THEN 'sent' ELSE status END
                 WHERE key = $3",
            )
            .bind(error)
            .bind(&at)
            .bind(k)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Queue again, under the same keys, what `target` should hold of each
    /// of `records` now: its withdrawal if it was revoked or returned, else
    /// its latest publication or change (and the end of its publicity if
    /// repaired). The records queued, and those with nothing to send.
    ///
    /// # Errors
    /// A database error.
    pub async fn resend_exports(&self, target: &str, records: &[String]) -> anyhow::Result<(u64, Vec<String>)> {
        let _guard = self.write_guard().await;
        let mut tx = self.pool().begin().await?;
        let (mut queued, mut nothing) = (0, Vec::new());
        for r in records {
            let status: Option<(String,)> = sqlx::query_as("SELECT review_status FROM credit_records WHERE id = $1")
                .bind(r)
                .fetch_optional(&mut *tx)
                .await?;
            let keys: Vec<(String,)> = match status.as_ref().map(|(s,)| s.as_str()) {
                Some("revoked" | "returned") => {
                    sqlx::query_as(
                        "SELECT key FROM export_items WHERE target = $1 AND record_id = $2 AND action = 'withdraw'",
                    )
                    .bind(target)
                    .bind(r)
                    .fetch_all(&mut *tx)
                    .await?
                }
                Some(_) => {
                    sqlx::query_as(
                        "SELECT key FROM export_items WHERE target = $1 AND record_id = $2
                           AND (action = 'end-publicity' OR key = (
                               SELECT key FROM export_items WHERE target = $1 AND record_id = $2
                                 AND action IN ('publish', 'change') ORDER BY record_state DESC LIMIT 1))",
                    )
                    .bind(target)
                    .bind(r)
                    .fetch_all(&mut *tx)
                    .await?
                }
                None => Vec::new(),
            };
            if keys.is_empty() {
                nothing.push(r.clone());
                continue;
            }
            for (key,) in keys {
                sqlx::query(
                    "UPDATE export_items SET status = 'pending', platform_reason = NULL, answered_at = NULL WHERE key = $1",
                )
                .bind(&key)
                .execute(&mut *tx)
                .await?;
            }
            queued += 1;
        }
        tx.commit().await?;
        Ok((queued, nothing))
    }

    /// Queued items, oldest first.
    ///
    /// # Errors
    /// A database error.
    pub async fn export_items(&self, f: &ExportQuery<'_>) -> anyhow::Result<Vec<ExportItem>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM export_items
             WHERE ($1 IS NULL OR target = $1) AND ($2 IS NULL OR status = $2) AND ($3 IS NULL OR record_id = $3)
               AND ($4 IS NULL OR (due IS NOT NULL AND due < $4 AND status <> 'accepted'))
             ORDER BY created_at, key LIMIT $5"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(f.target)
            .bind(f.status)
            .bind(f.record_id)
            .bind(f.due_before)
            .bind(f.limit)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(item_from).collect()
    }

    /// Items by target and status: `(target, status, count)`.
    ///
    /// # Errors
    /// A database error.
    pub async fn export_counts(&self) -> anyhow::Result<Vec<(String, String, i64)>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT target, status, COUNT(*) FROM export_items GROUP BY target, status ORDER BY target, status",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}
