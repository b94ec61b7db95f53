//! Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, …) as a writer.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use engine::{Channel, ExternalDraft, GenerationOptions};
use futures::{StreamExt, TryStreamExt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use super::breaker::CircuitBreaker;

/// Channels asked of the model at once: enough for every channel of a job, few enough not to
/// trip a provider's concurrency limit.
pub const MAX_CONCURRENT_CALLS: usize = 4;

#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    pub base_url: String,
    pub api_key: SecretString,
    pub model: String,
    pub timeout: Duration,
    pub max_retries: usize,
    pub retry_base_delay: Duration,
    pub breaker_threshold: u32,
    pub breaker_cooldown: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("the circuit breaker is open after repeated failures")]
    CircuitOpen,
    #[error("the request timed out")]
    Timeout,
    #[error("the connection failed: {0}")]
    Connection(String),
    #[error("it answered HTTP {0}")]
    Status(u16),
    #[error("its answer was not the JSON we asked for: {0}")]
    Malformed(String),
}

impl ProviderError {
    /// Worth another try: rate limits, server errors, timeouts and dropped connections.
    fn is_transient(&self) -> bool {
        match self {
            Self::Timeout | Self::Connection(_) => true,
            Self::Status(status) => *status == 429 || *status >= 500,
            Self::CircuitOpen | Self::Malformed(_) => false,
        }
    }
}

#[derive(Debug)]
pub struct OpenAiProvider {
    settings: OpenAiSettings,
    client: reqwest::Client,
    breaker: CircuitBreaker,
}

impl OpenAiProvider {
    pub fn new(settings: OpenAiSettings) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(settings.timeout).build()?;
        let breaker = CircuitBreaker::new(settings.breaker_threshold, settings.breaker_cooldown);
        Ok(Self { settings, client, breaker })
    }

    pub fn model(&self) -> &str {
        &self.settings.model
    }

    /// One draft per channel from `model` (or the configured one), the channels asked for
    /// concurrently (at most [`MAX_CONCURRENT_CALLS`] at once), in the order given. Any failure
    /// fails the whole set, and stops the calls still running, so a job never mixes writers.
    pub async fn drafts(
        &self,
        model: Option<&str>,
        source: &str,
        channels: &[Channel],
        options: &GenerationOptions,
    ) -> Result<Vec<(Channel, ExternalDraft)>, ProviderError> {
        if !self.breaker.allows_call() {
            return Err(ProviderError::CircuitOpen);
        }
        let model = model.unwrap_or(&self.settings.model);
        let drafts = futures::stream::iter(channels.iter().copied())
            .map(|channel| async move {
                self.draft_with_retries(model, source, channel, options).await.map(|draft| (channel, draft))
            })
            .buffered(MAX_CONCURRENT_CALLS)
            .try_collect::<Vec<_>>()
            .await;
        match &drafts {
            Ok(_) => self.breaker.record_success(),
            Err(_) => self.breaker.record_failure(),
        }
        drafts
    }

    /// One span per channel; each attempt is an HTTP call span inside it.
    #[tracing::instrument(name = "model.draft", skip(self, source, options), fields(%channel))]
    async fn draft_with_retries(
        &self,
        model: &str,
        source: &str,
        channel: Channel,
        options: &GenerationOptions,
    ) -> Result<ExternalDraft, ProviderError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.settings.retry_base_delay)
            .with_max_delay(self.settings.retry_base_delay * 16)
            .with_max_times(self.settings.max_retries)
            .with_jitter();
        (|| self.draft(model, source, channel, options))
            .retry(backoff)
            .when(ProviderError::is_transient)
            .notify(|error, delay| tracing::warn!(%error, ?delay, %channel, "model call failed; retrying"))
            .await
    }

    async fn draft(
        &self,
        model: &str,
        source: &str,
        channel: Channel,
        options: &GenerationOptions,
    ) -> Result<ExternalDraft, ProviderError> {
        let body = json!({
            "model": model,
            "temperature": 0.2,
            "seed": options.seed,
            "response_format": { "type": "json_object" },
            "messages": [
                { "role": "system", "content": engine::writing_brief(source, channel, options) },
                { "role": "user", "content": format!("Source:\n\n{source}") },
            ],
        });
        let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
        let request = self.client.post(url).bearer_auth(self.settings.api_key.expose_secret()).json(&body);
        let response = crate::traces::send(request).await.map_err(|error| {
            if error.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Connection(error.to_string())
            }
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(ProviderError::Status(status.as_u16()));
        }
        let payload: Value = response.json().await.map_err(|error| {
            if error.is_timeout() {
                ProviderError::Timeout
            } else {
                ProviderError::Malformed(error.to_string())
            }
        })?;
        let content = payload
            .pointer("/choices/0/message/content")
            .and_then(Value::as_str)
            .ok_or_else(|| ProviderError::Malformed("no choices[0].message.content".into()))?;
        serde_json::from_str(content).map_err(|error| ProviderError::Malformed(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use axum::{Json, Router, http::StatusCode, routing::post};
    use opentelemetry::trace::TracerProvider as _;
    use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider};
    use tracing_subscriber::{filter::LevelFilter, prelude::*};

    use super::*;

    /// A model that answers 503 once, then an empty draft.
    async fn flaky_model() -> std::net::SocketAddr {
        let calls = Arc::new(AtomicUsize::new(0));
        let answer = move || async move {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                (StatusCode::SERVICE_UNAVAILABLE, Json(json!({})))
            } else {
                (StatusCode::OK, Json(json!({ "choices": [{ "message": { "content": "{}" } }] })))
            }
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = Router::new().route("/chat/completions", post(answer));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        address
    }

    #[tokio::test]
    async fn each_attempt_at_the_model_is_a_span_inside_its_channel() {
        let address = flaky_model().await;
        let exporter = InMemorySpanExporter::default();
        let spans = SdkTracerProvider::builder().with_simple_exporter(exporter.clone()).build();
        let subscriber = tracing_subscriber::registry()
            .with(LevelFilter::INFO)
            .with(tracing_opentelemetry::layer().with_tracer(spans.tracer("test")));
        let _traced = tracing::subscriber::set_default(subscriber);
        let model = OpenAiProvider::new(OpenAiSettings {
            base_url: format!("http://{address}"),
            api_key: "test-key".into(), // pragma: allowlist secret
            model: "test-model".into(),
            timeout: Duration::from_secs(10),
            max_retries: 2,
            retry_base_delay: Duration::from_millis(1),
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(60),
        })
        .unwrap();
        model.drafts(None, "The source.", &[Channel::X], &GenerationOptions::default()).await.unwrap();

        let finished = exporter.get_finished_spans().unwrap();
        let draft = finished.iter().find(|span| span.name == "model.draft").expect("a model.draft span");
        let attempts: Vec<String> = finished
            .iter()
            .filter(|span| span.name == "POST")
            .inspect(|call| assert_eq!(call.parent_span_id, draft.span_context.span_id()))
            .filter_map(|call| {
                let status =
                    call.attributes.iter().find(|kv| kv.key.as_str() == "http.response.status_code")?;
                Some(status.value.as_str().into_owned())
            })
            .collect();
        assert_eq!(attempts, ["503", "200"]);
    }
}
