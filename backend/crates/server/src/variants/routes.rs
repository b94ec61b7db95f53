use axum::{Json, extract::State};
use uuid::Uuid;

use super::{
    model::{UpdateVariantRequest, Variant},
    service,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    state::AppState,
};

#[utoipa::path(get, path = "/variants/{id}", tag = "variants", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    responses((status = 200, body = Variant), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_variant(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Variant>, ApiError> {
    Ok(Json(service::get(&state, user, id).await?))
}

/// Edits the text and/or accepts the variant; the job is done once every variant is accepted.
#[utoipa::path(put, path = "/variants/{id}", tag = "variants", security(("bearer" = [])), request_body = UpdateVariantRequest,
    params(("id" = Uuid, Path, description = "Variant id")),
    responses((status = 200, body = Variant), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_variant(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<UpdateVariantRequest>,
) -> Result<Json<Variant>, ApiError> {
    Ok(Json(service::update(&state, user, id, request).await?))
}
