//! Pure, deterministic repurposing engine: source text in, channel variants out.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Linkedin,
    X,
    Newsletter,
    Blog,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown channel `{0}`; expected one of linkedin, x, newsletter, blog")]
pub struct UnknownChannel(pub String);

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Linkedin, Channel::X, Channel::Newsletter, Channel::Blog];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Linkedin => "linkedin",
            Self::X => "x",
            Self::Newsletter => "newsletter",
            Self::Blog => "blog",
        }
    }
}

impl FromStr for Channel {
    type Err = UnknownChannel;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == value).ok_or_else(|| UnknownChannel(value.to_owned()))
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    #[default]
    Professional,
    Casual,
    Friendly,
    Bold,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown tone `{0}`; expected one of professional, casual, friendly, bold")]
pub struct UnknownTone(pub String);

impl FromStr for Tone {
    type Err = UnknownTone;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "professional" => Ok(Self::Professional),
            "casual" => Ok(Self::Casual),
            "friendly" => Ok(Self::Friendly),
            "bold" => Ok(Self::Bold),
            other => Err(UnknownTone(other.to_owned())),
        }
    }
}

impl fmt::Display for Tone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Professional => "professional",
            Self::Casual => "casual",
            Self::Friendly => "friendly",
            Self::Bold => "bold",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum XFormat {
    #[default]
    Auto,
    Single,
    Thread,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GenerationOptions {
    pub tone: Tone,
    pub hashtags: bool,
    pub emoji: bool,
    pub call_to_action: Option<String>,
    pub x_format: XFormat,
    pub seed: u64,
}

impl Default for GenerationOptions {
    fn default() -> Self {
        Self {
            tone: Tone::default(),
            hashtags: true,
            emoji: false,
            call_to_action: None,
            x_format: XFormat::Auto,
            seed: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub channel: Channel,
    pub content: String,
    pub metadata: serde_json::Value,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EngineError {
    #[error("the source has no text to work from")]
    EmptySource,
    #[error("the source is too short: it needs at least {min} sentences, it has {found}")]
    TooFewSentences { min: usize, found: usize },
}

/// Generates one variant per requested channel.
pub fn repurpose(
    source: &str,
    channels: &[Channel],
    _options: &GenerationOptions,
) -> Result<Vec<Variant>, EngineError> {
    let sentences: Vec<(usize, &str)> =
        unicode_segmentation::UnicodeSegmentation::split_sentence_bound_indices(source)
            .map(|(start, s)| (start + (s.len() - s.trim_start().len()), s.trim()))
            .filter(|(_, s)| !s.is_empty())
            .collect();
    if sentences.is_empty() {
        return Err(EngineError::EmptySource);
    }
    if sentences.len() < 2 {
        return Err(EngineError::TooFewSentences { min: 2, found: sentences.len() });
    }
    Ok(channels
        .iter()
        .map(|&channel| {
            let (start, text) = sentences[0];
            Variant {
                channel,
                content: text.to_owned(),
                metadata: serde_json::json!({ "hashtags": [], "grounding": [{ "text": text, "spans": [[start, start + text.len()]] }] }),
            }
        })
        .collect())
}
