//! How deep a web page nests its elements, estimated before any parsing.
//!
//! The HTML parser and readability walk the element tree recursively, so a page nesting tens of
//! thousands of elements overflows the stack (which aborts the whole process, unwinding cannot
//! catch it), and scoring a deep tree takes seconds. This pass reads the markup at the
//! tokenizer level without building a tree, and follows the tree builder's rules closely enough
//! to know the depth it would reach: start tags open elements and their end tags close them,
//! void elements and the text of scripts, styles and comments open nothing, a new paragraph,
//! list item or table cell closes the open one, and formatting elements (`<b>`, `<font>`…) that
//! a browser re-opens after closing them implicitly count as open. Where the rules are only
//! approximated, the estimate errs towards deeper.

/// A depth no real page comes near (ordinary pages stay below about 40 levels), at which the
/// recursive tree walks in the parser and readability still fit comfortably in the 2 MiB stack
/// of a tokio worker thread (a test extracts a page nested exactly this deep on such a thread)
/// and scoring stays fast.
pub const MAX_HTML_DEPTH: usize = 512;

/// Elements that never have content or an end tag.
const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr", "image",
];

/// Elements whose content is text, not markup, up to their end tag.
const RAW_TEXT: [&str; 8] = ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"];

/// Elements the tree builder re-opens after an implicit close (the "active formatting elements").
const FORMATTING: [&str; 14] =
    ["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

/// Start tags that close an open `<p>` first (`<table>` does only outside quirks mode, so it is
/// left out).
const CLOSES_PARAGRAPH: [&str; 40] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
    "xmp",
];

/// Elements an implicit close never reaches past (the tree builder's scope boundaries, and the
/// lists and tables that contain the elements closed implicitly).
const SCOPE_BOUNDARIES: [&str; 16] = [
    "applet", "button", "caption", "dl", "html", "marquee", "math", "object", "ol", "select", "svg", "table",
    "td", "template", "th", "ul",
];

/// Elements that stop an end tag of an ordinary element, or a new list item, from closing the
/// elements around them (the tree builder's "special" category; void elements left out, raw
/// text elements kept).
const SPECIAL: [&str; 64] = [
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "caption",
    "center",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "html",
    "iframe",
    "li",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Elements that only exist inside a table; elsewhere their tags are ignored.
const TABLE_PARTS: [&str; 9] = ["caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"];

/// Elements a table row or cell never closes past.
const TABLE_BOUNDARIES: [&str; 3] = ["html", "table", "template"];

/// The most elements the tree builder would hold open at once on `html`, counted from inside
/// `<body>`; the scan stops as soon as the count passes `stop_above`.
pub fn estimated_depth(html: &str, stop_above: usize) -> usize {
    let mut tree = OpenElements::default();
    let mut deepest = 0;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some((tag, after)) = read_tag(rest) else {
            rest = &rest[1..];
            continue;
        };
        rest = after;
        match tag {
            Tag::Start { name, attributes, self_closing } => {
                let name = name.to_ascii_lowercase();
                if RAW_TEXT.contains(&name.as_str()) {
                    rest = after_end_tag(rest, &name);
                } else if name == "plaintext" {
                    rest = "";
                }
                tree.start(name, attributes, self_closing);
            }
            Tag::End { name } => tree.end(&name.to_ascii_lowercase()),
            Tag::Other => {}
        }
        deepest = deepest.max(tree.depth());
        if deepest > stop_above {
            break;
        }
    }
    deepest
}

enum Tag<'a> {
    Start {
        name: &'a str,
        attributes: &'a str,
        self_closing: bool,
    },
    End {
        name: &'a str,
    },
    /// A doctype, processing instruction or other bogus comment.
    Other,
}

