//! ID hash key rotation: re-hash the subject keys of natural persons made
//! with another hash key, from their encrypted ID numbers, everywhere they
//! are stored, in one transaction; the old key is kept in
//! `subject_key_history` (the audit trail is never rewritten).

use super::{Store, now};
use crate::domain::identifiers::IdNumber;
use crate::privacy::PersonalDataKeys;
use sqlx::Row as _;

/// Tables and columns that hold a subject key (constants, never input).
const KEY_COLUMNS: [(&str, &str); 10] = [
    ("credit_records", "subject_key"),
    ("credit_records", "legal_rep_key"),
    ("subject_links", "person_key"),
    ("subject_links", "org_key"),
    ("list_entries", "subject_key"),
    ("checks", "subject_key"),
    ("objections", "subject_key"),
    ("credit_repairs", "subject_key"),
    ("commitment_breaches", "subject_key"),
    ("complaints", "subject_key"),
];

/// What a rotation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Rekeyed {
    /// Subjects re-keyed.
    pub subjects: usize,
    /// Complaints whose (not yet registered) subject was re-keyed.
    pub complaints: usize,
}

impl Store {
    /// Re-hash, with `keys`' hash key, every natural person's key made with
    /// another one (and those of complaints' unregistered subjects).
    ///
    /// # Errors
    /// A database error, or an encrypted copy the configured encryption key
    /// cannot open (nothing changes then).
    pub async fn rekey_subjects(&self, keys: &PersonalDataKeys) -> anyhow::Result<Rekeyed> {
        let _guard = self.write_guard().await;
        let kid = keys.hash_key_id();
        let mut tx = self.pool().begin().await?;
        let rows = sqlx::query(
            "SELECT key, id_encrypted FROM subjects
             WHERE kind = 'natural-person' AND id_encrypted IS NOT NULL AND (id_hash_key_id IS NULL OR id_hash_key_id <> $1)",
        )
        .bind(kid)
        .fetch_all(&mut *tx)
        .await?;
        let at = now();
        let mut done = Rekeyed::default();
        for r in &rows {
            let (old, encrypted): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            let id =
                IdNumber::parse(&keys.decrypt(&encrypted)?).map_err(|e| anyhow::anyhow!("subject {old}: {e:?}"))?;
            let new = keys.person_key(&id);
            if new == old {
                sqlx::query("UPDATE subjects SET id_hash_key_id = $1 WHERE key = $2")
                    .bind(kid)
                    .bind(&old)
                    .execute(&mut *tx)
                    .await?;
                continue;
            }
            sqlx::query(
                "INSERT INTO subjects (key, kind, name, uscc, id_hash_key_id, id_masked, id_encrypted, created_at, updated_at)
                 SELECT $1, kind, name, uscc, $2, id_masked, id_encrypted, created_at, $3 FROM subjects WHERE key = $4
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&new)
            .bind(kid)
            .bind(&at)
            .bind(&old)
            .execute(&mut *tx)
            .await?;
            for (table, column) in KEY_COLUMNS {
                // Only the constant table and column names are formatted in.
                let sql = format!("UPDATE {table} SET {column} = $1 WHERE {column} = $2");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&new).bind(&old).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM subjects WHERE key = $1").bind(&old).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO subject_key_history (old_key, new_key, hash_key_id, rotated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (old_key) DO NOTHING",
            )
            .bind(&old)
            .bind(&new)
            .bind(kid)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE subject_key_history SET new_key = $1 WHERE new_key = $2")
                .bind(&new)
                .bind(&old)
                .execute(&mut *tx)
                .await?;
            done.subjects += 1;
        }
        let rows = sqlx::query(
            "SELECT id, subject_key, subject_id_encrypted FROM complaints
             WHERE subject_kind = 'natural-person' AND subject_id_encrypted IS NOT NULL
               AND (subject_id_hash_key_id IS NULL OR subject_id_hash_key_id <> $1)",
        )
        .bind(kid)
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let (complaint, encrypted): (String, String) = (r.try_get(0)?, r.try_get(2)?);
            let id = IdNumber::parse(&keys.decrypt(&encrypted)?)
                .map_err(|e| anyhow::anyhow!("complaint {complaint}: {e:?}"))?;
            sqlx::query("UPDATE complaints SET subject_key = $1, subject_id_hash_key_id = $2 WHERE id = $3")
                .bind(keys.person_key(&id))
                .bind(kid)
                .bind(&complaint)
                .execute(&mut *tx)
                .await?;
            done.complaints += 1;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// The keys `key` had before rotations (for the audit trail, which
    /// keeps the key of its day).
    ///
    /// # Errors
    /// A database error.
    pub async fn earlier_keys(&self, key: &str) -> anyhow::Result<Vec<String>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT old_key FROM subject_key_history WHERE new_key = $1 ORDER BY rotated_at")
                .bind(key)
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }
}
