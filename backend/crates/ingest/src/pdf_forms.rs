//! A guard against PDF pages that pdf-extract would draw forever, or nearly so.
//!
//! pdf-extract draws a form XObject (`/Name Do`) by processing the form's content recursively,
//! with no depth limit and no cycle check, decompressing and parsing it again at every draw. A
//! form that draws itself, directly or through other forms, recurses until the thread's stack
//! overflows, which aborts the process; forms that each draw the next one several times make
//! the work grow exponentially with the nesting, while [`crate::pdf_streams`] sees each stream
//! only once. pdf-extract also finds a page's inherited `/Resources` and `/MediaBox` by recursion
//! up the `/Parent` chain, which a chain that loops never leaves.
//!
//! So the pages are walked beforehand as pdf-extract will draw them, without drawing anything:
//! every form's content is decoded once and its cost remembered per form and resources, and a
//! document is refused when its forms draw themselves, nest deeper than [`MAX_PDF_FORM_DEPTH`],
//! are drawn more than [`MAX_PDF_FORM_DRAWS`] times or make pdf-extract parse more than
//! [`MAX_PDF_DRAWN_CONTENT_BYTES`] of content, or when a page's `/Parent` chain loops or runs
//! deeper than [`MAX_PDF_PAGE_TREE_DEPTH`] before it gives the page what it inherits. The fonts
//! the pages and forms select are checked on the way by [`crate::pdf_fonts`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use crate::IngestError;
use crate::pdf_fonts::{check_cmap, cmaps};

/// The most forms one drawing may nest, a form inside a form counting two. pdf-extract spends
/// about 10 KiB of stack per level in a debug build (a 2 MiB stack overflows past 200 levels),
/// so this keeps its recursion far within a tokio worker's 2 MiB stack, while real documents
/// nest forms a few levels at most.
pub const MAX_PDF_FORM_DEPTH: usize = 16;

/// The most form draws in one document, counting every draw of the same form: pdf-extract
/// decodes and parses a form again each time it is drawn. A form per page for headers or
/// logos, drawn a few times, stays far below this.
pub const MAX_PDF_FORM_DRAWS: u64 = 10_000;

/// The most content pdf-extract may parse for one document, pages and forms, counting a form's
/// content at every draw and a page's at every place in the page tree. Each stream decodes
/// once within [`crate::MAX_PDF_INFLATED_BYTES`]; this bounds what repetition makes of it,
/// such as a large form drawn thousands of times.
pub const MAX_PDF_DRAWN_CONTENT_BYTES: u64 = 256 * 1024 * 1024;

/// The most `/Parent` links followed from a page to find what it inherits: as deep as lopdf
/// walks page trees from the root, while real trees are a few levels deep. pdf-extract's
/// recursion up the chain overflows a 2 MiB stack only past thousands of links.
pub const MAX_PDF_PAGE_TREE_DEPTH: usize = 256;

/// Refuses a document that pdf-extract could not draw within the limits above.
pub fn check_drawn_forms(document: &Document) -> Result<(), IngestError> {
    // What pdf-extract uses for a page that inherits no resources.
    let no_resources = Dictionary::new();
    let mut walk = Walk {
        document,
        no_resources: &no_resources,
        form_contents: HashMap::new(),
        page_stream_lengths: HashMap::new(),
        visits: HashMap::new(),
        checked_cmaps: HashSet::new(),
    };
    let mut total = Cost::default();
    let mut page_costs: HashMap<ObjectId, Cost> = HashMap::new();
    // A page listed twice in the page tree is drawn twice.
    for page_id in document.get_pages().into_values() {
        let cost = match page_costs.get(&page_id) {
            Some(&cost) => cost,
            None => {
                let cost = walk.page_cost(page_id, total.content_bytes)?;
                page_costs.insert(page_id, cost);
                cost
            }
        };
        total.add(cost, 1);
        check_cost(total)?;
    }
    Ok(())
}

/// What drawing something once makes pdf-extract do, the forms it draws included.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Cost {
    /// Form draws, the drawing itself included when it is a form.
    draws: u64,
    /// Bytes of content parsed.
    content_bytes: u64,
    /// Forms nested, the drawing itself included when it is a form.
    depth: usize,
}

