//! Creating, changing and listing schedules.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveEnum, ActiveValue::Set, ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    entity::schedule,
    model::{
        CreateScheduleRequest, MAX_CALENDAR_REACH_DAYS, MAX_EXDATES, MAX_OCCURRENCES, MAX_SCHEDULES_PER_USER,
        MAX_WINDOW_DAYS, Occurrence, PostPreview, RunPost, RunRow, Schedule, ScheduleList, ScheduleRecord,
        ScheduleRun, ScheduleRunList, ScheduleStatus, UPCOMING_SHOWN, UpdateScheduleRequest,
    },
    recurrence::{self, Plan, RecurrenceError},
    store,
};
use crate::{
    audit::{self, AuditEvent, AuditKind},
    auth::AuthUser,
    connections,
    connectors::{self, ConnectorKind, network::PartRef},
    error::{ApiError, FieldError},
    extract::parse_instant,
    jobs::variants,
    results,
    state::AppState,
    tools,
};

/// A schedule's timing and target, checked.
#[derive(Debug, Clone)]
pub struct ValidSchedule {
    pub run_at: DateTime<Utc>,
    pub timezone: chrono_tz::Tz,
    pub recurrence: Option<String>,
    pub exdates: Vec<String>,
    pub connector: ConnectorKind,
    pub plan: Plan,
}

/// A schedule's fields as the caller wrote them.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleFields<'a> {
    pub run_at: &'a str,
    pub timezone: &'a str,
    pub recurrence: Option<&'a str>,
    pub exdates: &'a [String],
    pub connector: Option<&'a str>,
}

/// What is wrong with one field of a schedule. `Display` words it for the API, beside the
/// field's name; the CSV import words it for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    #[error("{0}")]
    UnknownConnector(String),
    #[error(transparent)]
    Timing(#[from] RecurrenceError),
    #[error("is in the past")]
    InThePast,
    #[error("may list at most {MAX_EXDATES} dates")]
    TooManyExdates,
}

/// One refused field of a schedule: its name (`run_at`, `exdates[2]`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidField {
    pub field: String,
    pub problem: FieldProblem,
}

impl From<InvalidField> for FieldError {
    fn from(invalid: InvalidField) -> Self {
        FieldError::new(invalid.field, invalid.problem.to_string())
    }
}

/// The API's 422 for refused schedule fields.
fn refused(invalid: Vec<InvalidField>) -> ApiError {
    ApiError::Validation(invalid.into_iter().map(FieldError::from).collect())
}

/// Checks a schedule's fields together, naming every wrong one. `run_at` must be after `now`
/// when `require_future`.
pub fn validate_fields(
    fields: &ScheduleFields<'_>,
    now: DateTime<Utc>,
    require_future: bool,
) -> Result<ValidSchedule, Vec<InvalidField>> {
    let ScheduleFields { run_at, timezone, recurrence, exdates, connector } = *fields;
    let field = |name: &str, problem: FieldProblem| InvalidField { field: name.to_owned(), problem };
    let mut errors = Vec::new();
    let connector = match connector.map(str::trim).filter(|value| !value.is_empty()) {
        None => Some(ConnectorKind::File),
        Some(value) => value
            .parse()
            .map_err(|message| errors.push(field("connector", FieldProblem::UnknownConnector(message))))
            .ok(),
    };
    let zone = recurrence::parse_zone(timezone).map_err(|error| errors.push(field("timezone", error.into())));
    let recurrence = match recurrence.map(str::trim).filter(|rule| !rule.is_empty()) {
        None => Ok(None),
        Some(rule) => recurrence::normalise_rule(rule).map(Some),
    }
    .map_err(|error| errors.push(field("recurrence", error.into())))
    .ok()
    .flatten();
    let Ok(zone) = zone else {
        return Err(errors);
    };
    let start = match recurrence::parse_time(run_at, zone) {
        Ok(start) if require_future && start <= now => {
            errors.push(field("run_at", FieldProblem::InThePast));
            None
        }
        Ok(start) => Some(start),
        Err(error) => {
            errors.push(field("run_at", error.into()));
            None
        }
    };
    if exdates.len() > MAX_EXDATES {
        errors.push(field("exdates", FieldProblem::TooManyExdates));
    }
    for (index, exdate) in exdates.iter().enumerate().take(MAX_EXDATES) {
        if let Err(error) = recurrence::parse_time(exdate, zone) {
            errors.push(field(&format!("exdates[{index}]"), error.into()));
        }
    }
    let (Some(start), Some(connector), true) = (start, connector, errors.is_empty()) else {
        return Err(errors);
    };
    let plan = Plan::new(start, zone, recurrence.as_deref(), exdates).map_err(|error| {
        let name = if recurrence.is_some() { "recurrence" } else { "run_at" };
        vec![field(name, error.into())]
    })?;
    Ok(ValidSchedule {
        run_at: start,
        timezone: zone,
        recurrence,
        exdates: exdates.to_vec(),
        connector,
        plan,
    })
}

