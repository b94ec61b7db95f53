//! Storage of schedules, their runs, calendar feeds and the scheduler's lease.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{
    entity::{feed, intent, lease, part, run, schedule},
    model::{RunRow, RunStatus, ScheduleStatus},
};
use crate::connectors::network::PartRef;

pub async fn insert(
    db: &impl ConnectionTrait,
    model: schedule::ActiveModel,
) -> Result<schedule::Model, DbErr> {
    model.insert(db).await
}

pub async fn save(db: &impl ConnectionTrait, model: schedule::ActiveModel) -> Result<schedule::Model, DbErr> {
    model.update(db).await
}

pub async fn count_for_owner(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<u64, DbErr> {
    schedule::Entity::find().filter(schedule::Column::OwnerId.eq(owner_id)).count(db).await
}

/// The schedule if `owner_id` owns it; otherwise nothing, as if it did not exist.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<schedule::Model>, DbErr> {
    schedule::Entity::find_by_id(id).filter(schedule::Column::OwnerId.eq(owner_id)).one(db).await
}

pub async fn list_for_owner(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
) -> Result<Vec<schedule::Model>, DbErr> {
    schedule::Entity::find()
        .filter(schedule::Column::OwnerId.eq(owner_id))
        .order_by_asc(schedule::Column::Id)
        .all(db)
        .await
}

