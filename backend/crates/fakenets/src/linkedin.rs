//! LinkedIn: the 3-legged OAuth flow (client id and secret in the token request's form, no
//! PKCE), OpenID Connect's `/v2/userinfo`, and the versioned `/rest/posts`,
//! `/rest/socialActions`, `/rest/organizationAcls`, `/rest/organizations` (with each page's
//! `logoV2`) and the Images API's batch `/rest/images` with their required headers, as
//! LinkedIn documents them. Access tokens last 60 days; refresh tokens (a
//! year, never rotated) only when the app has programmatic refresh tokens
//! ([`LinkedinOptions::refresh_tokens`]). The member administers the pages
//! [`LinkedinOptions::pages`] lists, and may post as them with `w_organization_social`; a test
//! can rename the member or a page and replace a page's logo, as people do on LinkedIn.

use std::{
    collections::HashMap,
    io,
    net::SocketAddr,
    ops::Deref,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use axum::{
    Form, Json, Router,
    extract::{OriginalUri, Path, Query, Request, State},
    http::{
        HeaderMap, HeaderValue, StatusCode,
        header::{CONTENT_TYPE, RETRY_AFTER},
    },
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{Duration, Utc};
use serde_json::{Value, json};
use url::Url;

use crate::{
    Failure, Fake, Post,
    consent::{self, Authorization, AuthorizeQuery, Decision},
    control,
    core::{Bearer, Core, Issued, TokenPolicy},
    server,
};

pub const CLIENT_ID: &str = "fake-linkedin-client-id";
pub const CLIENT_SECRET: &str = "fake-linkedin-client-secret";
/// The signed-in member's OpenID subject; their person URN is `urn:li:person:<MEMBER_ID>`.
pub const MEMBER_ID: &str = "k7R0sFak3";
pub const NAME: &str = "Kyros Fake";
pub const AUTHORIZE_PATH: &str = "/oauth/v2/authorization";
pub const TOKEN_PATH: &str = "/oauth/v2/accessToken";
/// The oldest `LinkedIn-Version` the fake accepts; older ones are answered as sunset.
pub const OLDEST_VERSION: &str = "202501";

/// The longest commentary the Posts API takes.
const MAX_COMMENTARY: usize = 3000;
const FIRST_SHARE_ID: u64 = 7_300_000_000_000_000_000;

/// How the app is registered with the fake.
#[derive(Debug, Clone)]
pub struct LinkedinOptions {
    pub client_id: String,
    pub client_secret: String,
    pub app_name: String,
    /// Whether the app has programmatic refresh tokens (LinkedIn grants them to some partners).
    pub refresh_tokens: bool,
    /// The organisation pages the member is an approved administrator of.
    pub pages: Vec<Page>,
}

/// A LinkedIn organisation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The organisation's numeric id: its URN is `urn:li:organization:<id>`.
    pub id: u64,
    pub name: String,
    pub vanity_name: String,
    /// Whether the page has a logo: an uploaded original and its square crop.
    pub logo: bool,
    /// How many times the logo was replaced: each upload is a new image.
    logo_version: u32,
}

impl Page {
    /// A page with a logo.
    pub fn new(id: u64, name: &str, vanity_name: &str) -> Self {
        Self { id, name: name.to_owned(), vanity_name: vanity_name.to_owned(), logo: true, logo_version: 0 }
    }

    /// The same page without a logo: its organisation has no `logoV2`.
    pub fn without_logo(self) -> Self {
        Self { logo: false, ..self }
    }

    pub fn urn(&self) -> String {
        format!("urn:li:organization:{}", self.id)
    }

    /// The ids of the logo's original and of its crop, shared by the organisation's media
    /// asset URNs and the Images API's image URNs.
    fn logo_ids(&self) -> Option<[String; 2]> {
        let upload = match self.logo_version {
            0 => self.id.to_string(),
            version => format!("{}v{version}", self.id),
        };
        self.logo.then(|| [format!("D4E0BAQOriginal{upload}"), format!("D4E0BAQCropped{upload}")])
    }
}

impl Default for LinkedinOptions {
    fn default() -> Self {
        Self {
            client_id: CLIENT_ID.to_owned(),
            client_secret: CLIENT_SECRET.to_owned(),
            app_name: "Kyros".to_owned(),
            refresh_tokens: false,
            pages: Vec::new(),
        }
    }
}

/// A running fake LinkedIn.
#[derive(Debug)]
pub struct FakeLinkedin {
    fake: Fake,
    state: Arc<LinkedinState>,
}

impl Deref for FakeLinkedin {
    type Target = Fake;

    fn deref(&self) -> &Fake {
        &self.fake
    }
}

impl FakeLinkedin {
    pub fn authorize_url(&self) -> Url {
        self.fake.base_url.join(AUTHORIZE_PATH).expect("the authorize path is a valid URL path")
    }

    pub fn token_url(&self) -> Url {
        self.fake.base_url.join(TOKEN_PATH).expect("the token path is a valid URL path")
    }

    /// The signed-in member's person URN.
    pub fn person_urn(&self) -> String {
        format!("urn:li:person:{MEMBER_ID}")
    }

    /// Takes the member's administrator role on the page `id` away (its state becomes
    /// `REVOKED`): they can no longer post as it.
    pub fn revoke_administrator(&self, id: u64) {
        self.state.revoked_admin.lock().expect("the fake's state").push(id);
    }

    /// Where the Images API says the logo LinkedIn shows now for `page` (its crop) can be
    /// downloaded; `None` when the page has no logo.
    pub fn logo_url(&self, page: &Page) -> Option<String> {
        let [_, cropped] = self.state.page(page.id)?.logo_ids()?;
        Some(self.state.download_url(&cropped))
    }

    /// Renames the page `id`, as its administrators can on LinkedIn.
    pub fn rename_page(&self, id: u64, name: &str) {
        self.state.change_page(id, |page| page.name = name.to_owned());
    }

    /// Uploads a new logo for the page `id`: a new image, with its own download address.
    pub fn replace_logo(&self, id: u64) {
        self.state.change_page(id, |page| {
            page.logo = true;
            page.logo_version += 1;
        });
    }

    /// Renames the signed-in member, as they can on their profile.
    pub fn rename_member(&self, name: &str) {
        *self.state.member_name.lock().expect("the fake's state") = name.to_owned();
    }

    /// Answers every later call to the Images API with a 500.
    pub fn break_images(&self) {
        self.state.images_broken.store(true, Ordering::SeqCst);
    }

    /// Answers the Images API's calls again after [`Self::break_images`].
    pub fn repair_images(&self) {
        self.state.images_broken.store(false, Ordering::SeqCst);
    }

    /// How long the addresses the Images API gives from now on work (7 days unless set).
    pub fn set_logo_lifetime(&self, lifetime: Duration) {
        *self.state.logo_lifetime.lock().expect("the fake's state") = lifetime;
    }

    /// Refuses the next post with LinkedIn's `DUPLICATE_POST` 422.
    pub fn duplicate_next_post(&self) {
        self.fake.core.duplicate_next_post();
    }

    pub async fn stop(self) {
        self.fake.stop().await;
    }
}

/// A fake LinkedIn on a free loopback port, with the app registered as
/// [`LinkedinOptions::default`].
pub async fn spawn() -> FakeLinkedin {
    spawn_with(LinkedinOptions::default(), SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a loopback port is free")
}

/// A fake LinkedIn on `address` with the app registered as `options` says.
pub async fn spawn_with(options: LinkedinOptions, address: SocketAddr) -> io::Result<FakeLinkedin> {
    let (listener, base_url) = server::bind(address).await?;
    let core = Arc::new(Core::default());
    let state = Arc::new(LinkedinState {
        core: core.clone(),
        pages: Mutex::new(options.pages.clone()),
        member_name: Mutex::new(NAME.to_owned()),
        options,
        base_url: base_url.clone(),
        revoked_admin: Mutex::default(),
        images_broken: AtomicBool::default(),
        logo_lifetime: Mutex::new(Duration::days(7)),
    });
    let api = Router::new()
        .route(TOKEN_PATH, post(token))
        .route("/v2/userinfo", get(userinfo))
        .route("/rest/posts", post(create_post).get(find_posts))
        .route("/rest/socialActions/{urn}", get(social_actions))
        .route("/rest/organizationAcls", get(organization_acls))
        .route("/rest/organizations", get(organizations))
        .route("/rest/images", get(images))
        .layer(middleware::from_fn_with_state(state.clone(), failures));
    let router = Router::new()
        .route(AUTHORIZE_PATH, get(authorize_page).post(authorize_decision))
        .route("/media/{id}/{file}", get(media))
        .merge(api)
        .with_state(state.clone())
        .merge(control::router(core.clone(), true));
    let server = server::serve(listener, router);
    Ok(FakeLinkedin { fake: Fake { base_url, core, server }, state })
}

#[derive(Debug)]
struct LinkedinState {
    core: Arc<Core>,
    options: LinkedinOptions,
    /// The pages as they are now: [`LinkedinOptions::pages`], renamed or with new logos since.
    pages: Mutex<Vec<Page>>,
    member_name: Mutex<String>,
    base_url: Url,
    /// Pages whose administrator role the member lost.
    revoked_admin: Mutex<Vec<u64>>,
    /// Whether the Images API answers with a server error.
    images_broken: AtomicBool,
    /// How long the signed addresses the Images API gives work.
    logo_lifetime: Mutex<Duration>,
}

impl LinkedinState {
    /// The signed address the Images API gives for the image `id`, served by [`media`].
    fn download_url(&self, id: &str) -> String {
        format!("{}media/{id}/logo.svg", self.base_url)
    }

    /// Whether the member may act for `author`: themselves, or a page they still administer.
    fn may_post_as(&self, author: &str) -> bool {
        author == format!("urn:li:person:{MEMBER_ID}")
            || self.administered().iter().any(|page| page.urn() == author)
    }

    /// The pages the member is an approved administrator of now.
    fn administered(&self) -> Vec<Page> {
        let revoked = self.revoked_admin.lock().expect("the fake's state").clone();
        self.pages().into_iter().filter(|page| !revoked.contains(&page.id)).collect()
    }

    fn pages(&self) -> Vec<Page> {
        self.pages.lock().expect("the fake's state").clone()
    }

    fn page(&self, id: u64) -> Option<Page> {
        self.pages().into_iter().find(|page| page.id == id)
    }

    fn change_page(&self, id: u64, change: impl FnOnce(&mut Page)) {
        let mut pages = self.pages.lock().expect("the fake's state");
        change(pages.iter_mut().find(|page| page.id == id).expect("a page of the fake"));
    }

    /// Reading or writing a page's posts takes the organisation scopes, a member's the member's.
    fn social_scope(author: &str, member: &'static str, organization: &'static str) -> &'static str {
        if author.starts_with("urn:li:organization:") { organization } else { member }
    }

    fn policy(&self) -> TokenPolicy {
        TokenPolicy {
            access_ttl: Some(Duration::days(60)),
            refresh_ttl: self.options.refresh_tokens.then(|| Duration::days(365)),
            rotate: false,
        }
    }
}

type Shared = State<Arc<LinkedinState>>;

fn check(state: &LinkedinState, query: &AuthorizeQuery) -> Result<Authorization, &'static str> {
    if query.response_type.as_deref() != Some("code") {
        return Err("response_type must be code");
    }
    if query.client_id.as_deref() != Some(state.options.client_id.as_str()) {
        return Err("The client_id is not valid");
    }
    let redirect_uri = query
        .redirect_uri
        .as_deref()
        .filter(|uri| Url::parse(uri).is_ok())
        .ok_or("The redirect_uri is not valid")?;
    let scope = query.scope.as_deref().filter(|scope| !scope.trim().is_empty()).ok_or("scope is required")?;
    Ok(Authorization {
        client_id: state.options.client_id.clone(),
        client_name: state.options.app_name.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scope: scope.to_owned(),
        state: query.state.clone(),
        // The 3-legged flow has no PKCE: LinkedIn keeps it for native apps it enables.
        challenge: None,
        code_lifetime: Duration::minutes(30),
    })
}

