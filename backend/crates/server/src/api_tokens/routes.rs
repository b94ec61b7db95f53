use axum::{Json, extract::State, http::StatusCode};
use chrono::Duration;
use uuid::Uuid;

use super::{
    model::{ApiToken, ApiTokenList, CreateTokenRequest, CreatedToken, MAX_TOKENS_PER_USER, TOKEN_PREFIX},
    store,
};
use crate::{
    auth::{
        AuthUser,
        tokens::{hash_opaque_token, new_opaque_token},
    },
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath},
    state::AppState,
};

/// Tokens are managed from a signed-in session, never with another API token.
fn require_session(user: &AuthUser) -> Result<(), ApiError> {
    if user.api_token {
        return Err(ApiError::Forbidden("API tokens cannot manage API tokens; sign in instead.".into()));
    }
    Ok(())
}

/// Creates a personal API token; the response is the only time it is shown.
#[utoipa::path(post, path = "/me/tokens", tag = "users", security(("bearer" = [])), request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedToken),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create_token(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<CreateTokenRequest>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    require_session(&user)?;
    request.validate()?;
    if store::count_for_owner(&state.db, user.id).await? >= MAX_TOKENS_PER_USER {
        return Err(ApiError::Conflict(format!(
            "You already have {MAX_TOKENS_PER_USER} tokens; delete one first."
        )));
    }
    let now = state.clock.now();
    let token = format!("{TOKEN_PREFIX}{}", new_opaque_token());
    let mut scopes = request.scopes.clone();
    scopes.sort_by_key(|scope| *scope as u8);
    scopes.dedup();
    let model = store::new_model(
        user.id,
        request.name.trim().to_owned(),
        hash_opaque_token(&token),
        token.chars().take(TOKEN_PREFIX.len() + 6).collect(),
        scopes,
        now,
        request.expires_in_days.map(|days| now + Duration::days(days)),
    );
    let saved = store::insert(&state.db, model).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { details: saved.into(), token })))
}

/// The caller's API tokens (without their secrets).
#[utoipa::path(get, path = "/me/tokens", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = ApiTokenList),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_tokens(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<ApiTokenList>, ApiError> {
    let items: Vec<ApiToken> =
        store::list_for_owner(&state.db, user.id).await?.into_iter().map(Into::into).collect();
    Ok(Json(ApiTokenList { items }))
}

/// Revokes a token at once.
#[utoipa::path(delete, path = "/me/tokens/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_token(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    require_session(&user)?;
    if store::delete_owned(&state.db, user.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound("API token"))
    }
}
