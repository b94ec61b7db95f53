//! The quota rules: what counts, when a request is refused, and what the caller sees.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    model::{Allowance, Metric, Usage},
    store,
};
use crate::{
    auth::AuthUser,
    config::Quota,
    error::{ApiError, Throttle, TooManyRequests},
    state::AppState,
    users::model::Role,
};

/// The caller's consumption in the current day and month.
pub async fn current(state: &AppState, user: AuthUser) -> Result<Usage, ApiError> {
    let now = state.clock.now();
    let quota = quota_of(state, user.role);
    let allowance = |metric: Metric| async move {
        let used = store::used(&state.db, user.id, metric, metric.period_start(now)).await?;
        Ok::<_, DbErr>(Allowance::new(used, metric.limit(quota), metric.resets_at(now)))
    };
    Ok(Usage {
        role: user.role,
        jobs_per_day: allowance(Metric::JobsPerDay).await?,
        chars_per_month: allowance(Metric::CharsPerMonth).await?,
    })
}

/// Counts one queued job (a creation with a source, a submission or a retry) against today's
/// allowance, refusing it when today's jobs or this month's characters are used up. Call it
/// inside the transaction that queues the job, so a failed request costs nothing.
pub async fn charge_job(db: &impl ConnectionTrait, state: &AppState, user: AuthUser) -> Result<(), ApiError> {
    ensure_chars_left(db, state, user).await?;
    let now = state.clock.now();
    let metric = Metric::JobsPerDay;
    let period_start = metric.period_start(now);
    let limit = metric.limit(quota_of(state, user.role));
    if store::add_within(db, user.id, metric, period_start, 1, limit, now).await? {
        return Ok(());
    }
    let used = store::used(db, user.id, metric, period_start).await?;
    Err(exceeded(metric, used, limit.unwrap_or(used), now))
}

/// Refuses new generation (a queued job, a regeneration) once this month's characters are used
/// up. One generation may overshoot the allowance: its length is only known afterwards.
pub async fn ensure_chars_left(
    db: &impl ConnectionTrait,
    state: &AppState,
    user: AuthUser,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let metric = Metric::CharsPerMonth;
    let Some(limit) = metric.limit(quota_of(state, user.role)) else {
        return Ok(());
    };
    let used = store::used(db, user.id, metric, metric.period_start(now)).await?;
    if used < limit { Ok(()) } else { Err(exceeded(metric, used, limit, now)) }
}

/// Records characters the engine or the model generated for `owner_id` (job processing and
/// regeneration), in the transaction that stores them.
pub async fn record_generated_chars(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    chars: u64,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let metric = Metric::CharsPerMonth;
    store::add_within(db, owner_id, metric, metric.period_start(now), chars, None, now).await.map(|_| ())
}

/// What accounts of `role` may consume.
fn quota_of(state: &AppState, role: Role) -> Quota {
    match role {
        Role::User => state.config.quotas.user,
        Role::Admin => state.config.quotas.admin,
    }
}

fn exceeded(metric: Metric, used: u64, limit: u64, now: DateTime<Utc>) -> ApiError {
    let reset_at = metric.resets_at(now);
    let until_reset = (reset_at - now).num_microseconds().unwrap_or(i64::MAX);
    let retry_after_seconds = u64::try_from(until_reset).unwrap_or(0).div_ceil(1_000_000).max(1);
    let what = match metric {
        Metric::JobsPerDay => "jobs today",
        Metric::CharsPerMonth => "generated characters this month",
    };
    let mut extra = serde_json::Map::new();
    extra.insert("quota".into(), metric.to_value().into());
    extra.insert("limit".into(), limit.into());
    extra.insert("used".into(), used.into());
    ApiError::TooManyRequests(TooManyRequests {
        throttle: Throttle::Quota,
        detail: format!(
            "You have used your {limit} {what}; the allowance resets at {}.",
            reset_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        retry_after_seconds,
        reset_at,
        extra,
    })
}
