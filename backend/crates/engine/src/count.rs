//! Counting characters the way each platform does.

use twitter_text::extractor::{Extract, Extractor};
use unicode_segmentation::UnicodeSegmentation;

use crate::channel::MASTODON_URL_CHARS;

/// X's weighted length (twitter-text v3): NFC first; most Latin text weighs 1 per code point,
/// CJK and emoji weigh 2, and every URL counts 23. Delegates to the twitter-text port so the
/// API and the console (which uses the official JavaScript package) always agree.
pub fn x_weighted_length(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    // The grammar-based backend matches the official library on URLs without a scheme and on
    // flag emoji, where the fast backend of this port still differs (tests/x_counting.rs);
    // text that has neither a dot nor a flag takes the fast path.
    let needs_grammar = text.contains('.') || text.chars().any(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c));
    let backend =
        if needs_grammar { twitter_text::ParserBackend::Pest } else { twitter_text::ParserBackend::Nom };
    let results =
        twitter_text::parse_with_parser_backend(text, twitter_text_config::config_v3(), true, backend);
    usize::try_from(results.weighted_length).unwrap_or(0)
}

/// A fast upper bound of [`x_weighted_length`] for packing posts: the fast parser, plus a full
/// URL's 23 for every word with an inner dot (a link the fast parser may not see as one).
/// Flags already count double there. Posts packed by this bound always fit when counted exactly.
pub fn x_weighted_upper_bound(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let fast = twitter_text::parse_with_parser_backend(
        text,
        twitter_text_config::config_v3(),
        true,
        twitter_text::ParserBackend::Nom,
    );
    usize::try_from(fast.weighted_length).unwrap_or(0) + 23 * dotted_words(text)
}

/// Words with an inner dot: links a counter may see without a scheme ("kyros.dev").
fn dotted_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|word| {
            word.char_indices().any(|(i, c)| c == '.' && word[i + 1..].starts_with(char::is_alphanumeric))
        })
        .count()
}

/// Characters as people count them (Unicode scalar values).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Extended grapheme clusters: what a reader sees as one character (an emoji with its
/// modifiers and joiners, a letter with its combining marks). Bluesky limits posts in these.
pub fn grapheme_count(text: &str) -> usize {
    text.graphemes(true).count()
}

/// A post's length as Mastodon's server checks it (`StatusLengthValidator`): every URL with a
/// scheme counts 23 characters whatever its length, a mention of a remote account
/// (`@user@example.social`) counts as `@user`, and everything else counts in graphemes.
pub fn mastodon_length(text: &str) -> usize {
    if !text.contains(':') && !text.contains('@') {
        return grapheme_count(text);
    }
    let mut entities: Vec<(usize, usize, &str)> =
        url_ranges(text).into_iter().map(|(start, end)| (start, end, MASTODON_URL_PLACEHOLDER)).collect();
    entities.extend(
        remote_mentions(text).into_iter().map(|(start, user_end, end)| (start, end, &text[start..user_end])),
    );
    entities.sort_unstable();
    let mut countable = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, replacement) in entities {
        // An entity inside one already counted (a mention in a link's path) is part of it.
        if start < at {
            continue;
        }
        countable.push_str(&text[at..start]);
        countable.push_str(replacement);
        at = end;
    }
    countable.push_str(&text[at..]);
    grapheme_count(&countable)
}

/// What Mastodon puts in a URL's place before counting.
const MASTODON_URL_PLACEHOLDER: &str = "xxxxxxxxxxxxxxxxxxxxxxx";
const _: () = assert!(MASTODON_URL_PLACEHOLDER.len() == MASTODON_URL_CHARS);

/// A bound never under [`mastodon_length`] for packing posts: Mastodon's web composer also
/// counts a link without a scheme ("kyros.dev") as 23, where the server counts it as written,
/// so a packed post fits both.
pub fn mastodon_upper_bound(text: &str) -> usize {
    mastodon_length(text) + MASTODON_URL_CHARS * dotted_words(text)
}

/// Byte ranges of the URLs with a scheme, found as twitter-text finds them (Mastodon's server
/// extracts links with the same library, without scheme-less ones).
fn url_ranges(text: &str) -> Vec<(usize, usize)> {
    if !text.contains("://") {
        return vec![];
    }
    let mut extractor = Extractor::new();
    extractor.set_extract_url_without_protocol(false);
    let mut cursor = 0;
    let mut ranges = Vec::new();
    for url in extractor.extract_urls(text) {
        if let Some(offset) = text[cursor..].find(url.as_str()) {
            let start = cursor + offset;
            cursor = start + url.len();
            ranges.push((start, cursor));
        }
    }
    ranges
}

