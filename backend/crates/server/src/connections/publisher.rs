//! Acting for a connected account: opening its sealed credentials, refreshing them when the
//! network allows, publishing one part of a post or thread, and turning a network's refusal
//! into what the scheduler does next (retry, wait for a rate limit, or ask the user to
//! reconnect the account).

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use url::Url;
use uuid::Uuid;

use super::service::{self, ConnectedAccount, ConnectedAccountError};
use crate::{
    clock::Clock,
    config::NetworkSettings,
    connectors::{
        PublishError,
        bluesky::{self, BlueskyClient, BlueskyConfig, BlueskyError, ReplyRef, Session},
        network::{Credentials, Network, NetworkError, PartRef},
    },
    secrets::Keyring,
};

/// What acting for connected accounts needs: the networks' settings, the keyring that opens
/// their tokens and the clock.
#[derive(Clone)]
pub struct Networks {
    pub settings: NetworkSettings,
    pub keyring: Keyring,
    pub clock: Arc<dyn Clock>,
}

impl Networks {
    pub fn new(settings: NetworkSettings, keyring: Keyring, clock: Arc<dyn Clock>) -> Self {
        Self { settings, keyring, clock }
    }

    pub fn bluesky(&self) -> Result<BlueskyClient, NetworkError> {
        let config = BlueskyConfig {
            plc_url: self.settings.bluesky_plc_url.clone(),
            entryway_url: self.settings.bluesky_entryway_url.clone(),
            appview_url: self.settings.bluesky_appview_url.clone(),
            timeout: self.settings.timeout,
            allowlist: self.settings.allowlist.clone(),
        };
        BlueskyClient::new(config, self.clock.clone()).map_err(NetworkError::from)
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
    Bluesky(BlueskyClient),
}

impl<'a> AccountPublisher<'a> {
    /// The owner's connection `id`, if it still exists and works.
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
        let client = match account.network {
            Network::Bluesky => Client::Bluesky(
                networks.bluesky().map_err(|error| PublishError::Permanent(error.to_string()))?,
            ),
            other => {
                return Err(PublishError::Permanent(format!(
                    "publishing to {} is not available in this version",
                    other.display_name()
                )));
            }
        };
        Ok(Self { db, networks, account, client })
    }

    /// `@handle on Network`, for the run's log.
    pub fn describe(&self) -> String {
        format!("{} on {}", self.account.model.handle, self.account.network.display_name())
    }

    /// Publishes `text` as the next part: a reply to `thread`'s last part under its first, or a
    /// post of its own. `key` is stable for this part of this occurrence.
    pub async fn publish_part(
        &mut self,
        text: &str,
        thread: Option<(&PartRef, &PartRef)>,
        key: &str,
    ) -> Result<PartRef, PublishError> {
        let outcome = match &self.client {
            Client::Bluesky(client) => self.publish_to_bluesky(client, text, thread, key).await,
        };
        match outcome {
            Ok(part) => Ok(part),
            Err(error) => Err(self.refusal(error).await),
        }
    }

    async fn publish_to_bluesky(
        &self,
        client: &BlueskyClient,
        text: &str,
        thread: Option<(&PartRef, &PartRef)>,
        _key: &str,
    ) -> Result<PartRef, NetworkError> {
        let reply = thread.map(|(root, parent)| ReplyRef { root: post_ref(root), parent: post_ref(parent) });
        let session = self.bluesky_session()?;
        let created = match client.post(&session, text, reply.as_ref(), &[]).await {
            Err(BlueskyError::SessionExpired { .. }) => {
                let session = client.refresh_session(&session).await?;
                self.store(&Credentials {
                    access_token: session.access_jwt.clone(),
                    refresh_token: Some(session.refresh_jwt.clone()),
                    expires_at: None,
                })
                .await?;
                client.post(&session, text, reply.as_ref(), &[]).await?
            }
            other => other?,
        };
        let url = bluesky::public_url(&self.account.model.handle, &created.uri);
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
            handle: model.handle.clone(),
            access_jwt: self.account.credentials.access_token.clone(),
            refresh_jwt: self.account.credentials.refresh_token.clone().unwrap_or_default(),
            pds_url,
        })
    }

    /// Keeps credentials the network just refreshed.
    async fn store(&self, credentials: &Credentials) -> Result<(), NetworkError> {
        service::store_refreshed(
            self.db,
            &self.networks.keyring,
            self.account.model.clone(),
            credentials,
            self.networks.clock.now(),
        )
        .await
        .map(drop)
        .map_err(|error| NetworkError::Transient(error.to_string()))
    }

    /// What the scheduler does about a refusal; a refused token also marks the account.
    async fn refusal(&self, error: NetworkError) -> PublishError {
        let now = self.networks.clock.now();
        match error {
            NetworkError::Reconnect(reason) => {
                if let Err(error) =
                    service::needs_reconnect(self.db, self.account.model.clone(), &reason, now).await
                {
                    tracing::warn!(%error, connection = %self.account.model.id, "could not mark the account for reconnecting");
                }
                PublishError::Permanent(reconnect_message(&self.account, &reason))
            }
            NetworkError::RateLimited { retry_at: Some(at), message } => {
                PublishError::RetryAfter { at, message }
            }
            NetworkError::RateLimited { retry_at: None, message } | NetworkError::Transient(message) => {
                PublishError::Transient(message)
            }
            NetworkError::Duplicate(message) => PublishError::Permanent(format!(
                "{} refused the post as a duplicate of a recent one: {message}",
                self.account.network.display_name()
            )),
            NetworkError::Permanent(message) => PublishError::Permanent(message),
        }
    }
}

fn reconnect_message(account: &ConnectedAccount, reason: &str) -> String {
    format!(
        "Reconnect {} on {} (Settings → Connections): {reason}",
        account.model.handle,
        account.network.display_name()
    )
}

fn post_ref(part: &PartRef) -> bluesky::PostRef {
    bluesky::PostRef { uri: part.remote_id.clone(), cid: part.revision.clone().unwrap_or_default() }
}
