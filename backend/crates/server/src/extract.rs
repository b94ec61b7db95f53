//! Extractors whose rejections are problem+json instead of axum's plain text.

use axum::extract::{FromRequest, FromRequestParts};

use crate::error::ApiError;

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