async fn authorize_page(
    State(state): Shared,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => consent::page("LinkedIn", NAME, &authorization, &consent::action(&uri)),
        Err(reason) => consent::refusal("LinkedIn", reason),
    }
}

async fn authorize_decision(
    State(state): Shared,
    Query(query): Query<AuthorizeQuery>,
    Form(decision): Form<Decision>,
) -> Response {
    match check(&state, &query) {
        Ok(authorization) => consent::decide(&state.core, authorization, &decision),
        Err(reason) => consent::refusal("LinkedIn", reason),
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({ "error": error, "error_description": description }))).into_response()
}

async fn token(State(state): Shared, Form(form): Form<HashMap<String, String>>) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str);
    let options = &state.options;
    if field("client_id") != Some(options.client_id.as_str())
        || field("client_secret") != Some(options.client_secret.as_str())
    {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication failed");
    }
    match field("grant_type") {
        Some("authorization_code") => {
            let redeemed = field("code").ok_or(()).and_then(|code| {
                state.core.redeem(code, &options.client_id, field("redirect_uri"), None).map_err(|_| ())
            });
            match redeemed {
                Ok(code) => token_answer(state.core.issue(
                    &options.client_id,
                    &code.scope,
                    state.policy(),
                    options.refresh_tokens,
                )),
                Err(()) => oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists",
                ),
            }
        }
        Some("refresh_token") if options.refresh_tokens => {
            match field("refresh_token")
                .and_then(|token| state.core.refresh(token, &options.client_id, state.policy()))
            {
                Some(issued) => token_answer(issued),
                None => oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "The provided authorization grant or refresh token is invalid, expired or revoked.",
                ),
            }
        }
        Some("refresh_token") => oauth_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "The client is not authorized to use refresh tokens",
        ),
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "A required parameter \"grant_type\" is missing",
        ),
    }
}

