//! Form XObjects that would make the PDF parser recurse without end or repeat its work without
//! bound, page trees and font character maps that would make it recurse too deep, are refused
//! before any page is drawn; ordinary forms still give their text.
//!
//! The parser draws a form by recursion, so a form that draws itself would overflow the stack.
//! The documents that could do so are ingested on a thread with a tokio worker's 2 MiB stack:
//! should the guard regress, the overflow aborts this test binary, which fails the run.

use std::io::Write;

use flate2::{Compression, write::ZlibEncoder};
use ingest::{
    IngestError, Limits, MAX_PDF_CMAP_DEPTH, MAX_PDF_DRAWN_CONTENT_BYTES, MAX_PDF_FORM_DEPTH,
    MAX_PDF_FORM_DRAWS, MAX_PDF_PAGE_TREE_DEPTH, SourceFormat, ingest,
};
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

const PAGE_TEXT: &str = "BT /F1 12 Tf 72 720 Td (Rye and Crumb bakes on four days a week.) Tj ET";

/// A one-page PDF being built: forms are added first, then the page that draws them.
struct Pdf {
    document: Document,
    pages_id: ObjectId,
    font_id: ObjectId,
}

impl Pdf {
    fn new() -> Self {
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        let font_id = document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        Self { document, pages_id, font_id }
    }

    /// Resources naming the font `F1` and each `(name, form)` XObject.
    fn resources(&self, forms: &[(&str, ObjectId)]) -> Dictionary {
        let mut xobjects = Dictionary::new();
        for &(name, form_id) in forms {
            xobjects.set(name, form_id);
        }
        dictionary! { "Font" => dictionary! { "F1" => self.font_id }, "XObject" => xobjects }
    }

    /// An id for a form added later, so that forms can name each other.
    fn reserve(&mut self) -> ObjectId {
        self.document.new_object_id()
    }

    /// Stores a form XObject at `id`, with its own resources when given.
    fn set_form(&mut self, id: ObjectId, content: &[u8], resources: Option<Dictionary>) {
        let mut dictionary = dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        if let Some(resources) = resources {
            dictionary.set("Resources", resources);
        }
        self.document.objects.insert(id, Object::Stream(Stream::new(dictionary, content.to_vec())));
    }

    fn form(&mut self, content: &[u8], resources: Option<Dictionary>) -> ObjectId {
        let id = self.reserve();
        self.set_form(id, content, resources);
        id
    }

    /// The file, with one page drawing `content` with `resources`.
    fn finish(mut self, content: &[u8], resources: Dictionary) -> Vec<u8> {
        let content_id = self.document.add_object(Stream::new(dictionary! {}, content.to_vec()));
        self.finish_with_contents(Object::Reference(content_id), resources)
    }

    /// The file, with one page whose `/Contents` is `contents`.
    fn finish_with_contents(self, contents: Object, resources: Dictionary) -> Vec<u8> {
        let mut document = self.document;
        let page_id = document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => self.pages_id,
            "Contents" => contents,
            "Resources" => resources,
        });
        document.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![Object::Reference(page_id)],
                "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
        document.trailer.set("Root", catalog_id);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }
}

/// Ingests the PDF on a thread with the 2 MiB stack of a tokio worker.
fn ingest_on_a_worker_stack(pdf: Vec<u8>) -> Result<String, IngestError> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || ingest(&pdf, SourceFormat::Pdf, Limits::default()).map(|ingested| ingested.text))
        .unwrap()
        .join()
        .unwrap()
}

fn refused(reason: &str) -> Result<String, IngestError> {
    Err(IngestError::Pdf(reason.into()))
}

const INNER_TEXT: &[u8] = b"BT /F1 12 Tf 72 700 Td (The ovens rest on Mondays.) Tj ET";

/// Forms nested `depth` deep, each drawing the next `times` times; the innermost one draws
/// `innermost`. Returns the outermost form.
fn nested_forms(pdf: &mut Pdf, depth: usize, times: usize, innermost: &[u8]) -> ObjectId {
    let mut next = pdf.form(innermost, Some(pdf.resources(&[])));
    for _ in 1..depth {
        let content = b"/Fm0 Do\n".repeat(times);
        let resources = pdf.resources(&[("Fm0", next)]);
        next = pdf.form(&content, Some(resources));
    }
    next
}

