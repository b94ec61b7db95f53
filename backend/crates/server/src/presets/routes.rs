use axum::{Json, extract::State, http::StatusCode};
use uuid::Uuid;

use super::{
    model::{Preset, PresetList, PresetRequest},
    store,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    state::AppState,
};

/// The caller's presets, oldest first.
#[utoipa::path(get, path = "/presets", tag = "presets", security(("bearer" = [])),
    responses((status = 200, body = PresetList), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_presets(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<PresetList>, ApiError> {
    let items = store::list_for_owner(&state.db, user.id).await?.into_iter().map(Preset::from).collect();
    Ok(Json(PresetList { items }))
}

/// Saves a preset.
#[utoipa::path(post, path = "/presets", tag = "presets", security(("bearer" = [])), request_body = PresetRequest,
    responses((status = 201, body = Preset), (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn create_preset(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<PresetRequest>,
) -> Result<(StatusCode, Json<Preset>), ApiError> {
    let input = request.parse()?;
    if store::count_for_owner(&state.db, user.id).await? >= store::MAX_PRESETS_PER_USER {
        return Err(ApiError::Conflict(format!(
            "You already have {} presets; delete one first.",
            store::MAX_PRESETS_PER_USER
        )));
    }
    let model = store::insert(&state.db, user.id, input, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(model.into())))
}

#[utoipa::path(get, path = "/presets/{id}", tag = "presets", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Preset id")),
    responses((status = 200, body = Preset), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_preset(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Preset>, ApiError> {
    let model = store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("preset"))?;
    Ok(Json(model.into()))
}

/// Replaces a preset's settings.
#[utoipa::path(put, path = "/presets/{id}", tag = "presets", security(("bearer" = [])), request_body = PresetRequest,
    params(("id" = Uuid, Path, description = "Preset id")),
    responses((status = 200, body = Preset), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_preset(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<PresetRequest>,
) -> Result<Json<Preset>, ApiError> {
    let existing = store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("preset"))?;
    let input = request.parse()?;
    let model = store::update(&state.db, existing, input, state.clock.now()).await?;
    Ok(Json(model.into()))
}

#[utoipa::path(delete, path = "/presets/{id}", tag = "presets", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Preset id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_preset(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    if store::delete_owned(&state.db, user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("preset"))
    }
}
