//! The optional model provider against a fake OpenAI-compatible server on loopback.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::post};
use serde_json::{Value, json};

use crate::common::{ARTICLE, TestApp};

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Behaviour {
    Answer,
    RateLimitedOnce,
    ServerError,
    Slow,
    Malformed,
    Invents,
    /// Answers after a short pause, so calls made at once overlap.
    AnswerAfterPause,
}

#[derive(Clone)]
pub(crate) struct FakeModel {
    behaviour: Arc<Mutex<Behaviour>>,
    pub(crate) requests: Arc<AtomicUsize>,
    /// The `model` each request asked for.
    pub(crate) models: Arc<Mutex<Vec<String>>>,
    /// The system message of each request: the brief the writer got.
    pub(crate) briefs: Arc<Mutex<Vec<String>>>,
    in_flight: Arc<AtomicUsize>,
    /// The most requests in flight at once.
    pub(crate) most_at_once: Arc<AtomicUsize>,
}

/// A draft as a model writes it; like a real model, each answer (`count`) orders its key
/// points differently.
fn draft(invent: bool, count: usize) -> Value {
    let extra = if invent { " The bakery also opened a second shop in Paris last year." } else { "" };
    let mut points = [
        "Waste fell by a fifth.",
        "Preorders through the website doubled.",
        "The bakery will review the schedule again in September.",
    ];
    points.rotate_left(count % 3);
    let points = points.map(|point| format!("- {point}")).join("\n");
    let mut parts = [
        "Rye & Crumb switched to a four-day working week in March. #FourDayWeek",
        "Sales in the first three months were four percent higher than in the same period last year.",
    ];
    parts.rotate_left(count % 2);
    json!({
        "parts": parts,
        "body": format!("# Rye & Crumb moves to a four-day week\n\nRye & Crumb, a neighbourhood bakery with eleven staff, switched to a four-day working week in March.{extra}\n\n## Key points\n\n{points}\n\n## Results\n\nSales in the first three months were four percent higher than in the same period last year.\n\n## Conclusion\n\nFor now, no employee has asked to return to the old rota.\n\n#FourDayWeek #SmallBusiness #Bakery"),
        "subject": "Rye & Crumb moves to a four-day week",
        "preheader": "Sales rose four percent and waste fell by a fifth in three months.",
        "title": "Rye & Crumb moves to a four-day week",
        "meta_description": "Rye & Crumb, a bakery with eleven staff, switched to a four-day week in March: sales rose four percent and waste fell by a fifth since then.",
    })
}

async fn chat_completions(
    State(model): State<FakeModel>,
    Json(request): Json<Value>,
) -> axum::response::Response {
    let count = model.requests.fetch_add(1, Ordering::SeqCst);
    model.models.lock().unwrap().push(request["model"].as_str().unwrap_or_default().to_owned());
    model
        .briefs
        .lock()
        .unwrap()
        .push(request["messages"][0]["content"].as_str().unwrap_or_default().to_owned());
    let now = model.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    model.most_at_once.fetch_max(now, Ordering::SeqCst);
    let response = answer_as(&model, count).await;
    model.in_flight.fetch_sub(1, Ordering::SeqCst);
    response
}

async fn answer_as(model: &FakeModel, count: usize) -> axum::response::Response {
    let behaviour = *model.behaviour.lock().unwrap();
    let answer = |content: String| {
        Json(json!({ "choices": [{ "message": { "role": "assistant", "content": content } }] }))
            .into_response()
    };
    match behaviour {
        Behaviour::Answer => answer(draft(false, count).to_string()),
        Behaviour::Invents => answer(draft(true, count).to_string()),
        Behaviour::RateLimitedOnce if count == 0 => {
            (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response()
        }
        Behaviour::RateLimitedOnce => answer(draft(false, count).to_string()),
        Behaviour::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response(),
        Behaviour::Slow => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            answer(draft(false, count).to_string())
        }
        Behaviour::Malformed => answer("Sure! Here is your post: it is great.".into()),
        Behaviour::AnswerAfterPause => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            answer(draft(false, count).to_string())
        }
    }
}