fn token_answer(issued: Issued) -> Response {
    let mut body = json!({
        "access_token": issued.access_token,
        "expires_in": issued.expires_in,
        "scope": issued.scope.split(' ').collect::<Vec<_>>().join(","),
        "token_type": "Bearer",
    });
    if let Some(refresh_token) = issued.refresh_token {
        body["refresh_token"] = json!(refresh_token);
        body["refresh_token_expires_in"] = json!(issued.refresh_expires_in);
    }
    Json(body).into_response()
}

/// LinkedIn's error body.
fn error(status: StatusCode, service_code: u32, code: &str, message: &str) -> Response {
    (status, Json(json!({ "status": status.as_u16(), "serviceErrorCode": service_code, "code": code, "message": message })))
        .into_response()
}

/// LinkedIn's refusal of the caller's token, unless it is valid and has every scope in `needed`.
fn token_refusal(state: &LinkedinState, headers: &HeaderMap, needed: &[&str]) -> Option<Response> {
    let bearer = state.core.bearer(headers);
    match bearer {
        Bearer::Valid { .. } if needed.iter().all(|scope| bearer.has_scope(scope)) => None,
        Bearer::Valid { .. } => Some(error(
            StatusCode::FORBIDDEN,
            100,
            "ACCESS_DENIED",
            "Not enough permissions to access this resource",
        )),
        Bearer::Revoked => Some(error(
            StatusCode::UNAUTHORIZED,
            65601,
            "REVOKED_ACCESS_TOKEN",
            "The token used in the request has been revoked by the user",
        )),
        Bearer::Expired => Some(error(
            StatusCode::UNAUTHORIZED,
            65602,
            "EXPIRED_ACCESS_TOKEN",
            "The token used in the request has expired",
        )),
        Bearer::Missing | Bearer::Unknown => {
            Some(error(StatusCode::UNAUTHORIZED, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token"))
        }
    }
}

/// The refusal of a call without the versioned API's required headers: `LinkedIn-Version`
/// (`YYYYMM`, not sunset) and `X-Restli-Protocol-Version: 2.0.0`.
fn unversioned(headers: &HeaderMap) -> Option<Response> {
    let version = headers.get("linkedin-version").and_then(|value| value.to_str().ok()).map(str::trim);
    match version {
        None => {
            return Some(error(
                StatusCode::BAD_REQUEST,
                0,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
            ));
        }
        Some(version) if version.len() != 6 || !version.bytes().all(|byte| byte.is_ascii_digit()) => {
            return Some(error(StatusCode::BAD_REQUEST, 0, "INVALID_VERSION", "Invalid version format"));
        }
        Some(version) if version < OLDEST_VERSION => {
            return Some(error(
                StatusCode::UPGRADE_REQUIRED,
                0,
                "NONEXISTENT_VERSION",
                &format!("Requested version {version} is not active"),
            ));
        }
        Some(_) => {}
    }
    if headers.get("x-restli-protocol-version").and_then(|value| value.to_str().ok()) != Some("2.0.0") {
        return Some(error(
            StatusCode::BAD_REQUEST,
            0,
            "INVALID_PROTOCOL_VERSION",
            "X-Restli-Protocol-Version 2.0.0 is required",
        ));
    }
    None
}

async fn failures(State(state): Shared, request: Request, next: Next) -> Response {
    match state.core.next_failure() {
        Some(Failure::RateLimited { reset_at }) => {
            let mut response = error(
                StatusCode::TOO_MANY_REQUESTS,
                101,
                "TOO_MANY_REQUESTS",
                "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            );
            // Whole seconds, rounded up so the caller never comes back early.
            let wait = ((reset_at - Utc::now()).num_milliseconds().max(0) + 999) / 1000;
            response.headers_mut().insert(RETRY_AFTER, wait.into());
            response
        }
        Some(Failure::Unavailable) => {
            error(StatusCode::SERVICE_UNAVAILABLE, 0, "SERVICE_UNAVAILABLE", "Service Unavailable")
        }
        Some(Failure::AnswerLost) => {
            drop(next.run(request).await);
            error(StatusCode::SERVICE_UNAVAILABLE, 0, "SERVICE_UNAVAILABLE", "Service Unavailable")
        }
        None => next.run(request).await,
    }
}

async fn userinfo(State(state): Shared, headers: HeaderMap) -> Response {
    if let Some(refusal) = token_refusal(&state, &headers, &["openid", "profile"]) {
        return refusal;
    }
    let name = state.member_name.lock().expect("the fake's state").clone();
    Json(json!({
        "sub": MEMBER_ID,
        "name": name,
        "given_name": "Kyros",
        "family_name": "Fake",
        "picture": format!("{}media/{MEMBER_ID}/profile.svg", state.base_url),
        "locale": { "country": "US", "language": "en" },
    }))
    .into_response()
}

/// A picture for any address under `/media/`, as LinkedIn's media server answers a signed
/// address: a square in a colour of its own for each image, so that browser tests see a logo
/// or a profile picture load.
async fn media(Path((id, _file)): Path<(String, String)>) -> Response {
    let hue = id.bytes().fold(0_u32, |hash, byte| hash.wrapping_mul(31).wrapping_add(u32::from(byte))) % 360;
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><rect width="200" height="200" fill="hsl({hue} 55% 45%)"/><circle cx="100" cy="100" r="56" fill="#ffffff" fill-opacity="0.85"/></svg>"##
    );
    ([(CONTENT_TYPE, "image/svg+xml")], svg).into_response()
}

/// Reads `commentary` as LinkedIn shows it: escapes undone, and cut at the first reserved
/// character left unescaped, which is how LinkedIn silently shortens such posts. (The fake
/// reads no mention or hashtag templates; Kyros sends none.)
pub fn read_little(commentary: &str) -> String {
    const RESERVED: &str = "\\|{}@[]()<>#*_~";
    let mut text = String::with_capacity(commentary.len());
    let mut characters = commentary.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            match characters.next() {
                Some(escaped) if RESERVED.contains(escaped) => text.push(escaped),
                _ => break,
            }
        } else if RESERVED.contains(character) {
            break;
        } else {
            text.push(character);
        }
    }
    text
}

