//! The Bluesky client: signs in with an app password, publishes posts and threads with their
//! links, hashtags and mentions, and reads back how they are doing.
//!
//! Every call goes to the account's own PDS, found from its handle through the PLC directory. Errors
//! say what to do next ([`BlueskyError`]): connect the account again, refresh the session,
//! wait for the rate limit, retry later, or give up.
//!
//! A thread is published one part at a time so the caller can store each part's reference
//! before the next is sent, and resume after a crash without posting a part twice:
//!
//! ```ignore
//! let mut published = stored_parts; // the references saved by earlier attempts
//! while let Some(part) = client.post_next_thread_part(&session, &parts, &langs, &published).await? {
//!     store_part(published.len(), &part).await?;
//!     published.push(part);
//! }
//! ```

mod error;
pub mod facets;
mod identity;
mod records;
mod xrpc;

use std::{collections::HashMap, fmt, sync::Arc, time::Duration};

use base64::Engine;
use hickory_resolver::TokioResolver;
use ipnet::IpNet;
use serde::{Deserialize, Serialize, de::IgnoredAny};
use url::Url;

pub use self::{
    error::BlueskyError,
    identity::{Did, Handle},
    records::{AtUri, POST_COLLECTION, PostCounts, PostRef, ReplyRef, public_url, tid},
};
use self::{
    error::CallKind,
    facets::{Facet, FacetTarget, Feature},
    identity::{DidDocument, Identity},
    records::{PostRecord, PostViews},
    xrpc::{Call, Xrpc},
};
use crate::clock::Clock;

/// `app.bsky.feed.getPosts` takes at most 25 URIs per call.
const MAX_URIS_PER_GET_POSTS: usize = 25;

/// Where the client finds Bluesky's shared services. The defaults are the public network's.
#[derive(Debug, Clone)]
pub struct BlueskyConfig {
    /// The PLC directory that serves `did:plc` documents.
    pub plc_url: Url,
    /// Resolves the handles that DNS and HTTPS do not, and signs in accounts named by email.
    pub entryway_url: Url,
    /// The AppView that counts likes, reposts, replies and quotes (read without credentials).
    pub appview_url: Url,
    /// The longest one request may take.
    pub timeout: Duration,
    /// Private networks the client may reach anyway; empty in production.
    pub allowlist: Vec<IpNet>,
}

impl Default for BlueskyConfig {
    fn default() -> Self {
        let url = |value: &str| Url::parse(value).expect("a valid built-in URL");
        Self {
            plc_url: url("https://plc.directory"),
            entryway_url: url("https://bsky.social"),
            appview_url: url("https://public.api.bsky.app"),
            timeout: Duration::from_secs(15),
            allowlist: Vec::new(),
        }
    }
}

/// A signed-in account. The tokens are secrets: store them encrypted; `Debug` hides them.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub did: String,
    pub handle: String,
    /// Short-lived; sent with every call until it expires ([`BlueskyError::SessionExpired`]).
    pub access_jwt: String,
    /// Long-lived; exchanged for a new pair by [`BlueskyClient::refresh_session`].
    pub refresh_jwt: String,
    /// The account's PDS, where every call of this session goes.
    pub pds_url: Url,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("did", &self.did)
            .field("handle", &self.handle)
            .field("access_jwt", &"[REDACTED]")
            .field("refresh_jwt", &"[REDACTED]")
            .field("pds_url", &self.pds_url.as_str())
            .finish()
    }
}

/// `createSession` and `refreshSession` answer with the same shape. No `Debug`: it holds tokens.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionOutput {
    did: String,
    handle: String,
    access_jwt: String,
    refresh_jwt: String,
    #[serde(default)]
    did_doc: Option<serde_json::Value>,
}

impl SessionOutput {
    /// The session, on the PDS its DID document names when the answer carries one.
    fn into_session(self, service: &Url) -> Session {
        let pds_url = self
            .did_doc
            .and_then(|document| serde_json::from_value::<DidDocument>(document).ok())
            .and_then(|document| document.pds_url())
            .unwrap_or_else(|| service.clone());
        Session {
            did: self.did,
            handle: self.handle,
            access_jwt: self.access_jwt,
            refresh_jwt: self.refresh_jwt,
            pds_url,
        }
    }
}

#[derive(Serialize)]
struct CreateSessionInput<'a> {
    identifier: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct CreateRecordInput<'a> {
    repo: &'a str,
    collection: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rkey: Option<&'a str>,
    record: PostRecord<'a>,
}

