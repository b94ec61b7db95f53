//! The HTTP application: routes, OpenAPI document, middleware.

use std::time::Duration;

use axum::{
    Router,
    body::{Body, to_bytes},
    extract::{DefaultBodyLimit, Request},
    http::{HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    admin, api_tokens, audit, auth, channels, connections, connectors, console,
    error::{PROBLEM_CONTENT_TYPE, problem_response, status_problem},
    error_reporting, exports, health, jobs,
    jobs::variants,
    kpis, metrics, presets, rate_limit, schedules, shared_responses, slots, sources,
    state::AppState,
    tools, traces, usage, users,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Problem bodies are small; anything larger is passed through untouched.
const MAX_PROBLEM_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Kyros API", description = "Repurpose one source into channel-ready posts."),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign up, sign in, token rotation"),
        (name = "users", description = "The signed-in account"),
        (name = "channels", description = "Channel rules"),
        (name = "presets", description = "Saved channels, tone and settings"),
        (name = "jobs", description = "Repurposing requests and their progress"),
        (name = "variants", description = "Generated posts: review, edit, accept"),
        (name = "exports", description = "Downloads"),
        (name = "uploads", description = "Files to repurpose"),
        (name = "schedules", description = "Publishing accepted posts once or on a recurrence; calendar feed"),
        (name = "connectors", description = "Where scheduled posts are delivered"),
        (name = "connections", description = "Connected X, LinkedIn, Mastodon and Bluesky accounts"),
        (name = "slots", description = "Each connected account's weekly posting slots and its queue"),
        (name = "kpis", description = "Dashboard figures computed from your jobs, variants and schedules"),
        (name = "usage", description = "Consumption against the caller's quota"),
        (name = "health", description = "Liveness and readiness"),
        (name = "tools", description = "Providers and connectors, switched on and off by administrators"),
        (name = "admin", description = "Accounts and the audit log (administrators only)"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

/// The API's routes and their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (routes, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(channels::router())
        .merge(users::router())
        .merge(api_tokens::router())
        .merge(presets::router())
        .merge(jobs::router())
        .merge(variants::router())
        .merge(exports::router())
        .merge(sources::uploads::router())
        .merge(schedules::router())
        .merge(connectors::router())
        .merge(connections::router())
        .merge(slots::router())
        .merge(kpis::router())
        .merge(usage::router())
        .merge(health::router())
        .merge(tools::router())
        .merge(admin::router())
        .merge(audit::router())
        .split_for_parts();
    shared_responses::document(&mut openapi);
    (routes, openapi)
}

/// The OpenAPI document as served at `/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api().1
}

/// The complete application with middleware, ready to serve.
pub fn build_router(state: AppState) -> Router {
    let (routes, openapi) = api();
    let (body_limit, timeout, cors) = (
        state.config.request_body_limit_bytes,
        state.config.request_timeout,
        cors(&state.config.cors_origins),
    );
    // Set when this server serves the console: the other origins the console may call.
    let console_connect_src =
        (state.config.serve_console && console::is_built()).then(|| state.config.console_connect_src.clone());
    let api = routes
        .merge(SwaggerUi::new("/docs").url("/openapi.json", openapi))
        .fallback(|| async { problem_response(StatusCode::NOT_FOUND, status_problem(StatusCode::NOT_FOUND)) })
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(state, rate_limit::limit_requests::<auth::AuthUser>))
        .layer(middleware::from_fn(run_to_completion))
        // Bounds the wait for the response head only; a streamed body (job events) has its own cap.
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(cors);
    let app = match console_connect_src {
        Some(connect_src) => console::in_front_of(api, &connect_src),
        None => api,
    };
    app.layer(middleware::from_fn(problem_details))
        .layer(security_headers())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(tower::util::option_layer(
            error_reporting::enabled().then(|| middleware::from_fn(error_reporting::report_server_errors)),
        ))
        .layer(error_reporting::http_layer())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let request_id =
                        request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                    traces::request_span(
                        request.method(),
                        request.uri().path(),
                        request.headers(),
                        request_id,
                    )
                })
                .on_response(|response: &Response, _: Duration, span: &tracing::Span| {
                    traces::record_response(span, response.status());
                }),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(metrics::track_requests))
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            // W3C trace context: the console's traces continue here.
            HeaderName::from_static("traceparent"),
            HeaderName::from_static("tracestate"),
        ])
        .expose_headers([
            header::LOCATION,
            header::CONTENT_DISPOSITION,
            REQUEST_ID,
            header::RETRY_AFTER,
            rate_limit::RATE_LIMIT_LIMIT,
            rate_limit::RATE_LIMIT_REMAINING,
            rate_limit::RATE_LIMIT_RESET,
        ])
        .max_age(Duration::from_secs(3600))
}

fn security_headers() -> tower::layer::util::Stack<
    SetResponseHeaderLayer<HeaderValue>,
    tower::layer::util::Stack<SetResponseHeaderLayer<HeaderValue>, SetResponseHeaderLayer<HeaderValue>>,
> {
    tower::layer::util::Stack::new(
        SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        tower::layer::util::Stack::new(
            SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
        ),
    )
}

/// Runs each request's handler to completion in a task of its own, even when the client goes
/// away or the timeout answers first. Dropping a handler mid-way can drop a database transaction
/// between its statements, or while its BEGIN or COMMIT is on the wire, and hand the connection
/// back to the pool inside a transaction: the next user's statements then run in it and its
/// snapshot stays open, slowing every later read. Completing is cheap; work is bounded anyway.
pub(crate) async fn run_to_completion(request: Request, next: Next) -> Response {
    use sentry::SentryFutureExt;
    use tracing::Instrument;
    let handler = next.run(request).in_current_span();
    // The task keeps the request's error-reporting hub: its panics and errors are the request's.
    let task = if error_reporting::enabled() {
        tokio::spawn(handler.bind_hub(sentry::Hub::current()))
    } else {
        tokio::spawn(handler)
    };
    match task.await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(%error, "a request handler panicked");
            let status = StatusCode::INTERNAL_SERVER_ERROR;
            problem_response(status, status_problem(status))
        }
    }
}

/// Makes every error response a problem document carrying the request and trace ids: ours
/// gain the ids, and bare ones from the framework (405, 408, 413, timeouts) become problems.
async fn problem_details(request: Request, next: Next) -> Response {
    let request_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Still the request's span: the trace layer runs this middleware inside it.
    let trace_id = traces::current_trace_id();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_CONTENT_TYPE.as_bytes()));
    let (mut parts, body) = response.into_parts();
    let mut problem = if is_problem {
        match to_bytes(body, MAX_PROBLEM_BYTES).await {
            Ok(bytes) => serde_json::from_slice::<serde_json::Value>(&bytes).unwrap_or_default(),
            Err(_) => serde_json::Value::Null,
        }
    } else {
        serde_json::to_value(status_problem(status)).unwrap_or_default()
    };
    if let Some(object) = problem.as_object_mut() {
        object.insert("request_id".into(), request_id.into());
        object.insert("trace_id".into(), trace_id.into());
    } else {
        problem = serde_json::to_value(status_problem(status)).unwrap_or_default();
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
    let body = Body::from(serde_json::to_vec(&problem).unwrap_or_default());
    Response::from_parts(parts, body).into_response()
}
