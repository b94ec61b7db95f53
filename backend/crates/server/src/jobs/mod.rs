//! Jobs: a source and the channels to repurpose it for, tracked through
//! draft → queued → running → needs_review → done | failed.

mod entity;
pub mod events;
pub mod model;
pub mod processing;
mod routes;
pub mod service;
mod store;
pub mod variants;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_jobs, routes::create_job))
        .routes(routes!(routes::get_job, routes::update_draft))
        .routes(routes!(routes::submit_job))
        .routes(routes!(routes::retry_job))
        .routes(routes!(routes::mark_done))
        .routes(routes!(routes::job_events))
}