/// An account's name and picture as Bluesky's app shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub display_name: Option<String>,
    /// An `https://` address on Bluesky's image CDN.
    pub avatar_url: Option<String>,
}

/// The fields of `app.bsky.actor.defs#profileViewDetailed` Kyros reads.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfileView {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
}

/// `com.atproto.repo.getRecord`'s answer: the record's address and content hash.
#[derive(Deserialize)]
struct ExistingRecord {
    uri: String,
    #[serde(default)]
    cid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct BlueskyClient {
    xrpc: Xrpc,
    identity: Identity,
    appview_url: Url,
    clock: Arc<dyn Clock>,
}

impl BlueskyClient {
    /// A client for the network `config` describes; posts are dated by `clock`.
    pub fn new(config: BlueskyConfig, clock: Arc<dyn Clock>) -> Result<Self, BlueskyError> {
        let xrpc = Xrpc::new(config.timeout, &config.allowlist)?;
        // Without a system resolver configuration, handles are resolved over HTTPS only.
        let dns = TokioResolver::builder_tokio().and_then(|builder| builder.build()).ok();
        let identity = Identity { plc_url: config.plc_url, entryway_url: config.entryway_url, dns };
        Ok(Self { xrpc, identity, appview_url: config.appview_url, clock })
    }

    /// The DID `handle` belongs to.
    #[tracing::instrument(skip_all, fields(%handle))]
    pub async fn resolve_handle(&self, handle: &Handle) -> Result<Did, BlueskyError> {
        self.identity.resolve_handle(&self.xrpc, handle).await
    }

    /// The PDS that hosts `did`'s repository, from its DID document.
    #[tracing::instrument(skip_all, fields(%did))]
    pub async fn resolve_pds(&self, did: &Did) -> Result<Url, BlueskyError> {
        self.identity.pds_url(&self.xrpc, did).await
    }

    /// Signs in on the account's PDS. `identifier` is a handle, a DID or an email address (sent
    /// to the entryway); the main password is refused so that only app passwords are kept.
    #[tracing::instrument(skip_all)]
    pub async fn create_session(
        &self,
        identifier: &str,
        app_password: &str,
    ) -> Result<Session, BlueskyError> {
        let identifier = identifier.trim().trim_start_matches('@');
        let service = if identifier.starts_with("did:") {
            self.resolve_pds(&identifier.parse()?).await?
        } else if identifier.contains('@') {
            self.identity.entryway_url.clone()
        } else {
            let did = self.resolve_handle(&identifier.parse()?).await?;
            self.resolve_pds(&did).await?
        };
        let call = Call {
            service: &service,
            nsid: "com.atproto.server.createSession",
            kind: CallKind::SignIn,
            token: None,
        };
        let input = CreateSessionInput { identifier, password: app_password };
        let output: SessionOutput = self.xrpc.procedure(call, Some(&input)).await?;
        let session = output.into_session(&service);
        if token_scope(&session.access_jwt).as_deref() == Some("com.atproto.access") {
            self.delete_session(&session).await;
            return Err(BlueskyError::NotAnAppPassword);
        }
        tracing::info!(did = %session.did, pds = %session.pds_url, "signed in to Bluesky");
        Ok(session)
    }

    /// A new pair of tokens for `session`; its refresh token is spent.
    #[tracing::instrument(skip_all, fields(did = %session.did))]
    pub async fn refresh_session(&self, session: &Session) -> Result<Session, BlueskyError> {
        let call = Call {
            service: &session.pds_url,
            nsid: "com.atproto.server.refreshSession",
            kind: CallKind::Refresh,
            token: Some(&session.refresh_jwt),
        };
        let output: SessionOutput = self.xrpc.procedure(call, None::<&()>).await?;
        Ok(output.into_session(&session.pds_url))
    }

    /// Publishes one post, as a reply when `reply` is given. `langs` are BCP 47 tags (`en`).
    #[tracing::instrument(skip_all, fields(did = %session.did, reply = reply.is_some()))]
    pub async fn post(
        &self,
        session: &Session,
        text: &str,
        reply: Option<&ReplyRef>,
        langs: &[String],
    ) -> Result<PostRef, BlueskyError> {
        self.create_post(session, text, reply, langs, None).await
    }

