//! The Bluesky client against the reference network: `tests/bluesky-pds/start.mjs` runs
//! `@atproto/dev-env` (a PLC directory, one PDS and the reference AppView, which keeps its data
//! in the local PostgreSQL) on loopback. One network serves the whole story, which is why it is
//! one test: starting a network per test would cost seconds each. Install the harness with
//! `npm ci && npm rebuild better-sqlite3` in `tests/bluesky-pds` (the `publishing` suite of
//! `scripts/run-tests.sh` does it).
//!
//! Accounts are made directly on the PDS (`createAccount`, no invite needed there); everything
//! the product does goes through `connectors::bluesky` only.

use std::{
    io::{BufRead, BufReader, Read, Write},
    path::PathBuf,
    process::{Child, ChildStdin, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{
    clock::SystemClock,
    connectors::bluesky::{
        BlueskyClient, BlueskyConfig, BlueskyError, Did, Handle, PostRef, ReplyRef, Session, tid,
    },
};
use url::Url;

// The API test harness: the product-level step starts the real application.
#[allow(dead_code)]
#[path = "api/common.rs"]
mod common;

/// How long the network may take to start (it takes about ten seconds).
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// How long the AppView may take to index what was published (it takes milliseconds).
const INDEX_TIMEOUT: Duration = Duration::from_secs(30);

/// A running local network; dropping it closes the harness's stdin, which stops it.
struct LocalNetwork {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The JSON lines the harness prints after its first.
    answers: tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<Value>>,
    pds: Url,
    plc: Url,
    appview: Url,
}

impl LocalNetwork {
    fn start() -> Self {
        let harness = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../tests/bluesky-pds");
        let harness = harness.canonicalize().unwrap_or(harness);
        assert!(
            harness.join("node_modules/@atproto/dev-env").is_dir()
                && harness.join("node_modules/better-sqlite3/build/Release").is_dir(),
            "the Bluesky PDS harness is not installed: run `npm ci && npm rebuild better-sqlite3` in {} \
             (the `publishing` suite of scripts/run-tests.sh installs it)",
            harness.display()
        );
        let started = Instant::now();
        let mut child = Command::new("node")
            .arg("start.mjs")
            .current_dir(&harness)
            .envs(appview_storage())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("could not run `node` for the Bluesky PDS harness: {error}"));
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut child_stderr = child.stderr.take().expect("piped stderr");
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read) = child_stderr.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                collected.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        // The harness prints JSON lines: its addresses when ready, then one answer per command.
        // Anything else on stdout is skipped.
        let (ready, announced) = std::sync::mpsc::channel();
        let (answer, answers) = tokio::sync::mpsc::unbounded_channel();
        let stdout = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let Ok(value) = serde_json::from_str::<Value>(&line) else { continue };
                if value.get("pds").is_some() {
                    let _ = ready.send(value);
                } else {
                    let _ = answer.send(value);
                }
            }
        });
        let addresses = announced.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!(
                "the Bluesky network harness did not start within {START_TIMEOUT:?}; its stderr:\n{}",
                stderr.lock().unwrap()
            )
        });
        let url =
            |key: &str| Url::parse(addresses[key].as_str().expect("a URL in the harness's line")).unwrap();
        let network = Self {
            stdin: child.stdin.take(),
            child,
            answers: tokio::sync::Mutex::new(answers),
            pds: url("pds"),
            plc: url("plc"),
            appview: url("appview"),
        };
        eprintln!(
            "local Bluesky network ready in {:?}: PDS {}, PLC {}, AppView {}",
            started.elapsed(),
            network.pds,
            network.plc,
            network.appview
        );
        network
    }

    /// Waits until the AppView has indexed everything published so far, as it does on the real
    /// network a moment after each post.
    async fn indexed(&self) {
        let mut answers = self.answers.lock().await;
        let stdin = self.stdin.as_ref().expect("the harness is running");
        writeln!(&*stdin, "process").expect("the harness reads its commands");
        let answer = tokio::time::timeout(INDEX_TIMEOUT, answers.recv())
            .await
            .expect("the AppView caught up in time")
            .expect("the harness is running");
        assert_eq!(answer["processed"], true, "the AppView could not catch up: {answer}");
    }

    /// The client as the product will build it, pointed at this network.
    fn client(&self) -> BlueskyClient {
        let config = BlueskyConfig {
            plc_url: self.plc.clone(),
            entryway_url: self.pds.clone(),
            appview_url: self.appview.clone(),
            timeout: Duration::from_secs(10),
            allowlist: vec!["127.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()],
        };
        BlueskyClient::new(config, Arc::new(SystemClock)).unwrap()
    }
}

