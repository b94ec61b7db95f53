use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use super::entity::{self, Entity as RefreshTokens};

pub struct NewRefreshToken<'a> {
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

pub async fn insert(db: &impl ConnectionTrait, token: NewRefreshToken<'_>) -> Result<(), DbErr> {
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(token.user_id),
        family_id: Set(token.family_id),
        token_hash: Set(token.token_hash.to_owned()),
        expires_at: Set(token.expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(token.now),
    };
    RefreshTokens::insert(model).exec_without_returning(db).await.map(|_| ())
}

pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<entity::Model>, DbErr> {
    RefreshTokens::find().filter(entity::Column::TokenHash.eq(token_hash)).one(db).await
}

/// Marks a token used if nobody used it first; false means it was already spent.
pub async fn mark_used(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = RefreshTokens::update_many()
        .col_expr(entity::Column::UsedAt, Expr::value(now))
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::UsedAt.is_null())
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn revoke_family(
    db: &impl ConnectionTrait,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    RefreshTokens::update_many()
        .col_expr(entity::Column::RevokedAt, Expr::value(now))
        .filter(entity::Column::FamilyId.eq(family_id))
        .filter(entity::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}
