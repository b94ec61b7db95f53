use sea_orm::{ActiveValue::Set, TransactionTrait};
use uuid::Uuid;

use super::{
    entity,
    model::{MAX_CONTENT_CHARS, UpdateVariantRequest, Variant},
    sanitize::sanitize_post_text,
    store,
};
use crate::{auth::AuthUser, error::ApiError, jobs, state::AppState};

pub async fn get(state: &AppState, user: AuthUser, id: Uuid) -> Result<Variant, ApiError> {
    let (variant, _) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    Ok(variant.into())
}

/// Edits and/or accepts a variant, then brings the job's review status in line.
pub async fn update(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: UpdateVariantRequest,
) -> Result<Variant, ApiError> {
    let (variant, _job) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    let content = request.content.map(|raw| sanitize_post_text(&raw));
    if let Some(content) = &content {
        if content.trim().is_empty() {
            return Err(ApiError::field("content", "must not be empty"));
        }
        if content.chars().count() > MAX_CONTENT_CHARS {
            return Err(ApiError::field(
                "content",
                format!("must be at most {MAX_CONTENT_CHARS} characters"),
            ));
        }
    }
    let now = state.clock.now();
    let job_id = variant.job_id;
    let mut model: entity::ActiveModel = variant.into();
    if let Some(content) = content {
        model.content = Set(content);
    }
    let accepted_changed = request.accepted.is_some();
    if let Some(accepted) = request.accepted {
        model.accepted = Set(accepted);
    }
    model.updated_at = Set(now);
    let txn = state.db.begin().await?;
    let saved = store::save(&txn, model).await?;
    if accepted_changed {
        jobs::service::sync_review_status(&txn, job_id, now).await?;
    }
    txn.commit().await?;
    Ok(saved.into())
}
