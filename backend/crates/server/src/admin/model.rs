use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    error::ApiError,
    users::model::{Role, User},
};

pub const MAX_QUERY_CHARS: usize = 320;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// Only users whose email contains this text (case-insensitive).
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

/// An account as administrators see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ManagedUser {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// How many jobs the user has (drafts included).
    pub jobs: u64,
}

impl ManagedUser {
    pub fn new(user: User, jobs: u64) -> Self {
        Self { id: user.id, email: user.email, role: user.role, created_at: user.created_at, jobs }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct UserPage {
    /// Newest accounts first.
    pub items: Vec<ManagedUser>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRoleRequest {
    #[schema(value_type = Role)]
    pub role: String,
}

impl ChangeRoleRequest {
    pub fn parse(&self) -> Result<Role, ApiError> {
        self.role.trim().parse().map_err(|_| ApiError::field("role", "must be `user` or `admin`"))
    }
}
