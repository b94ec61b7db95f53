//! Acting for a connected account: opening its sealed credentials, refreshing them when the
//! network allows, publishing one part of a post or thread, reading a published post's
//! counts and the account's public face, and turning a network's refusal into what the
//! scheduler does next (retry, wait for a rate limit, or ask the user to reconnect the
//! account).

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use url::Url;
use uuid::Uuid;

use super::{
    entity::connection,
    networks::{ClientError, Networks},
    service::{self, ConnectedAccount, ConnectedAccountError},
};
use crate::connectors::{
    PublishError,
    bluesky::{self, BlueskyClient, BlueskyError, ReplyRef, Session},
    linkedin::{self, LinkedinClient},
    mastodon::MastodonClient,
    network::{Account, Counts, Credentials, Face, Network, NetworkError, PartRef},
    x::XClient,
};

/// Refresh a token this close to its expiry before using it.
const REFRESH_BEFORE_EXPIRY_MINUTES: i64 = 5;

/// Names one part of one occurrence's publication, the same on every attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartKey {
    pub run_id: Uuid,
    pub occurrence_at: DateTime<Utc>,
    /// The part's place in the thread, from 0.
    pub index: usize,
    /// Sent where a network takes an idempotency key (Mastodon).
    pub idempotency_key: String,
    /// An earlier attempt sent this part and its outcome is unknown: where the network takes
    /// no idempotency key (X, LinkedIn), look for the post before posting it again.
    pub outcome_unknown: bool,
}

impl PartKey {
    /// The part's Bluesky record key: a TID of the occurrence's time plus the part's index in
    /// microseconds (so a thread's parts sort in order), with a clock identifier from the run.
    pub fn record_key(&self) -> String {
        let micros = u64::try_from(self.occurrence_at.timestamp_micros()).unwrap_or_default();
        let index = u64::try_from(self.index).unwrap_or(u64::MAX);
        let run = self.run_id.as_bytes();
        bluesky::tid(micros.saturating_add(index), u16::from_be_bytes([run[14], run[15]]))
    }
}

/// A connected account, ready to publish.
pub struct AccountPublisher<'a> {
    db: &'a DatabaseConnection,
    networks: &'a Networks,
    account: ConnectedAccount,
    client: Client,
}

enum Client {
    X(XClient),
    Linkedin(LinkedinClient),
    Mastodon(MastodonClient),
    Bluesky(BlueskyClient),
}

impl<'a> AccountPublisher<'a> {
    /// The owner's connection `id`, if it still exists and works, with fresh credentials.
    pub async fn open(
        db: &'a DatabaseConnection,
        networks: &'a Networks,
        owner_id: Uuid,
        id: Uuid,
    ) -> Result<Self, PublishError> {
        let account = service::connected_account(db, &networks.keyring, owner_id, id)
            .await
            .map_err(|error| match error {
                ConnectedAccountError::Database(error) => PublishError::Transient(error.to_string()),
                other => PublishError::Permanent(other.to_string()),
            })?
            .ok_or_else(|| PublishError::Permanent("the connected account was removed".into()))?;
        if let Some(reason) = account.needs_reconnect() {
            return Err(PublishError::Permanent(reconnect_message(&account, reason)));
        }
        let client = client_for(db, networks, &account).await.map_err(|error| match error {
            ClientError::NotConfigured(error) => PublishError::Permanent(error.to_string()),
            ClientError::Network(error) => publish_error(&account, error),
        })?;
        let mut publisher = Self { db, networks, account, client };
        if let Err(error) = publisher.refresh_if_expiring().await {
            return Err(publisher.refusal(error).await);
        }
        Ok(publisher)
    }

    /// The account's network.
    pub fn network(&self) -> Network {
        self.account.network
    }

    /// The account's handle as the network shows it (`@name`, `name.bsky.social`).
    pub fn handle(&self) -> &str {
        &self.account.model.handle
    }

    /// `@handle on Network`, for the run's log.
    pub fn describe(&self) -> String {
        format!("{} on {}", self.account.model.handle, self.account.network.display_name())
    }

