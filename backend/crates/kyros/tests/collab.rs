//! `kyros collab` run as its users run it: several processes on one copy of the committed state.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    time::Duration,
};

use serde_json::Value;

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../collaboration")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch copy of the committed collaboration directory.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&committed(), dir.path());
    dir
}

fn collab(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kyros"));
    command.arg("collab").arg("--dir").arg(dir);
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    collab(dir).args(args).output().unwrap()
}

/// Runs a command that must succeed and returns its JSON output.
fn ok(dir: &Path, args: &[&str]) -> Value {
    let output = run(dir, args);
    assert!(output.status.success(), "kyros collab {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn event_count(dir: &Path) -> usize {
    fs::read_to_string(dir.join("events/events.jsonl")).unwrap().lines().count()
}

#[test]
fn racing_processes_for_one_lock_have_exactly_one_winner() {
    let dir = scratch();
    let events_before = event_count(dir.path());
    for round in 0..3 {
        let resource = format!("race-{round}");
        // Hold the state file's write lock while the racers start, so that they all read the
        // same ETag and then meet at the compare-and-swap together.
        let gate = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.path().join("state/.locks.json.lock"))
            .unwrap();
        gate.lock().unwrap();
        let racers: Vec<_> = (0..6)
            .map(|n| {
                collab(dir.path())
                    .args(["lock", "acquire", "--resource", &resource, "--holder", &format!("racer-{n}")])
                    .args(["--ttl", "60"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        gate.unlock().unwrap();
        let outputs: Vec<Output> =
            racers.into_iter().map(|racer| racer.wait_with_output().unwrap()).collect();

        let winners: Vec<&Output> = outputs.iter().filter(|output| output.status.success()).collect();
        assert_eq!(winners.len(), 1, "round {round}: {:?}", outputs.iter().map(stderr).collect::<Vec<_>>());
        let granted: Value = serde_json::from_slice(&winners[0].stdout).unwrap();
        let winner = granted["result"]["lease"]["holder"].as_str().unwrap().to_owned();
        for loser in outputs.iter().filter(|output| !output.status.success()) {
            assert_eq!(loser.status.code(), Some(1));
            assert!(
                stderr(loser).contains(&format!("{resource} is held by {winner} until")),
                "{}",
                stderr(loser)
            );
        }
        let locks: Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join("state/locks.json")).unwrap()).unwrap();
        assert_eq!(locks["leases"][&resource]["holder"], winner.as_str());
    }
    assert_eq!(event_count(dir.path()), events_before + 3, "one event per granted lease");
    ok(dir.path(), &["validate"]);
}

#[test]
fn a_held_lock_is_refused_with_exit_1_naming_the_holder_until_it_is_released() {
    let dir = scratch();
    let acquire =
        |holder: &str| run(dir.path(), &["lock", "acquire", "--resource", "port:8000", "--holder", holder]);
    assert!(acquire("alice").status.success());
    let refused = acquire("bob");
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("port:8000 is held by alice until"), "{}", stderr(&refused));
    assert!(refused.stdout.is_empty());

    let not_holder = run(dir.path(), &["lock", "release", "--resource", "port:8000", "--holder", "bob"]);
    assert_eq!(not_holder.status.code(), Some(1));
    assert!(stderr(&not_holder).contains("not held by bob (held by alice)"), "{}", stderr(&not_holder));

    let renewed =
        ok(dir.path(), &["lock", "renew", "--resource", "port:8000", "--holder", "alice", "--ttl", "600"]);
    assert_eq!(renewed["event"]["kind"], "lock.renewed");
    ok(dir.path(), &["lock", "release", "--resource", "port:8000", "--holder", "alice"]);
    assert!(acquire("bob").status.success());
    let swept = ok(dir.path(), &["lock", "expire"]);
    assert_eq!(swept["result"]["expired"], Value::Array(vec![]), "bob's lease is live");
    assert_eq!(swept["event"], Value::Null, "a sweep that removes nothing logs nothing");
}

#[test]
fn a_change_with_a_stale_etag_is_refused_with_exit_1() {
    let dir = scratch();
    let status = ok(dir.path(), &["status"]);
    let seen = status["etags"]["tasks"].as_str().unwrap().to_owned();
    let add = |id: &str, etag: &str| {
        run(
            dir.path(),
            &[
                "task",
                "add",
                "--id",
                id,
                "--title",
                "Try the thing",
                "--actor",
                "planner",
                "--if-match",
                etag,
            ],
        )
    };
    let first = add("stale-etag-one", &seen);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = add("stale-etag-two", &seen);
    assert_eq!(second.status.code(), Some(1));
    assert!(stderr(&second).contains("changed since it was read"), "{}", stderr(&second));
    assert!(stderr(&second).contains(&seen), "the message names the ETag it expected");
    let tasks = ok(dir.path(), &["task", "list"]);
    let ids: Vec<&str> =
        tasks["tasks"].as_array().unwrap().iter().map(|task| task["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"stale-etag-one") && !ids.contains(&"stale-etag-two"));
}

#[test]
fn malformed_commands_exit_2() {
    let dir = scratch();
    for args in [
        &["lock", "acquire", "--resource", "r", "--holder", "alice", "--ttl", "0"][..],
        &["lock", "acquire", "--resource", "r", "--holder", "two words"],
        &["lock", "acquire", "--resource", "r"],
        &["task", "update", "--id", "engine", "--actor", "alice"],
        &["task", "update", "--id", "engine", "--actor", "alice", "--owner", "bob", "--unassign"],
        &["task", "add", "--id", "Not-A-Slug", "--title", "t", "--actor", "planner"],
        &["task", "add", "--id", "blank-title", "--title", " ", "--actor", "planner"],
        &["task", "list", "--status", "finished"],
        &["teleport"],
    ] {
        let output = run(dir.path(), args);
        assert_eq!(output.status.code(), Some(2), "kyros collab {args:?}: {}", stderr(&output));
    }
    assert_eq!(
        fs::read(dir.path().join("events/events.jsonl")).unwrap(),
        fs::read(committed().join("events/events.jsonl")).unwrap()
    );
}

#[test]
fn tasks_are_added_claimed_handed_over_and_listed_with_events() {
    let dir = scratch();
    let before = event_count(dir.path());
    let added = ok(
        dir.path(),
        &[
            "task",
            "add",
            "--id",
            "cli-story",
            "--title",
            "Tell the CLI story",
            "--actor",
            "planner",
            "--note",
            "first",
        ],
    );
    assert_eq!(added["result"]["status"], "todo");
    assert_eq!(added["event"]["kind"], "task.added");
    let claimed = ok(dir.path(), &["task", "claim", "--id", "cli-story", "--owner", "implementer-1"]);
    assert_eq!(claimed["result"]["owner"], "implementer-1");
    assert_eq!(claimed["result"]["status"], "in_progress");

    let taken = run(dir.path(), &["task", "claim", "--id", "cli-story", "--owner", "implementer-2"]);
    assert_eq!(taken.status.code(), Some(1));
    assert!(stderr(&taken).contains("owned by implementer-1"));

    let review = ok(
        dir.path(),
        &[
            "task",
            "update",
            "--id",
            "cli-story",
            "--actor",
            "implementer-1",
            "--status",
            "review",
            "--owner",
            "critic-1",
        ],
    );
    assert_eq!(review["result"]["owner"], "critic-1");
    let mine = ok(dir.path(), &["task", "list", "--owner", "critic-1"]);
    assert_eq!(mine["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(mine["etag"], review["etag"]);

    let events = ok(dir.path(), &["event", "list", "--last", "3"]);
    let kinds: Vec<&str> =
        events.as_array().unwrap().iter().map(|event| event["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["task.added", "task.claimed", "task.updated"]);
    let claims = ok(dir.path(), &["event", "list", "--kind", "task.claimed", "--actor", "implementer-1"]);
    assert_eq!(claims.as_array().unwrap().len(), 1);
    assert_eq!(event_count(dir.path()), before + 3);

    ok(dir.path(), &["agent", "register", "--name", "critic-1", "--role", "critic"]);
    let seen = ok(dir.path(), &["agent", "heartbeat", "--name", "critic-1", "--status", "idle"]);
    assert_eq!(seen["result"]["status"], "idle");
    let status = ok(dir.path(), &["status"]);
    assert_eq!(status["agents"]["critic-1"]["role"], "critic");
    assert!(status["tasks"]["review"].as_u64().unwrap() >= 1);
    assert_eq!(status["last_event"]["kind"], "agent.heartbeat");
    ok(dir.path(), &["validate"]);
}

#[test]
fn validate_exits_1_and_reports_a_broken_state_file() {
    let dir = scratch();
    let tasks_path = dir.path().join("state/tasks.json");
    let broken = fs::read_to_string(&tasks_path).unwrap().replacen(
        "\"status\": \"done\"",
        "\"status\": \"finished\"",
        1,
    );
    fs::write(&tasks_path, broken).unwrap();
    let output = run(dir.path(), &["validate"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("state/tasks.json"), "{}", stderr(&output));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["valid"], false);
    assert!(report["files"][0]["errors"][0].as_str().unwrap().contains("/status"), "{report}");
}

#[test]
fn init_lays_out_a_new_directory() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("collaboration");
    let created = ok(&target, &["init"]);
    assert_eq!(created["created"].as_array().unwrap().len(), 4);
    let status = ok(&target, &["status"]);
    assert_eq!(status["events"], 0);
    assert_eq!(ok(&target, &["init"])["created"], Value::Array(vec![]));
}
