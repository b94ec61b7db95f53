use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{ARTICLE, TestApp, assert_problem, error_fields};

const ALL_CHANNELS: [&str; 4] = ["linkedin", "x", "newsletter", "blog"];

async fn a_job_is_generated_in_the_background(app: TestApp) {
    let user = app.user().await;
    let response = app
        .post("/jobs", Some(&user.token), json!({ "name": "Four-day week", "source": { "type": "markdown", "content": ARTICLE }, "channels": ALL_CHANNELS }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers().get("location").unwrap().to_str().unwrap().to_owned();
    let job: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/jobs/{}", job["id"].as_str().unwrap()));
    assert_eq!(job["status"], "queued");

    let done = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    assert_eq!(done["provider"], "local");
    assert_eq!(done["attempts"], 1);
    // The detail carries the source as it was submitted (trimmed).
    assert_eq!(
        (done["source"]["type"].as_str(), done["source"]["content"].as_str()),
        (Some("markdown"), Some(ARTICLE.trim_end()))
    );
    let variants = done["variants"].as_array().unwrap();
    // In the order the channels were asked for.
    let channels: Vec<&str> = variants.iter().map(|v| v["channel"].as_str().unwrap()).collect();
    assert_eq!(channels, ALL_CHANNELS);
    for variant in variants {
        assert_eq!(variant["job_id"], job["id"]);
        assert_eq!(variant["accepted"], false);
        assert!(!variant["content"].as_str().unwrap().is_empty());
        assert!(variant["metadata"]["grounding"].is_array(), "{variant}");
    }
}

/// Bluesky and Mastodon are channels like the others: asked for by name, each post written
/// within its network's limit as that network counts it, with its counts and checks, found by
/// the channel filter, exported and counted in the figures.
async fn a_job_writes_bluesky_and_mastodon_posts(app: TestApp) {
    let user = app.user().await;
    let job = app.create_job(&user, ARTICLE, &["bluesky", "mastodon"]).await;
    assert_eq!(job["channels"], json!(["bluesky", "mastodon"]));
    let id = job["id"].as_str().unwrap();
    let done = app.wait_for_job(&user, id, &["needs_review"]).await;
    let variants = done["variants"].as_array().unwrap();
    let channels: Vec<&str> = variants.iter().map(|v| v["channel"].as_str().unwrap()).collect();
    assert_eq!(channels, ["bluesky", "mastodon"]);
    for (variant, limit) in variants.iter().zip([300, 500]) {
        let metadata = &variant["metadata"];
        assert_eq!(metadata["counts"]["limit"], limit, "{variant}");
        let parts = metadata["parts"].as_array().unwrap();
        assert!(parts.len() > 1, "the article is a thread: {variant}");
        let lengths = metadata["counts"]["parts"].as_array().unwrap();
        assert_eq!(lengths.len(), parts.len());
        assert!(lengths.iter().all(|length| length.as_u64().unwrap() <= limit), "{lengths:?}");
        let lint = metadata["lint"].as_array().unwrap();
        assert!(lint.iter().all(|finding| finding["severity"] != "error"), "{lint:?}");
    }
    assert_eq!(variants[1]["metadata"]["max_chars"], 500, "the instance limit it was written for");

    let listed: Value = app.get("/jobs?channel=mastodon", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["id"], id);
    let bluesky = variants[0]["id"].as_str().unwrap();
    let export = app.post(&format!("/export/{bluesky}"), Some(&user.token), json!({ "format": "txt" })).await;
    assert_eq!(export.status(), StatusCode::OK);
    assert_eq!(export.text().await.unwrap().trim_end(), variants[0]["content"].as_str().unwrap());
    let kpis: Value = app.get("/kpis", Some(&user.token)).await.json().await.unwrap();
    let by_channel: Vec<(&str, u64)> = kpis["variants"]["by_channel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["channel"].as_str().unwrap(), c["generated"].as_u64().unwrap()))
        .collect();
    assert_eq!(by_channel, [("bluesky", 1), ("mastodon", 1)]);

    let unknown = app
        .post("/jobs", Some(&user.token), json!({ "name": "n", "source": { "type": "text", "content": ARTICLE }, "channels": ["bluesky", "threads"] }))
        .await;
    let problem = assert_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["channels[1]"]);
}

async fn a_name_alone_makes_a_draft_that_can_be_filled_and_submitted(app: TestApp) {
    let user = app.user().await;
    let created = app.post("/jobs", Some(&user.token), json!({ "name": "Spring menu" })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let draft: Value = created.json().await.unwrap();
    assert_eq!(draft["status"], "draft");
    let id = draft["id"].as_str().unwrap();
    let detail: Value = app.get(&format!("/jobs/{id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!((detail["name"].as_str(), detail["variants"].clone()), (Some("Spring menu"), json!([])));

    let early = app.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
    let problem = assert_problem(early, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["source"]);

    let patched = app
        .send_json(
            Method::PATCH,
            &format!("/jobs/{id}"),
            Some(&user.token),
            json!({ "source": { "type": "text", "content": ARTICLE }, "channels": ["x", "blog"] }),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    let patched: Value = patched.json().await.unwrap();
    assert_eq!(patched["status"], "draft");
    assert_eq!(patched["channels"], json!(["x", "blog"]));
    assert_eq!(patched["name"], "Spring menu");

    let submitted = app.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
    assert_eq!(submitted.status(), StatusCode::ACCEPTED);
    let job = app.wait_for_job(&user, id, &["needs_review"]).await;
    assert_eq!(job["variants"].as_array().unwrap().len(), 2);

    let not_a_draft =
        app.send_json(Method::PATCH, &format!("/jobs/{id}"), Some(&user.token), json!({ "name": "x" })).await;
    assert_problem(not_a_draft, StatusCode::CONFLICT).await;
}

async fn an_idempotency_key_returns_the_first_job(app: TestApp) {
    let user = app.user().await;
    let body = json!({ "name": "Once", "source": { "type": "text", "content": ARTICLE } });
    let send = || {
        app.request(Method::POST, "/jobs", Some(&user.token))
            .header("idempotency-key", "launch-42")
            .json(&body)
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let second = send().await.unwrap();
    assert_eq!(second.status(), StatusCode::CREATED);
    assert_eq!(second.headers().get("idempotent-replayed").unwrap(), "true");
    let second: Value = second.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    let page: Value = app.get("/jobs", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(first["channels"], json!(ALL_CHANNELS), "channels default to every channel");

    let too_long = app
        .request(Method::POST, "/jobs", Some(&user.token))
        .header("idempotency-key", "k".repeat(300))
        .json(&body)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(too_long, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["Idempotency-Key"]);
}

async fn invalid_jobs_name_their_fields(app: TestApp) {
    let user = app.user().await;
    let cases = [
        (json!({ "source": { "type": "text", "content": ARTICLE } }), vec!["name"]),
        // Too short for the engine: refused now, not queued to fail later.
        (
            json!({ "name": "n", "source": { "type": "text", "content": "We opened a new shop." } }),
            vec!["source"],
        ),
        (
            json!({ "name": "  ", "source": { "type": "text", "content": "   " } }),
            vec!["name", "source.content"],
        ),
        (
            json!({ "name": "n", "source": { "type": "text", "content": ARTICLE }, "channels": ["x", "fax"] }),
            vec!["channels[1]"],
        ),
        (
            json!({ "name": "n", "source": { "type": "text", "content": ARTICLE }, "channels": [] }),
            vec!["channels"],
        ),
        (json!({ "name": "n", "preset_id": "0190f5e0-0000-7000-8000-000000000000" }), vec!["preset_id"]),
        (
            json!({ "name": "n", "source": { "type": "text", "content": "a".repeat(200_001) } }),
            vec!["source.content"],
        ),
    ];
    for (body, fields) in cases {
        let problem = assert_problem(
            app.post("/jobs", Some(&user.token), body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    let unknown_type = app
        .post("/jobs", Some(&user.token), json!({ "name": "n", "source": { "type": "fax", "content": "x" } }))
        .await;
    let problem = assert_problem(unknown_type, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["source.type"]);
    assert!(
        app.get("/jobs", Some(&user.token)).await.json::<Value>().await.unwrap()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

async fn oversized_bodies_are_refused(app: TestApp) {
    let user = app.user().await;
    let huge = "word ".repeat(600_000);
    let response = app
        .post(
            "/jobs",
            Some(&user.token),
            json!({ "name": "big", "source": { "type": "text", "content": huge } }),
        )
        .await;
    assert_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
}

async fn jobs_need_a_signed_in_user(app: TestApp) {
    assert_problem(app.get("/jobs", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.post("/jobs", None, json!({ "name": "n" })).await, StatusCode::UNAUTHORIZED).await;
    let id = "0190f5e0-0000-7000-8000-000000000000";
    assert_problem(app.get(&format!("/jobs/{id}"), None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.post(&format!("/jobs/{id}/retry"), None, json!({})).await, StatusCode::UNAUTHORIZED)
        .await;
}

async fn another_users_job_does_not_exist(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let job = app.generated_job(&owner).await;
    let id = job["id"].as_str().unwrap();
    assert_problem(app.get(&format!("/jobs/{id}"), Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    let patch = app
        .send_json(Method::PATCH, &format!("/jobs/{id}"), Some(&stranger.token), json!({ "name": "mine" }))
        .await;
    assert_problem(patch, StatusCode::NOT_FOUND).await;
    for action in ["submit", "retry", "done"] {
        let response = app.post(&format!("/jobs/{id}/{action}"), Some(&stranger.token), json!({})).await;
        assert_problem(response, StatusCode::NOT_FOUND).await;
    }
    let listed: Value = app.get("/jobs", Some(&stranger.token)).await.json().await.unwrap();
    assert!(listed["items"].as_array().unwrap().is_empty());
    assert_problem(app.get("/jobs/not-a-uuid", Some(&owner.token)).await, StatusCode::NOT_FOUND).await;
}

async fn the_job_list_pages_newest_first(app: TestApp) {
    let user = app.user().await;
    let mut ids = Vec::new();
    for index in 0..5 {
        let job: Value = app
            .post("/jobs", Some(&user.token), json!({ "name": format!("draft {index}") }))
            .await
            .json()
            .await
            .unwrap();
        ids.push(job["id"].as_str().unwrap().to_owned());
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/jobs?limit=2&cursor={cursor}"),
            None => "/jobs?limit=2".to_owned(),
        };
        let page: Value = app.get(&path, Some(&user.token)).await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|job| job["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    let drafts: Value = app.get("/jobs?status=draft", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(drafts["items"].as_array().unwrap().len(), 5);
    let queued: Value = app.get("/jobs?status=needs_review", Some(&user.token)).await.json().await.unwrap();
    assert!(queued["items"].as_array().unwrap().is_empty());

    for (query, field) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("status=paused", "status"), ("cursor=abc", "cursor")]
    {
        let problem = assert_problem(
            app.get(&format!("/jobs?{query}"), Some(&user.token)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), vec![field], "{query}");
    }
}

/// Given jobs for different channels and names, the list narrows to a channel and a name search.
async fn the_job_list_filters_by_channel_and_name(app: TestApp) {
    let user = app.user().await;
    for (name, channels) in [
        ("Spring launch", json!(["x"])),
        ("Launch recap", json!(["linkedin", "blog"])),
        ("100% organic_coffee", json!(["x", "newsletter"])),
    ] {
        let created =
            app.post("/jobs", Some(&user.token), json!({ "name": name, "channels": channels })).await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    let names = |page: Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|job| job["name"].as_str().unwrap().to_owned()).collect()
    };
    let list = |query: &'static str| {
        let app = &app;
        let token = user.token.clone();
        async move { app.get(&format!("/jobs?{query}"), Some(&token)).await.json::<Value>().await.unwrap() }
    };
    assert_eq!(names(list("channel=x").await), ["100% organic_coffee", "Spring launch"]);
    assert_eq!(names(list("channel=blog").await), ["Launch recap"]);
    assert_eq!(names(list("q=LAUNCH").await), ["Launch recap", "Spring launch"]);
    assert_eq!(names(list("q=launch&channel=x").await), ["Spring launch"]);
    // Wildcards in the search text match themselves.
    assert_eq!(names(list("q=100%25").await), ["100% organic_coffee"]);
    assert!(names(list("q=c_ffee").await).is_empty());
    // Another user's jobs never match.
    let other = app.user().await;
    let theirs: Value = app.get("/jobs?q=launch", Some(&other.token)).await.json().await.unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty());

    let problem = assert_problem(
        app.get("/jobs?channel=fax", Some(&user.token)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["channel"]);
}

/// Given a job that failed for good, a retry is refused without charging the quota until its
/// source is edited; then the retry generates it.
async fn a_failed_job_can_be_retried(app: TestApp) {
    let user = app.user().await;
    let failed = app.failed_job(&user).await;
    let id = failed["id"].as_str().unwrap();
    assert!(failed["failure_reason"].as_str().unwrap().contains("source"), "{failed}");
    assert!(failed["variants"].as_array().unwrap().is_empty());
    let used = || async {
        app.get("/usage", Some(&user.token)).await.json::<Value>().await.unwrap()["jobs_per_day"]["used"]
            .clone()
    };
    assert_eq!(used().await, 1);

    let not_failed = app.generated_job(&user).await;
    let refused = app
        .post(&format!("/jobs/{}/retry", not_failed["id"].as_str().unwrap()), Some(&user.token), json!({}))
        .await;
    assert_problem(refused, StatusCode::CONFLICT).await;

    let same_again = app.post(&format!("/jobs/{id}/retry"), Some(&user.token), json!({})).await;
    let problem = assert_problem(same_again, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["source"]);
    assert!(problem.to_string().contains("edit the source"), "{problem}");
    assert_eq!(used().await, 2, "a retry that would fail the same way costs nothing");

    app.edit_source(&user, id, ARTICLE).await;
    let retried = app.post(&format!("/jobs/{id}/retry"), Some(&user.token), json!({})).await;
    assert_eq!(retried.status(), StatusCode::ACCEPTED);
    let retried: Value = retried.json().await.unwrap();
    assert!(retried["failure_reason"].is_null());
    let generated = app.wait_for_job(&user, id, &["needs_review"]).await;
    assert_eq!(generated["attempts"], 2);
    assert_eq!(generated["variants"].as_array().unwrap().len(), 4, "the draft asked for every channel");
    assert_eq!(used().await, 3);
}

async fn a_reviewed_job_can_be_marked_done(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let id = job["id"].as_str().unwrap();
    let done = app.post(&format!("/jobs/{id}/done"), Some(&user.token), json!({})).await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(done.json::<Value>().await.unwrap()["status"], "done");
    assert_problem(
        app.post(&format!("/jobs/{id}/done"), Some(&user.token), json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
}

/// Given a queued job whose queue message was lost, the worker's sweep queues it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_message_was_lost_is_requeued() {
    let app = TestApp::sqlite_with(&[("KYROS_REQUEUE_AFTER_SECONDS", "1")]).await;
    let user = app.user().await;
    let owner = uuid::Uuid::parse_str(&user.id).unwrap();
    let source = server::sources::model::Source {
        kind: server::sources::model::SourceKind::Markdown,
        content: ARTICLE.to_owned(),
        title: None,
        byline: None,
        url: None,
        upload_id: None,
        file_name: None,
        language: None,
        speakers: vec![],
    };
    // Written straight to the database, as if the queue had been down when it was created.
    let job = server::jobs::service::insert(
        &app.db,
        server::jobs::model::NewJob {
            owner_id: owner,
            name: "Lost message".into(),
            source: Some(source),
            channels: vec![engine::Channel::X],
            preset_id: None,
            status: server::jobs::model::JobStatus::Queued,
            now: chrono::Utc::now() - chrono::Duration::seconds(30),
        },
    )
    .await
    .unwrap();
    let generated = app.wait_for_job(&user, &job.id.to_string(), &["needs_review"]).await;
    assert_eq!(generated["variants"].as_array().unwrap().len(), 1);
}

crate::on_both_databases!(
    a_job_is_generated_in_the_background,
    a_job_writes_bluesky_and_mastodon_posts,
    a_name_alone_makes_a_draft_that_can_be_filled_and_submitted,
    an_idempotency_key_returns_the_first_job,
    invalid_jobs_name_their_fields,
    oversized_bodies_are_refused,
    jobs_need_a_signed_in_user,
    another_users_job_does_not_exist,
    the_job_list_pages_newest_first,
    the_job_list_filters_by_channel_and_name,
    a_failed_job_can_be_retried,
    a_reviewed_job_can_be_marked_done,
);
