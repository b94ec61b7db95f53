use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::common::{ARTICLE, TestApp, assert_problem, error_fields};

fn variant_ids(job: &Value) -> Vec<String> {
    job["variants"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect()
}

async fn a_variant_can_be_read_and_edited_safely(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let id = &variant_ids(&job)[0];
    let variant: Value = app.get(&format!("/variants/{id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(variant["id"], id.as_str());
    for key in ["job_id", "channel", "content", "metadata", "accepted", "created_at", "updated_at"] {
        assert!(variant.get(key).is_some(), "missing {key}");
    }
    let edited = app
        .send_json(
            Method::PUT,
            &format!("/variants/{id}"),
            Some(&user.token),
            json!({ "content": "Q&A <script>alert(1)</script>at 3 < 5 <b>today</b>" }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["content"], "Q&A at 3 < 5 today");
    assert_eq!(edited["accepted"], false);
    let reread: Value = app.get(&format!("/variants/{id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(reread["content"], "Q&A at 3 < 5 today");
}

async fn accepting_every_variant_finishes_the_job(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let job_id = job["id"].as_str().unwrap();
    let ids = variant_ids(&job);
    for (index, id) in ids.iter().enumerate() {
        let response = app
            .send_json(
                Method::PUT,
                &format!("/variants/{id}"),
                Some(&user.token),
                json!({ "accepted": true }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let status = app
            .get(&format!("/jobs/{job_id}"), Some(&user.token))
            .await
            .json::<Value>()
            .await
            .unwrap()["status"]
            .clone();
        let expected = if index + 1 == ids.len() { "done" } else { "needs_review" };
        assert_eq!(status, expected);
    }
    app.send_json(
        Method::PUT,
        &format!("/variants/{}", ids[0]),
        Some(&user.token),
        json!({ "accepted": false }),
    )
    .await;
    let job: Value = app.get(&format!("/jobs/{job_id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(job["status"], "needs_review");
}

async fn invalid_variant_edits_are_refused(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let id = &variant_ids(&job)[0];
    for (body, field) in [
        (json!({ "content": "   " }), "content"),
        (json!({ "content": "<b></b>" }), "content"),
        (json!({ "content": "a".repeat(100_001) }), "content"),
        (json!({ "accepted": "yes" }), "accepted"),
    ] {
        let response = app.send_json(Method::PUT, &format!("/variants/{id}"), Some(&user.token), body).await;
        let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), vec![field]);
    }
}

async fn variants_are_private(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let job = app.generated_job(&owner).await;
    let id = &variant_ids(&job)[0];
    assert_problem(app.get(&format!("/variants/{id}"), None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get(&format!("/variants/{id}"), Some(&stranger.token)).await, StatusCode::NOT_FOUND)
        .await;
    let edit = app
        .send_json(
            Method::PUT,
            &format!("/variants/{id}"),
            Some(&stranger.token),
            json!({ "content": "pwned" }),
        )
        .await;
    assert_problem(edit, StatusCode::NOT_FOUND).await;
    let original: Value = app.get(&format!("/variants/{id}"), Some(&owner.token)).await.json().await.unwrap();
    assert_ne!(original["content"], "pwned");
}

async fn an_edit_is_linted_again(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let x = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "x").unwrap();
    let generated_errors =
        x["metadata"]["lint"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").count();
    assert_eq!(generated_errors, 0, "generated output obeys the rules: {}", x["metadata"]["lint"]);
    let too_long = "word ".repeat(80);
    let edited: Value = app
        .send_json(
            Method::PUT,
            &format!("/variants/{}", x["id"].as_str().unwrap()),
            Some(&user.token),
            json!({ "content": too_long }),
        )
        .await
        .json()
        .await
        .unwrap();
    let findings = edited["metadata"]["lint"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["severity"] == "error" && f["rule"].as_str().unwrap().starts_with("x.")),
        "{findings:?}"
    );
}

/// A Bluesky post counts graphemes and a Mastodon post counts every link as 23: an edit over
/// the limit as the network counts it cannot be accepted, one at the limit can.
async fn short_posts_are_checked_as_their_network_counts(app: TestApp) {
    let user = app.user().await;
    let job = app.create_job(&user, ARTICLE, &["bluesky", "mastodon"]).await;
    let job = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    let id_of = |channel: &str| {
        job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == channel).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // A family emoji is seven code points and one grapheme.
    let family = "👨\u{200d}👩\u{200d}👧\u{200d}👦";
    let bluesky = id_of("bluesky");
    let over = format!("Our bakers say hello {}", family.repeat(280));
    let refused = put_variant(&app, &user, &bluesky, json!({ "content": over, "accepted": true })).await;
    assert_eq!(
        rules_of(&assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["bluesky.max_length"]
    );
    let at_limit = format!("Our bakers say hello {}", family.repeat(279));
    let accepted = put_variant(&app, &user, &bluesky, json!({ "content": at_limit, "accepted": true })).await;
    assert_eq!(accepted.status(), StatusCode::OK, "{:?}", accepted.text().await);

    let mastodon = id_of("mastodon");
    let link = format!("https://rye-and-crumb.com/{}", "news/".repeat(60));
    let with_link = format!("{} Read more: {link}", "Fresh rye every morning. ".repeat(18).trim_end());
    let accepted =
        put_variant(&app, &user, &mastodon, json!({ "content": with_link, "accepted": true })).await;
    assert_eq!(accepted.status(), StatusCode::OK, "{:?}", accepted.text().await);
    let saved: Value = accepted.json().await.unwrap();
    assert_eq!(saved["metadata"]["counts"]["parts"], json!([18 * 25 - 1 + " Read more: ".len() + 23]));
}

async fn put_variant(
    app: &TestApp,
    user: &crate::common::TestUser,
    id: &str,
    body: Value,
) -> reqwest::Response {
    app.send_json(Method::PUT, &format!("/variants/{id}"), Some(&user.token), body).await
}

fn rules_of(problem: &Value) -> Vec<&str> {
    problem["checks"].as_array().unwrap().iter().map(|c| c["rule"].as_str().unwrap()).collect()
}

/// Accepted means safe to publish: a post with an error is never accepted nor scheduled, one
/// with warnings only when the user says "publish anyway" (recorded), and an edit that breaks
/// a check withdraws the acceptance.
async fn accepted_means_safe_to_publish(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let x = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "x").unwrap();
    let id = x["id"].as_str().unwrap();
    let too_long = "word ".repeat(80);

    let refused = put_variant(&app, &user, id, json!({ "content": too_long, "accepted": true })).await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["type"], "https://kyros.dev/problems/checks-failed");
    assert_eq!(error_fields(&problem), ["accepted"]);
    assert_eq!(rules_of(&problem), ["x.max_weighted_length"]);
    assert_eq!(problem["checks"][0]["severity"], "error");
    let unchanged: Value = app.get(&format!("/variants/{id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(unchanged["content"], x["content"], "a refused request changes nothing");
    // Not even with the override: it is for warnings only.
    put_variant(&app, &user, id, json!({ "content": too_long })).await;
    let anyway = put_variant(&app, &user, id, json!({ "accepted": true, "publish_anyway": true })).await;
    assert_eq!(
        rules_of(&assert_problem(anyway, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["x.max_weighted_length"]
    );

    let unnumbered = "Rye & Crumb now opens four days a week.\n\nSales rose by four percent in three months.";
    put_variant(&app, &user, id, json!({ "content": unnumbered })).await;
    let warned = put_variant(&app, &user, id, json!({ "accepted": true })).await;
    let problem = assert_problem(warned, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["publish_anyway"]);
    assert!(rules_of(&problem).contains(&"x.thread_numbering"), "{problem}");
    let accepted = put_variant(&app, &user, id, json!({ "accepted": true, "publish_anyway": true })).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(accepted.json::<Value>().await.unwrap()["accepted"], true);
    let sql = "SELECT payload FROM audit_events WHERE kind = 'variant.accepted'";
    let rows =
        app.db.query_all_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap();
    let payload: Value = rows[0].try_get::<serde_json::Value>("", "payload").unwrap();
    assert!(
        payload["warnings_overridden"].as_array().unwrap().contains(&json!("x.thread_numbering")),
        "{payload}"
    );

    // Breaking a check withdraws the acceptance, and keeps the edit.
    let broken = put_variant(&app, &user, id, json!({ "content": too_long })).await;
    let broken: Value = broken.json().await.unwrap();
    assert_eq!(broken["accepted"], false);
    assert_eq!(broken["content"], too_long);

    // A post accepted before the rule existed is still not scheduled with an error.
    let backend = app.db.get_database_backend();
    let force = match backend {
        sea_orm::DatabaseBackend::Postgres => "UPDATE variants SET accepted = true WHERE id = $1",
        _ => "UPDATE variants SET accepted = true WHERE id = ?",
    };
    let uuid: uuid::Uuid = id.parse().unwrap();
    app.db.execute_raw(Statement::from_sql_and_values(backend, force, [uuid.into()])).await.unwrap();
    let schedule = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": id, "run_at": crate::schedules::local_nine(chrono_tz::Europe::Berlin, 2), "timezone": "Europe/Berlin" }),
        )
        .await;
    let problem = assert_problem(schedule, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["variant_id"]);
    assert_eq!(rules_of(&problem), ["x.max_weighted_length"]);
}

/// Every change is a version, never an overwrite: an edit (a P.S.), "Try another" (a new,
/// different text beside it), and switching back; acceptance stays with the accepted version.
async fn every_change_is_a_version_and_acceptance_follows_its_version(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let linkedin = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "linkedin").unwrap();
    let id = linkedin["id"].as_str().unwrap();
    let versions = || async {
        app.get(&format!("/variants/{id}/versions"), Some(&user.token)).await.json::<Value>().await.unwrap()
    };
    let first = versions().await;
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_eq!(first[0]["origin"], "generated");
    assert_eq!(first[0]["author_id"], Value::Null);
    assert_eq!(first[0]["current"], true);

    let with_ps = format!(
        "{}\n\nP.S. Come and taste the sourdough on Saturday.",
        linkedin["content"].as_str().unwrap()
    );
    let edited: Value =
        put_variant(&app, &user, id, json!({ "content": with_ps })).await.json().await.unwrap();
    assert_eq!(edited["current_version"], 2);
    let accepted: Value =
        put_variant(&app, &user, id, json!({ "accepted": true })).await.json().await.unwrap();
    assert_eq!((accepted["accepted"].clone(), accepted["accepted_version"].clone()), (json!(true), json!(2)));

    let another = app.post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({})).await;
    assert_eq!(another.status(), StatusCode::OK);
    let another: Value = another.json().await.unwrap();
    assert_eq!(another["current_version"], 3);
    assert_eq!(another["accepted"], false, "the new text is not the accepted one");
    assert_eq!(another["accepted_version"], 2);
    assert_ne!(another["content"], linkedin["content"], "a genuinely different alternative");
    let all = versions().await;
    let origins: Vec<&str> = all.as_array().unwrap().iter().map(|v| v["origin"].as_str().unwrap()).collect();
    assert_eq!(origins, ["regenerated", "edited", "generated"]);
    assert_eq!(all[1]["content"], with_ps.as_str(), "the P.S. is still there");
    assert_eq!(all[1]["accepted"], true);
    assert_eq!(all[0]["current"], true);
    assert_eq!(all[0]["author_id"], user.id.as_str());
    let status = app.get(&format!("/jobs/{}", job["id"].as_str().unwrap()), Some(&user.token)).await;
    assert_eq!(status.json::<Value>().await.unwrap()["status"], "needs_review");

    let restored =
        app.post(&format!("/variants/{id}/versions/2/restore"), Some(&user.token), json!({})).await;
    assert_eq!(restored.status(), StatusCode::OK);
    let restored: Value = restored.json().await.unwrap();
    assert_eq!(restored["content"], with_ps.as_str());
    assert_eq!((restored["accepted"].clone(), restored["current_version"].clone()), (json!(true), json!(2)));
    assert_eq!(versions().await.as_array().unwrap().len(), 3, "restoring adds no version");

    assert_problem(
        app.post(&format!("/variants/{id}/versions/99/restore"), Some(&user.token), json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let stranger = app.user().await;
    assert_problem(
        app.get(&format!("/variants/{id}/versions"), Some(&stranger.token)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(
        app.post(&format!("/variants/{id}/versions/1/restore"), Some(&stranger.token), json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(app.get(&format!("/variants/{id}/versions"), None).await, StatusCode::UNAUTHORIZED).await;
}

/// When every draft a short source gives is already a version, "Try another" says so.
async fn try_another_says_when_there_is_no_other_alternative(app: TestApp) {
    let user = app.user().await;
    let short = "Rye & Crumb opened a second bakery on the main square in March. \
        The new shop sells sourdough every day from seven in the morning. \
        On Saturdays it runs baking classes for children and adults alike.";
    let job = app.create_job(&user, short, &["x"]).await;
    let job = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    let id = job["variants"][0]["id"].as_str().unwrap();
    let mut refused = None;
    for _ in 0..20 {
        let response = app.post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({})).await;
        if response.status() == StatusCode::CONFLICT {
            refused = Some(response.json::<Value>().await.unwrap());
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let refused = refused.expect("a three-sentence source runs out of alternatives");
    assert!(refused["detail"].as_str().unwrap().contains("No other alternative"), "{refused}");
    let versions: Value =
        app.get(&format!("/variants/{id}/versions"), Some(&user.token)).await.json().await.unwrap();
    let texts: Vec<&str> =
        versions.as_array().unwrap().iter().map(|v| v["content"].as_str().unwrap()).collect();
    let distinct: std::collections::HashSet<&&str> = texts.iter().collect();
    assert_eq!(distinct.len(), texts.len(), "no version repeats another");
}

async fn a_variant_can_be_regenerated_deterministically(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let linkedin =
        job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "linkedin").unwrap().clone();
    let id = linkedin["id"].as_str().unwrap();
    app.send_json(Method::PUT, &format!("/variants/{id}"), Some(&user.token), json!({ "accepted": true }))
        .await;

    let next = app
        .request(Method::POST, &format!("/variants/{id}/regenerate"), Some(&user.token))
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), StatusCode::OK);
    let next: Value = next.json().await.unwrap();
    assert_eq!(next["metadata"]["engine"]["seed"], 1);
    assert_eq!(next["accepted"], false, "an alternative must be reviewed again");

    let first: Value = app
        .post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({ "seed": 7 }))
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({ "seed": 7 }))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["content"], second["content"], "the same seed gives the same text");
    assert_eq!(first["metadata"], second["metadata"]);

    let bad =
        app.post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({ "seed": "seven" })).await;
    assert_eq!(error_fields(&assert_problem(bad, StatusCode::UNPROCESSABLE_ENTITY).await), vec!["seed"]);
    let stranger = app.user().await;
    let theirs = app.post(&format!("/variants/{id}/regenerate"), Some(&stranger.token), json!({})).await;
    assert_problem(theirs, StatusCode::NOT_FOUND).await;
    assert_problem(
        app.post(&format!("/variants/{id}/regenerate"), None, json!({})).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

/// A channel or a channel list this version does not know (written by hand, or by a newer
/// version) is a server error: the post is never accepted without its channel's checks, and a
/// job never loses a channel it asked for.
async fn unknown_stored_channels_are_server_errors(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let job_path = format!("/jobs/{}", job["id"].as_str().unwrap());
    let variant_id = &variant_ids(&job)[0];
    let variant_path = format!("/variants/{variant_id}");
    let token = Some(user.token.as_str());
    app.set_column_in_db("variants", variant_id, "channel", "fax").await;
    assert_problem(app.get(&variant_path, token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    assert_problem(app.get(&job_path, token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    let accept = app.send_json(Method::PUT, &variant_path, token, json!({ "accepted": true })).await;
    assert_problem(accept, StatusCode::INTERNAL_SERVER_ERROR).await;

    let other = app.generated_job(&user).await;
    let other_path = format!("/jobs/{}", other["id"].as_str().unwrap());
    app.set_column_in_db("jobs", other["id"].as_str().unwrap(), "channels", json!(["linkedin", "fax"])).await;
    assert_problem(app.get(&other_path, token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
}

crate::on_both_databases!(
    unknown_stored_channels_are_server_errors,
    accepted_means_safe_to_publish,
    short_posts_are_checked_as_their_network_counts,
    every_change_is_a_version_and_acceptance_follows_its_version,
    try_another_says_when_there_is_no_other_alternative,
    an_edit_is_linted_again,
    a_variant_can_be_regenerated_deterministically,
    a_variant_can_be_read_and_edited_safely,
    accepting_every_variant_finishes_the_job,
    invalid_variant_edits_are_refused,
    variants_are_private,
);
