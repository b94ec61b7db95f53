use serde_json::{Map, Value};

use super::{Rendered, call_to_action};
use crate::{
    Channel,
    analysis::{Analysis, Grounded},
    channel::{
        BLOG_META_MAX_CHARS, BLOG_META_MIN_CHARS, BLOG_MIN_SECTIONS, BLOG_SLUG_MAX_CHARS,
        BLOG_TITLE_MAX_CHARS,
    },
    words::slugify,
};

const SECTION_SENTENCES: usize = 9;
const MAX_SECTIONS: usize = 4;

/// An SEO title, meta description and slug; a Markdown article with an intro, H2 sections
/// (headed by keyphrases found in them) and a conclusion.
pub fn render(analysis: &Analysis) -> Rendered {
    let title = analysis.title(BLOG_TITLE_MAX_CHARS);
    let hook = analysis.hook();
    let meta = analysis.summary_between(hook, BLOG_META_MIN_CHARS, BLOG_META_MAX_CHARS);
    let slug = slugify(&title.text, BLOG_SLUG_MAX_CHARS);
    let conclusion_index = conclusion(analysis, hook);
    let selected = analysis.best(SECTION_SENTENCES, &[hook, conclusion_index]);
    let groups = sections(analysis, &selected);

    let mut grounding = vec![title.clone(), meta.clone()];
    let intro = analysis.grounded(hook, None);
    let mut blocks = vec![format!("# {}", title.text), intro.text.clone()];
    grounding.push(intro);
    let mut used_headings = Vec::new();
    for (number, group) in groups.iter().enumerate() {
        let heading =
            analysis.heading_for(group, &mut used_headings).unwrap_or_else(|| format!("Part {}", number + 1));
        let lines: Vec<Grounded> = group.iter().map(|&i| analysis.grounded(i, None)).collect();
        blocks.push(format!("## {heading}"));
        blocks.push(lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "));
        grounding.extend(lines);
    }
    let closing = analysis.grounded(conclusion_index, None);
    blocks.push("## Conclusion".to_owned());
    blocks.push(format!("{} {}", closing.text, call_to_action(analysis, Channel::Blog)));
    grounding.push(closing);

    let mut fields = Map::new();
    fields.insert("title".into(), Value::from(title.text));
    fields.insert("meta_description".into(), Value::from(meta.text));
    fields.insert("slug".into(), Value::from(slug));
    Rendered { content: blocks.join("\n\n"), grounding, hashtags: vec![], fields }
}

/// The best sentence of the source's last paragraph, or the last sentence if that is the hook.
fn conclusion(analysis: &Analysis, hook: usize) -> usize {
    let last_paragraph = analysis.ranked.iter().map(|&i| analysis.sentences[i].paragraph).max().unwrap_or(0);
    analysis
        .ranked
        .iter()
        .copied()
        .find(|&i| analysis.sentences[i].paragraph == last_paragraph && i != hook)
        .or_else(|| analysis.ranked.iter().copied().filter(|&i| i != hook).max())
        .unwrap_or(hook)
}

/// Splits the selected sentences (in source order) into 2–4 groups along source paragraphs.
fn sections(analysis: &Analysis, selected: &[usize]) -> Vec<Vec<usize>> {
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
