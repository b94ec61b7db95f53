//! What the engine knows about each language it writes in: function words (never hashtags or
//! headings), sentence openers that lean on the sentence before, abbreviations and month names
//! (so a period after "z.B." or in "am 3. Mai" does not end a sentence), the few fixed phrases
//! the renderers write, and which of the seven languages a source is in.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    English,
    German,
    French,
    Spanish,
    Italian,
    Portuguese,
    Dutch,
}

/// How a sentence-initial word or phrase depends on the sentence before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    /// "It", "They", "This", "These", "Es", "Cela", "Esto" …: names something said before; the
    /// sentence cannot stand alone.
    Pronoun,
    /// "However,", "But", "And", "Also,", "In addition,", "Aber", "Außerdem", "Mais", "Pero",
    /// "Inoltre", "Maar" …: can be dropped and the rest still stands.
    Connective,
}

/// Fixed phrases the renderers write in the source's language. They state nothing about the source.
#[derive(Debug)]
pub struct Phrases {
    /// Newsletter section heading.
    pub key_points: &'static str,
    /// Blog closing section heading.
    pub conclusion: &'static str,
    /// Newsletter call to action: [formal, informal].
    pub newsletter_cta: [&'static str; 2],
    /// Blog call to action.
    pub blog_cta: &'static str,
    /// Social call to action by tone: [professional, casual, friendly, bold]. The professional
    /// tone addresses the reader formally (Sie, vous, usted, voi, u) in every channel.
    pub social_cta: [&'static str; 4],
    /// Names a conversation without a title by its guest: "A conversation with" + name.
    pub conversation_with: &'static str,
}

impl Language {
    pub const ALL: [Language; 7] = [
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Italian,
        Language::Portuguese,
        Language::Dutch,
    ];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Italian => "it",
            Language::Portuguese => "pt",
            Language::Dutch => "nl",
        }
    }

    /// `word` lower-cased; contractions too ("it's", "don't", "we're", "l'on", "c'est", "dell'",
    /// "d'un"), with a straight or a typographic apostrophe. A word with an elided article or
    /// preposition in front of a content word ("l'entreprise", "dell'azienda") is not one.
    pub fn is_function_word(self, word: &str) -> bool {
        let data = self.data();
        let Some((stem, rest)) = split_apostrophe(word) else {
            return word_bits(word) & self.bit() != 0;
        };
        if stem.is_empty() && rest.is_empty() {
            return false;
        }
        let stem_ok = stem.is_empty() || word_bits(stem) & self.bit() != 0 || has(data.clitic_stems, stem);
        let rest_ok = rest.is_empty() || has(data.endings, rest) || self.is_function_word(rest);
        stem_ok && rest_ok
    }

    /// The opener at the very start of `sentence` (case-insensitive, whole words only) and its
    /// length in bytes INCLUDING any comma and whitespace after it, so `&sentence[len..]` is the
    /// rest. Of several openers that match, the longest wins ("That said," over "That"). Some
    /// connectives count only with a comma after them, where without one they start a phrase
    /// that cannot be dropped ("In addition to …", "Next year …", "So many …", "Instead of …").
    /// None when nothing but punctuation would be left.
    pub fn leading_opener(self, sentence: &str) -> Option<(Opener, usize)> {
        let data = self.data();
        let mut best: Option<(Opener, usize, usize)> = None;
        for (kind, entries) in [(Opener::Pronoun, data.pronouns), (Opener::Connective, data.connectives)] {
            for entry in entries {
                let (phrase, needs_comma) = match entry.strip_suffix(',') {
                    Some(phrase) => (phrase, true),
                    None => (*entry, false),
                };
                let Some(end) = match_phrase(sentence, phrase) else { continue };
                let after = skip_whitespace(sentence, end);
                let comma = sentence[after..].starts_with(',');
                if needs_comma && !comma {
                    continue;
                }
                let len = if comma { skip_whitespace(sentence, after + 1) } else { after };
                if best.is_none_or(|(_, longest, _)| end > longest) {
                    best = Some((kind, end, len));
                }
            }
        }
        let (kind, _, len) = best?;
        sentence[len..].chars().any(char::is_alphanumeric).then_some((kind, len))
    }

    /// `token` is the last word before a period, with the period, as written ("Dr.", "z.B.",
    /// "e.g.", "bzw.", "ca.", "Nr.", "S.", "p.ej.", "ecc."): a period after it does not end a
    /// sentence. Besides the listed abbreviations, initials ("J.", but not "I.", a pronoun or a
    /// Roman numeral) and dotted ones ("u.a.", "d.h.", "p.ex.", "U.S.") count. Numbers do not:
    /// whether "3." is an ordinal depends on the next word (see [`Language::is_month`]).
    pub fn is_abbreviation(self, token: &str) -> bool {
        let token = token.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some(body) = token.strip_suffix('.') else { return false };
        let mut chars = body.chars();
        match (chars.next(), chars.next()) {
            (None, _) => return false,
            (Some(initial), None) if initial.is_uppercase() && initial != 'I' => return true,
            _ => {}
        }
        let dotted = body.contains('.')
            && body
                .split('.')
                .all(|part| (1..=3).contains(&part.chars().count()) && part.chars().all(char::is_alphabetic));
        dotted || has_ignoring_case(self.data().abbreviations, token)
    }

    /// `word` lower-cased: a month name ("mai", "januar", "märz", "janvier", "mayo", "maggio",
    /// "maio", "mei"; English too).
    pub fn is_month(self, word: &str) -> bool {
        has(self.data().months, word)
    }

    pub fn phrases(self) -> &'static Phrases {
        &self.data().phrases
    }

    /// The language's name in English, for instructions to a model.
    pub fn english_name(self) -> &'static str {
        match self {
            Language::English => "English",
            Language::German => "German",
            Language::French => "French",
            Language::Spanish => "Spanish",
            Language::Italian => "Italian",
            Language::Portuguese => "Portuguese",
            Language::Dutch => "Dutch",
        }
    }

    /// This language's place in [`Language::ALL`].
    pub fn index(self) -> usize {
        Language::ALL.iter().position(|&language| language == self).unwrap_or(0)
    }

    /// This language's bit in [`WORD_INDEX`].
    fn bit(self) -> u8 {
        1 << self.index()
    }

    fn data(self) -> &'static Data {
        match self {
            Language::English => &ENGLISH,
            Language::German => &GERMAN,
            Language::French => &FRENCH,
            Language::Spanish => &SPANISH,
            Language::Italian => &ITALIAN,
            Language::Portuguese => &PORTUGUESE,
            Language::Dutch => &DUTCH,
        }
    }

    /// A function word, or a word with an elided function word in front ("l'entreprise"): both
    /// say which language a text is in.
    fn marks(self, word: &str) -> bool {
        let data = self.data();
        self.is_function_word(word)
            || split_apostrophe(word)
                .is_some_and(|(stem, _)| has(data.elided, stem) || has(data.clitic_stems, stem))
    }
}

/// A function word of any of the seven languages — but never a word that is also a common
/// English content word (so "war", "hat", "man", "die", "gift", "also" are not in it unless
/// they are function words in English). Used for hashtags and headings of mixed-language text.
pub fn is_function_word_in_any(word: &str) -> bool {
    if !word.contains(['\'', '\u{2019}']) {
        let bits = word_bits(word);
        let others = bits & !(Language::English.bit() | ENGLISH_CONTENT_BIT);
        return bits & Language::English.bit() != 0 || (others != 0 && bits & ENGLISH_CONTENT_BIT == 0);
    }
    Language::English.is_function_word(word)
        || (!has(ENGLISH_CONTENT_WORDS, word)
            && Language::ALL[1..].iter().any(|language| language.is_function_word(word)))
}

/// Words under this share of the text's words that are function words of the best language
/// (counted as below) do not make it clear; running text has 30–50 %.
const MIN_SHARE_PERCENT: u64 = 15;
/// Fewer words than this are too little text to tell.
const MIN_WORDS: u64 = 8;
/// The best language needs at least this many function words ...
const MIN_HITS: u32 = 3;
/// ... and this many times the score of the runner-up, in tenths.
const MIN_LEAD_TENTHS: u64 = 15;
/// A word longer than this (in bytes) is no function word; it is counted, not looked up.
const MAX_WORD_BYTES: usize = 24;

/// The language of `text`, or None when no supported language is clear (e.g. Japanese, Polish,
/// or too little text). Every function word counts for the languages that have it, shared
/// equally among them ("de" is a fifth French, a fifth Spanish …; "the" is all English), so
/// the words distinctive to each language decide between close ones (Spanish, Portuguese,
/// Italian). The best language must cover a clear share of the words, have a few of them, and
/// lead the runner-up clearly. Linear in the text, with one reused lowercase buffer.
pub fn detect(text: &str) -> Option<Language> {
    let tally = Tally::of(text);
    let mut order: [usize; 7] = std::array::from_fn(|i| i);
    order.sort_by_key(|&i| std::cmp::Reverse(tally.scores[i]));
    let (best, runner_up) = (tally.scores[order[0]], tally.scores[order[1]]);
    let clear = tally.words >= MIN_WORDS
        && tally.hits[order[0]] >= MIN_HITS
        && best * 100 >= Tally::WHOLE * tally.words * MIN_SHARE_PERCENT
        && best > runner_up
        && best * 10 >= runner_up * MIN_LEAD_TENTHS;
    clear.then_some(Language::ALL[order[0]])
}

/// How many words a text has, and how many of them are function words of each language.
struct Tally {
    words: u64,
    /// In [`Tally::WHOLE`]s per word, by [`Language::ALL`] index.
    scores: [u64; 7],
    hits: [u32; 7],
}

