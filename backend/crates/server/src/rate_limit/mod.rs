//! Request rate limits: a token bucket per client address on `/auth/*` (password guessing,
//! sign-up floods) and per signed-in user everywhere else (anonymous callers by address).
//! Health checks and the API docs are never limited.
//!
//! Every limited response carries `RateLimit-Limit` (the bucket size), `RateLimit-Remaining`
//! and `RateLimit-Reset` (seconds until the bucket is full); a refusal is a 429 problem with
//! `Retry-After`. When Redis is configured every API process shares the buckets; when it fails
//! at request time the request is let through (logged): the limiter protects the API, it must
//! not take it down.

pub mod client;
pub mod gcra;
mod store;

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
pub use store::RateLimiter;
use uuid::Uuid;

use self::{
    client::{ClientKey, request_address},
    gcra::{Decision, RatePolicy},
};
use crate::{
    error::{ApiError, Throttle, TooManyRequests},
    state::AppState,
};

pub const RATE_LIMIT_LIMIT: HeaderName = HeaderName::from_static("ratelimit-limit");
pub const RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static("ratelimit-remaining");
pub const RATE_LIMIT_RESET: HeaderName = HeaderName::from_static("ratelimit-reset");

/// Which limit a path falls under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Auth,
    Api,
}

impl Scope {
    fn of(path: &str) -> Option<Self> {
        const EXEMPT: [&str; 5] = ["/healthz", "/health", "/readyz", "/metrics", "/openapi.json"];
        if EXEMPT.contains(&path) || path == "/docs" || path.starts_with("/docs/") {
            None
        } else if path.starts_with("/auth/") {
            Some(Self::Auth)
        } else {
            Some(Self::Api)
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Api => "api",
        }
    }
}

/// The signed-in caller a request proves, whose bucket the API limit spends from. The auth
/// domain implements it; the app names the implementation when it layers the limiter.
pub trait Caller: Clone + Send + Sync + 'static {
    /// The caller, or `None` when the request is anonymous or its credential is refused (the
    /// route answers for that itself).
    fn signed_in(
        headers: &HeaderMap,
        method: &Method,
        state: &AppState,
    ) -> impl Future<Output = Option<Self>> + Send;

    fn user_id(&self) -> Uuid;
}

/// Middleware: spends one request from the caller's bucket, refusing with 429 when it is empty.
pub async fn limit_requests<C: Caller>(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(scope) = Scope::of(request.uri().path()) else {
        return next.run(request).await;
    };
    let settings = &state.config.rate_limits;
    let policy = match scope {
        Scope::Auth => settings.auth,
        Scope::Api => settings.api,
    };
    let Some(policy) = policy else {
        return next.run(request).await;
    };
    let client = match scope {
        Scope::Auth => address_of(&request, &state),
        Scope::Api => match C::signed_in(request.headers(), request.method(), &state).await {
            Some(caller) => {
                let key = ClientKey::User(caller.user_id());
                // Handed to the route's extractor, so the credential is checked once.
                request.extensions_mut().insert(caller);
                key
            }
            None => address_of(&request, &state),
        },
    };
    let now = state.clock.now();
    let key = format!("{}:{}", scope.as_str(), client.as_key());
    let Some(decision) = state.rate_limiter.check(&key, policy, now.timestamp_micros()).await else {
        return next.run(request).await;
    };
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        refusal(scope, policy, &decision, now).into_response()
    };
    set_headers(response.headers_mut(), &decision);
    response
}

fn address_of(request: &Request, state: &AppState) -> ClientKey {
    ClientKey::Address(request_address(
        request.extensions(),
        request.headers(),
        &state.config.rate_limits.trusted_proxies,
    ))
}

fn refusal(scope: Scope, policy: RatePolicy, decision: &Decision, now: DateTime<Utc>) -> ApiError {
    let retry_after = decision.retry_after_seconds;
    let what = match scope {
        Scope::Auth => "sign-in and sign-up requests from your address",
        Scope::Api => "requests",
    };
    let mut extra = serde_json::Map::new();
    extra.insert("limit".into(), policy.burst.into());
    extra.insert("requests_per_minute".into(), policy.requests_per_minute.into());
    ApiError::TooManyRequests(TooManyRequests {
        throttle: Throttle::RateLimit,
        detail: format!(
            "Too many {what}: at most {} at once and {} per minute. Retry in {retry_after} s.",
            policy.burst, policy.requests_per_minute
        ),
        retry_after_seconds: retry_after,
        reset_at: now + Duration::seconds(retry_after as i64),
        extra,
    })
}

fn set_headers(headers: &mut HeaderMap, decision: &Decision) {
    headers.insert(RATE_LIMIT_LIMIT, HeaderValue::from(decision.limit));
    headers.insert(RATE_LIMIT_REMAINING, HeaderValue::from(decision.remaining));
    headers.insert(RATE_LIMIT_RESET, HeaderValue::from(decision.reset_seconds));
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn health_and_docs_are_exempt_and_auth_has_its_own_limit() {
        for exempt in ["/healthz", "/health", "/readyz", "/openapi.json", "/docs", "/docs/index.html"] {
            assert_eq!(Scope::of(exempt), None, "{exempt}");
        }
        assert_eq!(Scope::of("/auth/login"), Some(Scope::Auth));
        assert_eq!(Scope::of("/jobs"), Some(Scope::Api));
        assert_eq!(Scope::of("/documents"), Some(Scope::Api));
        assert_eq!(Scope::of("/healthz/extra"), Some(Scope::Api));
    }
}