fn unprocessable(message: &str) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "status": 422, "message": message }))).into_response()
}

#[derive(Debug, serde::Deserialize)]
struct PostsQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    count: Option<usize>,
}

/// An author's posts, newest first (`GET /rest/posts?q=author&author={urn}`, the Posts API's
/// finder): `count` per page, 10 unless it says, at most 100.
async fn find_posts(State(state): Shared, headers: HeaderMap, Query(query): Query<PostsQuery>) -> Response {
    if let Some(refusal) = unversioned(&headers) {
        return refusal;
    }
    let (Some("author"), Some(author)) = (query.q.as_deref(), query.author) else {
        return error(StatusCode::BAD_REQUEST, 0, "ILLEGAL_ARGUMENT", "q=author and author are required");
    };
    let scope = LinkedinState::social_scope(&author, "w_member_social", "r_organization_social");
    if let Some(refusal) = token_refusal(&state, &headers, &[scope]) {
        return refusal;
    }
    let count = query.count.unwrap_or(10).min(100);
    let elements: Vec<Value> = state
        .core
        .posts()
        .into_iter()
        .rev()
        .filter(|post| post.author == author)
        .take(count)
        .map(|post| {
            json!({
                "id": post.id,
                "author": post.author,
                "commentary": post.sent_text,
                "visibility": "PUBLIC",
                "lifecycleState": "PUBLISHED",
                "createdAt": post.created_at.timestamp_millis(),
                "lastModifiedAt": post.created_at.timestamp_millis(),
            })
        })
        .collect();
    let total = elements.len();
    Json(json!({ "elements": elements, "paging": { "start": 0, "count": count, "total": total } }))
        .into_response()
}

