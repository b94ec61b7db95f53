use axum::{Json, body::Bytes, extract::State};
use uuid::Uuid;

use super::{
    model::{UpdateVariantRequest, Variant, VariantVersion},
    service::{self, RegenerateRequest},
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
/// Accepted means safe to publish: a post with an error cannot be accepted, one with warnings
/// only with `publish_anyway`, and an edit that breaks a check withdraws the acceptance.
#[utoipa::path(put, path = "/variants/{id}", tag = "variants", security(("bearer" = [])), request_body = UpdateVariantRequest,
    params(("id" = Uuid, Path, description = "Variant id")),
    responses((status = 200, body = Variant), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, or the post fails its checks (`checks` lists them)", body = Problem, content_type = "application/problem+json")))]
pub async fn update_variant(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<UpdateVariantRequest>,
) -> Result<Json<Variant>, ApiError> {
    Ok(Json(service::update(&state, user, id, request).await?))
}

/// Adds an alternative as a new version and shows it: a different seed that changes the hook
/// and selection (409 when the source gives no other). Earlier versions stay; the accepted one
/// can be restored.
#[utoipa::path(post, path = "/variants/{id}/regenerate", tag = "variants", security(("bearer" = [])),
    request_body(content = Option<RegenerateRequest>, description = "Optional `{seed}`"),
    params(("id" = Uuid, Path, description = "Variant id")),
    responses((status = 200, body = Variant), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No other alternative exists, the source cannot be regenerated, or no writer is available (the local engine disabled and no model enabled)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "This month's characters are used up", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota resets")))))]
pub async fn regenerate_variant(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    body: Bytes,
) -> Result<Json<Variant>, ApiError> {
    // The body is optional: an empty one asks for the next alternative.
    let request: RegenerateRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RegenerateRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|error| ApiError::field("seed", error.to_string()))?
    };
    Ok(Json(service::regenerate(&state, user, id, request).await?))
}

/// The variant's versions, newest first: generated, edited and regenerated texts, with who made
/// each and when, which one is shown and which one is accepted.
#[utoipa::path(get, path = "/variants/{id}/versions", tag = "variants", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Variant id")),
    responses((status = 200, body = Vec<VariantVersion>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_versions(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Vec<VariantVersion>>, ApiError> {
    Ok(Json(service::versions(&state, user, id).await?))
}

/// Shows an earlier version again. Nothing is lost: every version stays; the variant is
/// accepted again when the restored version is the one the user accepted.
#[utoipa::path(post, path = "/variants/{id}/versions/{number}/restore", tag = "variants", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Variant id"), ("number" = i32, Path, description = "Version number")),
    responses((status = 200, body = Variant),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such variant or version", body = Problem, content_type = "application/problem+json")))]
pub async fn restore_version(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath((id, number)): ValidPath<(Uuid, i32)>,
) -> Result<Json<Variant>, ApiError> {
    Ok(Json(service::restore(&state, user, id, number).await?))
}