pub(crate) async fn fake_model(behaviour: Behaviour) -> (SocketAddr, FakeModel) {
    let model = FakeModel {
        behaviour: Arc::new(Mutex::new(behaviour)),
        requests: Arc::new(AtomicUsize::new(0)),
        models: Arc::new(Mutex::new(Vec::new())),
        briefs: Arc::new(Mutex::new(Vec::new())),
        in_flight: Arc::new(AtomicUsize::new(0)),
        most_at_once: Arc::new(AtomicUsize::new(0)),
    };
    let router =
        Router::new().route("/v1/chat/completions", post(chat_completions)).with_state(model.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (address, model)
}

pub(crate) async fn app_with_model(address: SocketAddr) -> TestApp {
    let base = format!("http://{address}/v1");
    TestApp::sqlite_with(&[
        ("OPENAI_API_KEY", "test-key"),
        ("OPENAI_BASE_URL", &base),
        ("OPENAI_TIMEOUT_SECONDS", "1"),
        ("OPENAI_MAX_RETRIES", "2"),
        ("OPENAI_RETRY_BASE_MS", "10"),
        ("OPENAI_BREAKER_THRESHOLD", "2"),
    ])
    .await
}

async fn generate(app: &TestApp, user: &crate::common::TestUser) -> Value {
    let job = app.create_job(user, ARTICLE, &["linkedin", "x", "newsletter", "blog"]).await;
    app.wait_for_job(user, job["id"].as_str().unwrap(), &["needs_review", "failed"]).await
}

fn unsupported_claims(job: &Value) -> usize {
    job["variants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["metadata"]["lint"].as_array().unwrap().clone())
        .filter(|f| f["rule"] == "grounding.unsupported_claim")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_model_writes_variants_under_the_channel_rules() {
    let (address, model) = fake_model(Behaviour::Answer).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let job = generate(&app, &user).await;
    assert_eq!(job["provider"], "openai");
    assert!(job["provider_note"].is_null());
    assert_eq!(model.requests.load(Ordering::SeqCst), 4, "one call per channel");
    assert_eq!(unsupported_claims(&job), 0);
    for variant in job["variants"].as_array().unwrap() {
        assert_eq!(variant["metadata"]["engine"]["name"], "external");
        let errors = variant["metadata"]["lint"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count();
        assert_eq!(errors, 0, "{}", variant["metadata"]["lint"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_is_retried() {
    let (address, model) = fake_model(Behaviour::RateLimitedOnce).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let job = generate(&app, &user).await;
    assert_eq!(job["provider"], "openai");
    assert_eq!(model.requests.load(Ordering::SeqCst), 5, "the 429 was retried once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_fall_back_to_the_local_engine_and_open_the_breaker() {
    let (address, model) = fake_model(Behaviour::ServerError).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let first = generate(&app, &user).await;
    assert_eq!(first["status"], "needs_review");
    assert_eq!(first["provider"], "local");
    assert!(first["provider_note"].as_str().unwrap().contains("HTTP 500"), "{}", first["provider_note"]);
    // Every channel is asked at once, each with one call and two retries; the first to fail
    // stops the others.
    let calls = model.requests.load(Ordering::SeqCst);
    assert!((3..=12).contains(&calls), "{calls} calls");
    assert_eq!(first["variants"].as_array().unwrap().len(), 4);

    generate(&app, &user).await;
    let calls_before = model.requests.load(Ordering::SeqCst);
    let third = generate(&app, &user).await;
    assert_eq!(model.requests.load(Ordering::SeqCst), calls_before, "the open breaker skips the model");
    assert!(third["provider_note"].as_str().unwrap().contains("circuit breaker"));
    assert_eq!(third["provider"], "local");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_and_malformed_answers_fall_back() {
    for (behaviour, reason) in [(Behaviour::Slow, "timed out"), (Behaviour::Malformed, "JSON")] {
        let (address, _model) = fake_model(behaviour).await;
        let app = app_with_model(address).await;
        let user = app.user().await;
        let job = generate(&app, &user).await;
        assert_eq!(job["provider"], "local");
        assert!(job["provider_note"].as_str().unwrap().contains(reason), "{}", job["provider_note"]);
        assert_eq!(job["variants"].as_array().unwrap().len(), 4);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invented_claims_are_flagged() {
    let (address, _model) = fake_model(Behaviour::Invents).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let job = generate(&app, &user).await;
    assert_eq!(job["provider"], "openai");
    assert!(unsupported_claims(&job) >= 1);
    let linkedin = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "linkedin").unwrap();
    let flagged = linkedin["metadata"]["lint"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "grounding.unsupported_claim")
        .unwrap();
    assert!(flagged["message"].as_str().unwrap().contains("Paris"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_channels_are_asked_at_once_each_with_its_own_rules() {
    let (address, model) = fake_model(Behaviour::AnswerAfterPause).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let job = generate(&app, &user).await;
    assert_eq!(job["provider"], "openai");
    let at_once = model.most_at_once.load(Ordering::SeqCst);
    assert!((2..=4).contains(&at_once), "{at_once} calls at once");
    let briefs = model.briefs.lock().unwrap().clone();
    assert_eq!(briefs.len(), 4);
    let brief_for = |channel: &str| {
        briefs.iter().find(|brief| brief.contains(&format!("into a {channel} post"))).unwrap().clone()
    };
    assert!(brief_for("x").contains("at most 280 characters"), "{}", brief_for("x"));
    assert!(brief_for("linkedin").contains("at most 3000 characters"), "{}", brief_for("linkedin"));
    assert!(brief_for("newsletter").contains("at most 60 characters"), "{}", brief_for("newsletter"));
    assert!(brief_for("blog").contains("120 to 155 characters"), "{}", brief_for("blog"));
    for brief in &briefs {
        assert!(brief.contains("Use only facts stated in the source"), "{brief}");
        assert!(brief.contains("Every sentence must stand alone"), "{brief}");
        assert!(brief.contains("Write in English"), "{brief}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regeneration_asks_the_model_when_one_is_configured() {
    let (address, model) = fake_model(Behaviour::Answer).await;
    let app = app_with_model(address).await;
    let user = app.user().await;
    let job = generate(&app, &user).await;
    let id = job["variants"][0]["id"].as_str().unwrap();
    let before = model.requests.load(Ordering::SeqCst);
    let regenerated = app.post(&format!("/variants/{id}/regenerate"), Some(&user.token), json!({})).await;
    assert_eq!(regenerated.status(), StatusCode::OK);
    let regenerated: Value = regenerated.json().await.unwrap();
    // Calls for this channel only, until the model answers with a text no version has.
    let channel = job["variants"][0]["channel"].as_str().unwrap();
    let briefs = model.briefs.lock().unwrap().clone();
    assert!(briefs.len() > before, "the model was asked");
    for brief in &briefs[before..] {
        assert!(brief.contains(&format!("into a {channel} post")), "{brief}");
    }
    let versions: Value =
        app.get(&format!("/variants/{id}/versions"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_ne!(versions[0]["content"], versions[1]["content"], "a genuinely different alternative");
    assert_eq!(regenerated["metadata"]["engine"]["name"], "external");
    let quality: Vec<&Value> = regenerated["metadata"]["lint"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| finding["rule"].as_str().unwrap().starts_with("quality."))
        .collect();
    assert!(quality.iter().all(|f| f["severity"] == "warning"), "{quality:?}");
}
