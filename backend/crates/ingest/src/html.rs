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

/// Fewer words than this in a block of an HTML fragment is a label, a caption or a button.
const MIN_PROSE_WORDS: usize = 6;

/// The prose paragraphs of an HTML fragment inside Markdown: cells, divs and paragraphs that
/// hold sentences. Components without text (`<SignupForm />`), labels and captions give
/// nothing; a fragment nested deeper than the page limit is not parsed at all.
pub fn fragment_prose(markup: &str) -> Vec<String> {
    if crate::check_html_depth(markup).is_err() {
        return vec![];
    }
    // Rows split from their table by blank lines (Markdown ends an HTML block there) are
    // only rows inside a table.
    let document = if markup.contains("<tr") && !markup.contains("<table") {
        Document::fragment(format!("<table>{markup}</table>"))
    } else {
        Document::fragment(markup)
    };
    document.select(INVISIBLE).remove();
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let rows = document.select("tr");
    let lines: Vec<String> = if rows.exists() {
        // A row of a short label and a long cell is a turn of an interview: "Doug: …".
        rows.iter()
            .map(|row| {
                let cells: Vec<String> =
                    row.select("td, th").iter().map(|cell| collapse(&cell.text())).collect();
                match cells.as_slice() {
                    [label, said] if (1..=3).contains(&label.split_whitespace().count()) => {
                        format!("{label}: {said}")
                    }
                    _ => cells.join(" "),
                }
            })
            .collect()
    } else {
        document.formatted_text().split('\n').map(collapse).collect()
    };
    lines.into_iter().filter(|line| line.split_whitespace().count() >= MIN_PROSE_WORDS).collect()
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
    fn prose_in_an_html_fragment_is_kept_and_interview_rows_become_turns() {
        let table = "<table><tr><td><img src=a.png/><strong>Hudson</strong></td><td>Doug, can you tell us what SpringSource uses Hudson for?</td></tr>\
                     <tr><td><strong>Doug</strong></td><td>We started using Hudson in early 2008 to automate our builds.</td></tr></table>";
        assert_eq!(
            fragment_prose(table),
            [
                "Hudson: Doug, can you tell us what SpringSource uses Hudson for?",
                "Doug: We started using Hudson in early 2008 to automate our builds."
            ]
        );
        assert!(fragment_prose("<SignupForm />").is_empty());
        assert!(fragment_prose("<div class=\"note\"><b>Tip</b></div>").is_empty());
        assert_eq!(
            fragment_prose(
                "<div class=\"note\"><p>Back up the registry before you switch to the new one.</p></div>"
            ),
            ["Back up the registry before you switch to the new one."]
        );
        assert!(fragment_prose(&"<b>".repeat(crate::MAX_HTML_DEPTH + 10)).is_empty());
        assert_eq!(
            fragment_prose(
                "<tr><td>Doug</td><td>The SIGAR project started back in late 2002 with a Perl script.</td></tr>"
            ),
            ["Doug: The SIGAR project started back in late 2002 with a Perl script."]
        );
    }

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
