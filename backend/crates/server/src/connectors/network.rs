//! What every social network Kyros publishes to has in common: the networks themselves, the
//! credentials of a connected account, the account's public face, a published part of a post
//! or thread, its public counts, and how a call can fail. Each network's client
//! (`bluesky`, `mastodon`, `x`, `linkedin`) speaks its own API in these terms, so the
//! connections domain and the publisher never see a network's wire format.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::{Deserialize, Serialize};

/// The social networks an account can be connected from.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    EnumIter,
    DeriveActiveEnum,
)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Network {
    #[sea_orm(string_value = "x")]
    X,
    #[sea_orm(string_value = "linkedin")]
    Linkedin,
    #[sea_orm(string_value = "mastodon")]
    Mastodon,
    #[sea_orm(string_value = "bluesky")]
    Bluesky,
}

impl Network {
    pub const ALL: [Network; 4] = [Network::X, Network::Linkedin, Network::Mastodon, Network::Bluesky];

    /// The channel whose posts the network takes: an X post goes to X, a LinkedIn post to
    /// LinkedIn.
    pub fn channel(self) -> engine::Channel {
        match self {
            Self::X => engine::Channel::X,
            Self::Linkedin => engine::Channel::Linkedin,
            Self::Mastodon => engine::Channel::Mastodon,
            Self::Bluesky => engine::Channel::Bluesky,
        }
    }

    /// The network a channel's posts go to; newsletters and blog posts go to none.
    pub fn of_channel(channel: engine::Channel) -> Option<Self> {
        Self::ALL.into_iter().find(|network| network.channel() == channel)
    }

    /// The network's name as people write it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::X => "X",
            Self::Linkedin => "LinkedIn",
            Self::Mastodon => "Mastodon",
            Self::Bluesky => "Bluesky",
        }
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::try_from_value(&value.to_owned())
            .map_err(|_| format!("unknown network `{value}`; use x, linkedin, mastodon or bluesky"))
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// What Kyros holds to act for a connected account. Stored only encrypted
/// (`crate::secrets`), never returned by the API, never logged: `Debug` shows no token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// When the access token stops working, if the network says.
    pub expires_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_token", &"[redacted]")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "[redacted]"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The connected account as the network shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The network's stable id of the account (a user id, a person or organisation URN, a DID).
    pub remote_id: String,
    /// `@name` on X and Mastodon (`@name@instance`), the handle on Bluesky, the name on LinkedIn.
    pub handle: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
}

/// An account's public face as its network shows it now, read again after connecting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Face {
    pub account: Account,
    /// When the address of the account's picture stops working, where the network says (a
    /// LinkedIn page's logo).
    pub avatar_expires_at: Option<DateTime<Utc>>,
}

impl Face {
    /// A face whose picture's address does not expire, or not that the network says.
    pub fn lasting(account: Account) -> Self {
        Self { account, avatar_expires_at: None }
    }
}

/// One published part of a post or thread, as the network identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRef {
    /// What the next part replies to: a post id, a status id, an AT URI, a post URN.
    pub remote_id: String,
    /// A second identifier some networks need to refer to the part (Bluesky's record CID).
    pub revision: Option<String>,
    /// Where people see the part.
    pub url: Option<String>,
}

/// A published post's public counts, where the network's API gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Counts {
    pub likes: u64,
    pub reposts: u64,
    pub replies: u64,
    /// Only some networks count views, and only for the account's own posts.
    pub impressions: Option<u64>,
}

/// How a call to a network failed, in the terms the publisher acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    /// The token expired or was revoked: the user must connect the account again.
    #[error("{0}")]
    Reconnect(String),
    /// Too many calls: try again at `retry_at` (from the network's reset headers) or later.
    #[error("{message}")]
    RateLimited { retry_at: Option<DateTime<Utc>>, message: String },
    /// The network refused the text as a duplicate of a recent post.
    #[error("{0}")]
    Duplicate(String),
    /// Worth another attempt later: timeouts, refused connections, 5xx.
    #[error("{0}")]
    Transient(String),
    /// Will fail again: the network's own message for a refused request.
    #[error("{0}")]
    Permanent(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (Network::X, "x".to_owned()),
            (Network::Linkedin, "linkedin".to_owned()),
            (Network::Mastodon, "mastodon".to_owned()),
            (Network::Bluesky, "bluesky".to_owned()),
        ]);
    }

    #[test]
    fn each_network_takes_its_own_channels_posts() {
        for network in Network::ALL {
            assert_eq!(network.channel().as_str(), network.to_string());
            assert_eq!(Network::of_channel(network.channel()), Some(network));
        }
        assert_eq!(Network::of_channel(engine::Channel::Blog), None);
        assert_eq!(Network::of_channel(engine::Channel::Newsletter), None);
    }
}
