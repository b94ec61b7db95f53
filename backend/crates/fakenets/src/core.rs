//! What every fake network keeps: authorization codes, grants and their tokens, the posts
//! made, the counts set on them, and the failures and duplicates tests ask for.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Mutex, MutexGuard},
};

use axum::http::{HeaderMap, header::AUTHORIZATION};
use base64::{
    Engine,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use tokio::sync::oneshot;

use crate::{Failure, Metrics, Post};

/// How the client proved the code is its own (RFC 7636).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Challenge {
    S256(String),
    Plain(String),
}

impl Challenge {
    /// `method` as the authorize request spelled it; `None` for a method the network refuses.
    pub(crate) fn parse(value: &str, method: Option<&str>, plain_allowed: bool) -> Option<Self> {
        match method.unwrap_or("plain") {
            method if method.eq_ignore_ascii_case("s256") => Some(Self::S256(value.to_owned())),
            "plain" if plain_allowed => Some(Self::Plain(value.to_owned())),
            _ => None,
        }
    }

    fn accepts(&self, verifier: &str) -> bool {
        match self {
            Self::S256(challenge) => {
                URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == *challenge
            }
            Self::Plain(challenge) => verifier == challenge,
        }
    }
}

/// An authorization code, waiting to be traded once.
#[derive(Debug, Clone)]
pub(crate) struct Code {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub challenge: Option<Challenge>,
    pub expires_at: DateTime<Utc>,
}

/// Why a code could not be traded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeRefusal {
    /// Unknown, already used, or expired.
    Invalid,
    ClientMismatch,
    RedirectMismatch,
    VerifierMissing,
    VerifierMismatch,
}

/// A user's consent to one client, and the tokens it stands behind.
#[derive(Debug, Clone)]
struct Grant {
    client_id: String,
    scope: String,
    revoked: bool,
    refresh_expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
struct AccessToken {
    grant: usize,
    expires_at: Option<DateTime<Utc>>,
}

/// What a bearer token turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Bearer {
    Valid { scope: String },
    Missing,
    Unknown,
    Revoked,
    Expired,
}

impl Bearer {
    /// Whether a valid token was granted `scope` (scopes are separated by spaces, or by commas
    /// as LinkedIn writes them).
    pub(crate) fn has_scope(&self, scope: &str) -> bool {
        match self {
            Self::Valid { scope: granted } => granted.split([' ', ',']).any(|granted| granted == scope),
            _ => false,
        }
    }
}

/// The client id and secret of an `Authorization: Basic` header.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let encoded = headers.get(AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Tokens handed out by the token endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
    pub refresh_expires_in: Option<i64>,
    pub scope: String,
}

/// How a network issues tokens.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenPolicy {
    pub access_ttl: Option<Duration>,
    pub refresh_ttl: Option<Duration>,
    /// Whether a refresh replaces the refresh token (X) or keeps it (LinkedIn).
    pub rotate: bool,
}

#[derive(Debug, Default)]
struct State {
    codes: HashMap<String, Code>,
    grants: Vec<Grant>,
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, usize>,
    posts: Vec<Post>,
    metrics: HashMap<String, Metrics>,
    /// What the next calls answer with: a failure, or `None` to answer normally.
    failures: VecDeque<Option<Failure>>,
    duplicate_next: bool,
    /// Whether the answers to the next posts are held: `true` holds one, `false` lets it go.
    holds: VecDeque<bool>,
    /// What lets each held answer go.
    held_answers: Vec<oneshot::Sender<()>>,
    /// Answers held so far, released or not.
    held: usize,
    code_exchanges: usize,
    refreshes: usize,
    sequence: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Core {
    state: Mutex<State>,
}

/// A fresh opaque token or code.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Core {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not hide the state from the others.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The next number in this network's sequence of ids.
    pub(crate) fn next_sequence(&self) -> u64 {
        let mut state = self.lock();
        state.sequence += 1;
        state.sequence
    }

    pub(crate) fn create_code(&self, code: Code) -> String {
        let value = random_token();
        self.lock().codes.insert(value.clone(), code);
        value
    }

    /// Trades `code` once: it is gone after the first attempt, whatever the outcome.
    pub(crate) fn redeem(
        &self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        verifier: Option<&str>,
    ) -> Result<Code, CodeRefusal> {
        let found = self.lock().codes.remove(code).ok_or(CodeRefusal::Invalid)?;
        if found.expires_at <= Utc::now() {
            return Err(CodeRefusal::Invalid);
        }
        if found.client_id != client_id {
            return Err(CodeRefusal::ClientMismatch);
        }
        if redirect_uri != Some(found.redirect_uri.as_str()) {
            return Err(CodeRefusal::RedirectMismatch);
        }
        match (&found.challenge, verifier) {
            (None, _) => {}
            (Some(_), None) => return Err(CodeRefusal::VerifierMissing),
            (Some(challenge), Some(verifier)) if !challenge.accepts(verifier) => {
                return Err(CodeRefusal::VerifierMismatch);
            }
            (Some(_), Some(_)) => {}
        }
        self.lock().code_exchanges += 1;
        Ok(found)
    }

