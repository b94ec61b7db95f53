use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Duration as StdDuration,
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode as AxumStatus},
    routing::post,
};
use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};
use icalendar::Component;
use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use server::connectors::webhook::signature;

use crate::common::{TestApp, TestUser, assert_problem, error_fields};

mod import;

/// An accepted X variant of a freshly generated job.
pub(crate) async fn accepted_variant(app: &TestApp, user: &TestUser) -> String {
    let job = app.generated_job(user).await;
    let variant = job["variants"].as_array().unwrap().iter().find(|v| v["channel"] == "x").unwrap();
    let id = variant["id"].as_str().unwrap().to_owned();
    let accepted = app
        .send_json(Method::PUT, &format!("/variants/{id}"), Some(&user.token), json!({ "accepted": true }))
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    id
}

/// Wall-clock 09:00 in `zone`, `days` from today.
pub(crate) fn local_nine(zone: chrono_tz::Tz, days: i64) -> String {
    let date = (Utc::now() + Duration::days(days)).with_timezone(&zone).date_naive();
    date.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()).format("%Y-%m-%dT%H:%M").to_string()
}

async fn schedule(app: &TestApp, user: &TestUser, body: Value) -> Value {
    let response = app.post("/schedule", Some(&user.token), body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json().await.unwrap()
}

pub(crate) fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap()).unwrap().with_timezone(&Utc)
}

async fn a_weekly_post_stays_at_nine_local_time_on_the_calendar(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let response = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::Europe::Berlin, 2),
                    "timezone": "Europe/Berlin", "recurrence": "FREQ=WEEKLY" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/schedule/{}", created["id"].as_str().unwrap()));
    assert_eq!(created["status"], "active");
    assert_eq!(created["connector"], "file");
    assert_eq!(created["channel"], "x");
    // The post's first line, so the calendar says which post goes out.
    let variant: Value =
        app.get(&format!("/variants/{variant_id}"), Some(&user.token)).await.json().await.unwrap();
    let first_line = created["first_line"].as_str().unwrap();
    assert!(!first_line.is_empty() && first_line.chars().count() <= 81, "{first_line}");
    assert!(
        variant["content"].as_str().unwrap().starts_with(first_line.trim_end_matches('…')),
        "{first_line}"
    );
    assert_eq!(created["upcoming"].as_array().unwrap().len(), 5);
    assert_eq!(created["next_run_at"], created["run_at"]);

    // Half a year of weekly posts crosses a daylight-saving change: the UTC hour moves, the
    // local hour does not.
    let from = Utc::now();
    let to = from + Duration::days(200);
    let calendar: Value = app
        .request(Method::GET, "/schedule", Some(&user.token))
        .query(&[("from", from.to_rfc3339()), ("to", to.to_rfc3339())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calendar["items"].as_array().unwrap().len(), 1);
    let occurrences = calendar["occurrences"].as_array().unwrap();
    assert!(occurrences.len() >= 27, "{} occurrences", occurrences.len());
    let mut utc_hours = std::collections::BTreeSet::new();
    for occurrence in occurrences {
        assert_eq!(occurrence["status"], "scheduled");
        assert_eq!(occurrence["first_line"], first_line);
        assert!(occurrence["local_time"].as_str().unwrap().ends_with("T09:00"), "{occurrence}");
        let at = time(&occurrence["at"]);
        assert_eq!(at.with_timezone(&chrono_tz::Europe::Berlin).hour(), 9);
        utc_hours.insert(at.hour());
    }
    assert_eq!(utc_hours.into_iter().collect::<Vec<_>>(), [7, 8]);

    let fetched: Value = app.get(&location, Some(&user.token)).await.json().await.unwrap();
    assert_eq!(fetched["id"], created["id"]);
}

