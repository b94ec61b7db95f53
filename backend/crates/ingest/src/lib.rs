//! Pure source ingestion: raw bytes in, clean NFC text out.
//!
//! Pasted text, Markdown, web pages (readability), subtitles (SRT, WebVTT), speaker transcripts,
//! PDF and DOCX files become plain paragraphs separated by blank lines, with the title, byline,
//! speakers and language where the source has them. No network, files or clock: the server
//! fetches pages and reads uploads, then hands the bytes here.
//!
//! Sources are untrusted, so every format is bounded: the text may hold at most
//! [`Limits::max_chars`] characters (documents stop extracting as soon as they pass it), a web
//! page may nest its markup at most [`MAX_HTML_DEPTH`] levels deep, a PDF's compressed streams
//! may decode to at most [`MAX_PDF_INFLATED_BYTES`], its form XObjects may nest at most
//! [`MAX_PDF_FORM_DEPTH`] deep, never in a loop, and be drawn at most [`MAX_PDF_FORM_DRAWS`]
//! times, its pages may make the parser read at most [`MAX_PDF_DRAWN_CONTENT_BYTES`] of content
//! and inherit their resources through at most [`MAX_PDF_PAGE_TREE_DEPTH`] ancestors, its
//! fonts' character maps may nest at most [`MAX_PDF_CMAP_DEPTH`] deep, and a DOCX's text markup may unpack to at most [`MAX_DOCX_XML_BYTES`].

mod document;
mod html;
mod markdown;
mod nesting;
mod pdf_fonts;
mod pdf_forms;
mod pdf_streams;
mod text;
mod transcript;

use serde::{Deserialize, Serialize};

pub use document::MAX_DOCX_XML_BYTES;
pub use nesting::MAX_HTML_DEPTH;
pub use pdf_fonts::MAX_PDF_CMAP_DEPTH;
pub use pdf_forms::{
    MAX_PDF_DRAWN_CONTENT_BYTES, MAX_PDF_FORM_DEPTH, MAX_PDF_FORM_DRAWS, MAX_PDF_PAGE_TREE_DEPTH,
};
pub use pdf_streams::MAX_PDF_INFLATED_BYTES;
pub use text::normalize_text;

/// The kind of source the bytes hold.
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
    /// The extensions accepted for uploads, for error messages.
    pub const UPLOAD_EXTENSIONS: [&'static str; 8] =
        [".txt", ".md", ".mdx", ".html", ".srt", ".vtt", ".pdf", ".docx"];

    /// The format of an upload from its file name's extension (.txt .md .markdown .html .htm .srt
    /// .vtt .pdf .docx), case-insensitive; None for anything else.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" => Self::Text,
            "md" | "markdown" | "mdx" => Self::Markdown,
            "html" | "htm" => Self::Html,
            "srt" => Self::Srt,
            "vtt" => Self::Vtt,
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            _ => return None,
        })
    }
}

/// How much an ingestion may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most characters the clean text may hold; a longer source is refused with
    /// [`IngestError::TooLong`].
    pub max_chars: usize,
}

impl Default for Limits {
    /// 200,000 characters, about 35,000 words: more than a long report or a two-hour transcript.
    fn default() -> Self {
        Self { max_chars: 200_000 }
    }
}

/// A format by name (`text`, `markdown`, `html`, `srt`, `vtt`, `transcript`, `pdf`, `docx`),
/// as `kyros repurpose --format-in` takes it.
impl std::str::FromStr for SourceFormat {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "text" => Self::Text,
            "markdown" => Self::Markdown,
            "html" => Self::Html,
            "srt" => Self::Srt,
            "vtt" => Self::Vtt,
            "transcript" => Self::Transcript,
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            other => {
                return Err(format!(
                    "`{other}` is not a source format; use text, markdown, html, srt, vtt, transcript, pdf or docx"
                ));
            }
        })
    }
}

/// A source turned into clean text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ingested {
    pub format: SourceFormat,
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Clean text, NFC-normalised: paragraphs separated by one blank line ("\n\n"), no runs of
    /// spaces, smart quotes kept, no markup.
    pub text: String,
    /// ISO 639-3 code from whatlang (e.g. "eng"), None when unreliable or too short.
    pub language: Option<String>,
    /// Speaker names in order of first appearance (transcripts), empty otherwise.
    pub speakers: Vec<String>,
}

/// Why a source gave no text.
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
    #[error("the page nests its markup more than {limit} levels deep")]
    TooDeep { limit: usize },
    #[error("the text is longer than the {limit}-character limit")]
    TooLong { limit: usize },
    #[error("the file expands to more than {} MiB when decompressed", .limit_bytes / (1024 * 1024))]
    TooLarge { limit_bytes: u64 },
}

