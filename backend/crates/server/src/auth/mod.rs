//! Authentication: passwords, access tokens, refresh-token rotation.

mod entity;
mod extractor;
pub mod model;
mod routes;
pub mod service;
mod store;
pub mod tokens;

pub use extractor::{AdminUser, AuthUser, authenticate, bearer_token};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::register))
        .routes(routes!(routes::login))
        .routes(routes!(routes::refresh))
        .routes(routes!(routes::logout))
}
