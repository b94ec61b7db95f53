//! Connectors: where a scheduled post goes when it is due. Every connector implements
//! [`Connector`]; `webhook` POSTs a signed JSON document to the user's URL and `file` writes
//! the post to a local outbox. Publishing to LinkedIn or X directly would be another
//! implementation of the same trait.

pub mod bluesky;
mod entity;
pub mod file;
pub mod linkedin;
pub mod mastodon;
pub mod model;
pub mod network;
pub mod oauth;
mod routes;
pub mod service;
mod store;
pub mod webhook;
mod wire;
pub mod x;

use std::{fmt, future::Future, str::FromStr};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_webhook, routes::put_webhook))
        .routes(routes!(routes::rotate_webhook_secret))
}

/// The connectors a schedule can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum ConnectorKind {
    #[sea_orm(string_value = "webhook")]
    Webhook,
    #[sea_orm(string_value = "file")]
    File,
    /// The connected social account the schedule names (`connection_id`).
    #[sea_orm(string_value = "account")]
    Account,
}

impl FromStr for ConnectorKind {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::try_from_value(&value.to_owned())
            .map_err(|_| format!("unknown connector `{value}`; use `webhook`, `file` or `account`"))
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// What a connector publishes: one occurrence of a schedule.
#[derive(Debug, Clone, Serialize)]
pub struct Publication {
    /// Stable per occurrence, so a receiver can drop a repeated delivery.
    pub idempotency_key: String,
    pub schedule_id: Uuid,
    pub occurrence_at: DateTime<Utc>,
    pub owner_id: Uuid,
    pub variant: PublishedVariant,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishedVariant {
    pub id: Uuid,
    pub job_id: Uuid,
    pub channel: engine::Channel,
    pub content: String,
    pub metadata: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// Worth another attempt later (timeouts, 5xx, 429).
    #[error("{0}")]
    Transient(String),
    /// Worth another attempt, not before `at` (a network's rate-limit reset).
    #[error("{message}")]
    RetryAfter { at: DateTime<Utc>, message: String },
    /// Will fail again (bad URL, 4xx, no webhook set up).
    #[error("{0}")]
    Permanent(String),
}

pub trait Connector {
    /// Delivers `publication`, returning a short description of where it went.
    fn publish(&self, publication: &Publication)
    -> impl Future<Output = Result<String, PublishError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::ConnectorKind;

    #[test]
    fn connectors_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (ConnectorKind::Webhook, "webhook".to_owned()),
            (ConnectorKind::File, "file".to_owned()),
            (ConnectorKind::Account, "account".to_owned()),
        ]);
    }
}
