//! Sentences with their byte spans in the source, and the words inside them.

use unicode_segmentation::UnicodeSegmentation;

/// A sentence of the source. `text` has its whitespace collapsed and Markdown block markers
/// removed; `source[start..end]` is where it stands in the original.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Index of the paragraph (block of lines) it belongs to.
    pub paragraph: usize,
    /// A Markdown heading line (`# …`).
    pub heading: Option<u8>,
}

/// Splits the source into sentences, block by block (blank lines and headings end a block).
pub fn segment(source: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    for (paragraph, block) in blocks(source).into_iter().enumerate() {
        let body = &source[block.start..block.end];
        if let Some(level) = block.heading {
            if let Some(sentence) = sentence_at(source, block.start, body, paragraph, Some(level)) {
                sentences.push(sentence);
            }
        } else {
            // Line breaks inside a paragraph are just wrapping; the segmenter would treat
            // them as sentence ends. A space has the same byte length, so offsets hold.
            let flattened = body.replace(['\n', '\r'], " ");
            for (offset, piece) in flattened.split_sentence_bound_indices() {
                if let Some(sentence) = sentence_at(source, block.start + offset, piece, paragraph, None) {
                    sentences.push(sentence);
                }
            }
        }
    }
    sentences
}

struct Block {
    start: usize,
    end: usize,
    heading: Option<u8>,
}

/// Paragraph blocks (lines up to a blank line), each heading or list item its own block.
fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize)> = None;
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
            && let Some((start, end)) = open.take()
        {
            blocks.push(Block { start, end, heading: None });
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(level) = heading {
            let text_start = content_start + trimmed.find(|c: char| c != '#').unwrap_or(trimmed.len());
            blocks.push(Block { start: text_start, end: content_end.max(text_start), heading: Some(level) });
        } else if marker > 0 {
            open = Some((content_start + marker, content_end));
        } else {
            open = Some(open.map_or((content_start, content_end), |(start, _)| (start, content_end)));
        }
    }
    if let Some((start, end)) = open {
        blocks.push(Block { start, end, heading: None });
    }
    blocks
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

fn sentence_at(
    source: &str,
    start: usize,
    piece: &str,
    paragraph: usize,
    heading: Option<u8>,
) -> Option<Sentence> {
    let leading = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    let text = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.chars().any(char::is_alphanumeric) {
        return None;
    }
    let start = start + leading;
    let end = start + trimmed.len();
    debug_assert!(source.is_char_boundary(start) && source.is_char_boundary(end));
    Some(Sentence { text, start, end, paragraph, heading })
}

/// Lower-cased words of a text, without stopwords or single characters.
pub fn content_words(text: &str) -> Vec<String> {
    text.unicode_words()
        .map(str::to_lowercase)
        .filter(|word| word.chars().count() > 1 && !is_stopword(word))
        .collect()
}

/// Function words that carry no topic: common English ones, the most common ones of German,
/// French, Spanish, Portuguese, Italian and Dutch (so a pasted German post does not get #Die
/// or #Und), spoken fillers, and contractions of any of them ("it's", "don't"). Words the other
/// languages share with English content words ("war", "hat", "man") are not in the second list.
pub fn is_stopword(word: &str) -> bool {
    if let Some((stem, _)) = word.split_once(['\'', '’']) {
        return is_stopword(stem) || NEGATED_AUXILIARIES.contains(&stem);
    }
    STOPWORDS.binary_search(&word).is_ok() || OTHER_FUNCTION_WORDS.binary_search(&word).is_ok()
}

/// The stems of English negative contractions ("don't", "isn't").
const NEGATED_AUXILIARIES: [&str; 14] = [
    "aren", "can", "couldn", "didn", "doesn", "don", "hasn", "haven", "isn", "shouldn", "wasn", "weren",
    "won", "wouldn",
];

