//! The one error type at the HTTP edge, rendered as RFC 9457 problem details.

use axum::{
    Json,
    extract::rejection::{JsonRejection, PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";
/// The detail of a 400 for a body sent without a JSON content type.
pub const NOT_JSON: &str = "Send the body as JSON with `Content-Type: application/json`.";

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's path in the request, e.g. `source.content`.
    pub field: String,
    pub message: String,
}

/// Messages may quote what the client sent ("unknown tone `…`"); a giant value is cut so the
/// problem document stays small.
const MAX_FIELD_MESSAGE_CHARS: usize = 500;

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut message: String = message.into();
        if let Some((cut, _)) = message.char_indices().nth(MAX_FIELD_MESSAGE_CHARS) {
            message.truncate(cut);
            message.push('…');
        }
        let mut field: String = field.into();
        if let Some((cut, _)) = field.char_indices().nth(MAX_FIELD_MESSAGE_CHARS) {
            field.truncate(cut);
        }
        Self { field, message }
    }
}

/// A check a post fails (a channel rule or a quality finding), as the engine's lint reports it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FailedCheck {
    /// The rule, e.g. `x.max_weighted_length`.
    pub rule: String,
    /// `error` (blocks accepting and scheduling) or `warning` (needs `publish_anyway`).
    pub severity: String,
    pub message: String,
}

/// An RFC 9457 problem document. `request_id` and `trace_id` are added by the middleware.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The checks a post fails, when that is why it cannot be accepted or scheduled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<FailedCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The request's trace (32 hex digits, as in `traceparent`): its spans in the tracing
    /// backend show where the request went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

/// Why a request was refused with 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// A usage quota (jobs per day, characters per month) is used up until its period ends.
    Quota,
    /// Too many requests in a short time.
    RateLimit,
}

