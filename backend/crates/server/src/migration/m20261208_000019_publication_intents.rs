//! Publication intents: a row per thread part a run is about to send to a network without an
//! idempotency key (X, LinkedIn), written before the request. A retry that finds the intent but
//! no recorded part cannot know whether the network created the post, so it looks for it first.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublicationIntents {
    Table,
    RunId,
    PartIndex,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ScheduleRuns {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublicationIntents::Table)
                    .col(uuid(PublicationIntents::RunId))
                    .col(integer(PublicationIntents::PartIndex))
                    .col(timestamp_with_time_zone(PublicationIntents::CreatedAt))
                    .primary_key(
                        Index::create().col(PublicationIntents::RunId).col(PublicationIntents::PartIndex),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PublicationIntents::Table, PublicationIntents::RunId)
                            .to(ScheduleRuns::Table, ScheduleRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PublicationIntents::Table).to_owned()).await
    }
}