/// Why an owner's variant cannot be scheduled.
#[derive(Debug, Clone, PartialEq)]
pub enum NotSchedulable {
    NotAccepted,
    /// The post fails checks with an error, worded together in `detail`.
    FailsChecks {
        detail: String,
        checks: Vec<crate::error::FailedCheck>,
    },
}

/// Whether a variant may be scheduled: accepted, and failing no check with an error. Fails
/// only when its checks cannot be run.
pub fn schedulability(
    variant: &variants::model::VariantRecord,
) -> Result<Result<(), NotSchedulable>, ApiError> {
    if !variant.accepted {
        return Ok(Err(NotSchedulable::NotAccepted));
    }
    let errors = variants::service::errors_of(variant)?;
    if !errors.is_empty() {
        let detail = variants::service::messages(&errors);
        return Ok(Err(NotSchedulable::FailsChecks { detail, checks: errors }));
    }
    Ok(Ok(()))
}

/// The owner's variant, which must be accepted before it can be scheduled.
pub async fn schedulable_variant(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    variant_id: Uuid,
) -> Result<variants::model::VariantRecord, ApiError> {
    let (variant, _) = variants::service::find_owned(db, owner_id, variant_id)
        .await?
        .ok_or(ApiError::NotFound("variant"))?;
    match schedulability(&variant)? {
        Ok(()) => Ok(variant),
        Err(NotSchedulable::NotAccepted) => {
            Err(ApiError::field("variant_id", "accept the variant before scheduling it"))
        }
        Err(NotSchedulable::FailsChecks { detail, checks }) => Err(ApiError::ChecksFailed {
            field: "variant_id",
            detail: format!("Fix this post before scheduling it: {detail}"),
            checks,
        }),
    }
}

/// Why a connector cannot take a new schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorRefusal {
    #[error("the `{0}` connector is disabled by an administrator")]
    Disabled(ConnectorKind),
    #[error("set up a webhook URL first (PUT /connectors/webhook)")]
    NoWebhook,
}

/// Checks a connector a schedule newly names: switched on by an administrator and, for the
/// webhook, set up by the owner.
pub async fn connector_refusal(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    connector: ConnectorKind,
) -> Result<Option<ConnectorRefusal>, ApiError> {
    if !tools::service::connector_enabled(db, connector).await? {
        return Ok(Some(ConnectorRefusal::Disabled(connector)));
    }
    if connector == ConnectorKind::Webhook && connectors::service::webhook(db, owner_id).await?.is_none() {
        return Ok(Some(ConnectorRefusal::NoWebhook));
    }
    Ok(None)
}

async fn require_connector_ready(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    connector: ConnectorKind,
) -> Result<(), ApiError> {
    match connector_refusal(db, owner_id, connector).await? {
        Some(refusal) => Err(ApiError::field("connector", refusal.to_string())),
        None => Ok(()),
    }
}

