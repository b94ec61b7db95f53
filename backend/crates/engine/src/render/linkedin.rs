use super::{Rendered, Voices, call_to_action, tone_emoji};
use crate::{
    Channel, ChannelFields,
    analysis::{Analysis, Grounded, HOOK_MAX_CHARS},
    channel::{LINKEDIN_MAX_CHARS, LINKEDIN_MAX_HASHTAGS, LINKEDIN_MIN_HASHTAGS},
    count::char_count,
};

const BODY_SENTENCES: usize = 5;

/// A hook line above the fold, short paragraphs drawn from across the piece, a closing
/// question and hashtags at the end.
pub fn render(analysis: &Analysis) -> Rendered {
    // A post quoted on its own opens with a sentence that needs nothing before it.
    let hook_index = analysis.hook_where(&|i| analysis.quotable(i));
    let hook = analysis.grounded(hook_index, Some(HOOK_MAX_CHARS));
    let hashtags = analysis.hashtags(LINKEDIN_MIN_HASHTAGS, LINKEDIN_MAX_HASHTAGS);
    let mut body: Vec<usize> = analysis.select_prose(BODY_SENTENCES, &[hook_index], &|_| true);
    loop {
        let (content, grounding) = compose(analysis, (hook_index, &hook), &body, &hashtags);
        if char_count(&content) <= LINKEDIN_MAX_CHARS || body.is_empty() {
            return Rendered {
                content,
                grounding,
                fields: ChannelFields { hashtags, ..ChannelFields::default() },
            };
        }
        body.pop();
    }
}

fn compose(
    analysis: &Analysis,
    (hook_index, hook): (usize, &Grounded),
    body: &[usize],
    hashtags: &[String],
) -> (String, Vec<Grounded>) {
    let mut blocks = Vec::new();
    let mut voices = Voices::default();
    let opening = voices.quote(analysis, &[(hook_index, hook.clone())]);
    blocks.push(match tone_emoji(analysis) {
        Some(emoji) => format!("{emoji} {opening}"),
        None => opening,
    });
    let mut grounding = vec![hook.clone()];
    // Short paragraphs: at most two sentences, and only if they shared a paragraph.
    let mut paragraph: Vec<(usize, Grounded)> = Vec::new();
    for &index in body {
        let line = analysis.grounded(index, None);
        let shares_paragraph = paragraph.last().is_some_and(|(last, _)| {
            analysis.sentences[*last].paragraph == analysis.sentences[index].paragraph
        });
        if !paragraph.is_empty() && (paragraph.len() == 2 || !shares_paragraph) {
            blocks.push(voices.quote(analysis, &paragraph));
            paragraph.clear();
        }
        grounding.push(line.clone());
        paragraph.push((index, line));
    }
    if !paragraph.is_empty() {
        blocks.push(voices.quote(analysis, &paragraph));
    }
    blocks.push(call_to_action(analysis, Channel::Linkedin));
    if !hashtags.is_empty() {
        blocks.push(hashtags.join(" "));
    }
    (blocks.join("\n\n"), grounding)
}
