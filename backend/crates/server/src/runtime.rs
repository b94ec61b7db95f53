//! Long-running processes: the API server (with its embedded worker) and standalone workers
//! and schedulers, which serve their own `/metrics` and health checks on `METRICS_PORT`.

use std::{future::Future, net::SocketAddr};

use anyhow::Context;
use tokio::{net::TcpListener, sync::watch};

use crate::{
    app::build_router, config::Config, connections::networks::Networks, health, jobs,
    jobs::processing::JobProcessor, schedules::scheduler::Scheduler, state::AppState,
};

/// Resolves on SIGTERM or Ctrl-C; every clone sees the same signal.
#[derive(Clone)]
pub struct Shutdown(watch::Receiver<bool>);

impl Shutdown {
    /// Listens for the process's termination signals.
    pub fn on_signals() -> Self {
        let (sender, receiver) = watch::channel(false);
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutdown requested: draining requests and jobs");
            let _ = sender.send(true);
        });
        Self(receiver)
    }

    /// A shutdown that fires when `trigger` resolves (tests).
    pub fn when(trigger: impl Future<Output = ()> + Send + 'static) -> Self {
        let (sender, receiver) = watch::channel(false);
        tokio::spawn(async move {
            trigger.await;
            let _ = sender.send(true);
        });
        Self(receiver)
    }

    pub async fn wait(mut self) {
        let _ = self.0.wait_for(|stopped| *stopped).await;
    }
}

async fn wait_for_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Serves the API on an already bound listener until `shutdown`, running the embedded
/// worker beside it when configured. In-flight requests and jobs finish before it returns.
pub async fn serve_on(listener: TcpListener, state: AppState, shutdown: Shutdown) -> anyhow::Result<()> {
    let worker = state.config.embedded_worker.then(|| {
        let state = state.clone();
        let shutdown = shutdown.clone();
        // Named per process: workers sharing a Redis queue must not share a name.
        let name = format!("embedded-{}-{}", hostname(), std::process::id());
        tokio::spawn(async move { run_worker(&state, &name, shutdown).await })
    });
    let scheduler = state.config.scheduler.embedded.then(|| {
        let scheduler = scheduler_of(&state, format!("embedded-{}-{}", hostname(), std::process::id()));
        tokio::spawn(scheduler.run(shutdown.clone().wait()))
    });
    let grace = state.config.shutdown_grace;
    let router = build_router(state);
    let server = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown.clone().wait());
    tokio::select! {
        served = server => served.context("serving HTTP")?,
        () = grace_over(shutdown, grace) => tracing::warn!(?grace, "grace period over: abandoning in-flight requests"),
    }
    // Past the grace period the process exits with work in flight: each job's row still says
    // `running`, and the queue hands it to another worker (or this one, restarted).
    for (name, task) in [("worker", worker), ("scheduler", scheduler)] {
        let Some(task) = task else { continue };
        match tokio::time::timeout(grace, task).await {
            Ok(joined) => joined.with_context(|| format!("joining the embedded {name}"))??,
            Err(_) => tracing::warn!(?grace, "grace period over: abandoning the embedded {name}"),
        }
    }
    Ok(())
}

/// Resolves `grace` after `shutdown` fires.
async fn grace_over(shutdown: Shutdown, grace: std::time::Duration) {
    shutdown.wait().await;
    tokio::time::sleep(grace).await;
}

/// `kyros scheduler`: publishes due posts until SIGTERM. Several may run; one is active and
/// the others stand by to take over.
pub async fn scheduler(config: Config) -> anyhow::Result<()> {
    let state = AppState::connect(config, false).await?;
    let holder = format!("scheduler-{}-{}", hostname(), std::process::id());
    let shutdown = Shutdown::on_signals();
    let operations = serve_operations(&state, shutdown.clone()).await?;
    tracing::info!(%holder, "Kyros scheduler started");
    let result = scheduler_of(&state, holder).run(shutdown.wait()).await;
    if let Some(task) = operations {
        task.abort();
    }
    result
}

