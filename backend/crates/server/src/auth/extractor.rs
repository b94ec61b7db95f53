//! `AuthUser`: the caller, proven by a bearer access token or a personal API token;
//! `AdminUser`: a caller who is an administrator right now.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, request::Parts},
};
use uuid::Uuid;

use crate::{
    api_tokens::{
        self,
        model::{Scope, TOKEN_PREFIX},
    },
    auth::tokens::{hash_opaque_token, verify_access},
    error::ApiError,
    rate_limit,
    state::AppState,
    users::{self, model::Role},
};

const GONE: ApiError = ApiError::Unauthorized("The account behind this token no longer exists.");

/// Seconds between updates of an API token's `last_used_at`, so busy scripts cost no writes.
const TOKEN_TOUCH_INTERVAL_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
    /// Signed in with a personal API token rather than a session.
    pub api_token: bool,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // The rate limiter authenticates the requests it keys by user and leaves the result here.
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(*user);
        }
        authenticate(&parts.headers, &parts.method, state).await
    }
}

/// The rate limiter keys the API limit by the signed-in caller and leaves it for the extractor.
impl rate_limit::Caller for AuthUser {
    async fn signed_in(headers: &HeaderMap, method: &Method, state: &AppState) -> Option<Self> {
        // Anonymous, or a credential authentication refuses (it answers for itself later).
        authenticate(headers, method, state).await.ok()
    }

    fn user_id(&self) -> Uuid {
        self.id
    }
}

/// The caller a request's bearer credential proves: a session's access token or a personal API
/// token whose scopes allow `method`.
pub async fn authenticate(
    headers: &HeaderMap,
    method: &Method,
    state: &AppState,
) -> Result<AuthUser, ApiError> {
    if !headers.contains_key(axum::http::header::AUTHORIZATION) {
        return Err(ApiError::Unauthorized("Send `Authorization: Bearer <access token>`."));
    }
    let token = bearer_token(headers)
        .ok_or(ApiError::Unauthorized("The Authorization header must use the Bearer scheme."))?;
    let user = if token.starts_with(TOKEN_PREFIX) {
        api_token_user(token, method, state).await?
    } else {
        let claims = verify_access(&state.tokens, token)
            .map_err(|_| ApiError::Unauthorized("The access token is invalid or expired."))?;
        if !state.known_accounts.is_fresh(claims.sub) {
            users::service::find_by_id(&state.db, claims.sub).await?.ok_or(GONE)?;
            state.known_accounts.confirm(claims.sub);
        }
        AuthUser { id: claims.sub, role: claims.role, api_token: false }
    };
    // Every log line of this request now names the user.
    tracing::Span::current().record("user_id", tracing::field::display(user.id));
    crate::error_reporting::set_user(user.id);
    Ok(user)
}

/// The credential of an `Authorization: Bearer …` header, if the request has one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    Some(value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim())
}

async fn api_token_user(token: &str, method: &Method, state: &AppState) -> Result<AuthUser, ApiError> {
    const UNKNOWN: ApiError = ApiError::Unauthorized("The API token is unknown, revoked or expired.");
    let now = state.clock.now();
    let (stored, owner_id) =
        api_tokens::service::find_by_hash(&state.db, &hash_opaque_token(token)).await?.ok_or(UNKNOWN)?;
    let owner = users::service::find_by_id(&state.db, owner_id).await?.ok_or(UNKNOWN)?;
    if stored.expires_at.is_some_and(|expires_at| expires_at <= now) {
        return Err(UNKNOWN);
    }
    let scopes = &stored.scopes;
    let reads_only = matches!(*method, Method::GET | Method::HEAD);
    if !(scopes.contains(&Scope::Write) || (reads_only && scopes.contains(&Scope::Read))) {
        return Err(ApiError::Forbidden("This API token's scopes do not allow this request.".into()));
    }
    if stored.last_used_at.is_none_or(|used| (now - used).num_seconds() >= TOKEN_TOUCH_INTERVAL_SECONDS) {
        api_tokens::service::touch(&state.db, stored.id, now).await?;
    }
    Ok(AuthUser { id: owner.id, role: owner.role, api_token: true })
}

/// A signed-in administrator. The role is read from the database on every request (not
/// from the token's claim), so a demoted admin loses access at once. API tokens never
/// reach admin routes.
#[derive(Debug, Clone, Copy)]
pub struct AdminUser {
    pub id: Uuid,
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.api_token {
            return Err(ApiError::Forbidden("API tokens cannot use admin routes; sign in instead.".into()));
        }
        let account = users::service::find_by_id(&state.db, user.id).await?.ok_or(GONE)?;
        if account.role != Role::Admin {
            return Err(ApiError::Forbidden("Only administrators may do this.".into()));
        }
        Ok(Self { id: user.id })
    }
}
