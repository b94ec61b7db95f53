//! Connecting X, LinkedIn and Mastodon accounts through each network's consent page: a random
//! single-use `state` and a PKCE verifier (sealed) are kept while the user is away, the
//! console's callback page hands the code back, and the tokens it buys are stored sealed.

use chrono::Duration;
use rand::Rng;
use sea_orm::ActiveValue::Set;
use url::Url;

use super::{
    choices,
    entity::authorization,
    model::{
        AUTHORIZATION_TTL_MINUTES, AccountChoice, Authorization, AuthorizeRequest,
        CompleteAuthorizationRequest, Connection,
    },
    networks::{ClientError, Networks},
    service::{self, NewConnection},
    store,
};
use crate::{
    auth::AuthUser,
    connectors::{
        mastodon::{self, MastodonClient},
        network::{Account, Network, NetworkError},
        oauth::pkce_pair,
    },
    error::ApiError,
    secrets::Sealed,
    state::AppState,
};

const EXPIRED: &str = "This connection attempt expired or was already used; start again.";
const NO_PAGES: &str = "You are not an administrator of any LinkedIn page, so only your profile \
    can be connected. To connect a company page, ask one of its administrators to make you one \
    (the page's Admin tools → Manage admins), then connect LinkedIn again.";

/// What finishing a consent did.
#[derive(Debug)]
pub enum Completed {
    /// Connected the account the consent was for; `created` is false for a reconnection.
    Connected { connection: Connection, created: bool },
    /// The consent can connect several accounts (a LinkedIn profile and its member's pages):
    /// the member chooses.
    Choice(AccountChoice),
}

/// Starts connecting an account on `network`: where to send the user for consent.
pub async fn start(
    state: &AppState,
    user: AuthUser,
    network: Network,
    request: AuthorizeRequest,
) -> Result<Authorization, ApiError> {
    let networks = Networks::of(state);
    let now = state.clock.now();
    store::delete_expired_authorizations(&state.db, now).await?;
    let oauth_state = random_state();
    let (verifier, challenge) = pkce_pair();
    let (authorize_url, instance) = match network {
        Network::X => (networks.x().map_err(client_error)?.authorize_url(&oauth_state, &challenge), None),
        // LinkedIn's three-legged flow for web apps has no PKCE; the state alone ties it to us.
        Network::Linkedin => (networks.linkedin().map_err(client_error)?.authorize_url(&oauth_state), None),
        Network::Mastodon => {
            let typed = request.instance.as_deref().map(str::trim).filter(|value| !value.is_empty());
            let typed = typed.ok_or_else(|| {
                ApiError::field("instance", "enter your Mastodon instance, e.g. mastodon.social")
            })?;
            let instance =
                mastodon::instance_url(typed).map_err(|message| ApiError::field("instance", message))?;
            let client = mastodon_client(state, &networks, &instance).await?;
            (client.authorize_url(&oauth_state, &challenge), Some(instance))
        }
        Network::Bluesky => {
            return Err(ApiError::field(
                "network",
                "Bluesky connects with an app password (POST /connections/bluesky), not a consent page",
            ));
        }
    };
    let sealed = networks.keyring.seal(verifier.as_bytes(), oauth_state.as_bytes());
    let expires_at = now + Duration::minutes(AUTHORIZATION_TTL_MINUTES);
    store::insert_authorization(
        &state.db,
        authorization::ActiveModel {
            state: Set(oauth_state),
            owner_id: Set(user.id),
            network: Set(network),
            instance_url: Set(instance.map(|url| url.to_string())),
            verifier_key_id: Set(sealed.key_id),
            verifier: Set(sealed.bytes),
            expires_at: Set(expires_at),
            created_at: Set(now),
        },
    )
    .await?;
    Ok(Authorization { authorize_url: authorize_url.to_string(), expires_at })
}

