//! Checks that a post reads like one, beyond the channel's hard rules: no markup left from
//! the source, no line that cannot stand alone, no byline or label as content, no empty
//! scaffolding. They run on generated, model-written and edited posts alike, as warnings the
//! writer can act on.

use crate::{
    Channel, ChannelFields,
    lang::{self, Language, Opener},
    lint::{LintFinding, Severity},
    standalone::is_byline,
    text::speaker_label,
};

/// The classes of defect, by lint rule.
pub const MARKUP_RESIDUE: &str = "quality.markup_residue";
pub const DANGLING_COLON: &str = "quality.dangling_colon";
pub const UNRESOLVED_OPENER: &str = "quality.unresolved_opener";
pub const LABEL_OR_BYLINE: &str = "quality.label_or_byline";
pub const ONE_WORD_HEADING: &str = "quality.one_word_heading";
pub const STOPWORD_HASHTAG: &str = "quality.stopword_hashtag";
pub const CUT_TITLE: &str = "quality.cut_title";
pub const CONTENT_FREE_POST: &str = "quality.content_free_post";

pub const RULES: [&str; 8] = [
    MARKUP_RESIDUE,
    DANGLING_COLON,
    UNRESOLVED_OPENER,
    LABEL_OR_BYLINE,
    ONE_WORD_HEADING,
    STOPWORD_HASHTAG,
    CUT_TITLE,
    CONTENT_FREE_POST,
];

fn warning(rule: &'static str, message: String) -> LintFinding {
    LintFinding { rule: rule.into(), severity: Severity::Warning, message }
}

/// Every quality defect of `content` (and of its title fields and hashtags).
pub fn lint_quality(channel: Channel, content: &str, fields: &ChannelFields) -> Vec<LintFinding> {
    let mut findings = Vec::new();
    if let Some(residue) = markup_residue(content) {
        findings.push(warning(
            MARKUP_RESIDUE,
            format!("`{residue}` is markup from the source; readers would see it as is."),
        ));
    }
    let lines: Vec<&str> = content.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    if let Some(line) = lines.iter().enumerate().find_map(|(index, line)| {
        let lists = lines.get(index + 1).is_some_and(|next| next.starts_with("- ") || next.starts_with("• "));
        (strip_numbering(line).ends_with(':') && !lists).then_some(line)
    }) {
        findings.push(warning(
            DANGLING_COLON,
            format!("\"{}\" ends with a colon but nothing follows it.", excerpt(line)),
        ));
    }
    let language = lang::detect(content).unwrap_or(Language::English);
    if let Some(line) = units(channel, content)
        .into_iter()
        .find(|unit| matches!(language.leading_opener(unit), Some((Opener::Pronoun, _))))
    {
        findings.push(warning(
            UNRESOLVED_OPENER,
            format!(
                "\"{}\" opens with a word that points back to something the reader has not seen; name it.",
                excerpt(line)
            ),
        ));
    }
    // Headings are left out: "React Canaries: Enabling …" is a title, not a speaker.
    if let Some(line) = lines
        .iter()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.trim_start_matches(['-', ' ']))
        .find(|line| is_byline(line) || speaker_label(line).is_some_and(|(label, _)| is_person_label(label)))
    {
        findings.push(warning(
            LABEL_OR_BYLINE,
            format!("\"{}\" is a byline or a speaker's label, not content.", excerpt(line)),
        ));
    }
    if let Some(heading) =
        lines.iter().filter_map(|line| line.strip_prefix("## ")).find(|heading| is_empty_heading(heading))
    {
        findings.push(warning(
            ONE_WORD_HEADING,
            format!("The heading \"{heading}\" is one word; say what the section is about."),
        ));
    }
    if let Some(tag) = hashtags(content, fields).into_iter().find(|tag| is_stopword_hashtag(tag)) {
        findings.push(warning(STOPWORD_HASHTAG, format!("{tag} is not a topic; use a keyword of the post.")));
    }
    let mut titles: Vec<(&str, &str)> = [("title", &fields.title), ("subject", &fields.subject)]
        .into_iter()
        .filter_map(|(key, value)| Some((key, value.as_deref()?)))
        .collect();
    if let Some(headline) = lines.iter().find_map(|line| line.strip_prefix("# ")) {
        titles.push(("headline", headline));
    }
    if let Some((label, title)) = titles.into_iter().find(|(_, title)| is_cut(title)) {
        findings.push(warning(CUT_TITLE, format!("The {label} \"{title}\" is cut mid-phrase.")));
    }
    if is_thread_network(channel)
        && let Some(number) = crate::lint::thread_parts(content)
            .iter()
            .position(|part| content_words(&without_calls_to_action(part)) < 3)
    {
        findings.push(warning(
            CONTENT_FREE_POST,
            format!("Post {} says nothing on its own; merge it with the one before.", number + 1),
        ));
    }
    findings
}

