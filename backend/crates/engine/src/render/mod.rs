//! One renderer per channel. Each returns the post and its channel-specific metadata.

mod blog;
mod linkedin;
mod newsletter;
pub(crate) mod short_post;

use crate::{Channel, ChannelFields, Tone, analysis::Analysis, analysis::Grounded, channel::ShortPost};

/// A rendered post before the common metadata is added.
pub struct Rendered {
    pub content: String,
    pub grounding: Vec<Grounded>,
    /// Channel fields: hashtags, parts, title, subject, preheader, meta description, slug,
    /// key points.
    pub fields: ChannelFields,
}

pub fn render(channel: Channel, analysis: &Analysis) -> Rendered {
    match channel {
        Channel::Linkedin => linkedin::render(analysis),
        Channel::Newsletter => newsletter::render(analysis),
        Channel::Blog => blog::render(analysis),
        Channel::X => short_post::render(analysis, ShortPost::x()),
        Channel::Bluesky => short_post::render(analysis, ShortPost::bluesky()),
        Channel::Mastodon => {
            short_post::render(analysis, ShortPost::mastodon(analysis.options.mastodon_max_chars))
        }
    }
}

/// The closing call to action: the preset's, or one in the preset's tone and the source's
/// language. It asks for a reaction and states nothing, so it needs no grounding.
pub fn call_to_action(analysis: &Analysis, channel: Channel) -> String {
    if let Some(cta) = &analysis.options.call_to_action {
        return cta.clone();
    }
    let phrases = analysis.phrases();
    match (channel, analysis.options.tone) {
        (Channel::Newsletter, Tone::Professional) => phrases.newsletter_cta[0],
        (Channel::Newsletter, _) => phrases.newsletter_cta[1],
        (Channel::Blog, _) => phrases.blog_cta,
        (_, Tone::Professional) => phrases.social_cta[0],
        (_, Tone::Casual) => phrases.social_cta[1],
        (_, Tone::Friendly) => phrases.social_cta[2],
        (_, Tone::Bold) => phrases.social_cta[3],
    }
    .to_owned()
}

/// Quotes lines said by one speaker of a conversation ("“…” — Name"), naming the speaker
/// only when the voice changes, so a post of one guest's words does not repeat their name.
/// Lines that are not from a conversation are joined as they are.
#[derive(Default)]
pub struct Voices<'a> {
    last: Option<&'a str>,
}

impl<'a> Voices<'a> {
    pub fn quote(&mut self, analysis: &'a Analysis, lines: &[(usize, Grounded)]) -> String {
        let text = lines.iter().map(|(_, line)| line.text.as_str()).collect::<Vec<_>>().join(" ");
        let speaker = lines.first().and_then(|(index, _)| analysis.speaker(*index));
        match speaker {
            Some(name) if lines.iter().all(|(index, _)| analysis.speaker(*index) == Some(name)) => {
                let named = self.last != Some(name);
                self.last = Some(name);
                if named { format!("“{text}” — {name}") } else { format!("“{text}”") }
            }
            _ => {
                self.last = None;
                text
            }
        }
    }
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
