//! The harness of the tests that run the real `kyros` binary: processes started with an
//! environment of their own on the local PostgreSQL and Redis, stopped with SIGTERM.
// Each test binary uses part of it.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};

pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned())
}

pub fn redis_reachable() -> bool {
    let address = redis_url().trim_start_matches("redis://").split('/').next().unwrap_or_default().to_owned();
    std::net::TcpStream::connect_timeout(&address.parse().expect("redis address"), Duration::from_secs(2))
        .is_ok()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Environment pairs as a process takes them.
pub fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub struct Cluster {
    pub env: Vec<(String, String)>,
    pub children: Vec<Child>,
}

impl Cluster {
    /// A cluster whose processes share `env`, with none started yet.
    pub fn new(env: &[(&str, &str)]) -> Self {
        Self { env: owned(env), children: Vec::new() }
    }

    pub fn spawn(&mut self, subcommand: &str) -> usize {
        self.spawn_with(subcommand, &[])
    }

    /// Starts a process with `overrides` on top of the cluster's environment.
    pub fn spawn_with(&mut self, subcommand: &str, overrides: &[(&str, &str)]) -> usize {
        let child = Command::new(env!("CARGO_BIN_EXE_kyros"))
            .arg(subcommand)
            .envs(self.env.iter().cloned())
            .envs(owned(overrides))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kyros");
        self.children.push(child);
        self.children.len() - 1
    }

    /// Starts the `fakenets` binary (`FAKENETS_BIN`, or the one built beside `kyros`) and
    /// returns the base URL of each fake network it serves, by name.
    pub fn spawn_fakenets(&mut self) -> Value {
        let binary = std::env::var_os("FAKENETS_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_BIN_EXE_kyros")).with_file_name("fakenets"));
        let child = Command::new(&binary).stdout(Stdio::piped()).spawn().unwrap_or_else(|error| {
            panic!("start {} ({error}); build it with `cargo build -p fakenets`", binary.display())
        });
        self.children.push(child);
        let stdout = self.children.last_mut().unwrap().stdout.take().unwrap();
        let mut ready = String::new();
        BufReader::new(stdout).read_line(&mut ready).unwrap();
        serde_json::from_str(&ready).expect("fakenets prints its base URLs as one JSON line")
    }

    pub fn run(&self, args: &[&str]) {
        let status = Command::new(env!("CARGO_BIN_EXE_kyros"))
            .args(args)
            .envs(self.env.iter().cloned())
            .status()
            .unwrap();
        assert!(status.success(), "kyros {args:?} failed");
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn terminate(&mut self, index: usize) {
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

pub fn long_article(index: usize) -> String {
    let paragraph = include_str!("../../examples/four-day-week.md");
    (0..12).map(|n| format!("Part {n} of report {index}. {paragraph}\n\n")).collect()
}

pub async fn wait_until<F, Fut>(what: &str, timeout: Duration, mut check: F)
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

pub async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The API on `port` once it answers `/readyz`: its base URL and a client to call it.
pub async fn ready_api(port: u16) -> (String, reqwest::Client) {
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until("the API", Duration::from_secs(30), || async {
        client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success())
    })
    .await;
    (base, client)
}

/// Registers a user and returns an access token.
pub async fn sign_in(client: &reqwest::Client, base: &str) -> String {
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
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// The request that creates a job named `name` from a long article for the X channel.
pub fn job_request(client: &reqwest::Client, base: &str, token: &str, name: &str) -> reqwest::RequestBuilder {
    let body =
        json!({ "name": name, "source": { "type": "text", "content": long_article(0) }, "channels": ["x"] });
    client.post(format!("{base}/jobs")).bearer_auth(token).json(&body)
}

/// Creates a job named `name` from a long article for the X channel; returns its URL.
pub async fn create_job(client: &reqwest::Client, base: &str, token: &str, name: &str) -> String {
    let job: Value = job_request(client, base, token, name).send().await.unwrap().json().await.unwrap();
    format!("{base}/jobs/{}", job["id"].as_str().unwrap())
}
