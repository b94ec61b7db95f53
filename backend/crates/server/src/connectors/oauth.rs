//! The OAuth 2.0 authorization code flow as the X, LinkedIn and Mastodon clients share it: the
//! registered app, the authorize URL, PKCE (RFC 7636, S256 only), the token request and its
//! answer. What differs per network (how the client authenticates, whether PKCE is used, how
//! errors read) stays in each client.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::{Url, form_urlencoded};

use super::network::{Credentials, NetworkError};

/// An app registered with a network: where its users authorise it and how it identifies itself.
#[derive(Debug, Clone)]
pub struct OAuthApp {
    pub authorize_url: Url,
    pub token_url: Url,
    pub client_id: String,
    /// `None` for a public client, which proves itself with PKCE alone.
    pub client_secret: Option<SecretString>,
    /// Where the network sends the user back; must be registered with the app exactly.
    pub redirect_uri: Url,
    pub scopes: Vec<String>,
}

/// How the app proves who it is to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ClientAuth {
    /// `Authorization: Basic base64(client_id:client_secret)` when there is a secret (X).
    Basic,
    /// `client_id` and `client_secret` as form fields (LinkedIn, Mastodon).
    Form,
}

/// What the app trades at the token endpoint.
#[derive(Debug, Clone, Copy)]
pub(super) enum Grant<'a> {
    Code { code: &'a str, verifier: Option<&'a str> },
    Refresh { refresh_token: &'a str },
}

impl OAuthApp {
    /// The page to send the user to. `code_challenge` is the S256 challenge of a verifier
    /// from [`pkce_pair`], for networks that take one.
    pub fn authorization_url(&self, state: &str, code_challenge: Option<&str>) -> Url {
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("state", state),
        ];
        let scope = self.scopes.join(" ");
        if !scope.is_empty() {
            pairs.push(("scope", &scope));
        }
        if let Some(challenge) = code_challenge {
            pairs.push(("code_challenge", challenge));
            pairs.push(("code_challenge_method", "S256"));
        }
        let mut url = self.authorize_url.clone();
        let mut query: Vec<String> =
            url.query().map(|existing| vec![existing.to_owned()]).unwrap_or_default();
        query.extend(pairs.into_iter().map(|(name, value)| format!("{name}={}", encode(value))));
        url.set_query(Some(&query.join("&")));
        url
    }

    /// The token request for `grant`, authenticated as `auth` says.
    pub(super) fn token_request(
        &self,
        http: &reqwest::Client,
        grant: Grant<'_>,
        auth: ClientAuth,
    ) -> reqwest::RequestBuilder {
        let mut form: Vec<(&str, &str)> = match grant {
            Grant::Code { code, verifier } => {
                let mut form = vec![
                    ("grant_type", "authorization_code"),
                    ("code", code),
                    ("redirect_uri", self.redirect_uri.as_str()),
                ];
                if let Some(verifier) = verifier {
                    form.push(("code_verifier", verifier));
                }
                form
            }
            Grant::Refresh { refresh_token } => {
                vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token)]
            }
        };
        form.push(("client_id", &self.client_id));
        let request = http.post(self.token_url.clone());
        match (auth, self.client_secret.as_ref().map(|secret| secret.expose_secret())) {
            (ClientAuth::Basic, Some(secret)) => {
                request.basic_auth(&self.client_id, Some(secret)).form(&form)
            }
            (ClientAuth::Form, Some(secret)) => {
                form.push(("client_secret", secret));
                request.form(&form)
            }
            (_, None) => request.form(&form),
        }
    }
}

/// Percent-encodes a query value with `%20` for spaces: X's documentation writes scopes that
/// way, and every network decodes it.
fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>().replace('+', "%20")
}

/// A fresh PKCE verifier (43 characters from 32 random bytes) and its S256 challenge.
pub fn pkce_pair() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let verifier = verifier_from(bytes);
    let challenge = pkce_challenge(&verifier);
    (verifier, challenge)
}

