//! What can go wrong talking to Bluesky, sorted by what the caller should do next.

use chrono::{DateTime, Utc};
use reqwest::{StatusCode, header::HeaderMap};
use serde::Deserialize;

use crate::connectors::network::NetworkError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlueskyError {
    /// The identifier and app password, or the refresh token, were refused (wrong, expired or
    /// revoked): only the account owner can fix it, by connecting the account again.
    #[error("Bluesky refused the sign-in ({code}: {message}); the account must be connected again")]
    ReconnectNeeded { code: String, message: String },
    /// The password given is the account's main password: Kyros only keeps app passwords.
    #[error(
        "this is the account's main password; create an app password in Bluesky's settings and use it instead"
    )]
    NotAnAppPassword,
    /// The access token expired or was revoked: refresh the session, then try again.
    #[error("the Bluesky session expired ({code}); refresh it and try again")]
    SessionExpired { code: String },
    /// Too many requests: nothing more is sent before `reset_at` (when Bluesky said).
    #[error("Bluesky's rate limit is reached{}", reset_at.map(|at| format!(" until {}", at.to_rfc3339())).unwrap_or_default())]
    RateLimited { reset_at: Option<DateTime<Utc>> },
    /// Worth another attempt later: a timeout, a refused connection, a 5xx.
    #[error("Bluesky could not be reached or failed: {0}")]
    Transient(String),
    /// Will fail the same way again: the server's error code and message say why.
    #[error("Bluesky refused the request (HTTP {status}, {code}): {message}")]
    Permanent { status: u16, code: String, message: String },
    /// A handle or DID that leads to no account or no PDS.
    #[error("`{subject}` could not be resolved: {reason}")]
    Unresolved { subject: String, reason: String },
}

impl BlueskyError {
    pub(crate) fn permanent(message: impl Into<String>) -> Self {
        Self::Permanent { status: 0, code: "InvalidResponse".into(), message: message.into() }
    }

    pub(crate) fn unresolved(subject: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Unresolved { subject: subject.into(), reason: reason.into() }
    }
}

/// In the terms every network shares: rate limits and outages are retried later; refused
/// credentials wait for the owner, so retrying them would only be refused again. An expired
/// session reaches this only when refreshing it failed too.
impl From<BlueskyError> for NetworkError {
    fn from(error: BlueskyError) -> Self {
        match error {
            BlueskyError::RateLimited { reset_at } => {
                Self::RateLimited { retry_at: reset_at, message: error.to_string() }
            }
            BlueskyError::Transient(_) => Self::Transient(error.to_string()),
            BlueskyError::ReconnectNeeded { .. } | BlueskyError::SessionExpired { .. } => {
                Self::Reconnect(error.to_string())
            }
            other => Self::Permanent(other.to_string()),
        }
    }
}

/// Which kind of call failed, since the same error code means different things to each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// `createSession` with an identifier and an app password.
    SignIn,
    /// `refreshSession` with the refresh token.
    Refresh,
    /// Any call made with the access token.
    Authenticated,
    /// Calls made without credentials (identity, public AppView).
    Public,
}

/// The XRPC error body: `{"error": "InvalidToken", "message": "…"}`.
#[derive(Debug, Default, Deserialize)]
struct XrpcErrorBody {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// The longest server message kept in an error; the rest is cut.
const MAX_MESSAGE_CHARS: usize = 300;

/// Sorts a non-2xx XRPC response into what the caller should do about it.
pub(crate) fn classify(kind: CallKind, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> BlueskyError {
    let parsed: XrpcErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let code = parsed.error.unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").replace(' ', ""));
    let message: String = parsed.message.unwrap_or_default().chars().take(MAX_MESSAGE_CHARS).collect();
    if status == StatusCode::TOO_MANY_REQUESTS {
        return BlueskyError::RateLimited { reset_at: rate_limit_reset(headers) };
    }
    if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
        return BlueskyError::Transient(format!("HTTP {} {code}: {message}", status.as_u16()));
    }
    let token_refused = matches!(code.as_str(), "ExpiredToken" | "InvalidToken" | "AuthenticationRequired")
        || status == StatusCode::UNAUTHORIZED;
    match kind {
        CallKind::SignIn if status == StatusCode::UNAUTHORIZED => {
            BlueskyError::ReconnectNeeded { code, message }
        }
        CallKind::Refresh if token_refused => BlueskyError::ReconnectNeeded { code, message },
        CallKind::Authenticated if token_refused => BlueskyError::SessionExpired { code },
        _ => BlueskyError::Permanent { status: status.as_u16(), code, message },
    }
}

/// `ratelimit-reset` holds the Unix second at which the limit's window starts again.
fn rate_limit_reset(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let seconds: i64 = headers.get("ratelimit-reset")?.to_str().ok()?.trim().parse().ok()?;
    DateTime::from_timestamp(seconds, 0)
}

/// Errors of the HTTP client itself: the request may never have reached Bluesky.
pub(crate) fn from_transport(error: reqwest::Error) -> BlueskyError {
    use std::error::Error as _;
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(refused) = cause.downcast_ref::<super::xrpc::ForbiddenAddress>() {
            return BlueskyError::permanent(refused.to_string());
        }
        source = cause.source();
    }
    if error.is_timeout() {
        BlueskyError::Transient("the request timed out".into())
    } else if error.is_connect() {
        BlueskyError::Transient(format!("could not connect: {}", without_url(&error)))
    } else {
        BlueskyError::Transient(without_url(&error))
    }
}

