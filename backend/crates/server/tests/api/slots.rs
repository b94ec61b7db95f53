//! Queue slots through the API: each connected account's weekly posting slots, adding accepted
//! posts to its next free slot (one at a time, however many ask at once), its queue, and
//! moving queued posts between slots, across a daylight-saving change too.

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::{clock::Clock, connectors::network::Network};
use uuid::Uuid;

use crate::{
    common::{TestApp, TestUser, assert_problem, error_fields},
    connections::{connect, mark_needs_reconnect},
    on_both_databases,
    schedules::{accepted_variant, time},
};

async fn put_slots(app: &TestApp, user: &TestUser, connection: &str, body: Value) -> reqwest::Response {
    app.send_json(Method::PUT, &format!("/connections/{connection}/slots"), Some(&user.token), body).await
}

/// Gives the account these slots in Berlin.
async fn with_slots(app: &TestApp, user: &TestUser, connection: &str, slots: &[(&str, &str)]) {
    let slots: Vec<Value> =
        slots.iter().map(|(weekday, time)| json!({ "weekday": weekday, "time": time })).collect();
    let response =
        put_slots(app, user, connection, json!({ "timezone": "Europe/Berlin", "slots": slots })).await;
    assert_eq!(response.status(), StatusCode::OK, "{:?}", response.text().await);
}

async fn add(app: &TestApp, user: &TestUser, connection: &str, variant: &str) -> reqwest::Response {
    app.post(&format!("/connections/{connection}/queue"), Some(&user.token), json!({ "variant_id": variant }))
        .await
}

async fn queued(app: &TestApp, user: &TestUser, connection: &str, variant: &str) -> Value {
    let response = add(app, user, connection, variant).await;
    assert_eq!(response.status(), StatusCode::CREATED, "{:?}", response.text().await);
    response.json().await.unwrap()
}

