//! What tracing costs one API request when nothing is configured: the request's span as the
//! API opens it, the signed-in user recorded in it and the answer's status, through the
//! subscriber `kyros serve` installs (default filter, JSON log lines; written to a sink here).
//! Once as a console call without trace context and once continuing its `traceparent`.
//! Run it with no `OTEL_*` variable set: it measures the case where nothing is exported.

use std::hint::black_box;

use axum::http::{HeaderMap, Method, StatusCode};
use criterion::{Criterion, criterion_group, criterion_main};
use server::{config::LogFormat, telemetry, traces};

fn one_request(headers: &HeaderMap) -> Option<String> {
    let path = "/jobs/0190c6d4-9b1e-7c3a-8f00-000000000001";
    let span = traces::request_span(&Method::GET, path, headers, "5f0c2d9e-request-id");
    let trace_id = span.in_scope(|| {
        // As the bearer-token extractor does once it knows the user.
        tracing::Span::current().record("user_id", tracing::field::display("0190c6d4-user"));
        traces::current_trace_id()
    });
    traces::record_response(&span, StatusCode::OK);
    trace_id
}

fn bench_request_spans(c: &mut Criterion) {
    let dispatch = telemetry::dispatch(LogFormat::Json, "kyros", std::io::sink).expect("a subscriber");
    assert!(!traces::exporting(), "run without OTEL_* variables: this measures nothing exported");
    let mut with_traceparent = HeaderMap::new();
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"; // pragma: allowlist secret
    with_traceparent.insert("traceparent", traceparent.parse().unwrap());
    let cases = [("without_trace_context", HeaderMap::new()), ("continuing_traceparent", with_traceparent)];
    let mut group = c.benchmark_group("request_spans");
    tracing::dispatcher::with_default(&dispatch, || {
        for (name, headers) in cases {
            assert!(one_request(&headers).is_some(), "{name} gave no trace id");
            group.bench_function(name, |b| b.iter(|| one_request(black_box(&headers))));
        }
    });
    group.finish();
}

criterion_group!(benches, bench_request_spans);
criterion_main!(benches);
