use axum::{Json, extract::State, http::StatusCode};
use secrecy::ExposeSecret;

use super::{
    model::{Credentials, RefreshRequest, TokenPair},
    service,
};
use crate::{
    error::{ApiError, Problem},
    extract::{ClientIp, ValidJson},
    state::AppState,
    users::model::User,
};

/// Creates an account.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 201, description = "Account created", body = User),
        (status = 409, description = "Email already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email or password", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ValidJson(credentials): ValidJson<Credentials>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let user = service::register(&state, credentials).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Exchanges email and password for an access and a refresh token.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in", body = TokenPair),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ValidJson(credentials): ValidJson<Credentials>,
) -> Result<Json<TokenPair>, ApiError> {
    Ok(Json(service::login(&state, credentials, ip).await?))
}

/// Rotates a refresh token into a new pair; a reused token revokes its family.
#[utoipa::path(
    post,
    path = "/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New token pair", body = TokenPair),
        (status = 401, description = "Invalid, expired or reused refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn refresh(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ValidJson(request): ValidJson<RefreshRequest>,
) -> Result<Json<TokenPair>, ApiError> {
    Ok(Json(service::refresh(&state, request.refresh_token.expose_secret(), ip).await?))
}

/// Revokes the refresh token (and every token rotated from the same login).
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"))
)]
pub async fn logout(
    State(state): State<AppState>,
    ValidJson(request): ValidJson<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    service::logout(&state, request.refresh_token.expose_secret()).await?;
    Ok(StatusCode::NO_CONTENT)
}