impl Cost {
    /// Adds the cost of drawing `drawn` `times` times from here.
    fn add(&mut self, drawn: Cost, times: u64) {
        self.draws = self.draws.saturating_add(drawn.draws.saturating_mul(times));
        self.content_bytes = self.content_bytes.saturating_add(drawn.content_bytes.saturating_mul(times));
        self.depth = self.depth.max(drawn.depth);
    }
}

fn check_cost(cost: Cost) -> Result<(), IngestError> {
    if cost.depth > MAX_PDF_FORM_DEPTH {
        return Err(too_deep());
    }
    if cost.draws > MAX_PDF_FORM_DRAWS {
        return Err(IngestError::Pdf(format!("the file draws forms more than {MAX_PDF_FORM_DRAWS} times")));
    }
    if cost.content_bytes > MAX_PDF_DRAWN_CONTENT_BYTES {
        return Err(too_much_content());
    }
    Ok(())
}

fn too_deep() -> IngestError {
    IngestError::Pdf(format!("the file nests forms more than {MAX_PDF_FORM_DEPTH} deep"))
}

fn too_much_content() -> IngestError {
    let mib = MAX_PDF_DRAWN_CONTENT_BYTES / (1024 * 1024);
    IngestError::Pdf(format!("the file's pages draw more than {mib} MiB of content"))
}

/// A form as pdf-extract draws it: its content stream, read with its own resources or, when it
/// has none, with those of whatever draws it.
#[derive(Clone, Copy)]
struct Form<'a> {
    stream: &'a Stream,
    resources: &'a Dictionary,
}

impl Form<'_> {
    /// The form and resources by their place in the loaded document, which stays borrowed and
    /// unchanged for the whole walk: the same form drawn with the same resources draws the same.
    fn key(self) -> (*const Stream, *const Dictionary) {
        (self.stream, self.resources)
    }
}

/// What the walk knows of a form drawn with given resources.
#[derive(Clone, Copy)]
enum Visit {
    /// Being drawn: reaching it again is a loop.
    Drawing,
    Drawn(Cost),
}

/// A page or form being walked: the forms it draws, each with how many times, the next one to
/// walk, and the cost so far.
struct Drawing<'a> {
    drawn: Vec<(Form<'a>, u64)>,
    next: usize,
    cost: Cost,
}

/// A form being walked, drawn `times` times by the drawing under it on the walk's stack.
struct FormFrame<'a> {
    form: Form<'a>,
    times: u64,
    drawing: Drawing<'a>,
}

/// The resource names a content stream uses.
#[derive(Default)]
struct ContentNames {
    /// The names it draws (`/Name Do`), with how many times each.
    drawn: BTreeMap<Vec<u8>, u64>,
    /// The fonts it selects (`/Name size Tf`).
    fonts: BTreeSet<Vec<u8>>,
}

struct Walk<'a> {
    document: &'a Document,
    no_resources: &'a Dictionary,
    /// Each form stream's content length and the names it uses, decoded once.
    form_contents: HashMap<*const Stream, (u64, ContentNames)>,
    /// Each page content stream's decoded length.
    page_stream_lengths: HashMap<ObjectId, u64>,
    /// Every form walked or being walked, with the resources it is drawn with.
    visits: HashMap<(*const Stream, *const Dictionary), Visit>,
    /// The character maps of the fonts met so far, each checked once.
    checked_cmaps: HashSet<*const Stream>,
}

