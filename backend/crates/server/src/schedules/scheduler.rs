//! The publisher: one active scheduler at a time (a lease row in the database that others
//! wait on and take over when it expires), due occurrences claimed with a compare-and-set so
//! none is published twice, every attempt recorded, failures retried with backoff, and
//! occurrences missed during downtime published once and marked late.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};
use uuid::Uuid;

use super::{
    entity::{run, schedule},
    events::{self, EventAccount, EventVariant, PublishedEvent},
    model::{Attempt, RunStatus},
    service::stored_plan,
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    clock::Clock,
    config::SchedulerSettings,
    connections::{
        self,
        networks::Networks,
        publisher::{AccountPublisher, PartKey},
    },
    connectors::{
        self, Connector, ConnectorKind, Publication, PublishError, PublishedVariant, file::FileConnector,
        network::Network, webhook::WebhookConnector,
    },
    jobs::variants,
    results, tools,
};

const LEASE_NAME: &str = "publisher";
/// Due schedules and runs handled per tick; the next tick takes the rest.
const BATCH: u64 = 100;

/// What one tick did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickReport {
    /// Whether this scheduler held the lease (a standby does nothing else).
    pub active: bool,
    pub claimed: usize,
    pub published: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Webhook events delivered, and those waiting for another attempt.
    pub events_delivered: usize,
    pub events_retrying: usize,
    /// Published posts whose counts were read, and reads that failed.
    pub results_read: usize,
    pub results_failed: usize,
    /// Connected accounts whose name and picture were read again, and reads that failed.
    pub profiles_refreshed: usize,
    pub profiles_failed: usize,
}

impl TickReport {
    /// Whether the tick did anything worth a log line.
    fn did_work(&self) -> bool {
        self.claimed
            + self.published
            + self.failed
            + self.retrying
            + self.events_delivered
            + self.events_retrying
            + self.results_read
            + self.results_failed
            + self.profiles_refreshed
            + self.profiles_failed
            > 0
    }
}

#[derive(Clone)]
pub struct Scheduler {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: SchedulerSettings,
    /// How posts reach connected accounts.
    networks: Networks,
    holder: String,
}

impl Scheduler {
    pub fn new(
        db: DatabaseConnection,
        clock: Arc<dyn Clock>,
        settings: SchedulerSettings,
        networks: Networks,
        holder: String,
    ) -> Self {
        Self { db, clock, settings, networks, holder }
    }

