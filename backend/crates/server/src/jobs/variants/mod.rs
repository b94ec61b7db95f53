//! Variants: one generated post per channel of a job, edited and accepted by the user. They
//! belong to the jobs domain: other domains reach them through `service`.

/// Visible to the rest of the jobs domain, for the SeaORM relation and the job's queries.
pub(super) mod entity;
pub mod model;
mod routes;
pub mod sanitize;
pub mod service;
pub(super) mod store;
mod version_entity;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_variant, routes::update_variant))
        .routes(routes!(routes::regenerate_variant))
        .routes(routes!(routes::list_versions))
        .routes(routes!(routes::restore_version))
}
