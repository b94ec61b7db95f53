use sea_orm_migration::{prelude::*, schema::*};

use super::m20261124_000001_users_and_auth::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UsageCounters {
    Table,
    OwnerId,
    Metric,
    PeriodStart,
    Used,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsageCounters::Table)
                    .col(uuid(UsageCounters::OwnerId))
                    .col(string_len(UsageCounters::Metric, 32))
                    .col(timestamp_with_time_zone(UsageCounters::PeriodStart))
                    .col(big_integer(UsageCounters::Used).default(0))
                    .col(timestamp_with_time_zone(UsageCounters::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(UsageCounters::OwnerId)
                            .col(UsageCounters::Metric)
                            .col(UsageCounters::PeriodStart),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UsageCounters::Table, UsageCounters::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(UsageCounters::Table).to_owned()).await
    }
}
