//! Queries over every account, which only administrators make.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, LikeExpr},
};
use uuid::Uuid;

use crate::{
    jobs,
    users::{
        entity::{self, Entity as Users},
        model::Role,
    },
};

/// Newest first (UUIDv7 ids), optionally only emails containing `email_part`.
pub async fn list(
    db: &impl ConnectionTrait,
    email_part: Option<&str>,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<entity::Model>, DbErr> {
    let mut query = Users::find();
    if let Some(part) = email_part {
        // `%` and `_` in the search are literal characters, not wildcards.
        let escaped = part.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        query = query.filter(entity::Column::Email.like(LikeExpr::new(format!("%{escaped}%")).escape('\\')));
    }
    if let Some(before) = before {
        query = query.filter(entity::Column::Id.lt(before));
    }
    query.order_by_desc(entity::Column::Id).limit(limit).all(db).await
}

/// Jobs per owner, for the given owners only (one grouped query).
pub async fn job_counts(db: &impl ConnectionTrait, owner_ids: &[Uuid]) -> Result<HashMap<Uuid, u64>, DbErr> {
    if owner_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = jobs::entity::Entity::find()
        .select_only()
        .column(jobs::entity::Column::OwnerId)
        .column_as(jobs::entity::Column::Id.count(), "jobs")
        .filter(jobs::entity::Column::OwnerId.is_in(owner_ids.iter().copied()))
        .group_by(jobs::entity::Column::OwnerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(owner, count)| (owner, u64::try_from(count).unwrap_or_default())).collect())
}

/// The administrators' ids, locked until the transaction ends (PostgreSQL; SQLite
/// serialises writers anyway), so two admins demoting each other cannot both succeed.
pub async fn lock_admins(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
    let admins = Users::find().filter(entity::Column::Role.eq(Role::Admin)).lock_exclusive().all(db).await?;
    Ok(admins.into_iter().map(|user| user.id).collect())
}

pub async fn set_role(db: &impl ConnectionTrait, id: Uuid, role: Role) -> Result<(), DbErr> {
    Users::update_many()
        .col_expr(entity::Column::Role, Expr::value(role))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}