/// reqwest's message names the URL; ours are never secret, but the query is noise.
fn without_url(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    if let Some(url) = error.url() {
        message = message.replace(url.as_str(), url.path());
    }
    message
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn body(code: &str, message: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "error": code, "message": message })).unwrap()
    }

    #[test]
    fn a_429_carries_the_instant_the_limit_resets() {
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("1767225600"));
        let error = classify(CallKind::Authenticated, StatusCode::TOO_MANY_REQUESTS, &headers, b"{}");
        let expected = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(error, BlueskyError::RateLimited { reset_at: Some(expected) });
        assert!(error.to_string().contains("2026-01-01T00:00:00+00:00"), "{error}");
        let without = classify(CallKind::Public, StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), b"");
        assert_eq!(without, BlueskyError::RateLimited { reset_at: None });
    }

    #[test]
    fn server_errors_are_transient_and_other_4xx_permanent_with_the_servers_words() {
        let headers = HeaderMap::new();
        let error = classify(CallKind::Authenticated, StatusCode::BAD_GATEWAY, &headers, b"<html>");
        assert!(matches!(error, BlueskyError::Transient(_)), "{error:?}");
        let error = classify(
            CallKind::Authenticated,
            StatusCode::BAD_REQUEST,
            &headers,
            &body("InvalidRecord", "Record/text must not be longer than 300 graphemes"),
        );
        assert_eq!(
            error,
            BlueskyError::Permanent {
                status: 400,
                code: "InvalidRecord".into(),
                message: "Record/text must not be longer than 300 graphemes".into()
            }
        );
    }

    #[test]
    fn refused_credentials_mean_reconnect_and_a_refused_access_token_means_refresh() {
        let headers = HeaderMap::new();
        let wrong = body("AuthenticationRequired", "Invalid identifier or password");
        assert!(matches!(
            classify(CallKind::SignIn, StatusCode::UNAUTHORIZED, &headers, &wrong),
            BlueskyError::ReconnectNeeded { .. }
        ));
        let revoked = body("ExpiredToken", "Token has been revoked");
        assert!(matches!(
            classify(CallKind::Refresh, StatusCode::BAD_REQUEST, &headers, &revoked),
            BlueskyError::ReconnectNeeded { .. }
        ));
        assert_eq!(
            classify(CallKind::Authenticated, StatusCode::BAD_REQUEST, &headers, &revoked),
            BlueskyError::SessionExpired { code: "ExpiredToken".into() }
        );
        // A taken-down account is not fixed by signing in again with the same password.
        let takedown = body("AccountTakedown", "Account has been taken down");
        assert!(matches!(
            classify(CallKind::SignIn, StatusCode::BAD_REQUEST, &headers, &takedown),
            BlueskyError::Permanent { status: 400, .. }
        ));
    }

    #[test]
    fn long_server_messages_are_cut_and_missing_bodies_named_by_status() {
        let long = body("InvalidRequest", &"x".repeat(5_000));
        let BlueskyError::Permanent { message, .. } =
            classify(CallKind::Public, StatusCode::BAD_REQUEST, &HeaderMap::new(), &long)
        else {
            panic!("expected a permanent error");
        };
        assert_eq!(message.len(), MAX_MESSAGE_CHARS);
        let BlueskyError::Permanent { code, .. } =
            classify(CallKind::Public, StatusCode::NOT_FOUND, &HeaderMap::new(), b"not json")
        else {
            panic!("expected a permanent error");
        };
        assert_eq!(code, "NotFound");
    }

    #[test]
    fn refusals_are_sorted_by_what_the_publisher_does_next() {
        let reset_at = Some(chrono::Utc::now());
        let waited = NetworkError::from(BlueskyError::RateLimited { reset_at });
        assert!(matches!(waited, NetworkError::RateLimited { retry_at, .. } if retry_at == reset_at));
        let retried = NetworkError::from(BlueskyError::Transient("timeout".into()));
        assert!(matches!(retried, NetworkError::Transient(_)));
        let reconnect =
            BlueskyError::ReconnectNeeded { code: "AuthenticationRequired".into(), message: String::new() };
        assert!(matches!(NetworkError::from(reconnect), NetworkError::Reconnect(_)));
        let refused = BlueskyError::permanent("record too long");
        assert!(matches!(NetworkError::from(refused), NetworkError::Permanent(_)));
    }
}
