//! Error reporting to Sentry when `SENTRY_DSN` is set: panics, error logs, 5xx answers and
//! failed jobs, tagged with the release, the environment, the request or job and the user's
//! id, and scrubbed before they leave the process. Without a DSN no client exists and every
//! hook here returns at once.
//!
//! A request has a hub of its own (`sentry-tower`), so its tags and breadcrumbs stay with it,
//! and reports at most one event: the first error (a panic, an error log) wins, and a 5xx
//! answer nothing reported is reported as such.

use std::{
    borrow::Cow,
    sync::{
        Arc, LazyLock,
        atomic::{AtomicBool, Ordering},
    },
};

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};
use regex::Regex;
use sentry::{
    ClientInitGuard, ClientOptions, Hub, Level,
    integrations::{
        tower::{NewSentryLayer, SentryHttpLayer},
        tracing::{EventFilter, SentryLayer},
    },
    protocol::{Breadcrumb, Context, Event, Map, User, Value},
};
use tower::{
    layer::util::{Identity, Stack},
    util::Either,
};
use uuid::Uuid;

use crate::config::{Config, ErrorReportingSettings};

/// Starts the client when `SENTRY_DSN` is set; events are flushed when the guard is dropped,
/// so the caller holds it for the life of the process. Call before `telemetry::init`, whose
/// layer is only installed when a client exists.
pub fn init(config: &Config) -> Option<ClientInitGuard> {
    Some(sentry::init(client_options(config.error_reporting.as_ref()?)))
}

/// What the client sends, how it labels it, and the scrubbing on the way out.
fn client_options(settings: &ErrorReportingSettings) -> ClientOptions {
    ClientOptions {
        dsn: Some(settings.dsn.clone()),
        release: Some(settings.release.clone().into()),
        environment: Some(settings.environment.clone().into()),
        send_default_pii: false,
        before_send: Some(Arc::new(|event| Some(scrub_event(with_trace_id(event))))),
        before_breadcrumb: Some(Arc::new(|breadcrumb| Some(scrub_breadcrumb(breadcrumb)))),
        ..ClientOptions::default()
    }
}

/// Whether a client was started: everything else here is skipped without one, and the API
/// installs its middleware only with one.
pub fn enabled() -> bool {
    Hub::current().client().is_some()
}

/// Turns error logs into events and info and warning logs into breadcrumbs; `None` without a
/// client, so logging costs nothing more then. Tracing spans do not become Sentry
/// transactions: traces go to OpenTelemetry.
pub fn tracing_layer<S>() -> Option<SentryLayer<S>>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    enabled().then(|| {
        sentry::integrations::tracing::layer()
            .event_filter(|metadata| {
                // tower-http logs every 5xx it sees; `report_server_errors` reports them once.
                if metadata.target().starts_with("tower_http::") {
                    return EventFilter::Breadcrumb;
                }
                sentry::integrations::tracing::default_event_filter(metadata)
            })
            .span_filter(|_| false)
    })
}

/// A hub per request, carrying the request's method, URL and headers into its events.
pub fn http_layer() -> Either<Stack<SentryHttpLayer, NewSentryLayer<Request>>, Identity> {
    tower::util::option_layer(
        enabled().then(|| Stack::new(SentryHttpLayer::new(), NewSentryLayer::new_from_top())),
    )
}

/// Middleware inside [`http_layer`], installed when [`enabled`]: tags the request's events with
/// its request id and route, keeps them to one, and reports a 5xx answer when nothing else was.
pub async fn report_server_errors(request: Request, next: Next) -> Response {
    let hub = Hub::current();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
    let transaction = format!("{} {route}", request.method());
    let reported = Arc::new(AtomicBool::new(false));
    hub.configure_scope(|scope| {
        if let Some(request_id) = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()) {
            scope.set_tag("request_id", request_id);
        }
        scope.set_transaction(Some(&transaction));
        let reported = reported.clone();
        scope.add_event_processor(move |event| (!reported.swap(true, Ordering::SeqCst)).then_some(event));
    });
    let response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() && !reported.load(Ordering::SeqCst) {
        hub.capture_message(&format!("{transaction} answered {status}"), Level::Error);
    }
    response
}

