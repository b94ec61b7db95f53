//! Generation: the local engine by default, an OpenAI-compatible model when configured,
//! and the local engine again whenever the model cannot answer.

mod breaker;
pub mod openai;

use std::sync::Arc;

use engine::{Channel, EngineError, GenerationOptions, Variant};

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
}

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

    /// Generates every channel. The model's output goes through the engine's channel rules
    /// and grounding check; when the model fails, the local engine writes instead.
    pub async fn generate(
        &self,
        source: &str,
        channels: &[Channel],
        options: &GenerationOptions,
    ) -> Result<Generated, GenerationError> {
        let mut note = None;
        if let Some(model) = &self.model {
            match model.drafts(source, channels, options).await {
                Ok(drafts) => {
                    let variants = drafts
                        .into_iter()
                        .map(|(channel, draft)| engine::adopt_external(source, channel, draft, options))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(Generated { variants, provider: "openai", note: None });
                }
                Err(error) => {
                    tracing::warn!(%error, model = model.model(), "model unavailable; using the local engine");
                    note = Some(format!(
                        "The model was not used ({error}); the local engine wrote these variants."
                    ));
                }
            }
        }
        let (source, channels, options) = (source.to_owned(), channels.to_vec(), options.clone());
        let variants = tokio::task::spawn_blocking(move || engine::repurpose(&source, &channels, &options))
            .await
            .map_err(|_| GenerationError::Crashed)??;
        Ok(Generated { variants, provider: "local", note })
    }
}