/// Where the AppView keeps its data: the PostgreSQL and Redis the other tests use
/// (`TEST_DATABASE_URL`, `TEST_REDIS_URL`), or the harness's defaults, which are the same
/// local servers.
fn appview_storage() -> Vec<(&'static str, String)> {
    let mut storage = Vec::new();
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        storage.push(("KYROS_BLUESKY_POSTGRES_URL", url));
    }
    if let Ok(url) = std::env::var("TEST_REDIS_URL") {
        let url = Url::parse(&url).expect("TEST_REDIS_URL is a URL");
        let host = url.host_str().expect("TEST_REDIS_URL names a host");
        storage.push(("KYROS_BLUESKY_REDIS_HOST", format!("{host}:{}", url.port().unwrap_or(6379))));
    }
    storage
}

impl Drop for LocalNetwork {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An account made on the PDS the way a person would in Bluesky's app, with an app password
/// made for Kyros.
struct Account {
    handle: String,
    did: String,
    password: String,
    access_jwt: String,
    app_password: String,
}

/// Calls the PDS directly, as the account owner or a reader would; never through the client.
async fn xrpc_post(pds: &Url, nsid: &str, token: Option<&str>, body: Value) -> Value {
    let mut request = reqwest::Client::new().post(pds.join(&format!("xrpc/{nsid}")).unwrap()).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{nsid} answered {status}: {text}");
    if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

async fn xrpc_get(pds: &Url, nsid: &str, params: &[(&str, &str)]) -> Value {
    let response = reqwest::Client::new()
        .get(pds.join(&format!("xrpc/{nsid}")).unwrap())
        .query(params)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{nsid} answered {status}: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn create_account(network: &LocalNetwork, name: &str) -> Account {
    let handle = format!("{name}.test");
    let password = format!("{name}-main-password");
    let created = xrpc_post(
        &network.pds,
        "com.atproto.server.createAccount",
        None,
        json!({ "handle": handle, "email": format!("{name}@example.com"), "password": password }),
    )
    .await;
    let access_jwt = created["accessJwt"].as_str().unwrap().to_owned();
    let app_password = xrpc_post(
        &network.pds,
        "com.atproto.server.createAppPassword",
        Some(&access_jwt),
        json!({ "name": "Kyros" }),
    )
    .await["password"]
        .as_str()
        .unwrap()
        .to_owned();
    Account { handle, did: created["did"].as_str().unwrap().to_owned(), password, access_jwt, app_password }
}

/// Writes a record to `account`'s repository, as Bluesky's app does when its owner likes,
/// reposts, quotes, replies or edits their profile.
async fn create_record(network: &LocalNetwork, account: &Account, collection: &str, record: Value) -> Value {
    xrpc_post(
        &network.pds,
        "com.atproto.repo.createRecord",
        Some(&account.access_jwt),
        json!({ "repo": account.did, "collection": collection, "record": record }),
    )
    .await
}

/// What a reader does with a post: likes it, reposts it, quotes it and replies to it.
async fn engage_with(network: &LocalNetwork, reader: &Account, post: &PostRef) {
    let now = chrono::Utc::now().to_rfc3339();
    let subject = json!({ "uri": post.uri, "cid": post.cid });
    create_record(network, reader, "app.bsky.feed.like", json!({ "subject": subject, "createdAt": now }))
        .await;
    create_record(network, reader, "app.bsky.feed.repost", json!({ "subject": subject, "createdAt": now }))
        .await;
    let quote = json!({ "$type": "app.bsky.embed.record", "record": subject });
    let quoted = json!({ "text": "Worth a read.", "embed": quote, "createdAt": now });
    create_record(network, reader, "app.bsky.feed.post", quoted).await;
    let reply = json!({ "root": subject, "parent": subject });
    let replied = json!({ "text": "Congratulations!", "reply": reply, "createdAt": now });
    create_record(network, reader, "app.bsky.feed.post", replied).await;
}

async fn get_record(network: &LocalNetwork, post: &PostRef) -> Value {
    let uri: server::connectors::bluesky::AtUri = post.uri.parse().unwrap();
    let record = xrpc_get(
        &network.pds,
        "com.atproto.repo.getRecord",
        &[("repo", &uri.authority), ("collection", &uri.collection), ("rkey", &uri.rkey)],
    )
    .await;
    assert_eq!(record["cid"], post.cid.as_str(), "the stored record is the one published");
    record["value"].clone()
}

async fn posts_in_repo(network: &LocalNetwork, did: &str) -> usize {
    let listed = xrpc_get(
        &network.pds,
        "com.atproto.repo.listRecords",
        &[("repo", did), ("collection", "app.bsky.feed.post"), ("limit", "100")],
    )
    .await;
    listed["records"].as_array().unwrap().len()
}

/// Asserts that `record` has exactly the facets `expected` lists: (covered text, feature type,
/// feature value), its byte range found in the record's own text.
fn assert_facets(record: &Value, expected: &[(&str, &str, &str)]) {
    let text = record["text"].as_str().unwrap();
    let facets = record["facets"].as_array().cloned().unwrap_or_default();
    let found: Vec<(usize, usize, String, String)> = facets
        .iter()
        .map(|facet| {
            let feature = &facet["features"][0];
            let kind =
                feature["$type"].as_str().unwrap().trim_start_matches("app.bsky.richtext.facet#").to_owned();
            let value =
                ["uri", "did", "tag"].iter().find_map(|key| feature[key].as_str()).unwrap().to_owned();
            let range = &facet["index"];
            (
                range["byteStart"].as_u64().unwrap() as usize,
                range["byteEnd"].as_u64().unwrap() as usize,
                kind,
                value,
            )
        })
        .collect();
    let wanted: Vec<(usize, usize, String, String)> = expected
        .iter()
        .map(|(covered, kind, value)| {
            let start = text.find(covered).unwrap_or_else(|| panic!("`{covered}` is not in `{text}`"));
            (start, start + covered.len(), (*kind).to_owned(), (*value).to_owned())
        })
        .collect();
    assert_eq!(found, wanted, "facets of `{text}`");
}

fn assert_reply(record: &Value, root: &PostRef, parent: &PostRef) {
    let reply = &record["reply"];
    assert_eq!(reply["root"]["uri"], root.uri.as_str(), "root of `{}`", record["text"]);
    assert_eq!(reply["root"]["cid"], root.cid.as_str());
    assert_eq!(reply["parent"]["uri"], parent.uri.as_str(), "parent of `{}`", record["text"]);
    assert_eq!(reply["parent"]["cid"], parent.cid.as_str());
}

#[tokio::test]
async fn the_bluesky_client_publishes_to_a_real_pds() {
    let network = LocalNetwork::start();
    let story = Instant::now();
    let alice = create_account(&network, "alice").await;
    let bob = create_account(&network, "bob").await;
    let client = network.client();

    given_a_handle_the_client_finds_its_did_and_pds(&network, &client, &alice).await;
    let session = when_connecting_only_the_app_password_is_accepted(&network, &client, &alice).await;
    let thread = given_a_thread_interrupted_after_two_parts_it_resumes_with_the_third_only(
        &network, &client, &session, &alice,
    )
    .await;
    then_the_thread_reads_back_with_its_replies_and_facets(&network, &thread, &bob).await;
    then_the_appview_counts_what_readers_did_with_it(&network, &client, &thread, &bob).await;
    when_a_part_is_created_again_under_its_key_it_stays_one_record(
        &network, &client, &session, &alice, &thread,
    )
    .await;
    then_a_refreshed_session_posts_and_a_revoked_app_password_means_reconnect(
        &network, &client, &session, &alice,
    )
    .await;
    let carol = create_account(&network, "carol").await;
    then_through_the_product_a_scheduled_thread_is_published_and_its_counts_read(&network, &carol, &bob)
        .await;
    eprintln!("story against the local PDS took {:?}", story.elapsed());
}

async fn given_a_handle_the_client_finds_its_did_and_pds(
    network: &LocalNetwork,
    client: &BlueskyClient,
    alice: &Account,
) {
    let handle: Handle = format!("@{}", alice.handle.to_uppercase()).parse().unwrap();
    let did = client.resolve_handle(&handle).await.unwrap();
    assert_eq!(did.as_string(), alice.did);
    assert_eq!(client.resolve_pds(&did).await.unwrap(), network.pds, "the DID document names this PDS");
    let unknown: Handle = "nobody.test".parse().unwrap();
    let error = client.resolve_handle(&unknown).await.unwrap_err();
    assert!(matches!(error, BlueskyError::Unresolved { .. }), "{error:?}");
}

async fn when_connecting_only_the_app_password_is_accepted(
    network: &LocalNetwork,
    client: &BlueskyClient,
    alice: &Account,
) -> Session {
    let wrong = client.create_session(&alice.handle, "aaaa-bbbb-cccc-dddd").await.unwrap_err();
    assert!(matches!(wrong, BlueskyError::ReconnectNeeded { .. }), "a wrong app password: {wrong:?}");
    assert!(!wrong.to_string().contains("aaaa-bbbb"), "the password is never repeated: {wrong}");

    let main = client.create_session(&alice.handle, &alice.password).await.unwrap_err();
    assert_eq!(main, BlueskyError::NotAnAppPassword);

    let session = client.create_session(&alice.handle, &alice.app_password).await.unwrap();
    assert_eq!(session.did, alice.did);
    assert_eq!(session.handle, alice.handle);
    assert_eq!(session.pds_url, network.pds);
    let printed = format!("{session:?}");
    assert!(!printed.contains(&session.access_jwt) && !printed.contains(&session.refresh_jwt), "{printed}");

    let by_did: Did = alice.did.parse().unwrap();
    let again = client.create_session(&by_did.as_string(), &alice.app_password).await.unwrap();
    assert_eq!(again.did, alice.did, "a DID signs in as well as a handle");
    session
}

const THREAD: [&str; 3] = [
    "Launching Kyros 🚀 today: plans at kyros.app/pricing, the story at https://kyros.app/blog/launch.",
    "Café déjà vu with @bob.test and @nobody.test (who has no account) #BuildInPublic",
    "Thanks for reading 🎉 #kyros",
];

async fn given_a_thread_interrupted_after_two_parts_it_resumes_with_the_third_only(
    network: &LocalNetwork,
    client: &BlueskyClient,
    session: &Session,
    alice: &Account,
) -> Vec<PostRef> {
    let parts: Vec<String> = THREAD.iter().map(|part| (*part).to_owned()).collect();
    let langs = vec!["en".to_owned()];
    let before = posts_in_repo(network, &alice.did).await;

    // Each reference is stored before the next part is sent; the run stops after two.
    let mut stored: Vec<PostRef> = Vec::new();
    while stored.len() < 2 {
        let part = client.post_next_thread_part(session, &parts, &langs, &stored).await.unwrap();
        stored.push(part.expect("a part is left to publish"));
    }
    assert_eq!(posts_in_repo(network, &alice.did).await, before + 2);

    // Resuming from what was stored publishes the third part and nothing else.
    let created = AtomicUsize::new(0);
    let mut resumed = stored.clone();
    while let Some(part) = client.post_next_thread_part(session, &parts, &langs, &resumed).await.unwrap() {
        created.fetch_add(1, Ordering::SeqCst);
        resumed.push(part);
    }
    assert_eq!(created.load(Ordering::SeqCst), 1, "exactly one new record on resume");
    assert_eq!(resumed.len(), 3);
    assert_eq!(posts_in_repo(network, &alice.did).await, before + 3, "the thread has three posts in all");
    assert_eq!(
        client.post_next_thread_part(session, &parts, &langs, &resumed).await.unwrap(),
        None,
        "a finished thread publishes nothing more"
    );
    assert_eq!(posts_in_repo(network, &alice.did).await, before + 3);
    resumed
}

async fn then_the_thread_reads_back_with_its_replies_and_facets(
    network: &LocalNetwork,
    thread: &[PostRef],
    bob: &Account,
) {
    let first = get_record(network, &thread[0]).await;
    assert_eq!(first["text"], THREAD[0]);
    assert!(first.get("reply").is_none(), "the first part replies to nothing");
    assert_eq!(first["langs"], json!(["en"]));
    let created_at = first["createdAt"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created_at).is_ok(), "createdAt is RFC 3339: {created_at}");
    // 🚀 is four bytes: the byte offsets differ from character offsets from there on.
    assert_facets(
        &first,
        &[
            ("kyros.app/pricing", "link", "https://kyros.app/pricing"),
            ("https://kyros.app/blog/launch", "link", "https://kyros.app/blog/launch"),
        ],
    );

    let second = get_record(network, &thread[1]).await;
    assert_reply(&second, &thread[0], &thread[0]);
    // `@nobody.test` resolves to no account: it stays plain text.
    assert_facets(
        &second,
        &[("@bob.test", "mention", bob.did.as_str()), ("#BuildInPublic", "tag", "BuildInPublic")],
    );

    let third = get_record(network, &thread[2]).await;
    assert_reply(&third, &thread[0], &thread[1]);
    assert_facets(&third, &[("#kyros", "tag", "kyros")]);
}

/// The reference AppView counts what readers did with the thread's first post. Its own second
/// part is a reply to it too, which the AppView counts like any other.
async fn then_the_appview_counts_what_readers_did_with_it(
    network: &LocalNetwork,
    client: &BlueskyClient,
    thread: &[PostRef],
    bob: &Account,
) {
    engage_with(network, bob, &thread[0]).await;
    network.indexed().await;
    let missing = thread[0].uri.replace(&thread[0].uri[thread[0].uri.len() - 13..], "3zzzzzzzzzzzz");
    let counts = client.post_counts(&[thread[0].uri.clone(), missing]).await.unwrap();
    assert_eq!(counts.len(), 1, "a post the AppView does not know is left out: {counts:?}");
    let first = &counts[0];
    assert_eq!(first.uri, thread[0].uri);
    assert_eq!(
        (first.likes, first.reposts, first.quotes, first.replies),
        (1, 1, 1, 2),
        "bob's like, repost, quote and reply, and the thread's own second part"
    );
}

/// A retry after an unknown outcome sends the same part again under the same record key: the
/// PDS refuses a second record there, and the client returns the one already published.
async fn when_a_part_is_created_again_under_its_key_it_stays_one_record(
    network: &LocalNetwork,
    client: &BlueskyClient,
    session: &Session,
    alice: &Account,
    thread: &[PostRef],
) {
    let micros = u64::try_from(chrono::Utc::now().timestamp_micros()).unwrap();
    let rkey = tid(micros, 42);
    let reply = ReplyRef { root: thread[0].clone(), parent: thread[2].clone() };
    let text = "One more thing: the bakery is open on Sundays now. 4/4";
    let before = posts_in_repo(network, &alice.did).await;
    let first = client.post_once(session, text, Some(&reply), &rkey).await.unwrap();
    assert!(first.uri.ends_with(&format!("/app.bsky.feed.post/{rkey}")), "{}", first.uri);
    let again = client.post_once(session, text, Some(&reply), &rkey).await.unwrap();
    assert_eq!(again, first, "the second attempt reads back the first record");
    assert_eq!(posts_in_repo(network, &alice.did).await, before + 1, "one record, not two");
    let record = get_record(network, &again).await;
    assert_eq!(record["text"], text);
    assert_reply(&record, &thread[0], &thread[2]);
}

async fn then_a_refreshed_session_posts_and_a_revoked_app_password_means_reconnect(
    network: &LocalNetwork,
    client: &BlueskyClient,
    session: &Session,
    alice: &Account,
) {
    let refreshed = client.refresh_session(session).await.unwrap();
    assert_eq!(refreshed.did, session.did);
    assert_ne!(refreshed.refresh_jwt, session.refresh_jwt, "the refresh token rotates");
    let posted = client.post(&refreshed, "Posted with a refreshed session", None, &[]).await.unwrap();
    assert_eq!(get_record(network, &posted).await["text"], "Posted with a refreshed session");

    let mut not_a_refresh_token = refreshed.clone();
    not_a_refresh_token.refresh_jwt = refreshed.access_jwt.clone();
    let error = client.refresh_session(&not_a_refresh_token).await.unwrap_err();
    assert!(matches!(error, BlueskyError::ReconnectNeeded { .. }), "{error:?}");

    xrpc_post(
        &network.pds,
        "com.atproto.server.revokeAppPassword",
        Some(&alice.access_jwt),
        json!({ "name": "Kyros" }),
    )
    .await;
    let error = client.refresh_session(&refreshed).await.unwrap_err();
    assert!(
        matches!(error, BlueskyError::ReconnectNeeded { .. }),
        "after revoking the app password: {error:?}"
    );
}

/// The story above reads counts from the reference AppView; how many calls a long list takes is
/// counted against a stand-in that answers as the `app.bsky.feed.getPosts` lexicon documents.
#[tokio::test]
async fn counts_are_read_from_the_appview_25_posts_per_call() {
    use axum::{Json, Router, extract::RawQuery, routing::get};

    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let appview = Router::new().route(
        "/xrpc/app.bsky.feed.getPosts",
        get(move |RawQuery(query): RawQuery| {
            let counted = Arc::clone(&counted);
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                let uris: Vec<String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                    .filter(|(key, _)| key == "uris")
                    .map(|(_, value)| value.into_owned())
                    .collect();
                assert!(uris.len() <= 25, "at most 25 URIs per call");
                let posts: Vec<Value> = uris
                    .iter()
                    .enumerate()
                    .map(|(index, uri)| {
                        json!({ "uri": uri, "cid": "bafyreia", "likeCount": index, "repostCount": 2,
                                "replyCount": 1, "quoteCount": 0, "indexedAt": "2026-03-01T09:30:00.000Z" })
                    })
                    .collect();
                Json(json!({ "posts": posts }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, appview).await.unwrap() });

    let config = BlueskyConfig {
        appview_url: Url::parse(&format!("http://{address}")).unwrap(),
        allowlist: vec!["127.0.0.0/8".parse().unwrap()],
        ..BlueskyConfig::default()
    };
    let client = BlueskyClient::new(config, Arc::new(SystemClock)).unwrap();
    let uris: Vec<String> =
        (0..30).map(|n| format!("at://did:plc:t3fqpi2daskqncayg5c4brfy/app.bsky.feed.post/{n}")).collect();
    let counts = client.post_counts(&uris).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(counts.len(), 30);
    assert_eq!((counts[3].uri.as_str(), counts[3].likes, counts[3].reposts), (uris[3].as_str(), 3, 2));
    assert_eq!((counts[26].likes, counts[26].replies, counts[26].quotes), (1, 1, 0));
}

/// The account's name and picture come from the AppView's `app.bsky.actor.getProfile`, read
/// without credentials. The story above reads a name from the reference AppView, which serves
/// pictures from its own `http://` address; a stand-in that answers as the lexicon documents it
/// gives the HTTPS picture and the blank name.
#[tokio::test]
async fn the_profile_is_read_from_the_appview() {
    use axum::{Json, Router, extract::Query, routing::get};

    let appview = Router::new().route(
        "/xrpc/app.bsky.actor.getProfile",
        get(|Query(query): Query<std::collections::HashMap<String, String>>| async move {
            let actor = query.get("actor").cloned().unwrap_or_default();
            let named = actor == "did:plc:t3fqpi2daskqncayg5c4brfy";
            Json(json!({
                "did": actor,
                "handle": "carol.test",
                "displayName": if named { "Carol Baker" } else { "  " },
                "avatar": if named { "https://cdn.bsky.app/img/avatar/plain/did:plc:t3fqpi2daskqncayg5c4brfy/bafkrei@jpeg" } else { "http://insecure.example/a.jpg" },
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, appview).await.unwrap() });
    let config = BlueskyConfig {
        appview_url: Url::parse(&format!("http://{address}")).unwrap(),
        allowlist: vec!["127.0.0.0/8".parse().unwrap()],
        ..BlueskyConfig::default()
    };
    let client = BlueskyClient::new(config, Arc::new(SystemClock)).unwrap();
    let profile = client.profile("did:plc:t3fqpi2daskqncayg5c4brfy").await.unwrap();
    assert_eq!(profile.display_name.as_deref(), Some("Carol Baker"));
    assert_eq!(
        profile.avatar_url.as_deref(),
        Some("https://cdn.bsky.app/img/avatar/plain/did:plc:t3fqpi2daskqncayg5c4brfy/bafkrei@jpeg")
    );
    // A blank name is no name, and a picture the console could not show over HTTPS is left out.
    let unnamed = client.profile("did:plc:ewvi7nxzyoun6zhxrhs64oiz").await.unwrap();
    assert_eq!((unnamed.display_name, unnamed.avatar_url), (None, None));
}

/// Through the API, as a user would: connect the account with its app password, schedule a
/// Bluesky thread to it, let the scheduler publish it, an hour later read what readers did, and
/// a day later the account's new name.
async fn then_through_the_product_a_scheduled_thread_is_published_and_its_counts_read(
    network: &LocalNetwork,
    carol: &Account,
    bob: &Account,
) {
    put_profile(network, carol, "Carol Baker").await;
    network.indexed().await;

    let (plc, pds, appview) = (network.plc.to_string(), network.pds.to_string(), network.appview.to_string());
    let app = common::TestApp::sqlite_with(&[
        ("BLUESKY_PLC_URL", plc.as_str()),
        ("BLUESKY_ENTRYWAY_URL", pds.as_str()),
        ("BLUESKY_APPVIEW_URL", appview.as_str()),
        ("NETWORK_ALLOWLIST", "127.0.0.0/8,::1/128"),
    ])
    .await;
    let user = app.user().await;
    let wrong = app
        .post(
            "/connections/bluesky",
            Some(&user.token),
            json!({ "handle": carol.handle, "app_password": "aaaa-bbbb-cccc-dddd" }),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let connected = app
        .post(
            "/connections/bluesky",
            Some(&user.token),
            json!({ "handle": carol.handle, "app_password": carol.app_password }),
        )
        .await;
    assert_eq!(connected.status(), StatusCode::CREATED);
    let connection: Value = connected.json().await.unwrap();
    assert_eq!(connection["handle"], format!("@{}", carol.handle));
    assert_eq!(connection["display_name"], "Carol Baker", "the name the AppView shows");
    assert!(!connection.to_string().contains(&carol.app_password));

    let job = app.create_job(&user, common::ARTICLE, &["bluesky"]).await;
    let job = app.wait_for_job(&user, job["id"].as_str().unwrap(), &["needs_review"]).await;
    let variant = job["variants"][0]["id"].as_str().unwrap().to_owned();
    let thread = "Rye & Crumb moved to a four-day week, and sales went up 🍞 1/2\n\n\
        Bakers now start later and customers queue less; the numbers are at https://example.com/four-day-week #FourDayWeek 2/2";
    let accepted = app
        .send_json(
            Method::PUT,
            &format!("/variants/{variant}"),
            Some(&user.token),
            json!({ "content": thread, "accepted": true }),
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK, "{}", accepted.text().await.unwrap());
    let run_at = (chrono::Utc::now() + chrono::Duration::days(2)).format("%Y-%m-%dT09:00").to_string();
    let scheduled = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant, "run_at": run_at, "timezone": "UTC", "connection_id": connection["id"] }),
        )
        .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let scheduled: Value = scheduled.json().await.unwrap();
    let due: chrono::DateTime<chrono::Utc> = scheduled["next_run_at"].as_str().unwrap().parse().unwrap();
    let report = server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(due + chrono::Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.published, 1, "{report:?}");

    assert_eq!(posts_in_repo(network, &carol.did).await, 2);
    let runs_path = format!("/schedule/{}/runs", scheduled["id"].as_str().unwrap());
    let runs: Value = app.get(&runs_path, Some(&user.token)).await.json().await.unwrap();
    let url = runs["items"][0]["published_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("https://bsky.app/profile/{}/post/", carol.handle)), "{url}");

    // Bob likes, reposts, quotes and replies to the thread; the hour's read finds it.
    let rkey = url.rsplit('/').next().unwrap();
    let first_uri = format!("at://{}/app.bsky.feed.post/{rkey}", carol.did);
    let first_cid = get_record_cid(network, &carol.did, rkey).await;
    engage_with(network, bob, &PostRef { uri: first_uri, cid: first_cid }).await;
    network.indexed().await;
    let report = server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(due + chrono::Duration::hours(1) + chrono::Duration::seconds(2))
        .await
        .unwrap();
    assert_eq!(report.results_read, 1, "{report:?}");
    let runs: Value = app.get(&runs_path, Some(&user.token)).await.json().await.unwrap();
    let results = &runs["items"][0]["results"];
    assert_eq!(
        (&results["likes"], &results["reposts"], &results["replies"], &results["impressions"]),
        (&json!(1), &json!(2), &json!(1), &Value::Null),
        "a quote counts as a repost, and the thread's own second part is not a reply: {results}"
    );

    // Carol renames her account on Bluesky; a day after the last read, Kyros shows the new name.
    put_profile(network, carol, "Carol Baker Bakes").await;
    network.indexed().await;
    let report = server::runtime::scheduler_of(&app.state, "publisher".into())
        .tick_at(due + chrono::Duration::days(1) + chrono::Duration::hours(2))
        .await
        .unwrap();
    assert_eq!(report.profiles_refreshed, 1, "{report:?}");
    let connections: Value = app.get("/connections", Some(&user.token)).await.json().await.unwrap();
    assert_eq!(connections["items"][0]["display_name"], "Carol Baker Bakes");
}

/// Sets the account's display name, as Bluesky's app does when its owner edits their profile.
async fn put_profile(network: &LocalNetwork, account: &Account, display_name: &str) {
    let profile = json!({ "$type": "app.bsky.actor.profile", "displayName": display_name });
    xrpc_post(
        &network.pds,
        "com.atproto.repo.putRecord",
        Some(&account.access_jwt),
        json!({ "repo": account.did, "collection": "app.bsky.actor.profile", "rkey": "self", "record": profile }),
    )
    .await;
}

async fn get_record_cid(network: &LocalNetwork, did: &str, rkey: &str) -> String {
    let record = xrpc_get(
        &network.pds,
        "com.atproto.repo.getRecord",
        &[("repo", did), ("collection", "app.bsky.feed.post"), ("rkey", rkey)],
    )
    .await;
    record["cid"].as_str().unwrap().to_owned()
}
