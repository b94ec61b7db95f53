use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Presets {
    Table,
    Id,
    OwnerId,
    OrgId,
    Name,
    Channels,
    Tone,
    Params,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Presets::Table)
                    .col(uuid(Presets::Id).primary_key())
                    .col(uuid(Presets::OwnerId))
                    .col(uuid_null(Presets::OrgId))
                    .col(string_len(Presets::Name, 100))
                    .col(json(Presets::Channels))
                    .col(string_len(Presets::Tone, 32))
                    .col(json(Presets::Params))
                    .col(timestamp_with_time_zone(Presets::CreatedAt))
                    .col(timestamp_with_time_zone(Presets::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Presets::Table, Presets::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_presets_owner")
                    .table(Presets::Table)
                    .col(Presets::OwnerId)
                    .col(Presets::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Presets::Table).to_owned()).await
    }
}
