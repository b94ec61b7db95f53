//! Native publishing through the API against loopback X, LinkedIn and Mastodon (`fakenets`):
//! connecting through the consent page, threads posted part by part exactly once across
//! failures, rate limits, and a revoked token that asks for a reconnect.

use chrono::Duration;
use fakenets::{Failure, linkedin as fake_linkedin, mastodon as fake_mastodon, x as fake_x};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use url::Url;

use crate::{
    common::{TestApp, TestUser, assert_problem, error_fields},
    schedules::local_nine,
};

const CONSOLE: &str = "http://127.0.0.1:3001";

/// The settings that point an app at the fake X, with retries 30 s apart.
pub(crate) fn x_settings(fake: &fake_x::FakeX) -> Vec<(&'static str, String)> {
    vec![
        ("PUBLIC_CONSOLE_URL", CONSOLE.to_owned()),
        ("X_CLIENT_ID", fake_x::CLIENT_ID.to_owned()),
        ("X_CLIENT_SECRET", fake_x::CLIENT_SECRET.to_owned()),
        ("X_API_URL", fake.base_url().to_string()),
        ("X_AUTHORIZE_URL", fake.authorize_url().to_string()),
        ("X_TOKEN_URL", fake.token_url().to_string()),
        ("PUBLISH_RETRY_BASE_SECONDS", "30".to_owned()),
    ]
}

async fn x_app(fake: &fake_x::FakeX) -> TestApp {
    let settings = x_settings(fake);
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(name, value)| (*name, value.as_str())).collect();
    TestApp::sqlite_with(&pairs).await
}

/// Starts connecting, approves the consent page and completes through the API: 201 for a new
/// account, 200 for one connected before.
pub(crate) async fn connect(
    app: &TestApp,
    user: &TestUser,
    network: &str,
    body: Value,
    expected: StatusCode,
) -> Value {
    let started = app.post(&format!("/connections/{network}/authorize"), Some(&user.token), body).await;
    assert_eq!(started.status(), StatusCode::OK);
    let started: Value = started.json().await.unwrap();
    let back = fakenets::approve(&Url::parse(started["authorize_url"].as_str().unwrap()).unwrap()).await;
    assert!(back.as_str().starts_with(&format!("{CONSOLE}/connections/callback?")), "{back}");
    let query = |name: &str| back.query_pairs().find(|(key, _)| key == name).unwrap().1.into_owned();
    let (code, state) = (query("code"), query("state"));
    let completed =
        app.post("/connections/callback", Some(&user.token), json!({ "state": state, "code": code })).await;
    assert_eq!(completed.status(), expected);
    // The state answers once.
    let again =
        app.post("/connections/callback", Some(&user.token), json!({ "state": state, "code": code })).await;
    assert_eq!(error_fields(&assert_problem(again, StatusCode::UNPROCESSABLE_ENTITY).await), ["state"]);
    completed.json().await.unwrap()
}

/// The user's generated post for `channel`, edited to `content` and accepted.
pub(crate) async fn accepted_post(app: &TestApp, user: &TestUser, channel: &str, content: &str) -> String {
    let job = app.generated_job(user).await;
    let variant = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == channel).unwrap();
    let id = variant["id"].as_str().unwrap().to_owned();
    let edited = app
        .send_json(
            Method::PUT,
            &format!("/variants/{id}"),
            Some(&user.token),
            json!({ "content": content, "accepted": true }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK, "{}", edited.text().await.unwrap());
    id
}

