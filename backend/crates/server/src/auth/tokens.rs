//! Access tokens (HS256 JWT) and opaque refresh tokens.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::users::model::Role;

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and verifies access tokens with one HS256 key.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    pub access_ttl: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl TokenKeys {
    pub fn new(secret: &str, issuer: &str, access_ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            issuer: issuer.to_owned(),
            access_ttl,
        }
    }

    pub fn issue_access(&self, user_id: Uuid, role: Role, now: DateTime<Utc>) -> anyhow::Result<String> {
        let claims = Claims {
            sub: user_id,
            role,
            iss: self.issuer.clone(),
            iat: now.timestamp(),
            exp: now.timestamp() + self.access_ttl.as_secs() as i64,
        };
        Ok(encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?)
    }

    /// Accepts only HS256 tokens from our issuer that have not expired (no leeway).
    pub fn verify_access(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 0;
        decode::<Claims>(token, &self.decoding, &validation).map(|data| data.claims)
    }
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
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new("test-secret-test-secret-test-secret", "kyros", Duration::from_secs(60))
    }

    #[test]
    fn a_fresh_token_verifies() {
        let id = Uuid::now_v7();
        let token = keys().issue_access(id, Role::User, Utc::now()).unwrap();
        let claims = keys().verify_access(&token).unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.role, Role::User);
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let id = Uuid::now_v7();
        let old = keys().issue_access(id, Role::User, Utc::now() - chrono::Duration::minutes(5)).unwrap();
        assert!(keys().verify_access(&old).is_err());
        let other = TokenKeys::new("another-secret-another-secret-xx", "kyros", Duration::from_secs(60));
        let forged = other.issue_access(id, Role::Admin, Utc::now()).unwrap();
        assert!(keys().verify_access(&forged).is_err());
        let wrong_issuer =
            TokenKeys::new("test-secret-test-secret-test-secret", "elsewhere", Duration::from_secs(60));
        let token = wrong_issuer.issue_access(id, Role::User, Utc::now()).unwrap();
        assert!(keys().verify_access(&token).is_err());
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
