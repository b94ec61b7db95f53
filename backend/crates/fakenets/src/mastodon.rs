//! A Mastodon instance: app registration (`/api/v1/apps`), the authorization code flow with
//! optional PKCE (S256 only), `verify_credentials`, statuses with `Idempotency-Key`, and
//! `/api/v2/instance`, as Mastodon's API documentation describes them. Tokens never expire and
//! there are no refresh tokens.

use std::{
    collections::HashMap,
    io,
    net::SocketAddr,
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard},
};

use axum::{
    Form, Json, Router,
    extract::{OriginalUri, Path, Query, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header::WWW_AUTHENTICATE},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use html_escape::encode_text;
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

use crate::{
    Failure, Fake, Post,
    consent::{self, Authorization, AuthorizeQuery, Decision},
    control,
    core::{Bearer, Challenge, Core, TokenPolicy, basic_credentials, random_token},
    server,
};

/// The one account on the instance.
pub const ACCOUNT_ID: &str = "109384751234567890";
pub const USERNAME: &str = "kyros";
pub const DISPLAY_NAME: &str = "Kyros Fake";
/// Mastodon's defaults.
pub const DEFAULT_MAX_CHARACTERS: u32 = 500;
pub const CHARACTERS_RESERVED_PER_URL: u32 = 23;

const POLICY: TokenPolicy = TokenPolicy { access_ttl: None, refresh_ttl: None, rotate: false };
const FIRST_STATUS_ID: u64 = 113_000_000_000_000_000;

/// How the instance is set up.
#[derive(Debug, Clone)]
pub struct MastodonOptions {
    pub max_characters: u32,
}

impl Default for MastodonOptions {
    fn default() -> Self {
        Self { max_characters: DEFAULT_MAX_CHARACTERS }
    }
}

/// A running fake Mastodon instance.
#[derive(Debug)]
pub struct FakeMastodon {
    fake: Fake,
    state: Arc<MastodonState>,
}

impl Deref for FakeMastodon {
    type Target = Fake;

    fn deref(&self) -> &Fake {
        &self.fake
    }
}

impl FakeMastodon {
    /// The account's handle as people write it, `@kyros@<host:port>`.
    pub fn handle(&self) -> String {
        format!("@{USERNAME}@{}", authority(&self.fake.base_url))
    }

    /// Changes the longest status the instance accepts (and reports in `/api/v2/instance`).
    pub fn set_max_characters(&self, max_characters: u32) {
        self.state.lock().max_characters = max_characters;
    }

    /// Apps registered through `POST /api/v1/apps`.
    pub fn registered_apps(&self) -> usize {
        self.state.lock().apps.len()
    }

    pub async fn stop(self) {
        self.fake.stop().await;
    }
}

/// A fake instance on a free loopback port with Mastodon's default limits.
pub async fn spawn() -> FakeMastodon {
    spawn_with(MastodonOptions::default(), SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port is free")
}

/// A fake instance on `address`, set up as `options` says.
pub async fn spawn_with(options: MastodonOptions, address: SocketAddr) -> io::Result<FakeMastodon> {
    let (listener, base_url) = server::bind(address).await?;
    let core = Arc::new(Core::default());
    let state = Arc::new(MastodonState {
        core: core.clone(),
        base_url: base_url.clone(),
        inner: Mutex::new(Inner {
            apps: HashMap::new(),
            idempotency: HashMap::new(),
            max_characters: options.max_characters,
        }),
    });
    let api = Router::new()
        .route("/api/v1/apps", post(register_app))
        .route("/oauth/token", post(token))
        .route("/api/v1/accounts/verify_credentials", get(verify_credentials))
        .route("/api/v1/statuses", post(create_status))
        .route("/api/v1/statuses/{id}", get(view_status))
        .route("/api/v2/instance", get(instance))
        .layer(middleware::from_fn_with_state(state.clone(), failures));
    let router = Router::new()
        .route("/oauth/authorize", get(authorize_page).post(authorize_decision))
        .route("/_fakenets/max_characters", put(set_max_characters))
        .merge(api)
        .with_state(state.clone())
        .merge(control::router(core.clone(), false));
    let server = server::serve(listener, router);
    Ok(FakeMastodon { fake: Fake { base_url, core, server }, state })
}

#[derive(Debug)]
struct App {
    secret: String,
    name: String,
    redirect_uris: Vec<String>,
    scopes: Vec<String>,
}

#[derive(Debug)]
struct Inner {
    apps: HashMap<String, App>,
    /// Idempotency keys seen, with the status each made and when.
    idempotency: HashMap<String, (String, DateTime<Utc>)>,
    max_characters: u32,
}

#[derive(Debug)]
struct MastodonState {
    core: Arc<Core>,
    base_url: Url,
    inner: Mutex<Inner>,
}

impl MastodonState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

type Shared = State<Arc<MastodonState>>;

/// `host:port` (or the host alone on a default port).
fn authority(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => String::new(),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}

async fn register_app(State(state): Shared, Form(form): Form<HashMap<String, String>>) -> Response {
    let Some(name) = form.get("client_name").filter(|name| !name.trim().is_empty()) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "Validation failed: Application name can't be blank");
    };
    let redirect_uris: Vec<String> = form
        .get("redirect_uris")
        .map(|uris| uris.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    if redirect_uris.is_empty()
        || redirect_uris.iter().any(|uri| uri != "urn:ietf:wg:oauth:2.0:oob" && Url::parse(uri).is_err())
    {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Redirect URI must be an absolute URI.",
        );
    }
    let scopes: Vec<String> = form
        .get("scopes")
        .map(|scopes| scopes.split_whitespace().map(str::to_owned).collect())
        .filter(|scopes: &Vec<String>| !scopes.is_empty())
        .unwrap_or_else(|| vec!["read".to_owned()]);
    let id = state.core.next_sequence().to_string();
    let client_id = random_token();
    let client_secret = random_token();
    let body = json!({
        "id": id,
        "name": name,
        "website": form.get("website"),
        "scopes": scopes,
        "redirect_uri": redirect_uris.join("\n"),
        "redirect_uris": redirect_uris,
        "client_id": client_id,
        "client_secret": client_secret,
        "client_secret_expires_at": 0,
    });
    state
        .lock()
        .apps
        .insert(client_id, App { secret: client_secret, name: name.clone(), redirect_uris, scopes });
    Json(body).into_response()
}

