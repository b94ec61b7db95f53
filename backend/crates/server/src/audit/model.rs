use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::entity;
use crate::pagination::Cursor;

/// What happened. The names are stable: filters and dashboards depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum AuditKind {
    #[serde(rename = "auth.login_succeeded")]
    LoginSucceeded,
    #[serde(rename = "auth.login_failed")]
    LoginFailed,
    #[serde(rename = "auth.refresh_token_reused")]
    RefreshTokenReused,
    #[serde(rename = "user.role_changed")]
    RoleChanged,
    #[serde(rename = "job.created")]
    JobCreated,
    #[serde(rename = "job.retried")]
    JobRetried,
    #[serde(rename = "variant.accepted")]
    VariantAccepted,
    #[serde(rename = "variant.exported")]
    VariantExported,
    #[serde(rename = "schedule.created")]
    ScheduleCreated,
    #[serde(rename = "schedule.published")]
    SchedulePublished,
    #[serde(rename = "tool.changed")]
    ToolChanged,
    #[serde(rename = "connection.created")]
    ConnectionCreated,
    #[serde(rename = "connection.removed")]
    ConnectionRemoved,
}

impl AuditKind {
    pub const ALL: [Self; 13] = [
        Self::LoginSucceeded,
        Self::LoginFailed,
        Self::RefreshTokenReused,
        Self::RoleChanged,
        Self::JobCreated,
        Self::JobRetried,
        Self::VariantAccepted,
        Self::VariantExported,
        Self::ScheduleCreated,
        Self::SchedulePublished,
        Self::ToolChanged,
        Self::ConnectionCreated,
        Self::ConnectionRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LoginSucceeded => "auth.login_succeeded",
            Self::LoginFailed => "auth.login_failed",
            Self::RefreshTokenReused => "auth.refresh_token_reused",
            Self::RoleChanged => "user.role_changed",
            Self::JobCreated => "job.created",
            Self::JobRetried => "job.retried",
            Self::VariantAccepted => "variant.accepted",
            Self::VariantExported => "variant.exported",
            Self::ScheduleCreated => "schedule.created",
            Self::SchedulePublished => "schedule.published",
            Self::ToolChanged => "tool.changed",
            Self::ConnectionCreated => "connection.created",
            Self::ConnectionRemoved => "connection.removed",
        }
    }

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
        Self::ALL.into_iter().find(|kind| kind.as_str() == value).ok_or_else(|| {
            let known: Vec<&str> = Self::ALL.iter().map(|kind| kind.as_str()).collect();
            format!("unknown kind `{value}`; expected one of {}", known.join(", "))
        })
    }
}

impl fmt::Display for AuditKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    #[schema(value_type = AuditKind)]
    pub kind: String,
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
    fn kinds_round_trip_through_their_names() {
        for kind in AuditKind::ALL {
            assert_eq!(kind.as_str().parse::<AuditKind>().unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
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
