//! `GET /metrics`: the recorder's series plus the job gauge counted in the database.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use sea_orm::ActiveEnum;

use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{problem_response, status_problem},
    jobs::{model::JobStatus, service},
    state::AppState,
};

/// The Prometheus text exposition format.
const EXPOSITION_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metrics))
}

/// Prometheus metrics in the text exposition format.
///
/// HTTP traffic per route template, job processing, generations, schedule runs and jobs by
/// status. Operational figures only (no user data), unauthenticated like the health checks:
/// keep it off the public internet.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain"),
        (status = 404, description = "Metrics are disabled (`METRICS_ENABLED=false`)", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
async fn metrics(State(state): State<AppState>) -> Response {
    let Some(handle) = &state.metrics else {
        return problem_response(StatusCode::NOT_FOUND, status_problem(StatusCode::NOT_FOUND));
    };
    let mut body = handle.render();
    match service::count_by_status(&state.db).await {
        Ok(counts) => body.push_str(&job_gauge(&counts)),
        // The scrape still answers with the process's own series; readiness names the database.
        Err(error) => tracing::warn!(%error, "counting jobs by status for /metrics failed"),
    }
    match service::oldest_queued_at(&state.db).await {
        Ok(oldest) => body.push_str(&queue_age_gauge(oldest, state.clock.now())),
        Err(error) => tracing::warn!(%error, "finding the oldest queued job for /metrics failed"),
    }
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(EXPOSITION_CONTENT_TYPE));
    response
}

/// `kyros_jobs{status}` in the exposition format: every status, zero when no job has it, so a
/// queue that drains shows 0 rather than a series that vanishes.
fn job_gauge(counts: &[(String, i64)]) -> String {
    let mut text = String::from(
        "# HELP kyros_jobs Jobs by status, counted in the database at scrape time.\n# TYPE kyros_jobs gauge\n",
    );
    for status in JobStatus::ALL {
        let name = status.to_value();
        let count: i64 = counts.iter().filter(|(counted, _)| *counted == name).map(|(_, n)| n).sum();
        // Writing into a String cannot fail.
        let _ = writeln!(text, "kyros_jobs{{status=\"{name}\"}} {count}");
    }
    text
}

/// `kyros_oldest_queued_job_age_seconds`: 0 when nothing waits, so an alert on it resolves.
fn queue_age_gauge(oldest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let seconds = oldest.map_or(0.0, |queued_at| (now - queued_at).num_milliseconds().max(0) as f64 / 1000.0);
    format!(
        "# HELP kyros_oldest_queued_job_age_seconds How long the longest-waiting queued job has waited.\n\
         # TYPE kyros_oldest_queued_job_age_seconds gauge\n\
         kyros_oldest_queued_job_age_seconds {seconds}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_gauge_lists_every_status_with_zeros_for_the_missing_ones() {
        let text = job_gauge(&[("queued".into(), 3), ("needs_review".into(), 2)]);
        assert!(text.starts_with("# HELP kyros_jobs "));
        assert!(text.contains("# TYPE kyros_jobs gauge\n"));
        assert!(text.contains("kyros_jobs{status=\"queued\"} 3\n"));
        assert!(text.contains("kyros_jobs{status=\"needs_review\"} 2\n"));
        assert!(text.contains("kyros_jobs{status=\"failed\"} 0\n"));
        assert_eq!(text.lines().filter(|line| line.starts_with("kyros_jobs{")).count(), JobStatus::ALL.len());
    }

    #[test]
    fn the_queue_age_is_zero_when_nothing_waits() {
        let now = Utc::now();
        assert!(queue_age_gauge(None, now).ends_with("kyros_oldest_queued_job_age_seconds 0\n"));
        let text = queue_age_gauge(Some(now - chrono::Duration::milliseconds(90_500)), now);
        assert!(text.contains("# TYPE kyros_oldest_queued_job_age_seconds gauge\n"));
        assert!(text.ends_with("kyros_oldest_queued_job_age_seconds 90.5\n"));
    }

    #[test]
    fn statuses_the_server_does_not_know_are_left_out() {
        let text = job_gauge(&[("archived".into(), 7)]);
        assert!(!text.contains("archived"));
    }
}
