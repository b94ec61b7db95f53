//! Queue slots: each connected account's weekly posting slots, and its queue, which fills the
//! next free slot with an accepted post (as a one-off schedule the scheduler publishes) and
//! reorders queued posts between slots. Entered only through `service`.

mod entity;
pub mod model;
mod routes;
pub mod service;
mod store;
mod weekly;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_slots, routes::replace_slots))
        .routes(routes!(routes::get_queue, routes::add_to_queue))
        .routes(routes!(routes::move_in_queue))
        .routes(routes!(routes::open_slots))
}
