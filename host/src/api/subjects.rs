//! Credit files: `GET /api/v1/subjects/{uscc}` for organisations and
//! `POST /api/v1/subjects/lookup` for natural persons (the ID number in the
//! body, never in a URL).

use super::access::AuditNote;
use super::error::{parse_id_number, parse_json, parse_uscc};
use super::{ApiError, AppState};
use crate::store::{StoredListEntry, StoredRecord, SubjectLink, SubjectRow};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/subjects/{uscc}", get(get_subject))
        .route("/api/v1/subjects/lookup", post(lookup_subject))
}

/// A subject's credit file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreditFile {
    /// The subject.
    pub subject: SubjectRow,
    /// Its linked persons (ID numbers masked).
    pub persons: Vec<SubjectLink>,
    /// Its records, oldest first.
    pub records: Vec<StoredRecord>,
    /// Its list entries.
    pub list_entries: Vec<StoredListEntry>,
}

/// The audit note of a read of `key`'s credit file.
fn note(key: &str) -> Extension<AuditNote> {
    Extension(AuditNote { subject_key: Some(key.to_owned()), ..AuditNote::default() })
}

async fn file(state: &AppState, key: &str) -> Result<CreditFile, ApiError> {
    let subject = state
        .store
        .subject(key)
        .await?
        .ok_or_else(|| ApiError::NotFound("no credit records for this subject".into()))?;
    let persons = state.store.links(key).await?;
    let (records, list_entries) = state.store.credit_file(&[key.to_owned()]).await?;
    let records = records.into_iter().filter(|r| r.subject_key == key).collect();
    Ok(CreditFile { subject, persons, records, list_entries })
}

/// `GET /api/v1/subjects/{uscc}`: an organisation's credit file.
#[utoipa::path(
    get, path = "/api/v1/subjects/{uscc}", params(("uscc" = String, Path, description = "统一社会信用代码")),
    responses(
        (status = 200, description = "the credit file", body = CreditFile),
        (status = 422, description = "invalid USCC", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no records", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_subject(
    State(state): State<AppState>,
    Path(uscc): Path<String>,
) -> Result<(Extension<AuditNote>, Json<CreditFile>), ApiError> {
    let u = parse_uscc("/uscc", &uscc)?;
    Ok((note(u.as_str()), Json(file(&state, u.as_str()).await?)))
}

/// `POST /api/v1/subjects/lookup` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lookup {
    /// 居民身份证号码.
    pub id_number: String,
}

/// `POST /api/v1/subjects/lookup`: a natural person's credit file.
#[utoipa::path(
    post, path = "/api/v1/subjects/lookup", request_body = Lookup,
    responses(
        (status = 200, description = "the credit file (ID number masked)", body = CreditFile),
        (status = 422, description = "invalid ID number", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no records", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn lookup_subject(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(Extension<AuditNote>, Json<CreditFile>), ApiError> {
    let req: Lookup = parse_json(&body)?;
    let id = parse_id_number("/id_number", &req.id_number)?;
    let key = state.keys.person_key(&id);
    Ok((note(&key), Json(file(&state, &key).await?)))
}