/// The short-post networks, whose posts a reader meets one at a time.
fn is_thread_network(channel: Channel) -> bool {
    crate::channel::ShortPost::of(channel, None).is_some()
}

/// The units a reader meets one at a time: thread posts, or paragraphs and list items.
fn units(channel: Channel, content: &str) -> Vec<&str> {
    if is_thread_network(channel) {
        return crate::lint::thread_parts(content);
    }
    content
        .split("\n\n")
        .flat_map(str::lines)
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.strip_prefix("- ").unwrap_or(line))
        .collect()
}

fn excerpt(line: &str) -> String {
    crate::words::trim_to_chars(line, 60)
}

/// A thread part without its trailing "2/5".
fn strip_numbering(line: &str) -> &str {
    match line.rsplit_once(' ') {
        Some((rest, number))
            if number.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty() && !b.is_empty() && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
            }) =>
        {
            rest
        }
        _ => line,
    }
}

/// Markup a reader should never see: tags, link or image syntax, emphasis markers, code
/// fences, MDX or Liquid syntax, escaped brackets, entities, front matter.
fn markup_residue(content: &str) -> Option<String> {
    const SYNTAX: [&str; 12] =
        ["](", "![", "**", "__", "```", "{/", ":::", "{%", "{{", "\\[", "&nbsp;", "&amp;"];
    const FRONT_MATTER_KEYS: [&str; 10] = [
        "title:",
        "author:",
        "authors:",
        "date:",
        "description:",
        "tags:",
        "slug:",
        "image:",
        "layout:",
        "permalink:",
    ];
    let bytes = content.as_bytes();
    if let Some(at) = bytes.windows(2).position(|pair| {
        pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'/' || pair[1] == b'!')
    }) {
        let end = content[at..].find('>').map_or(content.len().min(at + 20), |e| at + e + 1);
        return Some(content[at..end.min(at + 40)].chars().take(40).collect());
    }
    if let Some(syntax) = SYNTAX.iter().find(|syntax| content.contains(*syntax)) {
        return Some((*syntax).to_owned());
    }
    content.lines().map(str::trim).find_map(|line| {
        let lower = line.to_ascii_lowercase();
        (line == "---" || FRONT_MATTER_KEYS.iter().any(|key| lower.starts_with(key))).then(|| excerpt(line))
    })
}

/// A label naming a person or a role: two or three capitalised words, or one in capitals
/// ("HOST"). "Note:" or "Launch:" introduce content and are not labels.
fn is_person_label(label: &str) -> bool {
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.as_slice() {
        [single] => single.chars().count() > 1 && single.chars().all(|c| c.is_uppercase()),
        _ => words.iter().all(|word| !lang::is_function_word_in_any(&word.to_lowercase())),
    }
}

/// A one-word heading that says nothing of its section: a function word, a contraction, a
/// number or a placeholder ("We're", "Anything", "2", "Misc"). A one-word term or name
/// ("Telepresence", "Design") is a heading its author chose.
fn is_empty_heading(heading: &str) -> bool {
    const PLACEHOLDERS: [&str; 12] = [
        "anything",
        "everything",
        "something",
        "nothing",
        "misc",
        "more",
        "other",
        "others",
        "part",
        "section",
        "stuff",
        "things",
    ];
    let mut words = heading.split_whitespace();
    let (Some(word), None) = (words.next(), words.next()) else { return false };
    let lower = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    !Language::ALL.iter().any(|l| is_fixed_heading(*l, heading))
        && (lower.is_empty()
            || word.contains(['\'', '’'])
            || lower.chars().all(|c| c.is_ascii_digit())
            || lang::is_function_word_in_any(&lower)
            || PLACEHOLDERS.contains(&lower.as_str()))
}

