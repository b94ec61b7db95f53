//! Administration: the accounts list and role changes (`/admin/users`). Admin routes take
//! the [`crate::auth::AdminUser`] extractor; the audit log (`/admin/audit`) lives in
//! `audit`, the tools switches (`/tools`) in `tools`.

pub mod model;
mod routes;
pub mod service;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::list_users)).routes(routes!(routes::change_role))
}
