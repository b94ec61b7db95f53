//! Structured logs and traces through `tracing`.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::{config::LogFormat, traces};

/// Installs the global subscriber; `RUST_LOG` overrides the default filter. Spans it lets
/// through are also OpenTelemetry spans of `service` when traces are exported
/// (docs/DEPLOYMENT.md); JSON lines logged inside a span carry its `trace_id` and `span_id`
/// either way.
pub fn init(format: LogFormat, service: &'static str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,apalis=warn"));
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(traces::layer(service)?)
        .with(crate::error_reporting::tracing_layer());
    let result = match format {
        LogFormat::Json => registry
            .with(fmt::layer().json().event_format(traces::WithTraceIds(
                fmt::format().json().flatten_event(true).with_current_span(true).with_span_list(false),
            )))
            .try_init(),
        LogFormat::Pretty => registry.with(fmt::layer()).try_init(),
    };
    // A second init (tests) keeps the first subscriber.
    let _ = result;
    Ok(())
}

/// Exports the spans still buffered; called once before the process exits.
pub fn shutdown() {
    traces::shutdown();
}
