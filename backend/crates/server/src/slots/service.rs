//! Posting slots and the queue of each connected account. A queued post is an ordinary one-off
//! schedule to the account at one of its slots, so the scheduler publishes it exactly once;
//! a slot is filled when an active one-off schedule of the account is at that instant.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use uuid::Uuid;

use super::{
    entity::posting_slot,
    model::{
        DEFAULT_QUEUE_LENGTH, MAX_OPEN_SLOTS, MAX_QUEUE_LENGTH, MAX_SLOTS_PER_ACCOUNT, MoveRequest,
        MoveResult, OpenSlot, OpenSlotList, QUEUE_HORIZON_DAYS, QueueList, QueueRequest, QueueSlot,
        ReplaceSlotsRequest, Slot, SlotSet, Weekday,
    },
    store,
    weekly::WeeklySlots,
};
use crate::{
    audit,
    auth::AuthUser,
    connections::{
        self,
        model::{Connection, ConnectionStatus},
    },
    db,
    error::{ApiError, FieldError},
    extract::parse_instant,
    schedules::{
        self,
        model::{PostPreview, Schedule, ScheduleRecord},
        recurrence,
    },
    state::AppState,
};

const CLOCK_FORMAT: &str = "%H:%M";
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The caller's account's slots.
pub async fn slots(state: &AppState, user: AuthUser, id: Uuid) -> Result<SlotSet, ApiError> {
    connections::service::get(state, user, id).await?;
    Ok(slot_set(store::slots_of(&state.db, id).await?))
}

/// Replaces the caller's account's slots, naming every wrong field at once.
pub async fn replace_slots(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: ReplaceSlotsRequest,
) -> Result<SlotSet, ApiError> {
    connections::service::get(state, user, id).await?;
    let current = store::slots_of(&state.db, id).await?;
    let (zone, times) = parse_slots(&request, current.first().map(|row| row.timezone.as_str()))?;
    let now = state.clock.now();
    let rows = times
        .iter()
        .map(|(weekday, time)| posting_slot::ActiveModel {
            connection_id: Set(id),
            weekday: Set(*weekday),
            local_time: Set(time.format(CLOCK_FORMAT).to_string()),
            timezone: Set(zone.name().to_owned()),
            created_at: Set(now),
        })
        .collect();
    let txn = db::begin_write(&state.db).await?;
    store::replace(&txn, id, rows).await?;
    txn.commit().await?;
    Ok(slot_set(store::slots_of(&state.db, id).await?))
}

fn slot_set(rows: Vec<posting_slot::Model>) -> SlotSet {
    SlotSet {
        timezone: rows.first().map(|row| row.timezone.clone()),
        slots: rows.into_iter().map(|row| Slot { weekday: row.weekday, time: row.local_time }).collect(),
    }
}

/// Stored slots as instants; `None` without slots.
fn weekly(rows: &[posting_slot::Model]) -> Option<(WeeklySlots, chrono_tz::Tz)> {
    let zone = recurrence::parse_zone(&rows.first()?.timezone).ok()?;
    let times = rows
        .iter()
        .filter_map(|row| {
            Some((row.weekday.to_chrono(), NaiveTime::parse_from_str(&row.local_time, CLOCK_FORMAT).ok()?))
        })
        .collect();
    Some((WeeklySlots::new(zone, times), zone))
}

