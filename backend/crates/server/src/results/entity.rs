//! The `post_results` table: one row per run published to a connected account.

use sea_orm::entity::prelude::*;

/// The latest public counts of a published post, and when they are read next.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "post_results")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub run_id: Uuid,
    pub owner_id: Uuid,
    /// The account the post went to; fetching pauses while it needs reconnecting.
    pub connection_id: Uuid,
    pub network: crate::connectors::network::Network,
    pub published_at: DateTimeUtc,
    pub likes: i64,
    pub reposts: i64,
    pub replies: i64,
    /// Only some networks count views.
    pub impressions: Option<i64>,
    /// When the counts were last read; `None` until the first read.
    pub fetched_at: Option<DateTimeUtc>,
    /// When they are read next; `None` once the last checkpoint has passed.
    pub next_fetch_at: Option<DateTimeUtc>,
    /// Why the last read failed, if it did.
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
