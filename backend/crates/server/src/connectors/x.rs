//! X through its API v2: OAuth 2.0 with PKCE (confidential clients authenticate with HTTP
//! Basic), the signed-in user, posts with reply chaining, and their public metrics.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;
use url::Url;

use super::{
    network::{Account, Counts, Credentials, NetworkError, PartRef},
    oauth::{self, ClientAuth, Grant, OAuthApp, TokenResponse},
    wire::{self, Answer},
};
use crate::{clock::Clock, config};

const NAME: &str = "X";

/// Posting needs `tweet.write` with `tweet.read` and `users.read`; `offline.access` is what
/// makes X issue a refresh token at all.
pub const SCOPES: [&str; 4] = ["tweet.read", "tweet.write", "users.read", "offline.access"];

/// Where X lives and how Kyros is registered with it.
#[derive(Debug, Clone)]
pub struct XSettings {
    pub api_url: Url,
    pub oauth: OAuthApp,
    pub timeout: Duration,
}

impl XSettings {
    /// X's production endpoints and the scopes Kyros needs, for the app `client_id`.
    pub fn production(client_id: String, client_secret: Option<SecretString>, redirect_uri: Url) -> Self {
        let parse = |url: &str| Url::parse(url).expect("X's production URLs are valid");
        Self {
            api_url: parse(config::X_API_URL),
            oauth: OAuthApp {
                authorize_url: parse(config::X_AUTHORIZE_URL),
                token_url: parse(config::X_TOKEN_URL),
                client_id,
                client_secret,
                redirect_uri,
                scopes: SCOPES.map(str::to_owned).to_vec(),
            },
            timeout: Duration::from_secs(15),
        }
    }
}

/// Acts for X accounts connected to Kyros.
#[derive(Debug, Clone)]
pub struct XClient {
    settings: XSettings,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl XClient {
    pub fn new(settings: XSettings, clock: Arc<dyn Clock>) -> reqwest::Result<Self> {
        let http = wire::configured_client(settings.timeout)?;
        Ok(Self { settings, http, clock })
    }

    /// Where to send the user to authorise Kyros; X requires PKCE.
    pub fn authorize_url(&self, state: &str, code_challenge: &str) -> Url {
        self.settings.oauth.authorization_url(state, Some(code_challenge))
    }

    /// Trades the code X sent back (with the PKCE verifier) for credentials.
    pub async fn exchange_code(&self, code: &str, verifier: &str) -> Result<Credentials, NetworkError> {
        self.token(Grant::Code { code, verifier: Some(verifier) }).await
    }

    /// New credentials from the refresh token. X rotates refresh tokens: the one returned
    /// replaces the one used, which stops working, so the result must be stored at once.
    pub async fn refresh(&self, credentials: &Credentials) -> Result<Credentials, NetworkError> {
        let Some(refresh_token) = credentials.refresh_token.as_deref() else {
            return Err(NetworkError::Reconnect(
                "X issued no refresh token (offline.access was not granted)".into(),
            ));
        };
        self.token(Grant::Refresh { refresh_token }).await
    }

    async fn token(&self, grant: Grant<'_>) -> Result<Credentials, NetworkError> {
        let request = self.settings.oauth.token_request(&self.http, grant, ClientAuth::Basic);
        let answer = wire::send(request, NAME).await?;
        if answer.status.is_success() {
            let token: TokenResponse = answer.json(NAME)?;
            return Ok(token.into_credentials(None, self.clock.now()));
        }
        Err(oauth::token_refusal(answer.status, &answer.body, grant).unwrap_or_else(|| error_from(&answer)))
    }

    /// The account the credentials act for (`GET /2/users/me`).
    pub async fn account(&self, credentials: &Credentials) -> Result<Account, NetworkError> {
        let mut url = wire::endpoint(&self.settings.api_url, "2/users/me");
        url.query_pairs_mut().append_pair("user.fields", "profile_image_url");
        let request = self.http.get(url).bearer_auth(&credentials.access_token);
        let user: Data<User> = self.expect_success(request).await?.json(NAME)?;
        let user = user.data;
        Ok(Account {
            remote_id: user.id,
            handle: format!("@{}", user.username),
            display_name: user.name,
            avatar_url: user.profile_image_url,
        })
    }

    /// Posts `text`, as a reply to `reply_to` when it continues a thread (`POST /2/tweets`).
    /// X has no idempotency key: a repeated text is refused as [`NetworkError::Duplicate`],
    /// which is what keeps a retried part from being posted twice.
    pub async fn publish(
        &self,
        credentials: &Credentials,
        text: &str,
        reply_to: Option<&PartRef>,
        _idempotency_key: &str,
    ) -> Result<PartRef, NetworkError> {
        let mut body = json!({ "text": text });
        if let Some(parent) = reply_to {
            body["reply"] = json!({ "in_reply_to_tweet_id": parent.remote_id });
        }
        let request = self
            .http
            .post(wire::endpoint(&self.settings.api_url, "2/tweets"))
            .bearer_auth(&credentials.access_token)
            .json(&body);
        let created: Data<Created> = self.expect_success(request).await?.json(NAME)?;
        Ok(part(created.data.id))
    }

    /// The account's own recent post with exactly `text` (answering `reply_to` when given), from
    /// `GET /2/users/{id}/tweets`: what a retry looks for when a post's outcome is unknown, since
    /// X takes no idempotency key. X returns links shortened to `t.co`, so a part with a link is
    /// not recognised and is posted again (X then refuses it as a duplicate).
    pub async fn find_recent(
        &self,
        credentials: &Credentials,
        user_id: &str,
        text: &str,
        reply_to: Option<&PartRef>,
    ) -> Result<Option<PartRef>, NetworkError> {
        let mut url = wire::endpoint(&self.settings.api_url, &format!("2/users/{user_id}/tweets"));
        url.query_pairs_mut()
            .append_pair("max_results", &RECENT_POSTS.to_string())
            .append_pair("tweet.fields", "referenced_tweets");
        let request = self.http.get(url).bearer_auth(&credentials.access_token);
        let timeline: Timeline = self.expect_success(request).await?.json(NAME)?;
        let parent = reply_to.map(|parent| parent.remote_id.as_str());
        Ok(timeline
            .data
            .into_iter()
            .find(|post| post.text == text && post.replied_to() == parent)
            .map(|post| part(post.id)))
    }

    /// Likes, reposts (retweets and quotes), replies and, for the account's own posts,
    /// impressions, from `public_metrics`. All are X's own figures.
    pub async fn counts(&self, credentials: &Credentials, part: &PartRef) -> Result<Counts, NetworkError> {
        if part.remote_id.is_empty() || !part.remote_id.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(NetworkError::Permanent(format!("`{}` is not an X post id", part.remote_id)));
        }
        let mut url = wire::endpoint(&self.settings.api_url, &format!("2/tweets/{}", part.remote_id));
        url.query_pairs_mut().append_pair("tweet.fields", "public_metrics");
        let request = self.http.get(url).bearer_auth(&credentials.access_token);
        let lookup: Lookup = self.expect_success(request).await?.json(NAME)?;
        // A missing post is a 200 with `errors` and no `data` in API v2.
        let Some(post) = lookup.data else {
            let reason = lookup.errors.first().and_then(ErrorItem::text).unwrap_or("no such post");
            return Err(NetworkError::Permanent(format!("X: {reason}")));
        };
        let metrics = post.public_metrics.unwrap_or_default();
        Ok(Counts {
            likes: metrics.like_count,
            reposts: metrics.retweet_count + metrics.quote_count,
            replies: metrics.reply_count,
            impressions: metrics.impression_count,
        })
    }

