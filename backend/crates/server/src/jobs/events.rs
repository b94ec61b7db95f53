//! A job's progress as Server-Sent Events (`GET /jobs/{id}/events`).
//!
//! The stream polls the job row instead of listening to an in-process broadcast: the row is the
//! source of truth, and the worker moving the job on may be a separate `kyros worker` process
//! this API process never hears from. One primary-key read per open stream every
//! [`POLL_INTERVAL`] is cheap, and correct however the workers are deployed.

use std::time::Duration;

use axum::response::sse::Event;
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, stream};
use uuid::Uuid;

use super::{
    model::{Job, JobStatus},
    store,
};
use crate::{auth::AuthUser, error::ApiError, state::AppState};

/// How often an open stream reads the job row.
pub const POLL_INTERVAL: Duration = Duration::from_millis(400);
/// The name of every event the stream sends; its data is the job as `GET /jobs/{id}` shows it.
pub const STATUS_EVENT: &str = "status";

/// What the client last saw of a job: a change to either is worth an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    status: JobStatus,
    updated_at: DateTime<Utc>,
}

impl Seen {
    fn of(job: &Job) -> Self {
        Self { status: job.status, updated_at: job.updated_at }
    }
}

/// Whether generation has finished with the job, so the stream has nothing more to report.
pub fn ends_stream(status: JobStatus) -> bool {
    matches!(status, JobStatus::NeedsReview | JobStatus::Done | JobStatus::Failed)
}

/// Where a stream is: still watching (with what it last sent), or finished.
enum Watch {
    Watching { seen: Seen, ticker: tokio::time::Interval },
    Finished,
}

/// The owner's job as a stream of `status` events: the job now, then each change, ending once a
/// status that [`ends_stream`] has been sent or after the configured lifetime. Another user's
/// job is `NotFound` before anything is streamed.
pub async fn watch(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
) -> Result<impl Stream<Item = Result<Event, axum::Error>> + use<>, ApiError> {
    let first: Job =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("job"))?.into();
    let opening = stream::once(std::future::ready(status_event(&first)));
    let next = if ends_stream(first.status) {
        Watch::Finished
    } else {
        let mut ticker = tokio::time::interval(POLL_INTERVAL);
        // A slow database read delays the next poll rather than causing a burst of them.
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticker.reset();
        Watch::Watching { seen: Seen::of(&first), ticker }
    };
    let db = state.db.clone();
    let changes = stream::unfold(next, move |watch| {
        let db = db.clone();
        async move {
            let Watch::Watching { mut seen, mut ticker } = watch else {
                return None;
            };
            loop {
                ticker.tick().await;
                let job: Job = match store::find_owned(&db, user.id, id).await {
                    Ok(Some(row)) => row.into(),
                    // Gone (its owner deleted the account): nothing more will happen to it.
                    Ok(None) => return None,
                    Err(error) => {
                        // The client reconnects or falls back to polling `GET /jobs/{id}`.
                        tracing::warn!(job_id = %id, error = %error, "job events stream stopped");
                        return None;
                    }
                };
                if Seen::of(&job) == seen {
                    continue;
                }
                seen = Seen::of(&job);
                let next =
                    if ends_stream(job.status) { Watch::Finished } else { Watch::Watching { seen, ticker } };
                return Some((status_event(&job), next));
            }
        }
    });
    let lifetime = tokio::time::sleep(state.config.job_events_max_lifetime);
    Ok(opening.chain(changes).take_until(lifetime))
}

fn status_event(job: &Job) -> Result<Event, axum::Error> {
    Event::default().event(STATUS_EVENT).json_data(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_ends_once_generation_is_over() {
        assert!(!ends_stream(JobStatus::Draft));
        assert!(!ends_stream(JobStatus::Queued));
        assert!(!ends_stream(JobStatus::Running));
        assert!(ends_stream(JobStatus::NeedsReview));
        assert!(ends_stream(JobStatus::Done));
        assert!(ends_stream(JobStatus::Failed));
    }
}
