//! PDF and DOCX uploads to text.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

use quick_xml::{Reader, events::Event};

use crate::{IngestError, text::normalize_text};

/// The largest `word/document.xml` we unpack (a zip bomb guard).
const MAX_DOCX_XML_BYTES: u64 = 50 * 1024 * 1024;

/// Every page's text, lines re-flowed into paragraphs, pages separated by blank lines.
pub fn pdf_text(bytes: &[u8]) -> Result<String, IngestError> {
    // The PDF parser panics on some malformed files; a bad upload must not take the worker down.
    let pages = catch_unwind(AssertUnwindSafe(|| pdf_pages(bytes)))
        .map_err(|_| IngestError::Pdf("the file is malformed".into()))??;
    let pages: Vec<String> = pages.iter().map(|page| reflow(page)).filter(|page| !page.is_empty()).collect();
    Ok(pages.join("\n\n"))
}

/// The raw text of each page. A page that cannot be read is skipped; the file is refused only
/// when no page can be read.
fn pdf_pages(bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    let pdf_error = |error: &dyn std::fmt::Display| IngestError::Pdf(error.to_string());
    let mut document = pdf_extract::Document::load_mem(bytes).map_err(|e| pdf_error(&e))?;
    if document.is_encrypted() {
        // Many PDFs are "encrypted" with an empty password only to restrict printing or copying.
        document.decrypt("").map_err(|_| IngestError::Pdf("the file is password-protected".into()))?;
    }
    let mut pages = Vec::new();
    let mut last_error = None;
    for &number in document.get_pages().keys() {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        match pdf_extract::output_doc_page(&document, &mut output, number) {
            Ok(()) => pages.push(text),
            Err(error) => last_error = Some(error),
        }
    }
    match last_error {
        Some(error) if pages.is_empty() => Err(pdf_error(&error)),
        _ => Ok(pages),
    }
}

/// Joins wrapped lines into paragraphs; blank lines separate paragraphs. A hyphen that ends a
/// line before a lower-case word joins the word it split ("exam-" "ple" → "example"); other
/// line-final hyphens are kept ("Jean-" "Luc" → "Jean-Luc"). Page numbers alone on the first
/// or last line of the page are dropped, typographic ligatures spelt out.
fn reflow(page: &str) -> String {
    let page = expand_ligatures(page);
    let mut lines: Vec<&str> = page.lines().map(str::trim).collect();
    let is_page_number = |line: &&str| !line.is_empty() && line.chars().all(|c| c.is_ascii_digit());
    for _ in 0..2 {
        while lines.first().is_some_and(|line| line.is_empty()) {
            lines.remove(0);
        }
        while lines.last().is_some_and(|line| line.is_empty()) {
            lines.pop();
        }
        if lines.first().is_some_and(is_page_number) {
            lines.remove(0);
        }
        if lines.last().is_some_and(is_page_number) {
            lines.pop();
        }
    }
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in lines {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let split_word = current
            .strip_suffix(['-', '\u{ad}'])
            .is_some_and(|before| before.chars().next_back().is_some_and(char::is_alphabetic));
        if split_word {
            let hyphen = current.pop();
            if hyphen == Some('-') && !line.starts_with(char::is_lowercase) {
                current.push('-');
            }
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    normalize_text(&paragraphs.join("\n\n"))
}

fn expand_ligatures(text: &str) -> String {
    let mut expanded = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            'ﬀ' => expanded.push_str("ff"),
            'ﬁ' => expanded.push_str("fi"),
            'ﬂ' => expanded.push_str("fl"),
            'ﬃ' => expanded.push_str("ffi"),
            'ﬄ' => expanded.push_str("ffl"),
            'ﬅ' | 'ﬆ' => expanded.push_str("st"),
            _ => expanded.push(character),
        }
    }
    expanded
}

/// Paragraph text from `word/document.xml`, in order: each `w:p` a paragraph (headings included
/// as plain lines), `w:tab` a tab, `w:br` a line break; empty paragraphs dropped.
pub fn docx_text(bytes: &[u8]) -> Result<String, IngestError> {
    let docx_error = |error: &dyn std::fmt::Display| IngestError::Docx(error.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| docx_error(&e))?;
    let mut raw = Vec::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| docx_error(&e))?
        .take(MAX_DOCX_XML_BYTES)
        .read_to_end(&mut raw)
        .map_err(|e| docx_error(&e))?;
    let xml = String::from_utf8(raw).map_err(|_| IngestError::Docx("the document is not UTF-8".into()))?;
    let mut reader = Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut run_depth = 0usize;
    loop {
        match reader.read_event().map_err(|e| docx_error(&e))? {
            Event::Start(tag) => match tag.local_name().into_inner() {
                "t" => in_text = true,
                "r" => run_depth += 1,
                _ => {}
            },
            Event::End(tag) => match tag.local_name().into_inner() {
                "t" => in_text = false,
                "r" => run_depth = run_depth.saturating_sub(1),
                "p" => {
                    let paragraph = std::mem::take(&mut current);
                    if paragraph.chars().any(|c| !c.is_whitespace()) {
                        paragraphs.push(paragraph);
                    }
                }
                _ => {}
            },
            Event::Text(text) if in_text => current.push_str(&text.xml10_content()),
            Event::CData(text) if in_text => current.push_str(&text),
            Event::GeneralRef(reference) if in_text => {
                // Entities arrive as their own events: `&amp;` → "&", `&#233;` → "é".
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    current.push(character);
                } else {
                    let name = reference.into_inner();
                    current.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default());
                }
            }
            // Tab stops are also `w:tab`, inside paragraph properties; only a run's tab is text.
            Event::Empty(tag) if run_depth > 0 => match tag.local_name().into_inner() {
                "tab" | "ptab" => current.push('\t'),
                "br" | "cr" => current.push('\n'),
                "noBreakHyphen" => current.push('-'),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(normalize_text(&paragraphs.join("\n\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_reflowed() {
        assert_eq!(
            reflow("The bakery switched\nto a four-day week.\n\nSales rose by an exam-\nple margin."),
            "The bakery switched to a four-day week.\n\nSales rose by an example margin."
        );
    }

    #[test]
    fn hyphens_before_capitals_and_inside_lines_are_kept() {
        assert_eq!(
            reflow("Jean-\nLuc runs a four-day week -\nmostly."),
            "Jean-Luc runs a four-day week - mostly."
        );
    }

    #[test]
    fn page_numbers_and_ligatures_are_cleaned() {
        assert_eq!(reflow("\n12\n\nThe ﬁrst oﬃce.\n\n13\n"), "The first office.");
    }
}
