//! Published posts' results against the loopback X (`fakenets`): counts read at growing
//! intervals for a week and shown with the runs and on the dashboard, reads paused while the
//! account needs reconnecting and held back by rate limits, and the `published` webhook event.

use std::net::SocketAddr;

use chrono::{DateTime, Duration, Utc};
use fakenets::{Failure, Metrics, x as fake_x};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{connectors::webhook::signature, schedules::scheduler::Scheduler};

use crate::{
    common::{TestApp, TestUser, assert_problem},
    publishing::{THREAD, accepted_post, connect, schedule, x_settings},
    schedules::{Receiver, runs, set_webhook, time},
    tools::put_tool,
};

#[derive(Debug, Clone, Copy)]
enum Backend {
    Sqlite,
    Postgres,
}

/// The app on `backend`, publishing to the fake X; `None` when PostgreSQL is absent.
async fn x_app(fake: &fake_x::FakeX, backend: Backend) -> Option<TestApp> {
    let settings = x_settings(fake);
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(name, value)| (*name, value.as_str())).collect();
    match backend {
        Backend::Sqlite => Some(TestApp::sqlite_with(&pairs).await),
        Backend::Postgres => TestApp::postgres_with(&pairs).await,
    }
}

/// A user with a connected X account whose `content` the scheduler has just published.
struct Published {
    user: TestUser,
    connection: Value,
    schedule_id: String,
    scheduler: Scheduler,
    /// When the scheduler published it.
    at: DateTime<Utc>,
}

/// Publishes `content`; with a `webhook`, the user sets it up first.
async fn publish(app: &TestApp, content: &str, webhook: Option<SocketAddr>) -> (Published, Option<String>) {
    let user = app.user().await;
    let secret = match webhook {
        Some(address) => Some(set_webhook(app, &user, address).await),
        None => None,
    };
    let connection = connect(app, &user, "x", json!({}), StatusCode::CREATED).await;
    let variant = accepted_post(app, &user, "x", content).await;
    let (schedule_id, due) = schedule(app, &user, &variant, &connection).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());
    let at = due + Duration::seconds(1);
    assert_eq!(scheduler.tick_at(at).await.unwrap().published, 1);
    (Published { user, connection, schedule_id, scheduler, at }, secret)
}

const POST: &str = "Rye & Crumb moved to a four-day week and sales went up.";

async fn latest_run(app: &TestApp, published: &Published) -> Value {
    runs(app, &published.user, &published.schedule_id).await.remove(0)
}

fn metrics(likes: u64, reposts: u64, quotes: u64, replies: u64, impressions: u64) -> Metrics {
    Metrics { likes, reposts, quotes, replies, impressions }
}

