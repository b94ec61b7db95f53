//! Registration, login, refresh-token rotation with reuse detection, logout.

use std::net::IpAddr;

use chrono::Duration as ChronoDuration;
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::{
    model::{Credentials, TokenPair},
    store::{self, NewRefreshToken},
    tokens::{self, hash_opaque_token, new_opaque_token},
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    clock::Clock,
    error::{ApiError, FieldError},
    password,
    state::AppState,
    users::{
        self,
        model::{Email, Role, User},
        service::UserError,
    },
};

const INVALID_CREDENTIALS: &str = "The email or password is incorrect.";
const INVALID_REFRESH: &str = "The refresh token is invalid, expired or already used; sign in again.";

/// Parses credentials, reporting every bad field at once.
fn parse_credentials(credentials: &Credentials) -> Result<Email, UserError> {
    let mut errors = Vec::new();
    let email = Email::parse(&credentials.email)
        .map_err(|message| errors.push(FieldError::new("email", message)))
        .ok();
    if let Err(message) = password::check_strength(&credentials.password) {
        errors.push(FieldError::new("password", message));
    }
    match email {
        Some(email) if errors.is_empty() => Ok(email),
        _ => Err(UserError::Invalid(errors)),
    }
}

pub async fn register(state: &AppState, credentials: Credentials) -> Result<User, UserError> {
    create_account(&state.db, state.clock.as_ref(), credentials, Role::User).await
}

/// Creates an account with `role`: the one path behind sign-up and `kyros admin create-user`,
/// so both apply the same email and password rules.
pub async fn create_account(
    db: &impl ConnectionTrait,
    clock: &dyn Clock,
    credentials: Credentials,
    role: Role,
) -> Result<User, UserError> {
    let email = parse_credentials(&credentials)?;
    let hash = password::hash(credentials.password).await?;
    users::service::create(db, clock, &email, hash, role).await
}

/// Signs in, recording the attempt (email and address, never the password) either way.
pub async fn login(
    state: &AppState,
    credentials: Credentials,
    ip: Option<IpAddr>,
) -> Result<TokenPair, ApiError> {
    let user = match Email::parse(&credentials.email) {
        Ok(email) => users::service::find_with_password_hash(&state.db, &email).await?,
        Err(_) => None,
    };
    // Unknown emails still pay for one hash check, so timing does not reveal accounts.
    let stored_hash =
        user.as_ref().map_or_else(|| state.dummy_password_hash.clone(), |(_, hash)| hash.clone());
    let matches = password::verify(credentials.password, stored_hash).await?;
    match user {
        Some((user, _)) if matches => {
            let event = AuditEvent::new(AuditKind::LoginSucceeded)
                .actor(user.id)
                .subject("user", user.id)
                .payload(json!({ "email": user.email, "ip": ip }));
            issue_pair(state, user.id, user.role, Uuid::now_v7(), Some(event)).await
        }
        user => {
            // What was typed, bounded: the field is attacker-controlled.
            let attempted: String =
                credentials.email.trim().chars().take(320).collect::<String>().to_lowercase();
            let reason = if user.is_some() { "wrong_password" } else { "unknown_email" };
            let mut event = AuditEvent::new(AuditKind::LoginFailed)
                .payload(json!({ "email": attempted, "ip": ip, "reason": reason }));
            if let Some((user, _)) = user {
                event = event.subject("user", user.id);
            }
            audit::record_or_log(&state.db, state.clock.now(), event).await;
            Err(ApiError::Unauthorized(INVALID_CREDENTIALS))
        }
    }
}

/// Rotates a refresh token. Presenting a spent token after `REFRESH_REUSE_GRACE_SECONDS`
/// revokes its whole family: whoever holds the copy (thief or owner) must sign in again.
pub async fn refresh(
    state: &AppState,
    refresh_token: &str,
    ip: Option<IpAddr>,
) -> Result<TokenPair, ApiError> {
    let now = state.clock.now();
    let stored = store::find_by_hash(&state.db, &hash_opaque_token(refresh_token))
        .await?
        .ok_or(ApiError::Unauthorized(INVALID_REFRESH))?;
    if stored.revoked_at.is_some() || stored.expires_at <= now {
        return Err(ApiError::Unauthorized(INVALID_REFRESH));
    }
    if !store::mark_used(&state.db, stored.id, now).await? {
        // Rotated a moment ago: an honest race (a reload while the rotation's answer was on its
        // way, two tabs at once) gets a new pair of the same family. Later, it is a replay.
        let used_at =
            store::find_by_hash(&state.db, &stored.token_hash).await?.and_then(|token| token.used_at);
        let grace = ChronoDuration::from_std(state.config.refresh_reuse_grace).unwrap_or_default();
        if used_at.is_none_or(|used_at| now - used_at > grace) {
            revoke_replayed_family(state, &stored, ip, now).await?;
            return Err(ApiError::Unauthorized(INVALID_REFRESH));
        }
    }
    let user = users::service::find_by_id(&state.db, stored.user_id)
        .await?
        .ok_or(ApiError::Unauthorized(INVALID_REFRESH))?;
    issue_pair(state, user.id, user.role, stored.family_id, None).await
}

/// A refresh token presented again after its grace window: a replay of a stolen token, or a
/// client gone wrong. The whole family is revoked and the event audited.
async fn revoke_replayed_family(
    state: &AppState,
    stored: &super::entity::Model,
    ip: Option<IpAddr>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    tracing::warn!(user_id = %stored.user_id, family_id = %stored.family_id, "refresh token reuse detected; revoking the family");
    store::revoke_family(&state.db, stored.family_id, now).await?;
    let event = AuditEvent::new(AuditKind::RefreshTokenReused)
        .subject("user", stored.user_id)
        .payload(json!({ "family_id": stored.family_id, "ip": ip }));
    audit::record_or_log(&state.db, now, event).await;
    Ok(())
}

/// Revokes the family of the given refresh token; unknown tokens are ignored.
pub async fn logout(state: &AppState, refresh_token: &str) -> Result<(), ApiError> {
    if let Some(stored) = store::find_by_hash(&state.db, &hash_opaque_token(refresh_token)).await? {
        store::revoke_family(&state.db, stored.family_id, state.clock.now()).await?;
    }
    Ok(())
}

/// Issues a token pair; `event` (a sign-in) is recorded in the same transaction as the
/// refresh token it creates.
async fn issue_pair(
    state: &AppState,
    user_id: Uuid,
    role: Role,
    family_id: Uuid,
    event: Option<AuditEvent>,
) -> Result<TokenPair, ApiError> {
    let now = state.clock.now();
    let access_token = tokens::issue_access(&state.tokens, user_id, role, now)?;
    let refresh_token = new_opaque_token();
    let token_hash = hash_opaque_token(&refresh_token);
    let ttl = ChronoDuration::from_std(state.config.refresh_token_ttl).unwrap_or(ChronoDuration::days(30));
    let txn = crate::db::begin_write(&state.db).await?;
    store::insert(
        &txn,
        NewRefreshToken { user_id, family_id, token_hash: &token_hash, expires_at: now + ttl, now },
    )
    .await?;
    if let Some(event) = event {
        audit::record(&txn, now, event).await?;
    }
    txn.commit().await?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        token_type: "Bearer".to_owned(),
        expires_in: state.tokens.access_ttl.as_secs(),
    })
}
