use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Id,
    OwnerId,
    OrgId,
    VariantId,
    Connector,
    RunAt,
    Timezone,
    Recurrence,
    Exdates,
    Status,
    NextRunAt,
    LastRunAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ScheduleRuns {
    Table,
    Id,
    ScheduleId,
    OwnerId,
    OccurrenceAt,
    Status,
    Attempts,
    Late,
    Missed,
    NextAttemptAt,
    LastError,
    AttemptLog,
    PublishedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookEndpoints {
    Table,
    OwnerId,
    Url,
    Secret,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    OwnerId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SchedulerLeases {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

fn owner_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Schedules::Table)
                    .col(uuid(Schedules::Id).primary_key())
                    .col(uuid(Schedules::OwnerId))
                    .col(uuid_null(Schedules::OrgId))
                    .col(uuid(Schedules::VariantId))
                    .col(string_len(Schedules::Connector, 32))
                    .col(timestamp_with_time_zone(Schedules::RunAt))
                    .col(string_len(Schedules::Timezone, 64))
                    .col(text_null(Schedules::Recurrence))
                    .col(json(Schedules::Exdates))
                    .col(string_len(Schedules::Status, 16))
                    .col(timestamp_with_time_zone_null(Schedules::NextRunAt))
                    .col(timestamp_with_time_zone_null(Schedules::LastRunAt))
                    .col(timestamp_with_time_zone(Schedules::CreatedAt))
                    .col(timestamp_with_time_zone(Schedules::UpdatedAt))
                    .foreign_key(&mut owner_key(Schedules::Table, Schedules::OwnerId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Schedules::Table, Schedules::VariantId)
                            .to(Variants::Table, Variants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The scheduler's due query, and a user's calendar.
        manager
            .create_index(
                Index::create()
                    .name("idx_schedules_due")
                    .table(Schedules::Table)
                    .col(Schedules::Status)
                    .col(Schedules::NextRunAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedules_owner")
                    .table(Schedules::Table)
                    .col(Schedules::OwnerId)
                    .col(Schedules::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedules_variant")
                    .table(Schedules::Table)
                    .col(Schedules::VariantId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScheduleRuns::Table)
                    .col(uuid(ScheduleRuns::Id).primary_key())
                    .col(uuid(ScheduleRuns::ScheduleId))
                    .col(uuid(ScheduleRuns::OwnerId))
                    .col(timestamp_with_time_zone(ScheduleRuns::OccurrenceAt))
                    .col(string_len(ScheduleRuns::Status, 16))
                    .col(integer(ScheduleRuns::Attempts))
                    .col(boolean(ScheduleRuns::Late))
                    .col(integer(ScheduleRuns::Missed))
                    .col(timestamp_with_time_zone_null(ScheduleRuns::NextAttemptAt))
                    .col(text_null(ScheduleRuns::LastError))
                    .col(json(ScheduleRuns::AttemptLog))
                    .col(timestamp_with_time_zone_null(ScheduleRuns::PublishedAt))
                    .col(timestamp_with_time_zone(ScheduleRuns::CreatedAt))
                    .col(timestamp_with_time_zone(ScheduleRuns::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ScheduleRuns::Table, ScheduleRuns::ScheduleId)
                            .to(Schedules::Table, Schedules::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One run per occurrence: a second claim of the same occurrence fails here.
        manager
            .create_index(
                Index::create()
                    .name("idx_schedule_runs_occurrence")
                    .table(ScheduleRuns::Table)
                    .col(ScheduleRuns::ScheduleId)
                    .col(ScheduleRuns::OccurrenceAt)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedule_runs_pending")
                    .table(ScheduleRuns::Table)
                    .col(ScheduleRuns::Status)
                    .col(ScheduleRuns::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schedule_runs_owner")
                    .table(ScheduleRuns::Table)
                    .col(ScheduleRuns::OwnerId)
                    .col(ScheduleRuns::PublishedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookEndpoints::Table)
                    .col(uuid(WebhookEndpoints::OwnerId).primary_key())
                    .col(text(WebhookEndpoints::Url))
                    .col(string_len(WebhookEndpoints::Secret, 128))
                    .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                    .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                    .foreign_key(&mut owner_key(WebhookEndpoints::Table, WebhookEndpoints::OwnerId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(uuid(CalendarFeeds::OwnerId).primary_key())
                    .col(string_len(CalendarFeeds::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                    .foreign_key(&mut owner_key(CalendarFeeds::Table, CalendarFeeds::OwnerId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SchedulerLeases::Table)
                    .col(string_len(SchedulerLeases::Name, 64).primary_key())
                    .col(string_len(SchedulerLeases::Holder, 128))
                    .col(timestamp_with_time_zone(SchedulerLeases::ExpiresAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SchedulerLeases::Table.into_iden(),
            CalendarFeeds::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
            ScheduleRuns::Table.into_iden(),
            Schedules::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
