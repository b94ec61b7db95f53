//! Connecting, listing and removing social accounts, and acting for them: every token is sealed
//! at rest with the connection's id (`crate::secrets`) and opened only to call the network.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, sea_query::SelectStatement};
use secrecy::ExposeSecret;
use url::Url;
use uuid::Uuid;

use super::{
    entity::{connection, mastodon_app},
    model::{
        ConnectBlueskyRequest, Connection, ConnectionList, ConnectionStatus, MAX_APP_PASSWORD_CHARS,
        MAX_CONNECTIONS_PER_USER, MAX_HANDLE_CHARS,
    },
    networks::Networks,
    profiles, store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    connectors::{
        bluesky::{BlueskyError, Profile},
        mastodon::RegisteredApp,
        network::{Account, Credentials, Network, NetworkError},
    },
    error::{ApiError, FieldError},
    secrets::{Keyring, Sealed, SecretError},
    state::AppState,
};

pub async fn list(state: &AppState, user: AuthUser) -> Result<ConnectionList, ApiError> {
    let rows = store::list_owned(&state.db, user.id).await?;
    Ok(ConnectionList { items: rows.into_iter().map(Connection::from_model).collect() })
}

pub async fn get(state: &AppState, user: AuthUser, id: Uuid) -> Result<Connection, ApiError> {
    store::find_owned(&state.db, user.id, id)
        .await?
        .map(Connection::from_model)
        .ok_or(ApiError::NotFound("connection"))
}

/// Forgets the account and its tokens. Posts scheduled for it fail with that reason.
pub async fn disconnect(state: &AppState, user: AuthUser, id: Uuid) -> Result<(), ApiError> {
    let existing =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("connection"))?;
    if !store::delete_owned(&state.db, user.id, id).await? {
        return Err(ApiError::NotFound("connection"));
    }
    let event = AuditEvent::new(AuditKind::ConnectionRemoved)
        .actor(user.id)
        .subject("connection", id)
        .payload(serde_json::json!({ "network": existing.network, "handle": existing.handle }));
    audit::record_or_log(&state.db, state.clock.now(), event).await;
    Ok(())
}

