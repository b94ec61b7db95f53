use chrono::{SubsecRound, Utc};
use sea_orm_migration::{prelude::*, schema::*};
use serde_json::json;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tools {
    Table,
    Id,
    Key,
    Kind,
    Config,
    Enabled,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ActorId,
    Kind,
    Subject,
    SubjectId,
    Payload,
    CreatedAt,
}

/// The tools every installation starts with, all enabled. Config holds no secrets.
fn seed_rows() -> [(&'static str, &'static str, serde_json::Value); 4] {
    [
        (
            "local",
            "provider",
            json!({ "display_name": "Local engine", "description": "Built-in, offline and deterministic." }),
        ),
        (
            "openai",
            "provider",
            json!({ "display_name": "OpenAI-compatible model", "description": "Used when OPENAI_API_KEY is set.", "model": null }),
        ),
        (
            "webhook",
            "connector",
            json!({ "display_name": "Webhook", "description": "Signed POST to each user's URL." }),
        ),
        (
            "file",
            "connector",
            json!({ "display_name": "File outbox", "description": "One JSON file per post." }),
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tools::Table)
                    .col(uuid(Tools::Id).primary_key())
                    .col(string_len_uniq(Tools::Key, 40))
                    .col(string_len(Tools::Kind, 16))
                    .col(json(Tools::Config))
                    .col(boolean(Tools::Enabled))
                    .col(timestamp_with_time_zone(Tools::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        let now = Utc::now().trunc_subsecs(6);
        let mut seed = Query::insert();
        seed.into_table(Tools::Table).columns([
            Tools::Id,
            Tools::Key,
            Tools::Kind,
            Tools::Config,
            Tools::Enabled,
            Tools::UpdatedAt,
        ]);
        for (key, kind, config) in seed_rows() {
            seed.values([
                Uuid::now_v7().into(),
                key.into(),
                kind.into(),
                config.into(),
                true.into(),
                now.into(),
            ])
            .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(seed).await?;

        // No foreign key on the actor: events outlive the accounts they mention.
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(uuid(AuditEvents::Id).primary_key())
                    .col(uuid_null(AuditEvents::ActorId))
                    .col(string_len(AuditEvents::Kind, 64))
                    .col(string_len_null(AuditEvents::Subject, 32))
                    .col(uuid_null(AuditEvents::SubjectId))
                    .col(json(AuditEvents::Payload))
                    .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The list is newest first, optionally filtered by kind or actor.
        let indexes = [
            ("idx_audit_events_created", vec![AuditEvents::CreatedAt, AuditEvents::Id]),
            ("idx_audit_events_kind", vec![AuditEvents::Kind, AuditEvents::CreatedAt, AuditEvents::Id]),
            ("idx_audit_events_actor", vec![AuditEvents::ActorId, AuditEvents::CreatedAt, AuditEvents::Id]),
        ];
        for (name, columns) in indexes {
            let mut index = Index::create();
            index.name(name).table(AuditEvents::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Tools::Table).to_owned()).await
    }
}
