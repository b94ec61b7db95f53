//! OpenTelemetry traces. Every `tracing` span that passes the log filter is an OpenTelemetry
//! span; the W3C trace context (`traceparent`, `tracestate`) is taken from incoming requests
//! and queued jobs and handed on to the HTTP calls we make, so one user action is one trace
//! across the API, the queue and the worker.
//!
//! Configured only through the standard `OTEL_*` variables. Spans are exported in batches over
//! OTLP (HTTP, or gRPC when `OTEL_EXPORTER_OTLP_PROTOCOL` says `grpc`) when
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
//! Without an endpoint the OpenTelemetry layer is not installed at all (it would cost every
//! request a few per cent for spans nobody reads); the lighter [`IdsLayer`] still gives every
//! span a trace and span id (the caller's trace id when a `traceparent` came in) for log
//! lines, problem documents and the context we hand on.

use std::{collections::HashMap, env, fmt, sync::OnceLock, time::Duration};

use axum::http;

use opentelemetry::{
    Context, Key, KeyValue,
    propagation::TextMapPropagator,
    trace::{
        Link, SamplingDecision, SamplingResult, SpanContext, SpanId, SpanKind, TraceContextExt, TraceFlags,
        TraceId, TraceState, TracerProvider as _,
    },
};
use opentelemetry_http::{HeaderExtractor, HeaderInjector};
use opentelemetry_otlp::{Protocol, SpanExporter, WithExportConfig, WithTonicConfig};
use opentelemetry_sdk::{
    Resource,
    propagation::TraceContextPropagator,
    trace::{Config, IdGenerator, RandomIdGenerator, SdkTracerProvider, ShouldSample},
};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tracing::{Instrument, Span, Subscriber};
use tracing_opentelemetry::{OpenTelemetrySpanExt, OtelData};
use tracing_subscriber::{
    Layer, Registry,
    fmt::{FmtContext, FormatEvent, FormatFields, format::Writer},
    layer::Context as LayerContext,
    registry::LookupSpan,
};

/// The provider behind the installed OpenTelemetry layer, kept to flush it at exit.
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// The Tokio runtime the gRPC exporter's connection lives on (tonic needs one), apart from the
/// application's: the batch processor's thread exports through it even while the application's
/// runtime is busy or stopping, as the blocking HTTP client does with a runtime of its own.
static GRPC_RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// The layer that gives spans their trace ids: OpenTelemetry's when spans are exported
/// (`service` names the process, `service.name`, unless `OTEL_SERVICE_NAME` or
/// `OTEL_RESOURCE_ATTRIBUTES` does), otherwise [`IdsLayer`].
pub fn layer<S>(service: &'static str) -> anyhow::Result<Box<dyn Layer<S> + Send + Sync>>
where
    S: Subscriber + for<'span> LookupSpan<'span> + Send + Sync,
{
    // Tests install the subscriber once per story; later calls share the first provider.
    let provider = match PROVIDER.get() {
        Some(provider) => Some(provider.clone()),
        None => provider(service, &|name| env::var(name).ok())?
            .map(|built| PROVIDER.get_or_init(|| built).clone()),
    };
    Ok(match provider {
        Some(provider) => Box::new(tracing_opentelemetry::layer().with_tracer(provider.tracer("kyros"))),
        None => Box::new(IdsLayer),
    })
}

/// Whether spans are exported (the layer [`layer`] installed is OpenTelemetry's).
pub fn exporting() -> bool {
    PROVIDER.get().is_some()
}

/// Exports the spans still buffered; called once before the process exits.
pub fn shutdown() {
    if let Some(provider) = PROVIDER.get()
        && let Err(error) = provider.shutdown()
    {
        tracing::warn!(%error, "flushing traces failed");
    }
}

/// The exporting provider, or `None` when nothing is configured to read spans.
fn provider(
    service: &'static str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<SdkTracerProvider>> {
    let Some(protocol) = export_protocol(lookup)? else {
        return Ok(None);
    };
    // The exporter reads the endpoint, headers, timeout and compression from the environment;
    // the batch processor exports from a thread of its own, so a slow or absent collector
    // never holds up a request (spans beyond its queue are dropped).
    let exporter = match protocol {
        Protocol::Grpc => {
            // The channel connects lazily, on the runtime current when it is built.
            let _entered = grpc_runtime()?.enter();
            SpanExporter::builder().with_tonic().with_channel(grpc_channel(lookup)?).build()
        }
        http => SpanExporter::builder().with_http().with_protocol(http).build(),
    }
    .map_err(|error| anyhow::anyhow!("building the OTLP span exporter: {error}"))?;
    // The default configuration holds the sampler `OTEL_TRACES_SAMPLER` asks for.
    let sampler = SkipProbes(Config::default().sampler);
    Ok(Some(
        SdkTracerProvider::builder()
            .with_resource(resource(service))
            .with_sampler(sampler)
            .with_batch_exporter(exporter)
            .build(),
    ))
}

/// [`GRPC_RUNTIME`], started on first use.
fn grpc_runtime() -> std::io::Result<&'static tokio::runtime::Runtime> {
    if let Some(runtime) = GRPC_RUNTIME.get() {
        return Ok(runtime);
    }
    let built = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("otlp-grpc")
        .enable_all()
        .build()?;
    Ok(GRPC_RUNTIME.get_or_init(|| built))
}

