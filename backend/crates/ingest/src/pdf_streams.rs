//! A guard against PDF decompression bombs.
//!
//! lopdf decodes the compressed streams it needs into memory without a limit: object streams
//! while it loads the file, content streams, forms and images while pdf-extract reads the pages.
//! Half a MiB of zlib-compressed repetition inflates to gigabytes, and the content parser then
//! needs many times that. So the streams are decoded once beforehand, the way lopdf decodes
//! them, counting the bytes instead of keeping them, and a file that decodes to more than
//! [`MAX_PDF_INFLATED_BYTES`] is refused: first over the raw bytes, before lopdf loads anything,
//! then over the streams lopdf loaded, which are exact where the raw scan has to guess and are
//! readable where the file was encrypted. One gap remains: the object streams of an encrypted
//! file, which lopdf decrypts and inflates while it loads the file, out of either check's reach.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::IngestError;

/// The most bytes the streams of one PDF may decode to. A text PDF's streams decode to a few
/// MiB, so this leaves room for pages of compressed images, while a bomb is refused after well
/// under a second of inflating and the content parser never sees more than this.
pub const MAX_PDF_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// Refuses a file whose streams, found in its raw bytes, decode to more than the budget.
///
/// Every `stream` keyword after a dictionary counts, even one inside another stream, since lopdf
/// reads objects wherever the cross-reference table points. When the dictionary gives a direct
/// `/Length` that ends at `endstream`, the body is what lopdf reads; otherwise the rest of the
/// file is decoded, which bounds what lopdf could read whatever length it resolves, because each
/// decoder stops at its own end marker.
pub fn check_raw_streams(pdf: &[u8]) -> Result<(), IngestError> {
    let mut budget = MAX_PDF_INFLATED_BYTES;
    decode_raw_streams(pdf, &mut budget)
}

fn decode_raw_streams(pdf: &[u8], budget: &mut u64) -> Result<(), IngestError> {
    let mut search_from = 0;
    while let Some(offset) = find(&pdf[search_from..], b"stream") {
        let keyword = search_from + offset;
        search_from = keyword + b"stream".len();
        if keyword >= 3 && &pdf[keyword - 3..keyword] == b"end" {
            continue;
        }
        let (Some(dictionary), Some(body_start)) =
            (dictionary_before(pdf, keyword), body_start(pdf, search_from))
        else {
            continue;
        };
        let rest = &pdf[body_start..];
        let body = direct_integer(dictionary, b"/Length")
            .and_then(|length| usize::try_from(length).ok())
            .filter(|&length| ends_at_endstream(rest, length))
            .map_or(rest, |length| &rest[..length]);
        let early_change = direct_integer(dictionary, b"/EarlyChange") != Some(0);
        for filters in filter_chains(dictionary) {
            decode(body, &filters, early_change, budget)?;
        }
    }
    Ok(())
}

/// Refuses a loaded document whose compressed streams decode to more than the budget, reading
/// each stream's filters and parameters as lopdf will when pdf-extract asks for its content.
pub fn check_loaded_streams(document: &pdf_extract::Document) -> Result<(), IngestError> {
    let mut budget = MAX_PDF_INFLATED_BYTES;
    for stream in document.objects.values().filter_map(|object| object.as_stream().ok()) {
        // lopdf decodes nothing when the filter is not a name or an array of names.
        let Ok(filters) = stream.filters() else { continue };
        let early_change = stream
            .dict
            .get(b"DecodeParms")
            .and_then(pdf_extract::Object::as_dict)
            .and_then(|parameters| parameters.get(b"EarlyChange"))
            .and_then(pdf_extract::Object::as_i64)
            .map_or(true, |value| value != 0);
        decode(&stream.content, &filters, early_change, &mut budget)?;
    }
    Ok(())
}

/// Decodes `input` through `filters` in order as lopdf does, keeping only what the next filter
/// needs and charging every decoded byte to `budget`.
fn decode(input: &[u8], filters: &[&[u8]], early_change: bool, budget: &mut u64) -> Result<(), IngestError> {
    let mut input = Cow::Borrowed(input);
    for (index, filter) in filters.iter().enumerate() {
        let keep = index + 1 < filters.len();
        let mut output = Output { kept: Vec::new(), keep, budget: &mut *budget, exceeded: false };
        match *filter {
            b"FlateDecode" => inflate(&input, &mut output),
            b"LZWDecode" => decompress_lzw(&input, early_change, &mut output),
            b"ASCII85Decode" => decode_ascii85(&input, &mut output),
            // lopdf gives up on the stream at a filter it cannot decode.
            _ => return Ok(()),
        }
        if output.exceeded {
            return Err(IngestError::TooLarge { limit_bytes: MAX_PDF_INFLATED_BYTES });
        }
        input = Cow::Owned(output.kept);
    }
    Ok(())
}

