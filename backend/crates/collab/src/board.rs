//! The collaboration directory as a whole: every change is a compare-and-swap of one state file
//! followed by one event line.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    Agent, AgentRecord, AgentRoster, AgentStatus, Error, Etag, Event, EventKind, EventLog, ExpiredLeases,
    Lease, LeaseRecord, LockTable, Name, NewTask, Resource, Result, Role, StateFile, Task, TaskBoard,
    TaskChange, TaskId, TaskStatus, Ttl, Versioned,
};

/// Where time comes from, so tests can move it.
pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

impl<F: Fn() -> DateTime<Utc>> Clock for F {
    fn now(&self) -> DateTime<Utc> {
        self()
    }
}

/// A state file's type: where it lives under the collaboration directory and its schema.
pub trait State: Serialize + DeserializeOwned + Default + Clone + PartialEq {
    /// The file, relative to the collaboration directory.
    const FILE: &'static str;
    /// Its JSON Schema, relative to the collaboration directory.
    const SCHEMA: &'static str;

    /// What is wrong with a parsed value beyond what its schema can say.
    fn problems(&self) -> Vec<String> {
        Vec::new()
    }
}

impl State for TaskBoard {
    const FILE: &'static str = "state/tasks.json";
    const SCHEMA: &'static str = "schemas/tasks.schema.json";

    fn problems(&self) -> Vec<String> {
        TaskBoard::problems(self)
    }
}

impl State for LockTable {
    const FILE: &'static str = "state/locks.json";
    const SCHEMA: &'static str = "schemas/locks.schema.json";
}

impl State for AgentRoster {
    const FILE: &'static str = "state/agents.json";
    const SCHEMA: &'static str = "schemas/agents.schema.json";
}

/// The event log, relative to the collaboration directory.
pub const EVENTS_FILE: &str = "events/events.jsonl";
/// The schema of one event line, relative to the collaboration directory.
pub const EVENT_SCHEMA: &str = "schemas/event.schema.json";

/// How often a change is re-applied to fresh state when another writer got in first.
const ATTEMPTS: usize = 8;

/// A change that went through: its result, the file's new ETag and the event that records it
/// (`None` when the change turned out to change nothing, so nothing was written).
#[derive(Debug, Clone, Serialize)]
pub struct Change<R> {
    pub result: R,
    pub etag: Etag,
    pub event: Option<Event>,
}

/// A summary of the whole directory.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub etags: BTreeMap<&'static str, Etag>,
    pub tasks: BTreeMap<TaskStatus, usize>,
    pub live_leases: BTreeMap<Resource, Lease>,
    /// Resources whose lease expired and has not been swept or taken over yet.
    pub expired_leases: Vec<Resource>,
    pub agents: BTreeMap<Name, Agent>,
    pub events: usize,
    pub last_event: Option<Event>,
}

/// The collaboration directory, read and changed with time from `C`.
#[derive(Debug, Clone)]
pub struct Board<C = SystemClock> {
    dir: PathBuf,
    clock: C,
}

impl Board<SystemClock> {
    /// The directory at `dir`, on the wall clock.
    pub fn open(dir: impl Into<PathBuf>) -> Self {
        Self::with_clock(dir, SystemClock)
    }
}