/// The tag `markup` starts with, and the markup after it; None when the `<` starts no tag and
/// is text.
fn read_tag(markup: &str) -> Option<(Tag<'_>, &str)> {
    let bytes = markup.as_bytes();
    let (is_end, name_start) = match bytes.get(1)? {
        b'/' if bytes.get(2).is_some_and(u8::is_ascii_alphabetic) => (true, 2),
        b'!' | b'?' | b'/' => {
            let after = markup.find('>').map_or("", |end| &markup[end + 1..]);
            return Some((Tag::Other, after));
        }
        byte if byte.is_ascii_alphabetic() => (false, 1),
        _ => return None,
    };
    let name_end = bytes[name_start..]
        .iter()
        .position(|&byte| byte.is_ascii_whitespace() || byte == b'/' || byte == b'>')
        .map_or(bytes.len(), |length| name_start + length);
    let name = &markup[name_start..name_end];
    let (attributes, self_closing, after) = read_attributes(&markup[name_end..]);
    let tag = if is_end { Tag::End { name } } else { Tag::Start { name, attributes, self_closing } };
    Some((tag, after))
}

/// A tag's attributes as the tokenizer reads them (a `>` inside a quoted value does not end the
/// tag), whether the tag ends in `/>`, and the markup after the tag.
fn read_attributes(markup: &str) -> (&str, bool, &str) {
    let bytes = markup.as_bytes();
    let mut index = 0;
    let mut self_closing = false;
    while let Some(&byte) = bytes.get(index) {
        index += 1;
        match byte {
            b'>' => return (&markup[..index - 1], self_closing, &markup[index..]),
            b'/' => self_closing = true,
            b'=' => {
                self_closing = false;
                while bytes.get(index).is_some_and(u8::is_ascii_whitespace) {
                    index += 1;
                }
                match bytes.get(index) {
                    Some(&quote @ (b'"' | b'\'')) => match markup[index + 1..].find(char::from(quote)) {
                        Some(length) => index += length + 2,
                        None => break,
                    },
                    _ => {
                        while bytes.get(index).is_some_and(|&b| !b.is_ascii_whitespace() && b != b'>') {
                            index += 1;
                        }
                    }
                }
            }
            _ => self_closing = false,
        }
    }
    (markup, self_closing, "")
}

/// The markup after the end tag named `name` (case-insensitive), or nothing when it is missing.
fn after_end_tag<'a>(markup: &'a str, name: &str) -> &'a str {
    let mut search_from = 0;
    while let Some(offset) = markup[search_from..].find("</") {
        let name_start = search_from + offset + 2;
        let candidate = markup.as_bytes().get(name_start..name_start + name.len());
        if candidate.is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes())) {
            return read_attributes(&markup[name_start + name.len()..]).2;
        }
        search_from = name_start;
    }
    ""
}

/// How far down the stack an implicit close or an end tag looks for the element it closes. Real
/// pages close elements a few levels down; past this, the element is left open (the estimate
/// errs deeper) and the scan of each tag stays cheap however deep the stack.
const CLOSE_REACH: usize = 64;

/// An element on the stack of open elements.
struct Open {
    /// Lower case.
    name: String,
    /// The entry of a formatting element still on the list of elements to re-open.
    formatting_id: Option<usize>,
    scope_boundary: bool,
    special: bool,
}

impl Open {
    fn new(name: String, formatting_id: Option<usize>) -> Self {
        let scope_boundary = SCOPE_BOUNDARIES.contains(&name.as_str());
        let special = SPECIAL.contains(&name.as_str());
        Self { name, formatting_id, scope_boundary, special }
    }

    fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.name.as_str())
    }
}

/// The tree builder's stack of open elements, and its list of formatting elements to re-open.
#[derive(Default)]
struct OpenElements<'a> {
    stack: Vec<Open>,
    /// Formatting elements opened and not yet closed by their end tag: (id, name, attributes).
    formatting: Vec<(usize, String, &'a str)>,
    /// How many of `formatting` are open on the stack; the others would be re-opened.
    formatting_open: usize,
    next_id: usize,
}

impl<'a> OpenElements<'a> {
    /// Open elements plus the formatting elements the tree builder would re-open.
    fn depth(&self) -> usize {
        self.stack.len() + self.formatting.len() - self.formatting_open
    }

    fn has_open(&self, name: &str) -> bool {
        self.stack.iter().any(|open| open.name == name)
    }