#[test]
fn forms_drawing_themselves_are_refused_without_overflowing_the_stack() {
    let in_a_loop = refused("the file draws its forms in a loop");

    // A form whose own resources name it.
    let mut pdf = Pdf::new();
    let form_id = pdf.reserve();
    pdf.set_form(form_id, b"/Fm0 Do", Some(pdf.resources(&[("Fm0", form_id)])));
    let resources = pdf.resources(&[("Fm0", form_id)]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)), in_a_loop);

    // A form without resources, drawn with the page's, which name it.
    let mut pdf = Pdf::new();
    let form_id = pdf.form(b"/Fm0 Do", None);
    let resources = pdf.resources(&[("Fm0", form_id)]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)), in_a_loop);

    // An image is drawn as a form too, whatever its subtype says.
    let mut pdf = Pdf::new();
    let image_id = pdf.reserve();
    let image = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Resources" => pdf.resources(&[("Im0", image_id)]),
    };
    pdf.document.objects.insert(image_id, Object::Stream(Stream::new(image, b"/Im0 Do".to_vec())));
    let resources = pdf.resources(&[("Im0", image_id)]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Im0 Do", resources)), in_a_loop);

    // A draws B, which draws A.
    let mut pdf = Pdf::new();
    let (a_id, b_id) = (pdf.reserve(), pdf.reserve());
    pdf.set_form(a_id, b"/FmB Do", Some(pdf.resources(&[("FmB", b_id)])));
    pdf.set_form(b_id, b"/FmA Do", Some(pdf.resources(&[("FmA", a_id)])));
    let resources = pdf.resources(&[("FmA", a_id)]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/FmA Do", resources)), in_a_loop);
}

#[test]
fn forms_drawing_each_other_exponentially_are_refused() {
    // 30 levels, each drawing the next twice: 2^30 draws, and too deep as well. The innermost
    // form draws nothing, so the text limit does not stop the parser either.
    let mut pdf = Pdf::new();
    let outer_id = nested_forms(&mut pdf, 30, 2, b"");
    let resources = pdf.resources(&[("Fm0", outer_id)]);
    let too_deep = refused(&format!("the file nests forms more than {MAX_PDF_FORM_DEPTH} deep"));
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)), too_deep);

    // 14 levels, each drawing the next twice: within the depth, 2^14 - 1 draws.
    let too_many = refused(&format!("the file draws forms more than {MAX_PDF_FORM_DRAWS} times"));
    let mut pdf = Pdf::new();
    let outer_id = nested_forms(&mut pdf, 14, 2, b"");
    let resources = pdf.resources(&[("Fm0", outer_id)]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)), too_many);

    // One form, drawn once too often by the page.
    let mut pdf = Pdf::new();
    let form_id = pdf.form(b"", None);
    let resources = pdf.resources(&[("Fm0", form_id)]);
    let content = b"/Fm0 Do\n".repeat(usize::try_from(MAX_PDF_FORM_DRAWS).unwrap() + 1);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(&content, resources)), too_many);
}

/// `length` bytes of spaces, zlib-compressed: content that parses to nothing.
fn compressed_spaces(length: usize) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&vec![b' '; length]).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn content_repeated_past_the_budget_is_refused() {
    let too_much = refused(&format!(
        "the file's pages draw more than {} MiB of content",
        MAX_PDF_DRAWN_CONTENT_BYTES / (1024 * 1024)
    ));
    let mib = 1024 * 1024;
    let times = usize::try_from(MAX_PDF_DRAWN_CONTENT_BYTES).unwrap() / mib + 1;

    // A MiB of form content, drawn a few hundred times: few draws, much parsing.
    let mut pdf = Pdf::new();
    let form_id = pdf.reserve();
    let form = Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form", "Filter" => "FlateDecode" },
        compressed_spaces(mib),
    );
    pdf.document.objects.insert(form_id, Object::Stream(form));
    let resources = pdf.resources(&[("Fm0", form_id)]);
    let content = b"/Fm0 Do\n".repeat(times);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(&content, resources)), too_much);

    // A page listing a MiB of content as many times.
    let mut pdf = Pdf::new();
    let stream = Stream::new(dictionary! { "Filter" => "FlateDecode" }, compressed_spaces(mib));
    let stream_id = pdf.document.add_object(stream);
    let contents = Object::Array(vec![Object::Reference(stream_id); times]);
    let resources = pdf.resources(&[]);
    assert_eq!(ingest_on_a_worker_stack(pdf.finish_with_contents(contents, resources)), too_much);
}

#[test]
fn forms_drawn_a_few_times_give_their_text() {
    let mut pdf = Pdf::new();
    let form_text = b"BT /F1 12 Tf 72 650 Td (Fresh bread every morning.) Tj ET";
    let form_id = pdf.form(form_text, None);
    let resources = pdf.resources(&[("Fm0", form_id)]);
    let content = [PAGE_TEXT.as_bytes(), b"\n/Fm0 Do\n/Fm0 Do\n/Fm0 Do"].concat();
    let text = ingest_on_a_worker_stack(pdf.finish(&content, resources)).unwrap();
    assert!(text.starts_with("Rye and Crumb bakes on four days a week."), "{text}");
    assert!(text.contains("Fresh bread every morning."), "{text}");
}

