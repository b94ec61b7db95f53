//! Sentences with their byte spans in the source, and the words inside them.

use unicode_segmentation::UnicodeSegmentation;

use crate::lang::Language;

/// A sentence of the source. `text` has its whitespace collapsed and Markdown block markers
/// (and a speaker's label) removed; `source[start..end]` is where it stands in the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Index of the paragraph (block of lines) it belongs to.
    pub paragraph: usize,
    /// Index of the section: how many headings come before it.
    pub section: usize,
    pub role: Role,
    /// Who says it, in a transcript: an index into [`Segmented::speakers`].
    pub speaker: Option<usize>,
}

/// What a sentence is in the source's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A Markdown heading line (`# …`) of the given level.
    Heading(u8),
    Body,
    /// An item of a bulleted or numbered list.
    ListItem,
}

impl Sentence {
    pub fn is_heading(&self) -> bool {
        matches!(self.role, Role::Heading(_))
    }
}

/// The sentences of a source and the speakers its transcript labels name.
pub struct Segmented {
    pub sentences: Vec<Sentence>,
    pub speakers: Vec<String>,
}

/// Splits the source into sentences, block by block (blank lines and headings end a block).
/// `language` decides which abbreviations and ordinals do not end a sentence.
pub fn segment(source: &str, language: Option<Language>) -> Segmented {
    let blocks = blocks(source);
    let speakers = speakers(source, &blocks);
    let mut sentences = Vec::new();
    let mut section = 0;
    let mut speaker = None;
    for (paragraph, block) in blocks.iter().enumerate() {
        let body = &source[block.start..block.end];
        if let Some(level) = block.heading {
            section += 1;
            speaker = None;
            if let Some(sentence) = sentence_at(source, block.start, body) {
                sentences.push(Sentence {
                    paragraph,
                    section,
                    role: Role::Heading(level),
                    speaker: None,
                    ..sentence
                });
            }
            continue;
        }
        let mut start = block.start;
        if let Some((label, length)) = speaker_label(body)
            && let Some(index) = speakers.iter().position(|known| known == label)
        {
            speaker = Some(index);
            start += length;
        }
        let role = if block.list_item { Role::ListItem } else { Role::Body };
        // Line breaks inside a paragraph are just wrapping; the segmenter would treat
        // them as sentence ends. A space has the same byte length, so offsets hold.
        let flattened = source[start..block.end].replace(['\n', '\r'], " ");
        for (offset, piece) in joined_pieces(&flattened, language) {
            if let Some(sentence) = sentence_at(source, start + offset, piece) {
                sentences.push(Sentence { paragraph, section, role, speaker, ..sentence });
            }
        }
    }
    Segmented { sentences, speakers }
}

/// The segmenter's sentence pieces, with a piece that ends in an abbreviation ("Dr.", "z. B.")
/// or an ordinal before a month or a lower-case word ("am 3. Mai") joined to the next.
fn joined_pieces(text: &str, language: Option<Language>) -> Vec<(usize, &str)> {
    let mut joined: Vec<(usize, usize)> = Vec::new();
    let mut continues = false;
    for (offset, piece) in text.split_sentence_bound_indices() {
        match joined.last_mut() {
            Some((_, end)) if continues => *end = offset + piece.len(),
            _ => joined.push((offset, offset + piece.len())),
        }
        continues = ends_without_sentence_end(piece, &text[offset + piece.len()..], language);
    }
    joined.into_iter().map(|(start, end)| (start, &text[start..end])).collect()
}

fn ends_without_sentence_end(piece: &str, rest: &str, language: Option<Language>) -> bool {
    let Some(last) = piece.split_whitespace().last() else { return false };
    if !last.ends_with('.') || rest.trim().is_empty() {
        return false;
    }
    let next = rest.split_whitespace().next().unwrap_or_default();
    let next_word = next.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let stem = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    let ordinal = stem.len() > 1
        && stem.len() <= 3
        && stem[..stem.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && (next.starts_with(char::is_lowercase) || Language::ALL.iter().any(|l| l.is_month(&next_word)));
    let abbreviation = match language {
        Some(language) => language.is_abbreviation(stem),
        None => Language::ALL.iter().any(|l| l.is_abbreviation(stem)),
    };
    ordinal || abbreviation
}

struct Block {
    start: usize,
    end: usize,
    heading: Option<u8>,
    list_item: bool,
}

/// Paragraph blocks (lines up to a blank line), each heading or list item its own block.
fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize, bool)> = None;
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim();
        let content_start = line_start + (line.len() - line.trim_start().len());
        let content_end = line_start + line.trim_end().len();
        let heading = heading_level(trimmed);
        let marker = list_marker_len(trimmed);
        if (trimmed.is_empty() || heading.is_some() || marker > 0)
            && let Some((start, end, list_item)) = open.take()
        {
            blocks.push(Block { start, end, heading: None, list_item });
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(level) = heading {
            let text_start = content_start + trimmed.find(|c: char| c != '#').unwrap_or(trimmed.len());
            blocks.push(Block {
                start: text_start,
                end: content_end.max(text_start),
                heading: Some(level),
                list_item: false,
            });
        } else if marker > 0 {
            open = Some((content_start + marker, content_end, true));
        } else {
            open = Some(open.map_or((content_start, content_end, false), |(start, _, list_item)| {
                (start, content_end, list_item)
            }));
        }
    }
    if let Some((start, end, list_item)) = open {
        blocks.push(Block { start, end, heading: None, list_item });
    }
    blocks
}

