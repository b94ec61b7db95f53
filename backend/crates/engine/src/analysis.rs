//! What the renderers share: the ranked sentences, the hook, keyphrases and the title.

use serde_json::{Value, json};

use crate::{
    GenerationOptions,
    rank::{Keyphrase, keyphrases, rank_sentences},
    text::{Sentence, segment},
    words::{hashtag, trim_to_chars},
};

/// A hook must leave room for an emoji within LinkedIn's 210-character fold.
pub const HOOK_MAX_CHARS: usize = 200;

pub struct Analysis<'a> {
    pub sentences: Vec<Sentence>,
    /// Body (non-heading) sentence indices, best first.
    pub ranked: Vec<usize>,
    pub keyphrases: Vec<Keyphrase>,
    pub options: &'a GenerationOptions,
}

/// One output sentence and the source spans it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Grounded {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
}

impl Grounded {
    pub fn to_json(&self) -> Value {
        json!({ "text": self.text, "spans": self.spans.iter().map(|(s, e)| [s, e]).collect::<Vec<_>>() })
    }
}

impl<'a> Analysis<'a> {
    pub fn new(source: &str, options: &'a GenerationOptions) -> Self {
        let sentences = segment(source);
        let scores = rank_sentences(&sentences);
        let mut ranked: Vec<usize> =
            (0..sentences.len()).filter(|&i| sentences[i].heading.is_none()).collect();
        ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        // A sentence repeated in the source is said once.
        let mut seen = std::collections::HashSet::new();
        ranked.retain(|&i| seen.insert(sentences[i].text.to_lowercase()));
        let keyphrases = keyphrases(&sentences, 8);
        Self { sentences, ranked, keyphrases, options }
    }

    /// Body sentences in the source.
    pub fn body_count(&self) -> usize {
        self.ranked.len()
    }

    /// The opening sentence: one of the three best that fits a hook, rotated by the seed.
    pub fn hook(&self) -> usize {
        let fitting: Vec<usize> = self
            .ranked
            .iter()
            .copied()
            .filter(|&i| self.sentences[i].text.chars().count() <= HOOK_MAX_CHARS)
            .take(3)
            .collect();
        let candidates =
            if fitting.is_empty() { self.ranked.iter().copied().take(3).collect() } else { fitting };
        candidates[(self.options.seed % candidates.len() as u64) as usize]
    }

    /// The `count` best body sentences other than `exclude`, in source order.
    pub fn best(&self, count: usize, exclude: &[usize]) -> Vec<usize> {
        let mut chosen: Vec<usize> =
            self.ranked.iter().copied().filter(|i| !exclude.contains(i)).take(count).collect();
        chosen.sort_unstable();
        chosen
    }

    /// The sentence as an output line, grounded in its span (trimmed to `max_chars` if needed).
    pub fn grounded(&self, index: usize, max_chars: Option<usize>) -> Grounded {
        let sentence = &self.sentences[index];
        let text = match max_chars {
            Some(max) => trim_to_chars(&sentence.text, max),
            None => sentence.text.clone(),
        };
        Grounded { text, spans: vec![(sentence.start, sentence.end)] }
    }

    /// Sentences joined (best first) until at least `min` characters, then trimmed to `max`.
    pub fn summary_between(&self, first: usize, min: usize, max: usize) -> Grounded {
        let mut order = vec![first];
        order.extend(self.ranked.iter().copied().filter(|&i| i != first));
        let mut text = String::new();
        let mut spans = Vec::new();
        for index in order {
            if text.chars().count() >= min {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&self.sentences[index].text);
            spans.push((self.sentences[index].start, self.sentences[index].end));
        }
        Grounded { text: trim_to_chars(&text, max), spans }
    }

    /// The first heading of the source, else the hook; cut at a word boundary.
    pub fn title(&self, max_chars: usize) -> Grounded {
        let heading = self.sentences.iter().position(|s| s.heading.is_some());
        let index = heading.unwrap_or_else(|| self.hook());
        self.grounded(index, Some(max_chars))
    }

    /// Hashtags from the keyphrases, best first, when the preset wants them.
    pub fn hashtags(&self, max: usize) -> Vec<String> {
        if !self.options.hashtags {
            return vec![];
        }
        let mut tags: Vec<String> = Vec::new();
        for phrase in &self.keyphrases {
            if let Some(tag) = hashtag(&phrase.words)
                && !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag))
            {
                tags.push(tag);
            }
            if tags.len() == max {
                break;
            }
        }
        tags
    }

    /// A section heading for the given sentences: a keyphrase they contain, else their most
    /// frequent content word; never one already used.
    pub fn heading_for(&self, indices: &[usize], used: &mut Vec<String>) -> Option<String> {
        let text: String =
            indices.iter().map(|&i| self.sentences[i].text.to_lowercase()).collect::<Vec<_>>().join(" ");
        let phrase = self.keyphrases.iter().map(|p| p.words.join(" ")).find(|joined| {
            let lower = joined.to_lowercase();
            text.contains(&lower) && !used.contains(&lower)
        });
        let heading = phrase.or_else(|| {
            let words = crate::text::content_words(&text);
            let mut counts: Vec<(usize, usize, &String)> = Vec::new();
            for (position, word) in words.iter().enumerate() {
                match counts.iter_mut().find(|(_, _, w)| *w == word) {
                    Some(entry) => entry.0 += 1,
                    None => counts.push((1, position, word)),
                }
            }
            counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            counts.into_iter().map(|(_, _, w)| w.clone()).find(|w| !used.contains(w) && w.chars().count() > 3)
        })?;
        used.push(heading.to_lowercase());
        Some(heading.split(' ').map(capitalize).collect::<Vec<_>>().join(" "))
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