fn check(state: &MastodonState, query: &AuthorizeQuery) -> Result<Authorization, &'static str> {
    if query.response_type.as_deref() != Some("code") {
        return Err("response_type must be code");
    }
    let inner = state.lock();
    let client_id = query.client_id.as_deref().unwrap_or_default();
    let app = inner.apps.get(client_id).ok_or("Client authentication failed due to unknown client.")?;
    let redirect_uri = query
        .redirect_uri
        .as_deref()
        .filter(|uri| app.redirect_uris.iter().any(|registered| registered == uri))
        .ok_or("The redirect uri included is not valid.")?;
    let scope = query.scope.clone().unwrap_or_else(|| "read".to_owned());
    if !scope.split_whitespace().all(|requested| app.scopes.iter().any(|registered| registered == requested))
    {
        return Err("The requested scope is invalid, unknown, or malformed.");
    }
    let challenge = match &query.code_challenge {
        None => None,
        Some(challenge) => Some(
            Challenge::parse(challenge, query.code_challenge_method.as_deref(), false)
                .ok_or("Only the S256 code_challenge_method is supported.")?,
        ),
    };
    Ok(Authorization {
        client_id: client_id.to_owned(),
        client_name: app.name.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scope,
        state: query.state.clone(),
        challenge,
        code_lifetime: Duration::minutes(10),
    })
}

async fn authorize_page(
    State(state): Shared,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => {
            let handle = format!("@{USERNAME}@{}", authority(&state.base_url));
            consent::page("Mastodon", &handle, &authorization, &consent::action(&uri))
        }
        Err(reason) => consent::refusal("Mastodon", reason),
    }
}

async fn authorize_decision(
    State(state): Shared,
    Query(query): Query<AuthorizeQuery>,
    Form(decision): Form<Decision>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => consent::decide(&state.core, authorization, &decision),
        Err(reason) => consent::refusal("Mastodon", reason),
    }
}

