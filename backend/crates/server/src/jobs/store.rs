use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{self, Set},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, IdenStatic, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, SelectA, SelectB,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};
use uuid::Uuid;

use super::{
    entity::{self, Entity as Jobs, idempotency_key},
    model::{JobRow, JobStatus, NewJob},
};
use crate::{
    channels,
    jobs::variants,
    jobs::variants::model::Variant,
    sources::model::{Source, SourceKind},
};
use engine::Channel;

#[tracing::instrument(name = "db.jobs.insert", skip_all)]
pub async fn insert(db: &impl ConnectionTrait, job: NewJob) -> Result<entity::Model, DbErr> {
    let (source_type, source_payload) = source_columns(job.source);
    let model = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(job.owner_id),
        org_id: Set(None),
        name: Set(job.name),
        source_type,
        source_payload,
        channels: Set(channels::ChannelList(job.channels)),
        preset_id: Set(job.preset_id),
        status: Set(job.status),
        failure_reason: Set(None),
        provider: Set(None),
        provider_note: Set(None),
        cost_estimate: Set(None),
        attempts: Set(0),
        created_at: Set(job.now),
        updated_at: Set(job.now),
        ready_at: Set(None),
    };
    Jobs::insert(model).exec_with_returning(db).await
}

/// A job's source as the two columns that hold it: its kind, readable without decoding the
/// source, and the source itself.
pub fn source_columns(
    source: Option<Source>,
) -> (ActiveValue<Option<SourceKind>>, ActiveValue<Option<entity::SourcePayload>>) {
    (Set(source.as_ref().map(|source| source.kind)), Set(source.map(entity::SourcePayload)))
}

/// The owner's job; someone else's is indistinguishable from a missing one.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<entity::Model>, DbErr> {
    Jobs::find_by_id(id).filter(entity::Column::OwnerId.eq(owner_id)).one(db).await
}

