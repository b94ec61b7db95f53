//! Database connection for both supported engines.

use std::{path::Path, time::Duration};

use anyhow::Context;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};
use sea_orm_migration::MigratorTrait;

use crate::{config::Config, migration::Migrator};

/// Connections per process when `DATABASE_MAX_CONNECTIONS` is not set. SQLite runs each
/// connection on a thread of its own and has one writer at a time, so more connections than a
/// few per core only add context switches (measured in docs/PERFORMANCE.md); PostgreSQL
/// connections wait on the network and the server.
const SQLITE_MAX_CONNECTIONS: u32 = 8;
const POSTGRES_MAX_CONNECTIONS: u32 = 16;

/// Connects to the configured SQLite or PostgreSQL database, creating the SQLite file's folder
/// when needed.
pub async fn connect(config: &Config) -> anyhow::Result<DatabaseConnection> {
    let database_url = config.database_url.as_str();
    if let Some(path) = sqlite_path(database_url)
        && let Some(parent) = Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the database folder {}", parent.display()))?;
    }
    let default_max = if config.is_postgres() { POSTGRES_MAX_CONNECTIONS } else { SQLITE_MAX_CONNECTIONS };
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

/// The file path of a `sqlite:` URL, if it names a file.
fn sqlite_path(database_url: &str) -> Option<&str> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(sqlite_path("sqlite://./data/kyros.db?mode=rwc"), Some("./data/kyros.db"));
        assert_eq!(sqlite_path("sqlite:data.db"), Some("data.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/x"), None);
    }
}
