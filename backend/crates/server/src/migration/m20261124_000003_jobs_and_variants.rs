use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;
use super::m20261124_000002_presets::Presets;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    OwnerId,
    OrgId,
    Name,
    SourceType,
    SourcePayload,
    Channels,
    PresetId,
    Status,
    FailureReason,
    Provider,
    CostEstimate,
    Attempts,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
    JobId,
    Channel,
    Content,
    Metadata,
    Accepted,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    OwnerId,
    Key,
    JobId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id).primary_key())
                    .col(uuid(Jobs::OwnerId))
                    .col(uuid_null(Jobs::OrgId))
                    .col(string_len(Jobs::Name, 200))
                    .col(string_len_null(Jobs::SourceType, 32))
                    .col(json_null(Jobs::SourcePayload))
                    .col(json(Jobs::Channels))
                    .col(uuid_null(Jobs::PresetId))
                    .col(string_len(Jobs::Status, 16))
                    .col(text_null(Jobs::FailureReason))
                    .col(string_len_null(Jobs::Provider, 32))
                    .col(double_null(Jobs::CostEstimate))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Jobs::Table, Jobs::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Jobs::Table, Jobs::PresetId)
                            .to(Presets::Table, Presets::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // GET /jobs lists newest first per owner, optionally by status; ids are UUIDv7 so they sort by time.
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_owner_id")
                    .table(Jobs::Table)
                    .col(Jobs::OwnerId)
                    .col(Jobs::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_owner_status_id")
                    .table(Jobs::Table)
                    .col(Jobs::OwnerId)
                    .col(Jobs::Status)
                    .col(Jobs::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Variants::Table)
                    .col(uuid(Variants::Id).primary_key())
                    .col(uuid(Variants::JobId))
                    .col(string_len(Variants::Channel, 32))
                    .col(text(Variants::Content))
                    .col(json(Variants::Metadata))
                    .col(boolean(Variants::Accepted).default(false))
                    .col(timestamp_with_time_zone(Variants::CreatedAt))
                    .col(timestamp_with_time_zone(Variants::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Variants::Table, Variants::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One variant per channel per job: a duplicate delivery can never add a second one.
        manager
            .create_index(
                Index::create()
                    .name("idx_variants_job_channel")
                    .table(Variants::Table)
                    .col(Variants::JobId)
                    .col(Variants::Channel)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(uuid(IdempotencyKeys::OwnerId))
                    .col(string_len(IdempotencyKeys::Key, 255))
                    .col(uuid(IdempotencyKeys::JobId))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .primary_key(Index::create().col(IdempotencyKeys::OwnerId).col(IdempotencyKeys::Key))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IdempotencyKeys::Table, IdempotencyKeys::JobId)
                            .to(Jobs::Table, Jobs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Variants::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Jobs::Table).to_owned()).await
    }
}
