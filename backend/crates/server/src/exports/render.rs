//! Turning a variant into a downloadable file.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::variants::model::Variant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Txt,
    Md,
    Html,
    Json,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Txt => "text/plain; charset=utf-8",
            Self::Md => "text/markdown; charset=utf-8",
            Self::Html => "text/html; charset=utf-8",
            Self::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Txt => "txt",
            Self::Md => "md",
            Self::Html => "html",
            Self::Json => "json",
        }
    }
}

/// A rendered export: the bytes and the file name to offer.
pub struct ExportFile {
    pub body: String,
    pub file_name: String,
}

pub fn render(variant: &Variant, job_name: &str, format: ExportFormat) -> anyhow::Result<ExportFile> {
    let body = match format {
        ExportFormat::Txt | ExportFormat::Md => ensure_trailing_newline(&variant.content),
        ExportFormat::Html => html_document(job_name, &variant.channel, &variant.content),
        ExportFormat::Json => serde_json::to_string_pretty(variant)? + "\n",
    };
    Ok(ExportFile {
        body,
        file_name: format!("{}-{}.{}", slugify(job_name), variant.channel, format.extension()),
    })
}

fn ensure_trailing_newline(text: &str) -> String {
    let mut body = text.trim_end().to_owned();
    body.push('\n');
    body
}

/// Markdown rendered to HTML, then sanitised: the post text is user-editable.
fn html_document(title: &str, channel: &str, markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::empty());
    let mut rendered = String::new();
    pulldown_cmark::html::push_html(&mut rendered, parser);
    let safe_body = ammonia::clean(&rendered);
    let safe_title = escape_html_text(title);
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{safe_title} ({channel})</title>\n</head>\n<body>\n{safe_body}</body>\n</html>\n"
    )
}

fn escape_html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A file-name-safe slug: lowercase ASCII letters, digits and single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() { "kyros-export".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slugify("Four-day week: what changed?"), "four-day-week-what-changed");
        assert_eq!(slugify("日本"), "kyros-export");
        assert_eq!(slugify("a\"; rm -rf /"), "a-rm-rf");
    }

    #[test]
    fn html_is_rendered_and_sanitised() {
        let html = html_document("T <x>", "blog", "# Title\n\nHello <script>alert(1)</script> **world**");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<strong>world</strong>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("T &lt;x&gt;"));
    }
}
