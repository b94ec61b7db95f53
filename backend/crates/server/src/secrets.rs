//! Secrets at rest: the tokens of connected accounts and the OAuth client secrets Kyros holds
//! are sealed with XChaCha20-Poly1305 under a key from `KYROS_SECRET_KEY`. Every ciphertext is
//! stored beside the id of the key that sealed it, so a new key can be introduced while the
//! old one still opens what it sealed (`KYROS_SECRET_KEYS_PREVIOUS`), and `kyros secrets
//! rotate` reseals everything under the new key (RUNBOOKS.md). Each ciphertext is bound to
//! what it belongs to (associated data such as the connection's id), so a sealed token copied
//! into another row does not open there.

use std::{collections::HashMap, fmt};

use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng, Payload},
};
use secrecy::{ExposeSecret, SecretBox};

/// The length of a key, in bytes (before base64).
pub const KEY_BYTES: usize = 32;
/// A key as read from the environment: never printed, wiped from memory when dropped.
pub type Key = SecretBox<[u8; KEY_BYTES]>;
const NONCE_BYTES: usize = 24;

/// The key used when none is configured, in development only (the configuration refuses to
/// start in production without a real one). Anyone can read it here: it protects nothing.
pub const DEVELOPMENT_KEY: [u8; KEY_BYTES] = *b"kyros-development-key-not-secret";
pub const DEVELOPMENT_KEY_ID: &str = "dev";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the secret was sealed with key `{0}`, which is not configured")]
    UnknownKey(String),
    #[error("the secret does not open with its key: it was altered or belongs elsewhere")]
    Corrupt,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("must be {KEY_BYTES} random bytes in base64 (`openssl rand -base64 32`)")]
    BadKey,
    #[error("must be a comma-separated list of `id:base64-key` pairs")]
    BadList,
}

/// A ciphertext and the id of the key that sealed it, as stored in two columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    /// The nonce followed by the ciphertext and its tag.
    pub bytes: Vec<u8>,
}

/// The current key, which seals, and earlier ones, which only open.
#[derive(Clone)]
pub struct Keyring {
    current_id: String,
    keys: HashMap<String, XChaCha20Poly1305>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Keyring").field("current_id", &self.current_id).field("key_ids", &ids).finish()
    }
}

impl Keyring {
    /// A keyring sealing with `current` under `current_id`, also opening with `previous`.
    pub fn new(current_id: &str, current: &Key, previous: &[(String, Key)]) -> Self {
        let cipher = |key: &Key| XChaCha20Poly1305::new(key.expose_secret().into());
        let mut keys: HashMap<String, XChaCha20Poly1305> =
            previous.iter().map(|(id, key)| (id.clone(), cipher(key))).collect();
        keys.insert(current_id.to_owned(), cipher(current));
        Self { current_id: current_id.to_owned(), keys }
    }

    /// The development keyring (see [`DEVELOPMENT_KEY`]).
    pub fn development() -> Self {
        Self::new(DEVELOPMENT_KEY_ID, &Key::new(Box::new(DEVELOPMENT_KEY)), &[])
    }

    pub fn current_key_id(&self) -> &str {
        &self.current_id
    }

    /// Seals `plaintext` under the current key, bound to `context`.
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Sealed {
        let cipher = &self.keys[&self.current_id];
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = cipher
            .encrypt(&nonce, Payload { msg: plaintext, aad: context })
            .expect("XChaCha20-Poly1305 seals any message that fits in memory");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        Sealed { key_id: self.current_id.clone(), bytes }
    }

    /// Opens what [`Keyring::seal`] sealed with the same `context`.
    pub fn open(&self, sealed: &Sealed, context: &[u8]) -> Result<Vec<u8>, SecretError> {
        let cipher =
            self.keys.get(&sealed.key_id).ok_or_else(|| SecretError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.bytes.len() < NONCE_BYTES {
            return Err(SecretError::Corrupt);
        }
        let (nonce, ciphertext) = sealed.bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| SecretError::Corrupt)?;
        cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ciphertext, aad: context })
            .map_err(|_| SecretError::Corrupt)
    }

    /// Whether `sealed` should be sealed again under the current key.
    pub fn is_stale(&self, sealed: &Sealed) -> bool {
        sealed.key_id != self.current_id
    }
}