/// Where decoded bytes go: charged to the budget, kept only for a following filter. Writing
/// past the budget fails, which stops the decoder at once.
struct Output<'a> {
    kept: Vec<u8>,
    keep: bool,
    budget: &'a mut u64,
    exceeded: bool,
}

impl Write for Output<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let length = bytes.len() as u64;
        if length > *self.budget {
            self.exceeded = true;
            return Err(io::Error::other("the decoding budget is spent"));
        }
        *self.budget -= length;
        if self.keep {
            self.kept.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// zlib, falling back to raw deflate after the two header bytes when zlib yields nothing, as
/// lopdf does for streams with a broken header. Decoding errors are left to lopdf to report.
fn inflate(input: &[u8], output: &mut Output) {
    let budget_before = *output.budget;
    let zlib = io::copy(&mut flate2::read::ZlibDecoder::new(input), output);
    let yielded_nothing = *output.budget == budget_before;
    if zlib.is_err() && yielded_nothing && !output.exceeded && input.len() > 2 {
        let _ = io::copy(&mut flate2::read::DeflateDecoder::new(&input[2..]), output);
    }
}

/// LZW with the code width switch `early_change` selects (the PDF default switches early).
fn decompress_lzw(input: &[u8], early_change: bool, output: &mut Output) {
    use weezl::{BitOrder, decode::Decoder};
    let mut decoder = if early_change {
        Decoder::with_tiff_size_switch(BitOrder::Msb, 8)
    } else {
        Decoder::new(BitOrder::Msb, 8)
    };
    let _ = decoder.into_stream(output).decode_all(input);
}

/// ASCII base-85, which lopdf decodes in memory; `z` stands for four zero bytes, so it can
/// expand its input fourfold.
fn decode_ascii85(input: &[u8], output: &mut Output) {
    let input = input.strip_suffix(b"~>").unwrap_or(input);
    let (mut group, mut digits) = (0u32, 0usize);
    for &byte in input {
        let written = match byte {
            b'z' if digits == 0 => output.write_all(&[0; 4]),
            _ if byte.is_ascii_whitespace() => Ok(()),
            b'!'..=b'u' => {
                let Some(value) =
                    group.checked_mul(85).and_then(|value| value.checked_add(u32::from(byte - b'!')))
                else {
                    return;
                };
                group = value;
                digits += 1;
                if digits < 5 {
                    continue;
                }
                (group, digits) = (0, 0);
                output.write_all(&value.to_be_bytes())
            }
            _ => break,
        };
        if written.is_err() {
            return;
        }
    }
    if digits > 0 {
        let padded = (digits..5).try_fold(group, |value, _| value.checked_mul(85)?.checked_add(84));
        if let Some(value) = padded {
            let _ = output.write_all(&value.to_be_bytes()[..digits - 1]);
        }
    }
}

/// The stream dictionary that ends just before the `stream` keyword at `keyword`: from its
/// `<<` to its `>>`, nested dictionaries included.
fn dictionary_before(pdf: &[u8], keyword: usize) -> Option<&[u8]> {
    let end = pdf[..keyword].iter().rposition(|byte| !byte.is_ascii_whitespace())? + 1;
    if !pdf[..end].ends_with(b">>") {
        return None;
    }
    let mut depth = 0usize;
    let mut index = end;
    while index >= 2 {
        match &pdf[index - 2..index] {
            b">>" => {
                depth += 1;
                index -= 2;
            }
            b"<<" => {
                depth -= 1;
                index -= 2;
                if depth == 0 {
                    return Some(&pdf[index..end]);
                }
            }
            _ => index -= 1,
        }
    }
    None
}

/// Where a stream's body starts: after the keyword, optional spaces and one end of line.
fn body_start(pdf: &[u8], after_keyword: usize) -> Option<usize> {
    let spaces = pdf[after_keyword..].iter().take_while(|&&byte| byte == b' ' || byte == b'\t').count();
    let line_end = after_keyword + spaces;
    match pdf.get(line_end..)? {
        [b'\r', b'\n', ..] => Some(line_end + 2),
        [b'\n' | b'\r', ..] => Some(line_end + 1),
        _ => None,
    }
}

/// Whether `length` bytes into `body` come an optional end of line and `endstream`.
fn ends_at_endstream(body: &[u8], length: usize) -> bool {
    let Some(after) = body.get(length..) else { return false };
    let after = after.strip_prefix(b"\r\n").or_else(|| after.strip_prefix(b"\n")).unwrap_or(after);
    after.starts_with(b"endstream")
}

/// The filter chains the dictionary names: each `/Filter` followed by a name or an array of
/// names. A well-formed dictionary has one; every candidate is returned, so text that merely
/// looks like a `/Filter` entry cannot hide the real one.
fn filter_chains(dictionary: &[u8]) -> Vec<Vec<&[u8]>> {
    values_of(dictionary, b"/Filter")
        .filter_map(|value| match value.first()? {
            b'/' => Some(vec![name(value)]),
            b'[' => {
                let items = &value[1..value.iter().position(|&byte| byte == b']')?];
                let mut names = Vec::new();
                let mut rest = trim_start(items);
                while !rest.is_empty() {
                    // lopdf decodes nothing when an element is not a name.
                    if rest[0] != b'/' {
                        return None;
                    }
                    let item = name(rest);
                    names.push(item);
                    rest = trim_start(&rest[item.len() + 1..]);
                }
                Some(names)
            }
            _ => None,
        })
        .collect()
}

/// The integer after `key` when it is written directly, not as an indirect reference.
fn direct_integer(dictionary: &[u8], key: &[u8]) -> Option<i64> {
    let value = values_of(dictionary, key).next()?;
    let digits = value.iter().take_while(|byte| byte.is_ascii_digit()).count();
    let number = std::str::from_utf8(&value[..digits]).ok()?.parse().ok()?;
    let is_reference = trim_start(&value[digits..])
        .split(|byte| byte.is_ascii_whitespace())
        .nth(1)
        .is_some_and(|word| word.starts_with(b"R"));
    (!is_reference).then_some(number)
}

/// The text after each occurrence of the name `key`, leading whitespace skipped.
fn values_of<'a>(dictionary: &'a [u8], key: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut search_from = 0;
    std::iter::from_fn(move || {
        loop {
            let start = search_from + find(&dictionary[search_from..], key)?;
            search_from = start + key.len();
            // `/Filter` but not `/FilterX`.
            let ends_name = dictionary.get(search_from).is_none_or(|&byte| is_delimiter(byte));
            if ends_name {
                return Some(trim_start(&dictionary[search_from..]));
            }
        }
    })
}

