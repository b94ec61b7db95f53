use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use sea_orm_migration::MigratorTrait;
use server::migration::Migrator;

use crate::common::TestApp;

async fn table_exists(db: &DatabaseConnection, table: &str) -> bool {
    let sql = if server::db::is_sqlite(db) {
        format!("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
    } else {
        format!("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'")
    };
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().is_some()
}

/// Every migration reverts cleanly and re-applies: up → down (all) → up.
async fn migrations_go_down_and_up_again(app: TestApp) {
    let tables = [
        "users",
        "refresh_tokens",
        "presets",
        "jobs",
        "variants",
        "idempotency_keys",
        "uploads",
        "tools",
        "audit_events",
        "usage_counters",
    ];
    for table in tables {
        assert!(table_exists(&app.db, table).await, "{table} after up");
    }
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap().len() as u32;
    Migrator::down(&app.db, Some(applied)).await.unwrap();
    for table in tables {
        assert!(!table_exists(&app.db, table).await, "{table} after down");
    }
    Migrator::up(&app.db, None).await.unwrap();
    for table in tables {
        assert!(table_exists(&app.db, table).await, "{table} after up again");
    }
    assert!(Migrator::get_pending_migrations(&app.db).await.unwrap().is_empty());
    // The tools are seeded again, all enabled.
    let tools = server::tools::service::writers(&app.db).await.unwrap();
    assert!(tools.local && tools.model);
    let seeded = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM tools WHERE enabled",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seeded.try_get::<i64>("", "n").unwrap(), 4);
}

crate::on_both_databases!(migrations_go_down_and_up_again);
