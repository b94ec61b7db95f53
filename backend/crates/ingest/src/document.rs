//! PDF and DOCX uploads to text.

use std::io::{Cursor, Read};

use quick_xml::{Reader, events::Event};

use crate::{IngestError, text::normalize_text};

/// The largest `word/document.xml` we unpack (a zip bomb guard).
const MAX_DOCX_XML_BYTES: u64 = 50 * 1024 * 1024;

/// Every page's text, lines re-flowed into paragraphs.
pub fn pdf_text(bytes: &[u8]) -> Result<String, IngestError> {
    // The PDF parser can panic on malformed files; a bad upload must not take the worker down.
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| IngestError::Pdf("the file is malformed".into()))?
        .map_err(|error| IngestError::Pdf(error.to_string()))?;
    Ok(reflow(&extracted))
}

/// Joins wrapped lines into paragraphs; blank lines (and page breaks) separate paragraphs,
/// and a hyphen that ends a line joins the word it split.
fn reflow(text: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.replace('\u{c}', "\n\n").lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if current.ends_with('-') && current.chars().rev().nth(1).is_some_and(char::is_alphabetic) {
            current.pop();
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

/// Paragraph text from `word/document.xml`, in order; empty paragraphs dropped.
pub fn docx_text(bytes: &[u8]) -> Result<String, IngestError> {
    let docx_error = |error: &dyn std::fmt::Display| IngestError::Docx(error.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| docx_error(&e))?;
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .map_err(|e| docx_error(&e))?
        .take(MAX_DOCX_XML_BYTES)
        .read_to_string(&mut xml)
        .map_err(|e| docx_error(&e))?;
    let mut reader = Reader::from_str(&xml);
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| docx_error(&e))? {
            Event::Start(tag) if tag.local_name().into_inner() == "t" => in_text = true,
            Event::End(tag) if tag.local_name().into_inner() == "t" => in_text = false,
            Event::Text(text) if in_text => {
                current.push_str(&text.xml10_content());
            }
            Event::GeneralRef(reference) if in_text => {
                // Entities arrive as their own events: `&amp;` → "&", `&#233;` → "é".
                if let Ok(Some(character)) = reference.resolve_char_ref() {
                    current.push(character);
                } else {
                    let name = reference.into_inner();
                    current.push_str(quick_xml::escape::resolve_predefined_entity(&name).unwrap_or_default());
                }
            }
            Event::Empty(tag) if tag.local_name().into_inner() == "tab" => current.push('\t'),
            Event::Empty(tag) if tag.local_name().into_inner() == "br" => current.push('\n'),
            Event::End(tag) if tag.local_name().into_inner() == "p" => {
                if !current.trim().is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
                current.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(normalize_text(&paragraphs.join("\n\n")))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::{SourceFormat, ingest};

    fn docx(body: &str) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn docx_paragraphs_come_back_in_order() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Four-day week</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">Sales rose </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>four percent</w:t></w:r><w:r><w:t> &amp; waste fell.</w:t></w:r></w:p>
            <w:p></w:p><w:p><w:r><w:t>Staff</w:t><w:tab/><w:t>kept their pay.</w:t></w:r></w:p>"#;
        let ingested = ingest(&docx(body), SourceFormat::Docx).unwrap();
        assert_eq!(
            ingested.text,
            "Four-day week\n\nSales rose four percent & waste fell.\n\nStaff kept their pay."
        );
    }

    #[test]
    fn broken_documents_are_reported() {
        assert!(matches!(ingest(b"not a zip", SourceFormat::Docx), Err(IngestError::Docx(_))));
        assert!(matches!(ingest(b"%PDF-1.4 broken", SourceFormat::Pdf), Err(IngestError::Pdf(_))));
    }

    #[test]
    fn a_real_pdf_yields_its_text() {
        let pdf = include_bytes!("../tests/fixtures/bakery.pdf");
        let ingested = ingest(pdf, SourceFormat::Pdf).unwrap();
        assert!(ingested.text.contains("four-day week"), "{}", ingested.text);
        assert!(ingested.text.contains("Waste fell by a fifth"), "{}", ingested.text);
    }

    #[test]
    fn wrapped_lines_are_reflowed() {
        assert_eq!(
            reflow("The bakery switched\nto a four-day week.\n\nSales rose by an exam-\nple margin."),
            "The bakery switched to a four-day week.\n\nSales rose by an example margin."
        );
    }
}
