//! PDF decompression bombs are refused before anything inflates them: quickly and in little
//! memory. The bombs are built here, so this binary counts every allocation it makes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use flate2::{Compression, write::ZlibEncoder};
use ingest::{IngestError, Limits, MAX_PDF_INFLATED_BYTES, SourceFormat, ingest};
use pdf_extract::{Document, Object, Stream, dictionary};

/// The system allocator, keeping track of the most bytes held at once.
struct PeakCounting;

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for PeakCounting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the layout comes from the caller, who upholds `GlobalAlloc::alloc`'s contract.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let allocated = ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(allocated, Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the pointer was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(pointer, layout) };
        ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: PeakCounting = PeakCounting;

/// `length` zero bytes (whitespace to a PDF content parser), zlib-compressed as tightly as
/// possible, written a MiB at a time so the test never holds them.
fn compressed_zeros(length: u64) -> Vec<u8> {
    const MIB: usize = 1024 * 1024;
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let zeros = vec![0; MIB];
    for _ in 0..length / MIB as u64 {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

fn compressed(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A one-page PDF whose content stream is `content`, decoded with `filter`, with Helvetica as
/// font `F1`.
fn pdf_with_content(content: Vec<u8>, filter: Object) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let content_id = document.add_object(Stream::new(dictionary! { "Filter" => filter }, content));
    let page_id = document.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![Object::Reference(page_id)],
            "Count" => 1,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn pdf_bombs_are_refused_quickly_in_little_memory() {
    let flate = || Object::Name(b"FlateDecode".to_vec());
    let page = compressed(b"BT /F1 12 Tf 72 720 Td (Rye and Crumb bakes on four days a week.) Tj ET");
    let ingested = ingest(&pdf_with_content(page, flate()), SourceFormat::Pdf, Limits::default()).unwrap();
    assert_eq!(ingested.text, "Rye and Crumb bakes on four days a week.");

    let content = compressed_zeros(2 * MAX_PDF_INFLATED_BYTES);
    let bombs = [
        ("a FlateDecode stream", pdf_with_content(content.clone(), flate())),
        (
            "chained FlateDecode filters",
            pdf_with_content(compressed(&content), vec![flate(), flate()].into()),
        ),
    ];
    for (bomb, pdf) in &bombs {
        assert!(pdf.len() < 512 * 1024, "{bomb}: {} bytes", pdf.len());
        let before = ALLOCATED.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let started = Instant::now();
        let result = ingest(pdf, SourceFormat::Pdf, Limits::default());
        let (elapsed, peak) = (started.elapsed(), PEAK.load(Ordering::Relaxed) - before);
        assert_eq!(result, Err(IngestError::TooLarge { limit_bytes: MAX_PDF_INFLATED_BYTES }), "{bomb}");
        assert!(elapsed < Duration::from_secs(10), "{bomb}: {elapsed:?}");
        assert!(peak < 4 * 1024 * 1024, "{bomb}: {peak} bytes held at once");
    }
    let error = IngestError::TooLarge { limit_bytes: MAX_PDF_INFLATED_BYTES };
    assert_eq!(error.to_string(), "the file expands to more than 64 MiB when decompressed");
}