    async fn expect_success(&self, request: reqwest::RequestBuilder) -> Result<Answer, NetworkError> {
        let answer = wire::send(request, NAME).await?;
        if answer.status.is_success() { Ok(answer) } else { Err(error_from(&answer)) }
    }
}

/// How many of the account's latest posts a retry looks through: a thread's parts go out
/// seconds apart, so the one in doubt is among the last few.
const RECENT_POSTS: u8 = 20;

fn part(id: String) -> PartRef {
    PartRef { url: Some(format!("https://x.com/i/web/status/{id}")), remote_id: id, revision: None }
}

/// `GET /2/users/{id}/tweets`: no `data` at all when the account has no posts.
#[derive(Debug, Deserialize)]
struct Timeline {
    #[serde(default)]
    data: Vec<TimelinePost>,
}

#[derive(Debug, Deserialize)]
struct TimelinePost {
    id: String,
    text: String,
    #[serde(default)]
    referenced_tweets: Vec<Reference>,
}

impl TimelinePost {
    /// The post this one answers, if it is a reply.
    fn replied_to(&self) -> Option<&str> {
        self.referenced_tweets.iter().find(|post| post.kind == "replied_to").map(|post| post.id.as_str())
    }
}

#[derive(Debug, Deserialize)]
struct Reference {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Debug, Deserialize)]
struct Data<T> {
    data: T,
}

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    name: String,
    username: String,
    #[serde(default)]
    profile_image_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Created {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Lookup {
    #[serde(default)]
    data: Option<Post>,
    #[serde(default)]
    errors: Vec<ErrorItem>,
}

#[derive(Debug, Deserialize)]
struct Post {
    #[serde(default)]
    public_metrics: Option<PublicMetrics>,
}

#[derive(Debug, Default, Deserialize)]
struct PublicMetrics {
    #[serde(default)]
    like_count: u64,
    #[serde(default)]
    retweet_count: u64,
    #[serde(default)]
    quote_count: u64,
    #[serde(default)]
    reply_count: u64,
    #[serde(default)]
    impression_count: Option<u64>,
}

/// X's error bodies: API v2 problems (`title`, `detail`), older `errors` lists, and the token
/// endpoint's `error` / `error_description`.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    errors: Vec<ErrorItem>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ErrorItem {
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

impl ErrorItem {
    fn text(&self) -> Option<&str> {
        self.detail.as_deref().or(self.message.as_deref()).or(self.title.as_deref())
    }
}

impl Problem {
    fn message(&self, status: StatusCode) -> String {
        self.detail
            .as_deref()
            .or(self.title.as_deref())
            .or_else(|| self.errors.first().and_then(ErrorItem::text))
            .or(self.error_description.as_deref())
            .or(self.error.as_deref())
            .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_owned)
    }
}

