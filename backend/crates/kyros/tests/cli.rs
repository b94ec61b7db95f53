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

/// A launch post as it sits in a docs site's repository: front matter, MDX imports, JSX
/// components, an image, a code block and links. None of it may reach a post.
#[test]
fn repurpose_reads_a_file_through_the_same_ingestion_as_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let launch = "---\ntitle: Kyros 2.0 is here\nauthor: Ada Lovelace\nimage: https://kyros.dev/hero.png\n---\n\n\
        import Signup from '@site/src/components/Signup';\n\n\
        Kyros 2.0 turns one article into four **ready** posts in under a second. [Read the docs](https://kyros.dev/docs).\n\n\
        <Signup plan=\"pro\" />\n\n![The Studio](/img/studio.png)\n\n## Faster drafts\n\n\
        Drafts now arrive while you are still reading the source. Teams told us review time fell by half.\n\n\
        ```bash\nkyros serve\n```\n\n## Safer exports\n\nEvery export is checked before it leaves. Nothing executable survives.\n";
    std::fs::write(dir.path().join("launch.mdx"), launch).unwrap();
    let output = kyros(dir.path()).args(["repurpose", "launch.mdx", "--format", "md"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let drafts = String::from_utf8(output.stdout).unwrap();
    for residue in
        ["---", "author:", "import ", "<Signup", "![", "](", "**", "```", "hero.png", "kyros.dev/docs"]
    {
        assert!(!drafts.contains(residue), "`{residue}` reached the drafts:\n{drafts}");
    }
    assert!(drafts.contains("Kyros 2.0"), "{drafts}");
    let unknown = kyros(dir.path()).args(["repurpose", "notes.rtf"]).output().unwrap();
    assert!(!unknown.status.success());
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

#[test]
fn admin_creates_the_first_administrator_and_changes_roles() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kyros(dir.path()).arg("admin").args(args).output().unwrap();
    let stderr = |output: &std::process::Output| String::from_utf8_lossy(&output.stderr).into_owned();

    let created = run(&[
        "create-user",
        "--email",
        "Ops@Example.com",
        "--password",
        "correct horse battery",
        "--role",
        "admin",
    ]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(String::from_utf8_lossy(&created.stdout).contains("created admin ops@example.com"));

    let again = run(&["create-user", "--email", "ops@example.com", "--password", "another password"]);
    assert_eq!(again.status.code(), Some(3));
    assert!(stderr(&again).contains("already exists"), "{}", stderr(&again));
    let invalid = run(&["create-user", "--email", "not-an-email", "--password", "short"]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        stderr(&invalid).contains("--email") && stderr(&invalid).contains("--password"),
        "{}",
        stderr(&invalid)
    );
    let bad_role =
        run(&["create-user", "--email", "x@example.com", "--password", "long enough", "--role", "root"]);
    assert_eq!(bad_role.status.code(), Some(2), "clap refuses unknown roles");

    // The password may come from standard input, out of the process list.
    let mut child = kyros(dir.path())
        .args(["admin", "create-user", "--email", "dev@example.com", "--password", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"typed at a prompt\n").unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(String::from_utf8_lossy(&piped.stdout).contains("created user dev@example.com"));

    let last = run(&["set-role", "--email", "ops@example.com", "--role", "user"]);
    assert_eq!(last.status.code(), Some(3), "the last administrator stays");
    assert!(stderr(&last).contains("last administrator"), "{}", stderr(&last));
    let promoted = run(&["set-role", "--email", "dev@example.com", "--role", "admin"]);
    assert!(promoted.status.success(), "{}", stderr(&promoted));
    assert!(String::from_utf8_lossy(&promoted.stdout).contains("dev@example.com is now admin"));
    let unknown = run(&["set-role", "--email", "nobody@example.com", "--role", "admin"]);
    assert_eq!(unknown.status.code(), Some(4));

    let roles = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let url = format!("sqlite://{}", dir.path().join("data/kyros.db").display());
        let db = Database::connect(&url).await.unwrap();
        let sql = "SELECT email, role, password_hash FROM users ORDER BY email";
        let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        let audited =
            "SELECT COUNT(*) AS n FROM audit_events WHERE kind = 'user.role_changed' AND actor_id IS NULL";
        let audited =
            db.query_one_raw(Statement::from_string(db.get_database_backend(), audited)).await.unwrap();
        assert_eq!(audited.unwrap().try_get::<i64>("", "n").unwrap(), 1);
        rows.iter()
            .map(|row| {
                let hash: String = row.try_get("", "password_hash").unwrap();
                assert!(hash.starts_with("$argon2id$"), "stored hashed");
                (row.try_get::<String>("", "email").unwrap(), row.try_get::<String>("", "role").unwrap())
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(
        roles,
        [
            ("dev@example.com".to_owned(), "admin".to_owned()),
            ("ops@example.com".to_owned(), "admin".to_owned())
        ]
    );
}
