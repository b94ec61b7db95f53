//! Markdown and MDX as people paste them, to the text a reader sees.
//!
//! Front matter (YAML `---` or TOML `+++`) gives the title and byline and never reaches the
//! text. Headings stay Markdown headings (`## Pricing`) and list items stay items (`- …`): the
//! engine reads both as structure. Everything a reader of the rendered page would not read as
//! prose is dropped: code blocks, images, tables, raw HTML and JSX elements, MDX `import` and
//! `export` lines, footnote markers and definitions, and link URLs (the anchor text stays).

use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

/// What a Markdown source holds besides its text.
#[derive(Debug, Default, PartialEq)]
pub struct Cleaned {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Blocks separated by blank lines; not yet normalised.
    pub text: String,
}

/// Reads a Markdown or MDX document. A title from the front matter becomes the first heading
/// when the body has no top-level heading of its own, so the engine sees it like one.
pub fn clean(markdown: &str) -> Cleaned {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        // `## Title {#anchor}`: the anchor is for the site, not the reader.
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut blocks = Blocks::default();
    let mut front_matter = FrontMatter::default();
    // Inside an element whose content a reader does not read as prose, how many such elements.
    let mut skipped = 0usize;
    // An HTML block's markup, kept to read the prose it may hold (an interview laid out as
    // a table, an admonition) once the block ends.
    let mut html_block: Option<String> = None;
    let mut in_front_matter = None;
    let mut byline = None;
    let markdown = without_liquid(markdown);
    for event in Parser::new_ext(&markdown, options) {
        match event {
            Event::Start(Tag::MetadataBlock(kind)) => in_front_matter = Some(kind),
            Event::End(TagEnd::MetadataBlock(_)) => in_front_matter = None,
            Event::Text(text) if in_front_matter.is_some() => {
                front_matter =
                    FrontMatter::parse(&text, in_front_matter == Some(MetadataBlockKind::PlusesStyle));
            }
            Event::Start(Tag::HtmlBlock) if skipped == 0 => html_block = Some(String::new()),
            Event::Html(markup) if html_block.is_some() => {
                html_block.get_or_insert_default().push_str(&markup);
            }
            Event::End(TagEnd::HtmlBlock) if html_block.is_some() => {
                for paragraph in
                    html_block.take().map(|markup| crate::html::fragment_prose(&markup)).unwrap_or_default()
                {
                    blocks.start(None);
                    blocks.push(&paragraph);
                    blocks.end(false);
                }
            }
            Event::Start(
                Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::HtmlBlock,
            ) => skipped += 1,
            Event::End(
                TagEnd::CodeBlock
                | TagEnd::Image
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            ) => skipped = skipped.saturating_sub(1),
            _ if skipped > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => blocks.start(Some("#".repeat(level as usize))),
            Event::Start(Tag::Item) => blocks.start(Some("-".to_owned())),
            // A nested list ends the text of the item that holds it.
            Event::Start(Tag::Paragraph | Tag::BlockQuote(_) | Tag::List(_)) if !blocks.in_item() => {
                blocks.start(None);
            }
            Event::Start(Tag::List(_)) => blocks.flush(),
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::Paragraph | TagEnd::BlockQuote(_)) => {
                blocks.end(matches!(event, Event::End(TagEnd::Item)));
            }
            Event::Text(text) => blocks.push(&text),
            // Inline code is read as words: `<Heading>` in a post would look like markup.
            Event::Code(code) => blocks.push(&code.replace(['<', '>'], "")),
            Event::SoftBreak | Event::HardBreak => blocks.push(" "),
            Event::Rule => blocks.flush(),
            // Inline HTML and JSX tags go; the text between them stays. Footnote markers go.
            _ => {}
        }
    }
    blocks.flush();
    let mut text_blocks = blocks.done;
    // A byline written as a paragraph ("**Authors**: Ada (Kyros)") is metadata, not content.
    if let Some(index) = text_blocks.iter().position(|block| byline_of(block).is_some()) {
        byline = byline_of(&text_blocks.remove(index)).map(str::to_owned);
    }
    // The front matter's title heads the text unless the text opens with its own; an H1
    // further down ("# The People") is a section of the post, not its title.
    if let Some(title) = &front_matter.title
        && !text_blocks.first().is_some_and(|block| block.starts_with("# "))
    {
        text_blocks.insert(0, format!("# {title}"));
    }
    Cleaned {
        title: front_matter.title,
        byline: front_matter.author.or(byline),
        text: join_blocks(&text_blocks),
    }
}

