use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use sea_orm::{ActiveEnum, DeriveActiveEnum, EnumIter, Iterable, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity;
use crate::pagination::Cursor;

/// What happened. The names are stable: filters and dashboards depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(64))")]
pub enum AuditKind {
    #[serde(rename = "auth.login_succeeded")]
    #[sea_orm(string_value = "auth.login_succeeded")]
    LoginSucceeded,
    #[serde(rename = "auth.login_failed")]
    #[sea_orm(string_value = "auth.login_failed")]
    LoginFailed,
    #[serde(rename = "auth.refresh_token_reused")]
    #[sea_orm(string_value = "auth.refresh_token_reused")]
    RefreshTokenReused,
    #[serde(rename = "user.role_changed")]
    #[sea_orm(string_value = "user.role_changed")]
    RoleChanged,
    #[serde(rename = "job.created")]
    #[sea_orm(string_value = "job.created")]
    JobCreated,
    #[serde(rename = "job.retried")]
    #[sea_orm(string_value = "job.retried")]
    JobRetried,
    #[serde(rename = "variant.accepted")]
    #[sea_orm(string_value = "variant.accepted")]
    VariantAccepted,
    #[serde(rename = "variant.exported")]
    #[sea_orm(string_value = "variant.exported")]
    VariantExported,
    #[serde(rename = "schedule.created")]
    #[sea_orm(string_value = "schedule.created")]
    ScheduleCreated,
    #[serde(rename = "schedule.published")]
    #[sea_orm(string_value = "schedule.published")]
    SchedulePublished,
    #[serde(rename = "tool.changed")]
    #[sea_orm(string_value = "tool.changed")]
    ToolChanged,
    #[serde(rename = "connection.created")]
    #[sea_orm(string_value = "connection.created")]
    ConnectionCreated,
    #[serde(rename = "connection.removed")]
    #[sea_orm(string_value = "connection.removed")]
    ConnectionRemoved,
}

impl AuditKind {
    /// Sign-in and privilege events: a failure to record one is logged as an error.
    pub fn is_security(self) -> bool {
        matches!(
            self,
            Self::LoginSucceeded | Self::LoginFailed | Self::RefreshTokenReused | Self::RoleChanged
        )
    }
}

impl FromStr for AuditKind {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::try_from_value(&value.to_owned()).map_err(|_| {
            let known: Vec<String> = Self::iter().map(|kind| kind.to_value()).collect();
            format!("unknown kind `{value}`; expected one of {}", known.join(", "))
        })
    }
}

impl fmt::Display for AuditKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_value())
    }
}

/// An event about to be recorded: `AuditEvent::new(kind).actor(id).subject("job", id).payload(..)`.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub kind: AuditKind,
    pub actor_id: Option<Uuid>,
    pub subject: Option<(&'static str, Uuid)>,
    pub payload: serde_json::Value,
}

impl AuditEvent {
    pub fn new(kind: AuditKind) -> Self {
        Self { kind, actor_id: None, subject: None, payload: serde_json::json!({}) }
    }

    pub fn actor(mut self, actor_id: Uuid) -> Self {
        self.actor_id = Some(actor_id);
        self
    }

    pub fn subject(mut self, subject: &'static str, id: Uuid) -> Self {
        self.subject = Some((subject, id));
        self
    }

    /// Details of the event; never secrets (passwords, tokens, API keys).
    pub fn payload(mut self, payload: serde_json::Value) -> Self {
        self.payload = payload;
        self
    }
}

/// A recorded event as `GET /admin/audit` shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: Uuid,
    /// The user who acted; absent for the system or an unknown caller.
    pub actor_id: Option<Uuid>,
    /// That user's current email; absent with `actor_id` or once the account is gone.
    pub actor_email: Option<String>,
    pub kind: AuditKind,
    /// The kind of thing acted on: `user`, `job`, `variant`, `schedule` or `tool`.
    pub subject: Option<String>,
    pub subject_id: Option<Uuid>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl AuditEntry {
    pub fn new(model: entity::Model, actor_email: Option<String>) -> Self {
        Self {
            id: model.id,
            actor_id: model.actor_id,
            actor_email,
            kind: model.kind,
            subject: model.subject,
            subject_id: model.subject_id,
            payload: model.payload,
            created_at: model.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events of this kind, e.g. `auth.login_failed`.
    #[param(value_type = Option<AuditKind>)]
    pub kind: Option<String>,
    /// Only events by this user.
    pub actor_id: Option<String>,
    /// Only events at or after this RFC 3339 time.
    pub from: Option<String>,
    /// Only events before this RFC 3339 time.
    pub to: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<u64>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The list's position: events are ordered by time, then id (times can repeat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor for AuditCursor {
    fn encode(&self) -> String {
        format!("{}_{}", self.created_at.timestamp_micros(), self.id.simple())
    }

    fn decode(raw: &str) -> Option<Self> {
        let (micros, id) = raw.split_once('_')?;
        Some(Self {
            created_at: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
            id: Uuid::parse_str(id).ok()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (AuditKind::LoginSucceeded, "auth.login_succeeded".to_owned()),
            (AuditKind::LoginFailed, "auth.login_failed".to_owned()),
            (AuditKind::RefreshTokenReused, "auth.refresh_token_reused".to_owned()),
            (AuditKind::RoleChanged, "user.role_changed".to_owned()),
            (AuditKind::JobCreated, "job.created".to_owned()),
            (AuditKind::JobRetried, "job.retried".to_owned()),
            (AuditKind::VariantAccepted, "variant.accepted".to_owned()),
            (AuditKind::VariantExported, "variant.exported".to_owned()),
            (AuditKind::ScheduleCreated, "schedule.created".to_owned()),
            (AuditKind::SchedulePublished, "schedule.published".to_owned()),
            (AuditKind::ToolChanged, "tool.changed".to_owned()),
            (AuditKind::ConnectionCreated, "connection.created".to_owned()),
            (AuditKind::ConnectionRemoved, "connection.removed".to_owned()),
        ]);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in AuditKind::iter() {
            assert_eq!(kind.to_value().parse::<AuditKind>().unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.to_value());
        }
        assert!("job.deleted".parse::<AuditKind>().unwrap_err().contains("job.created"));
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = AuditCursor {
            created_at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(AuditCursor::decode(&cursor.encode()), Some(cursor));
        for bad in ["", "123", "abc_def", "1_not-a-uuid"] {
            assert_eq!(AuditCursor::decode(bad), None, "{bad}");
        }
    }
}