/// Names the signed-in user (by id only) in the current request's events.
pub fn set_user(id: Uuid) {
    sentry::configure_scope(|scope| scope.set_user(Some(user(id))));
}

/// The job a failure report names.
pub struct FailedJob {
    pub id: Uuid,
    pub owner_id: Uuid,
    pub attempts: i32,
}

/// Reports a job that failed for good, as `kyros_job_failures_total` counts it.
pub fn job_failed(job: &FailedJob, failure: &'static str, provider: Option<&'static str>, reason: &str) {
    if !enabled() {
        return;
    }
    sentry::with_scope(
        |scope| {
            scope.set_tag("job_id", job.id);
            scope.set_tag("attempt", job.attempts);
            scope.set_tag("provider", provider.unwrap_or("none"));
            scope.set_tag("failure", failure);
            scope.set_user(Some(user(job.owner_id)));
            scope.set_extra("reason", reason.into());
        },
        || sentry::capture_message(&format!("job failed: {failure}"), Level::Error),
    );
}

fn user(id: Uuid) -> User {
    User { id: Some(id.to_string()), ..User::default() }
}

/// Tags the event with the current span's trace, so an event leads to its trace.
fn with_trace_id(mut event: Event<'static>) -> Event<'static> {
    if let Some(trace_id) = crate::traces::current_trace_id() {
        event.tags.insert("trace_id".into(), trace_id);
    }
    event
}

const REDACTED: &str = "[redacted]";
/// Longer strings are dropped whole: an error message is shorter, a source or a post may not be.
const MAX_TEXT_CHARS: usize = 1000;
/// Any key containing one of these holds a credential or personal data.
const SECRET_KEY_PARTS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "authorization",
    "cookie",
    "session",
    "api_key",
    "apikey",
    "email",
    "credential",
    "signature",
    "dsn",
];
/// Keys that hold a user's text: sources, posts, request bodies.
const CONTENT_KEYS: &[&str] = &["body", "content", "data", "source", "text", "commentary", "caption"];

/// Credentials and addresses that may appear inside any string.
static SECRET_PATTERNS: LazyLock<[(Regex, &'static str); 4]> = LazyLock::new(|| {
    let pattern = |source: &str| Regex::new(source).expect("a valid pattern");
    [
        // JSON Web Tokens, wherever they appear.
        (pattern(r"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
        (pattern(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), "$1 [redacted]"),
        (pattern(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), "[email]"),
        // `password=…`, `access_token: …` in messages, query strings and URLs.
        (
            pattern(
                r"(?i)([A-Za-z_-]*(?:password|passwd|secret|token|api_key|apikey|session|cookie)[A-Za-z_-]*)(\s*[=:]\s*)[^\s&;,]+",
            ),
            "$1$2[redacted]",
        ),
    ]
});

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace('-', "_");
    SECRET_KEY_PARTS.iter().any(|part| key.contains(part)) || CONTENT_KEYS.contains(&key.as_str())
}

fn scrub_text(text: &str) -> Cow<'_, str> {
    // anyhow's `{:?}` ends with a backtrace when RUST_BACKTRACE is set; Sentry takes its own.
    let text = text.split_once("\n\nStack backtrace:").map_or(text, |(error, _)| error);
    let length = text.chars().count();
    if length > MAX_TEXT_CHARS {
        return Cow::Owned(format!("[{length} characters removed]"));
    }
    SECRET_PATTERNS.iter().fold(Cow::Borrowed(text), |text, (pattern, replacement)| {
        match pattern.replace_all(&text, *replacement) {
            Cow::Borrowed(_) => text,
            Cow::Owned(replaced) => Cow::Owned(replaced),
        }
    })
}

fn scrub_string(text: &mut String) {
    let scrubbed = scrub_text(text);
    if scrubbed != text.as_str() {
        *text = scrubbed.into_owned();
    }
}

