//! When each connected account's public face (name, handle, picture) was last read from its
//! network, and when it is read next: the scheduler reads it again about once a day, and a
//! picture whose signed address expires sooner before then. Rows from before this migration
//! have neither, so they are read on the scheduler's first ticks.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Connections {
    Table,
    ProfileRefreshedAt,
    ProfileRefreshDueAt,
}

const DUE_INDEX: &str = "connections_profile_refresh_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE, so each gets its own statement.
        for column in [Connections::ProfileRefreshedAt, Connections::ProfileRefreshDueAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Connections::Table)
                        .add_column(timestamp_with_time_zone_null(column))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name(DUE_INDEX)
                    .table(Connections::Table)
                    .col(Connections::ProfileRefreshDueAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(DUE_INDEX).table(Connections::Table).to_owned()).await?;
        for column in [Connections::ProfileRefreshDueAt, Connections::ProfileRefreshedAt] {
            manager
                .alter_table(Table::alter().table(Connections::Table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
