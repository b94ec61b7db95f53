//! Connected accounts through the API: listing without tokens, tokens sealed at rest, removal,
//! and schedules that name an account. Connecting for real is tested against each network's
//! server (tests/bluesky.rs, tests/networks.rs).

use reqwest::{Method, StatusCode};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Expr, ExprTrait, Query},
};
use serde_json::{Value, json};
use server::{
    clock::Clock,
    connections::{
        model::ConnectionStatus,
        service::{self, NewConnection},
    },
    connectors::network::{Account, Credentials, Network},
    secrets::{self, Keyring},
};
use uuid::Uuid;

use crate::{
    common::{ARTICLE, TestApp, TestUser, assert_problem, error_fields},
    schedules::{accepted_variant, local_nine},
};

const ACCESS_TOKEN: &str = "access-token-that-must-never-leave-the-server";
const MASTODON_CLIENT_SECRET: &str = "mastodon-client-secret-kept-sealed"; // pragma: allowlist secret

/// Stores a connected account as a successful consent would.
pub(crate) async fn connect(app: &TestApp, user: &TestUser, network: Network, handle: &str) -> Value {
    connect_on(app, user, network, handle, None, None).await
}

/// A Mastodon account on `instance`, which allows `char_limit` characters per post.
async fn connect_mastodon(app: &TestApp, user: &TestUser, instance: &str, char_limit: i32) -> Value {
    let handle = format!("@bakery@{}", instance.trim_start_matches("https://").trim_end_matches('/'));
    connect_on(app, user, Network::Mastodon, &handle, Some(instance), Some(char_limit)).await
}

async fn connect_on(
    app: &TestApp,
    user: &TestUser,
    network: Network,
    handle: &str,
    instance_url: Option<&str>,
    char_limit: Option<i32>,
) -> Value {
    let new = NewConnection {
        network,
        account: Account {
            remote_id: format!("remote-{}", Uuid::now_v7().simple()),
            handle: handle.to_owned(),
            display_name: "Rye & Crumb".into(),
            avatar_url: Some("https://example.com/avatar.png".into()),
        },
        credentials: Credentials {
            access_token: ACCESS_TOKEN.into(),
            refresh_token: Some("refresh-token-also-secret".into()),
            expires_at: None,
        },
        instance_url: instance_url.map(str::to_owned),
        char_limit,
    };
    let (connection, created) =
        service::save_connection(&app.state, user.id.parse().unwrap(), new).await.unwrap();
    assert!(created);
    serde_json::to_value(connection).unwrap()
}

#[tokio::test]
async fn connected_accounts_are_listed_without_their_tokens_which_are_sealed_at_rest() {
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let empty = app.get("/connections", Some(&user.token)).await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert_eq!(empty.json::<Value>().await.unwrap()["items"], json!([]));

    let connection = connect(&app, &user, Network::X, "@ryeandcrumb").await;
    let listed = app.get("/connections", Some(&user.token)).await;
    let body = listed.text().await.unwrap();
    assert!(!body.contains(ACCESS_TOKEN) && !body.contains("refresh-token"), "{body}");
    let listed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["network"], "x");
    assert_eq!(listed["items"][0]["handle"], "@ryeandcrumb");
    assert_eq!(listed["items"][0]["status"], "active");

    let id: Uuid = connection["id"].as_str().unwrap().parse().unwrap();
    let (key_id, credentials) = stored_credentials(&app, id).await;
    assert_eq!(key_id, "dev");
    let needle = ACCESS_TOKEN.as_bytes();
    assert!(!credentials.windows(needle.len()).any(|window| window == needle));

    let one = app.get(&format!("/connections/{id}"), Some(&user.token)).await;
    assert_eq!(one.status(), StatusCode::OK);
}

