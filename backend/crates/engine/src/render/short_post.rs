//! Posts for the short-post networks (X, Bluesky, Mastodon): one post, or a numbered thread
//! when the source is long, every post within the network's limit as the network counts it.

use super::{Rendered, call_to_action};
use crate::{
    ChannelFields, PostFormat, XFormat,
    analysis::{Analysis, Grounded},
    channel::{Channel, ShortPost},
};

/// Room kept at the end of every thread part for its " 9/9" number.
pub(crate) const NUMBER_ROOM: usize = 5;
const MAX_THREAD_PARTS: usize = 9;
/// A source this long reads better as a thread than as one post.
const THREAD_FROM_SENTENCES: usize = 8;

pub fn render(analysis: &Analysis, network: ShortPost) -> Rendered {
    let thread = match analysis.options.x_format {
        XFormat::Single => false,
        XFormat::Thread => true,
        XFormat::Auto => analysis.body_count() >= THREAD_FROM_SENTENCES,
    };
    let hashtags = analysis.hashtags(network.min_hashtags, network.written_hashtags);
    let part_room = network.max_length.saturating_sub(NUMBER_ROOM);
    let (parts, grounding, kept_tags) = if thread {
        // A sentence longer than a post would have to be cut in two, and half a sentence does
        // not stand alone: only sentences that fit are taken.
        let fits_part = |i: usize| fits(network, &analysis.grounded(i, None).text, part_room);
        let hook = analysis.hook_where(&|i| analysis.quotable(i) && fits_part(i));
        let mut order = vec![hook];
        order.extend(analysis.select_prose(THREAD_SENTENCES, &[hook], &fits_part));
        let pieces: Vec<Piece> = order
            .iter()
            .flat_map(|&i| {
                let speaker = analysis.speaker(i);
                split_to_fit(network, analysis.grounded(i, None), part_room)
                    .into_iter()
                    .map(move |line| Piece { paragraph: analysis.sentences[i].paragraph, speaker, line })
            })
            .collect();
        thread_parts(analysis, network, pieces, &hashtags)
    } else {
        let hook = analysis.hook();
        let mut order = vec![hook];
        order.extend(
            analysis
                .ranked
                .iter()
                .copied()
                .filter(|&i| i != hook && analysis.stands_alone(i) && analysis.quotable(i)),
        );
        single_post(analysis, network, &order, &hashtags)
    };
    Rendered {
        content: parts.join("\n\n"),
        grounding,
        fields: ChannelFields { hashtags: kept_tags, ..fields(network, &parts) },
    }
}

/// The channel fields of a post or thread: its parts, whether it is a thread, and for
/// Mastodon the instance limit it was written for, which an edit is checked against.
pub(crate) fn fields(network: ShortPost, parts: &[String]) -> ChannelFields {
    ChannelFields {
        parts: Some(parts.to_vec()),
        format: Some(if parts.len() > 1 { PostFormat::Thread } else { PostFormat::Single }),
        max_chars: (network.channel == Channel::Mastodon).then_some(network.max_length),
        ..ChannelFields::default()
    }
}

const THREAD_SENTENCES: usize = 5;

/// One sentence of a thread and where it stands in the source.
struct Piece<'a> {
    paragraph: usize,
    speaker: Option<&'a str>,
    line: Grounded,
}

/// Packing uses the network's fast upper bound; the lint and counts use the exact length.
fn fits(network: ShortPost, text: &str, limit: usize) -> bool {
    network.counting.upper_bound(text) <= limit
}

/// One post: the best sentence that fits (the hook when it does), then other good sentences
/// that still fit, in source order, then the hashtags if they fit.
fn single_post(
    analysis: &Analysis,
    network: ShortPost,
    order: &[usize],
    hashtags: &[String],
) -> (Vec<String>, Vec<Grounded>, Vec<String>) {
    let limit = network.max_length;
    let mut chosen: Vec<usize> = Vec::new();
    let mut length = 0;
    for &index in order.iter().take(SINGLE_CANDIDATES) {
        let text = &analysis.grounded(index, None).text;
        let added = network.counting.upper_bound(text) + usize::from(!chosen.is_empty());
        if length + added <= limit {
            length += added;
            chosen.push(index);
        }
    }
    if chosen.is_empty() {
        // Nothing fits whole: the hook, cut at a word.
        let line = analysis.grounded(order[0], Some(limit / 2));
        return (vec![line.text.clone()], vec![line], vec![]);
    }
    chosen.sort_unstable();
    let grounding: Vec<Grounded> = chosen.iter().map(|&i| analysis.grounded(i, None)).collect();
    let mut post = grounding.iter().map(|g| g.text.as_str()).collect::<Vec<_>>().join(" ");
    let mut kept = Vec::new();
    if !hashtags.is_empty() {
        let tagged = format!("{post}\n{}", hashtags.join(" "));
        if fits(network, &tagged, limit) {
            post = tagged;
            kept = hashtags.to_vec();
        }
    }
    (vec![post], grounding, kept)
}