    /// Publishes one post under the record key `rkey` (a [`tid`]), exactly once: when an
    /// earlier attempt with the same key may have created it (the answer was lost, or the
    /// caller crashed before storing it), the PDS refuses a second record under that key and
    /// the existing one is read back and returned instead.
    #[tracing::instrument(skip_all, fields(did = %session.did, rkey, reply = reply.is_some()))]
    pub async fn post_once(
        &self,
        session: &Session,
        text: &str,
        reply: Option<&ReplyRef>,
        rkey: &str,
    ) -> Result<PostRef, BlueskyError> {
        match self.create_post(session, text, reply, &[], Some(rkey)).await {
            Ok(created) => Ok(created),
            // The reference PDS answers a taken key with a 500, others with a 400: whatever the
            // refusal, a record already under the key is the one to keep.
            Err(error @ (BlueskyError::Transient(_) | BlueskyError::Permanent { .. })) => {
                match self.existing_post(session, rkey).await {
                    Ok(Some(existing)) => {
                        tracing::info!(uri = %existing.uri, "the post was already published; keeping it");
                        Ok(existing)
                    }
                    _ => Err(error),
                }
            }
            Err(error) => Err(error),
        }
    }

    async fn create_post(
        &self,
        session: &Session,
        text: &str,
        reply: Option<&ReplyRef>,
        langs: &[String],
        rkey: Option<&str>,
    ) -> Result<PostRef, BlueskyError> {
        let facets = self.facets(text).await;
        let input = CreateRecordInput {
            repo: &session.did,
            collection: POST_COLLECTION,
            rkey,
            record: PostRecord::new(text, self.clock.now(), facets, reply, langs),
        };
        let call = Call {
            service: &session.pds_url,
            nsid: "com.atproto.repo.createRecord",
            kind: CallKind::Authenticated,
            token: Some(&session.access_jwt),
        };
        let created: PostRef = self.xrpc.procedure(call, Some(&input)).await?;
        tracing::info!(uri = %created.uri, "published to Bluesky");
        Ok(created)
    }

