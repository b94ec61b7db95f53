//! Configuration, read once from the environment (and `.env` when present).

use std::{net::IpAddr, time::Duration};

use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use thiserror::Error;
use url::Url;

use crate::{
    generation::openai::OpenAiSettings,
    rate_limit::gcra::RatePolicy,
    secrets::{self, Keyring},
};

/// The development signing key. Refused when `KYROS_ENV=production`.
pub const DEV_JWT_SECRET: &str = "kyros-development-secret-change-me-0123456789";

/// X's production endpoints, where `X_API_URL`, `X_AUTHORIZE_URL` and `X_TOKEN_URL` point
/// unless set.
pub const X_API_URL: &str = "https://api.x.com";
pub const X_AUTHORIZE_URL: &str = "https://x.com/i/oauth2/authorize";
pub const X_TOKEN_URL: &str = "https://api.x.com/2/oauth2/token";
/// LinkedIn's production endpoints, where `LINKEDIN_API_URL`, `LINKEDIN_AUTHORIZE_URL` and
/// `LINKEDIN_TOKEN_URL` point unless set.
pub const LINKEDIN_API_URL: &str = "https://api.linkedin.com";
pub const LINKEDIN_AUTHORIZE_URL: &str = "https://www.linkedin.com/oauth/v2/authorization";
pub const LINKEDIN_TOKEN_URL: &str = "https://www.linkedin.com/oauth/v2/accessToken";
/// The `LinkedIn-Version` sent with every versioned call unless `LINKEDIN_VERSION` is set: July
/// 2026, the newest monthly version when this was written. Each stays supported for at least a
/// year after release.
pub const LINKEDIN_VERSION: &str = "202607";

/// Where the queue lives; derived from `DATABASE_URL` and `REDIS_URL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueBackend {
    Sqlite,
    Postgres,
    Redis,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub host: IpAddr,
    pub port: u16,
    /// May hold a password, so it is never printed.
    pub database_url: SecretString,
    /// Connections per process; `None` picks the engine's default (see `db::connect`).
    pub database_max_connections: Option<u32>,
    /// May hold a password, so it is never printed.
    pub redis_url: Option<SecretString>,
    pub queue_name: String,
    pub embedded_worker: bool,
    pub worker_concurrency: usize,
    /// How often a worker proves it is alive; a worker silent for a few beats has its jobs re-queued.
    pub queue_heartbeat: Duration,
    /// A job still `queued` after this long is queued again.
    pub requeue_after: Duration,
    pub jwt_secret: SecretString,
    pub jwt_issuer: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// How long a just-rotated refresh token may be presented again without counting as a
    /// replay: a reload mid-refresh or two tabs racing get a new pair instead of a sign-out.
    pub refresh_reuse_grace: Duration,
    pub cors_origins: Vec<String>,
    /// Whether `kyros serve` serves the console built into the binary (when it has one).
    pub serve_console: bool,
    /// Origins the served console may call besides its own: its error reports' and analytics'
    /// hosts, added to the page's `connect-src`.
    pub console_connect_src: Vec<String>,
    pub request_body_limit_bytes: usize,
    pub request_timeout: Duration,
    /// After SIGTERM, how long in-flight requests and jobs may take before they are abandoned.
    pub shutdown_grace: Duration,
    /// How long one `GET /jobs/{id}/events` stream stays open before the client must reconnect.
    pub job_events_max_lifetime: Duration,
    pub log_format: LogFormat,
    /// Where errors are reported (`SENTRY_DSN`); `None` reports nothing.
    pub error_reporting: Option<ErrorReportingSettings>,
    /// Whether `GET /metrics` answers (and the process records metrics at all).
    pub metrics_enabled: bool,
    /// Where `kyros worker` and `kyros scheduler` serve `/metrics` and `/healthz` (on HOST);
    /// `None` serves nothing. The API serves both on its own port.
    pub metrics_port: Option<u16>,
    /// Private networks URL ingestion may reach anyway (tests allow-list 127.0.0.1).
    pub url_fetch_allowlist: Vec<IpNet>,
    pub url_fetch_max_bytes: usize,
    pub url_fetch_timeout: Duration,
    /// The optional model; `None` keeps generation on the local engine.
    pub openai: Option<OpenAiSettings>,
    pub scheduler: SchedulerSettings,
    /// Seals the tokens of connected accounts at rest (`crate::secrets`).
    pub secret_keys: Keyring,
    pub networks: NetworkSettings,
    pub quotas: QuotaSettings,
    pub rate_limits: RateLimitSettings,
}

