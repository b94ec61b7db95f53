//! Posting slots: the weekly times (a weekday and a wall-clock time in the account's zone) at
//! which the queue of a connected account publishes. One row per slot; the account's set is
//! replaced as a whole, and a slot cannot be listed twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostingSlots {
    Table,
    ConnectionId,
    Weekday,
    LocalTime,
    Timezone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Connections {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostingSlots::Table)
                    .col(uuid(PostingSlots::ConnectionId))
                    .col(small_integer(PostingSlots::Weekday))
                    .col(string_len(PostingSlots::LocalTime, 5))
                    .col(string_len(PostingSlots::Timezone, 64))
                    .col(timestamp_with_time_zone(PostingSlots::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(PostingSlots::ConnectionId)
                            .col(PostingSlots::Weekday)
                            .col(PostingSlots::LocalTime),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostingSlots::Table, PostingSlots::ConnectionId)
                            .to(Connections::Table, Connections::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PostingSlots::Table).to_owned()).await
    }
}
