//! PDF and DOCX uploads to text.

use std::io::{BufReader, Cursor, Read, Take};
use std::panic::{AssertUnwindSafe, catch_unwind};

use quick_xml::{Reader, events::Event};

use crate::IngestError;
use crate::pdf_forms::check_drawn_forms;
use crate::pdf_streams::{check_loaded_streams, check_raw_streams};
use crate::text::{BoundedText, normalize_text};

/// The most bytes of `word/document.xml` that are unpacked (a zip bomb guard). A document
/// within the text limit needs a few MiB even with heavy formatting; the markup is read as a
/// stream, so memory stays small whatever the size.
pub const MAX_DOCX_XML_BYTES: u64 = 16 * 1024 * 1024;

/// Every page's text, lines re-flowed into paragraphs, pages separated by blank lines; refused
/// as soon as it holds more than `max_chars` characters.
pub fn pdf_text(bytes: &[u8], max_chars: usize) -> Result<String, IngestError> {
    check_raw_streams(bytes)?;
    // The PDF parser panics on some malformed files; a bad upload must not take the worker down.
    let pages = catch_unwind(AssertUnwindSafe(|| pdf_pages(bytes, max_chars)))
        .map_err(|_| IngestError::Pdf("the file is malformed".into()))??;
    let pages: Vec<String> = pages.iter().map(|page| reflow(page)).filter(|page| !page.is_empty()).collect();
    Ok(pages.join("\n\n"))
}

/// The raw text of each page. A page that cannot be read is skipped; the file is refused only
/// when no page can be read.
fn pdf_pages(bytes: &[u8], max_chars: usize) -> Result<Vec<String>, IngestError> {
    let pdf_error = |error: &dyn std::fmt::Display| IngestError::Pdf(error.to_string());
    let mut document = pdf_extract::Document::load_mem(bytes).map_err(|e| pdf_error(&e))?;
    if document.is_encrypted() {
        // Many PDFs are "encrypted" with an empty password only to restrict printing or copying.
        document.decrypt("").map_err(|_| IngestError::Pdf("the file is password-protected".into()))?;
    }
    check_loaded_streams(&document)?;
    check_drawn_forms(&document)?;
    let mut pages = Vec::new();
    let mut chars = 0;
    let mut last_error = None;
    for &number in document.get_pages().keys() {
        let mut text = BoundedText::new(chars, max_chars);
        let mut output = pdf_extract::PlainTextOutput::new(&mut text as &mut dyn std::io::Write);
        match pdf_extract::output_doc_page(&document, &mut output, number) {
            Ok(()) => {
                chars = text.chars();
                pages.push(text.into_string());
            }
            Err(_) if text.is_full() => return Err(IngestError::TooLong { limit: max_chars }),
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
/// as plain lines), `w:tab` a tab, `w:br` a line break; empty paragraphs dropped. The markup is
/// read as it is unzipped, and refused as soon as the text holds more than `max_chars`
/// characters.
pub fn docx_text(bytes: &[u8], max_chars: usize) -> Result<String, IngestError> {
    let docx_error = |error: &dyn std::fmt::Display| IngestError::Docx(error.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| docx_error(&e))?;
    let markup = archive.by_name("word/document.xml").map_err(|e| docx_error(&e))?;
    let mut reader = Reader::from_reader(BufReader::new(markup.take(MAX_DOCX_XML_BYTES)));
    let mut text = BoundedText::new(0, max_chars);
    let mut event_bytes = Vec::new();
    let mut in_text = false;
    let mut run_depth = 0usize;
    loop {
        event_bytes.clear();
        let event = match reader.read_event_into(&mut event_bytes) {
            Ok(event) => event,
            Err(_) if unpacked_to_the_cap(&reader) => {
                return Err(IngestError::TooLarge { limit_bytes: MAX_DOCX_XML_BYTES });
            }
            Err(error) => return Err(docx_error(&error)),
        };
        match event {
            Event::Start(tag) => match tag.local_name().into_inner() {
                "t" => in_text = true,
                "r" => run_depth += 1,
                _ => {}
            },
            Event::End(tag) => match tag.local_name().into_inner() {
                "t" => in_text = false,
                "r" => run_depth = run_depth.saturating_sub(1),
                // A paragraph ends in a blank line, which an empty paragraph adds nothing to.
                "p" => text.push_str("\n\n")?,
                _ => {}
            },
            Event::Text(content) if in_text => text.push_str(&content.xml10_content())?,
            Event::CData(content) if in_text => text.push_str(&content)?,
            Event::GeneralRef(reference) if in_text => {
                // Entities arrive as their own events: `&amp;` → "&", `&#233;` → "é".
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    text.push(character)?;
                } else {
                    let name = reference.into_inner();
                    text.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default())?;
                }
            }
            // Tab stops are also `w:tab`, inside paragraph properties; only a run's tab is text.
            Event::Empty(tag) if run_depth > 0 => match tag.local_name().into_inner() {
                "tab" | "ptab" => text.push('\t')?,
                "br" | "cr" => text.push('\n')?,
                "noBreakHyphen" => text.push('-')?,
                _ => {}
            },
            Event::Eof if unpacked_to_the_cap(&reader) => {
                return Err(IngestError::TooLarge { limit_bytes: MAX_DOCX_XML_BYTES });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(normalize_text(&text.into_string()))
}

/// Whether the markup was read up to the cap, where it is cut off: what follows would read as a
/// truncated document.
fn unpacked_to_the_cap<R: Read>(reader: &Reader<BufReader<Take<R>>>) -> bool {
    reader.get_ref().get_ref().limit() == 0
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
