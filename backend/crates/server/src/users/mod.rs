//! Accounts: the user record and `GET /me`.

mod entity;
pub mod model;
pub mod service;
mod store;

use axum::{Json, extract::State};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{auth::AuthUser, error::ApiError, state::AppState};
use model::User;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = User),
        (status = 401, description = "Missing or invalid token", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
async fn me(State(state): State<AppState>, user: AuthUser) -> Result<Json<User>, ApiError> {
    let user = service::find_by_id(&state.db, user.id)
        .await?
        .ok_or(ApiError::Unauthorized("The account behind this token no longer exists."))?;
    Ok(Json(user))
}