/// What a refused call to X means for the publisher.
fn error_from(answer: &Answer) -> NetworkError {
    let status = answer.status;
    let problem: Problem = serde_json::from_slice(&answer.body).unwrap_or_default();
    let message = format!("X: {}", problem.message(status));
    if status == StatusCode::UNAUTHORIZED || problem.error.as_deref() == Some("invalid_token") {
        NetworkError::Reconnect(message)
    } else if status == StatusCode::TOO_MANY_REQUESTS {
        NetworkError::RateLimited { retry_at: rate_limit_reset(&answer.headers), message }
    } else if status == StatusCode::FORBIDDEN && message.to_lowercase().contains("duplicate content") {
        NetworkError::Duplicate(message)
    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        NetworkError::Transient(message)
    } else {
        NetworkError::Permanent(message)
    }
}

/// When X will take calls again: the endpoint's 15-minute window (`x-rate-limit-reset`), or
/// later when a 24-hour posting limit of the user or the app is the one used up.
fn rate_limit_reset(headers: &reqwest::header::HeaderMap) -> Option<DateTime<Utc>> {
    let exhausted_days = ["x-user-limit-24hour", "x-app-limit-24hour"].into_iter().filter_map(|limit| {
        let remaining = headers.get(format!("{limit}-remaining"))?.to_str().ok()?.trim();
        (remaining == "0").then(|| wire::epoch_seconds(headers, &format!("{limit}-reset")))?
    });
    wire::epoch_seconds(headers, "x-rate-limit-reset").into_iter().chain(exhausted_days).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::wire::answer;

    #[test]
    fn an_unauthorized_answer_asks_for_a_new_connection() {
        let body = r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#;
        assert_eq!(error_from(&answer(401, &[], body)), NetworkError::Reconnect("X: Unauthorized".into()));
    }

    #[test]
    fn a_duplicate_post_is_told_apart_from_other_refusals() {
        let duplicate = r#"{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}"#;
        assert!(matches!(error_from(&answer(403, &[], duplicate)), NetworkError::Duplicate(_)));
        let forbidden =
            r#"{"detail":"You are not permitted to perform this action.","title":"Forbidden","status":403}"#;
        assert_eq!(
            error_from(&answer(403, &[], forbidden)),
            NetworkError::Permanent("X: You are not permitted to perform this action.".into())
        );
    }

    #[test]
    fn a_rate_limit_says_when_the_window_resets() {
        let body =
            r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#;
        let limited =
            answer(429, &[("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "1700000900")], body);
        assert_eq!(
            error_from(&limited),
            NetworkError::RateLimited {
                retry_at: DateTime::from_timestamp(1_700_000_900, 0),
                message: "X: Too Many Requests".into()
            }
        );
    }

    #[test]
    fn an_exhausted_daily_posting_limit_outlasts_the_window() {
        let limited = answer(
            429,
            &[
                ("x-rate-limit-reset", "1700000900"),
                ("x-user-limit-24hour-remaining", "0"),
                ("x-user-limit-24hour-reset", "1700050000"),
                ("x-app-limit-24hour-remaining", "12"),
                ("x-app-limit-24hour-reset", "1700090000"),
            ],
            r#"{"errors":[{"code":88,"message":"Rate limit exceeded"}]}"#,
        );
        assert_eq!(
            error_from(&limited),
            NetworkError::RateLimited {
                retry_at: DateTime::from_timestamp(1_700_050_000, 0),
                message: "X: Rate limit exceeded".into()
            }
        );
    }

    #[test]
    fn server_errors_are_transient_and_other_refusals_permanent() {
        assert!(
            matches!(error_from(&answer(503, &[], "<html>")), NetworkError::Transient(message) if message == "X: HTTP 503")
        );
        let invalid = r#"{"errors":[{"parameters":{"text":[""]},"message":"Invalid Request"}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}"#;
        assert_eq!(
            error_from(&answer(400, &[], invalid)),
            NetworkError::Permanent("X: One or more parameters to your request was invalid.".into())
        );
    }
}
