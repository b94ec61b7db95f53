//! Extractors whose rejections are problem+json instead of axum's plain text.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use crate::{
    error::{ApiError, FieldError, NOT_JSON},
    rate_limit::client::request_address,
    state::AppState,
};

/// `Json<T>` whose errors name the offending field. A string holding U+0000 is refused with
/// the field's path: PostgreSQL cannot store it in text, and no legitimate text contains it.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ValidJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<mime::Mime>().ok())
            .is_some_and(|mime| {
                mime.type_() == mime::APPLICATION
                    && (mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON))
            });
        if !is_json {
            return Err(ApiError::BadRequest(NOT_JSON.into()));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        if let Some(field) = json_field_with_nul(&bytes) {
            return Err(ApiError::field(field, "must not contain the NUL character (U+0000)"));
        }
        Ok(Self(axum::Json::<T>::from_bytes(&bytes)?.0))
    }
}

/// The path (`name`, `source.content`, `channels[2]`) of the first string in a JSON body that
/// holds U+0000, which JSON can only carry escaped. Bodies without the escape are not parsed.
fn json_field_with_nul(body: &[u8]) -> Option<String> {
    const ESCAPE: &[u8] = b"\\u0000";
    if !body.windows(ESCAPE.len()).any(|window| window.eq_ignore_ascii_case(ESCAPE)) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    // Iterative, so a deeply nested body cannot exhaust the stack (serde_json caps the depth at
    // 128 anyway).
    let mut pending = vec![(String::new(), &value)];
    while let Some((path, value)) = pending.pop() {
        match value {
            serde_json::Value::String(text) if text.contains('\0') => {
                return Some(if path.is_empty() { "body".to_owned() } else { path });
            }
            serde_json::Value::Array(items) => {
                pending.extend(
                    items.iter().enumerate().rev().map(|(index, item)| (format!("{path}[{index}]"), item)),
                );
            }
            serde_json::Value::Object(members) => {
                for (key, item) in members.iter().rev() {
                    let path = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    if key.contains('\0') {
                        return Some(path);
                    }
                    pending.push((path, item));
                }
            }
            _ => {}
        }
    }
    None
}

/// `Path<T>`; an unparsable id is simply a resource that does not exist.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ValidPath<T>(pub T);

/// `Query<T>` with field-level errors; a parameter holding U+0000 is refused by name.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ValidQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        if let Some((name, _)) =
            url::form_urlencoded::parse(query.as_bytes()).find(|(_, value)| value.contains('\0'))
        {
            return Err(ApiError::field(name, "must not contain the NUL character (U+0000)"));
        }
        Ok(Self(axum::extract::Query::<T>::try_from_uri(&parts.uri)?.0))
    }
}

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