/// Schedules the post to the account two days ahead; returns the schedule and its time.
pub(crate) async fn schedule(
    app: &TestApp,
    user: &TestUser,
    variant: &str,
    connection: &Value,
) -> (String, chrono::DateTime<chrono::Utc>) {
    let created = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({
                "variant_id": variant,
                "run_at": local_nine(chrono_tz::UTC, 2),
                "timezone": "UTC",
                "connection_id": connection["id"],
            }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let at = created["next_run_at"].as_str().unwrap().parse().unwrap();
    (created["id"].as_str().unwrap().to_owned(), at)
}

async fn runs(app: &TestApp, user: &TestUser, schedule: &str) -> Vec<Value> {
    let runs: Value =
        app.get(&format!("/schedule/{schedule}/runs"), Some(&user.token)).await.json().await.unwrap();
    runs["items"].as_array().unwrap().clone()
}

pub(crate) const THREAD: &str = "Rye & Crumb moved to a four-day week and sales went up. 1/3\n\n\
    Bakers now start later and the morning queue is shorter. 2/3\n\n\
    The shop closes on Mondays, and customers found the new hours at once. 3/3";

#[tokio::test]
async fn an_x_thread_is_published_once_part_by_part_even_when_the_network_fails_midway() {
    let fake = fake_x::spawn().await;
    let app = x_app(&fake).await;
    let user = app.user().await;
    let connection = connect(&app, &user, "x", json!({}), StatusCode::CREATED).await;
    assert_eq!(connection["handle"], format!("@{}", fake_x::USERNAME));
    assert_eq!(connection["network"], "x");

    let variant = accepted_post(&app, &user, "x", THREAD).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &connection).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());
    // The first part goes out, then X fails: the run waits, the first part stays recorded.
    fake.fail_after(1, 2, Failure::Unavailable);
    let report = scheduler.tick_at(at + Duration::seconds(1)).await.unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    assert_eq!(fake.posts().len(), 1);
    // The next attempt fails before posting anything; the one after finishes the thread.
    // Later attempts resume after the last recorded part; nothing is posted twice.
    for minutes in [5, 15, 45] {
        scheduler.tick_at(at + Duration::minutes(minutes)).await.unwrap();
    }
    let posts = fake.posts();
    assert_eq!(posts.len(), 3, "{posts:#?}");
    assert_eq!(posts[0].reply_to, None);
    assert_eq!(posts[1].reply_to.as_deref(), Some(posts[0].id.as_str()));
    assert_eq!(posts[2].reply_to.as_deref(), Some(posts[1].id.as_str()));
    assert!(posts[2].text.ends_with("3/3"));
    let runs = runs(&app, &user, &schedule_id).await;
    assert_eq!(runs[0]["status"], "published", "{runs:#?}");
    assert_eq!(runs[0]["published_url"], format!("https://x.com/i/web/status/{}", posts[0].id));
}

#[tokio::test]
async fn an_x_part_whose_answer_was_lost_is_found_on_retry_not_posted_again() {
    let fake = fake_x::spawn().await;
    let app = x_app(&fake).await;
    let user = app.user().await;
    let connection = connect(&app, &user, "x", json!({}), StatusCode::CREATED).await;
    let variant = accepted_post(&app, &user, "x", THREAD).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &connection).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());
    // X creates the second part, but its answer never arrives: the run cannot know.
    fake.fail_after(1, 1, Failure::AnswerLost);
    let report = scheduler.tick_at(at + Duration::seconds(1)).await.unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    assert_eq!(fake.posts().len(), 2);
    scheduler.tick_at(at + Duration::minutes(5)).await.unwrap();
    let posts = fake.posts();
    assert_eq!(posts.len(), 3, "the second part is found and kept, the third posted: {posts:#?}");
    assert_eq!(posts[1].reply_to.as_deref(), Some(posts[0].id.as_str()));
    assert_eq!(posts[2].reply_to.as_deref(), Some(posts[1].id.as_str()));
    let runs = runs(&app, &user, &schedule_id).await;
    assert_eq!(runs[0]["status"], "published", "{runs:#?}");
}

#[tokio::test]
async fn a_rate_limit_waits_for_the_reset_and_a_revoked_token_asks_for_a_reconnect() {
    let fake = fake_x::spawn().await;
    let app = x_app(&fake).await;
    let user = app.user().await;
    let connection = connect(&app, &user, "x", json!({}), StatusCode::CREATED).await;
    let variant =
        accepted_post(&app, &user, "x", "Rye & Crumb moved to a four-day week and sales went up.").await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &connection).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());

    let reset = at + Duration::hours(2);
    fake.fail_next(1, Failure::RateLimited { reset_at: reset });
    scheduler.tick_at(at + Duration::seconds(1)).await.unwrap();
    let run = &runs(&app, &user, &schedule_id).await[0];
    assert_eq!(run["status"], "retrying");
    let next: chrono::DateTime<chrono::Utc> = run["next_attempt_at"].as_str().unwrap().parse().unwrap();
    assert!(next >= reset, "{next} before the reset {reset}");

    fake.revoke_all();
    scheduler.tick_at(reset + Duration::minutes(1)).await.unwrap();
    let run = &runs(&app, &user, &schedule_id).await[0];
    assert_eq!(run["status"], "failed", "{run:#}");
    assert!(run["last_error"].as_str().unwrap().starts_with("Reconnect @"), "{run:#}");
    assert!(fake.posts().is_empty());
    let listed: Value = app.get("/connections", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(listed["items"][0]["status"], "needs_reconnect");
    // New posts cannot be scheduled to it until it is connected again, which clears the state.
    let refused = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant, "run_at": local_nine(chrono_tz::UTC, 3), "timezone": "UTC", "connection_id": connection["id"] }),
        )
        .await;
    assert_eq!(
        error_fields(&assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["connection_id"]
    );
    let again = connect(&app, &user, "x", json!({}), StatusCode::OK).await;
    assert_eq!((again["id"].clone(), again["status"].clone()), (connection["id"].clone(), json!("active")));
}

