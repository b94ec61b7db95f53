use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::entity;
use crate::redacted::Redacted;

/// Where `webhook` posts go.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// An http(s) URL outside private networks.
    pub url: String,
}

/// The caller's webhook. Verify deliveries with `secret`: `Kyros-Signature: t=<unix>,v1=<hex>`
/// is HMAC-SHA256 over `"<t>.<raw body>"`.
#[derive(Serialize, ToSchema)]
pub struct WebhookSettings {
    pub url: String,
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("url", &self.url)
            .field("secret", &Redacted)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let now = Utc::now();
        let settings = WebhookSettings {
            url: "https://example.com/hook".into(),
            secret: "whsec-1234".into(), // pragma: allowlist secret
            created_at: now,
            updated_at: now,
        };
        let printed = format!("{settings:?}");
        assert!(printed.contains("https://example.com/hook"), "{printed}");
        assert!(!printed.contains("whsec-1234"), "{printed}");
    }
}