/// A span's place in its trace when nothing exports spans.
#[derive(Debug, Clone, Copy)]
struct SpanIds {
    trace_id: TraceId,
    span_id: SpanId,
}

/// Gives every span a [`SpanIds`]: its parent's trace id, or a new one for a root span, and a
/// span id of its own. That is all log lines, problem documents and outgoing `traceparent`
/// headers need, at a fraction of a recording layer's cost.
pub struct IdsLayer;

impl<S> Layer<S> for IdsLayer
where
    S: Subscriber + for<'span> LookupSpan<'span>,
{
    fn on_new_span(
        &self,
        _: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: LayerContext<'_, S>,
    ) {
        let Some(span) = ctx.span(id) else { return };
        // The registry has already settled the parent, explicit or the current span.
        let parent_trace =
            span.parent().and_then(|parent| parent.extensions().get::<SpanIds>().map(|ids| ids.trace_id));
        let generator = RandomIdGenerator::default();
        let ids = SpanIds {
            trace_id: parent_trace.unwrap_or_else(|| generator.new_trace_id()),
            span_id: generator.new_span_id(),
        };
        span.extensions_mut().insert(ids);
    }
}

/// Runs `f` on `span`'s [`SpanIds`] when the [`IdsLayer`] gave it some.
fn with_ids<T>(span: &Span, f: impl FnOnce(&mut SpanIds) -> T) -> Option<T> {
    let mut result = None;
    span.with_subscriber(|(id, dispatch)| {
        let registry = dispatch.downcast_ref::<Registry>()?;
        let data = registry.span(id)?;
        let mut extensions = data.extensions_mut();
        result = extensions.get_mut::<SpanIds>().map(f);
        Some(())
    });
    result
}

/// `span`'s context: OpenTelemetry's when spans are exported, otherwise built from its ids.
fn span_context(span: &Span) -> SpanContext {
    let recorded = span.context().span().span_context().clone();
    if recorded.is_valid() {
        return recorded;
    }
    with_ids(span, |ids| {
        SpanContext::new(ids.trace_id, ids.span_id, TraceFlags::default(), false, TraceState::default())
    })
    .unwrap_or_else(SpanContext::empty_context)
}

/// Requests from health probes and Prometheus: every few seconds, never interesting, and they
/// would bury the traces of real requests.
const PROBES: [&str; 4] = ["GET /healthz", "GET /health", "GET /readyz", "GET /metrics"];

