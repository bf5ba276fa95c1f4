//! Subjects and the links between organisations and their persons.

use super::{Store, now};
use serde::Serialize;
use sqlx::Row as _;

/// A subject to create or refresh.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NewSubject {
    /// The USCC, or `p:` + keyed hash.
    pub key: String,
    /// `organisation`, `individual-business` or `natural-person`.
    pub kind: String,
    /// Display name as last reported.
    pub name: String,
    /// The USCC, for organisations.
    pub uscc: Option<String>,
    /// The hash key's id, for persons.
    pub id_hash_key_id: Option<String>,
    /// Masked ID number, for persons.
    pub id_masked: Option<String>,
    /// Encrypted ID number, for persons.
    pub id_encrypted: Option<String>,
}

/// A stored subject (never with the full ID number).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectRow {
    /// Subject key.
    pub key: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// USCC.
    pub uscc: Option<String>,
    /// Masked ID number.
    pub id_masked: Option<String>,
}

/// A person linked to an organisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubjectLink {
    /// The person's key.
    pub person_key: String,
    /// The role.
    pub role: String,
    /// The person's name as reported.
    pub person_name: String,
    /// Masked ID number.
    pub id_masked: Option<String>,
    /// Since (the decision date of the record that named the link).
    pub since: Option<String>,
}

pub(crate) async fn upsert(conn: &mut sqlx::AnyConnection, s: &NewSubject) -> sqlx::Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO subjects (key, kind, name, uscc, id_hash_key_id, id_masked, id_encrypted, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (key) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
    )
    .bind(&s.key)
    .bind(&s.kind)
    .bind(&s.name)
    .bind(&s.uscc)
    .bind(&s.id_hash_key_id)
    .bind(&s.id_masked)
    .bind(&s.id_encrypted)
    .bind(&at)
    .bind(&at)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn link(
    conn: &mut sqlx::AnyConnection,
    org_key: &str,
    person: &NewSubject,
    role: &str,
    record_id: &str,
    since: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO subject_links (org_key, person_key, role, person_name, source_record_id, since)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_key, person_key, role) DO NOTHING",
    )
    .bind(org_key)
    .bind(&person.key)
    .bind(role)
    .bind(&person.name)
    .bind(record_id)
    .bind(since)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// The subject with `key`.
    ///
    /// # Errors
    /// A database error.
    pub async fn subject(&self, key: &str) -> anyhow::Result<Option<SubjectRow>> {
        let row = sqlx::query("SELECT key, kind, name, uscc, id_masked FROM subjects WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|r| SubjectRow {
            key: r.get(0),
            kind: r.get(1),
            name: r.get(2),
            uscc: r.get(3),
            id_masked: r.get(4),
        }))
    }

    /// The persons linked to organisation `org_key`, most recent first.
    ///
    /// # Errors
    /// A database error.
    pub async fn links(&self, org_key: &str) -> anyhow::Result<Vec<SubjectLink>> {
        let rows = sqlx::query(
            "SELECT l.person_key, l.role, l.person_name, s.id_masked, l.since
             FROM subject_links l JOIN subjects s ON s.key = l.person_key
             WHERE l.org_key = $1 ORDER BY l.since DESC, l.person_key",
        )
        .bind(org_key)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SubjectLink {
                person_key: r.get(0),
                role: r.get(1),
                person_name: r.get(2),
                id_masked: r.get(3),
                since: r.get(4),
            })
            .collect())
    }
}
