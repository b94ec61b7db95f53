//! Webhook events: what the owner's webhook hears besides the posts it publishes. An event is
//! written to an outbox (`webhook_events`) in the transaction that records what happened, and
//! the scheduler's tick delivers it, signed like every delivery, retrying transient failures
//! with the publisher's backoff. A receiver that is down therefore never delays or fails the
//! publication the event reports.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    DeriveActiveEnum, EntityTrait, EnumIter, QueryFilter, QueryOrder, QuerySelect, prelude::StringLen,
};
use serde::Serialize;
use uuid::Uuid;

use super::entity::webhook_event;
use crate::{
    config::SchedulerSettings,
    connectors::{self, ConnectorKind, PublishError, network::Network, webhook::WebhookConnector},
    tools,
};

/// Events delivered per tick; the next tick takes the rest.
const BATCH: u64 = 100;

/// Where an event's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum EventStatus {
    /// Waiting for its next attempt at `next_attempt_at`.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "delivered")]
    Delivered,
    /// Attempts used up, or the webhook refused it for good.
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// `published`: a scheduled post went out to a connected account.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedEvent {
    /// Always `published`.
    pub event: &'static str,
    pub run_id: Uuid,
    pub schedule_id: Uuid,
    /// The occurrence the run published (the schedule's time, in UTC).
    pub occurrence_at: DateTime<Utc>,
    pub published_at: DateTime<Utc>,
    /// Where people see the post (a thread's first part).
    pub published_url: Option<String>,
    pub variant: EventVariant,
    pub network: Network,
    pub account: EventAccount,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventVariant {
    pub id: Uuid,
    pub job_id: Uuid,
    pub channel: engine::Channel,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventAccount {
    /// The connection's id (`GET /connections`).
    pub id: Uuid,
    pub handle: String,
}

impl PublishedEvent {
    pub const NAME: &'static str = "published";

    /// One key per run: every attempt to deliver the event carries it.
    pub fn idempotency_key(&self) -> String {
        format!("{}:{}", Self::NAME, self.run_id)
    }
}

/// Queues `event` for the owner's webhook, if they have one; inside the caller's transaction.
pub async fn enqueue_published(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    event: &PublishedEvent,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if connectors::service::webhook(db, owner_id).await?.is_none() {
        return Ok(());
    }
    let payload = serde_json::to_value(event).map_err(|error| DbErr::Custom(error.to_string()))?;
    webhook_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner_id),
        event: Set(PublishedEvent::NAME.to_owned()),
        idempotency_key: Set(event.idempotency_key()),
        payload: Set(payload),
        status: Set(EventStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(Some(now)),
        last_error: Set(None),
        delivered_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map(drop)
}

/// What one delivery pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Delivers the events due at `now`. `retry_delay(attempts)` is the wait before the next
/// attempt, `None` once attempts are used up.
pub async fn deliver_due(
    db: &DatabaseConnection,
    settings: &SchedulerSettings,
    retry_delay: impl Fn(i32) -> Option<Duration>,
    now: DateTime<Utc>,
) -> Result<DeliveryReport, DbErr> {
    let mut report = DeliveryReport::default();
    let due = webhook_event::Entity::find()
        .filter(webhook_event::Column::Status.eq(EventStatus::Pending))
        .filter(webhook_event::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_event::Column::NextAttemptAt)
        .limit(BATCH)
        .all(db)
        .await?;
    for pending in due {
        // Hidden from other passes while in flight; if we die here, it is retried after this.
        let in_flight_until = now + chrono::Duration::from_std(settings.lease_ttl).unwrap_or_default();
        if !claim(db, &pending, in_flight_until, now).await? {
            continue;
        }
        let (id, attempts) = (pending.id, pending.attempts + 1);
        let outcome = deliver(db, settings, &pending, now).await;
        let mut model: webhook_event::ActiveModel = pending.into();
        model.attempts = Set(attempts);
        model.updated_at = Set(now);
        match outcome {
            Ok(_) => {
                report.delivered += 1;
                model.status = Set(EventStatus::Delivered);
                model.next_attempt_at = Set(None);
                model.last_error = Set(None);
                model.delivered_at = Set(Some(now));
            }
            Err(error) => {
                let retry_at = match &error {
                    PublishError::Transient(_) | PublishError::RetryAfter { .. } => retry_delay(attempts)
                        .map(|delay| now + chrono::Duration::from_std(delay).unwrap_or_default()),
                    PublishError::Permanent(_) => None,
                };
                match retry_at {
                    Some(_) => report.retrying += 1,
                    None => report.failed += 1,
                }
                tracing::info!(event = %id, %error, retry = retry_at.is_some(), "webhook event not delivered");
                model.status =
                    Set(if retry_at.is_some() { EventStatus::Pending } else { EventStatus::Failed });
                model.next_attempt_at = Set(retry_at);
                model.last_error = Set(Some(error.to_string()));
            }
        }
        model.update(db).await?;
    }
    Ok(report)
}

/// Takes the next attempt of an event unless another scheduler already has.
async fn claim(
    db: &impl ConnectionTrait,
    event: &webhook_event::Model,
    in_flight_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = webhook_event::Entity::update_many()
        .col_expr(webhook_event::Column::Attempts, (event.attempts + 1).into())
        .col_expr(webhook_event::Column::NextAttemptAt, Some(in_flight_until).into())
        .col_expr(webhook_event::Column::UpdatedAt, now.into())
        .filter(webhook_event::Column::Id.eq(event.id))
        .filter(webhook_event::Column::Attempts.eq(event.attempts))
        .filter(webhook_event::Column::Status.eq(EventStatus::Pending))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// One attempt, to the webhook as it is set up now (its URL or secret may have changed).
#[tracing::instrument(name = "webhook.event", skip_all, fields(event_id = %event.id))]
async fn deliver(
    db: &DatabaseConnection,
    settings: &SchedulerSettings,
    event: &webhook_event::Model,
    now: DateTime<Utc>,
) -> Result<String, PublishError> {
    let transient = |error: DbErr| PublishError::Transient(error.to_string());
    if !tools::service::connector_enabled(db, ConnectorKind::Webhook).await.map_err(transient)? {
        return Err(PublishError::Permanent(
            "the `webhook` connector is disabled by an administrator".into(),
        ));
    }
    let endpoint = connectors::service::webhook(db, event.owner_id)
        .await
        .map_err(transient)?
        .ok_or_else(|| PublishError::Permanent("no webhook is set up".into()))?;
    let body =
        serde_json::to_vec(&event.payload).map_err(|error| PublishError::Permanent(error.to_string()))?;
    WebhookConnector {
        url: endpoint.url,
        secret: endpoint.secret.into(),
        allowlist: settings.webhook_allowlist.clone(),
        timeout: settings.webhook_timeout,
        timestamp: now.timestamp(),
    }
    .deliver(body, &event.idempotency_key)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (EventStatus::Pending, "pending".to_owned()),
            (EventStatus::Delivered, "delivered".to_owned()),
            (EventStatus::Failed, "failed".to_owned()),
        ]);
    }
}
