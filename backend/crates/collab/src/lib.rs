//! Shared collaboration state kept in files under `collaboration/`: a task board, lease locks
//! and an agent roster (`state/*.json`), changed only by ETag-checked atomic writes, each
//! change recorded as one line of `events/events.jsonl`; and the JSON Schemas they obey.
//!
//! The `kyros collab` command is a thin shell over [`Board`].

mod agents;
mod board;
mod error;
mod events;
mod locks;
mod names;
mod schema;
mod store;
mod tasks;

pub use agents::{Agent, AgentRecord, AgentRoster, AgentStatus, Role};
pub use board::{Board, Change, Clock, EVENT_SCHEMA, EVENTS_FILE, State, Status, SystemClock};
pub use error::{Error, Result};
pub use events::{Event, EventKind, EventLog};
pub use locks::{ExpiredLeases, Lease, LeaseRecord, LockTable, MAX_TTL_SECONDS, Ttl};
pub use names::{Name, Resource, TaskId};
pub use schema::{FileReport, ValidationReport, validate};
pub use store::{Etag, StateFile, Versioned, WriteLock};
pub use tasks::{NewTask, Task, TaskBoard, TaskChange, TaskStatus};
