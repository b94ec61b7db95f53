use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as ApiTokens},
    model::Scope,
};

pub async fn insert(db: &impl ConnectionTrait, model: entity::ActiveModel) -> Result<entity::Model, DbErr> {
    model.insert(db).await
}

pub async fn count_for_owner(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<u64, DbErr> {
    ApiTokens::find().filter(entity::Column::OwnerId.eq(owner_id)).count(db).await
}

pub async fn list_for_owner(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Vec<entity::Model>, DbErr> {
    ApiTokens::find()
        .filter(entity::Column::OwnerId.eq(owner_id))
        .order_by_desc(entity::Column::Id)
        .all(db)
        .await
}

pub async fn delete_owned(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = ApiTokens::delete_many()
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The token with this hash.
pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<entity::Model>, DbErr> {
    ApiTokens::find().filter(entity::Column::TokenHash.eq(token_hash)).one(db).await
}

pub async fn touch(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    ApiTokens::update_many()
        .col_expr(entity::Column::LastUsedAt, Some(now).into())
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub fn new_model(
    owner_id: Uuid,
    name: String,
    token_hash: String,
    prefix: String,
    scopes: Vec<Scope>,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> entity::ActiveModel {
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner_id),
        name: Set(name),
        token_hash: Set(token_hash),
        prefix: Set(prefix),
        scopes: Set(entity::Scopes(scopes)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
    }
}