async fn create_post(State(state): Shared, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = unversioned(&headers) {
        return refusal;
    }
    let author = body.get("author").and_then(Value::as_str).unwrap_or_default().to_owned();
    let scope = LinkedinState::social_scope(&author, "w_member_social", "w_organization_social");
    if let Some(refusal) = token_refusal(&state, &headers, &[scope]) {
        return refusal;
    }
    if !state.may_post_as(&author) {
        return error(
            StatusCode::FORBIDDEN,
            100,
            "ACCESS_DENIED",
            "Member is not allowed to post as this author",
        );
    }
    let Some(commentary) = body.get("commentary").and_then(Value::as_str) else {
        return unprocessable("/commentary :: field is required but not found and has no default value");
    };
    if commentary.chars().count() > MAX_COMMENTARY {
        return unprocessable(&format!(
            "/commentary :: length of {} exceeds the maximum of {MAX_COMMENTARY}",
            commentary.chars().count()
        ));
    }
    if !matches!(body.get("visibility").and_then(Value::as_str), Some("PUBLIC" | "CONNECTIONS" | "LOGGED_IN"))
    {
        return unprocessable("/visibility :: must be PUBLIC, CONNECTIONS or LOGGED_IN");
    }
    if body.pointer("/distribution/feedDistribution").and_then(Value::as_str) != Some("MAIN_FEED") {
        return unprocessable("/distribution/feedDistribution :: must be MAIN_FEED for organic posts");
    }
    if body.get("lifecycleState").and_then(Value::as_str) != Some("PUBLISHED") {
        return unprocessable("/lifecycleState :: must be PUBLISHED");
    }
    let text = read_little(commentary);
    if state.core.is_duplicate(&author, &text) {
        let urn = state
            .core
            .posts()
            .into_iter()
            .rev()
            .find(|post| post.text == text)
            .map_or_else(|| format!("urn:li:share:{}", FIRST_SHARE_ID), |post| post.id);
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "errorDetailType": "com.linkedin.common.error.BadRequest",
                "message": format!("com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of {urn}"),
                "errorDetails": { "inputErrors": [{ "description": "Duplicate post is detected", "input": {}, "code": "DUPLICATE_POST" }] },
                "status": 422,
            })),
        )
            .into_response();
    }
    let urn = format!("urn:li:share:{}", FIRST_SHARE_ID + state.core.next_sequence());
    state.core.record_post(Post {
        id: urn.clone(),
        author,
        text,
        sent_text: commentary.to_owned(),
        reply_to: None,
        idempotency_key: None,
        created_at: Utc::now(),
    });
    state.core.hold_answer().await;
    let mut response = StatusCode::CREATED.into_response();
    let id = HeaderValue::from_str(&urn).expect("a share URN is a valid header value");
    response.headers_mut().insert("x-restli-id", id);
    response
}

