//! The public API, format by format, on realistic fixtures.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use ingest::{
    IngestError, Ingested, Limits, MAX_DOCX_XML_BYTES, MAX_HTML_DEPTH, SourceFormat, ingest, ingest_html,
    normalize_text,
};

const ARTICLE: &str = include_str!("fixtures/article.html");
const SRT: &str = include_str!("fixtures/interview.srt");
const VTT: &str = include_str!("fixtures/interview.vtt");
const TRANSCRIPT: &str = include_str!("fixtures/interview.txt");

fn paragraphs(ingested: &Ingested) -> Vec<&str> {
    ingested.text.split("\n\n").collect()
}

// ---------------------------------------------------------------- file names

#[test]
fn formats_come_from_file_name_extensions() {
    let cases = [
        ("notes.txt", Some(SourceFormat::Text)),
        ("NOTES.TXT", Some(SourceFormat::Text)),
        ("post.md", Some(SourceFormat::Markdown)),
        ("post.Markdown", Some(SourceFormat::Markdown)),
        ("launch.mdx", Some(SourceFormat::Markdown)),
        ("page.html", Some(SourceFormat::Html)),
        ("page.HTM", Some(SourceFormat::Html)),
        ("talk.SRT", Some(SourceFormat::Srt)),
        ("talk.vtt", Some(SourceFormat::Vtt)),
        ("report.final.PDF", Some(SourceFormat::Pdf)),
        ("Letter.DocX", Some(SourceFormat::Docx)),
        ("setup.exe", None),
        ("old.doc", None),
        ("archive.tar.gz", None),
        ("README", None),
        ("", None),
        ("trailing.", None),
    ];
    for (name, expected) in cases {
        assert_eq!(SourceFormat::from_file_name(name), expected, "{name}");
    }
    for extension in SourceFormat::UPLOAD_EXTENSIONS {
        assert!(SourceFormat::from_file_name(&format!("upload{extension}")).is_some(), "{extension}");
    }
    assert_eq!(
        SourceFormat::UPLOAD_EXTENSIONS,
        [".txt", ".md", ".mdx", ".html", ".srt", ".vtt", ".pdf", ".docx"]
    );
    assert_eq!("Markdown".parse(), Ok(SourceFormat::Markdown));
    assert_eq!("transcript".parse(), Ok(SourceFormat::Transcript));
    assert!("rtf".parse::<SourceFormat>().is_err());
}

