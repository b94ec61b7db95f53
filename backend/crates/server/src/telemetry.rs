//! Structured logs and traces through `tracing`.

use tracing::Dispatch;
use tracing_subscriber::{EnvFilter, fmt, fmt::MakeWriter, prelude::*};

use crate::{config::LogFormat, traces};

/// The log filter unless `RUST_LOG` gives one.
const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,apalis=warn";

/// SeaORM's span around each SQL statement (`sea_orm.query_all`, `sea_orm.execute`, …, with
/// the parameterised statement as `db.statement`, never its values).
const STATEMENT_SPANS: &str = "sea_orm::database";

/// Installs the global subscriber, writing to standard output; `RUST_LOG` overrides the
/// default filter. Spans it lets through are also OpenTelemetry spans of `service` when traces
/// are exported (docs/DEPLOYMENT.md); JSON lines logged inside a span carry its `trace_id` and
/// `span_id` either way.
pub fn init(format: LogFormat, service: &'static str) -> anyhow::Result<()> {
    // A second init (tests) keeps the first subscriber.
    let _ = dispatch(format, service, std::io::stdout)?.try_init();
    Ok(())
}

/// The subscriber [`init`] installs, writing log lines to `writer`.
pub fn dispatch<W>(format: LogFormat, service: &'static str, writer: W) -> anyhow::Result<Dispatch>
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let traces = traces::layer(service)?;
    let filter = filter(std::env::var("RUST_LOG").ok().as_deref(), traces::exporting());
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(traces)
        .with(crate::error_reporting::tracing_layer());
    Ok(match format {
        LogFormat::Json => Dispatch::new(
            registry.with(fmt::layer().with_writer(writer).json().event_format(traces::WithTraceIds(
                fmt::format().json().flatten_event(true).with_current_span(true).with_span_list(false),
            ))),
        ),
        LogFormat::Pretty => Dispatch::new(registry.with(fmt::layer().with_writer(writer))),
    })
}

/// The filter `RUST_LOG` gives, else the default. While traces are exported, statement spans
/// are let through as well unless `RUST_LOG` says what to do with them. They are left out
/// otherwise: nothing would read them, and a span per statement costs every request.
fn filter(rust_log: Option<&str>, exporting: bool) -> EnvFilter {
    let filter = rust_log
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new(DEFAULT_FILTER));
    let says_what_to_do = rust_log.is_some_and(|directives| directives.contains(STATEMENT_SPANS));
    if exporting && !says_what_to_do {
        filter.add_directive(format!("{STATEMENT_SPANS}=info").parse().expect("a valid directive"))
    } else {
        filter
    }
}

/// Exports the spans still buffered; called once before the process exits.
pub fn shutdown() {
    traces::shutdown();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_spans_pass_only_while_traces_are_exported() {
        let statements = "sea_orm::database=info";
        assert!(filter(None, true).to_string().contains(statements));
        assert!(!filter(None, false).to_string().contains(statements));
        let quiet = "info,sqlx=warn,sea_orm=warn";
        assert!(filter(Some(quiet), true).to_string().contains(statements), "a broader directive");
        let off = filter(Some("info,sea_orm::database=off"), true).to_string();
        assert!(off.contains("sea_orm::database=off") && !off.contains(statements), "{off}");
    }
}
