//! Choosing what to connect when one consent can connect several accounts: a LinkedIn member's
//! profile and the pages they administer. The consent's tokens wait sealed (with the choice's
//! id) for as long as a consent page may take; the choice answers once, and every account
//! chosen gets the same tokens (a refresh of one is shared with the others, `service`).

use chrono::Duration;
use sea_orm::ActiveValue::Set;

use super::{
    authorize::random_state,
    entity::choice,
    model::{
        AUTHORIZATION_TTL_MINUTES, AccountChoice, AccountKind, ChoosableAccount, ChooseAccountsRequest,
        ConnectionList,
    },
    service::{self, NewConnection},
    store,
};
use crate::{
    auth::AuthUser,
    connectors::{
        linkedin,
        network::{Account, Credentials, Network},
    },
    error::ApiError,
    secrets::Sealed,
    state::AppState,
};

const EXPIRED: &str = "This choice expired or was already made; connect the account again.";

/// Keeps `credentials` until the owner picks among `accounts` (the member's own first).
pub async fn offer(
    state: &AppState,
    owner_id: uuid::Uuid,
    network: Network,
    accounts: Vec<Account>,
    notice: Option<String>,
    credentials: &Credentials,
) -> Result<AccountChoice, ApiError> {
    let now = state.clock.now();
    store::delete_expired_choices(&state.db, now).await?;
    let id = random_state();
    let json = serde_json::to_vec(credentials).map_err(anyhow::Error::from)?;
    let sealed = state.config.secret_keys.seal(&json, id.as_bytes());
    let expires_at = now + Duration::minutes(AUTHORIZATION_TTL_MINUTES);
    store::insert_choice(
        &state.db,
        choice::ActiveModel {
            id: Set(id.clone()),
            owner_id: Set(owner_id),
            network: Set(network),
            credentials_key_id: Set(sealed.key_id),
            credentials: Set(sealed.bytes),
            accounts: Set(serde_json::to_value(&accounts).map_err(anyhow::Error::from)?),
            expires_at: Set(expires_at),
            created_at: Set(now),
        },
    )
    .await?;
    let mut offered = Vec::with_capacity(accounts.len());
    for account in accounts {
        let connected =
            store::find_account(&state.db, owner_id, network, &account.remote_id).await?.is_some();
        offered.push(ChoosableAccount {
            kind: if linkedin::is_page(&account.remote_id) {
                AccountKind::Page
            } else {
                AccountKind::Profile
            },
            id: account.remote_id,
            name: account.display_name,
            avatar_url: account.avatar_url,
            connected,
        });
    }
    Ok(AccountChoice { choice: id, network, accounts: offered, notice, expires_at })
}

/// Connects the accounts the owner chose, each with the consent's tokens, in the order offered.
pub async fn choose(
    state: &AppState,
    user: AuthUser,
    request: ChooseAccountsRequest,
) -> Result<ConnectionList, ApiError> {
    let now = state.clock.now();
    let pending = store::find_choice(&state.db, request.choice.trim())
        .await?
        .filter(|pending| pending.owner_id == user.id && pending.expires_at > now)
        .ok_or_else(|| ApiError::field("choice", EXPIRED))?;
    let offered: Vec<Account> =
        serde_json::from_value(pending.accounts.clone()).map_err(|_| ApiError::field("choice", EXPIRED))?;
    if request.accounts.is_empty() {
        return Err(ApiError::field("accounts", "choose at least one account to connect"));
    }
    if let Some(unknown) = request.accounts.iter().find(|id| !offered.iter().any(|a| &a.remote_id == *id)) {
        return Err(ApiError::field(
            "accounts",
            format!("`{unknown}` was not offered; choose among the accounts listed"),
        ));
    }
    let network = pending.network;
    if !store::take_choice(&state.db, &pending.id).await? {
        return Err(ApiError::field("choice", EXPIRED));
    }
    let sealed = Sealed { key_id: pending.credentials_key_id, bytes: pending.credentials };
    let credentials: Credentials = state
        .config
        .secret_keys
        .open(&sealed, pending.id.as_bytes())
        .ok()
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or_else(|| ApiError::field("choice", EXPIRED))?;
    let mut items = Vec::new();
    for account in offered.into_iter().filter(|account| request.accounts.contains(&account.remote_id)) {
        let new = NewConnection {
            network,
            account,
            credentials: credentials.clone(),
            instance_url: None,
            char_limit: None,
        };
        items.push(service::save_connection(state, user.id, new).await?.0);
    }
    Ok(ConnectionList { items })
}
