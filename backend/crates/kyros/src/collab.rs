//! `kyros collab`: the shared collaboration state (`collaboration/`) from the command line.
//!
//! Every command prints JSON on standard output. Exit codes: 0 done; 1 refused (a lease held,
//! a stale ETag, not the holder or owner, invalid state) or failed; 2 a usage error.

use std::{io::Write, path::PathBuf, process::ExitCode};

use ::collab::{
    AgentStatus, Board, Etag, Event, EventKind, MAX_TTL_SECONDS, Name, NewTask, Resource, Role, TaskBoard,
    TaskChange, TaskId, TaskStatus, Ttl, validate,
};
use clap::{ArgGroup, Args, Subcommand};
use serde::Serialize;

#[derive(Args)]
pub struct CollabArgs {
    /// The collaboration directory (state/, events/, schemas/).
    #[arg(long, global = true, default_value = "collaboration")]
    dir: PathBuf,
    #[command(subcommand)]
    command: CollabCommand,
}

#[derive(Subcommand)]
enum CollabCommand {
    /// Create the layout, empty state files and the event log where they are missing.
    Init,
    /// Task counts, live and expired leases, agents, the last event and each state file's ETag.
    Status,
    /// List, add, claim or update tasks.
    Task {
        #[command(subcommand)]
        action: TaskAction,
    },
    /// Acquire, renew, release or sweep lease locks.
    Lock {
        #[command(subcommand)]
        action: LockAction,
    },
    /// Register agents and report their status.
    Agent {
        #[command(subcommand)]
        action: AgentAction,
    },
    /// Read the event log.
    Event {
        #[command(subcommand)]
        action: EventAction,
    },
    /// Check every state file and event line against its JSON Schema (exit 1 when any fails).
    Validate,
}

/// The optimistic-concurrency guard every change accepts.
#[derive(Args)]
struct Precondition {
    /// Refuse unless the state file still has this ETag (from `status`, a list or a change).
    #[arg(long, value_name = "ETAG")]
    if_match: Option<Etag>,
}