pub async fn delete_owned(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = schedule::Entity::delete_many()
        .filter(schedule::Column::Id.eq(id))
        .filter(schedule::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn runs_for_schedule(
    db: &impl ConnectionTrait,
    schedule_id: Uuid,
) -> Result<Vec<run::Model>, DbErr> {
    run::Entity::find()
        .filter(run::Column::ScheduleId.eq(schedule_id))
        .order_by_desc(run::Column::OccurrenceAt)
        .limit(500)
        .all(db)
        .await
}

/// The owner's runs whose occurrence falls in `[from, to)`.
pub async fn runs_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<run::Model>, DbErr> {
    run::Entity::find()
        .filter(run::Column::OwnerId.eq(owner_id))
        .filter(run::Column::OccurrenceAt.gte(from))
        .filter(run::Column::OccurrenceAt.lt(to))
        .order_by_asc(run::Column::OccurrenceAt)
        .all(db)
        .await
}

/// Active schedules whose next occurrence is due at `now`.
pub async fn due_schedules(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<schedule::Model>, DbErr> {
    schedule::Entity::find()
        .filter(schedule::Column::Status.eq(ScheduleStatus::Active))
        .filter(schedule::Column::NextRunAt.lte(now))
        .order_by_asc(schedule::Column::NextRunAt)
        .limit(limit)
        .all(db)
        .await
}

/// Moves a schedule past `occurrence` only if nobody else has: the compare-and-set that makes
/// claiming an occurrence atomic.
pub async fn advance(
    db: &impl ConnectionTrait,
    schedule_id: Uuid,
    occurrence: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let status = if next.is_some() { ScheduleStatus::Active } else { ScheduleStatus::Completed };
    let result = schedule::Entity::update_many()
        .col_expr(schedule::Column::NextRunAt, next.into())
        .col_expr(schedule::Column::LastRunAt, Some(now).into())
        .col_expr(schedule::Column::Status, status.into())
        .col_expr(schedule::Column::UpdatedAt, now.into())
        .filter(schedule::Column::Id.eq(schedule_id))
        .filter(schedule::Column::Status.eq(ScheduleStatus::Active))
        .filter(schedule::Column::NextRunAt.eq(occurrence))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn insert_run(db: &impl ConnectionTrait, model: run::ActiveModel) -> Result<run::Model, DbErr> {
    model.insert(db).await
}

/// Runs with an attempt due at `now`.
pub async fn due_runs(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<run::Model>, DbErr> {
    run::Entity::find()
        .filter(run::Column::Status.is_in([RunStatus::Publishing, RunStatus::Retrying]))
        .filter(run::Column::NextAttemptAt.lte(now))
        .order_by_asc(run::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await
}

/// Takes the next attempt of a run, unless another scheduler already has; the attempt is
/// hidden until `in_flight_until` so a crash mid-delivery is retried, not lost.
pub async fn claim_attempt(
    db: &impl ConnectionTrait,
    run: &run::Model,
    in_flight_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = run::Entity::update_many()
        .col_expr(run::Column::Attempts, (run.attempts + 1).into())
        .col_expr(run::Column::NextAttemptAt, Some(in_flight_until).into())
        .col_expr(run::Column::UpdatedAt, now.into())
        .filter(run::Column::Id.eq(run.id))
        .filter(run::Column::Attempts.eq(run.attempts))
        .filter(run::Column::Status.eq(run.status))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn save_run(db: &impl ConnectionTrait, model: run::ActiveModel) -> Result<run::Model, DbErr> {
    model.update(db).await
}

/// Replaces the owner's feed token hash.
pub async fn set_feed_token(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    feed::Entity::delete_by_id(owner_id).exec(db).await?;
    feed::ActiveModel {
        owner_id: Set(owner_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        last_fetched_at: Set(None),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The owner's calendar feed, if they made one.
pub async fn find_feed(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Option<feed::Model>, DbErr> {
    feed::Entity::find_by_id(owner_id).one(db).await
}

/// Whose feed the token opens, recording the fetch.
pub async fn fetch_feed(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, DbErr> {
    let Some(feed) = feed::Entity::find().filter(feed::Column::TokenHash.eq(token_hash)).one(db).await?
    else {
        return Ok(None);
    };
    let owner_id = feed.owner_id;
    let mut fetched: feed::ActiveModel = feed.into();
    fetched.last_fetched_at = Set(Some(now));
    fetched.update(db).await?;
    Ok(Some(owner_id))
}

/// Takes or renews the named lease for `holder` until `expires_at`; `false` while another
/// holder's lease is still valid.
pub async fn hold_lease(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let renewed = lease::Entity::update_many()
        .col_expr(lease::Column::Holder, holder.into())
        .col_expr(lease::Column::ExpiresAt, expires_at.into())
        .filter(lease::Column::Name.eq(name))
        .filter(lease::Column::Holder.eq(holder).or(lease::Column::ExpiresAt.lt(now)))
        .exec(db)
        .await?;
    if renewed.rows_affected == 1 {
        return Ok(true);
    }
    let inserted = lease::Entity::insert(lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        expires_at: Set(expires_at),
    })
    .on_conflict(OnConflict::column(lease::Column::Name).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Gives the lease up so a standby scheduler takes over at once.
pub async fn release_lease(db: &impl ConnectionTrait, name: &str, holder: &str) -> Result<(), DbErr> {
    lease::Entity::delete_many()
        .filter(lease::Column::Name.eq(name))
        .filter(lease::Column::Holder.eq(holder))
        .exec(db)
        .await
        .map(|_| ())
}

/// The parts a run has published so far, in order.
pub async fn parts_of(db: &impl ConnectionTrait, run_id: Uuid) -> Result<Vec<PartRef>, DbErr> {
    let rows = part::Entity::find()
        .filter(part::Column::RunId.eq(run_id))
        .order_by_asc(part::Column::PartIndex)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| PartRef { remote_id: row.remote_id, revision: row.revision, url: row.url })
        .collect())
}

/// How many parts of the schedule's unfinished run (publishing or retrying) are already out:
/// more than none while a thread is half published.
pub async fn parts_out_of_unfinished_run(db: &impl ConnectionTrait, schedule_id: Uuid) -> Result<u64, DbErr> {
    let unfinished: Vec<Uuid> = run::Entity::find()
        .select_only()
        .column(run::Column::Id)
        .filter(run::Column::ScheduleId.eq(schedule_id))
        .filter(run::Column::Status.is_in([RunStatus::Publishing, RunStatus::Retrying]))
        .into_tuple()
        .all(db)
        .await?;
    if unfinished.is_empty() {
        return Ok(0);
    }
    part::Entity::find().filter(part::Column::RunId.is_in(unfinished)).count(db).await
}

/// Records a part the network just created.
pub async fn insert_part(
    db: &impl ConnectionTrait,
    run_id: Uuid,
    index: usize,
    part: &PartRef,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    part::ActiveModel {
        run_id: Set(run_id),
        part_index: Set(i32::try_from(index).unwrap_or(i32::MAX)),
        remote_id: Set(part.remote_id.clone()),
        revision: Set(part.revision.clone()),
        url: Set(part.url.clone()),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map(drop)
}

/// Records that part `index` of the run is about to be sent. `false` when an earlier attempt
/// had recorded it already: that attempt's outcome is unknown.
pub async fn record_intent(
    db: &impl ConnectionTrait,
    run_id: Uuid,
    index: usize,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let part_index = i32::try_from(index).unwrap_or(i32::MAX);
    if intent::Entity::find_by_id((run_id, part_index)).one(db).await?.is_some() {
        return Ok(false);
    }
    intent::ActiveModel { run_id: Set(run_id), part_index: Set(part_index), created_at: Set(now) }
        .insert(db)
        .await?;
    Ok(true)
}

/// The active one-off schedules of the owner's accounts due after `after`, soonest first:
/// what fills their slots.
pub async fn queued_posts(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    connection_ids: Vec<Uuid>,
    after: DateTime<Utc>,
) -> Result<Vec<schedule::Model>, DbErr> {
    schedule::Entity::find()
        .filter(schedule::Column::OwnerId.eq(owner_id))
        .filter(schedule::Column::ConnectionId.is_in(connection_ids))
        .filter(schedule::Column::Status.eq(ScheduleStatus::Active))
        .filter(schedule::Column::Recurrence.is_null())
        .filter(schedule::Column::NextRunAt.gt(after))
        .order_by_asc(schedule::Column::NextRunAt)
        .order_by_asc(schedule::Column::Id)
        .all(db)
        .await
}

/// The owner's publications that ended in `[from, to)`: published ones by when they went out, failed ones
/// by their last attempt.
pub async fn ended_runs(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<RunRow>, DbErr> {
    let published = run::Entity::find()
        .filter(run::Column::OwnerId.eq(owner_id))
        .filter(run::Column::Status.eq(RunStatus::Published))
        .filter(run::Column::PublishedAt.gte(from))
        .filter(run::Column::PublishedAt.lt(to))
        .all(db)
        .await?;
    let failed = run::Entity::find()
        .filter(run::Column::OwnerId.eq(owner_id))
        .filter(run::Column::Status.eq(RunStatus::Failed))
        .filter(run::Column::UpdatedAt.gte(from))
        .filter(run::Column::UpdatedAt.lt(to))
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

pub async fn runs_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<run::Model>, DbErr> {
    run::Entity::find().filter(run::Column::Id.is_in(ids)).all(db).await
}

/// The variant each of these schedules publishes, by schedule.
pub async fn variant_ids_of(
    db: &impl ConnectionTrait,
    schedule_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, Uuid>, DbErr> {
    Ok(schedule::Entity::find()
        .select_only()
        .columns([schedule::Column::Id, schedule::Column::VariantId])
        .filter(schedule::Column::Id.is_in(schedule_ids))
        .into_tuple::<(Uuid, Uuid)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
