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
        "variant_versions",
        "connections",
        "connection_authorizations",
        "mastodon_apps",
        "publication_parts",
        "post_results",
        "webhook_events",
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
    assert_eq!(seeded.try_get::<i64>("", "n").unwrap(), 5);
}

/// Variants from before versions keep their text as version 1, and their acceptance with it.
async fn the_versions_migration_keeps_todays_text_as_version_one(app: TestApp) {
    let user = app.user().await;
    let job = app.generated_job(&user).await;
    let ids: Vec<&str> =
        job["variants"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    let accept = serde_json::json!({ "accepted": true });
    let accepted = app
        .send_json(reqwest::Method::PUT, &format!("/variants/{}", ids[0]), Some(&user.token), accept)
        .await;
    assert_eq!(accepted.status(), reqwest::StatusCode::OK);
    let edit = serde_json::json!({ "content": "Our own words, written before versions existed." });
    let edited =
        app.send_json(reqwest::Method::PUT, &format!("/variants/{}", ids[1]), Some(&user.token), edit).await;
    assert_eq!(edited.status(), reqwest::StatusCode::OK);

    // Back to before the versions migration (and any after it), then up again.
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap();
    let versions = applied.iter().position(|m| m.name() == "m20261206_000014_variant_versions").unwrap();
    Migrator::down(&app.db, Some((applied.len() - versions) as u32)).await.unwrap();
    assert!(!table_exists(&app.db, "variant_versions").await);
    Migrator::up(&app.db, None).await.unwrap();

    for (index, id) in ids.iter().enumerate() {
        let versions: serde_json::Value =
            app.get(&format!("/variants/{id}/versions"), Some(&user.token)).await.json().await.unwrap();
        let variant: serde_json::Value =
            app.get(&format!("/variants/{id}"), Some(&user.token)).await.json().await.unwrap();
        let versions = versions.as_array().unwrap();
        assert_eq!(versions.len(), 1, "{versions:?}");
        assert_eq!(versions[0]["number"], 1);
        assert_eq!(versions[0]["content"], variant["content"]);
        assert_eq!(versions[0]["current"], true);
        assert_eq!(variant["current_version"], 1);
        assert_eq!(variant["accepted"], index == 0);
        assert_eq!(
            variant["accepted_version"],
            if index == 0 { serde_json::json!(1) } else { serde_json::Value::Null }
        );
    }
    let edited: serde_json::Value =
        app.get(&format!("/variants/{}/versions", ids[1]), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(edited[0]["origin"], "edited");
    assert_eq!(edited[0]["content"], "Our own words, written before versions existed.");
    let untouched: serde_json::Value =
        app.get(&format!("/variants/{}/versions", ids[2]), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(untouched[0]["origin"], "generated");
}

crate::on_both_databases!(
    migrations_go_down_and_up_again,
    the_versions_migration_keeps_todays_text_as_version_one
);
