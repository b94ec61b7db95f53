//! What happened after a post went out: the latest public counts of each run published to a
//! connected account, with when they were read and when they are read next, and the outbox of
//! webhook events (`published`) the scheduler delivers with retries.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PostResults {
    Table,
    RunId,
    OwnerId,
    ConnectionId,
    Network,
    PublishedAt,
    Likes,
    Reposts,
    Replies,
    Impressions,
    FetchedAt,
    NextFetchAt,
    LastError,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Id,
    OwnerId,
    Event,
    IdempotencyKey,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    DeliveredAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ScheduleRuns {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PostResults::Table)
                    .col(uuid(PostResults::RunId).primary_key())
                    .col(uuid(PostResults::OwnerId))
                    // No foreign key: the counts outlive a disconnected account.
                    .col(uuid(PostResults::ConnectionId))
                    .col(string_len(PostResults::Network, 16))
                    .col(timestamp_with_time_zone(PostResults::PublishedAt))
                    .col(big_integer(PostResults::Likes).default(0))
                    .col(big_integer(PostResults::Reposts).default(0))
                    .col(big_integer(PostResults::Replies).default(0))
                    .col(big_integer_null(PostResults::Impressions))
                    .col(timestamp_with_time_zone_null(PostResults::FetchedAt))
                    .col(timestamp_with_time_zone_null(PostResults::NextFetchAt))
                    .col(text_null(PostResults::LastError))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PostResults::Table, PostResults::RunId)
                            .to(ScheduleRuns::Table, ScheduleRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The scheduler's tick looks for the next fetches due; the dashboard for a period.
        manager
            .create_index(
                Index::create()
                    .name("post_results_next_fetch")
                    .table(PostResults::Table)
                    .col(PostResults::NextFetchAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("post_results_owner_published")
                    .table(PostResults::Table)
                    .col(PostResults::OwnerId)
                    .col(PostResults::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEvents::Table)
                    .col(uuid(WebhookEvents::Id).primary_key())
                    .col(uuid(WebhookEvents::OwnerId))
                    .col(string_len(WebhookEvents::Event, 32))
                    .col(string(WebhookEvents::IdempotencyKey).unique_key())
                    .col(json(WebhookEvents::Payload))
                    .col(string_len(WebhookEvents::Status, 16))
                    .col(integer(WebhookEvents::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(WebhookEvents::NextAttemptAt))
                    .col(text_null(WebhookEvents::LastError))
                    .col(timestamp_with_time_zone_null(WebhookEvents::DeliveredAt))
                    .col(timestamp_with_time_zone(WebhookEvents::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEvents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookEvents::Table, WebhookEvents::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("webhook_events_due")
                    .table(WebhookEvents::Table)
                    .col(WebhookEvents::Status)
                    .col(WebhookEvents::NextAttemptAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [WebhookEvents::Table.into_iden(), PostResults::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
