use serde_json::Map;

use super::{Rendered, call_to_action, tone_emoji};
use crate::{
    Channel,
    analysis::{Analysis, Grounded, HOOK_MAX_CHARS},
    channel::{LINKEDIN_MAX_CHARS, LINKEDIN_MAX_HASHTAGS},
    count::char_count,
};

const BODY_SENTENCES: usize = 6;

/// A hook line above the fold, short paragraphs, a closing question and hashtags at the end.
pub fn render(analysis: &Analysis) -> Rendered {
    let hook_index = analysis.hook();
    let hook = analysis.grounded(hook_index, Some(HOOK_MAX_CHARS));
    let hashtags = analysis.hashtags(LINKEDIN_MAX_HASHTAGS);
    let mut body: Vec<usize> = analysis.best(BODY_SENTENCES, &[hook_index]);
    loop {
        let (content, grounding) = compose(analysis, &hook, &body, &hashtags);
        if char_count(&content) <= LINKEDIN_MAX_CHARS || body.is_empty() {
            return Rendered { content, grounding, hashtags, fields: Map::new() };
        }
        body.pop();
    }
}

fn compose(
    analysis: &Analysis,
    hook: &Grounded,
    body: &[usize],
    hashtags: &[String],
) -> (String, Vec<Grounded>) {
    let mut blocks = Vec::new();
    blocks.push(match tone_emoji(analysis) {
        Some(emoji) => format!("{emoji} {}", hook.text),
        None => hook.text.clone(),
    });
    let mut grounding = vec![hook.clone()];
    // Short paragraphs: at most two sentences, and only if they shared a paragraph.
    let mut paragraph: Vec<Grounded> = Vec::new();
    let mut paragraph_source = usize::MAX;
    for &index in body {
        let line = analysis.grounded(index, None);
        let source_paragraph = analysis.sentences[index].paragraph;
        if !paragraph.is_empty() && (paragraph.len() == 2 || source_paragraph != paragraph_source) {
            blocks.push(join(&paragraph));
            paragraph.clear();
        }
        paragraph_source = source_paragraph;
        grounding.push(line.clone());
        paragraph.push(line);
    }
    if !paragraph.is_empty() {
        blocks.push(join(&paragraph));
    }
    blocks.push(call_to_action(analysis, Channel::Linkedin));
    if !hashtags.is_empty() {
        blocks.push(hashtags.join(" "));
    }
    (blocks.join("\n\n"), grounding)
}

fn join(lines: &[Grounded]) -> String {
    lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" ")
}
