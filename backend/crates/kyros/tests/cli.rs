//! The `kyros` command line, run as a user would.

use std::{
    io::Write,
    process::{Command, Stdio},
};

fn kyros(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kyros"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("REDIS_URL")
        .env_remove("KYROS_ENV")
        .env_remove("JWT_SECRET")
        .env("LOG_FORMAT", "pretty");
    command
}

#[test]
fn production_refuses_to_start_without_a_real_jwt_secret() {
    let dir = tempfile::tempdir().unwrap();
    let output = kyros(dir.path()).arg("serve").env("KYROS_ENV", "production").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("JWT_SECRET"), "{stderr}");
}

#[test]
fn migrations_apply_revert_and_report_status_on_the_default_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = kyros(dir.path()).args(args).output().unwrap();
        assert!(output.status.success(), "kyros {args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    run(&["migrate", "up"]);
    assert!(dir.path().join("data/kyros.db").exists(), "the default database lives under ./data");
    let status = run(&["migrate", "status"]);
    let total = <server::migration::Migrator as sea_orm_migration::MigratorTrait>::migrations().len();
    assert_eq!(status.lines().filter(|line| line.starts_with("Applied")).count(), total, "{status}");
    run(&["migrate", "down", "--steps", "1"]);
    let status = run(&["migrate", "status"]);
    assert_eq!(status.lines().filter(|line| line.starts_with("Pending")).count(), 1, "{status}");
}

#[test]
fn repurpose_reads_stdin_and_prints_the_api_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = kyros(dir.path())
        .args(["repurpose", "-", "--channels", "x,linkedin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(include_bytes!("../examples/coffee-grounds.md")).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let variants = result["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["channel"], "x");
    assert_eq!(variants[1]["channel"], "linkedin");
    assert!(variants.iter().all(|v| v["content"].is_string() && v["metadata"].is_object()));
}

#[test]
fn repurpose_rejects_unknown_channels() {
    let dir = tempfile::tempdir().unwrap();
    let output = kyros(dir.path())
        .args(["repurpose", "-", "--channels", "fax"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown channel"));
}

#[test]
fn seed_creates_the_demo_account_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = kyros(dir.path()).arg("seed").output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert_eq!(stdout.matches("Generated").count(), 2, "{stdout}");
    let second = kyros(dir.path()).arg("seed").output().unwrap();
    assert!(String::from_utf8_lossy(&second.stdout).contains("already exists"));
}
