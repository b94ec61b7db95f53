//! The board as its users drive it: each change one compare-and-swap and one event line.

use std::{cell::Cell, fs, path::Path};

use chrono::{DateTime, Duration, Utc};
use collab::{
    AgentStatus, Board, Error, EventKind, LockTable, Name, NewTask, Resource, Role, TaskBoard, TaskChange,
    TaskId, TaskStatus, Ttl,
};

fn name(value: &str) -> Name {
    value.parse().unwrap()
}

fn task_id(value: &str) -> TaskId {
    value.parse().unwrap()
}

fn resource() -> Resource {
    "backend/Cargo.toml".parse().unwrap()
}

fn start() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn event_lines(dir: &Path) -> usize {
    fs::read_to_string(dir.join(collab::EVENTS_FILE)).unwrap().lines().count()
}

fn new_task(id: &str) -> NewTask {
    NewTask {
        id: task_id(id),
        title: format!("Build the {id}"),
        status: TaskStatus::Todo,
        owner: None,
        depends_on: Vec::new(),
        note: None,
    }
}

#[test]
fn init_lays_out_empty_state_once() {
    let dir = tempfile::tempdir().unwrap();
    let board = Board::open(dir.path());
    assert_eq!(board.init().unwrap().len(), 4);
    assert_eq!(board.read::<TaskBoard>().unwrap().value, TaskBoard::default());
    assert_eq!(board.read::<LockTable>().unwrap().value, LockTable::default());
    assert!(board.init().unwrap().is_empty(), "a second init creates nothing");
    assert_eq!(event_lines(dir.path()), 0);
}

#[test]
fn every_change_appends_one_event_naming_actor_kind_and_result() {
    let dir = tempfile::tempdir().unwrap();
    let board = Board::open(dir.path());
    board.init().unwrap();
    let (planner, alice) = (name("planner"), name("alice"));

    board.register_agent(&alice, Role::Implementer, AgentStatus::Active, None).unwrap();
    board.add_task(&planner, new_task("engine"), None).unwrap();
    let claimed = board.claim_task(&task_id("engine"), &alice, None).unwrap();
    board.acquire_lock(&resource(), &alice, Ttl::from_secs(60).unwrap(), None).unwrap();
    board.heartbeat(&alice, AgentStatus::Idle, None).unwrap();

    let events = board.events().read().unwrap();
    let kinds: Vec<EventKind> = events.iter().map(|event| event.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::AgentRegistered,
            EventKind::TaskAdded,
            EventKind::TaskClaimed,
            EventKind::LockAcquired,
            EventKind::AgentHeartbeat
        ]
    );
    assert_eq!(events[1].actor, planner);
    assert_eq!(events[2].actor, alice);
    assert_eq!(events[2].payload["owner"], "alice");
    assert_eq!(events[2].payload["status"], "in_progress");
    assert_eq!(claimed.event.as_ref().unwrap(), &events[2]);
    assert_eq!(events[3].payload["resource"], "backend/Cargo.toml");
    assert_eq!(events[3].payload["lease"]["holder"], "alice");
    assert!(events.windows(2).all(|pair| pair[0].id < pair[1].id), "ids are time-ordered");
    assert_eq!(event_lines(dir.path()), 5);
}

#[test]
fn a_refused_change_writes_nothing_and_logs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let board = Board::open(dir.path());
    board.init().unwrap();
    let ttl = Ttl::from_secs(60).unwrap();
    board.acquire_lock(&resource(), &name("alice"), ttl, None).unwrap();
    let before = board.read::<LockTable>().unwrap();

    assert!(matches!(board.acquire_lock(&resource(), &name("bob"), ttl, None), Err(Error::LockHeld { .. })));
    assert!(matches!(
        board.renew_lock(&resource(), &name("bob"), ttl, None),
        Err(Error::NotLockHolder { .. })
    ));
    assert!(matches!(board.release_lock(&resource(), &name("bob"), None), Err(Error::NotLockHolder { .. })));

    assert_eq!(board.read::<LockTable>().unwrap().etag, before.etag);
    assert_eq!(event_lines(dir.path()), 1);
}

#[test]
fn a_change_with_a_stale_etag_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let board = Board::open(dir.path());
    board.init().unwrap();
    let seen = board.read::<TaskBoard>().unwrap().etag;
    let added = board.add_task(&name("planner"), new_task("engine"), Some(&seen)).unwrap();
    assert_ne!(added.etag, seen);

    // A second writer still holding the ETag it read before the first change.
    let error = board.add_task(&name("planner"), new_task("console"), Some(&seen)).unwrap_err();
    match error {
        Error::StaleEtag { expected, actual, .. } => {
            assert_eq!(expected, seen);
            assert_eq!(actual, added.etag);
        }
        other => panic!("expected a stale ETag, got {other}"),
    }
    assert_eq!(board.read::<TaskBoard>().unwrap().value.tasks.len(), 1);
    assert_eq!(event_lines(dir.path()), 1);
    assert!(board.add_task(&name("planner"), new_task("console"), Some(&added.etag)).is_ok());
}

