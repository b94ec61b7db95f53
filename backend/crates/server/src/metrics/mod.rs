//! Prometheus metrics: the process-wide recorder `GET /metrics` renders (`health::metrics`), and
//! the handful of helpers the rest of the server calls to record what happened. The recorded
//! series' names and labels live here, so they stay consistent and low-cardinality.
//!
//! Counters and histograms go through the `metrics` facade into one process-wide recorder.
//! The job gauges are not kept in the recorder: the scrape counts them in the database, so they
//! are right however many API and worker processes share that database.

mod http;

use std::{
    sync::OnceLock,
    time::{Duration, Instant},
};

use ::metrics::{counter, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub use self::http::track_requests;

const HTTP_REQUESTS: &str = "kyros_http_requests_total";
const HTTP_DURATION: &str = "kyros_http_request_duration_seconds";
const JOBS_PROCESSED: &str = "kyros_jobs_processed_total";
const JOB_DURATION: &str = "kyros_job_duration_seconds";
const GENERATIONS: &str = "kyros_generations_total";
const SCHEDULE_RUNS: &str = "kyros_schedule_runs_total";
const JOB_FAILURES: &str = "kyros_job_failures_total";
const PUBLISH_ATTEMPTS: &str = "kyros_publish_attempts_total";
const PUBLISH_DURATION: &str = "kyros_publish_duration_seconds";

/// Request latencies: from a cache-fast read to a slow upload or URL fetch.
const HTTP_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// Job latencies: the local engine takes milliseconds, a model call with retries up to minutes.
const JOB_BUCKETS: [f64; 11] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0];
/// How often histogram samples are folded into their buckets between scrapes, so a process
/// nobody scrapes (a standalone worker) does not keep every sample in memory.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's recorder, installed on first use and shared by every `AppState` after it.
///
/// The `metrics` facade has exactly one global recorder per process and refuses a second, while
/// tests start many apps in one process: installation must therefore be idempotent. The handle
/// is still carried in `AppState` (rather than read from here by the handler) so the route
/// renders whatever the state was built with, and an app with metrics disabled has none.
pub fn install() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &HTTP_BUCKETS)
                .and_then(|builder| builder.set_buckets_for_metric(Matcher::Full(JOB_DURATION.into()), &JOB_BUCKETS))
                .and_then(|builder| {
                    builder.set_buckets_for_metric(Matcher::Full(PUBLISH_DURATION.into()), &HTTP_BUCKETS)
                })
                .expect("bucket lists are not empty")
                .build_recorder();
            let handle = recorder.handle();
            if let Err(error) = ::metrics::set_global_recorder(recorder) {
                tracing::warn!(%error, "another metrics recorder is installed; /metrics will stay empty");
            }
            let upkeep = handle.clone();
            let spawned = std::thread::Builder::new().name("metrics-upkeep".into()).spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
            if let Err(error) = spawned {
                tracing::warn!(%error, "metrics upkeep thread not started; histograms are folded at scrape time only");
            }
            handle
        })
        .clone()
}

/// One answered HTTP request; `route` is the matched route template, never the raw path.
fn record_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let (method, route) = (method.to_owned(), route.to_owned());
    counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(HTTP_DURATION, "method" => method, "route" => route).record(elapsed.as_secs_f64());
}

/// One job taken off the queue. `worked` is false when nothing was done (a duplicate message,
/// a job gone or finished), which is counted but kept out of the duration histogram.
pub fn record_job(outcome: &'static str, worked: bool, started: Instant) {
    counter!(JOBS_PROCESSED, "outcome" => outcome).increment(1);
    if worked {
        histogram!(JOB_DURATION).record(started.elapsed().as_secs_f64());
    }
}

/// Variants stored for the given channels by `provider` (`local`, `openai`).
pub fn record_generations<'a>(provider: &'static str, channels: impl IntoIterator<Item = &'a str>) {
    for channel in channels {
        counter!(GENERATIONS, "channel" => channel.to_owned(), "provider" => provider).increment(1);
    }
}

/// One delivery attempt of a scheduled post and its outcome (`published`, `retrying`, `failed`).
pub fn record_schedule_run(outcome: String) {
    counter!(SCHEDULE_RUNS, "outcome" => outcome).increment(1);
}

/// A job that failed for good, by why (`no_source`, `no_writer`, `generation`).
pub fn record_job_failure(reason: &'static str) {
    counter!(JOB_FAILURES, "reason" => reason).increment(1);
}

/// One call to a connector: `connector` is `webhook`, `file` or the network of a connected
/// account (`x`, `linkedin`, `mastodon`, `bluesky`); `outcome` is `published`, `transient`,
/// `rate_limited` or `permanent`.
pub fn record_publish(connector: String, outcome: &'static str, elapsed: Duration) {
    counter!(PUBLISH_ATTEMPTS, "connector" => connector.clone(), "outcome" => outcome).increment(1);
    histogram!(PUBLISH_DURATION, "connector" => connector).record(elapsed.as_secs_f64());
}
