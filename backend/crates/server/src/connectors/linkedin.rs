//! LinkedIn: the 3-legged OAuth flow (the client secret sent in the form, no PKCE: LinkedIn
//! keeps PKCE for native apps it enables one by one), the member from OpenID Connect's
//! userinfo, posts through the versioned Posts API, and their social actions.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::json;
use url::{Url, form_urlencoded};

use super::{
    network::{Account, Counts, Credentials, Face, NetworkError, PartRef},
    oauth::{self, ClientAuth, Grant, OAuthApp, TokenResponse},
    wire::{self, Answer},
};
use crate::{clock::Clock, config};

const NAME: &str = "LinkedIn";

/// `openid profile` for the member's id and name (userinfo), `w_member_social` to post.
pub const SCOPES: [&str; 3] = ["openid", "profile", "w_member_social"];
/// Asked for as well when the operator enables organisation pages
/// (`LINKEDIN_ORGANIZATION_PAGES`, for apps with the Community Management API):
/// `w_organization_social` to post as a page, `r_organization_social` to read a page's posts
/// and their social actions (a retry's lookup, counts) and its logo (`images`),
/// `rw_organization_admin` to list the pages the member administers (`organizationAcls`) and
/// read their names (`organizations`).
pub const ORGANIZATION_SCOPES: [&str; 3] =
    ["w_organization_social", "r_organization_social", "rw_organization_admin"];
/// The granted scope that lets Kyros post as the member's pages.
const POST_AS_PAGES: &str = "w_organization_social";
const ORGANIZATION_URN: &str = "urn:li:organization:";
const MEDIA_ASSET_URN: &str = "urn:li:digitalmediaAsset:";
const IMAGE_URN: &str = "urn:li:image:";

/// The characters of LinkedIn's "little" text format, which must be backslash-escaped to be
/// read as plain text (the Posts API documentation's list); an unescaped one can silently cut
/// a post short.
const LITTLE_RESERVED: [char; 15] =
    ['\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~'];

/// Where LinkedIn lives and how Kyros is registered with it.
#[derive(Debug, Clone)]
pub struct LinkedinSettings {
    pub api_url: Url,
    pub oauth: OAuthApp,
    /// `LinkedIn-Version`, `YYYYMM`.
    pub version: String,
    pub timeout: Duration,
}

impl LinkedinSettings {
    /// LinkedIn's production endpoints, the scopes Kyros needs and [`config::LINKEDIN_VERSION`].
    pub fn production(client_id: String, client_secret: SecretString, redirect_uri: Url) -> Self {
        let parse = |url: &str| Url::parse(url).expect("LinkedIn's production URLs are valid");
        Self {
            api_url: parse(config::LINKEDIN_API_URL),
            oauth: OAuthApp {
                authorize_url: parse(config::LINKEDIN_AUTHORIZE_URL),
                token_url: parse(config::LINKEDIN_TOKEN_URL),
                client_id,
                client_secret: Some(client_secret),
                redirect_uri,
                scopes: SCOPES.map(str::to_owned).to_vec(),
            },
            version: config::LINKEDIN_VERSION.to_owned(),
            timeout: Duration::from_secs(15),
        }
    }
}

/// Credentials bought with a code, and the scopes the member granted with them.
#[derive(Debug, Clone)]
pub struct Granted {
    pub credentials: Credentials,
    pub scopes: Vec<String>,
}

impl Granted {
    /// Whether the member let Kyros post as the pages they administer.
    pub fn allows_pages(&self) -> bool {
        self.scopes.iter().any(|scope| scope == POST_AS_PAGES)
    }
}

/// Whether `author` is an organisation page rather than a member.
pub fn is_page(author: &str) -> bool {
    author.starts_with(ORGANIZATION_URN)
}

