//! Mastodon: any instance a user names. Kyros registers itself as an app on the instance
//! (`POST /api/v1/apps`), then runs the authorization code flow with PKCE (supported since
//! Mastodon 4.3, ignored by older instances) and posts statuses with an `Idempotency-Key`.
//!
//! The instance's address comes from the user, so every request is resolved and checked by the
//! SSRF guard ([`fetch::pinned_client`]) and connects only to the addresses it checked.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use reqwest::StatusCode;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use url::Url;

use super::{
    network::{Account, Counts, Credentials, NetworkError, PartRef},
    oauth::{self, ClientAuth, Grant, OAuthApp, TokenResponse},
    wire::{self, Answer},
};
use crate::{
    clock::Clock,
    sources::fetch::{self, FetchError},
};

const NAME: &str = "Mastodon";

/// Reading the account and statuses, writing statuses. Granular scopes work on every
/// instance from Mastodon 2.4 on (`profile` would be narrower, but only 4.3 knows it).
pub const SCOPES: [&str; 3] = ["read:accounts", "read:statuses", "write:statuses"];
/// What an instance that does not say otherwise allows: Mastodon's defaults.
pub const DEFAULT_MAX_CHARACTERS: u32 = 500;
pub const DEFAULT_CHARACTERS_RESERVED_PER_URL: u32 = 23;

/// How Kyros presents itself to instances and reaches them.
#[derive(Debug, Clone)]
pub struct MastodonSettings {
    /// Shown on the instance's consent page and under each post.
    pub client_name: String,
    pub website: Option<Url>,
    pub redirect_uri: Url,
    pub scopes: Vec<String>,
    pub timeout: Duration,
    /// Private networks an instance may be reached on anyway (tests allow-list 127.0.0.1).
    pub allowlist: Vec<IpNet>,
}

/// Kyros as an app registered on one instance; kept per instance and reused for every
/// account there.
#[derive(Debug, Clone, Deserialize)]
pub struct RegisteredApp {
    pub client_id: String,
    pub client_secret: SecretString,
}

/// How long a status may be on an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceLimits {
    pub max_characters: u32,
    /// What a link counts for, whatever its length.
    pub characters_reserved_per_url: u32,
}

impl Default for InstanceLimits {
    fn default() -> Self {
        Self {
            max_characters: DEFAULT_MAX_CHARACTERS,
            characters_reserved_per_url: DEFAULT_CHARACTERS_RESERVED_PER_URL,
        }
    }
}

