use serde_json::{Map, Value, json};

use super::{Rendered, call_to_action, tone_emoji};
use crate::{
    Channel, Tone,
    analysis::Analysis,
    channel::{
        NEWSLETTER_MIN_KEY_POINTS, NEWSLETTER_PREHEADER_MAX_CHARS, NEWSLETTER_PREHEADER_MIN_CHARS,
        NEWSLETTER_SUBJECT_MAX_CHARS,
    },
};

/// Subject and preheader for the inbox; a Markdown body with a headline, a lead-in, key
/// points and a call to action.
pub fn render(analysis: &Analysis) -> Rendered {
    let hook_index = analysis.hook();
    let subject = analysis.title(NEWSLETTER_SUBJECT_MAX_CHARS);
    let headline = analysis.title(usize::MAX);
    let preheader_start = analysis.ranked.iter().copied().find(|&i| i != hook_index).unwrap_or(hook_index);
    let preheader = analysis.summary_between(
        preheader_start,
        NEWSLETTER_PREHEADER_MIN_CHARS,
        NEWSLETTER_PREHEADER_MAX_CHARS,
    );
    // Three points, the strongest sentences in source order: readers skim, and three
    // sentences summarise a source about as well as its lead (see docs/ENGINE.md).
    let points = analysis.best(NEWSLETTER_MIN_KEY_POINTS, &[]);
    let key_points: Vec<_> = points.iter().map(|&i| analysis.grounded(i, None)).collect();
    let headline_line = match tone_emoji(analysis) {
        Some(emoji) => format!("# {emoji} {}", headline.text),
        None => format!("# {}", headline.text),
    };
    let bullets: Vec<String> = key_points.iter().map(|p| format!("- {}", p.text)).collect();
    let content = format!(
        "{headline_line}\n\n{}\n\n## Key points\n\n{}\n\n{}",
        lead_in(analysis),
        bullets.join("\n"),
        call_to_action(analysis, Channel::Newsletter)
    );
    let mut fields = Map::new();
    fields.insert("subject".into(), Value::from(subject.text.clone()));
    fields.insert("preheader".into(), Value::from(preheader.text.clone()));
    fields.insert("key_points".into(), json!(key_points.iter().map(|p| &p.text).collect::<Vec<_>>()));
    let mut grounding = vec![subject, preheader, headline];
    grounding.extend(key_points);
    Rendered { content, grounding, hashtags: vec![], fields }
}

/// A line introducing the key points; it states nothing, so it needs no grounding.
fn lead_in(analysis: &Analysis) -> &'static str {
    match analysis.options.tone {
        Tone::Professional => "Here is what you need to know.",
        Tone::Casual => "The short version:",
        Tone::Friendly => "Here is the gist, in three points.",
        Tone::Bold => "Three things worth knowing:",
    }
}
