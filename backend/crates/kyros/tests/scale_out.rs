//! Scale-out mode end to end with the real `kyros` binary on PostgreSQL: an API process with
//! two workers over Redis (one SIGKILLed mid-run; every job must still end in `needs_review`
//! once, with exactly one variant per channel), and two schedulers (the active one SIGKILLed;
//! the standby takes over and nothing is published twice). SIGTERM must drain and exit. Two API
//! processes over one Redis share every client's rate-limit bucket. Workers and schedulers
//! serve their own metrics and health checks on `METRICS_PORT`.

mod support;

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use support::{
    Cluster, admin_url, count, create_job, free_port, long_article, ready_api, redis_reachable, redis_url,
    sign_in, wait_until,
};
use uuid::Uuid;

const JOBS: usize = 60;
const CHANNELS: [&str; 4] = ["linkedin", "x", "newsletter", "blog"];

/// The `/metrics` text of the process serving metrics on `port`, once its `/healthz` answers.
async fn scrape(client: &reqwest::Client, port: u16) -> String {
    let base = format!("http://127.0.0.1:{port}");
    wait_until("the metrics port", Duration::from_secs(30), || async {
        client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success())
    })
    .await;
    let response = client.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_the_queue_and_survive_a_sigkill() {
    let admin = match Database::connect(admin_url()).await {
        Ok(admin) if redis_reachable() => admin,
        _ => {
            eprintln!(
                "SKIPPED: scale-out test needs PostgreSQL ({}) and Redis ({})",
                admin_url(),
                redis_url()
            );
            return;
        }
    };
    let database = format!("kyros_scale_{}", Uuid::now_v7().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {database}")).await.unwrap();
    let database_url = format!("{}/{database}", admin_url().rsplit_once('/').unwrap().0);
    let port = free_port();
    let mut cluster = Cluster {
        env: [
            ("DATABASE_URL", database_url.as_str()),
            ("REDIS_URL", redis_url().as_str()),
            ("KYROS_EMBEDDED_WORKER", "false"),
            ("KYROS_QUEUE_NAME", &format!("kyros-scale-{}", Uuid::now_v7().simple())),
            ("KYROS_QUEUE_HEARTBEAT_SECONDS", "1"),
            ("KYROS_WORKER_CONCURRENCY", "2"),
            // Sixty jobs in a burst from one user: quotas and rate limits are not under test here.
            ("QUOTA_JOBS_PER_DAY_USER", "0"),
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "0"),
            ("AUTH_RATE_LIMIT_PER_MINUTE", "0"),
            ("PORT", &port.to_string()),
            ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
            ("RUST_LOG", "warn"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        children: Vec::new(),
    };
    cluster.run(&["migrate", "up"]);
    let api = cluster.spawn("serve");
    let (base, client) = ready_api(port).await;

    let token = sign_in(&client, &base).await;
    for index in 0..JOBS {
        let body = json!({ "name": format!("job {index}"), "source": { "type": "text", "content": long_article(index) }, "channels": CHANNELS });
        let response =
            client.post(format!("{base}/jobs")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 201);
    }

    let doomed = cluster.spawn("worker");
    cluster.spawn("worker");
    let db = Database::connect(&database_url).await.unwrap();
    wait_until("the first jobs", Duration::from_secs(60), || async {
        count(&db, "SELECT COUNT(*) FROM jobs WHERE status = 'needs_review'").await >= 5
    })
    .await;
    cluster.children[doomed].kill().unwrap();
    cluster.children[doomed].wait().unwrap();

    wait_until("every job", Duration::from_secs(180), || async {
        count(&db, "SELECT COUNT(*) FROM jobs WHERE status = 'needs_review'").await == JOBS as i64
    })
    .await;
    let per_job_channel = "SELECT COUNT(*) FROM (SELECT job_id, channel FROM variants GROUP BY job_id, channel HAVING COUNT(*) <> 1) AS duplicates";
    assert_eq!(count(&db, per_job_channel).await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM variants").await, (JOBS * CHANNELS.len()) as i64);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM jobs WHERE status <> 'needs_review'").await, 0);

    // The survivor and the API drain on SIGTERM.
    cluster.terminate(2);
    cluster.terminate(api);
    db.close().await.ok();
    drop(cluster);
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_scheduler_takes_over_after_a_sigkill() {
    let Ok(admin) = Database::connect(admin_url()).await else {
        eprintln!("SKIPPED: the scheduler takeover test needs PostgreSQL ({})", admin_url());
        return;
    };
    let database = format!("kyros_sched_{}", Uuid::now_v7().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {database}")).await.unwrap();
    let database_url = format!("{}/{database}", admin_url().rsplit_once('/').unwrap().0);
    let outbox = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut cluster = Cluster {
        env: [
            ("DATABASE_URL", database_url.as_str()),
            ("KYROS_EMBEDDED_SCHEDULER", "false"),
            ("KYROS_QUEUE_HEARTBEAT_SECONDS", "1"),
            ("SCHEDULER_POLL_SECONDS", "1"),
            ("SCHEDULER_LEASE_SECONDS", "3"),
            ("CONNECTOR_OUTBOX_DIR", &outbox.path().display().to_string()),
            // The test polls faster than the default per-user rate.
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "0"),
            ("PORT", &port.to_string()),
            ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
            ("RUST_LOG", "warn"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        children: Vec::new(),
    };
    cluster.run(&["migrate", "up"]);
    let api = cluster.spawn("serve");
    let (base, client) = ready_api(port).await;
    let token = sign_in(&client, &base).await;
    let job_url = create_job(&client, &base, &token, "launch").await;
    let fetch_job = || async {
        client.get(&job_url).bearer_auth(&token).send().await.unwrap().json::<Value>().await.unwrap()
    };
    wait_until("the variant", Duration::from_secs(60), || async {
        fetch_job().await["status"] == "needs_review"
    })
    .await;
    let variant_id = fetch_job().await["variants"][0]["id"].as_str().unwrap().to_owned();
    let accepted = client
        .put(format!("{base}/variants/{variant_id}"))
        .bearer_auth(&token)
        .json(&json!({ "accepted": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    let schedule_in = |seconds: i64| {
        let run_at = (chrono::Utc::now() + chrono::Duration::seconds(seconds)).to_rfc3339();
        let request = client
            .post(format!("{base}/schedule"))
            .bearer_auth(&token)
            .json(&json!({ "variant_id": variant_id, "run_at": run_at, "timezone": "Europe/Berlin" }));
        async move { assert_eq!(request.send().await.unwrap().status(), 201) }
    };

    let metrics_ports = [free_port(), free_port()];
    let first = cluster.spawn_with("scheduler", &[("METRICS_PORT", &metrics_ports[0].to_string())]);
    let second = cluster.spawn_with("scheduler", &[("METRICS_PORT", &metrics_ports[1].to_string())]);
    let db = Database::connect(&database_url).await.unwrap();
    schedule_in(2).await;
    wait_until("the first post", Duration::from_secs(30), || async {
        count(&db, "SELECT COUNT(*) FROM schedule_runs WHERE status = 'published'").await == 1
    })
    .await;

    // Kill whichever scheduler holds the lease; the other must take over.
    let holder = holder_of(&db).await;
    let (doomed, survivor, doomed_metrics) =
        if holder.ends_with(&format!("-{}", cluster.children[first].id())) {
            (first, second, metrics_ports[0])
        } else {
            (second, first, metrics_ports[1])
        };
    assert!(holder.ends_with(&format!("-{}", cluster.children[doomed].id())), "lease held by {holder}");
    // The scheduler that published says so on its own metrics port.
    let published = scrape(&client, doomed_metrics).await;
    assert!(
        published.contains(r#"kyros_publish_attempts_total{connector="file",outcome="published"} 1"#),
        "{published}"
    );
    assert!(published.contains("kyros_publish_duration_seconds_count{connector=\"file\"} 1"), "{published}");
    cluster.children[doomed].kill().unwrap();
    cluster.children[doomed].wait().unwrap();
    schedule_in(1).await;
    wait_until("the second post", Duration::from_secs(30), || async {
        count(&db, "SELECT COUNT(*) FROM schedule_runs WHERE status = 'published'").await == 2
    })
    .await;
    assert!(holder_of(&db).await.ends_with(&format!("-{}", cluster.children[survivor].id())));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM schedule_runs").await, 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM schedule_runs WHERE attempts <> 1").await, 0);
    let written: usize = std::fs::read_dir(outbox.path())
        .unwrap()
        .map(|owner| std::fs::read_dir(owner.unwrap().path()).unwrap().count())
        .sum();
    assert_eq!(written, 2);

    // A scheduler stopped with SIGTERM gives its lease up.
    cluster.terminate(survivor);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM scheduler_leases").await, 0);
    cluster.terminate(api);
    db.close().await.ok();
    drop(cluster);
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).await.ok();
}

/// Two `kyros serve` processes, each on its own database and sharing only Redis: sign-in
/// attempts at the first use up the address's bucket, so the second answers 429.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_api_processes_share_one_rate_limit_through_redis() {
    if !redis_reachable() {
        eprintln!("SKIPPED: the shared rate-limit test needs Redis ({})", redis_url());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let run = format!("kyros-limit-{}", Uuid::now_v7().simple());
    let mut cluster = Cluster {
        env: [
            ("REDIS_URL", redis_url().as_str()),
            ("KYROS_QUEUE_NAME", run.as_str()),
            ("RATE_LIMIT_KEY_PREFIX", run.as_str()),
            ("AUTH_RATE_LIMIT_PER_MINUTE", "3"),
            ("AUTH_RATE_LIMIT_BURST", "3"),
            ("KYROS_EMBEDDED_SCHEDULER", "false"),
            ("CONNECTOR_OUTBOX_DIR", &dir.path().join("outbox").display().to_string()),
            ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
            ("RUST_LOG", "warn"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        children: Vec::new(),
    };
    let client = reqwest::Client::new();
    let mut bases = Vec::new();
    for name in ["a", "b"] {
        let port = free_port().to_string();
        let database = format!("sqlite://{}?mode=rwc", dir.path().join(format!("{name}.db")).display());
        cluster.spawn_with("serve", &[("PORT", &port), ("DATABASE_URL", &database)]);
        let base = format!("http://127.0.0.1:{port}");
        wait_until("an API process", Duration::from_secs(30), || async {
            client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success())
        })
        .await;
        bases.push(base);
    }
    let attempt = |base: &str| {
        let credentials = json!({ "email": "nobody@example.com", "password": "not the password" });
        client.post(format!("{base}/auth/login")).json(&credentials).send()
    };
    for remaining in ["2", "1", "0"] {
        let response = attempt(&bases[0]).await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["ratelimit-remaining"], remaining);
    }
    let refused = attempt(&bases[1]).await.unwrap();
    assert_eq!(refused.status(), 429, "the second process must see the first one's requests");
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["type"], "https://kyros.dev/problems/rate-limited");
    cluster.terminate(1);
    cluster.terminate(0);
}

async fn holder_of(db: &DatabaseConnection) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT holder FROM scheduler_leases",
        ))
        .await
        .unwrap()
        .expect("a lease");
    row.try_get_by_index::<String>(0).unwrap()
}

/// A job queued through the API reaches a `kyros worker` in another process at once, through
/// PostgreSQL `NOTIFY` or a Redis publish: the queue's own poll is an hour apart here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_separate_worker_is_woken_the_moment_a_job_is_queued() {
    let admin = match Database::connect(admin_url()).await {
        Ok(admin) if redis_reachable() => admin,
        _ => {
            eprintln!(
                "SKIPPED: the wake-up test needs PostgreSQL ({}) and Redis ({})",
                admin_url(),
                redis_url()
            );
            return;
        }
    };
    for queue in ["postgres", "redis"] {
        let database = format!("kyros_wake_{}", Uuid::now_v7().simple());
        admin.execute_unprepared(&format!("CREATE DATABASE {database}")).await.unwrap();
        let database_url = format!("{}/{database}", admin_url().rsplit_once('/').unwrap().0);
        let port = free_port();
        let mut env: Vec<(String, String)> = [
            ("DATABASE_URL", database_url.as_str()),
            ("KYROS_EMBEDDED_WORKER", "false"),
            ("KYROS_QUEUE_NAME", &format!("kyros-wake-{}", Uuid::now_v7().simple())),
            ("KYROS_QUEUE_HEARTBEAT_SECONDS", "3600"),
            ("PORT", &port.to_string()),
            ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
            ("RUST_LOG", "warn"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        if queue == "redis" {
            env.push(("REDIS_URL".to_owned(), redis_url()));
        }
        let mut cluster = Cluster { env, children: Vec::new() };
        cluster.run(&["migrate", "up"]);
        let api = cluster.spawn("serve");
        let metrics_port = free_port();
        let worker = cluster.spawn_with("worker", &[("METRICS_PORT", &metrics_port.to_string())]);
        let (base, client) = ready_api(port).await;
        let token = sign_in(&client, &base).await;
        // The worker has started, polled the empty queue and now waits.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let body = json!({ "name": "now", "source": { "type": "text", "content": long_article(0) }, "channels": ["x"] });
        let response =
            client.post(format!("{base}/jobs")).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 201);
        let db = Database::connect(&database_url).await.unwrap();
        wait_until(&format!("the job on the {queue} queue"), Duration::from_secs(30), || async {
            count(&db, "SELECT COUNT(*) FROM jobs WHERE status = 'needs_review'").await == 1
        })
        .await;
        // The worker process, not the API, counted the job; nothing is left waiting.
        let metrics = scrape(&client, metrics_port).await;
        assert!(metrics.contains(r#"kyros_jobs_processed_total{outcome="generated"} 1"#), "{metrics}");
        assert!(metrics.contains(r#"kyros_jobs{status="needs_review"} 1"#), "{metrics}");
        assert!(metrics.contains("kyros_oldest_queued_job_age_seconds 0\n"), "{metrics}");
        cluster.terminate(worker);
        cluster.terminate(api);
        db.close().await.ok();
        drop(cluster);
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).await.ok();
    }
}