/// The instance's origin from what a user typed: `mastodon.social`, `https://mastodon.social/`,
/// a profile link, or a handle like `@someone@mastodon.social`.
pub fn instance_url(input: &str) -> Result<Url, String> {
    let raw = input.trim();
    // A handle (`@name@host` or `name@host`) names its instance after the last `@`.
    let raw = match raw.rsplit_once('@') {
        Some((_, host)) if !raw.contains('/') => host,
        _ => raw,
    };
    let with_scheme = if raw.contains("://") { raw.to_owned() } else { format!("https://{raw}") };
    let mut url = Url::parse(&with_scheme).map_err(|_| format!("`{input}` is not an instance address"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("an instance address starts with https://".into());
    }
    if !url.username().is_empty() || url.password().is_some() || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{input}` is not an instance address"));
    }
    url.set_path("/");
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// Kyros on the instances people name: registering there, reading their limits, and making a
/// client for the accounts of one instance.
#[derive(Debug, Clone)]
pub struct Mastodon {
    settings: MastodonSettings,
    clock: Arc<dyn Clock>,
}

impl Mastodon {
    pub fn new(settings: MastodonSettings, clock: Arc<dyn Clock>) -> Self {
        Self { settings, clock }
    }

    /// Registers Kyros on `instance` (`POST /api/v1/apps`).
    pub async fn register_app(&self, instance: &Url) -> Result<RegisteredApp, NetworkError> {
        let url = wire::endpoint(instance, "api/v1/apps");
        let scopes = self.settings.scopes.join(" ");
        let mut form = vec![
            ("client_name", self.settings.client_name.as_str()),
            ("redirect_uris", self.settings.redirect_uri.as_str()),
            ("scopes", scopes.as_str()),
        ];
        if let Some(website) = &self.settings.website {
            form.push(("website", website.as_str()));
        }
        let request = pinned(&self.settings, &url).await?.post(url).form(&form);
        let answer = wire::send(request, NAME).await?;
        if !answer.status.is_success() {
            return Err(error_from(&answer, self.clock.now()));
        }
        answer.json(NAME)
    }

    /// The instance's status length limits (`GET /api/v2/instance`), Mastodon's defaults where
    /// it does not say (instances older than 4.0 have no v2 document at all).
    pub async fn instance_limits(&self, instance: &Url) -> Result<InstanceLimits, NetworkError> {
        let url = wire::endpoint(instance, "api/v2/instance");
        let request = pinned(&self.settings, &url).await?.get(url);
        let answer = wire::send(request, NAME).await?;
        if answer.status == StatusCode::NOT_FOUND {
            return Ok(InstanceLimits::default());
        }
        if !answer.status.is_success() {
            return Err(error_from(&answer, self.clock.now()));
        }
        let document: InstanceDocument = answer.json(NAME)?;
        let statuses = document.configuration.and_then(|configuration| configuration.statuses);
        let defaults = InstanceLimits::default();
        Ok(InstanceLimits {
            max_characters: statuses
                .as_ref()
                .and_then(|s| s.max_characters)
                .unwrap_or(defaults.max_characters),
            characters_reserved_per_url: statuses
                .and_then(|s| s.characters_reserved_per_url)
                .unwrap_or(defaults.characters_reserved_per_url),
        })
    }

    /// A client for the accounts on `instance`, acting as the app registered there.
    pub fn client(&self, instance: Url, app: RegisteredApp) -> MastodonClient {
        let oauth = OAuthApp {
            authorize_url: wire::endpoint(&instance, "oauth/authorize"),
            token_url: wire::endpoint(&instance, "oauth/token"),
            client_id: app.client_id,
            client_secret: Some(app.client_secret),
            redirect_uri: self.settings.redirect_uri.clone(),
            scopes: self.settings.scopes.clone(),
        };
        MastodonClient { settings: self.settings.clone(), instance, oauth, clock: self.clock.clone() }
    }
}

/// A client that may reach only the addresses `url`'s host resolves to now, and only if
/// they are public or allow-listed.
async fn pinned(settings: &MastodonSettings, url: &Url) -> Result<reqwest::Client, NetworkError> {
    fetch::pinned_client(url, &settings.allowlist, settings.timeout).await.map_err(|error| match error {
        FetchError::Network(_) | FetchError::Timeout => {
            NetworkError::Transient(format!("the Mastodon instance {error}"))
        }
        // A name that resolves to nothing is a mistyped instance, not an outage.
        FetchError::Resolve(_) => NetworkError::Permanent(format!(
            "no Mastodon instance was found at {}",
            url.host_str().unwrap_or_default()
        )),
        other => NetworkError::Permanent(format!("the Mastodon instance {other}")),
    })
}

/// Acts for accounts on one instance, as the app registered there ([`Mastodon::client`]).
#[derive(Debug, Clone)]
pub struct MastodonClient {
    settings: MastodonSettings,
    instance: Url,
    oauth: OAuthApp,
    clock: Arc<dyn Clock>,
}

impl MastodonClient {
    /// Where to send the user to authorise Kyros on their instance.
    pub fn authorize_url(&self, state: &str, code_challenge: &str) -> Url {
        self.oauth.authorization_url(state, Some(code_challenge))
    }

    /// Trades the code the instance sent back (with the PKCE verifier) for credentials.
    pub async fn exchange_code(&self, code: &str, verifier: &str) -> Result<Credentials, NetworkError> {
        self.token(Grant::Code { code, verifier: Some(verifier) }, None).await
    }

    /// Mastodon's access tokens do not expire: they last until revoked, so there is nothing to
    /// refresh. An instance that does issue refresh tokens is refreshed like any OAuth server.
    pub async fn refresh(&self, credentials: &Credentials) -> Result<Credentials, NetworkError> {
        match credentials.refresh_token.as_deref() {
            Some(refresh_token) => self.token(Grant::Refresh { refresh_token }, Some(refresh_token)).await,
            None if credentials.expires_at.is_some_and(|expires_at| expires_at <= self.clock.now()) => {
                Err(NetworkError::Reconnect("the Mastodon access token expired".into()))
            }
            None => Ok(credentials.clone()),
        }
    }

    async fn token(
        &self,
        grant: Grant<'_>,
        kept_refresh_token: Option<&str>,
    ) -> Result<Credentials, NetworkError> {
        let http = pinned(&self.settings, &self.oauth.token_url).await?;
        let answer = wire::send(self.oauth.token_request(&http, grant, ClientAuth::Form), NAME).await?;
        let now = self.clock.now();
        if answer.status.is_success() {
            let token: TokenResponse = answer.json(NAME)?;
            return Ok(token.into_credentials(kept_refresh_token, now));
        }
        Err(oauth::token_refusal(answer.status, &answer.body, grant)
            .unwrap_or_else(|| error_from(&answer, now)))
    }

    /// The account the credentials act for, as `@name@instance`
    /// (`GET /api/v1/accounts/verify_credentials`).
    pub async fn account(&self, credentials: &Credentials) -> Result<Account, NetworkError> {
        let url = wire::endpoint(&self.instance, "api/v1/accounts/verify_credentials");
        let request = pinned(&self.settings, &url).await?.get(url).bearer_auth(&credentials.access_token);
        let account: MastodonAccount = self.expect_success(request).await?.json(NAME)?;
        let host = match (self.instance.host_str(), self.instance.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => String::new(),
        };
        let display_name = if account.display_name.trim().is_empty() {
            account.username.clone()
        } else {
            account.display_name
        };
        Ok(Account {
            // An id is the instance's own: the instance makes it one account among all of them.
            remote_id: format!("{}@{host}", account.id),
            handle: format!("@{}@{host}", account.acct),
            display_name,
            avatar_url: account.avatar,
        })
    }

    /// Posts a status (`POST /api/v1/statuses`), in reply to `reply_to` when it continues a
    /// thread. The instance keeps `idempotency_key` for an hour and answers a repeat with the
    /// status it already made. Visibility is left to the account's own default.
    pub async fn publish(
        &self,
        credentials: &Credentials,
        text: &str,
        reply_to: Option<&PartRef>,
        idempotency_key: &str,
    ) -> Result<PartRef, NetworkError> {
        let url = wire::endpoint(&self.instance, "api/v1/statuses");
        let mut form = vec![("status", text)];
        if let Some(parent) = reply_to {
            form.push(("in_reply_to_id", parent.remote_id.as_str()));
        }
        let request = pinned(&self.settings, &url)
            .await?
            .post(url)
            .bearer_auth(&credentials.access_token)
            .header("Idempotency-Key", idempotency_key)
            .form(&form);
        let status: Status = self.expect_success(request).await?.json(NAME)?;
        Ok(PartRef { url: status.url.or(status.uri), remote_id: status.id, revision: None })
    }

    /// Favourites, boosts (as reposts) and replies, the instance's own counts
    /// (`GET /api/v1/statuses/:id`). Mastodon counts no views.
    pub async fn counts(&self, credentials: &Credentials, part: &PartRef) -> Result<Counts, NetworkError> {
        let id = &part.remote_id;
        if id.is_empty()
            || !id.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
        {
            return Err(NetworkError::Permanent(format!("`{id}` is not a Mastodon status id")));
        }
        let url = wire::endpoint(&self.instance, &format!("api/v1/statuses/{id}"));
        let request = pinned(&self.settings, &url).await?.get(url).bearer_auth(&credentials.access_token);
        let status: StatusCounts = self.expect_success(request).await?.json(NAME)?;
        Ok(Counts {
            likes: status.favourites_count,
            reposts: status.reblogs_count,
            replies: status.replies_count,
            impressions: None,
        })
    }

    async fn expect_success(&self, request: reqwest::RequestBuilder) -> Result<Answer, NetworkError> {
        let answer = wire::send(request, NAME).await?;
        if answer.status.is_success() { Ok(answer) } else { Err(error_from(&answer, self.clock.now())) }
    }
}

#[derive(Debug, Deserialize)]
struct InstanceDocument {
    #[serde(default)]
    configuration: Option<Configuration>,
}

#[derive(Debug, Deserialize)]
struct Configuration {
    #[serde(default)]
    statuses: Option<StatusConfiguration>,
}

#[derive(Debug, Deserialize)]
struct StatusConfiguration {
    #[serde(default)]
    max_characters: Option<u32>,
    #[serde(default)]
    characters_reserved_per_url: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct MastodonAccount {
    id: String,
    username: String,
    acct: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    avatar: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Status {
    id: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    uri: Option<String>,
}

#[derive(Debug, Deserialize)]
struct StatusCounts {
    #[serde(default)]
    favourites_count: u64,
    #[serde(default)]
    reblogs_count: u64,
    #[serde(default)]
    replies_count: u64,
}

/// Mastodon's error body: `{"error": "…"}`, plus `error_description` from the OAuth endpoints.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

/// What a refused call to an instance means for the publisher.
fn error_from(answer: &Answer, now: DateTime<Utc>) -> NetworkError {
    let status = answer.status;
    let problem: Problem = serde_json::from_slice(&answer.body).unwrap_or_default();
    let reason = problem
        .error_description
        .as_deref()
        .or(problem.error.as_deref())
        .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_owned);
    let message = format!("Mastodon: {reason}");
    if status == StatusCode::UNAUTHORIZED {
        NetworkError::Reconnect(message)
    } else if status == StatusCode::TOO_MANY_REQUESTS {
        let retry_at = wire::retry_after(&answer.headers, now)
            .or_else(|| wire::iso8601(&answer.headers, "x-ratelimit-reset"));
        NetworkError::RateLimited { retry_at, message }
    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        NetworkError::Transient(message)
    } else {
        NetworkError::Permanent(message)
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;
    use crate::connectors::wire::answer;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[test]
    fn a_revoked_token_asks_for_a_new_connection() {
        assert_eq!(
            error_from(&answer(401, &[], r#"{"error":"The access token was revoked"}"#), now()),
            NetworkError::Reconnect("Mastodon: The access token was revoked".into())
        );
    }

    #[test]
    fn a_rate_limit_reads_the_iso_reset_time() {
        let limited = answer(
            429,
            &[
                ("x-ratelimit-limit", "300"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "2023-11-14T22:20:00.000Z"),
            ],
            r#"{"error":"Too many requests"}"#,
        );
        assert_eq!(
            error_from(&limited, now()),
            NetworkError::RateLimited {
                retry_at: DateTime::parse_from_rfc3339("2023-11-14T22:20:00Z")
                    .ok()
                    .map(|at| at.with_timezone(&Utc)),
                message: "Mastodon: Too many requests".into()
            }
        );
    }

    #[test]
    fn validation_errors_are_permanent_and_outages_transient() {
        assert_eq!(
            error_from(
                &answer(422, &[], r#"{"error":"Validation failed: Text character limit of 500 exceeded"}"#),
                now()
            ),
            NetworkError::Permanent(
                "Mastodon: Validation failed: Text character limit of 500 exceeded".into()
            )
        );
        assert!(matches!(
            error_from(&answer(502, &[], "<html>Bad gateway</html>"), now()),
            NetworkError::Transient(_)
        ));
    }

    #[test]
    fn instance_addresses_are_read_from_what_people_type() {
        for input in [
            "mastodon.social",
            "https://mastodon.social",
            "https://mastodon.social/@someone/123?x=1",
            "@someone@mastodon.social",
            " someone@mastodon.social ",
            "mastodon.social/@someone",
        ] {
            assert_eq!(instance_url(input).unwrap().as_str(), "https://mastodon.social/", "{input}");
        }
        assert_eq!(instance_url("http://127.0.0.1:8103").unwrap().as_str(), "http://127.0.0.1:8103/");
        assert!(instance_url("ftp://mastodon.social").is_err());
        assert!(instance_url("https://user:pass@mastodon.social").is_err()); // pragma: allowlist secret
        assert!(instance_url("").is_err());
    }

    #[test]
    fn the_registered_apps_secret_is_read_but_never_printed() {
        let answer = r#"{"client_id":"app-7","client_secret":"s3cret","name":"Kyros"}"#; // pragma: allowlist secret
        let app: RegisteredApp = serde_json::from_str(answer).unwrap();
        assert_eq!(app.client_secret.expose_secret(), "s3cret");
        let printed = format!("{app:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("app-7"), "{printed}");
    }
}