async fn queue(app: &TestApp, user: &TestUser, connection: &str, limit: u32) -> Value {
    let response =
        app.get(&format!("/connections/{connection}/queue?limit={limit}"), Some(&user.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

async fn slots_are_replaced_as_a_set_and_read_back_in_week_order(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    let empty: Value =
        app.get(&format!("/connections/{x}/slots"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(empty, json!({ "timezone": null, "slots": [] }));

    with_slots(&app, &user, &x, &[("thu", "17:00"), ("TUE", "9:30"), ("tue", "08:00")]).await;
    let read: Value =
        app.get(&format!("/connections/{x}/slots"), Some(&user.token)).await.json().await.unwrap();
    assert_eq!(read["timezone"], "Europe/Berlin");
    assert_eq!(
        read["slots"],
        json!([{ "weekday": "tue", "time": "08:00" }, { "weekday": "tue", "time": "09:30" }, { "weekday": "thu", "time": "17:00" }])
    );

    // Without a zone the account keeps its own; the new set replaces the old one whole.
    let replaced =
        put_slots(&app, &user, &x, json!({ "slots": [{ "weekday": "fri", "time": "12:00" }] })).await;
    let replaced: Value = replaced.json().await.unwrap();
    assert_eq!(
        replaced,
        json!({ "timezone": "Europe/Berlin", "slots": [{ "weekday": "fri", "time": "12:00" }] })
    );
    let cleared: Value = put_slots(&app, &user, &x, json!({ "slots": [] })).await.json().await.unwrap();
    assert_eq!(cleared["slots"], json!([]));
}

async fn wrong_slots_are_named_field_by_field(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    let wrong = put_slots(
        &app,
        &user,
        &x,
        json!({ "timezone": "Berlin", "slots": [
            { "weekday": "tue", "time": "09:30" },
            { "weekday": "someday", "time": "24:00" },
            { "weekday": "tue", "time": "09:30" },
        ] }),
    )
    .await;
    let problem = assert_problem(wrong, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&problem), ["timezone", "slots[1].weekday", "slots[1].time", "slots[2]"]);

    let no_zone =
        put_slots(&app, &user, &x, json!({ "slots": [{ "weekday": "mon", "time": "09:00" }] })).await;
    assert_eq!(error_fields(&assert_problem(no_zone, StatusCode::UNPROCESSABLE_ENTITY).await), ["timezone"]);

    let every_hour: Vec<Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .flat_map(|day| (8..16).map(move |hour| json!({ "weekday": day, "time": format!("{hour:02}:00") })))
        .collect();
    let too_many = put_slots(&app, &user, &x, json!({ "timezone": "UTC", "slots": every_hour })).await;
    assert_eq!(error_fields(&assert_problem(too_many, StatusCode::UNPROCESSABLE_ENTITY).await), ["slots"]);
    let seven_a_day: Vec<Value> = every_hour.into_iter().filter(|slot| slot["time"] != "15:00").collect();
    let most = put_slots(&app, &user, &x, json!({ "timezone": "UTC", "slots": seven_a_day })).await;
    assert_eq!(most.status(), StatusCode::OK);
}

async fn slots_and_queues_need_a_session_and_belong_to_their_owner(app: TestApp) {
    let owner = app.user().await;
    let stranger = app.user().await;
    let x = id(&connect(&app, &owner, Network::X, "@ryeandcrumb").await);
    with_slots(&app, &owner, &x, &[("mon", "09:00")]).await;
    let variant = accepted_variant(&app, &owner).await;
    let slots = format!("/connections/{x}/slots");
    let queue_path = format!("/connections/{x}/queue");

    assert_problem(app.get(&slots, None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get(&queue_path, None).await, StatusCode::UNAUTHORIZED).await;
    assert_problem(
        app.post(&queue_path, None, json!({ "variant_id": variant })).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let move_path = format!("{queue_path}/move");
    let anonymous_move =
        app.post(&move_path, None, json!({ "schedule_id": Uuid::now_v7(), "to": "2030-01-01T00:00:00Z" }));
    assert_problem(anonymous_move.await, StatusCode::UNAUTHORIZED).await;
    assert_problem(app.get("/queue/open-slots", None).await, StatusCode::UNAUTHORIZED).await;

    assert_problem(app.get(&slots, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    let stolen = put_slots(&app, &stranger, &x, json!({ "timezone": "UTC", "slots": [] })).await;
    assert_problem(stolen, StatusCode::NOT_FOUND).await;
    assert_problem(app.get(&queue_path, Some(&stranger.token)).await, StatusCode::NOT_FOUND).await;
    assert_problem(add(&app, &stranger, &x, &variant).await, StatusCode::NOT_FOUND).await;
    // Their own account, the owner's post: the post is not theirs.
    let theirs = id(&connect(&app, &stranger, Network::X, "@someone").await);
    with_slots(&app, &stranger, &theirs, &[("mon", "09:00")]).await;
    assert_problem(add(&app, &stranger, &theirs, &variant).await, StatusCode::NOT_FOUND).await;
    let schedule = queued(&app, &owner, &x, &variant).await;
    let stolen_move = app
        .post(
            &format!("/connections/{theirs}/queue/move"),
            Some(&stranger.token),
            json!({ "schedule_id": id(&schedule), "to": schedule["run_at"] }),
        )
        .await;
    assert_problem(stolen_move, StatusCode::NOT_FOUND).await;
    let unmoved = app
        .get(&format!("/schedule/{}", id(&schedule)), Some(&owner.token))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(unmoved["run_at"], schedule["run_at"]);
    let open: Value = app.get("/queue/open-slots", Some(&stranger.token)).await.json().await.unwrap();
    assert!(open["items"].as_array().unwrap().iter().all(|slot| slot["connection_id"] == theirs.as_str()));
}

async fn adding_to_the_queue_fills_the_next_free_slots_in_order(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    with_slots(&app, &user, &x, &[("mon", "09:00"), ("wed", "09:00"), ("fri", "17:30")]).await;
    let variant = accepted_variant(&app, &user).await;
    let upcoming = queue(&app, &user, &x, 4).await;
    assert_eq!(upcoming["timezone"], "Europe/Berlin");
    let slots: Vec<DateTime<Utc>> =
        upcoming["items"].as_array().unwrap().iter().map(|slot| time(&slot["at"])).collect();
    assert_eq!(slots.len(), 4);
    assert!(slots.windows(2).all(|pair| pair[0] < pair[1]) && slots[0] > app.clock.now());
    assert!(upcoming["items"].as_array().unwrap().iter().all(|slot| slot["schedule_id"].is_null()));

    // A post scheduled by hand at the first slot takes it.
    let by_hand = app
        .post("/schedule", Some(&user.token), json!({ "variant_id": variant, "run_at": slots[0].to_rfc3339(), "timezone": "Europe/Berlin", "connection_id": x }))
        .await;
    assert_eq!(by_hand.status(), StatusCode::CREATED);
    let first = queued(&app, &user, &x, &variant).await;
    assert_eq!(
        (time(&first["run_at"]), first["connector"].as_str(), first["connection_id"].as_str()),
        (slots[1], Some("account"), Some(x.as_str()))
    );
    assert_eq!(first["recurrence"], Value::Null);
    assert_eq!(first["timezone"], "Europe/Berlin");
    let second = queued(&app, &user, &x, &variant).await;
    assert_eq!(time(&second["run_at"]), slots[2]);

    let listed = queue(&app, &user, &x, 4).await;
    let items = listed["items"].as_array().unwrap();
    assert_eq!(items[1]["schedule_id"], first["id"]);
    assert_eq!(items[2]["schedule_id"], second["id"]);
    assert!(items[1]["first_line"].as_str().is_some_and(|line| !line.is_empty()));
    assert_eq!(items[3]["schedule_id"], Value::Null);
    assert!(items.iter().all(|slot| slot["local_time"].as_str().unwrap().ends_with("09:00")
        || slot["local_time"].as_str().unwrap().ends_with("17:30")));
    // The calendar sees only the empty slot of the four.
    let open: Value = app
        .get(
            &format!(
                "/queue/open-slots?to={}",
                (slots[3] + Duration::minutes(1)).to_rfc3339().replace('+', "%2B")
            ),
            Some(&user.token),
        )
        .await
        .json()
        .await
        .unwrap();
    let open: Vec<DateTime<Utc>> =
        open["items"].as_array().unwrap().iter().map(|slot| time(&slot["at"])).collect();
    assert_eq!(open, [slots[3]]);

    // Deleting a queued post frees its slot for the next one.
    let deleted = app
        .request(Method::DELETE, &format!("/schedule/{}", id(&first)), Some(&user.token))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(time(&queued(&app, &user, &x, &variant).await["run_at"]), slots[1]);
    let limit = app.get(&format!("/connections/{x}/queue?limit=101"), Some(&user.token)).await;
    assert_eq!(error_fields(&assert_problem(limit, StatusCode::UNPROCESSABLE_ENTITY).await), ["limit"]);
}

async fn a_post_the_queue_cannot_take_is_refused_with_the_reason(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    let variant = accepted_variant(&app, &user).await;
    let no_slots = assert_problem(add(&app, &user, &x, &variant).await, StatusCode::CONFLICT).await;
    assert!(no_slots["detail"].as_str().unwrap().contains("no posting slots"), "{no_slots}");
    let empty = queue(&app, &user, &x, 5).await;
    assert_eq!(empty["items"], json!([]));

    with_slots(&app, &user, &x, &[("tue", "09:30")]).await;
    let unaccept = app
        .send_json(
            Method::PUT,
            &format!("/variants/{variant}"),
            Some(&user.token),
            json!({ "accepted": false }),
        )
        .await;
    assert_eq!(unaccept.status(), StatusCode::OK);
    let not_accepted =
        assert_problem(add(&app, &user, &x, &variant).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&not_accepted), ["variant_id"]);
    let accept = app
        .send_json(
            Method::PUT,
            &format!("/variants/{variant}"),
            Some(&user.token),
            json!({ "accepted": true }),
        )
        .await;
    assert_eq!(accept.status(), StatusCode::OK);

    let linkedin = id(&connect(&app, &user, Network::Linkedin, "Rye & Crumb").await);
    with_slots(&app, &user, &linkedin, &[("tue", "09:30")]).await;
    let wrong_channel =
        assert_problem(add(&app, &user, &linkedin, &variant).await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error_fields(&wrong_channel), ["variant_id"]);
    assert!(
        wrong_channel["errors"][0]["message"].as_str().unwrap().contains("LinkedIn account"),
        "{wrong_channel}"
    );
    let unknown = add(&app, &user, &x, &Uuid::now_v7().to_string()).await;
    assert_problem(unknown, StatusCode::NOT_FOUND).await;

    mark_needs_reconnect(&app, x.parse().unwrap()).await;
    let reconnect = assert_problem(add(&app, &user, &x, &variant).await, StatusCode::CONFLICT).await;
    assert!(reconnect["detail"].as_str().unwrap().contains("Reconnect @ryeandcrumb"), "{reconnect}");
}

async fn concurrent_adds_never_land_in_the_same_slot(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    with_slots(&app, &user, &x, &[("mon", "09:00"), ("tue", "09:00"), ("wed", "09:00"), ("thu", "09:00")])
        .await;
    let variant = accepted_variant(&app, &user).await;
    let adds = (0..6).map(|_| add(&app, &user, &x, &variant));
    let responses = futures::future::join_all(adds).await;
    let mut times = Vec::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::CREATED);
        times.push(time(&response.json::<Value>().await.unwrap()["run_at"]));
    }
    let expected: Vec<DateTime<Utc>> = queue(&app, &user, &x, 6).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|slot| time(&slot["at"]))
        .collect();
    times.sort();
    assert_eq!(times, expected, "six adds, six different slots, the soonest six");
}

async fn a_queued_post_moves_to_a_free_slot_or_swaps_with_the_post_there(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    with_slots(&app, &user, &x, &[("mon", "09:00"), ("thu", "12:00")]).await;
    let variant = accepted_variant(&app, &user).await;
    let first = queued(&app, &user, &x, &variant).await;
    let second = queued(&app, &user, &x, &variant).await;
    let slots: Vec<Value> = queue(&app, &user, &x, 4).await["items"].as_array().unwrap().clone();
    let (app, user) = (&app, &user);
    let path = format!("/connections/{x}/queue/move");
    let move_to = |schedule: &Value, to: &Value| {
        let body = json!({ "schedule_id": schedule["id"], "to": to });
        let path = path.clone();
        async move { app.post(&path, Some(&user.token), body).await }
    };

    // Into an empty slot: the post moves, nothing swaps.
    let moved = move_to(&first, &slots[3]["at"]).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(time(&moved["moved"]["run_at"]), time(&slots[3]["at"]));
    assert_eq!(time(&moved["moved"]["next_run_at"]), time(&slots[3]["at"]));
    assert_eq!(moved["swapped"], Value::Null);

    // Onto a filled slot: the two swap places.
    let swapped: Value = move_to(&second, &slots[3]["at"]).await.json().await.unwrap();
    assert_eq!(time(&swapped["moved"]["run_at"]), time(&slots[3]["at"]));
    assert_eq!(swapped["swapped"]["id"], first["id"]);
    assert_eq!(time(&swapped["swapped"]["run_at"]), time(&slots[1]["at"]));
    let listed = queue(app, user, &x, 4).await;
    let fillers: Vec<&Value> =
        listed["items"].as_array().unwrap().iter().map(|slot| &slot["schedule_id"]).collect();
    assert_eq!(fillers, [&Value::Null, &first["id"], &Value::Null, &second["id"]]);

    let off_slot = move_to(&first, &json!((time(&slots[0]["at"]) + Duration::minutes(5)).to_rfc3339())).await;
    assert_eq!(error_fields(&assert_problem(off_slot, StatusCode::UNPROCESSABLE_ENTITY).await), ["to"]);
    let not_a_time = move_to(&first, &json!("next monday")).await;
    assert_eq!(error_fields(&assert_problem(not_a_time, StatusCode::UNPROCESSABLE_ENTITY).await), ["to"]);
    let recurring = app
        .post("/schedule", Some(&user.token), json!({ "variant_id": variant, "run_at": slots[0]["at"], "timezone": "Europe/Berlin", "recurrence": "FREQ=WEEKLY", "connection_id": x }))
        .await
        .json::<Value>()
        .await
        .unwrap();
    let not_queued = move_to(&recurring, &slots[2]["at"]).await;
    assert_eq!(
        error_fields(&assert_problem(not_queued, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["schedule_id"]
    );
    let unknown = move_to(&json!({ "id": Uuid::now_v7() }), &slots[2]["at"]).await;
    assert_problem(unknown, StatusCode::NOT_FOUND).await;
}

async fn slots_keep_their_local_time_in_a_week_that_changes_to_summer_time(app: TestApp) {
    let user = app.user().await;
    let x = id(&connect(&app, &user, Network::X, "@ryeandcrumb").await);
    let variant = accepted_variant(&app, &user).await;
    // Thursday 2027-03-25, noon in Berlin; the clocks go forward on Sunday 2027-03-28.
    let thursday = DateTime::parse_from_rfc3339("2027-03-25T11:00:00Z").unwrap().with_timezone(&Utc);
    app.clock.advance(thursday - app.clock.now());
    with_slots(&app, &user, &x, &[("sat", "09:00"), ("sun", "02:30"), ("mon", "09:00")]).await;
    let listed = queue(&app, &user, &x, 3).await;
    let at: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|slot| slot["at"].as_str().unwrap()).collect();
    let local: Vec<&str> =
        listed["items"].as_array().unwrap().iter().map(|slot| slot["local_time"].as_str().unwrap()).collect();
    // 02:30 on that Sunday does not exist, so it has no slot; 09:00 is an hour earlier in UTC
    // after the change.
    assert_eq!(local, ["2027-03-27T09:00", "2027-03-29T09:00", "2027-04-03T09:00"]);
    assert_eq!(
        at.iter().map(|value| time(&json!(value))).collect::<Vec<_>>(),
        ["2027-03-27T08:00:00Z", "2027-03-29T07:00:00Z", "2027-04-03T07:00:00Z"]
            .map(|value| time(&json!(value)))
    );
    let first = queued(&app, &user, &x, &variant).await;
    let second = queued(&app, &user, &x, &variant).await;
    assert_eq!(time(&first["run_at"]), time(&json!("2027-03-27T08:00:00Z")));
    assert_eq!(time(&second["run_at"]), time(&json!("2027-03-29T07:00:00Z")));
}

on_both_databases!(
    slots_are_replaced_as_a_set_and_read_back_in_week_order,
    wrong_slots_are_named_field_by_field,
    slots_and_queues_need_a_session_and_belong_to_their_owner,
    adding_to_the_queue_fills_the_next_free_slots_in_order,
    a_post_the_queue_cannot_take_is_refused_with_the_reason,
    concurrent_adds_never_land_in_the_same_slot,
    a_queued_post_moves_to_a_free_slot_or_swaps_with_the_post_there,
    slots_keep_their_local_time_in_a_week_that_changes_to_summer_time,
);
