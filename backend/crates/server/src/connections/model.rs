use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::connection;
use crate::{connectors::network::Network, redacted::Redacted};

pub const MAX_CONNECTIONS_PER_USER: u64 = 20;
/// A domain name's longest form.
pub const MAX_HANDLE_CHARS: usize = 253;
pub const MAX_APP_PASSWORD_CHARS: usize = 100;
/// How long a consent page may take before its `state` is refused.
pub const AUTHORIZATION_TTL_MINUTES: i64 = 15;

/// Whether Kyros can act for the account right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ConnectionStatus {
    #[sea_orm(string_value = "active")]
    Active,
    /// The network refused the token (expired or revoked): connect the account again. Posts due
    /// for it fail with that reason meanwhile.
    #[sea_orm(string_value = "needs_reconnect")]
    NeedsReconnect,
}

/// A connected account. Its tokens never leave the server.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Connection {
    pub id: Uuid,
    pub network: Network,
    /// `@name` on X, `@name@instance` on Mastodon, the handle on Bluesky, the name on LinkedIn.
    pub handle: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
    /// The Mastodon instance or Bluesky server the account lives on.
    pub instance_url: Option<String>,
    /// The post length the account's instance allows (Mastodon), when it says.
    pub char_limit: Option<i32>,
    pub status: ConnectionStatus,
    /// Why the account needs reconnecting, in the network's words.
    pub status_reason: Option<String>,
    /// When the access token expires, if the network says; Kyros refreshes it before then
    /// where the network allows.
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Connection {
    pub fn from_model(model: connection::Model) -> Self {
        Self {
            id: model.id,
            network: model.network,
            handle: model.handle,
            display_name: model.display_name,
            avatar_url: model.avatar_url,
            instance_url: model.instance_url,
            char_limit: model.char_limit,
            status: model.status,
            status_reason: model.status_reason,
            expires_at: model.expires_at,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConnectionList {
    /// Oldest first.
    pub items: Vec<Connection>,
}

/// Bluesky connects with an app password (Settings → Privacy and security → App passwords),
/// never the account's own password.
#[derive(Deserialize, ToSchema)]
pub struct ConnectBlueskyRequest {
    /// The handle, e.g. `kyros.bsky.social` (a leading `@` is fine).
    pub handle: String,
    /// An app password such as `abcd-efgh-ijkl-mnop`.
    pub app_password: String,
}

/// Starts connecting an OAuth network (X, LinkedIn, Mastodon).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuthorizeRequest {
    /// Mastodon only: the instance, e.g. `mastodon.social` or `https://fosstodon.org`.
    pub instance: Option<String>,
}

/// Where to send the user to give consent.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Authorization {
    pub authorize_url: String,
    /// When the consent must be completed by.
    pub expires_at: DateTime<Utc>,
}

/// What kind of account a choice offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// The member's own profile.
    Profile,
    /// An organisation page the member administers.
    Page,
}

/// An account one consent can connect.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChoosableAccount {
    /// What to send back in `accounts` to connect it (the network's id of the account).
    pub id: String,
    pub kind: AccountKind,
    pub name: String,
    pub avatar_url: Option<String>,
    /// Connected already: choosing it again replaces its tokens and clears a "Reconnect".
    pub connected: bool,
}

/// The accounts one consent can connect (a LinkedIn member's profile and the pages they
/// administer): choose with `POST /connections/choose` before `expires_at`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountChoice {
    /// Single use.
    pub choice: String,
    pub network: Network,
    /// The member's own profile first.
    pub accounts: Vec<ChoosableAccount>,
    /// Why fewer accounts are offered than one might expect, e.g. no page administered.
    pub notice: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// The accounts to connect from a choice.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChooseAccountsRequest {
    pub choice: String,
    /// Ids of offered accounts, at least one.
    pub accounts: Vec<String>,
}

/// What the network's consent page sent back to the console's callback page.
#[derive(Deserialize, ToSchema)]
pub struct CompleteAuthorizationRequest {
    pub state: String,
    pub code: String,
}

/// Hides the code: it is exchanged for the account's tokens.
impl fmt::Debug for CompleteAuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompleteAuthorizationRequest")
            .field("state", &self.state)
            .field("code", &Redacted)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (ConnectionStatus::Active, "active".to_owned()),
            (ConnectionStatus::NeedsReconnect, "needs_reconnect".to_owned()),
        ]);
    }

    #[test]
    fn debug_hides_the_authorization_code() {
        let request = CompleteAuthorizationRequest {
            state: "state-1".into(),
            code: "code-1234".into(), // pragma: allowlist secret
        };
        let printed = format!("{request:?}");
        assert!(printed.contains("state-1"), "{printed}");
        assert!(!printed.contains("code-1234"), "{printed}");
    }
}
