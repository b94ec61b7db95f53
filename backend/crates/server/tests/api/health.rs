use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, assert_problem};

async fn liveness_answers_ok(app: TestApp) {
    for path in ["/healthz", "/health", "/readyz"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers().contains_key("x-request-id"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

async fn readiness_names_a_database_that_is_down(app: TestApp) {
    app.db.clone().close().await.unwrap();
    let problem = assert_problem(app.get("/readyz", None).await, StatusCode::SERVICE_UNAVAILABLE).await;
    assert!(problem["checks"]["database"].as_str().unwrap().starts_with("down"));
    assert!(problem["detail"].as_str().unwrap().contains("database"));
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

async fn openapi_document_tags_every_operation(app: TestApp) {
    let document: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    for expected in [
        "/auth/register",
        "/auth/login",
        "/auth/refresh",
        "/auth/logout",
        "/me",
        "/jobs",
        "/jobs/{id}",
        "/jobs/{id}/submit",
        "/jobs/{id}/retry",
        "/variants/{id}",
        "/export/{variant_id}",
        "/presets",
        "/presets/{id}",
        "/healthz",
        "/readyz",
        "/usage",
    ] {
        assert!(paths.contains_key(expected), "missing {expected}");
    }
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let tags = operation["tags"].as_array().map(Vec::len).unwrap_or(0);
            assert!(tags > 0, "{method} {path} has no tag");
        }
    }
}

async fn swagger_ui_is_served_from_the_binary(app: TestApp) {
    let response = app.get("/docs/", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    assert!(!html.contains("https://"), "Swagger UI must not load from a CDN");
    let script = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(script.status(), StatusCode::OK);
}

async fn unknown_routes_and_methods_are_problems(app: TestApp) {
    assert_problem(app.get("/nope", None).await, StatusCode::NOT_FOUND).await;
    let wrong_method = app.request(reqwest::Method::DELETE, "/healthz", None).send().await.unwrap();
    assert_problem(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
}

async fn cors_allows_only_the_ui_origin(app: TestApp) {
    let allowed = app
        .request(reqwest::Method::GET, "/healthz", None)
        .header("origin", "http://localhost:3001")
        .send()
        .await
        .unwrap();
    assert_eq!(allowed.headers().get("access-control-allow-origin").unwrap(), "http://localhost:3001");
    let other = app
        .request(reqwest::Method::GET, "/healthz", None)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

async fn the_channel_rules_are_served(app: TestApp) {
    let table: Value = app.get("/channels", None).await.json().await.unwrap();
    assert!(table["version"].as_str().is_some_and(|v| !v.is_empty()));
    let channels = table["channels"].as_array().unwrap();
    let x = channels.iter().find(|c| c["channel"] == "x").expect("x rules");
    assert_eq!(x["max_chars"], 280);
    assert_eq!(x["counting"], "weighted");
    let linkedin = channels.iter().find(|c| c["channel"] == "linkedin").expect("linkedin rules");
    assert_eq!(linkedin["max_chars"], 3000);
    let bluesky = channels.iter().find(|c| c["channel"] == "bluesky").expect("bluesky rules");
    assert_eq!(
        (&bluesky["max_chars"], &bluesky["counting"], &bluesky["threads"]),
        (&json!(300), &json!("graphemes"), &json!(true))
    );
    let mastodon = channels.iter().find(|c| c["channel"] == "mastodon").expect("mastodon rules");
    assert_eq!((&mastodon["max_chars"], &mastodon["counting"]), (&json!(500), &json!("mastodon")));
    assert_eq!(mastodon["display_name"], "Mastodon");
    assert_eq!(channels.len(), 6);
}

/// With Redis configured, readiness reports it and jobs flow through the Redis queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_is_checked_and_carries_the_queue() {
    let Some(app) = TestApp::sqlite_with_redis_queue().await else { return };
    let ready: Value = app.get("/readyz", None).await.json().await.unwrap();
    assert_eq!(ready["checks"]["redis"], "ok");
    assert_eq!(ready["checks"]["database"], "ok");
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    assert_eq!(job["variants"].as_array().unwrap().len(), 4);
}

crate::on_both_databases!(
    liveness_answers_ok,
    readiness_names_a_database_that_is_down,
    openapi_document_tags_every_operation,
    swagger_ui_is_served_from_the_binary,
    unknown_routes_and_methods_are_problems,
    cors_allows_only_the_ui_origin,
    the_channel_rules_are_served,
);
