//! Error reporting against a Sentry stand-in on loopback: a failed request and a failed job
//! each arrive as exactly one event, tagged so they can be found, with nothing secret in it.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    routing::post,
};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use sentry::{Envelope, protocol::Event};
use serde_json::json;
use tokio::net::TcpListener;

use crate::common::{ARTICLE, PASSWORD, TestApp, assert_problem};

const ENVIRONMENT: &str = "staging";
const RELEASE: &str = "kyros@9.9.9-test";

/// Envelopes as they arrived: the raw text (to look for secrets anywhere) and its event.
type Received = Arc<Mutex<Vec<(String, Option<Event<'static>>)>>>;

/// Accepts envelopes like Sentry's ingestion endpoint (`POST /api/{project}/envelope/`).
struct FakeSentry {
    dsn: String,
    received: Received,
}

impl FakeSentry {
    async fn start() -> Self {
        let received = Received::default();
        let router =
            Router::new().route("/api/{project}/envelope/", post(accept)).with_state(received.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let dsn = format!("http://public@{}/42", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { dsn, received }
    }

    fn settings(&self) -> [(&str, &str); 3] {
        [("SENTRY_DSN", &self.dsn), ("SENTRY_ENVIRONMENT", ENVIRONMENT), ("SENTRY_RELEASE", RELEASE)]
    }

    /// The events received once at least `count` have come, every queued one flushed first;
    /// with the raw envelopes, concatenated.
    async fn events(&self, count: usize) -> (Vec<Event<'static>>, String) {
        let client = sentry::Hub::main().client().expect("SENTRY_DSN starts a client");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            assert!(client.flush(Some(Duration::from_secs(10))), "events still queued");
            let (events, raw) = {
                let received = self.received.lock().expect("envelopes");
                let events: Vec<Event<'static>> =
                    received.iter().filter_map(|(_, event)| event.clone()).collect();
                (events, received.iter().map(|(raw, _)| raw.as_str()).collect::<Vec<_>>().join("\n"))
            };
            if events.len() >= count {
                return (events, raw);
            }
            assert!(tokio::time::Instant::now() < deadline, "{} of {count} events arrived", events.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn accept(State(received): State<Received>, Path(project): Path<String>, body: Bytes) -> StatusCode {
    assert_eq!(project, "42", "the project of the DSN");
    let envelope = Envelope::from_slice(&body).expect("a Sentry envelope");
    let event = envelope.event().cloned();
    received.lock().expect("envelopes").push((String::from_utf8_lossy(&body).into_owned(), event));
    StatusCode::OK
}

fn assert_tagged(event: &Event<'static>, user_id: &str) {
    assert_eq!(event.release.as_deref(), Some(RELEASE));
    assert_eq!(event.environment.as_deref(), Some(ENVIRONMENT));
    let user = event.user.as_ref().expect("the user");
    assert_eq!(user.id.as_deref(), Some(user_id));
    assert!(user.email.is_none() && user.ip_address.is_none(), "{user:?}");
}

fn assert_no_secret(raw: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!raw.contains(secret), "`{secret}` was sent to Sentry: {raw}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_reported_once_without_secrets() {
    let sentry = FakeSentry::start().await;
    let app = TestApp::sqlite_with(&sentry.settings()).await;
    let user = app.user().await;
    // The jobs table goes behind the API's back: creating a job can only fail.
    app.db.execute_unprepared("DROP TABLE jobs").await.expect("drop the jobs table");

    // Credentials in the query string too, as a careless client sends them.
    let path = format!("/jobs?access_token={}&email={}", user.token, user.email);
    let body =
        json!({ "name": "Launch post", "source": { "type": "text", "content": ARTICLE }, "channels": ["x"] });
    let response =
        app.request(Method::POST, &path, Some(&user.token)).json(&body).send().await.expect("POST");
    let problem = assert_problem(response, StatusCode::INTERNAL_SERVER_ERROR).await;

    let (events, raw) = sentry.events(1).await;
    assert_eq!(events.len(), 1, "one failure, one event: {raw}");
    let event = &events[0];
    assert_tagged(event, &user.id);
    assert_eq!(event.tags["request_id"], problem["request_id"].as_str().expect("request id"));
    assert_eq!(event.tags["trace_id"], problem["trace_id"].as_str().expect("trace id"));
    assert_eq!(event.transaction.as_deref(), Some("POST /jobs"));
    // The error log is the event, with its cause.
    assert_eq!(event.message.as_deref(), Some("internal error"));
    let fields = serde_json::to_value(&event.contexts["Rust Tracing Fields"]).expect("fields");
    assert!(fields["error"].as_str().is_some_and(|error| error.contains("no such table")), "{fields}");
    let request = event.request.as_ref().expect("the request");
    assert_eq!(request.method.as_deref(), Some("POST"));
    assert!(request.url.as_ref().is_some_and(|url| url.path() == "/jobs" && url.query().is_none()));
    let first_line = ARTICLE.lines().find(|line| line.len() > 40).expect("a line of the article");
    assert_no_secret(&raw, &[&user.email, PASSWORD, &user.token, first_line]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_job_is_reported_with_its_attempt_and_provider() {
    let sentry = FakeSentry::start().await;
    let app = TestApp::sqlite_with(&sentry.settings()).await;
    let user = app.user().await;
    let job = app.failed_job(&user).await;

    let (events, raw) = sentry.events(1).await;
    assert_eq!(events.len(), 1, "one failed job, one event: {raw}");
    let event = &events[0];
    assert_tagged(event, &user.id);
    assert_eq!(event.message.as_deref(), Some("job failed: generation"));
    assert_eq!(event.tags["job_id"], job["id"].as_str().expect("job id"));
    assert_eq!(event.tags["attempt"], "1");
    assert_eq!(event.tags["provider"], "local");
    assert_eq!(event.tags["failure"], "generation");
    assert!(event.tags.get("trace_id").is_some_and(|id| id.len() == 32), "the job's trace: {raw}");
    assert!(event.extra["reason"].as_str().is_some_and(|reason| reason.contains("too short")), "{raw}");
    assert_no_secret(&raw, &[&user.email, PASSWORD, &user.token, "Just one sentence here."]);
}