impl Tally {
    /// Divisible by 1 to 7, so a word shared by n languages gives each an exact 1/n.
    const WHOLE: u64 = 420;

    fn of(text: &str) -> Tally {
        let mut tally = Tally { words: 0, scores: [0; 7], hits: [0; 7] };
        let mut word = String::with_capacity(MAX_WORD_BYTES + 4);
        let (mut letters, mut overlong) = (false, false);
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_alphanumeric() {
                letters |= c.is_alphabetic();
                if word.len() < MAX_WORD_BYTES {
                    word.extend(c.to_lowercase());
                } else {
                    overlong = true;
                }
            } else if (c == '\'' || c == '\u{2019}') && !word.is_empty() {
                word.push('\'');
            } else if !word.is_empty() {
                if letters {
                    tally.add(&word, overlong);
                }
                word.clear();
                (letters, overlong) = (false, false);
            }
        }
        tally
    }

    fn add(&mut self, word: &str, overlong: bool) {
        self.words += 1;
        if overlong {
            return;
        }
        let marked = Language::ALL.map(|language| language.marks(word));
        let count = marked.iter().filter(|&&m| m).count() as u64;
        for (i, _) in marked.iter().enumerate().filter(|(_, m)| **m) {
            self.scores[i] += Self::WHOLE / count;
            self.hits[i] += 1;
        }
    }
}

/// Splits at the first straight or typographic apostrophe.
fn split_apostrophe(word: &str) -> Option<(&str, &str)> {
    let at = word.find(['\'', '\u{2019}'])?;
    let width = word[at..].chars().next().map_or(1, char::len_utf8);
    Some((&word[..at], &word[at + width..]))
}

/// Whether `word` (lower-cased) is a function word of each language, in [`Language::ALL`]
/// order; one lookup for all of them.
pub fn function_word_languages(word: &str) -> [bool; 7] {
    let bits = if word.contains(['\'', '\u{2019}']) {
        Language::ALL.iter().filter(|l| l.is_function_word(word)).fold(0, |bits, l| bits | l.bit())
    } else {
        word_bits(word)
    };
    Language::ALL.map(|l| bits & l.bit() != 0)
}

/// The bit of [`WORD_INDEX`] that marks a common English content word.
const ENGLISH_CONTENT_BIT: u8 = 1 << 7;

/// Every function word and elided form of the seven languages, with a bit per language (in
/// [`Language::ALL`] order) and [`ENGLISH_CONTENT_BIT`]: one hash lookup answers for all
/// languages, where the sorted lists would take a binary search each. The engine asks this
/// for every word of a source several times.
static WORD_INDEX: std::sync::LazyLock<std::collections::HashMap<&'static str, u8>> =
    std::sync::LazyLock::new(|| {
        let mut index = std::collections::HashMap::new();
        for language in Language::ALL {
            let data = language.data();
            for word in data.words.iter().chain(data.elided) {
                *index.entry(*word).or_insert(0) |= language.bit();
            }
        }
        for word in ENGLISH_CONTENT_WORDS {
            *index.entry(*word).or_insert(0) |= ENGLISH_CONTENT_BIT;
        }
        index
    });

fn word_bits(word: &str) -> u8 {
    WORD_INDEX.get(word).copied().unwrap_or(0)
}

fn has(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// `list` is lower-case and sorted.
fn has_ignoring_case(list: &[&str], token: &str) -> bool {
    list.binary_search_by(|probe| probe.chars().cmp(token.chars().flat_map(char::to_lowercase))).is_ok()
}

/// The end (in bytes) of `phrase` (lower-case words, one space between them) at the start of
/// `sentence`, compared case-insensitively, any run of whitespace matching a space, a
/// typographic apostrophe matching a straight one; None unless a whole word ends there.
fn match_phrase(sentence: &str, phrase: &str) -> Option<usize> {
    let mut expected = phrase.chars();
    let mut chars = sentence.char_indices().peekable();
    while let Some(want) = expected.next() {
        if want == ' ' {
            let mut spaces = 0;
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {
                spaces += 1;
            }
            if spaces == 0 {
                return None;
            }
            continue;
        }
        let (_, c) = chars.next()?;
        let mut lower = c.to_lowercase().map(|l| if l == '\u{2019}' { '\'' } else { l });
        if lower.next() != Some(want) {
            return None;
        }
        for l in lower {
            if expected.next() != Some(l) {
                return None;
            }
        }
    }
    let end = chars.peek().map_or(sentence.len(), |&(i, _)| i);
    match sentence[end..].chars().next() {
        Some(c) if c.is_alphanumeric() || matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}') => None,
        _ => Some(end),
    }
}

fn skip_whitespace(text: &str, from: usize) -> usize {
    from + (text[from..].len() - text[from..].trim_start().len())
}

struct Data {
    /// Function words, lower-case, sorted.
    words: &'static [&'static str],
    /// Elided function words, with or without their apostrophe: French "l", "qu", Italian "dell".
    elided: &'static [&'static str],
    /// Stems that are function words only before an apostrophe: English "don" in "don't",
    /// Italian "quest" in "quest'anno".
    clitic_stems: &'static [&'static str],
    /// What may follow the apostrophe after a function word: English "s" in "it's".
    endings: &'static [&'static str],
    /// Openers that name something said before. In any order: the longest match wins.
    pronouns: &'static [&'static str],
    /// Openers that can be dropped; a trailing comma means it counts only with a comma after it.
    connectives: &'static [&'static str],
    /// Lower-case, with their period, sorted.
    abbreviations: &'static [&'static str],
    months: &'static [&'static str],
    phrases: Phrases,
}

/// Function words of the other languages that are common English content words, names or terms
/// ("war", "die", "hat", "car", "ai", "logo"): a hashtag or heading of mixed-language text may
/// be one of them.
#[rustfmt::skip]
const ENGLISH_CONTENT_WORDS: &[&str] = &[
    "ad", "ai", "allen", "ante", "aura", "ben", "bent", "bin", "car", "col", "come", "comment", "con", "dan",
    "dei", "dell", "den", "die", "dies", "door", "dove", "ed", "elk", "ella", "encore", "era", "eu", "falls",
    "fast", "halt", "hat", "hay", "heel", "hem", "hen", "hoe", "logo", "mag", "man", "men", "met", "mia",
    "net", "nun", "outro", "par", "pendant", "plus", "pour", "pure", "reeds", "sea", "sean", "sem", "sim",
    "sin", "sob", "solo", "son", "sue", "tan", "ten", "todo", "toe", "ton", "tot", "tout", "van", "want",
    "war", "wilde",
];

#[rustfmt::skip]
const ENGLISH_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "ago", "ah", "all", "almost", "along",
    "already", "also", "although", "always", "am", "amid", "among", "an", "and", "another", "any", "anybody",
    "anyone", "anything", "anyway", "are", "around", "as", "at", "be", "because", "been", "before", "behind",
    "being", "below", "beside", "besides", "between", "beyond", "both", "but", "by", "can", "cannot", "could",
    "despite", "did", "do", "does", "doing", "down", "during", "each", "either", "else", "enough", "er",
    "erm", "even", "ever", "every", "everybody", "everyone", "everything", "few", "for", "from", "further",
    "get", "gonna", "got", "gotta", "had", "has", "have", "having", "he", "hence", "her", "here", "hers",
    "herself", "him", "himself", "his", "hmm", "how", "however", "i", "if", "in", "indeed", "inside",
    "instead", "into", "is", "it", "its", "itself", "just", "last", "least", "less", "like", "made", "make",
    "many", "may", "maybe", "me", "might", "mm", "more", "most", "much", "must", "my", "myself", "near",
    "neither", "never", "new", "no", "nobody", "none", "nor", "not", "nothing", "now", "of", "off", "often",
    "oh", "ok", "okay", "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise", "ought",
    "our", "ours", "ourselves", "out", "outside", "over", "own", "per", "perhaps", "quite", "rather",
    "really", "said", "same", "says", "several", "shall", "she", "should", "since", "so", "some", "somebody",
    "someone", "something", "sometimes", "somewhat", "still", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "therefore", "these", "they", "this", "those", "though",
    "through", "throughout", "thus", "to", "too", "toward", "towards", "uh", "uhm", "um", "umm", "under",
    "unless", "until", "up", "upon", "us", "usually", "versus", "very", "via", "wanna", "was", "we", "were",
    "what", "whatever", "when", "whenever", "where", "whereas", "wherever", "whether", "which", "whichever",
    "while", "whilst", "who", "whoever", "whom", "whose", "why", "will", "with", "within", "without", "would",
    "yeah", "yep", "yes", "yet", "you", "your", "yours", "yourself", "yourselves", "yup",
];

#[rustfmt::skip]
const ENGLISH_CLITIC_STEMS: &[&str] = &[
    "ain", "aren", "can", "couldn", "didn", "doesn", "don", "hadn", "hasn", "haven", "isn", "let", "mightn",
    "mustn", "needn", "shan", "shouldn", "wasn", "weren", "won", "wouldn", "y",
];

#[rustfmt::skip]
const ENGLISH_ENDINGS: &[&str] = &[
    "d", "em", "ll", "m", "re", "s", "t", "ve",
];

#[rustfmt::skip]
const ENGLISH_PRONOUNS: &[&str] = &[
    "another", "both", "he", "he's", "her", "his", "it", "it'll", "it's", "its", "she", "she's", "such",
    "that", "that's", "the former", "the latter", "their", "them", "these", "they", "they'd", "they'll",
    "they're", "they've", "this", "those",
];