/// Labels that open a paragraph ("Jerod Santo: …") and name a speaker: those that open at
/// least two paragraphs, so a one-off "Note:" or "Update:" is not taken for a person. Once the
/// source is a conversation, a full name that speaks once (the host's sign-off) counts too.
fn speakers(source: &str, blocks: &[Block]) -> Vec<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for block in blocks.iter().filter(|b| b.heading.is_none() && !b.list_item) {
        if let Some((label, _)) = speaker_label(&source[block.start..block.end]) {
            match counts.iter_mut().find(|(known, _)| *known == label) {
                Some(entry) => entry.1 += 1,
                None => counts.push((label, 1)),
            }
        }
    }
    let conversation = counts.iter().filter(|(_, count)| *count >= 2).count() >= 2;
    counts
        .into_iter()
        .filter(|(label, count)| *count >= 2 || conversation && label.split_whitespace().count() >= 2)
        .map(|(label, _)| label.to_owned())
        .collect()
}

/// Words that open a labelled line without naming a person.
const NOT_SPEAKERS: [&str; 12] = [
    "Answer",
    "Edit",
    "Example",
    "Important",
    "Note",
    "Q",
    "Question",
    "Source",
    "Tip",
    "Update",
    "Warning",
    "Why",
];

/// A speaker label at the start of a paragraph: one to three capitalised words (or an upper-case
/// role such as "HOST") before ": ". Returns the label and the byte length to skip.
pub fn speaker_label(paragraph: &str) -> Option<(&str, usize)> {
    let (label, _) = paragraph.split_once(": ")?;
    let words: Vec<&str> = label.split_whitespace().collect();
    let named = (1..=3).contains(&words.len())
        && label.len() <= 40
        && words.iter().all(|word| {
            word.starts_with(char::is_uppercase)
                && word.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
        })
        && !NOT_SPEAKERS.contains(&words[0]);
    named.then_some((label, label.len() + 2))
}

fn heading_level(line: &str) -> Option<u8> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes as u8)
}

/// Length of a list marker such as `- `, `* `, `+ ` or `12. ` at the start of a line.
fn list_marker_len(line: &str) -> usize {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return 2;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 4 && line[digits..].starts_with(". ") { digits + 2 } else { 0 }
}

/// A sentence at `start` (paragraph, section and role are filled in by the caller).
fn sentence_at(source: &str, start: usize, piece: &str) -> Option<Sentence> {
    let leading = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    let text = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let start = start + leading;
    let end = start + trimmed.len();
    debug_assert!(source.is_char_boundary(start) && source.is_char_boundary(end));
    Some(Sentence { text, start, end, paragraph: 0, section: 0, role: Role::Body, speaker: None })
}

/// Lower-cased words of a text, without stopwords or single characters.
pub fn content_words(text: &str, language: Option<Language>) -> Vec<String> {
    text.unicode_words()
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() > 1 && !is_stopword(word, language))
        .collect()
}

/// Words that carry no topic: function words of English and of the other supported
/// languages that are not English content words ("die", "war" are), and those of the
/// source's own language (so in a German post "die" is one).
pub fn is_stopword(word: &str, language: Option<Language>) -> bool {
    crate::lang::is_function_word_in_any(word)
        || language.is_some_and(|language| language.is_function_word(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_the_original_text() {
        let source = "# Big news\n\nThe bakery  switched\nto four days. Sales rose!\n\n- Waste fell by a fifth.\n- Staff kept pay.";
        let sentences = segment(source, None).sentences;
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Big news",
                "The bakery switched to four days.",
                "Sales rose!",
                "Waste fell by a fifth.",
                "Staff kept pay."
            ]
        );
        assert_eq!(sentences[0].role, Role::Heading(1));
        assert_eq!(sentences[3].role, Role::ListItem);
        assert_eq!((sentences[0].section, sentences[4].section), (1, 1));
        for sentence in &sentences {
            let original = &source[sentence.start..sentence.end];
            assert_eq!(original.split_whitespace().collect::<Vec<_>>().join(" "), sentence.text);
        }
        assert_eq!(sentences[1].paragraph, sentences[2].paragraph);
        assert_ne!(sentences[3].paragraph, sentences[4].paragraph);
    }

    #[test]
    fn stopwords_follow_the_source_language() {
        for word in ["und", "les", "para", "não", "você", "het", "che", "it's", "don’t", "yeah"] {
            assert!(is_stopword(word, None), "{word}");
        }
        assert!(!is_stopword("die", Some(Language::English)) && is_stopword("die", Some(Language::German)));
        for word in ["war", "kyros's", "bakery", "registry"] {
            assert!(!is_stopword(word, Some(Language::English)), "{word}");
        }
    }

    #[test]
    fn content_words_skip_stopwords() {
        assert_eq!(
            content_words("The bakery switched to a four-day week", Some(Language::English)),
            ["bakery", "switched", "four", "day", "week"]
        );
    }
}
