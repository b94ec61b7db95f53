use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, assert_problem, error_fields};

async fn generated_variant(app: &TestApp, user: &crate::common::TestUser, channel: &str) -> Value {
    let job = app.generated_job(user).await;
    job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == channel).unwrap().clone()
}

async fn every_format_downloads_as_an_attachment(app: TestApp) {
    let user = app.user().await;
    let variant = generated_variant(&app, &user, "blog").await;
    let id = variant["id"].as_str().unwrap();
    let content = variant["content"].as_str().unwrap();
    for (format, content_type) in [
        ("txt", "text/plain; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("html", "text/html; charset=utf-8"),
        ("json", "application/json"),
    ] {
        let response =
            app.post(&format!("/export/{id}"), Some(&user.token), json!({ "format": format })).await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        assert_eq!(response.headers().get("content-type").unwrap(), content_type);
        let disposition = response.headers().get("content-disposition").unwrap().to_str().unwrap().to_owned();
        assert_eq!(disposition, format!("attachment; filename=\"launch-post-blog.{format}\""));
        let body = response.text().await.unwrap();
        match format {
            "md" => assert_eq!(body.trim_end(), content.trim_end()),
            // The blog's Markdown as plain text: its title and headings without `#`.
            "txt" => {
                assert!(!body.contains("# ") && !body.contains("**"), "{body}");
                let title = content.lines().next().unwrap().trim_start_matches("# ");
                assert!(body.starts_with(title), "{body}");
            }
            "html" => {
                assert!(body.starts_with("<!doctype html>"));
                assert!(body.contains("<h1>") && body.contains("<h2>"), "{body}");
            }
            _ => assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["id"], id),
        }
    }
}

async fn an_unknown_format_is_named(app: TestApp) {
    let user = app.user().await;
    let variant = generated_variant(&app, &user, "x").await;
    let response = app
        .post(
            &format!("/export/{}", variant["id"].as_str().unwrap()),
            Some(&user.token),
            json!({ "format": "pdf" }),
        )
        .await;
    let problem = assert_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["format"]);
}

async fn exports_are_private(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let variant = generated_variant(&app, &owner, "linkedin").await;
    let path = format!("/export/{}", variant["id"].as_str().unwrap());
    assert_problem(app.post(&path, None, json!({ "format": "txt" })).await, StatusCode::UNAUTHORIZED).await;
    let response = app.post(&path, Some(&stranger.token), json!({ "format": "txt" })).await;
    let problem = assert_problem(response, StatusCode::NOT_FOUND).await;
    assert!(!problem.to_string().contains(variant["content"].as_str().unwrap()));
}

crate::on_both_databases!(
    every_format_downloads_as_an_attachment,
    an_unknown_format_is_named,
    exports_are_private
);