#[rustfmt::skip]
const ENGLISH_CONNECTIVES: &[&str] = &[
    "above all,", "accordingly", "additionally", "after all,", "after that,", "all in all", "also,", "and",
    "anyway", "as a result,", "at the same time,", "besides,", "but", "by contrast", "consequently",
    "conversely", "even so", "finally", "first of all", "first,", "firstly", "for example", "for instance",
    "furthermore", "hence,", "however", "in addition,", "in conclusion", "in contrast,", "in fact",
    "in other words", "in short", "in summary", "in the end", "in the meantime", "indeed", "instead,",
    "lastly", "likewise", "meanwhile", "moreover", "nevertheless", "next,", "nonetheless", "nor,", "now,",
    "of course", "oh,", "ok,", "okay,", "on the other hand", "on top of that", "or", "otherwise", "plus,",
    "second,", "secondly", "similarly", "so,", "still,", "that said,", "then", "therefore", "third,",
    "thirdly", "thus", "to begin with", "to sum up", "uh", "ultimately", "um", "well,", "what's more",
    "yeah,", "yet",
];

#[rustfmt::skip]
const ENGLISH_ABBREVIATIONS: &[&str] = &[
    "al.", "approx.", "apr.", "aug.", "ave.", "capt.", "cf.", "ch.", "co.", "col.", "corp.", "dec.", "dept.",
    "dr.", "ed.", "esp.", "est.", "etc.", "excl.", "feb.", "fig.", "gen.", "gov.", "inc.", "incl.", "jan.",
    "jr.", "jul.", "jun.", "lt.", "ltd.", "mr.", "mrs.", "ms.", "mt.", "nov.", "oct.", "p.", "pp.", "prof.",
    "rep.", "sen.", "sep.", "sept.", "sgt.", "sr.", "st.", "viz.", "vol.", "vs.",
];

#[rustfmt::skip]
const ENGLISH_MONTHS: &[&str] = &[
    "april", "august", "december", "february", "january", "july", "june", "march", "may", "november",
    "october", "september",
];

static ENGLISH: Data = Data {
    words: ENGLISH_WORDS,
    elided: &[],
    clitic_stems: ENGLISH_CLITIC_STEMS,
    endings: ENGLISH_ENDINGS,
    pronouns: ENGLISH_PRONOUNS,
    connectives: ENGLISH_CONNECTIVES,
    abbreviations: ENGLISH_ABBREVIATIONS,
    months: ENGLISH_MONTHS,
    phrases: Phrases {
        key_points: "Key points",
        conclusion: "Conclusion",
        newsletter_cta: [
            "Reply to this email and tell us what you think.",
            "Hit reply and tell us what you think!",
        ],
        blog_cta: "What do you think? Let us know.",
        social_cta: [
            "What is your experience? Share it in the comments.",
            "What do you think?",
            "We would love to hear your thoughts!",
            "Agree or disagree? Tell us why.",
        ],
        conversation_with: "A conversation with",
    },
};

#[rustfmt::skip]
const GERMAN_WORDS: &[&str] = &[
    "ab", "aber", "alle", "allem", "allen", "aller", "allerdings", "alles", "als", "also", "am", "an",
    "andere", "anderen", "anderer", "anderes", "ans", "auch", "auf", "aufs", "aus", "ausserdem", "außer",
    "außerdem", "bei", "beide", "beiden", "beim", "bereits", "bevor", "beziehungsweise", "bin", "bis", "bist",
    "da", "dabei", "dadurch", "dafür", "dagegen", "daher", "damit", "danach", "dann", "daran", "darauf",
    "darf", "darin", "darum", "darüber", "das", "dass", "davon", "dazu", "daß", "dein", "deine", "deinem",
    "deinen", "deiner", "dem", "den", "denen", "denn", "dennoch", "der", "deren", "des", "deshalb", "dessen",
    "deswegen", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir", "doch", "dort",
    "du", "durch", "dürfen", "eben", "ebenfalls", "eigentlich", "ein", "eine", "einem", "einen", "einer",
    "eines", "einige", "einigen", "einiger", "einiges", "einmal", "er", "erst", "es", "etwa", "etwas", "euch",
    "euer", "eure", "falls", "fast", "für", "fürs", "ganz", "gar", "gegen", "genug", "gerade", "gewesen",
    "hab", "habe", "haben", "halt", "hast", "hat", "hatte", "hatten", "hier", "hinter", "hätte", "hätten",
    "ich", "ihm", "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "immer", "in",
    "indem", "ins", "ist", "ja", "je", "jede", "jedem", "jeden", "jeder", "jedes", "jedoch", "jemand",
    "jetzt", "kann", "kannst", "kaum", "kein", "keine", "keinem", "keinen", "keiner", "konnte", "konnten",
    "können", "könnte", "könnten", "mal", "man", "manche", "manchmal", "mehr", "mehrere", "mein", "meine",
    "meinem", "meinen", "meiner", "mich", "mir", "mit", "muss", "musst", "musste", "mussten", "möchte",
    "möchten", "müssen", "nach", "nachdem", "neben", "nein", "nicht", "nichts", "nie", "niemand", "noch",
    "nun", "nur", "nämlich", "ob", "obwohl", "oder", "oft", "ohne", "schon", "sehr", "sei", "seid", "sein",
    "seine", "seinem", "seinen", "seiner", "seines", "seit", "selbst", "sich", "sie", "sind", "so", "sodass",
    "sogar", "solche", "solchen", "soll", "sollen", "sollte", "sollten", "somit", "sondern", "sonst", "sowie",
    "sowohl", "statt", "trotz", "trotzdem", "um", "und", "uns", "unser", "unsere", "unserem", "unseren",
    "unserer", "unter", "viel", "viele", "vielen", "vielleicht", "vom", "von", "vor", "wann", "war", "waren",
    "warum", "was", "weder", "wegen", "weil", "welche", "welchem", "welchen", "welcher", "welches", "wenig",
    "wenige", "weniger", "wenn", "wer", "werde", "werden", "wie", "wieder", "will", "wir", "wird", "wo",
    "wohl", "wollen", "wollte", "worden", "wurde", "wurden", "während", "wäre", "wären", "würde", "würden",
    "zu", "zudem", "zum", "zur", "zwar", "zwischen", "äh", "ähm", "über", "überhaupt",
];

#[rustfmt::skip]
const GERMAN_ENDINGS: &[&str] = &[
    "s",
];

#[rustfmt::skip]
const GERMAN_PRONOUNS: &[&str] = &[
    "beide", "beides", "dabei", "dafür", "daran", "darauf", "davon", "dazu", "dies", "diese", "diesem",
    "diesen", "dieser", "dieses", "er", "es", "seine", "seinem", "seinen", "seiner", "solche", "solchen",
    "solcher", "solches",
];

#[rustfmt::skip]
const GERMAN_CONNECTIVES: &[&str] = &[
    "aber", "abschließend", "allerdings", "also", "am ende,", "andererseits", "anschließend", "ansonsten",
    "ausserdem", "außerdem", "beispielsweise", "dadurch", "dagegen", "daher", "danach", "dann", "darum",
    "darüber hinaus", "demnach", "denn", "dennoch", "deshalb", "deswegen", "doch", "drittens", "ebenso",
    "einerseits", "erstens", "ferner", "folglich", "gleichzeitig", "im gegenteil", "im übrigen", "immerhin",
    "infolgedessen", "insgesamt,", "inzwischen", "jedoch", "kurz gesagt", "kurzum", "letztendlich",
    "letztlich", "mit anderen worten", "mittlerweile", "naja", "nichtsdestotrotz", "nun,", "oder",
    "schließlich", "somit", "sonst", "stattdessen", "tatsächlich", "trotzdem", "und", "vielmehr",
    "währenddessen", "zudem", "zuerst", "zugleich", "zuletzt", "zum anderen", "zum beispiel", "zum einen",
    "zum schluss", "zunächst", "zusammenfassend", "zusätzlich", "zweitens", "äh,", "ähm,", "übrigens",
];

#[rustfmt::skip]
const GERMAN_ABBREVIATIONS: &[&str] = &[
    "abb.", "abs.", "allg.", "apr.", "aug.", "bspw.", "bzgl.", "bzw.", "ca.", "dez.", "dr.", "dt.", "ebd.",
    "engl.", "etc.", "evtl.", "exkl.", "feb.", "fr.", "geb.", "gegr.", "ggf.", "hr.", "inkl.", "insb.",
    "jan.", "jh.", "jhd.", "max.", "min.", "mio.", "mrd.", "mwst.", "nov.", "nr.", "okt.", "prof.", "s.",
    "sept.", "sog.", "st.", "str.", "tel.", "tsd.", "usw.", "vgl.", "vs.", "zzgl.", "zzt.",
];

#[rustfmt::skip]
const GERMAN_MONTHS: &[&str] = &[
    "april", "august", "dezember", "februar", "januar", "juli", "juni", "jänner", "mai", "märz", "november",
    "oktober", "september",
];

static GERMAN: Data = Data {
    words: GERMAN_WORDS,
    elided: &[],
    clitic_stems: &[],
    endings: GERMAN_ENDINGS,
    pronouns: GERMAN_PRONOUNS,
    connectives: GERMAN_CONNECTIVES,
    abbreviations: GERMAN_ABBREVIATIONS,
    months: GERMAN_MONTHS,
    phrases: Phrases {
        key_points: "Das Wichtigste",
        conclusion: "Fazit",
        newsletter_cta: [
            "Antworten Sie auf diese E-Mail und sagen Sie uns Ihre Meinung.",
            "Antworte einfach auf diese Mail und sag uns, was du denkst!",
        ],
        blog_cta: "Was denken Sie? Schreiben Sie uns.",
        social_cta: [
            "Welche Erfahrungen haben Sie gemacht? Teilen Sie sie in den Kommentaren.",
            "Was denkst du?",
            "Wir freuen uns auf deine Meinung!",
            "Einverstanden oder nicht? Sag uns, warum.",
        ],
        conversation_with: "Im Gespräch mit",
    },
};