/// The renderers' own section names in every language, which are one word by design.
fn is_fixed_heading(language: Language, heading: &str) -> bool {
    let phrases = language.phrases();
    heading.eq_ignore_ascii_case(phrases.conclusion) || heading.eq_ignore_ascii_case(phrases.key_points)
}

fn hashtags(content: &str, fields: &ChannelFields) -> Vec<String> {
    let listed = fields.hashtags.iter().cloned();
    let written = content
        .split_whitespace()
        .filter_map(|word| word.strip_prefix('#'))
        .filter(|tag| tag.starts_with(char::is_alphabetic))
        .map(|tag| format!("#{}", tag.trim_end_matches(|c: char| !c.is_alphanumeric())));
    listed.chain(written).collect()
}

/// A function word, a contraction's remains (#WeRe, #ItS, #Dont) or too short to be a topic.
fn is_stopword_hashtag(tag: &str) -> bool {
    let body = tag.trim_start_matches('#');
    let lower = body.to_lowercase();
    let parts = camel_parts(body);
    let contraction = parts.len() > 1
        && parts.iter().skip(1).any(|part| ["s", "t", "re", "ll", "ve", "d", "m"].contains(&part.as_str()));
    let negation = ["dont", "cant", "wont", "isnt", "didnt", "doesnt", "arent", "im", "ive", "youre", "lets"]
        .contains(&lower.as_str());
    lower.chars().count() <= 2
        || contraction
        || negation
        || parts.iter().all(|part| Language::ALL.iter().any(|language| language.is_function_word(part)))
}

/// "WeRe" → ["we", "re"]; "FourDayWeek" → ["four", "day", "week"]; an acronym stays one
/// part ("ESLintPlugin" → ["es", "lint", "plugin"], "APIs" → ["apis"]).
fn camel_parts(body: &str) -> Vec<String> {
    let chars: Vec<char> = body.chars().collect();
    let mut parts: Vec<String> = Vec::new();
    for (at, &c) in chars.iter().enumerate() {
        let previous = at.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(at + 1);
        let starts_word = c.is_uppercase()
            && (previous.is_some_and(char::is_lowercase)
                || previous.is_some_and(char::is_uppercase)
                    && next.is_some_and(|n| n.is_lowercase() && *n != 's'));
        if parts.is_empty() || starts_word {
            parts.push(String::new());
        }
        if let Some(last) = parts.last_mut() {
            last.extend(c.to_lowercase());
        }
    }
    parts
}

/// A title that stops mid-phrase: an ellipsis, or a function word at the end.
fn is_cut(title: &str) -> bool {
    let trimmed = title.trim();
    let last = trimmed.split_whitespace().last().unwrap_or_default();
    let bare = last.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    trimmed.ends_with('…')
        || trimmed.ends_with("...")
        || trimmed.split_whitespace().count() > 1 && crate::words::ends_mid_phrase(&bare)
}

/// A post without the calls to action the engine writes (in any language): what is left is
/// what the post says.
fn without_calls_to_action(part: &str) -> String {
    let mut text = part.to_owned();
    for language in Language::ALL {
        let phrases = language.phrases();
        for cta in phrases.social_cta.iter().chain(&phrases.newsletter_cta).chain([&phrases.blog_cta]) {
            text = text.replace(cta, " ");
        }
    }
    text
}

