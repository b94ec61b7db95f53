//! The JSON Schemas in `collaboration/schemas/` against the committed state and against
//! everything the board writes.

use std::{
    cell::Cell,
    fs,
    path::{Path, PathBuf},
};

use chrono::{DateTime, Duration};
use collab::{AgentStatus, Board, Name, NewTask, Resource, Role, TaskChange, TaskStatus, Ttl, validate};
use serde_json::{Value, json};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../collaboration")
}

/// A fresh directory with the committed schemas and empty state.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("schemas")).unwrap();
    for entry in fs::read_dir(committed().join("schemas")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join("schemas").join(entry.file_name())).unwrap();
    }
    Board::open(dir.path()).init().unwrap();
    dir
}

fn name(value: &str) -> Name {
    value.parse().unwrap()
}

fn errors_of(dir: &Path, file: &str) -> Vec<String> {
    let report = validate(dir).unwrap();
    assert!(!report.valid);
    report.files.into_iter().find(|report| report.file == file).unwrap().errors
}

#[test]
fn the_committed_state_and_every_event_line_match_the_schemas() {
    let report = validate(&committed()).unwrap();
    assert!(report.valid, "{report:#?}");
    let files: Vec<&str> = report.files.iter().map(|file| file.file).collect();
    assert_eq!(files, ["state/tasks.json", "state/locks.json", "state/agents.json", "events/events.jsonl"]);
    let lines = fs::read_to_string(committed().join("events/events.jsonl")).unwrap().lines().count();
    assert!(lines > 0, "the committed log records how the initial state was made");
    assert_eq!(report.files[3].documents, lines, "every line was checked");
}

#[test]
fn everything_the_board_writes_matches_the_schemas() {
    let dir = scratch();
    let now = Cell::new(DateTime::from_timestamp(1_800_000_000, 0).unwrap());
    let board = Board::with_clock(dir.path(), || now.get());
    let (planner, alice, bob) = (name("planner"), name("alice"), name("bob"));
    let resource: Resource = "backend/Cargo.toml".parse().unwrap();
    let ttl = Ttl::from_secs(60).unwrap();

    board.register_agent(&alice, Role::Implementer, AgentStatus::Active, None).unwrap();
    board.heartbeat(&alice, AgentStatus::Idle, None).unwrap();
    let task = |id: &str, depends_on: Vec<&str>| NewTask {
        id: id.parse().unwrap(),
        title: format!("Build the {id}"),
        status: TaskStatus::Todo,
        owner: None,
        depends_on: depends_on.into_iter().map(|id| id.parse().unwrap()).collect(),
        note: Some("from the design brief".into()),
    };
    board.add_task(&planner, task("engine", vec![]), None).unwrap();
    board.add_task(&planner, task("console", vec!["engine"]), None).unwrap();
    board.claim_task(&"engine".parse().unwrap(), &alice, None).unwrap();
    let handover =
        TaskChange { status: Some(TaskStatus::Review), owner: Some(Some(bob.clone())), note: None };
    board.update_task(&"engine".parse().unwrap(), &alice, handover, None).unwrap();
    board.acquire_lock(&resource, &alice, ttl, None).unwrap();
    board.renew_lock(&resource, &alice, ttl, None).unwrap();
    now.set(now.get() + Duration::minutes(5));
    board.acquire_lock(&resource, &bob, ttl, None).unwrap();
    board.release_lock(&resource, &bob, None).unwrap();
    board.acquire_lock(&"port:8000".parse().unwrap(), &alice, ttl, None).unwrap();
    now.set(now.get() + Duration::minutes(5));
    board.expire_locks(&name("watchdog"), None).unwrap();

    let report = validate(dir.path()).unwrap();
    assert!(report.valid, "{report:#?}");
    let kinds: Vec<String> =
        board.events().read().unwrap().iter().map(|event| event.kind.to_string()).collect();
    assert_eq!(kinds.len(), 11);
    assert_eq!(report.files[3].documents, 11);
}

