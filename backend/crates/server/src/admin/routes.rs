use axum::{Json, extract::State};
use uuid::Uuid;

use super::{
    model::{ChangeRoleRequest, UserListQuery, UserPage},
    service::{self, RoleChanger},
};
use crate::{
    auth::AdminUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath, ValidQuery},
    state::AppState,
    users::model::User,
};

/// Every account, newest first, with its number of jobs (administrators only).
#[utoipa::path(get, path = "/admin/users", tag = "admin", security(("bearer" = [])), params(UserListQuery),
    responses((status = 200, body = UserPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: AdminUser,
    ValidQuery(query): ValidQuery<UserListQuery>,
) -> Result<Json<UserPage>, ApiError> {
    Ok(Json(service::list_users(&state.db, query).await?))
}

/// Makes a user an administrator or takes the role away (administrators only); audited.
#[utoipa::path(patch, path = "/admin/users/{id}", tag = "admin", security(("bearer" = [])), request_body = ChangeRoleRequest,
    params(("id" = Uuid, Path, description = "User id")),
    responses((status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "That would leave no administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown role", body = Problem, content_type = "application/problem+json")))]
pub async fn change_role(
    State(state): State<AppState>,
    admin: AdminUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<ChangeRoleRequest>,
) -> Result<Json<User>, ApiError> {
    let role = request.parse()?;
    Ok(Json(
        service::change_role(&state.db, state.clock.as_ref(), RoleChanger::Admin(admin.id), id, role).await?,
    ))
}
