//! Sentence ranking (TextRank over TF-IDF cosine similarity with a position prior) and
//! keyphrase extraction for hashtags and section headings.

use std::collections::{BTreeMap, HashMap};

use crate::{
    lang::Language,
    text::{Sentence, content_words},
};

const DAMPING: f64 = 0.4;
const ITERATIONS: usize = 40;
/// Beyond this many sentences each sentence keeps only its strongest neighbours, so the
/// graph stays sparse and ranking stays close to linear in the number of sentences.
const DENSE_LIMIT: usize = 120;
const NEIGHBOURS: usize = 12;
/// Terms in more than this share of sentences say little about any one of them.
const MAX_DOCUMENT_FREQUENCY: f64 = 0.3;

/// Each sentence's centrality and its TF-IDF vector (for redundancy checks).
pub struct Ranking {
    pub scores: Vec<f64>,
    pub vectors: Vec<SparseVector>,
}

/// Scores each sentence; higher is more central. Headings score zero.
pub fn rank_sentences(sentences: &[Sentence], language: Option<Language>) -> Ranking {
    let n = sentences.len();
    if n == 0 {
        return Ranking { scores: vec![], vectors: vec![] };
    }
    let vectors = tfidf_vectors(sentences, language);
    let edges = similarity_edges(&vectors);
    let prior = position_prior(sentences);
    let mut scores = prior.clone();
    let out_weight: Vec<f64> = edges.iter().map(|list| list.iter().map(|(_, w)| w).sum()).collect();
    for _ in 0..ITERATIONS {
        let mut next: Vec<f64> = prior.iter().map(|p| (1.0 - DAMPING) * p).collect();
        for (from, list) in edges.iter().enumerate() {
            if out_weight[from] == 0.0 {
                // A sentence sharing no words hands its score back along the prior.
                for (to, p) in prior.iter().enumerate() {
                    next[to] += DAMPING * scores[from] * p;
                }
                continue;
            }
            for &(to, weight) in list {
                next[to] += DAMPING * scores[from] * weight / out_weight[from];
            }
        }
        scores = next;
    }
    for (score, sentence) in scores.iter_mut().zip(sentences) {
        if sentence.is_heading() {
            *score = 0.0;
        }
    }
    Ranking { scores, vectors }
}

pub type SparseVector = Vec<(usize, f64)>;

fn tfidf_vectors(sentences: &[Sentence], language: Option<Language>) -> Vec<SparseVector> {
    let mut vocabulary: BTreeMap<String, usize> = BTreeMap::new();
    let tokenized: Vec<Vec<usize>> = sentences
        .iter()
        .map(|s| {
            content_words(&s.text, language)
                .into_iter()
                .map(|word| {
                    let next = vocabulary.len();
                    *vocabulary.entry(word).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut document_frequency = vec![0usize; vocabulary.len()];
    for tokens in &tokenized {
        let mut seen: Vec<usize> = tokens.clone();
        seen.sort_unstable();
        seen.dedup();
        for term in seen {
            document_frequency[term] += 1;
        }
    }
    let n = sentences.len() as f64;
    tokenized
        .iter()
        .map(|tokens| {
            let mut counts: BTreeMap<usize, f64> = BTreeMap::new();
            for &term in tokens {
                *counts.entry(term).or_default() += 1.0;
            }
            let mut vector: SparseVector = counts
                .into_iter()
                .map(|(term, tf)| {
                    (term, tf * ((1.0 + n) / (1.0 + document_frequency[term] as f64)).ln() + tf * 1e-3)
                })
                .collect();
            let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|(_, w)| *w /= norm);
            }
            vector
        })
        .collect()
}

pub fn cosine(a: &SparseVector, b: &SparseVector) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Weighted edges per sentence: all pairs for short texts, the strongest neighbours found
/// through shared (not too common) terms for long ones.
fn similarity_edges(vectors: &[SparseVector]) -> Vec<Vec<(usize, f64)>> {
    let n = vectors.len();
    if n <= DENSE_LIMIT {
        return (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| (j, cosine(&vectors[i], &vectors[j])))
                    .filter(|(_, w)| *w > 0.0)
                    .collect()
            })
            .collect();
    }
    let mut postings: HashMap<usize, Vec<usize>> = HashMap::new();
    for (index, vector) in vectors.iter().enumerate() {
        for &(term, _) in vector {
            postings.entry(term).or_default().push(index);
        }
    }
    let max_postings = ((n as f64) * MAX_DOCUMENT_FREQUENCY).max(2.0) as usize;
    (0..n)
        .map(|i| {
            let mut candidates: Vec<usize> = vectors[i]
                .iter()
                .filter_map(|(term, _)| postings.get(term).filter(|list| list.len() <= max_postings))
                .flatten()
                .copied()
                .filter(|&j| j != i)
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let mut scored: Vec<(usize, f64)> = candidates
                .into_iter()
                .map(|j| (j, cosine(&vectors[i], &vectors[j])))
                .filter(|(_, w)| *w > 0.0)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            scored.truncate(NEIGHBOURS);
            scored
        })
        .collect()
}

