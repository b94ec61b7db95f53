//! Listing and switching tools, and what the switches mean for new jobs and schedules.
//! The table is read on every decision (it has four rows), so a change made through one
//! API process applies at once in every worker and scheduler.

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr};
use serde_json::{Value, json};

use super::{
    entity,
    model::{Tool, ToolConfig, ToolKey, ToolList, UpdateToolRequest},
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AdminUser,
    connectors::ConnectorKind,
    error::ApiError,
    generation::Writers,
    state::AppState,
};

/// Whether the environment lets the tool work at all.
fn configured(state: &AppState, key: ToolKey) -> bool {
    match key {
        ToolKey::Openai => state.generator.has_model(),
        ToolKey::Local | ToolKey::Webhook | ToolKey::File | ToolKey::Accounts => true,
    }
}

pub async fn list(state: &AppState) -> Result<ToolList, ApiError> {
    let mut items: Vec<(ToolKey, entity::Model)> = store::all(&state.db)
        .await?
        .into_iter()
        .filter_map(|model| model.key.parse().ok().map(|key| (key, model)))
        .collect();
    items.sort_by_key(|(key, _)| *key);
    Ok(ToolList {
        items: items.into_iter().map(|(key, model)| Tool::new(key, model, configured(state, key))).collect(),
    })
}

/// Switches a tool on or off and/or replaces its config, recording the change.
pub async fn update(
    state: &AppState,
    admin: AdminUser,
    key: &str,
    request: UpdateToolRequest,
) -> Result<Tool, ApiError> {
    let key: ToolKey = key.parse().map_err(|_| ApiError::NotFound("tool"))?;
    let config = request.config.as_ref().map(|raw| ToolConfig::parse(key, raw)).transpose();
    let config = config.map_err(ApiError::Validation)?;
    if request.enabled.is_none() && config.is_none() {
        return Err(ApiError::field("enabled", "send `enabled`, `config` or both"));
    }
    let now = state.clock.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let existing = store::find(&txn, key).await?.ok_or(ApiError::NotFound("tool"))?;
    let mut changes = serde_json::Map::new();
    if let Some(enabled) = request.enabled.filter(|enabled| *enabled != existing.enabled) {
        changes.insert("enabled".into(), json!({ "from": existing.enabled, "to": enabled }));
    }
    if let Some(config) = config.as_ref().filter(|config| **config != existing.config) {
        changes.insert("config".into(), json!({ "from": existing.config, "to": config }));
    }
    if changes.is_empty() {
        txn.rollback().await?;
        return Ok(Tool::new(key, existing, configured(state, key)));
    }
    let tool_id = existing.id;
    let mut model: entity::ActiveModel = existing.into();
    if let Some(enabled) = request.enabled {
        model.enabled = Set(enabled);
    }
    if let Some(config) = config {
        model.config = Set(config);
    }
    model.updated_at = Set(now);
    let saved = store::save(&txn, model).await?;
    let event = AuditEvent::new(AuditKind::ToolChanged)
        .actor(admin.id)
        .subject("tool", tool_id)
        .payload(json!({ "key": key.as_str(), "changes": Value::Object(changes) }));
    audit::record(&txn, now, event).await?;
    txn.commit().await?;
    tracing::info!(tool = key.as_str(), enabled = saved.enabled, "tool changed");
    Ok(Tool::new(key, saved, configured(state, key)))
}

/// Whether the tool is switched on; a missing row (never seeded) counts as on.
async fn enabled(db: &impl ConnectionTrait, key: ToolKey) -> Result<bool, DbErr> {
    Ok(store::find(db, key).await?.is_none_or(|model| model.enabled))
}

/// The providers new jobs may use right now.
pub async fn writers(db: &impl ConnectionTrait) -> Result<Writers, DbErr> {
    let mut writers = Writers::default();
    for model in store::all(db).await? {
        match model.key.parse() {
            Ok(ToolKey::Local) => writers.local = model.enabled,
            Ok(ToolKey::Openai) => {
                writers.model = model.enabled;
                writers.model_name = model.config.model;
            }
            _ => {}
        }
    }
    Ok(writers)
}

/// Refuses to queue a job nothing could write (409): the local engine is disabled and no
/// model is enabled and configured.
pub async fn require_writer(state: &AppState) -> Result<(), ApiError> {
    if state.generator.can_write(&writers(&state.db).await?) {
        Ok(())
    } else {
        Err(ApiError::Conflict(
            "No provider can write new jobs: an administrator disabled the local engine and the model is disabled or not configured.".into(),
        ))
    }
}

/// Whether scheduled posts may go out through `connector`.
pub async fn connector_enabled(db: &impl ConnectionTrait, connector: ConnectorKind) -> Result<bool, DbErr> {
    enabled(db, connector.into()).await
}
