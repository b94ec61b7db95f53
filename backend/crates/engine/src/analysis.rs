//! What the renderers share: the sentences and how each stands alone, their ranking, the
//! hook, the selection across the piece's sections, keyphrases and the title.

use std::collections::{HashMap, HashSet};

use crate::{
    GenerationOptions,
    lang::{self, Language, Phrases},
    rank::{Keyphrase, SparseVector, content_runs, cosine, is_generic, keyphrases, rank_sentences},
    standalone::{Standing, refers_back, standing, starts_with_name},
    text::{Sentence, content_words, segment},
    words::{ends_mid_phrase, hashtag, trim_to_chars},
};

/// A hook must leave room for an emoji within LinkedIn's 210-character fold.
pub const HOOK_MAX_CHARS: usize = 200;
/// How much a candidate's likeness to what is already chosen, and a second pick from the same
/// section, cost in the selection (maximal marginal relevance with a coverage term).
const REDUNDANCY_PENALTY: f64 = 0.6;
const SAME_SECTION_PENALTY: f64 = 0.3;

/// How much sharing the title's words counts for a hook: the hook should carry the news.
const TITLE_WEIGHT: f64 = 0.6;
/// In a conversation, the host's turns frame it; the guest's carry the substance.
const HOST_WEIGHT: f64 = 0.6;

pub struct Analysis<'a> {
    pub source: &'a str,
    pub sentences: Vec<Sentence>,
    pub speakers: Vec<String>,
    pub language: Option<Language>,
    standing: Vec<Standing>,
    /// Centrality per sentence, scaled so the best body sentence scores 1.
    scores: Vec<f64>,
    vectors: Vec<SparseVector>,
    /// Body sentences, each once: those that stand alone first, best first, then the rest
    /// (used only when a short source has too few whole sentences).
    pub ranked: Vec<usize>,
    /// How many of `ranked` stand alone.
    eligible: usize,
    pub keyphrases: Vec<Keyphrase>,
    pub options: &'a GenerationOptions,
    /// Whether each sentence names something said before it ("this bug").
    refers_back: Vec<bool>,
    /// How good an opening line each sentence makes (see [`Self::hook_score`]).
    hook_scores: Vec<f64>,
    /// The hook, chosen once per seed.
    hook: usize,
    word_frequency: std::cell::OnceCell<HashMap<String, usize>>,
    /// How often each run of two or three content words occurs, for headings.
    phrase_frequency: std::cell::OnceCell<HashMap<String, usize>>,
}

/// Which sentences a renderer can use (an X post must fit whole), by index.
pub type Accepts<'f> = &'f dyn Fn(usize) -> bool;

/// One output sentence and the source spans it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Grounded {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
}

impl<'a> Analysis<'a> {
    pub fn new(source: &'a str, options: &'a GenerationOptions) -> Self {
        let language = lang::detect(source);
        let segmented = segment(source, language);
        let sentences = segmented.sentences;
        let ranking = rank_sentences(&sentences, language);
        let standing: Vec<Standing> = sentences.iter().map(|s| standing(s, source, language)).collect();
        let host = sentences.iter().find_map(|s| s.speaker);
        let mut scores = ranking.scores;
        if segmented.speakers.len() > 1 {
            for (score, sentence) in scores.iter_mut().zip(&sentences) {
                if sentence.speaker.is_some() && sentence.speaker == host {
                    *score *= HOST_WEIGHT;
                }
            }
        }

        let best = scores.iter().copied().fold(0.0, f64::max);
        if best > 0.0 {
            scores.iter_mut().for_each(|score| *score /= best);
        }
        let mut ranked: Vec<usize> = (0..sentences.len()).filter(|&i| !sentences[i].is_heading()).collect();
        ranked.sort_by(|&a, &b| {
            let tier = |i: usize| match standing[i] {
                Standing::Alone | Standing::AfterConnective(_) => 0,
                Standing::NeedsPrevious => 1,
                Standing::NotContent => 2,
            };
            tier(a).cmp(&tier(b)).then(scores[b].total_cmp(&scores[a])).then(a.cmp(&b))
        });
        // A sentence repeated in the source is said once.
        let mut seen = HashSet::new();
        ranked.retain(|&i| seen.insert(sentences[i].text.to_lowercase()));
        let eligible = ranked.iter().take_while(|&&i| standing[i].stands_alone()).count();
        let keyphrases = keyphrases(&sentences, 8, language);
        let sentences_refer_back = sentences.iter().map(|s| refers_back(&s.text)).collect();
        let mut analysis = Self {
            source,
            sentences,
            speakers: segmented.speakers,
            language,
            standing,
            scores,
            vectors: ranking.vectors,
            ranked,
            eligible,
            keyphrases,
            options,
            refers_back: sentences_refer_back,
            hook_scores: vec![],
            hook: 0,
            word_frequency: std::cell::OnceCell::new(),
            phrase_frequency: std::cell::OnceCell::new(),
        };
        let title_words = analysis.title_words();
        analysis.hook_scores =
            (0..analysis.sentences.len()).map(|i| analysis.hook_score(i, &title_words)).collect();
        if !analysis.ranked.is_empty() {
            analysis.hook = analysis.hook_where(&|_| true);
        }
        analysis
    }