    /// Tokens for a new grant of `scope` to `client_id`.
    pub(crate) fn issue(
        &self,
        client_id: &str,
        scope: &str,
        policy: TokenPolicy,
        with_refresh: bool,
    ) -> Issued {
        let now = Utc::now();
        let mut state = self.lock();
        state.grants.push(Grant {
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            revoked: false,
            refresh_expires_at: policy.refresh_ttl.map(|ttl| now + ttl),
        });
        let grant = state.grants.len() - 1;
        let refresh_token = with_refresh.then(|| {
            let token = random_token();
            state.refresh.insert(token.clone(), grant);
            token
        });
        Self::new_access(&mut state, grant, policy, refresh_token, now)
    }

    fn new_access(
        state: &mut State,
        grant: usize,
        policy: TokenPolicy,
        refresh_token: Option<String>,
        now: DateTime<Utc>,
    ) -> Issued {
        let access_token = random_token();
        let expires_at = policy.access_ttl.map(|ttl| now + ttl);
        state.access.insert(access_token.clone(), AccessToken { grant, expires_at });
        let refresh_expires_in = match (&refresh_token, state.grants[grant].refresh_expires_at) {
            (Some(_), Some(at)) => Some((at - now).num_seconds()),
            _ => None,
        };
        Issued {
            access_token,
            refresh_token,
            expires_in: policy.access_ttl.map(|ttl| ttl.num_seconds()),
            refresh_expires_in,
            scope: state.grants[grant].scope.clone(),
        }
    }

