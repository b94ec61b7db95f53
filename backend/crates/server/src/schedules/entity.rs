//! Tables of the schedules domain.

/// A variant to publish once or on a recurrence.
pub mod schedule {
    use sea_orm::{FromJsonQueryResult, entity::prelude::*};
    use serde::{Deserialize, Serialize};

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "schedules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_id: Uuid,
        pub org_id: Option<Uuid>,
        pub variant_id: Uuid,
        pub connector: crate::connectors::ConnectorKind,
        /// The first occurrence (the recurrence's DTSTART).
        pub run_at: DateTimeUtc,
        pub timezone: String,
        pub recurrence: Option<String>,
        /// Wall-clock times (in `timezone`) to skip, as strings.
        pub exdates: Exdates,
        pub status: crate::schedules::model::ScheduleStatus,
        /// The next occurrence to publish; `None` once there is none left.
        pub next_run_at: Option<DateTimeUtc>,
        pub last_run_at: Option<DateTimeUtc>,
        /// The connected account the post goes to, for the network connectors.
        pub connection_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    /// The `exdates` column: a JSON list of wall-clock times.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
    pub struct Exdates(pub Vec<String>);
}

/// One occurrence being (or having been) published, with every attempt.
pub mod run {
    use sea_orm::{FromJsonQueryResult, entity::prelude::*};
    use serde::{Deserialize, Serialize};

    use crate::schedules::model::Attempt;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "schedule_runs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub schedule_id: Uuid,
        pub owner_id: Uuid,
        pub occurrence_at: DateTimeUtc,
        pub status: crate::schedules::model::RunStatus,
        pub attempts: i32,
        pub late: bool,
        /// Earlier occurrences skipped because the scheduler was down when they were due.
        pub missed: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub attempt_log: AttemptLog,
        pub published_at: Option<DateTimeUtc>,
        /// Where people see the published post (the first part of a thread).
        pub published_url: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    /// The `attempt_log` column: a JSON list of every delivery attempt, oldest first.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
    pub struct AttemptLog(pub Vec<Attempt>);
}

/// The hash of a user's secret calendar-feed token.
pub mod feed {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_feeds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub owner_id: Uuid,
        pub token_hash: String,
        pub created_at: DateTimeUtc,
        /// When a calendar app last fetched the feed; `None` until one does.
        pub last_fetched_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One part of a post or thread published by a run, recorded as soon as the network created
/// it: a retry resumes after the last recorded part and never posts one twice.
pub mod part {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "publication_parts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub run_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub part_index: i32,
        pub remote_id: String,
        pub revision: Option<String>,
        pub url: Option<String>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A thread part a run is about to send to a network that takes no idempotency key, written
/// before the request: found on a retry without a recorded part, the outcome was unknown.
pub mod intent {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "publication_intents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub run_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub part_index: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Who is the active scheduler, until when.
pub mod lease {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "scheduler_leases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub holder: String,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An event for the owner's webhook, waiting for delivery or delivered: written in the
/// transaction that records what happened, delivered by the scheduler's tick with retries.
pub mod webhook_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "webhook_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub owner_id: Uuid,
        /// `published`.
        pub event: String,
        /// Sent as `Idempotency-Key`; the same for every attempt of one event.
        pub idempotency_key: String,
        /// The JSON document POSTed, exactly as signed.
        pub payload: Json,
        pub status: crate::schedules::events::EventStatus,
        pub attempts: i32,
        pub next_attempt_at: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub delivered_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{run::AttemptLog, schedule::Exdates};
    use crate::{db::assert_json_column, schedules::model::Attempt};

    #[test]
    fn exdates_and_attempt_logs_keep_the_json_rows_hold() {
        assert_json_column(Exdates(Vec::new()), "[]");
        assert_json_column(
            Exdates(vec!["2026-12-24T09:00".into(), "2026-12-31T09:00".into()]),
            r#"["2026-12-24T09:00","2026-12-31T09:00"]"#,
        );
        assert_json_column(AttemptLog::default(), "[]");
        let at = Utc.with_ymd_and_hms(2026, 12, 24, 9, 0, 3).unwrap();
        assert_json_column(
            AttemptLog(vec![
                Attempt { at, ok: false, detail: "HTTP 503".into() },
                Attempt { at, ok: true, detail: "HTTP 200".into() },
            ]),
            r#"[{"at":"2026-12-24T09:00:03Z","detail":"HTTP 503","ok":false},{"at":"2026-12-24T09:00:03Z","detail":"HTTP 200","ok":true}]"#,
        );
    }
}
