//! Web pages to article text: readability first, the page's visible text as a fallback.

use dom_query::Document;
use dom_smoothie::{Config, Readability, ReadabilityError, TextMode};

use crate::IngestError;

pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Block elements separated by blank lines; not yet normalised.
    pub text: String,
}

/// Elements whose text a reader never sees.
const INVISIBLE: &str =
    "script, style, noscript, template, svg, canvas, iframe, object, [hidden], [aria-hidden=true]";

/// The page's main article, found by readability (boilerplate, navigation and ads dropped).
/// When readability finds no article, the page's visible body text is used instead; only when
/// that is empty too is the page refused.
pub fn extract_article(html: &str, url: Option<&str>) -> Result<Article, IngestError> {
    let config = || Config { text_mode: TextMode::Formatted, ..Config::default() };
    // A URL only helps resolve links; one readability refuses must not cost us the article.
    let readability = match Readability::new(html, url, Some(config())) {
        Err(ReadabilityError::BadDocumentURL) => Readability::new(html, None, Some(config())),
        other => other,
    };
    let parsed = readability.and_then(|mut readability| readability.parse());
    let non_empty = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    match parsed {
        Ok(article) if has_words(&article.text_content) => Ok(Article {
            title: non_empty(&article.title),
            byline: article.byline.as_deref().map(strip_by).and_then(non_empty),
            text: article.text_content.to_string(),
        }),
        outcome => {
            let (title, text) = visible_text(html);
            if !has_words(&text) {
                let reason = match outcome {
                    Err(error) => error.to_string(),
                    Ok(_) => "the article is empty".to_owned(),
                };
                return Err(IngestError::Html(reason));
            }
            Ok(Article { title: non_empty(&title), byline: None, text })
        }
    }
}

/// The page's `<title>` and the text of its body as a reader would see it, block elements on
/// their own paragraphs.
fn visible_text(html: &str) -> (String, String) {
    let document = Document::from(html);
    let title = document.select("head title").text().to_string();
    document.select(INVISIBLE).remove();
    let text = match document.body() {
        Some(body) => body.formatted_text(),
        None => document.formatted_text(),
    };
    (title, text.to_string())
}

/// "By Jonas Weber" → "Jonas Weber".
fn strip_by(byline: &str) -> &str {
    let trimmed = byline.trim();
    match trimmed.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => trimmed[3..].trim_start(),
        _ => trimmed,
    }
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_skips_scripts_and_keeps_blocks_apart() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><div>First block</div>\
                    <script>var hidden = 1;</script><p>Second <b>block</b></p><div hidden>secret</div></body></html>";
        assert_eq!(visible_text(html), ("T".to_owned(), "First block\n\nSecond block".to_owned()));
    }

    #[test]
    fn a_page_without_an_article_falls_back_to_its_visible_text() {
        let html = "<html><head><title>Opening hours</title></head><body><div>Open daily 7–18.</div>\
                    <div>Closed on Mondays.</div><script>track()</script></body></html>";
        let article = extract_article(html, Some("not a url")).unwrap();
        assert!(article.text.contains("Open daily 7–18."), "{}", article.text);
        assert!(article.text.contains("Closed on Mondays."), "{}", article.text);
        assert!(!article.text.contains("track"), "{}", article.text);
        assert_eq!(article.title.as_deref(), Some("Opening hours"));
    }

    #[test]
    fn bylines_lose_their_by() {
        assert_eq!(strip_by(" By Jonas Weber"), "Jonas Weber");
        assert_eq!(strip_by("by  Ana"), "Ana");
        assert_eq!(strip_by("Byron Katie"), "Byron Katie");
        assert_eq!(strip_by("Bé"), "Bé");
    }

    #[test]
    fn a_page_with_no_text_is_refused() {
        let html = "<html><body><script>render()</script><div id=app></div></body></html>";
        assert!(matches!(extract_article(html, None), Err(IngestError::Html(_))));
    }
}