    /// Ticks every poll interval until `stop` resolves, then gives the lease up.
    pub async fn run(self, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
        let mut ticks = tokio::time::interval(self.settings.poll_interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        let mut was_active = false;
        loop {
            tokio::select! {
                () = &mut stop => break,
                _ = ticks.tick() => {}
            }
            match self.tick_at(self.clock.now()).await {
                Ok(report) => {
                    if report.active != was_active {
                        tracing::info!(holder = %self.holder, active = report.active, "scheduler role changed");
                        was_active = report.active;
                    }
                    if report.did_work() {
                        tracing::info!(?report, "scheduler tick");
                    }
                }
                Err(error) => tracing::warn!(%error, "scheduler tick failed; retrying next tick"),
            }
        }
        store::release_lease(&self.db, LEASE_NAME, &self.holder).await?;
        tracing::info!(holder = %self.holder, "scheduler stopped");
        Ok(())
    }

    /// One pass at time `now` (tests pass their own clock's time).
    pub async fn tick_at(&self, now: DateTime<Utc>) -> Result<TickReport, DbErr> {
        let mut report = TickReport::default();
        let lease_until = now + chrono::Duration::from_std(self.settings.lease_ttl).unwrap_or_default();
        if !store::hold_lease(&self.db, LEASE_NAME, &self.holder, now, lease_until).await? {
            return Ok(report);
        }
        report.active = true;
        for due in store::due_schedules(&self.db, now, BATCH).await? {
            if self.claim(&due, now).await? {
                report.claimed += 1;
            }
        }
        for pending in store::due_runs(&self.db, now, BATCH).await? {
            match self.attempt(pending, now).await? {
                Some(RunStatus::Published) => report.published += 1,
                Some(RunStatus::Retrying) => report.retrying += 1,
                Some(RunStatus::Failed) => report.failed += 1,
                _ => {}
            }
        }
        // After publishing, so the event of a post just published goes out in the same tick.
        let retry_delay = |attempts| retry_delay(&self.settings, attempts);
        let events = events::deliver_due(&self.db, &self.settings, retry_delay, now).await?;
        report.events_delivered = events.delivered;
        report.events_retrying = events.retrying;
        let read = results::collector::collect_due(&self.db, &self.networks, now).await?;
        report.results_read = read.read;
        report.results_failed = read.failed;
        // Last: a name or a picture can wait for the posts.
        let profiles = connections::profiles::refresh_due(&self.db, &self.networks, now).await?;
        report.profiles_refreshed = profiles.refreshed;
        report.profiles_failed = profiles.failed;
        Ok(report)
    }

    /// Turns a due occurrence into a run. Occurrences that fell due while nothing was running
    /// are folded into this one (published once, marked late) rather than sent in a burst.
    async fn claim(&self, due: &schedule::Model, now: DateTime<Utc>) -> Result<bool, DbErr> {
        let Some(occurrence) = due.next_run_at else { return Ok(false) };
        let plan = stored_plan(due);
        let next = plan.as_ref().and_then(|plan| plan.next_after(now));
        let missed =
            plan.as_ref().map_or(0, |plan| plan.between(occurrence, now, usize::MAX).len().saturating_sub(1));
        let late =
            now - occurrence > chrono::Duration::from_std(self.settings.late_after).unwrap_or_default();
        let txn = crate::db::begin_write(&self.db).await?;
        if !store::advance(&txn, due.id, occurrence, next, now).await? {
            return Ok(false);
        }
        store::insert_run(
            &txn,
            run::ActiveModel {
                id: Set(Uuid::now_v7()),
                schedule_id: Set(due.id),
                owner_id: Set(due.owner_id),
                occurrence_at: Set(occurrence),
                status: Set(RunStatus::Publishing),
                attempts: Set(0),
                late: Set(late),
                missed: Set(i32::try_from(missed).unwrap_or(i32::MAX)),
                next_attempt_at: Set(Some(now)),
                last_error: Set(None),
                attempt_log: Set(run::AttemptLog::default()),
                published_at: Set(None),
                published_url: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Makes one delivery attempt of a run and records its outcome.
    #[tracing::instrument(
        name = "schedule.publish",
        skip_all,
        fields(run_id = %pending.id, schedule_id = %pending.schedule_id)
    )]
    async fn attempt(&self, pending: run::Model, now: DateTime<Utc>) -> Result<Option<RunStatus>, DbErr> {
        // Hidden from other passes while in flight; if we die here, it is retried after this.
        let in_flight_until = now + chrono::Duration::from_std(self.settings.lease_ttl).unwrap_or_default();
        if !store::claim_attempt(&self.db, &pending, in_flight_until, now).await? {
            return Ok(None);
        }
        let attempts = pending.attempts + 1;
        let outcome = self.deliver(&pending, now).await;
        let mut log = pending.attempt_log.clone();
        let (status, next_attempt_at, last_error) = match &outcome {
            Ok(delivered) => {
                log.0.push(Attempt { at: now, ok: true, detail: delivered.detail.clone() });
                (RunStatus::Published, None, None)
            }
            Err(error) => {
                log.0.push(Attempt { at: now, ok: false, detail: error.to_string() });
                let backoff = |delay: Duration| now + chrono::Duration::from_std(delay).unwrap_or_default();
                let retry_at = match error {
                    PublishError::Transient(_) => self.retry_delay(attempts).map(backoff),
                    // Not before the network's reset, and not sooner than the usual backoff.
                    PublishError::RetryAfter { at, .. } => {
                        self.retry_delay(attempts).map(|delay| backoff(delay).max(*at))
                    }
                    PublishError::Permanent(_) => None,
                };
                match retry_at {
                    Some(at) => (RunStatus::Retrying, Some(at), Some(error.to_string())),
                    None => (RunStatus::Failed, None, Some(error.to_string())),
                }
            }
        };
        tracing::info!(run = %pending.id, schedule = %pending.schedule_id, attempts, status = %status.to_value(), "publish attempt");
        let published = AuditEvent::new(AuditKind::SchedulePublished)
            .subject("schedule", pending.schedule_id)
            .payload(serde_json::json!({
                "run_id": pending.id,
                "owner_id": pending.owner_id,
                "occurrence_at": pending.occurrence_at,
                "late": pending.late,
                "attempts": attempts,
                "detail": outcome.as_ref().ok().map(|delivered| &delivered.detail),
                "url": outcome.as_ref().ok().and_then(|delivered| delivered.url.as_ref()),
            }));
        let event = outcome.as_ref().ok().and_then(|delivered| published_event(&pending, delivered, now));
        let owner_id = pending.owner_id;
        let txn = crate::db::begin_write(&self.db).await?;
        let mut model: run::ActiveModel = pending.into();
        model.status = Set(status);
        model.attempts = Set(attempts);
        model.next_attempt_at = Set(next_attempt_at);
        model.last_error = Set(last_error);
        model.attempt_log = Set(log);
        model.published_at = Set((status == RunStatus::Published).then_some(now));
        model.published_url = Set(outcome.as_ref().ok().and_then(|delivered| delivered.url.clone()));
        model.updated_at = Set(now);
        let saved = store::save_run(&txn, model).await?;
        // Following the post's counts and telling the webhook commit with the run, or neither.
        if let Some(event) = &event {
            results::service::follow(&txn, saved.id, owner_id, event.account.id, event.network, now).await?;
            events::enqueue_published(&txn, owner_id, event, now).await?;
        }
        txn.commit().await?;
        crate::metrics::record_schedule_run(status.to_value());
        if status == RunStatus::Published {
            audit::record_or_log(&self.db, now, published).await;
        }
        Ok(Some(status))
    }

    /// The delay before attempt `attempts + 1`, or `None` when attempts are used up.
    fn retry_delay(&self, attempts: i32) -> Option<Duration> {
        retry_delay(&self.settings, attempts)
    }

    async fn deliver(&self, pending: &run::Model, now: DateTime<Utc>) -> Result<Delivered, PublishError> {
        let Some(schedule) = schedule::Entity::find_by_id(pending.schedule_id)
            .one(&self.db)
            .await
            .map_err(|error| PublishError::Transient(error.to_string()))?
        else {
            return Err(PublishError::Permanent("the schedule was deleted".into()));
        };
        let variant = variants::service::find(&self.db, schedule.variant_id)
            .await
            .map_err(|error| PublishError::Transient(error.to_string()))?
            .ok_or_else(|| PublishError::Permanent("the variant was deleted".into()))?;
        // Only reviewed text goes out: an edit or a regeneration un-accepts the variant.
        if !variant.accepted {
            return Err(PublishError::Permanent(
                "the variant is no longer accepted; accept it again to publish it".into(),
            ));
        }
        let errors = variants::service::errors_of(&variant)
            .map_err(|error| PublishError::Permanent(error.to_string()))?;
        if !errors.is_empty() {
            let detail = variants::service::messages(&errors);
            return Err(PublishError::Permanent(format!("the post fails its checks: {detail}")));
        }
        let publication = Publication {
            idempotency_key: format!("{}:{}", schedule.id, pending.occurrence_at.timestamp()),
            schedule_id: schedule.id,
            occurrence_at: pending.occurrence_at,
            owner_id: schedule.owner_id,
            variant: PublishedVariant {
                id: variant.id,
                job_id: variant.job_id,
                channel: variant.channel,
                content: variant.content,
                metadata: variant.metadata,
            },
        };
        let kind = schedule.connector;
        // Read at every delivery, so switching a connector off stops the very next post.
        let enabled = tools::service::connector_enabled(&self.db, kind)
            .await
            .map_err(|error| PublishError::Transient(error.to_string()))?;
        if !enabled {
            return Err(PublishError::Permanent(format!(
                "the `{kind}` connector is disabled by an administrator"
            )));
        }
        // A connected account is labelled with its network, which is the post's channel.
        let connector = match kind {
            ConnectorKind::Account => Network::of_channel(publication.variant.channel)
                .map_or_else(|| kind.to_string(), |n| n.to_string()),
            other => other.to_string(),
        };
        let started = Instant::now();
        let delivered = match kind {
            ConnectorKind::Account => self.publish_to_account(&schedule, pending, &publication, now).await,
            ConnectorKind::File => FileConnector { outbox: self.settings.outbox_dir.clone() }
                .publish(&publication)
                .await
                .map(Delivered::detail),
            ConnectorKind::Webhook => self.publish_to_webhook(&schedule, &publication, now).await,
        };
        let outcome = match &delivered {
            Ok(_) => "published",
            Err(PublishError::Transient(_)) => "transient",
            Err(PublishError::RetryAfter { .. }) => "rate_limited",
            Err(PublishError::Permanent(_)) => "permanent",
        };
        crate::metrics::record_publish(connector, outcome, started.elapsed());
        delivered
    }

    async fn publish_to_webhook(
        &self,
        schedule: &schedule::Model,
        publication: &Publication,
        now: DateTime<Utc>,
    ) -> Result<Delivered, PublishError> {
        let endpoint = connectors::service::webhook(&self.db, schedule.owner_id)
            .await
            .map_err(|error| PublishError::Transient(error.to_string()))?
            .ok_or_else(|| PublishError::Permanent("no webhook is set up".into()))?;
        WebhookConnector {
            url: endpoint.url,
            secret: endpoint.secret.into(),
            allowlist: self.settings.webhook_allowlist.clone(),
            timeout: self.settings.webhook_timeout,
            timestamp: now.timestamp(),
        }
        .publish(publication)
        .await
        .map(Delivered::detail)
    }

    /// Publishes the post, or the thread part by part, to the schedule's connected account.
    /// Each part is recorded the moment the network created it, so a retry after a crash or a
    /// failure resumes with the next part and never posts one twice.
    async fn publish_to_account(
        &self,
        schedule: &schedule::Model,
        pending: &run::Model,
        publication: &Publication,
        now: DateTime<Utc>,
    ) -> Result<Delivered, PublishError> {
        let connection_id = schedule
            .connection_id
            .ok_or_else(|| PublishError::Permanent("the schedule names no connected account".into()))?;
        let mut account =
            AccountPublisher::open(&self.db, &self.networks, schedule.owner_id, connection_id).await?;
        let channel = publication.variant.channel;
        let parts = engine::post_parts(channel, &publication.variant.content);
        let mut published = store::parts_of(&self.db, pending.id).await.map_err(transient)?;
        for (index, text) in parts.iter().enumerate().skip(published.len()) {
            let thread = published.first().zip(published.last());
            let first_attempt =
                store::record_intent(&self.db, pending.id, index, now).await.map_err(transient)?;
            let key = PartKey {
                run_id: pending.id,
                occurrence_at: pending.occurrence_at,
                index,
                idempotency_key: format!("{}:{index}", publication.idempotency_key),
                outcome_unknown: !first_attempt,
            };
            let part = account.publish_part(text, thread, &key).await?;
            store::insert_part(&self.db, pending.id, index, &part, now).await.map_err(transient)?;
            published.push(part);
        }
        let url = published.first().and_then(|part| part.url.clone());
        let what =
            if parts.len() == 1 { "the post".to_owned() } else { format!("a thread of {}", parts.len()) };
        Ok(Delivered {
            detail: format!("published {what} as {}", account.describe()),
            url,
            account: Some(AccountDelivery {
                connection_id,
                network: account.network(),
                handle: account.handle().to_owned(),
                variant: EventVariant {
                    id: publication.variant.id,
                    job_id: publication.variant.job_id,
                    channel: publication.variant.channel,
                },
            }),
        })
    }
}

/// The delay before attempt `attempts + 1` of anything the scheduler delivers, or `None` when
/// attempts are used up: exponential from the base delay.
fn retry_delay(settings: &SchedulerSettings, attempts: i32) -> Option<Duration> {
    let retries_used = usize::try_from(attempts).unwrap_or(usize::MAX).saturating_sub(1);
    ExponentialBuilder::default()
        .with_min_delay(settings.retry_base_delay)
        .with_max_delay(settings.retry_base_delay * 64)
        .with_max_times(settings.max_attempts.saturating_sub(1))
        .build()
        .nth(retries_used)
}

/// What a delivery produced: a short description and, for a connected account, where people
/// see the post and who published it.
struct Delivered {
    detail: String,
    url: Option<String>,
    account: Option<AccountDelivery>,
}

/// The connected account a post went out to, and the post.
struct AccountDelivery {
    connection_id: Uuid,
    network: Network,
    handle: String,
    variant: EventVariant,
}

/// The `published` event of a run a connected account just published.
fn published_event(
    pending: &run::Model,
    delivered: &Delivered,
    now: DateTime<Utc>,
) -> Option<PublishedEvent> {
    let account = delivered.account.as_ref()?;
    Some(PublishedEvent {
        event: PublishedEvent::NAME,
        run_id: pending.id,
        schedule_id: pending.schedule_id,
        occurrence_at: pending.occurrence_at,
        published_at: now,
        published_url: delivered.url.clone(),
        variant: account.variant.clone(),
        network: account.network,
        account: EventAccount { id: account.connection_id, handle: account.handle.clone() },
    })
}

impl Delivered {
    /// A delivery to a connector that has no public link (a webhook, a file).
    fn detail(detail: String) -> Self {
        Self { detail, url: None, account: None }
    }
}

fn transient(error: DbErr) -> PublishError {
    PublishError::Transient(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[tokio::test]
    async fn retries_back_off_exponentially_until_attempts_run_out() {
        let mut settings = Config::from_lookup(|_| None).unwrap().scheduler;
        settings.retry_base_delay = Duration::from_secs(30);
        settings.max_attempts = 4;
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let config = Config::from_lookup(|_| None).unwrap();
        let clock: Arc<dyn Clock> = Arc::new(crate::clock::SystemClock);
        let networks = Networks::new(config.networks, config.secret_keys, clock.clone());
        let scheduler = Scheduler::new(db, clock, settings, networks, "test".into());
        let delays: Vec<Option<u64>> =
            (1..=4).map(|attempts| scheduler.retry_delay(attempts).map(|d| d.as_secs())).collect();
        assert_eq!(delays, [Some(30), Some(60), Some(120), None]);
    }
}
