//! `AuthUser`: the caller, proven by a bearer access token.

use axum::{extract::FromRequestParts, http::request::Parts};
use uuid::Uuid;

use crate::{error::ApiError, state::AppState, users::model::Role};

#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: Uuid,
    pub role: Role,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or(ApiError::Unauthorized("Send `Authorization: Bearer <access token>`."))?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or(ApiError::Unauthorized("The Authorization header must use the Bearer scheme."))?;
        let claims = state
            .tokens
            .verify_access(token.trim())
            .map_err(|_| ApiError::Unauthorized("The access token is invalid or expired."))?;
        // Every log line of this request now names the user.
        tracing::Span::current().record("user_id", tracing::field::display(claims.sub));
        Ok(Self { id: claims.sub, role: claims.role })
    }
}
