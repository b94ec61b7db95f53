use std::io;

use unicode_normalization::UnicodeNormalization;

use crate::IngestError;

/// Normalises pasted text: NFC, LF line ends, lines trimmed, runs of spaces and tabs inside a line
/// collapsed to one space, at most one blank line between paragraphs, control characters dropped.
/// Markdown syntax (headings, bullets) and typography (smart quotes, dashes) are kept.
///
/// ```
/// assert_eq!(ingest::normalize_text("Cafe\u{301}  “au lait”\r\n\r\n\r\n- two "), "Café “au lait”\n\n- two");
/// ```
pub fn normalize_text(text: &str) -> String {
    let cleaned: String = text
        .nfc()
        .filter_map(|character| match character {
            '\u{2028}' => Some('\n'),
            '\u{2029}' => Some('\u{1e}'),
            '\n' | '\r' | '\t' => Some(character),
            '\u{feff}' | '\u{200b}' => None,
            _ if character.is_control() => None,
            _ => Some(character),
        })
        .collect();
    // A Unicode paragraph separator stands for a blank line.
    let cleaned = cleaned.replace("\r\n", "\n").replace(['\r'], "\n").replace('\u{1e}', "\n\n");
    let mut output = String::with_capacity(cleaned.len());
    let mut blank_lines = 0;
    for line in cleaned.lines() {
        let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            blank_lines += 1;
            continue;
        }
        if !output.is_empty() {
            output.push_str(if blank_lines > 0 { "\n\n" } else { "\n" });
        }
        blank_lines = 0;
        output.push_str(&collapsed);
    }
    output
}

/// Text extracted from a document, refused as soon as it grows past the character limit, so a
/// small file that expands to millions of characters is never held whole. Spaces and tabs after
/// whitespace and line breaks after a blank line are dropped as they arrive, as
/// [`normalize_text`] would drop them, so layout padding does not count against the limit.
pub struct BoundedText {
    text: String,
    /// The characters of `text` and of the parts of the document extracted before it.
    chars: usize,
    max_chars: usize,
}

impl BoundedText {
    /// Text for a part of a document whose earlier parts hold `chars_before` characters.
    pub fn new(chars_before: usize, max_chars: usize) -> Self {
        Self { text: String::new(), chars: chars_before, max_chars }
    }

    pub fn push(&mut self, character: char) -> Result<(), IngestError> {
        let redundant = match character {
            ' ' | '\t' => self.text.is_empty() || self.text.ends_with([' ', '\t', '\n']),
            '\n' => self.text.is_empty() || self.text.ends_with("\n\n"),
            _ => false,
        };
        if redundant {
            return Ok(());
        }
        self.chars += 1;
        if self.chars > self.max_chars {
            return Err(IngestError::TooLong { limit: self.max_chars });
        }
        self.text.push(character);
        Ok(())
    }

    pub fn push_str(&mut self, text: &str) -> Result<(), IngestError> {
        text.chars().try_for_each(|character| self.push(character))
    }

    /// The characters of the whole document so far.
    pub fn chars(&self) -> usize {
        self.chars
    }

    pub fn is_full(&self) -> bool {
        self.chars > self.max_chars
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// pdf-extract writes the text it finds to an `io::Write`, one `str` at a time.
impl io::Write for BoundedText {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let text = std::str::from_utf8(bytes).map_err(io::Error::other)?;
        self.push_str(text).map_err(io::Error::other)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_and_line_ends_are_normalised() {
        assert_eq!(normalize_text("  a   b \r\n\r\n\r\n c\td  \n"), "a b\n\nc d");
        assert_eq!(normalize_text("one\rtwo\u{2029}three\u{2028}four"), "one\ntwo\n\nthree\nfour");
        assert_eq!(normalize_text("# Title\n- one\n- two"), "# Title\n- one\n- two");
    }

    #[test]
    fn text_is_nfc_with_smart_quotes_kept() {
        assert_eq!(normalize_text("Cafe\u{301} “quoted” — it’s"), "Café “quoted” — it’s");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(normalize_text("bell\u{7} and\u{0} null\u{200b}"), "bell and null");
    }

    #[test]
    fn bounded_text_drops_what_normalising_drops_and_stops_past_its_limit() {
        let mut text = BoundedText::new(0, 14);
        text.push_str("  one \t  two\n\n\n\n  three").unwrap();
        assert_eq!(text.chars(), "one two\n\nthree".len());
        assert_eq!(text.push('!'), Err(IngestError::TooLong { limit: 14 }));
        assert!(text.is_full());
        assert_eq!(normalize_text(&text.into_string()), "one two\n\nthree");
        let mut next_page = BoundedText::new(10, 12);
        assert_eq!(next_page.push_str("abc"), Err(IngestError::TooLong { limit: 12 }));
    }
}
