//! Access tokens (HS256 JWT) and opaque refresh tokens.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{token_keys::TokenKeys, users::model::Role};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

/// An access token for `user_id` acting as `role`, valid from `now` for the keys' TTL.
pub fn issue_access(
    keys: &TokenKeys,
    user_id: Uuid,
    role: Role,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let claims = Claims {
        sub: user_id,
        role,
        iss: keys.issuer().to_owned(),
        iat: now.timestamp(),
        exp: now.timestamp() + keys.access_ttl.as_secs() as i64,
    };
    Ok(keys.sign(&claims)?)
}

/// The claims of an access token `keys` signed and that has not expired.
pub fn verify_access(keys: &TokenKeys, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
    keys.verify(token)
}

/// A new random opaque token (256 bits, URL-safe): refresh tokens, calendar-feed tokens.
pub fn new_opaque_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores in place of an opaque token.
pub fn hash_opaque_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new("test-secret-test-secret-test-secret", "kyros", Duration::from_secs(60))
    }

    #[test]
    fn a_fresh_token_verifies() {
        let id = Uuid::now_v7();
        let token = issue_access(&keys(), id, Role::User, Utc::now()).unwrap();
        let claims = verify_access(&keys(), &token).unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, Role::User);
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let id = Uuid::now_v7();
        let old = issue_access(&keys(), id, Role::User, Utc::now() - chrono::Duration::minutes(5)).unwrap();
        assert!(verify_access(&keys(), &old).is_err());
        let other = TokenKeys::new("another-secret-another-secret-xx", "kyros", Duration::from_secs(60));
        let forged = issue_access(&other, id, Role::Admin, Utc::now()).unwrap();
        assert!(verify_access(&keys(), &forged).is_err());
        let wrong_issuer =
            TokenKeys::new("test-secret-test-secret-test-secret", "elsewhere", Duration::from_secs(60));
        let token = issue_access(&wrong_issuer, id, Role::User, Utc::now()).unwrap();
        assert!(verify_access(&keys(), &token).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let a = new_opaque_token();
        let b = new_opaque_token();
        assert_ne!(a, b);
        assert_eq!(hash_opaque_token(&a).len(), 64);
        assert_eq!(hash_opaque_token(&a), hash_opaque_token(&a));
    }
}
