//! Which sentences can stand alone in a post. A sentence lifted out of an article has lost
//! its neighbours: a line ending in a colon lost its list, "It" lost what it names, a byline
//! or a caption was never content. Only sentences that read whole are offered to the
//! renderers, some after a grounded repair (a leading "However," dropped).

use crate::{
    lang::{Language, Opener},
    text::{Role, Sentence},
};

/// How a sentence stands on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Reads whole as it is.
    Alone,
    /// Reads whole once its leading connective ("However, ", "Aber ") of this many bytes of
    /// the source is dropped.
    AfterConnective(usize),
    /// Names something said before it ("It", "These", "Dies"): only with its predecessor.
    NeedsPrevious,
    /// Not content: a heading, byline, caption, label, fragment, outro or aside.
    NotContent,
}

impl Standing {
    pub fn stands_alone(self) -> bool {
        matches!(self, Self::Alone | Self::AfterConnective(_))
    }
}

/// Fewer words than this is a fragment or small talk; more is too long to quote.
const MIN_WORDS: usize = 6;
const MAX_WORDS: usize = 60;

/// How `sentence` (whose original is `source[sentence.start..sentence.end]`) stands.
pub fn standing(sentence: &Sentence, source: &str, language: Option<Language>) -> Standing {
    if sentence.is_heading() || !is_content(sentence) {
        return Standing::NotContent;
    }
    let original = &source[sentence.start..sentence.end];
    let languages: &[Language] = match &language {
        Some(language) => std::slice::from_ref(language),
        None => &Language::ALL,
    };
    if let Some(language) = language
        && speaks_another_language(&sentence.text, language)
    {
        return Standing::NotContent;
    }
    // "Unfortunately, this …": a fronted adverb does not make the pronoun after it stand alone.
    if let Some((first, rest)) = original.split_once(", ")
        && !first.contains(' ')
        && languages.iter().any(|l| matches!(l.leading_opener(rest), Some((Opener::Pronoun, _))))
    {
        return Standing::NeedsPrevious;
    }
    if points_back(&sentence.text) {
        return Standing::NeedsPrevious;
    }
    let opener =
        languages.iter().find_map(|l| l.leading_opener(original).map(|found| (*l, found))).or_else(|| {
            spoken_filler(sentence, original).map(|length| (Language::English, (Opener::Connective, length)))
        });
    match opener {
        None => Standing::Alone,
        Some((_, (Opener::Pronoun, _))) => Standing::NeedsPrevious,
        Some((language, (Opener::Connective, length))) => {
            let rest = &original[length..];
            let word = original[..length].trim_end_matches([',', ' ']).to_lowercase();
            if language.leading_opener(rest).is_some() || inverts_after(language, &word) {
                // "But it …", "And so …": the rest still leans on what came before.
                Standing::NeedsPrevious
            } else if rest.split_whitespace().count() < MIN_WORDS {
                Standing::NotContent
            } else {
                Standing::AfterConnective(length)
            }
        }
    }
}

/// German and Dutch put the verb second: after a fronted adverb ("Außerdem haben wir …")
/// the rest reads as a question once the adverb is gone. Only conjunctions can be dropped.
fn inverts_after(language: Language, connective: &str) -> bool {
    const CONJUNCTIONS: [&str; 9] = ["aber", "und", "oder", "denn", "sondern", "maar", "en", "want", "of"];
    matches!(language, Language::German | Language::Dutch) && !CONJUNCTIONS.contains(&connective)
}

/// A sentence of another language inside the source (an English aside in a German post):
/// it has several function words of other languages and none of the source's.
fn speaks_another_language(text: &str, language: Language) -> bool {
    let mut own = 0;
    let mut others = [0usize; 7];
    for word in text.split_whitespace() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase();
        let function_word_of = crate::lang::function_word_languages(&word);
        if function_word_of[language.index()] {
            own += 1;
            continue;
        }
        for (count, is_one) in others.iter_mut().zip(function_word_of) {
            *count += usize::from(is_one);
        }
    }
    own == 0 && others.iter().any(|&count| count >= 3)
}