/// A 429: rendered with `Retry-After` and, in the body, `reset_at` plus the `extra` members
/// (e.g. `quota`, `limit`, `used`).
#[derive(Debug)]
pub struct TooManyRequests {
    pub throttle: Throttle,
    pub detail: String,
    pub retry_after_seconds: u64,
    /// When the request would succeed again.
    pub reset_at: DateTime<Utc>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request is invalid")]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("authentication required: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The server's state refuses a change to one field (409, naming the field).
    #[error("conflict on `{}`: {}", .0.field, .0.message)]
    FieldConflict(FieldError),
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A post that fails its checks cannot be accepted or scheduled (422, naming `field`).
    #[error("the post fails its checks: {detail}")]
    ChecksFailed { field: &'static str, detail: String, checks: Vec<FailedCheck> },
    #[error("too many requests: {}", .0.detail)]
    TooManyRequests(TooManyRequests),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::ChecksFailed { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) | Self::FieldConflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn into_problem(self) -> Problem {
        let status = self.status();
        let mut checks = Vec::new();
        let (slug, title, detail, errors) = match self {
            Self::Validation(errors) => (
                "validation-error",
                "Your request has invalid fields",
                Some("Fix the fields listed in `errors` and try again.".to_owned()),
                errors,
            ),
            Self::ChecksFailed { field, detail, checks: failed } => {
                checks = failed;
                (
                    "checks-failed",
                    "The post does not pass its checks",
                    Some(detail.clone()),
                    vec![FieldError::new(field, detail)],
                )
            }
            Self::BadRequest(detail) => ("bad-request", "Malformed request", Some(detail), vec![]),
            Self::Unauthorized(detail) => {
                ("unauthorized", "Authentication required", Some(detail.to_owned()), vec![])
            }
            Self::Forbidden(detail) => ("forbidden", "Forbidden", Some(detail), vec![]),
            Self::NotFound(what) => ("not-found", "Not found", Some(format!("No such {what}.")), vec![]),
            Self::Conflict(detail) => ("conflict", "Conflict", Some(detail), vec![]),
            Self::FieldConflict(error) => ("conflict", "Conflict", Some(error.message.clone()), vec![error]),
            Self::PayloadTooLarge => (
                "payload-too-large",
                "Request body too large",
                Some("The request body exceeds the configured limit.".to_owned()),
                vec![],
            ),
            Self::UnsupportedMediaType(detail) => {
                ("unsupported-media-type", "Unsupported file type", Some(detail), vec![])
            }
            Self::Unavailable(detail) => ("unavailable", "Service unavailable", Some(detail), vec![]),
            Self::TooManyRequests(refusal) => match refusal.throttle {
                Throttle::Quota => ("quota-exceeded", "Quota exceeded", Some(refusal.detail), vec![]),
                Throttle::RateLimit => ("rate-limited", "Too many requests", Some(refusal.detail), vec![]),
            },
            Self::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                (
                    "internal-error",
                    "Internal server error",
                    Some("Something went wrong on our side; it has been logged.".to_owned()),
                    vec![],
                )
            }
        };
        Problem {
            problem_type: format!("https://kyros.dev/problems/{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            checks,
            request_id: None,
            trace_id: None,
        }
    }
}

impl From<crate::cpu::Crashed> for ApiError {
    fn from(error: crate::cpu::Crashed) -> Self {
        Self::Internal(anyhow::Error::from(error))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let ApiError::TooManyRequests(mut refusal) = self else {
            return problem_response(status, self.into_problem());
        };
        let retry_after = refusal.retry_after_seconds;
        let mut members = std::mem::take(&mut refusal.extra);
        members.insert("reset_at".into(), serde_json::json!(refusal.reset_at));
        let mut body =
            serde_json::to_value(ApiError::TooManyRequests(refusal).into_problem()).unwrap_or_default();
        if let Some(object) = body.as_object_mut() {
            object.extend(members);
        }
        let mut response = (status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        response
    }
}

/// Renders a problem with the right status and content type.
pub fn problem_response(status: StatusCode, problem: Problem) -> Response {
    let mut response = (status, Json(problem)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    response
}

/// A problem for a bare status (unknown route, timeout, method not allowed).
pub fn status_problem(status: StatusCode) -> Problem {
    Problem {
        problem_type: "about:blank".to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail: None,
        errors: vec![],
        checks: vec![],
        request_id: None,
        trace_id: None,
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        Self::Validation(vec![error])
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            // The constraint's text is not shown: it names tables and columns.
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("This resource already exists.".to_owned())
            }
            _ => Self::Internal(error.into()),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => {
                // serde's message names the path, e.g. "channels[0]: unknown variant `fax`".
                let message = error.body_text();
                let field = data_error_field(&message);
                Self::field(field, message)
            }
            JsonRejection::JsonSyntaxError(error) => Self::BadRequest(error.body_text()),
            JsonRejection::MissingJsonContentType(_) => Self::BadRequest(NOT_JSON.into()),
            JsonRejection::BytesRejection(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::PayloadTooLarge
            }
            other => Self::BadRequest(other.body_text()),
        }
    }
}

/// Extracts the field path from serde_path_to_error's message ("Failed to deserialize the JSON body into the target type: name: missing field ...").
fn data_error_field(message: &str) -> String {
    let detail = message.split_once("target type: ").map_or(message, |(_, rest)| rest);
    if let Some(missing) = detail.split("missing field `").nth(1) {
        let name = missing.split('`').next().unwrap_or_default();
        let prefix = detail.split_once(": missing field").map(|(path, _)| path).unwrap_or(".");
        return if prefix == "." || prefix.starts_with("missing field") {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
    }
    match detail.split_once(": ") {
        Some((path, _)) if !path.contains(' ') && path != "." => path.to_owned(),
        _ => "body".to_owned(),
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        Self::NotFound("resource")
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::field("query", rejection.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_field_is_named() {
        let message = "Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2";
        assert_eq!(data_error_field(message), "email");
        let nested = "Failed to deserialize the JSON body into the target type: source: missing field `content` at line 1 column 30";
        assert_eq!(data_error_field(nested), "source.content");
    }

    #[test]
    fn wrong_type_names_its_path() {
        let message = "Failed to deserialize the JSON body into the target type: channels[0]: unknown variant `fax`, expected one of `linkedin` at line 1 column 20";
        assert_eq!(data_error_field(message), "channels[0]");
    }

    #[test]
    fn statuses_match_the_problem_kinds() {
        assert_eq!(ApiError::field("email", "bad").status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ApiError::NotFound("job").status(), StatusCode::NOT_FOUND);
        assert_eq!(ApiError::Unauthorized("x").status(), StatusCode::UNAUTHORIZED);
        let problem = ApiError::Conflict("taken".into()).into_problem();
        assert_eq!(problem.status, 409);
        assert!(problem.problem_type.ends_with("/conflict"));
    }

    #[tokio::test]
    async fn too_many_requests_carries_retry_after_and_the_reset_in_the_body() {
        let reset_at = "2026-12-02T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let mut extra = serde_json::Map::new();
        extra.insert("quota".into(), "jobs_per_day".into());
        let response = ApiError::TooManyRequests(TooManyRequests {
            throttle: Throttle::Quota,
            detail: "used up".into(),
            retry_after_seconds: 42,
            reset_at,
            extra,
        })
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_CONTENT_TYPE);
        let bytes = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["type"], "https://kyros.dev/problems/quota-exceeded");
        assert_eq!(body["status"], 429);
        assert_eq!(body["quota"], "jobs_per_day");
        assert_eq!(body["reset_at"], "2026-12-02T00:00:00Z");
    }
}
