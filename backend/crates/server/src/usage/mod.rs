//! Usage against quota: jobs queued per UTC day and characters generated per UTC month, with
//! allowances per role. Counted in `usage_counters` as work is queued and generated, so retried
//! and regenerated variants still count after their text is replaced.

mod entity;
pub mod model;
mod routes;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::get_usage))
}