    /// New tokens for the grant behind `refresh_token`, if it is live and `client_id`'s.
    pub(crate) fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
        policy: TokenPolicy,
    ) -> Option<Issued> {
        let now = Utc::now();
        let mut state = self.lock();
        let grant = *state.refresh.get(refresh_token)?;
        let live = {
            let record = &state.grants[grant];
            !record.revoked
                && record.client_id == client_id
                && record.refresh_expires_at.is_none_or(|expires_at| expires_at > now)
        };
        if !live {
            return None;
        }
        let next_refresh = if policy.rotate {
            state.refresh.remove(refresh_token);
            let token = random_token();
            state.refresh.insert(token.clone(), grant);
            token
        } else {
            refresh_token.to_owned()
        };
        state.refreshes += 1;
        Some(Self::new_access(&mut state, grant, policy, Some(next_refresh), now))
    }

    /// What the `Authorization: Bearer` header of a request holds.
    pub(crate) fn bearer(&self, headers: &HeaderMap) -> Bearer {
        let Some(token) = headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
        else {
            return Bearer::Missing;
        };
        let state = self.lock();
        let Some(access) = state.access.get(token.trim()) else {
            return Bearer::Unknown;
        };
        let grant = &state.grants[access.grant];
        if grant.revoked {
            Bearer::Revoked
        } else if access.expires_at.is_some_and(|expires_at| expires_at <= Utc::now()) {
            Bearer::Expired
        } else {
            Bearer::Valid { scope: grant.scope.clone() }
        }
    }

    /// Revokes the grant `token` (an access or a refresh token) belongs to, as when the user
    /// removes the app's access: every token of that grant stops working.
    pub(crate) fn revoke(&self, token: &str) {
        let mut state = self.lock();
        let grant =
            state.access.get(token).map(|access| access.grant).or_else(|| state.refresh.get(token).copied());
        if let Some(grant) = grant {
            state.grants[grant].revoked = true;
        }
    }

    pub(crate) fn revoke_all(&self) {
        for grant in &mut self.lock().grants {
            grant.revoked = true;
        }
    }

    pub(crate) fn fail_next(&self, count: usize, failure: Failure) {
        self.fail_after(0, count, failure);
    }

    pub(crate) fn fail_after(&self, successes: usize, count: usize, failure: Failure) {
        let mut state = self.lock();
        state.failures.extend(std::iter::repeat_n(None, successes));
        state.failures.extend(std::iter::repeat_n(Some(failure), count));
    }

    pub(crate) fn next_failure(&self) -> Option<Failure> {
        self.lock().failures.pop_front().flatten()
    }

    pub(crate) fn duplicate_next_post(&self) {
        self.lock().duplicate_next = true;
    }

    /// Whether the post being made now must be refused as a duplicate: asked for by a test, or
    /// the same text as an earlier post of `author`'s.
    pub(crate) fn is_duplicate(&self, author: &str, text: &str) -> bool {
        let mut state = self.lock();
        let asked = std::mem::take(&mut state.duplicate_next);
        asked || state.posts.iter().any(|post| post.author == author && post.text == text)
    }

    /// Answers the next `passes` posts at once, then holds the answers to the `count` posts
    /// after them (each made, none answered) until [`Core::release`].
    pub(crate) fn hold_after(&self, passes: usize, count: usize) {
        let mut state = self.lock();
        state.holds.extend(std::iter::repeat_n(false, passes));
        state.holds.extend(std::iter::repeat_n(true, count));
    }

    /// Called once a post is made, before it is answered: waits for [`Core::release`] if a
    /// test asked to hold this answer, as when the network is slow to answer a post it created.
    pub(crate) async fn hold_answer(&self) {
        let released = {
            let mut state = self.lock();
            if !state.holds.pop_front().unwrap_or(false) {
                return;
            }
            let (release, released) = oneshot::channel();
            state.held_answers.push(release);
            state.held += 1;
            released
        };
        // A caller that went away drops this wait, and its release finds no one.
        let _ = released.await;
    }

    /// Lets every held answer go.
    pub(crate) fn release(&self) {
        for release in self.lock().held_answers.drain(..) {
            let _ = release.send(());
        }
    }

    /// Answers held so far.
    pub(crate) fn held(&self) -> usize {
        self.lock().held
    }

    pub(crate) fn record_post(&self, post: Post) {
        self.lock().posts.push(post);
    }

    pub(crate) fn post(&self, id: &str) -> Option<Post> {
        self.lock().posts.iter().find(|post| post.id == id).cloned()
    }

    pub(crate) fn posts(&self) -> Vec<Post> {
        self.lock().posts.clone()
    }

    pub(crate) fn set_metrics(&self, post_id: &str, metrics: Metrics) {
        self.lock().metrics.insert(post_id.to_owned(), metrics);
    }

    /// The counts set for `post_id`, or else zero with its replies counted from the posts made.
    pub(crate) fn metrics(&self, post_id: &str) -> Metrics {
        let state = self.lock();
        state.metrics.get(post_id).copied().unwrap_or_else(|| Metrics {
            replies: state.posts.iter().filter(|post| post.reply_to.as_deref() == Some(post_id)).count()
                as u64,
            ..Metrics::default()
        })
    }

    pub(crate) fn code_exchanges(&self) -> usize {
        self.lock().code_exchanges
    }

    pub(crate) fn refreshes(&self) -> usize {
        self.lock().refreshes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: TokenPolicy =
        TokenPolicy { access_ttl: Some(Duration::hours(2)), refresh_ttl: None, rotate: true };

    fn code(challenge: Option<Challenge>) -> Code {
        Code {
            client_id: "client".into(),
            redirect_uri: "http://app/callback".into(),
            scope: "read".into(),
            challenge,
            expires_at: Utc::now() + Duration::minutes(1),
        }
    }

    #[test]
    fn a_code_is_traded_once_with_its_verifier() {
        let core = Core::default();
        // RFC 7636 appendix B.
        let challenge = Challenge::S256("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into());
        let value = core.create_code(code(Some(challenge.clone())));
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // pragma: allowlist secret
        assert!(core.redeem(&value, "client", Some("http://app/callback"), Some(verifier)).is_ok());
        assert_eq!(
            core.redeem(&value, "client", Some("http://app/callback"), Some(verifier)).unwrap_err(),
            CodeRefusal::Invalid
        );
        let value = core.create_code(code(Some(challenge)));
        assert_eq!(
            core.redeem(&value, "client", Some("http://app/callback"), Some("wrong")).unwrap_err(),
            CodeRefusal::VerifierMismatch
        );
        let value = core.create_code(code(None));
        assert_eq!(
            core.redeem(&value, "client", Some("http://elsewhere"), None).unwrap_err(),
            CodeRefusal::RedirectMismatch
        );
        assert_eq!(core.code_exchanges(), 1);
    }

    #[test]
    fn a_rotated_refresh_token_stops_working() {
        let core = Core::default();
        let first = core.issue("client", "read", POLICY, true);
        let old = first.refresh_token.unwrap();
        let second = core.refresh(&old, "client", POLICY).unwrap();
        assert_ne!(second.refresh_token.as_deref(), Some(old.as_str()));
        assert!(core.refresh(&old, "client", POLICY).is_none());
        assert!(core.refresh(second.refresh_token.as_deref().unwrap(), "other", POLICY).is_none());
    }

    #[test]
    fn revoking_a_token_revokes_its_grant() {
        let core = Core::default();
        let issued = core.issue("client", "read", POLICY, true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, format!("Bearer {}", issued.access_token).parse().unwrap());
        assert_eq!(core.bearer(&headers), Bearer::Valid { scope: "read".into() });
        core.revoke(issued.refresh_token.as_deref().unwrap());
        assert_eq!(core.bearer(&headers), Bearer::Revoked);
        assert!(core.refresh(issued.refresh_token.as_deref().unwrap(), "client", POLICY).is_none());
        assert_eq!(core.bearer(&HeaderMap::new()), Bearer::Missing);
    }
}