#[tokio::test]
async fn connections_need_a_session_and_belong_to_their_owner() {
    let app = TestApp::sqlite().await;
    let owner = app.user().await;
    let stranger = app.user().await;
    let connection = connect(&app, &owner, Network::Mastodon, "@bakery@mastodon.example").await;
    let path = format!("/connections/{}", connection["id"].as_str().unwrap());

    assert_problem(app.get("/connections", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.request(Method::DELETE, &path, None).send().await.unwrap(), StatusCode::UNAUTHORIZED)
        .await;
    assert_problem(app.get(&path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    let stolen = app.request(Method::DELETE, &path, Some(&stranger.token)).send().await.unwrap();
    assert_problem(stolen, StatusCode::NOT_FOUND).await;
    let theirs = app.get("/connections", Some(&stranger.token)).await.json::<Value>().await.unwrap();
    assert_eq!(theirs["items"], json!([]));
    assert_problem(app.get("/connections/not-a-uuid", Some(&owner.token)).await, StatusCode::NOT_FOUND).await;

    let removed = app.request(Method::DELETE, &path, Some(&owner.token)).send().await.unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_problem(app.get(&path, Some(&owner.token)).await, StatusCode::NOT_FOUND).await;
    let audit = app.admin().await;
    let events = app
        .get("/admin/audit?kind=connection.removed", Some(&audit.token))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(events["items"][0]["payload"]["network"], "mastodon");
}

#[tokio::test]
async fn connecting_bluesky_names_the_missing_fields() {
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let problem = assert_problem(
        app.post("/connections/bluesky", Some(&user.token), json!({ "handle": " @ ", "app_password": "" }))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["handle", "app_password"]);
    let unauthenticated = app
        .post("/connections/bluesky", None, json!({ "handle": "a.bsky.social", "app_password": "x" }))
        .await;
    assert_problem(unauthenticated, StatusCode::UNAUTHORIZED).await;
}

#[tokio::test]
async fn a_schedule_names_a_working_account_on_the_posts_own_network() {
    let app = TestApp::sqlite().await;
    let user = app.user().await;
    let variant = accepted_variant(&app, &user).await;
    let schedule = |connection: Option<&str>, connector: Option<&str>| {
        json!({
            "variant_id": variant,
            "run_at": local_nine(chrono_tz::Europe::Berlin, 2),
            "timezone": "Europe/Berlin",
            "connection_id": connection,
            "connector": connector,
        })
    };

    let missing = app.post("/schedule", Some(&user.token), schedule(None, Some("account"))).await;
    let problem = assert_problem(missing, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);
    let unknown = Uuid::now_v7().to_string();
    let nowhere = app.post("/schedule", Some(&user.token), schedule(Some(&unknown), None)).await;
    assert_problem(nowhere, StatusCode::NOT_FOUND).await;

    let linkedin = connect(&app, &user, Network::Linkedin, "Rye & Crumb").await;
    let wrong_network =
        app.post("/schedule", Some(&user.token), schedule(linkedin["id"].as_str(), None)).await;
    let problem = assert_problem(wrong_network, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("LinkedIn account"), "{problem}");

    let x = connect(&app, &user, Network::X, "@ryeandcrumb").await;
    let with_file = app.post("/schedule", Some(&user.token), schedule(x["id"].as_str(), Some("file"))).await;
    assert_problem(with_file, StatusCode::UNPROCESSABLE_ENTITY).await;
    let stranger = app.user().await;
    let theirs = connect(&app, &stranger, Network::X, "@someone").await;
    let stolen = app.post("/schedule", Some(&user.token), schedule(theirs["id"].as_str(), None)).await;
    assert_problem(stolen, StatusCode::NOT_FOUND).await;

    let created = app.post("/schedule", Some(&user.token), schedule(x["id"].as_str(), None)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["connector"], "account");
    assert_eq!(created["connection_id"], x["id"]);
}

/// The key id and the sealed credentials stored for the account `id`.
async fn stored_credentials(app: &TestApp, id: Uuid) -> (String, Vec<u8>) {
    let select = Query::select()
        .columns(["credentials_key_id", "credentials"])
        .from("connections")
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    let row = app.db.query_one(&select).await.unwrap().expect("the connection");
    (row.try_get("", "credentials_key_id").unwrap(), row.try_get("", "credentials").unwrap())
}

/// Marks the account `id` as needing a reconnection, as a network refusing its token does.
pub async fn mark_needs_reconnect(app: &TestApp, id: Uuid) {
    let update = Query::update()
        .table("connections")
        .value("status", sea_orm::ActiveEnum::to_value(&ConnectionStatus::NeedsReconnect))
        .value("status_reason", "the token was revoked")
        .value("updated_at", app.clock.now())
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    app.db.execute(&update).await.unwrap();
}

/// A Mastodon app's client secret, sealed as registering it on `instance` seals it.
async fn registered_mastodon_app(app: &TestApp, instance: &str, secret: &str) {
    let sealed = app.state.config.secret_keys.seal(secret.as_bytes(), instance.as_bytes());
    let insert = Query::insert()
        .into_table("mastodon_apps")
        .columns([
            "instance_url",
            "redirect_uri",
            "client_id",
            "client_secret_key_id",
            "client_secret",
            "created_at",
        ])
        .values_panic([
            instance.into(),
            "http://127.0.0.1:3001/connections/callback".into(),
            "client-id".into(),
            sealed.key_id.into(),
            sealed.bytes.into(),
            app.clock.now().into(),
        ])
        .to_owned();
    app.db.execute(&insert).await.unwrap();
}

async fn a_key_rotation_reseals_every_token_and_client_secret_under_the_new_key(app: TestApp) {
    let user = app.user().await;
    let connection = connect(&app, &user, Network::Bluesky, "@bakery.bsky.social").await;
    let id: Uuid = connection["id"].as_str().unwrap().parse().unwrap();
    let instance = "https://mastodon.example/";
    registered_mastodon_app(&app, instance, MASTODON_CLIENT_SECRET).await;
    let new_key = || secrets::Key::new(Box::new([42; secrets::KEY_BYTES]));
    let rotated = Keyring::new(
        "2027-01",
        &new_key(),
        &[(secrets::DEVELOPMENT_KEY_ID.to_owned(), secrets::Key::new(Box::new(secrets::DEVELOPMENT_KEY)))],
    );
    let resealed = service::reseal_all(&app.db, &rotated, app.clock.now()).await.unwrap();
    assert_eq!(resealed, service::Resealed { connections: 1, mastodon_apps: 1 });
    let again = service::reseal_all(&app.db, &rotated, app.clock.now()).await.unwrap();
    assert_eq!(again, service::Resealed::default(), "nothing is left under the old key");
    assert_eq!(stored_credentials(&app, id).await.0, "2027-01");
    // Only the new key is needed from now on.
    let new_only = Keyring::new("2027-01", &new_key(), &[]);
    let owner = user.id.parse().unwrap();
    let account = service::connected_account(&app.db, &new_only, owner, id).await.unwrap().unwrap();
    assert_eq!(account.credentials.access_token, ACCESS_TOKEN);
    let old_only = Keyring::development();
    assert!(service::connected_account(&app.db, &old_only, owner, id).await.is_err());
    let select =
        Query::select().columns(["client_secret_key_id", "client_secret"]).from("mastodon_apps").to_owned();
    let stored = app.db.query_one(&select).await.unwrap().expect("the Mastodon app");
    let sealed = secrets::Sealed {
        key_id: stored.try_get("", "client_secret_key_id").unwrap(),
        bytes: stored.try_get("", "client_secret").unwrap(),
    };
    assert_eq!(sealed.key_id, "2027-01");
    assert_eq!(new_only.open(&sealed, instance.as_bytes()).unwrap(), MASTODON_CLIENT_SECRET.as_bytes());
    assert!(old_only.open(&sealed, instance.as_bytes()).is_err());
}

/// The user's Mastodon post, edited to `content` and accepted.
async fn accepted_mastodon_post(app: &TestApp, user: &TestUser, content: &str) -> String {
    let job = app.create_job(user, ARTICLE, &["mastodon"]).await;
    let job = app.wait_for_job(user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    let id = job["variants"][0]["id"].as_str().unwrap().to_owned();
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

async fn patch_schedule(
    app: &TestApp,
    user: Option<&TestUser>,
    schedule: &Value,
    body: Value,
) -> reqwest::Response {
    let path = format!("/schedule/{}", schedule["id"].as_str().unwrap());
    app.send_json(Method::PATCH, &path, user.map(|user| user.token.as_str()), body).await
}

async fn a_mastodon_post_longer_than_the_accounts_instance_allows_is_refused_when_scheduled(app: TestApp) {
    let user = app.user().await;
    let short_part = "Rye & Crumb moved to a four-day week, and sales went up. #FourDayWeek #Bakery 1/2";
    let long_part = format!(
        "{} The bakers start later, the queue is shorter, and the shop is closed on Mondays. 2/2",
        "Customers found the new hours at once and kept coming back for the rye loaves.".repeat(4)
    );
    let thread = format!("{short_part}\n\n{long_part}");
    let variant = accepted_mastodon_post(&app, &user, &thread).await;
    let small = connect_mastodon(&app, &user, "https://small.example/", 280).await;
    let roomy = connect_mastodon(&app, &user, "https://roomy.example/", 500).await;
    let body = |connection: &Value| {
        json!({
            "variant_id": variant,
            "run_at": local_nine(chrono_tz::Europe::Berlin, 2),
            "timezone": "Europe/Berlin",
            "connection_id": connection["id"],
        })
    };

    let refused = app.post("/schedule", Some(&user.token), body(&small)).await;
    let problem = assert_problem(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);
    let message = problem["errors"][0]["message"].as_str().unwrap();
    let length = engine::mastodon_length(&long_part);
    assert!(
        message.starts_with(&format!(
            "Part 2 of 2 of this thread is {length} characters, but small.example allows 280"
        )),
        "{message}"
    );

    let created = app.post("/schedule", Some(&user.token), body(&roomy)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    // Moving it to the small instance's account is refused the same way, and changes nothing.
    let moved = patch_schedule(&app, Some(&user), &created, json!({ "connection_id": small["id"] })).await;
    let problem = assert_problem(moved, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);
    let kept: Value = app
        .get(&format!("/schedule/{}", created["id"].as_str().unwrap()), Some(&user.token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["connection_id"], roomy["id"]);
}

async fn a_schedule_moves_to_another_account_checked_as_on_create(app: TestApp) {
    let user = app.user().await;
    let variant = accepted_variant(&app, &user).await;
    let first = connect(&app, &user, Network::X, "@ryeandcrumb").await;
    let second = connect(&app, &user, Network::X, "@ryeandcrumb_shop").await;
    let created = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant, "run_at": local_nine(chrono_tz::Europe::Berlin, 2),
                    "timezone": "Europe/Berlin", "connection_id": first["id"] }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let schedule: Value = created.json().await.unwrap();

    let moved = patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": second["id"] })).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(
        (moved["connector"].clone(), moved["connection_id"].clone()),
        (json!("account"), second["id"].clone())
    );

    // The same checks as on create: the post's network, a working account, the caller's own.
    let linkedin = connect(&app, &user, Network::Linkedin, "Rye & Crumb").await;
    let wrong_network =
        patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": linkedin["id"] })).await;
    let problem = assert_problem(wrong_network, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("LinkedIn account"), "{problem}");
    let broken = connect(&app, &user, Network::X, "@ryeandcrumb_old").await;
    let broken_id: Uuid = broken["id"].as_str().unwrap().parse().unwrap();
    mark_needs_reconnect(&app, broken_id).await;
    let needs_reconnect =
        patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": broken["id"] })).await;
    let problem = assert_problem(needs_reconnect, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        problem["errors"][0]["message"].as_str().unwrap().starts_with("reconnect @ryeandcrumb_old"),
        "{problem}"
    );
    let stranger = app.user().await;
    let theirs = connect(&app, &stranger, Network::X, "@someone").await;
    let stolen = patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": theirs["id"] })).await;
    assert_problem(stolen, StatusCode::NOT_FOUND).await;
    let unknown =
        patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": Uuid::now_v7() })).await;
    assert_problem(unknown, StatusCode::NOT_FOUND).await;
    let not_theirs =
        patch_schedule(&app, Some(&stranger), &schedule, json!({ "connection_id": theirs["id"] })).await;
    assert_problem(not_theirs, StatusCode::NOT_FOUND).await;
    let anonymous = patch_schedule(&app, None, &schedule, json!({ "connection_id": second["id"] })).await;
    assert_problem(anonymous, StatusCode::UNAUTHORIZED).await;
    let with_file = patch_schedule(
        &app,
        Some(&user),
        &schedule,
        json!({ "connector": "file", "connection_id": first["id"] }),
    )
    .await;
    let problem = assert_problem(with_file, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["connection_id"]);

    // Moving to the outbox forgets the account; naming one again moves it back.
    let to_file = patch_schedule(&app, Some(&user), &schedule, json!({ "connector": "file" })).await;
    let to_file: Value = to_file.json().await.unwrap();
    assert_eq!(
        (to_file["connector"].clone(), to_file["connection_id"].clone()),
        (json!("file"), Value::Null)
    );
    let back = patch_schedule(&app, Some(&user), &schedule, json!({ "connection_id": first["id"] })).await;
    assert_eq!(back.status(), StatusCode::OK);
    let back: Value = back.json().await.unwrap();
    assert_eq!(
        (back["connector"].clone(), back["connection_id"].clone()),
        (json!("account"), first["id"].clone())
    );
}

crate::on_both_databases!(
    a_key_rotation_reseals_every_token_and_client_secret_under_the_new_key,
    a_mastodon_post_longer_than_the_accounts_instance_allows_is_refused_when_scheduled,
    a_schedule_moves_to_another_account_checked_as_on_create,
);
