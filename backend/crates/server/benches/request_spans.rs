//! What tracing costs one API request when no span is exported: the request's span continuing
//! the caller's `traceparent`, three store spans inside it and the trace id a problem document
//! reads, through the layer `kyros serve` installs without an endpoint (`IdsLayer`) and through
//! a non-recording OpenTelemetry layer (what it installed before).

use std::hint::black_box;

use axum::http::HeaderMap;
use criterion::{Criterion, criterion_group, criterion_main};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{Sampler, SdkTracerProvider};
use server::traces::{IdsLayer, continue_request, current_trace_id, request_span_name};
use tracing::Dispatch;
use tracing_subscriber::prelude::*;

fn one_request(headers: &HeaderMap) -> Option<String> {
    let method = axum::http::Method::GET;
    let path = "/jobs/0190c6d4-9b1e-7c3a-8f00-000000000001";
    let span = tracing::info_span!(
        "http",
        otel.name = %request_span_name(&method, path),
        otel.kind = "server",
        method = %method,
        path = %path,
        request_id = "-",
        user_id = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
    );
    continue_request(&span, headers);
    span.in_scope(|| {
        for statement in ["db.find_owned", "db.variants", "db.usage"] {
            tracing::info_span!("db", otel.name = statement).in_scope(|| black_box(statement));
        }
        span.record("http.response.status_code", 200);
        current_trace_id()
    })
}

fn bench_request_spans(c: &mut Criterion) {
    let mut headers = HeaderMap::new();
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"; // pragma: allowlist secret
    headers.insert("traceparent", traceparent.parse().unwrap());
    let unexported = SdkTracerProvider::builder().with_sampler(Sampler::AlwaysOff).build();
    let layers = [
        ("ids_only", Dispatch::new(tracing_subscriber::registry().with(IdsLayer))),
        (
            "opentelemetry_unsampled",
            Dispatch::new(
                tracing_subscriber::registry()
                    .with(tracing_opentelemetry::layer().with_tracer(unexported.tracer("bench"))),
            ),
        ),
    ];
    let mut group = c.benchmark_group("request_spans");
    for (name, dispatch) in layers {
        tracing::dispatcher::with_default(&dispatch, || {
            assert!(one_request(&headers).is_some(), "{name} gave no trace id");
            group.bench_function(name, |b| b.iter(|| one_request(black_box(&headers))));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_request_spans);
criterion_main!(benches);
