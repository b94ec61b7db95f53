//! Reading published posts' counts at their checkpoints, from the scheduler's tick. A failed
//! read never touches the run: it is noted on the results row and the next checkpoint tries
//! again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};
use uuid::Uuid;

use super::{
    entity,
    model::{by_readers, next_fetch_after},
    store,
};
use crate::{
    connections::{networks::Networks, publisher::AccountPublisher},
    connectors::{ConnectorKind, PublishError},
    schedules, tools,
};

/// Reads handled per tick; the next tick takes the rest.
const BATCH: u64 = 100;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CollectReport {
    pub read: usize,
    pub failed: usize,
}

/// Reads the counts of every post due at `now`, one account at a time. Switching the
/// `accounts` tool off stops the reads with the publishing; they resume where they were.
pub async fn collect_due(
    db: &DatabaseConnection,
    networks: &Networks,
    now: DateTime<Utc>,
) -> Result<CollectReport, DbErr> {
    let mut report = CollectReport::default();
    if !tools::service::connector_enabled(db, ConnectorKind::Account).await? {
        return Ok(report);
    }
    let mut by_account: BTreeMap<(Uuid, Uuid), Vec<entity::Model>> = BTreeMap::new();
    for row in store::due(db, now, BATCH).await? {
        by_account.entry((row.owner_id, row.connection_id)).or_default().push(row);
    }
    for ((owner_id, connection_id), rows) in by_account {
        let account = match AccountPublisher::open(db, networks, owner_id, connection_id).await {
            Ok(account) => account,
            Err(error) => {
                report.failed += rows.len();
                for row in rows {
                    fail(db, row, &error, now).await?;
                }
                continue;
            }
        };
        let mut rows = rows.into_iter();
        while let Some(row) = rows.next() {
            let parts = schedules::service::parts_of(db, row.run_id).await?;
            let Some(first) = parts.first() else {
                let error = PublishError::Permanent("the run recorded no published part".into());
                fail(db, row, &error, now).await?;
                report.failed += 1;
                continue;
            };
            match account.counts(first).await {
                Ok(counts) => {
                    let next = next_fetch_after(row.published_at, now);
                    let counts = by_readers(counts, parts.len());
                    store::record_counts(db, row, counts, now, next).await?;
                    report.read += 1;
                }
                Err(error) => {
                    report.failed += 1;
                    let rate_limited = matches!(error, PublishError::RetryAfter { .. });
                    fail(db, row, &error, now).await?;
                    // The account's other posts wait for the same reset instead of spending
                    // calls the network will refuse.
                    if rate_limited {
                        for row in rows.by_ref() {
                            fail(db, row, &error, now).await?;
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}

/// Notes a failed read: after a rate limit the read waits for the network's reset; after any
/// other failure it waits for the next checkpoint.
async fn fail(
    db: &DatabaseConnection,
    row: entity::Model,
    error: &PublishError,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let next = match error {
        PublishError::RetryAfter { at, .. } => Some(*at),
        PublishError::Transient(_) | PublishError::Permanent(_) => next_fetch_after(row.published_at, now),
    };
    tracing::info!(run = %row.run_id, %error, "reading a post's counts failed");
    store::record_failure(db, row, error.to_string(), next).await
}
