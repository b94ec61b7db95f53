use std::{net::SocketAddr, time::Duration};

use axum::{
    Router,
    http::{StatusCode as AxumStatus, header},
    response::{Html, IntoResponse, Redirect},
    routing::get,
};
use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::common::{ARTICLE, TestApp, TestUser, assert_problem, error_fields};

const ARTICLE_HTML: &str = include_str!("fixtures/article.html");
const INTERVIEW_SRT: &str = include_str!("fixtures/interview.srt");

/// A web server on loopback standing in for the pages users paste.
async fn page_server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let private_target = format!("http://127.0.0.2:{}/article", address.port());
    let router = Router::new()
        .route("/article", get(|| async { Html(ARTICLE_HTML) }))
        .route("/moved", get(|| async { Redirect::temporary("/article") }))
        .route("/to-private", get(move || async move { Redirect::temporary(&private_target) }))
        .route("/huge", get(|| async { Html("<p>word</p>".repeat(600_000)) }))
        .route(
            "/pdf",
            get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], "%PDF-1.4").into_response() }),
        )
        .route("/missing", get(|| async { AxumStatus::NOT_FOUND }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                Html(ARTICLE_HTML)
            }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

async fn url_job(app: &TestApp, user: &TestUser, url: &str) -> reqwest::Response {
    app.post(
        "/jobs",
        Some(&user.token),
        json!({ "name": "From the web", "source": { "type": "url", "url": url } }),
    )
    .await
}

/// URL ingestion is allowed to reach 127.0.0.1 only because the test allow-lists it.
async fn allowlisted_app() -> TestApp {
    TestApp::sqlite_with(&[("URL_FETCH_ALLOWLIST", "127.0.0.1"), ("URL_FETCH_TIMEOUT_SECONDS", "1")]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_page_becomes_a_job_without_its_boilerplate() {
    let pages = page_server().await;
    let app = allowlisted_app().await;
    let user = app.user().await;
    let response = url_job(&app, &user, &format!("http://{pages}/moved")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let job: Value = response.json().await.unwrap();
    let source = &job["source"];
    assert_eq!(source["type"], "url");
    assert_eq!(source["url"], format!("http://{pages}/article"), "redirects are followed");
    assert!(source["title"].as_str().unwrap().contains("four-day week"));
    let text = source["content"].as_str().unwrap();
    assert!(text.contains("Waste fell by a fifth"));
    for boilerplate in ["cookies", "Trending", "Cheap flights", "All rights reserved", "Subscribe"] {
        assert!(!text.contains(boilerplate), "boilerplate `{boilerplate}` kept: {text}");
    }
    let generated = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    assert_eq!(generated["variants"].as_array().unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsafe_or_broken_urls_are_refused_with_reasons() {
    let pages = page_server().await;
    let app = allowlisted_app().await;
    let user = app.user().await;
    let cases = [
        ("ftp://example.com/file".to_owned(), "http"),
        (format!("http://{pages}/to-private"), "private"),
        ("http://169.254.169.254/latest/meta-data/".to_owned(), "private"),
        (format!("http://{pages}/huge"), "larger"),
        (format!("http://{pages}/pdf"), "not a web page"),
        (format!("http://{pages}/missing"), "404"),
        (format!("http://{pages}/slow"), "too long"),
    ];
    for (url, reason) in cases {
        let problem =
            assert_problem(url_job(&app, &user, &url).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(error_fields(&problem), vec!["source.url"], "{url}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{url}: {message}");
    }
    let listed: Value = app.get("/jobs", Some(&user.token)).await.json().await.unwrap();
    assert!(listed["items"].as_array().unwrap().is_empty(), "a refused URL creates no job");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_is_refused_without_the_allowlist() {
    let pages = page_server().await;
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let problem = assert_problem(
        url_job(&app, &user, &format!("http://{pages}/article")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("private"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pasted_transcripts_and_html_are_cleaned() {
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let transcript: Value = app
        .post(
            "/jobs",
            Some(&user.token),
            json!({ "name": "Podcast", "source": { "type": "transcript", "content": INTERVIEW_SRT } }),
        )
        .await
        .json()
        .await
        .unwrap();
    let text = transcript["source"]["content"].as_str().unwrap();
    assert!(!text.contains("-->") && !text.contains("<i>"), "{text}");
    assert!(text.contains("sales rose four percent"));
    assert_eq!(transcript["source"]["speakers"], json!(["HOST", "GUEST"]));
    let html: Value = app
        .post(
            "/jobs",
            Some(&user.token),
            json!({ "name": "Pasted page", "source": { "type": "html", "content": ARTICLE_HTML } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!html["source"]["content"].as_str().unwrap().contains('<'));
    app.wait_for_job(&user, html["id"].as_str().unwrap(), &["needs_review"]).await;
}

fn file_form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()))
}

async fn upload(app: &TestApp, token: Option<&str>, form: Form) -> reqwest::Response {
    app.request(reqwest::Method::POST, "/uploads", token).multipart(form).send().await.unwrap()
}

async fn an_uploaded_file_becomes_a_job(app: TestApp) {
    let user = app.user().await;
    let response =
        upload(&app, Some(&user.token), file_form("four-day-week.md", ARTICLE.as_bytes().to_vec())).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let uploaded: Value = response.json().await.unwrap();
    assert_eq!(uploaded["format"], "markdown");
    assert_eq!(uploaded["language"], "eng");
    assert!(uploaded["preview"].as_str().unwrap().contains("Rye & Crumb"));
    let fetched = app.get(&format!("/uploads/{}", uploaded["id"].as_str().unwrap()), Some(&user.token)).await;
    assert_eq!(fetched.status(), StatusCode::OK);

    let job: Value = app
        .post(
            "/jobs",
            Some(&user.token),
            json!({ "name": "From a file", "source": { "type": "upload", "upload_id": uploaded["id"] } }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(job["source"]["file_name"], "four-day-week.md");
    let generated = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    assert_eq!(generated["variants"].as_array().unwrap().len(), 4);
}

async fn bad_uploads_are_refused(app: TestApp) {
    let user = app.user().await;
    let token = Some(user.token.as_str());
    assert_problem(
        upload(&app, token, file_form("virus.exe", b"MZ".to_vec())).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    let oversized = vec![b'a'; 10 * 1024 * 1024 + 1];
    assert_problem(upload(&app, token, file_form("big.txt", oversized)).await, StatusCode::PAYLOAD_TOO_LARGE)
        .await;
    let no_file = Form::new().text("note", "hello");
    let problem = assert_problem(upload(&app, token, no_file).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["file"]);
    let empty = assert_problem(
        upload(&app, token, file_form("empty.txt", b"   \n".to_vec())).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&empty), vec!["file"]);
    assert_problem(
        upload(&app, None, file_form("a.txt", b"Hello there.".to_vec())).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn uploads_are_private(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let uploaded: Value =
        upload(&app, Some(&owner.token), file_form("notes.txt", ARTICLE.as_bytes().to_vec()))
            .await
            .json()
            .await
            .unwrap();
    let path = format!("/uploads/{}", uploaded["id"].as_str().unwrap());
    assert_problem(app.get(&path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    let job = app
        .post(
            "/jobs",
            Some(&stranger.token),
            json!({ "name": "theft", "source": { "type": "upload", "upload_id": uploaded["id"] } }),
        )
        .await;
    let problem = assert_problem(job, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), vec!["source.upload_id"]);
}

crate::on_both_databases!(an_uploaded_file_becomes_a_job, bad_uploads_are_refused, uploads_are_private);
