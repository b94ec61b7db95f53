use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    OwnerId,
    OrgId,
    FileName,
    Format,
    SizeBytes,
    Title,
    Byline,
    Language,
    Speakers,
    Text,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(uuid(Uploads::Id).primary_key())
                    .col(uuid(Uploads::OwnerId))
                    .col(uuid_null(Uploads::OrgId))
                    .col(string_len(Uploads::FileName, 255))
                    .col(string_len(Uploads::Format, 16))
                    .col(big_integer(Uploads::SizeBytes))
                    .col(text_null(Uploads::Title))
                    .col(text_null(Uploads::Byline))
                    .col(string_len_null(Uploads::Language, 8))
                    .col(json(Uploads::Speakers))
                    .col(text(Uploads::Text))
                    .col(timestamp_with_time_zone(Uploads::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Uploads::Table, Uploads::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_uploads_owner")
                    .table(Uploads::Table)
                    .col(Uploads::OwnerId)
                    .col(Uploads::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Uploads::Table).to_owned()).await
    }
}
