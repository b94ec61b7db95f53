//! Storage of published posts' results.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{entity, model::FETCH_AFTER};
use crate::{
    connections,
    connectors::network::{Counts, Network},
};

/// Starts following a run just published to `connection_id`: its first read is due at the
/// first checkpoint.
pub async fn follow(
    db: &impl ConnectionTrait,
    run_id: Uuid,
    owner_id: Uuid,
    connection_id: Uuid,
    network: Network,
    published_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    entity::ActiveModel {
        run_id: Set(run_id),
        owner_id: Set(owner_id),
        connection_id: Set(connection_id),
        network: Set(network),
        published_at: Set(published_at),
        likes: Set(0),
        reposts: Set(0),
        replies: Set(0),
        impressions: Set(None),
        fetched_at: Set(None),
        next_fetch_at: Set(Some(published_at + FETCH_AFTER[0])),
        last_error: Set(None),
    }
    .insert(db)
    .await
    .map(drop)
}

/// Reads due at `now` of posts whose account works: an account that needs reconnecting is
/// left alone until it is connected again, and its posts' reads then resume.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<entity::Model>, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::NextFetchAt.lte(now))
        .filter(Expr::col(entity::Column::ConnectionId).in_subquery(connections::service::active_ids()))
        .order_by_asc(entity::Column::NextFetchAt)
        .limit(limit)
        .all(db)
        .await
}

/// Keeps the counts just read and when to read them next.
pub async fn record_counts(
    db: &impl ConnectionTrait,
    row: entity::Model,
    counts: Counts,
    now: DateTime<Utc>,
    next_fetch_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let stored = |count: u64| i64::try_from(count).unwrap_or(i64::MAX);
    let mut model: entity::ActiveModel = row.into();
    model.likes = Set(stored(counts.likes));
    model.reposts = Set(stored(counts.reposts));
    model.replies = Set(stored(counts.replies));
    model.impressions = Set(counts.impressions.map(stored));
    model.fetched_at = Set(Some(now));
    model.next_fetch_at = Set(next_fetch_at);
    model.last_error = Set(None);
    model.update(db).await.map(drop)
}

/// Keeps the counts read before, says why this read failed, and when to try again.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    row: entity::Model,
    error: String,
    next_fetch_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let mut model: entity::ActiveModel = row.into();
    model.last_error = Set(Some(error));
    model.next_fetch_at = Set(next_fetch_at);
    model.update(db).await.map(drop)
}

/// The results of these runs (those with none are left out).
pub async fn for_runs(
    db: &impl ConnectionTrait,
    run_ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<entity::Model>, DbErr> {
    entity::Entity::find().filter(entity::Column::RunId.is_in(run_ids)).all(db).await
}

/// The owner's posts published in `[from, to)` whose counts have been read at least once.
pub async fn read_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<entity::Model>, DbErr> {
    entity::Entity::find()
        .filter(entity::Column::OwnerId.eq(owner_id))
        .filter(entity::Column::PublishedAt.gte(from))
        .filter(entity::Column::PublishedAt.lt(to))
        .filter(entity::Column::FetchedAt.is_not_null())
        .all(db)
        .await
}
