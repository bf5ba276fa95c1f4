//! One record and its history: `GET /api/v1/records/{id}`; corrections,
//! `POST /api/v1/records/{id}/corrections`, which add a state and keep
//! every earlier one (DESIGN.md §6); and revocation when its decision is
//! withdrawn, `POST /api/v1/records/{id}/revocation`.

use super::records::{Target, resolve};
use super::{ApiError, AppState, error::parse_json};
use crate::ingest::{self, Row};
use crate::store::{RecordState, StoredRecord};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/records/{id}", get(get_record))
        .route("/api/v1/records/{id}/corrections", post(post_correction))
        .route("/api/v1/records/{id}/revocation", post(post_revocation))
}

/// Why a decision no longer stands.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// Why (复议决定撤销, 法院判决撤销, the authority withdrew it…), made
    /// public with the withdrawal (at most 2000 characters).
    pub reason: String,
    /// The day it was withdrawn, not after today (default today).
    pub on: Option<String>,
}

/// `POST /api/v1/records/{id}/revocation`: the credit office revokes a
/// record whose decision was withdrawn or annulled — at once, in one
/// transaction: it counts nowhere and leaves public view, the list entries
/// resting on it end (the bureau's own repair when a basis is revoked), the
/// current publication is republished, and the next export round withdraws
/// it from every platform with the reason (行政处罚法第四十八条第二款).
///
/// # Errors
/// `403` for whoever reported the record; `404` for no such record; `409`
/// when it is returned or revoked already; `422` naming the field.
#[utoipa::path(
    post, path = "/api/v1/records/{id}/revocation", params(("id" = String, Path, description = "record id")),
    request_body = Revocation,
    responses(
        (status = 200, description = "revoked: the record and its history", body = RecordHistory),
        (status = 403, description = "the record's reporter", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such record", body = super::Problem, content_type = "application/problem+json"),
        (status = 409, description = "revoked or returned already", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post_revocation(
    State(state): State<AppState>,
    actor: crate::access::Actor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(axum::Extension<super::access::AuditNote>, Json<RecordHistory>), ApiError> {
    let req: Revocation = parse_json(&body)?;
    let reason = super::error::bounded("/reason", &req.reason, "撤销理由", 2000)?;
    let (record, _) = state.store.record(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?;
    if record.reported_by == actor.account {
        return Err(ApiError::Forbidden(format!(
            "{0} 报送了该记录，不能自行撤销 / {0} reported this record and cannot revoke it",
            actor.account
        )));
    }
    let on = super::error::step_day(req.on.as_ref(), "/on", None)?;
    state.store.withdraw_decision(&id, reason, &on.to_string(), &actor.account, &actor.unit).await.map_err(
        |e| match e {
            crate::store::ObjectionError::NotFound(what) => ApiError::NotFound(what),
            crate::store::ObjectionError::NotCounting(zh, en) => {
                ApiError::conflict(format!("{en}; nothing was changed"), "", None, "not-counting", zh, en)
            }
            other => ApiError::Internal(other.into()),
        },
    )?;
    super::lists::republish(&state, &format!("record {id} revoked")).await?;
    let (record, states) =
        state.store.record(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?;
    let note = super::access::AuditNote {
        subject_key: Some(record.subject_key.clone()),
        detail: Some(format!("record {id} revoked: decision withdrawn")),
        ..Default::default()
    };
    let reviews = state.store.review_steps(&id).await?;
    Ok((axum::Extension(note), Json(RecordHistory { record, states, reviews })))
}

/// A record with its history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecordHistory {
    /// The record in its current state.
    pub record: StoredRecord,
    /// Every state, oldest first.
    pub states: Vec<RecordState>,
    /// Every review step (reported, published, returned), oldest first.
    pub reviews: Vec<crate::store::ReviewStep>,
}

/// `GET /api/v1/records/{id}`.
#[utoipa::path(
    get, path = "/api/v1/records/{id}", params(("id" = String, Path, description = "record id")),
    responses(
        (status = 200, description = "the record and every state it has had", body = RecordHistory),
        (status = 404, description = "no such record", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_record(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(axum::Extension<super::access::AuditNote>, Json<RecordHistory>), ApiError> {
    let (record, states) =
        state.store.record(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?;
    let note = super::access::AuditNote {
        subject_key: Some(record.subject_key.clone()),
        detail: Some(format!("record {id}")),
        ..Default::default()
    };
    let reviews = state.store.review_steps(&id).await?;
    Ok((axum::Extension(note), Json(RecordHistory { record, states, reviews })))
}

/// The corrected record `body` of `stored`, checked like a new report of
/// its kind by its sector's active plugin. The body repeats every field,
/// identity document numbers in full (the stored body shows them masked).
///
/// # Errors
/// `422` with every error of the body, pointers under `/record`; `503`
/// when the plugin is not loaded.
pub(super) async fn checked_correction(
    state: &AppState,
    stored: &StoredRecord,
    body: Map<String, Value>,
) -> Result<crate::store::NewRecord, ApiError> {
    let target = Target {
        sector: stored.sector.clone(),
        kind: stored.kind.clone(),
        partial: false,
        dry_run: false,
        corrections: false,
        published: false,
    };
    let plugin = resolve(state, &target)?;
    let rows = vec![Row { body, ..Row::default() }];
    let prepared = ingest::prepare(
        plugin,
        state.red_list.clone(),
        &stored.kind,
        rows,
        state.policy.clone(),
        state.keys.clone(),
        false,
    )
    .await
    .map_err(|e| match ApiError::from(e) {
        // The body's fields sit under `/record` of the request.
        ApiError::Invalid { detail, mut errors } => {
            for e in &mut errors {
                e.pointer = Some(format!("/record{}", e.pointer.as_deref().unwrap_or_default()));
            }
            ApiError::Invalid { detail, errors }
        }
        other => other,
    })?;
    prepared.records.into_iter().next().ok_or_else(|| anyhow::anyhow!("a checked correction yields one record").into())
}

/// `POST /api/v1/records/{id}/corrections` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Why the record is corrected (更正理由), shown in its history.
    pub reason: String,
    /// The whole corrected record body, checked like a new report.
    #[schema(value_type = Object)]
    pub record: Map<String, Value>,
}

/// The new state of a corrected record.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Corrected {
    /// Record id.
    pub id: String,
    /// The new state number.
    pub state: i64,
}

/// `POST /api/v1/records/{id}/corrections`: add a corrected state.
#[utoipa::path(
    post, path = "/api/v1/records/{id}/corrections", params(("id" = String, Path, description = "record id")),
    request_body = Correction,
    responses(
        (status = 201, description = "the new state", body = Corrected),
        (status = 422, description = "invalid correction: every error", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such record", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn post_correction(
    State(state): State<AppState>,
    actor: crate::access::Actor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, axum::Extension<super::access::AuditNote>, Json<Corrected>), ApiError> {
    let req: Correction = parse_json(&body)?;
    if req.reason.trim().is_empty() {
        return Err(ApiError::invalid(
            "/reason",
            None,
            "reason-required",
            "更正须说明理由".into(),
            "a correction needs a reason".into(),
        ));
    }
    let (stored, _) = state.store.record(&id).await?.ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?;
    super::records::in_scope(&state, &actor, stored.sector.as_deref(), &stored.kind)?;
    if stored.review_status == "revoked" {
        return Err(ApiError::conflict(
            format!("record {id} was revoked: a revoked decision is not corrected; report a new decision instead"),
            "",
            Some("revoked".into()),
            "record-revoked",
            "该记录已撤销，不能更正；如有新的决定，请作为新记录报送".into(),
            "the record was revoked and is not corrected: report a new decision as a new record".into(),
        ));
    }
    let record = checked_correction(&state, &stored, req.record).await?;
    let new_state = state
        .store
        .correct_record(&id, &record, req.reason.trim(), &actor.account, Some(&state.review_due(&actor.unit)))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no record {id:?}")))?
        .map_err(|other| {
            ApiError::conflict(
                format!("the corrected record would be record {other}; nothing was changed"),
                "/record",
                Some(other.clone()),
                "conflict",
                format!("更正后的机关、文号、当事人与已有记录（{other}）相同：请更正那条记录，或核对文号和当事人"),
                format!("after the correction, authority, decision number and subject are those of record {other}; correct that record instead"),
            )
        })?;
    let note = super::access::AuditNote {
        subject_key: Some(stored.subject_key.clone()),
        detail: Some(format!("record {id} state {new_state}: {}", req.reason.trim())),
        ..Default::default()
    };
    Ok((StatusCode::CREATED, axum::Extension(note), Json(Corrected { id, state: new_state })))
}
