//! What can go wrong with the shared state: refusals that leave it untouched, bad input, I/O.

use std::{io, path::PathBuf};

use chrono::{DateTime, Utc};

use crate::{Etag, Name, Resource, TaskId};

/// Every failure of a read, a change or a validation of the collaboration directory.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{} is not valid collaboration state: {source}", path.display())]
    Corrupt { path: PathBuf, source: serde_json::Error },
    #[error("{} changed since it was read: expected ETag {expected}, it is now {actual}", path.display())]
    StaleEtag { path: PathBuf, expected: Etag, actual: Etag },
    #[error("{resource} is held by {holder} until {expires_at}")]
    LockHeld { resource: Resource, holder: Name, expires_at: DateTime<Utc> },
    #[error("{resource} is not held by {requester}{}", held_by(current_holder.as_ref()))]
    NotLockHolder { resource: Resource, requester: Name, current_holder: Option<Name> },
    #[error("the lease of {holder} on {resource} expired at {expired_at}; acquire it again")]
    LeaseExpired { resource: Resource, holder: Name, expired_at: DateTime<Utc> },
    #[error("no task {id}")]
    UnknownTask { id: TaskId },
    #[error("task {id} already exists")]
    DuplicateTask { id: TaskId },
    #[error("task {id} is owned by {owner}")]
    TaskTaken { id: TaskId, owner: Name },
    #[error("task {id} is owned by {owner}, not {actor}")]
    NotTaskOwner { id: TaskId, owner: Name, actor: Name },
    #[error("task {id} is done")]
    TaskDone { id: TaskId },
    #[error("task {id} waits on {}", waiting_on.iter().map(TaskId::as_str).collect::<Vec<_>>().join(", "))]
    TaskBlocked { id: TaskId, waiting_on: Vec<TaskId> },
    #[error("no agent {name}")]
    UnknownAgent { name: Name },
    #[error("invalid {what} {value:?}: {rule}")]
    Invalid { what: &'static str, value: String, rule: &'static str },
    #[error("nothing to change: give a status, an owner or a note")]
    NothingToChange,
    #[error("schema {}: {message}", path.display())]
    Schema { path: PathBuf, message: String },
}

fn held_by(holder: Option<&Name>) -> String {
    holder.map_or_else(|| " (it is free)".to_owned(), |holder| format!(" (held by {holder})"))
}

impl Error {
    /// Whether the caller asked for something malformed, rather than something the state refused.
    pub fn is_usage(&self) -> bool {
        matches!(self, Self::Invalid { .. } | Self::NothingToChange)
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
