//! Argon2id password hashing, run off the async executor in the bounded password pool: each
//! hash holds a 19 MiB block, so a burst of logins queues instead of holding hundreds at once.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks the length rules; returns the message to show at the field.
pub fn check_strength(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    Ok(())
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    crate::cpu::PASSWORDS
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
        })
        .await?
}

/// Verifies a password; an unparsable stored hash counts as a mismatch.
pub async fn verify(password: String, stored_hash: String) -> anyhow::Result<bool> {
    crate::cpu::PASSWORDS
        .run(move || {
            PasswordHash::new(&stored_hash)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .map_err(anyhow::Error::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let stored = hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse".into(), stored.clone()).await.unwrap());
        assert!(!verify("wrong horse".into(), stored).await.unwrap());
        assert!(!verify("anything".into(), "not-a-hash".into()).await.unwrap());
    }

    #[test]
    fn strength_counts_characters_not_bytes() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("éééééééé").is_ok());
        assert!(check_strength(&"x".repeat(257)).is_err());
    }
}