async fn bad_schedules_name_the_field(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let cases = [
        (json!({ "run_at": "2020-01-01T09:00", "timezone": "Europe/Berlin" }), vec!["run_at"]),
        (json!({ "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "Mars/Olympus" }), vec!["timezone"]),
        (
            json!({ "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "recurrence": "FREQ=SOMETIMES" }),
            vec!["recurrence"],
        ),
        (
            json!({ "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "recurrence": "FREQ=DAILY;BYSETPOS=1" }),
            vec!["recurrence"],
        ),
        (json!({ "run_at": "soon", "timezone": "UTC", "connector": "fax" }), vec!["connector", "run_at"]),
        // A webhook needs a URL first.
        (
            json!({ "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "connector": "webhook" }),
            vec!["connector"],
        ),
    ];
    for (mut body, fields) in cases {
        body["variant_id"] = json!(variant_id);
        let problem = assert_problem(
            app.post("/schedule", Some(&user.token), body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    // A variant not yet accepted.
    let job = app.generated_job(&user).await;
    let draft = job["variants"][0]["id"].as_str().unwrap();
    let problem = assert_problem(
        app.post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": draft, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC" }),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["variant_id"]);
    // Missing fields, no token, another user's variant.
    assert_problem(
        app.post("/schedule", Some(&user.token), json!({ "variant_id": variant_id })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let valid =
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC" });
    assert_problem(app.post("/schedule", None, valid.clone()).await, StatusCode::UNAUTHORIZED).await;
    let other = app.user().await;
    assert_problem(app.post("/schedule", Some(&other.token), valid).await, StatusCode::NOT_FOUND).await;
    // A calendar window that ends before it starts.
    let problem = assert_problem(
        app.request(
            Method::GET,
            "/schedule?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
            Some(&user.token),
        )
        .send()
        .await
        .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["to"]);
}

async fn schedules_are_private(app: TestApp) {
    let owner = app.user().await;
    let variant_id = accepted_variant(&app, &owner).await;
    let created = schedule(
        &app,
        &owner,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 3), "timezone": "UTC" }),
    )
    .await;
    let path = format!("/schedule/{}", created["id"].as_str().unwrap());
    let intruder = app.user().await;
    let token = Some(intruder.token.as_str());
    assert_problem(app.get(&path, token).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get(&format!("{path}/runs"), token).await, StatusCode::NOT_FOUND).await;
    assert_problem(
        app.send_json(Method::PATCH, &path, token, json!({ "status": "paused" })).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_problem(app.request(Method::DELETE, &path, token).send().await.unwrap(), StatusCode::NOT_FOUND)
        .await;
    let theirs: Value = app.get("/schedule", token).await.json().await.unwrap();
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
    assert_problem(app.get(&path, None).await, StatusCode::UNAUTHORIZED).await;
    // Still there for its owner.
    assert_eq!(app.get(&path, Some(&owner.token)).await.status(), StatusCode::OK);
}

/// A status this version does not know (written by hand, or by a newer version) is a server
/// error, never read as some valid status: the schedule is not reported active nor published.
async fn an_unknown_stored_status_is_a_server_error(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 3), "timezone": "UTC" }),
    )
    .await;
    assert_eq!(created["status"], "active");
    // The test's own database holds this one schedule.
    app.db.execute_unprepared("UPDATE schedules SET status = 'bogus'").await.expect("corrupt the status");

    let path = format!("/schedule/{}", created["id"].as_str().unwrap());
    let token = Some(user.token.as_str());
    let problem = assert_problem(app.get(&path, token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    assert!(!problem.to_string().contains("bogus"), "the stored value stays on the server: {problem}");
    assert_problem(app.get("/schedule", token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    assert_problem(
        app.send_json(Method::PATCH, &path, token, json!({ "status": "paused" })).await,
        StatusCode::INTERNAL_SERVER_ERROR,
    )
    .await;
}

async fn pause_resume_reschedule_and_delete(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::America::New_York, 2),
                "timezone": "America/New_York", "recurrence": "FREQ=DAILY;COUNT=5" }),
    )
    .await;
    let path = format!("/schedule/{}", created["id"].as_str().unwrap());
    let token = Some(user.token.as_str());
    let paused: Value =
        app.send_json(Method::PATCH, &path, token, json!({ "status": "paused" })).await.json().await.unwrap();
    assert_eq!(paused["status"], "paused");
    assert_eq!(paused["upcoming"], json!([]));
    let calendar: Value = app.get("/schedule", token).await.json().await.unwrap();
    assert!(calendar["occurrences"].as_array().unwrap().iter().all(|o| o["status"] == "paused"));
    let resumed: Value =
        app.send_json(Method::PATCH, &path, token, json!({ "status": "active" })).await.json().await.unwrap();
    assert_eq!(resumed["status"], "active");
    assert_eq!(resumed["upcoming"].as_array().unwrap().len(), 5);

    let new_start = local_nine(chrono_tz::Europe::London, 5);
    let moved: Value = app
        .send_json(
            Method::PATCH,
            &path,
            token,
            json!({ "run_at": new_start, "timezone": "Europe/London", "recurrence": null }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["recurrence"], Value::Null);
    assert_eq!(moved["timezone"], "Europe/London");
    assert_eq!(moved["upcoming"].as_array().unwrap().len(), 1);
    assert_eq!(time(&moved["next_run_at"]).with_timezone(&chrono_tz::Europe::London).hour(), 9);

    let problem = assert_problem(
        app.send_json(Method::PATCH, &path, token, json!({ "run_at": "2020-01-01T09:00" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["run_at"]);
    let problem = assert_problem(
        app.send_json(Method::PATCH, &path, token, json!({ "status": "completed" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error_fields(&problem), ["status"]);

    assert_eq!(
        app.request(Method::DELETE, &path, token).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.get(&path, token).await, StatusCode::NOT_FOUND).await;
}

/// A stored list that no longer reads as one is an error, not a schedule without exdates.
async fn a_corrupt_exdates_column_is_an_error_not_an_empty_list(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 3), "timezone": "UTC",
                "recurrence": "FREQ=DAILY;COUNT=3", "exdates": [local_nine(chrono_tz::UTC, 4)] }),
    )
    .await;
    let path = format!("/schedule/{}", created["id"].as_str().unwrap());
    let token = Some(user.token.as_str());
    assert_eq!(app.get(&path, token).await.status(), StatusCode::OK);
    app.db
        .execute_unprepared(r#"UPDATE schedules SET exdates = '{"not": "a list"}'"#)
        .await
        .expect("corrupt the exdates");
    assert_problem(app.get(&path, token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
    assert_problem(app.get("/schedule", token).await, StatusCode::INTERNAL_SERVER_ERROR).await;
}

/// What a webhook receiver saw.
#[derive(Clone, Default)]
pub(crate) struct Receiver {
    deliveries: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    /// Status codes to answer with, in order; 200 once they run out.
    script: Arc<Mutex<Vec<u16>>>,
}

impl Receiver {
    pub(crate) async fn start(script: Vec<u16>) -> (Self, SocketAddr) {
        let receiver = Self { script: Arc::new(Mutex::new(script)), ..Self::default() };
        async fn hook(State(receiver): State<Receiver>, headers: HeaderMap, body: Bytes) -> AxumStatus {
            receiver.deliveries.lock().unwrap().push((headers, body));
            let mut script = receiver.script.lock().unwrap();
            let code = if script.is_empty() { 200 } else { script.remove(0) };
            AxumStatus::from_u16(code).unwrap()
        }
        let router = Router::new().route("/hook", post(hook)).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        (receiver, address)
    }

    pub(crate) fn deliveries(&self) -> Vec<(HeaderMap, Bytes)> {
        self.deliveries.lock().unwrap().clone()
    }
}

pub(crate) async fn set_webhook(app: &TestApp, user: &TestUser, address: SocketAddr) -> String {
    let response = app
        .send_json(
            Method::PUT,
            "/connectors/webhook",
            Some(&user.token),
            json!({ "url": format!("http://{address}/hook") }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["secret"].as_str().unwrap().to_owned()
}

pub(crate) async fn runs(app: &TestApp, user: &TestUser, schedule_id: &str) -> Vec<Value> {
    let list: Value =
        app.get(&format!("/schedule/{schedule_id}/runs"), Some(&user.token)).await.json().await.unwrap();
    list["items"].as_array().unwrap().clone()
}

async fn the_scheduler_delivers_signed_webhooks_with_retries_and_late_catch_up(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let (receiver, address) = Receiver::start(vec![503]).await;
    let secret = set_webhook(&app, &user, address).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC",
                "recurrence": "FREQ=DAILY;COUNT=3", "connector": "webhook" }),
    )
    .await;
    let schedule_id = created["id"].as_str().unwrap();
    let first = time(&created["run_at"]);
    let scheduler = server::runtime::scheduler_of(&app.state, "publisher-a".into());

    // Before its time nothing happens.
    let report = scheduler.tick_at(first - Duration::seconds(1)).await.unwrap();
    assert!(report.active);
    assert_eq!(report.claimed, 0);

    // Due: claimed, the receiver fails once, the attempt is recorded for a retry.
    let report = scheduler.tick_at(first + Duration::seconds(5)).await.unwrap();
    assert_eq!((report.claimed, report.retrying, report.published), (1, 1, 0));
    let recorded = runs(&app, &user, schedule_id).await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["status"], "retrying");
    assert_eq!(recorded[0]["attempts"], 1);
    assert!(recorded[0]["last_error"].as_str().unwrap().contains("503"));

    // The retry waits for its backoff (30 s by default), then succeeds.
    let report = scheduler.tick_at(first + Duration::seconds(20)).await.unwrap();
    assert_eq!(report.published, 0);
    let report = scheduler.tick_at(first + Duration::seconds(40)).await.unwrap();
    assert_eq!(report.published, 1);
    let recorded = runs(&app, &user, schedule_id).await;
    assert_eq!(recorded[0]["status"], "published");
    assert_eq!(recorded[0]["attempts"], 2);
    assert_eq!(recorded[0]["late"], false);
    assert_eq!(recorded[0]["attempt_log"].as_array().unwrap().len(), 2);

    // Both deliveries carry the same idempotency key and a valid signature over the body.
    let deliveries = receiver.deliveries();
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[0].0["idempotency-key"], deliveries[1].0["idempotency-key"]);
    for (headers, body) in &deliveries {
        let sent = headers["kyros-signature"].to_str().unwrap();
        let timestamp: i64 = sent.trim_start_matches("t=").split(',').next().unwrap().parse().unwrap();
        assert_eq!(sent, signature(&secret, timestamp, body));
        let payload: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(payload["variant"]["id"], variant_id.as_str());
        assert_eq!(payload["schedule_id"], schedule_id);
    }

    // Down for two days: the two missed occurrences become one late post, and the series ends.
    let report = scheduler.tick_at(first + Duration::days(2) + Duration::hours(3)).await.unwrap();
    assert_eq!((report.claimed, report.published), (1, 1));
    let recorded = runs(&app, &user, schedule_id).await;
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0]["late"], true);
    assert_eq!(recorded[0]["missed"], 1);
    let finished: Value =
        app.get(&format!("/schedule/{schedule_id}"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(finished["status"], "completed");
    assert_eq!(finished["next_run_at"], Value::Null);
    assert_eq!(receiver.deliveries().len(), 3);
    // Published runs appear on the calendar.
    let calendar: Value = app
        .request(Method::GET, "/schedule", Some(&user.token))
        .query(&[("from", (first - Duration::days(1)).to_rfc3339())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let statuses: Vec<&str> =
        calendar["occurrences"].as_array().unwrap().iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["published", "published"]);
}

async fn a_rejected_webhook_fails_without_retrying(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let (receiver, address) = Receiver::start(vec![410]).await;
    set_webhook(&app, &user, address).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "connector": "webhook" }),
    )
    .await;
    let report = server::runtime::scheduler_of(&app.state, "a".into())
        .tick_at(time(&created["run_at"]) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.failed, 1);
    let recorded = runs(&app, &user, created["id"].as_str().unwrap()).await;
    assert_eq!(recorded[0]["status"], "failed");
    assert!(recorded[0]["last_error"].as_str().unwrap().contains("410"));
    assert_eq!(receiver.deliveries().len(), 1);
}

async fn a_variant_edited_back_to_unreviewed_is_not_published(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let (receiver, address) = Receiver::start(vec![]).await;
    set_webhook(&app, &user, address).await;
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "connector": "webhook" }),
    )
    .await;
    let unaccepted = app
        .send_json(
            Method::PUT,
            &format!("/variants/{variant_id}"),
            Some(&user.token),
            json!({ "accepted": false }),
        )
        .await;
    assert_eq!(unaccepted.status(), StatusCode::OK);
    let report = server::runtime::scheduler_of(&app.state, "a".into())
        .tick_at(time(&created["run_at"]) + Duration::seconds(1))
        .await
        .unwrap();
    assert_eq!(report.failed, 1);
    let recorded = runs(&app, &user, created["id"].as_str().unwrap()).await;
    assert!(recorded[0]["last_error"].as_str().unwrap().contains("no longer accepted"));
    assert!(receiver.deliveries().is_empty());
}

async fn racing_schedulers_publish_each_occurrence_once(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let (receiver, address) = Receiver::start(vec![]).await;
    set_webhook(&app, &user, address).await;
    let run_at = local_nine(chrono_tz::UTC, 2);
    for _ in 0..4 {
        schedule(
            &app,
            &user,
            json!({ "variant_id": variant_id, "run_at": run_at, "timezone": "UTC", "connector": "webhook" }),
        )
        .await;
    }
    let due = DateTime::parse_from_rfc3339(&format!("{run_at}:00Z")).unwrap().with_timezone(&Utc)
        + Duration::seconds(1);

    // Two schedulers under different names: only the lease holder works.
    let a = server::runtime::scheduler_of(&app.state, "publisher-a".into());
    let b = server::runtime::scheduler_of(&app.state, "publisher-b".into());
    let (first, second) = tokio::join!(a.tick_at(due), b.tick_at(due));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert!(first.active ^ second.active, "exactly one scheduler is active");
    assert_eq!(first.published + second.published, 4);

    // Split brain (both believe they hold the lease): the claims still let each occurrence out once.
    let later = due + Duration::days(1);
    for _ in 0..4 {
        schedule(&app, &user, json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 3), "timezone": "UTC", "connector": "webhook" })).await;
    }
    let twin = server::runtime::scheduler_of(
        &app.state,
        if first.active { "publisher-a" } else { "publisher-b" }.into(),
    );
    let leader = if first.active { a } else { b };
    let (x, y) = tokio::join!(leader.tick_at(later), twin.tick_at(later));
    assert_eq!(x.unwrap().claimed + y.unwrap().claimed, 4);
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for (headers, _) in receiver.deliveries() {
        *per_key.entry(headers["idempotency-key"].to_str().unwrap().to_owned()).or_default() += 1;
    }
    assert_eq!(per_key.len(), 8);
    assert!(per_key.values().all(|count| *count == 1), "{per_key:?}");
}

async fn a_standby_scheduler_takes_over_when_the_lease_expires(app: TestApp) {
    let a = server::runtime::scheduler_of(&app.state, "publisher-a".into());
    let b = server::runtime::scheduler_of(&app.state, "publisher-b".into());
    let now = Utc::now();
    assert!(a.tick_at(now).await.unwrap().active);
    assert!(!b.tick_at(now + Duration::seconds(10)).await.unwrap().active);
    // The active one renews while it lives...
    assert!(a.tick_at(now + Duration::seconds(20)).await.unwrap().active);
    assert!(!b.tick_at(now + Duration::seconds(40)).await.unwrap().active);
    // ...and once it has been silent longer than the lease (30 s), the standby takes over.
    assert!(b.tick_at(now + Duration::seconds(51)).await.unwrap().active);
    assert!(!a.tick_at(now + Duration::seconds(52)).await.unwrap().active);
}

async fn the_calendar_feed_is_valid_icalendar(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::Europe::Berlin, 1),
                "timezone": "Europe/Berlin", "recurrence": "FREQ=WEEKLY;COUNT=3" }),
    )
    .await;
    assert_problem(app.post("/schedule/feed-token", None, json!({})).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/schedule/feed-token", None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/schedule/feed-token", Some(&user.token)).await, StatusCode::NOT_FOUND).await;
    let feed: Value =
        app.post("/schedule/feed-token", Some(&user.token), json!({})).await.json().await.unwrap();
    let token = feed["token"].as_str().unwrap();
    assert!(feed["url"].as_str().unwrap().ends_with(&format!("/schedule.ics?token={token}")));
    // Any device sees that the link exists, never the link itself.
    let status: Value = app.get("/schedule/feed-token", Some(&user.token)).await.json().await.unwrap();
    assert!(status["created_at"].is_string() && status["last_fetched_at"].is_null(), "{status}");
    assert!(status.get("token").is_none() && status.get("url").is_none());

    let response = app.get(&format!("/schedule.ics?token={token}"), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = response.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("valid iCalendar");
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|event| event.get_summary().unwrap().starts_with("X post: ")));
    let status: Value = app.get("/schedule/feed-token", Some(&user.token)).await.json().await.unwrap();
    assert!(status["last_fetched_at"].is_string(), "the calendar app's fetch is recorded: {status}");

    // A new link replaces the old one; unknown tokens are refused.
    let renewed: Value =
        app.post("/schedule/feed-token", Some(&user.token), json!({})).await.json().await.unwrap();
    assert_ne!(renewed["token"], feed["token"]);
    assert_problem(app.get(&format!("/schedule.ics?token={token}"), None).await, StatusCode::UNAUTHORIZED)
        .await;
    assert_problem(app.get("/schedule.ics", None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    let other = app.user().await;
    let theirs: Value =
        app.post("/schedule/feed-token", Some(&other.token), json!({})).await.json().await.unwrap();
    let their_feed = app
        .get(&format!("/schedule.ics?token={}", theirs["token"].as_str().unwrap()), None)
        .await
        .text()
        .await
        .unwrap();
    assert!(!their_feed.contains("BEGIN:VEVENT"), "another user's feed shows none of these posts");
}

async fn webhook_settings_are_validated_and_rotated(app: TestApp) {
    let user = app.user().await;
    let token = Some(user.token.as_str());
    assert_problem(app.get("/connectors/webhook", token).await, StatusCode::NOT_FOUND).await;
    assert_problem(app.get("/connectors/webhook", None).await, StatusCode::UNAUTHORIZED).await;
    for url in
        ["ftp://example.com/hook", "not a url", "http://10.1.2.3/hook", "http://169.254.169.254/latest"]
    {
        let problem = assert_problem(
            app.send_json(Method::PUT, "/connectors/webhook", token, json!({ "url": url })).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error_fields(&problem), ["url"], "{url}");
    }
    let (_, address) = Receiver::start(vec![]).await;
    let secret = set_webhook(&app, &user, address).await;
    assert!(secret.starts_with("whsec_") && secret.len() > 40);
    let updated = app
        .send_json(
            Method::PUT,
            "/connectors/webhook",
            token,
            json!({ "url": format!("http://{address}/other") }),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(
        updated.json::<Value>().await.unwrap()["secret"],
        secret.as_str(),
        "changing the URL keeps the secret"
    );
    let rotated: Value =
        app.post("/connectors/webhook/rotate-secret", token, json!({})).await.json().await.unwrap();
    assert_ne!(rotated["secret"], secret.as_str());
    let other = app.user().await;
    assert_problem(
        app.post("/connectors/webhook/rotate-secret", Some(&other.token), json!({})).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

crate::on_both_databases!(
    a_weekly_post_stays_at_nine_local_time_on_the_calendar,
    bad_schedules_name_the_field,
    schedules_are_private,
    an_unknown_stored_status_is_a_server_error,
    pause_resume_reschedule_and_delete,
    the_scheduler_delivers_signed_webhooks_with_retries_and_late_catch_up,
    a_rejected_webhook_fails_without_retrying,
    a_variant_edited_back_to_unreviewed_is_not_published,
    racing_schedulers_publish_each_occurrence_once,
    a_standby_scheduler_takes_over_when_the_lease_expires,
    the_calendar_feed_is_valid_icalendar,
    webhook_settings_are_validated_and_rotated,
    a_corrupt_exdates_column_is_an_error_not_an_empty_list,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_scheduler_publishes_to_the_outbox_on_its_own() {
    let app =
        TestApp::sqlite_with(&[("KYROS_EMBEDDED_SCHEDULER", "true"), ("SCHEDULER_POLL_SECONDS", "1")]).await;
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let run_at = (Utc::now() + Duration::seconds(2)).to_rfc3339();
    let created = schedule(
        &app,
        &user,
        json!({ "variant_id": variant_id, "run_at": run_at, "timezone": "Europe/Paris" }),
    )
    .await;
    let outbox = app.state.config.scheduler.outbox_dir.join(&user.id);
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        let recorded = runs(&app, &user, created["id"].as_str().unwrap()).await;
        if recorded.first().is_some_and(|run| run["status"] == "published") {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "not published in time: {recorded:?}");
        tokio::time::sleep(StdDuration::from_millis(200)).await;
    }
    let files: Vec<_> = std::fs::read_dir(&outbox).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let written: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(written["variant"]["id"], variant_id.as_str());
}
