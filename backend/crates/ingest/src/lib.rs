//! Pure source ingestion: raw bytes in, clean NFC text out. No network, files or clock; the
//! server fetches pages and reads uploads, then hands the bytes here.

mod document;
mod html;
mod text;
mod transcript;

use serde::{Deserialize, Serialize};

pub use text::normalize_text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    Text,
    Markdown,
    Html,
    Srt,
    Vtt,
    Transcript,
    Pdf,
    Docx,
}

impl SourceFormat {
    /// The extensions accepted for uploads, for messages.
    pub const UPLOAD_EXTENSIONS: [&'static str; 7] =
        [".txt", ".md", ".html", ".srt", ".vtt", ".pdf", ".docx"];

    /// The format of an upload, from its file name's extension (case-insensitive).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => Self::Text,
            "md" | "markdown" => Self::Markdown,
            "html" | "htm" => Self::Html,
            "srt" => Self::Srt,
            "vtt" => Self::Vtt,
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            _ => return None,
        })
    }
}

/// A source turned into clean text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ingested {
    pub format: SourceFormat,
    pub title: Option<String>,
    pub byline: Option<String>,
    /// NFC text; paragraphs separated by one blank line.
    pub text: String,
    /// ISO 639-3 code, when the detection is reliable.
    pub language: Option<String>,
    /// Speakers of a transcript in order of first appearance.
    pub speakers: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum IngestError {
    #[error("the file is not valid UTF-8 text")]
    NotUtf8,
    #[error("no readable text was found in the source")]
    Empty,
    #[error("the PDF could not be read: {0}")]
    Pdf(String),
    #[error("the DOCX file could not be read: {0}")]
    Docx(String),
    #[error("the page has no readable article: {0}")]
    Html(String),
}

/// Turns raw bytes in `format` into clean text.
pub fn ingest(bytes: &[u8], format: SourceFormat) -> Result<Ingested, IngestError> {
    let plain =
        |text: String| Ingested { format, title: None, byline: None, text, language: None, speakers: vec![] };
    let ingested = match format {
        SourceFormat::Text => plain(normalize_text(utf8(bytes)?)),
        SourceFormat::Markdown => plain(text::normalize_markdown(utf8(bytes)?)),
        SourceFormat::Html => return ingest_html(utf8(bytes)?, None),
        SourceFormat::Srt | SourceFormat::Vtt => {
            let parsed = transcript::parse_cues(utf8(bytes)?, format == SourceFormat::Vtt);
            Ingested { speakers: parsed.speakers, ..plain(parsed.text) }
        }
        SourceFormat::Transcript => {
            let parsed = transcript::parse_speaker_lines(utf8(bytes)?);
            Ingested { speakers: parsed.speakers, ..plain(parsed.text) }
        }
        SourceFormat::Pdf => plain(document::pdf_text(bytes)?),
        SourceFormat::Docx => plain(document::docx_text(bytes)?),
    };
    finish(ingested)
}

/// Extracts the main article of a web page (title, byline, paragraphs) with readability.
pub fn ingest_html(html: &str, url: Option<&str>) -> Result<Ingested, IngestError> {
    let article = html::extract_article(html, url)?;
    finish(Ingested {
        format: SourceFormat::Html,
        title: article.title,
        byline: article.byline,
        text: normalize_text(&article.text),
        language: None,
        speakers: vec![],
    })
}

fn utf8(bytes: &[u8]) -> Result<&str, IngestError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| IngestError::NotUtf8)
}

/// Refuses text with nothing to read and detects the language.
fn finish(mut ingested: Ingested) -> Result<Ingested, IngestError> {
    if !ingested.text.chars().any(char::is_alphanumeric) {
        return Err(IngestError::Empty);
    }
    ingested.language = whatlang::detect(&ingested.text)
        .filter(|info| info.is_reliable())
        .map(|info| info.lang().code().to_owned());
    Ok(ingested)
}
