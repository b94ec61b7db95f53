//! Turning a variant into a downloadable file.

use engine::Channel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    jobs::variants::{model::Variant, sanitize::sanitize_post_text},
    raw_json::RawJson,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Plain text: a newsletter's or blog post's Markdown as readable text, without its syntax.
    Txt,
    /// The post as written (Markdown for the newsletter and blog).
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

/// Every format is built from the sanitised text (stored text is clean already; sanitising again
/// covers posts stored before a sanitiser fix), so nothing executable reaches a CMS or email tool
/// whatever it does with the file: decode entities, render Markdown or paste HTML.
pub fn render(variant: Variant, job_name: &str, format: ExportFormat) -> anyhow::Result<ExportFile> {
    let metadata = sanitized_metadata(&variant.metadata);
    let variant = Variant { content: sanitize_post_text(&variant.content), metadata, ..variant };
    let job_name = sanitize_post_text(job_name);
    let job_name = job_name.as_str();
    let body = match format {
        // Newsletter and blog posts are Markdown; as a .txt file they read as plain text.
        ExportFormat::Txt if matches!(variant.channel, Channel::Newsletter | Channel::Blog) => {
            ensure_trailing_newline(&sanitize_post_text(&plain_text(&variant.content)))
        }
        ExportFormat::Txt | ExportFormat::Md => ensure_trailing_newline(&variant.content),
        ExportFormat::Html => html_document(job_name, variant.channel, &variant.content),
        ExportFormat::Json => serde_json::to_string_pretty(&variant)? + "\n",
    };
    Ok(ExportFile {
        body,
        file_name: format!("{}-{}.{}", slugify(job_name), variant.channel, format.extension()),
    })
}

/// The metadata with every string sanitised like the post: grounding spans quote the source,
/// which may carry markup, and a JSON export is pasted into tools as readily as the text.
fn sanitized_metadata(metadata: &RawJson) -> RawJson {
    let mut value: serde_json::Value = serde_json::from_str(metadata.get()).unwrap_or_default();
    let mut pending = vec![&mut value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(text) => *text = sanitize_post_text(text),
            serde_json::Value::Array(items) => pending.extend(items.iter_mut()),
            serde_json::Value::Object(members) => pending.extend(members.values_mut()),
            _ => {}
        }
    }
    RawJson::from(&value)
}

/// Markdown as plain text, the way an email client shows a text part: headings and paragraphs
/// as lines with a blank line between, list items with a bullet (or their number), emphasis
/// and code as their text, a link as its text with the address after it in brackets (http,
/// https and mailto only), an image as its description.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    // Each open list: the next item's number, or `None` for bullets.
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<String> = None;
    let block_break = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\n']).len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
    };
    for event in pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::BlockQuote(_) | Tag::CodeBlock(_))
                if lists.is_empty() =>
            {
                block_break(&mut out)
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    block_break(&mut out);
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1)));
                match lists.last_mut() {
                    Some(Some(number)) => {
                        out.push_str(&format!("{number}. "));
                        *number += 1;
                    }
                    _ => out.push_str("• "),
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let safe =
                    ["http://", "https://", "mailto:"].iter().any(|scheme| dest_url.starts_with(scheme));
                link = safe.then(|| dest_url.to_string());
            }
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take()
                    && !out.ends_with(url.trim_start_matches("mailto:"))
                {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Rule => block_break(&mut out),
            _ => {}
        }
    }
    out.trim().to_owned()
}

fn ensure_trailing_newline(text: &str) -> String {
    let mut body = text.trim_end().to_owned();
    body.push('\n');
    body
}

