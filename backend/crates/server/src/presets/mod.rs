//! Presets: a user's saved channels, tone and generation settings.

mod entity;
pub mod model;
mod routes;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::list_presets, routes::create_preset)).routes(routes!(
        routes::get_preset,
        routes::update_preset,
        routes::delete_preset
    ))
}
