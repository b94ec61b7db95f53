use super::{Rendered, Voices, call_to_action, tone_emoji};
use crate::{
    Channel, ChannelFields,
    analysis::Analysis,
    channel::{
        NEWSLETTER_MIN_KEY_POINTS, NEWSLETTER_PREHEADER_MAX_CHARS, NEWSLETTER_PREHEADER_MIN_CHARS,
        NEWSLETTER_SUBJECT_MAX_CHARS,
    },
};

/// A headline longer than a subject is fine, but one sentence of a source without a title
/// should still read as a headline.
const NEWSLETTER_HEADLINE_MAX_CHARS: usize = 90;

/// Subject and preheader for the inbox; a Markdown body with a headline, an opening line from
/// the source, key points from across it and a call to action.
pub fn render(analysis: &Analysis) -> Rendered {
    let hook_index = analysis.hook();
    let subject = analysis.title(NEWSLETTER_SUBJECT_MAX_CHARS);
    let headline = analysis.title(NEWSLETTER_HEADLINE_MAX_CHARS);
    let opening = analysis.grounded(hook_index, None);
    // Three points: readers skim, and three sentences summarise a source about as well as
    // its lead (see docs/ENGINE.md).
    let title_source = analysis.title_source(NEWSLETTER_SUBJECT_MAX_CHARS);
    let points = analysis.select(NEWSLETTER_MIN_KEY_POINTS, &[hook_index, title_source]);
    let key_points: Vec<_> = points.iter().map(|&i| (i, analysis.grounded(i, None))).collect();
    let mut shown = points.clone();
    shown.extend([hook_index, title_source]);
    // One whole sentence that fits the inbox preview, from a part of the piece the body
    // does not already open with.
    let fits_preview = |i: usize| {
        let chars = analysis.grounded(i, None).text.chars().count();
        (NEWSLETTER_PREHEADER_MIN_CHARS..=NEWSLETTER_PREHEADER_MAX_CHARS).contains(&chars)
    };
    let preheader = match analysis.select_where(1, &shown, &fits_preview).first() {
        Some(&index) => analysis.grounded(index, None),
        None => analysis.summary_between(
            hook_index,
            NEWSLETTER_PREHEADER_MIN_CHARS,
            NEWSLETTER_PREHEADER_MAX_CHARS,
            &[],
        ),
    };
    let headline_line = match tone_emoji(analysis) {
        Some(emoji) => format!("# {emoji} {}", headline.text),
        None => format!("# {}", headline.text),
    };
    let mut voices = Voices::default();
    let opening_line = voices.quote(analysis, &[(hook_index, opening.clone())]);
    let bullets: Vec<String> = key_points
        .iter()
        .map(|point| format!("- {}", voices.quote(analysis, std::slice::from_ref(point))))
        .collect();
    let content = format!(
        "{headline_line}\n\n{}\n\n## {}\n\n{}\n\n{}",
        opening_line,
        analysis.phrases().key_points,
        bullets.join("\n"),
        call_to_action(analysis, Channel::Newsletter)
    );
    let fields = ChannelFields {
        subject: Some(subject.text.clone()),
        preheader: Some(preheader.text.clone()),
        key_points: Some(key_points.iter().map(|(_, p)| p.text.clone()).collect()),
        ..ChannelFields::default()
    };
    let mut grounding = vec![subject, preheader, headline, opening];
    grounding.extend(key_points.into_iter().map(|(_, p)| p));
    Rendered { content, grounding, fields }
}
