use std::fmt;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::redacted::Redacted;

#[derive(Deserialize, ToSchema)]
pub struct Credentials {
    #[schema(example = "ada@example.com")]
    pub email: String,
    /// At least 8 characters.
    #[schema(example = "correct horse battery")]
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("email", &self.email).field("password", &Redacted).finish()
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    #[schema(value_type = String)]
    pub refresh_token: SecretString,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_token", &Redacted)
            .field("refresh_token", &Redacted)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_password() {
        let credentials = Credentials {
            email: "ada@example.com".into(),
            password: "hunter2-hunter2".into(), // pragma: allowlist secret
        };
        let printed = format!("{credentials:?}");
        assert!(printed.contains("ada@example.com"), "{printed}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }

    #[test]
    fn debug_hides_the_refresh_token() {
        let request = RefreshRequest { refresh_token: "rt-1234".into() }; // pragma: allowlist secret
        let printed = format!("{request:?}");
        assert!(!printed.contains("rt-1234"), "{printed}");
    }

    #[test]
    fn debug_hides_both_tokens() {
        let pair = TokenPair {
            access_token: "at-1234".into(),  // pragma: allowlist secret
            refresh_token: "rt-5678".into(), // pragma: allowlist secret
            token_type: "Bearer".into(),
            expires_in: 900,
        };
        let printed = format!("{pair:?}");
        assert!(!printed.contains("at-1234") && !printed.contains("rt-5678"), "{printed}");
        assert!(printed.contains("Bearer"), "{printed}");
    }
}
