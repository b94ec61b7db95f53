use axum::{Json, extract::State};

use super::{model::Usage, service};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    state::AppState,
};

/// The caller's jobs today and generated characters this month, against their role's quota.
#[utoipa::path(get, path = "/usage", tag = "usage", security(("bearer" = [])),
    responses((status = 200, body = Usage), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_usage(State(state): State<AppState>, user: AuthUser) -> Result<Json<Usage>, ApiError> {
    Ok(Json(service::current(&state, user).await?))
}
