//! The rules of a job's life: drafts, submission, listing, retry and completion.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use engine::Channel;
use sea_orm::{ActiveEnum, ActiveValue::Set, ConnectionTrait, DbErr, SqlErr};
use uuid::Uuid;

use super::{
    entity,
    model::{
        CreateJobRequest, Job, JobDetail, JobListQuery, JobPage, JobRow, JobStatus,
        MAX_IDEMPOTENCY_KEY_CHARS, MAX_NAME_CHARS, NewJob, UpdateDraftRequest,
    },
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    channels,
    error::{ApiError, FieldError},
    jobs::variants,
    pagination::PageRequest,
    presets,
    sources::{
        self,
        model::{Source, SourceInput},
    },
    state::AppState,
    tools, usage,
};

/// The outcome of `POST /jobs`: a new job, or the one an earlier request with the same key made.
pub struct Created {
    pub job: Job,
    pub replayed: bool,
}

/// A request's fields once checked; `None` means "not given".
struct JobFields {
    name: Option<String>,
    source: Option<Source>,
    channels: Option<Vec<Channel>>,
    preset: Option<presets::model::Preset>,
}

async fn parse_fields(
    state: &AppState,
    owner: Uuid,
    name: Option<String>,
    source: Option<SourceInput>,
    channel_names: Option<Vec<String>>,
    preset_id: Option<Uuid>,
) -> Result<JobFields, ApiError> {
    let mut errors = Vec::new();
    let name = name.map(|name| name.trim().to_owned());
    if name.as_ref().is_some_and(|name| name.is_empty() || name.chars().count() > MAX_NAME_CHARS) {
        errors.push(FieldError::new("name", format!("must be 1 to {MAX_NAME_CHARS} characters")));
    }
    let channels = match channel_names {
        Some(names) => {
            channels::parse_channels("channels", &names).map_err(|mut e| errors.append(&mut e)).ok()
        }
        None => None,
    };
    let preset = match preset_id {
        Some(id) => match presets::service::find_owned(&state.db, owner, id).await? {
            Some(preset) => Some(preset),
            None => {
                errors.push(FieldError::new("preset_id", "no such preset"));
                None
            }
        },
        None => None,
    };
    // A URL is only fetched once everything else is valid.
    let source = match source {
        Some(input) if errors.is_empty() || !matches!(input, SourceInput::Url { .. }) => {
            match sources::resolve(state, owner, input).await {
                Ok(source) => Some(source),
                Err(ApiError::Validation(mut found)) => {
                    errors.append(&mut found);
                    None
                }
                Err(other) => return Err(other),
            }
        }
        _ => None,
    };
    if let Some(source) = &source
        && let Err(error) = enough_to_generate_from(source).await?
    {
        errors
            .push(FieldError::new("source", format!("{error}; paste more of the piece (a few paragraphs)")));
    }
    if errors.is_empty() {
        Ok(JobFields { name, source, channels, preset })
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Whether the engine can write from `source`: a source too short is refused here, naming the
/// field, rather than queued as a job that must fail and still count against the quota.
async fn enough_to_generate_from(source: &Source) -> Result<Result<(), engine::EngineError>, ApiError> {
    let text = source.content.clone();
    Ok(crate::cpu::CONTENT.run(move || engine::check_source(&text)).await?)
}

/// Channels asked for, else the preset's, else the default four.
fn effective_channels(
    channels: Option<Vec<Channel>>,
    preset: Option<&presets::model::Preset>,
) -> Vec<Channel> {
    channels
        .or_else(|| preset.map(|p| p.channels.clone()))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| Channel::DEFAULT.to_vec())
}

pub fn parse_idempotency_key(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some(key) if key.is_empty() || key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS => {
            Err(ApiError::field(
                "Idempotency-Key",
                format!("must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters"),
            ))
        }
        Some(key) => Ok(Some(key.to_owned())),
    }
}

