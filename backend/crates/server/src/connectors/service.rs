//! What publishing asks of connectors.

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{model::WebhookSettings, store};

/// The owner's webhook, if one is set up.
pub async fn webhook(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Option<WebhookSettings>, DbErr> {
    Ok(store::find(db, owner_id).await?.map(WebhookSettings::from))
}