#[rustfmt::skip]
const FRENCH_WORDS: &[&str] = &[
    "a", "afin", "ai", "ailleurs", "ainsi", "alors", "après", "as", "assez", "au", "aucun", "aucune",
    "auprès", "aura", "aurait", "aussi", "autant", "autre", "autres", "aux", "avaient", "avais", "avait",
    "avant", "avec", "avez", "avoir", "avons", "ayant", "beaucoup", "bien", "ca", "car", "ce", "ceci", "cela",
    "celle", "celles", "celui", "cependant", "certaines", "certains", "ces", "cet", "cette", "ceux", "chacun",
    "chacune", "chaque", "chez", "ci", "comme", "comment", "contre", "dans", "de", "depuis", "des", "devrait",
    "doit", "doivent", "donc", "dont", "du", "dès", "déjà", "elle", "elles", "en", "encore", "enfin",
    "ensuite", "entre", "environ", "es", "est", "et", "eu", "euh", "eux", "fait", "faut", "ici", "il", "ils",
    "jamais", "je", "jusque", "la", "laquelle", "le", "lequel", "les", "leur", "leurs", "lors", "lorsque",
    "lui", "là", "ma", "maintenant", "mais", "malgré", "me", "mes", "moi", "moins", "mon", "même", "mêmes",
    "ne", "ni", "non", "nos", "notamment", "notre", "nous", "néanmoins", "on", "ont", "or", "ou", "oui", "où",
    "par", "parce", "parfois", "parmi", "pas", "pendant", "peu", "peut", "peuvent", "peux", "plus",
    "plusieurs", "plutôt", "pour", "pourquoi", "pourra", "pourrait", "pourtant", "presque", "près", "puis",
    "puisque", "quand", "que", "quel", "quelle", "quelles", "quelque", "quelques", "quels", "qui", "quoi",
    "rien", "sa", "sans", "sauf", "se", "selon", "sera", "serait", "seront", "ses", "seulement", "si",
    "sinon", "soi", "soit", "sommes", "son", "sont", "sous", "souvent", "suis", "sur", "surtout", "ta",
    "tandis", "tant", "te", "tel", "telle", "telles", "tels", "tes", "toi", "ton", "toujours", "tous", "tout",
    "toute", "toutefois", "toutes", "trop", "très", "tu", "un", "une", "va", "vers", "via", "voici", "voilà",
    "vont", "vos", "votre", "vous", "vraiment", "y", "à", "ça", "également", "étaient", "était", "étant",
    "été", "êtes", "être",
];

#[rustfmt::skip]
const FRENCH_ELIDED: &[&str] = &[
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quelqu", "quoiqu", "s", "t",
];

#[rustfmt::skip]
const FRENCH_PRONOUNS: &[&str] = &[
    "ceci", "cela", "celle-ci", "celles-ci", "celui-ci", "ces", "cet", "cette", "ceux-ci", "elle", "elles",
    "il", "ils", "leur", "leurs", "sa", "ses", "son", "tous deux", "toutes deux", "ça",
];

#[rustfmt::skip]
const FRENCH_CONNECTIVES: &[&str] = &[
    "ainsi,", "alors,", "après tout", "au contraire", "au final", "autrement dit", "bien sûr", "bon,", "bref",
    "c'est pourquoi", "car", "ceci dit", "cela dit", "cependant", "d'abord", "d'ailleurs", "d'autre part",
    "d'une part", "de même,", "de plus,", "de surcroît", "de toute façon", "deuxièmement", "donc", "du coup",
    "eh bien", "en bref", "en conclusion", "en conséquence", "en d'autres termes", "en effet", "en fait",
    "en outre", "en plus,", "en revanche", "en résumé", "en somme", "enfin", "ensuite", "et", "euh",
    "finalement", "mais", "malgré tout", "néanmoins", "or", "ou", "par ailleurs", "par conséquent",
    "par contre", "par exemple", "pour finir", "pourtant", "premièrement", "puis", "quoi qu'il en soit",
    "sinon", "tout d'abord", "toutefois", "troisièmement", "à l'inverse", "également",
];

#[rustfmt::skip]
const FRENCH_ABBREVIATIONS: &[&str] = &[
    "apr.", "av.", "bd.", "c.-à-d.", "cf.", "chap.", "cie.", "dr.", "déc.", "env.", "etc.", "ex.", "fig.",
    "févr.", "hab.", "j.-c.", "janv.", "juil.", "m.", "max.", "min.", "mlle.", "mm.", "mme.", "nov.", "oct.",
    "p.", "pp.", "pr.", "sept.", "st.", "ste.", "tél.", "vol.",
];

#[rustfmt::skip]
const FRENCH_MONTHS: &[&str] = &[
    "aout", "août", "avril", "decembre", "décembre", "fevrier", "février", "janvier", "juillet", "juin",
    "mai", "mars", "novembre", "octobre", "septembre",
];

// French puts a no-break space before ? and !.
static FRENCH: Data = Data {
    words: FRENCH_WORDS,
    elided: FRENCH_ELIDED,
    clitic_stems: &[],
    endings: &[],
    pronouns: FRENCH_PRONOUNS,
    connectives: FRENCH_CONNECTIVES,
    abbreviations: FRENCH_ABBREVIATIONS,
    months: FRENCH_MONTHS,
    phrases: Phrases {
        key_points: "Points clés",
        conclusion: "Conclusion",
        newsletter_cta: [
            "Répondez à cet e-mail pour nous dire ce que vous en pensez.",
            "Répondez simplement à ce mail et dites-nous ce que vous en pensez\u{a0}!",
        ],
        blog_cta: "Qu’en pensez-vous\u{a0}? Dites-le-nous.",
        social_cta: [
            "Quelle est votre expérience\u{a0}? Partagez-la en commentaire.",
            "Qu’en pensez-vous\u{a0}?",
            "Nous serions ravis d’avoir votre avis\u{a0}!",
            "D’accord ou pas\u{a0}? Dites-nous pourquoi.",
        ],
        conversation_with: "Une conversation avec",
    },
};

#[rustfmt::skip]
const SPANISH_WORDS: &[&str] = &[
    "a", "acá", "además", "ahora", "ahí", "al", "algo", "alguien", "alguna", "algunas", "alguno", "algunos",
    "algún", "allí", "ambas", "ambos", "ante", "antes", "aquel", "aquella", "aquellas", "aquellos", "aquí",
    "así", "aun", "aunque", "aún", "bajo", "bastante", "bien", "cada", "casi", "cerca", "como", "con",
    "contra", "cual", "cuales", "cualquier", "cuando", "cuanto", "cuya", "cuyo", "cuál", "cuándo", "cuánto",
    "cómo", "de", "debe", "deben", "del", "demasiado", "demás", "dentro", "desde", "después", "donde",
    "durante", "dónde", "e", "el", "ella", "ellas", "ello", "ellos", "en", "entonces", "entre", "era", "eran",
    "eres", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estaban", "estamos", "estar",
    "estas", "este", "esto", "estos", "estoy", "está", "están", "estás", "fue", "fuera", "fueron", "ha",
    "haber", "había", "habían", "hacia", "han", "has", "hasta", "hay", "haya", "he", "hemos", "incluso", "la",
    "las", "le", "les", "lo", "los", "luego", "me", "mediante", "menos", "mi", "mientras", "mis", "misma",
    "mismo", "mismos", "mucha", "muchas", "mucho", "muchos", "muy", "más", "mí", "nada", "nadie", "ni",
    "ninguna", "ninguno", "ningún", "no", "nos", "nosotras", "nosotros", "nuestra", "nuestras", "nuestro",
    "nuestros", "nunca", "o", "os", "otra", "otras", "otro", "otros", "para", "pero", "poco", "pocos",
    "podemos", "podría", "por", "porque", "puede", "pueden", "puedes", "puedo", "pues", "que", "quien",
    "quienes", "quizá", "quizás", "quién", "qué", "se", "sea", "sean", "según", "ser", "será", "sería", "si",
    "sido", "siempre", "siendo", "sin", "sino", "sobre", "solo", "somos", "son", "soy", "su", "sus", "suya",
    "suyo", "sí", "sólo", "tal", "también", "tampoco", "tan", "tanto", "te", "tenemos", "tener", "tengo",
    "tenía", "ti", "tiene", "tienen", "tienes", "toda", "todas", "todavía", "todo", "todos", "tras", "través",
    "tu", "tus", "tú", "u", "un", "una", "unas", "uno", "unos", "usted", "ustedes", "vosotros", "vuestra",
    "vuestro", "y", "ya", "yo", "él",
];

#[rustfmt::skip]
const SPANISH_PRONOUNS: &[&str] = &[
    "ambas", "ambos", "aquellas", "aquello", "aquellos", "dicha", "dichas", "dichos", "ella", "ellas", "ello",
    "ellos", "esas", "eso", "esos", "estas", "esto", "estos", "él",
];

#[rustfmt::skip]
const SPANISH_CONNECTIVES: &[&str] = &[
    "a continuación", "además,", "al contrario", "al final", "asimismo", "así que", "así,", "aun así",
    "bueno,", "claro,", "de hecho", "de todas formas", "de todos modos", "del mismo modo", "después,",
    "dicho de otro modo", "dicho eso", "dicho esto", "en cambio", "en conclusión", "en consecuencia",
    "en cualquier caso", "en definitiva", "en fin", "en otras palabras", "en primer lugar", "en realidad",
    "en resumen", "en segundo lugar", "en tercer lugar", "en todo caso", "encima,", "entonces", "es decir",
    "finalmente", "igualmente", "luego,", "mientras tanto", "ni", "no obstante", "o", "o sea", "pero",
    "por cierto", "por consiguiente", "por ejemplo", "por el contrario", "por eso", "por lo tanto",
    "por otra parte", "por otro lado", "por supuesto", "por tanto", "por un lado", "por último", "primero",
    "pues,", "segundo,", "sin embargo", "también", "tercero,", "vale,", "y",
];