/// The names in a short byline paragraph: "Authors: Ada (Kyros)", "By Ada", "Written by Ada".
fn byline_of(block: &str) -> Option<&str> {
    const LABELS: [&str; 6] = ["authors:", "author:", "written by", "posted by", "by ", "autor:"];
    if block.chars().count() > 200 || block.starts_with(['#', '-']) {
        return None;
    }
    let lower = block.to_lowercase();
    let label = LABELS.iter().find(|label| lower.starts_with(*label))?;
    let names = block.get(label.len()..)?.trim_start_matches(':').trim();
    // "By the end of the year …" is a sentence, not a byline.
    let is_names =
        names.starts_with(char::is_uppercase) && !names.ends_with(['.', '!', '?']) || label.ends_with(':');
    is_names.then_some(names).filter(|names| !names.is_empty())
}

/// The document without Liquid and Jekyll template tags (`{{ site.baseurl }}`, `{% include %}`),
/// which would otherwise break the links and images they sit in.
fn without_liquid(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains("{{") && !markdown.contains("{%") {
        return std::borrow::Cow::Borrowed(markdown);
    }
    let mut kept = String::with_capacity(markdown.len());
    let mut rest = markdown;
    loop {
        let next = [("{{", "}}"), ("{%", "%}")]
            .iter()
            .filter_map(|(open, close)| rest.find(open).map(|start| (start, *close)))
            .min_by_key(|(start, _)| *start);
        let Some((start, close)) = next else { break };
        let Some(length) = rest[start..].find(close) else { break };
        kept.push_str(&rest[..start]);
        rest = &rest[start + length + close.len()..];
    }
    kept.push_str(rest);
    std::borrow::Cow::Owned(kept)
}

/// Blocks apart by a blank line, except consecutive list items, which stay one list.
fn join_blocks(blocks: &[String]) -> String {
    let mut text = String::new();
    for (index, block) in blocks.iter().enumerate() {
        if index > 0 {
            let continues_list = block.starts_with("- ") && blocks[index - 1].starts_with("- ");
            text.push_str(if continues_list { "\n" } else { "\n\n" });
        }
        text.push_str(block);
    }
    text
}

