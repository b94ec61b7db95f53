//! Exports: a variant as a txt, Markdown, HTML or JSON download.

mod render;

use axum::{
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use render::ExportFormat;

use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    jobs::variants,
    state::AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_variant))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportRequest {
    pub format: ExportFormat,
}

/// Downloads a variant as a file.
#[utoipa::path(post, path = "/export/{variant_id}", tag = "exports", security(("bearer" = [])), request_body = ExportRequest,
    params(("variant_id" = Uuid, Path, description = "Variant id")),
    responses(
        (status = 200, description = "The file, as an attachment", content(
            (String = "text/plain"), (String = "text/markdown"), (String = "text/html"), (Object = "application/json"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json")))]
async fn export_variant(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(variant_id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<ExportRequest>,
) -> Result<Response, ApiError> {
    let (variant, job) = variants::service::find_owned(&state.db, user.id, variant_id)
        .await?
        .ok_or(ApiError::NotFound("variant"))?;
    let event = AuditEvent::new(AuditKind::VariantExported).actor(user.id).subject("variant", variant.id).payload(
        serde_json::json!({ "job_id": job.id, "channel": variant.channel, "format": request.format.extension() }),
    );
    let file = render::render(variant.into(), &job.name, request.format)?;
    audit::record_or_log(&state.db, state.clock.now(), event).await;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file.file_name))
        .map_err(anyhow::Error::from)?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(request.format.content_type())),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    Ok((headers, file.body).into_response())
}
