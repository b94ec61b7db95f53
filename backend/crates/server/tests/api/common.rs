//! Starts the real application on loopback over a fresh database per test.

use std::{sync::Arc, time::Duration};

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use server::{
    AppState, Config,
    clock::ShiftedClock,
    runtime::{Shutdown, serve_on},
};
use tokio::{net::TcpListener, sync::oneshot};
use uuid::Uuid;

pub const PASSWORD: &str = "correct horse battery";

/// Where the local PostgreSQL is, unless `TEST_DATABASE_URL` says otherwise.
fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub db: DatabaseConnection,
    /// The application state the server runs with (schedulers in tests are built from it).
    pub state: AppState,
    /// The app's clock: `app.clock.advance(…)` moves the server's time forward.
    pub clock: Arc<ShiftedClock>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    postgres_database: Option<String>,
    /// The error-reporting client when the test sets `SENTRY_DSN`, as `kyros serve` holds it.
    _error_reporting: Option<sentry::ClientInitGuard>,
    _dir: tempfile::TempDir,
}

/// A signed-in user of a test app.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

fn test_config(database_url: String, dir: &std::path::Path, extra: &[(&str, &str)]) -> Config {
    let mut vars: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), database_url),
        ("CONNECTOR_OUTBOX_DIR".into(), dir.join("outbox").display().to_string()),
        // Tests drive the scheduler themselves, at the times they choose.
        ("KYROS_EMBEDDED_SCHEDULER".into(), "false".into()),
        // Webhook receivers in tests listen on loopback.
        ("WEBHOOK_ALLOWLIST".into(), "127.0.0.1".into()),
        ("JWT_SECRET".into(), "integration-test-secret-0123456789abcdef".into()),
        ("LOG_FORMAT".into(), "pretty".into()),
        ("KYROS_QUEUE_HEARTBEAT_SECONDS".into(), "1".into()),
        // Stories send many requests quickly; the limit and quota stories set tight values.
        ("RATE_LIMIT_REQUESTS_PER_MINUTE".into(), "100000".into()),
        ("RATE_LIMIT_BURST".into(), "100000".into()),
        ("AUTH_RATE_LIMIT_PER_MINUTE".into(), "100000".into()),
        ("AUTH_RATE_LIMIT_BURST".into(), "100000".into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Config::from_lookup(|name| vars.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
        .expect("test configuration")
}

impl TestApp {
    /// The app on a fresh SQLite file with the embedded worker.
    pub async fn sqlite() -> Self {
        Self::sqlite_with(&[]).await
    }

    pub async fn sqlite_with(extra: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("kyros.db").display());
        Self::start(test_config(url, dir.path(), extra), dir, None).await
    }

    /// The app on SQLite with its queue in Redis, or `None` (with a message) when Redis is absent.
    pub async fn sqlite_with_redis_queue() -> Option<Self> {
        Self::sqlite_with_redis_queue_and(&[]).await
    }

    pub async fn sqlite_with_redis_queue_and(extra: &[(&str, &str)]) -> Option<Self> {
        let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        let reachable = match redis::Client::open(url.as_str()) {
            Ok(client) => client.get_multiplexed_async_connection().await.is_ok(),
            Err(_) => false,
        };
        if !reachable {
            eprintln!("SKIPPED: Redis is not reachable at {url}; set TEST_REDIS_URL to run this test");
            return None;
        }
        let queue = format!("kyros-test-{}", Uuid::now_v7().simple());
        let mut vars = vec![
            ("REDIS_URL", url.as_str()),
            ("KYROS_QUEUE_NAME", &queue),
            ("RATE_LIMIT_KEY_PREFIX", &queue),
        ];
        vars.extend_from_slice(extra);
        Some(Self::sqlite_with(&vars).await)
    }

    /// The app on a fresh PostgreSQL database, or `None` (with a message) when none is reachable.
    pub async fn postgres() -> Option<Self> {
        Self::postgres_with(&[]).await
    }

    /// The app with `extra` settings on PostgreSQL or SQLite; `None` when PostgreSQL is asked
    /// for and not reachable.
    pub async fn on_with(postgres: bool, extra: &[(&str, &str)]) -> Option<Self> {
        if postgres { Self::postgres_with(extra).await } else { Some(Self::sqlite_with(extra).await) }
    }

    pub async fn postgres_with(extra: &[(&str, &str)]) -> Option<Self> {
        let admin_url = postgres_admin_url();
        let admin = match Database::connect(&admin_url).await {
            Ok(admin) => admin,
            Err(error) => {
                eprintln!(
                    "SKIPPED: PostgreSQL is not reachable at {admin_url} ({error}); set TEST_DATABASE_URL to run this test"
                );
                return None;
            }
        };
        let name = format!("kyros_test_{}", Uuid::now_v7().simple());
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
        admin.close().await.ok();
        let url = replace_database(&admin_url, &name);
        let dir = tempfile::tempdir().expect("temp dir");
        let queue = format!("kyros-test-{}", Uuid::now_v7().simple());
        Some(
            Self::start(
                test_config(url, dir.path(), &[&[("KYROS_QUEUE_NAME", queue.as_str())], extra].concat()),
                dir,
                Some(name),
            )
            .await,
        )
    }

    async fn start(config: Config, dir: tempfile::TempDir, postgres_database: Option<String>) -> Self {
        let error_reporting = server::error_reporting::init(&config);
        server::telemetry::init(config.log_format, "kyros-api").expect("telemetry");
        let clock = Arc::new(ShiftedClock::default());
        let state = AppState::connect_with_clock(config, true, clock.clone()).await.expect("app state");
        let db = state.db.clone();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = Shutdown::when(async move {
            let _ = stopped.await;
        });
        let server = tokio::spawn(serve_on(listener, state.clone(), shutdown));
        Self {
            base,
            state,
            clock,
            client: Client::builder().timeout(Duration::from_secs(30)).build().expect("client"),
            db,
            stop: Some(stop),
            server: Some(server),
            postgres_database,
            _error_reporting: error_reporting,
            _dir: dir,
        }
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self.client.request(method, format!("{}{}", self.base, path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.request(Method::GET, path, token).send().await.expect("GET")
    }

    pub async fn send_json(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Response {
        self.request(method, path, token).json(&body).send().await.expect("request")
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send_json(Method::POST, path, token, body).await
    }

    /// Registers a user with a unique email and signs them in.
    pub async fn user(&self) -> TestUser {
        let email = format!("user-{}@example.com", Uuid::now_v7().simple());
        let registered =
            self.post("/auth/register", None, json!({ "email": email, "password": PASSWORD })).await;
        assert_eq!(registered.status(), StatusCode::CREATED);
        let id = registered.json::<Value>().await.expect("user")["id"].as_str().expect("id").to_owned();
        let tokens = self.login(&email, PASSWORD).await;
        TestUser {
            id,
            email,
            token: tokens["access_token"].as_str().expect("access token").to_owned(),
            refresh_token: tokens["refresh_token"].as_str().expect("refresh token").to_owned(),
        }
    }

    /// A signed-in administrator: a new user promoted in the database, then signed in again.
    pub async fn admin(&self) -> TestUser {
        let user = self.user().await;
        self.set_role_in_db(&user, "admin").await;
        let tokens = self.login(&user.email, PASSWORD).await;
        TestUser {
            token: tokens["access_token"].as_str().expect("access token").to_owned(),
            refresh_token: tokens["refresh_token"].as_str().expect("refresh token").to_owned(),
            ..user
        }
    }

    /// Sets a user's role behind the API's back, as an operator with database access would.
    pub async fn set_role_in_db(&self, user: &TestUser, role: &str) {
        use sea_orm::{
            ConnectionTrait,
            sea_query::{Expr, ExprTrait, Query},
        };
        let id: Uuid = user.id.parse().expect("user id");
        let update =
            Query::update().table("users").value("role", role).and_where(Expr::col("id").eq(id)).to_owned();
        self.db.execute(&update).await.expect("update role");
    }

    /// Writes `value` into one row's column behind the API's back, as a hand edit or a newer
    /// version of Kyros could.
    pub async fn set_column_in_db(
        &self,
        table: &str,
        id: &str,
        column: &str,
        value: impl Into<sea_orm::Value>,
    ) {
        use sea_orm::{
            ConnectionTrait,
            sea_query::{Expr, ExprTrait, Query},
        };
        let id: Uuid = id.parse().expect("row id");
        let update = Query::update()
            .table(table.to_owned())
            .value(column.to_owned(), value.into())
            .and_where(Expr::col("id").eq(id))
            .to_owned();
        let result = self.db.execute(&update).await.expect("update the column");
        assert_eq!(result.rows_affected(), 1, "{table} {id}");
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        let response = self.post("/auth/login", None, json!({ "email": email, "password": password })).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("token pair")
    }

    /// Creates a queued job from `text` for the given channels and returns its JSON.
    pub async fn create_job(&self, user: &TestUser, text: &str, channels: &[&str]) -> Value {
        let response = self
            .post("/jobs", Some(&user.token), json!({ "name": "Launch post", "source": { "type": "text", "content": text }, "channels": channels }))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
        response.json().await.expect("job")
    }

    /// Polls the job until its status is one of `statuses`.
    pub async fn wait_for_job(&self, user: &TestUser, job_id: &str, statuses: &[&str]) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let job: Value =
                self.get(&format!("/jobs/{job_id}"), Some(&user.token)).await.json().await.expect("job");
            if statuses.contains(&job["status"].as_str().unwrap_or_default()) {
                return job;
            }
            assert!(tokio::time::Instant::now() < deadline, "job {job_id} stuck in {}", job["status"]);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// A job that failed for good: its source, written before sources were checked at the
    /// door, is too short for the engine. Built from a draft whose stored source is replaced
    /// behind the API's back, then submitted.
    pub async fn failed_job(&self, user: &TestUser) -> Value {
        let draft = self.post("/jobs", Some(&user.token), json!({ "name": "Launch post" })).await;
        assert_eq!(draft.status(), StatusCode::CREATED);
        let id = draft.json::<Value>().await.expect("draft")["id"].as_str().expect("id").to_owned();
        let payload = json!({ "type": "text", "content": "Just one sentence here." }).to_string();
        let backend = self.db.get_database_backend();
        self.db
            .execute_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                match backend {
                    sea_orm::DatabaseBackend::Postgres => {
                        "UPDATE jobs SET source_payload = $1::jsonb, source_type = 'text' WHERE id = $2"
                    }
                    _ => "UPDATE jobs SET source_payload = ?, source_type = 'text' WHERE id = ?",
                },
                [payload.into(), id.parse::<Uuid>().expect("uuid").into()],
            ))
            .await
            .expect("a short source");
        let submitted = self.post(&format!("/jobs/{id}/submit"), Some(&user.token), json!({})).await;
        assert_eq!(submitted.status(), StatusCode::ACCEPTED, "{:?}", submitted.text().await);
        self.wait_for_job(user, &id, &["failed"]).await
    }

    /// Replaces a draft's or a failed job's source with `text` through the API.
    pub async fn edit_source(&self, user: &TestUser, job_id: &str, text: &str) {
        let response = self
            .send_json(
                Method::PATCH,
                &format!("/jobs/{job_id}"),
                Some(&user.token),
                json!({ "source": { "type": "text", "content": text } }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
    }

    /// Creates a job and waits until the worker has generated its variants.
    pub async fn generated_job(&self, user: &TestUser) -> Value {
        let job = self.create_job(user, ARTICLE, &["linkedin", "x", "newsletter", "blog"]).await;
        self.wait_for_job(user, job["id"].as_str().expect("id"), &["needs_review"]).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some(name) = self.postgres_database.take() {
            // Drop runs outside async; a short-lived runtime on its own thread removes the database.
            let admin_url = postgres_admin_url();
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url).await.ok()?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(prefix, _)| prefix);
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

/// Asserts an RFC 9457 problem with the status, and returns it.
pub async fn assert_problem(response: Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(content_type.starts_with("application/problem+json"), "content type was {content_type}");
    let problem: Value = response.json().await.expect("problem body");
    assert_eq!(problem["status"], status.as_u16());
    assert!(problem["title"].is_string());
    assert!(
        problem["request_id"].as_str().is_some_and(|id| !id.is_empty()),
        "problem without request_id: {problem}"
    );
    assert!(
        problem["trace_id"].as_str().is_some_and(|id| id.len() == 32),
        "problem without trace_id: {problem}"
    );
    problem
}

/// The field names a 422 problem reports.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["field"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// Runs each named story against SQLite, and against PostgreSQL when it is reachable.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::TestApp::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(app) = $crate::common::TestApp::postgres().await {
                        super::$name(app).await;
                    }
                }
            )*
        }
    };
}

/// A real, human-written style article used as a source.
pub const ARTICLE: &str = include_str!("../../../kyros/examples/four-day-week.md");