/// Creates a draft (no source yet) or a queued job.
pub async fn create(
    state: &AppState,
    user: AuthUser,
    request: CreateJobRequest,
    idempotency_key: Option<String>,
) -> Result<Created, ApiError> {
    let fingerprint = request_fingerprint(&request);
    if let Some(key) = &idempotency_key
        && let Some(existing) = replay(state, user.id, key, &fingerprint).await?
    {
        return Ok(existing);
    }
    let fields =
        parse_fields(state, user.id, Some(request.name), request.source, request.channels, request.preset_id)
            .await?;
    let status = if fields.source.is_some() { JobStatus::Queued } else { JobStatus::Draft };
    if status == JobStatus::Queued {
        tools::service::require_writer(state).await?;
    }
    let new_job = NewJob {
        owner_id: user.id,
        name: fields.name.unwrap_or_default(),
        channels: effective_channels(fields.channels, fields.preset.as_ref()),
        preset_id: fields.preset.as_ref().map(|p| p.id),
        source: fields.source,
        status,
        now: state.clock.now(),
    };
    let txn = crate::db::begin_write(&state.db).await?;
    if status == JobStatus::Queued {
        usage::service::charge_job(&txn, state, user).await?;
    }
    let job = store::insert(&txn, new_job).await?;
    if let Some(key) = &idempotency_key
        && let Err(error) =
            store::insert_idempotency_key(&txn, user.id, key, &fingerprint, job.id, state.clock.now()).await
    {
        txn.rollback().await?;
        // A concurrent request with the same key won the race: answer with its job.
        if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
            && let Some(existing) = replay(state, user.id, key, &fingerprint).await?
        {
            return Ok(existing);
        }
        return Err(error.into());
    }
    let event = AuditEvent::new(AuditKind::JobCreated).actor(user.id).subject("job", job.id).payload(
        serde_json::json!({ "name": job.name, "status": status, "source_type": job.source_type, "channels": job.channels }),
    );
    audit::record(&txn, job.created_at, event).await?;
    txn.commit().await?;
    if status == JobStatus::Queued {
        enqueue(state, job.id).await?;
    }
    Ok(Created { job: job.into(), replayed: false })
}

