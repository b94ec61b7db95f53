use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as UsageCounters},
    model::Metric,
};

/// What `owner_id` used of `metric` in the period starting at `period_start`.
pub async fn used(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    metric: Metric,
    period_start: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let row = UsageCounters::find_by_id((owner_id, metric, period_start)).one(db).await?;
    Ok(row.map_or(0, |row| u64::try_from(row.used).unwrap_or(0)))
}

/// Adds `amount` to the period's counter, unless that would take it past `limit`; whether it
/// was added. One conditional `UPDATE`, so concurrent requests cannot both take the last unit.
pub async fn add_within(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    metric: Metric,
    period_start: DateTime<Utc>,
    amount: u64,
    limit: Option<u64>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let amount = i64::try_from(amount).unwrap_or(i64::MAX);
    let row = entity::ActiveModel {
        owner_id: Set(owner_id),
        metric: Set(metric),
        period_start: Set(period_start),
        used: Set(0),
        updated_at: Set(now),
    };
    UsageCounters::insert(row).on_conflict_do_nothing().exec_without_returning(db).await?;
    let mut update = UsageCounters::update_many()
        .col_expr(entity::Column::Used, Expr::col(entity::Column::Used).add(amount))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::OwnerId.eq(owner_id))
        .filter(entity::Column::Metric.eq(metric))
        .filter(entity::Column::PeriodStart.eq(period_start));
    if let Some(limit) = limit {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        update = update.filter(Expr::col(entity::Column::Used).add(amount).lte(limit));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}
