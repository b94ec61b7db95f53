use axum::{Json, extract::State, response::Response};
use uuid::Uuid;

use super::{
    model::{
        MoveRequest, MoveResult, OpenSlotList, OpenSlotQuery, QueueList, QueueQuery, QueueRequest,
        ReplaceSlotsRequest, SlotSet,
    },
    service,
};
use crate::{
    auth::AuthUser,
    error::{ApiError, Problem},
    extract::{ValidJson, ValidPath, ValidQuery},
    schedules::model::Schedule,
    state::AppState,
};

/// The account's weekly posting slots, Monday first.
#[utoipa::path(get, path = "/connections/{id}/slots", tag = "slots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")),
    responses((status = 200, body = SlotSet),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get_slots(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Result<Json<SlotSet>, ApiError> {
    Ok(Json(service::slots(&state, user, id).await?))
}

/// Replaces the account's posting slots. Posts already queued keep their times.
#[utoipa::path(put, path = "/connections/{id}/slots", tag = "slots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")), request_body = ReplaceSlotsRequest,
    responses((status = 200, body = SlotSet),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong field: `timezone`, `slots`, `slots[<n>].weekday`, `slots[<n>].time` or a repeated `slots[<n>]`", body = Problem, content_type = "application/problem+json")))]
pub async fn replace_slots(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<ReplaceSlotsRequest>,
) -> Result<Json<SlotSet>, ApiError> {
    Ok(Json(service::replace_slots(&state, user, id, request).await?))
}

/// Puts an accepted post into the account's next free slot: a one-off schedule at that time.
/// 409 when the account has no free slot or needs reconnecting.
#[utoipa::path(post, path = "/connections/{id}/queue", tag = "slots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")), request_body = QueueRequest,
    responses((status = 201, body = Schedule, headers(("Location" = String, description = "The schedule's URL"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The post is not accepted, fails its checks, or was written for another network (`variant_id`)", body = Problem, content_type = "application/problem+json")))]
pub async fn add_to_queue(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<QueueRequest>,
) -> Result<Response, ApiError> {
    service::enqueue(&state, user, id, request).await?.into_created_response()
}

/// The account's next slots, soonest first, each with the post that fills it or empty.
#[utoipa::path(get, path = "/connections/{id}/queue", tag = "slots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id"), QueueQuery),
    responses((status = 200, body = QueueList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn get_queue(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidQuery(query): ValidQuery<QueueQuery>,
) -> Result<Json<QueueList>, ApiError> {
    Ok(Json(service::queue(&state, user, id, query.limit).await?))
}

/// Moves a queued post to another upcoming slot of the account; a post already there swaps
/// places with it.
#[utoipa::path(post, path = "/connections/{id}/queue/move", tag = "slots", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Connection id")), request_body = MoveRequest,
    responses((status = 200, body = MoveResult),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`schedule_id` is not waiting in this queue, or `to` is not one of its upcoming slots", body = Problem, content_type = "application/problem+json")))]
pub async fn move_in_queue(
    State(state): State<AppState>,
    user: AuthUser,
    ValidPath(id): ValidPath<Uuid>,
    ValidJson(request): ValidJson<MoveRequest>,
) -> Result<Json<MoveResult>, ApiError> {
    Ok(Json(service::move_post(&state, user, id, request).await?))
}

/// The empty slots of all the caller's accounts in `[from, to)`, for the calendar.
#[utoipa::path(get, path = "/queue/open-slots", tag = "slots", security(("bearer" = [])), params(OpenSlotQuery),
    responses((status = 200, body = OpenSlotList),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn open_slots(
    State(state): State<AppState>,
    user: AuthUser,
    ValidQuery(query): ValidQuery<OpenSlotQuery>,
) -> Result<Json<OpenSlotList>, ApiError> {
    Ok(Json(service::open_slots(&state, user, query.from.as_deref(), query.to.as_deref()).await?))
}