/// Words that carry content: not hashtags, numbering, links or function words.
fn content_words(part: &str) -> usize {
    part.split_whitespace()
        .filter(|word| !word.starts_with('#') && !word.starts_with("http") && !word.contains('/'))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|word| word.chars().count() > 1 && !lang::is_function_word_in_any(word))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(channel: Channel, content: &str, fields: ChannelFields) -> Vec<String> {
        lint_quality(channel, content, &fields).into_iter().map(|f| f.rule.into_owned()).collect()
    }

    #[test]
    fn a_clean_post_has_no_quality_findings() {
        let post = "Rye and Crumb moved to a four-day week.\n\nSales rose by a fifth.\n\nWhat do you think?\n\n#FourDayWeek #Bakery";
        assert!(
            rules(
                Channel::Linkedin,
                post,
                ChannelFields {
                    hashtags: vec!["#FourDayWeek".into(), "#Bakery".into()],
                    ..ChannelFields::default()
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn each_defect_class_is_found() {
        let cases: [(Channel, &str, ChannelFields, &str); 9] = [
            (
                Channel::Linkedin,
                "Read [the post](https://x.y) now.",
                ChannelFields::default(),
                MARKUP_RESIDUE,
            ),
            (Channel::Linkedin, "<SignupForm /> is here.", ChannelFields::default(), MARKUP_RESIDUE),
            (
                Channel::Linkedin,
                "There are three reasons:\n\nSales rose.",
                ChannelFields::default(),
                DANGLING_COLON,
            ),
            (
                Channel::X,
                "It doubled in a year and kept growing. 1/2\n\nSales rose a lot. 2/2",
                ChannelFields::default(),
                UNRESOLVED_OPENER,
            ),
            (
                Channel::Linkedin,
                "October 21, 2024 by Lauren Tan.\n\nSales rose.",
                ChannelFields::default(),
                LABEL_OR_BYLINE,
            ),
            (
                Channel::Linkedin,
                "Jerod Santo: So tell us about it.",
                ChannelFields::default(),
                LABEL_OR_BYLINE,
            ),
            (
                Channel::Blog,
                "# A title\n\nIntro.\n\n## We're\n\nText.",
                ChannelFields::default(),
                ONE_WORD_HEADING,
            ),
            (Channel::Linkedin, "Sales rose.\n\n#WeRe #Die", ChannelFields::default(), STOPWORD_HASHTAG),
            (
                Channel::Newsletter,
                "# Body",
                ChannelFields {
                    subject: Some("The many benefits of the".into()),
                    ..ChannelFields::default()
                },
                CUT_TITLE,
            ),
        ];
        for (channel, content, fields, rule) in cases {
            assert!(rules(channel, content, fields).iter().any(|found| found == rule), "{rule}: {content}");
        }
        let thread = "The bakery moved to a four-day week and sales rose. 1/2\n\nAgree or disagree? Tell us why. #Bakery 2/2";
        for channel in [Channel::X, Channel::Bluesky, Channel::Mastodon] {
            assert_eq!(rules(channel, thread, ChannelFields::default()), [CONTENT_FREE_POST], "{channel}");
        }
    }

    #[test]
    fn lookalikes_are_not_defects() {
        for (channel, content) in [
            (Channel::Linkedin, "Note: the compiler is opt-in and works with React 17."),
            (Channel::Linkedin, "Sales rose 3 < 5 times this year."),
            (Channel::Blog, "# Title\n\nIntro.\n\n## Conclusion\n\nDone."),
            (Channel::Blog, "# Title\n\nIntro.\n\n## Telepresence\n\nA tool for local development."),
            (Channel::Newsletter, "# Why we use HTTPS for every site we make"),
            (Channel::Newsletter, "# Title\n\nIntro.\n\n## Key points\n\n- One.\n- Two.\n- Three."),
            (Channel::Linkedin, "Three steps:\n- Mix.\n- Bake."),
            (Channel::Linkedin, "“We shipped every week.” — Ann Lee"),
            (Channel::Newsletter, "# React Canaries: Enabling Incremental Feature Rollout"),
            (
                Channel::X,
                "All the code for the site is on GitHub. 1/2\n\nWe shipped the site in a month. 2/2",
            ),
        ] {
            assert!(rules(channel, content, ChannelFields::default()).is_empty(), "{content}");
        }
        assert!(!is_stopword_hashtag("#ReactCompiler") && !is_stopword_hashtag("#FourDayWeek"));
        assert!(!is_stopword_hashtag("#ESLintPlugin") && !is_stopword_hashtag("#APIs"));
        assert_eq!(camel_parts("WeRe"), ["we", "re"]);
        assert_eq!(camel_parts("ESLintPlugin"), ["es", "lint", "plugin"]);
    }
}
