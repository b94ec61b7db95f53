//! Database connection for both supported engines.

use std::{path::Path, time::Duration};

use anyhow::Context;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};
use sea_orm_migration::MigratorTrait;
use secrecy::ExposeSecret;

use crate::{config::Config, migration::Migrator};

/// Connections per process when `DATABASE_MAX_CONNECTIONS` is not set. SQLite runs each
/// connection on a thread of its own and has one writer at a time, so more connections than a
/// few per core only add context switches (measured in docs/PERFORMANCE.md).
const SQLITE_MAX_CONNECTIONS: u32 = 8;
/// PostgreSQL runs a process per connection. Beyond about two per core, queries only wait for
/// CPU on the database side; on one host, 4 connections served more reads than 16, with half the
/// p99 (docs/PERFORMANCE.md). A remote server with more cores is worth a larger setting.
const POSTGRES_CONNECTIONS_PER_CORE: u32 = 2;
const POSTGRES_MIN_CONNECTIONS: u32 = 4;

fn default_max_connections(is_postgres: bool, cores: usize) -> u32 {
    if is_postgres {
        let cores = u32::try_from(cores).unwrap_or(u32::MAX);
        cores.saturating_mul(POSTGRES_CONNECTIONS_PER_CORE).max(POSTGRES_MIN_CONNECTIONS)
    } else {
        SQLITE_MAX_CONNECTIONS
    }
}

/// Connects to the configured SQLite or PostgreSQL database, creating the SQLite file's folder
/// when needed.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let database_url = config.database_url.expose_secret();
    if let Some(path) = sqlite_path(database_url)
        && let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database folder {}", parent.display()))?;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let default_max = default_max_connections(config.is_postgres(), cores);
    let mut options = ConnectOptions::new(database_url.to_owned());
    options
        .max_connections(config.database_max_connections.unwrap_or(default_max))
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // A ping on every checkout doubles the round trips of a one-query request; only a
        // connection idle long enough to have been dropped by the server or a proxy is tested.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        // SQLite: WAL lets readers run beside the writer; the busy timeout queues writers
        // instead of failing them, which the queue's polling writes need.
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let db = Database::connect(options).await.context("connecting to the database")?;
    Ok(db)
}

/// Starts a transaction that will write (ADR 0008). On SQLite it takes the write lock at
/// `BEGIN IMMEDIATE`, waiting up to the busy timeout like any single write does. A deferred
/// transaction that reads first cannot wait: when another connection has written since its
/// read, SQLite refuses its first write with SQLITE_BUSY at once, and concurrent users got 500s.
/// PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Applies every pending migration.
pub async fn migrate_up(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("applying migrations")
}

/// Cheap liveness query used by `/readyz`.
pub async fn ping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// Asserts that `cases` give every variant of a stored enum with the exact value its rows
/// hold, written and read back: renaming a variant in the code must not change the rows.
#[cfg(test)]
pub fn assert_stored_as<E>(cases: &[(E, E::Value)])
where
    E: sea_orm::ActiveEnum + Copy + PartialEq + std::fmt::Debug,
    E::Value: PartialEq + std::fmt::Debug,
{
    let listed: Vec<E> = cases.iter().map(|(variant, _)| *variant).collect();
    assert_eq!(listed, E::iter().collect::<Vec<_>>(), "every {}, in order", std::any::type_name::<E>());
    for (variant, stored) in cases {
        assert_eq!(&variant.to_value(), stored);
        assert_eq!(E::try_from_value(stored).expect("a stored value reads back"), *variant);
    }
}

/// [`assert_stored_as`] for an enum stored as its text by `DeriveValueType` (the engine's,
/// which cannot implement `ActiveEnum`): `cases` list every variant and the exact text its
/// rows hold, and any other text is refused.
#[cfg(test)]
pub fn assert_stored_text<T>(cases: &[(T, &str)])
where
    T: sea_orm::sea_query::ValueType + Into<sea_orm::Value> + Copy + PartialEq + std::fmt::Debug,
{
    for (variant, stored) in cases {
        assert_eq!((*variant).into(), sea_orm::Value::String(Some((*stored).to_owned())));
        assert_eq!(T::try_from(sea_orm::Value::from(*stored)).expect("a stored value reads back"), *variant);
    }
    assert!(T::try_from(sea_orm::Value::from("unknown")).is_err(), "an unknown value is refused");
}

/// The file path of a `sqlite:` URL, if it names a file.
fn sqlite_path(database_url: &str) -> Option<&str> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Asserts that a typed JSON column writes exactly `stored`, the JSON text its rows already
/// hold, and reads that text back as `value`.
#[cfg(test)]
pub(crate) fn assert_json_column<T>(value: T, stored: &str)
where
    T: Clone + std::fmt::Debug + PartialEq + serde::de::DeserializeOwned + Into<sea_orm::Value>,
{
    let written = match value.clone().into() {
        sea_orm::Value::Json(Some(json)) => json.to_string(),
        other => panic!("{other:?} is not a JSON column's value"),
    };
    assert_eq!(written, stored);
    assert_eq!(serde_json::from_str::<T>(stored).expect("the stored JSON reads back"), value);
}

#[cfg(test)]
mod tests {
    use super::{default_max_connections, sqlite_path};

    #[test]
    fn the_default_pool_follows_the_engine_and_the_cores() {
        assert_eq!(default_max_connections(false, 2), 8);
        assert_eq!(default_max_connections(false, 16), 8);
        assert_eq!(default_max_connections(true, 1), 4);
        assert_eq!(default_max_connections(true, 2), 4);
        assert_eq!(default_max_connections(true, 8), 16);
    }

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(sqlite_path("sqlite://./data/kyros.db?mode=rwc"), Some("./data/kyros.db"));
        assert_eq!(sqlite_path("sqlite:data.db"), Some("data.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/x"), None);
    }
}
