//! Credit-commitment texts (信用承诺书): `POST
//! /api/v1/sectors/{sector}/commitments/{template}` fills in a sector
//! plugin's template, ready to sign.

use super::error::{parse_json, parse_uscc};
use super::{ApiError, AppState};
use crate::ingest::RowError;
use crate::runtime::wit;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/sectors/{sector}/commitments/{template}", post(render_commitment))
}

/// Who commits.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Committer {
    /// 统一社会信用代码.
    pub uscc: String,
    /// Name.
    pub name: String,
}

/// Request body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenderRequest {
    /// The committing organisation.
    pub subject: Committer,
    /// The template's fields (see its `fields_schema` in `GET /api/v1/plugins`).
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// The filled-in text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Rendered {
    /// Template id.
    pub template: String,
    /// The Chinese text to sign.
    pub text: String,
    /// Plugin version that rendered it.
    pub plugin_version: String,
}

/// `POST /api/v1/sectors/{sector}/commitments/{template}`.
#[utoipa::path(
    post, path = "/api/v1/sectors/{sector}/commitments/{template}",
    params(("sector" = String, Path, description = "sector id"), ("template" = String, Path, description = "template id")),
    request_body = RenderRequest,
    responses(
        (status = 200, description = "the text to sign", body = Rendered),
        (status = 422, description = "invalid fields: every error", body = super::Problem, content_type = "application/problem+json"),
        (status = 404, description = "unknown sector or template", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn render_commitment(
    State(state): State<AppState>,
    Path((sector, template)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Rendered>, ApiError> {
    let plugin = state.plugin(&sector)?;
    let t = plugin
        .manifest
        .commitment_templates
        .iter()
        .find(|t| t.id == template)
        .ok_or_else(|| ApiError::NotFound(format!("sector {sector:?} has no commitment template {template:?}")))?;
    let req: RenderRequest = parse_json(&body)?;
    let uscc = parse_uscc("/subject/uscc", &req.subject.uscc)?;
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&t.fields_schema)
        .map_err(|e| anyhow::anyhow!("template {template:?} has an invalid fields schema: {e}"))?;
    let errors: Vec<RowError> = validator
        .iter_errors(&req.fields)
        .map(|e| RowError {
            line: None,
            column: None,
            pointer: Some(format!("/fields{}", e.instance_path().as_str())),
            value: None,
            code: "invalid-field".into(),
            message: format!("承诺书字段不符合要求：{e}"),
            message_en: format!("commitment field is invalid: {e}"),
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Invalid { detail: format!("{} error(s) in the fields", errors.len()), errors });
    }
    let subject =
        wit::Subject { key: uscc.to_string(), kind: wit::SubjectKind::Organisation, name: req.subject.name.clone() };
    let fields = req.fields.to_string();
    let p = plugin.clone();
    let tid = template.clone();
    let text = tokio::task::spawn_blocking(move || p.render_commitment(&tid, &subject, &fields))
        .await
        .map_err(|e| anyhow::anyhow!("plugin call panicked: {e}"))??;
    Ok(Json(Rendered { template, text, plugin_version: plugin.manifest.version.clone() }))
}