#[rustfmt::skip]
const SPANISH_ABBREVIATIONS: &[&str] = &[
    "abr.", "admón.", "ago.", "aprox.", "arq.", "art.", "av.", "avda.", "cap.", "cía.", "dic.", "dr.", "dra.",
    "dña.", "ej.", "ene.", "etc.", "feb.", "ing.", "jul.", "jun.", "lic.", "máx.", "mín.", "nov.", "núm.",
    "oct.", "prof.", "pág.", "págs.", "sept.", "sr.", "sra.", "srta.", "tel.", "tlf.", "ud.", "uds.", "vd.",
    "vds.", "vol.",
];

#[rustfmt::skip]
const SPANISH_MONTHS: &[&str] = &[
    "abril", "agosto", "diciembre", "enero", "febrero", "julio", "junio", "marzo", "mayo", "noviembre",
    "octubre", "septiembre", "setiembre",
];

static SPANISH: Data = Data {
    words: SPANISH_WORDS,
    elided: &[],
    clitic_stems: &[],
    endings: &[],
    pronouns: SPANISH_PRONOUNS,
    connectives: SPANISH_CONNECTIVES,
    abbreviations: SPANISH_ABBREVIATIONS,
    months: SPANISH_MONTHS,
    phrases: Phrases {
        key_points: "Puntos clave",
        conclusion: "Conclusión",
        newsletter_cta: [
            "Responda a este correo y díganos qué opina.",
            "¡Responde a este correo y cuéntanos qué te parece!",
        ],
        blog_cta: "¿Qué le parece? Cuéntenos.",
        social_cta: [
            "¿Cuál es su experiencia? Compártala en los comentarios.",
            "¿Qué opinas?",
            "¡Nos encantaría conocer tu opinión!",
            "¿De acuerdo o no? Dinos por qué.",
        ],
        conversation_with: "Una conversación con",
    },
};

#[rustfmt::skip]
const ITALIAN_WORDS: &[&str] = &[
    "a", "abbia", "abbiamo", "ad", "adesso", "agli", "ai", "al", "alcune", "alcuni", "all", "alla", "alle",
    "allo", "allora", "almeno", "altra", "altre", "altri", "altro", "anche", "ancora", "anzi", "appena",
    "attraverso", "avere", "avete", "aveva", "avevano", "avrebbe", "avuto", "c", "ce", "che", "chi", "ci",
    "cioè", "circa", "ciò", "coi", "col", "come", "comunque", "con", "contro", "cosa", "così", "cui", "d",
    "da", "dagli", "dai", "dal", "dall", "dalla", "dalle", "dallo", "degli", "dei", "del", "dell", "della",
    "delle", "dello", "dentro", "deve", "devono", "di", "dopo", "dove", "dovrebbe", "dunque", "durante", "e",
    "ecco", "ed", "egli", "era", "erano", "essa", "esse", "essere", "essi", "esso", "fino", "forse", "fosse",
    "fra", "fu", "fuori", "furono", "già", "gli", "ha", "hai", "hanno", "ho", "i", "il", "in", "infatti",
    "inoltre", "invece", "io", "l", "la", "le", "lei", "li", "lo", "loro", "lui", "ma", "mai", "me", "meno",
    "mentre", "mi", "mia", "mie", "miei", "mio", "molta", "molte", "molti", "molto", "ne", "negli", "nei",
    "nel", "nell", "nella", "nelle", "nello", "nessun", "nessuna", "nessuno", "niente", "no", "noi", "non",
    "nostra", "nostre", "nostri", "nostro", "nulla", "né", "o", "ogni", "oltre", "oppure", "ora", "per",
    "perchè", "perché", "però", "più", "po", "poco", "poi", "poiché", "possiamo", "possono", "potrebbe",
    "presso", "prima", "proprio", "puoi", "pure", "può", "qualche", "qualcosa", "qualcuno", "quale", "quali",
    "qualsiasi", "quando", "quanto", "quasi", "quel", "quella", "quelle", "quelli", "quello", "questa",
    "queste", "questi", "questo", "qui", "quindi", "sarebbe", "sarà", "se", "sei", "sempre", "senza", "si",
    "sia", "siamo", "siano", "siete", "solo", "sono", "sopra", "soprattutto", "sotto", "spesso", "sta",
    "stanno", "stata", "stati", "stato", "stessa", "stesso", "su", "sua", "sue", "sugli", "sui", "sul",
    "sull", "sulla", "sulle", "suo", "suoi", "sé", "sì", "tanto", "te", "ti", "tra", "tramite", "troppo",
    "tu", "tua", "tue", "tuo", "tuoi", "tutta", "tuttavia", "tutte", "tutti", "tutto", "un", "una", "uno",
    "verso", "vi", "voi", "vostra", "vostro", "è",
];

#[rustfmt::skip]
const ITALIAN_ELIDED: &[&str] = &[
    "c", "d", "dall", "dell", "l", "m", "nell", "s", "sull", "t", "v",
];

#[rustfmt::skip]
const ITALIAN_CLITIC_STEMS: &[&str] = &[
    "all", "anch", "com", "cos", "dov", "quand", "quell", "quest", "tutt",
];

#[rustfmt::skip]
const ITALIAN_PRONOUNS: &[&str] = &[
    "ciò", "egli", "entrambe", "entrambi", "essa", "esse", "essi", "esso", "loro", "lui", "quella", "quelle",
    "quelli", "quello", "questa", "queste", "questi", "questo",
];

#[rustfmt::skip]
const ITALIAN_CONNECTIVES: &[&str] = &[
    "ad esempio", "al contrario", "alla fine", "allo stesso modo", "allora", "anzi", "beh", "cioè",
    "comunque", "così,", "d'altra parte", "d'altro canto", "d'altronde", "detto ciò", "detto questo",
    "di conseguenza", "di fatto", "difatti", "dopo,", "dunque", "e", "ebbene", "eppure", "in altre parole",
    "in breve", "in conclusione", "in effetti", "in più,", "in primo luogo", "in secondo luogo", "in sintesi",
    "in terzo luogo", "infatti", "infine", "innanzitutto", "inoltre", "insomma", "intanto", "invece,", "ma",
    "nel frattempo", "né", "o", "oltre a ciò", "oltretutto", "oppure", "per esempio", "peraltro", "perciò",
    "pertanto", "però", "poi", "prima di tutto", "quindi", "successivamente", "tra l'altro", "tuttavia",
];

#[rustfmt::skip]
const ITALIAN_ABBREVIATIONS: &[&str] = &[
    "ago.", "apr.", "arch.", "art.", "avv.", "ca.", "cap.", "cfr.", "dic.", "dott.", "dott.ssa.", "ecc.",
    "es.", "feb.", "fig.", "gen.", "geom.", "giu.", "ing.", "lug.", "nov.", "nr.", "ott.", "pag.", "pagg.",
    "prof.", "sec.", "set.", "sig.", "sigg.", "ss.", "tel.", "vol.",
];

#[rustfmt::skip]
const ITALIAN_MONTHS: &[&str] = &[
    "agosto", "aprile", "dicembre", "febbraio", "gennaio", "giugno", "luglio", "maggio", "marzo", "novembre",
    "ottobre", "settembre",
];

static ITALIAN: Data = Data {
    words: ITALIAN_WORDS,
    elided: ITALIAN_ELIDED,
    clitic_stems: ITALIAN_CLITIC_STEMS,
    endings: &[],
    pronouns: ITALIAN_PRONOUNS,
    connectives: ITALIAN_CONNECTIVES,
    abbreviations: ITALIAN_ABBREVIATIONS,
    months: ITALIAN_MONTHS,
    phrases: Phrases {
        key_points: "Punti chiave",
        conclusion: "Conclusione",
        newsletter_cta: [
            "Rispondete a questa email e fateci sapere cosa ne pensate.",
            "Rispondi a questa email e dicci cosa ne pensi!",
        ],
        blog_cta: "Cosa ne pensate? Fatecelo sapere.",
        social_cta: [
            "Qual è la vostra esperienza? Condividetela nei commenti.",
            "Cosa ne pensi?",
            "Ci piacerebbe conoscere la tua opinione!",
            "D’accordo o no? Dicci perché.",
        ],
        conversation_with: "Una conversazione con",
    },
};

#[rustfmt::skip]
const PORTUGUESE_WORDS: &[&str] = &[
    "a", "agora", "ainda", "algo", "algum", "alguma", "algumas", "alguns", "alguém", "além", "antes", "ao",
    "aos", "apenas", "após", "aquela", "aquelas", "aquele", "aqueles", "aqui", "aquilo", "as", "assim",
    "através", "até", "aí", "bem", "cada", "cerca", "com", "comigo", "como", "contra", "contudo", "da", "das",
    "de", "dela", "delas", "dele", "deles", "dentro", "depois", "desde", "dessa", "desse", "desta", "deste",
    "deve", "devem", "disso", "disto", "do", "dos", "durante", "e", "ela", "elas", "ele", "eles", "em",
    "embora", "enquanto", "entre", "entretanto", "então", "era", "eram", "essa", "essas", "esse", "esses",
    "esta", "estamos", "estar", "estas", "estava", "estavam", "este", "estes", "estou", "está", "estão", "eu",
    "foi", "fora", "foram", "fosse", "havia", "há", "isso", "isto", "já", "lhe", "lhes", "logo", "lá", "mais",
    "mas", "me", "menos", "mesma", "mesmo", "meu", "meus", "mim", "minha", "minhas", "muita", "muitas",
    "muito", "muitos", "na", "nada", "nas", "nem", "nenhum", "nenhuma", "nessa", "nesse", "nesta", "neste",
    "ninguém", "nisso", "no", "nos", "nossa", "nossas", "nosso", "nossos", "num", "numa", "nunca", "não",
    "né", "nós", "o", "onde", "os", "ou", "outra", "outras", "outro", "outros", "para", "pela", "pelas",
    "pelo", "pelos", "pode", "podem", "pois", "por", "porque", "porém", "pouco", "pra", "quais", "qual",
    "qualquer", "quando", "quanto", "quase", "que", "quem", "se", "seja", "sejam", "sem", "sempre", "sendo",
    "ser", "seria", "será", "seu", "seus", "sido", "sim", "sob", "sobre", "somos", "sou", "sua", "suas",
    "são", "só", "tal", "também", "tanto", "te", "tem", "temos", "tenha", "tenho", "ter", "teu", "tinha",
    "tinham", "toda", "todas", "todo", "todos", "tu", "tua", "tudo", "tão", "têm", "um", "uma", "umas", "uns",
    "vai", "vamos", "você", "vocês", "vou", "vão", "à", "às", "é",
];