fn scrub_value(value: &mut Value) {
    match value {
        Value::String(text) => scrub_string(text),
        Value::Array(items) => items.iter_mut().for_each(scrub_value),
        Value::Object(members) => members.iter_mut().for_each(|(key, value)| scrub_entry(key, value)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn scrub_entry(key: &str, value: &mut Value) {
    if is_secret_key(key) && !value.is_null() {
        *value = REDACTED.into();
    } else {
        scrub_value(value);
    }
}

fn scrub_map(map: &mut Map<String, Value>) {
    map.iter_mut().for_each(|(key, value)| scrub_entry(key, value));
}

fn scrub_strings(map: &mut Map<String, String>) {
    for (key, value) in map.iter_mut() {
        if is_secret_key(key) {
            *value = REDACTED.into();
        } else {
            scrub_string(value);
        }
    }
}

/// What leaves the process: the user's id but no other user data, no request body or
/// cookies, and no credential, email address or long text in any field.
pub fn scrub_event(mut event: Event<'static>) -> Event<'static> {
    event.user = event.user.and_then(|user| user.id).map(|id| User { id: Some(id), ..User::default() });
    if let Some(request) = event.request.as_mut() {
        request.data = None;
        request.cookies = None;
        request.env.clear();
        if let Some(url) = request.url.as_mut() {
            url.set_query(None);
            url.set_fragment(None);
        }
        if let Some(query) = request.query_string.as_mut() {
            scrub_string(query);
        }
        scrub_strings(&mut request.headers);
    }
    if let Some(message) = event.message.as_mut() {
        scrub_string(message);
    }
    if let Some(entry) = event.logentry.as_mut() {
        scrub_string(&mut entry.message);
        entry.params.iter_mut().for_each(scrub_value);
    }
    for exception in event.exception.values.iter_mut() {
        if let Some(value) = exception.value.as_mut() {
            scrub_string(value);
        }
    }
    scrub_strings(&mut event.tags);
    scrub_map(&mut event.extra);
    for context in event.contexts.values_mut() {
        if let Context::Other(members) = context {
            scrub_map(members);
        }
    }
    let breadcrumbs = std::mem::take(&mut event.breadcrumbs.values);
    event.breadcrumbs.values = breadcrumbs.into_iter().map(scrub_breadcrumb).collect();
    event
}

/// Breadcrumbs (log lines before an event) are scrubbed as events are.
pub fn scrub_breadcrumb(mut breadcrumb: Breadcrumb) -> Breadcrumb {
    if let Some(message) = breadcrumb.message.as_mut() {
        scrub_string(message);
    }
    scrub_map(&mut breadcrumb.data);
    breadcrumb
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use axum::{Router, body::Body, http::StatusCode, middleware, routing::get};
    use sentry::{
        Client, Envelope, Scope, SentryFutureExt, Transport,
        protocol::{Exception, Request as SentryRequest},
    };
    use tower::ServiceExt;
    use tracing_subscriber::prelude::*;

    use super::*;

    /// Keeps the events a client sends instead of sending them.
    #[derive(Default)]
    struct Captured(Mutex<Vec<Event<'static>>>);

    impl Transport for Captured {
        fn send_envelope(&self, envelope: Envelope) {
            self.0.lock().unwrap().extend(envelope.event().cloned());
        }
    }

    /// A hub whose client (with the default integrations, the panic hook among them) keeps
    /// its events in memory; the process's own hub is left alone.
    fn capturing_hub() -> (Arc<Hub>, Arc<Captured>) {
        let captured = Arc::new(Captured::default());
        let settings = ErrorReportingSettings {
            dsn: "https://public@sentry.invalid/1".parse().unwrap(),
            environment: "test".into(),
            release: "kyros@test".into(),
        };
        let options = sentry::apply_defaults(ClientOptions {
            transport: Some(Arc::new(captured.clone())),
            ..client_options(&settings)
        });
        let client = Arc::new(Client::from(options));
        (Arc::new(Hub::new(Some(client), Arc::new(Scope::default()))), captured)
    }

    async fn get_status(router: &Router, path: &str, request_id: &str) -> StatusCode {
        let request =
            axum::http::Request::get(path).header("x-request-id", request_id).body(Body::empty()).unwrap();
        router.clone().oneshot(request).await.unwrap().status()
    }

    async fn gives_up() -> StatusCode {
        panic!("the handler gave up on {EMAIL}")
    }

    // One thread, so the subscriber set for this test sees the handler's task too.
    #[tokio::test]
    async fn a_panicking_handler_or_a_bare_5xx_is_one_event_of_its_request() {
        let (hub, captured) = capturing_hub();
        async {
            let _logs = tracing_subscriber::registry().with(tracing_layer()).set_default();
            let router = Router::new()
                .route("/jobs/{id}", get(gives_up))
                .route("/unavailable", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
                .layer(middleware::from_fn(crate::app::run_to_completion))
                .layer(middleware::from_fn(report_server_errors))
                .layer(http_layer());
            assert_eq!(get_status(&router, "/jobs/7", "req-panic").await, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(get_status(&router, "/unavailable", "req-503").await, StatusCode::SERVICE_UNAVAILABLE);
        }
        .bind_hub(hub.clone())
        .await;

        let events = captured.0.lock().unwrap();
        assert_eq!(events.len(), 2, "the panic's error log is not a second event: {events:#?}");
        let panic = &events[0];
        assert_eq!(panic.tags["request_id"], "req-panic");
        assert_eq!(panic.transaction.as_deref(), Some("GET /jobs/{id}"));
        assert_eq!(panic.release.as_deref(), Some("kyros@test"));
        let value = panic.exception.values[0].value.as_deref().unwrap_or_default();
        assert_eq!(value, "the handler gave up on [email]");
        let bare = &events[1];
        assert_eq!(bare.tags["request_id"], "req-503");
        assert_eq!(bare.message.as_deref(), Some("GET /unavailable answered 503 Service Unavailable"));
    }

    const EMAIL: &str = "ada@example.com";
    const PASSWORD: &str = "correct horse battery"; // pragma: allowlist secret
    const INLINE_PASSWORD: &str = "Tr0ub4dor3x"; // pragma: allowlist secret
    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"; // pragma: allowlist secret
    const API_TOKEN: &str = "kyr_9fK2mQ7xLp4vN8sT1wZ6"; // pragma: allowlist secret
    const SESSION_COOKIE: &str = "kyros_session=s3ss10n-v4lu3"; // pragma: allowlist secret

    fn long_text() -> String {
        "The four-day week started as a pilot in our smallest team. ".repeat(40)
    }

    fn crafted_event() -> Event<'static> {
        let mut event = Event {
            message: Some(format!("login failed for {EMAIL} with password={INLINE_PASSWORD}")),
            user: Some(User {
                id: Some("0193-user".into()),
                email: Some(EMAIL.into()),
                username: Some("ada".into()),
                ip_address: Some("203.0.113.7".parse().unwrap()),
                ..User::default()
            }),
            request: Some(SentryRequest {
                url: Some(format!("https://api.kyros.test/jobs?access_token={JWT}#{EMAIL}").parse().unwrap()),
                method: Some("POST".into()),
                data: Some(format!("{{\"content\":\"{}\"}}", long_text())),
                query_string: Some(format!("access_token={JWT}&page=2")),
                cookies: Some(SESSION_COOKIE.into()),
                headers: [
                    ("Authorization".to_owned(), format!("Bearer {JWT}")),
                    ("Cookie".to_owned(), SESSION_COOKIE.to_owned()),
                    ("X-Forwarded-For".to_owned(), format!("client {EMAIL}")),
                    ("Content-Type".to_owned(), "application/json".to_owned()),
                ]
                .into_iter()
                .collect(),
                env: [("REMOTE_ADDR".to_owned(), "203.0.113.7".to_owned())].into_iter().collect(),
            }),
            ..Event::default()
        };
        event.exception.values.push(Exception {
            ty: "Error".into(),
            value: Some(format!("upstream refused `Authorization: Bearer {API_TOKEN}`")),
            ..Exception::default()
        });
        event.tags.insert("request_id".into(), "req-1".into());
        event.tags.insert("session".into(), SESSION_COOKIE.into());
        event.extra.insert("password".into(), PASSWORD.into());
        event.extra.insert("source".into(), "A short source".into());
        event.extra.insert(
            "nested".into(),
            serde_json::json!({ "client_secret": "s3cr3t", "emails": [EMAIL], "note": long_text() }),
        );
        event.contexts.insert(
            "Rust Tracing Fields".into(),
            Context::Other([("token".to_owned(), API_TOKEN.into())].into_iter().collect()),
        );
        event.breadcrumbs.values.push(Breadcrumb {
            message: Some(format!("signed in {EMAIL}")),
            data: [("authorization".to_owned(), format!("Bearer {JWT}").into())].into_iter().collect(),
            ..Breadcrumb::default()
        });
        event
    }

    #[test]
    fn no_secret_or_personal_data_leaves_an_event() {
        let scrubbed = scrub_event(crafted_event());
        let sent = serde_json::to_string(&scrubbed).unwrap();
        let secrets = [
            EMAIL,
            PASSWORD,
            INLINE_PASSWORD,
            JWT,
            API_TOKEN,
            "s3ss10n-v4lu3",
            "s3cr3t",
            "203.0.113.7",
            "four-day",
        ];
        for secret in secrets {
            assert!(!sent.contains(secret), "`{secret}` was sent: {sent}");
        }
        // What helps find the fault stays.
        assert_eq!(scrubbed.user.unwrap().id.as_deref(), Some("0193-user"));
        assert_eq!(scrubbed.tags["request_id"], "req-1");
        let request = scrubbed.request.unwrap();
        assert_eq!(request.url.unwrap().as_str(), "https://api.kyros.test/jobs");
        assert_eq!(request.query_string.as_deref(), Some("access_token=[redacted]&page=2"));
        assert_eq!(request.headers["Content-Type"], "application/json");
        assert_eq!(request.headers["Authorization"], REDACTED);
        assert_eq!(request.headers["X-Forwarded-For"], "client [email]");
        assert!(request.data.is_none() && request.cookies.is_none());
        assert_eq!(scrubbed.message.as_deref(), Some("login failed for [email] with password=[redacted]"));
        assert_eq!(
            scrubbed.exception.values[0].value.as_deref(),
            Some("upstream refused `Authorization: Bearer [redacted]`")
        );
        assert_eq!(scrubbed.extra["source"], REDACTED);
        assert_eq!(scrubbed.extra["nested"]["note"], "[2360 characters removed]");
        assert_eq!(scrubbed.breadcrumbs.values[0].message.as_deref(), Some("signed in [email]"));
    }

    #[test]
    fn breadcrumbs_are_scrubbed_before_they_are_kept() {
        let breadcrumb = scrub_breadcrumb(Breadcrumb {
            message: Some(format!("token refreshed for {EMAIL}: {JWT}")),
            data: [("password".to_owned(), PASSWORD.into()), ("route".to_owned(), "/jobs/{id}".into())]
                .into_iter()
                .collect(),
            ..Breadcrumb::default()
        });
        assert_eq!(breadcrumb.message.as_deref(), Some("token refreshed for [email]: [redacted]"));
        assert_eq!(breadcrumb.data["password"], REDACTED);
        assert_eq!(breadcrumb.data["route"], "/jobs/{id}");
    }

    #[test]
    fn an_error_keeps_its_chain_but_not_its_backtrace() {
        let frames =
            "   0: server::jobs::service::create\n             at ./src/jobs/service.rs:42\n".repeat(200);
        let mut logged =
            format!("no such table: jobs\n\nCaused by:\n    database error\n\nStack backtrace:\n{frames}");
        scrub_string(&mut logged);
        assert_eq!(logged, "no such table: jobs\n\nCaused by:\n    database error");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        let text = "GET /jobs/{id} answered 503 Service Unavailable";
        assert!(matches!(scrub_text(text), Cow::Borrowed(same) if same == text));
    }
}