/// Connects a Bluesky account with its handle and an app password. The app password itself is
/// not kept: the session's tokens are.
pub async fn connect_bluesky(
    state: &AppState,
    user: AuthUser,
    request: ConnectBlueskyRequest,
) -> Result<(Connection, bool), ApiError> {
    let handle = request.handle.trim().trim_start_matches('@');
    let password = request.app_password.trim();
    let mut errors = Vec::new();
    if handle.is_empty() || handle.chars().count() > MAX_HANDLE_CHARS {
        errors.push(FieldError::new("handle", "enter the account's handle, e.g. kyros.bsky.social"));
    }
    if password.is_empty() || password.chars().count() > MAX_APP_PASSWORD_CHARS {
        errors.push(FieldError::new("app_password", "enter an app password, e.g. abcd-efgh-ijkl-mnop"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let client = Networks::of(state).bluesky().map_err(|error| anyhow::anyhow!(error))?;
    let session = client.create_session(handle, password).await.map_err(|error| match error {
        BlueskyError::ReconnectNeeded { .. } => {
            ApiError::field("app_password", "Bluesky refused this handle and app password")
        }
        BlueskyError::NotAnAppPassword => ApiError::field("app_password", error.to_string()),
        BlueskyError::Unresolved { .. } => {
            ApiError::field("handle", format!("no Bluesky account was found for {handle}"))
        }
        BlueskyError::RateLimited { .. }
        | BlueskyError::Transient(_)
        | BlueskyError::SessionExpired { .. } => {
            ApiError::Unavailable(format!("Bluesky could not be reached; try again in a moment ({error})"))
        }
        BlueskyError::Permanent { .. } => ApiError::field("handle", error.to_string()),
    })?;
    // The name and picture only dress the previews: without the AppView the handle will do.
    let profile = client.profile(&session.did).await.unwrap_or_else(|error| {
        tracing::info!(%error, did = %session.did, "the Bluesky profile could not be read");
        Profile::default()
    });
    let new = NewConnection {
        network: Network::Bluesky,
        account: Account {
            remote_id: session.did.clone(),
            handle: format!("@{}", session.handle),
            display_name: profile.display_name.unwrap_or_else(|| session.handle.clone()),
            avatar_url: profile.avatar_url,
        },
        credentials: Credentials {
            access_token: session.access_jwt,
            refresh_token: Some(session.refresh_jwt),
            expires_at: None,
        },
        instance_url: Some(session.pds_url.to_string()),
        char_limit: None,
    };
    save_connection(state, user.id, new).await
}

/// The connected account as a network call needs it.
#[derive(Debug, Clone)]
pub struct ConnectedAccount {
    pub model: connection::Model,
    pub network: Network,
    pub credentials: Credentials,
}

impl ConnectedAccount {
    /// Why the user must connect the account again, if they must.
    pub fn needs_reconnect(&self) -> Option<&str> {
        (self.model.status != ConnectionStatus::Active)
            .then(|| self.model.status_reason.as_deref().unwrap_or("the network refused its token"))
    }
}

/// What is known about an account the user just connected.
#[derive(Debug, Clone)]
pub struct NewConnection {
    pub network: Network,
    pub account: Account,
    pub credentials: Credentials,
    pub instance_url: Option<String>,
    pub char_limit: Option<i32>,
}

/// Stores an account the user connected, or refreshes the row of one connected before (its
/// tokens, names and a `Reconnect` status); its names are read again a day later
/// (`profiles`). Returns the connection and whether it is new.
pub async fn save_connection(
    state: &AppState,
    owner_id: Uuid,
    new: NewConnection,
) -> Result<(Connection, bool), ApiError> {
    let now = state.clock.now();
    let keyring = &state.config.secret_keys;
    let existing = store::find_account(&state.db, owner_id, new.network, &new.account.remote_id).await?;
    let created = existing.is_none();
    let model = match existing {
        Some(existing) => {
            let sealed = seal(keyring, existing.id, &new.credentials);
            let mut model: connection::ActiveModel = existing.into();
            model.handle = Set(new.account.handle);
            model.display_name = Set(new.account.display_name);
            model.avatar_url = Set(new.account.avatar_url);
            model.instance_url = Set(new.instance_url);
            model.char_limit = Set(new.char_limit);
            model.status = Set(ConnectionStatus::Active);
            model.status_reason = Set(None);
            model.credentials_key_id = Set(sealed.key_id);
            model.credentials = Set(sealed.bytes);
            model.expires_at = Set(new.credentials.expires_at);
            model.updated_at = Set(now);
            model.profile_refreshed_at = Set(Some(now));
            model.profile_refresh_due_at = Set(Some(now + profiles::REFRESH_EVERY));
            store::save(&state.db, model).await?
        }
        None => {
            if store::count_owned(&state.db, owner_id).await? >= MAX_CONNECTIONS_PER_USER {
                return Err(ApiError::Conflict(format!(
                    "You already have {MAX_CONNECTIONS_PER_USER} connected accounts; remove one first."
                )));
            }
            let id = Uuid::now_v7();
            let sealed = seal(keyring, id, &new.credentials);
            let model = store::insert(
                &state.db,
                connection::ActiveModel {
                    id: Set(id),
                    owner_id: Set(owner_id),
                    network: Set(new.network),
                    remote_id: Set(new.account.remote_id),
                    handle: Set(new.account.handle),
                    display_name: Set(new.account.display_name),
                    avatar_url: Set(new.account.avatar_url),
                    instance_url: Set(new.instance_url),
                    char_limit: Set(new.char_limit),
                    status: Set(ConnectionStatus::Active),
                    status_reason: Set(None),
                    credentials_key_id: Set(sealed.key_id),
                    credentials: Set(sealed.bytes),
                    expires_at: Set(new.credentials.expires_at),
                    created_at: Set(now),
                    updated_at: Set(now),
                    profile_refreshed_at: Set(Some(now)),
                    profile_refresh_due_at: Set(Some(now + profiles::REFRESH_EVERY)),
                },
            )
            .await?;
            let event = AuditEvent::new(AuditKind::ConnectionCreated)
                .actor(owner_id)
                .subject("connection", model.id)
                .payload(serde_json::json!({ "network": model.network, "handle": model.handle }));
            audit::record_or_log(&state.db, now, event).await;
            model
        }
    };
    Ok((Connection::from_model(model), created))
}

/// The account a schedule of `owner_id` publishes to, with its credentials opened.
pub async fn connected_account(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<ConnectedAccount>, ConnectedAccountError> {
    let Some(model) = store::find(db, id).await? else { return Ok(None) };
    if model.owner_id != owner_id {
        return Ok(None);
    }
    let network = model.network;
    let credentials = open(keyring, &model)?;
    Ok(Some(ConnectedAccount { model, network, credentials }))
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectedAccountError {
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
    #[error("the account's tokens cannot be opened: {0}")]
    Sealed(#[from] SecretError),
}

/// Replaces an account's credentials after the network refreshed them.
pub async fn store_refreshed(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    model: connection::Model,
    credentials: &Credentials,
    now: DateTime<Utc>,
) -> Result<connection::Model, sea_orm::DbErr> {
    let sealed = seal(keyring, model.id, credentials);
    let mut model: connection::ActiveModel = model.into();
    model.credentials_key_id = Set(sealed.key_id);
    model.credentials = Set(sealed.bytes);
    model.expires_at = Set(credentials.expires_at);
    model.updated_at = Set(now);
    store::save(db, model).await
}

/// Gives `refreshed` to the owner's other accounts on the same network that held the refresh
/// token `previous` had: the profile and the pages one LinkedIn consent connected share their
/// tokens, and a refresh by one must leave none of them with tokens the network replaced.
pub async fn share_refreshed(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    model: &connection::Model,
    previous: &Credentials,
    refreshed: &Credentials,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let Some(refresh_token) = previous.refresh_token.as_deref() else { return Ok(()) };
    for other in store::others_on_network(db, model.owner_id, model.network, model.id).await? {
        let shared = open(keyring, &other)
            .is_ok_and(|credentials| credentials.refresh_token.as_deref() == Some(refresh_token));
        if shared {
            store_refreshed(db, keyring, other, refreshed, now).await?;
        }
    }
    Ok(())
}

/// Marks the account as needing the user to connect it again, in the network's words.
pub async fn needs_reconnect(
    db: &impl ConnectionTrait,
    model: connection::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    store::mark_needs_reconnect(db, model, reason, now).await.map(drop)
}

/// What `kyros secrets rotate` resealed under the current key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resealed {
    /// Connected accounts whose tokens were resealed.
    pub connections: usize,
    /// Client secrets of the apps Kyros registered on Mastodon instances.
    pub mastodon_apps: usize,
}

/// Reseals every secret sealed under an earlier key with the current one: connected accounts'
/// tokens and Mastodon apps' client secrets. Pending consents and choices are left alone: their
/// verifiers and tokens live for [`super::model::AUTHORIZATION_TTL_MINUTES`] minutes, so they
/// are gone long before an old key is retired.
pub async fn reseal_all(
    db: &impl ConnectionTrait,
    keyring: &Keyring,
    now: DateTime<Utc>,
) -> anyhow::Result<Resealed> {
    let mut resealed = Resealed::default();
    for model in store::all(db).await? {
        let sealed = Sealed { key_id: model.credentials_key_id.clone(), bytes: model.credentials.clone() };
        if !keyring.is_stale(&sealed) {
            continue;
        }
        let credentials = open(keyring, &model)?;
        store_refreshed(db, keyring, model, &credentials, now).await?;
        resealed.connections += 1;
    }
    for app in store::all_mastodon_apps(db).await? {
        let sealed = Sealed { key_id: app.client_secret_key_id.clone(), bytes: app.client_secret.clone() };
        if !keyring.is_stale(&sealed) {
            continue;
        }
        // Sealed with the instance's address, like `mastodon_app_or_register` does.
        let secret = keyring.open(&sealed, app.instance_url.as_bytes())?;
        let sealed = keyring.seal(&secret, app.instance_url.as_bytes());
        let mut app: mastodon_app::ActiveModel = app.into();
        app.client_secret_key_id = Set(sealed.key_id);
        app.client_secret = Set(sealed.bytes);
        store::save_mastodon_app(db, app).await?;
        resealed.mastodon_apps += 1;
    }
    Ok(resealed)
}

fn seal(keyring: &Keyring, id: Uuid, credentials: &Credentials) -> Sealed {
    let json = serde_json::to_vec(credentials).expect("credentials serialise");
    keyring.seal(&json, id.as_bytes())
}

fn open(keyring: &Keyring, model: &connection::Model) -> Result<Credentials, SecretError> {
    let sealed = Sealed { key_id: model.credentials_key_id.clone(), bytes: model.credentials.clone() };
    let json = keyring.open(&sealed, model.id.as_bytes())?;
    serde_json::from_slice(&json).map_err(|_| SecretError::Corrupt)
}

/// A post as a schedule publishes it: the channel it was written for and its text.
#[derive(Debug, Clone, Copy)]
pub struct ScheduledPost<'a> {
    pub channel: engine::Channel,
    pub content: &'a str,
}

/// Checks that `post` can be scheduled to the owner's connection `id`: the account exists,
/// works, is on the network the post was written for, and takes a post that long.
pub async fn require_publishable(
    state: &AppState,
    owner_id: Uuid,
    id: Uuid,
    post: ScheduledPost<'_>,
) -> Result<(), ApiError> {
    let model = store::find_owned(&state.db, owner_id, id).await?.ok_or(ApiError::NotFound("connection"))?;
    let connection = Connection::from_model(model);
    let network = connection.network;
    if connection.status == ConnectionStatus::NeedsReconnect {
        return Err(ApiError::field(
            "connection_id",
            format!(
                "reconnect {} on {} first (Settings → Connections)",
                connection.handle,
                network.display_name()
            ),
        ));
    }
    let channel = post.channel;
    if network.channel() != channel {
        return Err(ApiError::field(
            "connection_id",
            format!(
                "{} is a {} account; this post was written for the `{channel}` channel. Generate a {} post for it.",
                connection.handle,
                network.display_name(),
                network.display_name()
            ),
        ));
    }
    require_fits(&connection, post.content)
}

/// Refuses a post for a Mastodon account any part of which is longer than the account's
/// instance allows: the instance would refuse it when it falls due, long after anyone looks.
/// The post's own checks use its preset's length, which may be another instance's.
fn require_fits(connection: &Connection, content: &str) -> Result<(), ApiError> {
    if connection.network != Network::Mastodon {
        return Ok(());
    }
    let limit = connection
        .char_limit
        .and_then(|limit| usize::try_from(limit).ok())
        .unwrap_or(engine::ShortPost::mastodon(None).max_length);
    let parts = engine::post_parts(engine::Channel::Mastodon, content);
    let Some((index, length)) = parts
        .iter()
        .map(|part| engine::mastodon_length(part))
        .enumerate()
        .find(|(_, length)| *length > limit)
    else {
        return Ok(());
    };
    let what = if parts.len() == 1 {
        "This post".to_owned()
    } else {
        format!("Part {} of {} of this thread", index + 1, parts.len())
    };
    let instance = connection
        .instance_url
        .as_deref()
        .and_then(|url| Url::parse(url).ok())
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_else(|| "the account's instance".to_owned());
    Err(ApiError::field(
        "connection_id",
        format!(
            "{what} is {length} characters, but {instance} allows {limit} per post for {}. \
             Shorten it, or split it into a thread with a blank line between parts.",
            connection.handle
        ),
    ))
}

/// The app Kyros registered on a Mastodon instance for this server's return address, if any.
pub async fn mastodon_app(
    db: &impl ConnectionTrait,
    networks: &Networks,
    instance: &Url,
) -> Result<Option<RegisteredApp>, NetworkError> {
    let redirect = networks.redirect_uri()?;
    let Some(model) = store::find_mastodon_app(db, instance.as_str(), redirect.as_str())
        .await
        .map_err(|error| NetworkError::Transient(error.to_string()))?
    else {
        return Ok(None);
    };
    let sealed = Sealed { key_id: model.client_secret_key_id, bytes: model.client_secret };
    let secret = networks
        .keyring
        .open(&sealed, model.instance_url.as_bytes())
        .map_err(|error| NetworkError::Permanent(error.to_string()))?;
    let client_secret = String::from_utf8(secret)
        .map_err(|_| NetworkError::Permanent("a sealed client secret is not text".into()))?;
    Ok(Some(RegisteredApp { client_id: model.client_id, client_secret: client_secret.into() }))
}

/// The app Kyros has on a Mastodon instance, registering it there on first use.
pub async fn mastodon_app_or_register(
    db: &impl ConnectionTrait,
    networks: &Networks,
    instance: &Url,
) -> Result<RegisteredApp, NetworkError> {
    if let Some(app) = mastodon_app(db, networks, instance).await? {
        return Ok(app);
    }
    let app = networks
        .mastodon()
        .map_err(|error| NetworkError::Permanent(error.to_string()))?
        .register_app(instance)
        .await?;
    let sealed =
        networks.keyring.seal(app.client_secret.expose_secret().as_bytes(), instance.as_str().as_bytes());
    let stored = store::insert_mastodon_app(
        db,
        mastodon_app::ActiveModel {
            instance_url: Set(instance.to_string()),
            redirect_uri: Set(networks.redirect_uri()?.to_string()),
            client_id: Set(app.client_id.clone()),
            client_secret_key_id: Set(sealed.key_id),
            client_secret: Set(sealed.bytes),
            created_at: Set(networks.clock.now()),
        },
    )
    .await;
    match stored {
        Ok(_) => Ok(app),
        // Another request registered on this instance at the same moment: use its app.
        Err(_) => mastodon_app(db, networks, instance)
            .await?
            .ok_or_else(|| NetworkError::Transient("the instance's registration could not be stored".into())),
    }
}

/// Takes the owner's account row for the rest of the transaction, so that two requests
/// changing what it publishes run one after the other; `false` when the owner has no such
/// account.
pub async fn lock(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    store::lock(db, owner_id, id).await
}

/// The ids of the accounts that work (none waiting to be reconnected), as a subquery, so a
/// caller reads what belongs to them in one query.
pub fn active_ids() -> SelectStatement {
    store::active_ids()
}