    /// The account's post under `rkey`, if there is one (`com.atproto.repo.getRecord`).
    async fn existing_post(&self, session: &Session, rkey: &str) -> Result<Option<PostRef>, BlueskyError> {
        let call = Call {
            service: &session.pds_url,
            nsid: "com.atproto.repo.getRecord",
            kind: CallKind::Authenticated,
            token: Some(&session.access_jwt),
        };
        let params = [("repo", session.did.as_str()), ("collection", POST_COLLECTION), ("rkey", rkey)];
        match self.xrpc.query::<ExistingRecord>(call, &params).await {
            Ok(ExistingRecord { uri, cid: Some(cid) }) => Ok(Some(PostRef { uri, cid })),
            Ok(_) => Ok(None),
            Err(BlueskyError::Permanent { code, .. }) if code == "RecordNotFound" => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Publishes the first part of `parts` not yet in `published` (the references of the parts
    /// already out, in order) as a reply to the previous one, under the first; `None` once
    /// every part is out. Store the returned reference before asking for the next part.
    pub async fn post_next_thread_part(
        &self,
        session: &Session,
        parts: &[String],
        langs: &[String],
        published: &[PostRef],
    ) -> Result<Option<PostRef>, BlueskyError> {
        let Some(text) = parts.get(published.len()) else { return Ok(None) };
        let reply = match (published.first(), published.last()) {
            (Some(root), Some(parent)) => Some(ReplyRef { root: root.clone(), parent: parent.clone() }),
            _ => None,
        };
        self.post(session, text, reply.as_ref(), langs).await.map(Some)
    }

    /// The account's public face from the AppView (`app.bsky.actor.getProfile`, read without
    /// credentials): its display name and the address of its avatar, when it has them.
    #[tracing::instrument(skip_all, fields(%did))]
    pub async fn profile(&self, did: &str) -> Result<Profile, BlueskyError> {
        let call = Call {
            service: &self.appview_url,
            nsid: "app.bsky.actor.getProfile",
            kind: CallKind::Public,
            token: None,
        };
        let view: ProfileView = self.xrpc.query(call, &[("actor", did)]).await?;
        let display_name =
            view.display_name.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
        let avatar_url = view.avatar.filter(|url| url.starts_with("https://"));
        Ok(Profile { display_name, avatar_url })
    }

    /// Likes, reposts, replies and quotes of each post the AppView knows (deleted ones are
    /// left out), in calls of at most 25 posts.
    #[tracing::instrument(skip_all, fields(posts = uris.len()))]
    pub async fn post_counts(&self, uris: &[String]) -> Result<Vec<PostCounts>, BlueskyError> {
        let mut counts = Vec::with_capacity(uris.len());
        for chunk in uris.chunks(MAX_URIS_PER_GET_POSTS) {
            let call = Call {
                service: &self.appview_url,
                nsid: "app.bsky.feed.getPosts",
                kind: CallKind::Public,
                token: None,
            };
            let params: Vec<(&str, &str)> = chunk.iter().map(|uri| ("uris", uri.as_str())).collect();
            let views: PostViews = self.xrpc.query(call, &params).await?;
            counts.extend(views.posts.into_iter().map(PostCounts::from));
        }
        Ok(counts)
    }

    /// The facets of `text`, each mention resolved to its DID; a mention of a handle that does
    /// not resolve is left as plain text rather than failing the post.
    async fn facets(&self, text: &str) -> Vec<Facet> {
        let detected = facets::detect(text);
        let mut dids: HashMap<&Handle, Option<String>> = HashMap::new();
        for facet in &detected {
            if let FacetTarget::Mention(handle) = &facet.target
                && !dids.contains_key(handle)
            {
                let did = match self.resolve_handle(handle).await {
                    Ok(did) => Some(did.as_string()),
                    Err(error) => {
                        tracing::debug!(%handle, %error, "mention left as text");
                        None
                    }
                };
                dids.insert(handle, did);
            }
        }
        detected
            .iter()
            .filter_map(|facet| {
                let feature = match &facet.target {
                    FacetTarget::Link(uri) => Feature::Link { uri: uri.clone() },
                    FacetTarget::Tag(tag) => Feature::Tag { tag: tag.clone() },
                    FacetTarget::Mention(handle) => Feature::Mention { did: dids.get(handle)?.clone()? },
                };
                Some(Facet::new(facet, feature))
            })
            .collect()
    }

    /// Ends a session we will not keep; a failure only leaves it to expire.
    async fn delete_session(&self, session: &Session) {
        let call = Call {
            service: &session.pds_url,
            nsid: "com.atproto.server.deleteSession",
            kind: CallKind::Refresh,
            token: Some(&session.refresh_jwt),
        };
        if let Err(error) = self.xrpc.procedure::<IgnoredAny>(call, None::<&()>).await {
            tracing::warn!(%error, "could not end a session signed in with a main password");
        }
    }
}

/// The `scope` claim of a JWT, read without checking its signature: the PDS that issued it
/// checks it; we only ask which kind of password signed in.
fn token_scope(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("scope")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsigned_token(claims: serde_json::Value) -> String {
        let encode = |value: &serde_json::Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
        };
        format!("{}.{}.signature", encode(&serde_json::json!({ "alg": "ES256K" })), encode(&claims))
    }

    #[test]
    fn the_scope_tells_an_app_password_from_the_main_password() {
        let app = unsigned_token(serde_json::json!({ "scope": "com.atproto.appPass", "sub": "did:plc:x" }));
        assert_eq!(token_scope(&app).as_deref(), Some("com.atproto.appPass"));
        let main = unsigned_token(serde_json::json!({ "scope": "com.atproto.access" }));
        assert_eq!(token_scope(&main).as_deref(), Some("com.atproto.access"));
        assert_eq!(token_scope("opaque-token"), None);
        assert_eq!(token_scope("a.!!!.c"), None);
    }

    #[test]
    fn a_sessions_debug_output_hides_its_tokens() {
        let session = Session {
            did: "did:plc:t3fqpi2daskqncayg5c4brfy".into(),
            handle: "alice.test".into(),
            access_jwt: "access-token-value".into(),
            refresh_jwt: "refresh-token-value".into(),
            pds_url: Url::parse("http://localhost:2583").unwrap(),
        };
        let printed = format!("{session:?}");
        assert!(
            !printed.contains("access-token-value") && !printed.contains("refresh-token-value"),
            "{printed}"
        );
        assert!(printed.contains("alice.test") && printed.contains("[REDACTED]"), "{printed}");
    }

    #[test]
    fn the_session_is_on_the_pds_its_did_document_names() {
        let output = |did_doc: Option<serde_json::Value>| SessionOutput {
            did: "did:plc:t3fqpi2daskqncayg5c4brfy".into(),
            handle: "alice.test".into(),
            access_jwt: "a".into(),
            refresh_jwt: "r".into(),
            did_doc,
        };
        let entryway = Url::parse("https://bsky.social").unwrap();
        let document = serde_json::json!({
            "id": "did:plc:t3fqpi2daskqncayg5c4brfy",
            "service": [{ "id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                          "serviceEndpoint": "https://morel.us-east.host.bsky.network" }]
        });
        assert_eq!(
            output(Some(document)).into_session(&entryway).pds_url.as_str(),
            "https://morel.us-east.host.bsky.network/"
        );
        assert_eq!(output(None).into_session(&entryway).pds_url, entryway);
    }
}
