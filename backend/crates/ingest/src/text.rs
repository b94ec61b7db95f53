use unicode_normalization::UnicodeNormalization;

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
}
