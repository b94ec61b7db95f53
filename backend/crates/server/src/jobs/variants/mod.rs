//! Variants: one generated post per channel, edited and accepted by the user.

/// Crate-visible for the SeaORM relation with jobs, the one exception to the import rule
/// between domains (`docs/ARCHITECTURE.md`).
pub(crate) mod entity;
pub mod model;
mod routes;
pub mod sanitize;
pub mod service;
mod store;
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
