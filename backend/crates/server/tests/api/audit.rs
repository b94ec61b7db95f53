//! The audit log: what gets recorded, what never does, and how administrators read it.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{
    common::{ARTICLE, TestApp, TestUser, assert_problem, error_fields},
    schedules::{accepted_variant, local_nine, time},
};

async fn audit(app: &TestApp, admin: &TestUser, query: &[(&str, &str)]) -> Value {
    let response =
        app.request(Method::GET, "/admin/audit", Some(&admin.token)).query(query).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    response.json().await.unwrap()
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().unwrap().clone()
}

fn kinds(page: &Value) -> Vec<String> {
    items(page).iter().map(|event| event["kind"].as_str().unwrap().to_owned()).collect()
}

async fn failed_login(app: &TestApp, email: &str, password: &str) {
    let response = app.post("/auth/login", None, json!({ "email": email, "password": password })).await;
    assert_problem(response, StatusCode::UNAUTHORIZED).await;
}

async fn sign_ins_are_recorded_without_passwords(app: TestApp) {
    let user = app.user().await;
    failed_login(&app, &user.email, "not my password at all").await;
    let stranger = format!("nobody-{}@example.com", Uuid::now_v7().simple());
    failed_login(&app, &stranger, "guessing passwords").await;
    let admin = app.admin().await;

    let failed = audit(&app, &admin, &[("kind", "auth.login_failed")]).await;
    let events = items(&failed);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["payload"]["email"], stranger.as_str(), "newest first");
    assert_eq!(events[0]["payload"]["reason"], "unknown_email");
    assert!(events[0]["actor_id"].is_null() && events[0]["subject_id"].is_null());
    assert!(events[0]["actor_email"].is_null());
    assert_eq!(events[1]["payload"]["email"], user.email.as_str());
    assert_eq!(events[1]["payload"]["reason"], "wrong_password");
    assert_eq!(
        (events[1]["subject"].clone(), events[1]["subject_id"].clone()),
        (json!("user"), json!(user.id))
    );
    assert!(events.iter().all(|event| event["payload"]["ip"] == "127.0.0.1"));
    let text = failed.to_string();
    assert!(
        !text.contains("not my password") && !text.contains("guessing"),
        "a password was recorded: {text}"
    );

    let succeeded = audit(&app, &admin, &[("kind", "auth.login_succeeded"), ("actor_id", &user.id)]).await;
    let events = items(&succeeded);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["payload"]["email"], user.email.as_str());
    assert_eq!(events[0]["actor_email"], user.email.as_str());

    // A spent refresh token presented again, after the grace window for honest races, is
    // recorded as reuse.
    let rotated = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_eq!(rotated.status(), StatusCode::OK);
    app.clock.advance(Duration::seconds(11));
    let reused = app.post("/auth/refresh", None, json!({ "refresh_token": user.refresh_token })).await;
    assert_problem(reused, StatusCode::UNAUTHORIZED).await;
    let reuse = audit(&app, &admin, &[("kind", "auth.refresh_token_reused")]).await;
    let events = items(&reuse);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["subject_id"], user.id.as_str());
    assert!(!reuse.to_string().contains(&user.refresh_token), "the token itself is never recorded");
}