    fn current_is(&self, names: &[&str]) -> bool {
        self.stack.last().is_some_and(|open| open.is(names))
    }

    fn start(&mut self, name: String, attributes: &'a str, self_closing: bool) {
        let name_is = |names: &[&str]| names.contains(&name.as_str());
        // The document's own elements do not nest; a repeated `<body>` merges into the first.
        if name_is(&["html", "head", "body"]) || name_is(&TABLE_PARTS) && !self.has_open("table") {
            return;
        }
        let in_scope = |open: &Open| open.scope_boundary;
        // A list item closes the open one through anything but a special element.
        let in_list = |open: &Open| open.scope_boundary || open.special && !open.is(&["address", "div", "p"]);
        let in_table = |open: &Open| open.is(&TABLE_BOUNDARIES);
        if name_is(&CLOSES_PARAGRAPH) {
            self.close(&["p"], in_scope);
        }
        match name.as_str() {
            "li" => self.close(&["li"], in_list),
            "dd" | "dt" => self.close(&["dd", "dt"], in_list),
            "td" | "th" => self.close(&["td", "th"], in_table),
            "tr" => self.close(&["tr"], in_table),
            "tbody" | "thead" | "tfoot" => self.close(&["tbody", "thead", "tfoot"], in_table),
            "option" => self.close(&["option"], in_scope),
            "optgroup" => self.close(&["option", "optgroup"], in_scope),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if self.current_is(&["h1", "h2", "h3", "h4", "h5", "h6"]) =>
            {
                self.pop();
            }
            // A second link or nobr closes the first, as its end tag would.
            "a" | "nobr" => self.end_formatting(&name),
            _ => {}
        }
        let in_foreign_content = || self.has_open("svg") || self.has_open("math");
        // Void and raw text elements hold no elements, so they add no depth.
        if name_is(&VOID) || name_is(&RAW_TEXT) || self_closing && in_foreign_content() {
            return;
        }
        // Rows and cells outside a row group or row get an implicit one.
        if name_is(&["tr", "td", "th"]) && self.current_is(&["table"]) {
            self.stack.push(Open::new("tbody".to_owned(), None));
        }
        if name_is(&["td", "th"]) && self.current_is(&["tbody", "thead", "tfoot"]) {
            self.stack.push(Open::new("tr".to_owned(), None));
        }
        let formatting_id = name_is(&FORMATTING).then(|| self.add_formatting(&name, attributes));
        self.stack.push(Open::new(name, formatting_id));
    }

    fn end(&mut self, name: &str) {
        if FORMATTING.contains(&name) {
            self.end_formatting(name);
            return;
        }
        // An ordinary element's end tag cannot close a special element around it.
        let ordinary = !SPECIAL.contains(&name);
        self.close(&[name], |open| open.scope_boundary || ordinary && open.special);
    }

    /// Closes the nearest open element named in `names` and everything opened inside it, unless
    /// an element `stops` accepts comes first.
    fn close(&mut self, names: &[&str], stops: impl Fn(&Open) -> bool) {
        let reach = self.stack.len().saturating_sub(CLOSE_REACH);
        let found = self.stack[reach..].iter().rposition(|open| open.is(names) || stops(open));
        if let Some(index) = found.map(|index| reach + index).filter(|&index| self.stack[index].is(names)) {
            while self.stack.len() > index {
                self.pop();
            }
        }
    }

    fn pop(&mut self) {
        if self.stack.pop().is_some_and(|open| open.formatting_id.is_some()) {
            self.formatting_open -= 1;
        }
    }

    /// A formatting element's end tag: it is no longer re-opened, and it closes the element when
    /// no special element was opened inside it (otherwise the tree builder moves elements around
    /// rather than closing them, which the estimate leaves open).
    fn end_formatting(&mut self, name: &str) {
        if let Some(index) = self.formatting.iter().rposition(|(_, open, _)| open == name) {
            self.forget_formatting(index);
        }
        self.close(&[name], |open| open.special || open.scope_boundary);
    }

