//! Schedules: publish an accepted variant once or on an RFC 5545 recurrence in the user's
//! time zone, through a connector, with every run recorded and an iCalendar feed.

mod entity;
pub mod events;
pub mod ical;
mod import;
pub mod model;
pub mod recurrence;
mod routes;
pub mod scheduler;
pub mod service;
mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::list_schedules, routes::create_schedule))
        .routes(routes!(routes::get_schedule, routes::update_schedule, routes::delete_schedule))
        .routes(routes!(routes::list_runs))
        .routes(routes!(routes::create_feed_token, routes::feed_status))
        .routes(routes!(routes::calendar_feed))
        .routes(routes!(routes::import_schedules))
        .routes(routes!(routes::import_template))
}
