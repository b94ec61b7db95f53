//! The job queue: messages carry only a job id; the job row is the source of truth.
//!
//! Backed by apalis: SQLite (embedded default, a queue file beside the database),
//! PostgreSQL (its `apalis` schema) or Redis (when `REDIS_URL` is set).
//!
//! A waiting worker is woken the moment a job is queued rather than at its next poll: in
//! the same process through [`Wakeup`], across processes through PostgreSQL `NOTIFY` or a
//! Redis publish on [`WAKE_CHANNEL`]. The queue's heartbeat poll stays as the safety net
//! for a lost notification.

use std::{
    future::Future,
    path::PathBuf,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use anyhow::Context as _;
use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_redis::RedisStorage;
use apalis_sqlite::SqliteStorage;
use futures::{Stream, StreamExt, task::AtomicWaker};
use sea_orm::{
    DatabaseConnection,
    sqlx::{
        self,
        sqlite::{SqliteConnectOptions, SqliteJournalMode},
    },
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    config::{Config, QueueBackend},
    jobs::processing::JobProcessor,
};

/// What travels through the queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobMessage {
    pub job_id: Uuid,
}

#[derive(Clone)]
enum Storage {
    Sqlite(SqliteStorage<JobMessage>),
    Postgres(PostgresStorage<JobMessage>),
    Redis(RedisStorage<JobMessage>),
}

/// The queue, and how a worker waiting on it learns that a job was queued.
#[derive(Clone)]
pub struct JobQueue {
    storage: Storage,
    /// Wakes this process's worker.
    wakeup: Wakeup,
    /// Wakes workers in other processes.
    remote: RemoteWake,
}

/// How a worker in another process is told a job was queued.
#[derive(Clone)]
enum RemoteWake {
    /// The embedded SQLite queue has no worker outside this process.
    None,
    Postgres(sqlx::PgPool),
    Redis(redis::Client),
}

/// The PostgreSQL `NOTIFY` channel and Redis publish channel that announce a queued job.
pub const WAKE_CHANNEL: &str = "kyros_job_queued";

impl std::fmt::Debug for JobQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let backend = match self.storage {
            Storage::Sqlite(_) => "sqlite",
            Storage::Postgres(_) => "postgres",
            Storage::Redis(_) => "redis",
        };
        f.debug_tuple("JobQueue").field(&backend).finish()
    }
}

