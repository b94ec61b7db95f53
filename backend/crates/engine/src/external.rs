//! Output written elsewhere (an LLM) brought under the same channel rules and checked
//! against the source: sentences that match no source sentence are flagged as unsupported.

use serde::Deserialize;

use crate::{
    Channel, ChannelFields, EngineError, EngineInfo, GenerationOptions, Tone, Variant, VariantMetadata,
    Writer,
    analysis::{Analysis, Grounded},
    channel::*,
    count::char_count,
    lint::{LintFinding, Severity, hashtag_count},
    render::short_post::{self, NUMBER_ROOM, number, split_to_fit},
    text::{content_words, segment},
    words::{slugify, trim_to_chars},
};

/// A share of a sentence's content words this high, found in one source sentence, grounds it.
const GROUNDING_OVERLAP: f64 = 0.6;
/// Sentences with fewer content words (greetings, questions, calls to action) claim nothing.
const MIN_CLAIM_WORDS: usize = 3;

/// What an external writer produced for one channel.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ExternalDraft {
    /// X posts, in order.
    pub parts: Vec<String>,
    /// The post or Markdown body (LinkedIn, newsletter, blog).
    pub body: String,
    pub subject: Option<String>,
    pub preheader: Option<String>,
    pub title: Option<String>,
    pub meta_description: Option<String>,
}

/// The brief an external writer gets for one channel: the facts rule, the JSON shape of an
/// [`ExternalDraft`], the channel's limits from the rules table, how a post on it reads, the
/// tone and the source's language. The engine's quality lint checks the same things on the
/// answer, so a draft that follows the brief comes back clean.
pub fn writing_brief(source: &str, channel: Channel, options: &GenerationOptions) -> String {
    let shape = match channel {
        Channel::X => thread_shape(ShortPost::x()),
        Channel::Bluesky => thread_shape(ShortPost::bluesky()),
        Channel::Mastodon => thread_shape(ShortPost::mastodon(options.mastodon_max_chars)),
        Channel::Linkedin => format!(
            r#"{{"body": "post"}}: at most {LINKEDIN_MAX_CHARS} characters; a first line under {LINKEDIN_HOOK_MAX_CHARS} characters that makes people stop (a result, a number, a question or a strong claim from the source); short paragraphs of one or two sentences; one closing question; {LINKEDIN_MIN_HASHTAGS} to {LINKEDIN_MAX_HASHTAGS} hashtags on the last line"#
        ),
        Channel::Newsletter => format!(
            r###"{{"subject": "...", "preheader": "...", "body": "..."}}: a subject of at most {NEWSLETTER_SUBJECT_MAX_CHARS} characters that is a whole phrase (never cut mid-phrase); a preheader of one whole sentence of {NEWSLETTER_PREHEADER_MIN_CHARS} to {NEWSLETTER_PREHEADER_MAX_CHARS} characters; a Markdown body with a "# " headline, one opening paragraph, a "## " section of {NEWSLETTER_MIN_KEY_POINTS} to {NEWSLETTER_MAX_KEY_POINTS} "- " bullets that are whole sentences, and one call to action as the last line"###
        ),
        Channel::Blog => format!(
            r###"{{"title": "...", "meta_description": "...", "body": "..."}}: a title of at most {BLOG_TITLE_MAX_CHARS} characters that is a whole phrase; a meta description of {BLOG_META_MIN_CHARS} to {BLOG_META_MAX_CHARS} characters of whole sentences; a Markdown body with a "# " title, an intro paragraph, at least {BLOG_MIN_SECTIONS} "## " sections headed by the source's own headings or by a 2-6 word phrase naming the section's topic, and a closing "## " section (Conclusion, in the post's language) with one call to action"###
        ),
    };
    let tone = match options.tone {
        Tone::Professional => {
            "professional: clear and factual, addressing the reader formally where the language has a formal you"
        }
        Tone::Casual => "casual: relaxed and direct",
        Tone::Friendly => "friendly: warm and encouraging",
        Tone::Bold => "bold: confident, short sentences, strong claims the source supports",
    };
    let language = match crate::lang::detect(source) {
        Some(language) => format!("Write in {}, the language of the source.", language.english_name()),
        None => "Write in the language of the source.".to_owned(),
    };
    let mut brief = format!(
        "You repurpose a source text into a {} post. Use only facts stated in the source; never add numbers, names or claims it does not contain. {language} Tone: {tone}. \
         Draw on the whole source, not only its opening: its key results, tips and conclusions. \
         Every sentence must stand alone: do not start with a word that points back to something the post does not say (it, this, they, however), do not end a line with a colon unless its list follows, and never cut a sentence or a title mid-phrase. \
         Write plain text: no Markdown links, images, bold or HTML, no front matter, bylines, speaker labels, captions, thanks or promotions; quote a speaker of a conversation as “…” — Name. \
         Hashtags name topics (noun phrases in CamelCase), never function words. \
         Answer with JSON only, shaped as {shape}.",
        channel.as_str(),
    );
    if !options.hashtags {
        brief.push_str(" Use no hashtags.");
    }
    if !options.emoji {
        brief.push_str(" Use no emoji.");
    }
    if let Some(cta) = &options.call_to_action {
        brief.push_str(&format!(" End with this call to action: {cta}"));
    }
    brief
}