    /// Publishes `text` as the next part: a reply to `thread`'s last part under its first, or a
    /// post of its own. `key` is the same for this part of this occurrence on every attempt.
    pub async fn publish_part(
        &mut self,
        text: &str,
        thread: Option<(&PartRef, &PartRef)>,
        key: &PartKey,
    ) -> Result<PartRef, PublishError> {
        let credentials = &self.account.credentials;
        let parent = thread.map(|(_, parent)| parent);
        let remote_id = &self.account.model.remote_id;
        let outcome = match &self.client {
            Client::X(client) => {
                match self.found(client.find_recent(credentials, remote_id, text, parent), key).await {
                    Ok(Some(part)) => Ok(part),
                    Ok(None) => client.publish(credentials, text, parent, &key.idempotency_key).await,
                    Err(error) => Err(error),
                }
            }
            Client::Linkedin(client) => match parent {
                None => match self.found(client.find_recent(credentials, remote_id, text), key).await {
                    Ok(Some(part)) => Ok(part),
                    Ok(None) => client.publish_as(credentials, remote_id, text).await,
                    Err(error) => Err(error),
                },
                Some(_) => {
                    Err(NetworkError::Permanent("LinkedIn has no threads: post it as one post".into()))
                }
            },
            Client::Mastodon(client) => client.publish(credentials, text, parent, &key.idempotency_key).await,
            Client::Bluesky(client) => self.publish_to_bluesky(client, text, thread, &key.record_key()).await,
        };
        match outcome {
            Ok(part) => Ok(part),
            Err(error) => Err(self.refusal(error).await),
        }
    }

    /// The public counts of a published part, as the network reports them now.
    pub async fn counts(&self, part: &PartRef) -> Result<Counts, PublishError> {
        let credentials = &self.account.credentials;
        let outcome = match &self.client {
            Client::X(client) => client.counts(credentials, part).await,
            Client::Linkedin(client) => client.counts(credentials, part).await,
            Client::Mastodon(client) => client.counts(credentials, part).await,
            Client::Bluesky(client) => bluesky_counts(client, part).await,
        };
        match outcome {
            Ok(counts) => Ok(counts),
            Err(error) => Err(self.refusal(error).await),
        }
    }

    /// The account's name, handle and picture as the network shows them now. The network
    /// answers for the account the credentials act for, which the caller checks is this one.
    pub async fn face(&self) -> Result<Face, PublishError> {
        let credentials = &self.account.credentials;
        let model = &self.account.model;
        let outcome = match &self.client {
            Client::X(client) => client.account(credentials).await.map(Face::lasting),
            Client::Linkedin(client) if linkedin::is_page(&model.remote_id) => {
                client.page(credentials, &model.remote_id).await
            }
            Client::Linkedin(client) => client.account(credentials).await.map(Face::lasting),
            Client::Mastodon(client) => client.account(credentials).await.map(Face::lasting),
            Client::Bluesky(client) => bluesky_face(client, model).await,
        };
        match outcome {
            Ok(face) => Ok(face),
            Err(error) => Err(self.refusal(error).await),
        }
    }

    /// The post an earlier attempt may have created, looked for only when that attempt's
    /// outcome is unknown.
    async fn found(
        &self,
        lookup: impl Future<Output = Result<Option<PartRef>, NetworkError>>,
        key: &PartKey,
    ) -> Result<Option<PartRef>, NetworkError> {
        if !key.outcome_unknown {
            return Ok(None);
        }
        let found = lookup.await?;
        if let Some(part) = &found {
            tracing::info!(run = %key.run_id, part = key.index, post = %part.remote_id, "kept the post an earlier attempt created");
        }
        Ok(found)
    }

