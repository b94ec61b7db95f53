//! Jobs: a source and the channels to repurpose it for, tracked through
//! draft → queued → running → needs_review → done | failed.

/// Crate-visible for the SeaORM relation with variants, the one exception to the import rule
/// between domains (`docs/ARCHITECTURE.md`).
pub(crate) mod entity;
pub mod events;
pub mod model;
pub mod processing;
mod routes;
pub mod service;
/// Crate-visible for variants, which read their job with it (the jobs–variants exception).
pub(crate) mod store;

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