async fn each_audited_action_is_recorded_with_its_actor_and_subject(app: TestApp) {
    let user = app.user().await;
    let admin = app.admin().await;
    let variant_id = accepted_variant(&app, &user).await;
    let export =
        app.post(&format!("/export/{variant_id}"), Some(&user.token), json!({ "format": "md" })).await;
    assert_eq!(export.status(), StatusCode::OK);
    let scheduled = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC" }),
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let scheduled: Value = scheduled.json().await.unwrap();
    let report = server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(time(&scheduled["run_at"]) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.published, 1);
    let failing = app.failed_job(&user).await;
    let failing_id = failing["id"].as_str().unwrap();
    app.edit_source(&user, failing_id, ARTICLE).await;
    let retried = app.post(&format!("/jobs/{failing_id}/retry"), Some(&user.token), json!({})).await;
    assert_eq!(retried.status(), StatusCode::ACCEPTED);

    let by_user = audit(&app, &admin, &[("actor_id", &user.id), ("limit", "100")]).await;
    let mut recorded = kinds(&by_user);
    recorded.sort();
    assert_eq!(
        recorded,
        [
            "auth.login_succeeded",
            "job.created",
            "job.created",
            "job.retried",
            "schedule.created",
            "variant.accepted",
            "variant.exported",
        ]
    );
    let events = items(&by_user);
    let accepted = events.iter().find(|event| event["kind"] == "variant.accepted").unwrap();
    assert_eq!(
        (accepted["subject"].clone(), accepted["subject_id"].clone()),
        (json!("variant"), json!(variant_id))
    );
    assert_eq!(accepted["payload"]["channel"], "x");
    let exported = events.iter().find(|event| event["kind"] == "variant.exported").unwrap();
    assert_eq!(exported["payload"]["format"], "md");
    let created = events.iter().find(|event| event["kind"] == "schedule.created").unwrap();
    assert_eq!(created["subject_id"], scheduled["id"]);
    let retry = events.iter().find(|event| event["kind"] == "job.retried").unwrap();
    assert_eq!(retry["subject_id"], failing_id);

    // The scheduler acts for nobody: the owner is in the payload.
    let published = items(&audit(&app, &admin, &[("kind", "schedule.published")]).await);
    assert_eq!(published.len(), 1);
    assert!(published[0]["actor_id"].is_null());
    assert_eq!(published[0]["subject_id"], scheduled["id"]);
    assert_eq!(published[0]["payload"]["owner_id"], user.id.as_str());
}

async fn the_log_pages_newest_first_and_filters_by_time(app: TestApp) {
    let admin = app.admin().await;
    let emails: Vec<String> = (0..5).map(|index| format!("probe-{index}@example.com")).collect();
    for email in &emails {
        failed_login(&app, email, "wrong password").await;
    }
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let mut query = vec![("kind", "auth.login_failed"), ("limit", "2")];
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor));
        }
        let page = audit(&app, &admin, &query).await;
        pages += 1;
        assert!(items(&page).len() <= 2);
        seen.extend(items(&page));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let seen_emails: Vec<&str> =
        seen.iter().map(|event| event["payload"]["email"].as_str().unwrap()).collect();
    let newest_first: Vec<&str> = emails.iter().rev().map(String::as_str).collect();
    assert_eq!(seen_emails, newest_first);

    // `from` is inclusive, `to` exclusive.
    let middle = seen[2]["created_at"].as_str().unwrap();
    let since = audit(&app, &admin, &[("kind", "auth.login_failed"), ("from", middle)]).await;
    assert_eq!(items(&since).len(), 3);
    let before = audit(&app, &admin, &[("kind", "auth.login_failed"), ("to", middle)]).await;
    let before_emails: Vec<Value> =
        items(&before).iter().map(|event| event["payload"]["email"].clone()).collect();
    assert_eq!(before_emails, [json!("probe-1@example.com"), json!("probe-0@example.com")]);

    for (query, field) in [
        (vec![("kind", "job.deleted")], "kind"),
        (vec![("actor_id", "someone")], "actor_id"),
        (vec![("from", "yesterday")], "from"),
        (vec![("from", "2026-12-02T00:00:00Z"), ("to", "2026-12-01T00:00:00Z")], "to"),
        (vec![("limit", "0")], "limit"),
        (vec![("cursor", "not-a-cursor")], "cursor"),
    ] {
        let response =
            app.request(Method::GET, "/admin/audit", Some(&admin.token)).query(&query).send().await.unwrap();
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), [field], "{query:?}");
    }
}

async fn only_administrators_read_the_log_and_nobody_edits_it(app: TestApp) {
    let user = app.user().await;
    assert_problem(app.get("/admin/audit", None).await, StatusCode::UNAUTHORIZED).await;
    let problem =
        assert_problem(app.get("/admin/audit", Some(&user.token)).await, StatusCode::FORBIDDEN).await;
    assert!(problem["detail"].as_str().unwrap().contains("administrators"), "{problem}");
    let admin = app.admin().await;
    for method in [Method::DELETE, Method::PUT, Method::PATCH, Method::POST] {
        let response = app.request(method.clone(), "/admin/audit", Some(&admin.token)).send().await.unwrap();
        assert_problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
    }
}

crate::on_both_databases!(
    sign_ins_are_recorded_without_passwords,
    each_audited_action_is_recorded_with_its_actor_and_subject,
    the_log_pages_newest_first_and_filters_by_time,
    only_administrators_read_the_log_and_nobody_edits_it,
);
