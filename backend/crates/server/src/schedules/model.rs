use std::fmt;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter, prelude::StringLen};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity::{run, schedule};
use crate::{error::ApiError, redacted::Redacted, results::model::PostResults};

/// A schedule as stored, for the domains that read schedules (they never query the table).
pub use super::entity::schedule::Model as ScheduleRecord;

pub const MAX_SCHEDULES_PER_USER: u64 = 1_000;
/// How many upcoming occurrences a schedule shows.
pub const UPCOMING_SHOWN: usize = 5;
/// The longest calendar window one request may ask for.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// The most dates one schedule may skip.
pub const MAX_EXDATES: usize = 366;
/// How far before or after today a calendar window may reach (about five years).
pub const MAX_CALENDAR_REACH_DAYS: i64 = 1_830;
pub const MAX_OCCURRENCES: usize = 2_000;

/// Lifecycle of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ScheduleStatus {
    /// Publishes its occurrences.
    #[sea_orm(string_value = "active")]
    Active,
    /// Skips occurrences until resumed.
    #[sea_orm(string_value = "paused")]
    Paused,
    /// Has no occurrence left.
    #[sea_orm(string_value = "completed")]
    Completed,
}

/// Lifecycle of one occurrence's publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum RunStatus {
    /// Claimed and being delivered.
    #[sea_orm(string_value = "publishing")]
    Publishing,
    /// An attempt failed; another follows at `next_attempt_at`.
    #[sea_orm(string_value = "retrying")]
    Retrying,
    #[sea_orm(string_value = "published")]
    Published,
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// Schedules an accepted variant once, or on a recurrence.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CreateScheduleRequest {
    pub variant_id: Uuid,
    /// The first (or only) time: wall-clock in `timezone` (`2026-12-01T09:00`) or RFC 3339 with an offset.
    pub run_at: String,
    /// An IANA time zone such as `Europe/Berlin`; recurrences keep its wall-clock time across DST.
    pub timezone: String,
    /// An RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`.
    pub recurrence: Option<String>,
    /// Wall-clock times (in `timezone`) to skip.
    #[serde(default)]
    #[schema(max_items = 366)]
    pub exdates: Vec<String>,
    /// `file` (default), `webhook`, or `account` to publish to the connected account named by
    /// `connection_id` (which may be given alone).
    pub connector: Option<String>,
    /// A connected account (`GET /connections`) whose network suits the post's channel.
    pub connection_id: Option<Uuid>,
}

/// Reschedules, pauses, resumes or retargets. Absent fields stay as they are; `recurrence: null`
/// makes it one-off.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UpdateScheduleRequest {
    pub run_at: Option<String>,
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub recurrence: Option<Option<String>>,
    #[schema(max_items = 366)]
    pub exdates: Option<Vec<String>>,
    /// `file`, `webhook` or `account`; moving off `account` forgets the connected account.
    pub connector: Option<String>,
    /// Another connected account of the post's network (`GET /connections`), checked as on
    /// create; given alone it switches the schedule to the `account` connector.
    pub connection_id: Option<Uuid>,
    /// `active` (resume) or `paused`.
    pub status: Option<ScheduleStatus>,
}

