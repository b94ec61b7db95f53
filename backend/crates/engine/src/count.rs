//! Counting characters the way each platform does.

/// X's weighted length (twitter-text v3): NFC first; most Latin text weighs 1 per code point,
/// CJK and emoji weigh 2, and every URL counts 23. Delegates to the twitter-text port so the
/// API and the console (which uses the official JavaScript package) always agree.
pub fn x_weighted_length(text: &str) -> usize {
    if text.is_empty() {
        return 0;
    }
    let results = twitter_text::parse(text, twitter_text_config::config_v3(), true);
    usize::try_from(results.weighted_length).unwrap_or(0)
}

/// Characters as people count them (Unicode scalar values).
pub fn char_count(text: &str) -> usize {
    text.chars().count()
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
    fn text_is_normalised_first() {
        assert_eq!(x_weighted_length("cafe\u{301}"), 4);
    }
}
