//! The tools registry: who may see and switch providers and connectors, and what a switch
//! does to new jobs and schedules.

use std::sync::atomic::Ordering;

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{
    common::{ARTICLE, TestApp, TestUser, assert_problem, error_fields},
    model::{Behaviour, app_with_model, fake_model},
    schedules::{accepted_variant, local_nine, runs, time},
};

pub(crate) async fn put_tool(app: &TestApp, admin: &TestUser, key: &str, body: Value) -> Value {
    let response = app.send_json(Method::PUT, &format!("/tools/{key}"), Some(&admin.token), body).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn tools(app: &TestApp, user: &TestUser) -> Vec<Value> {
    let response = app.get("/tools", Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

async fn every_signed_in_user_sees_what_is_available(app: TestApp) {
    let user = app.user().await;
    let items = tools(&app, &user).await;
    let keys: Vec<&str> = items.iter().map(|tool| tool["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["local", "openai", "webhook", "file", "accounts"]);
    let kinds: Vec<&str> = items.iter().map(|tool| tool["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["provider", "provider", "connector", "connector", "connector"]);
    assert!(items.iter().all(|tool| tool["enabled"] == true && tool["config"]["display_name"].is_string()));
    // No OPENAI_API_KEY in tests: the model is enabled but cannot be used.
    let openai = &items[1];
    assert_eq!((openai["configured"].clone(), openai["available"].clone()), (json!(false), json!(false)));
    assert!(items.iter().filter(|tool| tool["key"] != "openai").all(|tool| tool["available"] == true));
    assert!(items.iter().all(|tool| !tool.to_string().contains("api_key")));

    assert_problem(app.get("/tools", None).await, StatusCode::UNAUTHORIZED).await;
}

async fn only_administrators_change_tools_and_bad_changes_are_named(app: TestApp) {
    let user = app.user().await;
    let admin = app.admin().await;
    let disable = json!({ "enabled": false });
    let refused = app.send_json(Method::PUT, "/tools/file", Some(&user.token), disable.clone()).await;
    assert_problem(refused, StatusCode::FORBIDDEN).await;
    assert_problem(
        app.send_json(Method::PUT, "/tools/file", None, disable.clone()).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let unknown = app.send_json(Method::PUT, "/tools/fax", Some(&admin.token), disable).await;
    assert_problem(unknown, StatusCode::NOT_FOUND).await;

    let secret = json!({ "config": { "display_name": "", "api_key": "sk-live-123" } });
    let problem = assert_problem(
        app.send_json(Method::PUT, "/tools/openai", Some(&admin.token), secret).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["config.api_key", "config.display_name"]);
    let problem = assert_problem(
        app.send_json(
            Method::PUT,
            "/tools/file",
            Some(&admin.token),
            json!({ "config": { "display_name": "Outbox", "model": "x" } }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["config.model"]);
    let problem = assert_problem(
        app.send_json(Method::PUT, "/tools/file", Some(&admin.token), json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["enabled"]);
    let problem = assert_problem(
        app.send_json(Method::PUT, "/tools/file", Some(&admin.token), json!({ "enabled": "no" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["enabled"]);

    let changed = put_tool(
        &app,
        &admin,
        "file",
        json!({ "enabled": false, "config": { "display_name": "  Shared outbox ", "description": "Picked up hourly." } }),
    )
    .await;
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["available"], false);
    assert_eq!(
        changed["config"],
        json!({ "display_name": "Shared outbox", "description": "Picked up hourly." })
    );
    let seen_by_user = tools(&app, &user).await;
    let file = seen_by_user.iter().find(|tool| tool["key"] == "file").unwrap();
    assert_eq!(file, &changed);

    // Recorded once, with what changed; repeating the same change records nothing.
    put_tool(&app, &admin, "file", json!({ "enabled": false })).await;
    let audit: Value =
        app.get("/admin/audit?kind=tool.changed", Some(&admin.token)).await.json().await.unwrap();
    let events = audit["items"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["actor_id"], admin.id.as_str());
    assert_eq!(events[0]["subject_id"], changed["id"]);
    assert_eq!(events[0]["payload"]["key"], "file");
    assert_eq!(events[0]["payload"]["changes"]["enabled"], json!({ "from": true, "to": false }));
    assert_eq!(events[0]["payload"]["changes"]["config"]["to"]["display_name"], "Shared outbox");
}

async fn disabling_the_local_engine_refuses_new_jobs_when_no_model_is_available(app: TestApp) {
    let user = app.user().await;
    let admin = app.admin().await;
    put_tool(&app, &admin, "local", json!({ "enabled": false })).await;

    let body = json!({ "name": "Launch", "source": { "type": "text", "content": ARTICLE } });
    let problem =
        assert_problem(app.post("/jobs", Some(&user.token), body.clone()).await, StatusCode::CONFLICT).await;
    assert!(problem["detail"].as_str().unwrap().contains("local engine"), "{problem}");
    // Drafts need no writer; submitting one does.
    let draft = app.post("/jobs", Some(&user.token), json!({ "name": "Later" })).await;
    assert_eq!(draft.status(), StatusCode::CREATED);
    let draft: Value = draft.json().await.unwrap();
    let id = draft["id"].as_str().unwrap();
    let filled = app
        .send_json(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&user.token),
            json!({ "source": { "type": "text", "content": ARTICLE } }),
        )
        .await;
    assert_eq!(filled.status(), StatusCode::OK);
    let submit = app.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
    assert_problem(submit, StatusCode::CONFLICT).await;

    put_tool(&app, &admin, "local", json!({ "enabled": true })).await;
    let submitted = app.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
    assert_eq!(submitted.status(), StatusCode::ACCEPTED);
    let generated = app.wait_for_job(&user, id, &["needs_review", "failed"]).await;
    assert_eq!(generated["status"], "needs_review");
    assert_eq!(generated["provider"], "local");
}

async fn a_disabled_connector_refuses_new_schedules_and_fails_due_posts(app: TestApp) {
    let user = app.user().await;
    let admin = app.admin().await;
    let variant_id = accepted_variant(&app, &user).await;
    let body = json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "connector": "file" });
    let created = app.post("/schedule", Some(&user.token), body.clone()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let schedule_id = created["id"].as_str().unwrap();

    put_tool(&app, &admin, "file", json!({ "enabled": false })).await;
    let problem = assert_problem(
        app.post("/schedule", Some(&user.token), body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["connector"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("disabled"), "{problem}");

    let report = server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(time(&created["run_at"]) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!((report.claimed, report.published, report.failed), (1, 0, 1));
    let recorded = runs(&app, &user, schedule_id).await;
    assert_eq!(recorded[0]["status"], "failed");
    assert!(
        recorded[0]["last_error"].as_str().unwrap().contains("`file` connector is disabled"),
        "{}",
        recorded[0]
    );
    let outbox = app.state.config.scheduler.outbox_dir.join(&user.id);
    assert!(!outbox.exists(), "nothing was written");
    // The existing schedule can still be paused.
    let paused = app
        .send_json(
            Method::PATCH,
            &format!("/schedule/{schedule_id}"),
            Some(&user.token),
            json!({ "status": "paused" }),
        )
        .await;
    assert_eq!(paused.status(), StatusCode::OK);
}

crate::on_both_databases!(
    every_signed_in_user_sees_what_is_available,
    only_administrators_change_tools_and_bad_changes_are_named,
    disabling_the_local_engine_refuses_new_jobs_when_no_model_is_available,
    a_disabled_connector_refuses_new_schedules_and_fails_due_posts,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_can_be_switched_off_renamed_and_made_the_only_writer() {
    let (address, model) = fake_model(Behaviour::Answer).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let admin = app.admin().await;
    let openai = tools(&app, &user).await.into_iter().find(|tool| tool["key"] == "openai").unwrap();
    assert_eq!((openai["configured"].clone(), openai["available"].clone()), (json!(true), json!(true)));

    put_tool(&app, &admin, "openai", json!({ "enabled": false })).await;
    let job = app.generated_job(&user).await;
    assert_eq!(job["provider"], "local");
    assert!(
        job["provider_note"].as_str().unwrap().contains("disabled the `openai` provider"),
        "{}",
        job["provider_note"]
    );
    assert_eq!(model.requests.load(Ordering::SeqCst), 0, "the model was not called");

    // The model alone may write: jobs are accepted and written by the renamed model.
    put_tool(
        &app,
        &admin,
        "openai",
        json!({ "enabled": true, "config": { "display_name": "Team model", "model": "team-model-7b" } }),
    )
    .await;
    put_tool(&app, &admin, "local", json!({ "enabled": false })).await;
    let job = app.generated_job(&user).await;
    assert_eq!(job["provider"], "openai");
    assert!(model.models.lock().unwrap().iter().all(|name| name == "team-model-7b"));

    put_tool(&app, &admin, "openai", json!({ "enabled": false })).await;
    let body = json!({ "name": "Launch", "source": { "type": "text", "content": ARTICLE } });
    assert_problem(app.post("/jobs", Some(&user.token), body).await, StatusCode::CONFLICT).await;
}
