use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    common::{TestApp, assert_problem},
    schedules::{accepted_variant, local_nine, time},
};

/// Scrapes `/metrics` without credentials, as Prometheus does.
async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    response.text().await.unwrap()
}

/// The value of the sample `name{…}` carrying every one of `labels`, if the scrape has one.
/// Counters are shared by every app in the test process, so callers assert lower bounds.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().filter(|line| !line.starts_with('#')).find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (series_name, series_labels) = series.split_once('{').unwrap_or((series, ""));
        let matches = series_name == name
            && labels.iter().all(|(key, wanted)| series_labels.contains(&format!("{key}=\"{wanted}\"")));
        matches.then(|| value.parse().unwrap())
    })
}

async fn a_scrape_shows_traffic_by_route_template_and_jobs_by_status(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let job_id = job["id"].as_str().unwrap();
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/jobs/{job_id}"), Some(&user.token)).await.status(), StatusCode::OK);
    }
    assert_problem(app.get(&format!("/no-such-page/{job_id}"), None).await, StatusCode::NOT_FOUND).await;

    let text = scrape(&app).await;

    let job_reads = [("method", "GET"), ("route", "/jobs/{id}"), ("status", "200")];
    assert!(sample(&text, "kyros_http_requests_total", &job_reads).unwrap() >= 3.0);
    let unmatched = [("route", "unmatched"), ("status", "404")];
    assert!(sample(&text, "kyros_http_requests_total", &unmatched).unwrap() >= 1.0);
    let latency = [("method", "GET"), ("route", "/jobs/{id}")];
    assert!(sample(&text, "kyros_http_request_duration_seconds_count", &latency).unwrap() >= 3.0);
    assert!(text.contains("kyros_http_request_duration_seconds_bucket{"), "latency is a histogram");
    assert!(!text.contains(job_id), "raw paths never become labels");

    assert!(sample(&text, "kyros_jobs_processed_total", &[("outcome", "generated")]).unwrap() >= 1.0);
    assert!(sample(&text, "kyros_job_duration_seconds_count", &[]).unwrap() >= 1.0);
    for channel in ["linkedin", "x", "newsletter", "blog"] {
        let generated = [("channel", channel), ("provider", "local")];
        assert!(sample(&text, "kyros_generations_total", &generated).unwrap() >= 1.0, "{channel}");
    }

    // The gauge is counted in this app's own database: exact values.
    assert_eq!(sample(&text, "kyros_jobs", &[("status", "needs_review")]), Some(1.0));
    assert_eq!(sample(&text, "kyros_jobs", &[("status", "queued")]), Some(0.0));
    assert!(text.contains("# TYPE kyros_jobs gauge"));
}

async fn a_published_post_counts_as_a_schedule_run(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let created = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 1), "timezone": "UTC", "connector": "file" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let report = server::runtime::scheduler_of(&app.state, "a".into())
        .tick_at(time(&created["run_at"]) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.published, 1);

    let text = scrape(&app).await;
    assert!(sample(&text, "kyros_schedule_runs_total", &[("outcome", "published")]).unwrap() >= 1.0);
    let file = [("connector", "file"), ("outcome", "published")];
    assert!(sample(&text, "kyros_publish_attempts_total", &file).unwrap() >= 1.0);
    assert!(sample(&text, "kyros_publish_duration_seconds_count", &[("connector", "file")]).unwrap() >= 1.0);
}

async fn a_failed_job_is_counted_by_its_reason_and_nothing_waits(app: TestApp) {
    let user = app.user().await;
    app.failed_job(&user).await;

    let text = scrape(&app).await;
    assert!(sample(&text, "kyros_job_failures_total", &[("reason", "generation")]).unwrap() >= 1.0);
    assert_eq!(sample(&text, "kyros_oldest_queued_job_age_seconds", &[]), Some(0.0));
}

async fn the_endpoint_is_listed_under_health(app: TestApp) {
    let document: Value = app.get("/openapi.json", None).await.json().await.unwrap();
    assert_eq!(document["paths"]["/metrics"]["get"]["tags"], json!(["health"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_switched_off_answer_not_found() {
    let app = TestApp::sqlite_with(&[("METRICS_ENABLED", "false")]).await;
    assert_problem(app.get("/metrics", None).await, StatusCode::NOT_FOUND).await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
}

crate::on_both_databases!(
    a_scrape_shows_traffic_by_route_template_and_jobs_by_status,
    a_published_post_counts_as_a_schedule_run,
    a_failed_job_is_counted_by_its_reason_and_nothing_waits,
    the_endpoint_is_listed_under_health,
);
