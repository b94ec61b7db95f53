//! Cleaning post text: the one place where what users and the engine write becomes text that is
//! safe to store, show and export.
//!
//! Posts are plain text or Markdown. What must never survive is anything a CMS, an email tool or
//! a careless client could execute: HTML markup (also when entity-encoded, `&lt;script&gt;`,
//! since many tools decode entities on paste) and links to `javascript:`, `vbscript:`, `data:` or
//! `file:` URLs.

use std::ops::Range;

/// Entity encoding can be nested (`&amp;lt;script&amp;gt;`); each round peels one layer. Real
/// text needs one round; more than a few layers is an attack, and what is left is escaped.
const MAX_DECODE_ROUNDS: usize = 4;

/// URL schemes a link in a post may not use.
const UNSAFE_SCHEMES: [&str; 4] = ["javascript:", "vbscript:", "data:", "file:"];

/// Decodes entities and removes markup until the text is stable, drops control characters
/// (keeping newlines and tabs) and unlinks unsafe URLs. "Q&A <b>now</b>" becomes "Q&A now";
/// "x &lt;script&gt;alert(1)&lt;/script&gt; y" becomes "x  y"; "[this](javascript:alert(1))"
/// becomes "this".
pub fn sanitize_post_text(raw: &str) -> String {
    let mut text: String =
        raw.replace("\r\n", "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    let mut stable = false;
    for _ in 0..MAX_DECODE_ROUNDS {
        let decoded = html_escape::decode_html_entities(&text);
        let next = if decoded.contains('<') { strip_markup(&decoded) } else { decoded.into_owned() };
        stable = next == text;
        text = next;
        if stable {
            break;
        }
    }
    if !stable {
        // Still encoded after every round: keep it, but so that decoding it once more shows
        // the entities as text rather than producing markup.
        text = text.replace('&', "&amp;");
    }
    unlink_unsafe_urls(&text)
}

/// Generated posts quote their source, which may carry markup (a pasted Markdown file with raw
/// HTML, say); they are stored as clean as edited ones, with counts that match the clean text.
pub fn sanitize_generated(variant: &mut engine::Variant) {
    let clean = sanitize_post_text(&variant.content);
    if clean != variant.content {
        engine::refresh_metadata(variant.channel, &clean, &mut variant.metadata);
        variant.content = clean;
    }
}

/// The text of `html`, markup and script/style content removed. Markup nested deeper than a
/// real post ever is (see `ingest::MAX_HTML_DEPTH`) is never handed to the HTML parser, whose
/// tree walks recurse: its angle brackets are dropped instead, which leaves no tag either.
fn strip_markup(html: &str) -> String {
    if ingest::check_html_depth(html).is_err() {
        return html.replace(['<', '>'], "");
    }
    let cleaned = ammonia::Builder::empty().clean(html).to_string();
    unescape_basic_entities(&cleaned)
}

/// Reverses the escaping ammonia applies to text so the stored post reads as typed.
fn unescape_basic_entities(html_text: &str) -> String {
    html_text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Markdown links and link definitions whose destination uses an unsafe scheme lose the
/// destination; the link text stays.
fn unlink_unsafe_urls(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    if !UNSAFE_SCHEMES.iter().any(|scheme| contains_ignoring_case(markdown, scheme)) {
        return markdown.to_owned();
    }
    let parser = Parser::new(markdown);
    let mut replacements: Vec<(Range<usize>, String)> = parser
        .reference_definitions()
        .iter()
        .filter(|(_, definition)| is_unsafe_url(&definition.dest))
        .map(|(_, definition)| (definition.span.clone(), String::new()))
        .collect();
    let mut open: Option<(Range<usize>, String)> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_unsafe_url(&dest_url) =>
            {
                open = Some((range, String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, label)) = open.as_mut() {
                    label.push_str(&text);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some(link) = open.take() {
                    replacements.push(link);
                }
            }
            _ => {}
        }
    }
    replacements.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut cleaned = markdown.to_owned();
    let mut last_start = usize::MAX;
    for (range, replacement) in replacements {
        // Ranges never overlap in practice; one that would is skipped rather than mangled.
        if range.end <= last_start {
            cleaned.replace_range(range.clone(), &replacement);
            last_start = range.start;
        }
    }
    cleaned
}

fn is_unsafe_url(url: &str) -> bool {
    // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_lowercase();
    UNSAFE_SCHEMES.iter().any(|scheme| compact.starts_with(scheme))
}

fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::sanitize_post_text;

    #[test]
    fn markup_is_removed_and_text_kept() {
        assert_eq!(sanitize_post_text("Hi <b>there</b>"), "Hi there");
        assert_eq!(sanitize_post_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(sanitize_post_text("<img src=x onerror=alert(1)>ok"), "ok");
    }

    #[test]
    fn entity_encoded_markup_is_decoded_then_removed() {
        assert_eq!(sanitize_post_text("x &lt;script&gt;alert(1)&lt;/script&gt; y"), "x  y");
        assert_eq!(sanitize_post_text("a &lt;img src=x onerror=alert(1)&gt;"), "a ");
        assert_eq!(sanitize_post_text("x &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; y"), "x  y");
        assert_eq!(sanitize_post_text("&#60;svg onload=alert(1)&#62;hi"), "hi");
        let deep = "&amp;amp;amp;amp;amp;lt;script&amp;amp;amp;amp;amp;gt;";
        assert!(!html_escape::decode_html_entities(&sanitize_post_text(deep)).contains("<script"));
    }

    #[test]
    fn unsafe_links_lose_their_destination() {
        assert_eq!(sanitize_post_text("[this](javascript:alert(1)) works"), "this works");
        assert_eq!(sanitize_post_text("see [it](JaVaScript:alert(1))!"), "see it!");
        assert_eq!(sanitize_post_text("see [it](<java\tscript:alert(1)>)!"), "see [it]()!");
        assert_eq!(sanitize_post_text("![x](data:text/html;base64,PHNjcmlwdD4=)"), "x");
        assert_eq!(sanitize_post_text("[a][1]\n\n[1]: vbscript:msgbox"), "a\n\n");
        assert_eq!(sanitize_post_text("[docs](https://kyros.dev/docs)"), "[docs](https://kyros.dev/docs)");
    }

    #[test]
    fn plain_text_survives_untouched() {
        let text = "Q&A: is 3 < 5? \"Yes\" — it's true.\n\n#Maths";
        assert_eq!(sanitize_post_text(text), text);
        assert_eq!(sanitize_post_text("a < b & c > d <i>x</i>"), "a < b & c > d x");
        assert_eq!(sanitize_post_text("AT&amp;T"), "AT&T");
    }

    #[test]
    fn control_characters_are_dropped_but_newlines_kept() {
        assert_eq!(sanitize_post_text("a\u{0}b\r\nc\u{7}"), "ab\nc");
    }

    #[test]
    fn markup_nested_past_the_limit_loses_its_brackets_without_being_parsed() {
        let cleaned = sanitize_post_text(&format!("{}x", "<b>".repeat(30_000)));
        assert!(
            cleaned == format!("{}x", "b".repeat(30_000)),
            "brackets remain: {}",
            cleaned.chars().take(40).collect::<String>()
        );
    }
}