/// The only elements and attributes an HTML export may contain: text structure and links.
const HTML_TAGS: [&str; 20] = [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "blockquote",
    "ul",
    "ol",
    "li",
    "code",
    "pre",
    "a",
    "span",
];
const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Markdown rendered to HTML, then cleaned against an allow-list: text structure and
/// http(s)/mailto links only, so no image, form, style, script or event handler survives.
fn html_document(title: &str, channel: Channel, markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::empty());
    let mut rendered = String::new();
    pulldown_cmark::html::push_html(&mut rendered, parser);
    let safe_body = ammonia::Builder::empty()
        .add_tags(HTML_TAGS)
        .add_tag_attributes("a", ["href"])
        .url_schemes(LINK_SCHEMES.into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&rendered)
        .to_string();
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
        let html =
            html_document("T <x>", Channel::Blog, "# Title\n\nHello <script>alert(1)</script> **world**");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<strong>world</strong>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("T &lt;x&gt;"));
    }

    #[test]
    fn plain_text_has_no_markdown_syntax() {
        let markdown = "# Four-day week\n\nWe **switched** in *March*, see [the report](https://kyros.dev/r).\n\n\
            ## Key points\n\n- Sales rose.\n- Waste fell by `20%`.\n\n1. First\n2. Second\n\n\
            ![chart](https://kyros.dev/c.png)\n\n[unsafe](javascript:alert(1)) and <https://kyros.dev>";
        assert_eq!(
            plain_text(markdown),
            "Four-day week\n\nWe switched in March, see the report (https://kyros.dev/r).\n\nKey points\n\n\
             • Sales rose.\n• Waste fell by 20%.\n\n1. First\n2. Second\n\nchart\n\nunsafe and https://kyros.dev"
        );
        let mut newsletter = variant(markdown);
        newsletter.channel = Channel::Newsletter;
        let txt = render(newsletter.clone(), "Job", ExportFormat::Txt).unwrap().body;
        for syntax in ["#", "**", "- ", "](", "`"] {
            assert!(!txt.contains(syntax), "{syntax} in {txt}");
        }
        let md = render(newsletter, "Job", ExportFormat::Md).unwrap().body;
        assert!(
            md.starts_with("# Four-day week\n\nWe **switched**") && md.contains("\n- Sales rose."),
            "{md}"
        );
    }

    fn variant(content: &str) -> Variant {
        let now = chrono::Utc::now();
        Variant {
            id: uuid::Uuid::nil(),
            job_id: uuid::Uuid::nil(),
            channel: Channel::Blog,
            content: content.into(),
            metadata: RawJson::from(&serde_json::json!({ "grounding": [{ "text": content }] })),
            accepted: false,
            created_at: now,
            updated_at: now,
            current_version: 1,
            accepted_version: None,
        }
    }

    #[test]
    fn no_export_format_carries_active_content() {
        let payloads = [
            "x &lt;script&gt;alert(1)&lt;/script&gt; y",
            "a &lt;img src=x onerror=alert(1)&gt;",
            "<script>alert(1)</script><img src=x onerror=alert(1)>",
            "[this](javascript:alert(1)) and ![i](data:text/html,x) and [ok](https://kyros.dev)",
            "<a href=\"javascript:alert(1)\">x</a> <svg onload=alert(1)>",
        ];
        let title = render(variant("ok"), "<img src=x onerror=alert(1)>", ExportFormat::Html).unwrap().body;
        assert!(!title.contains("onerror"), "{title}");
        for payload in payloads {
            for format in [ExportFormat::Txt, ExportFormat::Md, ExportFormat::Html, ExportFormat::Json] {
                let body = render(variant(payload), "Job", format).unwrap().body.to_lowercase();
                let decoded = html_escape::decode_html_entities(&body).to_lowercase();
                for needle in ["<script", "onerror", "onload", "javascript:", "data:text", "<img", "<svg"] {
                    assert!(
                        !decoded.contains(needle),
                        "{format:?} export of {payload:?} contains {needle}: {body}"
                    );
                }
            }
        }
        let html = render(variant("[ok](https://kyros.dev)"), "Job", ExportFormat::Html).unwrap().body;
        assert!(
            html.contains("<a href=\"https://kyros.dev\" rel=\"noopener noreferrer nofollow\">ok</a>"),
            "{html}"
        );
    }
}