/// How many of the best sentences a single post considers.
const SINGLE_CANDIDATES: usize = 6;

/// One sentence per part (two when they shared a source paragraph and fit; on a network whose
/// parts are not kept to a paragraph, as many as fit), numbered; the
/// call to action and hashtags close the last part when they fit, and are left out otherwise,
/// so no part is only a call to action or hashtags.
fn thread_parts(
    analysis: &Analysis,
    network: ShortPost,
    pieces: Vec<Piece>,
    hashtags: &[String],
) -> (Vec<String>, Vec<Grounded>, Vec<String>) {
    let limit = network.max_length.saturating_sub(NUMBER_ROOM);
    // Sentences of one part: a speaker's two sentences are one quote with one attribution.
    let render = |lines: &[String], speaker: Option<&str>| {
        let text = lines.join(" ");
        match speaker {
            Some(name) if fits(network, &format!("“{text}” — {name}"), limit) => {
                format!("“{text}” — {name}")
            }
            _ => text,
        }
    };
    let mut parts: Vec<(Vec<String>, Option<&str>, usize)> = Vec::new();
    let mut grounding = Vec::new();
    for piece in pieces {
        let full = parts.len() == MAX_THREAD_PARTS;
        match parts.last_mut() {
            Some((lines, speaker, paragraph))
                if (piece.paragraph == *paragraph || !network.part_per_paragraph)
                    && piece.speaker == *speaker
                    && fits(
                        network,
                        &render(&[lines.join(" "), piece.line.text.clone()], *speaker),
                        limit,
                    ) =>
            {
                lines.push(piece.line.text.clone());
            }
            _ if full => break,
            _ => parts.push((vec![piece.line.text.clone()], piece.speaker, piece.paragraph)),
        }
        grounding.push(piece.line);
    }
    let closing = call_to_action(analysis, network.channel);
    let tags = hashtags.join(" ");
    // A part packed full has no room left for the closing: its last sentence opens a part of
    // its own, which the closing then ends.
    let ending = if tags.is_empty() { closing.clone() } else { format!("{closing}\n{tags}") };
    if !network.part_per_paragraph
        && parts.len() < MAX_THREAD_PARTS
        && let Some((lines, speaker, paragraph)) = parts.last_mut()
        && lines.len() > 1
        && !fits(network, &format!("{}\n{ending}", render(lines, *speaker)), limit)
        && let Some(line) = lines.pop()
    {
        let (speaker, paragraph) = (*speaker, *paragraph);
        parts.push((vec![line], speaker, paragraph));
    }
    let mut parts: Vec<String> = parts.iter().map(|(lines, speaker, _)| render(lines, *speaker)).collect();
    append_to_last(network, &mut parts, &closing, limit);
    let mut kept = Vec::new();
    if !hashtags.is_empty() && append_to_last(network, &mut parts, &tags, limit) {
        kept = hashtags.to_vec();
    }
    (number(parts), grounding, kept)
}

/// Ends every part of a thread with its number, " 1/3" … " 3/3"; a single post stays as it is.
pub(crate) fn number(parts: Vec<String>) -> Vec<String> {
    let total = parts.len();
    if total <= 1 {
        return parts;
    }
    parts.into_iter().enumerate().map(|(i, part)| format!("{part} {}/{total}", i + 1)).collect()
}

fn append_to_last(network: ShortPost, parts: &mut [String], text: &str, limit: usize) -> bool {
    if let Some(last) = parts.last_mut() {
        let joined = format!("{last}\n{text}");
        if fits(network, &joined, limit) {
            *last = joined;
            return true;
        }
    }
    false
}

/// Splits a sentence longer than a post at spaces. A single word or URL longer than a post
/// cannot be split without cutting it, so it is left out.
pub(crate) fn split_to_fit(network: ShortPost, piece: Grounded, limit: usize) -> Vec<Grounded> {
    if fits(network, &piece.text, limit) {
        return vec![piece];
    }
    let mut chunks: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in piece.text.split_whitespace() {
        if !fits(network, word, limit) {
            continue;
        }
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if fits(network, &candidate, limit) {
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
