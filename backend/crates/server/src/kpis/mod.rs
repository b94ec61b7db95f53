//! KPIs: what the dashboard shows, computed from the caller's jobs, variants and schedules.

mod compute;
pub mod model;
mod routes;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::get_kpis))
}