/// Reading a member's social actions takes `r_member_social`, which LinkedIn grants to
/// approved apps only.
async fn social_actions(State(state): Shared, headers: HeaderMap, Path(urn): Path<String>) -> Response {
    if let Some(refusal) = unversioned(&headers) {
        return refusal;
    }
    let Some(post) = state.core.post(&urn) else {
        return error(StatusCode::NOT_FOUND, 0, "NOT_FOUND", &format!("No social actions found for {urn}"));
    };
    let scope = LinkedinState::social_scope(&post.author, "r_member_social", "r_organization_social");
    if let Some(refusal) = token_refusal(&state, &headers, &[scope]) {
        return refusal;
    }
    let metrics = state.core.metrics(&urn);
    Json(json!({
        "target": urn,
        "$URN": format!("urn:li:socialActions:{urn}"),
        "likesSummary": { "totalLikes": metrics.likes, "aggregatedTotalLikes": metrics.likes, "likedByCurrentUser": false },
        "commentsSummary": { "totalFirstLevelComments": metrics.replies, "aggregatedTotalComments": metrics.replies },
    }))
    .into_response()
}

#[derive(Debug, serde::Deserialize)]
struct AclQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    state: Option<String>,
}

/// The member's roles on pages (`GET /rest/organizationAcls?q=roleAssignee`), filtered by
/// `role` and `state` when given. Takes `rw_organization_admin` or `r_organization_admin`.
async fn organization_acls(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<AclQuery>,
) -> Response {
    let read_only = state.core.bearer(&headers).has_scope("r_organization_admin");
    let needed = if read_only { "r_organization_admin" } else { "rw_organization_admin" };
    if let Some(refusal) = unversioned(&headers).or_else(|| token_refusal(&state, &headers, &[needed])) {
        return refusal;
    }
    if query.q.as_deref() != Some("roleAssignee") {
        return error(StatusCode::BAD_REQUEST, 0, "ILLEGAL_ARGUMENT", "q=roleAssignee is required");
    }
    let revoked = state.revoked_admin.lock().expect("the fake's state").clone();
    let member = format!("urn:li:person:{MEMBER_ID}");
    let elements: Vec<Value> = state
        .pages()
        .iter()
        .map(|page| {
            let role_state = if revoked.contains(&page.id) { "REVOKED" } else { "APPROVED" };
            json!({
                "roleAssignee": member,
                "role": "ADMINISTRATOR",
                "state": role_state,
                "organization": page.urn(),
            })
        })
        .filter(|acl| query.role.as_deref().is_none_or(|role| acl["role"] == role))
        .filter(|acl| query.state.as_deref().is_none_or(|wanted| acl["state"] == wanted))
        .collect();
    let total = elements.len();
    Json(json!({ "elements": elements, "paging": { "start": 0, "count": 10, "total": total } }))
        .into_response()
}