/// Checks a slot set: the zone (the request's, else the account's current one), each slot's
/// weekday and time, no slot twice, at most [`MAX_SLOTS_PER_ACCOUNT`].
fn parse_slots(
    request: &ReplaceSlotsRequest,
    current_zone: Option<&str>,
) -> Result<(chrono_tz::Tz, Vec<(Weekday, NaiveTime)>), ApiError> {
    let mut errors = Vec::new();
    let zone_name =
        request.timezone.as_deref().map(str::trim).filter(|name| !name.is_empty()).or(current_zone);
    let zone = match zone_name {
        None => {
            errors.push(FieldError::new("timezone", "choose the slots' time zone, e.g. Europe/Berlin"));
            None
        }
        Some(name) => recurrence::parse_zone(name)
            .map_err(|error| errors.push(FieldError::new("timezone", error.to_string())))
            .ok(),
    };
    if request.slots.len() > MAX_SLOTS_PER_ACCOUNT {
        errors.push(FieldError::new("slots", format!("may list at most {MAX_SLOTS_PER_ACCOUNT} slots")));
    }
    let mut seen = HashSet::new();
    let mut times = Vec::new();
    for (index, slot) in request.slots.iter().enumerate().take(MAX_SLOTS_PER_ACCOUNT) {
        let weekday = Weekday::parse(&slot.weekday);
        if weekday.is_none() {
            errors.push(FieldError::new(
                format!("slots[{index}].weekday"),
                "must be mon, tue, wed, thu, fri, sat or sun",
            ));
        }
        let time = NaiveTime::parse_from_str(slot.time.trim(), CLOCK_FORMAT).ok();
        if time.is_none() {
            errors.push(FieldError::new(
                format!("slots[{index}].time"),
                "must be a time of day such as 09:30 (24-hour)",
            ));
        }
        if let (Some(weekday), Some(time)) = (weekday, time) {
            if seen.insert((weekday, time)) {
                times.push((weekday, time));
            } else {
                errors.push(FieldError::new(
                    format!("slots[{index}]"),
                    format!("repeats {} {}", weekday.as_str(), time.format(CLOCK_FORMAT)),
                ));
            }
        }
    }
    match zone {
        Some(zone) if errors.is_empty() => {
            times.sort();
            Ok((zone, times))
        }
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The caller's account, if it can take a queued post now.
async fn publishable_account(state: &AppState, user: AuthUser, id: Uuid) -> Result<Connection, ApiError> {
    let connection = connections::service::get(state, user, id).await?;
    if connection.status == ConnectionStatus::NeedsReconnect {
        return Err(ApiError::Conflict(format!(
            "Reconnect {} on {} first (Settings → Connections).",
            connection.handle,
            connection.network.display_name()
        )));
    }
    Ok(connection)
}

fn no_slots(connection: &Connection) -> ApiError {
    ApiError::Conflict(format!(
        "{} has no posting slots yet; add some in Settings → Connections.",
        connection.handle
    ))
}

/// Puts an accepted post into the account's next free slot, as a one-off schedule.
pub async fn enqueue(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: QueueRequest,
) -> Result<Schedule, ApiError> {
    let connection = publishable_account(state, user, id).await?;
    let variant = schedules::service::schedulable_variant(&state.db, user.id, request.variant_id).await?;
    if connection.network.channel() != variant.channel {
        return Err(ApiError::field(
            "variant_id",
            format!(
                "this post was written for the `{}` channel; {} is a {} account",
                variant.channel,
                connection.handle,
                connection.network.display_name()
            ),
        ));
    }
    let now = state.clock.now();
    let txn = db::begin_write(&state.db).await?;
    if !connections::service::lock(&txn, user.id, id).await? {
        return Err(ApiError::NotFound("connection"));
    }
    let (slots, zone) = weekly(&store::slots_of(&txn, id).await?).ok_or_else(|| no_slots(&connection))?;
    let filled: HashSet<DateTime<Utc>> = schedules::service::queued_posts(&txn, user.id, vec![id], now)
        .await?
        .into_iter()
        .filter_map(|s| s.next_run_at)
        .collect();
    let at = slots
        .between(now, now + Duration::days(QUEUE_HORIZON_DAYS))
        .find(|at| !filled.contains(at))
        .ok_or_else(|| {
            ApiError::Conflict(format!(
                "Every slot of {} in the next {QUEUE_HORIZON_DAYS} days is taken; add slots or move posts.",
                connection.handle
            ))
        })?;
    let model = schedules::service::insert_one_off(&txn, user.id, &variant, id, at, zone, now).await?;
    txn.commit().await?;
    audit::record_or_log(&state.db, now, schedules::service::created_event(&model, "queue")).await;
    Ok(schedules::service::present(model, PostPreview::of(Some(&variant))))
}

/// The account's next `limit` slots, each with the post that fills it, if any.
pub async fn queue(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    limit: Option<u32>,
) -> Result<QueueList, ApiError> {
    let limit = limit.unwrap_or(DEFAULT_QUEUE_LENGTH);
    if !(1..=MAX_QUEUE_LENGTH).contains(&limit) {
        return Err(ApiError::field("limit", format!("must be between 1 and {MAX_QUEUE_LENGTH}")));
    }
    connections::service::get(state, user, id).await?;
    let Some((slots, zone)) = weekly(&store::slots_of(&state.db, id).await?) else {
        return Ok(QueueList { connection_id: id, timezone: None, items: Vec::new() });
    };
    let now = state.clock.now();
    let posts = schedules::service::queued_posts(&state.db, user.id, vec![id], now).await?;
    let variants =
        schedules::service::variants_by_id(&state.db, posts.iter().map(|post| post.variant_id)).await?;
    let mut by_instant: HashMap<DateTime<Utc>, &ScheduleRecord> = HashMap::new();
    for post in &posts {
        if let Some(at) = post.next_run_at {
            by_instant.entry(at).or_insert(post);
        }
    }
    let items = slots
        .between(now, now + Duration::days(QUEUE_HORIZON_DAYS))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|at| {
            let local = at.with_timezone(&zone);
            let post = by_instant.get(&at);
            QueueSlot {
                at,
                local_time: local.format(LOCAL_FORMAT).to_string(),
                weekday: Weekday::from_chrono(local.weekday()),
                schedule_id: post.map(|post| post.id),
                variant_id: post.map(|post| post.variant_id),
                first_line: post.map(|post| PostPreview::of(variants.get(&post.variant_id)).first_line),
            }
        })
        .collect();
    Ok(QueueList { connection_id: id, timezone: Some(zone.name().to_owned()), items })
}

/// Moves a queued post to another upcoming slot of its account; a post already there takes
/// the moved post's time, so the two swap.
pub async fn move_post(
    state: &AppState,
    user: AuthUser,
    id: Uuid,
    request: MoveRequest,
) -> Result<MoveResult, ApiError> {
    let to = parse_instant("to", request.to.trim())?;
    let connection = connections::service::get(state, user, id).await?;
    let now = state.clock.now();
    let txn = db::begin_write(&state.db).await?;
    if !connections::service::lock(&txn, user.id, id).await? {
        return Err(ApiError::NotFound("connection"));
    }
    let moving = schedules::service::find_owned(&txn, user.id, request.schedule_id)
        .await?
        .ok_or(ApiError::NotFound("schedule"))?;
    let queued = schedules::service::queued_posts(&txn, user.id, vec![id], now).await?;
    let Some(from) = queued.iter().find(|post| post.id == moving.id).and_then(|post| post.next_run_at) else {
        return Err(ApiError::field(
            "schedule_id",
            format!("is not a post waiting in {}'s queue", connection.handle),
        ));
    };
    let (slots, _) = weekly(&store::slots_of(&txn, id).await?).ok_or_else(|| no_slots(&connection))?;
    if !slots
        .between(now, now + Duration::days(QUEUE_HORIZON_DAYS))
        .take_while(|at| *at <= to)
        .any(|at| at == to)
    {
        return Err(ApiError::field("to", format!("is not one of {}'s upcoming slots", connection.handle)));
    }
    let occupant = queued.into_iter().find(|post| post.next_run_at == Some(to) && post.id != moving.id);
    let moved =
        if from == to { moving } else { schedules::service::move_one_off(&txn, moving, to, now).await? };
    let swapped = match occupant {
        Some(occupant) if from != to => {
            Some(schedules::service::move_one_off(&txn, occupant, from, now).await?)
        }
        _ => None,
    };
    txn.commit().await?;
    Ok(MoveResult {
        moved: presented(&state.db, moved).await?,
        swapped: match swapped {
            Some(model) => Some(presented(&state.db, model).await?),
            None => None,
        },
    })
}

async fn presented(db: &impl ConnectionTrait, model: ScheduleRecord) -> Result<Schedule, ApiError> {
    let post = schedules::service::post_of(db, model.variant_id).await?;
    Ok(schedules::service::present(model, post))
}

/// The empty slots of all the caller's accounts in `[from, to)` (never before now), for the
/// calendar.
pub async fn open_slots(
    state: &AppState,
    user: AuthUser,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<OpenSlotList, ApiError> {
    let now = state.clock.now();
    let (from, to) = schedules::service::calendar_window(from, to, now)?;
    let ids: Vec<Uuid> = connections::service::list(state, user).await?.items.iter().map(|c| c.id).collect();
    let mut rows_by_account: HashMap<Uuid, Vec<posting_slot::Model>> = HashMap::new();
    for row in store::slots_of_all(&state.db, ids.clone()).await? {
        rows_by_account.entry(row.connection_id).or_default().push(row);
    }
    let filled: HashSet<(Option<Uuid>, Option<DateTime<Utc>>)> =
        schedules::service::queued_posts(&state.db, user.id, ids, now)
            .await?
            .into_iter()
            .map(|post| (post.connection_id, post.next_run_at))
            .collect();
    // `between` starts after its first instant; a slot exactly at `from` belongs to the window.
    let after = from.max(now) - Duration::nanoseconds(1);
    let mut items = Vec::new();
    for (connection_id, rows) in rows_by_account {
        let Some((slots, zone)) = weekly(&rows) else { continue };
        items.extend(
            slots
                .between(after, to)
                .filter(|at| *at < to && *at > now && !filled.contains(&(Some(connection_id), Some(*at))))
                .take(MAX_OPEN_SLOTS)
                .map(|at| OpenSlot {
                    connection_id,
                    at,
                    local_time: at.with_timezone(&zone).format(LOCAL_FORMAT).to_string(),
                    timezone: zone.name().to_owned(),
                }),
        );
    }
    items.sort_by_key(|slot| (slot.at, slot.connection_id));
    items.truncate(MAX_OPEN_SLOTS);
    Ok(OpenSlotList { items })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slots::model::SlotInput;

    fn request(timezone: Option<&str>, slots: &[(&str, &str)]) -> ReplaceSlotsRequest {
        ReplaceSlotsRequest {
            timezone: timezone.map(str::to_owned),
            slots: slots
                .iter()
                .map(|(weekday, time)| SlotInput { weekday: (*weekday).into(), time: (*time).into() })
                .collect(),
        }
    }

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::Validation(errors) => errors.into_iter().map(|error| error.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn slots_are_read_in_any_case_sorted_and_keep_the_current_zone_when_none_is_sent() {
        let (zone, times) =
            parse_slots(&request(None, &[("THU", "17:00"), ("mon", "9:05")]), Some("Europe/Berlin")).unwrap();
        assert_eq!(zone, chrono_tz::Europe::Berlin);
        assert_eq!(
            times,
            [
                (Weekday::Mon, NaiveTime::from_hms_opt(9, 5, 0).unwrap()),
                (Weekday::Thu, NaiveTime::from_hms_opt(17, 0, 0).unwrap())
            ]
        );
    }

    #[test]
    fn every_wrong_slot_is_named_and_a_repeat_is_refused() {
        let error = parse_slots(
            &request(Some("Mars/Olympus"), &[("tue", "09:30"), ("someday", "25:00"), ("tue", "09:30")]),
            None,
        )
        .unwrap_err();
        assert_eq!(fields(error), ["timezone", "slots[1].weekday", "slots[1].time", "slots[2]"]);
        assert_eq!(fields(parse_slots(&request(None, &[]), None).unwrap_err()), ["timezone"]);
        let many: Vec<(&str, &str)> = Weekday::ALL
            .iter()
            .flat_map(|day| {
                ["08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]
                    .map(|time| (day.as_str(), time))
            })
            .collect();
        assert_eq!(fields(parse_slots(&request(Some("UTC"), &many), None).unwrap_err()), ["slots"]);
    }
}