#[test]
fn an_expired_lease_is_taken_over_as_the_clock_moves() {
    let dir = tempfile::tempdir().unwrap();
    let now = Cell::new(start());
    let board = Board::with_clock(dir.path(), || now.get());
    board.init().unwrap();
    let ttl = Ttl::from_secs(60).unwrap();
    board.acquire_lock(&resource(), &name("alice"), ttl, None).unwrap();

    now.set(start() + Duration::seconds(59));
    assert!(matches!(board.acquire_lock(&resource(), &name("bob"), ttl, None), Err(Error::LockHeld { .. })));
    assert_eq!(board.status().unwrap().live_leases.len(), 1);

    now.set(start() + Duration::seconds(60));
    let status = board.status().unwrap();
    assert!(status.live_leases.is_empty());
    assert_eq!(status.expired_leases, [resource()]);
    let taken = board.acquire_lock(&resource(), &name("bob"), ttl, None).unwrap();
    assert_eq!(taken.result.lease.holder, name("bob"));
    assert_eq!(taken.result.taken_over_from.unwrap().holder, name("alice"));
    assert!(matches!(
        board.renew_lock(&resource(), &name("alice"), ttl, None),
        Err(Error::NotLockHolder { .. })
    ));
    assert_eq!(board.events().read().unwrap().last().unwrap().payload["taken_over_from"]["holder"], "alice");
}

#[test]
fn a_sweep_logs_only_when_it_removed_something() {
    let dir = tempfile::tempdir().unwrap();
    let now = Cell::new(start());
    let board = Board::with_clock(dir.path(), || now.get());
    board.init().unwrap();
    let watchdog = name("watchdog");
    board.acquire_lock(&resource(), &name("alice"), Ttl::from_secs(10).unwrap(), None).unwrap();

    let nothing = board.expire_locks(&watchdog, None).unwrap();
    assert!(nothing.result.expired.is_empty() && nothing.event.is_none());
    assert_eq!(event_lines(dir.path()), 1);

    now.set(start() + Duration::seconds(11));
    let swept = board.expire_locks(&watchdog, None).unwrap();
    assert_eq!(swept.result.expired.len(), 1);
    assert_eq!(swept.event.unwrap().kind, EventKind::LockExpired);
    assert!(board.read::<LockTable>().unwrap().value.leases.is_empty());
    assert_eq!(event_lines(dir.path()), 2);
}

#[test]
fn the_holder_renews_and_releases() {
    let dir = tempfile::tempdir().unwrap();
    let now = Cell::new(start());
    let board = Board::with_clock(dir.path(), || now.get());
    board.init().unwrap();
    let alice = name("alice");
    board.acquire_lock(&resource(), &alice, Ttl::from_secs(60).unwrap(), None).unwrap();
    now.set(start() + Duration::seconds(30));
    let renewed = board.renew_lock(&resource(), &alice, Ttl::from_secs(60).unwrap(), None).unwrap();
    assert_eq!(renewed.result.lease.expires_at, start() + Duration::seconds(90));
    board.release_lock(&resource(), &alice, None).unwrap();
    assert!(board.read::<LockTable>().unwrap().value.leases.is_empty());
    let kinds: Vec<_> = board.events().read().unwrap().into_iter().map(|event| event.kind).collect();
    assert_eq!(kinds, [EventKind::LockAcquired, EventKind::LockRenewed, EventKind::LockReleased]);
}

#[test]
fn racing_boards_in_threads_grant_a_lease_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    Board::open(dir.path()).init().unwrap();
    let outcomes: Vec<bool> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..8)
            .map(|n| {
                let path = dir.path();
                scope.spawn(move || {
                    let board = Board::open(path);
                    let holder = name(&format!("racer-{n}"));
                    match board.acquire_lock(&resource(), &holder, Ttl::from_secs(60).unwrap(), None) {
                        Ok(_) => true,
                        Err(Error::LockHeld { .. }) => false,
                        Err(other) => panic!("unexpected {other}"),
                    }
                })
            })
            .collect();
        racers.into_iter().map(|racer| racer.join().unwrap()).collect()
    });
    assert_eq!(outcomes.iter().filter(|won| **won).count(), 1);
    assert_eq!(event_lines(dir.path()), 1);
}

#[test]
fn task_updates_go_through_the_board_with_ownership_rules() {
    let dir = tempfile::tempdir().unwrap();
    let board = Board::open(dir.path());
    board.init().unwrap();
    let (alice, bob) = (name("alice"), name("bob"));
    board.add_task(&name("planner"), new_task("engine"), None).unwrap();
    board.claim_task(&task_id("engine"), &alice, None).unwrap();
    let to_review = TaskChange {
        status: Some(TaskStatus::Review),
        owner: Some(Some(bob.clone())),
        note: Some("tests green".into()),
    };
    assert!(matches!(
        board.update_task(&task_id("engine"), &bob, to_review.clone(), None),
        Err(Error::NotTaskOwner { .. })
    ));
    let handed = board.update_task(&task_id("engine"), &alice, to_review, None).unwrap();
    assert_eq!(handed.result.owner, Some(bob));
    let status = board.status().unwrap();
    assert_eq!(status.tasks[&TaskStatus::Review], 1);
    assert_eq!(status.tasks[&TaskStatus::Todo], 0);
    assert_eq!(status.events, 3);
    assert_eq!(status.last_event.unwrap().kind, EventKind::TaskUpdated);
}