    /// Body sentences in the source.
    pub fn body_count(&self) -> usize {
        self.ranked.len()
    }

    /// The fixed phrases (calls to action, section names) in the source's language.
    pub fn phrases(&self) -> &'static Phrases {
        self.language.unwrap_or(Language::English).phrases()
    }

    /// The sentences a renderer may choose from, best first: those that stand alone, and when
    /// fewer than `needed` do, the best of those needing their predecessor. Lines that are not
    /// content (bylines, captions, small talk) only when nothing else is left: a shorter draft
    /// is better than one that quotes them.
    fn pool(&self, needed: usize) -> &[usize] {
        let content = self.ranked.iter().take_while(|&&i| self.standing[i] != Standing::NotContent).count();
        let usable = if content == 0 { self.ranked.len() } else { content };
        &self.ranked[..needed.max(self.eligible).min(usable)]
    }

    /// The title's content words, for scoring how on-topic a sentence is.
    fn title_words(&self) -> Vec<String> {
        self.title_index().map(|i| content_words(&self.sentences[i].text, self.language)).unwrap_or_default()
    }

    fn title_index(&self) -> Option<usize> {
        let first_heading = self.sentences.iter().position(Sentence::is_heading)?;
        // A heading counts as the title only when it opens the piece.
        (first_heading == 0 || self.sentences[..first_heading].iter().all(|s| !self.is_body_text(s)))
            .then_some(first_heading)
    }

    fn is_body_text(&self, sentence: &Sentence) -> bool {
        !sentence.is_heading() && sentence.text.split_whitespace().count() > 12
    }

    /// How good an opening line the sentence makes: central, concrete (a number or result),
    /// a question, or on the title's topic.
    fn hook_score(&self, index: usize, title_words: &[String]) -> f64 {
        let text = &self.sentences[index].text;
        let words = content_words(text, self.language);
        let overlap = if title_words.is_empty() {
            0.0
        } else {
            title_words.iter().filter(|w| words.contains(w)).count() as f64 / title_words.len() as f64
        };
        let chars = text.chars().count();
        self.scores[index]
            + TITLE_WEIGHT * overlap
            + if text.chars().any(|c| c.is_ascii_digit()) { 0.2 } else { 0.0 }
            + if text.ends_with('?') { 0.2 } else { 0.0 }
            + if (60..=160).contains(&chars) { 0.15 } else { 0.0 }
    }

    /// The opening sentence: among the good hook candidates, rotated by the seed.
    pub fn hook(&self) -> usize {
        self.hook
    }

    /// The opening sentence among those `accepts` takes (the hook when it takes none).
    pub fn hook_where(&self, accepts: Accepts) -> usize {
        let mut candidates: Vec<(usize, f64)> = self
            .pool(1)
            .iter()
            .copied()
            .filter(|&i| {
                let text = &self.sentences[i].text;
                text.chars().count() <= HOOK_MAX_CHARS
                    && self.sentences[i].role != crate::text::Role::ListItem
                    && !has_hash_token(text)
            })
            .filter(|&i| accepts(i))
            .map(|i| (i, self.hook_scores[i]))
            .collect();
        if candidates.is_empty() {
            return self.ranked[0];
        }
        // Fewer candidates than the seed can rotate through is fine: the seed wraps.
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let best = candidates[0].1;
        candidates.truncate(3);
        candidates.retain(|&(_, score)| score >= best * 0.5);
        candidates[(self.options.seed % candidates.len() as u64) as usize].0
    }

    /// `count` sentences other than `exclude`, chosen across the piece: each pick weighs its
    /// centrality against its likeness to what is chosen and how often its section already
    /// spoke. Returned in source order.
    pub fn select(&self, count: usize, exclude: &[usize]) -> Vec<usize> {
        self.select_where(count, exclude, &|_| true)
    }

    /// Running text a social post can quote on its own, with nothing around it: no list item
    /// (it leans on its list's lead-in), nothing that names what came before ("this bug"), no
    /// "#9528" a feed would read as a hashtag.
    pub fn quotable(&self, index: usize) -> bool {
        self.sentences[index].role != crate::text::Role::ListItem
            && !has_hash_token(&self.sentences[index].text)
            && !self.refers_back[index]
    }

    /// As [`Self::select`], among running text (no list items, which lean on their list's
    /// lead-in, and no "#9528" a feed would read as a hashtag), for posts that quote
    /// sentences one by one.
    pub fn select_prose(&self, count: usize, exclude: &[usize], accepts: Accepts) -> Vec<usize> {
        self.select_where(count, exclude, &|i| self.quotable(i) && accepts(i))
    }

    /// As [`Self::select`], among the sentences `accepts` takes.
    pub fn select_where(&self, count: usize, exclude: &[usize], accepts: Accepts) -> Vec<usize> {
        let pool: Vec<usize> = self
            .pool(count + exclude.len())
            .iter()
            .copied()
            .filter(|&i| !exclude.contains(&i) && accepts(i))
            .collect();
        // Each candidate's likeness to what is already taken, kept up to date pick by pick, so
        // the selection costs one similarity per candidate and pick.
        let likeness_to = |others: &[usize], index: usize| {
            others.iter().map(|&other| cosine(&self.vectors[index], &self.vectors[other])).fold(0.0, f64::max)
        };
        let mut likeness: Vec<f64> = pool.iter().map(|&i| likeness_to(exclude, i)).collect();
        let mut section_picks: Vec<usize> = exclude.iter().map(|&i| self.sentences[i].section).collect();
        let mut taken = vec![false; pool.len()];
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < count {
            let value = |slot: usize| {
                let section = self.sentences[pool[slot]].section;
                let same_section = section_picks.iter().filter(|&&s| s == section).count() as f64;
                self.scores[pool[slot]]
                    - REDUNDANCY_PENALTY * likeness[slot]
                    - SAME_SECTION_PENALTY * same_section
            };
            let next = (0..pool.len())
                .filter(|&slot| !taken[slot])
                .map(|slot| (slot, value(slot)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(pool[b.0].cmp(&pool[a.0])));
            let Some((slot, _)) = next else { break };
            taken[slot] = true;
            let index = pool[slot];
            section_picks.push(self.sentences[index].section);
            chosen.push(index);
            for (other, like) in likeness.iter_mut().enumerate() {
                if !taken[other] {
                    *like = like.max(likeness_to(&[index], pool[other]));
                }
            }
        }
        chosen.sort_unstable();
        chosen
    }

    /// The best sentences of one source section that stand alone, in source order.
    pub fn best_in_section(&self, section: usize, count: usize, exclude: &[usize]) -> Vec<usize> {
        let mut chosen: Vec<usize> = self.ranked[..self.eligible]
            .iter()
            .copied()
            .filter(|&i| self.sentences[i].section == section && !exclude.contains(&i))
            .take(count)
            .collect();
        chosen.sort_unstable();
        chosen
    }

    /// The best sentence of a section to close on: running text before a list item.
    pub fn closing_in_section(&self, section: usize, exclude: &[usize]) -> Option<usize> {
        let mut candidates = self.ranked[..self.eligible]
            .iter()
            .copied()
            .filter(|&i| self.sentences[i].section == section && !exclude.contains(&i));
        let first = candidates.clone().next();
        candidates.find(|&i| self.sentences[i].role == crate::text::Role::Body).or(first)
    }

    /// Whether the sentence stands alone (as it is or after a grounded repair).
    pub fn stands_alone(&self, index: usize) -> bool {
        self.standing[index].stands_alone()
    }

    pub fn score(&self, index: usize) -> f64 {
        self.scores[index]
    }

    /// The sentence as an output line, grounded in its span (trimmed to `max_chars` if needed).
    /// A leading connective is dropped and the first letter raised, which keeps the span.
    pub fn grounded(&self, index: usize, max_chars: Option<usize>) -> Grounded {
        let sentence = &self.sentences[index];
        let (start, text) = match self.standing[index] {
            Standing::AfterConnective(length) => {
                let start = sentence.start + length;
                let rest = self.source[start..sentence.end].split_whitespace().collect::<Vec<_>>().join(" ");
                let text = if starts_with_name(&rest) { rest } else { capitalize(&rest) };
                (start, text)
            }
            _ => (sentence.start, sentence.text.clone()),
        };
        let text = match max_chars {
            Some(max) => trim_to_chars(&text, max),
            None => text,
        };
        Grounded { text, spans: vec![(start, sentence.end)] }
    }

    /// Who says the sentence, when the source is a conversation.
    pub fn speaker(&self, index: usize) -> Option<&str> {
        if self.speakers.len() < 2 {
            return None;
        }
        self.sentences[index].speaker.map(|s| self.speakers[s].as_str())
    }

    /// Whole sentences (starting with `first`, then the best others not in `exclude`) whose
    /// joined length falls in `min..=max`; when no whole sentences fit, the best ones cut to
    /// `max` at a word.
    pub fn summary_between(&self, first: usize, min: usize, max: usize, exclude: &[usize]) -> Grounded {
        let mut order = vec![first];
        order.extend(self.pool(2).iter().copied().filter(|&i| i != first && !exclude.contains(&i)));
        let mut whole: Vec<Grounded> = Vec::new();
        let mut length = 0;
        for &index in &order {
            let line = self.grounded(index, None);
            let added = line.text.chars().count() + usize::from(!whole.is_empty());
            if length + added <= max {
                length += added;
                whole.push(line);
            }
            if length >= min {
                return join(&whole);
            }
        }
        let mut joined = join(&order.iter().take(3).map(|&i| self.grounded(i, None)).collect::<Vec<_>>());
        joined.text = trim_to_chars(&joined.text, max);
        joined
    }

    /// The source's title (its opening heading), else the hook; at most `max_chars`, cut
    /// only at a clause or whole words, never ending on a function word.
    pub fn title(&self, max_chars: usize) -> Grounded {
        if self.title_index().is_none()
            && let Some((guest, span)) = self.guest()
        {
            let text = format!("{} {guest}", self.phrases().conversation_with);
            if text.chars().count() <= max_chars {
                return Grounded { text, spans: vec![span] };
            }
        }
        let line = self.grounded(self.title_source(max_chars), None);
        let text = line.text.trim_end_matches(['.', ':']);
        Grounded { text: title_phrase(text, max_chars), spans: line.spans }
    }

    /// In a conversation, the guest: the speaker other than the host (the first to speak) who
    /// says the most, with the span of their first label.
    fn guest(&self) -> Option<(&str, (usize, usize))> {
        if self.speakers.len() < 2 {
            return None;
        }
        let host = self.sentences.iter().find_map(|s| s.speaker)?;
        let mut words = vec![0usize; self.speakers.len()];
        for sentence in &self.sentences {
            if let Some(speaker) = sentence.speaker {
                words[speaker] += sentence.text.split_whitespace().count();
            }
        }
        let guest = (0..self.speakers.len())
            .filter(|&s| s != host)
            .max_by_key(|&s| (words[s], std::cmp::Reverse(s)))?;
        let name = self.speakers[guest].as_str();
        let start = self.source.find(&format!("{name}:"))?;
        Some((name, (start, start + name.len())))
    }

    /// The sentence [`Self::title`] names the piece by: its heading, else a body sentence
    /// (which the renderers then leave out of the body).
    pub fn title_source(&self, max_chars: usize) -> usize {
        self.title_index().or_else(|| self.title_sentence(max_chars)).unwrap_or_else(|| self.hook())
    }

    /// Without a title of its own, the piece is named by its best whole sentence that fits,
    /// other than the hook (which opens the post below the title).
    fn title_sentence(&self, max_chars: usize) -> Option<usize> {
        let hook = self.hook();
        self.ranked[..self.eligible]
            .iter()
            .copied()
            .filter(|&i| {
                i != hook && self.grounded(i, None).text.chars().count() <= max_chars.saturating_add(1)
            })
            .take(12)
            .max_by(|&a, &b| self.hook_scores[a].total_cmp(&self.hook_scores[b]).then(b.cmp(&a)))
    }

    /// The source's own headings below the title: (section, heading sentence index).
    pub fn section_headings(&self) -> Vec<(usize, usize)> {
        let title = self.title_index();
        self.sentences
            .iter()
            .enumerate()
            .filter(|&(i, s)| s.is_heading() && Some(i) != title)
            .map(|(i, s)| (s.section, i))
            .collect()
    }

    /// Hashtags from the keyphrases, best first, when the preset wants them and the
    /// language is one whose function words are known (no hashtags rather than wrong ones).
    pub fn hashtags(&self, min: usize, max: usize) -> Vec<String> {
        if !self.options.hashtags || self.language.is_none() {
            return vec![];
        }
        let strict = self.hashtags_where(max, true);
        if strict.len() >= min {
            return strict;
        }
        // Too few sure topics for the channel: the other keyphrases may fill in.
        let loose = self.hashtags_where(max, false);
        if loose.len() >= min { loose } else { strict }
    }

    /// Hashtags from the keyphrases; with `strict`, a single word only when the title or a
    /// heading names it or it is a name or a term.
    fn hashtags_where(&self, max: usize, strict: bool) -> Vec<String> {
        let headings: String = self
            .sentences
            .iter()
            .filter(|s| s.is_heading())
            .map(|s| s.text.to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        let german = self.language == Some(Language::German);
        let mut tags: Vec<String> = Vec::new();
        for phrase in &self.keyphrases {
            let lower: Vec<String> = phrase.words.iter().map(|w| w.to_lowercase()).collect();
            if lower.iter().any(|w| self.is_speaker_name(w)) {
                continue;
            }
            // A single word is a topic when the title or a heading names it, or (outside
            // German, where every noun is capitalised) when it is a name or a term.
            if let [word] = phrase.words.as_slice() {
                if Language::ALL.iter().any(|l| l.is_month(&lower[0])) {
                    continue;
                }
                let in_headings = headings.contains(&lower[0]);
                let named =
                    word.starts_with(char::is_uppercase) && !self.source.contains(&format!(" {} ", lower[0]));
                if strict && !(in_headings || !german && named) {
                    continue;
                }
            }
            if let Some(tag) = hashtag(&phrase.words)
                && !tags.iter().any(|t| same_word_form(t, &tag))
            {
                tags.push(tag);
            }
            if tags.len() == max {
                break;
            }
        }
        tags
    }

    /// A heading of two or three words for sentences whose source section has none: the
    /// phrase they contain whose words are most frequent across the piece (a keyphrase when
    /// one fits), never one already used; `single` says which single words may head it
    /// instead, never a speaker's name.
    pub fn heading_for(
        &self,
        indices: &[usize],
        used: &mut Vec<String>,
        single: SingleWord,
    ) -> Option<String> {
        let text: String =
            indices.iter().map(|&i| self.sentences[i].text.to_lowercase()).collect::<Vec<_>>().join(" ");
        let keyphrase =
            self.keyphrases.iter().filter(|p| p.words.len() >= 2).map(|p| p.words.join(" ")).find(|joined| {
                let lower = joined.to_lowercase();
                text.contains(&lower) && !used.contains(&lower)
            });
        let phrase = keyphrase.or_else(|| {
            let frequency = self.word_frequency.get_or_init(|| self.word_frequency());
            let phrases = self.phrase_frequency.get_or_init(|| self.phrase_frequency());
            let mut best: Option<(f64, String)> = None;
            for &index in indices {
                for run in content_runs(&self.sentences[index].text, self.language) {
                    for length in if single == SingleWord::None { &[2, 3][..] } else { &[2, 3, 1] } {
                        let length = *length;
                        for window in run.windows(length) {
                            let lower = window.join(" ").to_lowercase();
                            let head = singular_of_last(&lower);
                            let german = self.language == Some(Language::German);
                            if used.iter().any(|u| singular_of_last(u) == head)
                                || window.iter().any(|w| {
                                    w.chars().any(|c| c.is_ascii_digit())
                                        || is_generic(&w.to_lowercase())
                                        || german && !w.starts_with(char::is_uppercase)
                                })
                            {
                                continue;
                            }
                            // A name or term ("Startup Weekend") is capitalised inside a sentence;
                            // a lower-case phrase ending in "-ing" is more often a verb than a topic.
                            let text = &self.sentences[index].text;
                            let named = !text.starts_with(window[0].as_str())
                                && window.iter().all(|w| w.starts_with(char::is_uppercase));
                            // A lower-case phrase must recur to be a topic rather than a chance
                            // pair of words ("System Comes").
                            let recurs = || phrases.get(&lower).is_some_and(|&count| count >= 2);
                            // A lower-case word alone must be one of the piece's keyphrases.
                            let keyword = || {
                                single == SingleWord::NameOrKeyphrase
                                    && self
                                        .keyphrases
                                        .iter()
                                        .any(|p| p.words.len() == 1 && p.words[0].to_lowercase() == lower)
                            };
                            if !named
                                && if length == 1 {
                                    !keyword()
                                } else {
                                    window[length - 1].ends_with("ing") || !recurs()
                                }
                            {
                                continue;
                            }
                            let frequency_score = window
                                .iter()
                                .map(|w| frequency.get(&w.to_lowercase()).copied().unwrap_or(0) as f64)
                                .sum::<f64>()
                                / length as f64;
                            let score = if named { frequency_score * 3.0 } else { frequency_score };
                            if length == 1
                                && (window[0].chars().count() < 4
                                    || self.is_speaker_name(&lower)
                                    || frequency.get(&lower).is_none_or(|&count| count < 3))
                            {
                                continue;
                            }
                            let score = if length == 1 { score / 4.0 } else { score };
                            if best.as_ref().is_none_or(|(top, _)| score > *top) {
                                best = Some((score, window.join(" ")));
                            }
                        }
                    }
                }
            }
            best.map(|(_, phrase)| phrase)
        })?;
        used.push(phrase.to_lowercase());
        Some(phrase.split(' ').map(capitalize).collect::<Vec<_>>().join(" "))
    }

    /// Whether `word` (lower-case) is part of a speaker's name.
    pub fn is_speaker_name(&self, word: &str) -> bool {
        self.speakers.iter().flat_map(|name| name.split_whitespace()).any(|part| part.to_lowercase() == word)
    }

    /// How often each run of two or three content words occurs in the piece.
    fn phrase_frequency(&self) -> HashMap<String, usize> {
        let mut frequency = HashMap::new();
        for sentence in &self.sentences {
            for run in content_runs(&sentence.text, self.language) {
                for length in 2..=3 {
                    for window in run.windows(length) {
                        *frequency.entry(window.join(" ").to_lowercase()).or_insert(0) += 1;
                    }
                }
            }
        }
        frequency
    }

    /// How often each content word occurs in the body.
    fn word_frequency(&self) -> HashMap<String, usize> {
        let mut frequency = HashMap::new();
        for sentence in &self.sentences {
            for word in content_words(&sentence.text, self.language) {
                *frequency.entry(word).or_insert(0) += 1;
            }
        }
        frequency
    }
}

/// Which single words may head a blog section when no phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleWord {
    None,
    /// A name or term the piece keeps coming back to ("Kubernetes").
    Name,
    /// That, or one of the piece's keyphrases ("Bakery").
    NameOrKeyphrase,
}

