use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Duration;
use secrecy::ExposeSecret;
use uuid::Uuid;

use super::{
    ical::{self, FeedEntry},
    import,
    model::{
        CalendarQuery, CreateScheduleRequest, FeedQuery, FeedStatus, FeedToken, ImportResult, Schedule,
        ScheduleList, ScheduleRunList, TemplateQuery, UpdateScheduleRequest,
    },
    service, store,
};
use crate::{
    auth::{
        AuthUser,
        tokens::{hash_opaque_token, new_opaque_token},
    },
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath, ValidQuery},
    state::AppState,
};

/// Schedules an accepted variant once or on a recurrence; a post that fails a check with an
/// error is refused.
#[utoipa::path(post, path = "/schedule", tag = "schedules", security(("bearer" = [])),
    request_body = CreateScheduleRequest,
    responses((status = 201, body = Schedule, headers(("Location" = String, description = "The schedule's URL"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field, or the post fails its checks (`checks` lists them)", body = Problem, content_type = "application/problem+json")))]
pub async fn create_schedule(
    State(state): State<AppState>,
    user: AuthUser,
    ValidJson(request): ValidJson<CreateScheduleRequest>,
) -> Result<Response, ApiError> {
    service::create(&state, user, request).await?.into_created_response()
}

/// The caller's schedules and the occurrences in `[from, to)` for a calendar.
#[utoipa::path(get, path = "/schedule", tag = "schedules", security(("bearer" = [])), params(CalendarQuery),
    responses((status = 200, body = ScheduleList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn list_schedules(
    State(state): State<AppState>,
    user: AuthUser,
    ValidQuery(query): ValidQuery<CalendarQuery>,
) -> Result<Json<ScheduleList>, ApiError> {
    let (from, to) = service::calendar_window(query.from.as_deref(), query.to.as_deref(), state.clock.now())?;
    Ok(Json(service::list(&state.db, user.id, from, to).await?))
}

#[utoipa::path(get, path = "/schedule/{id}", tag = "schedules", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Schedule id")),
    responses((status = 200, body = Schedule),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_schedule(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<Schedule>, ApiError> {
    Ok(Json(service::get(&state, user, id).await?))
}

/// Reschedules (`run_at`, `timezone`, `recurrence`, `exdates`, `connector`), pauses or resumes (`status`).
#[utoipa::path(patch, path = "/schedule/{id}", tag = "schedules", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Schedule id")), request_body = UpdateScheduleRequest,
    responses((status = 200, body = Schedule),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn update_schedule(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<UpdateScheduleRequest>,
) -> Result<Json<Schedule>, ApiError> {
    Ok(Json(service::update(&state, user, id, request).await?))
}

#[utoipa::path(delete, path = "/schedule/{id}", tag = "schedules", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Schedule id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_schedule(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    service::delete(&state, user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every publication attempt of a schedule, newest occurrence first.
#[utoipa::path(get, path = "/schedule/{id}/runs", tag = "schedules", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Schedule id")),
    responses((status = 200, body = ScheduleRunList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list_runs(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<ScheduleRunList>, ApiError> {
    Ok(Json(service::runs(&state.db, user.id, id).await?))
}

/// Creates (or replaces) the caller's secret calendar-feed link; the old link stops working.
#[utoipa::path(post, path = "/schedule/feed-token", tag = "schedules", security(("bearer" = [])),
    responses((status = 201, body = FeedToken),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn create_feed_token(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<(StatusCode, Json<FeedToken>), ApiError> {
    let token = new_opaque_token();
    store::set_feed_token(&state.db, user.id, hash_opaque_token(&token), state.clock.now()).await?;
    let url = format!("{}/schedule.ics?token={token}", state.config.scheduler.public_api_url);
    Ok((StatusCode::CREATED, Json(FeedToken { token, url })))
}

/// Whether the caller has a calendar-feed link, when it was made and last fetched (404 when none).
#[utoipa::path(get, path = "/schedule/feed-token", tag = "schedules", security(("bearer" = [])),
    responses((status = 200, body = FeedStatus),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No calendar link yet", body = Problem, content_type = "application/problem+json")))]
pub async fn feed_status(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<FeedStatus>, ApiError> {
    let feed = store::find_feed(&state.db, user.id).await?.ok_or(ApiError::NotFound("calendar link"))?;
    Ok(Json(FeedStatus { created_at: feed.created_at, last_fetched_at: feed.last_fetched_at }))
}

/// An iCalendar feed of the next 90 days of posts, for calendar apps (the token is the credential).
#[utoipa::path(get, path = "/schedule.ics", tag = "schedules", params(FeedQuery),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<FeedQuery>,
) -> Result<Response, ApiError> {
    let token_hash = hash_opaque_token(query.token.expose_secret().trim());
    let owner_id = store::fetch_feed(&state.db, &token_hash, state.clock.now())
        .await?
        .ok_or(ApiError::Unauthorized("The calendar feed token is unknown or was replaced."))?;
    let now = state.clock.now();
    let calendar = service::list(&state.db, owner_id, now, now + Duration::days(ical::FEED_DAYS)).await?;
    let upcoming: Vec<_> = calendar
        .occurrences
        .into_iter()
        .filter(|occurrence| occurrence.status == "scheduled")
        .take(ical::FEED_MAX_EVENTS)
        .collect();
    let variants =
        service::variants_by_id(&state.db, upcoming.iter().map(|occurrence| occurrence.variant_id)).await?;
    let entries: Vec<FeedEntry> = upcoming
        .into_iter()
        .map(|occurrence| FeedEntry {
            content: variants
                .get(&occurrence.variant_id)
                .map(|variant| variant.content.clone())
                .unwrap_or_default(),
            schedule_id: occurrence.schedule_id,
            at: occurrence.at,
            channel: occurrence.channel,
        })
        .collect();
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    Ok((headers, ical::render(&entries, now)).into_response())
}

/// Schedules many posts from CSV, all rows or none. The header names the columns: `run_at`
/// (`2027-03-22 09:00`, local to `timezone`) and `timezone`, the post by `post` (the link copied
/// from its card), `variant_id`, or `job` and `channel`, and optionally `recurrence` and
/// `connector`. Rows without a date are skipped; errors name rows as a spreadsheet numbers them.
#[utoipa::path(post, path = "/schedule/import", tag = "schedules", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportResult),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong rows, each error named `rows[<row>].<column>` with a message starting `Row <row>:`", body = Problem, content_type = "application/problem+json")))]
pub async fn import_schedules(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    body: String,
) -> Result<(StatusCode, Json<ImportResult>), ApiError> {
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    if !(content_type.starts_with("text/csv") || content_type.starts_with("text/plain")) {
        return Err(ApiError::UnsupportedMediaType("Send the rows as `Content-Type: text/csv`.".into()));
    }
    let rows = import::parse_csv(&body)?;
    let imported = import::schedule_rows(&state, user, rows).await?;
    Ok((
        StatusCode::CREATED,
        Json(ImportResult {
            created: imported.created.len(),
            skipped: imported.skipped,
            items: imported.created,
        }),
    ))
}

/// A CSV template to fill in: a row for each of the caller's accepted posts (at most 500) with
/// its job, channel and link, and an empty `run_at`.
#[utoipa::path(get, path = "/schedule/import/template", tag = "schedules", security(("bearer" = [])),
    params(TemplateQuery),
    responses((status = 200, description = "The template, as an attachment", body = String, content_type = "text/csv",
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"kyros-schedule.csv\"`"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown `timezone`", body = Problem, content_type = "application/problem+json")))]
pub async fn import_template(
    State(state): State<AppState>,
    user: AuthUser,
    ValidQuery(query): ValidQuery<TemplateQuery>,
) -> Result<Response, ApiError> {
    let body = import::template(&state, user, query.timezone.as_deref()).await?;
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"kyros-schedule.csv\""),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
    ];
    Ok((headers, body).into_response())
}
