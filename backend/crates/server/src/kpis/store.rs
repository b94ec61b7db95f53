//! Reads the rows the KPIs are computed from; every query is scoped to one owner.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{
    compute::{JobRow, ResultRow, Rows, RunRow, Upcoming, VariantRow},
    model::{UPCOMING_DAYS, Window},
};
use crate::{
    error::ApiError,
    jobs::{entity as job, model::JobStatus},
    results::{self, model::PostResults},
    schedules::{
        self,
        entity::{run, schedule},
        model::{PostPreview, RunStatus},
    },
    variants::entity as variant,
};

pub async fn load(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    window: Window,
    now: DateTime<Utc>,
) -> Result<Rows, ApiError> {
    let jobs = job::Entity::find()
        .select_only()
        .columns([
            job::Column::Id,
            job::Column::Status,
            job::Column::Provider,
            job::Column::CreatedAt,
            job::Column::ReadyAt,
        ])
        .filter(job::Column::OwnerId.eq(owner_id))
        .filter(job::Column::CreatedAt.gte(window.from))
        .filter(job::Column::CreatedAt.lt(window.to))
        .into_tuple::<(Uuid, JobStatus, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, status, provider, created_at, ready_at)| JobRow {
            id,
            status,
            provider,
            created_at,
            ready_at,
        })
        .collect();
    let cohort = Query::select()
        .column(job::Column::Id)
        .from(job::Entity)
        .and_where(job::Column::OwnerId.eq(owner_id))
        .and_where(job::Column::CreatedAt.gte(window.from))
        .and_where(job::Column::CreatedAt.lt(window.to))
        .to_owned();
    let variants = variant::Entity::find()
        .select_only()
        .columns([
            variant::Column::JobId,
            variant::Column::Channel,
            variant::Column::Accepted,
            variant::Column::AcceptedAt,
        ])
        .filter(Expr::col(variant::Column::JobId).in_subquery(cohort))
        .into_tuple::<(Uuid, String, bool, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(job_id, channel, accepted, accepted_at)| VariantRow { job_id, channel, accepted, accepted_at })
        .collect();
    Ok(Rows {
        jobs,
        variants,
        runs: ended_runs(db, owner_id, window).await?,
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
    let rows = results::store::read_between(db, owner_id, window.from, window.to).await?;
    let runs: HashMap<Uuid, run::Model> = run::Entity::find()
        .filter(run::Column::Id.is_in(rows.iter().map(|row| row.run_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|run| (run.id, run))
        .collect();
    let variant_of: HashMap<Uuid, Uuid> = schedule::Entity::find()
        .select_only()
        .columns([schedule::Column::Id, schedule::Column::VariantId])
        .filter(schedule::Column::Id.is_in(runs.values().map(|run| run.schedule_id)))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let variants = schedules::service::variants_by_id(db, variant_of.values().copied()).await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let run = runs.get(&row.run_id)?;
            let post = PostPreview::of(variant_of.get(&run.schedule_id).and_then(|id| variants.get(id)));
            Some(ResultRow {
                run_id: row.run_id,
                schedule_id: run.schedule_id,
                network: row.network,
                channel: post.channel,
                first_line: post.first_line,
                published_at: row.published_at,
                published_url: run.published_url.clone(),
                results: PostResults::of(row)?,
            })
        })
        .collect())
}

/// Publications that ended in the window: published ones by when they went out, failed ones
/// by their last attempt.
async fn ended_runs(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    window: Window,
) -> Result<Vec<RunRow>, ApiError> {
    let published = run::Entity::find()
        .filter(run::Column::OwnerId.eq(owner_id))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .filter(run::Column::PublishedAt.gte(window.from))
        .filter(run::Column::PublishedAt.lt(window.to))
        .all(db)
        .await?;
    let failed = run::Entity::find()
        .filter(run::Column::OwnerId.eq(owner_id))
        .filter(run::Column::Status.eq(RunStatus::Failed))
        .filter(run::Column::UpdatedAt.gte(window.from))
        .filter(run::Column::UpdatedAt.lt(window.to))
        .all(db)
        .await?;
    let published = published.into_iter().map(|row| RunRow {
        published: true,
        late: row.late,
        ended_at: row.published_at.unwrap_or(row.updated_at),
    });
    let failed =
        failed.into_iter().map(|row| RunRow { published: false, late: row.late, ended_at: row.updated_at });
    Ok(published.chain(failed).collect())
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
