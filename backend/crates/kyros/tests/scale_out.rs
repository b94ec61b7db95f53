//! Scale-out mode end to end: the real `kyros` binary as an API process and two workers on
//! PostgreSQL + Redis. One worker is SIGKILLed mid-run; every job must still end in
//! `needs_review` once, with exactly one variant per channel. SIGTERM must drain and exit.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

const JOBS: usize = 60;
const CHANNELS: [&str; 4] = ["linkedin", "x", "newsletter", "blog"];

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

fn redis_reachable() -> bool {
    let address = redis_url().trim_start_matches("redis://").split('/').next().unwrap_or_default().to_owned();
    std::net::TcpStream::connect_timeout(&address.parse().expect("redis address"), Duration::from_secs(2))
        .is_ok()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Cluster {
    env: Vec<(String, String)>,
    children: Vec<Child>,
}

impl Cluster {
    fn spawn(&mut self, subcommand: &str) -> usize {
        let child = Command::new(env!("CARGO_BIN_EXE_kyros"))
            .arg(subcommand)
            .envs(self.env.iter().cloned())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kyros");
        self.children.push(child);
        self.children.len() - 1
    }

    fn run(&self, args: &[&str]) {
        let status = Command::new(env!("CARGO_BIN_EXE_kyros"))
            .args(args)
            .envs(self.env.iter().cloned())
            .status()
            .unwrap();
        assert!(status.success(), "kyros {args:?} failed");
    }

    /// Sends SIGTERM and waits for a clean exit.
    fn terminate(&mut self, index: usize) {
        let child = &mut self.children[index];
        Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "process {index} exited with {status} after SIGTERM");
                return;
            }
            assert!(Instant::now() < deadline, "process {index} did not drain within 30 s of SIGTERM");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn long_article(index: usize) -> String {
    let paragraph = include_str!("../examples/four-day-week.md");
    (0..12).map(|n| format!("Part {n} of report {index}. {paragraph}\n\n")).collect()
}

async fn wait_until<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
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
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until("the API", Duration::from_secs(30), || async {
        client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success())
    })
    .await;

    let credentials = json!({ "email": "scale@example.com", "password": "correct horse battery" });
    client.post(format!("{base}/auth/register")).json(&credentials).send().await.unwrap();
    let tokens: Value = client
        .post(format!("{base}/auth/login"))
        .json(&credentials)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = tokens["access_token"].as_str().unwrap().to_owned();
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
