//! Structured logs and traces through `tracing`.

use std::{fmt as std_fmt, io::Write as _};

use tracing::{
    Dispatch,
    field::{Field, Visit},
    span::Record,
};
use tracing_subscriber::{
    EnvFilter,
    field::RecordFields,
    fmt::{self, FormatFields, FormattedFields, MakeWriter, format::Writer},
    prelude::*,
};

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
        LogFormat::Json => Dispatch::new(registry.with(
            fmt::layer().with_writer(writer).json().fmt_fields(SpanFieldsJson).event_format(
                traces::WithTraceIds(
                    fmt::format().json().flatten_event(true).with_current_span(true).with_span_list(false),
                ),
            ),
        )),
        LogFormat::Pretty => Dispatch::new(registry.with(fmt::layer().with_writer(writer))),
    })
}

/// A span's fields as one JSON object, the form `tracing-subscriber`'s `JsonFields` gives them,
/// written straight into the span's buffer. Every span a JSON log line might show is formatted
/// when it opens, so this runs on every request. A field recorded later (the request's user) is
/// appended to the object, where `JsonFields` parses the object and writes it all out again; a
/// field recorded twice then appears twice, and the log line, which reads the object into a map,
/// shows the last value, as it would have.
struct SpanFieldsJson;

impl<'writer> FormatFields<'writer> for SpanFieldsJson {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'writer>, fields: R) -> std_fmt::Result {
        let mut object = JsonObject::default();
        fields.record(&mut object);
        writer.write_str(&object.close())
    }

    fn add_fields(
        &self,
        current: &'writer mut FormattedFields<Self>,
        fields: &Record<'_>,
    ) -> std_fmt::Result {
        let mut object = JsonObject::reopen(std::mem::take(&mut current.fields));
        fields.record(&mut object);
        current.fields = object.close();
        Ok(())
    }
}

/// A JSON object being written: its opening brace and the fields so far.
struct JsonObject {
    bytes: Vec<u8>,
    has_fields: bool,
}

impl Default for JsonObject {
    fn default() -> Self {
        Self { bytes: b"{".to_vec(), has_fields: false }
    }
}

impl JsonObject {
    /// Continues an object [`JsonObject::close`] wrote (anything else starts a new one).
    fn reopen(closed: String) -> Self {
        let mut bytes = closed.into_bytes();
        if !(bytes.starts_with(b"{") && bytes.pop() == Some(b'}')) {
            return Self::default();
        }
        let has_fields = bytes.len() > 1;
        Self { bytes, has_fields }
    }

    fn close(mut self) -> String {
        self.bytes.push(b'}');
        // Only strings and serde_json's output went in: always UTF-8.
        String::from_utf8(self.bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }

    fn key(&mut self, field: &Field) {
        if self.has_fields {
            self.bytes.push(b',');
        }
        self.has_fields = true;
        let name = field.name();
        self.string(name.strip_prefix("r#").unwrap_or(name));
        self.bytes.push(b':');
    }

    fn string(&mut self, value: &str) {
        // serde_json's escaping; writing to a vector cannot fail.
        let _ = serde_json::to_writer(&mut self.bytes, value);
    }

    /// A number or `true`/`false`, as JSON writes it.
    fn literal(&mut self, field: &Field, value: impl std_fmt::Display) {
        self.key(field);
        let _ = write!(self.bytes, "{value}");
    }
}

impl Visit for JsonObject {
    fn record_f64(&mut self, field: &Field, value: f64) {
        match serde_json::Number::from_f64(value) {
            Some(number) => self.literal(field, number),
            None => self.literal(field, "null"),
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.literal(field, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.literal(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.literal(field, value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.key(field);
        self.string(value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std_fmt::Debug) {
        self.key(field);
        self.string(&format!("{value:?}"));
    }
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
    use serde_json::json;

    use super::*;
    use crate::traces::tests::Lines;

    #[test]
    fn span_fields_in_json_lines_read_as_tracing_subscriber_writes_them() {
        let lines = Lines::default();
        let dispatch = dispatch(LogFormat::Json, "kyros-test", lines.clone()).unwrap();
        tracing::dispatcher::with_default(&dispatch, || {
            let span = tracing::warn_span!(
                "work",
                text = "a \"quoted\"\nline, ü \u{1}",
                count = 3u64,
                negative = -2i64,
                ratio = 0.5,
                nan = f64::NAN,
                flag = true,
                listed = ?vec![1, 2],
                r#type = "kind",
                later = tracing::field::Empty,
                user_id = tracing::field::Empty,
            );
            span.record("later", "one");
            span.record("user_id", tracing::field::display("u-1"));
            span.record("later", "two");
            span.in_scope(|| tracing::warn!("inside"));
            let bare = tracing::warn_span!("bare", id = tracing::field::Empty);
            bare.in_scope(|| tracing::warn!("no fields yet"));
            bare.record("id", 7);
            bare.in_scope(|| tracing::warn!("one field"));
        });
        let logged: Vec<serde_json::Value> =
            lines.text().lines().map(|line| serde_json::from_str(line).expect(line)).collect();
        assert_eq!(
            logged[0]["span"],
            json!({
                "name": "work",
                "text": "a \"quoted\"\nline, ü \u{1}",
                "count": 3,
                "negative": -2,
                "ratio": 0.5,
                "nan": null,
                "flag": true,
                "listed": "[1, 2]",
                "type": "kind",
                "later": "two",
                "user_id": "u-1",
            })
        );
        assert_eq!(logged[1]["span"], json!({"name": "bare"}));
        assert_eq!(logged[2]["span"], json!({"name": "bare", "id": 7}));
    }

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