    /// Records a formatting element to re-open. The tree builder keeps three identical ones,
    /// dropping the oldest, but re-opens them before it adds a fourth, so four are kept here.
    fn add_formatting(&mut self, name: &str, attributes: &'a str) -> usize {
        let identical = |(_, open, open_attributes): &(usize, String, &str)| {
            open == name && open_attributes.trim() == attributes.trim()
        };
        if self.formatting.iter().filter(|entry| identical(entry)).count() >= 4
            && let Some(oldest) = self.formatting.iter().position(identical)
        {
            self.forget_formatting(oldest);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.formatting.push((id, name.to_owned(), attributes));
        self.formatting_open += 1;
        id
    }

    /// Drops a formatting entry; its element, if open, stays open as an ordinary one.
    fn forget_formatting(&mut self, index: usize) {
        let (id, _, _) = self.formatting.remove(index);
        if let Some(open) = self.stack.iter_mut().rev().find(|open| open.formatting_id == Some(id)) {
            open.formatting_id = None;
            self.formatting_open -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        estimated_depth(html, usize::MAX)
    }

    /// The most elements dom_query's parser really opens around a node inside `<body>`.
    fn parsed_depth(html: &str) -> usize {
        let document = dom_query::Document::from(html);
        // The document itself, `<html>` and `<body>`.
        let body_depth = 3;
        let root = document.root();
        let deepest = root.descendants_it().map(|node| node.ancestors_it(None).count()).max();
        deepest.unwrap_or(0).saturating_sub(body_depth)
    }

    #[test]
    fn ordinary_markup_is_counted_as_a_browser_builds_it() {
        let cases = [
            ("<div><p>One <b>two</b></p><p>Three<br><img src=x.png></p></div>", 3),
            ("<ul><li>One<li>Two<li><a href=x>Three</a></ul>", 3),
            ("<p>One<p>Two<p>Three <i>four</i>", 2),
            ("<table><tr><td>One<td>Two<tr><td>Three</table>", 4),
            ("<div title='a > b' data-x=\"<div>\"><!-- <div><div> --><span>x</span></div>", 2),
            ("<script>if (a < b) { document.write('<div><div>') }</script><div></div>", 1),
            ("<svg><g><path d='M0'/><path/></g></svg>", 2),
            (
                "<!DOCTYPE html><html><head><meta charset=utf-8><title>T <b></title></head><body>x</body></html>",
                0,
            ),
        ];
        for (html, expected) in cases {
            assert_eq!(depth(html), expected, "{html}");
        }
    }

    #[test]
    fn the_estimate_is_never_shallower_than_the_parsed_tree() {
        let shapes = [
            "<div>",
            "<b>",
            "<p><b>",
            "<p><b class=c{}>",
            "<p><font size={}>x",
            "<span><div></span>",
            "<b><div></b>",
            "<a href={}><div>",
            "<table><tr><td>",
            "<td><table>",
            "<ul><li><ol><li>",
            "<dl><dd>",
            "<div/>",
            "<svg><g>",
            "<select><option>",
            "<h1><h2>",
            "<p><table>",
            "<i><p></i>",
            "<p><section>",
            "<li><section>",
            "<dd><article>",
            "<tr><td>x</tr><div>",
            "<table><td><div>",
            "<b><table><td>",
            "<a href={}><table><tr><td>x",
            "<button><div>",
            "<select><div>",
            "<template><div>",
            "<svg><foreignObject><div>",
            "<math><mi><b>",
            "<li><div>",
            "<dt><span>",
            "<h1><b>",
            "<p><nobr>x",
            "<b><p><i><div></b>",
            "<object><p><u id={}>",
            "<form><div>",
            "<marquee><div><li>",
        ];
        for shape in shapes {
            let html: String = (0..150).map(|index| shape.replace("{}", &index.to_string())).collect();
            let (estimated, parsed) = (depth(&html), parsed_depth(&html));
            assert!(estimated >= parsed, "{shape}: estimated {estimated}, parsed {parsed}");
        }
    }

    #[test]
    fn the_scan_stops_once_past_the_limit() {
        assert_eq!(estimated_depth(&"<div>".repeat(10_000), 20), 21);
    }
}
