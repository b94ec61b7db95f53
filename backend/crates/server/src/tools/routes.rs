use axum::{Json, extract::State};

use super::{
    model::{Tool, ToolList, UpdateToolRequest},
    service,
};
use crate::{
    auth::{AdminUser, AuthUser},
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    state::AppState,
};

/// The providers and connectors, whether each is enabled, and whether the server is set up
/// for it (e.g. `openai` needs `OPENAI_API_KEY`).
#[utoipa::path(get, path = "/tools", tag = "tools", security(("bearer" = [])),
    responses((status = 200, body = ToolList),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_tools(State(state): State<AppState>, _user: AuthUser) -> Result<Json<ToolList>, ApiError> {
    Ok(Json(service::list(&state).await?))
}

/// Enables or disables a tool and/or replaces its config (administrators only). New jobs
/// and schedules follow the change at once.
#[utoipa::path(put, path = "/tools/{key}", tag = "tools", security(("bearer" = [])), request_body = UpdateToolRequest,
    params(("key" = String, Path, description = "`local`, `openai`, `webhook`, `file` or `accounts`")),
    responses((status = 200, body = Tool),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown tool", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid config", body = Problem, content_type = "application/problem+json")))]
pub async fn update_tool(
    State(state): State<AppState>,
    admin: AdminUser,
    ValidPath(key): ValidPath<String>,
    ValidJson(request): ValidJson<UpdateToolRequest>,
) -> Result<Json<Tool>, ApiError> {
    Ok(Json(service::update(&state, admin, &key, request).await?))
}