/// Finishes connecting: trades the code the consent page sent back for tokens, reads the
/// account, and stores it; or, for a LinkedIn member who let Kyros post as their pages, offers
/// the profile and the pages to choose from. The state answers once, and only for the user
/// who started.
pub async fn complete(
    state: &AppState,
    user: AuthUser,
    request: CompleteAuthorizationRequest,
) -> Result<Completed, ApiError> {
    let now = state.clock.now();
    let code = request.code.trim();
    if code.is_empty() || code.len() > 2048 {
        return Err(ApiError::field("code", "is missing: open the network's consent page again"));
    }
    let pending = store::take_authorization(&state.db, request.state.trim())
        .await?
        .filter(|pending| pending.owner_id == user.id && pending.expires_at > now)
        .ok_or_else(|| ApiError::field("state", EXPIRED))?;
    let networks = Networks::of(state);
    let sealed = Sealed { key_id: pending.verifier_key_id.clone(), bytes: pending.verifier.clone() };
    let verifier = networks
        .keyring
        .open(&sealed, pending.state.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| ApiError::field("state", EXPIRED))?;
    let network = pending.network;
    let refused = |error: NetworkError| consent_error(network, error);
    let new = match network {
        Network::X => {
            let client = networks.x().map_err(client_error)?;
            let credentials = client.exchange_code(code, &verifier).await.map_err(refused)?;
            let account = client.account(&credentials).await.map_err(refused)?;
            NewConnection { network, account, credentials, instance_url: None, char_limit: None }
        }
        Network::Linkedin => {
            let client = networks.linkedin().map_err(client_error)?;
            let granted = client.exchange_code(code).await.map_err(refused)?;
            let account = client.account(&granted.credentials).await.map_err(refused)?;
            if networks.settings.linkedin_pages && granted.allows_pages() {
                let pages = client.administered_pages(&granted.credentials).await.map_err(refused)?;
                let notice = pages.is_empty().then(|| NO_PAGES.to_owned());
                let offered = std::iter::once(account).chain(pages).collect();
                let choice =
                    choices::offer(state, user.id, network, offered, notice, &granted.credentials).await?;
                return Ok(Completed::Choice(choice));
            }
            let credentials = granted.credentials;
            NewConnection { network, account, credentials, instance_url: None, char_limit: None }
        }
        Network::Mastodon => {
            let instance = pending
                .instance_url
                .as_deref()
                .and_then(|url| Url::parse(url).ok())
                .ok_or_else(|| ApiError::field("state", EXPIRED))?;
            let client = mastodon_client(state, &networks, &instance).await?;
            let credentials = client.exchange_code(code, &verifier).await.map_err(refused)?;
            let account: Account = client.account(&credentials).await.map_err(refused)?;
            let limits = networks
                .mastodon()
                .map_err(client_error)?
                .instance_limits(&instance)
                .await
                .unwrap_or_default();
            NewConnection {
                network,
                account,
                credentials,
                char_limit: i32::try_from(limits.max_characters).ok(),
                instance_url: Some(instance.to_string()),
            }
        }
        Network::Bluesky => return Err(ApiError::field("state", EXPIRED)),
    };
    let (connection, created) = service::save_connection(state, user.id, new).await?;
    Ok(Completed::Connected { connection, created })
}

/// A client for accounts on `instance`, registering Kyros there first if needed.
async fn mastodon_client(
    state: &AppState,
    networks: &Networks,
    instance: &Url,
) -> Result<MastodonClient, ApiError> {
    let app =
        service::mastodon_app_or_register(&state.db, networks, instance).await.map_err(
            |error| match error {
                NetworkError::Transient(_) | NetworkError::RateLimited { .. } => ApiError::Unavailable(
                    format!("{instance} could not be reached; try again in a moment ({error})"),
                ),
                other => {
                    ApiError::field("instance", format!("{instance} refused to register Kyros: {other}"))
                }
            },
        )?;
    Ok(networks.mastodon().map_err(client_error)?.client(instance.clone(), app))
}

fn consent_error(network: Network, error: NetworkError) -> ApiError {
    match error {
        NetworkError::Transient(_) | NetworkError::RateLimited { .. } => ApiError::Unavailable(format!(
            "{} could not be reached; start connecting again in a moment ({error})",
            network.display_name()
        )),
        other => {
            ApiError::field("code", format!("{} refused the connection: {other}", network.display_name()))
        }
    }
}

fn client_error(error: ClientError) -> ApiError {
    match error {
        ClientError::NotConfigured(error) => ApiError::Conflict(error.to_string()),
        ClientError::Network(error) => ApiError::Internal(anyhow::anyhow!(error)),
    }
}

/// 32 random bytes, hex-encoded: unguessable and single use.
pub(super) fn random_state() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