    /// Refreshes credentials that expire within a few minutes, where the network can.
    async fn refresh_if_expiring(&mut self) -> Result<(), NetworkError> {
        let now = self.networks.clock.now();
        let expiring = self
            .account
            .credentials
            .expires_at
            .is_some_and(|at| at - now < chrono::Duration::minutes(REFRESH_BEFORE_EXPIRY_MINUTES));
        if !expiring {
            return Ok(());
        }
        let credentials = &self.account.credentials;
        let refreshed = match &self.client {
            Client::X(client) => client.refresh(credentials).await?,
            Client::Linkedin(client) => client.refresh(credentials).await?,
            Client::Mastodon(client) => client.refresh(credentials).await?,
            // Bluesky's sessions are refreshed when the PDS says the access token expired.
            Client::Bluesky(_) => return Ok(()),
        };
        self.store(&refreshed).await?;
        self.account.credentials = refreshed;
        Ok(())
    }

    /// Publishes under a record key fixed for this part, so a retry after an unknown outcome
    /// finds the record instead of posting it twice.
    async fn publish_to_bluesky(
        &self,
        client: &BlueskyClient,
        text: &str,
        thread: Option<(&PartRef, &PartRef)>,
        rkey: &str,
    ) -> Result<PartRef, NetworkError> {
        let reply = thread.map(|(root, parent)| ReplyRef { root: post_ref(root), parent: post_ref(parent) });
        let session = self.bluesky_session()?;
        let created = match client.post_once(&session, text, reply.as_ref(), rkey).await {
            Err(BlueskyError::SessionExpired { .. }) => {
                let session = client.refresh_session(&session).await?;
                self.store(&Credentials {
                    access_token: session.access_jwt.clone(),
                    refresh_token: Some(session.refresh_jwt.clone()),
                    expires_at: None,
                })
                .await?;
                client.post_once(&session, text, reply.as_ref(), rkey).await?
            }
            other => other?,
        };
        let url = bluesky::public_url(self.account.model.handle.trim_start_matches('@'), &created.uri);
        Ok(PartRef { remote_id: created.uri, revision: Some(created.cid), url })
    }

    fn bluesky_session(&self) -> Result<Session, NetworkError> {
        let model = &self.account.model;
        let pds_url = model
            .instance_url
            .as_deref()
            .and_then(|url| Url::parse(url).ok())
            .ok_or_else(|| NetworkError::Reconnect("the account's Bluesky server is unknown".into()))?;
        Ok(Session {
            did: model.remote_id.clone(),
            handle: model.handle.trim_start_matches('@').to_owned(),
            access_jwt: self.account.credentials.access_token.clone(),
            refresh_jwt: self.account.credentials.refresh_token.clone().unwrap_or_default(),
            pds_url,
        })
    }

    /// Keeps credentials the network just refreshed, for this account and the others that
    /// shared its previous ones.
    async fn store(&self, credentials: &Credentials) -> Result<(), NetworkError> {
        let (keyring, now) = (&self.networks.keyring, self.networks.clock.now());
        let model = &self.account.model;
        service::store_refreshed(self.db, keyring, model.clone(), credentials, now)
            .await
            .map_err(|error| NetworkError::Transient(error.to_string()))?;
        service::share_refreshed(self.db, keyring, model, &self.account.credentials, credentials, now)
            .await
            .map_err(|error| NetworkError::Transient(error.to_string()))
    }

    /// What the scheduler does about a refusal; a refused token also marks the account.
    async fn refusal(&self, error: NetworkError) -> PublishError {
        if let NetworkError::Reconnect(reason) = &error {
            let now = self.networks.clock.now();
            if let Err(error) =
                service::needs_reconnect(self.db, self.account.model.clone(), reason, now).await
            {
                tracing::warn!(%error, connection = %self.account.model.id, "could not mark the account for reconnecting");
            }
        }
        publish_error(&self.account, error)
    }
}

