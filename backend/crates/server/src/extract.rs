//! Extractors whose rejections are problem+json instead of axum's plain text.

use axum::extract::{FromRequest, FromRequestParts};
use chrono::{DateTime, Utc};

use crate::{
    error::{ApiError, FieldError},
    rate_limit::client::request_address,
    state::AppState,
};

/// `Json<T>` whose errors name the offending field.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ValidJson<T>(pub T);

/// `Path<T>`; an unparsable id is simply a resource that does not exist.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ValidPath<T>(pub T);

/// `Query<T>` with field-level errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ValidQuery<T>(pub T);

/// Parses an RFC 3339 query value such as `from` or `to`; the error names the field.
pub fn parse_instant(field: &str, value: &str) -> Result<DateTime<Utc>, FieldError> {
    DateTime::parse_from_rfc3339(value)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| FieldError::new(field, "must be an RFC 3339 date-time, e.g. 2026-12-01T00:00:00Z"))
}

/// The caller's IP address: the socket peer, or the forwarded client when the peer is one of
/// `TRUSTED_PROXIES` (the same address rate limits count against); `None` when the app is
/// served without connection info.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let trusted_proxies = &state.config.rate_limits.trusted_proxies;
        Ok(Self(request_address(&parts.extensions, &parts.headers, trusted_proxies)))
    }
}
