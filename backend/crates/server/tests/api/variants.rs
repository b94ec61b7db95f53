use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, assert_problem, error_fields};

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

crate::on_both_databases!(
    an_edit_is_linted_again,
    a_variant_can_be_regenerated_deterministically,
    a_variant_can_be_read_and_edited_safely,
    accepting_every_variant_finishes_the_job,
    invalid_variant_edits_are_refused,
    variants_are_private,
);
