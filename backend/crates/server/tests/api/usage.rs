use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use server::clock::Clock;

use crate::common::{ARTICLE, PASSWORD, TestApp, TestUser, assert_problem};

async fn usage_of(app: &TestApp, user: &TestUser) -> Value {
    let response = app.get("/usage", Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn next_utc_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    (now.date_naive() + chrono::Days::new(1)).and_time(NaiveTime::MIN).and_utc()
}

fn first_of_next_month(now: DateTime<Utc>) -> DateTime<Utc> {
    let first = now.date_naive().with_day(1).unwrap() + chrono::Months::new(1);
    first.and_time(NaiveTime::MIN).and_utc()
}

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().expect("an RFC 3339 instant").parse().expect("an instant")
}

fn chars_of(job: &Value) -> u64 {
    job["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["content"].as_str().unwrap().chars().count() as u64)
        .sum()
}

/// Asserts a quota refusal naming `quota`, and returns its body.
async fn assert_quota_exceeded(app: &TestApp, response: Response, quota: &str) -> Value {
    let retry_after: i64 = response
        .headers()
        .get("retry-after")
        .expect("Retry-After on a quota refusal")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let problem = assert_problem(response, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(problem["type"], "https://kyros.dev/problems/quota-exceeded");
    assert_eq!(problem["quota"], quota);
    let reset_at = instant(&problem["reset_at"]);
    // The server rounds the time left up to whole seconds, and measured it a moment before this
    // reading: the header is at least the time left now, and at most a second (rounding) plus a
    // few seconds (a slow machine) over it.
    let until_reset_ms = (reset_at - app.clock.now()).num_milliseconds();
    let retry_after_ms = retry_after * 1000;
    assert!(
        (until_reset_ms..=until_reset_ms + 6000).contains(&retry_after_ms),
        "{retry_after} s vs {until_reset_ms} ms"
    );
    problem
}

async fn promote_to_admin(app: &TestApp, user: &TestUser) -> TestUser {
    let sql = format!("UPDATE users SET role = 'admin' WHERE email = '{}'", user.email);
    app.db.execute_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap();
    // The role travels in the access token, so the admin signs in again.
    let tokens = app.login(&user.email, PASSWORD).await;
    TestUser { token: tokens["access_token"].as_str().unwrap().to_owned(), ..user.clone() }
}

/// Given a new user, their usage is empty; queued jobs and generated (and regenerated) text count,
/// drafts do not.
async fn usage_counts_queued_jobs_and_generated_characters(app: TestApp) {
    let user = app.user().await;
    let fresh = usage_of(&app, &user).await;
    let now = app.clock.now();
    assert_eq!(fresh["role"], "user");
    assert_eq!(fresh["jobs_per_day"]["used"], 0);
    assert_eq!(fresh["jobs_per_day"]["limit"], 50);
    assert_eq!(fresh["jobs_per_day"]["remaining"], 50);
    assert_eq!(instant(&fresh["jobs_per_day"]["resets_at"]), next_utc_midnight(now));
    assert_eq!(fresh["chars_per_month"]["used"], 0);
    assert_eq!(fresh["chars_per_month"]["limit"], 500_000);
    assert_eq!(instant(&fresh["chars_per_month"]["resets_at"]), first_of_next_month(now));

    let draft = app.post("/jobs", Some(&user.token), json!({ "name": "Later" })).await;
    assert_eq!(draft.status(), StatusCode::CREATED);
    assert_eq!(usage_of(&app, &user).await["jobs_per_day"]["used"], 0, "a draft costs nothing");

    let job = app.generated_job(&user).await;
    let generated = chars_of(&job);
    assert!(generated > 0);
    let usage = usage_of(&app, &user).await;
    assert_eq!(usage["jobs_per_day"]["used"], 1);
    assert_eq!(usage["jobs_per_day"]["remaining"], 49);
    assert_eq!(usage["chars_per_month"]["used"], generated);
    assert_eq!(usage["chars_per_month"]["remaining"], 500_000 - generated);

    let variant_id = job["variants"][0]["id"].as_str().unwrap();
    let regenerated =
        app.post(&format!("/variants/{variant_id}/regenerate"), Some(&user.token), json!({})).await;
    assert_eq!(regenerated.status(), StatusCode::OK);
    let regenerated: Value = regenerated.json().await.unwrap();
    let alternative = regenerated["content"].as_str().unwrap().chars().count() as u64;
    let usage = usage_of(&app, &user).await;
    assert_eq!(usage["chars_per_month"]["used"], generated + alternative, "regenerations count too");
    assert_eq!(usage["jobs_per_day"]["used"], 1);

    let other = app.user().await;
    assert_eq!(usage_of(&app, &other).await["jobs_per_day"]["used"], 0, "usage is per user");
}

async fn usage_requires_sign_in(app: TestApp) {
    assert_problem(app.get("/usage", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/usage", Some("not-a-token")).await, StatusCode::UNAUTHORIZED).await;
}

/// Given a user with two jobs a day, the third queued job is refused until the next UTC day,
/// whether it is created, submitted from a draft or retried; refusals cost nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_job_quota_refuses_until_midnight() {
    let app = TestApp::sqlite_with(&[("QUOTA_JOBS_PER_DAY_USER", "2")]).await;
    let user = app.user().await;
    let failing = app.failed_job(&user).await;
    let failing_id = failing["id"].as_str().unwrap();
    app.edit_source(&user, failing_id, ARTICLE).await;
    let draft: Value =
        app.post("/jobs", Some(&user.token), json!({ "name": "Draft" })).await.json().await.unwrap();
    let draft_id = draft["id"].as_str().unwrap();
    let patched = app
        .send_json(
            reqwest::Method::PATCH,
            &format!("/jobs/{draft_id}"),
            Some(&user.token),
            json!({ "source": { "type": "text", "content": ARTICLE } }),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    app.create_job(&user, ARTICLE, &["x"]).await;

    let body = json!({ "name": "Third", "source": { "type": "text", "content": ARTICLE } });
    let refused = app.post("/jobs", Some(&user.token), body.clone()).await;
    let problem = assert_quota_exceeded(&app, refused, "jobs_per_day").await;
    assert_eq!(problem["limit"], 2);
    assert_eq!(problem["used"], 2);
    assert_eq!(instant(&problem["reset_at"]), next_utc_midnight(app.clock.now()));
    let submit = app.post(&format!("/jobs/{draft_id}/submit"), Some(&user.token), json!({})).await;
    assert_quota_exceeded(&app, submit, "jobs_per_day").await;
    let retry = app.post(&format!("/jobs/{failing_id}/retry"), Some(&user.token), json!({})).await;
    assert_quota_exceeded(&app, retry, "jobs_per_day").await;

    let usage = usage_of(&app, &user).await;
    assert_eq!(usage["jobs_per_day"]["used"], 2);
    assert_eq!(usage["jobs_per_day"]["remaining"], 0);
    let jobs: Value = app.get("/jobs", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(jobs["items"].as_array().unwrap().len(), 3, "the refused job was not created");
    let still_draft: Value =
        app.get(&format!("/jobs/{draft_id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(still_draft["status"], "draft");

    app.clock.advance(Duration::days(1));
    let submitted = app.post(&format!("/jobs/{draft_id}/submit"), Some(&user.token), json!({})).await;
    assert_eq!(submitted.status(), StatusCode::ACCEPTED);
    let retried = app.post(&format!("/jobs/{failing_id}/retry"), Some(&user.token), json!({})).await;
    assert_eq!(retried.status(), StatusCode::ACCEPTED);
    assert_eq!(usage_of(&app, &user).await["jobs_per_day"]["used"], 2, "a new day, a new count");
}

/// Given a tiny monthly character allowance, the first generation may overshoot it; after that
/// new jobs and regenerations are refused until the first of next month.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_character_quota_stops_generation_until_next_month() {
    let app = TestApp::sqlite_with(&[("QUOTA_CHARS_PER_MONTH_USER", "100")]).await;
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let usage = usage_of(&app, &user).await;
    assert_eq!(usage["chars_per_month"]["used"], chars_of(&job));
    assert_eq!(usage["chars_per_month"]["remaining"], 0);

    let body = json!({ "name": "More", "source": { "type": "text", "content": ARTICLE } });
    let refused = app.post("/jobs", Some(&user.token), body.clone()).await;
    let problem = assert_quota_exceeded(&app, refused, "chars_per_month").await;
    assert_eq!(problem["limit"], 100);
    assert_eq!(instant(&problem["reset_at"]), first_of_next_month(app.clock.now()));
    let variant_id = job["variants"][0]["id"].as_str().unwrap();
    let regenerate =
        app.post(&format!("/variants/{variant_id}/regenerate"), Some(&user.token), json!({})).await;
    assert_quota_exceeded(&app, regenerate, "chars_per_month").await;
    assert_eq!(usage_of(&app, &user).await["jobs_per_day"]["used"], 1, "the refused job was not counted");

    app.clock.advance(Duration::days(32));
    let usage = usage_of(&app, &user).await;
    assert_eq!(usage["chars_per_month"]["used"], 0);
    let accepted = app.post("/jobs", Some(&user.token), body).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
}

/// Given different allowances for users and admins, each role gets its own; `0` is unlimited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotas_follow_the_callers_role() {
    let app = TestApp::sqlite_with(&[
        ("QUOTA_JOBS_PER_DAY_USER", "1"),
        ("QUOTA_JOBS_PER_DAY_ADMIN", "3"),
        ("QUOTA_CHARS_PER_MONTH_ADMIN", "0"),
    ])
    .await;
    let user = app.user().await;
    let admin = promote_to_admin(&app, &app.user().await).await;

    let usage = usage_of(&app, &admin).await;
    assert_eq!(usage["role"], "admin");
    assert_eq!(usage["jobs_per_day"]["limit"], 3);
    assert!(usage["chars_per_month"]["limit"].is_null(), "{usage}");
    assert!(usage["chars_per_month"]["remaining"].is_null(), "{usage}");

    app.create_job(&user, ARTICLE, &["x"]).await;
    let body =
        json!({ "name": "Again", "source": { "type": "text", "content": ARTICLE }, "channels": ["x"] });
    assert_quota_exceeded(&app, app.post("/jobs", Some(&user.token), body.clone()).await, "jobs_per_day")
        .await;
    for _ in 0..3 {
        app.create_job(&admin, ARTICLE, &["x"]).await;
    }
    let refused = app.post("/jobs", Some(&admin.token), body).await;
    let problem = assert_quota_exceeded(&app, refused, "jobs_per_day").await;
    assert_eq!(problem["limit"], 3);
}

crate::on_both_databases!(usage_counts_queued_jobs_and_generated_characters, usage_requires_sign_in);