/// Fits an external draft to the channel's rules and grounds it in `source`.
pub fn adopt_external(
    source: &str,
    channel: Channel,
    draft: ExternalDraft,
    options: &GenerationOptions,
) -> Result<Variant, EngineError> {
    let analysis = Analysis::new(source, options);
    if analysis.sentences.is_empty() {
        return Err(EngineError::EmptySource);
    }
    let mut fields = ChannelFields::default();
    let content = match channel {
        Channel::X => fit_thread(ShortPost::x(), &draft, &mut fields),
        Channel::Bluesky => fit_thread(ShortPost::bluesky(), &draft, &mut fields),
        Channel::Mastodon => fit_thread(ShortPost::mastodon(options.mastodon_max_chars), &draft, &mut fields),
        Channel::Linkedin => {
            trim_paragraphs(&limit_hashtags(&draft.body, LINKEDIN_MAX_HASHTAGS), LINKEDIN_MAX_CHARS)
        }
        Channel::Newsletter => {
            let subject = draft
                .subject
                .filter(|s| !s.trim().is_empty())
                .unwrap_or_else(|| analysis.title(usize::MAX).text);
            fields.subject = Some(trim_to_chars(subject.trim(), NEWSLETTER_SUBJECT_MAX_CHARS));
            let preheader =
                within(draft.preheader, NEWSLETTER_PREHEADER_MIN_CHARS, NEWSLETTER_PREHEADER_MAX_CHARS)
                    .unwrap_or_else(|| {
                        analysis
                            .summary_between(
                                analysis.hook(),
                                NEWSLETTER_PREHEADER_MIN_CHARS,
                                NEWSLETTER_PREHEADER_MAX_CHARS,
                                &[],
                            )
                            .text
                    });
            fields.preheader = Some(preheader);
            draft.body.trim().to_owned()
        }
        Channel::Blog => {
            let title = draft
                .title
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| analysis.title(usize::MAX).text);
            let title = trim_to_chars(title.trim(), BLOG_TITLE_MAX_CHARS);
            let meta = within(draft.meta_description, BLOG_META_MIN_CHARS, BLOG_META_MAX_CHARS)
                .unwrap_or_else(|| {
                    analysis
                        .summary_between(analysis.hook(), BLOG_META_MIN_CHARS, BLOG_META_MAX_CHARS, &[])
                        .text
                });
            fields.slug = Some(slugify(&title, BLOG_SLUG_MAX_CHARS));
            fields.title = Some(title);
            fields.meta_description = Some(meta);
            draft.body.trim().to_owned()
        }
    };
    let (grounding, unsupported) = ground(&analysis, &content);
    fields.hashtags = hashtags_of(&content);
    // A model's draft is not checked for its language.
    let engine = EngineInfo {
        name: Writer::External,
        version: RULES_VERSION.to_owned(),
        seed: options.seed,
        language: None,
    };
    let mut metadata = VariantMetadata::new(channel, &content, fields, &grounding, engine);
    metadata.lint.extend(unsupported.into_iter().map(|sentence| LintFinding {
        rule: "grounding.unsupported_claim".into(),
        severity: Severity::Warning,
        message: format!("Not found in the source: \"{sentence}\". Check it or remove it."),
    }));
    Ok(Variant { channel, content, metadata })
}

/// The draft's value when it is within the limits, trimmed of surrounding space.
fn within(value: Option<String>, min: usize, max: usize) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| (min..=max).contains(&char_count(v)))
}

/// The JSON shape and limits of a short-post network's draft.
fn thread_shape(network: ShortPost) -> String {
    let unit = match network.counting {
        Counting::Weighted => "characters as X counts them (a URL counts 23)",
        Counting::Graphemes => "characters as people see them (an emoji counts 1, a URL in full)",
        Counting::Mastodon => "characters as Mastodon counts them (a URL counts 23)",
        Counting::Chars => "characters",
    };
    format!(
        r#"{{"parts": ["post 1", "post 2"]}}: one post, or a thread of up to 9 posts, each at most {} {unit}, each ending with its number "n/m" when there is more than one, at most {} hashtags in all. Every post must make sense on its own; no post may be only hashtags or a call to action"#,
        network.max_length, network.max_hashtags
    )
}