/// Acts for LinkedIn members connected to Kyros.
#[derive(Debug, Clone)]
pub struct LinkedinClient {
    settings: LinkedinSettings,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl LinkedinClient {
    pub fn new(settings: LinkedinSettings, clock: Arc<dyn Clock>) -> reqwest::Result<Self> {
        let http = wire::configured_client(settings.timeout)?;
        Ok(Self { settings, http, clock })
    }

    /// Where to send the member to authorise Kyros.
    pub fn authorize_url(&self, state: &str) -> Url {
        self.settings.oauth.authorization_url(state, None)
    }

    /// Trades the code LinkedIn sent back for credentials (60 days; a refresh token only for
    /// apps LinkedIn has given programmatic refresh tokens).
    pub async fn exchange_code(&self, code: &str) -> Result<Granted, NetworkError> {
        let token = self.token(Grant::Code { code, verifier: None }).await?;
        let scopes = token.scopes();
        Ok(Granted { credentials: token.into_credentials(None, self.clock.now()), scopes })
    }

    /// New credentials from the refresh token where the app has one. Without one there is
    /// nothing to do until the token expires, and then only the member can connect again.
    pub async fn refresh(&self, credentials: &Credentials) -> Result<Credentials, NetworkError> {
        match credentials.refresh_token.as_deref() {
            // A refreshed token keeps the refresh token's original lifetime; LinkedIn sends it again.
            Some(refresh_token) => Ok(self
                .token(Grant::Refresh { refresh_token })
                .await?
                .into_credentials(Some(refresh_token), self.clock.now())),
            None if credentials.expires_at.is_some_and(|expires_at| expires_at <= self.clock.now()) => Err(
                NetworkError::Reconnect("the LinkedIn access token expired and cannot be refreshed".into()),
            ),
            None => Ok(credentials.clone()),
        }
    }

    async fn token(&self, grant: Grant<'_>) -> Result<TokenResponse, NetworkError> {
        let request = self.settings.oauth.token_request(&self.http, grant, ClientAuth::Form);
        let answer = wire::send(request, NAME).await?;
        if answer.status.is_success() {
            return answer.json(NAME);
        }
        Err(oauth::token_refusal(answer.status, &answer.body, grant)
            .unwrap_or_else(|| error_from(&answer, self.clock.now())))
    }

    /// The member the credentials act for (OpenID Connect `GET /v2/userinfo`); their id is the
    /// person URN posts are authored by.
    pub async fn account(&self, credentials: &Credentials) -> Result<Account, NetworkError> {
        let request = self
            .http
            .get(wire::endpoint(&self.settings.api_url, "v2/userinfo"))
            .bearer_auth(&credentials.access_token);
        let member: UserInfo = self.expect_success(request).await?.json(NAME)?;
        Ok(Account {
            remote_id: format!("urn:li:person:{}", member.sub),
            handle: member.name.clone(),
            display_name: member.name,
            avatar_url: member.picture,
        })
    }

    /// The pages the member is an approved administrator of, as accounts Kyros can post as
    /// (`remote_id` is the organisation URN, the name its handle): the member's roles from
    /// `GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED`, then the
    /// pages' names and logos from the batch `GET /rest/organizations?ids=List(…)`, then the
    /// logos' addresses from one batch call to the Images API ([`Self::logo_links`]). A logo
    /// that cannot be read leaves the page without an avatar rather than failing the list.
    pub async fn administered_pages(&self, credentials: &Credentials) -> Result<Vec<Account>, NetworkError> {
        let mut url = wire::endpoint(&self.settings.api_url, "rest/organizationAcls");
        url.query_pairs_mut()
            .append_pair("q", "roleAssignee")
            .append_pair("role", "ADMINISTRATOR")
            .append_pair("state", "APPROVED")
            .append_pair("count", &MAX_PAGES.to_string());
        let request = self.versioned(self.http.get(url), credentials);
        let acls: Acls = self.expect_success(request).await?.json(NAME)?;
        let ids: Vec<u64> = acls
            .elements
            .iter()
            .filter_map(|acl| acl.organization.strip_prefix(ORGANIZATION_URN)?.parse().ok())
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let found = self.organizations(credentials, &ids).await?;
        let logos: Vec<String> = found.results.values().filter_map(Organization::logo_image).collect();
        let links = self.logo_links(credentials, &logos).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "LinkedIn page logos could not be read; the pages show no logo");
            HashMap::new()
        });
        Ok(ids
            .into_iter()
            .map(|id| match found.results.get(&id.to_string()) {
                Some(page) => {
                    let logo = page.logo_image().and_then(|image| links.get(&image));
                    page_account(id, &page.localized_name, logo)
                }
                None => page_account(id, &format!("LinkedIn page {id}"), None),
            })
            .collect())
    }

    /// A page connected before, as LinkedIn shows it now (`urn` is `urn:li:organization:…`):
    /// its name from the organisations lookup, its logo's address and when that address
    /// expires from the Images API. Unlike when connecting, a logo that cannot be read is an
    /// error, so that the address stored before is kept rather than dropped.
    pub async fn page(&self, credentials: &Credentials, urn: &str) -> Result<Face, NetworkError> {
        let id: u64 = urn
            .strip_prefix(ORGANIZATION_URN)
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| NetworkError::Permanent(format!("`{urn}` is not a LinkedIn page")))?;
        let found = self.organizations(credentials, &[id]).await?;
        let page = found
            .results
            .get(&id.to_string())
            .ok_or_else(|| NetworkError::Permanent(format!("LinkedIn no longer shows the page {urn}")))?;
        let Some(image) = page.logo_image() else {
            return Ok(Face::lasting(page_account(id, &page.localized_name, None)));
        };
        let links = self.logo_links(credentials, std::slice::from_ref(&image)).await?;
        // A new logo is still processing, or failed: the one stored before is still the page's.
        let link = links.get(&image).ok_or_else(|| {
            NetworkError::Transient(format!("LinkedIn has no address for the logo of {urn} yet"))
        })?;
        Ok(Face {
            account: page_account(id, &page.localized_name, Some(link)),
            avatar_expires_at: link.expires_at,
        })
    }

    /// Pages by id, from the batch `GET /rest/organizations?ids=List(…)`.
    async fn organizations(
        &self,
        credentials: &Credentials,
        ids: &[u64],
    ) -> Result<Organizations, NetworkError> {
        let mut url = wire::endpoint(&self.settings.api_url, "rest/organizations");
        // Rest.li 2.0 reads the list's parentheses and commas literally; the ids are digits.
        let list: Vec<String> = ids.iter().map(u64::to_string).collect();
        url.set_query(Some(&format!("ids=List({})", list.join(","))));
        let request = self.versioned(self.http.get(url), credentials);
        self.expect_success(request).await?.json(NAME)
    }

    /// Where each of `images` (`urn:li:image:…`) can be downloaded, and until when, from the
    /// Images API's batch `GET /rest/images?ids=List(…)`; an image without a `downloadUrl`
    /// (still processing, or failed) is left out. The addresses are signed and expire
    /// (`downloadUrlExpiresAt`), as the member's picture from userinfo does: the scheduler
    /// reads them again before then (`connections::profiles`).
    async fn logo_links(
        &self,
        credentials: &Credentials,
        images: &[String],
    ) -> Result<HashMap<String, ImageLink>, NetworkError> {
        if images.is_empty() {
            return Ok(HashMap::new());
        }
        let mut url = wire::endpoint(&self.settings.api_url, "rest/images");
        // Rest.li 2.0 takes each URN in a list percent-encoded, the list's syntax literal.
        let list: Vec<String> =
            images.iter().map(|urn| form_urlencoded::byte_serialize(urn.as_bytes()).collect()).collect();
        url.set_query(Some(&format!("ids=List({})", list.join(","))));
        let request = self.versioned(self.http.get(url), credentials);
        let found: Images = self.expect_success(request).await?.json(NAME)?;
        Ok(found
            .results
            .into_iter()
            .filter_map(|(urn, image)| {
                let expires_at = image.download_url_expires_at.and_then(DateTime::from_timestamp_millis);
                Some((urn, ImageLink { url: image.download_url?, expires_at }))
            })
            .collect())
    }

    /// Posts `text` to the member's feed. LinkedIn has no threads, so `reply_to` must be
    /// `None`; nor has it an idempotency key: a repeated text is refused as
    /// [`NetworkError::Duplicate`]. Looks the author up first; [`Self::publish_as`] skips that
    /// when the person URN is already known.
    pub async fn publish(
        &self,
        credentials: &Credentials,
        text: &str,
        reply_to: Option<&PartRef>,
        _idempotency_key: &str,
    ) -> Result<PartRef, NetworkError> {
        refuse_threads(reply_to)?;
        let author = self.account(credentials).await?.remote_id;
        self.publish_as(credentials, &author, text).await
    }

    /// Posts `text` publicly to the main feed as `author` (`urn:li:person:…`, or a page's
    /// `urn:li:organization:…`) with `POST /rest/posts`; the new post's URN comes back in
    /// `x-restli-id`. A page refusing its author means the member who connected it can no
    /// longer post as it (no longer an administrator): only connecting it again can tell.
    pub async fn publish_as(
        &self,
        credentials: &Credentials,
        author: &str,
        text: &str,
    ) -> Result<PartRef, NetworkError> {
        let body = json!({
            "author": author,
            "commentary": escape_little(text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": false,
        });
        let request =
            self.versioned(self.http.post(wire::endpoint(&self.settings.api_url, "rest/posts")), credentials);
        let answer = wire::send(request.json(&body), NAME).await?;
        if !answer.status.is_success() {
            return Err(match error_from(&answer, self.clock.now()) {
                NetworkError::Permanent(message)
                    if is_page(author) && answer.status == StatusCode::FORBIDDEN =>
                {
                    NetworkError::Reconnect(format!(
                        "{message} (the member who connected this page may no longer be one of its administrators)"
                    ))
                }
                other => other,
            });
        }
        let urn = answer
            .headers
            .get("x-restli-id")
            .and_then(|value| value.to_str().ok())
            .filter(|urn| urn.starts_with("urn:li:"))
            .ok_or_else(|| NetworkError::Transient("LinkedIn answered without the post's id".into()))?
            .to_owned();
        Ok(part(urn))
    }

    /// The author's own recent post with exactly `text`, from the Posts API's author finder
    /// (`GET /rest/posts?q=author&author={urn}`): what a retry looks for when a post's outcome
    /// is unknown, since LinkedIn takes no idempotency key.
    pub async fn find_recent(
        &self,
        credentials: &Credentials,
        author: &str,
        text: &str,
    ) -> Result<Option<PartRef>, NetworkError> {
        let mut url = wire::endpoint(&self.settings.api_url, "rest/posts");
        url.query_pairs_mut()
            .append_pair("q", "author")
            .append_pair("author", author)
            .append_pair("count", &RECENT_POSTS.to_string())
            .append_pair("sortBy", "LAST_MODIFIED");
        let request = self.versioned(self.http.get(url), credentials);
        let found: AuthorPosts = self.expect_success(request).await?.json(NAME)?;
        let commentary = escape_little(text);
        Ok(found.elements.into_iter().find(|post| post.commentary == commentary).map(|post| part(post.id)))
    }

    /// Likes (every reaction) and comments, including replies to comments, from
    /// `GET /rest/socialActions/{urn}`. LinkedIn gives no repost count or impressions for a
    /// member's post here, so reposts are 0 and impressions unknown. Reading a member's social
    /// actions takes `r_member_social`, which LinkedIn grants to approved apps only; without
    /// it the call is refused ([`NetworkError::Permanent`]).
    pub async fn counts(&self, credentials: &Credentials, part: &PartRef) -> Result<Counts, NetworkError> {
        if !part.remote_id.starts_with("urn:li:") {
            return Err(NetworkError::Permanent(format!("`{}` is not a LinkedIn URN", part.remote_id)));
        }
        // Rest.li takes a URN in the path percent-encoded as one segment.
        let encoded: String = form_urlencoded::byte_serialize(part.remote_id.as_bytes()).collect();
        let mut url = self.settings.api_url.clone();
        url.set_path(&format!(
            "{}/rest/socialActions/{encoded}",
            self.settings.api_url.path().trim_end_matches('/')
        ));
        let request = self.versioned(self.http.get(url), credentials);
        let actions: SocialActions = self.expect_success(request).await?.json(NAME)?;
        Ok(Counts {
            likes: actions.likes_summary.map_or(0, |likes| likes.total_likes),
            reposts: 0,
            replies: actions.comments_summary.map_or(0, |comments| comments.aggregated_total_comments),
            impressions: None,
        })
    }

    fn versioned(
        &self,
        request: reqwest::RequestBuilder,
        credentials: &Credentials,
    ) -> reqwest::RequestBuilder {
        request
            .bearer_auth(&credentials.access_token)
            .header("LinkedIn-Version", &self.settings.version)
            .header("X-Restli-Protocol-Version", "2.0.0")
    }

    async fn expect_success(&self, request: reqwest::RequestBuilder) -> Result<Answer, NetworkError> {
        let answer = wire::send(request, NAME).await?;
        if answer.status.is_success() { Ok(answer) } else { Err(error_from(&answer, self.clock.now())) }
    }
}