/// SHA-256 of the request as parsed, so the same JSON with other spacing or key order matches.
fn request_fingerprint(request: &CreateJobRequest) -> String {
    use sha2::{Digest, Sha256};
    let canonical = serde_json::to_vec(request).unwrap_or_default();
    Sha256::digest(canonical).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The job an earlier request with this key created. The same key with a different request is
/// refused (422), as the IETF Idempotency-Key draft asks, rather than answered with that job.
async fn replay(
    state: &AppState,
    owner: Uuid,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Created>, ApiError> {
    let Some(stored) = store::find_idempotency_key(&state.db, owner, key).await? else {
        return Ok(None);
    };
    if stored.request_fingerprint.as_deref().is_some_and(|first| first != fingerprint) {
        return Err(ApiError::field(
            "Idempotency-Key",
            "was already used with a different request; send a new key for a new job",
        ));
    }
    Ok(store::find_owned(&state.db, owner, stored.job_id)
        .await?
        .map(|job| Created { job: job.into(), replayed: true }))
}

async fn enqueue(state: &AppState, job_id: Uuid) -> Result<(), ApiError> {
    state.queue.enqueue(job_id).await.map_err(|error| {
        tracing::error!(%job_id, error = %error, "could not queue a job");
        ApiError::Unavailable("The job was saved but could not be queued; retry it in a moment.".into())
    })
}

async fn owned(state: &AppState, user: AuthUser, id: Uuid) -> Result<entity::Model, ApiError> {
    store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("job"))
}

fn conflict_unless(model: &entity::Model, allowed: &[JobStatus], action: &str) -> Result<(), ApiError> {
    if allowed.contains(&model.status) {
        Ok(())
    } else {
        let allowed: Vec<String> = allowed.iter().map(|status| status.to_value().replace('_', " ")).collect();
        Err(ApiError::Conflict(format!(
            "Only {} jobs can be {action}; this one is {}.",
            allowed.join(" or "),
            model.status.to_value().replace('_', " ")
        )))
    }
}

#[tracing::instrument(name = "jobs.update_draft", skip_all, fields(job_id = %id, user_id = %user.id))]
pub async fn update_draft(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: UpdateDraftRequest,
) -> Result<Job, ApiError> {
    let existing = owned(state, user, id).await?;
    // A failed job's source can be corrected before it is retried.
    conflict_unless(&existing, &[JobStatus::Draft, JobStatus::Failed], "edited")?;
    let fields =
        parse_fields(state, user.id, request.name, request.source, request.channels, request.preset_id)
            .await?;
    let mut model: entity::ActiveModel = existing.into();
    if let Some(name) = fields.name {
        model.name = Set(name);
    }
    if let Some(source) = fields.source {
        (model.source_type, model.source_payload) = store::source_columns(Some(source));
    }
    if let Some(preset) = &fields.preset {
        model.preset_id = Set(Some(preset.id));
    }
    if fields.channels.is_some() || fields.preset.is_some() {
        model.channels =
            Set(channels::ChannelList(effective_channels(fields.channels, fields.preset.as_ref())));
    }
    model.updated_at = Set(state.clock.now());
    Ok(store::save(&state.db, model).await?.into())
}

#[tracing::instrument(name = "jobs.submit", skip_all, fields(job_id = %id, user_id = %user.id))]
pub async fn submit(state: &AppState, user: AuthUser, id: Uuid) -> Result<Job, ApiError> {
    let existing = owned(state, user, id).await?;
    conflict_unless(&existing, &[JobStatus::Draft], "submitted")?;
    if existing.source_payload.is_none() {
        return Err(ApiError::field("source", "add a source before submitting the draft"));
    }
    tools::service::require_writer(state).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    usage::service::charge_job(&txn, state, user).await?;
    if !store::transition(&txn, id, &[JobStatus::Draft], JobStatus::Queued, None, state.clock.now()).await? {
        txn.rollback().await?;
        return Err(ApiError::Conflict("The job changed meanwhile; reload it.".into()));
    }
    txn.commit().await?;
    enqueue(state, id).await?;
    Ok(owned(state, user, id).await?.into())
}

/// Re-queues a failed job; its variants are replaced when the worker finishes.
#[tracing::instrument(name = "jobs.retry", skip_all, fields(job_id = %id, user_id = %user.id))]
pub async fn retry(state: &AppState, user: AuthUser, id: Uuid) -> Result<Job, ApiError> {
    let existing = owned(state, user, id).await?;
    conflict_unless(&existing, &[JobStatus::Failed], "retried")?;
    // A source the engine cannot work from would fail again: it is refused before the quota is
    // charged, and the user edits the source first.
    if let Some(entity::SourcePayload(source)) = &existing.source_payload
        && let Err(error) = enough_to_generate_from(source).await?
    {
        return Err(ApiError::field("source", format!("{error}; edit the source, then retry")));
    }
    tools::service::require_writer(state).await?;
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    usage::service::charge_job(&txn, state, user).await?;
    variants::service::delete_for_job(&txn, id).await?;
    if !store::transition(&txn, id, &[JobStatus::Failed], JobStatus::Queued, None, now).await? {
        txn.rollback().await?;
        return Err(ApiError::Conflict("The job changed while retrying; reload it.".into()));
    }
    let event = AuditEvent::new(AuditKind::JobRetried).actor(user.id).subject("job", id).payload(
        serde_json::json!({ "attempts": existing.attempts, "failure_reason": existing.failure_reason }),
    );
    audit::record(&txn, now, event).await?;
    txn.commit().await?;
    enqueue(state, id).await?;
    Ok(owned(state, user, id).await?.into())
}

/// Marks a reviewed job done even if not every variant was accepted.
#[tracing::instrument(name = "jobs.mark_done", skip_all, fields(job_id = %id, user_id = %user.id))]
pub async fn mark_done(state: &AppState, user: AuthUser, id: Uuid) -> Result<Job, ApiError> {
    let existing = owned(state, user, id).await?;
    conflict_unless(&existing, &[JobStatus::NeedsReview], "marked done")?;
    transition_owned(state, &existing, JobStatus::NeedsReview, JobStatus::Done).await?;
    Ok(owned(state, user, id).await?.into())
}

async fn transition_owned(
    state: &AppState,
    job: &entity::Model,
    from: JobStatus,
    to: JobStatus,
) -> Result<(), ApiError> {
    if store::transition(&state.db, job.id, &[from], to, None, state.clock.now()).await? {
        Ok(())
    } else {
        Err(ApiError::Conflict("The job changed meanwhile; reload it.".into()))
    }
}

pub async fn detail(state: &AppState, user: AuthUser, id: Uuid) -> Result<JobDetail, ApiError> {
    let (job, variants) =
        store::find_owned_with_variants(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("job"))?;
    Ok(JobDetail { job: job.into(), variants })
}

pub async fn list(state: &AppState, user: AuthUser, query: JobListQuery) -> Result<JobPage, ApiError> {
    let mut errors = Vec::new();
    let status = query
        .status
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<JobStatus>())
        .transpose()
        .map_err(|message| errors.push(FieldError::new("status", message)))
        .ok()
        .flatten();
    let channel = query
        .channel
        .filter(|c| !c.is_empty())
        .map(|c| c.parse::<Channel>())
        .transpose()
        .map_err(|error| errors.push(FieldError::new("channel", error.to_string())))
        .ok()
        .flatten();
    let name_contains = query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if name_contains.as_ref().is_some_and(|q| q.chars().count() > MAX_NAME_CHARS) {
        errors.push(FieldError::new("q", format!("must be at most {MAX_NAME_CHARS} characters")));
    }
    let page = PageRequest::<Uuid>::parse(query.limit, query.cursor.as_deref(), &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = store::JobFilter { status, channel, name_contains };
    let rows = store::list(&state.db, user.id, &filter, page.after, page.fetch_limit()).await?;
    let (rows, next_cursor) = page.page(rows, |row| row.id);
    Ok(JobPage { items: rows.into_iter().map(Into::into).collect(), next_cursor })
}

/// Called after a variant changes: a job whose variants are all accepted is done;
/// un-accepting one sends a done job back to review.
pub async fn sync_review_status(
    db: &impl sea_orm::ConnectionTrait,
    job_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let all_accepted = variants::service::all_accepted(db, job_id).await?;
    if all_accepted {
        store::transition(db, job_id, &[JobStatus::NeedsReview], JobStatus::Done, None, now).await?;
    } else {
        store::transition(db, job_id, &[JobStatus::Done], JobStatus::NeedsReview, None, now).await?;
    }
    Ok(())
}

/// Writes `job` as given, without the checks and charges of [`create`]: for seeding demo
/// data, and for recovering a job whose queue message was lost.
pub async fn insert(db: &impl ConnectionTrait, job: NewJob) -> Result<Job, DbErr> {
    Ok(store::insert(db, job).await?.into())
}

/// Queued jobs untouched since `before`: their queue message may have been lost.
pub async fn stale_queued(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    store::stale_queued(db, before, limit).await
}

/// When the job that has waited longest in the queue was queued (or last re-queued).
pub async fn oldest_queued_at(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    store::oldest_queued_at(db).await
}

/// How many jobs have each status, across every owner.
pub async fn count_by_status(db: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    store::count_by_status(db).await
}

/// Jobs per owner, for the given owners only.
pub async fn count_by_owner(
    db: &impl ConnectionTrait,
    owner_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, DbErr> {
    store::count_by_owner(db, owner_ids).await
}

/// The ids and names of the owner's jobs, for finding a job by the name people know it by.
pub async fn names(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Vec<(Uuid, String)>, DbErr> {
    store::job_names(db, owner_id).await
}

/// The owner's jobs created in `[from, to)`, as the KPIs count them.
pub async fn created_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<JobRow>, DbErr> {
    store::created_between(db, owner_id, from, to).await
}