/// Early words that refer to what came before: "Argos will then report …", "… again".
fn points_back(text: &str) -> bool {
    let early: Vec<String> = text
        .split_whitespace()
        .take(5)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .collect();
    early.iter().skip(1).any(|w| w == "then" || w == "again" || w == "therefore" || w == "thus")
        && !early.iter().any(|w| w == "if" || w == "when" || w == "once")
}

/// "this bug", "diese Einstellung", "esta preparación": the sentence names something said
/// before it. Time ("this year") and the piece itself ("this post") need no antecedent. In a
/// newsletter or a blog post its neighbours often carry the antecedent (a paper's "these
/// methods"), so only posts that quote sentences one by one leave it out.
pub fn refers_back(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .collect();
    words.windows(2).any(|pair| {
        DEMONSTRATIVES.contains(&pair[0].as_str()) && !SELF_EVIDENT_NOUNS.contains(&pair[1].as_str())
    })
}

/// Demonstrative determiners of the supported languages that are not also common
/// conjunctions or articles (so not "that", "die", "ce").
const DEMONSTRATIVES: [&str; 35] = [
    "this", "these", "esta", "este", "estos", "estas", "esa", "ese", "esos", "esas", "estes", "essa", "esse",
    "esses", "essas", "diese", "dieser", "dieses", "diesen", "diesem", "deze", "dit", "questo", "questa",
    "questi", "queste", "quella", "quello", "quelle", "quei", "cette", "ces", "cet", "aquel", "aquella",
];

/// Nouns a demonstrative points to without an antecedent: time, and the piece itself (a
/// post, a paper, a site).
const SELF_EVIDENT_NOUNS: [&str; 59] = [
    "paper",
    "work",
    "study",
    "report",
    "thesis",
    "piece",
    "document",
    "site",
    "website",
    "year",
    "week",
    "month",
    "quarter",
    "spring",
    "summer",
    "fall",
    "autumn",
    "winter",
    "time",
    "morning",
    "post",
    "article",
    "blog",
    "release",
    "version",
    "page",
    "guide",
    "tutorial",
    "episode",
    "talk",
    "podcast",
    "interview",
    "jahr",
    "woche",
    "monat",
    "beitrag",
    "artikel",
    "año",
    "semana",
    "mes",
    "artículo",
    "publicación",
    "versión",
    "ano",
    "mês",
    "artigo",
    "versão",
    "jaar",
    "maand",
    "versie",
    "anno",
    "settimana",
    "mese",
    "articolo",
    "versione",
    "année",
    "semaine",
    "mois",
    "episodio",
];

/// "So …", "Well, …", "Now …" opening a turn in a conversation: said to hold the floor, and
/// dropped like a connective.
fn spoken_filler(sentence: &Sentence, original: &str) -> Option<usize> {
    sentence.speaker?;
    let (first, rest) = original.split_once(' ')?;
    let word = first.trim_end_matches(',').to_lowercase();
    ["so", "well", "now", "anyway", "and", "but", "yeah"]
        .contains(&word.as_str())
        .then(|| first.len() + 1 + (rest.len() - rest.trim_start().len()))
}

/// A lower-case word that is still a name ("iPhone", "k8s.gcr.io") keeps its case.
pub fn starts_with_name(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    first.chars().any(|c| c.is_uppercase() || c.is_ascii_digit() || c == '.')
}