/// A Rest.li batch get's `ids=List(…)`.
#[derive(Debug, serde::Deserialize)]
struct BatchQuery {
    #[serde(default)]
    ids: Option<String>,
}

/// Pages by id, in Rest.li 2.0's batch form (`GET /rest/organizations?ids=List(1,2)`): found
/// ones under `results`, unknown ones under `errors`, both keyed by id.
async fn organizations(
    State(state): Shared,
    headers: HeaderMap,
    Query(query): Query<BatchQuery>,
) -> Response {
    if let Some(refusal) =
        unversioned(&headers).or_else(|| token_refusal(&state, &headers, &["rw_organization_admin"]))
    {
        return refusal;
    }
    let Some(ids) = query.ids.as_deref().and_then(|ids| ids.strip_prefix("List(")?.strip_suffix(')')) else {
        return error(StatusCode::BAD_REQUEST, 0, "ILLEGAL_ARGUMENT", "ids=List(…) is required");
    };
    let mut results = serde_json::Map::new();
    let mut statuses = serde_json::Map::new();
    let mut errors = serde_json::Map::new();
    for id in ids.split(',').filter(|id| !id.is_empty()) {
        match state.pages().iter().find(|page| page.id.to_string() == id) {
            Some(page) => {
                let mut organization = json!({
                    "id": page.id,
                    "localizedName": page.name,
                    "vanityName": page.vanity_name,
                    "name": { "localized": { "en_US": page.name }, "preferredLocale": { "country": "US", "language": "en" } },
                });
                if let Some([original, cropped]) = page.logo_ids() {
                    organization["logoV2"] = json!({
                        "original": format!("urn:li:digitalmediaAsset:{original}"),
                        "cropped": format!("urn:li:digitalmediaAsset:{cropped}"),
                        "cropInfo": { "x": 0, "y": 0, "width": 400, "height": 400 },
                    });
                }
                results.insert(id.to_owned(), organization);
                statuses.insert(id.to_owned(), json!(200));
            }
            None => {
                errors.insert(id.to_owned(), json!({ "status": 404, "message": "Not Found" }));
                statuses.insert(id.to_owned(), json!(404));
            }
        }
    }
    Json(json!({ "results": results, "statuses": statuses, "errors": errors })).into_response()
}

