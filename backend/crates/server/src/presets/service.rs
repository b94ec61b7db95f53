//! What other domains ask of presets.

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{model::Preset, store};

/// The preset `id` if `owner_id` owns it.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<Preset>, DbErr> {
    Ok(store::find_owned(db, owner_id, id).await?.map(Preset::from))
}
