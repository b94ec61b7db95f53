use unicode_segmentation::UnicodeSegmentation;

use super::{Rendered, Voices, call_to_action};
use crate::{
    Channel, ChannelFields,
    analysis::{Analysis, Grounded, SingleWord},
    channel::{
        BLOG_META_MAX_CHARS, BLOG_META_MIN_CHARS, BLOG_MIN_SECTIONS, BLOG_SLUG_MAX_CHARS,
        BLOG_TITLE_MAX_CHARS,
    },
    words::slugify,
};

const SECTION_SENTENCES: usize = 3;
const MAX_SECTIONS: usize = 4;
/// Sentences spread over sections when the source has no headings of its own.
const UNSTRUCTURED_SENTENCES: usize = 8;

/// An SEO title, meta description and slug; a Markdown article with an intro, H2 sections
/// (the source's own headings where it has them) and a conclusion from its closing section.
pub fn render(analysis: &Analysis) -> Rendered {
    let title = analysis.title(BLOG_TITLE_MAX_CHARS);
    let hook = analysis.hook();
    let title_source = analysis.title_source(BLOG_TITLE_MAX_CHARS);
    let meta = analysis.summary_between(hook, BLOG_META_MIN_CHARS, BLOG_META_MAX_CHARS, &[]);
    let slug = slugify(&title.text, BLOG_SLUG_MAX_CHARS);
    let outline = outline(analysis, &[hook, title_source], &analysis.title(usize::MAX).text);

    let mut grounding = vec![title.clone(), meta.clone()];
    let intro = analysis.grounded(hook, None);
    let mut voices = Voices::default();
    let mut blocks = vec![format!("# {}", title.text), voices.quote(analysis, &[(hook, intro.clone())])];
    grounding.push(intro);
    for (heading, group) in &outline.sections {
        let lines: Vec<(usize, Grounded)> = group.iter().map(|&i| (i, analysis.grounded(i, None))).collect();
        // An unheaded first group goes on from the intro; each section names its speaker
        // afresh, as a reader may start at any heading.
        if !heading.is_empty() {
            voices = Voices::default();
            blocks.push(format!("## {heading}"));
        }
        blocks.push(paragraphs(analysis, &mut voices, &lines));
        grounding.extend(lines.into_iter().map(|(_, line)| line));
    }
    blocks.push(format!("## {}", analysis.phrases().conclusion));
    let cta = call_to_action(analysis, Channel::Blog);
    match outline.conclusion {
        Some(index) => {
            let closing = analysis.grounded(index, None);
            blocks.push(format!("{} {cta}", voices.quote(analysis, &[(index, closing.clone())])));
            grounding.push(closing);
        }
        None => blocks.push(cta),
    }

    let fields = ChannelFields {
        title: Some(title.text),
        meta_description: Some(meta.text),
        slug: Some(slug),
        ..ChannelFields::default()
    };
    Rendered { content: blocks.join("\n\n"), grounding, fields }
}

/// The article's sections (heading and sentences, in source order) and its closing sentence.
struct Outline {
    sections: Vec<(String, Vec<usize>)>,
    conclusion: Option<usize>,
}

fn outline(analysis: &Analysis, shown: &[usize], title: &str) -> Outline {
    let headed: Vec<(usize, String)> = analysis
        .section_headings()
        .into_iter()
        .map(|(section, heading)| (section, heading_text(&analysis.sentences[heading].text)))
        .filter(|(section, heading)| {
            !is_frame_heading(heading)
                && !heading.eq_ignore_ascii_case(title)
                && !analysis.best_in_section(*section, 1, shown).is_empty()
        })
        .collect();
    // With just two sections, the last must hold enough for a section and a conclusion.
    let enough = headed.len() > BLOG_MIN_SECTIONS
        || headed.len() == BLOG_MIN_SECTIONS
            && headed
                .last()
                .is_some_and(|(section, _)| analysis.best_in_section(*section, 2, shown).len() == 2);
    if enough {
        return outline_from_headings(analysis, shown, headed);
    }
    unstructured_outline(analysis, shown)
}

/// Sections follow the source's own: its closing section gives the conclusion, and the best
/// of the others (by their best sentence) give up to four sections.
/// With just enough sections for the body, the last one also gives the conclusion, from a
/// sentence its section leaves out.
fn outline_from_headings(analysis: &Analysis, shown: &[usize], mut headed: Vec<(usize, String)>) -> Outline {
    let closing = if headed.len() > BLOG_MIN_SECTIONS { headed.pop() } else { headed.last().cloned() };
    let (closing_section, _) = closing.expect("at least two sections");
    let conclusion = analysis.closing_in_section(closing_section, shown);
    let shown: Vec<usize> = shown.iter().copied().chain(conclusion).collect();
    let shown = shown.as_slice();
    let best_of = |section: usize| {
        analysis.best_in_section(section, 1, shown).first().map_or(0.0, |&i| analysis.score(i))
    };
    headed.sort_by(|a, b| best_of(b.0).total_cmp(&best_of(a.0)).then(a.0.cmp(&b.0)));
    headed.truncate(MAX_SECTIONS);
    headed.sort_by_key(|(section, _)| *section);
    let sections = headed
        .into_iter()
        .map(|(section, heading)| (heading, analysis.best_in_section(section, SECTION_SENTENCES, shown)))
        .filter(|(_, sentences)| !sentences.is_empty())
        .collect();
    Outline { sections, conclusion }
}

