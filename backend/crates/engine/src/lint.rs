//! Checks a post against its channel's rules. Runs on generated output and again whenever a
//! user edits, so it reads the content (and the channel fields in the metadata) as they are.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::{Channel, ChannelFields, channel::*, count::char_count};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct LintFinding {
    /// The rule, e.g. `x.max_weighted_length`.
    // The engine's own rule names are static; stored findings are read back owned.
    #[cfg_attr(feature = "utoipa", schema(value_type = String))]
    pub rule: Cow<'static, str>,
    pub severity: Severity,
    pub message: String,
}

fn finding(rule: &'static str, severity: Severity, message: String) -> LintFinding {
    LintFinding { rule: Cow::Borrowed(rule), severity, message }
}

/// Every rule of `channel` that `content` (with its metadata fields) breaks.
pub fn lint_variant(channel: Channel, content: &str, fields: &ChannelFields) -> Vec<LintFinding> {
    let mut findings = match channel {
        Channel::Linkedin => lint_linkedin(content),
        Channel::Newsletter => lint_newsletter(content, fields),
        Channel::Blog => lint_blog(content, fields),
        Channel::X => lint_short_post(ShortPost::x(), content),
        Channel::Bluesky => lint_short_post(ShortPost::bluesky(), content),
        Channel::Mastodon => lint_short_post(ShortPost::mastodon_of_variant(fields), content),
    };
    let links =
        content.split_whitespace().filter(|w| w.starts_with("http://") || w.starts_with("https://")).count();
    if links > 1 {
        findings.push(finding(
            "links",
            Severity::Info,
            format!("{links} links: posts with one link tend to perform better."),
        ));
    }
    findings.extend(crate::quality::lint_quality(channel, content, fields));
    findings
}

/// The posts of a thread (X, Bluesky, Mastodon), separated by a blank line.
pub fn thread_parts(content: &str) -> Vec<&str> {
    content.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect()
}

pub fn hashtag_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.starts_with('#') && w.chars().nth(1).is_some_and(char::is_alphanumeric))
        .count()
}

fn lint_short_post(network: ShortPost, content: &str) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    let parts = thread_parts(content);
    let limit = network.max_length;
    for (index, part) in parts.iter().enumerate() {
        // The exact count may parse the post with a full grammar (X's); a post under the fast
        // upper bound cannot be over the limit, so only posts near it pay for the exact count.
        if network.counting.upper_bound(part) <= limit {
            continue;
        }
        let length = network.counting.length(part);
        if length > limit {
            findings.push(finding(
                network.length_rule,
                Severity::Error,
                format!(
                    "Post {} is {length} characters as {} counts them; the limit is {limit}.",
                    index + 1,
                    network.channel.display_name()
                ),
            ));
        }
    }
    let hashtags = hashtag_count(content);
    if hashtags > network.max_hashtags {
        findings.push(finding(
            network.hashtags_rule,
            Severity::Error,
            format!("{hashtags} hashtags; use at most {}.", network.max_hashtags),
        ));
    }
    if parts.len() > 1 {
        let total = parts.len();
        let numbered =
            parts.iter().enumerate().all(|(i, part)| part.ends_with(&format!("{}/{total}", i + 1)));
        if !numbered {
            findings.push(finding(
                network.numbering_rule,
                Severity::Warning,
                format!("Number each post of the thread 1/{total} … {total}/{total}."),
            ));
        }
    }
    findings
}

fn lint_linkedin(content: &str) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    let chars = char_count(content);
    if chars > LINKEDIN_MAX_CHARS {
        findings.push(finding(
            "linkedin.max_length",
            Severity::Error,
            format!("{chars} characters; LinkedIn allows {LINKEDIN_MAX_CHARS}."),
        ));
    }
    let hook = content.split("\n\n").next().unwrap_or_default();
    if char_count(hook) > LINKEDIN_HOOK_MAX_CHARS {
        findings.push(finding(
            "linkedin.hook_fold",
            Severity::Warning,
            format!("The opening runs past the first {LINKEDIN_HOOK_MAX_CHARS} characters, which is all readers see before \"see more\"."),
        ));
    }
    let hashtags = hashtag_count(content);
    if hashtags > 0 && !(LINKEDIN_MIN_HASHTAGS..=LINKEDIN_MAX_HASHTAGS).contains(&hashtags) {
        findings.push(finding(
            "linkedin.hashtags",
            Severity::Warning,
            format!("{hashtags} hashtags; {LINKEDIN_MIN_HASHTAGS} to {LINKEDIN_MAX_HASHTAGS} work best."),
        ));
    }
    if content.split("\n\n").any(|paragraph| char_count(paragraph) > 600) {
        findings.push(finding(
            "linkedin.short_paragraphs",
            Severity::Info,
            "Break long paragraphs up; short ones read better in the feed.".into(),
        ));
    }
    findings
}

