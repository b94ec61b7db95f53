use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{ARTICLE, TestApp, assert_problem, error_fields};

fn preset_body() -> Value {
    json!({
        "name": "Bakery news",
        "channels": ["linkedin", "x"],
        "tone": "friendly",
        "params": { "hashtags": false, "call_to_action": "Order at rye-and-crumb.example" }
    })
}

async fn presets_can_be_created_read_updated_and_deleted(app: TestApp) {
    let user = app.user().await;
    let created = app.post("/presets", Some(&user.token), preset_body()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let preset: Value = created.json().await.unwrap();
    assert_eq!(preset["tone"], "friendly");
    assert_eq!(preset["channels"], json!(["linkedin", "x"]));
    assert_eq!(preset["params"]["hashtags"], false);
    let id = preset["id"].as_str().unwrap();

    let listed: Value = app.get("/presets", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let mut changed = preset_body();
    changed["name"] = json!("Renamed");
    changed["channels"] = json!(["blog"]);
    let updated = app.send_json(Method::PUT, &format!("/presets/{id}"), Some(&user.token), changed).await;
    assert_eq!(updated.status(), StatusCode::OK);
    let fetched: Value = app.get(&format!("/presets/{id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(fetched["name"], "Renamed");
    assert_eq!(fetched["channels"], json!(["blog"]));

    let deleted =
        app.request(Method::DELETE, &format!("/presets/{id}"), Some(&user.token)).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get(&format!("/presets/{id}"), Some(&user.token)).await, StatusCode::NOT_FOUND).await;
}

async fn a_job_uses_its_presets_channels_and_settings(app: TestApp) {
    let user = app.user().await;
    let preset: Value = app.post("/presets", Some(&user.token), preset_body()).await.json().await.unwrap();
    let response = app
        .post("/jobs", Some(&user.token), json!({ "name": "With preset", "source": { "type": "text", "content": ARTICLE }, "preset_id": preset["id"] }))
        .await;
    let job: Value = response.json().await.unwrap();
    assert_eq!(job["channels"], json!(["linkedin", "x"]));
    let generated = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    for variant in generated["variants"].as_array().unwrap() {
        assert!(
            !variant["content"].as_str().unwrap().contains('#'),
            "hashtags are off: {}",
            variant["content"]
        );
        assert_eq!(variant["metadata"]["hashtags"], json!([]));
    }
}

/// A user whose Mastodon instance allows 1,000 characters says so in a preset, and the posts
/// are written, counted and checked against 1,000.
async fn a_preset_carries_the_mastodon_instance_limit(app: TestApp) {
    let user = app.user().await;
    let body = json!({ "name": "Fediverse", "channels": ["mastodon"], "params": { "mastodon_max_chars": 1000, "x_format": "thread" } });
    let preset: Value = app.post("/presets", Some(&user.token), body).await.json().await.unwrap();
    assert_eq!(preset["params"]["mastodon_max_chars"], 1000);
    let response = app
        .post("/jobs", Some(&user.token), json!({ "name": "Long posts", "source": { "type": "text", "content": ARTICLE }, "preset_id": preset["id"] }))
        .await;
    let job: Value = response.json().await.unwrap();
    let generated = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    let mastodon = &generated["variants"][0];
    assert_eq!(mastodon["channel"], "mastodon");
    assert_eq!(mastodon["metadata"]["max_chars"], 1000);
    assert_eq!(mastodon["metadata"]["counts"]["limit"], 1000);
    let lengths = mastodon["metadata"]["counts"]["parts"].as_array().unwrap();
    assert!(lengths.iter().any(|length| length.as_u64().unwrap() > 500), "{lengths:?}");

    // An edit of 700 characters is within this instance's limit.
    let edited = "Fresh rye every morning. ".repeat(28);
    let saved = app
        .send_json(
            Method::PUT,
            &format!("/variants/{}", mastodon["id"].as_str().unwrap()),
            Some(&user.token),
            json!({ "content": edited, "accepted": true }),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
}

async fn invalid_presets_name_their_fields(app: TestApp) {
    let user = app.user().await;
    let cases = [
        (json!({ "name": "", "channels": ["x"] }), vec!["name"]),
        (json!({ "name": "n", "channels": ["x", "myspace"] }), vec!["channels[1]"]),
        (json!({ "name": "n", "channels": ["x"], "tone": "sarcastic" }), vec!["tone"]),
        (
            json!({ "name": "n", "channels": ["x"], "params": { "call_to_action": "c".repeat(201) } }),
            vec!["params.call_to_action"],
        ),
        (json!({ "name": "n", "channels": ["x"], "params": { "colour": "red" } }), vec!["params.colour"]),
        (
            json!({ "name": "n", "channels": ["mastodon"], "params": { "mastodon_max_chars": 50 } }),
            vec!["params.mastodon_max_chars"],
        ),
        (json!({ "channels": ["x"] }), vec!["name"]),
    ];
    for (body, fields) in cases {
        let problem = assert_problem(
            app.post("/presets", Some(&user.token), body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
}

async fn presets_are_private(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let preset: Value = app.post("/presets", Some(&owner.token), preset_body()).await.json().await.unwrap();
    let path = format!("/presets/{}", preset["id"].as_str().unwrap());
    assert_problem(app.get("/presets", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get(&path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    assert_problem(
        app.send_json(Method::PUT, &path, Some(&stranger.token), preset_body()).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let delete = app.request(Method::DELETE, &path, Some(&stranger.token)).send().await.unwrap();
    assert_problem(delete, StatusCode::NOT_FOUND).await;
    let listed: Value = app.get("/presets", Some(&stranger.token)).await.json().await.unwrap();
    assert!(listed["items"].as_array().unwrap().is_empty());
    let job =
        app.post("/jobs", Some(&stranger.token), json!({ "name": "n", "preset_id": preset["id"] })).await;
    let problem = assert_problem(job, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["preset_id"]);
    assert_eq!(app.get(&path, Some(&owner.token)).await.status(), StatusCode::OK);
}

crate::on_both_databases!(
    presets_can_be_created_read_updated_and_deleted,
    a_job_uses_its_presets_channels_and_settings,
    a_preset_carries_the_mastodon_instance_limit,
    invalid_presets_name_their_fields,
    presets_are_private,
);