impl<'a> Walk<'a> {
    /// The cost of drawing the page, refused once the content parsed so far, `content_bytes`,
    /// and the page's own would pass the budget: the page's streams are only joined after that,
    /// since a page may list the same stream many times.
    fn page_cost(&mut self, page_id: ObjectId, content_bytes: u64) -> Result<Cost, IngestError> {
        let document = self.document;
        // pdf-extract panics on a page that is not a dictionary, and draws nothing of it.
        let Ok(page) = document.get_dictionary(page_id) else { return Ok(Cost::default()) };
        let resources = inherited(document, page, b"Resources", |value| value.as_dict().is_ok())?
            .and_then(|resources| resources.as_dict().ok())
            .unwrap_or(self.no_resources);
        inherited(document, page, b"MediaBox", |value| value.as_array().is_ok())?;
        let page_length = self.page_content_length(page_id);
        if content_bytes.saturating_add(page_length) > MAX_PDF_DRAWN_CONTENT_BYTES {
            return Err(too_much_content());
        }
        let content = document.get_page_content(page_id).unwrap_or_default();
        let names = content_names(&content);
        self.check_fonts(&names.fonts, resources)?;
        let drawn = drawn_forms(document, &names.drawn, resources);
        let cost = Cost { content_bytes: page_length, ..Cost::default() };
        self.cost_of(Drawing { drawn, next: 0, cost })
    }

    /// The decoded length of the page's content as lopdf joins it for pdf-extract: each stream
    /// decoded, or as stored when it cannot be, followed by a newline.
    fn page_content_length(&mut self, page_id: ObjectId) -> u64 {
        let document = self.document;
        let mut length = 0u64;
        for stream_id in document.get_page_contents(page_id) {
            let Ok(stream) = document.get_object(stream_id).and_then(Object::as_stream) else { continue };
            let stream_length =
                *self.page_stream_lengths.entry(stream_id).or_insert_with(|| decoded(stream).len() as u64);
            length = length.saturating_add(stream_length + 1);
        }
        length
    }

    /// The cost of drawing the page and every form under it, walked depth first on a stack of
    /// at most [`MAX_PDF_FORM_DEPTH`] forms.
    fn cost_of(&mut self, mut page: Drawing<'a>) -> Result<Cost, IngestError> {
        let mut forms: Vec<FormFrame<'a>> = Vec::new();
        loop {
            let top = forms.last_mut().map_or(&mut page, |frame| &mut frame.drawing);
            if let Some(&(form, times)) = top.drawn.get(top.next) {
                top.next += 1;
                match self.visits.get(&form.key()) {
                    Some(Visit::Drawing) => {
                        return Err(IngestError::Pdf("the file draws its forms in a loop".into()));
                    }
                    Some(&Visit::Drawn(cost)) => top.cost.add(cost, times),
                    None if forms.len() == MAX_PDF_FORM_DEPTH => return Err(too_deep()),
                    None => {
                        self.visits.insert(form.key(), Visit::Drawing);
                        let drawing = self.form_drawing(form)?;
                        forms.push(FormFrame { form, times, drawing });
                    }
                }
                continue;
            }
            let Some(done) = forms.pop() else { return Ok(page.cost) };
            let cost = Cost { depth: done.drawing.cost.depth + 1, ..done.drawing.cost };
            self.visits.insert(done.form.key(), Visit::Drawn(cost));
            let under = forms.last_mut().map_or(&mut page, |frame| &mut frame.drawing);
            under.cost.add(cost, done.times);
            // Checked as the walk goes, so that a bomb stops early. The depth of forms met
            // before shows only in the page's cost, which the caller checks.
            check_cost(under.cost)?;
        }
    }

