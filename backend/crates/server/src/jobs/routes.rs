use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{
        IntoResponse, Response,
        sse::{KeepAlive, Sse},
    },
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    events,
    model::{CreateJobRequest, Job, JobDetail, JobListQuery, JobPage, UpdateDraftRequest},
    service,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath, ValidQuery},
    state::AppState,
};

/// One event of `GET /jobs/{id}/events`, as a Server-Sent Events client parses it.
#[derive(ToSchema)]
#[allow(dead_code)]
struct JobStatusEvent {
    /// Always `status`.
    event: String,
    /// The job as JSON, as `GET /jobs/{id}` shows it without variants.
    data: String,
}

/// Creates a job: queued when it has a source, a draft otherwise. Honours `Idempotency-Key`.
#[utoipa::path(post, path = "/jobs", tag = "jobs", security(("bearer" = [])), request_body = CreateJobRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a request safely: the same key with the same body returns the first job (with `Idempotent-Replayed: true`); the same key with a different body is refused with 422")),
    responses(
        (status = 201, description = "Created (or replayed)", body = Job, headers(("Location" = String, description = "/jobs/{id}"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No provider can write it: an administrator disabled the local engine and no model is available", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, or the source is too short to write posts from (field `source`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota used up: `Retry-After` and the problem's `reset_at` say when it resets", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota resets"))),
    ))]
pub async fn create_job(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ValidJson(request): ValidJson<CreateJobRequest>,
) -> Result<Response, ApiError> {
    let raw_key = headers.get("idempotency-key").map(|v| v.to_str().unwrap_or(""));
    let key = service::parse_idempotency_key(raw_key)?;
    let created = service::create(&state, user, request, key).await?;
    let location =
        HeaderValue::from_str(&format!("/jobs/{}", created.job.id)).map_err(anyhow::Error::from)?;
    let mut response =
        (StatusCode::CREATED, [(header::LOCATION, location)], Json(created.job)).into_response();
    if created.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The caller's jobs, newest first, with keyset pagination.
#[utoipa::path(get, path = "/jobs", tag = "jobs", security(("bearer" = [])), params(JobListQuery),
    responses((status = 200, body = JobPage), (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list_jobs(
    State(state): State<AppState>,
    user: AuthUser,
    ValidQuery(query): ValidQuery<JobListQuery>,
) -> Result<Json<JobPage>, ApiError> {
    Ok(Json(service::list(&state, user, query).await?))
}

/// A job with its variants.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = JobDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_job(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<JobDetail>, ApiError> {
    Ok(Json(service::detail(&state, user, id).await?))
}

/// Edits a draft, or a failed job before it is retried (its source, say).
#[utoipa::path(patch, path = "/jobs/{id}", tag = "jobs", security(("bearer" = [])), request_body = UpdateDraftRequest,
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = Job), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Neither a draft nor a failed job", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_draft(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<UpdateDraftRequest>,
) -> Result<Json<Job>, ApiError> {
    Ok(Json(service::update_draft(&state, user, id, request).await?))
}

/// Queues a draft for generation.
#[utoipa::path(post, path = "/jobs/{id}/submit", tag = "jobs", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 202, body = Job), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft, or no provider can write it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The draft has no source", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota used up: `Retry-After` and the problem's `reset_at` say when it resets", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota resets")))))]
pub async fn submit_job(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    Ok((StatusCode::ACCEPTED, Json(service::submit(&state, user, id).await?)))
}

/// Re-queues a failed job.
#[utoipa::path(post, path = "/jobs/{id}/retry", tag = "jobs", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 202, body = Job), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job has not failed, or no provider can write it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The source is too short to write posts from: edit it (`PATCH /jobs/{id}`), then retry. Nothing is charged", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota used up: `Retry-After` and the problem's `reset_at` say when it resets", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the quota resets")))))]
pub async fn retry_job(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<(StatusCode, Json<Job>), ApiError> {
    Ok((StatusCode::ACCEPTED, Json(service::retry(&state, user, id).await?)))
}

/// Marks a reviewed job done.
#[utoipa::path(post, path = "/jobs/{id}/done", tag = "jobs", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses((status = 200, body = Job), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not waiting for review", body = Problem, content_type = "application/problem+json")))]
pub async fn mark_done(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Job>, ApiError> {
    Ok(Json(service::mark_done(&state, user, id).await?))
}

/// The job's progress as Server-Sent Events: a `status` event carrying the job (as
/// `GET /jobs/{id}` shows it, without variants) at once and on every change, closing after
/// `needs_review`, `done` or `failed` has been sent, or after `JOB_EVENTS_MAX_SECONDS` (reconnect).
/// A draft's stream stays open, reporting its edits and its submission.
#[utoipa::path(get, path = "/jobs/{id}/events", tag = "jobs", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Job id")),
    responses(
        (status = 200, description = "A Server-Sent Events stream of `status` events; comment lines keep the connection alive", body = JobStatusEvent, content_type = "text/event-stream"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn job_events(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<impl IntoResponse, ApiError> {
    let stream = events::watch(&state, user, id).await?;
    Ok(Sse::new(stream).keep_alive(KeepAlive::new()))
}