const OTHER_FUNCTION_WORDS: [&str; 385] = [
    "aan", "aber", "al", "algo", "algunos", "alle", "alors", "als", "anche", "ante", "antes", "ao", "aos",
    "aquí", "até", "au", "auch", "aucun", "auf", "aus", "aussi", "autre", "aux", "avec", "avoir", "bei",
    "bij", "bis", "bist", "cada", "ce", "ceci", "cela", "ces", "cet", "cette", "chaque", "che", "chi", "ci",
    "com", "comme", "como", "con", "contra", "cosa", "cual", "cuando", "da", "dal", "dalla", "damit", "dan",
    "dann", "dans", "das", "dass", "dat", "de", "dei", "del", "dele", "della", "delle", "dem", "den", "denn",
    "depois", "der", "des", "desde", "deze", "di", "dich", "die", "dir", "dit", "doch", "donc", "donde",
    "door", "dort", "dos", "dove", "du", "durante", "durch", "een", "ein", "eine", "einem", "einen", "einer",
    "eines", "el", "ela", "ele", "eles", "ella", "ellas", "elle", "elles", "ellos", "em", "en", "encore",
    "entre", "er", "era", "es", "esa", "ese", "eso", "essa", "esse", "est", "esta", "este", "esto", "estos",
    "está", "están", "estão", "et", "eu", "euch", "euer", "eux", "foi", "fue", "für", "geen", "gli", "ha",
    "haar", "hanno", "hatte", "hay", "hem", "het", "hier", "hij", "hmm", "hoe", "hun", "há", "ich", "ihm",
    "ihn", "ihnen", "ihr", "ihre", "ik", "il", "ils", "im", "io", "isso", "ist", "isto", "ja", "je", "jede",
    "jedem", "jeden", "jeder", "jedes", "jetzt", "já", "kan", "kann", "kein", "keine", "können", "la", "las",
    "le", "lei", "les", "leur", "leurs", "lhe", "lo", "loro", "los", "lui", "ma", "maar", "mais", "mas",
    "meer", "mes", "mesmo", "met", "meu", "mi", "mich", "mijn", "minha", "mir", "mit", "moi", "molto", "mon",
    "muito", "muss", "muy", "más", "même", "na", "naar", "nach", "nada", "nas", "ne", "nel", "nella", "nem",
    "ni", "nicht", "niet", "noch", "nog", "noi", "non", "nos", "notre", "nous", "nu", "num", "numa", "nun",
    "nur", "não", "nós", "ob", "oder", "oh", "ohne", "ok", "okay", "om", "onder", "ons", "ont", "ook", "op",
    "os", "otra", "otro", "ou", "où", "par", "para", "pas", "pela", "pelo", "per", "pero", "peut", "più",
    "plus", "poco", "pode", "por", "porque", "pour", "puede", "può", "quale", "quand", "quando", "que",
    "quel", "quelle", "quem", "questa", "questo", "qui", "quien", "sa", "sans", "se", "sehr", "sein",
    "seine", "sem", "sempre", "ser", "ses", "seu", "seus", "si", "sich", "sie", "sin", "sind", "sobre",
    "sollte", "sono", "sont", "su", "sua", "suas", "suo", "sur", "sus", "são", "ta", "también", "também",
    "te", "tem", "tes", "tiene", "todo", "todos", "toi", "ton", "tot", "tous", "tout", "toute", "tra",
    "très", "tu", "tutti", "tutto", "uh", "uit", "um", "uma", "un", "una", "und", "une", "uno", "unos",
    "uns", "unser", "unsere", "usted", "van", "veel", "você", "vocês", "voi", "vom", "von", "voor", "vor",
    "vos", "votre", "vous", "wann", "warum", "wat", "weil", "wel", "wenn", "werden", "wie", "wieder", "wij",
    "wir", "wird", "wo", "wurde", "ya", "yeah", "yep", "yo", "zal", "ze", "zich", "zij", "zijn", "zo", "zu",
    "zum", "zur", "às", "été", "être", "über",
];

const STOPWORDS: [&str; 136] = [
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for",
    "from", "further", "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him",
    "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "just", "last", "less", "like",
    "made", "make", "many", "may", "me", "might", "more", "most", "much", "must", "my", "new", "no", "nor",
    "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own",
    "said", "same", "says", "she", "should", "so", "some", "still", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "us", "very", "was", "we", "were", "what", "when", "which", "while", "who", "why", "will", "with",
    "would", "you", "your",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(OTHER_FUNCTION_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn spans_point_at_the_original_text() {
        let source = "# Big news\n\nThe bakery  switched\nto four days. Sales rose!\n\n- Waste fell by a fifth.\n- Staff kept pay.";
        let sentences = segment(source);
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
        assert_eq!(sentences[0].heading, Some(1));
        for sentence in &sentences {
            let original = &source[sentence.start..sentence.end];
            assert_eq!(original.split_whitespace().collect::<Vec<_>>().join(" "), sentence.text);
        }
        assert_eq!(sentences[1].paragraph, sentences[2].paragraph);
        assert_ne!(sentences[3].paragraph, sentences[4].paragraph);
    }

    #[test]
    fn function_words_of_other_languages_and_contractions_are_stopwords() {
        for word in ["die", "und", "les", "para", "não", "você", "het", "che", "it's", "don’t", "yeah"] {
            assert!(is_stopword(word), "{word}");
        }
        for word in ["war", "kyros's", "bakery", "registry"] {
            assert!(!is_stopword(word), "{word}");
        }
    }

    #[test]
    fn content_words_skip_stopwords() {
        assert_eq!(
            content_words("The bakery switched to a four-day week"),
            ["bakery", "switched", "four", "day", "week"]
        );
    }
}
