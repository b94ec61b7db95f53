//! The tools registry: the providers (`local`, `openai`) that write variants and the
//! connectors (`webhook`, `file`) that publish posts, each switchable by an administrator.
//! Disabling one changes what new jobs and schedules do at once (see `service`).

mod entity;
pub mod model;
mod routes;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::list_tools)).routes(routes!(routes::update_tool))
}
