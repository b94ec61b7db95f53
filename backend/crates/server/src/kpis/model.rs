use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use uuid::Uuid;

use crate::{
    connectors::network::Network, error::ApiError, extract::parse_instant, results::model::PostResults,
};

/// The default window: the last 30 days.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;
/// The longest window one request may ask for.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// How far ahead scheduled posts count as upcoming.
pub const UPCOMING_DAYS: i64 = 30;
/// How many of the period's best posts the dashboard lists.
pub const TOP_POSTS: usize = 5;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// Start of the window (RFC 3339); defaults to 30 days before `to`.
    pub from: Option<String>,
    /// End of the window, exclusive (RFC 3339); defaults to now.
    pub to: Option<String>,
}

/// The half-open period `[from, to)` the figures describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    pub fn parse(query: &KpiQuery, now: DateTime<Utc>) -> Result<Self, ApiError> {
        let to = query.to.as_deref().map(|value| parse_instant("to", value)).transpose()?.unwrap_or(now);
        let from = query
            .from
            .as_deref()
            .map(|value| parse_instant("from", value))
            .transpose()?
            .unwrap_or(to - Duration::days(DEFAULT_WINDOW_DAYS));
        if to <= from {
            return Err(ApiError::field("to", "must be after `from`"));
        }
        if to - from > Duration::days(MAX_WINDOW_DAYS) {
            return Err(ApiError::field(
                "from",
                format!("must be at most {MAX_WINDOW_DAYS} days before `to`"),
            ));
        }
        Ok(Self { from, to })
    }
}

/// The dashboard's figures for one window. Jobs are the ones created in the window; their
/// variants, review and acceptance times follow them. Posts are counted when they happened.
#[derive(Debug, Serialize, ToSchema)]
pub struct Kpis {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub jobs: JobKpis,
    pub variants: VariantKpis,
    /// Median seconds from a job's creation until its variants were ready for review.
    pub median_seconds_to_review: Option<f64>,
    /// Median seconds from a job's creation until each of its variants was accepted.
    pub median_seconds_to_accept: Option<f64>,
    pub posts: PostKpis,
    /// Jobs written by each provider (`local` engine or `openai`).
    pub generations_by_provider: Vec<ProviderCount>,
    /// One entry per UTC day of the window, oldest first.
    pub daily: Vec<DailyKpis>,
    /// How the posts published to connected accounts in the window are doing.
    pub results: ResultKpis,
}

/// The public counts of the window's posts published to connected accounts, as last read
/// (each post's latest counts; a week after publishing they are final).
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ResultKpis {
    /// Posts whose counts have been read at least once.
    pub posts: u64,
    /// Totals per network, in the product's order; networks without such posts left out.
    pub by_network: Vec<NetworkResults>,
    /// The posts people engaged with most (likes, reposts and replies together), at most five.
    pub top_posts: Vec<TopPost>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkResults {
    pub network: Network,
    pub posts: u64,
    pub likes: u64,
    pub reposts: u64,
    pub replies: u64,
    /// Views, summed over the posts whose network counts them; `null` when none does.
    pub impressions: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopPost {
    pub run_id: Uuid,
    pub schedule_id: Uuid,
    pub network: Network,
    /// The variant's channel.
    pub channel: String,
    /// The post's first line (up to 80 characters).
    pub first_line: String,
    pub published_at: DateTime<Utc>,
    /// Where people see the post.
    pub published_url: Option<String>,
    /// Likes, reposts and replies together.
    pub engagements: u64,
    pub results: PostResults,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct JobKpis {
    pub total: u64,
    pub draft: u64,
    pub queued: u64,
    pub running: u64,
    pub needs_review: u64,
    pub done: u64,
    pub failed: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VariantKpis {
    pub generated: u64,
    pub accepted: u64,
    /// Accepted ÷ generated, `None` when nothing was generated.
    pub acceptance_rate: Option<f64>,
    pub by_channel: Vec<ChannelKpis>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelKpis {
    pub channel: String,
    pub generated: u64,
    pub accepted: u64,
    pub acceptance_rate: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PostKpis {
    /// Occurrences published in the window.
    pub published: u64,
    /// Of those, published later than the scheduler's lateness threshold.
    pub published_late: u64,
    /// Occurrences that failed for good in the window.
    pub failed: u64,
    /// Occurrences still to publish in the next 30 days from now.
    pub upcoming: u64,
    /// The next one, if any.
    pub next_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderCount {
    pub provider: String,
    pub jobs: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DailyKpis {
    pub date: NaiveDate,
    pub jobs_created: u64,
    pub variants_accepted: u64,
    pub posts_published: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: Option<&str>, to: Option<&str>) -> KpiQuery {
        KpiQuery { from: from.map(str::to_owned), to: to.map(str::to_owned) }
    }

    #[test]
    fn the_default_window_is_the_last_thirty_days() {
        let now = "2026-12-01T12:00:00Z".parse().unwrap();
        let window = Window::parse(&query(None, None), now).unwrap();
        assert_eq!(window.to, now);
        assert_eq!(window.from, now - Duration::days(30));
    }

    #[test]
    fn bad_windows_name_the_field() {
        let now = Utc::now();
        let messages = |q: KpiQuery| match Window::parse(&q, now) {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(messages(query(Some("yesterday"), None)), ["from"]);
        assert_eq!(messages(query(Some("2026-12-02T00:00:00Z"), Some("2026-12-01T00:00:00Z"))), ["to"]);
        assert_eq!(messages(query(Some("2024-01-01T00:00:00Z"), Some("2026-01-01T00:00:00Z"))), ["from"]);
    }
}