/// A phrase's last word, the one it is about: two headings about the same thing differ
/// only before it ("Alte Registry", "Alten Registry").
fn singular_of_last(phrase: &str) -> String {
    let last = phrase.split_whitespace().last().unwrap_or_default();
    last.strip_suffix('s').unwrap_or(last).to_owned()
}

/// Two hashtags that differ only by an inflection ending ("#Waarschuwing", "#Waarschuwingen";
/// "#Projekt", "#Projekte"): one is the other plus at most two letters.
fn same_word_form(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.starts_with(&short) && long.len() - short.len() <= 2
}

/// A word starting with "#" ("#9528", "#general"): on a social network it is a hashtag.
fn has_hash_token(text: &str) -> bool {
    text.split_whitespace().any(|word| word.starts_with('#') && word.len() > 1)
}

fn join(lines: &[Grounded]) -> Grounded {
    Grounded {
        text: lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "),
        spans: lines.iter().flat_map(|l| l.spans.iter().copied()).collect(),
    }
}

/// A title of at most `max` characters: whole, else its longest leading clause (before ": ",
/// " – ", " | ", "? " …) that fits, else whole words without a function word at the end.
pub fn title_phrase(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let strong = longest_clause(text, max, &[": ", " — ", " – ", " - ", " | ", "? ", "! "]);
    if let Some(clause) = strong.or_else(|| longest_clause(text, max, &[", "])) {
        return clause;
    }
    cut_at_words(text, max)
}

