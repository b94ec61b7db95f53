use axum::{Json, extract::State, http::StatusCode};

use super::{
    model::{WebhookRequest, WebhookSettings},
    store, webhook,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::ValidJson,
    state::AppState,
};

/// The caller's webhook URL and signing secret.
#[utoipa::path(get, path = "/connectors/webhook", tag = "connectors", security(("bearer" = [])),
    responses((status = 200, body = WebhookSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_webhook(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<WebhookSettings>, ApiError> {
    let model = store::find(&state.db, user.id).await?.ok_or(ApiError::NotFound("webhook"))?;
    Ok(Json(model.into()))
}

/// Sets where `webhook` posts go; the first call also creates the signing secret.
#[utoipa::path(put, path = "/connectors/webhook", tag = "connectors", security(("bearer" = [])),
    request_body = WebhookRequest,
    responses((status = 200, body = WebhookSettings), (status = 201, body = WebhookSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn put_webhook(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<WebhookRequest>,
) -> Result<(StatusCode, Json<WebhookSettings>), ApiError> {
    let settings = &state.config.scheduler;
    let url = webhook::check_url(&request.url, &settings.webhook_allowlist, settings.webhook_timeout)
        .await
        .map_err(|error| ApiError::field("url", error.to_string()))?;
    let (model, created) = store::upsert(&state.db, user.id, url.to_string(), state.clock.now()).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(model.into())))
}

/// Replaces the signing secret.
#[utoipa::path(post, path = "/connectors/webhook/rotate-secret", tag = "connectors", security(("bearer" = [])),
    responses((status = 200, body = WebhookSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn rotate_webhook_secret(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<WebhookSettings>, ApiError> {
    let existing = store::find(&state.db, user.id).await?.ok_or(ApiError::NotFound("webhook"))?;
    let model = store::rotate_secret(&state.db, existing, state.clock.now()).await?;
    Ok(Json(model.into()))
}
