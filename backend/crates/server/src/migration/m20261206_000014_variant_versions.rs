//! Every variant keeps its versions (generated, edited, regenerated) instead of overwriting its
//! text; acceptance names the version it applies to. The text each variant has today becomes
//! its version 1.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Variants {
    Table,
    Id,
    Content,
    Metadata,
    Accepted,
    CreatedAt,
    UpdatedAt,
    CurrentVersion,
    AcceptedVersion,
}

#[derive(DeriveIden)]
enum VariantVersions {
    Table,
    VariantId,
    Number,
    Content,
    Metadata,
    Origin,
    AuthorId,
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
                    .table(VariantVersions::Table)
                    .col(uuid(VariantVersions::VariantId))
                    .col(integer(VariantVersions::Number))
                    .col(text(VariantVersions::Content))
                    .col(json(VariantVersions::Metadata))
                    .col(string_len(VariantVersions::Origin, 16))
                    .col(uuid_null(VariantVersions::AuthorId))
                    .col(timestamp_with_time_zone(VariantVersions::CreatedAt))
                    .primary_key(Index::create().col(VariantVersions::VariantId).col(VariantVersions::Number))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VariantVersions::Table, VariantVersions::VariantId)
                            .to(Variants::Table, Variants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(VariantVersions::Table, VariantVersions::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE, so each gets its own statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Variants::Table)
                    .add_column(integer(Variants::CurrentVersion).default(1))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Variants::Table)
                    .add_column(integer_null(Variants::AcceptedVersion))
                    .to_owned(),
            )
            .await?;
        // Today's text is version 1: generated if it was never changed, edited otherwise.
        let origin =
            Expr::case(Expr::col(Variants::UpdatedAt).eq(Expr::col(Variants::CreatedAt)), "generated")
                .finally("edited");
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(VariantVersions::Table)
                    .columns([
                        VariantVersions::VariantId,
                        VariantVersions::Number,
                        VariantVersions::Content,
                        VariantVersions::Metadata,
                        VariantVersions::Origin,
                        VariantVersions::CreatedAt,
                    ])
                    .select_from(
                        Query::select()
                            .column(Variants::Id)
                            .expr(Expr::val(1))
                            .column(Variants::Content)
                            .column(Variants::Metadata)
                            .expr(origin)
                            .column(Variants::UpdatedAt)
                            .from(Variants::Table)
                            .to_owned(),
                    )
                    .map_err(|error| DbErr::Migration(error.to_string()))?
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Variants::Table)
                    .value(Variants::AcceptedVersion, 1)
                    .and_where(Expr::col(Variants::Accepted).eq(true))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table(Variants::Table).drop_column(Variants::AcceptedVersion).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Variants::Table).drop_column(Variants::CurrentVersion).to_owned(),
            )
            .await?;
        manager.drop_table(Table::drop().table(VariantVersions::Table).to_owned()).await
    }
}
