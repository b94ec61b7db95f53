//! Mastodon account ids qualified by their instance: an id is the instance's own (the first
//! account of many instances is `1`), so two accounts on two instances could share one and the
//! second connection would have replaced the first. A Mastodon connection's `remote_id` becomes
//! `{id}@{host}`, the host as the instance URL names it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Connections {
    Table,
    Network,
    RemoteId,
    InstanceUrl,
}

/// `https://mastodon.social/` → `mastodon.social`, `http://127.0.0.1:8123/` → `127.0.0.1:8123`.
const HOST_OF_INSTANCE_URL: &str =
    "RTRIM(REPLACE(REPLACE(instance_url, 'https://', ''), 'http://', ''), '/')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(
                Query::update()
                    .table(Connections::Table)
                    .value(
                        Connections::RemoteId,
                        Expr::cust(format!("remote_id || '@' || {HOST_OF_INSTANCE_URL}")),
                    )
                    .and_where(Expr::col(Connections::Network).eq("mastodon"))
                    .and_where(Expr::col(Connections::InstanceUrl).is_not_null())
                    .and_where(Expr::col(Connections::RemoteId).not_like("%@%"))
                    .to_owned(),
            )
            .await
    }

    /// The ids stay qualified: two accounts sharing an id could not be told apart again. Code
    /// from before takes a reconnected account for a new one, which is the safe side.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
