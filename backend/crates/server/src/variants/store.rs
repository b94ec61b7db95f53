use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use uuid::Uuid;

use super::entity::{self, Entity as Variants};
use crate::jobs;

pub async fn delete_for_job(db: &impl ConnectionTrait, job_id: Uuid) -> Result<(), DbErr> {
    Variants::delete_many().filter(entity::Column::JobId.eq(job_id)).exec(db).await.map(|_| ())
}

/// Swaps the job's variants for freshly generated ones (call inside a transaction).
pub async fn replace_for_job(
    db: &impl ConnectionTrait,
    job_id: Uuid,
    generated: &[engine::Variant],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    delete_for_job(db, job_id).await?;
    if generated.is_empty() {
        return Ok(());
    }
    let rows = generated.iter().map(|variant| entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_id: Set(job_id),
        channel: Set(variant.channel.as_str().to_owned()),
        content: Set(variant.content.clone()),
        metadata: Set(variant.metadata.clone()),
        accepted: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        accepted_at: Set(None),
    });
    Variants::insert_many(rows).exec_without_returning(db).await.map(|_| ())
}

/// The variant if its job belongs to `owner_id`; otherwise nothing, as if it did not exist.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<(entity::Model, jobs::entity::Model)>, DbErr> {
    let Some(variant) = Variants::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(jobs::store::find_owned(db, owner_id, variant.job_id).await?.map(|job| (variant, job)))
}

pub async fn save(db: &impl ConnectionTrait, model: entity::ActiveModel) -> Result<entity::Model, DbErr> {
    model.update(db).await
}

pub async fn all_accepted(db: &impl ConnectionTrait, job_id: Uuid) -> Result<bool, DbErr> {
    let total = Variants::find().filter(entity::Column::JobId.eq(job_id)).count(db).await?;
    let pending = Variants::find()
        .filter(entity::Column::JobId.eq(job_id))
        .filter(entity::Column::Accepted.eq(false))
        .count(db)
        .await?;
    Ok(total > 0 && pending == 0)
}
