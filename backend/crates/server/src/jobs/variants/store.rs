use chrono::{DateTime, Utc};
use engine::VariantMetadata;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as Variants},
    model::{AcceptedPost, VariantRow, VersionOrigin},
    version_entity::{self, Entity as Versions},
};
use crate::{error::ApiError, jobs};

/// Metadata as it is stored: as a JSON value, whose keys are sorted, as it always was.
pub fn stored(metadata: &VariantMetadata) -> serde_json::Value {
    // Strings, numbers and lists only: no map with keys that are not strings.
    serde_json::to_value(metadata).expect("variant metadata serialises")
}

/// Stored metadata read back. Every row was written by the engine, so a row that does not
/// read is corrupt, not old.
pub fn metadata(stored: &serde_json::Value) -> Result<VariantMetadata, ApiError> {
    serde::Deserialize::deserialize(stored)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("unreadable variant metadata: {error}")))
}

pub async fn delete_for_job(db: &impl ConnectionTrait, job_id: Uuid) -> Result<(), DbErr> {
    let ids =
        Variants::find().select_only().column(entity::Column::Id).filter(entity::Column::JobId.eq(job_id));
    Versions::delete_many()
        .filter(version_entity::Column::VariantId.in_subquery(sea_orm::QueryTrait::into_query(ids)))
        .exec(db)
        .await?;
    Variants::delete_many().filter(entity::Column::JobId.eq(job_id)).exec(db).await.map(|_| ())
}

/// A new version of a variant: the next number after its last one.
pub async fn add_version(
    db: &impl ConnectionTrait,
    variant_id: Uuid,
    content: &str,
    metadata: &VariantMetadata,
    origin: VersionOrigin,
    author_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let last: Option<i32> = Versions::find()
        .select_only()
        .column_as(version_entity::Column::Number.max(), "last")
        .filter(version_entity::Column::VariantId.eq(variant_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let number = last.unwrap_or(0) + 1;
    version_entity::ActiveModel {
        variant_id: Set(variant_id),
        number: Set(number),
        content: Set(content.to_owned()),
        metadata: Set(stored(metadata)),
        origin: Set(origin),
        author_id: Set(author_id),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(number)
}

/// A variant's versions, newest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    variant_id: Uuid,
) -> Result<Vec<version_entity::Model>, DbErr> {
    Versions::find()
        .filter(version_entity::Column::VariantId.eq(variant_id))
        .order_by_desc(version_entity::Column::Number)
        .all(db)
        .await
}

pub async fn find_version(
    db: &impl ConnectionTrait,
    variant_id: Uuid,
    number: i32,
) -> Result<Option<version_entity::Model>, DbErr> {
    Versions::find_by_id((variant_id, number)).one(db).await
}

/// Swaps the job's variants for freshly generated ones (call inside a transaction).
#[tracing::instrument(name = "db.variants.replace_for_job", skip_all)]
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
    let ids: Vec<Uuid> = generated.iter().map(|_| Uuid::now_v7()).collect();
    let rows = generated.iter().zip(&ids).map(|(variant, &id)| entity::ActiveModel {
        id: Set(id),
        job_id: Set(job_id),
        channel: Set(variant.channel),
        content: Set(variant.content.clone()),
        metadata: Set(stored(&variant.metadata)),
        accepted: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        accepted_at: Set(None),
        current_version: Set(1),
        accepted_version: Set(None),
    });
    Variants::insert_many(rows).exec_without_returning(db).await?;
    // Each generated text is its variant's version 1.
    let versions = generated.iter().zip(&ids).map(|(variant, &id)| version_entity::ActiveModel {
        variant_id: Set(id),
        number: Set(1),
        content: Set(variant.content.clone()),
        metadata: Set(stored(&variant.metadata)),
        origin: Set(VersionOrigin::Generated),
        author_id: Set(None),
        created_at: Set(now),
    });
    Versions::insert_many(versions).exec_without_returning(db).await.map(|_| ())
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

/// A job's variant for a channel (a job has at most one per channel).
pub async fn variant_on_channel(
    db: &impl ConnectionTrait,
    job_id: Uuid,
    channel: engine::Channel,
) -> Result<Option<entity::Model>, DbErr> {
    Variants::find()
        .filter(entity::Column::JobId.eq(job_id))
        .filter(entity::Column::Channel.eq(channel))
        .one(db)
        .await
}

/// The owner's accepted posts, those of the newest jobs first, at most `limit`.
pub async fn accepted_posts(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    limit: u64,
) -> Result<Vec<AcceptedPost>, DbErr> {
    let rows: Vec<(Uuid, engine::Channel, Uuid, String)> = Variants::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::Channel)
        .column(jobs::entity::Column::Id)
        .column(jobs::entity::Column::Name)
        .inner_join(jobs::entity::Entity)
        .filter(jobs::entity::Column::OwnerId.eq(owner_id))
        .filter(entity::Column::Accepted.eq(true))
        .order_by_desc(jobs::entity::Column::CreatedAt)
        .order_by_asc(jobs::entity::Column::Id)
        .order_by_asc(entity::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(variant_id, channel, job_id, job_name)| AcceptedPost { variant_id, channel, job_id, job_name })
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, DbErr> {
    Variants::find_by_id(id).one(db).await
}

pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<entity::Model>, DbErr> {
    Variants::find().filter(entity::Column::Id.is_in(ids)).all(db).await
}

/// The variants of the owner's jobs created in `[from, to)`, as the KPIs count them.
pub async fn of_jobs_created_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<VariantRow>, DbErr> {
    let cohort = Query::select()
        .column(jobs::entity::Column::Id)
        .from(jobs::entity::Entity)
        .and_where(jobs::entity::Column::OwnerId.eq(owner_id))
        .and_where(jobs::entity::Column::CreatedAt.gte(from))
        .and_where(jobs::entity::Column::CreatedAt.lt(to))
        .to_owned();
    Ok(Variants::find()
        .select_only()
        .columns([
            entity::Column::JobId,
            entity::Column::Channel,
            entity::Column::Accepted,
            entity::Column::AcceptedAt,
        ])
        .filter(Expr::col(entity::Column::JobId).in_subquery(cohort))
        .into_tuple::<(Uuid, engine::Channel, bool, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(job_id, channel, accepted, accepted_at)| VariantRow { job_id, channel, accepted, accepted_at })
        .collect())
}
