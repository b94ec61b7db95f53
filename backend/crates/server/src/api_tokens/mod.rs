//! Personal API tokens: long-lived, scoped bearer tokens for scripts, stored hashed and shown
//! once. The `AuthUser` extractor accepts them beside access tokens.

mod entity;
pub mod model;
mod routes;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_tokens, routes::create_token))
        .routes(routes!(routes::delete_token))
}
