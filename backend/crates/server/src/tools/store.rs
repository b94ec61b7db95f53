use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::{
    entity::{self, Entity as Tools},
    model::ToolKey,
};

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<entity::Model>, DbErr> {
    Tools::find().all(db).await
}

pub async fn find(db: &impl ConnectionTrait, key: ToolKey) -> Result<Option<entity::Model>, DbErr> {
    Tools::find().filter(entity::Column::Key.eq(key.as_str())).one(db).await
}

pub async fn save(db: &impl ConnectionTrait, model: entity::ActiveModel) -> Result<entity::Model, DbErr> {
    model.update(db).await
}
