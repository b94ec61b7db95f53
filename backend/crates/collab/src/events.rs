//! The append-only event log (`events/events.jsonl`): one JSON object a line, one line per change.

use std::{
    fmt,
    fs::{self, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
    str::FromStr,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    Error, Name, Result,
    names::{parse_variant, variant_name},
};

/// One change to the shared state: who did what, when, with the change's details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub id: Uuid,
    pub ts: DateTime<Utc>,
    pub actor: Name,
    pub kind: EventKind,
    pub payload: serde_json::Value,
}

impl Event {
    /// A new event with a time-ordered (v7) id.
    pub fn new(actor: &Name, kind: EventKind, payload: serde_json::Value, ts: DateTime<Utc>) -> Self {
        Self { id: Uuid::now_v7(), ts, actor: actor.clone(), kind, payload }
    }
}

/// What kind of change an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "task.added")]
    TaskAdded,
    #[serde(rename = "task.claimed")]
    TaskClaimed,
    #[serde(rename = "task.updated")]
    TaskUpdated,
    #[serde(rename = "lock.acquired")]
    LockAcquired,
    #[serde(rename = "lock.renewed")]
    LockRenewed,
    #[serde(rename = "lock.released")]
    LockReleased,
    #[serde(rename = "lock.expired")]
    LockExpired,
    #[serde(rename = "agent.registered")]
    AgentRegistered,
    #[serde(rename = "agent.heartbeat")]
    AgentHeartbeat,
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&variant_name(self))
    }
}

impl FromStr for EventKind {
    type Err = Error;

    fn from_str(value: &str) -> Result<Self> {
        parse_variant(
            value,
            "event kind",
            "one of task.added, task.claimed, task.updated, lock.acquired, lock.renewed, \
             lock.released, lock.expired, agent.registered, agent.heartbeat",
        )
    }
}

/// The log file.
#[derive(Debug, Clone)]
pub struct EventLog {
    path: PathBuf,
}

impl EventLog {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and flushes it to disk.
    ///
    /// The line goes out in one `write` on a file opened with `O_APPEND`, so concurrent
    /// appenders never interleave inside a line.
    pub fn append(&self, event: &Event) -> Result<()> {
        let mut line =
            serde_json::to_vec(event).map_err(|source| Error::Corrupt { path: self.path.clone(), source })?;
        line.push(b'\n');
        let mut file = OpenOptions::new().append(true).open(&self.path).map_err(Error::io(&self.path))?;
        file.write_all(&line).map_err(Error::io(&self.path))?;
        file.sync_data().map_err(Error::io(&self.path))
    }

    /// Every event, oldest first.
    pub fn read(&self) -> Result<Vec<Event>> {
        let text = fs::read_to_string(&self.path).map_err(Error::io(&self.path))?;
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                serde_json::from_str(line)
                    .map_err(|source| Error::Corrupt { path: self.path.clone(), source })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn appended_events_read_back_in_order_one_line_each() {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::new(dir.path().join("events.jsonl"));
        fs::write(log.path(), "").unwrap();
        let actor: Name = "planner".parse().unwrap();
        let first = Event::new(&actor, EventKind::TaskAdded, json!({ "id": "a" }), Utc::now());
        let second = Event::new(&actor, EventKind::LockAcquired, json!({ "resource": "r" }), Utc::now());
        log.append(&first).unwrap();
        log.append(&second).unwrap();
        assert_eq!(log.read().unwrap(), [first, second]);
        let text = fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains("\"kind\":\"lock.acquired\""), "{text}");
    }

    #[test]
    fn appending_needs_an_existing_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::new(dir.path().join("events.jsonl"));
        let event = Event::new(&"a".parse().unwrap(), EventKind::TaskAdded, json!({}), Utc::now());
        assert!(matches!(log.append(&event), Err(Error::Io { .. })));
    }

    #[test]
    fn a_broken_line_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let log = EventLog::new(dir.path().join("events.jsonl"));
        fs::write(log.path(), "{\"id\": 1}\n").unwrap();
        assert!(matches!(log.read(), Err(Error::Corrupt { .. })));
    }

    #[test]
    fn kinds_parse_from_their_log_names() {
        for name in ["task.claimed", "lock.acquired", "lock.expired", "agent.heartbeat"] {
            let kind: EventKind = name.parse().unwrap();
            assert_eq!(kind.to_string(), name);
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(name));
        }
        assert!("lock.stolen".parse::<EventKind>().unwrap_err().is_usage());
    }
}