/// What one role may consume; `None` is unlimited (`0` in the environment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Jobs queued per UTC day (creations with a source, submissions, retries).
    pub jobs_per_day: Option<u64>,
    /// Characters generated per UTC month (jobs and regenerations).
    pub chars_per_month: Option<u64>,
}

/// Usage quotas per role.
#[derive(Debug, Clone, Copy)]
pub struct QuotaSettings {
    pub user: Quota,
    pub admin: Quota,
}

/// Request rate limits; a `None` policy switches that limit off.
#[derive(Debug, Clone)]
pub struct RateLimitSettings {
    /// Per signed-in user (or per address when anonymous), everywhere but `/auth`.
    pub api: Option<RatePolicy>,
    /// Per client address on `/auth/*`.
    pub auth: Option<RatePolicy>,
    /// Peers whose `X-Forwarded-For` is believed (reverse proxies, load balancers).
    pub trusted_proxies: Vec<IpNet>,
    /// Prefix of the limiter's Redis keys, so deployments sharing a Redis stay apart.
    pub key_prefix: String,
}

/// Connected social accounts: where people come back to after a network's consent page, and
/// how Kyros reaches the networks.
#[derive(Debug, Clone)]
pub struct NetworkSettings {
    /// The console's public address; OAuth consent pages send the user back to
    /// `<console_url>/connections/callback`.
    pub console_url: String,
    /// Private networks a Mastodon instance or a Bluesky server may be on (tests allow-list
    /// 127.0.0.1); every other private address is refused, as for URL sources.
    pub allowlist: Vec<IpNet>,
    /// The longest wait for one call to a network.
    pub timeout: Duration,
    /// The PLC directory that resolves Bluesky's `did:plc` identities.
    pub bluesky_plc_url: Url,
    /// Resolves the Bluesky handles DNS and HTTPS do not, and signs in accounts named by email.
    pub bluesky_entryway_url: Url,
    /// Where Bluesky's public post counts are read.
    pub bluesky_appview_url: Url,
    /// The app registered with X (`X_CLIENT_ID`); `None` leaves X unavailable.
    pub x: Option<OAuthAppSettings>,
    /// The app registered with LinkedIn (`LINKEDIN_CLIENT_ID`); `None` leaves it unavailable.
    pub linkedin: Option<OAuthAppSettings>,
    /// The `LinkedIn-Version` of the Posts API Kyros speaks (`YYYYMM`).
    pub linkedin_version: String,
    /// Whether LinkedIn members may connect the pages they administer
    /// (`LINKEDIN_ORGANIZATION_PAGES`; the app needs the Community Management API).
    pub linkedin_pages: bool,
}

/// An app registered with a network, and where that network is.
#[derive(Debug, Clone)]
pub struct OAuthAppSettings {
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub api_url: Url,
    pub authorize_url: Url,
    pub token_url: Url,
}

impl NetworkSettings {
    /// Where every network's consent page sends the user back.
    pub fn redirect_uri(&self) -> String {
        format!("{}/connections/callback", self.console_url)
    }
}

/// Error reporting to Sentry (`crate::error_reporting`).
#[derive(Clone)]
pub struct ErrorReportingSettings {
    pub dsn: sentry::types::Dsn,
    /// `SENTRY_ENVIRONMENT`; by default `production` or `development`, after `KYROS_ENV`.
    pub environment: String,
    /// `SENTRY_RELEASE`; by default `kyros@<version>`.
    pub release: String,
}

impl std::fmt::Debug for ErrorReportingSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorReportingSettings")
            .field("dsn", &format_args!("{}://[redacted]@{}", self.dsn.scheme(), self.dsn.host()))
            .field("environment", &self.environment)
            .field("release", &self.release)
            .finish()
    }
}

