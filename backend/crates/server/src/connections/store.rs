use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, NullOrdering, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    entity::{authorization, choice, connection, mastodon_app},
    model::ConnectionStatus,
};
use crate::connectors::network::{Account, Network};

pub async fn list_owned(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Vec<connection::Model>, DbErr> {
    connection::Entity::find()
        .filter(connection::Column::OwnerId.eq(owner_id))
        .order_by_asc(connection::Column::CreatedAt)
        .order_by_asc(connection::Column::Id)
        .all(db)
        .await
}

pub async fn count_owned(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<u64, DbErr> {
    connection::Entity::find().filter(connection::Column::OwnerId.eq(owner_id)).count(db).await
}

pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<connection::Model>, DbErr> {
    connection::Entity::find_by_id(id).one(db).await
}

pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<connection::Model>, DbErr> {
    connection::Entity::find_by_id(id).filter(connection::Column::OwnerId.eq(owner_id)).one(db).await
}

/// The owner's row for this network account, if it was connected before.
pub async fn find_account(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    network: Network,
    remote_id: &str,
) -> Result<Option<connection::Model>, DbErr> {
    connection::Entity::find()
        .filter(connection::Column::OwnerId.eq(owner_id))
        .filter(connection::Column::Network.eq(network))
        .filter(connection::Column::RemoteId.eq(remote_id))
        .one(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    model: connection::ActiveModel,
) -> Result<connection::Model, DbErr> {
    model.insert(db).await
}

pub async fn save(
    db: &impl ConnectionTrait,
    model: connection::ActiveModel,
) -> Result<connection::Model, DbErr> {
    model.update(db).await
}

pub async fn delete_owned(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = connection::Entity::delete_many()
        .filter(connection::Column::Id.eq(id))
        .filter(connection::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

pub async fn insert_authorization(
    db: &impl ConnectionTrait,
    model: authorization::ActiveModel,
) -> Result<authorization::Model, DbErr> {
    model.insert(db).await
}

/// Takes the pending authorisation with this state: it answers once, whoever asks.
pub async fn take_authorization(
    db: &impl ConnectionTrait,
    state: &str,
) -> Result<Option<authorization::Model>, DbErr> {
    let Some(found) = authorization::Entity::find_by_id(state.to_owned()).one(db).await? else {
        return Ok(None);
    };
    let deleted = authorization::Entity::delete_by_id(state.to_owned()).exec(db).await?;
    Ok((deleted.rows_affected == 1).then_some(found))
}

/// Forgets consents nobody came back from.
pub async fn delete_expired_authorizations(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let result = authorization::Entity::delete_many()
        .filter(authorization::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

pub async fn insert_choice(
    db: &impl ConnectionTrait,
    model: choice::ActiveModel,
) -> Result<choice::Model, DbErr> {
    model.insert(db).await
}

pub async fn find_choice(db: &impl ConnectionTrait, id: &str) -> Result<Option<choice::Model>, DbErr> {
    choice::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Takes the choice `id`: `true` for the one request that deleted it.
pub async fn take_choice(db: &impl ConnectionTrait, id: &str) -> Result<bool, DbErr> {
    Ok(choice::Entity::delete_by_id(id.to_owned()).exec(db).await?.rows_affected == 1)
}

/// Forgets choices nobody made.
pub async fn delete_expired_choices(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = choice::Entity::delete_many().filter(choice::Column::ExpiresAt.lt(now)).exec(db).await?;
    Ok(result.rows_affected)
}

/// The owner's other connections on `network`, for sharing a refreshed token among the
/// accounts one consent connected.
pub async fn others_on_network(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    network: Network,
    except: Uuid,
) -> Result<Vec<connection::Model>, DbErr> {
    connection::Entity::find()
        .filter(connection::Column::OwnerId.eq(owner_id))
        .filter(connection::Column::Network.eq(network))
        .filter(connection::Column::Id.ne(except))
        .all(db)
        .await
}

pub async fn find_mastodon_app(
    db: &impl ConnectionTrait,
    instance_url: &str,
    redirect_uri: &str,
) -> Result<Option<mastodon_app::Model>, DbErr> {
    mastodon_app::Entity::find_by_id((instance_url.to_owned(), redirect_uri.to_owned())).one(db).await
}

pub async fn insert_mastodon_app(
    db: &impl ConnectionTrait,
    model: mastodon_app::ActiveModel,
) -> Result<mastodon_app::Model, DbErr> {
    model.insert(db).await
}

pub async fn save_mastodon_app(
    db: &impl ConnectionTrait,
    model: mastodon_app::ActiveModel,
) -> Result<mastodon_app::Model, DbErr> {
    model.update(db).await
}

/// Every app Kyros registered on a Mastodon instance, for resealing under a new key.
pub async fn all_mastodon_apps(db: &impl ConnectionTrait) -> Result<Vec<mastodon_app::Model>, DbErr> {
    mastodon_app::Entity::find()
        .order_by_asc(mastodon_app::Column::InstanceUrl)
        .order_by_asc(mastodon_app::Column::RedirectUri)
        .all(db)
        .await
}

/// Marks the account as needing the user to connect it again, with the network's reason.
pub async fn mark_needs_reconnect(
    db: &impl ConnectionTrait,
    model: connection::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<connection::Model, DbErr> {
    let mut model: connection::ActiveModel = model.into();
    model.status = Set(ConnectionStatus::NeedsReconnect);
    model.status_reason = Set(Some(reason.to_owned()));
    model.updated_at = Set(now);
    model.update(db).await
}

/// Every connection, for resealing under a new key.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<connection::Model>, DbErr> {
    connection::Entity::find().order_by_asc(connection::Column::Id).all(db).await
}

/// The ids of the accounts that work, as a subquery.
pub fn active_ids() -> SelectStatement {
    Query::select()
        .column(connection::Column::Id)
        .from(connection::Entity)
        .and_where(connection::Column::Status.eq(ConnectionStatus::Active))
        .to_owned()
}

/// Takes the owner's account row for the rest of the transaction, so that two requests
/// filling or reordering its queue run one after the other and never pick the same slot.
/// PostgreSQL locks the row on this (unchanging) write; SQLite's write transaction
/// (`db::begin_write`) already excludes other writers. `false` when the owner has no such
/// account.
pub async fn lock(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = connection::Entity::update_many()
        .col_expr(connection::Column::UpdatedAt, Expr::col(connection::Column::UpdatedAt))
        .filter(connection::Column::Id.eq(id))
        .filter(connection::Column::OwnerId.eq(owner_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Working accounts whose name and picture are due to be read again at `now`, those never
/// read first, then the longest due.
pub async fn profiles_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<connection::Model>, DbErr> {
    connection::Entity::find()
        .filter(connection::Column::Status.eq(ConnectionStatus::Active))
        .filter(
            Condition::any()
                .add(connection::Column::ProfileRefreshDueAt.is_null())
                .add(connection::Column::ProfileRefreshDueAt.lte(now)),
        )
        .order_by_with_nulls(connection::Column::ProfileRefreshDueAt, Order::Asc, NullOrdering::First)
        .order_by_asc(connection::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Stores the account's face as just read, and when to read it next. Only these columns are
/// written: the tokens may have been refreshed meanwhile.
pub async fn record_profile(
    db: &impl ConnectionTrait,
    id: Uuid,
    account: &Account,
    now: DateTime<Utc>,
    next: DateTime<Utc>,
) -> Result<(), DbErr> {
    connection::Entity::update_many()
        .col_expr(connection::Column::Handle, Expr::value(account.handle.clone()))
        .col_expr(connection::Column::DisplayName, Expr::value(account.display_name.clone()))
        .col_expr(connection::Column::AvatarUrl, Expr::value(account.avatar_url.clone()))
        .col_expr(connection::Column::ProfileRefreshedAt, Expr::value(now))
        .col_expr(connection::Column::ProfileRefreshDueAt, Expr::value(next))
        .filter(connection::Column::Id.eq(id))
        .exec(db)
        .await
        .map(drop)
}

/// Puts the next read of the account's face off until `next`, keeping what is stored.
pub async fn postpone_profile(db: &impl ConnectionTrait, id: Uuid, next: DateTime<Utc>) -> Result<(), DbErr> {
    connection::Entity::update_many()
        .col_expr(connection::Column::ProfileRefreshDueAt, Expr::value(next))
        .filter(connection::Column::Id.eq(id))
        .exec(db)
        .await
        .map(drop)
}
