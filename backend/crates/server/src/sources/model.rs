use sea_orm::{DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Where a job's content comes from, as a client sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum SourceInput {
    /// Pasted plain text.
    Text { content: String },
    /// Pasted Markdown.
    Markdown { content: String },
    /// Pasted HTML; the main article is extracted.
    Html { content: String },
    /// A pasted transcript: SRT, WebVTT or "Speaker: line" text.
    Transcript { content: String },
    /// A web page, fetched once when the job is created.
    Url { url: String },
    /// A file uploaded with `POST /uploads`.
    Upload { upload_id: Uuid },
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default, EnumIter, DeriveActiveEnum,
)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum SourceKind {
    #[default]
    #[sea_orm(string_value = "text")]
    Text,
    #[sea_orm(string_value = "markdown")]
    Markdown,
    #[sea_orm(string_value = "html")]
    Html,
    #[sea_orm(string_value = "transcript")]
    Transcript,
    #[sea_orm(string_value = "url")]
    Url,
    #[sea_orm(string_value = "upload")]
    Upload,
}

/// A source after ingestion: the clean text the engine reads (grounding spans index into
/// `content`) and what we learned about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Source {
    #[serde(rename = "type", default)]
    pub kind: SourceKind,
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// ISO 639-3 language code when it could be detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Speakers of a transcript, in order of appearance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
}

impl Source {
    /// A source built from ingested text.
    pub fn from_ingested(kind: SourceKind, ingested: ingest::Ingested) -> Self {
        Self {
            kind,
            content: ingested.text,
            title: ingested.title,
            byline: ingested.byline,
            url: None,
            upload_id: None,
            file_name: None,
            language: ingested.language,
            speakers: ingested.speakers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SourceKind;

    #[test]
    fn source_kinds_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (SourceKind::Text, "text".to_owned()),
            (SourceKind::Markdown, "markdown".to_owned()),
            (SourceKind::Html, "html".to_owned()),
            (SourceKind::Transcript, "transcript".to_owned()),
            (SourceKind::Url, "url".to_owned()),
            (SourceKind::Upload, "upload".to_owned()),
        ]);
    }
}
