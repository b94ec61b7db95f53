//! What authentication asks of API tokens.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{model::ApiToken, store};

/// The token with this hash and the id of the account it belongs to.
pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(ApiToken, Uuid)>, DbErr> {
    Ok(store::find_by_hash(db, token_hash).await?.map(|model| {
        let owner_id = model.owner_id;
        (ApiToken::from(model), owner_id)
    }))
}

/// Records that the token was just used.
pub async fn touch(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<(), DbErr> {
    store::touch(db, id, now).await
}
