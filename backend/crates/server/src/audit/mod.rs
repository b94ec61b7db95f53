//! The audit log: an append-only record of sign-ins, privilege changes and the actions
//! that matter (jobs created, variants accepted and exported, posts scheduled and
//! published, tools changed). Other modules call [`record`] inside their own transaction,
//! or [`record_or_log`] right after a change; administrators read it at `GET /admin/audit`.

mod entity;
pub mod model;
mod routes;
mod service;
mod store;

pub use model::{AuditEvent, AuditKind};
pub use service::{record, record_or_log};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::list_audit_events))
}