#[test]
fn formats_serialise_in_snake_case() {
    assert_eq!(serde_json::to_string(&SourceFormat::Markdown).unwrap(), r#""markdown""#);
    assert_eq!(serde_json::from_str::<SourceFormat>(r#""docx""#).unwrap(), SourceFormat::Docx);
    let ingested = ingest(b"Alice: Hi there.", SourceFormat::Transcript, Limits::default()).unwrap();
    let json = serde_json::to_value(&ingested).unwrap();
    assert_eq!(json["format"], "transcript");
    assert_eq!(json["speakers"], serde_json::json!(["Alice"]));
    assert_eq!(json["text"], "Alice: Hi there.");
}

// ---------------------------------------------------------------- text and markdown

#[test]
fn crlf_nfd_and_whitespace_are_normalised() {
    let ingested = ingest(
        "Cafe\u{301}  au   lait\r\n\r\n\r\n\r\nSecond\tparagraph   \r\nwraps here.  ".as_bytes(),
        SourceFormat::Text,
        Limits::default(),
    )
    .unwrap();
    assert_eq!(ingested.text, "Café au lait\n\nSecond paragraph\nwraps here.");
    assert_eq!(normalize_text("e\u{301}"), "é");
    assert_eq!(normalize_text("e\u{301}"), "\u{e9}");
}

#[test]
fn smart_quotes_and_typography_are_kept() {
    let ingested = ingest(
        "“Nobody asked to go back,” she said — it’s true…".as_bytes(),
        SourceFormat::Text,
        Limits::default(),
    )
    .unwrap();
    assert_eq!(ingested.text, "“Nobody asked to go back,” she said — it’s true…");
}

#[test]
fn markdown_keeps_its_structure_but_not_its_markup() {
    let markdown = "# Four-day week\r\n\r\n\r\nSome **bold**   claims:\n\n- first point\n  - nested point\n- second point\n\n> quoted";
    let ingested = ingest(markdown.as_bytes(), SourceFormat::Markdown, Limits::default()).unwrap();
    assert_eq!(ingested.format, SourceFormat::Markdown);
    assert_eq!(
        ingested.text,
        "# Four-day week\n\nSome bold claims:\n\n- first point\n- nested point\n- second point\n\nquoted"
    );
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let ingested = ingest("\u{feff}Hello there.".as_bytes(), SourceFormat::Text, Limits::default()).unwrap();
    assert_eq!(ingested.text, "Hello there.");
}

#[test]
fn non_utf8_bytes_are_refused() {
    for format in [
        SourceFormat::Text,
        SourceFormat::Markdown,
        SourceFormat::Html,
        SourceFormat::Srt,
        SourceFormat::Vtt,
        SourceFormat::Transcript,
    ] {
        assert_eq!(
            ingest(&[b'H', b'i', 0xff, 0xfe, 0x00], format, Limits::default()),
            Err(IngestError::NotUtf8),
            "{format:?}"
        );
    }
    // Latin-1 "café".
    assert_eq!(
        ingest(&[b'c', b'a', b'f', 0xe9], SourceFormat::Text, Limits::default()),
        Err(IngestError::NotUtf8)
    );
}

#[test]
fn text_without_letters_or_digits_is_empty() {
    for source in ["", "   \n\t  \r\n", "... --- !!! ?", "“” — …", "\u{feff}"] {
        assert_eq!(
            ingest(source.as_bytes(), SourceFormat::Text, Limits::default()),
            Err(IngestError::Empty),
            "{source:?}"
        );
        assert_eq!(
            ingest(source.as_bytes(), SourceFormat::Markdown, Limits::default()),
            Err(IngestError::Empty),
            "{source:?}"
        );
        assert_eq!(
            ingest(source.as_bytes(), SourceFormat::Transcript, Limits::default()),
            Err(IngestError::Empty),
            "{source:?}"
        );
    }
    assert_eq!(
        ingest(b"WEBVTT\n\nNOTE nothing here\n", SourceFormat::Vtt, Limits::default()),
        Err(IngestError::Empty)
    );
    assert_eq!(
        ingest(b"1\n00:00:01,000 --> 00:00:02,000\n...\n", SourceFormat::Srt, Limits::default()),
        Err(IngestError::Empty)
    );
}

#[test]
fn the_language_is_detected_when_reliable() {
    let english = "The bakery switched to a four-day week in March, and sales rose by four percent in the first three months. Waste fell by a fifth because the team now bakes on fewer, busier days.";
    assert_eq!(
        ingest(english.as_bytes(), SourceFormat::Text, Limits::default()).unwrap().language.as_deref(),
        Some("eng")
    );
    let german = "Die Bäckerei hat im März auf die Viertagewoche umgestellt, und der Umsatz ist in den ersten drei Monaten um vier Prozent gestiegen. Der Abfall ist um ein Fünftel gesunken.";
    assert_eq!(
        ingest(german.as_bytes(), SourceFormat::Text, Limits::default()).unwrap().language.as_deref(),
        Some("deu")
    );
    assert_eq!(ingest(b"ok", SourceFormat::Text, Limits::default()).unwrap().language, None);
}

// ---------------------------------------------------------------- html

#[test]
fn the_article_is_extracted_without_boilerplate() {
    let ingested =
        ingest_html(ARTICLE, Some("https://gazette.example/business/rye-and-crumb"), Limits::default())
            .unwrap();
    assert_eq!(ingested.format, SourceFormat::Html);
    assert_eq!(ingested.title.as_deref(), Some("Rye & Crumb moves to a four-day week"));
    assert_eq!(ingested.byline.as_deref(), Some("Jonas Weber"));
    for sentence in [
        "Rye & Crumb, a neighbourhood bakery with eleven staff, switched to a four-day working week in March this year",
        "Owner Marta Lind said the change began with a staffing problem",
        "Under the new schedule every employee works four ten-hour days",
        "Sales in the first three months were four percent higher",
        "Waste fell by a fifth",
        "“Nobody has asked to go back,” she said",
    ] {
        assert!(ingested.text.contains(sentence), "missing {sentence:?} in {}", ingested.text);
    }
    let body: Vec<&str> = paragraphs(&ingested).into_iter().filter(|p| p.len() > 80).collect();
    assert_eq!(body.len(), 6, "six body paragraphs in {}", ingested.text);
    for boilerplate in [
        "cookies",
        "privacy",
        "Accept",
        "Search the archive",
        "Horoscopes",
        "Subscribe",
        "Advertisement",
        "Quickloan",
        "Most read",
        "gadgets",
        "Sponsored",
        "cruise",
        "Copyright",
        "All rights reserved",
        "Terms of use",
        "dataLayer",
        "position: fixed",
        "<",
        ">",
    ] {
        assert!(!ingested.text.contains(boilerplate), "{boilerplate:?} kept in {}", ingested.text);
    }
    assert!(!ingested.text.contains("  ") && !ingested.text.contains("\n\n\n"));
    assert_eq!(ingested.language.as_deref(), Some("eng"));
    assert!(ingested.speakers.is_empty());
}

#[test]
fn html_bytes_and_a_bad_url_give_the_same_article() {
    let from_bytes = ingest(ARTICLE.as_bytes(), SourceFormat::Html, Limits::default()).unwrap();
    let with_bad_url = ingest_html(ARTICLE, Some("/relative/path"), Limits::default()).unwrap();
    assert_eq!(from_bytes, with_bad_url);
    assert_eq!(
        from_bytes.text,
        ingest_html(ARTICLE, Some("https://gazette.example/a"), Limits::default()).unwrap().text
    );
}

#[test]
fn a_static_site_page_keeps_its_front_matter_out_of_the_text() {
    let page = "---\ntitle: Booking.com Case Study\nauthor: Ada Lovelace\ncss: /css/case.css\nfeatured: true\n---\n\
                <section><h2>Challenge</h2><p>Booking.com has a long history with Kubernetes, and its platform team \
                moved every service onto it within two years of the first prototype.</p></section>";
    let ingested = ingest(page.as_bytes(), SourceFormat::Html, Limits::default()).unwrap();
    assert_eq!(ingested.title.as_deref(), Some("Booking.com Case Study"));
    assert_eq!(ingested.byline.as_deref(), Some("Ada Lovelace"));
    assert!(ingested.text.starts_with("# Booking.com Case Study\n\n"), "{}", ingested.text);
    assert!(!ingested.text.contains("css") && !ingested.text.contains("featured"), "{}", ingested.text);
    assert!(ingested.text.contains("long history with Kubernetes"), "{}", ingested.text);
}

#[test]
fn a_page_without_an_article_falls_back_to_its_visible_text() {
    let html = "<html><head><title>Opening hours</title><script>var tracker = 1;</script></head><body>\
                <h2>Opening hours</h2><ul><li>Wednesday to Saturday: 7 to 18</li><li>Sunday: 8 to 14</li></ul>\
                <div>Closed on Mondays and Tuesdays.</div><noscript>Enable JavaScript</noscript></body></html>";
    let ingested = ingest_html(html, None, Limits::default()).unwrap();
    assert!(ingested.text.contains("Wednesday to Saturday: 7 to 18"), "{}", ingested.text);
    assert!(ingested.text.contains("Closed on Mondays and Tuesdays."), "{}", ingested.text);
    assert!(!ingested.text.contains("tracker") && !ingested.text.contains("JavaScript"), "{}", ingested.text);
}

#[test]
fn a_page_with_no_text_is_refused() {
    let html =
        "<html><head><title></title></head><body><div id=\"app\"></div><script>boot()</script></body></html>";
    assert!(matches!(ingest_html(html, None, Limits::default()), Err(IngestError::Html(_))));
    assert!(matches!(ingest(b"   ", SourceFormat::Html, Limits::default()), Err(IngestError::Html(_))));
}

// ---------------------------------------------------------------- subtitles and transcripts

#[test]
fn srt_becomes_speaker_paragraphs() {
    let ingested = ingest(SRT.as_bytes(), SourceFormat::Srt, Limits::default()).unwrap();
    assert_eq!(ingested.format, SourceFormat::Srt);
    assert_eq!(ingested.speakers, ["HOST", "GUEST"]);
    assert_eq!(
        paragraphs(&ingested),
        [
            "HOST: Welcome back to Small Business Hour. Today we talk about the four-day week at a neighbourhood bakery.",
            "GUEST: Thanks for having me. We switched in March, and sales rose four percent in three months. Waste fell by a fifth as well.",
            "HOST: Remarkable.",
        ]
    );
    for leftover in ["-->", "00:00", "<i>", "</i>", "<b>", "X1:"] {
        assert!(!ingested.text.contains(leftover), "{leftover} in {}", ingested.text);
    }
    assert_eq!(ingested.language.as_deref(), Some("eng"));
}

#[test]
fn srt_with_crlf_and_no_speakers_flows_into_sentences() {
    let srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\nThe bakery switched\r\n\r\n2\r\n00:00:02,100 --> 00:00:03,000\r\nto a four-day week.\r\n\r\n3\r\n00:00:03,100 --> 00:00:04,000\r\nSales rose.\r\n\r\n4\r\n00:00:07,000 --> 00:00:08,000\r\nWaste fell\r\n\r\n5\r\n00:00:12,000 --> 00:00:13,000\r\nby a fifth.\r\n";
    let ingested = ingest(srt.as_bytes(), SourceFormat::Srt, Limits::default()).unwrap();
    assert!(ingested.speakers.is_empty());
    // A pause after "Sales rose." starts a paragraph; a pause mid-sentence does not.
    assert_eq!(
        ingested.text,
        "The bakery switched to a four-day week. Sales rose.\n\nWaste fell by a fifth."
    );
}

#[test]
fn vtt_metadata_ids_settings_and_voices_are_handled() {
    let ingested = ingest(VTT.as_bytes(), SourceFormat::Vtt, Limits::default()).unwrap();
    assert_eq!(ingested.speakers, ["Host", "Marta Lind"]);
    assert_eq!(
        paragraphs(&ingested),
        [
            "Host: Welcome back to the show. What changed at the bakery?",
            "Marta Lind: We moved to four days and sales went up.",
            "Waste fell, too.",
        ]
    );
    for leftover in [
        "WEBVTT", "Kind", "NOTE", "exported", "STYLE", "cue", "intro", "answer", "align", "size:", "<", "00:",
    ] {
        assert!(!ingested.text.contains(leftover), "{leftover} in {}", ingested.text);
    }
}

#[test]
fn speaker_transcripts_drop_timestamps_and_join_turns() {
    let ingested = ingest(TRANSCRIPT.as_bytes(), SourceFormat::Transcript, Limits::default()).unwrap();
    assert_eq!(ingested.speakers, ["Alice", "Bob"]);
    assert_eq!(
        paragraphs(&ingested),
        [
            "Alice: Hello there, and welcome to the planning meeting. Today we decide on the spring menu.",
            "Bob: Thanks, Alice. I brought the numbers from last year. Rye bread sold best in April.",
            "Alice: Then rye stays on the menu.",
        ]
    );
    assert!(!ingested.text.contains("00:"));
}

// ---------------------------------------------------------------- docx

fn docx(body: &str) -> Vec<u8> {
    docx_writing(|document| document.write_all(body.as_bytes()).unwrap())
}

/// A DOCX whose `word/document.xml` body is what `write_body` writes, in as many pieces as it
/// likes, so a huge document need not be held whole.
fn docx_writing(write_body: impl FnOnce(&mut dyn Write)) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    )
    .unwrap();
    write_body(&mut zip);
    zip.write_all(b"<w:sectPr/></w:body></w:document>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn docx_paragraphs_come_back_in_order() {
    let body = r#"
        <w:p><w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Rye &amp; Crumb’s four-day week</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">Sales rose </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>four percent</w:t></w:r><w:r><w:t xml:space="preserve"> in three months.</w:t></w:r></w:p>
        <w:p></w:p>
        <w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:p>
        <w:p><w:r><w:t>Staff</w:t><w:tab/><w:t>kept their pay.</w:t><w:br/><w:t>Nobody asked to go back.</w:t></w:r></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Waste fell by a fifth.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        <w:p><w:r><w:delText>deleted words</w:delText><w:t>Caf&#233; opens at seven.</w:t></w:r></w:p>"#;
    let ingested = ingest(&docx(body), SourceFormat::Docx, Limits::default()).unwrap();
    assert_eq!(ingested.format, SourceFormat::Docx);
    assert_eq!(
        ingested.text,
        "Rye & Crumb’s four-day week\n\nSales rose four percent in three months.\n\n\
         Staff kept their pay.\nNobody asked to go back.\n\nWaste fell by a fifth.\n\nCafé opens at seven."
    );
}

#[test]
fn broken_or_empty_documents_are_reported() {
    assert!(matches!(ingest(b"not a zip", SourceFormat::Docx, Limits::default()), Err(IngestError::Docx(_))));
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("other.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"<x/>").unwrap();
    let without_document = zip.finish().unwrap().into_inner();
    assert!(matches!(
        ingest(&without_document, SourceFormat::Docx, Limits::default()),
        Err(IngestError::Docx(_))
    ));
    assert_eq!(
        ingest(
            &docx("<w:p></w:p><w:p><w:r><w:t>  </w:t></w:r></w:p>"),
            SourceFormat::Docx,
            Limits::default()
        ),
        Err(IngestError::Empty)
    );
    assert!(matches!(
        ingest(b"%PDF-1.4 broken", SourceFormat::Pdf, Limits::default()),
        Err(IngestError::Pdf(_))
    ));
    assert!(matches!(ingest(b"", SourceFormat::Pdf, Limits::default()), Err(IngestError::Pdf(_))));
}

// ---------------------------------------------------------------- pdf

/// A PDF with one page per entry; each page is a list of lines in 12 pt Helvetica, an empty
/// line leaving a paragraph gap.
fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{Document, Object, Stream, dictionary};

    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let font_id = document.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = document.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 720.into()]),
        ];
        for line in *lines {
            if line.is_empty() {
                operations.push(Operation::new("Td", vec![0.into(), (-14).into()]));
                continue;
            }
            operations.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
            operations.push(Operation::new("Td", vec![0.into(), (-14).into()]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().unwrap();
        let content_id = document.add_object(Stream::new(dictionary! {}, content));
        let page_id = document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
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
fn a_generated_pdf_yields_reflowed_paragraphs_per_page() {
    let bytes = pdf(&[
        &[
            "The bakery switched to a four-day",
            "week in March this year.",
            "",
            "Sales rose by four percent in the first",
            "three months, an encour-",
            "aging result.",
        ],
        &["1"],
        &["Waste fell by a fifth."],
    ]);
    assert!(bytes.starts_with(b"%PDF-1.5"));
    let ingested = ingest(&bytes, SourceFormat::Pdf, Limits::default()).unwrap();
    assert_eq!(ingested.format, SourceFormat::Pdf);
    assert_eq!(
        paragraphs(&ingested),
        [
            "The bakery switched to a four-day week in March this year.",
            "Sales rose by four percent in the first three months, an encouraging result.",
            "Waste fell by a fifth.",
        ]
    );
    assert_eq!(ingested.language.as_deref(), Some("eng"));
}

#[test]
fn a_pdf_fixture_yields_its_text() {
    let ingested =
        ingest(include_bytes!("fixtures/bakery.pdf"), SourceFormat::Pdf, Limits::default()).unwrap();
    assert_eq!(
        paragraphs(&ingested),
        [
            "Rye and Crumb moves to a four-day week",
            "The bakery switched to a four-day week in March. Sales rose by four percent in three months.",
            "Waste fell by a fifth because the team bakes on fewer, busier days.",
        ]
    );
}

#[test]
fn a_pdf_without_text_is_empty() {
    assert_eq!(ingest(&pdf(&[&[]]), SourceFormat::Pdf, Limits::default()), Err(IngestError::Empty));
}

// ---------------------------------------------------------------- limits

#[test]
fn text_past_the_limit_is_refused_in_every_format() {
    let limits = Limits { max_chars: 60 };
    let too_long = Err(IngestError::TooLong { limit: 60 });
    let sentence = "The bakery switched to a four-day week in March. ";
    let long_text = sentence.repeat(2);
    let srt = format!("1\n00:00:01,000 --> 00:00:09,000\n{long_text}\n");
    let sources = [
        (SourceFormat::Text, long_text.clone().into_bytes()),
        (SourceFormat::Markdown, format!("# Bakery\n\n{long_text}").into_bytes()),
        (SourceFormat::Html, format!("<p>{long_text}</p>").into_bytes()),
        (SourceFormat::Srt, srt.clone().into_bytes()),
        (SourceFormat::Vtt, format!("WEBVTT\n\n{srt}").into_bytes()),
        (SourceFormat::Transcript, format!("Alice: {long_text}").into_bytes()),
        (SourceFormat::Pdf, pdf(&[&[sentence], &[sentence]])),
        (SourceFormat::Docx, docx(&format!("<w:p><w:r><w:t>{long_text}</w:t></w:r></w:p>"))),
    ];
    for (format, bytes) in sources {
        assert_eq!(ingest(&bytes, format, limits), too_long, "{format:?}");
        assert!(ingest(&bytes, format, Limits { max_chars: 200 }).is_ok(), "{format:?}");
    }
    assert_eq!(
        IngestError::TooLong { limit: 200_000 }.to_string(),
        "the text is longer than the 200000-character limit"
    );
    assert_eq!(Limits::default().max_chars, 200_000);
}

#[test]
fn a_docx_that_expands_to_millions_of_characters_stops_at_the_limit() {
    let run = format!("<w:r><w:t>{}</w:t></w:r>", "Rye and crumb. ".repeat(64));
    let bytes = docx_writing(|document| {
        document.write_all(b"<w:p>").unwrap();
        for _ in 0..10_000 {
            document.write_all(run.as_bytes()).unwrap();
        }
        document.write_all(b"</w:p>").unwrap();
    });
    assert!(bytes.len() < 256 * 1024, "{} bytes", bytes.len());
    let started = Instant::now();
    assert_eq!(
        ingest(&bytes, SourceFormat::Docx, Limits::default()),
        Err(IngestError::TooLong { limit: 200_000 })
    );
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[test]
fn a_docx_whose_markup_unpacks_past_its_cap_is_refused() {
    let empty_paragraphs = "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>".repeat(1024);
    let bytes = docx_writing(|document| {
        for _ in 0..=MAX_DOCX_XML_BYTES / empty_paragraphs.len() as u64 {
            document.write_all(empty_paragraphs.as_bytes()).unwrap();
        }
    });
    let too_large = Err(IngestError::TooLarge { limit_bytes: MAX_DOCX_XML_BYTES });
    assert_eq!(ingest(&bytes, SourceFormat::Docx, Limits::default()), too_large);
    assert_eq!(
        IngestError::TooLarge { limit_bytes: MAX_DOCX_XML_BYTES }.to_string(),
        "the file expands to more than 16 MiB when decompressed"
    );
}

// ---------------------------------------------------------------- nesting

/// Runs `work` on a thread with the 2 MiB stack of a tokio worker.
fn on_a_worker_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(work).unwrap().join().unwrap()
}

#[test]
fn deeply_nested_pages_are_refused_before_parsing() {
    let too_deep = Err(IngestError::TooDeep { limit: MAX_HTML_DEPTH });
    let pages = [
        ("unclosed bold", "<b>".repeat(30_000)),
        ("nested divs", "<div>".repeat(10_000)),
        // Formatting a new paragraph re-opens, all different: the parser's tree grows
        // quadratically.
        ("bold re-opened per paragraph", (0..30_000).map(|n| format!("<p><b class=c{n}>")).collect()),
    ];
    for (shape, html) in pages {
        let started = Instant::now();
        assert_eq!(ingest_html(&html, None, Limits::default()), too_deep, "{shape}");
        assert_eq!(ingest(html.as_bytes(), SourceFormat::Html, Limits::default()), too_deep, "{shape}");
        assert!(started.elapsed() < Duration::from_secs(1), "{shape}: {:?}", started.elapsed());
    }
    assert_eq!(
        IngestError::TooDeep { limit: MAX_HTML_DEPTH }.to_string(),
        "the page nests its markup more than 512 levels deep"
    );
}

#[test]
fn pages_up_to_the_nesting_limit_extract_on_a_worker_stack() {
    let nested = |depth: usize| format!("{}<p>Deep inside the bakery.</p>", "<div>".repeat(depth - 1));
    let at_limit = on_a_worker_stack(move || ingest_html(&nested(MAX_HTML_DEPTH), None, Limits::default()));
    assert_eq!(at_limit.unwrap().text, "Deep inside the bakery.");
    assert_eq!(
        ingest_html(&nested(MAX_HTML_DEPTH + 1), None, Limits::default()),
        Err(IngestError::TooDeep { limit: MAX_HTML_DEPTH })
    );
    let article = on_a_worker_stack(|| ingest_html(ARTICLE, None, Limits::default()).unwrap());
    assert_eq!(article.title.as_deref(), Some("Rye & Crumb moves to a four-day week"));
    // Paragraphs that leave their bold open nest only a few levels deep once parsed.
    let shallow = "<p><b>".repeat(30_000);
    let refused = on_a_worker_stack(move || ingest_html(&shallow, None, Limits::default()));
    assert!(matches!(refused, Err(IngestError::Html(_))), "{refused:?}");
}

// ---------------------------------------------------------------- robustness

/// xorshift64: deterministic pseudo-random numbers without a dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn bytes(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.next() as u8).collect()
    }

    /// Text assembled from pieces that exercise every parser's edge cases.
    fn tricky_text(&mut self, pieces: usize) -> String {
        const PIECES: [&str; 48] = [
            "\n",
            "\n\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            ":",
            "-->",
            " --> ",
            "00:00:01,000",
            "00:01.000",
            "99:99:99,999",
            "1",
            "[00:00:01]",
            "(00:01)",
            "<v Alice>",
            "<v.loud Bob Smith>",
            "</v>",
            "<i>",
            "</i>",
            "<",
            ">",
            "&amp;",
            "&lt;",
            "&",
            "HOST:",
            "GUEST: ",
            "Alice:",
            "- ",
            ">> ",
            "WEBVTT",
            "NOTE",
            "STYLE",
            "REGION",
            "e\u{301}",
            "é",
            "日本語",
            "🙂",
            "\u{2029}",
            "\u{2028}",
            "\u{0}",
            "\u{feff}",
            "\u{ad}",
            "ﬁ",
            "<p>",
            "</div>",
            "Hello world.",
            "exam-",
        ];
        (0..pieces).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }
}

const TEXT_FORMATS: [SourceFormat; 6] = [
    SourceFormat::Text,
    SourceFormat::Markdown,
    SourceFormat::Html,
    SourceFormat::Srt,
    SourceFormat::Vtt,
    SourceFormat::Transcript,
];

fn check(bytes: &[u8], format: SourceFormat) {
    match ingest(bytes, format, Limits::default()) {
        Ok(ingested) => {
            assert_eq!(ingested.format, format);
            assert!(ingested.text.chars().any(char::is_alphanumeric), "{format:?}: {:?}", ingested.text);
            assert!(
                !ingested.text.contains("\n\n\n") && !ingested.text.contains("  "),
                "{:?}",
                ingested.text
            );
            assert_eq!(ingested.text, ingested.text.trim(), "{format:?}");
        }
        Err(IngestError::NotUtf8) => assert!(std::str::from_utf8(bytes).is_err(), "{format:?}"),
        Err(_) => {}
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let bytes = random.bytes(round % 257);
        for format in TEXT_FORMATS {
            check(&bytes, format);
        }
        if round % 4 == 0 {
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend(&bytes);
            assert!(ingest(&pdf, SourceFormat::Pdf, Limits::default()).is_err());
            let mut zip = b"PK\x03\x04".to_vec();
            zip.extend(&bytes);
            assert!(ingest(&zip, SourceFormat::Docx, Limits::default()).is_err());
        }
    }
}

#[test]
fn arbitrary_unicode_text_never_panics() {
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for round in 0..400 {
        let text = random.tricky_text(1 + round % 60);
        for format in TEXT_FORMATS {
            check(text.as_bytes(), format);
        }
        let normalized = normalize_text(&text);
        assert_eq!(normalize_text(&normalized), normalized, "normalising twice changes {text:?}");
    }
}

#[test]
fn mangled_documents_never_panic() {
    let mut random = Random(0xdead_beef_cafe_f00d);
    let valid_pdf = pdf(&[&["Some text on a page."]]);
    let valid_docx = docx("<w:p><w:r><w:t>Some text in a document.</w:t></w:r></w:p>");
    for _ in 0..60 {
        for (valid, format) in [(&valid_pdf, SourceFormat::Pdf), (&valid_docx, SourceFormat::Docx)] {
            let mut mangled = valid.clone();
            for _ in 0..1 + random.below(8) {
                let index = random.below(mangled.len());
                mangled[index] = random.next() as u8;
            }
            if random.below(3) == 0 {
                mangled.truncate(random.below(mangled.len()));
            }
            match ingest(&mangled, format, Limits::default()) {
                Ok(ingested) => assert!(ingested.text.chars().any(char::is_alphanumeric)),
                Err(error) => assert!(
                    matches!(error, IngestError::Pdf(_) | IngestError::Docx(_) | IngestError::Empty),
                    "{format:?}: {error:?}"
                ),
            }
        }
    }
}

#[test]
fn transcripts_published_as_markdown_lose_their_marks_and_keep_their_speakers() {
    let transcript = "**Jerod Santo:** Welcome to the show.\n\n\\* \\* \\*\n\n\\[00:04:03.01\\] **Katrina Owen:** Thanks for having me.\n";
    let ingested = ingest(transcript.as_bytes(), SourceFormat::Transcript, Limits::default()).unwrap();
    assert_eq!(ingested.speakers, ["Jerod Santo", "Katrina Owen"]);
    assert!(!ingested.text.contains(['*', '\\', '[']), "{}", ingested.text);
    assert!(ingested.text.contains("Thanks for having me."), "{}", ingested.text);
}
