//! Storage of posting slots.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entity::posting_slot;

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