/// RFC 7636 §4.1's recommended verifier: 32 random octets, base64url-encoded.
fn verifier_from(octets: [u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(octets)
}

/// `BASE64URL(SHA256(verifier))` without padding (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A successful token response (RFC 6749 §5.1); networks add fields we do not need.
/// No `Debug`: it holds tokens.
#[derive(Deserialize)]
pub(super) struct TokenResponse {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    expires_in: Option<i64>,
    /// What the user granted, when the network says: space-separated (RFC 6749), or
    /// comma-separated as LinkedIn writes it.
    #[serde(default)]
    scope: Option<String>,
}

impl TokenResponse {
    /// The scopes the user granted, as the network listed them.
    pub(super) fn scopes(&self) -> Vec<String> {
        self.scope
            .iter()
            .flat_map(|scope| scope.split([' ', ',']))
            .filter(|scope| !scope.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The credentials this response grants. A response without a refresh token keeps the one
    /// the caller already had (LinkedIn may omit it); one with a refresh token replaces it (X
    /// rotates them, and the old one stops working).
    pub(super) fn into_credentials(
        self,
        kept_refresh_token: Option<&str>,
        now: DateTime<Utc>,
    ) -> Credentials {
        Credentials {
            access_token: self.access_token,
            refresh_token: self.refresh_token.or_else(|| kept_refresh_token.map(str::to_owned)),
            expires_at: self
                .expires_in
                .filter(|seconds| *seconds > 0)
                .map(|seconds| now + Duration::seconds(seconds)),
        }
    }
}

/// An error answer from a token endpoint (RFC 6749 §5.2).
#[derive(Debug, Default, Deserialize)]
struct TokenErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// What a refused token request means, for the answers that are the token endpoint's own
/// (RFC 6749 §5.2). `None` leaves rate limits and server errors to the network's mapping.
///
/// A refused refresh means the grant is gone (expired, revoked, or rotated away): the user has
/// to connect again. A refused code is the connect attempt failing, which trying the same code
/// again cannot fix; a refused client is the operator's configuration, not the user's account.
pub(super) fn token_refusal(status: StatusCode, body: &[u8], grant: Grant<'_>) -> Option<NetworkError> {
    if !matches!(status.as_u16(), 400 | 401 | 403) {
        return None;
    }
    let parsed: TokenErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let reason = match (parsed.error.as_str(), parsed.error_description.as_deref()) {
        ("", None) => format!("the token endpoint answered HTTP {}", status.as_u16()),
        (error, None) => error.to_owned(),
        ("", Some(description)) => description.to_owned(),
        (error, Some(description)) => format!("{error}: {description}"),
    };
    Some(match (grant, parsed.error.as_str()) {
        (_, "invalid_client" | "unauthorized_client") => {
            NetworkError::Permanent(format!("the app's client credentials were refused ({reason})"))
        }
        (Grant::Refresh { .. }, _) => NetworkError::Reconnect(format!("the refresh was refused ({reason})")),
        (Grant::Code { .. }, _) => {
            NetworkError::Permanent(format!("the authorization code was refused ({reason})"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> OAuthApp {
        OAuthApp {
            authorize_url: Url::parse("https://x.com/i/oauth2/authorize").unwrap(),
            token_url: Url::parse("https://api.x.com/2/oauth2/token").unwrap(),
            client_id: "client-1".into(),
            client_secret: Some("s3cret".into()),
            redirect_uri: Url::parse("https://kyros.example/connections/x/callback").unwrap(),
            scopes: vec!["tweet.read".into(), "tweet.write".into()],
        }
    }

    #[test]
    fn the_verifier_and_challenge_of_rfc_7636_appendix_b() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105,
            214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(verifier_from(octets), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); // pragma: allowlist secret
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), // pragma: allowlist secret
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"                  // pragma: allowlist secret
        );
    }

    #[test]
    fn a_pair_is_a_fresh_verifier_and_its_challenge() {
        let (verifier, challenge) = pkce_pair();
        assert_eq!(verifier.len(), 43);
        assert!(verifier.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_eq!(challenge, pkce_challenge(&verifier));
        assert_ne!(pkce_pair().0, verifier);
    }

    #[test]
    fn the_authorization_url_carries_every_parameter() {
        let url = app().authorization_url("st&te", Some("challenge"));
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |name: &str| pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
        assert_eq!(get("response_type"), Some("code"));
        assert_eq!(get("client_id"), Some("client-1"));
        assert_eq!(get("redirect_uri"), Some("https://kyros.example/connections/x/callback"));
        assert_eq!(get("state"), Some("st&te"));
        assert_eq!(get("scope"), Some("tweet.read tweet.write"));
        assert_eq!(get("code_challenge"), Some("challenge"));
        assert_eq!(get("code_challenge_method"), Some("S256"));
        assert!(url.as_str().contains("scope=tweet.read%20tweet.write"));
        assert!(!url.as_str().contains("s3cret"));
    }

    #[test]
    fn without_a_challenge_no_pkce_parameters_are_sent() {
        let url = app().authorization_url("state", None);
        assert!(url.query_pairs().all(|(key, _)| !key.starts_with("code_challenge")));
    }

    #[test]
    fn debug_hides_the_client_secret() {
        let printed = format!("{:?}", app());
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("client-1"), "{printed}");
    }

    #[test]
    fn the_token_request_sends_the_client_secret() {
        let http = reqwest::Client::new();
        let grant = Grant::Refresh { refresh_token: "r" };
        let form = app().token_request(&http, grant, ClientAuth::Form).build().unwrap();
        let body = std::str::from_utf8(form.body().and_then(|body| body.as_bytes()).unwrap()).unwrap();
        assert!(body.contains("client_secret=s3cret"), "{body}");
        let basic = app().token_request(&http, grant, ClientAuth::Basic).build().unwrap();
        let authorization = basic.headers()[reqwest::header::AUTHORIZATION].to_str().unwrap();
        assert_eq!(
            authorization,
            format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("client-1:s3cret"))
        );
    }

    #[test]
    fn a_token_response_becomes_credentials() {
        let now = Utc::now();
        let response: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","refresh_token":"r2","expires_in":7200}"#).unwrap();
        let credentials = response.into_credentials(Some("r1"), now);
        assert_eq!(credentials.refresh_token.as_deref(), Some("r2"));
        assert_eq!(credentials.expires_at, Some(now + Duration::seconds(7200)));

        let response: TokenResponse = serde_json::from_str(r#"{"access_token":"b"}"#).unwrap();
        assert!(response.scopes().is_empty());
        let credentials = response.into_credentials(Some("r1"), now);
        assert_eq!(credentials.refresh_token.as_deref(), Some("r1"));
        assert_eq!(credentials.expires_at, None);
    }

    #[test]
    fn granted_scopes_read_with_spaces_or_linkedins_commas() {
        let linkedin: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","scope":"openid,profile,w_organization_social"}"#)
                .unwrap();
        assert_eq!(linkedin.scopes(), ["openid", "profile", "w_organization_social"]);
        let x: TokenResponse =
            serde_json::from_str(r#"{"access_token":"a","scope":"tweet.read tweet.write"}"#).unwrap();
        assert_eq!(x.scopes(), ["tweet.read", "tweet.write"]);
    }

    #[test]
    fn refused_grants_read_as_the_publisher_acts_on_them() {
        let refresh = Grant::Refresh { refresh_token: "r" };
        let code = Grant::Code { code: "c", verifier: None };
        let invalid =
            br#"{"error":"invalid_request","error_description":"Value passed for the token was invalid."}"#;
        assert!(matches!(
            token_refusal(StatusCode::BAD_REQUEST, invalid, refresh),
            Some(NetworkError::Reconnect(message)) if message.contains("Value passed for the token was invalid.")
        ));
        assert!(matches!(
            token_refusal(StatusCode::BAD_REQUEST, br#"{"error":"invalid_grant"}"#, code),
            Some(NetworkError::Permanent(_))
        ));
        assert!(matches!(
            token_refusal(StatusCode::UNAUTHORIZED, br#"{"error":"invalid_client"}"#, refresh),
            Some(NetworkError::Permanent(message)) if message.contains("client credentials")
        ));
        assert_eq!(token_refusal(StatusCode::TOO_MANY_REQUESTS, b"", refresh), None);
        assert_eq!(token_refusal(StatusCode::SERVICE_UNAVAILABLE, b"", code), None);
    }
}