/// The name that `text` starts with, without its slash.
fn name(text: &[u8]) -> &[u8] {
    let length = text[1..].iter().take_while(|&&byte| !is_delimiter(byte)).count();
    &text[1..=length]
}

fn is_delimiter(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"/[]<>()%{}".contains(&byte)
}

fn trim_start(text: &[u8]) -> &[u8] {
    let spaces = text.iter().take_while(|byte| byte.is_ascii_whitespace()).count();
    &text[spaces..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use flate2::{Compression, write::ZlibEncoder};
    use weezl::{BitOrder, encode::Encoder};

    use super::*;

    const TEXT: &[u8] = b"BT /F1 12 Tf (Rye and Crumb bakes on four days.) Tj ET\n";

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// The bytes `decode` charges for `input`, or its error past `budget`.
    fn decoded_length(
        input: &[u8],
        filters: &[&[u8]],
        early_change: bool,
        budget: u64,
    ) -> Result<u64, IngestError> {
        let mut remaining = budget;
        decode(input, filters, early_change, &mut remaining).map(|()| budget - remaining)
    }

    /// The bytes lopdf decodes from the same stream.
    fn lopdf_length(input: &[u8], filters: &[&[u8]], early_change: bool) -> u64 {
        let filters: Vec<pdf_extract::Object> =
            filters.iter().map(|filter| pdf_extract::Object::Name(filter.to_vec())).collect();
        let parameters = pdf_extract::dictionary! { "EarlyChange" => i64::from(early_change) };
        let dictionary = pdf_extract::dictionary! { "Filter" => filters, "DecodeParms" => parameters };
        let stream = pdf_extract::Stream::new(dictionary, input.to_vec());
        stream.decompressed_content().unwrap().len() as u64
    }

    #[test]
    fn streams_are_measured_as_lopdf_decodes_them() {
        let text = TEXT.repeat(100);
        let mut broken_header = zlib(&text);
        broken_header[0] = 0;
        let single_filters = [
            (zlib(&text), &b"FlateDecode"[..], true),
            (broken_header, b"FlateDecode", true),
            (Encoder::with_tiff_size_switch(BitOrder::Msb, 8).encode(&text).unwrap(), b"LZWDecode", true),
            (Encoder::new(BitOrder::Msb, 8).encode(&text).unwrap(), b"LZWDecode", false),
            (b"87cURD]i,\"Ebo80 z zz9jqo~>".to_vec(), b"ASCII85Decode", true),
        ];
        for (input, filter, early_change) in single_filters {
            let expected = lopdf_length(&input, &[filter], early_change);
            assert_eq!(decoded_length(&input, &[filter], early_change, u64::MAX), Ok(expected));
        }
        // Each filter's output counts, the intermediate ones' as well as the last one's.
        let (once, twice) = (zlib(&text), zlib(&zlib(&text)));
        let chain: &[&[u8]] = &[b"FlateDecode", b"FlateDecode"];
        let expected = once.len() as u64 + lopdf_length(&twice, chain, true);
        assert_eq!(decoded_length(&twice, chain, true, u64::MAX), Ok(expected));
        assert_eq!(decoded_length(&zlib(&text), &[b"DCTDecode"], true, u64::MAX), Ok(0));
    }

    #[test]
    fn decoding_stops_once_the_budget_is_spent() {
        let zeros = vec![0; 1 << 20];
        let too_large = Err(IngestError::TooLarge { limit_bytes: MAX_PDF_INFLATED_BYTES });
        let lzw = Encoder::with_tiff_size_switch(BitOrder::Msb, 8).encode(&zeros).unwrap();
        assert_eq!(decoded_length(&zlib(&zeros), &[b"FlateDecode"], true, 1 << 19), too_large);
        assert_eq!(decoded_length(&lzw, &[b"LZWDecode"], true, 1 << 19), too_large);
        assert_eq!(decoded_length(&[b'z'; 1000], &[b"ASCII85Decode"], true, 1000), too_large);
        assert_eq!(decoded_length(&zlib(&zeros), &[b"FlateDecode"], true, 1 << 20), Ok(1 << 20));
    }

    /// One object holding a stream, in a file's raw form.
    fn object(number: u32, dictionary: &str, body: &[u8]) -> Vec<u8> {
        [format!("{number} 0 obj\n{dictionary}\nstream\n").as_bytes(), body, b"\nendstream\nendobj\n"]
            .concat()
    }

    fn raw_decoded_length(pdf: &[u8]) -> u64 {
        let mut remaining = u64::MAX;
        decode_raw_streams(pdf, &mut remaining).unwrap();
        u64::MAX - remaining
    }

    #[test]
    fn raw_streams_are_found_however_their_body_is_delimited() {
        let text = TEXT.repeat(50);
        let compressed = zlib(&text);
        let direct = format!("<< /Length {} /Filter /FlateDecode >>", compressed.len());
        assert_eq!(raw_decoded_length(&object(1, &direct, &compressed)), text.len() as u64);
        // An indirect length lopdf resolves, over a body that holds `endstream` (a stored block).
        let stored =
            [&[0x78, 0x01, 0x01][..], &(9u16.to_le_bytes()), &(!9u16).to_le_bytes(), b"endstream"].concat();
        let indirect = "<< /Length 9 0 R /Filter [/FlateDecode] /DecodeParms << /Predictor 1 >> >>";
        assert_eq!(raw_decoded_length(&object(1, indirect, &stored)), 9);
        // A stream inside the body of another, where a cross-reference table may point.
        let inner = object(2, &direct, &compressed);
        let outer = object(1, &format!("<< /Length {} >>", inner.len()), &inner);
        assert_eq!(raw_decoded_length(&outer), text.len() as u64);
        // Text that reads like a stream dictionary's key decodes nothing.
        let lookalikes = object(1, "<< /FilterType /FlateDecode /Length 7 0 R >>", &compressed);
        assert_eq!(raw_decoded_length(&lookalikes), 0);
    }

    #[test]
    fn dictionary_entries_are_read_from_raw_bytes() {
        assert_eq!(filter_chains(b"<< /Length 12 /Filter /FlateDecode >>"), [[&b"FlateDecode"[..]]]);
        assert_eq!(
            filter_chains(b"<</Filter[/ASCII85Decode/FlateDecode]/DecodeParms<</Predictor 12>>>>"),
            [[&b"ASCII85Decode"[..], b"FlateDecode"]]
        );
        assert!(filter_chains(b"<< /Filter 7 0 R >>").is_empty());
        assert!(filter_chains(b"<< /Filter [/FlateDecode 7 0 R] >>").is_empty());
        assert_eq!(direct_integer(b"<< /Length 42 /Filter /FlateDecode >>", b"/Length"), Some(42));
        assert_eq!(direct_integer(b"<< /Length 7 0 R >>", b"/Length"), None);
        let pdf = b"1 0 obj << /A << /B 1 >> /Filter /FlateDecode >>  stream\r\nx";
        let keyword = find(pdf, b"stream").unwrap();
        assert_eq!(dictionary_before(pdf, keyword), Some(&pdf[8..keyword - 2]));
        assert_eq!(body_start(pdf, keyword + 6), Some(pdf.len() - 1));
    }
}
