//! Sources: turning what a user gives us (text, HTML, a transcript, a URL, an upload) into
//! the clean text a job repurposes.

pub mod fetch;
pub mod model;
pub mod uploads;

use ingest::{IngestError, SourceFormat};
use uuid::Uuid;

use crate::{
    error::{ApiError, FieldError},
    state::AppState,
};
use fetch::{FetchError, FetchPolicy, fetch_page};
use model::{Source, SourceInput, SourceKind};

pub const MAX_SOURCE_CHARS: usize = 200_000;
/// What ingestion may produce: extraction stops as soon as the text passes the source limit.
pub const LIMITS: ingest::Limits = ingest::Limits { max_chars: MAX_SOURCE_CHARS };

/// Ingests a source. URL sources are fetched now, so a refused or broken URL is reported to
/// the user at once, and retries regenerate from the same text.
#[tracing::instrument(name = "ingest", skip_all)]
pub async fn resolve(state: &AppState, owner_id: Uuid, input: SourceInput) -> Result<Source, ApiError> {
    let source = match input {
        SourceInput::Text { content } => pasted(
            SourceKind::Text,
            read(move || ingest::ingest(content.as_bytes(), SourceFormat::Text, LIMITS)).await?,
        )?,
        SourceInput::Markdown { content } => pasted(
            SourceKind::Markdown,
            read(move || ingest::ingest(content.as_bytes(), SourceFormat::Markdown, LIMITS)).await?,
        )?,
        SourceInput::Html { content } => {
            pasted(SourceKind::Html, read(move || ingest::ingest_html(&content, None, LIMITS)).await?)?
        }
        SourceInput::Transcript { content } => {
            let format = transcript_format(&content);
            pasted(
                SourceKind::Transcript,
                read(move || ingest::ingest(content.as_bytes(), format, LIMITS)).await?,
            )?
        }
        SourceInput::Url { url } => from_url(state, &url).await?,
        SourceInput::Upload { upload_id } => uploads::source_from_upload(state, owner_id, upload_id).await?,
    };
    if source.content.chars().count() > MAX_SOURCE_CHARS {
        return Err(ApiError::field(
            "source",
            format!("the text must be at most {MAX_SOURCE_CHARS} characters"),
        ));
    }
    Ok(source)
}

/// Parses untrusted input in the bounded CPU pool, off the async runtime.
async fn read(
    parse: impl FnOnce() -> Result<ingest::Ingested, IngestError> + Send + 'static,
) -> Result<Result<ingest::Ingested, IngestError>, ApiError> {
    Ok(crate::cpu::CONTENT.run(parse).await?)
}

/// SRT and WebVTT pasted as text are recognised by their markers.
fn transcript_format(content: &str) -> SourceFormat {
    let start = content.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("WEBVTT") {
        SourceFormat::Vtt
    } else if content.contains("-->") {
        SourceFormat::Srt
    } else {
        SourceFormat::Transcript
    }
}

fn pasted(kind: SourceKind, result: Result<ingest::Ingested, IngestError>) -> Result<Source, ApiError> {
    let source =
        result.map(|ingested| Source::from_ingested(kind, ingested)).map_err(|error| match error {
            IngestError::Empty => ApiError::field("source.content", "paste some text to repurpose"),
            other => ApiError::field("source.content", other.to_string()),
        })?;
    if source.content.chars().count() > MAX_SOURCE_CHARS {
        return Err(ApiError::field(
            "source.content",
            format!("must be at most {MAX_SOURCE_CHARS} characters"),
        ));
    }
    Ok(source)
}

async fn from_url(state: &AppState, url: &str) -> Result<Source, ApiError> {
    let field = |message: String| ApiError::Validation(vec![FieldError::new("source.url", message)]);
    let page = fetch_page(url, &FetchPolicy::of(&state.config)).await.map_err(|error: FetchError| {
        tracing::info!(url, %error, "URL ingestion refused");
        field(format!("The URL {error}."))
    })?;
    let final_url = page.final_url.to_string();
    let page_url = final_url.clone();
    let ingested = read(move || ingest::ingest_html(&page.body, Some(&page_url), LIMITS))
        .await?
        .map_err(|error| field(format!("We could not read an article on that page: {error}.")))?;
    let mut source = Source::from_ingested(SourceKind::Url, ingested);
    source.url = Some(final_url);
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_transcripts_are_recognised() {
        assert_eq!(transcript_format("WEBVTT\n\n00:00.000 --> 00:01.000\nHi"), SourceFormat::Vtt);
        assert_eq!(transcript_format("1\n00:00:01,000 --> 00:00:02,000\nHi"), SourceFormat::Srt);
        assert_eq!(transcript_format("Alice: Hi.\nBob: Hello."), SourceFormat::Transcript);
    }
}