async fn token(
    State(state): Shared,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str);
    // Mastodon takes the client's credentials as form fields or as HTTP Basic.
    let (client_id, secret) = match basic_credentials(&headers) {
        Some(credentials) => credentials,
        None => (
            field("client_id").unwrap_or_default().to_owned(),
            field("client_secret").unwrap_or_default().to_owned(),
        ),
    };
    let known = state.lock().apps.get(&client_id).is_some_and(|app| app.secret == secret);
    if !known {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    }
    if field("grant_type") != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    let redeemed = field("code").ok_or(()).and_then(|code| {
        state.core.redeem(code, &client_id, field("redirect_uri"), field("code_verifier")).map_err(|_| ())
    });
    let Ok(code) = redeemed else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        );
    };
    let issued = state.core.issue(&client_id, &code.scope, POLICY, false);
    Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scope,
        "created_at": Utc::now().timestamp(),
    }))
    .into_response()
}

/// Mastodon's refusal of a token, with Doorkeeper's `WWW-Authenticate` challenge.
fn unauthorized(message: &str) -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, message);
    let challenge =
        format!(r#"Bearer realm="Doorkeeper", error="invalid_token", error_description="{message}""#);
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

/// Mastodon's refusal of the caller's token, unless it is valid and has one of `scopes`
/// (`read` covers every `read:…`).
fn token_refusal(state: &MastodonState, headers: &HeaderMap, scopes: &[&str]) -> Option<Response> {
    let bearer = state.core.bearer(headers);
    match bearer {
        Bearer::Valid { .. } => {
            let granted = scopes.iter().any(|scope| {
                bearer.has_scope(scope)
                    || scope.split_once(':').is_some_and(|(family, _)| bearer.has_scope(family))
            });
            if granted {
                None
            } else {
                Some(error(StatusCode::FORBIDDEN, "This action is outside the authorized scopes"))
            }
        }
        Bearer::Revoked => Some(unauthorized("The access token was revoked")),
        Bearer::Expired => Some(unauthorized("The access token expired")),
        Bearer::Missing | Bearer::Unknown => Some(unauthorized("The access token is invalid")),
    }
}

async fn failures(State(state): Shared, request: Request, next: Next) -> Response {
    match state.core.next_failure() {
        Some(Failure::RateLimited { reset_at }) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
            let headers = response.headers_mut();
            headers.insert("x-ratelimit-limit", 300.into());
            headers.insert("x-ratelimit-remaining", 0.into());
            let reset = reset_at.to_rfc3339_opts(SecondsFormat::Millis, true);
            headers.insert(
                "x-ratelimit-reset",
                HeaderValue::from_str(&reset).expect("a time is a valid header value"),
            );
            response
        }
        Some(Failure::Unavailable) => error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
        Some(Failure::AnswerLost) => {
            drop(next.run(request).await);
            error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
        }
        None => next.run(request).await,
    }
}

fn account_json(base_url: &Url) -> Value {
    json!({
        "id": ACCOUNT_ID,
        "username": USERNAME,
        "acct": USERNAME,
        "display_name": DISPLAY_NAME,
        "locked": false,
        "bot": false,
        "url": format!("{base_url}@{USERNAME}"),
        "avatar": format!("{base_url}avatars/{ACCOUNT_ID}.png"),
        "avatar_static": format!("{base_url}avatars/{ACCOUNT_ID}.png"),
    })
}

async fn verify_credentials(State(state): Shared, headers: HeaderMap) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["read:accounts", "profile"]) {
        return refusal;
    }
    Json(account_json(&state.base_url)).into_response()
}

/// A status's length as Mastodon counts it: every link as
/// [`CHARACTERS_RESERVED_PER_URL`] characters, whatever its length.
pub fn status_length(text: &str) -> usize {
    let links: Vec<&str> = text
        .split_whitespace()
        .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
        .collect();
    let link_characters: usize = links.iter().map(|link| link.chars().count()).sum();
    text.chars().count() - link_characters + links.len() * CHARACTERS_RESERVED_PER_URL as usize
}

