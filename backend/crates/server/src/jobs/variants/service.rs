use chrono::{DateTime, Utc};
use engine::VariantMetadata;
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    entity,
    model::{
        AcceptedPost, MAX_CONTENT_CHARS, UpdateVariantRequest, Variant, VariantRecord, VariantRow,
        VariantVersion, VersionOrigin,
    },
    sanitize::sanitize_post_text,
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    error::{ApiError, FailedCheck},
    generation::GenerationError,
    jobs::{self, model::Job, processing::generation_options},
    state::AppState,
    tools, usage,
};

pub async fn get(state: &AppState, user: AuthUser, id: Uuid) -> Result<Variant, ApiError> {
    let (variant, _) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    Ok(variant.into())
}

/// Edits and/or accepts a variant, then brings the job's review status in line. An edit is a
/// new version; acceptance belongs to one version, so an edit is accepted only when the same
/// request accepts it. Accepted means safe to publish: no error, and warnings only when the
/// user says "publish anyway" (recorded in the audit log).
#[tracing::instrument(name = "variants.update", skip_all, fields(variant_id = %id, user_id = %user.id))]
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
    let channel = variant.channel;
    let mut metadata = store::metadata(&variant.metadata)?;
    if let Some(content) = &content {
        // Counts and findings describe the text as it is now, not as it was generated.
        engine::refresh_metadata(channel, content, &mut metadata);
    }
    let overridden_warnings = match request.accepted {
        Some(true) => {
            let text = content.as_deref().unwrap_or(&variant.content);
            let checks = checks_of(channel, text, &metadata);
            publishable(checks, request.publish_anyway)?
        }
        _ => Vec::new(),
    };
    let event_payload = |version: i32| {
        serde_json::json!({ "job_id": job_id, "channel": variant.channel, "version": version,
                            "warnings_overridden": overridden_warnings })
    };
    let txn = crate::db::begin_write(&state.db).await?;
    let mut current_version = variant.current_version;
    let mut accepted_version = variant.accepted_version;
    let mut model: entity::ActiveModel = variant.clone().into();
    if let Some(content) = content {
        current_version =
            store::add_version(&txn, id, &content, &metadata, VersionOrigin::Edited, Some(user.id), now)
                .await?;
        model.content = Set(content);
        model.metadata = Set(store::stored(&metadata));
        model.current_version = Set(current_version);
    }
    match request.accepted {
        Some(true) => accepted_version = Some(current_version),
        Some(false) => accepted_version = None,
        None => {}
    }
    let accepted = accepted_version == Some(current_version);
    let newly_accepted = accepted && variant.accepted_version != accepted_version;
    if newly_accepted {
        model.accepted_at = Set(Some(now));
    } else if accepted_version.is_none() {
        model.accepted_at = Set(None);
    }
    model.accepted_version = Set(accepted_version);
    model.accepted = Set(accepted);
    model.updated_at = Set(now);
    let saved = store::save(&txn, model).await?;
    if accepted != was_accepted {
        jobs::service::sync_review_status(&txn, job_id, now).await?;
    }
    if newly_accepted {
        let event = AuditEvent::new(AuditKind::VariantAccepted)
            .actor(user.id)
            .subject("variant", id)
            .payload(event_payload(current_version));
        audit::record(&txn, now, event).await?;
    }
    txn.commit().await?;
    Ok(saved.into())
}

