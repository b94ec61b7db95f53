//! Channels: the versioned table of channel rules, and parsing channel names in requests.

mod parse;

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use parse::{ChannelList, parse_channels};

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_channels))
}

/// The rules every generated variant obeys, and the console shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelTable {
    /// Changes whenever a rule changes.
    pub version: &'static str,
    /// One entry per channel: limits and how characters are counted.
    #[schema(value_type = Vec<Object>)]
    pub channels: Vec<engine::ChannelRules>,
}

/// The channel rules table.
#[utoipa::path(get, path = "/channels", tag = "channels", responses((status = 200, body = ChannelTable)))]
async fn list_channels() -> Json<ChannelTable> {
    Json(ChannelTable { version: engine::RULES_VERSION, channels: engine::channel_rules() })
}
