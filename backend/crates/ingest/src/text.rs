use unicode_normalization::UnicodeNormalization;

/// NFC, LF line ends, single spaces inside lines, at most one blank line between paragraphs.
/// Markdown syntax and smart quotes are kept.
pub fn normalize_text(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let mut output = String::with_capacity(nfc.len());
    let mut blank_lines = 0;
    for line in nfc.replace("\r\n", "\n").replace('\r', "\n").lines() {
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
    use super::normalize_text;

    #[test]
    fn whitespace_and_line_ends_are_normalised() {
        assert_eq!(normalize_text("  a   b \r\n\r\n\r\n c\td  \n"), "a b\n\nc d");
        assert_eq!(normalize_text("# Title\n- one\n- two"), "# Title\n- one\n- two");
    }

    #[test]
    fn text_is_nfc_with_smart_quotes_kept() {
        assert_eq!(normalize_text("Cafe\u{301} “quoted” — it’s"), "Café “quoted” — it’s");
    }
}