#[derive(Subcommand)]
enum TaskAction {
    /// The board's tasks (optionally of one status or owner) with its ETag.
    List {
        #[arg(long)]
        status: Option<TaskStatus>,
        #[arg(long)]
        owner: Option<Name>,
    },
    /// Put a new task at the end of the board.
    Add {
        #[arg(long)]
        id: TaskId,
        #[arg(long)]
        title: String,
        /// Comma-separated ids of tasks to finish first.
        #[arg(long, value_delimiter = ',')]
        depends_on: Vec<TaskId>,
        #[arg(long, default_value = "todo")]
        status: TaskStatus,
        #[arg(long)]
        owner: Option<Name>,
        #[arg(long)]
        note: Option<String>,
        /// Who adds it.
        #[arg(long)]
        actor: Name,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Take a task and start it (refused if someone has it, it is done or waits on others).
    Claim {
        #[arg(long)]
        id: TaskId,
        #[arg(long)]
        owner: Name,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Change a task's status, owner or note (an owned task only by its owner).
    #[command(group(ArgGroup::new("change").required(true).multiple(true).args(["status", "owner", "unassign", "note"])))]
    Update {
        #[arg(long)]
        id: TaskId,
        /// Who changes it.
        #[arg(long)]
        actor: Name,
        #[arg(long)]
        status: Option<TaskStatus>,
        /// Hand the task to this agent.
        #[arg(long, conflicts_with = "unassign")]
        owner: Option<Name>,
        /// Leave the task without an owner.
        #[arg(long)]
        unassign: bool,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        precondition: Precondition,
    },
}

#[derive(Args)]
struct LeaseArgs {
    /// What the lease protects, e.g. backend/Cargo.toml or port:8000.
    #[arg(long)]
    resource: Resource,
    /// Who holds the lease, or asks for it.
    #[arg(long)]
    holder: Name,
}

#[derive(Subcommand)]
enum LockAction {
    /// Take the lease if the resource is free or its lease expired (exit 1 naming the holder otherwise).
    Acquire {
        #[command(flatten)]
        lease: LeaseArgs,
        /// Seconds until the lease expires.
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=MAX_TTL_SECONDS))]
        ttl: u64,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Extend the holder's live lease to now + TTL.
    Renew {
        #[command(flatten)]
        lease: LeaseArgs,
        #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=MAX_TTL_SECONDS))]
        ttl: u64,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Give the lease up (only its holder).
    Release {
        #[command(flatten)]
        lease: LeaseArgs,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Remove every expired lease.
    Expire {
        /// Who sweeps.
        #[arg(long, default_value = "watchdog")]
        actor: Name,
        #[command(flatten)]
        precondition: Precondition,
    },
}

#[derive(Subcommand)]
enum AgentAction {
    /// Add an agent to the roster, or change its role.
    Register {
        #[arg(long)]
        name: Name,
        #[arg(long)]
        role: Role,
        #[arg(long, default_value = "active")]
        status: AgentStatus,
        #[command(flatten)]
        precondition: Precondition,
    },
    /// Report in: status and last seen.
    Heartbeat {
        #[arg(long)]
        name: Name,
        #[arg(long, default_value = "active")]
        status: AgentStatus,
        #[command(flatten)]
        precondition: Precondition,
    },
}

#[derive(Subcommand)]
enum EventAction {
    /// Events oldest first, optionally of one kind or actor, or only the last N.
    List {
        #[arg(long)]
        kind: Option<EventKind>,
        #[arg(long)]
        actor: Option<Name>,
        #[arg(long)]
        last: Option<usize>,
    },
}

/// Runs one `kyros collab` command; returns the process exit code: 0 done, 1 refused, 2 misused.
pub fn run(args: CollabArgs) -> ExitCode {
    match execute(&Board::open(&args.dir), args.command) {
        Ok(output) => {
            print(&output);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kyros collab: {error:#}");
            let usage = error.downcast_ref::<::collab::Error>().is_some_and(::collab::Error::is_usage);
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

/// Writes one output document and flushes it. A reader that went away (`| head`) is not an
/// error of the command.
fn print(output: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{output}").and_then(|()| stdout.flush());
}

fn execute(board: &Board, command: CollabCommand) -> anyhow::Result<String> {
    match command {
        CollabCommand::Init => json(&serde_json::json!({ "created": board.init()? })),
        CollabCommand::Status => json(&board.status()?),
        CollabCommand::Task { action } => task(board, action),
        CollabCommand::Lock { action } => lock(board, action),
        CollabCommand::Agent { action } => agent(board, action),
        CollabCommand::Event { action: EventAction::List { kind, actor, last } } => {
            let events: Vec<Event> = board
                .events()
                .read()?
                .into_iter()
                .filter(|event| kind.is_none_or(|kind| event.kind == kind))
                .filter(|event| actor.as_ref().is_none_or(|actor| event.actor == *actor))
                .collect();
            let skip = last.map_or(0, |last| events.len().saturating_sub(last));
            json(&events[skip..])
        }
        CollabCommand::Validate => {
            let report = validate(board.dir())?;
            let output = json(&report)?;
            if !report.valid {
                print(&output);
                let failed: Vec<&str> = report
                    .files
                    .iter()
                    .filter(|file| !file.errors.is_empty())
                    .map(|file| file.file)
                    .collect();
                anyhow::bail!("schema validation failed for {}", failed.join(", "));
            }
            Ok(output)
        }
    }
}

fn task(board: &Board, action: TaskAction) -> anyhow::Result<String> {
    match action {
        TaskAction::List { status, owner } => {
            let mut tasks = board.read::<TaskBoard>()?;
            tasks.value.tasks.retain(|task| {
                status.is_none_or(|status| task.status == status)
                    && owner.as_ref().is_none_or(|owner| task.owner.as_ref() == Some(owner))
            });
            json(&tasks)
        }
        TaskAction::Add { id, title, depends_on, status, owner, note, actor, precondition } => {
            let new = NewTask { id, title, status, owner, depends_on, note };
            json(&board.add_task(&actor, new, precondition.if_match.as_ref())?)
        }
        TaskAction::Claim { id, owner, precondition } => {
            json(&board.claim_task(&id, &owner, precondition.if_match.as_ref())?)
        }
        TaskAction::Update { id, actor, status, owner, unassign, note, precondition } => {
            let owner = if unassign { Some(None) } else { owner.map(Some) };
            let change = TaskChange { status, owner, note };
            json(&board.update_task(&id, &actor, change, precondition.if_match.as_ref())?)
        }
    }
}

fn lock(board: &Board, action: LockAction) -> anyhow::Result<String> {
    match action {
        LockAction::Acquire { lease, ttl, precondition } => json(&board.acquire_lock(
            &lease.resource,
            &lease.holder,
            Ttl::from_secs(ttl)?,
            precondition.if_match.as_ref(),
        )?),
        LockAction::Renew { lease, ttl, precondition } => json(&board.renew_lock(
            &lease.resource,
            &lease.holder,
            Ttl::from_secs(ttl)?,
            precondition.if_match.as_ref(),
        )?),
        LockAction::Release { lease, precondition } => {
            json(&board.release_lock(&lease.resource, &lease.holder, precondition.if_match.as_ref())?)
        }
        LockAction::Expire { actor, precondition } => {
            json(&board.expire_locks(&actor, precondition.if_match.as_ref())?)
        }
    }
}

fn agent(board: &Board, action: AgentAction) -> anyhow::Result<String> {
    match action {
        AgentAction::Register { name, role, status, precondition } => {
            json(&board.register_agent(&name, role, status, precondition.if_match.as_ref())?)
        }
        AgentAction::Heartbeat { name, status, precondition } => {
            json(&board.heartbeat(&name, status, precondition.if_match.as_ref())?)
        }
    }
}

fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)?)
}
