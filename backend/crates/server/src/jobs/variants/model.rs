use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter, FromQueryResult, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::raw_json::RawJson;

/// A variant as stored, for the domains that read variants (they never query the table).
pub use super::entity::Model as VariantRecord;

pub const MAX_CONTENT_CHARS: usize = 100_000;

/// One channel's generated post.
// `FromQueryResult`: the job detail decodes it straight from its row.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, FromQueryResult)]
pub struct Variant {
    pub id: Uuid,
    pub job_id: Uuid,
    pub channel: engine::Channel,
    pub content: String,
    /// Channel details: hashtags, parts, title/subject, counts, lint findings, grounding spans.
    // Served as stored: the engine wrote it from this type.
    #[schema(value_type = engine::VariantMetadata)]
    pub metadata: RawJson,
    /// Whether the current version is the one the user accepted.
    pub accepted: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The version whose text `content` is (see `GET /variants/{id}/versions`).
    pub current_version: i32,
    /// The version the user accepted, if any; restoring it makes the variant accepted again.
    pub accepted_version: Option<i32>,
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
            current_version: model.current_version,
            accepted_version: model.accepted_version,
        }
    }
}

/// How a version of a variant came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum VersionOrigin {
    /// Written when the job was processed.
    #[sea_orm(string_value = "generated")]
    Generated,
    /// Written by the user.
    #[sea_orm(string_value = "edited")]
    Edited,
    /// An alternative asked for with "Try another".
    #[sea_orm(string_value = "regenerated")]
    Regenerated,
}

/// One version of a variant's text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VariantVersion {
    pub number: i32,
    pub content: String,
    /// Channel details of this version, as on the variant.
    #[schema(value_type = engine::VariantMetadata)]
    pub metadata: RawJson,
    pub origin: VersionOrigin,
    /// Who made it; `null` for the first generation.
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// Whether the variant shows this version now.
    pub current: bool,
    /// Whether this is the version the user accepted.
    pub accepted: bool,
}

impl VariantVersion {
    pub fn new(model: super::version_entity::Model, variant: &entity::Model) -> Self {
        Self {
            current: model.number == variant.current_version,
            accepted: variant.accepted_version == Some(model.number),
            number: model.number,
            metadata: RawJson::from(&model.metadata),
            content: model.content,
            origin: model.origin,
            author_id: model.author_id,
            created_at: model.created_at,
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

/// An accepted post, as the import template lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedPost {
    pub variant_id: Uuid,
    pub channel: engine::Channel,
    pub job_id: Uuid,
    pub job_name: String,
}

/// A variant as the KPIs count it.
#[derive(Debug, Clone)]
pub struct VariantRow {
    pub job_id: Uuid,
    pub channel: engine::Channel,
    pub accepted: bool,
    pub accepted_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (VersionOrigin::Generated, "generated".to_owned()),
            (VersionOrigin::Edited, "edited".to_owned()),
            (VersionOrigin::Regenerated, "regenerated".to_owned()),
        ]);
    }
}
