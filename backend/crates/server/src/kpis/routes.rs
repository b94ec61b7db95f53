use axum::{Json, extract::State};

use super::{
    compute,
    model::{KpiQuery, Kpis, Window},
    store,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::ValidQuery,
    state::AppState,
};

/// The caller's KPIs for `[from, to)` (default: the last 30 days), computed from the database.
#[utoipa::path(get, path = "/kpis", tag = "kpis", security(("bearer" = [])), params(KpiQuery),
    responses((status = 200, body = Kpis),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn get_kpis(
    State(state): State<AppState>,
    user: AuthUser,
    ValidQuery(query): ValidQuery<KpiQuery>,
) -> Result<Json<Kpis>, ApiError> {
    let now = state.clock.now();
    let window = Window::parse(&query, now)?;
    let rows = store::load(&state.db, user.id, window, now).await?;
    Ok(Json(compute::summarise(window, rows)))
}
