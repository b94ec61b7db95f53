//! Any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM, …) as a writer.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use engine::{Channel, ExternalDraft, GenerationOptions};
use serde_json::{Value, json};

use super::breaker::CircuitBreaker;

#[derive(Debug, Clone)]
pub struct OpenAiSettings {
    pub base_url: String,
    pub api_key: String,
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

    /// One draft per channel from `model` (or the configured one); any failure fails the
    /// whole set so a job never mixes writers.
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
        let mut drafts = Vec::with_capacity(channels.len());
        for &channel in channels {
            match self.draft_with_retries(model, source, channel, options).await {
                Ok(draft) => drafts.push((channel, draft)),
                Err(error) => {
                    self.breaker.record_failure();
                    return Err(error);
                }
            }
        }
        self.breaker.record_success();
        Ok(drafts)
    }

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
                { "role": "system", "content": system_prompt(channel, options) },
                { "role": "user", "content": format!("Source:\n\n{source}") },
            ],
        });
        let url = format!("{}/chat/completions", self.settings.base_url.trim_end_matches('/'));
        let response =
            self.client.post(url).bearer_auth(&self.settings.api_key).json(&body).send().await.map_err(
                |error| {
                    if error.is_timeout() {
                        ProviderError::Timeout
                    } else {
                        ProviderError::Connection(error.to_string())
                    }
                },
            )?;
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

/// The instructions: use only the source's facts, and the JSON shape for the channel.
fn system_prompt(channel: Channel, options: &GenerationOptions) -> String {
    let shape = match channel {
        Channel::X => {
            r#"{"parts": ["post 1", "post 2"]} — one or more posts of at most 280 characters, at most 2 hashtags in total"#
        }
        Channel::Linkedin => {
            r#"{"body": "post"} — a hook sentence under 200 characters, short paragraphs, 3 to 5 hashtags on the last line"#
        }
        Channel::Newsletter => {
            r#"{"subject": "at most 60 characters", "preheader": "40 to 100 characters", "body": "Markdown: # headline, intro, ## Key points with 3 to 5 bullets, a call to action"}"#
        }
        Channel::Blog => {
            r#"{"title": "at most 60 characters", "meta_description": "120 to 155 characters", "body": "Markdown: # title, intro, at least two ## sections, ## Conclusion"}"#
        }
    };
    let mut prompt = format!(
        "You repurpose a source text into a {} post in a {} tone. Use only facts stated in the source; never add numbers, names or claims it does not contain. Answer with JSON only, shaped as {shape}.",
        channel.as_str(),
        options.tone
    );
    if !options.hashtags {
        prompt.push_str(" Use no hashtags.");
    }
    if !options.emoji {
        prompt.push_str(" Use no emoji.");
    }
    if let Some(cta) = &options.call_to_action {
        prompt.push_str(&format!(" End with this call to action: {cta}"));
    }
    prompt
}