fn status_json(state: &MastodonState, post: &Post) -> Value {
    let base = &state.base_url;
    let metrics = state.core.metrics(&post.id);
    let paragraphs = encode_text(&post.text).replace('\n', "<br>");
    json!({
        "id": post.id,
        "created_at": post.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "in_reply_to_id": post.reply_to,
        "in_reply_to_account_id": post.reply_to.as_ref().map(|_| ACCOUNT_ID),
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": format!("{base}users/{USERNAME}/statuses/{}", post.id),
        "url": format!("{base}@{USERNAME}/{}", post.id),
        "replies_count": metrics.replies,
        "reblogs_count": metrics.reposts,
        "favourites_count": metrics.likes,
        "content": format!("<p>{paragraphs}</p>"),
        "account": account_json(base),
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
    })
}

async fn create_status(
    State(state): Shared,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["write:statuses"]) {
        return refusal;
    }
    let key = headers.get("idempotency-key").and_then(|value| value.to_str().ok()).map(str::to_owned);
    // Keys are kept for an hour: a repeat inside it gets the status the first request made.
    if let Some(key) = &key {
        let earlier = state.lock().idempotency.get(key).cloned();
        if let Some((id, at)) = earlier
            && Utc::now() - at < Duration::hours(1)
            && let Some(post) = state.core.post(&id)
        {
            return Json(status_json(&state, &post)).into_response();
        }
    }
    let text = form.get("status").map(String::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "Validation failed: Text can't be blank");
    }
    let max_characters = state.lock().max_characters;
    if status_length(text) > max_characters as usize {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Validation failed: Text character limit of {max_characters} exceeded"),
        );
    }
    let reply_to = form.get("in_reply_to_id").filter(|id| !id.is_empty()).cloned();
    if let Some(parent) = &reply_to
        && state.core.post(parent).is_none()
    {
        return error(StatusCode::NOT_FOUND, "Record not found");
    }
    let id = (FIRST_STATUS_ID + state.core.next_sequence()).to_string();
    let post = Post {
        id: id.clone(),
        author: ACCOUNT_ID.to_owned(),
        text: text.to_owned(),
        sent_text: text.to_owned(),
        reply_to,
        idempotency_key: key.clone(),
        created_at: Utc::now(),
    };
    state.core.record_post(post.clone());
    if let Some(key) = key {
        state.lock().idempotency.insert(key, (id, post.created_at));
    }
    state.core.hold_answer().await;
    Json(status_json(&state, &post)).into_response()
}

async fn view_status(State(state): Shared, headers: HeaderMap, Path(id): Path<String>) -> Response {
    // Public statuses need no token, but a token that is sent must be good.
    if headers.contains_key("authorization")
        && let Some(refusal) = token_refusal(&state, &headers, &["read:statuses"])
    {
        return refusal;
    }
    match state.core.post(&id) {
        Some(post) => Json(status_json(&state, &post)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Record not found"),
    }
}

async fn instance(State(state): Shared) -> Response {
    let max_characters = state.lock().max_characters;
    Json(json!({
        "domain": authority(&state.base_url),
        "title": "Kyros Fake Instance",
        "version": "4.3.0",
        "source_url": "https://github.com/mastodon/mastodon",
        "description": "A loopback Mastodon instance for tests.",
        "configuration": {
            "urls": { "streaming": format!("ws://{}", authority(&state.base_url)) },
            "accounts": { "max_featured_tags": 10, "max_pinned_statuses": 5 },
            "statuses": {
                "max_characters": max_characters,
                "max_media_attachments": 4,
                "characters_reserved_per_url": CHARACTERS_RESERVED_PER_URL,
            },
            "polls": { "max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2_629_746 },
        },
        "registrations": { "enabled": false, "approval_required": false, "message": null },
    }))
    .into_response()
}

#[derive(Debug, Deserialize)]
struct MaxCharacters {
    max_characters: u32,
}

async fn set_max_characters(State(state): Shared, Json(request): Json<MaxCharacters>) -> StatusCode {
    state.lock().max_characters = request.max_characters;
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_count_as_twenty_three_characters() {
        assert_eq!(status_length("hello"), 5);
        assert_eq!(status_length("see https://example.com/a/very/long/path/indeed now"), 4 + 23 + 4);
    }
}
