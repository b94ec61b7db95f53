//! Steering a running fake over HTTP, for browser tests that cannot reach its handle.

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post, put},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Failure, Metrics, core::Core};

#[derive(Debug, Deserialize)]
struct Revoke {
    #[serde(default)]
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Fail {
    #[serde(default = "one")]
    count: usize,
    failure: Failure,
}

#[derive(Debug, Deserialize)]
struct Hold {
    #[serde(default)]
    after: usize,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

/// The controls every fake has, under `/_fakenets`; `duplicates` adds the duplicate switch of
/// the networks that refuse duplicate posts.
pub(crate) fn router(core: Arc<Core>, duplicates: bool) -> Router {
    let mut router = Router::new()
        .route("/_fakenets/revoke", post(revoke))
        .route("/_fakenets/fail", post(fail))
        .route("/_fakenets/hold", post(hold))
        .route("/_fakenets/release", post(release))
        .route("/_fakenets/metrics/{post_id}", put(set_metrics))
        .route("/_fakenets/posts", get(posts))
        .route("/_fakenets/stats", get(stats));
    if duplicates {
        router = router.route("/_fakenets/duplicate", post(duplicate));
    }
    router.with_state(core)
}

async fn revoke(State(core): State<Arc<Core>>, Json(request): Json<Revoke>) -> StatusCode {
    match request.token {
        Some(token) => core.revoke(&token),
        None => core.revoke_all(),
    }
    StatusCode::NO_CONTENT
}

async fn fail(State(core): State<Arc<Core>>, Json(request): Json<Fail>) -> StatusCode {
    core.fail_next(request.count, request.failure);
    StatusCode::NO_CONTENT
}

async fn hold(State(core): State<Arc<Core>>, Json(request): Json<Hold>) -> StatusCode {
    core.hold_after(request.after, request.count);
    StatusCode::NO_CONTENT
}

async fn release(State(core): State<Arc<Core>>) -> StatusCode {
    core.release();
    StatusCode::NO_CONTENT
}

async fn duplicate(State(core): State<Arc<Core>>) -> StatusCode {
    core.duplicate_next_post();
    StatusCode::NO_CONTENT
}

async fn set_metrics(
    State(core): State<Arc<Core>>,
    Path(post_id): Path<String>,
    Json(metrics): Json<Metrics>,
) -> StatusCode {
    core.set_metrics(&post_id, metrics);
    StatusCode::NO_CONTENT
}

async fn posts(State(core): State<Arc<Core>>) -> Json<Value> {
    Json(json!(core.posts()))
}

async fn stats(State(core): State<Arc<Core>>) -> Json<Value> {
    Json(json!({
        "code_exchanges": core.code_exchanges(),
        "refreshes": core.refreshes(),
        "held": core.held(),
    }))
}