/// Reads a base64 key of [`KEY_BYTES`] bytes.
pub fn parse_key(value: &str) -> Result<Key, KeyError> {
    let bytes =
        SecretBox::<Vec<u8>>::new(Box::new(STANDARD.decode(value.trim()).map_err(|_| KeyError::BadKey)?));
    Key::try_init_with(|| bytes.expose_secret().as_slice().try_into().map_err(|_| KeyError::BadKey))
}

/// Reads `id:base64-key,id:base64-key`.
pub fn parse_key_list(value: &str) -> Result<Vec<(String, Key)>, KeyError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let (id, key) = entry.split_once(':').ok_or(KeyError::BadList)?;
            if id.trim().is_empty() {
                return Err(KeyError::BadList);
            }
            Ok((id.trim().to_owned(), parse_key(key)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: [u8; KEY_BYTES] = [7; KEY_BYTES];
    const NEW: [u8; KEY_BYTES] = [9; KEY_BYTES];

    fn key(bytes: [u8; KEY_BYTES]) -> Key {
        Key::new(Box::new(bytes))
    }

    fn exposed(list: &[(String, Key)]) -> Vec<(&str, [u8; KEY_BYTES])> {
        list.iter().map(|(id, key)| (id.as_str(), *key.expose_secret())).collect()
    }

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_context() {
        let keyring = Keyring::new("k2", &key(NEW), &[]);
        let sealed = keyring.seal(b"access-token", b"connection-1");
        assert_eq!(sealed.key_id, "k2");
        assert!(!sealed.bytes.windows(12).any(|w| w == b"access-token"));
        assert_eq!(keyring.open(&sealed, b"connection-1").unwrap(), b"access-token");
        assert_eq!(keyring.open(&sealed, b"connection-2"), Err(SecretError::Corrupt));
        let mut altered = sealed.clone();
        *altered.bytes.last_mut().unwrap() ^= 1;
        assert_eq!(keyring.open(&altered, b"connection-1"), Err(SecretError::Corrupt));
        let truncated = Sealed { key_id: "k2".into(), bytes: vec![1, 2, 3] };
        assert_eq!(keyring.open(&truncated, b"connection-1"), Err(SecretError::Corrupt));
    }

    #[test]
    fn a_new_key_seals_while_the_previous_one_still_opens() {
        let before = Keyring::new("k1", &key(OLD), &[]);
        let sealed = before.seal(b"token", b"ctx");
        let after = Keyring::new("k2", &key(NEW), &[("k1".into(), key(OLD))]);
        assert!(after.is_stale(&sealed));
        assert_eq!(after.open(&sealed, b"ctx").unwrap(), b"token");
        let resealed = after.seal(b"token", b"ctx");
        assert!(!after.is_stale(&resealed));
        let forgotten = Keyring::new("k2", &key(NEW), &[]);
        assert_eq!(forgotten.open(&sealed, b"ctx"), Err(SecretError::UnknownKey("k1".into())));
    }

    #[test]
    fn keys_are_read_from_base64_and_never_printed() {
        let encoded = STANDARD.encode(NEW);
        let parsed = parse_key(&encoded).unwrap();
        assert_eq!(parsed.expose_secret(), &NEW);
        assert!(!format!("{parsed:?}").contains("9, 9"), "{parsed:?}");
        assert_eq!(parse_key("c2hvcnQ=").err(), Some(KeyError::BadKey));
        let list = parse_key_list(&format!("k1:{}, k0:{encoded}", STANDARD.encode(OLD))).unwrap();
        assert_eq!(exposed(&list), [("k1", OLD), ("k0", NEW)]);
        assert_eq!(parse_key_list("no-colon").err(), Some(KeyError::BadList));
        let printed = format!("{:?}", Keyring::new("k1", &key(OLD), &[]));
        assert!(printed.contains("k1") && !printed.contains("7, 7"), "{printed}");
    }
}
