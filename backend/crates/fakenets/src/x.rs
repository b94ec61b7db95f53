//! X: API v2 (`/2/users/me`, `/2/tweets`) and its OAuth 2.0 authorization code flow with
//! PKCE, as X documents them. Confidential clients authenticate at the token endpoint with
//! HTTP Basic, public ones with `client_id` alone; codes live 30 seconds, access tokens two
//! hours, and a refresh token (issued with `offline.access`) is replaced at every use.

use std::{collections::HashMap, io, net::SocketAddr, ops::Deref, sync::Arc};

use axum::{
    Form, Json, Router,
    extract::{OriginalUri, Path, Query, Request, State},
    http::{HeaderMap, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use crate::{
    Failure, Fake, Post,
    consent::{self, Authorization, AuthorizeQuery, Decision},
    control,
    core::{Bearer, Challenge, Core, TokenPolicy, basic_credentials},
    server,
};

pub const CLIENT_ID: &str = "fake-x-client-id";
pub const CLIENT_SECRET: &str = "fake-x-client-secret";
/// The one account signed in on the fake.
pub const USER_ID: &str = "1849012345678901234";
pub const USERNAME: &str = "kyros_fake";
pub const NAME: &str = "Kyros Fake";
pub const AUTHORIZE_PATH: &str = "/i/oauth2/authorize";
pub const TOKEN_PATH: &str = "/2/oauth2/token";

const POLICY: TokenPolicy =
    TokenPolicy { access_ttl: Some(Duration::hours(2)), refresh_ttl: None, rotate: true };
/// X's first post ids of 2025 were about this large; the fake counts up from here.
const FIRST_POST_ID: u64 = 1_900_000_000_000_000_000;

/// How the app is registered with the fake.
#[derive(Debug, Clone)]
pub struct XOptions {
    pub client_id: String,
    /// `None` for a public client (PKCE alone, no Basic authentication).
    pub client_secret: Option<String>,
    /// The app's name on the consent page.
    pub app_name: String,
}

impl Default for XOptions {
    fn default() -> Self {
        Self {
            client_id: CLIENT_ID.to_owned(),
            client_secret: Some(CLIENT_SECRET.to_owned()),
            app_name: "Kyros".to_owned(),
        }
    }
}

/// A running fake X.
#[derive(Debug)]
pub struct FakeX {
    fake: Fake,
}

impl Deref for FakeX {
    type Target = Fake;

    fn deref(&self) -> &Fake {
        &self.fake
    }
}

impl FakeX {
    pub fn authorize_url(&self) -> Url {
        self.fake.base_url.join(AUTHORIZE_PATH).expect("the authorize path is a valid URL path")
    }

    pub fn token_url(&self) -> Url {
        self.fake.base_url.join(TOKEN_PATH).expect("the token path is a valid URL path")
    }

    /// Refuses the next post with X's duplicate-content 403.
    pub fn duplicate_next_post(&self) {
        self.fake.core.duplicate_next_post();
    }

    pub async fn stop(self) {
        self.fake.stop().await;
    }
}

/// A fake X on a free loopback port, with the app registered as [`XOptions::default`].
pub async fn spawn() -> FakeX {
    spawn_with(XOptions::default(), SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port is free")
}

/// A fake X on `address` with the app registered as `options` says.
pub async fn spawn_with(options: XOptions, address: SocketAddr) -> io::Result<FakeX> {
    let (listener, base_url) = server::bind(address).await?;
    let core = Arc::new(Core::default());
    let state = Arc::new(XState { core: core.clone(), options, base_url: base_url.clone() });
    let api = Router::new()
        .route(TOKEN_PATH, post(token))
        .route("/2/users/me", get(me))
        .route("/2/tweets", post(create_post))
        .route("/2/tweets/{id}", get(lookup_post))
        .route("/2/users/{id}/tweets", get(user_posts))
        .layer(middleware::from_fn_with_state(state.clone(), failures));
    let router = Router::new()
        .route(AUTHORIZE_PATH, get(authorize_page).post(authorize_decision))
        .merge(api)
        .with_state(state)
        .merge(control::router(core.clone(), true));
    let server = server::serve(listener, router);
    Ok(FakeX { fake: Fake { base_url, core, server } })
}

#[derive(Debug)]
struct XState {
    core: Arc<Core>,
    options: XOptions,
    base_url: Url,
}

type Shared = State<Arc<XState>>;

fn check(state: &XState, query: &AuthorizeQuery) -> Result<Authorization, &'static str> {
    if query.response_type.as_deref() != Some("code") {
        return Err("response_type must be code");
    }
    if query.client_id.as_deref() != Some(state.options.client_id.as_str()) {
        return Err("This app is not registered");
    }
    let redirect_uri = query
        .redirect_uri
        .as_deref()
        .filter(|uri| Url::parse(uri).is_ok())
        .ok_or("redirect_uri is invalid")?;
    let state_value = query.state.as_deref().filter(|value| !value.is_empty()).ok_or("state is required")?;
    let scope = query.scope.as_deref().filter(|scope| !scope.trim().is_empty()).ok_or("scope is required")?;
    let challenge = query.code_challenge.as_deref().ok_or("code_challenge is required")?;
    let challenge = Challenge::parse(challenge, query.code_challenge_method.as_deref(), true)
        .ok_or("code_challenge_method must be S256 or plain")?;
    Ok(Authorization {
        client_id: state.options.client_id.clone(),
        client_name: state.options.app_name.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scope: scope.to_owned(),
        state: Some(state_value.to_owned()),
        challenge: Some(challenge),
        code_lifetime: Duration::seconds(30),
    })
}

async fn authorize_page(
    State(state): Shared,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => {
            consent::page("X", &format!("@{USERNAME}"), &authorization, &consent::action(&uri))
        }
        Err(reason) => consent::refusal("X", reason),
    }
}

async fn authorize_decision(
    State(state): Shared,
    Query(query): Query<AuthorizeQuery>,
    Form(decision): Form<Decision>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => consent::decide(&state.core, authorization, &decision),
        Err(reason) => consent::refusal("X", reason),
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}

async fn token(
    State(state): Shared,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let options = &state.options;
    let client_id = options.client_id.as_str();
    let authenticated = match &options.client_secret {
        Some(secret) => basic_credentials(&headers) == Some((client_id.to_owned(), secret.clone())),
        None => form.get("client_id").map(String::as_str) == Some(client_id),
    };
    if !authenticated {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized_client",
            "Missing valid authorization header",
        );
    }
    let field = |name: &str| form.get(name).map(String::as_str);
    match field("grant_type") {
        Some("authorization_code") => {
            let Some(code) = field("code") else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Missing required parameter [code].",
                );
            };
            match state.core.redeem(code, client_id, field("redirect_uri"), field("code_verifier")) {
                Ok(code) => {
                    let offline = code.scope.split(' ').any(|scope| scope == "offline.access");
                    token_answer(state.core.issue(client_id, &code.scope, POLICY, offline))
                }
                Err(_) => oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Value passed for the authorization code was invalid.",
                ),
            }
        }
        Some("refresh_token") => {
            match field("refresh_token").and_then(|token| state.core.refresh(token, client_id, POLICY)) {
                Some(issued) => token_answer(issued),
                None => oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Value passed for the token was invalid.",
                ),
            }
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Missing required parameter [grant_type].",
        ),
    }
}

