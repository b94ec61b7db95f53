use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::entity;

/// Where `webhook` posts go.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// An http(s) URL outside private networks.
    pub url: String,
}

/// The caller's webhook. Verify deliveries with `secret`: `Kyros-Signature: t=<unix>,v1=<hex>`
/// is HMAC-SHA256 over `"<t>.<raw body>"`.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookSettings {
    pub url: String,
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::Model> for WebhookSettings {
    fn from(model: entity::Model) -> Self {
        Self {
            url: model.url,
            secret: model.secret,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}
