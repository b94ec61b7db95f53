//! What publishing and the dashboard ask of results.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    model::{PostResults, ReadResult},
    store,
};
use crate::connectors::network::Network;

/// Starts reading the counts of a post just published to a connected account.
pub async fn follow(
    db: &impl ConnectionTrait,
    run_id: Uuid,
    owner_id: Uuid,
    connection_id: Uuid,
    network: Network,
    published_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    store::follow(db, run_id, owner_id, connection_id, network, published_at).await
}

/// The counts of these runs, by run (those never read are left out).
pub async fn for_runs(
    db: &impl ConnectionTrait,
    run_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, PostResults>, DbErr> {
    Ok(store::for_runs(db, run_ids)
        .await?
        .iter()
        .filter_map(|row| Some((row.run_id, PostResults::of(row)?)))
        .collect())
}

/// The owner's posts published in `[from, to)` whose counts have been read at least once.
pub async fn read_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ReadResult>, DbErr> {
    Ok(store::read_between(db, owner_id, from, to)
        .await?
        .iter()
        .filter_map(|row| {
            Some(ReadResult {
                run_id: row.run_id,
                network: row.network,
                published_at: row.published_at,
                results: PostResults::of(row)?,
            })
        })
        .collect())
}