/// An app pointed at the fake LinkedIn, with retries 30 s apart and `extra` settings.
/// The app pointed at the fake LinkedIn with `extra` settings, on PostgreSQL or SQLite; `None`
/// when PostgreSQL is asked for and not reachable.
pub(crate) async fn linkedin_app_on(
    postgres: bool,
    fake: &fake_linkedin::FakeLinkedin,
    extra: &[(&str, &str)],
) -> Option<TestApp> {
    let (api, authorize, token) =
        (fake.base_url().to_string(), fake.authorize_url().to_string(), fake.token_url().to_string());
    let mut settings = vec![
        ("PUBLIC_CONSOLE_URL", CONSOLE),
        ("LINKEDIN_CLIENT_ID", fake_linkedin::CLIENT_ID),
        ("LINKEDIN_CLIENT_SECRET", fake_linkedin::CLIENT_SECRET),
        ("LINKEDIN_API_URL", api.as_str()),
        ("LINKEDIN_AUTHORIZE_URL", authorize.as_str()),
        ("LINKEDIN_TOKEN_URL", token.as_str()),
        ("PUBLISH_RETRY_BASE_SECONDS", "30"),
    ];
    settings.extend_from_slice(extra);
    TestApp::on_with(postgres, &settings).await
}

pub(crate) async fn linkedin_app_with(fake: &fake_linkedin::FakeLinkedin, extra: &[(&str, &str)]) -> TestApp {
    linkedin_app_on(false, fake, extra).await.expect("SQLite is always there")
}

async fn linkedin_app(fake: &fake_linkedin::FakeLinkedin) -> TestApp {
    linkedin_app_with(fake, &[]).await
}

#[tokio::test]
async fn linkedin_posts_once_with_its_commentary_escaped() {
    let fake = fake_linkedin::spawn().await;
    let app = linkedin_app(&fake).await;
    let user = app.user().await;
    let connection = connect(&app, &user, "linkedin", json!({}), StatusCode::CREATED).await;
    assert_eq!(connection["display_name"], fake_linkedin::NAME);
    let text = "Rye & Crumb (our bakery) moved to a four-day week.\n\nSales went up, and the team is happier. #FourDayWeek #SmallBusiness #Bakery";
    let variant = accepted_post(&app, &user, "linkedin", text).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &connection).await;
    server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(at + Duration::seconds(1))
        .await
        .unwrap();
    let posts = fake.posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].text, text);
    assert!(posts[0].sent_text.contains(r"\(our bakery\)") && posts[0].sent_text.contains(r"\#FourDayWeek"));
    assert_eq!(runs(&app, &user, &schedule_id).await[0]["status"], "published");
}

#[tokio::test]
async fn a_linkedin_post_whose_answer_was_lost_is_found_on_retry_not_posted_again() {
    let fake = fake_linkedin::spawn().await;
    let app = linkedin_app(&fake).await;
    let user = app.user().await;
    let connection = connect(&app, &user, "linkedin", json!({}), StatusCode::CREATED).await;
    let text = "Rye & Crumb (our bakery) moved to a four-day week.\n\nSales went up. #FourDayWeek #SmallBusiness #Bakery";
    let variant = accepted_post(&app, &user, "linkedin", text).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &connection).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());
    fake.fail_next(1, Failure::AnswerLost);
    let report = scheduler.tick_at(at + Duration::seconds(1)).await.unwrap();
    assert_eq!(report.retrying, 1, "{report:?}");
    assert_eq!(fake.posts().len(), 1, "LinkedIn created the post though its answer was lost");
    scheduler.tick_at(at + Duration::minutes(5)).await.unwrap();
    let posts = fake.posts();
    assert_eq!(posts.len(), 1, "{posts:#?}");
    let run = &runs(&app, &user, &schedule_id).await[0];
    assert_eq!(run["status"], "published", "{run:#}");
    assert_eq!(run["published_url"], format!("https://www.linkedin.com/feed/update/{}/", posts[0].id));
}

