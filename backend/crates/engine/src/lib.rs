//! The Kyros engine: pure and deterministic. Source text in, one post per channel out, every
//! sentence traced to the source span it came from. No I/O, no clock, no randomness but the seed.

mod analysis;
mod channel;
mod count;
mod external;
mod lang;
mod lint;
mod metadata;
mod quality;
mod rank;
mod render;
mod standalone;
mod text;
mod words;

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

pub use channel::{Channel, ChannelRules, Counting, RULES_VERSION, ShortPost, UnknownChannel, channel_rules};
pub use count::{grapheme_count, mastodon_length, x_weighted_length};
pub use external::{ExternalDraft, adopt_external, writing_brief};
pub use lang::Language;
pub use lint::{LintFinding, Severity, lint_variant};
pub use metadata::{ChannelFields, Counts, EngineInfo, Grounding, PostFormat, VariantMetadata, Writer};
pub use quality::RULES as QUALITY_RULES;

/// The voice of connective phrases and calls to action; it never changes facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
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

/// One post or a thread on the short-post networks (X, Bluesky, Mastodon).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum XFormat {
    /// A thread for long sources, a single post otherwise.
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
    /// The post length of the user's Mastodon instance, when it allows more (or less) than
    /// the default 500 characters.
    pub mastodon_max_chars: Option<usize>,
    /// Picks among alternatives; the same seed always gives the same output.
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
            mastodon_max_chars: None,
            seed: 0,
        }
    }
}

/// A generated post and its metadata (parts, hashtags, titles, counts, lint, grounding).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub channel: Channel,
    pub content: String,
    pub metadata: VariantMetadata,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EngineError {
    #[error("the source has no text to work from")]
    EmptySource,
    #[error("the source is too short: it needs at least {min} sentences, it has {found}")]
    TooFewSentences { min: usize, found: usize },
    #[error("the source is too short: it needs at least {min} characters of text, it has {found}")]
    TooShort { min: usize, found: usize },
}

/// Fewer sentences or characters than this cannot fill every channel's required fields
/// (three key points, a 120-character meta description) from the source alone.
pub const MIN_SENTENCES: usize = 3;
pub const MIN_CHARS: usize = 150;

/// Generates one variant per requested channel, in the order given (duplicates removed).
pub fn repurpose(
    source: &str,
    channels: &[Channel],
    options: &GenerationOptions,
) -> Result<Vec<Variant>, EngineError> {
    let analysis = analysis::Analysis::new(source, options);
    enough_to_work_from(&analysis)?;
    let mut seen = Vec::new();
    Ok(channels
        .iter()
        .filter(|channel| {
            let first = !seen.contains(*channel);
            seen.push(**channel);
            first
        })
        .map(|&channel| variant(channel, &analysis))
        .collect())
}

/// Whether `source` has enough text to generate from, with the error [`repurpose`] would give
/// otherwise: callers refuse a source up front rather than queue work that must fail.
pub fn check_source(source: &str) -> Result<(), EngineError> {
    enough_to_work_from(&analysis::Analysis::new(source, &GenerationOptions::default()))
}

fn enough_to_work_from(analysis: &analysis::Analysis) -> Result<(), EngineError> {
    if analysis.sentences.is_empty() {
        return Err(EngineError::EmptySource);
    }
    if analysis.body_count() < MIN_SENTENCES {
        return Err(EngineError::TooFewSentences { min: MIN_SENTENCES, found: analysis.body_count() });
    }
    let chars: usize = analysis.ranked.iter().map(|&i| analysis.sentences[i].text.chars().count()).sum();
    if chars < MIN_CHARS {
        return Err(EngineError::TooShort { min: MIN_CHARS, found: chars });
    }
    Ok(())
}

fn variant(channel: Channel, analysis: &analysis::Analysis) -> Variant {
    let rendered = render::render(channel, analysis);
    let engine = EngineInfo {
        name: Writer::Local,
        version: RULES_VERSION.to_owned(),
        seed: analysis.options.seed,
        language: Some(analysis.language.map(|language| language.code().to_owned())),
    };
    let metadata =
        VariantMetadata::new(channel, &rendered.content, rendered.fields, &rendered.grounding, engine);
    Variant { channel, content: rendered.content, metadata }
}

/// The posts a variant is published as, in order: each part of a thread on X, Bluesky or
/// Mastodon (parts are separated by a blank line, as the renderer writes them and as people
/// edit them), or the whole text as one post.
pub fn post_parts(channel: Channel, content: &str) -> Vec<String> {
    match channel {
        Channel::X | Channel::Bluesky | Channel::Mastodon => {
            lint::thread_parts(content).into_iter().map(str::to_owned).collect()
        }
        Channel::Linkedin | Channel::Newsletter | Channel::Blog => vec![content.trim().to_owned()],
    }
}

/// Recomputes what depends on the text (counts, lint findings, thread parts) after an edit.
pub fn refresh_metadata(channel: Channel, content: &str, metadata: &mut VariantMetadata) {
    metadata.counts = counts(channel, content, &mut metadata.fields);
    metadata.lint = lint_variant(channel, content, &metadata.fields);
}

/// The lengths of `content` and its fields; a thread's parts are taken from `content` again.
fn counts(channel: Channel, content: &str, fields: &mut ChannelFields) -> Counts {
    let length = |field: &Option<String>| field.as_deref().map_or(0, count::char_count);
    match channel {
        Channel::X => thread_counts(ShortPost::x(), content, fields),
        Channel::Bluesky => thread_counts(ShortPost::bluesky(), content, fields),
        Channel::Mastodon => thread_counts(ShortPost::mastodon_of_variant(fields), content, fields),
        Channel::Linkedin => {
            let hook = content.split("\n\n").next().unwrap_or_default();
            Counts::Linkedin {
                chars: count::char_count(content),
                limit: channel::LINKEDIN_MAX_CHARS,
                hook_chars: count::char_count(hook),
                hook_limit: channel::LINKEDIN_HOOK_MAX_CHARS,
            }
        }
        Channel::Newsletter => Counts::Newsletter {
            subject: length(&fields.subject),
            preheader: length(&fields.preheader),
            body_chars: count::char_count(content),
        },
        Channel::Blog => Counts::Blog {
            title: length(&fields.title),
            meta_description: length(&fields.meta_description),
            body_chars: count::char_count(content),
        },
    }
}

/// A thread's parts, stored again as edited, and each one's length as its network counts it.
fn thread_counts(network: ShortPost, content: &str, fields: &mut ChannelFields) -> Counts {
    let parts = lint::thread_parts(content);
    let lengths: Vec<usize> = parts.iter().map(|part| network.counting.length(part)).collect();
    fields.parts = Some(parts.into_iter().map(str::to_owned).collect());
    Counts::Thread { parts: lengths, limit: network.max_length }
}

impl FromStr for XFormat {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "auto" => Ok(Self::Auto),
            "single" => Ok(Self::Single),
            "thread" => Ok(Self::Thread),
            other => Err(format!("unknown X format `{other}`; expected auto, single or thread")),
        }
    }
}