pub(super) fn new_model(
    owner_id: Uuid,
    variant_id: Uuid,
    valid: &ValidSchedule,
    connection_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> schedule::ActiveModel {
    let next = valid.plan.first_at_or_after(valid.run_at);
    schedule::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(owner_id),
        org_id: Set(None),
        variant_id: Set(variant_id),
        connector: Set(valid.connector),
        run_at: Set(valid.run_at),
        timezone: Set(valid.timezone.name().to_owned()),
        recurrence: Set(valid.recurrence.clone()),
        exdates: Set(schedule::Exdates(valid.exdates.clone())),
        status: Set(if next.is_some() { ScheduleStatus::Active } else { ScheduleStatus::Completed }),
        next_run_at: Set(next),
        last_run_at: Set(None),
        connection_id: Set(connection_id),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// The plan stored with a schedule (it was valid when saved).
pub fn stored_plan(model: &schedule::Model) -> Option<Plan> {
    let zone = recurrence::parse_zone(&model.timezone).ok()?;
    Plan::new(model.run_at, zone, model.recurrence.as_deref(), &model.exdates.0).ok()
}

pub fn present(model: schedule::Model, post: PostPreview) -> Schedule {
    let upcoming = match (&model.next_run_at, model.status) {
        (Some(next), ScheduleStatus::Active) => stored_plan(&model)
            .map(|plan| plan.between(*next, DateTime::<Utc>::MAX_UTC, UPCOMING_SHOWN))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Schedule::new(model, post, upcoming)
}

/// The post a schedule publishes, as the calendar shows it.
pub async fn post_of(db: &impl ConnectionTrait, variant_id: Uuid) -> Result<PostPreview, ApiError> {
    Ok(PostPreview::of(variants::service::find(db, variant_id).await?.as_ref()))
}

/// The variants with these ids, by id.
pub async fn variants_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, variants::model::VariantRecord>, ApiError> {
    let found = variants::service::find_many(db, ids).await?;
    Ok(found.into_iter().map(|variant| (variant.id, variant)).collect())
}

/// The connector a request names: naming an account alone is enough to publish to it.
fn connector_named(connector: Option<&str>, connection_id: Option<Uuid>) -> Option<String> {
    match (connector, connection_id) {
        (None, Some(_)) => Some(ConnectorKind::Account.to_string()),
        (connector, _) => connector.map(str::to_owned),
    }
}

/// The connected account a schedule on `connector` publishes to: one is needed for the
/// `account` connector and refused for any other.
fn account_for(connector: ConnectorKind, connection_id: Option<Uuid>) -> Result<Option<Uuid>, ApiError> {
    match (connector, connection_id) {
        (ConnectorKind::Account, Some(id)) => Ok(Some(id)),
        (ConnectorKind::Account, None) => {
            Err(ApiError::field("connection_id", "choose the connected account to publish to"))
        }
        (_, Some(_)) => Err(ApiError::field("connection_id", "is only for the `account` connector")),
        (_, None) => Ok(None),
    }
}

fn scheduled_post(variant: &variants::model::VariantRecord) -> connections::service::ScheduledPost<'_> {
    connections::service::ScheduledPost { channel: variant.channel, content: &variant.content }
}

#[tracing::instrument(name = "schedules.create", skip_all, fields(variant_id = %request.variant_id, user_id = %user.id))]
pub async fn create(
    state: &AppState,
    user: AuthUser,
    request: CreateScheduleRequest,
) -> Result<Schedule, ApiError> {
    let now = state.clock.now();
    let variant = schedulable_variant(&state.db, user.id, request.variant_id).await?;
    let connector = connector_named(request.connector.as_deref(), request.connection_id);
    let fields = ScheduleFields {
        run_at: &request.run_at,
        timezone: &request.timezone,
        recurrence: request.recurrence.as_deref(),
        exdates: &request.exdates,
        connector: connector.as_deref(),
    };
    let valid = validate_fields(&fields, now, true).map_err(refused)?;
    require_connector_ready(&state.db, user.id, valid.connector).await?;
    let connection_id = account_for(valid.connector, request.connection_id)?;
    if let Some(id) = connection_id {
        connections::service::require_publishable(state, user.id, id, scheduled_post(&variant)).await?;
    }
    if store::count_for_owner(&state.db, user.id).await? >= MAX_SCHEDULES_PER_USER {
        return Err(ApiError::Conflict(format!(
            "You already have {MAX_SCHEDULES_PER_USER} schedules; delete some first."
        )));
    }
    let model = store::insert(&state.db, new_model(user.id, variant.id, &valid, connection_id, now)).await?;
    audit::record_or_log(&state.db, now, created_event(&model, "api")).await;
    Ok(present(model, PostPreview::of(Some(&variant))))
}

pub fn created_event(model: &schedule::Model, via: &str) -> AuditEvent {
    AuditEvent::new(AuditKind::ScheduleCreated).actor(model.owner_id).subject("schedule", model.id).payload(
        serde_json::json!({
            "variant_id": model.variant_id,
            "connector": model.connector,
            "run_at": model.run_at,
            "recurrence": model.recurrence,
            "via": via,
        }),
    )
}

/// Schedules `variant` once at `at` to the owner's connected account `connection_id`, inside
/// the caller's transaction, for the queue, which has checked the account and the slot.
pub async fn insert_one_off(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    variant: &variants::model::VariantRecord,
    connection_id: Uuid,
    at: DateTime<Utc>,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<schedule::Model, ApiError> {
    require_connector_ready(db, owner_id, ConnectorKind::Account).await?;
    if store::count_for_owner(db, owner_id).await? >= MAX_SCHEDULES_PER_USER {
        return Err(ApiError::Conflict(format!(
            "You already have {MAX_SCHEDULES_PER_USER} schedules; delete some first."
        )));
    }
    let plan = Plan::new(at, zone, None, &[]).map_err(anyhow::Error::from)?;
    let valid = ValidSchedule {
        run_at: at,
        timezone: zone,
        recurrence: None,
        exdates: Vec::new(),
        connector: ConnectorKind::Account,
        plan,
    };
    Ok(store::insert(db, new_model(owner_id, variant.id, &valid, Some(connection_id), now)).await?)
}

/// Moves a one-off schedule to `at`, inside the caller's transaction (the queue's reordering).
pub async fn move_one_off(
    db: &impl ConnectionTrait,
    model: schedule::Model,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<schedule::Model, ApiError> {
    let mut model: schedule::ActiveModel = model.into();
    model.run_at = Set(at);
    model.next_run_at = Set(Some(at));
    model.updated_at = Set(now);
    Ok(store::save(db, model).await?)
}

pub async fn get(state: &AppState, user: AuthUser, id: Uuid) -> Result<Schedule, ApiError> {
    let model = store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("schedule"))?;
    let post = post_of(&state.db, model.variant_id).await?;
    Ok(present(model, post))
}

/// Reschedules, pauses, resumes or moves to another connected account. Resuming skips what
/// fell due while paused.
#[tracing::instrument(name = "schedules.update", skip_all, fields(schedule_id = %id, user_id = %user.id))]
pub async fn update(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: UpdateScheduleRequest,
) -> Result<Schedule, ApiError> {
    let now = state.clock.now();
    let existing = store::find_owned(&state.db, user.id, id).await?.ok_or(ApiError::NotFound("schedule"))?;
    let rescheduled = request.run_at.is_some();
    let run_at = request.run_at.clone().unwrap_or_else(|| existing.run_at.to_rfc3339());
    let timezone = request.timezone.clone().unwrap_or_else(|| existing.timezone.clone());
    let recurrence = request.recurrence.clone().unwrap_or_else(|| existing.recurrence.clone());
    let exdates = request.exdates.clone().unwrap_or_else(|| existing.exdates.0.clone());
    let connector = connector_named(request.connector.as_deref(), request.connection_id)
        .unwrap_or_else(|| existing.connector.to_string());
    let fields = ScheduleFields {
        run_at: &run_at,
        timezone: &timezone,
        recurrence: recurrence.as_deref(),
        exdates: &exdates,
        connector: Some(&connector),
    };
    let valid = validate_fields(&fields, now, rescheduled).map_err(refused)?;
    let variant = variants::service::find(&state.db, existing.variant_id).await?;
    // A schedule keeps the connector and account it has (pausing it must work); only a new
    // one is checked, as creating a schedule checks it.
    if valid.connector != existing.connector {
        require_connector_ready(&state.db, user.id, valid.connector).await?;
    }
    let kept_account = if valid.connector == ConnectorKind::Account { existing.connection_id } else { None };
    let connection_id = account_for(valid.connector, request.connection_id.or(kept_account))?;
    if let Some(previous) = existing.connection_id.filter(|previous| Some(*previous) != connection_id) {
        require_not_half_published(state, user, existing.id, previous).await?;
    }
    if let Some(id) = connection_id.filter(|id| Some(*id) != existing.connection_id) {
        let variant = variant.as_ref().ok_or(ApiError::NotFound("variant"))?;
        connections::service::require_publishable(state, user.id, id, scheduled_post(variant)).await?;
    }
    let status = match request.status {
        Some(ScheduleStatus::Completed) => {
            return Err(ApiError::field("status", "must be `active` or `paused`"));
        }
        Some(status) => status,
        None => match existing.status {
            ScheduleStatus::Completed => ScheduleStatus::Active,
            status => status,
        },
    };
    // Occurrences already behind us are not published retroactively.
    let next = valid.plan.first_at_or_after(valid.run_at.max(now));
    let status = if next.is_none() { ScheduleStatus::Completed } else { status };
    let post = PostPreview::of(variant.as_ref());
    let mut model: schedule::ActiveModel = existing.into();
    model.run_at = Set(valid.run_at);
    model.timezone = Set(valid.timezone.name().to_owned());
    model.recurrence = Set(valid.recurrence.clone());
    model.exdates = Set(schedule::Exdates(valid.exdates.clone()));
    model.connector = Set(valid.connector);
    model.connection_id = Set(connection_id);
    model.status = Set(status);
    model.next_run_at = Set(next);
    model.updated_at = Set(now);
    let saved = store::save(&state.db, model).await?;
    Ok(present(saved, post))
}

/// Refuses to move a schedule off `account` while its current occurrence is a thread partly
/// published there: the remaining parts would go out on another account, replying to nothing.
async fn require_not_half_published(
    state: &AppState,
    user: AuthUser,
    schedule_id: Uuid,
    account: Uuid,
) -> Result<(), ApiError> {
    let out = store::parts_out_of_unfinished_run(&state.db, schedule_id).await?;
    if out == 0 {
        return Ok(());
    }
    let handle = match connections::service::get(state, user, account).await {
        Ok(connection) => connection.handle,
        Err(ApiError::NotFound(_)) => "the account it started on".to_owned(),
        Err(error) => return Err(error),
    };
    let parts = if out == 1 { "1 part is".to_owned() } else { format!("{out} parts are") };
    Err(ApiError::FieldConflict(FieldError::new(
        "connection_id",
        format!(
            "The thread is half published on {handle} ({parts} out): it must finish, or be \
             cancelled by deleting this schedule, before the post can move to another account."
        ),
    )))
}

#[tracing::instrument(name = "schedules.delete", skip_all, fields(schedule_id = %id, user_id = %user.id))]
pub async fn delete(state: &AppState, user: AuthUser, id: Uuid) -> Result<(), ApiError> {
    if store::delete_owned(&state.db, user.id, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound("schedule"))
    }
}

/// A schedule's runs, newest occurrence first, each with its post's counts once read.
pub async fn runs(db: &impl ConnectionTrait, owner_id: Uuid, id: Uuid) -> Result<ScheduleRunList, ApiError> {
    store::find_owned(db, owner_id, id).await?.ok_or(ApiError::NotFound("schedule"))?;
    let runs = store::runs_for_schedule(db, id).await?;
    let mut results = results::service::for_runs(db, runs.iter().map(|run| run.id)).await?;
    let items = runs.into_iter().map(|run| {
        let counts = results.remove(&run.id);
        ScheduleRun::new(run, counts)
    });
    Ok(ScheduleRunList { items: items.collect() })
}

/// Reads a calendar window: `from` defaults to now, `to` to 31 days later.
pub fn calendar_window(
    from: Option<&str>,
    to: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let from = from.map(|value| parse_instant("from", value)).transpose()?.unwrap_or(now);
    let to = to.map(|value| parse_instant("to", value)).transpose()?.unwrap_or(from + Duration::days(31));
    if to <= from {
        return Err(ApiError::field("to", "must be after `from`"));
    }
    if to - from > Duration::days(MAX_WINDOW_DAYS) {
        return Err(ApiError::field("to", format!("must be at most {MAX_WINDOW_DAYS} days after `from`")));
    }
    let reach = Duration::days(MAX_CALENDAR_REACH_DAYS);
    if from < now - reach {
        return Err(ApiError::field("from", format!("must be at most {MAX_CALENDAR_REACH_DAYS} days ago")));
    }
    if to > now + reach {
        return Err(ApiError::field("to", format!("must be at most {MAX_CALENDAR_REACH_DAYS} days ahead")));
    }
    Ok((from, to))
}

/// The caller's schedules and every occurrence in `[from, to)`: what was published (or
/// failed) from the run records, what is still to come from each active schedule's rule.
pub async fn list(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<ScheduleList, ApiError> {
    let schedules = store::list_for_owner(db, owner_id).await?;
    let runs = store::runs_between(db, owner_id, from, to).await?;
    let variants = variants_by_id(db, schedules.iter().map(|model| model.variant_id)).await?;
    let mut items = Vec::with_capacity(schedules.len());
    let mut occurrences = Vec::new();
    for model in schedules {
        let post = PostPreview::of(variants.get(&model.variant_id));
        let zone = recurrence::parse_zone(&model.timezone).unwrap_or(chrono_tz::UTC);
        let occurrence = |at: DateTime<Utc>, status: &str, late: bool| Occurrence {
            schedule_id: model.id,
            variant_id: model.variant_id,
            channel: post.channel.clone(),
            first_line: post.first_line.clone(),
            at,
            local_time: at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string(),
            timezone: model.timezone.clone(),
            status: status.to_owned(),
            late,
        };
        for run in runs.iter().filter(|run| run.schedule_id == model.id) {
            occurrences.push(occurrence(run.occurrence_at, &run.status.to_value(), run.late));
        }
        let status = model.status;
        if let (Some(next), Some(plan), false) =
            (model.next_run_at, stored_plan(&model), status == ScheduleStatus::Completed)
        {
            let label = if status == ScheduleStatus::Paused { "paused" } else { "scheduled" };
            for at in plan.between(next.max(from), to, MAX_OCCURRENCES) {
                occurrences.push(occurrence(at, label, false));
            }
        }
        items.push(present(model, post));
    }
    occurrences.sort_by_key(|occurrence| (occurrence.at, occurrence.schedule_id));
    occurrences.truncate(MAX_OCCURRENCES);
    Ok(ScheduleList { items, occurrences })
}

/// The parts a run published, in order.
pub async fn parts_of(db: &impl ConnectionTrait, run_id: Uuid) -> Result<Vec<PartRef>, DbErr> {
    store::parts_of(db, run_id).await
}

/// The owner's schedule `id`.
pub async fn find_owned(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    id: Uuid,
) -> Result<Option<ScheduleRecord>, DbErr> {
    store::find_owned(db, owner_id, id).await
}

/// The active one-off schedules of the owner's accounts due after `after`, soonest first:
/// what fills their slots.
pub async fn queued_posts(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    connection_ids: Vec<Uuid>,
    after: DateTime<Utc>,
) -> Result<Vec<ScheduleRecord>, DbErr> {
    store::queued_posts(db, owner_id, connection_ids, after).await
}

/// The owner's publications that ended in `[from, to)`: published ones by when they went
/// out, failed ones by their last attempt.
pub async fn ended_runs(
    db: &impl ConnectionTrait,
    owner_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<RunRow>, DbErr> {
    store::ended_runs(db, owner_id, from, to).await
}

/// What each of these runs published, by run: its schedule, link and post.
pub async fn run_posts(
    db: &impl ConnectionTrait,
    run_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, RunPost>, ApiError> {
    let runs = store::runs_by_id(db, run_ids).await?;
    let variant_of = store::variant_ids_of(db, runs.iter().map(|run| run.schedule_id)).await?;
    let variants = variants_by_id(db, variant_of.values().copied()).await?;
    Ok(runs
        .into_iter()
        .map(|run| {
            let post = PostPreview::of(variant_of.get(&run.schedule_id).and_then(|id| variants.get(id)));
            (run.id, RunPost { schedule_id: run.schedule_id, published_url: run.published_url, post })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-25T12:00:00Z").unwrap().with_timezone(&Utc)
    }

    fn fields<'a>(run_at: &'a str, recurrence: Option<&'a str>) -> ScheduleFields<'a> {
        ScheduleFields { run_at, timezone: "Europe/Berlin", recurrence, exdates: &[], connector: None }
    }

    fn names(errors: Vec<InvalidField>) -> Vec<String> {
        errors.into_iter().map(|error| error.field).collect()
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let exdates = ["x".to_owned()];
        let bad = ScheduleFields {
            run_at: "2026-01-01T09:00",
            timezone: "Europe/Berlin",
            recurrence: Some("FREQ=NEVER"),
            exdates: &exdates,
            connector: Some("fax"),
        };
        let errors = validate_fields(&bad, now(), true).unwrap_err();
        assert_eq!(errors[2].problem, FieldProblem::InThePast);
        assert_eq!(names(errors), ["connector", "recurrence", "run_at", "exdates[0]"]);
        let unknown_zone = ScheduleFields { timezone: "Nowhere/City", ..fields("2026-12-01T09:00", None) };
        let errors = validate_fields(&unknown_zone, now(), true).unwrap_err();
        assert_eq!(
            errors,
            [InvalidField {
                field: "timezone".into(),
                problem: FieldProblem::Timing(RecurrenceError::UnknownTimeZone("Nowhere/City".into()))
            }]
        );
        let api: FieldError = errors[0].clone().into();
        assert_eq!(api.message, "`Nowhere/City` is not an IANA time zone such as Europe/Berlin");
    }

    #[test]
    fn a_valid_schedule_defaults_to_the_file_connector() {
        let valid = validate_fields(&fields("2026-12-01T09:00", Some("freq=weekly")), now(), true).unwrap();
        assert_eq!(valid.connector, ConnectorKind::File);
        assert_eq!(valid.recurrence.as_deref(), Some("FREQ=WEEKLY"));
        assert_eq!(valid.run_at.to_rfc3339(), "2026-12-01T08:00:00+00:00");
    }

    #[test]
    fn a_past_start_is_allowed_when_not_rescheduling() {
        let past = fields("2026-01-01T09:00", Some("FREQ=DAILY"));
        assert!(validate_fields(&past, now(), false).is_ok());
        assert!(validate_fields(&past, now(), true).is_err());
    }

    #[test]
    fn calendar_windows_default_and_are_bounded() {
        let (from, to) = calendar_window(None, None, now()).unwrap();
        assert_eq!((to - from).num_days(), 31);
        assert!(calendar_window(Some("2026-12-02T00:00:00Z"), Some("2026-12-01T00:00:00Z"), now()).is_err());
        assert!(calendar_window(Some("2026-01-01T00:00:00Z"), Some("2028-01-01T00:00:00Z"), now()).is_err());
        assert!(calendar_window(Some("yesterday"), None, now()).is_err());
        let far = calendar_window(Some("2600-01-01T00:00:00Z"), None, now()).unwrap_err();
        assert!(matches!(far, ApiError::Validation(errors) if errors[0].field == "to"));
        let long_ago = calendar_window(Some("1900-01-01T00:00:00Z"), Some("1900-02-01T00:00:00Z"), now());
        assert!(matches!(long_ago.unwrap_err(), ApiError::Validation(errors) if errors[0].field == "from"));
    }
}