/// Whether the sentence says something a post can reuse.
fn is_content(sentence: &Sentence) -> bool {
    let text = sentence.text.as_str();
    let words = text.split_whitespace().count();
    if !(MIN_WORDS..=MAX_WORDS).contains(&words) {
        return false;
    }
    if !ends_a_sentence(text) || !balanced(text) {
        return false;
    }
    let first = text.split_whitespace().next().unwrap_or_default();
    if first.starts_with(char::is_lowercase) && !starts_with_name(text) {
        // The rest of a sentence the segmenter cut, or a list fragment.
        return false;
    }
    if first.starts_with(['.', '…', '-', '–', '—', ',', ';']) {
        // "...and you may know me as": a turn picked up mid-sentence.
        return false;
    }
    let spoken = sentence.speaker.is_some();
    !(is_byline(text)
        || is_names_and_title(text)
        || points_elsewhere(text)
        || is_outro(text)
        || spoken && is_small_talk(text)
        || text.to_lowercase().starts_with("without further ado"))
        && !(sentence.role == Role::ListItem && (words < MIN_WORDS + 2 || starts_with_label(text)))
        && !(spoken && words < MIN_SPOKEN_WORDS)
}

/// "Eric Rozell and Steven Moyes: React Native Desktop.": a talk or a credit line.
fn is_names_and_title(text: &str) -> bool {
    text.split_once(": ").is_some_and(|(names, _)| {
        let words: Vec<&str> = names.split_whitespace().collect();
        words.len() >= 2
            && words.iter().all(|w| {
                w.starts_with(char::is_uppercase) || ["and", "und", "et", "y", "e", "en"].contains(w)
            })
            && text.split_whitespace().count() < 14
    })
}

/// A turn in a conversation needs more words to say something on its own.
const MIN_SPOKEN_WORDS: usize = 12;

/// "Experimental: released at …", "✅ Stable: …": a list item that defines a label.
fn starts_with_label(text: &str) -> bool {
    text.split_once(": ").is_some_and(|(label, _)| label.split_whitespace().count() <= 3)
}

/// Ends with sentence punctuation, maybe inside closing quotes or brackets; never a colon.
fn ends_a_sentence(text: &str) -> bool {
    let core = text.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']', '*', '_']);
    core.ends_with(['.', '!', '?', '。', '！', '？']) && !core.ends_with("...") && !core.ends_with("..")
}

/// Quotes and brackets that open also close, so the sentence was not cut inside a quote.
fn balanced(text: &str) -> bool {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    count('"') % 2 == 0
        && count('(') == count(')')
        && count('“') == count('”')
        && count('«') == count('»')
        && count('„') <= count('“')
        && !text.contains('[')
        && !text.contains(']')
}

/// "By Ada Lovelace", "Posted on …", "October 21, 2024 by …", update banners and
/// republication notes: about the piece, not in it.
pub fn is_byline(text: &str) -> bool {
    let lower = text.to_lowercase();
    const OPENINGS: [&str; 31] = [
        "author:",
        "authors:",
        "autor:",
        "autores:",
        "autora:",
        "autoren:",
        "auteur:",
        "auteurs:",
        "autore:",
        "autori:",
        "geschrieben von",
        "escrito por",
        "écrit par",
        "scritto da",
        "editor's note",
        "posted by",
        "posted on",
        "written by",
        "published by",
        "published on",
        "updated:",
        "update:",
        "last updated",
        "edit:",
        "translated by",
        "originally published",
        "this post was originally",
        "this article was originally",
        "cross-posted",
        "von ",
        "par ",
    ];
    let by_name = text.strip_prefix("By ").is_some_and(|rest| rest.starts_with(char::is_uppercase));
    let dated = (lower.contains(" by ") || lower.contains(" von "))
        && text.chars().take(24).filter(char::is_ascii_digit).count() >= 4;
    by_name || dated || OPENINGS.iter().any(|opening| lower.starts_with(opening) && text.len() < 120)
}