/// How scheduled posts are published.
#[derive(Debug, Clone)]
pub struct SchedulerSettings {
    /// Whether `kyros serve` runs the scheduler itself (the embedded default).
    pub embedded: bool,
    /// How often the scheduler looks for due posts.
    pub poll_interval: Duration,
    /// How long the active scheduler's lock lasts without renewal before another takes over.
    pub lease_ttl: Duration,
    /// A post published later than this after its time is marked late.
    pub late_after: Duration,
    /// Attempts per occurrence before it is marked failed.
    pub max_attempts: usize,
    /// The first retry's delay; later ones double.
    pub retry_base_delay: Duration,
    /// Where the `file` connector writes posts.
    pub outbox_dir: std::path::PathBuf,
    /// Private networks webhooks may reach anyway (tests allow-list 127.0.0.1).
    pub webhook_allowlist: Vec<IpNet>,
    pub webhook_timeout: Duration,
    /// The API's public address, used in calendar-feed links.
    pub public_api_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("JWT_SECRET must be set to a random value of at least 32 bytes when KYROS_ENV=production")]
    InsecureJwtSecret,
    #[error(
        "KYROS_SECRET_KEY must be set to 32 random bytes in base64 (openssl rand -base64 32) when KYROS_ENV=production"
    )]
    MissingSecretKey,
}

impl Config {
    /// The console's public address (`PUBLIC_CONSOLE_URL`), for links to its pages.
    pub fn console_url(&self) -> &str {
        &self.networks.console_url
    }

