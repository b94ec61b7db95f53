//! Reversible schema migrations, shared by SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261124_000001_users_and_auth;
mod m20261124_000002_presets;
mod m20261124_000003_jobs_and_variants;
mod m20261125_000004_uploads;
mod m20261125_000005_job_provider_note;
mod m20261125_000006_schedules;
mod m20261125_000009_api_tokens;
mod m20261201_000010_tools_and_audit;
mod m20261201_000011_usage_counters;
mod m20261201_000012_review_timestamps;
mod m20261205_000013_idempotency_fingerprints;
mod m20261206_000014_variant_versions;
mod m20261206_000015_calendar_feed_fetches;
mod m20261207_000016_connections;
mod m20261208_000017_post_results;
mod m20261208_000018_posting_slots;
mod m20261208_000019_publication_intents;
mod m20261209_000020_connection_choices;
mod m20261209_000021_mastodon_account_ids;
mod m20261210_000022_connection_profiles;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_users_and_auth::Migration),
            Box::new(m20261124_000002_presets::Migration),
            Box::new(m20261124_000003_jobs_and_variants::Migration),
            Box::new(m20261125_000004_uploads::Migration),
            Box::new(m20261125_000005_job_provider_note::Migration),
            Box::new(m20261125_000006_schedules::Migration),
            Box::new(m20261125_000009_api_tokens::Migration),
            Box::new(m20261201_000010_tools_and_audit::Migration),
            Box::new(m20261201_000011_usage_counters::Migration),
            Box::new(m20261201_000012_review_timestamps::Migration),
            Box::new(m20261205_000013_idempotency_fingerprints::Migration),
            Box::new(m20261206_000014_variant_versions::Migration),
            Box::new(m20261206_000015_calendar_feed_fetches::Migration),
            Box::new(m20261207_000016_connections::Migration),
            Box::new(m20261208_000017_post_results::Migration),
            Box::new(m20261208_000018_posting_slots::Migration),
            Box::new(m20261208_000019_publication_intents::Migration),
            Box::new(m20261209_000020_connection_choices::Migration),
            Box::new(m20261209_000021_mastodon_account_ids::Migration),
            Box::new(m20261210_000022_connection_profiles::Migration),
        ]
    }
}