/// Images by URN, in Rest.li 2.0's batch form (`GET /rest/images?ids=List(urn%3Ali%3Aimage%3AX)`,
/// each URN percent-encoded): found ones under `results` with their `downloadUrl`, unknown ones
/// under `errors`, both keyed by URN. The fake knows its pages' logos; reading an
/// organisation's images takes `r_organization_social`.
async fn images(State(state): Shared, headers: HeaderMap, Query(query): Query<BatchQuery>) -> Response {
    if let Some(refusal) =
        unversioned(&headers).or_else(|| token_refusal(&state, &headers, &["r_organization_social"]))
    {
        return refusal;
    }
    if state.images_broken.load(Ordering::SeqCst) {
        return error(StatusCode::INTERNAL_SERVER_ERROR, 0, "INTERNAL_SERVER_ERROR", "Internal Server Error");
    }
    let Some(urns) = query.ids.as_deref().and_then(|ids| ids.strip_prefix("List(")?.strip_suffix(')')) else {
        return error(StatusCode::BAD_REQUEST, 0, "ILLEGAL_ARGUMENT", "ids=List(…) is required");
    };
    let lifetime = *state.logo_lifetime.lock().expect("the fake's state");
    let expires_at = (Utc::now() + lifetime).timestamp_millis();
    let mut results = serde_json::Map::new();
    let mut statuses = serde_json::Map::new();
    let mut errors = serde_json::Map::new();
    for urn in urns.split(',').filter(|urn| !urn.is_empty()) {
        let id = urn.strip_prefix("urn:li:image:").unwrap_or_default();
        let owner = state
            .pages()
            .into_iter()
            .find(|page| page.logo_ids().is_some_and(|ids| ids.iter().any(|known| known == id)));
        match owner {
            Some(page) => {
                results.insert(
                    urn.to_owned(),
                    json!({
                        "id": urn,
                        "owner": page.urn(),
                        "status": "AVAILABLE",
                        "downloadUrl": state.download_url(id),
                        "downloadUrlExpiresAt": expires_at,
                    }),
                );
                statuses.insert(urn.to_owned(), json!(200));
            }
            None => {
                errors.insert(urn.to_owned(), json!({ "status": 404, "message": "Not Found" }));
                statuses.insert(urn.to_owned(), json!(404));
            }
        }
    }
    Json(json!({ "results": results, "statuses": statuses, "errors": errors })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commentary_reads_whole_when_escaped_and_cut_where_not() {
        assert_eq!(read_little(r"Launch \(beta\) \#rust \@team a\\b"), r"Launch (beta) #rust @team a\b");
        assert_eq!(read_little("Launch (beta) today"), "Launch ");
    }
}