impl<C: Clock> Board<C> {
    pub fn with_clock(dir: impl Into<PathBuf>, clock: C) -> Self {
        Self { dir: dir.into(), clock }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates the directories, empty state files and the event log where they are missing;
    /// returns what it created. Existing files are left as they are.
    pub fn init(&self) -> Result<Vec<PathBuf>> {
        let mut created = Vec::new();
        for dir in ["state", "events"] {
            let path = self.dir.join(dir);
            fs::create_dir_all(&path).map_err(Error::io(&path))?;
        }
        if self.state_file::<TaskBoard>().create(&TaskBoard::default())? {
            created.push(self.dir.join(TaskBoard::FILE));
        }
        if self.state_file::<LockTable>().create(&LockTable::default())? {
            created.push(self.dir.join(LockTable::FILE));
        }
        if self.state_file::<AgentRoster>().create(&AgentRoster::default())? {
            created.push(self.dir.join(AgentRoster::FILE));
        }
        let events = self.dir.join(EVENTS_FILE);
        match fs::OpenOptions::new().write(true).create_new(true).open(&events) {
            Ok(_) => created.push(events),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(Error::Io { path: events, source: error }),
        }
        Ok(created)
    }

    pub fn state_file<S: State>(&self) -> StateFile {
        StateFile::new(self.dir.join(S::FILE))
    }

    pub fn read<S: State>(&self) -> Result<Versioned<S>> {
        self.state_file::<S>().read()
    }

    pub fn events(&self) -> EventLog {
        EventLog::new(self.dir.join(EVENTS_FILE))
    }

    /// Puts a new task on the board.
    pub fn add_task(&self, actor: &Name, new: NewTask, if_match: Option<&Etag>) -> Result<Change<Task>> {
        self.change(actor, EventKind::TaskAdded, if_match, |board: &mut TaskBoard, now| {
            board.add(new.clone(), now)
        })
    }

    /// `owner` takes a task and starts it.
    pub fn claim_task(&self, id: &TaskId, owner: &Name, if_match: Option<&Etag>) -> Result<Change<Task>> {
        self.change(owner, EventKind::TaskClaimed, if_match, |board: &mut TaskBoard, now| {
            board.claim(id, owner, now)
        })
    }

    /// Changes a task's status, owner or note.
    pub fn update_task(
        &self,
        id: &TaskId,
        actor: &Name,
        change: TaskChange,
        if_match: Option<&Etag>,
    ) -> Result<Change<Task>> {
        self.change(actor, EventKind::TaskUpdated, if_match, |board: &mut TaskBoard, now| {
            board.update(id, actor, change.clone(), now)
        })
    }

    /// Takes a lease on `resource` if it is free or expired.
    pub fn acquire_lock(
        &self,
        resource: &Resource,
        holder: &Name,
        ttl: Ttl,
        if_match: Option<&Etag>,
    ) -> Result<Change<LeaseRecord>> {
        self.change(holder, EventKind::LockAcquired, if_match, |table: &mut LockTable, now| {
            table.acquire(resource, holder, ttl, now)
        })
    }

    /// Extends the holder's live lease.
    pub fn renew_lock(
        &self,
        resource: &Resource,
        holder: &Name,
        ttl: Ttl,
        if_match: Option<&Etag>,
    ) -> Result<Change<LeaseRecord>> {
        self.change(holder, EventKind::LockRenewed, if_match, |table: &mut LockTable, now| {
            table.renew(resource, holder, ttl, now)
        })
    }

    /// Gives a lease up.
    pub fn release_lock(
        &self,
        resource: &Resource,
        holder: &Name,
        if_match: Option<&Etag>,
    ) -> Result<Change<LeaseRecord>> {
        self.change(holder, EventKind::LockReleased, if_match, |table: &mut LockTable, _| {
            table.release(resource, holder)
        })
    }

    /// Sweeps expired leases; writes and logs only when there were some.
    pub fn expire_locks(&self, actor: &Name, if_match: Option<&Etag>) -> Result<Change<ExpiredLeases>> {
        self.change(actor, EventKind::LockExpired, if_match, |table: &mut LockTable, now| {
            Ok(table.expire(now))
        })
    }

    /// Adds an agent to the roster, or changes its role and status.
    pub fn register_agent(
        &self,
        name: &Name,
        role: Role,
        status: AgentStatus,
        if_match: Option<&Etag>,
    ) -> Result<Change<AgentRecord>> {
        self.change(name, EventKind::AgentRegistered, if_match, |roster: &mut AgentRoster, now| {
            Ok(roster.register(name, role, status, now))
        })
    }

    /// A registered agent reports in.
    pub fn heartbeat(
        &self,
        name: &Name,
        status: AgentStatus,
        if_match: Option<&Etag>,
    ) -> Result<Change<AgentRecord>> {
        self.change(name, EventKind::AgentHeartbeat, if_match, |roster: &mut AgentRoster, now| {
            roster.heartbeat(name, status, now)
        })
    }

    /// Counts, live and expired leases, agents and the latest event.
    pub fn status(&self) -> Result<Status> {
        let now = self.now();
        let tasks = self.read::<TaskBoard>()?;
        let locks = self.read::<LockTable>()?;
        let agents = self.read::<AgentRoster>()?;
        let events = self.events().read()?;
        let mut counts: BTreeMap<TaskStatus, usize> = [
            TaskStatus::Todo,
            TaskStatus::InProgress,
            TaskStatus::Review,
            TaskStatus::Done,
            TaskStatus::Blocked,
        ]
        .into_iter()
        .map(|status| (status, 0))
        .collect();
        for task in &tasks.value.tasks {
            *counts.entry(task.status).or_default() += 1;
        }
        Ok(Status {
            etags: BTreeMap::from([("tasks", tasks.etag), ("locks", locks.etag), ("agents", agents.etag)]),
            tasks: counts,
            live_leases: locks
                .value
                .live(now)
                .map(|(resource, lease)| (resource.clone(), lease.clone()))
                .collect(),
            expired_leases: locks
                .value
                .leases
                .iter()
                .filter(|(_, lease)| lease.is_expired(now))
                .map(|(resource, _)| resource.clone())
                .collect(),
            agents: agents.value.agents,
            events: events.len(),
            last_event: events.last().cloned(),
        })
    }

    fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(3)
    }

    /// Reads `S`, applies `apply` and writes the result back with the ETag it read, then logs
    /// one event of `kind` whose payload is the result.
    ///
    /// With `if_match`, the change is refused unless the file still has that ETag. Without it,
    /// a write that lost a race is re-applied to the state the winner left (`apply` decides
    /// again, so a lease taken meanwhile refuses the loser).
    fn change<S: State, R: Serialize>(
        &self,
        actor: &Name,
        kind: EventKind,
        if_match: Option<&Etag>,
        mut apply: impl FnMut(&mut S, DateTime<Utc>) -> Result<R>,
    ) -> Result<Change<R>> {
        let file = self.state_file::<S>();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let Versioned { etag, value: before } = file.read::<S>()?;
            if let Some(expected) = if_match.filter(|expected| **expected != etag) {
                return Err(Error::StaleEtag {
                    path: file.path().to_owned(),
                    expected: expected.clone(),
                    actual: etag,
                });
            }
            let now = self.now();
            let mut after = before.clone();
            let result = apply(&mut after, now)?;
            if after == before {
                return Ok(Change { result, etag, event: None });
            }
            let lock = file.lock()?;
            match lock.compare_and_swap(&after, &etag) {
                Ok(new_etag) => {
                    let payload = serde_json::to_value(&result)
                        .map_err(|source| Error::Corrupt { path: file.path().to_owned(), source })?;
                    let event = Event::new(actor, kind, payload, now);
                    // Appended while the state lock is held, so the log orders one file's
                    // changes as they happened.
                    self.events().append(&event)?;
                    return Ok(Change { result, etag: new_etag, event: Some(event) });
                }
                Err(Error::StaleEtag { .. }) if if_match.is_none() && attempt < ATTEMPTS => continue,
                Err(error) => return Err(error),
            }
        }
    }
}