/// Whether a post with these checks may be accepted: never with an error, with warnings only
/// when the user chose to publish anyway. Returns the warnings so overridden.
fn publishable(checks: Vec<FailedCheck>, publish_anyway: bool) -> Result<Vec<String>, ApiError> {
    let (errors, warnings): (Vec<FailedCheck>, Vec<FailedCheck>) =
        checks.into_iter().partition(|check| check.severity == "error");
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
    if !warnings.is_empty() && !publish_anyway {
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
    Ok(warnings.into_iter().map(|warning| warning.rule).collect())
}

/// The variant's versions, newest first.
pub async fn versions(state: &AppState, user: AuthUser, id: Uuid) -> Result<Vec<VariantVersion>, ApiError> {
    let (variant, _) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    Ok(store::versions(&state.db, id)
        .await?
        .into_iter()
        .map(|version| VariantVersion::new(version, &variant))
        .collect())
}

/// Shows version `number` again; accepted again when it is the accepted version.
#[tracing::instrument(name = "variants.restore", skip_all, fields(variant_id = %id, version = number, user_id = %user.id))]
pub async fn restore(state: &AppState, user: AuthUser, id: Uuid, number: i32) -> Result<Variant, ApiError> {
    let (variant, _) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    let version = store::find_version(&state.db, id, number).await?.ok_or(ApiError::NotFound("version"))?;
    let now = state.clock.now();
    let job_id = variant.job_id;
    let was_accepted = variant.accepted;
    let accepted = variant.accepted_version == Some(number);
    let mut model: entity::ActiveModel = variant.into();
    model.content = Set(version.content);
    model.metadata = Set(version.metadata);
    model.current_version = Set(number);
    model.accepted = Set(accepted);
    model.updated_at = Set(now);
    let txn = crate::db::begin_write(&state.db).await?;
    let saved = store::save(&txn, model).await?;
    if accepted != was_accepted {
        jobs::service::sync_review_status(&txn, job_id, now).await?;
    }
    txn.commit().await?;
    Ok(saved.into())
}

/// The lint findings of a post that stand between it and publishing: errors and warnings.
fn checks_of(channel: engine::Channel, content: &str, metadata: &VariantMetadata) -> Vec<FailedCheck> {
    engine::lint_variant(channel, content, &metadata.fields)
        .into_iter()
        .filter(|finding| finding.severity != engine::Severity::Info)
        .map(|finding| FailedCheck {
            rule: finding.rule.into_owned(),
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
pub fn errors_of(variant: &entity::Model) -> Result<Vec<FailedCheck>, ApiError> {
    let metadata = store::metadata(&variant.metadata)?;
    Ok(checks_of(variant.channel, &variant.content, &metadata)
        .into_iter()
        .filter(|c| c.severity == "error")
        .collect())
}

fn count_of(checks: &[FailedCheck], what: &str) -> String {
    if checks.len() == 1 { format!("1 {what}") } else { format!("{} {what}s", checks.len()) }
}

/// The checks' messages as one sentence run, for a problem's detail or a run's failure.
pub fn messages(checks: &[FailedCheck]) -> String {
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
#[tracing::instrument(name = "variants.regenerate", skip_all, fields(variant_id = %id, user_id = %user.id))]
pub async fn regenerate(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: RegenerateRequest,
) -> Result<Variant, ApiError> {
    let (variant, job) =
        store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("variant"))?;
    let source = job
        .source_payload
        .as_ref()
        .map(|payload| &payload.0)
        .ok_or_else(|| ApiError::Conflict("This job has no source to regenerate from.".into()))?;
    tools::service::require_writer(state).await?;
    let writers = tools::service::writers(&state.db).await?;
    let channel = variant.channel;
    usage::service::ensure_chars_left(&state.db, state, user).await?;
    let current_seed = store::metadata(&variant.metadata)?.engine.seed;
    let mut options = generation_options(&state.db, &job).await?;
    let earlier: Vec<String> = store::versions(&state.db, id).await?.into_iter().map(|v| v.content).collect();
    // A genuinely different alternative: the next seeds in turn until one gives a text no
    // version has (a short source may give only a few different drafts).
    let seeds: Vec<u64> = match request.seed {
        Some(seed) => vec![seed],
        None => (1..=ALTERNATIVE_ATTEMPTS).map(|step| current_seed.wrapping_add(step)).collect(),
    };
    let mut found = None;
    for seed in seeds {
        options.seed = seed;
        let generated =
            state.generator.generate(&source.content, &[channel], &options, &writers).await.map_err(
                |error| match error {
                    GenerationError::Engine(error) => {
                        ApiError::Conflict(format!("The source cannot be regenerated: {error}."))
                    }
                    GenerationError::NoWriter(reason) => ApiError::Conflict(reason),
                    GenerationError::Crashed => {
                        ApiError::Internal(anyhow::anyhow!("the engine stopped unexpectedly"))
                    }
                },
            )?;
        let provider = generated.provider;
        let mut fresh = generated
            .variants
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("the writer returned no variant"))?;
        super::sanitize::sanitize_generated(&mut fresh);
        if !earlier.contains(&fresh.content) {
            found = Some((provider, fresh));
            break;
        }
    }
    let Some((provider, fresh)) = found else {
        return Err(ApiError::Conflict(format!(
            "No other alternative: every {} draft this source gives is already one of this post's versions. Edit it, or switch to an earlier version.",
            channel.display_name()
        )));
    };
    let now = state.clock.now();
    let job_id = variant.job_id;
    let was_accepted = variant.accepted;
    let chars = usage::model::generated_chars([fresh.content.as_str()]);
    let txn = crate::db::begin_write(&state.db).await?;
    let number = store::add_version(
        &txn,
        id,
        &fresh.content,
        &fresh.metadata,
        VersionOrigin::Regenerated,
        Some(user.id),
        now,
    )
    .await?;
    let mut model: entity::ActiveModel = variant.into();
    model.content = Set(fresh.content);
    model.metadata = Set(store::stored(&fresh.metadata));
    model.current_version = Set(number);
    // The accepted version stays accepted, and is accepted again when restored.
    model.accepted = Set(false);
    model.updated_at = Set(now);
    let saved = store::save(&txn, model).await?;
    usage::service::record_generated_chars(&txn, user.id, chars, now).await?;
    if was_accepted {
        jobs::service::sync_review_status(&txn, job_id, now).await?;
    }
    txn.commit().await?;
    crate::metrics::record_generations(provider, [saved.channel.as_str()]);
    Ok(saved.into())
}

/// How many further seeds "Try another" tries for a text no version has yet.
const ALTERNATIVE_ATTEMPTS: u64 = 8;

/// The variant with this id, whoever owns it.
pub async fn find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<VariantRecord>, DbErr> {
    store::find(db, id).await
}

/// The variants with these ids that exist.
pub async fn find_many(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<VariantRecord>, DbErr> {
    store::find_many(db, ids).await
}

/// The variant and its job if the job belongs to `owner_id`; otherwise nothing, as if it did
/// not exist.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<(VariantRecord, Job)>, DbErr> {
    Ok(store::find_owned(db, owner_id, id).await?.map(|(variant, job)| (variant, Job::from(job))))
}

/// A job's variant for a channel (a job has at most one per channel).
pub async fn on_channel(
    db: &impl ConnectionTrait,
    job_id: Uuid,
    channel: engine::Channel,
) -> Result<Option<VariantRecord>, DbErr> {
    store::variant_on_channel(db, job_id, channel).await
}

/// The owner's accepted posts, those of the newest jobs first, at most `limit`.
pub async fn accepted_posts(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    limit: u64,
) -> Result<Vec<AcceptedPost>, DbErr> {
    store::accepted_posts(db, owner_id, limit).await
}

/// The variants of the owner's jobs created in `[from, to)`, as the KPIs count them.
pub async fn of_jobs_created_between(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<VariantRow>, DbErr> {
    store::of_jobs_created_between(db, owner_id, from, to).await
}

/// Swaps the job's variants for freshly generated ones (call inside a transaction).
pub async fn replace_for_job(
    db: &impl ConnectionTrait,
    job_id: Uuid,
    generated: &[engine::Variant],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    store::replace_for_job(db, job_id, generated, now).await
}

/// Deletes the job's variants and their versions.
pub async fn delete_for_job(db: &impl ConnectionTrait, job_id: Uuid) -> Result<(), DbErr> {
    store::delete_for_job(db, job_id).await
}

/// Whether the job has variants and every one of them is accepted.
pub async fn all_accepted(db: &impl ConnectionTrait, job_id: Uuid) -> Result<bool, DbErr> {
    store::all_accepted(db, job_id).await
}
