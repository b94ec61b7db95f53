use axum::{Json, extract::State};

use super::{
    model::{AuditPage, AuditQuery},
    service,
};
use crate::{
    auth::AdminUser,
    error::{ApiError, Problem},
    extract::ValidQuery,
    state::AppState,
};

/// The audit log, newest first, with keyset pagination (administrators only).
#[utoipa::path(get, path = "/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_audit_events(
    State(state): State<AppState>,
    _admin: AdminUser,
    ValidQuery(query): ValidQuery<AuditQuery>,
) -> Result<Json<AuditPage>, ApiError> {
    Ok(Json(service::list(&state.db, query).await?))
}