/// Mentions with a domain, as Mastodon's server reads them: `@` after neither a word
/// character, `/` nor `=`; a username of letters, digits and `_` (with `.` or `-` inside); `@`
/// and a domain ending in a word character. Each as (start, end of the username, end).
fn remote_mentions(text: &str) -> Vec<(usize, usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        if text[..at].chars().next_back().is_some_and(|c| is_word(c) || c == '/' || c == '=') {
            continue;
        }
        let rest = &text[at + 1..];
        let user = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
            .unwrap_or(rest.len());
        let user = rest[..user].trim_end_matches(['.', '-']).len();
        if user == 0 || rest[..user].starts_with(['.', '-']) || !rest[user..].starts_with('@') {
            continue;
        }
        let host = &rest[user + 1..];
        let length = host.find(|c: char| !(is_word(c) || matches!(c, '.' | '-'))).unwrap_or(host.len());
        let length = host[..length].trim_end_matches(['.', '-']).len();
        if length < 2 {
            continue;
        }
        found.push((at, at + 1 + user, at + 1 + user + 1 + length));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_weighs_one_per_character() {
        assert_eq!(x_weighted_length("Hello, world"), 12);
        assert_eq!(x_weighted_length(&"a".repeat(280)), 280);
        assert_eq!(x_weighted_length(""), 0);
    }

    #[test]
    fn cjk_and_emoji_weigh_two() {
        assert_eq!(x_weighted_length("日本語"), 6);
        assert_eq!(x_weighted_length("🙂"), 2);
        assert_eq!(x_weighted_length("a🙂b"), 4);
    }

    #[test]
    fn urls_count_twenty_three() {
        assert_eq!(x_weighted_length("https://example.com/a/very/long/path/that/goes/on/and/on"), 23);
        assert_eq!(x_weighted_length("see https://kyros.dev"), 4 + 23);
    }

    #[test]
    fn the_upper_bound_never_undercounts() {
        for text in [
            "example.com is a domain",
            "t.co/abc123",
            "🇩🇪🇫🇷",
            "Plain words. And more!",
            "Costs 3.5 euros",
            "日本 🙂",
        ] {
            assert!(x_weighted_upper_bound(text) >= x_weighted_length(text), "{text}");
        }
        assert_eq!(
            x_weighted_upper_bound("Plain words. And more!"),
            x_weighted_length("Plain words. And more!")
        );
    }

    #[test]
    fn graphemes_count_what_a_reader_sees() {
        // A family (four people joined by ZWJ), a flag, a skin-toned thumb, a letter with two
        // combining marks: one grapheme each.
        assert_eq!(grapheme_count("👨‍👩‍👧‍👦🇩🇪👍🏽e\u{301}\u{323}"), 4);
        assert_eq!(grapheme_count("Caf\u{e9} and cafe\u{301}"), 13);
        assert_eq!(grapheme_count(""), 0);
    }

    #[test]
    fn mastodon_counts_urls_as_23_and_remote_mentions_as_the_username() {
        let long = "https://example.com/a/very/long/path/that/goes/on/and/on?query=yes";
        assert_eq!(mastodon_length(long), 23);
        assert_eq!(mastodon_length(&format!("Read {long}.")), 5 + 23 + 1);
        assert_eq!(mastodon_length("See https://t.co"), 4 + 23, "a short link counts 23 too");
        assert_eq!(mastodon_length("kyros.dev is ours"), 17, "without a scheme, as written");
        assert_eq!(mastodon_length("Thanks @ann@mastodon.social!"), "Thanks @ann!".len());
        assert_eq!(mastodon_length("Thanks @ann"), 11);
        assert_eq!(mastodon_length("mail ann@example.com"), 20, "an address is not a mention");
        assert_eq!(mastodon_length("🇩🇪 @ann@example.social"), 1 + 1 + 4);
        assert_eq!(mastodon_length("https://example.social/@ann@example.social"), 23, "a mention in a link");
    }

    #[test]
    fn the_mastodon_bound_never_undercounts() {
        for text in ["kyros.dev is ours", "Costs 3.5 euros", "See https://example.com/x", "@a@b.social hi"] {
            assert!(mastodon_upper_bound(text) >= mastodon_length(text), "{text}");
        }
        assert_eq!(mastodon_upper_bound("Plain words"), 11);
    }

    #[test]
    fn text_is_normalised_first() {
        assert_eq!(x_weighted_length("cafe\u{301}"), 4);
    }
}