/// How much more the opening sentence weighs than one far into the text, and how fast that
/// fades (in sentences): five times at the start, three times four sentences in, about 1.4
/// times forty sentences in. The lead matters (on ACLSum a steeper or flatter prior
/// both score lower), but the substance of an article (its tips, results, payoff) is further
/// down, and the selection spreads across sections.
const LEAD_WEIGHT: f64 = 4.0;
const LEAD_DECAY: f64 = 4.0;

/// Earlier sentences, and the first sentence of each paragraph and of each section, are
/// likelier to matter.
fn position_prior(sentences: &[Sentence]) -> Vec<f64> {
    let mut previous_paragraph = usize::MAX;
    let mut previous_section = usize::MAX;
    let raw: Vec<f64> = sentences
        .iter()
        .enumerate()
        .map(|(index, sentence)| {
            let opens_paragraph = sentence.paragraph != previous_paragraph;
            let opens_section = !sentence.is_heading() && sentence.section != previous_section;
            previous_paragraph = sentence.paragraph;
            if !sentence.is_heading() {
                previous_section = sentence.section;
            }
            let lead = 1.0 + LEAD_WEIGHT / (1.0 + index as f64 / LEAD_DECAY);
            let mut base = length_factor(&sentence.text) * lead;
            if opens_paragraph {
                base *= 1.5;
            }
            if opens_section {
                base *= 1.3;
            }
            base
        })
        .collect();
    let total: f64 = raw.iter().sum();
    raw.into_iter().map(|p| p / total).collect()
}

/// Whether a word is too general, or too much an adjective or a verb, to name a topic.
pub fn is_generic(word: &str) -> bool {
    GENERIC_WORDS.contains(&word) || looks_like_a_modifier(word)
}

/// Words too general, or too much an adjective or a verb, to stand alone as a topic (they
/// may still be part of a phrase).
const GENERIC_WORDS: [&str; 99] = [
    "thank",
    "create",
    "awesome",
    "back",
    "basically",
    "big",
    "bit",
    "cool",
    "definitely",
    "early",
    "fun",
    "guess",
    "hard",
    "huge",
    "interesting",
    "kind",
    "little",
    "long",
    "maybe",
    "old",
    "pretty",
    "probably",
    "small",
    "able",
    "actually",
    "already",
    "always",
    "available",
    "best",
    "better",
    "change",
    "currently",
    "day",
    "days",
    "different",
    "easy",
    "everyone",
    "everything",
    "excited",
    "first",
    "going",
    "good",
    "great",
    "happy",
    "help",
    "important",
    "know",
    "latest",
    "let",
    "lot",
    "lots",
    "month",
    "months",
    "need",
    "needs",
    "never",
    "next",
    "nothing",
    "number",
    "part",
    "people",
    "percent",
    "please",
    "possible",
    "really",
    "right",
    "see",
    "something",
    "someone",
    "start",
    "sure",
    "team",
    "thanks",
    "thing",
    "things",
    "think",
    "time",
    "times",
    "today",
    "try",
    "use",
    "used",
    "uses",
    "using",
    "want",
    "way",
    "ways",
    "week",
    "weeks",
    "well",
    "work",
    "year",
    "years",
    "yes",
    "stuff",
    "totally",
    "whole",
    "whatever",
    "literally",
];

