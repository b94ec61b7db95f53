use serde_json::{Map, Value, json};

use super::{Rendered, call_to_action};
use crate::{
    Channel, XFormat,
    analysis::{Analysis, Grounded},
    channel::{X_MAX_HASHTAGS, X_MAX_WEIGHTED},
    count::x_weighted_upper_bound,
};

/// Room kept at the end of every thread part for its " 9/9" number.
pub(crate) const NUMBER_ROOM: usize = 5;
const MAX_THREAD_PARTS: usize = 9;
/// A source this long reads better as a thread than as one post.
const THREAD_FROM_SENTENCES: usize = 8;

pub fn render(analysis: &Analysis) -> Rendered {
    let thread = match analysis.options.x_format {
        XFormat::Single => false,
        XFormat::Thread => true,
        XFormat::Auto => analysis.body_count() >= THREAD_FROM_SENTENCES,
    };
    let hook = analysis.hook();
    let mut order = vec![hook];
    order.extend(analysis.best(if thread { 6 } else { 3 }, &[hook]));
    let pieces: Vec<Grounded> = order
        .iter()
        .flat_map(|&i| split_to_fit(analysis.grounded(i, None), X_MAX_WEIGHTED - NUMBER_ROOM))
        .collect();
    let hashtags = analysis.hashtags(X_MAX_HASHTAGS);
    let (parts, grounding, kept_tags) =
        if thread { thread_parts(analysis, pieces, &hashtags) } else { single_post(pieces, &hashtags) };
    let mut fields = Map::new();
    fields.insert("parts".into(), json!(parts));
    fields.insert("format".into(), Value::from(if parts.len() > 1 { "thread" } else { "single" }));
    Rendered { content: parts.join("\n\n"), grounding, hashtags: kept_tags, fields }
}

/// Packing uses the fast upper bound; the lint and counts use the exact length.
fn fits(text: &str, limit: usize) -> bool {
    x_weighted_upper_bound(text) <= limit
}

/// One post: the hook, then whole sentences while they fit, then the hashtags if they fit.
fn single_post(pieces: Vec<Grounded>, hashtags: &[String]) -> (Vec<String>, Vec<Grounded>, Vec<String>) {
    let mut post = String::new();
    let mut grounding = Vec::new();
    for piece in pieces {
        let candidate = if post.is_empty() { piece.text.clone() } else { format!("{post} {}", piece.text) };
        if !fits(&candidate, X_MAX_WEIGHTED) {
            if post.is_empty() {
                continue;
            }
            break;
        }
        post = candidate;
        grounding.push(piece);
    }
    let mut kept = Vec::new();
    if !hashtags.is_empty() {
        let tagged = format!("{post}\n{}", hashtags.join(" "));
        if fits(&tagged, X_MAX_WEIGHTED) {
            post = tagged;
            kept = hashtags.to_vec();
        }
    }
    (vec![post], grounding, kept)
}

/// Sentences packed into numbered parts; the call to action and hashtags close the last part.
fn thread_parts(
    analysis: &Analysis,
    pieces: Vec<Grounded>,
    hashtags: &[String],
) -> (Vec<String>, Vec<Grounded>, Vec<String>) {
    let limit = X_MAX_WEIGHTED - NUMBER_ROOM;
    let mut parts: Vec<String> = Vec::new();
    let mut grounding = Vec::new();
    for piece in pieces {
        let full = parts.len() == MAX_THREAD_PARTS;
        match parts.last_mut() {
            Some(last) if fits(&format!("{last} {}", piece.text), limit) => {
                last.push(' ');
                last.push_str(&piece.text);
            }
            _ if full => break,
            _ => parts.push(piece.text.clone()),
        }
        grounding.push(piece);
    }
    let closing = call_to_action(analysis, Channel::X);
    append_or_push(&mut parts, &closing, limit);
    let mut kept = Vec::new();
    if !hashtags.is_empty() && append_or_push(&mut parts, &hashtags.join(" "), limit) {
        kept = hashtags.to_vec();
    }
    let total = parts.len();
    if total == 1 {
        return (parts, grounding, kept);
    }
    let numbered =
        parts.into_iter().enumerate().map(|(i, part)| format!("{part} {}/{total}", i + 1)).collect();
    (numbered, grounding, kept)
}

fn append_or_push(parts: &mut Vec<String>, text: &str, limit: usize) -> bool {
    if let Some(last) = parts.last_mut() {
        let joined = format!("{last}\n{text}");
        if fits(&joined, limit) {
            *last = joined;
            return true;
        }
    }
    if parts.len() < MAX_THREAD_PARTS && fits(text, limit) {
        parts.push(text.to_owned());
        return true;
    }
    false
}

/// Splits a sentence longer than a post at spaces. A single word or URL longer than a post
/// cannot be split without cutting it, so it is left out.
pub(crate) fn split_to_fit(piece: Grounded, limit: usize) -> Vec<Grounded> {
    if fits(&piece.text, limit) {
        return vec![piece];
    }
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in piece.text.split_whitespace() {
        if !fits(word, limit) {
            continue;
        }
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if fits(&candidate, limit) {
            current = candidate;
        } else {
            chunks.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks.into_iter().map(|text| Grounded { text, spans: piece.spans.clone() }).collect()
}