fn token_answer(issued: crate::core::Issued) -> Response {
    let mut body = json!({
        "token_type": "bearer",
        "expires_in": issued.expires_in,
        "access_token": issued.access_token,
        "scope": issued.scope,
    });
    if let Some(refresh_token) = issued.refresh_token {
        body["refresh_token"] = json!(refresh_token);
    }
    Json(body).into_response()
}

fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    (
        status,
        Json(json!({ "title": title, "detail": detail, "type": "about:blank", "status": status.as_u16() })),
    )
        .into_response()
}

/// X's refusal of the caller's token, unless it is valid and has every scope in `needed`.
fn token_refusal(state: &XState, headers: &HeaderMap, needed: &[&str]) -> Option<Response> {
    match state.core.bearer(headers) {
        bearer @ Bearer::Valid { .. } if needed.iter().all(|scope| bearer.has_scope(scope)) => None,
        Bearer::Valid { .. } => {
            Some(problem(StatusCode::FORBIDDEN, "Forbidden", "You are not permitted to perform this action."))
        }
        _ => Some(problem(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized")),
    }
}

async fn failures(State(state): Shared, request: Request, next: Next) -> Response {
    match state.core.next_failure() {
        Some(Failure::RateLimited { reset_at }) => {
            let mut response =
                problem(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests", "Too Many Requests");
            let headers = response.headers_mut();
            headers.insert("x-rate-limit-limit", 300.into());
            headers.insert("x-rate-limit-remaining", 0.into());
            headers.insert("x-rate-limit-reset", reset_at.timestamp().into());
            response
        }
        Some(Failure::Unavailable) => {
            problem(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", "Service Unavailable")
        }
        Some(Failure::AnswerLost) => {
            drop(next.run(request).await);
            problem(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable", "Service Unavailable")
        }
        None => next.run(request).await,
    }
}

#[derive(Debug, Deserialize)]
struct Timeline {
    #[serde(default)]
    max_results: Option<usize>,
    #[serde(rename = "tweet.fields", default)]
    tweet_fields: String,
}

/// The user's posts, newest first (`GET /2/users/{id}/tweets`): 5 to 100 per page, 10 unless
/// `max_results` says; `referenced_tweets` names the post a reply answers when asked for.
async fn user_posts(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(timeline): Query<Timeline>,
) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["tweet.read", "users.read"]) {
        return refusal;
    }
    let limit = timeline.max_results.unwrap_or(10);
    if !(5..=100).contains(&limit) {
        return problem(
            StatusCode::BAD_REQUEST,
            "Invalid Request",
            "The `max_results` query parameter value is not between 5 and 100",
        );
    }
    let posts: Vec<Value> = state
        .core
        .posts()
        .into_iter()
        .rev()
        .filter(|post| post.author == id)
        .take(limit)
        .map(|post| {
            let mut data = json!({ "id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id] });
            if let (true, Some(parent)) =
                (requested(&timeline.tweet_fields, "referenced_tweets"), &post.reply_to)
            {
                data["referenced_tweets"] = json!([{ "type": "replied_to", "id": parent }]);
            }
            data
        })
        .collect();
    let meta = json!({
        "result_count": posts.len(),
        "newest_id": posts.first().map(|post| post["id"].clone()),
        "oldest_id": posts.last().map(|post| post["id"].clone()),
    });
    if posts.is_empty() {
        return Json(json!({ "meta": { "result_count": 0 } })).into_response();
    }
    Json(json!({ "data": posts, "meta": meta })).into_response()
}

#[derive(Debug, Deserialize)]
struct Fields {
    #[serde(rename = "user.fields", default)]
    user_fields: String,
    #[serde(rename = "tweet.fields", default)]
    tweet_fields: String,
}

fn requested(fields: &str, field: &str) -> bool {
    fields.split(',').any(|requested| requested.trim() == field)
}

async fn me(State(state): Shared, headers: HeaderMap, Query(fields): Query<Fields>) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["tweet.read", "users.read"]) {
        return refusal;
    }
    let mut user = json!({ "id": USER_ID, "name": NAME, "username": USERNAME });
    if requested(&fields.user_fields, "profile_image_url") {
        user["profile_image_url"] =
            json!(format!("{}profile_images/{USER_ID}/avatar_normal.png", state.base_url));
    }
    Json(json!({ "data": user })).into_response()
}

async fn create_post(State(state): Shared, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["tweet.read", "tweet.write", "users.read"]) {
        return refusal;
    }
    let Some(text) = body.get("text").and_then(Value::as_str).filter(|text| !text.trim().is_empty()) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({
                "errors": [{ "message": "text must not be empty" }],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            })),
        )
            .into_response();
    };
    let reply_to = body.pointer("/reply/in_reply_to_tweet_id").and_then(Value::as_str).map(str::to_owned);
    if let Some(parent) = &reply_to
        && state.core.post(parent).is_none()
    {
        return problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "You attempted to reply to a Tweet that is deleted or not visible to you.",
        );
    }
    if state.core.is_duplicate(USER_ID, text) {
        return problem(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "You are not allowed to create a Tweet with duplicate content.",
        );
    }
    let id = (FIRST_POST_ID + state.core.next_sequence()).to_string();
    state.core.record_post(Post {
        id: id.clone(),
        author: USER_ID.to_owned(),
        text: text.to_owned(),
        sent_text: text.to_owned(),
        reply_to,
        idempotency_key: None,
        created_at: Utc::now(),
    });
    state.core.hold_answer().await;
    (StatusCode::CREATED, Json(json!({ "data": { "id": id, "text": text, "edit_history_tweet_ids": [id] } })))
        .into_response()
}

async fn lookup_post(
    State(state): Shared,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(fields): Query<Fields>,
) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["tweet.read", "users.read"]) {
        return refusal;
    }
    // API v2 reports a missing post as a 200 carrying `errors`.
    let Some(post) = state.core.post(&id) else {
        return Json(json!({ "errors": [{
            "value": id,
            "detail": format!("Could not find tweet with id: [{id}]."),
            "title": "Not Found Error",
            "resource_type": "tweet",
            "parameter": "id",
            "resource_id": id,
            "type": "https://api.twitter.com/2/problems/resource-not-found",
        }] }))
        .into_response();
    };
    let mut data = json!({ "id": post.id, "text": post.text, "edit_history_tweet_ids": [post.id] });
    if requested(&fields.tweet_fields, "public_metrics") {
        let metrics = state.core.metrics(&post.id);
        data["public_metrics"] = json!({
            "retweet_count": metrics.reposts,
            "reply_count": metrics.replies,
            "like_count": metrics.likes,
            "quote_count": metrics.quotes,
            "bookmark_count": 0,
            "impression_count": metrics.impressions,
        });
    }
    Json(json!({ "data": data })).into_response()
}