/// The owner's job with its variants in the order they were generated (the requested channel
/// order), read in one query (a join): the job detail is the API's most frequent read. The
/// job's columns repeat on every row and are decoded from the first; variants are decoded
/// straight into their API shape, and sorted here because an ORDER BY on the joined side makes
/// SQLite build a temporary B-tree.
pub async fn find_owned_with_variants(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<(entity::Model, Vec<Variant>)>, DbErr> {
    let query = Jobs::find_by_id(id)
        .filter(entity::Column::OwnerId.eq(owner_id))
        .find_with_related(variants::entity::Entity)
        .build(db.get_database_backend());
    let rows = db.query_all_raw(query).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let job = entity::Model::from_query_result(first, SelectA.as_str())?;
    let mut variants = Vec::with_capacity(rows.len());
    for row in &rows {
        // A job without variants yields one row whose variant columns are NULL.
        if let Some(variant) = Option::<Variant>::from_query_result(row, SelectB.as_str())? {
            variants.push(variant);
        }
    }
    variants.sort_unstable_by_key(|variant| variant.id);
    Ok(Some((job, variants)))
}

#[tracing::instrument(name = "db.jobs.find", skip_all)]
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, DbErr> {
    Jobs::find_by_id(id).one(db).await
}

/// What `GET /jobs` narrows the list to; `None` fields do not filter.
#[derive(Debug, Default)]
pub struct JobFilter {
    pub status: Option<JobStatus>,
    pub channel: Option<Channel>,
    pub name_contains: Option<String>,
}

/// Newest first; UUIDv7 ids sort by creation time, so the id is the keyset.
pub async fn list(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    filter: &JobFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<entity::Model>, DbErr> {
    let mut query = Jobs::find().filter(entity::Column::OwnerId.eq(owner_id));
    if let Some(status) = filter.status {
        query = query.filter(entity::Column::Status.eq(status));
    }
    if let Some(channel) = filter.channel {
        // `channels` is a JSON array of names; its text form holds each name in quotes.
        let pattern = format!("%\"{}\"%", channel.as_str());
        query = query.filter(Expr::col(entity::Column::Channels).cast_as("text").like(pattern));
    }
    if let Some(text) = &filter.name_contains {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        query = query.filter(
            Expr::expr(Func::lower(Expr::col(entity::Column::Name)))
                .like(LikeExpr::new(pattern).escape('\\')),
        );
    }
    if let Some(before) = before {
        query = query.filter(entity::Column::Id.lt(before));
    }
    query.order_by_desc(entity::Column::Id).limit(limit).all(db).await
}

pub async fn save(db: &impl ConnectionTrait, model: entity::ActiveModel) -> Result<entity::Model, DbErr> {
    model.update(db).await
}

/// Moves a job between states only if it is still in one of `from`; false when it was not.
#[tracing::instrument(name = "db.jobs.transition", skip_all)]
pub async fn transition(
    db: &impl ConnectionTrait,
    id: Uuid,
    from: &[JobStatus],
    to: JobStatus,
    failure_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Jobs::update_many()
        .col_expr(entity::Column::Status, Expr::value(to))
        .col_expr(entity::Column::FailureReason, Expr::value(failure_reason.map(str::to_owned)))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::Id.eq(id))
        .filter(status_in(from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Takes a queued job (or one whose previous worker died mid-run) for processing.
#[tracing::instrument(name = "db.jobs.claim", skip_all)]
pub async fn claim(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = Jobs::update_many()
        .col_expr(entity::Column::Status, Expr::value(JobStatus::Running))
        .col_expr(entity::Column::Attempts, Expr::col(entity::Column::Attempts).add(1))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::Id.eq(id))
        .filter(status_in(&[JobStatus::Queued, JobStatus::Running]))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Finishes a running job; false when another worker already did.
#[tracing::instrument(name = "db.jobs.finish", skip_all)]
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    provider: &str,
    provider_note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = Jobs::update_many()
        .col_expr(entity::Column::Status, Expr::value(JobStatus::NeedsReview))
        .col_expr(entity::Column::Provider, Expr::value(provider))
        .col_expr(entity::Column::ProviderNote, Expr::value(provider_note.map(str::to_owned)))
        .col_expr(entity::Column::FailureReason, Expr::value(Option::<String>::None))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .col_expr(entity::Column::ReadyAt, Expr::value(now))
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Makes `%`, `_` and the escape character match themselves in a LIKE pattern.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

fn status_in(statuses: &[JobStatus]) -> Condition {
    statuses
        .iter()
        .fold(Condition::any(), |condition, status| condition.add(entity::Column::Status.eq(*status)))
}

pub async fn find_idempotency_key(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    key: &str,
) -> Result<Option<idempotency_key::Model>, DbErr> {
    idempotency_key::Entity::find_by_id((owner_id, key.to_owned())).one(db).await
}

pub async fn insert_idempotency_key(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    key: &str,
    request_fingerprint: &str,
    job_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = idempotency_key::ActiveModel {
        owner_id: Set(owner_id),
        key: Set(key.to_owned()),
        job_id: Set(job_id),
        created_at: Set(now),
        request_fingerprint: Set(Some(request_fingerprint.to_owned())),
    };
    idempotency_key::Entity::insert(row).exec_without_returning(db).await.map(|_| ())
}

/// Queued jobs untouched since `before`: their queue message may have been lost.
pub async fn stale_queued(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    let rows = Jobs::find()
        .filter(entity::Column::Status.eq(JobStatus::Queued))
        .filter(entity::Column::UpdatedAt.lt(before))
        .order_by_asc(entity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// When the job that has waited longest in the queue was queued (or last re-queued).
pub async fn oldest_queued_at(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    let oldest = Jobs::find()
        .filter(entity::Column::Status.eq(JobStatus::Queued))
        .order_by_asc(entity::Column::UpdatedAt)
        .one(db)
        .await?;
    Ok(oldest.map(|job| job.updated_at))
}

/// How many jobs have each status, across every owner (one grouped query).
pub async fn count_by_status(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    Jobs::find()
        .select_only()
        .column(entity::Column::Status)
        .column_as(entity::Column::Id.count(), "jobs")
        .group_by(entity::Column::Status)
        .into_tuple()
        .all(db)
        .await
}

/// Jobs per owner, for the given owners only (one grouped query).
pub async fn count_by_owner(
    db: &impl ConnectionTrait,
    owner_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, DbErr> {
    if owner_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, i64)> = Jobs::find()
        .select_only()
        .column(entity::Column::OwnerId)
        .column_as(entity::Column::Id.count(), "jobs")
        .filter(entity::Column::OwnerId.is_in(owner_ids.iter().copied()))
        .group_by(entity::Column::OwnerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(owner, count)| (owner, u64::try_from(count).unwrap_or_default())).collect())
}

/// The ids and names of the owner's jobs, for finding a job by the name people know it by.
pub async fn job_names(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Vec<(Uuid, String)>, DbErr> {
    Jobs::find()
        .select_only()
        .column(entity::Column::Id)
        .column(entity::Column::Name)
        .filter(entity::Column::OwnerId.eq(owner_id))
        .into_tuple()
        .all(db)
        .await
}

/// The owner's jobs created in `[from, to)`, as the KPIs count them.
pub async fn created_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<JobRow>, DbErr> {
    Ok(Jobs::find()
        .select_only()
        .columns([
            entity::Column::Id,
            entity::Column::Status,
            entity::Column::Provider,
            entity::Column::CreatedAt,
            entity::Column::ReadyAt,
        ])
        .filter(entity::Column::OwnerId.eq(owner_id))
        .filter(entity::Column::CreatedAt.gte(from))
        .filter(entity::Column::CreatedAt.lt(to))
        .into_tuple::<(Uuid, JobStatus, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, status, provider, created_at, ready_at)| JobRow {
            id,
            status,
            provider,
            created_at,
            ready_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_in_search_text_match_themselves() {
        assert_eq!(escape_like("50% off_now\\"), "50\\% off\\_now\\\\");
        assert_eq!(escape_like("plain"), "plain");
    }
}