/// Without headings of its own, the piece is cut along its paragraphs into two to four
/// groups, each headed by a phrase it contains.
fn unstructured_outline(analysis: &Analysis, shown: &[usize]) -> Outline {
    // The conclusion: the best whole sentence of the piece's last fifth (or its last sentence).
    let closing_from = analysis.source.len() * 4 / 5;
    let candidates =
        || analysis.ranked.iter().copied().filter(|&i| analysis.stands_alone(i) && !shown.contains(&i));
    let conclusion = candidates()
        .find(|&i| analysis.sentences[i].start >= closing_from)
        .or_else(|| candidates().max_by_key(|&i| analysis.sentences[i].start));
    let exclude: Vec<usize> = shown.iter().copied().chain(conclusion).collect();
    // Only sentences that stand alone: a short piece gives a shorter post, not one with a
    // sentence that leans on one left out.
    let selected = analysis.select_where(UNSTRUCTURED_SENTENCES, &exclude, &|i| analysis.stands_alone(i));
    let mut used = Vec::new();
    let mut sections: Vec<(String, Vec<usize>)> = Vec::new();
    // In a conversation a lone name is mostly someone or somewhere mentioned in passing
    // ("Sandi", "Sweden"): a spoken statement heads a group before one does.
    let conversation = analysis.speakers.len() > 1;
    for mut group in groups(analysis, &selected) {
        if let Some(heading) = analysis.heading_for(
            &group,
            &mut used,
            if conversation { SingleWord::None } else { SingleWord::Name },
        ) {
            sections.push((heading, group));
        } else if let Some(sentence) = statement_heading(analysis, &group, &exclude) {
            // No phrase names the group: a short sentence of its stretch of the piece becomes a
            // statement heading.
            group.retain(|&i| i != sentence);
            let text = analysis.grounded(sentence, None).text;
            sections.push((heading_text(&text), group));
        } else if let Some(heading) = analysis.heading_for(&group, &mut used, SingleWord::NameOrKeyphrase) {
            sections.push((heading, group));
        } else if let Some((_, previous)) = sections.last_mut() {
            previous.extend(group);
        } else {
            sections.push((String::new(), group));
        }
    }
    Outline { sections, conclusion }
}

/// Which sentence can head a group as a statement ("Customers adapted faster than expected"):
/// the shortest that stands alone and fits a heading, from the stretch of the piece the group
/// covers, leaving at least one sentence below it.
fn statement_heading(analysis: &Analysis, group: &[usize], exclude: &[usize]) -> Option<usize> {
    let (&first, &last) = (group.first()?, group.last()?);
    (first..=last)
        .filter(|&i| !exclude.contains(&i) && analysis.stands_alone(i) && (group.len() > 1 || group[0] != i))
        .map(|i| (i, analysis.grounded(i, None).text.chars().count()))
        .filter(|&(i, chars)| {
            let text = &analysis.sentences[i].text;
            // A question, or a line addressing someone by name ("…, Adam, …"), is no heading.
            chars <= STATEMENT_HEADING_MAX_CHARS
                && !text.ends_with('?')
                && !text.unicode_words().any(|word| analysis.is_speaker_name(&word.to_lowercase()))
        })
        .min_by_key(|&(i, chars)| (chars, i))
        .map(|(i, _)| i)
}

const STATEMENT_HEADING_MAX_CHARS: usize = 70;

/// A source heading as a section heading: without the trailing colon or full stop.
fn heading_text(text: &str) -> String {
    text.trim_end_matches([':', '.', ' ']).to_owned()
}

/// Headings of a piece's frame rather than its content: thanks, reading lists, the author.
fn is_frame_heading(heading: &str) -> bool {
    const FRAME: [&str; 16] = [
        "acknowledg",
        "thank",
        "credits",
        "further reading",
        "resources",
        "references",
        "links",
        "learn more",
        "about the author",
        "about us",
        "related",
        "footnotes",
        "danksagung",
        "remerciements",
        "agradecimientos",
        "ringraziamenti",
    ];
    let lower = heading.to_lowercase();
    FRAME.iter().any(|frame| lower.starts_with(frame))
}

/// Sentences of one section as paragraphs: a new paragraph where the source had one.
fn paragraphs<'a>(analysis: &'a Analysis, voices: &mut Voices<'a>, lines: &[(usize, Grounded)]) -> String {
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<(usize, Grounded)> = Vec::new();
    for line in lines {
        if let Some((last, _)) = current.last()
            && analysis.sentences[*last].paragraph != analysis.sentences[line.0].paragraph
        {
            blocks.push(voices.quote(analysis, &current));
            current.clear();
        }
        current.push(line.clone());
    }
    if !current.is_empty() {
        blocks.push(voices.quote(analysis, &current));
    }
    blocks.join("\n\n")
}

/// Splits the selected sentences (in source order) into 2–4 groups along source paragraphs.
fn groups(analysis: &Analysis, selected: &[usize]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let per_group = selected.len().div_ceil(MAX_SECTIONS).max(2);
    for &index in selected {
        let paragraph = analysis.sentences[index].paragraph;
        let start_new = match groups.last() {
            None => true,
            Some(group) => {
                group.len() >= per_group && analysis.sentences[group[group.len() - 1]].paragraph != paragraph
            }
        };
        if start_new && groups.len() < MAX_SECTIONS {
            groups.push(vec![index]);
        } else if let Some(group) = groups.last_mut() {
            group.push(index);
        }
    }
    while groups.len() < BLOG_MIN_SECTIONS {
        let Some(largest) =
            (0..groups.len()).filter(|&g| groups[g].len() > 1).max_by_key(|&g| groups[g].len())
        else {
            break;
        };
        let half = groups[largest].len() / 2;
        let tail = groups[largest].split_off(half);
        groups.insert(largest + 1, tail);
    }
    groups
}
