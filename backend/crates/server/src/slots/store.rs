//! Storage of posting slots, and the reads and locks the queue needs.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use uuid::Uuid;

use super::entity::posting_slot;
use crate::{
    connections::entity::connection,
    schedules::{entity::schedule, model::ScheduleStatus},
};

/// An account's slots, Monday first, earliest first.
pub async fn slots_of(
    db: &impl ConnectionTrait,
    connection_id: Uuid,
) -> Result<Vec<posting_slot::Model>, DbErr> {
    posting_slot::Entity::find()
        .filter(posting_slot::Column::ConnectionId.eq(connection_id))
        .order_by_asc(posting_slot::Column::Weekday)
        .order_by_asc(posting_slot::Column::LocalTime)
        .all(db)
        .await
}

/// The slots of these accounts.
pub async fn slots_of_all(
    db: &impl ConnectionTrait,
    connection_ids: Vec<Uuid>,
) -> Result<Vec<posting_slot::Model>, DbErr> {
    posting_slot::Entity::find()
        .filter(posting_slot::Column::ConnectionId.is_in(connection_ids))
        .all(db)
        .await
}

/// Replaces an account's slots with `rows`.
pub async fn replace(
    db: &impl ConnectionTrait,
    connection_id: Uuid,
    rows: Vec<posting_slot::ActiveModel>,
) -> Result<(), DbErr> {
    posting_slot::Entity::delete_many()
        .filter(posting_slot::Column::ConnectionId.eq(connection_id))
        .exec(db)
        .await?;
    if !rows.is_empty() {
        posting_slot::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Takes the owner's account row for the rest of the transaction, so that two requests
/// filling or reordering its queue run one after the other and never pick the same slot.
/// PostgreSQL locks the row on this (unchanging) write; SQLite's write transaction
/// (`db::begin_write`) already excludes other writers. `false` when the owner has no such
/// account.
pub async fn lock_account(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = connection::Entity::update_many()
        .col_expr(connection::Column::UpdatedAt, Expr::col(connection::Column::UpdatedAt))
        .filter(connection::Column::Id.eq(id))
        .filter(connection::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
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
