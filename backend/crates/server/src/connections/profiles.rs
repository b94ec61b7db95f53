//! Keeping connected accounts' public face fresh, from the scheduler's tick: each working
//! account's name, handle and picture are read again from its network about once a day, and a
//! picture whose signed address expires (a LinkedIn page's logo) before that address stops
//! working. The account is opened as the publisher opens it, so an expiring token is refreshed
//! and a token the network refuses marks the account for reconnecting, exactly as a post would.
//! Any other failure keeps what was stored and tries again later.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, DbErr};

use super::{entity::connection, networks::Networks, publisher::AccountPublisher, store};
use crate::{
    connectors::{ConnectorKind, PublishError, network::Face},
    tools,
};

/// How often an account's face is read.
pub const REFRESH_EVERY: Duration = Duration::days(1);
/// A picture whose address expires is read again this long before it does.
const BEFORE_AVATAR_EXPIRES: Duration = Duration::hours(1);
/// The soonest a next read is put, whatever the network says about its addresses.
const SOONEST: Duration = Duration::minutes(5);
/// After a failure the network may have been down for a while: try again this much later.
const RETRY_AFTER_FAILURE: Duration = Duration::hours(1);
/// Accounts read per tick; the next tick takes the rest.
const BATCH: u64 = 20;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RefreshReport {
    pub refreshed: usize,
    pub failed: usize,
}

/// When an account read at `now` with `face` is read next.
pub fn next_refresh(face: &Face, now: DateTime<Utc>) -> DateTime<Utc> {
    let daily = now + REFRESH_EVERY;
    let before_expiry = face.avatar_expires_at.map_or(daily, |at| at - BEFORE_AVATAR_EXPIRES);
    daily.min(before_expiry).max(now + SOONEST)
}

/// Reads the face of every working account due at `now`, oldest first. Switching the
/// `accounts` tool off stops the reads with the publishing; they resume where they were.
pub async fn refresh_due(
    db: &DatabaseConnection,
    networks: &Networks,
    now: DateTime<Utc>,
) -> Result<RefreshReport, DbErr> {
    let mut report = RefreshReport::default();
    if !tools::service::connector_enabled(db, ConnectorKind::Account).await? {
        return Ok(report);
    }
    for model in store::profiles_due(db, now, BATCH).await? {
        match read(db, networks, &model).await {
            Ok(face) => {
                store::record_profile(db, model.id, &face.account, now, next_refresh(&face, now)).await?;
                report.refreshed += 1;
            }
            Err(error) => {
                tracing::warn!(
                    connection = %model.id,
                    network = %model.network,
                    %error,
                    "the account's name and picture could not be read again; keeping the stored ones"
                );
                let next = match error {
                    PublishError::RetryAfter { at, .. } => at.max(now + SOONEST),
                    PublishError::Transient(_) => now + RETRY_AFTER_FAILURE,
                    PublishError::Permanent(_) => now + REFRESH_EVERY,
                };
                store::postpone_profile(db, model.id, next).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// The account's face as its network shows it now.
async fn read(
    db: &DatabaseConnection,
    networks: &Networks,
    model: &connection::Model,
) -> Result<Face, PublishError> {
    let account = AccountPublisher::open(db, networks, model.owner_id, model.id).await?;
    let face = account.face().await?;
    // The token acts for one account; a network answering for another must not rename this one.
    if face.account.remote_id != model.remote_id {
        return Err(PublishError::Permanent(format!(
            "{} answered for the account {} instead",
            model.network.display_name(),
            face.account.remote_id
        )));
    }
    Ok(face)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::network::Account;

    fn face(avatar_expires_at: Option<DateTime<Utc>>) -> Face {
        let account = Account {
            remote_id: "urn:li:organization:1".into(),
            handle: "Rye & Crumb Bakery".into(),
            display_name: "Rye & Crumb Bakery".into(),
            avatar_url: Some("https://media.example/logo.png".into()),
        };
        Face { account, avatar_expires_at }
    }

    #[test]
    fn a_face_is_read_daily_or_an_hour_before_its_picture_expires() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(next_refresh(&face(None), now), now + Duration::days(1));
        assert_eq!(next_refresh(&face(Some(now + Duration::days(7))), now), now + Duration::days(1));
        assert_eq!(next_refresh(&face(Some(now + Duration::hours(3))), now), now + Duration::hours(2));
        // An address already expired, or about to, is not read again in a loop.
        assert_eq!(next_refresh(&face(Some(now - Duration::hours(1))), now), now + Duration::minutes(5));
    }
}
