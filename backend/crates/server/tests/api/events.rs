//! `GET /jobs/{id}/events`: a job's progress as Server-Sent Events.

use std::time::{Duration, Instant};

use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::{
    common::{ARTICLE, TestApp, TestUser, assert_problem},
    on_both_databases,
};

/// The events of one open stream, read frame by frame as a browser would.
struct EventStream {
    response: Response,
    buffer: String,
}

impl EventStream {
    async fn open(app: &TestApp, user: &TestUser, job_id: &str) -> Self {
        let response = app.get(&format!("/jobs/{job_id}/events"), Some(&user.token)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok());
        assert_eq!(content_type, Some("text/event-stream"));
        Self { response, buffer: String::new() }
    }

    /// The next event's name and JSON data, skipping keep-alive comments; `None` once the server
    /// has closed the stream.
    async fn next(&mut self) -> Option<(String, Value)> {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let frame: String = self.buffer.drain(..end + 2).collect();
                let field = |name: &str| {
                    frame.lines().find_map(|line| line.strip_prefix(name)).map(|v| v.trim_start().to_owned())
                };
                if let Some(data) = field("data:") {
                    let name = field("event:").unwrap_or_else(|| "message".to_owned());
                    return Some((name, serde_json::from_str(&data).expect("event data is JSON")));
                }
            }
            let chunk = self.response.chunk().await.expect("stream read")?;
            self.buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8 frames"));
        }
    }

    /// The next job the stream reports, or `None` once it has closed.
    async fn next_job(&mut self) -> Option<Value> {
        let (name, job) = self.next().await?;
        assert_eq!(name, "status");
        Some(job)
    }

    /// Every job reported until the stream closes.
    async fn jobs_until_closed(&mut self) -> Vec<Value> {
        let mut jobs = Vec::new();
        let read = async {
            while let Some(job) = self.next_job().await {
                jobs.push(job);
            }
        };
        tokio::time::timeout(Duration::from_secs(30), read).await.expect("the stream closes");
        jobs
    }

    /// Asserts nothing is reported for a while: the stream is open and quiet.
    async fn assert_quiet_for(&mut self, period: Duration) {
        let next = tokio::time::timeout(period, self.next()).await;
        assert!(next.is_err(), "expected no event, got {next:?}");
    }
}

fn statuses(jobs: &[Value]) -> Vec<&str> {
    jobs.iter().map(|job| job["status"].as_str().expect("status")).collect()
}

/// Asserts the statuses follow the job's life in order, each reported once.
fn assert_in_order(seen: &[&str], life: &[&str]) {
    let positions: Vec<usize> =
        seen.iter().map(|s| life.iter().position(|l| l == s).expect("a known status")).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "out of order: {seen:?}");
}

/// The job as `GET /jobs/{id}` shows it, without its variants.
async fn job_as_fetched(app: &TestApp, user: &TestUser, job_id: &str) -> Value {
    let mut detail: Value =
        app.get(&format!("/jobs/{job_id}"), Some(&user.token)).await.json().await.unwrap();
    detail.as_object_mut().unwrap().remove("variants");
    detail
}

async fn a_job_streams_its_progress_until_it_is_ready_for_review(app: TestApp) {
    let user = app.user().await;
    let job = app.create_job(&user, ARTICLE, &["linkedin", "x"]).await;
    let id = job["id"].as_str().unwrap();

    let mut events = EventStream::open(&app, &user, id).await;
    let jobs = events.jobs_until_closed().await;

    let seen = statuses(&jobs);
    assert_in_order(&seen, &["queued", "running", "needs_review"]);
    assert_eq!(seen.last(), Some(&"needs_review"), "{seen:?}");
    assert_eq!(jobs.last().unwrap(), &job_as_fetched(&app, &user, id).await);
}

async fn a_draft_stream_reports_its_edits_and_its_submission(app: TestApp) {
    let user = app.user().await;
    let created: Value =
        app.post("/jobs", Some(&user.token), json!({ "name": "Spring menu" })).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();

    let mut events = EventStream::open(&app, &user, id).await;
    assert_eq!(events.next_job().await.unwrap(), created);
    events.assert_quiet_for(Duration::from_millis(1200)).await;

    let patched = app
        .send_json(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&user.token),
            json!({ "name": "Summer menu", "source": { "type": "text", "content": ARTICLE }, "channels": ["x"] }),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let edited = events.next_job().await.unwrap();
    assert_eq!(edited["status"], "draft");
    assert_eq!(edited["name"], "Summer menu");

    let submitted = app.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
    assert_eq!(submitted.status(), StatusCode::ACCEPTED);
    let seen = events.jobs_until_closed().await;
    let seen = statuses(&seen);
    assert_in_order(&seen, &["queued", "running", "needs_review"]);
    assert_eq!(seen.last(), Some(&"needs_review"), "{seen:?}");
}

async fn a_finished_job_sends_its_state_and_closes(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let id = job["id"].as_str().unwrap();

    let jobs = EventStream::open(&app, &user, id).await.jobs_until_closed().await;

    assert_eq!(jobs, vec![job_as_fetched(&app, &user, id).await]);
}

async fn only_the_owner_can_follow_a_job(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let draft: Value =
        app.post("/jobs", Some(&owner.token), json!({ "name": "Private" })).await.json().await.unwrap();
    let path = format!("/jobs/{}/events", draft["id"].as_str().unwrap());

    assert_problem(app.get(&path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(
        app.get("/jobs/0190f5e0-0000-7000-8000-000000000000/events", Some(&owner.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(app.get("/jobs/not-a-uuid/events", Some(&owner.token)).await, StatusCode::NOT_FOUND).await;
}

on_both_databases!(
    a_job_streams_its_progress_until_it_is_ready_for_review,
    a_draft_stream_reports_its_edits_and_its_submission,
    a_finished_job_sends_its_state_and_closes,
    only_the_owner_can_follow_a_job,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_outlives_the_request_timeout_and_closes_at_its_lifetime() {
    let app =
        TestApp::sqlite_with(&[("REQUEST_TIMEOUT_SECONDS", "1"), ("JOB_EVENTS_MAX_SECONDS", "3")]).await;
    let user = app.user().await;
    let draft: Value =
        app.post("/jobs", Some(&user.token), json!({ "name": "Idle" })).await.json().await.unwrap();
    let opened = Instant::now();

    let jobs = EventStream::open(&app, &user, draft["id"].as_str().unwrap()).await.jobs_until_closed().await;

    assert_eq!(statuses(&jobs), ["draft"]);
    let lived = opened.elapsed();
    assert!(lived >= Duration::from_millis(2900), "closed after {lived:?}, before its lifetime");
    assert!(lived < Duration::from_secs(10), "lived {lived:?}");
}
