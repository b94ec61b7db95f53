//! Accounts as the rest of Kyros sees them: created and looked up with errors that say what
//! went wrong, not which HTTP status answers it.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, SqlErr};
use uuid::Uuid;

use super::{
    model::{Email, Role, User},
    store,
};
use crate::{
    clock::Clock,
    error::{ApiError, FieldError},
};

/// Why an account could not be created, found or changed.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The email or the password breaks the rules; one entry per field.
    #[error("the account details are invalid")]
    Invalid(Vec<FieldError>),
    #[error("An account with this email already exists.")]
    DuplicateEmail,
    #[error("no such user")]
    NotFound,
    /// Demoting this administrator would leave the installation without one.
    #[error("{email} is the last administrator; make another account an administrator first.")]
    LastAdmin { email: String },
    #[error(transparent)]
    Store(#[from] DbErr),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<UserError> for ApiError {
    fn from(error: UserError) -> Self {
        match error {
            UserError::Invalid(errors) => Self::Validation(errors),
            UserError::DuplicateEmail | UserError::LastAdmin { .. } => Self::Conflict(error.to_string()),
            UserError::NotFound => Self::NotFound("user"),
            UserError::Store(error) => error.into(),
            UserError::Internal(error) => Self::Internal(error),
        }
    }
}

/// Creates an account. A taken email is recognised by the table's unique constraint, so two
/// sign-ups racing for one email get one account and one [`UserError::DuplicateEmail`].
pub async fn create(
    db: &impl ConnectionTrait,
    clock: &dyn Clock,
    email: &Email,
    password_hash: String,
    role: Role,
) -> Result<User, UserError> {
    match store::insert(db, clock, email, password_hash, role).await {
        Ok(model) => Ok(model.into()),
        // The email is the only unique column besides the generated id.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(UserError::DuplicateEmail)
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &Email) -> Result<User, UserError> {
    store::find_by_email(db, email).await?.map(User::from).ok_or(UserError::NotFound)
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    Ok(store::find_by_id(db, id).await?.map(User::from))
}

/// The account with this email and its password hash, for signing in.
pub async fn find_with_password_hash(
    db: &impl ConnectionTrait,
    email: &Email,
) -> Result<Option<(User, String)>, DbErr> {
    Ok(store::find_by_email(db, email).await?.map(|model| {
        let hash = model.password_hash.clone();
        (User::from(model), hash)
    }))
}

/// The emails of the given users that still exist, by id.
pub async fn emails_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, DbErr> {
    store::emails_by_id(db, ids).await
}

/// Newest first (UUIDv7 ids), optionally only emails containing `email_part`.
pub async fn list(
    db: &impl ConnectionTrait,
    email_part: Option<&str>,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<User>, DbErr> {
    Ok(store::list(db, email_part, before, limit).await?.into_iter().map(User::from).collect())
}

/// The administrators' ids, locked until the transaction ends.
pub async fn lock_admins(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
    store::lock_admins(db).await
}

pub async fn set_role(db: &impl ConnectionTrait, id: Uuid, role: Role) -> Result<(), DbErr> {
    store::set_role(db, id, role).await
}