/// Turns raw bytes in the given format into clean text.
///
/// Text formats must be UTF-8 (a byte order mark is ignored). Every format fails with
/// [`IngestError::Empty`] when the result has no letter or digit, except HTML, which reports a
/// page without readable text as [`IngestError::Html`], and with [`IngestError::TooLong`] when
/// the text is longer than `limits` allow.
///
/// ```
/// use ingest::{Limits, SourceFormat, ingest};
///
/// let srt = "1\n00:00:01,000 --> 00:00:03,000\nHOST: Welcome <i>back</i>.\n\n\
///            2\n00:00:03,500 --> 00:00:05,000\nGUEST: Thanks.\n";
/// let ingested = ingest(srt.as_bytes(), SourceFormat::Srt, Limits::default()).unwrap();
/// assert_eq!(ingested.text, "HOST: Welcome back.\n\nGUEST: Thanks.");
/// assert_eq!(ingested.speakers, ["HOST", "GUEST"]);
/// ```
pub fn ingest(bytes: &[u8], format: SourceFormat, limits: Limits) -> Result<Ingested, IngestError> {
    let plain =
        |text: String| Ingested { format, title: None, byline: None, text, language: None, speakers: vec![] };
    let ingested = match format {
        SourceFormat::Markdown => markdown_source(format, utf8(bytes)?),
        // Markdown pasted as plain text is still Markdown.
        SourceFormat::Text => {
            let text = utf8(bytes)?;
            if markdown::looks_like_markdown(text) {
                markdown_source(format, text)
            } else {
                plain(normalize_text(text))
            }
        }
        SourceFormat::Html => return ingest_html(utf8(bytes)?, None, limits),
        SourceFormat::Srt | SourceFormat::Vtt => {
            let parsed = transcript::parse_cues(utf8(bytes)?, format == SourceFormat::Vtt);
            Ingested { speakers: parsed.speakers, ..plain(parsed.text) }
        }
        SourceFormat::Transcript => {
            let parsed = transcript::parse_speaker_lines(utf8(bytes)?);
            Ingested { speakers: parsed.speakers, ..plain(parsed.text) }
        }
        SourceFormat::Pdf => plain(document::pdf_text(bytes, limits.max_chars)?),
        SourceFormat::Docx => plain(document::docx_text(bytes, limits.max_chars)?),
    };
    finish(ingested, limits)
}

/// Extracts the main article (title, byline, body paragraphs) from a web page with readability;
/// `url` (the page's final URL) helps resolve relative links and may be None. When readability
/// finds no article, the page's visible body text is used instead. A page nesting its markup
/// deeper than [`MAX_HTML_DEPTH`] is refused with [`IngestError::TooDeep`] before it is parsed.
pub fn ingest_html(html: &str, url: Option<&str>, limits: Limits) -> Result<Ingested, IngestError> {
    check_html_depth(html)?;
    let (title, author, html) = markdown::split_front_matter(html);
    let article = html::extract_article(html, url)?;
    let title = title.or(article.title);
    let text = match &title {
        Some(title) if !article.text.trim_start().starts_with('#') => {
            format!("# {title}\n\n{}", article.text)
        }
        _ => article.text,
    };
    finish(
        Ingested {
            format: SourceFormat::Html,
            title,
            byline: article.byline.or(author),
            text: normalize_text(&text),
            language: None,
            speakers: vec![],
        },
        limits,
    )
}

/// Refuses markup nested deeper than [`MAX_HTML_DEPTH`] without parsing it: HTML parsers and the
/// tree walks after them recurse, so deeper markup could overflow a thread's stack. Callers that
/// hand HTML to a parser themselves (a sanitiser, say) check it here first.
pub fn check_html_depth(html: &str) -> Result<(), IngestError> {
    if nesting::estimated_depth(html, MAX_HTML_DEPTH) > MAX_HTML_DEPTH {
        return Err(IngestError::TooDeep { limit: MAX_HTML_DEPTH });
    }
    Ok(())
}

fn markdown_source(format: SourceFormat, text: &str) -> Ingested {
    let cleaned = markdown::clean(text);
    Ingested {
        format,
        title: cleaned.title,
        byline: cleaned.byline,
        text: normalize_text(&cleaned.text),
        language: None,
        speakers: vec![],
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, IngestError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| IngestError::NotUtf8)
}

/// Fewer letters than this are too few to name a language.
const MIN_LANGUAGE_LETTERS: usize = 20;
/// The language is detected on the start of the text; more adds time, not accuracy.
const LANGUAGE_SAMPLE_CHARS: usize = 4_000;

/// Refuses text with nothing to read or more than the limit allows, and detects the language.
/// Text formats and web pages are measured here, once their text is built: it is at most a few
/// times the size of the source the caller already holds.
fn finish(mut ingested: Ingested, limits: Limits) -> Result<Ingested, IngestError> {
    if !ingested.text.chars().any(char::is_alphanumeric) {
        return Err(IngestError::Empty);
    }
    if ingested.text.chars().count() > limits.max_chars {
        return Err(IngestError::TooLong { limit: limits.max_chars });
    }
    ingested.language = detect_language(&ingested.text);
    Ok(ingested)
}

fn detect_language(text: &str) -> Option<String> {
    let sample = match text.char_indices().nth(LANGUAGE_SAMPLE_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    };
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LANGUAGE_LETTERS {
        return None;
    }
    whatlang::detect(sample).filter(whatlang::Info::is_reliable).map(|info| info.lang().code().to_owned())
}
