//! A queued job reaches a waiting worker at once, not at the queue's next poll: with a poll
//! an hour apart, a job still finishes.

use crate::common::{ARTICLE, TestApp};

/// The queue's safety-net poll, far longer than any test waits.
const HOUR_LONG_POLL: (&str, &str) = ("KYROS_QUEUE_HEARTBEAT_SECONDS", "3600");

async fn a_queued_job_wakes_the_waiting_worker(app: TestApp) {
    let user = app.user().await;
    // The worker has polled the empty queue and waits for its next poll an hour away.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for _ in 0..3 {
        let job = app.create_job(&user, ARTICLE, &["linkedin", "x"]).await;
        let done = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
        assert_eq!(done["variants"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test]
async fn on_the_embedded_sqlite_queue() {
    a_queued_job_wakes_the_waiting_worker(TestApp::sqlite_with(&[HOUR_LONG_POLL]).await).await;
}

#[tokio::test]
async fn on_the_postgres_queue() {
    let Some(app) = TestApp::postgres_with(&[HOUR_LONG_POLL]).await else { return };
    a_queued_job_wakes_the_waiting_worker(app).await;
}

#[tokio::test]
async fn on_the_redis_queue() {
    let Some(app) = TestApp::sqlite_with_redis_queue_and(&[HOUR_LONG_POLL]).await else { return };
    a_queued_job_wakes_the_waiting_worker(app).await;
}