    /// Reads the process environment, after loading `.env` if one exists.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any variable lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());
        let environment = match var("KYROS_ENV").as_deref() {
            None | Some("development") | Some("dev") | Some("test") => Environment::Development,
            Some("production") | Some("prod") => Environment::Production,
            Some(other) => return Err(invalid("KYROS_ENV", other)),
        };
        let jwt_secret = var("JWT_SECRET").unwrap_or_else(|| DEV_JWT_SECRET.to_owned());
        if environment == Environment::Production && (jwt_secret == DEV_JWT_SECRET || jwt_secret.len() < 32) {
            return Err(ConfigError::InsecureJwtSecret);
        }
        let jwt_secret = SecretString::from(jwt_secret);
        let secret_keys = match var("KYROS_SECRET_KEY") {
            Some(key) => {
                let key = secrets::parse_key(&key).map_err(|error| ConfigError::Invalid {
                    name: "KYROS_SECRET_KEY",
                    reason: error.to_string(),
                })?;
                let previous = secrets::parse_key_list(
                    &var("KYROS_SECRET_KEYS_PREVIOUS").unwrap_or_default(),
                )
                .map_err(|error| ConfigError::Invalid {
                    name: "KYROS_SECRET_KEYS_PREVIOUS",
                    reason: error.to_string(),
                })?;
                Keyring::new(&var("KYROS_SECRET_KEY_ID").unwrap_or_else(|| "k1".to_owned()), &key, &previous)
            }
            None if environment == Environment::Production => return Err(ConfigError::MissingSecretKey),
            None => Keyring::development(),
        };
        let log_format = match var("LOG_FORMAT").as_deref() {
            None | Some("json") => LogFormat::Json,
            Some("pretty") => LogFormat::Pretty,
            Some(other) => return Err(invalid("LOG_FORMAT", other)),
        };
        Ok(Self {
            environment,
            host: parse_or(&var, "HOST", "127.0.0.1".parse().expect("valid address"))?,
            port: parse_or(&var, "PORT", 8000)?,
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://./data/kyros.db?mode=rwc".to_owned())
                .into(),
            database_max_connections: match var("DATABASE_MAX_CONNECTIONS").as_deref() {
                None | Some("") => None,
                Some(value) => Some(
                    value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| invalid("DATABASE_MAX_CONNECTIONS", value))?,
                ),
            },
            redis_url: var("REDIS_URL").map(SecretString::from),
            queue_name: var("KYROS_QUEUE_NAME").unwrap_or_else(|| "kyros-jobs".to_owned()),
            embedded_worker: parse_or(&var, "KYROS_EMBEDDED_WORKER", true)?,
            worker_concurrency: parse_or(&var, "KYROS_WORKER_CONCURRENCY", 2)?,
            queue_heartbeat: Duration::from_secs(parse_or(&var, "KYROS_QUEUE_HEARTBEAT_SECONDS", 5)?),
            requeue_after: Duration::from_secs(parse_or(&var, "KYROS_REQUEUE_AFTER_SECONDS", 300)?.max(1)),
            jwt_secret,
            jwt_issuer: var("JWT_ISSUER").unwrap_or_else(|| "kyros".to_owned()),
            access_token_ttl: Duration::from_secs(parse_or(&var, "ACCESS_TOKEN_TTL_SECONDS", 900)?),
            refresh_token_ttl: Duration::from_secs(parse_or(
                &var,
                "REFRESH_TOKEN_TTL_SECONDS",
                30 * 24 * 3600,
            )?),
            refresh_reuse_grace: Duration::from_secs(parse_or(&var, "REFRESH_REUSE_GRACE_SECONDS", 10)?),
            cors_origins: var("CORS_ORIGINS")
                .unwrap_or_else(|| "http://localhost:3001,http://127.0.0.1:3001".to_owned())
                .split(',')
                .map(|origin| origin.trim().to_owned())
                .filter(|origin| !origin.is_empty())
                .collect(),
            serve_console: parse_or(&var, "SERVE_CONSOLE", true)?,
            console_connect_src: parse_origins("CONSOLE_CONNECT_SRC", var("CONSOLE_CONNECT_SRC").as_deref())?,
            request_body_limit_bytes: parse_or(&var, "REQUEST_BODY_LIMIT_BYTES", 2 * 1024 * 1024)?,
            request_timeout: Duration::from_secs(parse_or(&var, "REQUEST_TIMEOUT_SECONDS", 30)?),
            shutdown_grace: Duration::from_secs(parse_or(&var, "SHUTDOWN_GRACE_SECONDS", 10)?),
            job_events_max_lifetime: Duration::from_secs(
                parse_or(&var, "JOB_EVENTS_MAX_SECONDS", 600)?.max(1),
            ),
            log_format,
            error_reporting: match var("SENTRY_DSN") {
                None => None,
                Some(dsn) => Some(ErrorReportingSettings {
                    dsn: dsn.trim().parse().map_err(|error: sentry::types::ParseDsnError| {
                        ConfigError::Invalid { name: "SENTRY_DSN", reason: error.to_string() }
                    })?,
                    environment: var("SENTRY_ENVIRONMENT").unwrap_or_else(|| {
                        match environment {
                            Environment::Development => "development",
                            Environment::Production => "production",
                        }
                        .to_owned()
                    }),
                    release: var("SENTRY_RELEASE")
                        .unwrap_or_else(|| concat!("kyros@", env!("CARGO_PKG_VERSION")).to_owned()),
                }),
            },
            metrics_enabled: parse_or(&var, "METRICS_ENABLED", true)?,
            metrics_port: match var("METRICS_PORT").as_deref().map(str::trim) {
                None | Some("") => None,
                Some(value) => Some(
                    value
                        .parse()
                        .ok()
                        .filter(|port| *port > 0)
                        .ok_or_else(|| invalid("METRICS_PORT", value))?,
                ),
            },
            url_fetch_allowlist: parse_allowlist(
                "URL_FETCH_ALLOWLIST",
                var("URL_FETCH_ALLOWLIST").as_deref(),
            )?,
            url_fetch_max_bytes: parse_or(&var, "URL_FETCH_MAX_BYTES", 5 * 1024 * 1024)?,
            url_fetch_timeout: Duration::from_secs(parse_or(&var, "URL_FETCH_TIMEOUT_SECONDS", 10)?),
            openai: match var("OPENAI_API_KEY") {
                None => None,
                Some(api_key) => Some(OpenAiSettings {
                    base_url: var("OPENAI_BASE_URL")
                        .unwrap_or_else(|| "https://api.openai.com/v1".to_owned()),
                    api_key: api_key.into(),
                    model: var("OPENAI_MODEL").unwrap_or_else(|| "gpt-4o-mini".to_owned()),
                    timeout: Duration::from_secs(parse_or(&var, "OPENAI_TIMEOUT_SECONDS", 30)?),
                    max_retries: parse_or(&var, "OPENAI_MAX_RETRIES", 3)?,
                    retry_base_delay: Duration::from_millis(parse_or(&var, "OPENAI_RETRY_BASE_MS", 500)?),
                    breaker_threshold: parse_or(&var, "OPENAI_BREAKER_THRESHOLD", 5)?,
                    breaker_cooldown: Duration::from_secs(parse_or(
                        &var,
                        "OPENAI_BREAKER_COOLDOWN_SECONDS",
                        60,
                    )?),
                }),
            },
            scheduler: SchedulerSettings {
                embedded: parse_or(&var, "KYROS_EMBEDDED_SCHEDULER", true)?,
                poll_interval: Duration::from_secs(parse_or(&var, "SCHEDULER_POLL_SECONDS", 5)?.max(1)),
                lease_ttl: Duration::from_secs(parse_or(&var, "SCHEDULER_LEASE_SECONDS", 30)?.max(2)),
                late_after: Duration::from_secs(parse_or(&var, "SCHEDULER_LATE_AFTER_SECONDS", 120)?),
                max_attempts: parse_or(&var, "PUBLISH_MAX_ATTEMPTS", 5)?.max(1),
                retry_base_delay: Duration::from_secs(parse_or(&var, "PUBLISH_RETRY_BASE_SECONDS", 30)?),
                outbox_dir: var("CONNECTOR_OUTBOX_DIR").unwrap_or_else(|| "./data/outbox".to_owned()).into(),
                webhook_allowlist: parse_allowlist("WEBHOOK_ALLOWLIST", var("WEBHOOK_ALLOWLIST").as_deref())?,
                webhook_timeout: Duration::from_secs(parse_or(&var, "WEBHOOK_TIMEOUT_SECONDS", 10)?.max(1)),
                public_api_url: var("PUBLIC_API_URL")
                    .unwrap_or_else(|| "http://localhost:8000".to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
            },
            secret_keys,
            networks: NetworkSettings {
                console_url: var("PUBLIC_CONSOLE_URL")
                    .unwrap_or_else(|| "http://localhost:3001".to_owned())
                    .trim_end_matches('/')
                    .to_owned(),
                allowlist: parse_allowlist("NETWORK_ALLOWLIST", var("NETWORK_ALLOWLIST").as_deref())?,
                timeout: Duration::from_secs(parse_or(&var, "NETWORK_TIMEOUT_SECONDS", 15)?.max(1)),
                bluesky_plc_url: url_or(&var, "BLUESKY_PLC_URL", "https://plc.directory")?,
                bluesky_entryway_url: url_or(&var, "BLUESKY_ENTRYWAY_URL", "https://bsky.social")?,
                bluesky_appview_url: url_or(&var, "BLUESKY_APPVIEW_URL", "https://public.api.bsky.app")?,
                x: match var("X_CLIENT_ID") {
                    None => None,
                    Some(client_id) => Some(OAuthAppSettings {
                        client_id,
                        client_secret: var("X_CLIENT_SECRET").map(SecretString::from),
                        api_url: url_or(&var, "X_API_URL", X_API_URL)?,
                        authorize_url: url_or(&var, "X_AUTHORIZE_URL", X_AUTHORIZE_URL)?,
                        token_url: url_or(&var, "X_TOKEN_URL", X_TOKEN_URL)?,
                    }),
                },
                linkedin: match var("LINKEDIN_CLIENT_ID") {
                    None => None,
                    Some(client_id) => Some(OAuthAppSettings {
                        client_id,
                        client_secret: var("LINKEDIN_CLIENT_SECRET").map(SecretString::from),
                        api_url: url_or(&var, "LINKEDIN_API_URL", LINKEDIN_API_URL)?,
                        authorize_url: url_or(&var, "LINKEDIN_AUTHORIZE_URL", LINKEDIN_AUTHORIZE_URL)?,
                        token_url: url_or(&var, "LINKEDIN_TOKEN_URL", LINKEDIN_TOKEN_URL)?,
                    }),
                },
                linkedin_version: var("LINKEDIN_VERSION").unwrap_or_else(|| LINKEDIN_VERSION.to_owned()),
                linkedin_pages: parse_or(&var, "LINKEDIN_ORGANIZATION_PAGES", false)?,
            },
            quotas: QuotaSettings {
                user: Quota {
                    jobs_per_day: limit_or(&var, "QUOTA_JOBS_PER_DAY_USER", 50)?,
                    chars_per_month: limit_or(&var, "QUOTA_CHARS_PER_MONTH_USER", 500_000)?,
                },
                admin: Quota {
                    jobs_per_day: limit_or(&var, "QUOTA_JOBS_PER_DAY_ADMIN", 1_000)?,
                    chars_per_month: limit_or(&var, "QUOTA_CHARS_PER_MONTH_ADMIN", 10_000_000)?,
                },
            },
            rate_limits: RateLimitSettings {
                api: RatePolicy::per_minute(
                    parse_or(&var, "RATE_LIMIT_REQUESTS_PER_MINUTE", 120)?,
                    parse_or(&var, "RATE_LIMIT_BURST", 30)?,
                ),
                auth: RatePolicy::per_minute(
                    parse_or(&var, "AUTH_RATE_LIMIT_PER_MINUTE", 20)?,
                    parse_or(&var, "AUTH_RATE_LIMIT_BURST", 10)?,
                ),
                trusted_proxies: parse_allowlist("TRUSTED_PROXIES", var("TRUSTED_PROXIES").as_deref())?,
                key_prefix: var("RATE_LIMIT_KEY_PREFIX").unwrap_or_else(|| "kyros:rate-limit".to_owned()),
            },
        })
    }

    pub fn queue_backend(&self) -> QueueBackend {
        if self.redis_url.is_some() {
            QueueBackend::Redis
        } else if self.is_postgres() {
            QueueBackend::Postgres
        } else {
            QueueBackend::Sqlite
        }
    }

    pub fn is_postgres(&self) -> bool {
        let url = self.database_url.expose_secret();
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }
}