const NUMBER_WORDS: [&str; 24] = [
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million",
    "billion", "half",
];

/// Very short fragments and very long sentences make weak posts; mid-length ones are favoured.
fn length_factor(text: &str) -> f64 {
    let words = text.split_whitespace().count() as f64;
    if words < 6.0 {
        0.5
    } else if words > IDEAL_MAX_WORDS {
        (IDEAL_MAX_WORDS / words).sqrt()
    } else {
        1.0
    }
}

const IDEAL_MAX_WORDS: f64 = 25.0;

/// A keyphrase: its words as they appear in the text and a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyphrase {
    pub words: Vec<String>,
    pub score: f64,
}

/// Keyphrases (single words and two-word phrases), best first; ties break alphabetically.
/// The title weighs most, headings next; a plural and its singular are one phrase.
pub fn keyphrases(sentences: &[Sentence], limit: usize, language: Option<Language>) -> Vec<Keyphrase> {
    let nouns_capitalised = language == Some(Language::German);
    struct Tally {
        score: f64,
        surface: String,
        count: usize,
        in_heading: bool,
    }
    let mut scores: HashMap<Vec<String>, Tally> = HashMap::new();
    let total = sentences.len().max(1) as f64;
    let title = sentences.iter().position(Sentence::is_heading);
    for (index, sentence) in sentences.iter().enumerate() {
        // Early mentions weigh a little more, as in YAKE's position feature; a heading names
        // the topic outright, the title most of all.
        let position_weight = match sentence.role {
            _ if Some(index) == title => 3.5,
            crate::text::Role::Heading(_) => 2.5,
            _ => 1.0 + (1.0 - index as f64 / total) * 0.5,
        };
        for run in content_runs(&sentence.text, language) {
            // In German every noun is capitalised: a lower-case word is an adjective or a verb.
            let run: Vec<String> = if nouns_capitalised {
                run.into_iter().filter(|w| w.starts_with(char::is_uppercase)).collect()
            } else {
                run
            };
            for window in 1..=2 {
                for words in run.windows(window) {
                    let key: Vec<String> = words.iter().map(|w| singular(&w.to_lowercase())).collect();
                    if key
                        .iter()
                        .any(|w| w.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w.as_str()))
                    {
                        continue;
                    }
                    // A repeated phrase is a stronger topic signal than its words alone.
                    let weight = if window == 2 { 2.0 } else { 1.0 };
                    let entry = scores.entry(key).or_insert_with(|| Tally {
                        score: 0.0,
                        surface: words.join(" "),
                        count: 0,
                        in_heading: false,
                    });
                    entry.score += weight * position_weight;
                    entry.count += 1;
                    entry.in_heading |= sentence.is_heading();
                }
            }
        }
    }
    let mut ranked: Vec<Keyphrase> = scores
        .into_iter()
        .filter(|(key, tally)| {
            let repeated = tally.count >= 2 || tally.in_heading;
            if key.len() == 1 {
                repeated && !GENERIC_WORDS.contains(&key[0].as_str()) && !looks_like_a_modifier(&key[0])
            } else {
                // "little bit", "first year": a phrase about a general word names no topic.
                repeated && !looks_like_a_modifier(&key[1]) && !GENERIC_WORDS.contains(&key[1].as_str())
            }
        })
        .map(|(key, tally)| {
            let words = tally.surface.split(' ').map(str::to_owned).collect::<Vec<_>>();
            let length_bonus = key.iter().map(|w| w.chars().count()).sum::<usize>().min(12) as f64 / 12.0;
            Keyphrase { words, score: tally.score + length_bonus }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.words.cmp(&b.words)));
    // A phrase makes its single words redundant.
    let mut chosen: Vec<Keyphrase> = Vec::new();
    for phrase in ranked {
        let lower: Vec<String> = phrase.words.iter().map(|w| singular(&w.to_lowercase())).collect();
        let overlaps = chosen.iter().any(|c| {
            let other: Vec<String> = c.words.iter().map(|w| singular(&w.to_lowercase())).collect();
            lower.iter().any(|w| other.contains(w))
        });
        if !overlaps {
            chosen.push(phrase);
        }
        if chosen.len() == limit {
            break;
        }
    }
    chosen
}