/// The client for the account's network; a Mastodon account acts as the app registered on
/// its instance.
async fn client_for(
    db: &DatabaseConnection,
    networks: &Networks,
    account: &ConnectedAccount,
) -> Result<Client, ClientError> {
    Ok(match account.network {
        Network::X => Client::X(networks.x()?),
        Network::Linkedin => Client::Linkedin(networks.linkedin()?),
        Network::Bluesky => Client::Bluesky(networks.bluesky()?),
        Network::Mastodon => {
            let instance =
                account.model.instance_url.as_deref().and_then(|url| Url::parse(url).ok()).ok_or_else(
                    || NetworkError::Reconnect("the account's Mastodon instance is unknown".into()),
                )?;
            let app = service::mastodon_app(db, networks, &instance).await?.ok_or_else(|| {
                NetworkError::Reconnect("Kyros is no longer registered on this instance".into())
            })?;
            Client::Mastodon(networks.mastodon()?.client(instance, app))
        }
    })
}

/// A network's refusal in the scheduler's terms.
fn publish_error(account: &ConnectedAccount, error: NetworkError) -> PublishError {
    match error {
        NetworkError::Reconnect(reason) => PublishError::Permanent(reconnect_message(account, &reason)),
        NetworkError::RateLimited { retry_at: Some(at), message } => PublishError::RetryAfter { at, message },
        NetworkError::RateLimited { retry_at: None, message } | NetworkError::Transient(message) => {
            PublishError::Transient(message)
        }
        NetworkError::Duplicate(message) => PublishError::Permanent(format!(
            "{} refused the post as a duplicate of a recent one: {message}",
            account.network.display_name()
        )),
        NetworkError::Permanent(message) => PublishError::Permanent(message),
    }
}

fn reconnect_message(account: &ConnectedAccount, reason: &str) -> String {
    format!(
        "Reconnect {} on {} (Settings → Connections): {reason}",
        account.model.handle,
        account.network.display_name()
    )
}

/// A Bluesky account's display name and avatar from the AppView; the handle stays the one the
/// account connected with. Without a display name Bluesky shows the handle, as connecting does.
async fn bluesky_face(client: &BlueskyClient, model: &connection::Model) -> Result<Face, NetworkError> {
    let profile = client.profile(&model.remote_id).await?;
    let handle = model.handle.clone();
    let display_name = profile.display_name.unwrap_or_else(|| handle.trim_start_matches('@').to_owned());
    let account =
        Account { remote_id: model.remote_id.clone(), handle, display_name, avatar_url: profile.avatar_url };
    Ok(Face::lasting(account))
}

/// A Bluesky post's counts from the AppView, which needs no session. Quotes count as reposts,
/// as X's do.
async fn bluesky_counts(client: &BlueskyClient, part: &PartRef) -> Result<Counts, NetworkError> {
    let found = client.post_counts(std::slice::from_ref(&part.remote_id)).await?;
    let post = found.into_iter().find(|post| post.uri == part.remote_id).ok_or_else(|| {
        NetworkError::Permanent(format!("Bluesky no longer shows the post {}", part.remote_id))
    })?;
    Ok(Counts {
        likes: post.likes,
        reposts: post.reposts + post.quotes,
        replies: post.replies,
        impressions: None,
    })
}

fn post_ref(part: &PartRef) -> bluesky::PostRef {
    bluesky::PostRef { uri: part.remote_id.clone(), cid: part.revision.clone().unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_of_a_run_has_its_own_record_key_the_same_on_every_attempt() {
        let key = |run_id: Uuid, index: usize| PartKey {
            run_id,
            occurrence_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            index,
            idempotency_key: format!("schedule:1800000000:{index}"),
            outcome_unknown: false,
        };
        let run = Uuid::now_v7();
        let parts: Vec<String> = (0..3).map(|index| key(run, index).record_key()).collect();
        assert_eq!(parts, (0..3).map(|index| key(run, index).record_key()).collect::<Vec<_>>());
        assert!(parts[0] < parts[1] && parts[1] < parts[2], "the parts sort in order: {parts:?}");
        assert!(parts.iter().all(|part| part.len() == 13));
        let other_run = Uuid::from_u128(run.as_u128() ^ 1);
        assert_ne!(key(other_run, 0).record_key(), parts[0], "another run of the same time differs");
    }
}