/// Sentences that point at an image, a link or a later part of the page, which a post lacks.
fn points_elsewhere(text: &str) -> bool {
    let lower = text.to_lowercase();
    let trimmed = lower.trim_end_matches(['.', '!', ':', ' ']);
    const POINTERS: [&str; 16] = [
        " below",
        " above",
        "screenshot",
        "pictured",
        "photo by",
        "image by",
        "image credit",
        "click ",
        "the following",
        "this link",
        "as shown",
        "shown here",
        "in the image",
        "in this video",
        "watch the",
        "(see ",
    ];
    const READ_ELSEWHERE: [&str; 8] = [
        "read the ",
        "check the ",
        "see the ",
        "refer to ",
        "visit ",
        "head over",
        "take a look",
        "have a look",
    ];
    const FOR_MORE: [&str; 5] = [
        "for details",
        "for more details",
        "for more information",
        "for an exhaustive list",
        "for the full list",
    ];
    READ_ELSEWHERE.iter().any(|opening| lower.starts_with(opening))
        || FOR_MORE.iter().any(|phrase| lower.contains(phrase))
        || trimmed.ends_with(" here")
        || trimmed.ends_with(" hier")
        || trimmed.ends_with(" ici")
        || trimmed.ends_with(" aquí")
        || lower.starts_with("here is")
        || lower.starts_with("here are")
        || lower.starts_with("here's")
        || POINTERS.iter().any(|pointer| lower.contains(pointer))
}

/// Thanks, sign-offs, subscription prompts and "see the docs": the frame of a piece.
fn is_outro(text: &str) -> bool {
    let lower = text.to_lowercase();
    const OPENINGS: [&str; 33] = [
        "continua a leggere",
        "lesen sie weiter",
        "weiterlesen",
        "lire la suite",
        "sigue leyendo",
        "continue lendo",
        "lees verder",
        "read on",
        "keep reading",
        "thanks again",
        "thanks for",
        "thanks to",
        "thank you",
        "special thanks",
        "many thanks",
        "happy ",
        "stay tuned",
        "subscribe",
        "follow us",
        "don't forget",
        "see you",
        "please see",
        "please refer",
        "please check",
        "for more information",
        "for more details",
        "for details",
        "learn more",
        "read more",
        "check out",
        "find out more",
        "feel free",
        "if you have any questions",
    ];
    const PROMOTIONS: [&str; 9] = [
        "use the code",
        "promo code",
        "discount code",
        "% off",
        "coupon",
        "hit subscribe",
        "podcast app",
        "wherever you get your podcasts",
        "like and subscribe",
    ];
    const THANKS: [&str; 7] = ["thank", "danke", "merci", "gracias", "grazie", "obrigad", "bedankt"];
    let opening_words: String = lower.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
    OPENINGS.iter().any(|opening| lower.starts_with(opening))
        || THANKS.iter().any(|thanks| opening_words.contains(thanks))
        || PROMOTIONS.iter().any(|promotion| lower.contains(promotion))
}