/// The configured sampler, except that probe requests are never sampled.
#[derive(Debug, Clone)]
struct SkipProbes(Box<dyn ShouldSample>);

impl ShouldSample for SkipProbes {
    fn should_sample(
        &self,
        parent_context: Option<&Context>,
        trace_id: TraceId,
        name: &str,
        span_kind: &SpanKind,
        attributes: &[KeyValue],
        links: &[Link],
    ) -> SamplingResult {
        if PROBES.contains(&name) {
            let trace_state = parent_context
                .map(|parent| parent.span().span_context().trace_state().clone())
                .unwrap_or_default();
            return SamplingResult { decision: SamplingDecision::Drop, attributes: Vec::new(), trace_state };
        }
        self.0.should_sample(parent_context, trace_id, name, span_kind, attributes, links)
    }
}

/// The OTLP/gRPC endpoint when none is configured, as the specification gives it.
const DEFAULT_GRPC_ENDPOINT: &str = "http://localhost:4317";

/// How long one export may take, connecting included, unless `OTEL_EXPORTER_OTLP_TIMEOUT` says
/// (the specification's default).
const DEFAULT_EXPORT_TIMEOUT: Duration = Duration::from_secs(10);

/// The gRPC exporter's channel, built here rather than by the exporter for two reasons. A
/// connect timeout: the exporter sets only tonic's request timeout, which starts once a
/// connection is up, so an export to a host that drops packets would wait for the operating
/// system's TCP timeout, minutes. And TLS for an `https` endpoint: the exporter sets none on a
/// channel it builds unless given a configuration, so it would not connect. The web PKI roots
/// are trusted, and the certificate authority `OTEL_EXPORTER_OTLP_CERTIFICATE` names (a PEM
/// file), for a collector with a private one.
fn grpc_channel(lookup: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Channel> {
    let set = |name: &str| setting(lookup, name);
    let address = set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .or_else(|| set("OTEL_EXPORTER_OTLP_ENDPOINT"))
        .unwrap_or_else(|| DEFAULT_GRPC_ENDPOINT.to_owned());
    let timeout = match set("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT").or_else(|| set("OTEL_EXPORTER_OTLP_TIMEOUT"))
    {
        Some(millis) => Duration::from_millis(millis.parse().map_err(|_| {
            anyhow::anyhow!("OTEL_EXPORTER_OTLP_TIMEOUT `{millis}` is not a number of milliseconds")
        })?),
        None => DEFAULT_EXPORT_TIMEOUT,
    };
    let endpoint = Endpoint::from_shared(address.clone())
        .map_err(|error| anyhow::anyhow!("OTEL_EXPORTER_OTLP_ENDPOINT `{address}`: {error}"))?
        .connect_timeout(timeout)
        .timeout(timeout);
    let endpoint = if address.starts_with("https://") {
        let mut tls = ClientTlsConfig::new().with_webpki_roots();
        if let Some(path) =
            set("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE").or_else(|| set("OTEL_EXPORTER_OTLP_CERTIFICATE"))
        {
            let pem = std::fs::read(&path).map_err(|error| {
                anyhow::anyhow!("reading OTEL_EXPORTER_OTLP_CERTIFICATE `{path}`: {error}")
            })?;
            tls = tls.ca_certificate(Certificate::from_pem(pem));
        }
        endpoint.tls_config(tls).map_err(|error| anyhow::anyhow!("the gRPC exporter's TLS: {error}"))?
    } else {
        endpoint
    };
    Ok(endpoint.connect_lazy())
}

/// The variable `name`, trimmed, when it is set and not blank.
fn setting(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
}

/// How spans are exported: `None` when no endpoint is configured or export is switched off.
fn export_protocol(lookup: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<Option<Protocol>> {
    let set = |name: &str| setting(lookup, name);
    let disabled = set("OTEL_SDK_DISABLED").is_some_and(|value| value.eq_ignore_ascii_case("true"))
        || set("OTEL_TRACES_EXPORTER").is_some_and(|value| value == "none");
    if disabled
        || (set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_none()
            && set("OTEL_EXPORTER_OTLP_ENDPOINT").is_none())
    {
        return Ok(None);
    }
    match set("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL").or_else(|| set("OTEL_EXPORTER_OTLP_PROTOCOL")).as_deref()
    {
        None | Some("http/protobuf") => Ok(Some(Protocol::HttpBinary)),
        Some("http/json") => Ok(Some(Protocol::HttpJson)),
        Some("grpc") => Ok(Some(Protocol::Grpc)),
        Some(other) => {
            anyhow::bail!(
                "OTEL_EXPORTER_OTLP_PROTOCOL `{other}` is not supported: use http/protobuf, http/json or grpc"
            )
        }
    }
}

fn resource(service: &'static str) -> Resource {
    let detected = Resource::builder().build();
    let named = detected
        .get(&Key::from_static_str("service.name"))
        .is_some_and(|name| !name.as_str().starts_with("unknown_service"));
    if named { detected } else { Resource::builder().with_service_name(service).build() }
}

fn propagator() -> TraceContextPropagator {
    TraceContextPropagator::new()
}

/// Makes `span` a child of the remote span `parent` names; an empty `parent` leaves it as is.
fn adopt(span: &Span, parent: Context) {
    let remote = parent.span().span_context().clone();
    if !remote.is_valid() {
        return;
    }
    // Only one of the two layers is installed: the other call does nothing.
    with_ids(span, |ids| ids.trace_id = remote.trace_id());
    let _ = span.set_parent(parent);
}

/// Continues the caller's trace (`traceparent`, `tracestate` headers) in `span`.
pub fn continue_request(span: &Span, headers: &http::HeaderMap) {
    adopt(span, propagator().extract(&HeaderExtractor(headers)));
}

/// `span`'s trace context as W3C headers, to travel inside a queued message.
pub fn carrier(span: &Span) -> HashMap<String, String> {
    let mut carrier = HashMap::new();
    inject(span, &mut carrier);
    carrier
}

/// Writes `span`'s context into `carrier` (`traceparent`, `tracestate`).
fn inject(span: &Span, carrier: &mut dyn opentelemetry::propagation::Injector) {
    let context = Context::new().with_remote_span_context(span_context(span));
    propagator().inject_context(&context, carrier);
}

/// Continues in `span` the trace a queued message carries.
pub fn continue_message(span: &Span, carrier: &HashMap<String, String>) {
    adopt(span, propagator().extract(carrier));
}

/// The current trace's id (32 hex digits, as in `traceparent`), if there is one.
pub fn current_trace_id() -> Option<String> {
    let span_context = span_context(&Span::current());
    span_context.is_valid().then(|| span_context.trace_id().to_string())
}

/// Sends `request` in a client span whose context travels in its `traceparent` header, so the
/// receiver can continue the trace.
pub async fn send(request: reqwest::RequestBuilder) -> reqwest::Result<reqwest::Response> {
    let (client, request) = request.build_split();
    let mut request = request?;
    let span = tracing::info_span!(
        "http.client",
        otel.name = %request.method(),
        otel.kind = "client",
        http.request.method = %request.method(),
        server.address = request.url().host_str().unwrap_or_default(),
        http.response.status_code = tracing::field::Empty,
    );
    inject(&span, &mut HeaderInjector(request.headers_mut()));
    let response = client.execute(request).instrument(span.clone()).await;
    if let Ok(response) = &response {
        span.record("http.response.status_code", response.status().as_u16());
    }
    response
}

/// The span of one API request (`request_id` from its `x-request-id`), continuing the caller's
/// trace when its headers carry one. Its OpenTelemetry fields (the span's name and kind here,
/// its status in [`record_response`]) are recorded only while spans are exported: the JSON log
/// formatter writes out every field a span holds when it opens, and parses and writes them all
/// again for each field recorded later, for fields no log line needs.
pub fn request_span(method: &http::Method, path: &str, headers: &http::HeaderMap, request_id: &str) -> Span {
    let span = tracing::info_span!(
        "http",
        method = %method,
        path = %path,
        request_id,
        user_id = tracing::field::Empty,
        otel.name = tracing::field::Empty,
        otel.kind = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    if exporting() {
        // Before the span starts: the sampler reads its name (probes are left out).
        span.record("otel.name", request_span_name(method, path));
        span.record("otel.kind", "server");
    }
    continue_request(&span, headers);
    span
}

/// Records the answer's status in a [`request_span`] while spans are exported; a 5xx marks the
/// span as failed.
pub fn record_response(span: &Span, status: http::StatusCode) {
    if !exporting() {
        return;
    }
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
}

/// The name of a request's span: its method and path, with ids replaced by `{id}` so that
/// requests to one route share a name.
pub fn request_span_name(method: &http::Method, path: &str) -> String {
    let route: Vec<&str> = path
        .split('/')
        .map(|segment| if uuid::Uuid::try_parse(segment).is_ok() { "{id}" } else { segment })
        .collect();
    format!("{method} {}", route.join("/"))
}

/// A JSON log format that starts each line logged inside a span with its `trace_id` and
/// `span_id`.
pub struct WithTraceIds<F>(pub F);

impl<S, N, F> FormatEvent<S, N> for WithTraceIds<F>
where
    S: Subscriber + for<'span> LookupSpan<'span>,
    N: for<'writer> FormatFields<'writer> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        context: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> fmt::Result {
        let ids = context.lookup_current().and_then(|span| {
            let extensions = span.extensions();
            if let Some(ids) = extensions.get::<SpanIds>() {
                return Some((ids.trace_id, ids.span_id));
            }
            let data = extensions.get::<OtelData>()?;
            Some((data.trace_id()?, data.span_id()?))
        });
        let Some((trace_id, span_id)) =
            ids.filter(|(trace_id, _)| *trace_id != opentelemetry::TraceId::INVALID)
        else {
            return self.0.format_event(context, writer, event);
        };
        let mut line = String::new();
        self.0.format_event(context, Writer::new(&mut line), event)?;
        match line.strip_prefix('{') {
            // Written first, the ids cannot be taken for one of the event's own fields.
            Some(rest) if !rest.starts_with('}') => {
                write!(writer, "{{\"trace_id\":\"{trace_id}\",\"span_id\":\"{span_id}\",{rest}")
            }
            _ => writer.write_str(&line),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::{
        io,
        sync::{Arc, Mutex},
    };

    use opentelemetry_sdk::trace::Sampler;
    use tracing_subscriber::{fmt::MakeWriter, prelude::*};

    use super::*;

    /// Log lines written to memory.
    #[derive(Clone, Default)]
    pub(crate) struct Lines(Arc<Mutex<Vec<u8>>>);

    impl Lines {
        pub(crate) fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    impl io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl MakeWriter<'_> for Lines {
        type Writer = Lines;

        fn make_writer(&self) -> Lines {
            self.clone()
        }
    }

    /// Logs `inside` within a span that continues a caller's trace, then `outside`, through
    /// `ids` (the layer giving spans their ids) and the JSON format; returns the lines.
    fn log_through(
        ids: Box<dyn Layer<Registry> + Send + Sync>,
        trace_id: &str,
        caller_span_id: &str,
    ) -> String {
        let lines = Lines::default();
        let json = tracing_subscriber::fmt::format().json().flatten_event(true).with_current_span(true);
        let subscriber = tracing_subscriber::registry().with(ids).with(
            tracing_subscriber::fmt::layer()
                .json()
                .event_format(WithTraceIds(json))
                .with_writer(lines.clone()),
        );
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("work");
            let mut headers = http::HeaderMap::new();
            headers.insert("traceparent", format!("00-{trace_id}-{caller_span_id}-01").parse().unwrap());
            continue_request(&span, &headers);
            span.in_scope(|| tracing::info!(job_id = 7, "inside"));
            tracing::info!("outside");
        });
        lines.text()
    }

    #[test]
    fn json_lines_logged_in_a_span_carry_its_ids_whether_or_not_spans_are_exported() {
        let trace_id = "0af7651916cd43dd8448eb211c80319c"; // pragma: allowlist secret
        let caller_span_id = "b7ad6b7169203331"; // pragma: allowlist secret
        let exporting = SdkTracerProvider::builder().build();
        for ids in [
            Box::new(IdsLayer) as Box<dyn Layer<Registry> + Send + Sync>,
            Box::new(tracing_opentelemetry::layer().with_tracer(exporting.tracer("test"))),
        ] {
            let written = log_through(ids, trace_id, caller_span_id);
            let logged: Vec<serde_json::Value> =
                written.lines().map(|line| serde_json::from_str(line).expect(line)).collect();
            assert_eq!(logged.len(), 2, "{written}");
            assert_eq!(logged[0]["message"], "inside");
            assert_eq!(logged[0]["job_id"], 7);
            assert_eq!(logged[0]["span"]["name"], "work");
            assert_eq!(logged[0]["trace_id"], trace_id);
            let span_id = logged[0]["span_id"].as_str().unwrap();
            assert!(span_id.len() == 16 && span_id != caller_span_id, "{span_id}");
            assert_eq!(logged[1]["message"], "outside");
            assert!(logged[1].get("trace_id").is_none(), "{}", logged[1]);
        }
    }

    #[test]
    fn without_export_child_spans_share_the_root_trace_and_hand_it_on() {
        let subscriber = tracing_subscriber::registry().with(IdsLayer);
        tracing::subscriber::with_default(subscriber, || {
            let root = tracing::info_span!("request");
            let child = root.in_scope(|| tracing::info_span!("db.query"));
            let other = tracing::info_span!("another request");
            let (root_context, child_context) = (span_context(&root), span_context(&child));
            assert!(root_context.is_valid() && child_context.is_valid());
            assert_eq!(root_context.trace_id(), child_context.trace_id());
            assert_ne!(root_context.span_id(), child_context.span_id());
            assert_ne!(span_context(&other).trace_id(), root_context.trace_id());

            let carried = carrier(&child);
            let expected = format!("00-{}-{}-00", root_context.trace_id(), child_context.span_id());
            assert_eq!(carried.get("traceparent"), Some(&expected));
            let worker = tracing::info_span!("job.process");
            continue_message(&worker, &carried);
            assert_eq!(worker.in_scope(current_trace_id), Some(root_context.trace_id().to_string()));
        });
    }

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    #[test]
    fn nothing_is_exported_without_an_endpoint() {
        let none: &[(&str, &str)] = &[("OTEL_SERVICE_NAME", "kyros"), ("OTEL_TRACES_SAMPLER", "always_on")];
        assert_eq!(export_protocol(&lookup(none)).unwrap(), None);
        let blank = [("OTEL_EXPORTER_OTLP_ENDPOINT", " ")];
        assert_eq!(export_protocol(&lookup(&blank)).unwrap(), None);
        let switched_off =
            [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), ("OTEL_TRACES_EXPORTER", "none")];
        assert_eq!(export_protocol(&lookup(&switched_off)).unwrap(), None);
        // Not even to gRPC's default endpoint, localhost:4317.
        let grpc_only = [("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")];
        assert_eq!(export_protocol(&lookup(&grpc_only)).unwrap(), None);
    }

    #[test]
    fn protobuf_over_http_is_the_default_protocol() {
        let endpoint = [("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces")];
        assert_eq!(export_protocol(&lookup(&endpoint)).unwrap(), Some(Protocol::HttpBinary));
        let json =
            [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")];
        assert_eq!(export_protocol(&lookup(&json)).unwrap(), Some(Protocol::HttpJson));
    }

    #[test]
    fn grpc_is_chosen_for_all_signals_or_for_traces_alone() {
        let grpc =
            [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")];
        assert_eq!(export_protocol(&lookup(&grpc)).unwrap(), Some(Protocol::Grpc));
        let traces_only = [
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"),
        ];
        assert_eq!(export_protocol(&lookup(&traces_only)).unwrap(), Some(Protocol::Grpc));
        let unknown =
            [("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc/json")];
        let refused = export_protocol(&lookup(&unknown)).unwrap_err().to_string();
        assert!(refused.contains("grpc/json") && refused.contains("use http/protobuf"), "{refused}");
    }

    /// tonic's channel needs a Tokio runtime: the exporter brings its own, so it is built (and
    /// flushed) the same from plain threads as from inside the commands' runtime.
    #[test]
    fn a_grpc_exporter_needs_no_runtime_of_the_caller() {
        let grpc = [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
        ];
        let provider = provider("kyros-test", &lookup(&grpc)).unwrap().expect("an exporting provider");
        provider.shutdown().unwrap();
    }

    /// A collector that never answers: a listener whose queue of connections not yet accepted
    /// is full, so the kernel drops further attempts unanswered, as a firewall that drops
    /// packets does. The export gives up at its timeout instead of the system's TCP timeout.
    #[test]
    fn a_grpc_export_to_a_collector_that_never_answers_gives_up_at_its_timeout() {
        use opentelemetry::trace::{Span as _, Tracer as _};

        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().build().unwrap();
        let listener = runtime.block_on(async {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
            socket.listen(0).unwrap()
        });
        let address = listener.local_addr().unwrap();
        let _waiting_in_the_queue = std::net::TcpStream::connect(address).unwrap();
        let endpoint = format!("http://{address}");
        let grpc = [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.as_str()),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "300"),
        ];
        let provider = provider("kyros-test", &lookup(&grpc)).unwrap().expect("an exporting provider");
        provider.tracer("test").start("unanswered").end();
        // The flush waits 5 s for the export's outcome; connecting would still be going on then.
        let flushed = provider.force_flush();
        // The provider wraps each processor's outcome: `Timeout(5s)` when the flush gave up.
        let Err(error) = flushed else { panic!("nothing can have received the span") };
        assert!(!format!("{error:?}").contains("Timeout"), "{error:?}");
    }

    #[test]
    fn a_grpc_export_timeout_must_be_milliseconds() {
        let grpc = [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "10s"),
        ];
        let error = provider("kyros-test", &lookup(&grpc)).unwrap_err().to_string();
        assert!(error.contains("OTEL_EXPORTER_OTLP_TIMEOUT `10s`"), "{error}");
    }

    #[test]
    fn probes_are_left_out_of_traces() {
        let sampler = SkipProbes(Box::new(Sampler::AlwaysOn));
        let trace_id = TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").unwrap(); // pragma: allowlist secret
        let decide =
            |name: &str| sampler.should_sample(None, trace_id, name, &SpanKind::Server, &[], &[]).decision;
        assert_eq!(decide(&request_span_name(&http::Method::GET, "/readyz")), SamplingDecision::Drop);
        assert_eq!(decide("GET /metrics"), SamplingDecision::Drop);
        assert_eq!(
            decide(&request_span_name(&http::Method::POST, "/jobs")),
            SamplingDecision::RecordAndSample
        );
    }

    #[test]
    fn request_spans_are_named_after_their_route() {
        let path = "/jobs/0190c6d4-9b1e-7c3a-8f00-000000000001/variants";
        assert_eq!(request_span_name(&http::Method::POST, path), "POST /jobs/{id}/variants");
        assert_eq!(request_span_name(&http::Method::GET, "/healthz"), "GET /healthz");
    }
}
