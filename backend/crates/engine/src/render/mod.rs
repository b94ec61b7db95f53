//! One renderer per channel. Each returns the post and its channel-specific metadata.

mod blog;
mod linkedin;
mod newsletter;
pub(crate) mod x;

use serde_json::{Map, Value};

use crate::{Channel, Tone, analysis::Analysis, analysis::Grounded};

/// A rendered post before the common metadata is added.
pub struct Rendered {
    pub content: String,
    pub grounding: Vec<Grounded>,
    pub hashtags: Vec<String>,
    /// Channel fields: parts, title, subject, preheader, meta description, slug, key points.
    pub fields: Map<String, Value>,
}

pub fn render(channel: Channel, analysis: &Analysis) -> Rendered {
    match channel {
        Channel::X => x::render(analysis),
        Channel::Linkedin => linkedin::render(analysis),
        Channel::Newsletter => newsletter::render(analysis),
        Channel::Blog => blog::render(analysis),
    }
}

/// The closing call to action: the preset's, or a question in the preset's tone. It asks
/// for a reaction and states nothing, so it needs no grounding.
pub fn call_to_action(analysis: &Analysis, channel: Channel) -> String {
    if let Some(cta) = &analysis.options.call_to_action {
        return cta.clone();
    }
    match (channel, analysis.options.tone) {
        (Channel::Newsletter, Tone::Professional) => "Reply to this email and tell us what you think.",
        (Channel::Newsletter, _) => "Hit reply and tell us what you think!",
        (Channel::Blog, _) => "What do you think? Let us know.",
        (_, Tone::Professional) => "What is your experience? Share it in the comments.",
        (_, Tone::Casual) => "What do you think?",
        (_, Tone::Friendly) => "We would love to hear your thoughts!",
        (_, Tone::Bold) => "Agree or disagree? Tell us why.",
    }
    .to_owned()
}

/// One emoji per tone, used only when the preset allows emoji.
pub fn tone_emoji(analysis: &Analysis) -> Option<&'static str> {
    analysis.options.emoji.then_some(match analysis.options.tone {
        Tone::Professional => "💡",
        Tone::Casual => "☕",
        Tone::Friendly => "👋",
        Tone::Bold => "🔥",
    })
}
