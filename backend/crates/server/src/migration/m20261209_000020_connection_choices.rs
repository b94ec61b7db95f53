//! Connection choices: what a LinkedIn member may connect after the consent page when they
//! administer pages (their profile and each page), kept with the sealed tokens until they pick.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConnectionChoices {
    Table,
    Id,
    OwnerId,
    Network,
    CredentialsKeyId,
    Credentials,
    Accounts,
    ExpiresAt,
    CreatedAt,
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
                    .table(ConnectionChoices::Table)
                    .col(string_len(ConnectionChoices::Id, 64).primary_key())
                    .col(uuid(ConnectionChoices::OwnerId))
                    .col(string_len(ConnectionChoices::Network, 16))
                    .col(string_len(ConnectionChoices::CredentialsKeyId, 64))
                    .col(blob(ConnectionChoices::Credentials))
                    .col(json(ConnectionChoices::Accounts))
                    .col(timestamp_with_time_zone(ConnectionChoices::ExpiresAt))
                    .col(timestamp_with_time_zone(ConnectionChoices::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConnectionChoices::Table, ConnectionChoices::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ConnectionChoices::Table).to_owned()).await
    }
}
