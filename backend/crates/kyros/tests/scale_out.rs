//! Scale-out mode end to end with the real `kyros` binary on PostgreSQL: an API process with
//! two workers over Redis (one SIGKILLed mid-run; every job must still end in `needs_review`
//! once, with exactly one variant per channel), and two schedulers (the active one SIGKILLed;
//! the standby takes over and nothing is published twice), also in the middle of an X thread
//! published to the `fakenets` binary, whose answer to the second part is held until the kill
//! (the standby finishes the thread, no part posted twice). SIGTERM must drain and exit. Two API
//! processes over one Redis share every client's rate-limit bucket. Workers and schedulers
//! serve their own metrics and health checks on `METRICS_PORT`.

mod support;

use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use support::{
    Cluster, admin_url, count, create_job, free_port, long_article, owned, ready_api, redis_reachable,
    redis_url, sign_in, wait_until,
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
    let mut cluster = Cluster::new(&[
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
    ]);
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
    let mut cluster = Cluster::new(&[
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
    ]);
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

/// A scheduler SIGKILLed in the middle of an X thread. The fake X (the `fakenets` binary) makes
/// the second part and holds its answer, so the part is out but not recorded when the scheduler
/// dies. The standby takes over, finds that part instead of posting it again, and finishes the
/// thread: each part once, in order, each a reply to the one before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_cut_by_a_sigkill_is_finished_by_the_standby_without_posting_a_part_twice() {
    let Ok(admin) = Database::connect(admin_url()).await else {
        eprintln!("SKIPPED: the thread takeover test needs PostgreSQL ({})", admin_url());
        return;
    };
    let mut cluster = Cluster::new(&[]);
    let fake_x = cluster.spawn_fakenets()["x"].as_str().unwrap().to_owned();
    let database = format!("kyros_thread_{}", Uuid::now_v7().simple());
    admin.execute_unprepared(&format!("CREATE DATABASE {database}")).await.unwrap();
    let database_url = format!("{}/{database}", admin_url().rsplit_once('/').unwrap().0);
    let port = free_port();
    cluster.env = owned(&[
        ("DATABASE_URL", database_url.as_str()),
        ("KYROS_EMBEDDED_SCHEDULER", "false"),
        ("SCHEDULER_POLL_SECONDS", "1"),
        // Room for the test to see the held answer and kill its scheduler before the lease ends.
        ("SCHEDULER_LEASE_SECONDS", "5"),
        ("PUBLIC_CONSOLE_URL", "http://127.0.0.1:3001"),
        ("X_CLIENT_ID", fakenets::x::CLIENT_ID),
        ("X_CLIENT_SECRET", fakenets::x::CLIENT_SECRET),
        ("X_API_URL", &fake_x),
        ("X_AUTHORIZE_URL", &format!("{fake_x}/i/oauth2/authorize")),
        ("X_TOKEN_URL", &format!("{fake_x}/2/oauth2/token")),
        ("RATE_LIMIT_REQUESTS_PER_MINUTE", "0"),
        ("PORT", &port.to_string()),
        ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
        ("RUST_LOG", "warn"),
    ]);
    cluster.run(&["migrate", "up"]);
    let api = cluster.spawn("serve");
    let (base, client) = ready_api(port).await;
    let token = sign_in(&client, &base).await;
    let post =
        |path: &str, body: Value| client.post(format!("{base}{path}")).bearer_auth(&token).json(&body).send();
    let fake = |path: &str| format!("{fake_x}/_fakenets/{path}");

    // The account, connected through X's consent page as a person would.
    let started: Value = post("/connections/x/authorize", json!({})).await.unwrap().json().await.unwrap();
    let authorize_url = reqwest::Url::parse(started["authorize_url"].as_str().unwrap()).unwrap();
    let back = fakenets::approve(&authorize_url).await;
    let query = |name: &str| back.query_pairs().find(|(key, _)| key == name).unwrap().1.into_owned();
    let connected = post("/connections/callback", json!({ "state": query("state"), "code": query("code") }))
        .await
        .unwrap();
    assert_eq!(connected.status(), 201);
    let connection: Value = connected.json().await.unwrap();

    // A job generated with a preset that writes X posts as threads, accepted as it is.
    let params = json!({ "name": "Threads", "channels": ["x"], "params": { "x_format": "thread" } });
    let preset: Value = post("/presets", params).await.unwrap().json().await.unwrap();
    let body = json!({ "name": "launch", "source": { "type": "text", "content": long_article(0) }, "preset_id": preset["id"] });
    let job: Value = post("/jobs", body).await.unwrap().json().await.unwrap();
    let job_url = format!("{base}/jobs/{}", job["id"].as_str().unwrap());
    let fetch_job = || async {
        client.get(&job_url).bearer_auth(&token).send().await.unwrap().json::<Value>().await.unwrap()
    };
    wait_until("the variant", Duration::from_secs(60), || async {
        fetch_job().await["status"] == "needs_review"
    })
    .await;
    let variant = fetch_job().await["variants"][0].clone();
    let parts = engine::post_parts(engine::Channel::X, variant["content"].as_str().unwrap());
    assert!(parts.len() >= 3, "a thread of at least three parts: {parts:#?}");
    let accepted = client
        .put(format!("{base}/variants/{}", variant["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json(&json!({ "accepted": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);

    // X answers the first part, then makes the second and holds its answer.
    let hold = client.post(fake("hold")).json(&json!({ "after": 1, "count": 1 })).send().await.unwrap();
    assert_eq!(hold.status(), 204);
    let first = cluster.spawn("scheduler");
    let second = cluster.spawn("scheduler");
    let db = Database::connect(&database_url).await.unwrap();
    let run_at = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let scheduled = post(
        "/schedule",
        json!({ "variant_id": variant["id"], "run_at": run_at, "timezone": "UTC", "connection_id": connection["id"] }),
    )
    .await
    .unwrap();
    assert_eq!(scheduled.status(), 201);
    let runs_url =
        format!("{base}/schedule/{}/runs", scheduled.json::<Value>().await.unwrap()["id"].as_str().unwrap());
    let fetch_run = || async {
        let runs: Value =
            client.get(&runs_url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        runs["items"][0].clone()
    };
    let held = || async {
        client.get(fake("stats")).send().await.unwrap().json::<Value>().await.unwrap()["held"] == 1
    };
    wait_until("the second part's held answer", Duration::from_secs(30), held).await;
    let posts_on_x = || async {
        client.get(fake("posts")).send().await.unwrap().json::<Vec<fakenets::Post>>().await.unwrap()
    };
    assert_eq!(posts_on_x().await.len(), 2, "the second part is out on X");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM publication_parts").await, 1, "only the first is recorded");

    // Kill the scheduler waiting for the answer; X's answer, let go, reaches no one.
    let holder = holder_of(&db).await;
    let (doomed, survivor) = if holder.ends_with(&format!("-{}", cluster.children[first].id())) {
        (first, second)
    } else {
        (second, first)
    };
    assert!(holder.ends_with(&format!("-{}", cluster.children[doomed].id())), "lease held by {holder}");
    cluster.children[doomed].kill().unwrap();
    cluster.children[doomed].wait().unwrap();
    assert_eq!(client.post(fake("release")).send().await.unwrap().status(), 204);

    wait_until("the standby's attempt", Duration::from_secs(30), || async {
        fetch_run().await["status"] != "publishing"
    })
    .await;
    let run = fetch_run().await;
    assert_eq!(run["status"], "published", "{run:#}");
    // The killed attempt counts as one.
    assert_eq!(run["attempts"], 2, "{run:#}");
    assert!(holder_of(&db).await.ends_with(&format!("-{}", cluster.children[survivor].id())));
    let posts = posts_on_x().await;
    let texts: Vec<&str> = posts.iter().map(|post| post.text.as_str()).collect();
    assert_eq!(texts, parts, "each part once, in order");
    assert_eq!(posts[0].reply_to, None);
    for pair in posts.windows(2) {
        assert_eq!(pair[1].reply_to.as_deref(), Some(pair[0].id.as_str()), "{posts:#?}");
    }
    // Every part is recorded as the post X made for it.
    let recorded: Vec<String> = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT remote_id FROM publication_parts ORDER BY part_index",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    assert_eq!(recorded, posts.iter().map(|post| post.id.clone()).collect::<Vec<_>>());
    assert_eq!(run["published_url"], format!("https://x.com/i/web/status/{}", posts[0].id));

    cluster.terminate(survivor);
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
    let mut cluster = Cluster::new(&[
        ("REDIS_URL", redis_url().as_str()),
        ("KYROS_QUEUE_NAME", run.as_str()),
        ("RATE_LIMIT_KEY_PREFIX", run.as_str()),
        ("AUTH_RATE_LIMIT_PER_MINUTE", "3"),
        ("AUTH_RATE_LIMIT_BURST", "3"),
        ("KYROS_EMBEDDED_SCHEDULER", "false"),
        ("CONNECTOR_OUTBOX_DIR", &dir.path().join("outbox").display().to_string()),
        ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
        ("RUST_LOG", "warn"),
    ]);
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
        let mut env = owned(&[
            ("DATABASE_URL", database_url.as_str()),
            ("KYROS_EMBEDDED_WORKER", "false"),
            ("KYROS_QUEUE_NAME", &format!("kyros-wake-{}", Uuid::now_v7().simple())),
            ("KYROS_QUEUE_HEARTBEAT_SECONDS", "3600"),
            ("PORT", &port.to_string()),
            ("JWT_SECRET", "scale-out-test-secret-0123456789abcdef"),
            ("RUST_LOG", "warn"),
        ]);
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