/// Tells "absent" from "null" for a nullable field.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Schedule {
    pub id: Uuid,
    pub variant_id: Uuid,
    /// The variant's channel.
    pub channel: String,
    /// The post's first line (up to 80 characters), so nobody schedules a post twice unawares.
    pub first_line: String,
    pub connector: crate::connectors::ConnectorKind,
    /// The connected account the post goes to, for connector `account`.
    pub connection_id: Option<Uuid>,
    pub run_at: DateTime<Utc>,
    pub timezone: String,
    pub recurrence: Option<String>,
    pub exdates: Vec<String>,
    pub status: ScheduleStatus,
    pub next_run_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    /// The next few occurrences.
    pub upcoming: Vec<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Schedule {
    /// `201 Created` with the schedule's URL in `Location`: the answer of every route that
    /// makes a schedule.
    pub fn into_created_response(self) -> Result<Response, ApiError> {
        let location =
            HeaderValue::from_str(&format!("/schedule/{}", self.id)).map_err(anyhow::Error::from)?;
        Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(self)).into_response())
    }

    pub fn new(model: schedule::Model, post: PostPreview, upcoming: Vec<DateTime<Utc>>) -> Self {
        Self {
            id: model.id,
            variant_id: model.variant_id,
            channel: post.channel,
            first_line: post.first_line,
            connector: model.connector,
            connection_id: model.connection_id,
            run_at: model.run_at,
            timezone: model.timezone,
            recurrence: model.recurrence,
            exdates: model.exdates.0,
            status: model.status,
            next_run_at: model.next_run_at,
            last_run_at: model.last_run_at,
            upcoming,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// The post a schedule publishes, as the calendar shows it: its channel and first line.
#[derive(Debug, Clone, Default)]
pub struct PostPreview {
    pub channel: String,
    pub first_line: String,
}

/// How many characters of a post's first line the calendar shows.
const PREVIEW_CHARS: usize = 80;

impl PostPreview {
    pub fn of(variant: Option<&crate::jobs::variants::model::VariantRecord>) -> Self {
        let Some(variant) = variant else { return Self::default() };
        let line = variant
            .content
            .lines()
            .map(|line| line.trim().trim_start_matches('#').trim())
            .find(|line| !line.is_empty())
            .unwrap_or_default();
        let first_line = match line.char_indices().nth(PREVIEW_CHARS) {
            Some((cut, _)) => format!("{}…", line[..cut].trim_end()),
            None => line.to_owned(),
        };
        Self { channel: variant.channel.to_string(), first_line }
    }
}

/// One post on the calendar: published or failed (from its run) or still to come.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Occurrence {
    pub schedule_id: Uuid,
    pub variant_id: Uuid,
    pub channel: String,
    /// The post's first line (up to 80 characters).
    pub first_line: String,
    pub at: DateTime<Utc>,
    /// `at` as wall-clock time in the schedule's zone.
    pub local_time: String,
    pub timezone: String,
    /// `scheduled`, `paused`, or the run's status.
    pub status: String,
    pub late: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleList {
    pub items: Vec<Schedule>,
    /// Occurrences in `[from, to)`, oldest first.
    pub occurrences: Vec<Occurrence>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// RFC 3339; default now.
    pub from: Option<String>,
    /// RFC 3339; default 31 days after `from`.
    pub to: Option<String>,
}

/// One attempt to deliver an occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attempt {
    pub at: DateTime<Utc>,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleRun {
    pub id: Uuid,
    pub schedule_id: Uuid,
    pub occurrence_at: DateTime<Utc>,
    pub status: RunStatus,
    pub attempts: i32,
    /// Published more than the allowed delay after its time (e.g. after downtime).
    pub late: bool,
    /// Earlier occurrences skipped because they were missed while the scheduler was down.
    pub missed: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub attempt_log: Vec<Attempt>,
    pub published_at: Option<DateTime<Utc>>,
    /// Where people see the published post (a connected account's post, or a thread's first
    /// part).
    pub published_url: Option<String>,
    /// The post's public counts, for a post published to a connected account once they have
    /// been read (an hour after publishing, then at growing intervals for a week).
    pub results: Option<PostResults>,
    pub created_at: DateTime<Utc>,
}

impl ScheduleRun {
    pub fn new(model: run::Model, results: Option<PostResults>) -> Self {
        Self {
            id: model.id,
            schedule_id: model.schedule_id,
            occurrence_at: model.occurrence_at,
            status: model.status,
            attempts: model.attempts,
            late: model.late,
            missed: model.missed,
            next_attempt_at: model.next_attempt_at,
            last_error: model.last_error,
            attempt_log: model.attempt_log.0,
            published_at: model.published_at,
            published_url: model.published_url,
            results,
            created_at: model.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleRunList {
    pub items: Vec<ScheduleRun>,
}

/// A secret calendar-feed link; only shown when created.
#[derive(Serialize, ToSchema)]
pub struct FeedToken {
    pub token: String,
    /// Subscribe to this URL in a calendar app.
    pub url: String,
}

/// Hides the URL too: it holds the token.
impl fmt::Debug for FeedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FeedToken").field("token", &Redacted).field("url", &Redacted).finish()
    }
}

/// That the caller has a calendar-feed link, without the link itself (it is only shown when
/// created): every device can tell that replacing it would break a subscription in use.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedStatus {
    pub created_at: DateTime<Utc>,
    /// When a calendar app last fetched the feed; `null` until one does.
    pub last_fetched_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The feed token from `POST /schedule/feed-token`.
    #[param(value_type = String)]
    pub token: SecretString,
}

/// The outcome of a CSV import: every row with a date scheduled.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    /// Rows naming a post but no date (`run_at` empty), left out.
    pub skipped: usize,
    pub items: Vec<Schedule>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// The time zone to fill in, e.g. `Europe/Berlin`; default UTC.
    pub timezone: Option<String>,
}

#[cfg(test)]
mod preview_tests {
    use super::PostPreview;

    fn variant(content: &str) -> crate::jobs::variants::model::VariantRecord {
        let now = chrono::Utc::now();
        crate::jobs::variants::model::VariantRecord {
            id: uuid::Uuid::nil(),
            job_id: uuid::Uuid::nil(),
            channel: engine::Channel::Blog,
            content: content.into(),
            metadata: serde_json::json!({}),
            accepted: true,
            created_at: now,
            updated_at: now,
            accepted_at: None,
            current_version: 1,
            accepted_version: Some(1),
        }
    }

    #[test]
    fn a_preview_is_the_first_line_without_markup_and_cut_at_eighty_characters() {
        let blog = PostPreview::of(Some(&variant("\n# Rye & Crumb moves to a four-day week\n\nBody.")));
        assert_eq!(
            (blog.channel.as_str(), blog.first_line.as_str()),
            ("blog", "Rye & Crumb moves to a four-day week")
        );
        let long = PostPreview::of(Some(&variant(&"word ".repeat(40))));
        assert!(
            long.first_line.ends_with('…') && long.first_line.chars().count() <= 81,
            "{}",
            long.first_line
        );
        assert_eq!(PostPreview::of(None).first_line, "");
    }
}

/// What a run published: its schedule, link and post.
#[derive(Debug, Clone)]
pub struct RunPost {
    pub schedule_id: Uuid,
    pub published_url: Option<String>,
    pub post: PostPreview,
}

/// A publication that ended (published or failed), as the KPIs count it.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub published: bool,
    pub late: bool,
    pub ended_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (ScheduleStatus::Active, "active".to_owned()),
            (ScheduleStatus::Paused, "paused".to_owned()),
            (ScheduleStatus::Completed, "completed".to_owned()),
        ]);
        crate::db::assert_stored_as(&[
            (RunStatus::Publishing, "publishing".to_owned()),
            (RunStatus::Retrying, "retrying".to_owned()),
            (RunStatus::Published, "published".to_owned()),
            (RunStatus::Failed, "failed".to_owned()),
        ]);
    }

    #[test]
    fn debug_hides_the_feed_token() {
        let created = FeedToken {
            token: "feed-1234".into(), // pragma: allowlist secret
            url: "https://api.example.com/schedule.ics?token=feed-1234".into(), // pragma: allowlist secret
        };
        let printed = format!("{created:?}");
        assert!(!printed.contains("feed-1234"), "{printed}");
        let query = FeedQuery { token: "feed-1234".into() }; // pragma: allowlist secret
        let printed = format!("{query:?}");
        assert!(!printed.contains("feed-1234"), "{printed}");
    }
}