    /// A form about to be walked, its fonts checked: its content decoded once, whatever
    /// resources it is drawn with.
    fn form_drawing(&mut self, form: Form<'a>) -> Result<Drawing<'a>, IngestError> {
        let (length, names) = self.form_contents.entry(form.stream).or_insert_with(|| {
            let content = decoded(form.stream);
            (content.len() as u64, content_names(&content))
        });
        let length = *length;
        let drawn = drawn_forms(self.document, &names.drawn, form.resources);
        let fonts = names.fonts.clone();
        self.check_fonts(&fonts, form.resources)?;
        Ok(Drawing { drawn, next: 0, cost: Cost { draws: 1, content_bytes: length, depth: 0 } })
    }

    /// Checks the character maps of the fonts the names select in the resources' `/Font`
    /// dictionary, as pdf-extract resolves them.
    fn check_fonts(
        &mut self,
        names: &BTreeSet<Vec<u8>>,
        resources: &'a Dictionary,
    ) -> Result<(), IngestError> {
        let document = self.document;
        let Some(fonts) = entry(document, resources, b"Font").and_then(|object| object.as_dict().ok()) else {
            return Ok(());
        };
        for name in names {
            let Some(font) = entry(document, fonts, name).and_then(|object| object.as_dict().ok()) else {
                continue;
            };
            for cmap in cmaps(document, font) {
                if self.checked_cmaps.insert(cmap) {
                    check_cmap(cmap)?;
                }
            }
        }
        Ok(())
    }
}

/// A stream's content as pdf-extract reads a form's: decoded, or as stored when lopdf cannot
/// decode it. Each stream decodes within the budget [`crate::pdf_streams`] checked.
fn decoded(stream: &Stream) -> Vec<u8> {
    stream.decompressed_content().unwrap_or_else(|_| stream.content.clone())
}

/// The names a content stream draws and the fonts it selects. pdf-extract gives up on a page
/// whose content does not parse, so such content uses nothing.
fn content_names(content: &[u8]) -> ContentNames {
    let mut names = ContentNames::default();
    let Ok(content) = Content::decode(content) else { return names };
    for operation in content.operations {
        // pdf-extract reads the first operand.
        let Some(Object::Name(name)) = operation.operands.into_iter().next() else { continue };
        match operation.operator.as_str() {
            "Do" => *names.drawn.entry(name).or_default() += 1,
            "Tf" => {
                names.fonts.insert(name);
            }
            _ => {}
        }
    }
    names
}

/// The forms the names resolve to in the resources' `/XObject` dictionary, as pdf-extract
/// resolves them: any stream is drawn as a form, whatever its `/Subtype`, with its own
/// `/Resources` or, without them, the caller's. A name that resolves to no stream stops
/// pdf-extract, so it draws nothing here.
fn drawn_forms<'a>(
    document: &'a Document,
    names: &BTreeMap<Vec<u8>, u64>,
    resources: &'a Dictionary,
) -> Vec<(Form<'a>, u64)> {
    let Some(xobjects) = entry(document, resources, b"XObject").and_then(|object| object.as_dict().ok())
    else {
        return Vec::new();
    };
    let mut forms = Vec::new();
    for (name, &times) in names {
        let Some(stream) = entry(document, xobjects, name).and_then(|object| object.as_stream().ok()) else {
            continue;
        };
        let form_resources = entry(document, &stream.dict, b"Resources")
            .and_then(|object| object.as_dict().ok())
            .unwrap_or(resources);
        forms.push((Form { stream, resources: form_resources }, times));
    }
    forms
}

/// A dictionary's entry, its reference followed as pdf-extract follows it.
fn entry<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    match dictionary.get(key).ok()? {
        Object::Reference(id) => document.get_object(*id).ok(),
        object => Some(object),
    }
}

/// The entry a page inherits, found as pdf-extract finds it: on the page, else up the chain
/// of `/Parent` references, until an entry `is_read` (pdf-extract reads a dictionary for
/// `/Resources`, an array for `/MediaBox`). pdf-extract follows the chain by recursion for as
/// long as it goes, so a chain that loops, or runs deeper than [`MAX_PDF_PAGE_TREE_DEPTH`]
/// first, is refused.
fn inherited<'a>(
    document: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
    is_read: fn(&Object) -> bool,
) -> Result<Option<&'a Object>, IngestError> {
    let mut node = page;
    let mut ancestors = HashSet::new();
    loop {
        if let Some(value) = entry(document, node, key).filter(|value| is_read(value)) {
            return Ok(Some(value));
        }
        let Ok(parent_id) = node.get(b"Parent").and_then(Object::as_reference) else { return Ok(None) };
        if !ancestors.insert(parent_id) {
            return Err(IngestError::Pdf("the file's page tree loops".into()));
        }
        if ancestors.len() > MAX_PDF_PAGE_TREE_DEPTH {
            return Err(IngestError::Pdf(format!(
                "the file nests its pages more than {MAX_PDF_PAGE_TREE_DEPTH} deep"
            )));
        }
        let Ok(parent) = document.get_dictionary(parent_id) else { return Ok(None) };
        node = parent;
    }
}