/// `kyros serve`: migrations, then the API on HOST:PORT.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let address = SocketAddr::new(config.host, config.port);
    let state = AppState::connect(config, true).await?;
    let listener = TcpListener::bind(address).await.with_context(|| format!("binding {address}"))?;
    tracing::info!(%address, queue = ?state.queue, embedded_worker = state.config.embedded_worker, "Kyros API listening");
    serve_on(listener, state, Shutdown::on_signals()).await
}

/// `kyros worker`: processes queued jobs until SIGTERM.
pub async fn worker(config: Config) -> anyhow::Result<()> {
    let state = AppState::connect(config, false).await?;
    let name = format!("worker-{}-{}", hostname(), std::process::id());
    let shutdown = Shutdown::on_signals();
    let operations = serve_operations(&state, shutdown.clone()).await?;
    tracing::info!(worker = %name, queue = ?state.queue, "Kyros worker started");
    let grace = state.config.shutdown_grace;
    let result = tokio::select! {
        result = run_worker(&state, &name, shutdown.clone()) => result,
        () = grace_over(shutdown, grace) => {
            tracing::warn!(?grace, "grace period over: abandoning in-flight jobs to other workers");
            Ok(())
        }
    };
    if let Some(task) = operations {
        task.abort();
    }
    result
}

/// Serves `/metrics`, `/healthz` and `/readyz` of a worker or scheduler on `METRICS_PORT` until
/// `shutdown`, so every process can be scraped; without a port, serves nothing. The port is
/// bound before the process starts working, so a taken port stops it at once.
async fn serve_operations(
    state: &AppState,
    shutdown: Shutdown,
) -> anyhow::Result<Option<tokio::task::JoinHandle<()>>> {
    let Some(port) = state.config.metrics_port else {
        return Ok(None);
    };
    let address = SocketAddr::new(state.config.host, port);
    let listener =
        TcpListener::bind(address).await.with_context(|| format!("binding METRICS_PORT {address}"))?;
    tracing::info!(%address, "metrics and health checks listening");
    let (router, _) = health::router().split_for_parts();
    let router = router.with_state(state.clone());
    Ok(Some(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).with_graceful_shutdown(shutdown.wait()).await {
            tracing::error!(%error, "serving metrics failed");
        }
    })))
}

async fn run_worker(state: &AppState, name: &str, shutdown: Shutdown) -> anyhow::Result<()> {
    let sweeper = tokio::spawn(requeue_stale_jobs(state.clone(), shutdown.clone()));
    let result = state
        .queue
        .run_worker(name, state.config.worker_concurrency, job_processor(state), shutdown.wait())
        .await;
    sweeper.abort();
    result
}

/// Re-queues jobs left `queued` longer than `KYROS_REQUEUE_AFTER_SECONDS` (their message was
/// lost, e.g. the queue was down when the job was created). A duplicate message is harmless:
/// processing is idempotent.
async fn requeue_stale_jobs(state: AppState, shutdown: Shutdown) {
    let after = state.config.requeue_after;
    let mut ticks = tokio::time::interval(after.min(std::time::Duration::from_secs(60)));
    let stop = shutdown.wait();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => return,
            _ = ticks.tick() => {}
        }
        let before =
            state.clock.now() - chrono::Duration::from_std(after).unwrap_or(chrono::Duration::minutes(5));
        match jobs::service::stale_queued(&state.db, before, 100).await {
            Ok(ids) => {
                for id in ids {
                    tracing::warn!(job_id = %id, "re-queueing a job that waited too long");
                    if let Err(error) = state.queue.enqueue(id).await {
                        tracing::error!(job_id = %id, %error, "re-queueing failed");
                    }
                }
            }
            Err(error) => tracing::error!(%error, "looking for stale queued jobs failed"),
        }
    }
}

/// A publisher of scheduled posts named `holder` in the scheduler lease.
pub fn scheduler_of(state: &AppState, holder: String) -> Scheduler {
    Scheduler::new(
        state.db.clone(),
        state.clock.clone(),
        state.config.scheduler.clone(),
        Networks::of(state),
        holder,
    )
}

/// What a worker runs each queued job with.
pub fn job_processor(state: &AppState) -> JobProcessor {
    JobProcessor::new(state.db.clone(), state.clock.clone(), state.generator.clone())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "local".to_owned())
}
