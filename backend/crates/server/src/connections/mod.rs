//! Connections: the social accounts (X, LinkedIn, Mastodon, Bluesky) a user connected, so that
//! scheduled posts and threads are published natively. Tokens are sealed at rest and never
//! leave the server; an account whose token the network refused shows "Reconnect". Each
//! account's name, handle and picture are read again from its network about once a day
//! (`profiles`, from the scheduler's tick).

mod authorize;
mod choices;
mod entity;
pub mod model;
pub mod networks;
pub mod profiles;
pub mod publisher;
mod routes;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_connections))
        .routes(routes!(routes::connect_bluesky))
        .routes(routes!(routes::authorize))
        .routes(routes!(routes::complete_authorization))
        .routes(routes!(routes::choose_accounts))
        .routes(routes!(routes::get_connection, routes::delete_connection))
}