#[rustfmt::skip]
const PORTUGUESE_PRONOUNS: &[&str] = &[
    "ambas", "ambos", "aquelas", "aqueles", "aquilo", "ela", "elas", "ele", "eles", "essas", "esses", "estas",
    "estes", "isso", "isto",
];

#[rustfmt::skip]
const PORTUGUESE_CONNECTIVES: &[&str] = &[
    "ademais", "afinal", "ainda assim", "aliás", "além disso", "ao contrário", "assim,", "bom,", "com isso",
    "consequentemente", "contudo", "da mesma forma", "de facto", "de fato", "de qualquer forma",
    "de qualquer modo", "depois,", "dessa forma", "desse modo", "desta forma", "deste modo", "dito isso",
    "do mesmo modo", "e", "em outras palavras", "em primeiro lugar", "em resumo", "em seguida",
    "em segundo lugar", "em suma", "em terceiro lugar", "enfim", "enquanto isso", "entretanto", "então",
    "finalmente", "igualmente", "isto é", "logo,", "mas", "mesmo assim", "na verdade", "nem", "no entanto",
    "ou", "ou seja", "pelo contrário", "por exemplo", "por fim", "por isso", "por outras palavras",
    "por outro lado", "por um lado", "portanto", "porém", "primeiro,", "sendo assim", "também", "todavia",
];

#[rustfmt::skip]
const PORTUGUESE_ABBREVIATIONS: &[&str] = &[
    "abr.", "ago.", "aprox.", "art.", "av.", "cap.", "cia.", "dez.", "dr.", "dra.", "eng.", "etc.", "ex.",
    "exma.", "exmo.", "fev.", "jan.", "jul.", "jun.", "ltda.", "nov.", "núm.", "out.", "p.", "prof.",
    "profa.", "pág.", "págs.", "set.", "sr.", "sra.", "srta.", "séc.", "tel.", "vol.",
];

#[rustfmt::skip]
const PORTUGUESE_MONTHS: &[&str] = &[
    "abril", "agosto", "dezembro", "fevereiro", "janeiro", "julho", "junho", "maio", "março", "novembro",
    "outubro", "setembro",
];

// Worded to read right in Portugal and in Brazil alike.
static PORTUGUESE: Data = Data {
    words: PORTUGUESE_WORDS,
    elided: &[],
    clitic_stems: &[],
    endings: &[],
    pronouns: PORTUGUESE_PRONOUNS,
    connectives: PORTUGUESE_CONNECTIVES,
    abbreviations: PORTUGUESE_ABBREVIATIONS,
    months: PORTUGUESE_MONTHS,
    phrases: Phrases {
        key_points: "Pontos-chave",
        conclusion: "Conclusão",
        newsletter_cta: [
            "Responda a este e-mail e diga-nos a sua opinião.",
            "É só responder a este e-mail e dizer o que achou!",
        ],
        blog_cta: "Qual é a sua opinião? Diga-nos.",
        social_cta: [
            "Qual é a sua experiência? Conte nos comentários.",
            "O que acha?",
            "Adoraríamos saber a sua opinião!",
            "Concorda ou discorda? Explique nos comentários.",
        ],
        conversation_with: "Uma conversa com",
    },
};

#[rustfmt::skip]
const DUTCH_WORDS: &[&str] = &[
    "aan", "achter", "af", "al", "alle", "alleen", "allemaal", "alles", "als", "alsof", "altijd", "ander",
    "andere", "anders", "beide", "ben", "bent", "bij", "bijna", "binnen", "boven", "daar", "daarbij",
    "daardoor", "daarmee", "daarna", "daarom", "daarvan", "daarvoor", "dan", "dankzij", "dat", "de", "deze",
    "dezelfde", "die", "dit", "door", "dus", "echter", "een", "eens", "eerst", "eh", "ehm", "eigen",
    "eigenlijk", "elk", "elkaar", "elke", "en", "enige", "enkele", "er", "erg", "even", "geen", "geweest",
    "gewoon", "haar", "had", "hadden", "heb", "hebben", "hebt", "heeft", "heel", "helemaal", "hem", "hen",
    "het", "hetzelfde", "hier", "hij", "hoe", "hoewel", "hun", "ieder", "iedere", "iedereen", "iemand",
    "iets", "ik", "in", "indien", "is", "ja", "je", "jij", "jou", "jouw", "jullie", "kan", "kon", "konden",
    "kun", "kunnen", "kunt", "maar", "mag", "me", "mee", "meer", "meest", "men", "met", "mij", "mijn",
    "minder", "misschien", "mocht", "moet", "moeten", "mogen", "na", "naar", "naast", "nadat", "nee", "net",
    "niemand", "niet", "niets", "niks", "noch", "nog", "nooit", "nou", "nu", "of", "om", "omdat", "onder",
    "ongeveer", "ons", "onze", "ooit", "ook", "op", "over", "pas", "per", "reeds", "sinds", "slechts", "soms",
    "steeds", "te", "tegen", "ten", "ter", "terwijl", "tijdens", "toch", "toe", "toen", "tot", "totdat",
    "tussen", "u", "uit", "uw", "vaak", "van", "vanaf", "vanuit", "veel", "verder", "via", "volgens", "voor",
    "vooral", "voordat", "waar", "waarbij", "waarin", "waarom", "wanneer", "want", "waren", "was", "wat",
    "we", "weer", "wel", "welk", "welke", "werd", "werden", "wie", "wij", "wil", "wilde", "willen", "worden",
    "wordt", "zal", "ze", "zeer", "zelf", "zelfs", "zich", "zij", "zijn", "zo", "zoals", "zodat", "zonder",
    "zou", "zouden", "zulke", "zullen",
];

#[rustfmt::skip]
const DUTCH_ELIDED: &[&str] = &[
    "d", "m", "z",
];

#[rustfmt::skip]
const DUTCH_ENDINGS: &[&str] = &[
    "k", "n", "r", "s", "t",
];

#[rustfmt::skip]
const DUTCH_PRONOUNS: &[&str] = &[
    "beide", "daarbij", "daarmee", "daarvan", "daarvoor", "dat", "deze", "die", "dit", "haar", "hij", "hun",
    "ze", "zij", "zulke",
];

#[rustfmt::skip]
const DUTCH_CONNECTIVES: &[&str] = &[
    "aan de andere kant", "al met al", "allereerst", "anderzijds", "bijgevolg", "bijvoorbeeld", "bovendien",
    "daardoor", "daarentegen", "daarna", "daarnaast", "daarom", "dan", "desondanks", "dus", "echter",
    "eerst,", "en", "enerzijds", "eveneens", "in feite", "integendeel", "intussen", "kortom", "maar",
    "met andere woorden", "niettemin", "nochtans", "nou,", "of", "ondertussen", "overigens", "sterker nog",
    "ten derde", "ten eerste", "ten slotte", "ten tweede", "tenslotte", "tevens", "toch", "tot slot",
    "trouwens", "uiteindelijk", "verder", "vervolgens", "want", "zodoende",
];

#[rustfmt::skip]
const DUTCH_ABBREVIATIONS: &[&str] = &[
    "apr.", "aug.", "bijv.", "blz.", "bv.", "ca.", "dec.", "dhr.", "dr.", "drs.", "enz.", "etc.", "evt.",
    "excl.", "feb.", "incl.", "ing.", "ir.", "jan.", "jl.", "jul.", "jun.", "max.", "mevr.", "min.", "mld.",
    "mln.", "mr.", "mrt.", "mw.", "nov.", "nr.", "okt.", "ong.", "p.", "prof.", "resp.", "sep.", "sept.",
    "st.", "tel.", "vnl.", "vs.", "zgn.",
];

#[rustfmt::skip]
const DUTCH_MONTHS: &[&str] = &[
    "april", "augustus", "december", "februari", "januari", "juli", "juni", "maart", "mei", "november",
    "oktober", "september",
];