fn length_rule(
    findings: &mut Vec<LintFinding>,
    rule: &'static str,
    label: &str,
    value: Option<&str>,
    range: std::ops::RangeInclusive<usize>,
) {
    let length = value.map_or(0, char_count);
    if !range.contains(&length) {
        findings.push(finding(
            rule,
            Severity::Error,
            format!("The {label} is {length} characters; it must be {} to {}.", range.start(), range.end()),
        ));
    }
}

fn lint_newsletter(content: &str, fields: &ChannelFields) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    length_rule(
        &mut findings,
        "newsletter.subject_length",
        "subject",
        fields.subject.as_deref(),
        1..=NEWSLETTER_SUBJECT_MAX_CHARS,
    );
    length_rule(
        &mut findings,
        "newsletter.preheader_length",
        "preheader",
        fields.preheader.as_deref(),
        NEWSLETTER_PREHEADER_MIN_CHARS..=NEWSLETTER_PREHEADER_MAX_CHARS,
    );
    if !content.lines().any(|line| line.starts_with("# ")) {
        findings.push(finding(
            "newsletter.headline",
            Severity::Warning,
            "Start the body with a `# headline`.".into(),
        ));
    }
    let points = content.lines().filter(|line| line.starts_with("- ") || line.starts_with("* ")).count();
    if !(NEWSLETTER_MIN_KEY_POINTS..=NEWSLETTER_MAX_KEY_POINTS).contains(&points) {
        findings.push(finding(
            "newsletter.key_points",
            Severity::Warning,
            format!("{points} key points; use {NEWSLETTER_MIN_KEY_POINTS} to {NEWSLETTER_MAX_KEY_POINTS}."),
        ));
    }
    let last = content.trim_end().lines().last().unwrap_or_default();
    if last.starts_with('-') || last.starts_with('#') {
        findings.push(finding(
            "newsletter.call_to_action",
            Severity::Warning,
            "End with a call to action.".into(),
        ));
    }
    findings
}

