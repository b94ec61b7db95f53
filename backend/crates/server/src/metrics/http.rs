//! Request counts and latencies per route template.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};

/// The label of requests no route matched (404 fallbacks): one series however many paths.
const UNMATCHED: &str = "unmatched";

/// Middleware: counts and times every request under its route template (`/jobs/{id}`), never
/// its raw path, which carries ids and would make a new series per job. Must be added with
/// `Router::layer`, which runs after routing, so the template is known.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or(UNMATCHED, MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    super::record_request(method.as_str(), &route, response.status().as_u16(), started.elapsed());
    response
}
