//! Liveness, readiness and the metrics scrape.

mod metrics;

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{db, error::PROBLEM_CONTENT_TYPE, state::AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(health))
        .routes(routes!(readyz))
        .merge(metrics::router())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    /// Always `ok` (failures are problem documents).
    pub status: &'static str,
    /// Per dependency: `ok` (readiness only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<&'static str, String>,
}

/// Shallow liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = HealthStatus)))]
async fn healthz() -> Json<HealthStatus> {
    Json(HealthStatus { status: "ok", checks: BTreeMap::new() })
}

/// Alias of `/healthz`.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = HealthStatus)))]
async fn health() -> Json<HealthStatus> {
    healthz().await
}

/// Readiness: the database answers (and Redis, when configured).
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, body = HealthStatus), (status = 503, description = "A dependency is down; `checks` names it", body = crate::error::Problem, content_type = "application/problem+json")))]
async fn readyz(State(state): State<AppState>) -> Response {
    let mut checks = BTreeMap::new();
    checks.insert("database", outcome(db::ping(&state.db).await));
    if let Some(redis) = &state.redis {
        let mut connection = redis.clone();
        let pong: Result<String, _> = redis::cmd("PING").query_async(&mut connection).await;
        checks.insert("redis", outcome(pong));
    }
    let down: Vec<String> = checks
        .iter()
        .filter(|(_, value)| *value != "ok")
        .map(|(name, value)| format!("{name} is {value}"))
        .collect();
    if down.is_empty() {
        return Json(HealthStatus { status: "ok", checks }).into_response();
    }
    // A problem document with the per-dependency results as an extension member.
    let body = serde_json::json!({
        "type": "https://kyros.dev/problems/not-ready",
        "title": "Not ready",
        "status": 503,
        "detail": down.join("; "),
        "checks": checks,
    });
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    response
}

fn outcome<T, E: std::fmt::Display>(result: Result<T, E>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("down: {error}"),
    }
}