/// Whether pasted "plain text" is really Markdown or MDX: front matter, headings, links,
/// images, fenced code or JSX elements. Plain prose (hashtags like `#News` included) is not.
pub fn looks_like_markdown(text: &str) -> bool {
    let start = text.trim_start();
    if start.starts_with("---\n") || start.starts_with("+++\n") || start.starts_with("---\r\n") {
        return true;
    }
    text.lines().any(|line| {
        let line = line.trim_start();
        let hashes = line.bytes().take_while(|byte| *byte == b'#').count();
        (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
            || line.starts_with("```")
            || line.starts_with("![")
            || (line.starts_with("import ") && line.contains(" from "))
            || line.starts_with('<') && line[1..].starts_with(|c: char| c.is_ascii_uppercase())
    }) || text.contains("](http")
}

/// The blocks of text found so far and the one being read.
#[derive(Default)]
struct Blocks {
    done: Vec<String>,
    /// The current block's Markdown prefix (`##`, `-`) and text.
    prefix: Option<String>,
    current: String,
    items: usize,
}

impl Blocks {
    fn in_item(&self) -> bool {
        self.items > 0
    }

    fn start(&mut self, prefix: Option<String>) {
        self.flush();
        if prefix.as_deref() == Some("-") {
            self.items += 1;
        }
        self.prefix = prefix;
    }

    fn end(&mut self, item: bool) {
        if item {
            self.items = self.items.saturating_sub(1);
        } else if self.in_item() {
            self.current.push(' ');
        }
        // The paragraphs of a list item are the item's text.
        if item || !self.in_item() {
            self.flush();
        }
    }

    fn push(&mut self, text: &str) {
        self.current.push_str(text);
    }

    /// Ends the current block. MDX `import`/`export` statements read as paragraphs to a
    /// Markdown parser, and a block without a letter or digit says nothing: both are dropped.
    fn flush(&mut self) {
        let text = without_mdx_comments(&self.current).split_whitespace().collect::<Vec<_>>().join(" ");
        self.current.clear();
        let prefix = if self.in_item() { Some("-".to_owned()) } else { self.prefix.take() };
        let is_statement =
            text.starts_with("import ") && text.contains(" from ") || text.starts_with("export ");
        if is_statement || !text.chars().any(char::is_alphanumeric) {
            return;
        }
        self.done.push(match prefix {
            Some(prefix) => format!("{prefix} {text}"),
            None => text,
        });
    }
}

/// Text without MDX comments (`{/* anchor-id */}`), which docs sites put after headings. The
/// Markdown parser has already read the stars as emphasis, so what arrives is `{/anchor-id/}`.
fn without_mdx_comments(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{/") {
        let Some(length) = rest[start..].find("/}") else { break };
        kept.push_str(&rest[..start]);
        rest = &rest[start + length + 2..];
    }
    kept.push_str(rest);
    kept
}

/// The fields of YAML or TOML front matter the source's metadata needs.
#[derive(Debug, Default)]
struct FrontMatter {
    title: Option<String>,
    author: Option<String>,
}

impl FrontMatter {
    /// Top-level `key: value` (YAML) or `key = value` (TOML) lines, plus YAML lists of authors
    /// (`authors: [a, b]` or `- name` lines below the key). Nested keys are ignored.
    fn parse(raw: &str, toml: bool) -> Self {
        let separator = if toml { '=' } else { ':' };
        let mut fields: Vec<(String, String)> = Vec::new();
        for line in raw.lines() {
            if let Some(item) = line.trim_start().strip_prefix("- ")
                && line.starts_with([' ', '-'])
                && let Some((_, value)) = fields.last_mut()
            {
                // A YAML list under the previous key: `authors:` then `  - Ada`.
                if !value.is_empty() {
                    value.push_str(", ");
                }
                value.push_str(unquote(item));
                continue;
            }
            if line.starts_with(char::is_whitespace) {
                continue;
            }
            // Ruby-style symbol keys (`:title: …`), as some Jekyll exports write them.
            let line = if toml { line } else { line.strip_prefix(':').unwrap_or(line) };
            if let Some((key, value)) = line.split_once(separator) {
                fields.push((key.trim().to_ascii_lowercase(), unquote(value.trim()).to_owned()));
            }
        }
        let field = |names: &[&str]| {
            names.iter().find_map(|name| {
                fields
                    .iter()
                    .find(|(key, _)| key == name)
                    .map(|(_, value)| list_to_names(value))
                    .filter(|v| !v.is_empty())
            })
        };
        Self { title: field(&["title"]), author: field(&["author", "authors", "byline"]) }
    }
}

/// A page that opens with front matter (`---` YAML or `+++` TOML, as static-site generators
/// keep HTML pages): its title and author, and the page after it.
pub(crate) fn split_front_matter(page: &str) -> (Option<String>, Option<String>, &str) {
    for (fence, toml) in [("---", false), ("+++", true)] {
        let Some(rest) = page.trim_start_matches('\u{feff}').strip_prefix(fence) else { continue };
        let Some(rest) = rest.strip_prefix('\n').or_else(|| rest.strip_prefix("\r\n")) else { continue };
        let closing = format!("\n{fence}");
        if let Some(end) = rest.find(&closing) {
            let front_matter = FrontMatter::parse(&rest[..end], toml);
            let after = &rest[end + closing.len()..];
            return (front_matter.title, front_matter.author, after);
        }
    }
    (None, None, page)
}

/// `[a, "b"]` → `a, b`; other values as they are.
fn list_to_names(value: &str) -> String {
    match value.strip_prefix('[').and_then(|inner| inner.strip_suffix(']')) {
        Some(inner) => inner
            .split(',')
            .map(|name| unquote(name.trim()))
            .filter(|name| !name.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        None => value.to_owned(),
    }
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(quote).and_then(|rest| rest.strip_suffix(quote)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_gives_the_title_and_byline_and_never_reaches_the_text() {
        let source = "---\ntitle: \"Launching Kyros 2.0\"\nauthors:\n  - Ada Lovelace\n  - Grace Hopper\n\
                      featuredImage: https://example.com/hero.png\ndate: 2026-11-02\n---\n\nWe shipped it today.\n";
        let cleaned = clean(source);
        assert_eq!(cleaned.title.as_deref(), Some("Launching Kyros 2.0"));
        assert_eq!(cleaned.byline.as_deref(), Some("Ada Lovelace, Grace Hopper"));
        assert_eq!(cleaned.text, "# Launching Kyros 2.0\n\nWe shipped it today.");
    }

    #[test]
    fn toml_front_matter_is_read_too() {
        let cleaned =
            clean("+++\ntitle = 'Release notes'\nauthor = \"Jonas\"\n+++\n\n## What changed\n\nFaster sync.");
        assert_eq!(cleaned.title.as_deref(), Some("Release notes"));
        assert_eq!(cleaned.byline.as_deref(), Some("Jonas"));
        assert_eq!(cleaned.text, "# Release notes\n\n## What changed\n\nFaster sync.");
    }

    #[test]
    fn the_front_matter_title_heads_a_post_whose_sections_are_h1() {
        let cleaned = clean(
            "---\ntitle: Rust turns three\n---\nThree years ago today we shipped.\n\n# The People\n\nThe teams doubled.",
        );
        assert!(cleaned.text.starts_with("# Rust turns three\n\nThree years ago"), "{}", cleaned.text);
    }

    #[test]
    fn heading_anchors_are_not_text() {
        let cleaned = clean(
            "# Release\n\n## Deprecating createFactory {#deprecating-createfactory}\n\nIt is gone now for good.",
        );
        assert!(cleaned.text.contains("## Deprecating createFactory\n"), "{}", cleaned.text);
        assert!(!cleaned.text.contains('{'), "{}", cleaned.text);
    }

    #[test]
    fn symbol_keys_in_front_matter_are_read() {
        let cleaned = clean(
            "---\n:layout: post\n:title: 'Spotlight on: SpringSource'\n:author: rtyler\n---\nHello there, this is the post.",
        );
        assert_eq!(cleaned.title.as_deref(), Some("Spotlight on: SpringSource"));
        assert_eq!(cleaned.byline.as_deref(), Some("rtyler"));
    }

    #[test]
    fn mdx_components_imports_images_code_and_tables_are_dropped() {
        let source = "import SignupForm from '@site/src/components/SignupForm';\n\n# Kyros 2.0\n\n\
                      Our **biggest** release: read the [changelog](https://kyros.dev/changelog).\n\n\
                      <SignupForm cta=\"Try it\" />\n\n![A screenshot](/img/shot.png)\n\n\
                      ```bash\nnpm install kyros\n```\n\n### Now in beta {/*now-in-beta*/}\n\n| Plan | Price |\n|---|---|\n| Pro | 9 |\n\n\
                      <div class=\"note\"><img alt=\"x\" src=\"y\"></div>\n\nIt takes a minute.[^1]\n\n[^1]: Timed on a laptop.\n";
        assert_eq!(
            clean(source).text,
            "# Kyros 2.0\n\nOur biggest release: read the changelog.\n\n### Now in beta\n\nIt takes a minute."
        );
    }

    #[test]
    fn headings_and_list_items_keep_their_structure() {
        let source = "## Three tips\n\nThere are three:\n\n1. Start small.\n2. Measure *weekly*.\n   - Use one metric.\n\n\
                      * Ship often.\n\n  It compounds.\n";
        assert_eq!(
            clean(source).text,
            "## Three tips\n\nThere are three:\n\n- Start small.\n- Measure weekly.\n- Use one metric.\n\
             - Ship often. It compounds."
        );
    }

    #[test]
    fn bylines_liquid_and_tag_like_code_do_not_reach_the_text() {
        let source = "**Authors**: Michael Mueller (Giant Swarm)\n\nThe registry freezes in April.\n\n\
                      See [the chart]({{ site.baseurl }}/img/chart.png) for custom `<Heading>` components.\n\n\
                      {% include share.html %}\n\nBy the end of the year, all images move.\n";
        let cleaned = clean(source);
        assert_eq!(cleaned.byline.as_deref(), Some("Michael Mueller (Giant Swarm)"));
        assert_eq!(
            cleaned.text,
            "The registry freezes in April.\n\nSee the chart for custom Heading components.\n\n\
             By the end of the year, all images move."
        );
    }

    #[test]
    fn deeply_nested_markdown_is_read_without_recursion() {
        let quotes = format!("{}deep", "> ".repeat(50_000));
        let lists =
            (0..5_000).map(|level| format!("{}- item {level}\n", "  ".repeat(level))).collect::<String>();
        let emphasis = format!("{}x{}", "*_".repeat(20_000), "_*".repeat(20_000));
        let reader = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || [clean(&quotes).text, clean(&lists).text, clean(&emphasis).text])
            .unwrap();
        let [quoted, listed, emphasised] = reader.join().expect("no stack overflow");
        assert!(quoted.ends_with("deep"));
        assert!(listed.starts_with("- item 0"));
        assert!(emphasised.contains('x'));
    }

    #[test]
    fn pasted_markdown_is_recognised_but_prose_with_hashtags_is_not() {
        assert!(looks_like_markdown("---\ntitle: x\n---\nBody"));
        assert!(looks_like_markdown("Intro\n\n## Section\n\nText"));
        assert!(looks_like_markdown("See [the docs](https://kyros.dev)."));
        assert!(looks_like_markdown("<Callout type=\"info\">Hi</Callout>"));
        assert!(!looks_like_markdown("We grew 20% this year. #Growth #Bakery\n\nThanks to all of you!"));
        assert!(!looks_like_markdown("Is 3 < 5? Yes."));
    }
}
