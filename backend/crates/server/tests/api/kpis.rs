use chrono::{DateTime, Duration, NaiveTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, TestUser, assert_problem, error_fields};

fn rfc3339(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn kpis(app: &TestApp, user: &TestUser, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    let path = format!("/kpis?from={}&to={}", rfc3339(from), rfc3339(to));
    let response = app.get(&path, Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn accept(app: &TestApp, user: &TestUser, job: &Value, channel: &str) -> String {
    let variant = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == channel).unwrap();
    let id = variant["id"].as_str().unwrap().to_owned();
    let response = app
        .send_json(Method::PUT, &format!("/variants/{id}"), Some(&user.token), json!({ "accepted": true }))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    id
}

fn channel<'a>(kpis: &'a Value, name: &str) -> &'a Value {
    kpis["variants"]["by_channel"].as_array().unwrap().iter().find(|c| c["channel"] == name).unwrap()
}

async fn the_figures_match_what_the_user_did(app: TestApp) {
    let user = app.user().await;
    let started = Utc::now() - Duration::hours(1);
    let job = app.generated_job(&user).await;
    let x_variant = accept(&app, &user, &job, "x").await;
    accept(&app, &user, &job, "linkedin").await;
    let draft = app.post("/jobs", Some(&user.token), json!({ "name": "Idea for later" })).await;
    assert_eq!(draft.status(), StatusCode::CREATED);
    // Someone else's work never shows up in this user's figures.
    let other = app.user().await;
    app.generated_job(&other).await;

    let run_at =
        (Utc::now() + Duration::days(2)).date_naive().and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    let scheduled = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": x_variant, "run_at": run_at.format("%Y-%m-%dT%H:%M").to_string(), "timezone": "UTC" }),
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let until = Utc::now() + Duration::days(3);

    let before = kpis(&app, &user, started, until).await;
    assert_eq!(before["jobs"]["total"], 2);
    assert_eq!(before["jobs"]["needs_review"], 1);
    assert_eq!(before["jobs"]["draft"], 1);
    assert_eq!(before["variants"]["generated"], 4);
    assert_eq!(before["variants"]["accepted"], 2);
    assert_eq!(before["variants"]["acceptance_rate"], 0.5);
    assert_eq!(channel(&before, "x")["accepted"], 1);
    assert_eq!(channel(&before, "newsletter")["accepted"], 0);
    assert_eq!(channel(&before, "newsletter")["acceptance_rate"], 0.0);
    assert!(before["median_seconds_to_review"].as_f64().unwrap() >= 0.0);
    assert!(
        before["median_seconds_to_accept"].as_f64().unwrap()
            >= before["median_seconds_to_review"].as_f64().unwrap()
    );
    assert_eq!(before["generations_by_provider"], json!([{ "provider": "local", "jobs": 1 }]));
    assert_eq!(before["posts"]["published"], 0);
    assert_eq!(before["posts"]["upcoming"], 1);
    assert_eq!(
        DateTime::parse_from_rfc3339(before["posts"]["next_at"].as_str().unwrap()).unwrap().naive_utc(),
        run_at
    );
    let daily = before["daily"].as_array().unwrap();
    assert_eq!(daily.iter().map(|day| day["jobs_created"].as_u64().unwrap()).sum::<u64>(), 2);
    assert_eq!(daily.iter().map(|day| day["variants_accepted"].as_u64().unwrap()).sum::<u64>(), 2);

    // The scheduler publishes the post when it is due.
    let due = run_at.and_utc() + Duration::seconds(1);
    let report = server::runtime::scheduler_of(&app.state, "kpi-test".into()).tick_at(due).await.unwrap();
    assert_eq!(report.published, 1);
    let after = kpis(&app, &user, started, until).await;
    assert_eq!(after["posts"]["published"], 1);
    assert_eq!(after["posts"]["upcoming"], 0);
    assert_eq!(
        after["daily"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["posts_published"].as_u64().unwrap())
            .sum::<u64>(),
        1
    );

    let theirs = kpis(&app, &other, started, until).await;
    assert_eq!(theirs["jobs"]["total"], 1);
    assert_eq!(theirs["variants"]["accepted"], 0);
    assert_eq!(theirs["posts"]["published"], 0);
}

async fn the_window_defaults_to_the_last_thirty_days_and_is_validated(app: TestApp) {
    let user = app.user().await;
    let response = app.get("/kpis", Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let empty: Value = response.json().await.unwrap();
    assert_eq!(empty["jobs"]["total"], 0);
    assert_eq!(empty["variants"]["acceptance_rate"], Value::Null);
    assert_eq!(empty["median_seconds_to_review"], Value::Null);
    let days = empty["daily"].as_array().unwrap().len();
    assert!((30..=31).contains(&days), "{days} days");

    let bad = app.get("/kpis?from=last-week", Some(&user.token)).await;
    assert_eq!(error_fields(&assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await), ["from"]);
    let reversed =
        app.get("/kpis?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", Some(&user.token)).await;
    assert_eq!(error_fields(&assert_problem(reversed, StatusCode::UNPROCESSABLE_ENTITY).await), ["to"]);
    let too_long =
        app.get("/kpis?from=2020-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", Some(&user.token)).await;
    assert_eq!(error_fields(&assert_problem(too_long, StatusCode::UNPROCESSABLE_ENTITY).await), ["from"]);
}

async fn kpis_need_a_signed_in_user(app: TestApp) {
    assert_problem(app.get("/kpis", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/kpis", Some("not-a-token")).await, StatusCode::UNAUTHORIZED).await;
}

crate::on_both_databases!(
    the_figures_match_what_the_user_did,
    the_window_defaults_to_the_last_thirty_days_and_is_validated,
    kpis_need_a_signed_in_user,
);