/// The singular of a regular English plural ("registries" → "registry", "teams" → "team"),
/// so a plural and its singular count as one phrase. Other words are returned as they are.
fn singular(word: &str) -> String {
    let chars = word.chars().count();
    if chars > 4 && word.ends_with("ies") {
        return format!("{}y", &word[..word.len() - 3]);
    }
    if chars > 3
        && word.ends_with('s')
        && !["ss", "us", "is", "os", "as"].iter().any(|end| word.ends_with(end))
    {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

/// Adverbs and participles ("quickly", "published") name no topic, alone or at a phrase's end.
fn looks_like_a_modifier(word: &str) -> bool {
    let chars = word.chars().count();
    chars > 4 && (word.ends_with("ly") || word.ends_with("ed"))
}

/// Runs of adjacent content words; stopwords and punctuation break a run. Hyphenated words
/// ("four-day") stay whole.
pub fn content_runs(text: &str, language: Option<Language>) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let lower = word.to_lowercase();
        let breaks_after = raw.ends_with(|c: char| ".,;:!?)\"”’".contains(c));
        if word.chars().count() > 2
            && !crate::text::is_stopword(&lower, language)
            && word.chars().any(char::is_alphabetic)
        {
            current.push(word.to_owned());
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
        if breaks_after && !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    const ARTICLE: &str = "Rye and Crumb, a bakery with eleven staff, switched to a four-day week in March. \
        The bakery now opens Wednesday to Saturday. Two bakers left in the winter. \
        Under the four-day week every baker keeps the same pay. Sales at the bakery rose four percent. \
        The weather was mild.";

    #[test]
    fn central_sentences_rank_above_asides() {
        let sentences = segment(ARTICLE, None).sentences;
        let scores = rank_sentences(&sentences, None).scores;
        let best = (0..scores.len()).max_by(|&a, &b| scores[a].total_cmp(&scores[b])).unwrap();
        assert!(sentences[best].text.contains("four-day week"), "{}", sentences[best].text);
        let aside = sentences.iter().position(|s| s.text.contains("weather")).unwrap();
        assert!(scores[aside] < scores[best]);
    }

    #[test]
    fn ranking_is_deterministic() {
        let sentences = segment(ARTICLE, None).sentences;
        assert_eq!(rank_sentences(&sentences, None).scores, rank_sentences(&sentences, None).scores);
    }

    #[test]
    fn keyphrases_prefer_repeated_topics() {
        let phrases = keyphrases(&segment(ARTICLE, None).sentences, 3, None);
        let first = phrases[0].words.join(" ").to_lowercase();
        assert!(
            first.contains("bakery") || first.contains("four-day") || first.contains("week"),
            "{phrases:?}"
        );
        assert_eq!(phrases.len(), 3);
    }

    #[test]
    fn plurals_merge_with_their_singular_and_modifiers_are_no_topic() {
        let text = "# Container registries\n\nThe registry moved. Registries are frozen. \
                    Our container registry is published quickly. A registry helps. Registry users read it.";
        let phrases = keyphrases(&segment(text, None).sentences, 4, None);
        let joined: Vec<String> = phrases.iter().map(|p| p.words.join(" ").to_lowercase()).collect();
        assert_eq!(joined[0], "container registries", "{joined:?}");
        assert!(joined.iter().all(|p| !p.contains("published") && !p.contains("quickly")), "{joined:?}");
        assert_eq!(singular("registries"), "registry");
        assert_eq!(singular("status"), "status");
    }

    #[test]
    fn long_texts_use_the_sparse_graph() {
        let long: String = (0..400)
            .map(|i| format!("Sentence {i} talks about topic{} and bakery{}. ", i % 17, i % 5))
            .collect();
        let sentences = segment(&long, None).sentences;
        assert!(sentences.len() > DENSE_LIMIT);
        let scores = rank_sentences(&sentences, None).scores;
        assert_eq!(scores.len(), sentences.len());
        assert!(scores.iter().all(|s| s.is_finite() && *s >= 0.0));
    }
}
