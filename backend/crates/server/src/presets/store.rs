use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as Presets},
    model::PresetInput,
};
use crate::channels::ChannelList;

/// How many presets one user may keep.
pub const MAX_PRESETS_PER_USER: u64 = 100;

pub async fn insert(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    input: PresetInput,
    now: DateTime<Utc>,
) -> Result<entity::Model, DbErr> {
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner_id),
        org_id: Set(None),
        name: Set(input.name),
        channels: Set(ChannelList(input.channels)),
        tone: Set(input.tone),
        params: Set(input.params),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Presets::insert(model).exec_with_returning(db).await
}

pub async fn list_for_owner(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Vec<entity::Model>, DbErr> {
    Presets::find()
        .filter(entity::Column::OwnerId.eq(owner_id))
        .order_by_asc(entity::Column::Id)
        .limit(MAX_PRESETS_PER_USER)
        .all(db)
        .await
}

pub async fn count_for_owner(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    Presets::find().filter(entity::Column::OwnerId.eq(owner_id)).count(db).await
}

/// The owner's preset; someone else's is indistinguishable from a missing one.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<entity::Model>, DbErr> {
    Presets::find_by_id(id).filter(entity::Column::OwnerId.eq(owner_id)).one(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    existing: entity::Model,
    input: PresetInput,
    now: DateTime<Utc>,
) -> Result<entity::Model, DbErr> {
    let mut model: entity::ActiveModel = existing.into();
    model.name = Set(input.name);
    model.channels = Set(ChannelList(input.channels));
    model.tone = Set(input.tone);
    model.params = Set(input.params);
    model.updated_at = Set(now);
    model.update(db).await
}

pub async fn delete_owned(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = Presets::delete_many()
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