/// How many of the member's latest posts a retry looks through.
const RECENT_POSTS: u8 = 10;
/// The most pages one member's roles are read for: one finder page.
const MAX_PAGES: u8 = 100;

/// The roles finder's page; only each role's organisation is read.
#[derive(Debug, Deserialize)]
struct Acls {
    #[serde(default)]
    elements: Vec<Acl>,
}

#[derive(Debug, Deserialize)]
struct Acl {
    organization: String,
}

/// A batch get's answer: the pages found, keyed by id (unknown ids are under `errors`).
#[derive(Debug, Deserialize)]
struct Organizations {
    #[serde(default)]
    results: HashMap<String, Organization>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Organization {
    localized_name: String,
    /// The page's logo: the uploaded image and the square crop LinkedIn shows.
    #[serde(default)]
    logo_v2: Option<Logo>,
}

impl Organization {
    /// The image URN of the logo as LinkedIn shows it: the crop, else the uploaded original.
    /// The organisation names it as a media asset (`urn:li:digitalmediaAsset:X`), which the
    /// Images API knows as `urn:li:image:X`.
    fn logo_image(&self) -> Option<String> {
        let logo = self.logo_v2.as_ref()?;
        let asset = logo.cropped.as_deref().or(logo.original.as_deref())?;
        Some(format!("{IMAGE_URN}{}", asset.strip_prefix(MEDIA_ASSET_URN)?))
    }
}

#[derive(Debug, Deserialize)]
struct Logo {
    #[serde(default)]
    original: Option<String>,
    #[serde(default)]
    cropped: Option<String>,
}

/// The Images API's batch get: the images found, keyed by image URN.
#[derive(Debug, Deserialize)]
struct Images {
    #[serde(default)]
    results: HashMap<String, Image>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Image {
    #[serde(default)]
    download_url: Option<String>,
    /// Epoch milliseconds.
    #[serde(default)]
    download_url_expires_at: Option<i64>,
}

/// Where an image can be downloaded, and until when if LinkedIn says.
#[derive(Debug, Clone)]
struct ImageLink {
    url: String,
    expires_at: Option<DateTime<Utc>>,
}

/// A page as an account Kyros posts as: the organisation URN, the name as its handle.
fn page_account(id: u64, name: &str, logo: Option<&ImageLink>) -> Account {
    Account {
        remote_id: format!("{ORGANIZATION_URN}{id}"),
        handle: name.to_owned(),
        display_name: name.to_owned(),
        avatar_url: logo.map(|link| link.url.clone()),
    }
}

fn part(urn: String) -> PartRef {
    PartRef {
        url: Some(format!("https://www.linkedin.com/feed/update/{urn}/")),
        remote_id: urn,
        revision: None,
    }
}

/// The author finder's page; only each post's URN and commentary are read.
#[derive(Debug, Deserialize)]
struct AuthorPosts {
    #[serde(default)]
    elements: Vec<AuthorPost>,
}

#[derive(Debug, Deserialize)]
struct AuthorPost {
    id: String,
    #[serde(default)]
    commentary: String,
}

fn refuse_threads(reply_to: Option<&PartRef>) -> Result<(), NetworkError> {
    match reply_to {
        Some(_) => {
            Err(NetworkError::Permanent("LinkedIn posts cannot reply to one another: no threads".into()))
        }
        None => Ok(()),
    }
}

/// `text` as plain text in LinkedIn's "little" format: every reserved character escaped.
pub fn escape_little(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if LITTLE_RESERVED.contains(&character) {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    name: String,
    #[serde(default)]
    picture: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SocialActions {
    #[serde(default)]
    likes_summary: Option<LikesSummary>,
    #[serde(default)]
    comments_summary: Option<CommentsSummary>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LikesSummary {
    #[serde(default)]
    total_likes: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CommentsSummary {
    #[serde(default)]
    aggregated_total_comments: u64,
}

/// LinkedIn's error body (`status`, `serviceErrorCode`, `code`, `message`, sometimes
/// `errorDetails.inputErrors`), or the token endpoint's `error` / `error_description`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Problem {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    error_details: Option<ErrorDetails>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDetails {
    #[serde(default)]
    input_errors: Vec<InputError>,
}

#[derive(Debug, Default, Deserialize)]
struct InputError {
    #[serde(default)]
    code: Option<String>,
}

impl Problem {
    fn is_duplicate(&self) -> bool {
        let flagged = self
            .error_details
            .iter()
            .flat_map(|details| &details.input_errors)
            .any(|input| input.code.as_deref() == Some("DUPLICATE_POST"));
        flagged || self.message.as_deref().is_some_and(|message| message.contains("duplicate"))
    }

    fn is_token_refusal(&self) -> bool {
        matches!(
            self.code.as_deref(),
            Some("REVOKED_ACCESS_TOKEN" | "INVALID_ACCESS_TOKEN" | "EXPIRED_ACCESS_TOKEN")
        ) || self.error.as_deref() == Some("invalid_token")
    }
}

/// What a refused call to LinkedIn means for the publisher.
fn error_from(answer: &Answer, now: DateTime<Utc>) -> NetworkError {
    let status = answer.status;
    let problem: Problem = serde_json::from_slice(&answer.body).unwrap_or_default();
    let reason = problem
        .message
        .as_deref()
        .or(problem.error_description.as_deref())
        .or(problem.error.as_deref())
        .map_or_else(|| format!("HTTP {}", status.as_u16()), str::to_owned);
    let message = format!("LinkedIn: {reason}");
    if status == StatusCode::UNAUTHORIZED || problem.is_token_refusal() {
        NetworkError::Reconnect(message)
    } else if status == StatusCode::TOO_MANY_REQUESTS {
        // Daily limits reset at midnight UTC, but LinkedIn also answers 429 to protect its
        // infrastructure, so without `Retry-After` the publisher's own backoff decides.
        NetworkError::RateLimited { retry_at: wire::retry_after(&answer.headers, now), message }
    } else if status == StatusCode::UNPROCESSABLE_ENTITY && problem.is_duplicate() {
        NetworkError::Duplicate(message)
    } else if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        NetworkError::Transient(message)
    } else {
        NetworkError::Permanent(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::wire::answer;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[test]
    fn every_reserved_character_is_escaped() {
        assert_eq!(
            escape_little(r"a\b|c{d}e@f[g]h(i)j<k>l#m*n_o~p"),
            r"a\\b\|c\{d\}e\@f\[g\]h\(i\)j\<k\>l\#m\*n\_o\~p"
        );
        assert_eq!(
            escape_little("Plain text, with: punctuation! & \"quotes\"."),
            "Plain text, with: punctuation! & \"quotes\"."
        );
        assert_eq!(escape_little("café 🚀"), "café 🚀");
    }

    #[test]
    fn a_revoked_token_asks_for_a_new_connection() {
        let body = r#"{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user"}"#;
        assert_eq!(
            error_from(&answer(401, &[], body), now()),
            NetworkError::Reconnect(
                "LinkedIn: The token used in the request has been revoked by the user".into()
            )
        );
    }

    #[test]
    fn a_rate_limit_reads_retry_after_when_given() {
        let body = r#"{"status":429,"serviceErrorCode":101,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}"#;
        assert!(matches!(
            error_from(&answer(429, &[("retry-after", "3600")], body), now()),
            NetworkError::RateLimited { retry_at: Some(at), .. } if at == now() + Duration::hours(1)
        ));
        assert!(matches!(
            error_from(&answer(429, &[], body), now()),
            NetworkError::RateLimited { retry_at: None, .. }
        ));
    }

    #[test]
    fn a_duplicate_post_is_recognised() {
        let body = r#"{"errorDetailType":"com.linkedin.common.error.BadRequest","message":"com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of urn:li:share:7141138937766391808","errorDetails":{"inputErrors":[{"description":"Duplicate post is detected","input":{},"code":"DUPLICATE_POST"}]},"status":422}"#;
        assert!(matches!(error_from(&answer(422, &[], body), now()), NetworkError::Duplicate(_)));
    }

    #[test]
    fn other_refusals_carry_linkedins_message() {
        let body = r#"{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: partnerApiSocialActions.GET.20260701"}"#;
        assert_eq!(
            error_from(&answer(403, &[], body), now()),
            NetworkError::Permanent(
                "LinkedIn: Not enough permissions to access: partnerApiSocialActions.GET.20260701".into()
            )
        );
        assert!(matches!(error_from(&answer(504, &[], ""), now()), NetworkError::Transient(_)));
    }

    #[test]
    fn a_logo_is_the_image_of_its_crop_or_else_of_its_original() {
        let organization = |logo: serde_json::Value| -> Organization {
            serde_json::from_value(json!({ "localizedName": "Rye & Crumb Bakery", "logoV2": logo })).unwrap()
        };
        let cropped = organization(json!({
            "original": "urn:li:digitalmediaAsset:C4D0BAQOriginal",
            "cropped": "urn:li:digitalmediaAsset:C4D0BAQCropped",
            "cropInfo": { "x": 0, "y": 0, "width": 400, "height": 400 },
        }));
        assert_eq!(cropped.logo_image().as_deref(), Some("urn:li:image:C4D0BAQCropped"));
        let original = organization(json!({ "original": "urn:li:digitalmediaAsset:C4D0BAQOriginal" }));
        assert_eq!(original.logo_image().as_deref(), Some("urn:li:image:C4D0BAQOriginal"));
        assert_eq!(organization(json!(null)).logo_image(), None);
    }

    #[test]
    fn linkedin_has_no_threads() {
        let parent = PartRef { remote_id: "urn:li:share:1".into(), revision: None, url: None };
        assert!(matches!(refuse_threads(Some(&parent)), Err(NetworkError::Permanent(_))));
        assert_eq!(refuse_threads(None), Ok(()));
    }
}
