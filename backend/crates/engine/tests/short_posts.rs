//! Bluesky and Mastodon: a post, or a thread numbered like X's, every post within its
//! network's limit as that network counts it.

use engine::{
    Channel, ChannelFields, Counts, GenerationOptions, PostFormat, Severity, ShortPost, XFormat,
    grapheme_count, lint_variant, mastodon_length, refresh_metadata, repurpose,
};

const ARTICLE: &str = include_str!("fixtures/article.md");

fn generate(source: &str, channel: Channel, options: &GenerationOptions) -> engine::Variant {
    repurpose(source, &[channel], options).expect("the source can be repurposed").remove(0)
}

fn parts(variant: &engine::Variant) -> Vec<String> {
    variant.metadata.fields.parts.clone().unwrap()
}

fn errors(channel: Channel, content: &str, fields: &ChannelFields) -> Vec<String> {
    lint_variant(channel, content, fields)
        .into_iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| finding.rule.into_owned())
        .collect()
}

#[test]
fn a_long_source_becomes_a_numbered_thread_whose_every_post_fits() {
    for channel in [Channel::Bluesky, Channel::Mastodon] {
        let network = ShortPost::of(channel, None).unwrap();
        let variant = generate(ARTICLE, channel, &GenerationOptions::default());
        let parts = parts(&variant);
        assert!(parts.len() > 1, "{channel}: a thread\n{}", variant.content);
        assert_eq!(variant.metadata.fields.format, Some(PostFormat::Thread));
        for (i, part) in parts.iter().enumerate() {
            assert!(network.counting.length(part) <= network.max_length, "{channel}: {part}");
            assert!(part.ends_with(&format!(" {}/{}", i + 1, parts.len())), "{channel}: {part}");
        }
        assert!(
            matches!(variant.metadata.counts, Counts::Thread { limit, .. } if limit == network.max_length)
        );
        assert!(
            errors(channel, &variant.content, &variant.metadata.fields).is_empty(),
            "{}",
            variant.content
        );
        let tags = variant.metadata.fields.hashtags.len();
        assert!(tags <= network.max_hashtags, "{channel}: {tags} hashtags");
    }
}

#[test]
fn a_single_post_fits_when_one_is_asked_for() {
    let single = GenerationOptions { x_format: XFormat::Single, ..GenerationOptions::default() };
    for channel in [Channel::Bluesky, Channel::Mastodon] {
        let network = ShortPost::of(channel, None).unwrap();
        let variant = generate(ARTICLE, channel, &single);
        assert_eq!(parts(&variant).len(), 1, "{}", variant.content);
        assert!(network.counting.length(&variant.content) <= network.max_length);
        assert!(errors(channel, &variant.content, &variant.metadata.fields).is_empty());
    }
}

/// Sentences of 40 words, each with a family emoji (seven code points, one grapheme) and a
/// letter written with a combining mark: about 280 graphemes, over 300 code points.
fn emoji_source() -> String {
    let sentence = |topic: &str| {
        format!(
            "The bakery team {topic} 👨\u{200d}👩\u{200d}👧\u{200d}👦 together every single morning before the sun comes up over the old market square, \
             and the cafe\u{301} next door sells their warm loaves to neighbours, students, workers and travellers who stop by on their long way to the station today."
        )
    };
    [
        "plans the batches",
        "weighs the returns",
        "bakes the rye",
        "shapes the buns",
        "feeds the starter",
        "cleans the ovens",
        "packs the orders",
        "drives the van",
    ]
    .iter()
    .map(|topic| sentence(topic))
    .collect::<Vec<_>>()
    .join("\n\n")
}

#[test]
fn bluesky_packs_by_graphemes_not_code_points() {
    let source = emoji_source();
    let variant = generate(&source, Channel::Bluesky, &GenerationOptions::default());
    let parts = parts(&variant);
    assert!(parts.len() > 1, "{}", variant.content);
    for part in &parts {
        assert!(grapheme_count(part) <= 300, "{part}");
    }
    assert!(
        parts.iter().any(|part| part.chars().count() > 300),
        "a post of more than 300 code points that Bluesky counts as under 300 graphemes:\n{}",
        variant.content
    );
}

#[test]
fn a_mastodon_instance_that_allows_more_gets_longer_posts() {
    let thread = GenerationOptions { x_format: XFormat::Thread, ..GenerationOptions::default() };
    let default = generate(ARTICLE, Channel::Mastodon, &thread);
    assert_eq!(default.metadata.fields.max_chars, Some(500));
    let roomy_options = GenerationOptions { mastodon_max_chars: Some(1_000), ..thread };
    let roomy = generate(ARTICLE, Channel::Mastodon, &roomy_options);
    assert_eq!(roomy.metadata.fields.max_chars, Some(1_000));
    assert!(matches!(roomy.metadata.counts, Counts::Thread { limit: 1_000, .. }));
    assert!(parts(&roomy).len() < parts(&default).len(), "{}\n---\n{}", roomy.content, default.content);
    assert!(parts(&roomy).iter().all(|part| mastodon_length(part) <= 1_000));
    assert!(parts(&roomy).iter().any(|part| mastodon_length(part) > 500), "{}", roomy.content);
    assert!(errors(Channel::Mastodon, &roomy.content, &roomy.metadata.fields).is_empty());

    // An edit is checked against the limit of the instance the post was written for.
    let mut metadata = roomy.metadata.clone();
    let edited = format!("{} Edited.", roomy.content);
    refresh_metadata(Channel::Mastodon, &edited, &mut metadata);
    assert_eq!(metadata.fields.max_chars, Some(1_000));
    assert!(!metadata.lint.iter().any(|f| f.rule == "mastodon.max_length"));
    let overlong = format!("{} {}", roomy.content, "word ".repeat(200));
    refresh_metadata(Channel::Mastodon, &overlong, &mut metadata);
    assert!(metadata.lint.iter().any(|f| f.rule == "mastodon.max_length"));
}