impl JobQueue {
    /// Connects the backend `config` selects and installs its schema.
    pub async fn connect(config: &Config, db: &DatabaseConnection) -> anyhow::Result<Self> {
        match config.queue_backend() {
            QueueBackend::Sqlite => {
                let path = sqlite_queue_path(&config.database_url);
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10));
                let pool = sqlx::SqlitePool::connect_with(options)
                    .await
                    .with_context(|| format!("opening the queue database {}", path.display()))?;
                SqliteStorage::<()>::setup(&pool).await.context("installing the SQLite queue")?;
                let storage_config = apalis_sqlite::Config::default()
                    .queue(&config.queue_name)
                    .heartbeat_interval(config.queue_heartbeat);
                let storage = Storage::Sqlite(SqliteStorage::new(&pool).with_config(storage_config));
                Ok(Self::new(storage, RemoteWake::None))
            }
            QueueBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                PostgresStorage::<()>::setup(&pool).await.context("installing the PostgreSQL queue")?;
                let storage_config = apalis_postgres::Config::default()
                    .queue(&config.queue_name)
                    .heartbeat_interval(config.queue_heartbeat);
                let storage = Storage::Postgres(PostgresStorage::new(&pool).with_config(storage_config));
                Ok(Self::new(storage, RemoteWake::Postgres(pool)))
            }
            QueueBackend::Redis => {
                let url = config.redis_url.as_deref().context("REDIS_URL is required")?;
                let connection = apalis_redis::connect(url).await.context("connecting to Redis")?;
                let storage_config = apalis_redis::Config::default()
                    .queue(&config.queue_name)
                    .heartbeat_interval(config.queue_heartbeat);
                let storage = Storage::Redis(RedisStorage::new(connection).with_config(storage_config));
                let client = redis::Client::open(url).context("reading REDIS_URL")?;
                Ok(Self::new(storage, RemoteWake::Redis(client)))
            }
        }
    }

    fn new(storage: Storage, remote: RemoteWake) -> Self {
        Self { storage, wakeup: Wakeup::default(), remote }
    }

    /// Queues a job for processing and wakes a waiting worker. Pushing twice is harmless:
    /// processing is idempotent.
    pub async fn enqueue(&self, job_id: Uuid) -> anyhow::Result<()> {
        let message = JobMessage { job_id };
        match self.storage.clone() {
            Storage::Sqlite(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
            Storage::Postgres(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
            Storage::Redis(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
        }
        self.wakeup.signal();
        // The job is queued either way: a lost notification only waits for the next poll.
        if let Err(error) = self.announce().await {
            tracing::warn!(%error, "could not announce a queued job to other workers");
        }
        Ok(())
    }

    /// Tells workers in other processes that a job was queued.
    async fn announce(&self) -> anyhow::Result<()> {
        match &self.remote {
            RemoteWake::None => {}
            RemoteWake::Postgres(pool) => {
                sqlx::query("SELECT pg_notify($1, '')").bind(WAKE_CHANNEL).execute(pool).await?;
            }
            RemoteWake::Redis(client) => {
                let mut connection = client.get_multiplexed_async_connection().await?;
                redis::cmd("PUBLISH").arg(WAKE_CHANNEL).arg("").exec_async(&mut connection).await?;
            }
        }
        Ok(())
    }

    /// Runs a worker until `shutdown` resolves; in-flight jobs finish first.
    pub async fn run_worker(
        &self,
        name: &str,
        concurrency: usize,
        processor: JobProcessor,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let signal = async move {
            shutdown.await;
            Ok::<(), WorkerError>(())
        };
        let listener = tokio::spawn(relay_announcements(self.remote.clone(), self.wakeup.clone()));
        // The queue is polled when this process queues a job or another announces one, and on
        // every heartbeat as the safety net.
        let strategy = || Strategy::new().stream(self.wakeup.clone());
        let result = match self.storage.clone() {
            Storage::Sqlite(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
            Storage::Postgres(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
            Storage::Redis(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
        };
        listener.abort();
        result.map_err(|error| anyhow::anyhow!("worker stopped: {error}"))
    }
}

/// Relays other processes' announcements of queued jobs to this process's worker, listening
/// again after a lost connection.
async fn relay_announcements(remote: RemoteWake, wakeup: Wakeup) {
    if matches!(remote, RemoteWake::None) {
        return;
    }
    loop {
        if let Err(error) = listen(&remote, &wakeup).await {
            tracing::warn!(%error, "listening for queued jobs failed: polling until it is back");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen(remote: &RemoteWake, wakeup: &Wakeup) -> anyhow::Result<()> {
    match remote {
        RemoteWake::None => Ok(()),
        RemoteWake::Postgres(pool) => {
            let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
            listener.listen(WAKE_CHANNEL).await?;
            // A job queued while the listener was away is found by this poll.
            wakeup.signal();
            loop {
                listener.recv().await?;
                wakeup.signal();
            }
        }
        RemoteWake::Redis(client) => {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(WAKE_CHANNEL).await?;
            wakeup.signal();
            let mut messages = pubsub.into_on_message();
            while messages.next().await.is_some() {
                wakeup.signal();
            }
            anyhow::bail!("the Redis subscription ended")
        }
    }
}

/// A wake-up call for this process's worker: a stream that yields once after any number of
/// signals since it last yielded.
#[derive(Debug, Clone, Default)]
pub struct Wakeup(Arc<WakeupState>);

#[derive(Debug, Default)]
struct WakeupState {
    waker: AtomicWaker,
    signalled: AtomicBool,
}

impl Wakeup {
    pub fn signal(&self) {
        self.0.signalled.store(true, Ordering::Release);
        self.0.waker.wake();
    }
}

impl Stream for Wakeup {
    type Item = ();

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let state = &self.0;
        if state.signalled.swap(false, Ordering::AcqRel) {
            return Poll::Ready(Some(()));
        }
        state.waker.register(cx.waker());
        // A signal between the check and the registration must not be lost.
        if state.signalled.swap(false, Ordering::AcqRel) {
            return Poll::Ready(Some(()));
        }
        Poll::Pending
    }
}

fn anyhow_sink<E: std::fmt::Display>(error: E) -> anyhow::Error {
    anyhow::anyhow!("queueing the job: {error}")
}

async fn handle_job_message(message: JobMessage, processor: Data<JobProcessor>) -> Result<(), BoxDynError> {
    processor.process(message.job_id).await.map(|_| ()).map_err(Into::into)
}

/// The queue's SQLite file sits beside the main database (`kyros.db` → `kyros-queue.db`),
/// so the queue library's own tables never meet ours.
fn sqlite_queue_path(database_url: &str) -> PathBuf {
    let rest = database_url.strip_prefix("sqlite:").unwrap_or(database_url);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = PathBuf::from(rest.split('?').next().unwrap_or_default());
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("kyros");
    path.with_file_name(format!("{stem}-queue.db"))
}

#[cfg(test)]
mod tests {
    use super::sqlite_queue_path;

    #[test]
    fn queue_file_sits_beside_the_database() {
        assert_eq!(
            sqlite_queue_path("sqlite://./data/kyros.db?mode=rwc").to_str(),
            Some("./data/kyros-queue.db")
        );
        assert_eq!(sqlite_queue_path("sqlite:/tmp/x/app.db").to_str(), Some("/tmp/x/app-queue.db"));
    }
}