/// The longest leading clause of `text` that ends at one of `separators` and fits `max`.
fn longest_clause(text: &str, max: usize, separators: &[&str]) -> Option<String> {
    separators
        .iter()
        .flat_map(|separator| text.match_indices(separator))
        .map(|(at, separator)| &text[..if separator.starts_with(['?', '!']) { at + 1 } else { at }])
        .filter(|clause| {
            let last = clause.split_whitespace().last().unwrap_or_default().to_lowercase();
            clause.chars().count() <= max && clause.split_whitespace().count() >= 3 && !ends_mid_phrase(&last)
        })
        .max_by_key(|clause| clause.len())
        .map(str::to_owned)
}

/// Whole words of `text` up to `max` characters, cut where a phrase ends.
fn cut_at_words(text: &str, max: usize) -> String {
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let length: usize = words.iter().map(|w| w.chars().count() + 1).sum::<usize>() + word.chars().count();
        if length > max {
            break;
        }
        words.push(word);
    }
    // Cut where a phrase ends: before a preposition or conjunction ("… Will Be Frozen | From
    // the 3rd"), else after the last word that can end one.
    let all: Vec<&str> = text.split_whitespace().collect();
    let phrase_end = (3..words.len()).find(|&end| {
        let next = all[end].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        let last = words[end - 1].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        end * 2 >= words.len()
            && ends_mid_phrase(&next)
            && !ends_mid_phrase(&last)
            && !words[end - 1].ends_with([',', ';', ':'])
    });
    if let Some(end) = phrase_end {
        words.truncate(end);
    }
    while let Some(last) = words.last() {
        let bare = last.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if words.len() > 1 && (ends_mid_phrase(&bare) || last.ends_with([',', ';', ':', '-', '–'])) {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_are_one_hashtag() {
        assert!(
            same_word_form("#Waarschuwing", "#Waarschuwingen") && same_word_form("#Projekte", "#Projekt")
        );
        assert!(!same_word_form("#React", "#ReactCompiler"));
    }

    #[test]
    fn titles_are_cut_at_a_clause_or_whole_words_never_on_a_function_word() {
        assert_eq!(title_phrase("Short title", 60), "Short title");
        assert_eq!(
            title_phrase("Rye and Crumb moves to a four-day week: what we learned in a year", 40),
            "Rye and Crumb moves to a four-day week"
        );
        let cut =
            title_phrase("The complete guide to the many benefits of the four-day week for bakeries", 40);
        assert_eq!(cut, "The complete guide to the many benefits");
        assert_eq!(
            title_phrase("k8s.gcr.io Image Registry Will Be Frozen From the 3rd of April 2023", 60),
            "k8s.gcr.io Image Registry Will Be Frozen"
        );
        assert!(!cut.ends_with(" of") && !cut.ends_with(" the"));
    }
}
