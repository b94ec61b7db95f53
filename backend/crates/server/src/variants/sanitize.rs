//! Cleaning user-edited post text.

/// Removes HTML markup (and script/style content) from post text while keeping the text
/// itself literal: "Q&A <b>now</b>" becomes "Q&A now". Posts are plain text or Markdown,
/// so every renderer escapes them; what we must not keep is markup a later HTML export
/// or a careless client could execute.
pub fn sanitize_post_text(raw: &str) -> String {
    let without_controls: String =
        raw.replace("\r\n", "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    if !without_controls.contains('<') {
        return without_controls;
    }
    let cleaned = ammonia::Builder::empty().clean(&without_controls).to_string();
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
    fn plain_text_survives_untouched() {
        let text = "Q&A: is 3 < 5? \"Yes\" — it's true.\n\n#Maths";
        assert_eq!(sanitize_post_text(text), text);
        assert_eq!(sanitize_post_text("a < b & c > d <i>x</i>"), "a < b & c > d x");
    }

    #[test]
    fn control_characters_are_dropped_but_newlines_kept() {
        assert_eq!(sanitize_post_text("a\u{0}b\r\nc\u{7}"), "ab\nc");
    }
}
