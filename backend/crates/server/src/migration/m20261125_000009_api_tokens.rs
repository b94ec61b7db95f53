use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    OwnerId,
    Name,
    TokenHash,
    Prefix,
    Scopes,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(uuid(ApiTokens::Id).primary_key())
                    .col(uuid(ApiTokens::OwnerId))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len(ApiTokens::TokenHash, 64).unique_key())
                    .col(string_len(ApiTokens::Prefix, 16))
                    .col(json(ApiTokens::Scopes))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_owner")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::OwnerId)
                    .col(ApiTokens::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiTokens::Table).to_owned()).await
    }
}
