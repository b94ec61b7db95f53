//! Trace context: a caller's `traceparent` continues in the request, problem documents name
//! the trace, and a webhook delivery passes the publishing trace on.

use chrono::Duration;
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::json;
use tracing::Instrument;

use crate::{
    common::{TestApp, assert_problem},
    schedules::{Receiver, accepted_variant, local_nine, set_webhook, time},
};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736"; // pragma: allowlist secret
const CALLER_SPAN_ID: &str = "00f067aa0ba902b7"; // pragma: allowlist secret

fn traceparent() -> String {
    format!("00-{TRACE_ID}-{CALLER_SPAN_ID}-01")
}

fn is_trace_id(value: &serde_json::Value) -> bool {
    value.as_str().is_some_and(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
}

async fn a_problem_names_the_trace_the_caller_sent(app: TestApp) {
    let response =
        app.request(Method::GET, "/me", None).header("traceparent", traceparent()).send().await.unwrap();
    let problem = assert_problem(response, StatusCode::UNAUTHORIZED).await;
    assert_eq!(problem["trace_id"], TRACE_ID);

    // Without one, every request is a trace of its own.
    let first = assert_problem(app.get("/me", None).await, StatusCode::UNAUTHORIZED).await;
    let second = assert_problem(app.get("/nope", None).await, StatusCode::NOT_FOUND).await;
    assert!(is_trace_id(&first["trace_id"]) && is_trace_id(&second["trace_id"]), "{first} {second}");
    assert_ne!(first["trace_id"], second["trace_id"]);
    assert_ne!(first["trace_id"], TRACE_ID);
}

async fn the_console_may_send_trace_context(app: TestApp) {
    let preflight = app
        .request(Method::OPTIONS, "/jobs", None)
        .header("origin", "http://localhost:3001")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "traceparent,tracestate")
        .send()
        .await
        .unwrap();
    let allowed = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_lowercase();
    assert!(allowed.contains("traceparent") && allowed.contains("tracestate"), "{allowed}");
}

async fn a_webhook_delivery_continues_the_publishing_trace(app: TestApp) {
    let user = app.user().await;
    let variant_id = accepted_variant(&app, &user).await;
    let (receiver, address) = Receiver::start(vec![]).await;
    set_webhook(&app, &user, address).await;
    let response = app
        .post(
            "/schedule",
            Some(&user.token),
            json!({ "variant_id": variant_id, "run_at": local_nine(chrono_tz::UTC, 2), "timezone": "UTC", "connector": "webhook" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let due = time(&response.json::<serde_json::Value>().await.unwrap()["run_at"]) + Duration::seconds(5);

    // The scheduler's pass runs inside a trace the test started.
    let pass = tracing::info_span!("scheduler pass");
    let mut caller = HeaderMap::new();
    caller.insert("traceparent", traceparent().parse().unwrap());
    server::traces::continue_request(&pass, &caller);
    let report = server::runtime::scheduler_of(&app.state, "traced".into())
        .tick_at(due)
        .instrument(pass)
        .await
        .unwrap();
    assert_eq!(report.published, 1);

    let deliveries = receiver.deliveries();
    assert_eq!(deliveries.len(), 1);
    let sent = deliveries[0].0["traceparent"].to_str().unwrap().to_owned();
    let [version, trace_id, parent_id, _flags] = sent.split('-').collect::<Vec<_>>()[..] else {
        panic!("not a traceparent: {sent}");
    };
    assert_eq!((version, trace_id), ("00", TRACE_ID));
    // The receiver's parent is our span of the delivery, not the caller's.
    assert_eq!(parent_id.len(), 16);
    assert_ne!(parent_id, CALLER_SPAN_ID);
}

crate::on_both_databases!(
    a_problem_names_the_trace_the_caller_sent,
    the_console_may_send_trace_context,
    a_webhook_delivery_continues_the_publishing_trace,
);
