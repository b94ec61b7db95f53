//! The job queue: messages carry only a job id; the job row is the source of truth.
//!
//! Backed by apalis: SQLite (embedded default, a queue file beside the database),
//! PostgreSQL (its `apalis` schema) or Redis (when `REDIS_URL` is set).

use std::{future::Future, path::PathBuf, time::Duration};

use anyhow::Context;
use apalis::prelude::*;
use apalis_postgres::PostgresStorage;
use apalis_redis::RedisStorage;
use apalis_sqlite::SqliteStorage;
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
pub enum JobQueue {
    Sqlite(SqliteStorage<JobMessage>),
    Postgres(PostgresStorage<JobMessage>),
    Redis(RedisStorage<JobMessage>),
}

impl std::fmt::Debug for JobQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let backend = match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
            Self::Redis(_) => "redis",
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
                Ok(Self::Sqlite(SqliteStorage::new(&pool).with_config(storage_config)))
            }
            QueueBackend::Postgres => {
                let pool = db.get_postgres_connection_pool().clone();
                PostgresStorage::<()>::setup(&pool).await.context("installing the PostgreSQL queue")?;
                let storage_config = apalis_postgres::Config::default()
                    .queue(&config.queue_name)
                    .heartbeat_interval(config.queue_heartbeat);
                Ok(Self::Postgres(PostgresStorage::new(&pool).with_config(storage_config)))
            }
            QueueBackend::Redis => {
                let url = config.redis_url.as_deref().context("REDIS_URL is required")?;
                let connection = apalis_redis::connect(url).await.context("connecting to Redis")?;
                let storage_config = apalis_redis::Config::default()
                    .queue(&config.queue_name)
                    .heartbeat_interval(config.queue_heartbeat);
                Ok(Self::Redis(RedisStorage::new(connection).with_config(storage_config)))
            }
        }
    }

    /// Queues a job for processing. Pushing twice is harmless: processing is idempotent.
    pub async fn enqueue(&self, job_id: Uuid) -> anyhow::Result<()> {
        let message = JobMessage { job_id };
        match self.clone() {
            Self::Sqlite(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
            Self::Postgres(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
            Self::Redis(mut storage) => storage.push(message).await.map_err(anyhow_sink)?,
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
        let result = match self.clone() {
            Self::Sqlite(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage)
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
            Self::Postgres(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage)
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
            Self::Redis(storage) => {
                WorkerBuilder::new(name)
                    .backend(storage)
                    .data(processor)
                    .concurrency(concurrency)
                    .build(handle_job_message)
                    .run_until(signal)
                    .await
            }
        };
        result.map_err(|error| anyhow::anyhow!("worker stopped: {error}"))
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
