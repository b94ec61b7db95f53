use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, LikeExpr},
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as Users},
    model::{Email, Role},
};
use crate::clock::Clock;

pub async fn insert(
    db: &impl ConnectionTrait,
    clock: &dyn Clock,
    email: &Email,
    password_hash: String,
    role: Role,
) -> Result<entity::Model, DbErr> {
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        org_id: Set(None),
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role),
        created_at: Set(clock.now()),
    };
    Users::insert(model).exec_with_returning(db).await
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &Email) -> Result<Option<entity::Model>, DbErr> {
    Users::find().filter(entity::Column::Email.eq(email.as_str())).one(db).await
}

/// The emails of the given users that still exist, by id.
pub async fn emails_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let rows = Users::find().filter(entity::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(|user| (user.id, user.email)).collect())
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, DbErr> {
    Users::find_by_id(id).one(db).await
}

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
