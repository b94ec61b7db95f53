use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
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