/// Spoken asides: greetings, agreement, fillers and self-interruptions in a transcript turn.
fn is_small_talk(text: &str) -> bool {
    let lower = text.to_lowercase();
    const MARKERS: [&str; 25] = [
        "without further ado",
        " like ",
        "i guess",
        "pretty much",
        "stuff",
        "here today",
        "joining us",
        "on the show",
        "this episode",
        "welcome back",
        "the podcast",
        "you know",
        "i mean",
        "kind of",
        "sort of",
        "gonna",
        "wanna",
        " like, ",
        " -- ",
        " - ",
        "welcome to",
        "thanks for having",
        "thank you for having",
        "great to have you",
        "good to be here",
    ];
    const OPENINGS: [&str; 8] = ["yeah", "yes", "right", "okay", "ok", "um", "uh", "so yeah"];
    MARKERS.iter().any(|marker| lower.contains(marker))
        || OPENINGS.iter().any(|opening| {
            lower.starts_with(opening) && !lower[opening.len()..].starts_with(char::is_alphanumeric)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment;

    fn standings(source: &str) -> Vec<(String, Standing)> {
        segment(source, Some(Language::English))
            .sentences
            .iter()
            .map(|s| (s.text.clone(), standing(s, source, Some(Language::English))))
            .collect()
    }

    fn standing_of(source: &str) -> Standing {
        standings(source)[0].1
    }

    #[test]
    fn whole_sentences_stand_alone() {
        assert_eq!(standing_of("Rye and Crumb switched to a four-day week in March."), Standing::Alone);
        assert_eq!(standing_of("Have you ever tried a four-day week at your bakery?"), Standing::Alone);
    }

    #[test]
    fn a_leading_connective_can_be_dropped_but_a_pronoun_needs_its_antecedent() {
        let source = "However, the bakery kept every baker on the same pay.";
        assert_eq!(standing_of(source), Standing::AfterConnective("However, ".len()));
        assert_eq!(standing_of("It kept every baker on the same pay and hours."), Standing::NeedsPrevious);
        assert_eq!(standing_of("But it kept every baker on the same pay."), Standing::NeedsPrevious);
    }

    #[test]
    fn fragments_colons_bylines_pointers_and_outros_are_not_content() {
        for line in [
            "There are three reasons for the change:",
            "October 21, 2024 by Lauren Tan.",
            "By Ada Lovelace and Charles Babbage.",
            "You can find the full instructions for the linter here.",
            "The screenshot below shows the new schedule in the app.",
            "Read the front matter guide and the API reference for details.",
            "Check the 3.1.0 changelog entry for an exhaustive list of changes.",
            "Thanks to everyone who reviewed and edited this post.",
            "If you're new here, go to example.com/show, hit subscribe in your favorite podcast app.",
            "Too short to say much.",
            "the rest of a sentence that the segmenter cut off.",
            "He said \"we will open on Mondays and close on.",
        ] {
            assert_eq!(standing_of(line), Standing::NotContent, "{line}");
        }
    }

    #[test]
    fn a_pronoun_after_a_fronted_adverb_or_an_early_then_needs_its_antecedent() {
        assert_eq!(
            standing_of("Unfortunately, this will no longer be the case for the tutorials."),
            Standing::NeedsPrevious
        );
        assert_eq!(
            standing_of("Argos will then report the visual differences found between branches."),
            Standing::NeedsPrevious
        );
        assert_eq!(
            standing_of("If the build fails, then the bot reports the differences found."),
            Standing::Alone
        );
    }

    #[test]
    fn a_demonstrative_refers_back_but_time_and_the_piece_itself_do_not() {
        assert!(refers_back("If you use a patched Windows, you are not affected by this bug at all."));
        assert!(!refers_back("We shipped three new features to the planner this year."));
        assert!(!refers_back("In this paper, we propose a planner for bakeries."));
        assert_eq!(standing_of("Eric Rozell and Steven Moyes: React Native Desktop."), Standing::NotContent);
    }

    #[test]
    fn a_sentence_in_another_language_than_the_source_is_not_content() {
        let source = "You ideally need a single home URL for the project and its documentation.";
        let sentence = &segment(source, Some(Language::German)).sentences[0];
        assert_eq!(standing(sentence, source, Some(Language::German)), Standing::NotContent);
        assert_eq!(standing(sentence, source, Some(Language::English)), Standing::Alone);
    }

    #[test]
    fn in_german_only_a_conjunction_is_dropped() {
        let stand = |source: &str| {
            let sentence = &segment(source, Some(Language::German)).sentences[0];
            standing(sentence, source, Some(Language::German))
        };
        assert_eq!(
            stand("Aber die neue Registry ist schneller und günstiger als die alte."),
            Standing::AfterConnective("Aber ".len())
        );
        assert_eq!(
            stand("Außerdem haben wir die Registry in drei Regionen gespiegelt."),
            Standing::NeedsPrevious
        );
    }

    #[test]
    fn small_talk_in_a_transcript_turn_is_not_content() {
        let source = "Ann Lee: Yeah, that is really what happened to us at the time.\n\n\
                      Bo Ek: You know, we kind of just started shipping every single week.\n\n\
                      Ann Lee: We cut our release cycle from three months to one week last spring.\n\n\
                      Bo Ek: And the support queue shrank by half within a quarter of the change.";
        let found = standings(source);
        assert_eq!(found[0].1, Standing::NotContent);
        assert_eq!(found[1].1, Standing::NotContent);
        assert_eq!(found[2].1, Standing::Alone);
        assert_eq!(found[3].1, Standing::AfterConnective("And ".len()));
    }
}