#[tokio::test]
async fn mastodon_needs_an_instance_registers_once_and_reads_its_limit() {
    let fake = fake_mastodon::spawn().await;
    let app =
        TestApp::sqlite_with(&[("PUBLIC_CONSOLE_URL", CONSOLE), ("NETWORK_ALLOWLIST", "127.0.0.1")]).await;
    let user = app.user().await;
    let missing = app.post("/connections/mastodon/authorize", Some(&user.token), json!({})).await;
    assert_eq!(error_fields(&assert_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await), ["instance"]);
    let instance = fake.base_url().to_string();
    fake.set_max_characters(1000);
    let connection =
        connect(&app, &user, "mastodon", json!({ "instance": instance }), StatusCode::CREATED).await;
    assert_eq!(connection["char_limit"], 1000);
    assert!(connection["handle"].as_str().unwrap().starts_with(&format!("@{}@", fake_mastodon::USERNAME)));
    connect(&app, &user, "mastodon", json!({ "instance": instance }), StatusCode::OK).await;
    assert_eq!(fake.registered_apps(), 1, "the app registered on the instance is reused");
}

/// Account ids are each instance's own: the fake instances give their one account the same id,
/// and the two stay two connections. A row stored before ids were qualified gets its instance
/// from the migration, so connecting that account again finds it.
async fn mastodon_accounts_with_one_id_on_two_instances_are_two_connections(postgres: bool) {
    use sea_orm::{ConnectionTrait, Statement};
    use sea_orm_migration::MigratorTrait;
    use server::migration::Migrator;

    let (first, second) = (fake_mastodon::spawn().await, fake_mastodon::spawn().await);
    let settings = [("PUBLIC_CONSOLE_URL", CONSOLE), ("NETWORK_ALLOWLIST", "127.0.0.1")];
    let Some(app) = TestApp::on_with(postgres, &settings).await else { return };
    let user = app.user().await;
    let on = |fake: &fake_mastodon::FakeMastodon| json!({ "instance": fake.base_url().to_string() });
    connect(&app, &user, "mastodon", on(&first), StatusCode::CREATED).await;

    // The row as it was stored before ids were qualified, then the migration again.
    let execute = |sql: String| {
        let db = &app.db;
        async move { db.execute_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap() }
    };
    execute(format!("UPDATE connections SET remote_id = '{}'", fake_mastodon::ACCOUNT_ID)).await;
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap();
    let qualifying =
        applied.iter().position(|m| m.name() == "m20261209_000021_mastodon_account_ids").unwrap();
    Migrator::down(&app.db, Some((applied.len() - qualifying) as u32)).await.unwrap();
    Migrator::up(&app.db, None).await.unwrap();
    let host = |fake: &fake_mastodon::FakeMastodon| {
        format!("{}:{}", fake.base_url().host_str().unwrap(), fake.base_url().port().unwrap())
    };
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT remote_id FROM connections",
        ))
        .await
        .unwrap();
    let stored: Vec<String> = rows.iter().map(|row| row.try_get("", "remote_id").unwrap()).collect();
    assert_eq!(stored, [format!("{}@{}", fake_mastodon::ACCOUNT_ID, host(&first))]);

    connect(&app, &user, "mastodon", on(&first), StatusCode::OK).await;
    connect(&app, &user, "mastodon", on(&second), StatusCode::CREATED).await;
    let listed: Value = app.get("/connections", Some(&user.token)).await.json().await.unwrap();
    let handles: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|c| c["handle"].as_str().unwrap()).collect();
    assert_eq!(handles.len(), 2, "{listed:#}");
    assert_ne!(handles[0], handles[1]);
}

#[tokio::test]
async fn mastodon_accounts_with_one_id_on_two_instances_are_two_connections_on_sqlite() {
    mastodon_accounts_with_one_id_on_two_instances_are_two_connections(false).await;
}

#[tokio::test]
async fn mastodon_accounts_with_one_id_on_two_instances_are_two_connections_on_postgres() {
    mastodon_accounts_with_one_id_on_two_instances_are_two_connections(true).await;
}

