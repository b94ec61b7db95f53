//! Everything a request handler needs, built once at startup.

use std::sync::Arc;

use anyhow::Context;
use metrics_exporter_prometheus::PrometheusHandle;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;

use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    db,
    generation::{Generator, openai::OpenAiProvider},
    known_accounts::KnownAccounts,
    metrics, password,
    queue::JobQueue,
    rate_limit::RateLimiter,
    token_keys::TokenKeys,
};

/// Cloned for every request (extractors and middleware take it by value), so a clone is one
/// reference count; the services are reached through `Deref`.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Services>);

/// What a request handler reaches through [`AppState`].
#[derive(Debug)]
pub struct Services {
    pub db: DatabaseConnection,
    pub config: Config,
    pub tokens: TokenKeys,
    pub clock: Arc<dyn Clock>,
    pub queue: JobQueue,
    pub generator: Generator,
    pub redis: Option<redis::aio::ConnectionManager>,
    /// Request buckets: in Redis when configured (shared by every process), in memory otherwise.
    pub rate_limiter: RateLimiter,
    /// Renders `/metrics`; `None` when `METRICS_ENABLED=false`. Carried here rather than read
    /// from the process-wide recorder so the route serves what this state was built with.
    pub metrics: Option<PrometheusHandle>,
    /// Accounts recently confirmed to exist (access tokens of removed accounts are refused).
    pub known_accounts: KnownAccounts,
    /// Verified against when an unknown email signs in, so both paths cost the same.
    pub dummy_password_hash: String,
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

impl AppState {
    /// Connects to the database (migrating it when asked), the queue and Redis.
    pub async fn connect(config: Config, run_migrations: bool) -> anyhow::Result<Self> {
        Self::connect_with_clock(config, run_migrations, Arc::new(SystemClock)).await
    }

    /// [`AppState::connect`] telling time by `clock` (tests move it forward).
    pub async fn connect_with_clock(
        config: Config,
        run_migrations: bool,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let db = db::connect(&config).await?;
        if run_migrations {
            db::migrate_up(&db).await?;
        }
        let queue = JobQueue::connect(&config, &db).await?;
        let redis = match &config.redis_url {
            Some(url) => {
                let client = redis::Client::open(url.expose_secret()).context("reading REDIS_URL")?;
                Some(redis::aio::ConnectionManager::new(client).await.context("connecting to Redis")?)
            }
            None => None,
        };
        let generator = match &config.openai {
            Some(settings) => Generator::with_model(
                OpenAiProvider::new(settings.clone()).context("building the model client")?,
            ),
            None => Generator::local(),
        };
        let rate_limiter = RateLimiter::new(redis.clone(), &config.rate_limits.key_prefix);
        let metrics = config.metrics_enabled.then(metrics::install);
        Ok(Self(Arc::new(Services {
            generator,
            rate_limiter,
            tokens: TokenKeys::new(
                config.jwt_secret.expose_secret(),
                &config.jwt_issuer,
                config.access_token_ttl,
            ),
            config,
            clock,
            db,
            queue,
            redis,
            metrics,
            known_accounts: KnownAccounts::default(),
            dummy_password_hash: password::hash("kyros-timing-equaliser".into()).await?,
        })))
    }
}
