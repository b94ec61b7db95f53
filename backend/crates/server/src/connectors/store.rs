use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::entity::{self, Entity as WebhookEndpoints};

/// A fresh signing secret: 32 random bytes, hex-encoded.
fn new_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    format!("whsec_{}", bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>())
}

pub async fn find(db: &impl ConnectionTrait, owner_id: Uuid) -> Result<Option<entity::Model>, DbErr> {
    WebhookEndpoints::find_by_id(owner_id).one(db).await
}

/// Sets the caller's webhook URL, creating the endpoint (and its secret) the first time.
pub async fn upsert(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    url: String,
    now: DateTime<Utc>,
) -> Result<(entity::Model, bool), DbErr> {
    match find(db, owner_id).await? {
        Some(existing) => {
            let mut model: entity::ActiveModel = existing.into();
            model.url = Set(url);
            model.updated_at = Set(now);
            Ok((model.update(db).await?, false))
        }
        None => {
            let model = entity::ActiveModel {
                owner_id: Set(owner_id),
                url: Set(url),
                secret: Set(new_secret()),
                created_at: Set(now),
                updated_at: Set(now),
            };
            Ok((model.insert(db).await?, true))
        }
    }
}

/// Replaces the signing secret; deliveries signed with the old one stop at once.
pub async fn rotate_secret(
    db: &impl ConnectionTrait,
    existing: entity::Model,
    now: DateTime<Utc>,
) -> Result<entity::Model, DbErr> {
    let mut model: entity::ActiveModel = existing.into();
    model.secret = Set(new_secret());
    model.updated_at = Set(now);
    model.update(db).await
}