#[test]
fn a_wrong_field_is_reported_where_it_is() {
    let dir = scratch();
    let tasks = json!({
        "version": 1,
        "tasks": [{
            "id": "engine",
            "title": "Build the engine",
            "status": "finished",
            "owner": null,
            "updated_at": "2026-11-20T10:00:00Z"
        }]
    });
    fs::write(dir.path().join("state/tasks.json"), tasks.to_string()).unwrap();
    let errors = errors_of(dir.path(), "state/tasks.json");
    assert!(errors.iter().any(|error| error.starts_with("at '/tasks/0/status'")), "{errors:?}");
    assert!(errors.iter().any(|error| error.starts_with("does not parse")), "{errors:?}");
}

#[test]
fn what_a_schema_cannot_say_is_checked_too() {
    let dir = scratch();
    let task = |id: &str, depends_on: Value| {
        json!({ "id": id, "title": "t", "status": "todo", "owner": null,
                "depends_on": depends_on, "updated_at": "2026-11-20T10:00:00Z" })
    };
    let tasks = json!({ "version": 1, "tasks": [task("a", json!([])), task("a", json!(["ghost"]))] });
    fs::write(dir.path().join("state/tasks.json"), tasks.to_string()).unwrap();
    assert_eq!(
        errors_of(dir.path(), "state/tasks.json"),
        ["task a appears more than once", "task a depends on unknown task ghost"]
    );
}

#[test]
fn bad_leases_agents_and_event_lines_are_reported() {
    let dir = scratch();
    let locks = json!({ "version": 1, "leases": { "has space": {
        "holder": "alice", "acquired_at": "yesterday", "expires_at": "2026-11-20T10:00:00Z" } } });
    fs::write(dir.path().join("state/locks.json"), locks.to_string()).unwrap();
    let agents = json!({ "version": 1, "agents": { "alice": { "role": "boss", "status": "active", "last_seen": null } } });
    fs::write(dir.path().join("state/agents.json"), agents.to_string()).unwrap();
    let good = json!({ "id": "0193a0c2-7c1e-7000-8000-000000000001", "ts": "2026-11-20T10:00:00Z",
        "actor": "alice", "kind": "lock.released",
        "payload": { "resource": "r", "lease": { "holder": "alice",
            "acquired_at": "2026-11-20T10:00:00Z", "expires_at": "2026-11-20T10:01:00Z" } } });
    let wrong_payload = json!({ "id": "0193a0c2-7c1e-7000-8000-000000000002", "ts": "2026-11-20T10:00:00Z",
        "actor": "alice", "kind": "task.claimed", "payload": { "resource": "r" } });
    fs::write(dir.path().join("events/events.jsonl"), format!("{good}\n{wrong_payload}\nnot json")).unwrap();

    let report = validate(dir.path()).unwrap();
    let errors = |file: &str| report.files.iter().find(|report| report.file == file).unwrap().errors.clone();
    let locks = errors("state/locks.json");
    assert!(locks.iter().any(|error| error.contains("has space")), "{locks:?}");
    assert!(locks.iter().any(|error| error.contains("/leases/has space/acquired_at")), "{locks:?}");
    assert!(errors("state/agents.json").iter().any(|error| error.contains("/agents/alice/role")));
    let events = errors("events/events.jsonl");
    assert!(events.iter().all(|error| !error.starts_with("line 1:")), "line 1 is fine: {events:?}");
    assert!(events.iter().any(|error| error.starts_with("line 2: at '/payload'")), "{events:?}");
    assert!(events.iter().any(|error| error.starts_with("line 3: not JSON")), "{events:?}");
    assert!(events.iter().any(|error| error.contains("does not end with a newline")), "{events:?}");
}

#[test]
fn a_missing_schema_is_an_error_not_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    Board::open(dir.path()).init().unwrap();
    assert!(matches!(validate(dir.path()), Err(collab::Error::Io { .. })));
    fs::create_dir(dir.path().join("schemas")).unwrap();
    fs::write(dir.path().join("schemas/tasks.schema.json"), "{\"type\": 7}").unwrap();
    assert!(matches!(validate(dir.path()), Err(collab::Error::Schema { .. })));
}
