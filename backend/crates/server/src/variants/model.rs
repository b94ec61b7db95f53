use chrono::{DateTime, Utc};
use sea_orm::FromQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::raw_json::RawJson;

pub const MAX_CONTENT_CHARS: usize = 100_000;

/// One channel's generated post.
// `FromQueryResult`: the job detail decodes it straight from its row.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromQueryResult)]
pub struct Variant {
    pub id: Uuid,
    pub job_id: Uuid,
    /// `linkedin`, `x`, `newsletter` or `blog`.
    pub channel: String,
    pub content: String,
    /// Channel details: hashtags, parts, title/subject, counts, lint findings, grounding spans.
    #[schema(value_type = Object)]
    pub metadata: RawJson,
    pub accepted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::Model> for Variant {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            job_id: model.job_id,
            channel: model.channel,
            content: model.content,
            metadata: RawJson::from(&model.metadata),
            accepted: model.accepted,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateVariantRequest {
    /// New text; HTML tags are removed.
    pub content: Option<String>,
    /// Accepting a post with an error is refused (422 with the failing `checks`); one with
    /// warnings needs `publish_anyway`.
    pub accepted: Option<bool>,
    /// Accept despite the post's warnings (never its errors); recorded in the audit log.
    #[serde(default)]
    pub publish_anyway: bool,
}
