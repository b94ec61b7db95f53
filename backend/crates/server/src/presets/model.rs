use chrono::{DateTime, Utc};
use engine::{Channel, GenerationOptions, Tone, XFormat};
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::{
    channels,
    error::{ApiError, FieldError},
};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_CTA_CHARS: usize = 200;
/// The post lengths a Mastodon instance may allow: Mastodon's forks cap the setting at 100,000,
/// and below 100 characters a post holds too little of any sentence.
pub const MASTODON_MAX_CHARS: std::ops::RangeInclusive<usize> = 100..=100_000;

/// Generation settings a preset carries besides its channels and tone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, FromJsonQueryResult)]
#[serde(default, deny_unknown_fields)]
pub struct PresetParams {
    /// Add hashtags where the channel uses them.
    pub hashtags: bool,
    /// Allow one emoji in hooks and headlines.
    pub emoji: bool,
    /// A closing call to action, e.g. "Book a tasting at example.com".
    pub call_to_action: Option<String>,
    /// `auto`, `single` or `thread` for X, Bluesky and Mastodon.
    #[schema(value_type = String, example = "auto")]
    pub x_format: XFormat,
    /// The post length of your Mastodon instance when it is not the default 500 characters.
    #[schema(example = 1000, minimum = 100, maximum = 100000)]
    pub mastodon_max_chars: Option<usize>,
}

impl Default for PresetParams {
    fn default() -> Self {
        let defaults = GenerationOptions::default();
        Self {
            hashtags: defaults.hashtags,
            emoji: defaults.emoji,
            call_to_action: None,
            x_format: defaults.x_format,
            mastodon_max_chars: defaults.mastodon_max_chars,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PresetRequest {
    #[schema(example = "Weekly bakery news")]
    pub name: String,
    #[schema(example = json!(["linkedin", "x"]), max_items = 16)]
    pub channels: Vec<String>,
    /// `professional`, `casual`, `friendly` or `bold`.
    #[serde(default = "default_tone")]
    #[schema(example = "friendly")]
    pub tone: String,
    #[serde(default)]
    pub params: PresetParams,
}

fn default_tone() -> String {
    "professional".to_owned()
}

/// A validated preset request.
#[derive(Debug)]
pub struct PresetInput {
    pub name: String,
    pub channels: Vec<Channel>,
    pub tone: Tone,
    pub params: PresetParams,
}

impl PresetRequest {
    pub fn parse(self) -> Result<PresetInput, ApiError> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new("name", format!("must be 1 to {MAX_NAME_CHARS} characters")));
        }
        let channels = channels::parse_channels("channels", &self.channels)
            .map_err(|mut found| errors.append(&mut found))
            .unwrap_or_default();
        let tone = self
            .tone
            .trim()
            .to_lowercase()
            .parse::<Tone>()
            .map_err(|error| errors.push(FieldError::new("tone", error.to_string())))
            .unwrap_or_default();
        let mut params = self.params;
        params.call_to_action =
            params.call_to_action.map(|cta| cta.trim().to_owned()).filter(|cta| !cta.is_empty());
        if params.call_to_action.as_ref().is_some_and(|cta| cta.chars().count() > MAX_CTA_CHARS) {
            errors.push(FieldError::new(
                "params.call_to_action",
                format!("must be at most {MAX_CTA_CHARS} characters"),
            ));
        }
        if params.mastodon_max_chars.is_some_and(|max| !MASTODON_MAX_CHARS.contains(&max)) {
            errors.push(FieldError::new(
                "params.mastodon_max_chars",
                format!("must be {} to {} characters", MASTODON_MAX_CHARS.start(), MASTODON_MAX_CHARS.end()),
            ));
        }
        if errors.is_empty() {
            Ok(PresetInput { name, channels, tone, params })
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Preset {
    pub id: Uuid,
    pub name: String,
    pub channels: Vec<Channel>,
    pub tone: Tone,
    pub params: PresetParams,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Preset {
    /// The engine options this preset asks for.
    pub fn generation_options(&self) -> GenerationOptions {
        GenerationOptions {
            tone: self.tone,
            hashtags: self.params.hashtags,
            emoji: self.params.emoji,
            call_to_action: self.params.call_to_action.clone(),
            x_format: self.params.x_format,
            mastodon_max_chars: self.params.mastodon_max_chars,
            ..GenerationOptions::default()
        }
    }
}

impl From<entity::Model> for Preset {
    fn from(model: entity::Model) -> Self {
        Self {
            id: model.id,
            name: model.name,
            channels: model.channels.0,
            tone: model.tone,
            params: model.params,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PresetList {
    pub items: Vec<Preset>,
}
