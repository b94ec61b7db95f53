use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{
    entity,
    model::{MAX_CONTENT_CHARS, UpdateVariantRequest, Variant},
    sanitize::sanitize_post_text,
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    error::{ApiError, FailedCheck},
    generation::GenerationError,
    jobs::{self, processing::generation_options},
    sources::model::Source,
    state::AppState,
    tools, usage,
};

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
    let was_accepted = variant.accepted;
    let channel: Option<engine::Channel> = variant.channel.parse().ok();
    let final_content = content.clone().unwrap_or_else(|| variant.content.clone());
    let mut metadata = variant.metadata.clone();
    if content.is_some()
        && let Some(channel) = channel
    {
        // Counts and findings describe the text as it is now, not as it was generated.
        engine::refresh_metadata(channel, &final_content, &mut metadata);
    }
    // Accepted means safe to publish: no error, and warnings only when the user said so.
    let checks = channel.map(|channel| checks_of(channel, &final_content, &metadata)).unwrap_or_default();
    let errors: Vec<FailedCheck> = checks.iter().filter(|c| c.severity == "error").cloned().collect();
    let warnings: Vec<FailedCheck> = checks.into_iter().filter(|c| c.severity == "warning").collect();
    let mut accepted = request.accepted.unwrap_or(was_accepted);
    if accepted && request.accepted == Some(true) {
        if !errors.is_empty() {
            return Err(ApiError::ChecksFailed {
                field: "accepted",
                detail: format!(
                    "Fix {} before accepting this post: {}",
                    count_of(&errors, "error"),
                    messages(&errors)
                ),
                checks: errors,
            });
        }
        if !warnings.is_empty() && !request.publish_anyway {
            return Err(ApiError::ChecksFailed {
                field: "publish_anyway",
                detail: format!(
                    "This post has {}: {} Fix them, or accept it with `publish_anyway`.",
                    count_of(&warnings, "warning"),
                    messages(&warnings)
                ),
                checks: warnings,
            });
        }
    } else if accepted
        && content.is_some()
        && (!errors.is_empty() || !warnings.is_empty() && !request.publish_anyway)
    {
        // An edit that breaks a check withdraws the acceptance; the edit itself is kept.
        accepted = false;
    }
    let newly_accepted = accepted && !was_accepted;
    let overridden: Vec<&str> =
        if request.publish_anyway { warnings.iter().map(|w| w.rule.as_str()).collect() } else { vec![] };
    let accepted_event = AuditEvent::new(AuditKind::VariantAccepted).actor(user.id).subject("variant", id).payload(
        serde_json::json!({ "job_id": job_id, "channel": variant.channel, "warnings_overridden": overridden }),
    );
    let mut model: entity::ActiveModel = variant.into();
    if let Some(content) = content {
        model.content = Set(content);
        model.metadata = Set(metadata);
    }
    let accepted_changed = accepted != was_accepted;
    if accepted_changed {
        model.accepted_at = Set(accepted.then_some(now));
        model.accepted = Set(accepted);
    }
    model.updated_at = Set(now);
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = store::save(&txn, model).await?;
    if accepted_changed {
        jobs::service::sync_review_status(&txn, job_id, now).await?;
    }
    if newly_accepted {
        audit::record(&txn, now, accepted_event).await?;
    }
    txn.commit().await?;
    Ok(saved.into())
}

/// The lint findings of a post that stand between it and publishing: errors and warnings.
fn checks_of(channel: engine::Channel, content: &str, metadata: &serde_json::Value) -> Vec<FailedCheck> {
    engine::lint_variant(channel, content, metadata)
        .into_iter()
        .filter(|finding| finding.severity != engine::Severity::Info)
        .map(|finding| FailedCheck {
            rule: finding.rule.to_owned(),
            severity: match finding.severity {
                engine::Severity::Error => "error",
                _ => "warning",
            }
            .to_owned(),
            message: finding.message,
        })
        .collect()
}

/// The errors of a stored post (an accepted one may predate the rule that it has none): what
/// keeps it from being scheduled or published.
pub fn errors_of(variant: &entity::Model) -> Vec<FailedCheck> {
    let Ok(channel) = variant.channel.parse::<engine::Channel>() else { return vec![] };
    checks_of(channel, &variant.content, &variant.metadata)
        .into_iter()
        .filter(|c| c.severity == "error")
        .collect()
}

fn count_of(checks: &[FailedCheck], what: &str) -> String {
    if checks.len() == 1 { format!("1 {what}") } else { format!("{} {what}s", checks.len()) }
}

fn messages(checks: &[FailedCheck]) -> String {
    checks.iter().map(|c| c.message.as_str()).collect::<Vec<_>>().join(" ")
}

#[derive(Debug, serde::Deserialize, utoipa::ToSchema, Default)]
pub struct RegenerateRequest {
    /// Which alternative to produce; defaults to the next one after the current variant's.
    pub seed: Option<u64>,
}

/// Replaces one variant with an alternative from the writers an administrator allows: the
/// model when one is configured and enabled (the local engine standing in when it fails), else
/// the local engine (deterministic per seed).
pub async fn regenerate(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: RegenerateRequest,
) -> Result<Variant, ApiError> {
    let (variant, job) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    let source: Source = job
        .source_payload
        .clone()
        .and_then(|payload| serde_json::from_value(payload).ok())
        .ok_or_else(|| ApiError::Conflict("This job has no source to regenerate from.".into()))?;
    tools::service::require_writer(state).await?;
    let writers = tools::service::writers(&state.db).await?;
    let channel: engine::Channel =
        variant.channel.parse().map_err(|_| ApiError::Conflict("Unknown channel on this variant.".into()))?;
    usage::service::ensure_chars_left(&state.db, state, user).await?;
    let current_seed = variant.metadata.pointer("/engine/seed").and_then(|seed| seed.as_u64()).unwrap_or(0);
    let mut options = generation_options(&state.db, &job).await?;
    options.seed = request.seed.unwrap_or(current_seed.wrapping_add(1));
    let generated =
        state.generator.generate(&source.content, &[channel], &options, &writers).await.map_err(|error| {
            match error {
                GenerationError::Engine(error) => {
                    ApiError::Conflict(format!("The source cannot be regenerated: {error}."))
                }
                GenerationError::NoWriter(reason) => ApiError::Conflict(reason),
                GenerationError::Crashed => {
                    ApiError::Internal(anyhow::anyhow!("the engine stopped unexpectedly"))
                }
            }
        })?;
    let provider = generated.provider;
    let mut fresh = generated
        .variants
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the writer returned no variant"))?;
    super::sanitize::sanitize_generated(&mut fresh);
    let now = state.clock.now();
    let job_id = variant.job_id;
    let chars = usage::model::generated_chars([fresh.content.as_str()]);
    let mut model: entity::ActiveModel = variant.into();
    model.content = Set(fresh.content);
    model.metadata = Set(fresh.metadata);
    model.accepted = Set(false);
    model.accepted_at = Set(None);
    model.updated_at = Set(now);
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = store::save(&txn, model).await?;
    usage::service::record_generated_chars(&txn, user.id, chars, now).await?;
    jobs::service::sync_review_status(&txn, job_id, now).await?;
    txn.commit().await?;
    crate::metrics::record_generations(provider, [saved.channel.as_str()]);
    Ok(saved.into())
}
