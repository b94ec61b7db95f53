use chrono::{DateTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::schedules::model::Schedule;

/// The most slots one account may have: seven a day, more than any posting plan needs.
pub const MAX_SLOTS_PER_ACCOUNT: usize = 49;
/// How far ahead the queue looks for a free slot, and where a post may be moved to.
pub const QUEUE_HORIZON_DAYS: i64 = 366;
/// How many slot occurrences `GET /connections/{id}/queue` lists unless asked.
pub const DEFAULT_QUEUE_LENGTH: u32 = 20;
pub const MAX_QUEUE_LENGTH: u32 = 100;
/// The most open slots one calendar window lists.
pub const MAX_OPEN_SLOTS: usize = 2_000;

/// A day of the week, as slots name it.
// Stored as a number, 0 for Monday to 6 for Sunday.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    EnumIter,
    DeriveActiveEnum,
)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "i16", db_type = "SmallInteger")]
pub enum Weekday {
    #[sea_orm(num_value = 0)]
    Mon,
    #[sea_orm(num_value = 1)]
    Tue,
    #[sea_orm(num_value = 2)]
    Wed,
    #[sea_orm(num_value = 3)]
    Thu,
    #[sea_orm(num_value = 4)]
    Fri,
    #[sea_orm(num_value = 5)]
    Sat,
    #[sea_orm(num_value = 6)]
    Sun,
}

impl Weekday {
    pub const ALL: [Self; 7] = [Self::Mon, Self::Tue, Self::Wed, Self::Thu, Self::Fri, Self::Sat, Self::Sun];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mon => "mon",
            Self::Tue => "tue",
            Self::Wed => "wed",
            Self::Thu => "thu",
            Self::Fri => "fri",
            Self::Sat => "sat",
            Self::Sun => "sun",
        }
    }

    /// `mon` … `sun`, in any case.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|day| day.as_str() == value)
    }

    pub fn from_chrono(day: chrono::Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }

    pub fn to_chrono(self) -> chrono::Weekday {
        match self {
            Self::Mon => chrono::Weekday::Mon,
            Self::Tue => chrono::Weekday::Tue,
            Self::Wed => chrono::Weekday::Wed,
            Self::Thu => chrono::Weekday::Thu,
            Self::Fri => chrono::Weekday::Fri,
            Self::Sat => chrono::Weekday::Sat,
            Self::Sun => chrono::Weekday::Sun,
        }
    }
}

/// A weekly posting slot: a weekday and a wall-clock time in the account's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Slot {
    pub weekday: Weekday,
    /// `HH:MM`, 24-hour.
    pub time: String,
}

/// A connected account's posting slots, Monday first, earliest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SlotSet {
    /// The IANA zone the slots' times are in; `null` while the account has no slots.
    pub timezone: Option<String>,
    pub slots: Vec<Slot>,
}

/// A slot as the caller writes it; checked by the server so that errors name the slot.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SlotInput {
    /// `mon`, `tue`, `wed`, `thu`, `fri`, `sat` or `sun`.
    #[schema(value_type = Weekday)]
    pub weekday: String,
    /// `HH:MM`, 24-hour, e.g. `09:30`.
    pub time: String,
}

/// Replaces an account's posting slots (an empty list removes them all).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReplaceSlotsRequest {
    /// An IANA zone such as `Europe/Berlin`; the console sends the reader's. Without it the
    /// account keeps the zone it has.
    pub timezone: Option<String>,
    #[schema(max_items = 49)]
    pub slots: Vec<SlotInput>,
}

/// Puts an accepted post into the account's next free slot.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QueueRequest {
    pub variant_id: Uuid,
}

/// One upcoming slot of an account's queue: filled by a one-off schedule of the account, or
/// empty.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QueueSlot {
    pub at: DateTime<Utc>,
    /// `at` as wall-clock time in the queue's zone (`2026-12-08T09:30`).
    pub local_time: String,
    pub weekday: Weekday,
    /// The schedule that publishes here, when the slot is filled.
    pub schedule_id: Option<Uuid>,
    pub variant_id: Option<Uuid>,
    /// The filling post's first line (up to 80 characters).
    pub first_line: Option<String>,
}

/// An account's upcoming slots, soonest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QueueList {
    pub connection_id: Uuid,
    /// The slots' zone; `null` while the account has no slots.
    pub timezone: Option<String>,
    pub items: Vec<QueueSlot>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// How many upcoming slots to list: 1 to 100, default 20.
    pub limit: Option<u32>,
}

/// Moves a queued post to another slot; a post already there takes the moved post's time.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MoveRequest {
    pub schedule_id: Uuid,
    /// The slot, as `at` in the queue lists it (RFC 3339).
    pub to: String,
}

/// What a move changed: the moved post, and the one it swapped places with.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoveResult {
    pub moved: Schedule,
    pub swapped: Option<Schedule>,
}

/// An empty slot of one of the caller's accounts, for the calendar.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenSlot {
    pub connection_id: Uuid,
    pub at: DateTime<Utc>,
    /// `at` as wall-clock time in the slot's zone.
    pub local_time: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OpenSlotList {
    /// Soonest first.
    pub items: Vec<OpenSlot>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpenSlotQuery {
    /// RFC 3339; default now (slots before now are never listed).
    pub from: Option<String>,
    /// RFC 3339; default 31 days after `from`.
    pub to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_are_stored_as_numbers_from_monday() {
        crate::db::assert_stored_as(&[
            (Weekday::Mon, 0),
            (Weekday::Tue, 1),
            (Weekday::Wed, 2),
            (Weekday::Thu, 3),
            (Weekday::Fri, 4),
            (Weekday::Sat, 5),
            (Weekday::Sun, 6),
        ]);
    }
}