#[tokio::test]
async fn a_network_without_an_app_or_with_no_consent_page_is_refused_in_words() {
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let x = assert_problem(
        app.post("/connections/x/authorize", Some(&user.token), json!({})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert!(x["detail"].as_str().unwrap().contains("X_CLIENT_ID"), "{x}");
    let bluesky = app.post("/connections/bluesky/authorize", Some(&user.token), json!({})).await;
    assert_problem(bluesky, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_problem(
        app.post("/connections/myspace/authorize", Some(&user.token), json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(app.post("/connections/x/authorize", None, json!({})).await, StatusCode::UNAUTHORIZED)
        .await;
    let unknown = app
        .post("/connections/callback", Some(&user.token), json!({ "state": "made-up", "code": "c" }))
        .await;
    assert_eq!(error_fields(&assert_problem(unknown, StatusCode::UNPROCESSABLE_ENTITY).await), ["state"]);
    // A private address is refused as an instance unless allowed.
    let private = app
        .post(
            "/connections/mastodon/authorize",
            Some(&user.token),
            json!({ "instance": "http://127.0.0.1:9" }),
        )
        .await;
    let problem = assert_problem(private, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["instance"]);
}

/// A thread half published on one account keeps it: moving the schedule to another account
/// (or connector) would send the remaining parts there, replying to nothing. Once the thread
/// is out, the schedule moves.
async fn a_half_published_thread_cannot_move_to_another_account(postgres: bool) {
    let (x, mastodon) = (fake_x::spawn().await, fake_mastodon::spawn().await);
    let mut settings = x_settings(&x);
    settings.push(("NETWORK_ALLOWLIST", "127.0.0.1".to_owned()));
    let pairs: Vec<(&str, &str)> = settings.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let Some(app) = TestApp::on_with(postgres, &pairs).await else { return };
    let user = app.user().await;
    let old = connect(&app, &user, "x", json!({}), StatusCode::CREATED).await;
    let instance = json!({ "instance": mastodon.base_url().to_string() });
    let other = connect(&app, &user, "mastodon", instance, StatusCode::CREATED).await;
    let variant = accepted_post(&app, &user, "x", THREAD).await;
    let (schedule_id, at) = schedule(&app, &user, &variant, &old).await;
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher".into());
    x.fail_after(1, 1, Failure::Unavailable);
    scheduler.tick_at(at + Duration::seconds(1)).await.unwrap();
    assert_eq!(x.posts().len(), 1, "the first part is out, the rest waits");

    let path = format!("/schedule/{schedule_id}");
    let to_other = json!({ "connection_id": other["id"] });
    let refused = app.send_json(Method::PATCH, &path, Some(&user.token), to_other.clone()).await;
    let problem = assert_problem(refused, StatusCode::CONFLICT).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);
    let message = problem["errors"][0]["message"].as_str().unwrap();
    let expected = format!("The thread is half published on @{} (1 part is out)", fake_x::USERNAME);
    assert!(message.starts_with(&expected), "{message}");
    assert!(message.contains("must finish, or be cancelled"), "{message}");
    let to_file = json!({ "connector": "file" });
    let refused = app.send_json(Method::PATCH, &path, Some(&user.token), to_file.clone()).await;
    assert_eq!(error_fields(&assert_problem(refused, StatusCode::CONFLICT).await), ["connection_id"]);
    let kept: Value = app.get(&path, Some(&user.token)).await.json().await.unwrap();
    assert_eq!(kept["connection_id"], old["id"]);

    scheduler.tick_at(at + Duration::minutes(5)).await.unwrap();
    assert_eq!(x.posts().len(), 3, "the thread finishes where it started");
    // Out now: the account may change again (a Mastodon account still cannot take an X post).
    let other_network = app.send_json(Method::PATCH, &path, Some(&user.token), to_other).await;
    assert_eq!(
        error_fields(&assert_problem(other_network, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["connection_id"]
    );
    let moved = app.send_json(Method::PATCH, &path, Some(&user.token), to_file).await;
    assert_eq!(moved.status(), StatusCode::OK, "{:?}", moved.text().await);
    assert!(mastodon.posts().is_empty());
}

#[tokio::test]
async fn a_half_published_thread_cannot_move_to_another_account_on_sqlite() {
    a_half_published_thread_cannot_move_to_another_account(false).await;
}

#[tokio::test]
async fn a_half_published_thread_cannot_move_to_another_account_on_postgres() {
    a_half_published_thread_cannot_move_to_another_account(true).await;
}
