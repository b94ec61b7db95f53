use std::str::FromStr;

use chrono::{DateTime, Utc};
use engine::Channel;
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity;
use crate::{
    jobs::variants::model::Variant,
    sources::model::{Source, SourceInput},
};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

/// A job as [`super::service::insert`] writes it.
pub struct NewJob {
    pub owner_id: Uuid,
    pub name: String,
    pub source: Option<Source>,
    pub channels: Vec<Channel>,
    pub preset_id: Option<Uuid>,
    pub status: JobStatus,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum JobStatus {
    #[sea_orm(string_value = "draft")]
    Draft,
    #[sea_orm(string_value = "queued")]
    Queued,
    #[sea_orm(string_value = "running")]
    Running,
    #[sea_orm(string_value = "needs_review")]
    NeedsReview,
    #[sea_orm(string_value = "done")]
    Done,
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl JobStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 6] =
        [Self::Draft, Self::Queued, Self::Running, Self::NeedsReview, Self::Done, Self::Failed];
}

impl FromStr for JobStatus {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::try_from_value(&value.to_owned()).map_err(|_| {
            format!("unknown status `{value}`; expected draft, queued, running, needs_review, done or failed")
        })
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateJobRequest {
    #[schema(example = "Four-day week announcement")]
    pub name: String,
    /// Omit to save a draft.
    pub source: Option<SourceInput>,
    /// Defaults to the preset's channels, or LinkedIn, X, newsletter and blog.
    #[schema(example = json!(["linkedin", "x", "newsletter", "blog"]), max_items = 16)]
    pub channels: Option<Vec<String>>,
    pub preset_id: Option<Uuid>,
}

/// Fields of a draft to change; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateDraftRequest {
    pub name: Option<String>,
    pub source: Option<SourceInput>,
    #[schema(max_items = 16)]
    pub channels: Option<Vec<String>>,
    pub preset_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Job {
    pub id: Uuid,
    pub name: String,
    pub status: JobStatus,
    pub source: Option<Source>,
    pub channels: Vec<Channel>,
    pub preset_id: Option<Uuid>,
    /// Why the job failed, in words a user can act on.
    pub failure_reason: Option<String>,
    /// Which generator produced the variants (`local` for the built-in engine).
    pub provider: Option<String>,
    /// Why the local engine wrote the variants when a model was configured.
    pub provider_note: Option<String>,
    pub cost_estimate: Option<f64>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<entity::Model> for Job {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            status: model.status,
            source: model.source_payload.map(|payload| payload.0),
            channels: model.channels.0,
            preset_id: model.preset_id,
            failure_reason: model.failure_reason,
            provider: model.provider,
            provider_note: model.provider_note,
            cost_estimate: model.cost_estimate,
            attempts: model.attempts,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// A job with its variants, one per channel once generated.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobDetail {
    #[serde(flatten)]
    pub job: Job,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    /// Only jobs in this status.
    pub status: Option<String>,
    /// Only jobs that asked for this channel (`linkedin`, `x`, `newsletter`, `blog`).
    pub channel: Option<String>,
    /// Only jobs whose name contains this text (case-insensitive).
    pub q: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JobPage {
    pub items: Vec<Job>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A job as the KPIs count it.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub id: Uuid,
    pub status: JobStatus,
    pub provider: Option<String>,
    pub created_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (JobStatus::Draft, "draft".to_owned()),
            (JobStatus::Queued, "queued".to_owned()),
            (JobStatus::Running, "running".to_owned()),
            (JobStatus::NeedsReview, "needs_review".to_owned()),
            (JobStatus::Done, "done".to_owned()),
            (JobStatus::Failed, "failed".to_owned()),
        ]);
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in [
            JobStatus::Draft,
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::NeedsReview,
            JobStatus::Done,
            JobStatus::Failed,
        ] {
            assert_eq!(status.to_value().parse::<JobStatus>().unwrap(), status);
            assert_eq!(serde_json::to_value(status).unwrap(), status.to_value());
        }
        assert!("paused".parse::<JobStatus>().is_err());
    }
}
