//! When a job's variants were ready for review and when each variant was accepted: the two
//! instants the dashboard's "time to review" and "time to accept" are measured to.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    OwnerId,
    CreatedAt,
    ReadyAt,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Variants {
    Table,
    AcceptedAt,
    Accepted,
    UpdatedAt,
}

const JOBS_INDEX: &str = "idx_jobs_owner_created_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE, so each gets its own statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .add_column(timestamp_with_time_zone_null(Jobs::ReadyAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Variants::Table)
                    .add_column(timestamp_with_time_zone_null(Variants::AcceptedAt))
                    .to_owned(),
            )
            .await?;
        // Rows from before this migration: the last update is the best record we have.
        manager
            .exec_stmt(
                Query::update()
                    .table(Jobs::Table)
                    .value(Jobs::ReadyAt, Expr::col(Jobs::UpdatedAt))
                    .and_where(Expr::col(Jobs::Status).is_in(["needs_review", "done"]))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Variants::Table)
                    .value(Variants::AcceptedAt, Expr::col(Variants::UpdatedAt))
                    .and_where(Expr::col(Variants::Accepted).eq(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(JOBS_INDEX)
                    .table(Jobs::Table)
                    .col(Jobs::OwnerId)
                    .col(Jobs::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(JOBS_INDEX).table(Jobs::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Variants::Table).drop_column(Variants::AcceptedAt).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::ReadyAt).to_owned()).await
    }
}