async fn counts_are_read_at_growing_intervals_and_stop_after_a_week(backend: Backend) {
    let fake = fake_x::spawn().await;
    let Some(app) = x_app(&fake, backend).await else { return };
    let (published, _) = publish(&app, THREAD, None).await;
    let (scheduler, at) = (&published.scheduler, published.at);
    let run = latest_run(&app, &published).await;
    assert_eq!((run["status"].clone(), run["results"].clone()), (json!("published"), Value::Null));

    // A thread is counted by its first part, the post people see and the link opens. X counts
    // the thread's own second part among its replies; readers wrote the rest.
    let posts = fake.posts();
    assert_eq!(posts.len(), 3);
    fake.set_metrics(&posts[0].id, metrics(5, 2, 1, 3, 120));
    fake.set_metrics(&posts[1].id, metrics(50, 50, 50, 50, 500));
    // Nothing is read before the first checkpoint, an hour after publishing.
    assert_eq!(scheduler.tick_at(at + Duration::minutes(59)).await.unwrap().results_read, 0);
    assert_eq!(scheduler.tick_at(at + Duration::hours(1)).await.unwrap().results_read, 1);
    let results = latest_run(&app, &published).await["results"].clone();
    assert_eq!(
        (&results["likes"], &results["reposts"], &results["replies"], &results["impressions"]),
        (&json!(5), &json!(3), &json!(2), &json!(120)),
        "{results:#}"
    );
    assert_eq!(time(&results["fetched_at"]), at + Duration::hours(1));
    assert_eq!(time(&results["next_fetch_at"]), at + Duration::hours(6));

    // Between checkpoints nothing is read; at the next one the new counts appear.
    fake.set_metrics(&posts[0].id, metrics(9, 2, 1, 4, 300));
    assert_eq!(scheduler.tick_at(at + Duration::hours(3)).await.unwrap().results_read, 0);
    assert_eq!(latest_run(&app, &published).await["results"]["likes"], 5);
    assert_eq!(scheduler.tick_at(at + Duration::hours(6)).await.unwrap().results_read, 1);
    let results = latest_run(&app, &published).await["results"].clone();
    assert_eq!((&results["likes"], &results["replies"]), (&json!(9), &json!(3)));
    assert_eq!(time(&results["next_fetch_at"]), at + Duration::hours(24));

    // The dashboard totals them per network and lists the post with its link.
    let utc = |at: DateTime<Utc>| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let window = format!("/kpis?from={}&to={}", utc(at - Duration::days(1)), utc(at + Duration::days(1)));
    let kpis: Value = app.get(&window, Some(&published.user.token)).await.json().await.unwrap();
    assert_eq!(
        kpis["results"]["by_network"],
        json!([{ "network": "x", "posts": 1, "likes": 9, "reposts": 3, "replies": 3, "impressions": 300 }])
    );
    let top = &kpis["results"]["top_posts"][0];
    assert_eq!(top["published_url"], format!("https://x.com/i/web/status/{}", posts[0].id));
    assert_eq!(
        (&top["engagements"], &top["channel"], &top["network"]),
        (&json!(15), &json!("x"), &json!("x"))
    );
    assert!(THREAD.starts_with(top["first_line"].as_str().unwrap().trim_end_matches('…')), "{top:#}");

    // Missed checkpoints are not caught up: after two days down, one read, then day 3.
    assert_eq!(scheduler.tick_at(at + Duration::hours(50)).await.unwrap().results_read, 1);
    assert_eq!(time(&latest_run(&app, &published).await["results"]["next_fetch_at"]), at + Duration::days(3));
    scheduler.tick_at(at + Duration::days(3)).await.unwrap();
    // The last read is a week after publishing; then the counts are final.
    fake.set_metrics(&posts[0].id, metrics(12, 2, 1, 4, 400));
    assert_eq!(scheduler.tick_at(at + Duration::days(7)).await.unwrap().results_read, 1);
    let results = latest_run(&app, &published).await["results"].clone();
    assert_eq!((&results["likes"], &results["next_fetch_at"]), (&json!(12), &Value::Null));
    fake.set_metrics(&posts[0].id, metrics(99, 2, 1, 4, 900));
    assert_eq!(scheduler.tick_at(at + Duration::days(8)).await.unwrap().results_read, 0);
    assert_eq!(latest_run(&app, &published).await["results"]["likes"], 12);

    // The runs stay the owner's: 401 without a token, 404 for anyone else.
    let path = format!("/schedule/{}/runs", published.schedule_id);
    assert_problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    let stranger = app.user().await;
    assert_problem(app.get(&path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    let theirs: Value = app.get(&window, Some(&stranger.token)).await.json().await.unwrap();
    assert_eq!(theirs["results"], json!({ "posts": 0, "by_network": [], "top_posts": [] }));
}

async fn reads_wait_for_a_reconnect_and_for_the_rate_limit_reset(backend: Backend) {
    let fake = fake_x::spawn().await;
    let Some(app) = x_app(&fake, backend).await else { return };
    let (published, _) = publish(&app, POST, None).await;
    let (scheduler, at) = (&published.scheduler, published.at);
    let post = fake.posts().remove(0);
    fake.set_metrics(&post.id, metrics(4, 1, 0, 2, 80));

    // A revoked token: the read fails, the account asks for a reconnect, the run stays published.
    fake.revoke_all();
    let report = scheduler.tick_at(at + Duration::hours(1)).await.unwrap();
    assert_eq!((report.results_read, report.results_failed), (0, 1), "{report:?}");
    let run = latest_run(&app, &published).await;
    assert_eq!((run["status"].clone(), run["results"].clone()), (json!("published"), Value::Null));
    let listed: Value = app.get("/connections", Some(&published.user.token)).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["status"], "needs_reconnect");
    // Until the account is connected again its posts are not read at all: a read with the
    // revoked token would have failed.
    let report = scheduler.tick_at(at + Duration::hours(6)).await.unwrap();
    assert_eq!((report.results_read, report.results_failed), (0, 0), "{report:?}");
    let again = connect(&app, &published.user, "x", json!({}), StatusCode::OK).await;
    assert_eq!(again["id"], published.connection["id"]);
    assert_eq!(scheduler.tick_at(at + Duration::hours(6)).await.unwrap().results_read, 1);
    assert_eq!(latest_run(&app, &published).await["results"]["likes"], 4);

    // Switching the accounts tool off stops the reads with the publishing; on again, they resume.
    let admin = app.admin().await;
    fake.set_metrics(&post.id, metrics(5, 1, 0, 2, 85));
    put_tool(&app, &admin, "accounts", json!({ "enabled": false })).await;
    let report = scheduler.tick_at(at + Duration::hours(24)).await.unwrap();
    assert_eq!((report.results_read, report.results_failed), (0, 0), "{report:?}");
    put_tool(&app, &admin, "accounts", json!({ "enabled": true })).await;
    assert_eq!(scheduler.tick_at(at + Duration::hours(24)).await.unwrap().results_read, 1);
    assert_eq!(latest_run(&app, &published).await["results"]["likes"], 5);

    // A rate limit holds the next read until X's reset, not a call sooner.
    let reset = at + Duration::hours(80);
    fake.fail_next(1, Failure::RateLimited { reset_at: reset });
    assert_eq!(scheduler.tick_at(at + Duration::days(3)).await.unwrap().results_failed, 1);
    let results = latest_run(&app, &published).await["results"].clone();
    assert_eq!(time(&results["next_fetch_at"]), reset, "{results:#}");
    let report = scheduler.tick_at(reset - Duration::minutes(1)).await.unwrap();
    assert_eq!((report.results_read, report.results_failed), (0, 0));
    fake.set_metrics(&post.id, metrics(6, 1, 0, 2, 90));
    assert_eq!(scheduler.tick_at(reset).await.unwrap().results_read, 1);
    assert_eq!(latest_run(&app, &published).await["results"]["likes"], 6);
}

async fn a_published_event_reaches_the_webhook_signed_and_again_after_a_503(backend: Backend) {
    let fake = fake_x::spawn().await;
    let Some(app) = x_app(&fake, backend).await else { return };
    let (receiver, address) = Receiver::start(vec![503]).await;
    let (published, secret) = publish(&app, POST, Some(address)).await;
    let secret = secret.unwrap();
    let (scheduler, at) = (&published.scheduler, published.at);
    // The receiver answered 503 during the publishing tick; the post is published regardless.
    let run = latest_run(&app, &published).await;
    assert_eq!(run["status"], "published");
    assert_eq!(receiver.deliveries().len(), 1);
    // Redelivered once after the backoff (30 s here), then never again.
    let report = scheduler.tick_at(at + Duration::seconds(29)).await.unwrap();
    assert_eq!(report.events_delivered, 0);
    assert_eq!(scheduler.tick_at(at + Duration::seconds(30)).await.unwrap().events_delivered, 1);
    for later in [Duration::minutes(5), Duration::hours(2)] {
        scheduler.tick_at(at + later).await.unwrap();
    }
    let deliveries = receiver.deliveries();
    assert_eq!(deliveries.len(), 2);
    let run_id = run["id"].as_str().unwrap();
    for (headers, body) in &deliveries {
        assert_eq!(headers["idempotency-key"], format!("published:{run_id}").as_str());
        let sent = headers["kyros-signature"].to_str().unwrap();
        let timestamp: i64 = sent.trim_start_matches("t=").split(',').next().unwrap().parse().unwrap();
        assert_eq!(sent, signature(&secret, timestamp, body));
    }
    let event: Value = serde_json::from_slice(&deliveries[1].1).unwrap();
    assert_eq!(event["event"], "published");
    assert_eq!(event["published_url"], run["published_url"]);
    assert_eq!(event["run_id"], run["id"]);
    assert_eq!(event["schedule_id"], published.schedule_id.as_str());
    assert_eq!(time(&event["occurrence_at"]), time(&run["occurrence_at"]));
    assert_eq!(time(&event["published_at"]), at);
    assert_eq!((&event["network"], &event["variant"]["channel"]), (&json!("x"), &json!("x")));
    assert_eq!(
        event["account"],
        json!({ "id": published.connection["id"], "handle": format!("@{}", fake_x::USERNAME) })
    );
}

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

on_both_backends!(
    counts_are_read_at_growing_intervals_and_stop_after_a_week,
    reads_wait_for_a_reconnect_and_for_the_rate_limit_reset,
    a_published_event_reaches_the_webhook_signed_and_again_after_a_503,
);
