//! Reads the rows the KPIs are computed from; every query is scoped to one owner.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    compute::{ResultRow, Rows, Upcoming},
    model::{UPCOMING_DAYS, Window},
};
use crate::{error::ApiError, jobs, jobs::variants, results, schedules};

pub async fn load(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    window: Window,
    now: DateTime<Utc>,
) -> Result<Rows, ApiError> {
    Ok(Rows {
        jobs: jobs::service::created_between(db, owner_id, window.from, window.to).await?,
        variants: variants::service::of_jobs_created_between(db, owner_id, window.from, window.to).await?,
        runs: schedules::service::ended_runs(db, owner_id, window.from, window.to).await?,
        upcoming: upcoming(db, owner_id, now).await?,
        results: published_results(db, owner_id, window).await?,
    })
}

/// The window's posts published to connected accounts whose counts have been read, with the
/// run's link and the post's channel and first line.
async fn published_results(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    window: Window,
) -> Result<Vec<ResultRow>, ApiError> {
    let rows = results::service::read_between(db, owner_id, window.from, window.to).await?;
    let runs = schedules::service::run_posts(db, rows.iter().map(|row| row.run_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let run = runs.get(&row.run_id)?;
            Some(ResultRow {
                run_id: row.run_id,
                schedule_id: run.schedule_id,
                network: row.network,
                channel: run.post.channel.clone(),
                first_line: run.post.first_line.clone(),
                published_at: row.published_at,
                published_url: run.published_url.clone(),
                results: row.results,
            })
        })
        .collect())
}

/// Occurrences the calendar shows as still to publish in the next 30 days.
async fn upcoming(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Upcoming, ApiError> {
    let calendar = schedules::service::list(db, owner_id, now, now + Duration::days(UPCOMING_DAYS)).await?;
    let pending: Vec<DateTime<Utc>> =
        calendar.occurrences.iter().filter(|o| o.status == "scheduled").map(|o| o.at).collect();
    Ok(Upcoming { count: pending.len() as u64, next_at: pending.into_iter().min() })
}
