//! Generation: the local engine by default, an OpenAI-compatible model when configured,
//! and the local engine again whenever the model cannot answer.

mod breaker;
pub mod openai;

use std::sync::Arc;

use engine::{Channel, EngineError, GenerationOptions, Variant};
use tracing::Instrument;

use openai::OpenAiProvider;

/// Variants and which writer produced them (and, after a fallback, why).
#[derive(Debug)]
pub struct Generated {
    pub variants: Vec<Variant>,
    pub provider: &'static str,
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerationError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("the engine stopped unexpectedly")]
    Crashed,
    /// Every writer an administrator allows is off or failed; the message says what to do.
    #[error("{0}")]
    NoWriter(String),
}

/// The writers an administrator allows right now (the `tools` table, read for every job).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writers {
    pub local: bool,
    pub model: bool,
    /// Asked for instead of `OPENAI_MODEL`.
    pub model_name: Option<String>,
}

impl Default for Writers {
    fn default() -> Self {
        Self { local: true, model: true, model_name: None }
    }
}

const NO_WRITER: &str = "No writer is available: the local engine is disabled and the model is disabled or not configured. Ask an administrator to enable a provider, then retry the job.";

#[derive(Debug, Clone, Default)]
pub struct Generator {
    model: Option<Arc<OpenAiProvider>>,
}

impl Generator {
    pub fn local() -> Self {
        Self { model: None }
    }

    pub fn with_model(provider: OpenAiProvider) -> Self {
        Self { model: Some(Arc::new(provider)) }
    }

    /// Whether a model is configured (`OPENAI_API_KEY`), enabled or not.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Whether a new job could be written with these writers, so submissions fail early.
    pub fn can_write(&self, writers: &Writers) -> bool {
        self.first_writer(writers).is_some()
    }

    /// The provider a job is given to first: the model when it is configured and allowed,
    /// otherwise the local engine when allowed; `None` when neither may write.
    pub fn first_writer(&self, writers: &Writers) -> Option<&'static str> {
        if writers.model && self.has_model() { Some("openai") } else { writers.local.then_some("local") }
    }

    /// Generates every channel with the writers allowed. The model's output goes through the
    /// engine's channel rules and grounding check; when the model fails or is disabled, the
    /// local engine writes instead and the note says why.
    #[tracing::instrument(name = "generation", skip_all, fields(channels = channels.len()))]
    pub async fn generate(
        &self,
        source: &str,
        channels: &[Channel],
        options: &GenerationOptions,
        writers: &Writers,
    ) -> Result<Generated, GenerationError> {
        let mut note = None;
        match &self.model {
            Some(model) if writers.model => {
                match model.drafts(writers.model_name.as_deref(), source, channels, options).await {
                    Ok(drafts) => {
                        let variants = drafts
                            .into_iter()
                            .map(|(channel, draft)| engine::adopt_external(source, channel, draft, options))
                            .collect::<Result<Vec<_>, _>>()?;
                        return Ok(Generated { variants, provider: "openai", note: None });
                    }
                    Err(error) if writers.local => {
                        tracing::warn!(%error, model = model.model(), "model unavailable; using the local engine");
                        note = Some(format!(
                            "The model was not used ({error}); the local engine wrote these variants."
                        ));
                    }
                    Err(error) => {
                        return Err(GenerationError::NoWriter(format!(
                            "The model was not used ({error}) and an administrator disabled the local engine; retry the job later."
                        )));
                    }
                }
            }
            Some(_) => {
                note = Some(
                    "An administrator disabled the `openai` provider; the local engine wrote these variants."
                        .to_owned(),
                );
            }
            None => {}
        }
        if !writers.local {
            return Err(GenerationError::NoWriter(NO_WRITER.to_owned()));
        }
        let (source, channels, options) = (source.to_owned(), channels.to_vec(), options.clone());
        let variants = crate::cpu::CONTENT
            .run(move || engine::repurpose(&source, &channels, &options))
            .instrument(tracing::info_span!("generation.local"))
            .await
            .map_err(|_| GenerationError::Crashed)??;
        Ok(Generated { variants, provider: "local", note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn nothing_is_written_when_every_allowed_writer_is_off() {
        let generator = Generator::local();
        let local_off = Writers { local: false, ..Writers::default() };
        assert!(generator.can_write(&Writers::default()));
        assert!(!generator.can_write(&local_off), "no model is configured to stand in");
        let options = GenerationOptions::default();
        let refused = generator.generate("Any text.", &[Channel::X], &options, &local_off).await;
        assert!(matches!(refused, Err(GenerationError::NoWriter(reason)) if reason.contains("local engine")));
    }
}