static DUTCH: Data = Data {
    words: DUTCH_WORDS,
    elided: DUTCH_ELIDED,
    clitic_stems: &[],
    endings: DUTCH_ENDINGS,
    pronouns: DUTCH_PRONOUNS,
    connectives: DUTCH_CONNECTIVES,
    abbreviations: DUTCH_ABBREVIATIONS,
    months: DUTCH_MONTHS,
    phrases: Phrases {
        key_points: "Belangrijkste punten",
        conclusion: "Conclusie",
        newsletter_cta: [
            "Beantwoord deze e-mail en laat ons weten wat u ervan vindt.",
            "Reageer op deze mail en laat ons weten wat je ervan vindt!",
        ],
        blog_cta: "Wat vindt u ervan? Laat het ons weten.",
        social_cta: [
            "Wat is uw ervaring? Deel die in de reacties.",
            "Wat vind jij?",
            "We horen graag wat je ervan vindt!",
            "Eens of oneens? Vertel ons waarom.",
        ],
        conversation_with: "In gesprek met",
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLISH_TEXT: &str = "Our bakery switched to a four-day week in March, and the results surprised \
        everyone. Sales rose by twelve percent while waste fell by a fifth. The team says they are more \
        rested, and customers have noticed the difference too. We did not expect the change to be this \
        smooth, but it turned out to be the best decision we have made in years.";
    const GERMAN_TEXT: &str = "Unsere Bäckerei hat im März auf eine Viertagewoche umgestellt, und die \
        Ergebnisse haben alle überrascht. Der Umsatz ist um zwölf Prozent gestiegen, während die \
        Verschwendung um ein Fünftel gesunken ist. Das Team sagt, dass es sich viel erholter fühlt, und \
        auch die Kunden haben den Unterschied bemerkt. Wir hatten nicht erwartet, dass die Umstellung so \
        reibungslos verläuft.";
    const FRENCH_TEXT: &str = "Notre boulangerie est passée à la semaine de quatre jours en mars, et les \
        résultats ont surpris tout le monde. Les ventes ont augmenté de douze pour cent, tandis que le \
        gaspillage a baissé d’un cinquième. L’équipe dit qu’elle est plus reposée, et les clients ont \
        remarqué la différence. Nous ne pensions pas que ce changement serait aussi simple.";
    const SPANISH_TEXT: &str = "Nuestra panadería pasó a una semana de cuatro días en marzo, y los \
        resultados sorprendieron a todos. Las ventas subieron un doce por ciento, mientras que el \
        desperdicio bajó una quinta parte. El equipo dice que está más descansado, y los clientes también \
        han notado la diferencia. No esperábamos que el cambio fuera tan sencillo, pero ha sido la mejor \
        decisión de los últimos años.";
    const ITALIAN_TEXT: &str = "La nostra panetteria è passata alla settimana di quattro giorni a marzo, e i \
        risultati hanno sorpreso tutti. Le vendite sono cresciute del dodici per cento, mentre gli sprechi \
        sono calati di un quinto. Il team dice di essere più riposato, e anche i clienti hanno notato la \
        differenza. Non ci aspettavamo che il cambiamento fosse così semplice, ma è stata la decisione \
        migliore degli ultimi anni.";
    const PORTUGUESE_TEXT: &str = "A nossa padaria passou para uma semana de quatro dias em março, e os \
        resultados surpreenderam todos. As vendas subiram doze por cento, enquanto o desperdício caiu um \
        quinto. A equipe diz que está mais descansada, e os clientes também notaram a diferença. Não \
        esperávamos que a mudança fosse tão simples, mas foi a melhor decisão que tomamos nos últimos anos.";
    const DUTCH_TEXT: &str = "Onze bakkerij is in maart overgestapt op een vierdaagse werkweek, en de \
        resultaten hebben iedereen verrast. De omzet is met twaalf procent gestegen, terwijl de \
        verspilling met een vijfde is gedaald. Het team zegt dat ze veel uitgeruster zijn, en ook de \
        klanten hebben het verschil gemerkt. We hadden niet verwacht dat de overstap zo soepel zou verlopen.";
    const JAPANESE_TEXT: &str = "私たちのパン屋は三月に週四日制に切り替え、その結果は誰もが驚くものでした。\
        売上は十二パーセント増え、廃棄は五分の一減りました。チームは以前よりずっと休めていると言い、\
        お客様もその違いに気づいています。";
    const POLISH_TEXT: &str = "Nasza piekarnia w marcu przeszła na czterodniowy tydzień pracy i wyniki \
        zaskoczyły wszystkich. Sprzedaż wzrosła o dwanaście procent, a marnowanie żywności spadło o jedną \
        piątą. Zespół mówi, że jest bardziej wypoczęty, a klienci też zauważyli różnicę. Nie \
        spodziewaliśmy się, że ta zmiana będzie tak prosta, ale to była najlepsza decyzja od lat.";

    #[test]
    fn detects_each_language_in_a_paragraph() {
        for (text, language) in [
            (ENGLISH_TEXT, Language::English),
            (GERMAN_TEXT, Language::German),
            (FRENCH_TEXT, Language::French),
            (SPANISH_TEXT, Language::Spanish),
            (ITALIAN_TEXT, Language::Italian),
            (PORTUGUESE_TEXT, Language::Portuguese),
            (DUTCH_TEXT, Language::Dutch),
        ] {
            let words = text.split_whitespace().count();
            assert!((40..=80).contains(&words), "{language:?} sample has {words} words");
            assert_eq!(detect(text), Some(language), "{text}");
        }
    }

    #[test]
    fn detects_a_short_post_too() {
        for (text, language) in [
            ("We shipped the new dashboard today, and we are very proud of it.", Language::English),
            (
                "Wir haben heute das neue Dashboard veröffentlicht und sind sehr stolz darauf.",
                Language::German,
            ),
            (
                "Aujourd’hui, nous avons lancé le nouveau tableau de bord et nous en sommes très fiers.",
                Language::French,
            ),
            ("Hoy lanzamos el nuevo panel y estamos muy orgullosos de ello.", Language::Spanish),
            ("Oggi abbiamo lanciato la nuova dashboard e ne siamo molto orgogliosi.", Language::Italian),
            ("Hoje lançamos o novo painel e estamos muito orgulhosos dele.", Language::Portuguese),
            (
                "Vandaag hebben we het nieuwe dashboard gelanceerd en we zijn er erg trots op.",
                Language::Dutch,
            ),
        ] {
            assert_eq!(detect(text), Some(language), "{text}");
        }
    }

    #[test]
    fn detects_nothing_in_other_languages_or_in_too_little_text() {
        assert_eq!(detect(JAPANESE_TEXT), None);
        assert_eq!(detect(POLISH_TEXT), None);
        assert_eq!(detect("Sales rose by twelve percent."), None);
        assert_eq!(detect("It is what it is."), None);
        assert_eq!(detect(""), None);
        assert_eq!(detect("12 345 678 — 9.5 % — 2024-03-01 — 42"), None);
        // Galician sits between Spanish and Portuguese: neither is clear.
        let galician = "A nosa panadaría pasou a unha semana de catro días en marzo, e os resultados \
            sorprenderon a todos. As vendas subiron un doce por cento, mentres que o desperdicio baixou \
            unha quinta parte. O equipo di que está máis descansado, e os clientes tamén notaron a diferenza.";
        assert_eq!(detect(galician), None);
    }

    #[test]
    fn a_quote_in_another_language_does_not_change_the_language() {
        let text = "The German team summed it up best: \"Wir haben es geschafft, und das ohne Überstunden.\" \
            That is the whole story of our four-day week, and it is why we are keeping it for good.";
        assert_eq!(detect(text), Some(Language::English));
    }

    #[test]
    fn detection_runs_on_a_long_source() {
        let long = format!("{GERMAN_TEXT} {}", "x".repeat(5_000)).repeat(40);
        assert!(long.len() > 200_000);
        assert_eq!(detect(&long), Some(Language::German));
    }

    #[test]
    fn english_openers() {
        let english = Language::English;
        let rest = |sentence: &'static str| {
            english.leading_opener(sentence).map(|(opener, len)| (opener, &sentence[len..]))
        };
        assert_eq!(rest("However, sales rose."), Some((Opener::Connective, "sales rose.")));
        assert_eq!(rest("It grew."), Some((Opener::Pronoun, "grew.")));
        assert_eq!(rest("Butter is good."), None);
        assert_eq!(rest("In addition, we"), Some((Opener::Connective, "we")));
        assert_eq!(rest("In addition to bread, we bake cakes."), None);
        assert_eq!(rest("That said, we stayed."), Some((Opener::Connective, "we stayed.")));
        assert_eq!(rest("That is why we stayed."), Some((Opener::Pronoun, "is why we stayed.")));
        assert_eq!(rest("Also, the staff kept pay."), Some((Opener::Connective, "the staff kept pay.")));
        assert_eq!(rest("Also included is a map."), None);
        assert_eq!(rest("Alsof is not a word."), None);
        assert_eq!(rest("HOWEVER , it worked."), Some((Opener::Connective, "it worked.")));
        assert_eq!(rest("On  the other hand, costs fell."), Some((Opener::Connective, "costs fell.")));
        assert_eq!(rest("It’s cheaper."), Some((Opener::Pronoun, "cheaper.")));
        assert_eq!(rest("These results held."), Some((Opener::Pronoun, "results held.")));
        assert_eq!(rest("But it worked."), Some((Opener::Connective, "it worked.")));
        assert_eq!(rest("So, we tried again."), Some((Opener::Connective, "we tried again.")));
        assert_eq!(rest("So many people came."), None);
        assert_eq!(rest("Next year we grow."), None);
        assert_eq!(rest("Instead of waiting, we acted."), None);
        assert_eq!(rest("Itself a small shop, it grew."), None);
        assert_eq!(rest("So-called experts agree."), None);
        for standalone in ["We grew.", "I think so.", "You can too.", "The bakery grew.", "There are three."]
        {
            assert_eq!(rest(standalone), None, "{standalone}");
        }
        // Nothing would be left.
        assert_eq!(rest("However."), None);
    }

    #[test]
    fn openers_of_the_other_languages() {
        let rest = |language: Language, sentence: &'static str| {
            language.leading_opener(sentence).map(|(opener, len)| (opener, &sentence[len..]))
        };
        use Language::*;
        use Opener::*;
        let cases = [
            (German, "Außerdem haben wir", Some((Connective, "haben wir"))),
            (German, "Aber wir blieben.", Some((Connective, "wir blieben."))),
            (German, "Zum Beispiel Brot.", Some((Connective, "Brot."))),
            (German, "Es wuchs.", Some((Pronoun, "wuchs."))),
            (German, "Diese Zahlen zeigen es.", Some((Pronoun, "Zahlen zeigen es."))),
            (German, "Das Team wuchs.", None),
            (German, "Die Kunden kamen.", None),
            (German, "Sie können uns schreiben.", None),
            (French, "Mais nous", Some((Connective, "nous"))),
            (French, "Cela dit, nous restons.", Some((Connective, "nous restons."))),
            (French, "Cela montre tout.", Some((Pronoun, "montre tout."))),
            (French, "D’abord, nous avons testé.", Some((Connective, "nous avons testé."))),
            (French, "De plus, les ventes montent.", Some((Connective, "les ventes montent."))),
            (French, "De plus en plus de clients viennent.", None),
            (French, "Ce matin, nous avons ouvert.", None),
            (French, "Celui-ci coûte moins.", Some((Pronoun, "coûte moins."))),
            (Spanish, "Pero las ventas subieron.", Some((Connective, "las ventas subieron."))),
            (Spanish, "Sin embargo, el equipo creció.", Some((Connective, "el equipo creció."))),
            (Spanish, "Esto cambió todo.", Some((Pronoun, "cambió todo."))),
            (Spanish, "Él lo sabía.", Some((Pronoun, "lo sabía."))),
            (Spanish, "El equipo creció.", None),
            (Spanish, "Este año crecimos.", None),
            (Italian, "Inoltre abbiamo aperto.", Some((Connective, "abbiamo aperto."))),
            (Italian, "E poi?", Some((Connective, "poi?"))),
            (Italian, "È vero.", None),
            (Italian, "Questo vale per tutti.", Some((Pronoun, "vale per tutti."))),
            (Italian, "Lei può scriverci.", None),
            (Portuguese, "Além disso, a equipe cresceu.", Some((Connective, "a equipe cresceu."))),
            (Portuguese, "Isto é, tudo mudou.", Some((Connective, "tudo mudou."))),
            (Portuguese, "Isso mudou tudo.", Some((Pronoun, "mudou tudo."))),
            (Portuguese, "Esta semana abrimos.", None),
            (Dutch, "Maar we groeiden.", Some((Connective, "we groeiden."))),
            (Dutch, "Daarnaast openen we een winkel.", Some((Connective, "openen we een winkel."))),
            (Dutch, "Dit werkt.", Some((Pronoun, "werkt."))),
            (Dutch, "Het team groeide.", None),
            (Dutch, "Alsof dat niets is.", None),
        ];
        for (language, sentence, expected) in cases {
            assert_eq!(rest(language, sentence), expected, "{language:?}: {sentence}");
        }
    }

    #[test]
    fn function_words_and_their_contractions() {
        use Language::*;
        let yes = [
            (
                English,
                &["the", "and", "it's", "don't", "don’t", "we're", "can't", "let's", "yeah", "um", "like"][..],
            ),
            (German, &["und", "die", "nicht", "außerdem", "wie's"]),
            (French, &["les", "l'on", "c'est", "d'un", "qu'il", "jusqu’à", "quelqu'un", "n'est"]),
            (Spanish, &["el", "y", "también", "porque"]),
            (Italian, &["che", "dell'", "dell’", "dell", "c'è", "un'altra", "po'", "l'altro"]),
            (Portuguese, &["não", "você", "também", "pelo"]),
            (Dutch, &["het", "een", "zo'n", "m'n", "'t"]),
        ];
        for (language, words) in yes {
            for word in words {
                assert!(language.is_function_word(word), "{language:?}: {word}");
            }
        }
        let no = [
            (English, &["kyros's", "bakery", "don", "won", "users'", "die", "el", "'"][..]),
            (German, &["bäckerei", "geht's", "the"]),
            (French, &["l'entreprise", "d'accord", "aujourd'hui", "boulangerie"]),
            (Spanish, &["panadería", "the"]),
            (Italian, &["dell'azienda", "l'anno", "panetteria"]),
            (Portuguese, &["padaria", "los"]),
            (Dutch, &["foto's", "bakkerij"]),
        ];
        for (language, words) in no {
            for word in words {
                assert!(!language.is_function_word(word), "{language:?}: {word}");
            }
        }
    }

    #[test]
    fn function_words_in_any_language_leave_english_content_words_alone() {
        for word in ["und", "the", "les", "para", "não", "você", "het", "che", "c'est", "also", "will", "was"]
        {
            assert!(is_function_word_in_any(word), "{word}");
        }
        for word in ["die", "war", "hat", "man", "gift", "car", "ai", "logo", "son", "door", "bakery"] {
            assert!(!is_function_word_in_any(word), "{word}");
        }
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        use Language::*;
        let yes = [
            (English, &["Dr.", "e.g.", "i.e.", "U.S.", "J.", "etc.", "Inc.", "vs.", "(e.g."][..]),
            (German, &["z.B.", "bzw.", "ca.", "Nr.", "S.", "usw.", "d.h.", "Mio.", "u.a."]),
            (French, &["M.", "Mme.", "c.-à-d.", "p.ex.", "env.", "J.-C."]),
            (Spanish, &["p.ej.", "Sra.", "etc.", "pág.", "EE.UU."]),
            (Italian, &["ecc.", "Dott.ssa.", "Sig.", "p.es."]),
            (Portuguese, &["p.ex.", "Sr.", "pág.", "núm."]),
            (Dutch, &["bijv.", "d.w.z.", "o.a.", "blz."]),
        ];
        for (language, tokens) in yes {
            for token in tokens {
                assert!(language.is_abbreviation(token), "{language:?}: {token}");
            }
        }
        let no = [
            (English, &["sales.", "I.", "3.", "no.", "kyros.io.", ".", "Dr"][..]),
            (German, &["Haus.", "3.", "so."]),
            (French, &["ventes.", "art."]),
            (Spanish, &["mar.", "ventas."]),
            (Italian, &["è.", "vendite."]),
            (Portuguese, &["vendas."]),
            (Dutch, &["omzet."]),
        ];
        for (language, tokens) in no {
            for token in tokens {
                assert!(!language.is_abbreviation(token), "{language:?}: {token}");
            }
        }
    }

    #[test]
    fn month_names_mark_ordinals() {
        use Language::*;
        // "am 3. Mai": "3." is no abbreviation; the month after it says it is an ordinal.
        assert!(!German.is_abbreviation("3."));
        for (language, month) in [
            (English, "may"),
            (English, "december"),
            (German, "mai"),
            (German, "januar"),
            (German, "märz"),
            (French, "janvier"),
            (French, "août"),
            (Spanish, "mayo"),
            (Italian, "maggio"),
            (Portuguese, "maio"),
            (Portuguese, "março"),
            (Dutch, "mei"),
        ] {
            assert!(language.is_month(month), "{language:?}: {month}");
        }
        assert!(!English.is_month("mai"));
        assert!(!German.is_month("may"));
        assert!(!German.is_month("Mai"));
        assert!(!Dutch.is_month("woensdag"));
    }

    #[test]
    fn phrases_exist_in_every_language() {
        let mut conclusions = Vec::new();
        for language in Language::ALL {
            let phrases = language.phrases();
            let ctas = phrases.newsletter_cta.iter().chain([&phrases.blog_cta]).chain(&phrases.social_cta);
            for cta in ctas {
                assert!(cta.ends_with(['.', '!', '?']), "{language:?}: {cta}");
            }
            assert!(!phrases.key_points.is_empty() && !phrases.conclusion.is_empty());
            conclusions.push(phrases.conclusion);
        }
        assert_eq!(
            conclusions,
            ["Conclusion", "Fazit", "Conclusion", "Conclusión", "Conclusione", "Conclusão", "Conclusie"]
        );
        assert_eq!(
            Language::English.phrases().newsletter_cta[0],
            "Reply to this email and tell us what you think."
        );
    }

    #[test]
    fn codes_are_distinct() {
        let codes = Language::ALL.map(Language::code);
        assert_eq!(codes, ["en", "de", "fr", "es", "it", "pt", "nl"]);
    }

    #[test]
    fn lists_are_sorted_lower_case_and_without_duplicates() {
        let sorted = |name: &str, list: &[&str]| {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{name}: {:?} before {:?}", pair[0], pair[1]);
            }
            for word in list {
                assert!(!word.is_empty() && word.to_lowercase() == *word, "{name}: {word:?}");
            }
        };
        sorted("english content words", ENGLISH_CONTENT_WORDS);
        for language in Language::ALL {
            let data = language.data();
            let name = format!("{language:?}");
            sorted(&name, data.words);
            sorted(&name, data.elided);
            sorted(&name, data.clitic_stems);
            sorted(&name, data.endings);
            sorted(&name, data.abbreviations);
            sorted(&name, data.months);
            assert!((150..=320).contains(&data.words.len()), "{name}: {} function words", data.words.len());
            assert!(data.abbreviations.iter().all(|a| a.ends_with('.')), "{name}");
            for opener in data.pronouns.iter().chain(data.connectives) {
                assert!(
                    opener.to_lowercase() == *opener
                        && opener.trim() == *opener
                        && !opener.contains(['\u{2019}', '\t'])
                        && !opener.contains("  "),
                    "{name}: {opener:?}"
                );
            }
        }
        for word in ENGLISH_CONTENT_WORDS {
            assert!(!Language::English.is_function_word(word), "{word}");
            assert!(Language::ALL.iter().any(|language| language.is_function_word(word)), "{word}");
        }
    }
}