/// The draft as a post or thread of the network, with its channel fields.
fn fit_thread(network: ShortPost, draft: &ExternalDraft, fields: &mut ChannelFields) -> String {
    let parts = fit_thread_parts(network, draft);
    *fields = short_post::fields(network, &parts);
    parts.join("\n\n")
}

/// Re-splits posts over the limit at spaces, keeps the network's hashtags and renumbers.
fn fit_thread_parts(network: ShortPost, draft: &ExternalDraft) -> Vec<String> {
    let raw: Vec<String> =
        if draft.parts.is_empty() { vec![draft.body.clone()] } else { draft.parts.clone() };
    let text: Vec<String> = raw.iter().map(|p| strip_numbering(p.trim())).filter(|p| !p.is_empty()).collect();
    let limited = limit_hashtags(&text.join("\n\n"), network.max_hashtags);
    let room = network.max_length.saturating_sub(NUMBER_ROOM);
    let parts: Vec<String> = limited
        .split("\n\n")
        .flat_map(|part| split_to_fit(network, Grounded { text: part.to_owned(), spans: vec![] }, room))
        .map(|piece| piece.text)
        .collect();
    number(parts)
}

fn strip_numbering(part: &str) -> String {
    match part.rsplit_once(' ') {
        Some((text, last))
            if last
                .split_once('/')
                .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok()) =>
        {
            text.trim_end().to_owned()
        }
        _ => part.to_owned(),
    }
}