fn lint_blog(content: &str, fields: &ChannelFields) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    length_rule(
        &mut findings,
        "blog.title_length",
        "SEO title",
        fields.title.as_deref(),
        1..=BLOG_TITLE_MAX_CHARS,
    );
    length_rule(
        &mut findings,
        "blog.meta_description_length",
        "meta description",
        fields.meta_description.as_deref(),
        BLOG_META_MIN_CHARS..=BLOG_META_MAX_CHARS,
    );
    let slug = fields.slug.as_deref().unwrap_or_default();
    let valid_slug = !slug.is_empty()
        && slug.len() <= BLOG_SLUG_MAX_CHARS
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !valid_slug {
        findings.push(finding(
            "blog.slug",
            Severity::Error,
            "The slug must be lowercase letters, digits and hyphens, at most 60 characters.".into(),
        ));
    }
    let sections = content.lines().filter(|line| line.starts_with("## ")).count();
    if sections < BLOG_MIN_SECTIONS + 1 {
        findings.push(finding(
            "blog.sections",
            Severity::Warning,
            "Use at least two `## ` sections before the conclusion.".into(),
        ));
    }
    let concludes = |line: &str| {
        line.trim().strip_prefix("## ").is_some_and(|heading| {
            crate::lang::Language::ALL
                .iter()
                .any(|language| heading.eq_ignore_ascii_case(language.phrases().conclusion))
        })
    };
    if !content.lines().any(concludes) {
        findings.push(finding(
            "blog.conclusion",
            Severity::Warning,
            "End with a `## Conclusion` section.".into(),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The channel rules found; the quality checks have their own tests.
    fn rules(findings: &[LintFinding]) -> Vec<&str> {
        findings.iter().map(|f| f.rule.as_ref()).filter(|rule| !rule.starts_with("quality.")).collect()
    }

    #[test]
    fn x_limits_are_checked_per_part() {
        let long = "word ".repeat(60);
        assert_eq!(
            rules(&lint_variant(Channel::X, &long, &ChannelFields::default())),
            ["x.max_weighted_length"]
        );
        assert!(
            rules(&lint_variant(Channel::X, "Short post #One #Two", &ChannelFields::default())).is_empty()
        );
        assert_eq!(
            rules(&lint_variant(Channel::X, "Too many #One #Two #Three", &ChannelFields::default())),
            ["x.max_hashtags"]
        );
        assert_eq!(
            rules(&lint_variant(Channel::X, "First part\n\nSecond part", &ChannelFields::default())),
            ["x.thread_numbering"]
        );
        assert!(
            rules(&lint_variant(Channel::X, "First 1/2\n\nSecond 2/2", &ChannelFields::default())).is_empty()
        );
    }

    /// `count` graphemes of which each is several code points: a family of four (seven code
    /// points joined by ZWJ), a letter with two combining marks, a flag.
    fn graphemes(count: usize) -> String {
        ["👨\u{200d}👩\u{200d}👧\u{200d}👦", "e\u{301}\u{323}", "🇩🇪", " "]
            .iter()
            .cycle()
            .take(count)
            .copied()
            .collect()
    }

    #[test]
    fn bluesky_counts_graphemes_up_to_exactly_300() {
        let at_limit = graphemes(300);
        assert!(at_limit.chars().count() > 900, "many code points, few graphemes");
        assert!(rules(&lint_variant(Channel::Bluesky, &at_limit, &ChannelFields::default())).is_empty());
        let over = graphemes(301);
        let found = lint_variant(Channel::Bluesky, &over, &ChannelFields::default());
        assert_eq!(rules(&found), ["bluesky.max_length"]);
        assert_eq!(found[0].message, "Post 1 is 301 characters as Bluesky counts them; the limit is 300.");
        assert_eq!(
            rules(&lint_variant(Channel::Bluesky, "Too many #One #Two #Three", &ChannelFields::default())),
            ["bluesky.max_hashtags"]
        );
        assert_eq!(
            rules(&lint_variant(Channel::Bluesky, "First part\n\nSecond part", &ChannelFields::default())),
            ["bluesky.thread_numbering"]
        );
    }

    #[test]
    fn mastodon_counts_every_url_as_23_and_takes_the_instance_limit() {
        let url = format!("https://example.com/{}", "long-path/".repeat(20));
        let text = format!("{} {url}", "a".repeat(500 - 23 - 1));
        assert!(text.chars().count() > 600);
        assert!(rules(&lint_variant(Channel::Mastodon, &text, &ChannelFields::default())).is_empty());
        let over = format!("a{text}");
        assert_eq!(
            rules(&lint_variant(Channel::Mastodon, &over, &ChannelFields::default())),
            ["mastodon.max_length"]
        );
        // Written for an instance that allows 1,000 characters, it is checked against those.
        let long = "word ".repeat(180);
        assert_eq!(
            rules(&lint_variant(Channel::Mastodon, &long, &ChannelFields::default())),
            ["mastodon.max_length"]
        );
        assert!(
            rules(&lint_variant(
                Channel::Mastodon,
                &long,
                &ChannelFields { max_chars: Some(1_000), ..ChannelFields::default() }
            ))
            .is_empty()
        );
        assert_eq!(
            rules(&lint_variant(Channel::Mastodon, "Five #A #B #C #D #E", &ChannelFields::default())),
            ["mastodon.max_hashtags"]
        );
        assert!(
            rules(&lint_variant(Channel::Mastodon, "Four #A #B #C #D", &ChannelFields::default())).is_empty()
        );
    }

    #[test]
    fn linkedin_fold_length_and_hashtags() {
        let hook = "a".repeat(250);
        let found =
            lint_variant(Channel::Linkedin, &format!("{hook}\n\nBody.\n\n#One"), &ChannelFields::default());
        assert_eq!(rules(&found), ["linkedin.hook_fold", "linkedin.hashtags"]);
        let too_long = "word ".repeat(700);
        assert!(
            rules(&lint_variant(Channel::Linkedin, &too_long, &ChannelFields::default()))
                .contains(&"linkedin.max_length")
        );
    }

    #[test]
    fn newsletter_and_blog_fields_are_checked() {
        let body = "# Headline\n\nIntro.\n\n## Key points\n\n- a\n- b\n- c\n\nReply!";
        let newsletter = |subject: &str, preheader: &str| ChannelFields {
            subject: Some(subject.into()),
            preheader: Some(preheader.into()),
            ..ChannelFields::default()
        };
        let ok = newsletter("Short subject", "A preheader that is comfortably over forty characters.");
        assert!(rules(&lint_variant(Channel::Newsletter, body, &ok)).is_empty());
        let bad = newsletter(&"s".repeat(61), "short");
        assert_eq!(
            rules(&lint_variant(Channel::Newsletter, body, &bad)),
            ["newsletter.subject_length", "newsletter.preheader_length"]
        );
        let blog = "# T\n\nIntro.\n\n## A\n\nx\n\n## B\n\ny\n\n## Conclusion\n\nz";
        let spanish = blog.replace("## Conclusion", "## Conclusión");
        assert!(
            !rules(&lint_variant(Channel::Blog, &spanish, &ChannelFields::default()))
                .contains(&"blog.conclusion")
        );
        let blog_post = |title: &str, meta_description: &str, slug: &str| ChannelFields {
            title: Some(title.into()),
            meta_description: Some(meta_description.into()),
            slug: Some(slug.into()),
            ..ChannelFields::default()
        };
        let meta = blog_post("Title", &"m".repeat(130), "a-title");
        assert!(rules(&lint_variant(Channel::Blog, blog, &meta)).is_empty());
        let broken = blog_post("", "too short", "Not A Slug");
        assert_eq!(
            rules(&lint_variant(Channel::Blog, "no sections", &broken)),
            [
                "blog.title_length",
                "blog.meta_description_length",
                "blog.slug",
                "blog.sections",
                "blog.conclusion"
            ]
        );
    }
}
