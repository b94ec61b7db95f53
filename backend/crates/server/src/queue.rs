//! The job queue: messages carry a job id (the job row is the source of truth) and the trace
//! context of the request that queued it, so the worker's spans join that request's trace.
//!
//! Backed by apalis: SQLite (embedded default, a queue file beside the database),
//! PostgreSQL (its `apalis` schema) or Redis (when `REDIS_URL` is set).
//!
//! A waiting worker is woken the moment a job is queued rather than at its next poll: in
//! the same process through [`Wakeup`], across processes through PostgreSQL `NOTIFY` or a
//! Redis publish on [`WAKE_CHANNEL`]. The queue's heartbeat poll stays as the safety net
//! for a lost notification.

use std::{
    collections::HashMap,
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
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use tracing::Instrument;
use uuid::Uuid;

use crate::{
    config::{Config, QueueBackend},
    traces,
};

/// Runs the job a queued message names: the jobs domain's processor, which the runtime hands
/// to [`JobQueue::run_worker`].
pub trait JobHandler: Clone + Send + Sync + 'static {
    /// An error is returned so the queue retries the job.
    fn handle(&self, job_id: Uuid) -> impl Future<Output = Result<(), BoxDynError>> + Send;
}

/// What travels through the queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobMessage {
    pub job_id: Uuid,
    /// W3C trace context (`traceparent`, `tracestate`) of the span that queued the job; messages
    /// queued before it existed have none.
    #[serde(default, skip_serializing_if = "HashMap::is_empty")]
    pub trace_context: HashMap<String, String>,
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
                let path = sqlite_queue_path(config.database_url.expose_secret());
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
                let url = config.redis_url.as_ref().context("REDIS_URL is required")?.expose_secret();
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
    #[tracing::instrument(name = "queue.enqueue", skip(self), fields(otel.kind = "producer"))]
    pub async fn enqueue(&self, job_id: Uuid) -> anyhow::Result<()> {
        let message = JobMessage { job_id, trace_context: traces::carrier(&tracing::Span::current()) };
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
    pub async fn run_worker<H: JobHandler>(
        &self,
        name: &str,
        concurrency: usize,
        handler: H,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let signal = async move {
            shutdown.await;
            Ok::<(), WorkerError>(())
        };
        let listener = tokio::spawn(relay_announcements(self.remote.clone(), self.wakeup.clone()));
        // The queue is polled when this process queues a job or another announces one, and on
        // every heartbeat as the safety net.
        let strategy = || Strategy::new().stream(self.wakeup.listen());
        let result = match self.storage.clone() {
            Storage::Sqlite(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(handler)
                    .concurrency(concurrency)
                    .build(handle_job_message::<H>)
                    .run_until(signal)
                    .await
            }
            Storage::Postgres(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(handler)
                    .concurrency(concurrency)
                    .build(handle_job_message::<H>)
                    .run_until(signal)
                    .await
            }
            Storage::Redis(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage.poll_with_strategy(strategy()))
                    .data(handler)
                    .concurrency(concurrency)
                    .build(handle_job_message::<H>)
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

/// A wake-up call for this process's worker. Signals are coalesced: a listener yields once
/// for any number of signals since it last yielded.
#[derive(Debug, Clone, Default)]
pub struct Wakeup(Arc<WakeupState>);

#[derive(Debug, Default)]
struct WakeupState {
    waker: AtomicWaker,
    signalled: AtomicBool,
}

/// How long after a wake-up the worker polls once more. The queue library ignores a wake-up
/// that arrives while one of its fetches is in flight, and a fetch that began just before the
/// job was stored comes back empty; the second poll finds that job.
const FOLLOW_UP: Duration = Duration::from_secs(1);

impl Wakeup {
    pub fn signal(&self) {
        self.0.signalled.store(true, Ordering::Release);
        self.0.waker.wake();
    }

    /// The stream the worker polls the queue on: it yields at each signal and once more
    /// [`FOLLOW_UP`] after the last one.
    fn listen(&self) -> WakeupListener {
        WakeupListener { state: self.0.clone(), follow_up: None }
    }
}

impl WakeupState {
    /// Whether a signal came since the last call. `cx` is woken by the next signal either
    /// way: after a wake-up the queue library may park without polling this stream again.
    fn take_signal(&self, cx: &Context<'_>) -> bool {
        // Registered before the check, so a signal in between still wakes `cx`.
        self.waker.register(cx.waker());
        self.signalled.swap(false, Ordering::AcqRel)
    }
}

struct WakeupListener {
    state: Arc<WakeupState>,
    follow_up: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Stream for WakeupListener {
    type Item = ();

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<()>> {
        if self.state.take_signal(cx) {
            let mut follow_up = Box::pin(tokio::time::sleep(FOLLOW_UP));
            // Polled once so that its deadline wakes `cx`.
            let _ = follow_up.as_mut().poll(cx);
            self.follow_up = Some(follow_up);
            return Poll::Ready(Some(()));
        }
        if let Some(follow_up) = self.follow_up.as_mut()
            && follow_up.as_mut().poll(cx).is_ready()
        {
            self.follow_up = None;
            return Poll::Ready(Some(()));
        }
        Poll::Pending
    }
}

fn anyhow_sink<E: std::fmt::Display>(error: E) -> anyhow::Error {
    anyhow::anyhow!("queueing the job: {error}")
}

async fn handle_job_message<H: JobHandler>(message: JobMessage, handler: Data<H>) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("job.process", otel.kind = "consumer", job_id = %message.job_id);
    traces::continue_message(&span, &message.trace_context);
    handler.handle(message.job_id).instrument(span).await
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
    use std::{
        sync::{
            Arc,
            atomic::{AtomicUsize, Ordering},
        },
        task::{Context, Poll, Wake, Waker},
    };

    use futures::StreamExt;

    use super::{FOLLOW_UP, Wakeup, sqlite_queue_path};

    /// Counts how often the task polling the listener is woken.
    #[derive(Default)]
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll(listener: &mut super::WakeupListener, waker: &Arc<CountingWaker>) -> Poll<Option<()>> {
        let waker = Waker::from(waker.clone());
        listener.poll_next_unpin(&mut Context::from_waker(&waker))
    }

    #[tokio::test]
    async fn signals_are_coalesced_and_each_wakes_the_worker() {
        let wakeup = Wakeup::default();
        let mut listener = wakeup.listen();
        let woken = Arc::new(CountingWaker::default());
        assert_eq!(poll(&mut listener, &woken), Poll::Pending, "no signal yet");

        wakeup.signal();
        wakeup.signal();
        assert_eq!(poll(&mut listener, &woken), Poll::Ready(Some(())), "two signals, one wake-up");
        let before = woken.0.load(Ordering::SeqCst);
        // The queue library may park after that wake-up without polling the listener again:
        // the next signal must still wake the worker.
        wakeup.signal();
        assert!(woken.0.load(Ordering::SeqCst) > before, "a signal after a wake-up was lost");
        assert_eq!(poll(&mut listener, &woken), Poll::Ready(Some(())));
    }

    #[tokio::test(start_paused = true)]
    async fn a_wake_up_is_followed_by_one_more_poll() {
        let wakeup = Wakeup::default();
        let mut listener = wakeup.listen();
        let woken = Arc::new(CountingWaker::default());
        wakeup.signal();
        assert_eq!(poll(&mut listener, &woken), Poll::Ready(Some(())));

        // The fetch this wake-up started may be one already in flight: without being polled
        // again, the listener wakes the worker after FOLLOW_UP and yields once more.
        let before = woken.0.load(Ordering::SeqCst);
        tokio::time::advance(FOLLOW_UP).await;
        assert!(woken.0.load(Ordering::SeqCst) > before, "the follow-up never woke the worker");
        assert_eq!(poll(&mut listener, &woken), Poll::Ready(Some(())));
        tokio::time::advance(FOLLOW_UP * 10).await;
        assert_eq!(poll(&mut listener, &woken), Poll::Pending, "only one follow-up");
    }

    #[test]
    fn messages_queued_before_trace_context_still_decode() {
        let old: super::JobMessage =
            serde_json::from_str(r#"{"job_id":"0190c6d4-9b1e-7c3a-8f00-000000000001"}"#).unwrap();
        assert_eq!(old.job_id.to_string(), "0190c6d4-9b1e-7c3a-8f00-000000000001");
        assert!(old.trace_context.is_empty());
    }

    #[test]
    fn queue_file_sits_beside_the_database() {
        assert_eq!(
            sqlite_queue_path("sqlite://./data/kyros.db?mode=rwc").to_str(),
            Some("./data/kyros-queue.db")
        );
        assert_eq!(sqlite_queue_path("sqlite:/tmp/x/app.db").to_str(), Some("/tmp/x/app-queue.db"));
    }
}
