//! Connected social accounts and native publishing: each connection's tokens sealed at rest
//! with the id of the key that sealed them, pending OAuth authorisations, the OAuth clients
//! Kyros registers on Mastodon instances, the account a schedule publishes to, and every part
//! of a published post or thread, recorded the moment the network created it.

use chrono::{SubsecRound, Utc};
use sea_orm_migration::{prelude::*, schema::*};
use serde_json::json;
use uuid::Uuid;

/// The tools registry's switch for publishing to connected accounts.
const TOOL_KEY: &str = "accounts";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Connections {
    Table,
    Id,
    OwnerId,
    Network,
    RemoteId,
    Handle,
    DisplayName,
    AvatarUrl,
    InstanceUrl,
    CharLimit,
    Status,
    StatusReason,
    CredentialsKeyId,
    Credentials,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConnectionAuthorizations {
    Table,
    State,
    OwnerId,
    Network,
    InstanceUrl,
    VerifierKeyId,
    Verifier,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MastodonApps {
    Table,
    InstanceUrl,
    RedirectUri,
    ClientId,
    ClientSecretKeyId,
    ClientSecret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PublicationParts {
    Table,
    RunId,
    PartIndex,
    RemoteId,
    Revision,
    Url,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    ConnectionId,
}

#[derive(DeriveIden)]
enum ScheduleRuns {
    Table,
    Id,
    PublishedUrl,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Connections::Table)
                    .col(uuid(Connections::Id).primary_key())
                    .col(uuid(Connections::OwnerId))
                    .col(string_len(Connections::Network, 16))
                    .col(string(Connections::RemoteId))
                    .col(string(Connections::Handle))
                    .col(string(Connections::DisplayName))
                    .col(text_null(Connections::AvatarUrl))
                    .col(text_null(Connections::InstanceUrl))
                    .col(integer_null(Connections::CharLimit))
                    .col(string_len(Connections::Status, 24))
                    .col(text_null(Connections::StatusReason))
                    .col(string_len(Connections::CredentialsKeyId, 64))
                    .col(blob(Connections::Credentials))
                    .col(timestamp_with_time_zone_null(Connections::ExpiresAt))
                    .col(timestamp_with_time_zone(Connections::CreatedAt))
                    .col(timestamp_with_time_zone(Connections::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Connections::Table, Connections::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Connecting the same account again refreshes its row instead of adding a second one.
        manager
            .create_index(
                Index::create()
                    .name("connections_owner_account")
                    .table(Connections::Table)
                    .col(Connections::OwnerId)
                    .col(Connections::Network)
                    .col(Connections::RemoteId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConnectionAuthorizations::Table)
                    .col(string_len(ConnectionAuthorizations::State, 64).primary_key())
                    .col(uuid(ConnectionAuthorizations::OwnerId))
                    .col(string_len(ConnectionAuthorizations::Network, 16))
                    .col(text_null(ConnectionAuthorizations::InstanceUrl))
                    .col(string_len(ConnectionAuthorizations::VerifierKeyId, 64))
                    .col(blob(ConnectionAuthorizations::Verifier))
                    .col(timestamp_with_time_zone(ConnectionAuthorizations::ExpiresAt))
                    .col(timestamp_with_time_zone(ConnectionAuthorizations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConnectionAuthorizations::Table, ConnectionAuthorizations::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MastodonApps::Table)
                    .col(string(MastodonApps::InstanceUrl))
                    .col(string(MastodonApps::RedirectUri))
                    .col(text(MastodonApps::ClientId))
                    .col(string_len(MastodonApps::ClientSecretKeyId, 64))
                    .col(blob(MastodonApps::ClientSecret))
                    .col(timestamp_with_time_zone(MastodonApps::CreatedAt))
                    .primary_key(
                        Index::create().col(MastodonApps::InstanceUrl).col(MastodonApps::RedirectUri),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PublicationParts::Table)
                    .col(uuid(PublicationParts::RunId))
                    .col(integer(PublicationParts::PartIndex))
                    .col(text(PublicationParts::RemoteId))
                    .col(text_null(PublicationParts::Revision))
                    .col(text_null(PublicationParts::Url))
                    .col(timestamp_with_time_zone(PublicationParts::CreatedAt))
                    .primary_key(
                        Index::create().col(PublicationParts::RunId).col(PublicationParts::PartIndex),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(PublicationParts::Table, PublicationParts::RunId)
                            .to(ScheduleRuns::Table, ScheduleRuns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE, so each gets its own statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Schedules::Table)
                    .add_column(uuid_null(Schedules::ConnectionId))
                    .to_owned(),
            )
            .await?;
        let mut tool = Query::insert();
        tool.into_table(Tools::Table)
            .columns([Tools::Id, Tools::Key, Tools::Kind, Tools::Config, Tools::Enabled, Tools::UpdatedAt])
            .values([
                Uuid::now_v7().into(),
                TOOL_KEY.into(),
                "connector".into(),
                json!({ "display_name": "Connected accounts", "description": "Posts and threads published to each user's X, LinkedIn, Mastodon and Bluesky accounts." }).into(),
                true.into(),
                Utc::now().trunc_subsecs(6).into(),
            ])
            .map_err(|error| DbErr::Migration(error.to_string()))?;
        manager.exec_stmt(tool).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ScheduleRuns::Table)
                    .add_column(text_null(ScheduleRuns::PublishedUrl))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Tools::Table)
                    .and_where(Expr::col(Tools::Key).eq(TOOL_KEY))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(ScheduleRuns::Table).drop_column(ScheduleRuns::PublishedUrl).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Schedules::Table).drop_column(Schedules::ConnectionId).to_owned(),
            )
            .await?;
        for table in [
            PublicationParts::Table.into_iden(),
            MastodonApps::Table.into_iden(),
            ConnectionAuthorizations::Table.into_iden(),
            Connections::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
