use chrono::Duration;
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_problem};

fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).map(|value| value.to_str().unwrap().to_owned())
}

fn number(response: &Response, name: &str) -> u64 {
    header(response, name).unwrap_or_else(|| panic!("{name} missing")).parse().unwrap()
}

/// Asserts a rate-limit refusal and returns its `Retry-After` seconds.
async fn assert_rate_limited(response: Response) -> u64 {
    let retry_after = number(&response, "retry-after");
    assert_eq!(number(&response, "ratelimit-remaining"), 0);
    let problem = assert_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(problem["type"], "https://kyros.dev/problems/rate-limited");
    assert!(problem["reset_at"].is_string(), "{problem}");
    retry_after
}

async fn login_from(app: &TestApp, address: Option<&str>) -> Response {
    let mut request = app
        .request(reqwest::Method::POST, "/auth/login", None)
        .json(&json!({ "email": "nobody@example.com", "password": "wrong password" }));
    if let Some(address) = address {
        request = request.header("x-forwarded-for", address);
    }
    request.send().await.unwrap()
}

/// Given a bucket of three requests a minute, the fourth in a burst is refused with
/// `Retry-After`, and passes once the clock has moved on by one token's worth.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_bucket_is_refused_until_it_refills() {
    let app =
        TestApp::sqlite_with(&[("RATE_LIMIT_REQUESTS_PER_MINUTE", "3"), ("RATE_LIMIT_BURST", "3")]).await;
    let user = app.user().await;
    for remaining in [2, 1, 0] {
        let response = app.get("/me", Some(&user.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(number(&response, "ratelimit-limit"), 3);
        assert_eq!(number(&response, "ratelimit-remaining"), remaining);
        assert!((1..=60).contains(&number(&response, "ratelimit-reset")));
    }
    let retry_after = assert_rate_limited(app.get("/me", Some(&user.token)).await).await;
    assert!((1..=20).contains(&retry_after), "one token takes 20 s, got {retry_after}");

    app.clock.advance(Duration::seconds(20));
    let again = app.get("/me", Some(&user.token)).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(number(&again, "ratelimit-remaining"), 0);
    app.clock.advance(Duration::minutes(5));
    let rested = app.get("/me", Some(&user.token)).await;
    assert_eq!(number(&rested, "ratelimit-remaining"), 2, "a rested bucket is full, never fuller");
}

/// Given two users and an anonymous caller, each has a bucket of their own; a bad token counts
/// against the caller's address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_and_addresses_do_not_share_buckets() {
    let app =
        TestApp::sqlite_with(&[("RATE_LIMIT_REQUESTS_PER_MINUTE", "2"), ("RATE_LIMIT_BURST", "2")]).await;
    let ada = app.user().await;
    let bob = app.user().await;
    for _ in 0..2 {
        assert_eq!(app.get("/me", Some(&ada.token)).await.status(), StatusCode::OK);
    }
    assert_rate_limited(app.get("/presets", Some(&ada.token)).await).await;
    assert_eq!(app.get("/me", Some(&bob.token)).await.status(), StatusCode::OK);

    for _ in 0..2 {
        assert_eq!(app.get("/channels", None).await.status(), StatusCode::OK);
    }
    assert_rate_limited(app.get("/channels", None).await).await;
    assert_rate_limited(app.get("/me", Some("forged.token.value")).await).await;
    assert_rate_limited(app.get("/me", Some("kyr_invented-api-token")).await).await;
    assert_eq!(app.get("/me", Some(&bob.token)).await.status(), StatusCode::OK);
}

/// Given a personal API token, it spends from its owner's bucket, like their session does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_share_their_owners_bucket() {
    let app =
        TestApp::sqlite_with(&[("RATE_LIMIT_REQUESTS_PER_MINUTE", "3"), ("RATE_LIMIT_BURST", "3")]).await;
    let user = app.user().await;
    let created =
        app.post("/me/tokens", Some(&user.token), json!({ "name": "script", "scopes": ["read"] })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let api_token = created.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let first = app.get("/me", Some(&api_token)).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(number(&first, "ratelimit-remaining"), 1, "the session already spent one");
    assert_eq!(app.get("/me", Some(&user.token)).await.status(), StatusCode::OK);
    assert_rate_limited(app.get("/me", Some(&api_token)).await).await;
}

/// Given a tight sign-in limit behind a trusted proxy, each forwarded client address has its
/// own bucket; without the proxy setting the header is ignored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_limited_per_client_address() {
    let limits = [("AUTH_RATE_LIMIT_PER_MINUTE", "2"), ("AUTH_RATE_LIMIT_BURST", "2")];
    let app = TestApp::sqlite_with(&[limits[0], limits[1], ("TRUSTED_PROXIES", "127.0.0.1")]).await;
    for _ in 0..2 {
        assert_eq!(login_from(&app, Some("198.51.100.1")).await.status(), StatusCode::UNAUTHORIZED);
    }
    let retry_after = assert_rate_limited(login_from(&app, Some("198.51.100.1")).await).await;
    assert!((1..=30).contains(&retry_after));
    // The client cannot escape by prepending addresses of its own.
    assert_rate_limited(login_from(&app, Some("203.0.113.5, 198.51.100.1")).await).await;
    assert_eq!(login_from(&app, Some("198.51.100.2")).await.status(), StatusCode::UNAUTHORIZED);
    let user = app.user().await;
    assert_eq!(app.get("/me", Some(&user.token)).await.status(), StatusCode::OK, "the API has its own limit");

    let untrusting = TestApp::sqlite_with(&limits).await;
    assert_eq!(login_from(&untrusting, Some("198.51.100.1")).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(login_from(&untrusting, Some("198.51.100.2")).await.status(), StatusCode::UNAUTHORIZED);
    assert_rate_limited(login_from(&untrusting, Some("198.51.100.3")).await).await;
}

/// Given a bucket of one, health checks and the API docs still always answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_docs_are_never_limited() {
    let app =
        TestApp::sqlite_with(&[("RATE_LIMIT_REQUESTS_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "1")]).await;
    assert_eq!(app.get("/channels", None).await.status(), StatusCode::OK);
    assert_rate_limited(app.get("/channels", None).await).await;
    for path in ["/healthz", "/health", "/readyz", "/openapi.json", "/docs/", "/healthz", "/readyz"] {
        let response = app.get(path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(header(&response, "ratelimit-limit").is_none(), "{path} is not limited");
    }
}

/// Given the console's origin, a refusal still carries CORS headers and exposes the limit headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_can_read_a_refusal() {
    let app =
        TestApp::sqlite_with(&[("RATE_LIMIT_REQUESTS_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "1")]).await;
    let from_console = || {
        app.request(reqwest::Method::GET, "/channels", None).header("origin", "http://localhost:3001").send()
    };
    assert_eq!(from_console().await.unwrap().status(), StatusCode::OK);
    let refused = from_console().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&refused, "access-control-allow-origin").as_deref(), Some("http://localhost:3001"));
    let exposed = header(&refused, "access-control-expose-headers").unwrap_or_default().to_lowercase();
    for name in ["retry-after", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] {
        assert!(exposed.contains(name), "{name} not in {exposed}");
    }
}