/// A comma-separated list of addresses or networks (`127.0.0.1`, `10.0.0.0/8`).
fn parse_allowlist(name: &'static str, raw: Option<&str>) -> Result<Vec<IpNet>, ConfigError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| invalid(name, entry))
        })
        .collect()
}

/// A comma-separated list of http(s) URLs, each reduced to its origin: nothing else (a path, a
/// `;` starting another directive) can reach the header the origins go into.
fn parse_origins(name: &'static str, raw: Option<&str>) -> Result<Vec<String>, ConfigError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            Url::parse(entry)
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
                .map(|url| url.origin().ascii_serialization())
                .ok_or_else(|| invalid(name, entry))
        })
        .collect()
}

/// An http(s) URL from the environment, or `default`.
fn url_or(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
) -> Result<Url, ConfigError> {
    let value = var(name).unwrap_or_else(|| default.to_owned());
    Url::parse(&value)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| invalid(name, &value))
}

fn invalid(name: &'static str, value: &str) -> ConfigError {
    ConfigError::Invalid { name, reason: format!("unsupported value `{value}`") }
}

/// A quota from the environment: `0` means unlimited.
fn limit_or(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<Option<u64>, ConfigError> {
    Ok(Some(parse_or(var, name, default)?).filter(|limit| *limit > 0))
}

fn parse_or<T>(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|error: T::Err| ConfigError::Invalid { name, reason: error.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config_from(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_need_no_configuration() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.port, 8000);
        assert_eq!(config.host.to_string(), "127.0.0.1");
        assert!(config.database_url.expose_secret().starts_with("sqlite://./data/"));
        assert_eq!(config.queue_backend(), QueueBackend::Sqlite);
        assert!(config.embedded_worker);
        assert!(config.metrics_enabled);
        assert!(!config_from(&[("METRICS_ENABLED", "false")]).unwrap().metrics_enabled);
        assert_eq!(config.metrics_port, None);
        assert_eq!(config_from(&[("METRICS_PORT", "9091")]).unwrap().metrics_port, Some(9091));
        assert!(config_from(&[("METRICS_PORT", "0")]).is_err());
        assert!(config_from(&[("METRICS_PORT", "http")]).is_err());
    }

    #[test]
    fn the_console_may_call_the_listed_origins_only() {
        assert!(config_from(&[]).unwrap().console_connect_src.is_empty());
        let config = config_from(&[(
            "CONSOLE_CONNECT_SRC",
            "https://o1.ingest.sentry.io/api/7/envelope/, https://eu.i.posthog.com",
        )])
        .unwrap();
        assert_eq!(config.console_connect_src, ["https://o1.ingest.sentry.io", "https://eu.i.posthog.com"]);
        for wrong in ["eu.i.posthog.com", "ftp://files.example.com", "https://a.example; script-src *"] {
            assert!(config_from(&[("CONSOLE_CONNECT_SRC", wrong)]).is_err(), "{wrong}");
        }
    }

    #[test]
    fn production_refuses_the_development_secret() {
        let error = config_from(&[("KYROS_ENV", "production")]).unwrap_err();
        assert!(matches!(error, ConfigError::InsecureJwtSecret));
        let short = config_from(&[("KYROS_ENV", "production"), ("JWT_SECRET", "short")]);
        assert!(matches!(short, Err(ConfigError::InsecureJwtSecret)));
        let no_key = config_from(&[
            ("KYROS_ENV", "production"),
            ("JWT_SECRET", "a-real-secret-that-is-long-enough-0123456789"),
        ]);
        assert!(matches!(no_key, Err(ConfigError::MissingSecretKey)));
        let ok = config_from(&[
            ("KYROS_ENV", "production"),
            ("JWT_SECRET", "a-real-secret-that-is-long-enough-0123456789"),
            ("KYROS_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), // pragma: allowlist secret
            ("KYROS_SECRET_KEY_ID", "2026-12"),
        ])
        .unwrap();
        assert_eq!(ok.secret_keys.current_key_id(), "2026-12");
    }

    #[test]
    fn error_reporting_starts_only_with_a_valid_dsn() {
        assert!(config_from(&[]).unwrap().error_reporting.is_none());
        let dsn = "https://0123abcd@o1.ingest.sentry.example/42"; // pragma: allowlist secret
        let reporting = config_from(&[("SENTRY_DSN", dsn)]).unwrap().error_reporting.unwrap();
        assert_eq!(reporting.dsn.project_id().value(), "42");
        assert_eq!(reporting.environment, "development");
        assert_eq!(reporting.release, format!("kyros@{}", env!("CARGO_PKG_VERSION")));
        assert!(!format!("{reporting:?}").contains("0123abcd"), "the key is not printed");
        let named = config_from(&[
            ("SENTRY_DSN", dsn),
            ("SENTRY_ENVIRONMENT", "staging"),
            ("SENTRY_RELEASE", "kyros@2026.12.1"),
        ])
        .unwrap()
        .error_reporting
        .unwrap();
        assert_eq!((named.environment.as_str(), named.release.as_str()), ("staging", "kyros@2026.12.1"));
        let error = config_from(&[("SENTRY_DSN", "0123abcd-not-a-dsn")]).unwrap_err();
        assert!(matches!(error, ConfigError::Invalid { name: "SENTRY_DSN", .. }), "{error}");
        assert!(!error.to_string().contains("0123abcd"), "{error}");
    }

    #[test]
    fn secret_keys_are_checked_without_printing_them() {
        let key = "bm90LXRoaXJ0eS10d28tYnl0ZXM="; // pragma: allowlist secret
        let error = config_from(&[("KYROS_SECRET_KEY", key)]).unwrap_err();
        assert!(!error.to_string().contains(key), "{error}");
        let previous = config_from(&[
            ("KYROS_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), // pragma: allowlist secret
            ("KYROS_SECRET_KEYS_PREVIOUS", "old-without-a-key"),
        ]);
        assert!(matches!(previous, Err(ConfigError::Invalid { name: "KYROS_SECRET_KEYS_PREVIOUS", .. })));
        assert_eq!(config_from(&[]).unwrap().secret_keys.current_key_id(), "dev");
    }

    #[test]
    fn debug_output_never_prints_a_secret() {
        let secrets = [
            ("JWT_SECRET", "jwt-secret-that-is-long-enough-0123456789"), // pragma: allowlist secret
            ("OPENAI_API_KEY", "sk-model-key-0123"),                     // pragma: allowlist secret
            ("KYROS_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), // pragma: allowlist secret
            ("X_CLIENT_SECRET", "x-client-secret-0123"),                 // pragma: allowlist secret
            ("LINKEDIN_CLIENT_SECRET", "linkedin-client-secret-0123"),   // pragma: allowlist secret
        ];
        let urls = [
            ("DATABASE_URL", "postgres://kyros:db-password-0123@db.internal/kyros"), // pragma: allowlist secret
            ("REDIS_URL", "redis://:redis-password-0123@cache.internal:6379"), // pragma: allowlist secret
            ("SENTRY_DSN", "https://sentrykey0123@o1.ingest.sentry.example/42"), // pragma: allowlist secret
        ];
        let mut pairs = vec![("X_CLIENT_ID", "x-app"), ("LINKEDIN_CLIENT_ID", "linkedin-app")];
        pairs.extend(secrets);
        pairs.extend(urls);
        let config = config_from(&pairs).unwrap();
        assert!(config.openai.is_some() && config.networks.x.is_some() && config.networks.linkedin.is_some());
        let printed = format!("{config:?}");
        let hidden = secrets.iter().map(|(_, secret)| *secret).chain([
            "db-password-0123",
            "redis-password-0123",
            "sentrykey0123",
        ]);
        for secret in hidden {
            assert!(!printed.contains(secret), "`{secret}` is printed");
        }
        // The key's bytes (0, 1, 2, …) do not appear either.
        assert!(!printed.contains("[0, 1, 2"), "{printed}");
    }

    #[test]
    fn queue_backend_follows_the_urls() {
        let pg = config_from(&[("DATABASE_URL", "postgres://localhost/kyros")]).unwrap();
        assert_eq!(pg.queue_backend(), QueueBackend::Postgres);
        let redis = config_from(&[
            ("DATABASE_URL", "postgres://localhost/kyros"),
            ("REDIS_URL", "redis://127.0.0.1:6379"),
        ])
        .unwrap();
        assert_eq!(redis.queue_backend(), QueueBackend::Redis);
    }

    #[test]
    fn the_fetch_allowlist_takes_addresses_and_networks() {
        let config = config_from(&[("URL_FETCH_ALLOWLIST", "127.0.0.1, 10.0.0.0/8")]).unwrap();
        assert_eq!(config.url_fetch_allowlist.len(), 2);
        assert!(config.url_fetch_allowlist[1].contains(&"10.1.2.3".parse::<std::net::IpAddr>().unwrap()));
        assert!(config_from(&[("URL_FETCH_ALLOWLIST", "nonsense")]).is_err());
    }

    #[test]
    fn quotas_and_rate_limits_have_defaults_and_zero_means_unlimited() {
        let config = config_from(&[]).unwrap();
        assert_eq!(config.quotas.user, Quota { jobs_per_day: Some(50), chars_per_month: Some(500_000) });
        assert!(config.quotas.admin.jobs_per_day > config.quotas.user.jobs_per_day);
        assert_eq!(config.rate_limits.api, RatePolicy::per_minute(120, 30));
        assert!(config.rate_limits.auth.is_some());
        let unlimited = config_from(&[
            ("QUOTA_JOBS_PER_DAY_USER", "0"),
            ("RATE_LIMIT_REQUESTS_PER_MINUTE", "0"),
            ("TRUSTED_PROXIES", "10.0.0.0/8"),
        ])
        .unwrap();
        assert_eq!(unlimited.quotas.user.jobs_per_day, None);
        assert_eq!(unlimited.rate_limits.api, None);
        assert_eq!(unlimited.rate_limits.trusted_proxies.len(), 1);
    }

    #[test]
    fn invalid_numbers_name_the_variable() {
        let error = config_from(&[("PORT", "eighty")]).unwrap_err();
        assert!(error.to_string().contains("PORT"));
    }

    #[test]
    fn the_pool_size_is_optional_and_positive() {
        assert_eq!(config_from(&[]).unwrap().database_max_connections, None);
        assert_eq!(
            config_from(&[("DATABASE_MAX_CONNECTIONS", "4")]).unwrap().database_max_connections,
            Some(4)
        );
        for bad in ["0", "-1", "many"] {
            let error = config_from(&[("DATABASE_MAX_CONNECTIONS", bad)]).unwrap_err();
            assert!(error.to_string().contains("DATABASE_MAX_CONNECTIONS"), "{bad}: {error}");
        }
    }
}
