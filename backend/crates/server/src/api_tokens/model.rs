use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::{
    error::{ApiError, FieldError},
    redacted::Redacted,
};

pub const MAX_TOKENS_PER_USER: u64 = 20;
/// `read` and `write`, each at most twice.
const MAX_SCOPES: usize = 4;
pub const MAX_LIFETIME_DAYS: i64 = 366;
/// Every API token starts with this, so the server (and secret scanners) can recognise one.
pub const TOKEN_PREFIX: &str = "kyr_";

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// GET requests only.
    Read,
    /// Everything the account can do, except managing tokens and admin routes.
    Write,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    /// What the token is for, e.g. "Nightly export".
    pub name: String,
    #[schema(min_items = 1, max_items = 4)]
    pub scopes: Vec<Scope>,
    /// Days until the token stops working; none means it lasts until deleted.
    pub expires_in_days: Option<i64>,
}

impl CreateTokenRequest {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError::new("name", "must be 1 to 100 characters"));
        }
        if self.scopes.is_empty() || self.scopes.len() > MAX_SCOPES {
            errors.push(FieldError::new(
                "scopes",
                format!("must name one to {MAX_SCOPES} scopes: `read` or `write`"),
            ));
        }
        if self.expires_in_days.is_some_and(|days| !(1..=MAX_LIFETIME_DAYS).contains(&days)) {
            errors.push(FieldError::new(
                "expires_in_days",
                format!("must be between 1 and {MAX_LIFETIME_DAYS}"),
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(ApiError::Validation(errors)) }
    }
}

/// A token as listed: never the secret itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// The token's first characters.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<entity::Model> for ApiToken {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            scopes: model.scopes.0,
            prefix: model.prefix,
            created_at: model.created_at,
            expires_at: model.expires_at,
            last_used_at: model.last_used_at,
        }
    }
}

/// A new token: `token` is shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub details: ApiToken,
    /// Send as `Authorization: Bearer <token>`; it cannot be shown again.
    pub token: String,
}

impl fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedToken").field("details", &self.details).field("token", &Redacted).finish()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenList {
    pub items: Vec<ApiToken>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_created_token() {
        let created = CreatedToken {
            details: ApiToken {
                id: Uuid::now_v7(),
                name: "deploy script".into(),
                scopes: vec![Scope::Read],
                prefix: "kyr_ab12".into(),
                created_at: Utc::now(),
                expires_at: None,
                last_used_at: None,
            },
            token: "kyr_ab12cd34ef56".into(), // pragma: allowlist secret
        };
        let printed = format!("{created:?}");
        assert!(printed.contains("deploy script"), "{printed}");
        assert!(!printed.contains("cd34ef56"), "{printed}");
    }
}