#[test]
fn forms_nested_to_the_limit_extract_on_a_worker_stack() {
    let mut pdf = Pdf::new();
    let outer_id = nested_forms(&mut pdf, MAX_PDF_FORM_DEPTH, 1, INNER_TEXT);
    let resources = pdf.resources(&[("Fm0", outer_id)]);
    let text = ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)).unwrap();
    assert_eq!(text, "The ovens rest on Mondays.");

    let mut pdf = Pdf::new();
    let outer_id = nested_forms(&mut pdf, MAX_PDF_FORM_DEPTH + 1, 1, INNER_TEXT);
    let resources = pdf.resources(&[("Fm0", outer_id)]);
    let too_deep = refused(&format!("the file nests forms more than {MAX_PDF_FORM_DEPTH} deep"));
    assert_eq!(ingest_on_a_worker_stack(pdf.finish(b"/Fm0 Do", resources)), too_deep);
}

/// A one-page PDF whose page inherits its resources and media box from the top of a chain of
/// `ancestors` page tree nodes, the last of them the page's parent.
fn pdf_with_ancestors(ancestors: usize) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut parent = pdf.document.add_object(dictionary! {
        "Type" => "Pages",
        "Resources" => pdf.resources(&[]),
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    for _ in 1..ancestors {
        parent = pdf.document.add_object(dictionary! { "Type" => "Pages", "Parent" => parent });
    }
    pdf_with_parent(pdf, parent)
}

/// The PDF with one page, under `parent`, though listed directly under the page tree's root.
fn pdf_with_parent(pdf: Pdf, parent: ObjectId) -> Vec<u8> {
    let mut document = pdf.document;
    let content_id = document.add_object(Stream::new(dictionary! {}, PAGE_TEXT.as_bytes().to_vec()));
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => parent,
        "Contents" => content_id,
    });
    document.objects.insert(
        pdf.pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![Object::Reference(page_id)],
            "Count" => 1,
        }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pdf.pages_id });
    document.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_page_tree_that_loops_or_runs_too_deep_is_refused_without_overflowing_the_stack() {
    // The page would inherit from a parent that is its own parent.
    let mut pdf = Pdf::new();
    let looping_id = pdf.reserve();
    let looping = dictionary! { "Type" => "Pages", "Parent" => looping_id };
    pdf.document.objects.insert(looping_id, Object::Dictionary(looping));
    assert_eq!(
        ingest_on_a_worker_stack(pdf_with_parent(pdf, looping_id)),
        refused("the file's page tree loops")
    );

    let text = ingest_on_a_worker_stack(pdf_with_ancestors(MAX_PDF_PAGE_TREE_DEPTH)).unwrap();
    assert_eq!(text, "Rye and Crumb bakes on four days a week.");
    let too_deep = refused(&format!("the file nests its pages more than {MAX_PDF_PAGE_TREE_DEPTH} deep"));
    assert_eq!(ingest_on_a_worker_stack(pdf_with_ancestors(MAX_PDF_PAGE_TREE_DEPTH + 1)), too_deep);
    // Deep enough to overflow the stack without the guard.
    assert_eq!(ingest_on_a_worker_stack(pdf_with_ancestors(20_000)), too_deep);
}

/// A one-page PDF whose text is in a font with `cmap` as its `/ToUnicode` map, selected by
/// the page or, when `in_a_form`, by a form the page draws.
fn pdf_with_cmap(cmap: Vec<u8>, in_a_form: bool) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let cmap_id = pdf.document.add_object(Stream::new(dictionary! {}, cmap));
    if let Ok(Object::Dictionary(font)) = pdf.document.get_object_mut(pdf.font_id) {
        font.set("ToUnicode", cmap_id);
    }
    if !in_a_form {
        let resources = pdf.resources(&[]);
        return pdf.finish(PAGE_TEXT.as_bytes(), resources);
    }
    let form_id = pdf.form(PAGE_TEXT.as_bytes(), Some(pdf.resources(&[])));
    let resources = dictionary! { "XObject" => dictionary! { "Fm0" => form_id } };
    pdf.finish(b"/Fm0 Do", resources)
}

/// A character map giving "A" for code 0x41, inside `depth` arrays.
fn nested_cmap(depth: usize) -> Vec<u8> {
    let mapping = b"1 beginbfchar <41> <0041> endbfchar ";
    [b"[".repeat(depth), mapping.to_vec(), b"]".repeat(depth)].concat()
}

#[test]
fn font_maps_nested_too_deep_are_refused_without_overflowing_the_stack() {
    let text = ingest_on_a_worker_stack(pdf_with_cmap(nested_cmap(MAX_PDF_CMAP_DEPTH), false));
    assert!(text.is_ok(), "{text:?}");
    let too_deep =
        refused(&format!("the file nests a font's character map more than {MAX_PDF_CMAP_DEPTH} deep"));
    for in_a_form in [false, true] {
        let pdf = pdf_with_cmap(nested_cmap(MAX_PDF_CMAP_DEPTH + 1), in_a_form);
        assert_eq!(ingest_on_a_worker_stack(pdf), too_deep, "in a form: {in_a_form}");
        // Deep enough to overflow the stack without the guard.
        let pdf = pdf_with_cmap(nested_cmap(10_000), in_a_form);
        assert_eq!(ingest_on_a_worker_stack(pdf), too_deep, "in a form: {in_a_form}");
    }
}