/// Drops hashtags beyond `max`, keeping the first ones.
fn limit_hashtags(text: &str, max: usize) -> String {
    if hashtag_count(text) <= max {
        return text.to_owned();
    }
    let mut kept = 0;
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .filter(|word| {
                    let is_tag =
                        word.starts_with('#') && word.chars().nth(1).is_some_and(char::is_alphanumeric);
                    if is_tag {
                        kept += 1;
                    }
                    !is_tag || kept <= max
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whole paragraphs while they fit.
fn trim_paragraphs(text: &str, max: usize) -> String {
    let mut kept = String::new();
    for paragraph in text.trim().split("\n\n") {
        let next = if kept.is_empty() { paragraph.to_owned() } else { format!("{kept}\n\n{paragraph}") };
        if char_count(&next) > max {
            break;
        }
        kept = next;
    }
    kept
}

fn hashtags_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with('#') && w.chars().nth(1).is_some_and(char::is_alphanumeric))
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .collect()
}

/// Matches each output sentence to the source sentence sharing most of its content words.
fn ground(analysis: &Analysis, content: &str) -> (Vec<Grounded>, Vec<String>) {
    let source_words: Vec<Vec<String>> =
        analysis.sentences.iter().map(|s| content_words(&s.text, analysis.language)).collect();
    let mut grounded = Vec::new();
    let mut unsupported = Vec::new();
    for sentence in segment(content, analysis.language).sentences {
        let words = content_words(&sentence.text, analysis.language);
        if words.len() < MIN_CLAIM_WORDS || sentence.text.starts_with('#') {
            continue;
        }
        let best = source_words
            .iter()
            .enumerate()
            .map(|(index, candidate)| {
                let shared = words.iter().filter(|w| candidate.contains(w)).count();
                (index, shared as f64 / words.len() as f64)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        match best {
            Some((index, overlap)) if overlap >= GROUNDING_OVERLAP => {
                let source = &analysis.sentences[index];
                grounded.push(Grounded { text: sentence.text, spans: vec![(source.start, source.end)] });
            }
            _ => unsupported.push(sentence.text),
        }
    }
    (grounded, unsupported)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint_variant;

    const SOURCE: &str = "Rye and Crumb switched to a four-day week in March. Sales rose four percent in three months. \
        Waste fell by a fifth because the bakery plans production around fewer days. Staff kept the same weekly pay.";

    #[test]
    fn the_brief_carries_the_channel_rules_the_tone_and_the_source_language() {
        let german = "Die neue Registry ist da und ersetzt die alte vollständig. Betreiber sollten ihre Manifeste umstellen, \
                      denn die alte Registry bekommt keine neuen Versionen mehr.";
        let options = GenerationOptions {
            hashtags: false,
            call_to_action: Some("Jetzt umstellen.".into()),
            ..GenerationOptions::default()
        };
        let x = writing_brief(german, Channel::X, &options);
        assert!(x.contains("at most 280 characters") && x.contains("Write in German"), "{x}");
        assert!(
            x.contains("Use no hashtags.") && x.ends_with("End with this call to action: Jetzt umstellen."),
            "{x}"
        );
        let blog = writing_brief("Ein kurzer Satz.", Channel::Blog, &GenerationOptions::default());
        assert!(blog.contains("at most 60 characters") && blog.contains("120 to 155"), "{blog}");
        assert!(blog.contains("Write in the language of the source."), "{blog}");
        let linkedin =
            writing_brief(german, Channel::Linkedin, &GenerationOptions { tone: Tone::Bold, ..options });
        assert!(linkedin.contains("3 to 5 hashtags") && linkedin.contains("Tone: bold"), "{linkedin}");
    }

    #[test]
    fn claims_not_in_the_source_are_flagged() {
        let draft = ExternalDraft {
            body: "Rye and Crumb switched to a four-day week in March.\n\nThe bakery also opened a branch in Paris last year.\n\nWhat do you think?".into(),
            ..ExternalDraft::default()
        };
        let variant =
            adopt_external(SOURCE, Channel::Linkedin, draft, &GenerationOptions::default()).unwrap();
        let lint = &variant.metadata.lint;
        let unsupported: Vec<&LintFinding> =
            lint.iter().filter(|f| f.rule == "grounding.unsupported_claim").collect();
        assert_eq!(unsupported.len(), 1, "{lint:?}");
        assert!(unsupported[0].message.contains("Paris"));
        assert_eq!(variant.metadata.grounding.len(), 1);
    }

    #[test]
    fn x_drafts_are_refitted_and_renumbered() {
        let long = "Sales rose four percent in three months ".repeat(12);
        let draft = ExternalDraft {
            parts: vec![format!("{long} #A #B #C 1/1"), "Staff kept the same weekly pay. 2/2".into()],
            ..ExternalDraft::default()
        };
        let variant = adopt_external(SOURCE, Channel::X, draft, &GenerationOptions::default()).unwrap();
        assert!(
            lint_variant(Channel::X, &variant.content, &variant.metadata.fields)
                .iter()
                .all(|f| f.severity != Severity::Error)
        );
        let parts = variant.metadata.fields.parts.unwrap();
        assert!(parts.len() >= 3);
        assert!(parts.last().unwrap().ends_with(&format!("{}/{}", parts.len(), parts.len())));
        assert!(hashtag_count(&variant.content) <= 2);
    }

    #[test]
    fn bluesky_and_mastodon_drafts_are_refitted_to_their_own_limits() {
        let mastodon = GenerationOptions { mastodon_max_chars: Some(1_000), ..GenerationOptions::default() };
        let brief = writing_brief(SOURCE, Channel::Mastodon, &mastodon);
        assert!(brief.contains("at most 1000 characters as Mastodon counts them"), "{brief}");
        assert!(brief.contains("at most 4 hashtags"), "{brief}");
        let brief = writing_brief(SOURCE, Channel::Bluesky, &GenerationOptions::default());
        assert!(brief.contains("at most 300 characters as people see them"), "{brief}");

        let long = "Sales rose four percent in three months ".repeat(12);
        let draft =
            ExternalDraft { parts: vec![format!("{long} #A #B #C #D #E")], ..ExternalDraft::default() };
        let bluesky =
            adopt_external(SOURCE, Channel::Bluesky, draft.clone(), &GenerationOptions::default()).unwrap();
        let parts = bluesky.metadata.fields.parts.unwrap();
        assert_eq!(parts.len(), 2, "{}", bluesky.content);
        assert!(parts.iter().all(|p| crate::count::grapheme_count(p) <= 300));
        assert_eq!(hashtag_count(&bluesky.content), 2);
        let roomy = adopt_external(SOURCE, Channel::Mastodon, draft, &mastodon).unwrap();
        assert_eq!(roomy.metadata.fields.parts.as_ref().map(Vec::len), Some(1), "{}", roomy.content);
        assert_eq!(roomy.metadata.fields.max_chars, Some(1_000));
        assert_eq!(hashtag_count(&roomy.content), 4);
        assert!(
            lint_variant(Channel::Mastodon, &roomy.content, &roomy.metadata.fields)
                .iter()
                .all(|f| f.severity != Severity::Error)
        );
    }

    #[test]
    fn out_of_range_fields_fall_back_to_the_source() {
        let draft = ExternalDraft {
            body: "# Title\n\nBody.\n\n## A\n\nx\n\n## B\n\ny\n\n## Conclusion\n\nz".into(),
            title: Some("A very long title that goes on and on well beyond sixty characters in total".into()),
            meta_description: Some("Too short.".into()),
            ..ExternalDraft::default()
        };
        let variant = adopt_external(SOURCE, Channel::Blog, draft, &GenerationOptions::default()).unwrap();
        let fields = variant.metadata.fields;
        assert!(fields.title.unwrap().chars().count() <= 60);
        let meta = fields.meta_description.unwrap().chars().count();
        assert!((120..=155).contains(&meta), "{meta}");
        assert!(fields.slug.unwrap().starts_with("a-very-long-title"));
    }
}
