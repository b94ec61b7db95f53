//! A guard against font character maps nested deep enough to overflow the stack.
//!
//! pdf-extract reads a font's `/ToUnicode` map, and a Type 0 font's `/Encoding` map when it is a
//! stream, with a parser that recurses once per nested array, dictionary or parenthesis inside
//! a string, without a limit: a thousand `[` overflow a 2 MiB stack, which aborts the process.
//! So each map a drawn font names is scanned first, and one nesting deeper than
//! [`MAX_PDF_CMAP_DEPTH`] is refused.

use pdf_extract::{Dictionary, Document, Object, Stream};

use crate::IngestError;

/// The most arrays, dictionaries and parenthesised strings a character map may nest. Real maps
/// nest two or three; the parser takes a few KiB of stack per level.
pub const MAX_PDF_CMAP_DEPTH: usize = 32;

/// The character map streams pdf-extract reads for `font`.
pub fn cmaps<'a>(document: &'a Document, font: &'a Dictionary) -> impl Iterator<Item = &'a Stream> {
    [&b"ToUnicode"[..], b"Encoding"].into_iter().filter_map(|key| match font.get(key).ok()? {
        Object::Reference(id) => document.get_object(*id).and_then(Object::as_stream).ok(),
        object => object.as_stream().ok(),
    })
}

/// Refuses a character map nested deeper than [`MAX_PDF_CMAP_DEPTH`], read as pdf-extract reads
/// it: decoded, or as stored when it cannot be.
pub fn check_cmap(cmap: &Stream) -> Result<(), IngestError> {
    let content = cmap.decompressed_content().unwrap_or_else(|_| cmap.content.clone());
    if nesting_depth(&content) > MAX_PDF_CMAP_DEPTH {
        return Err(IngestError::Pdf(format!(
            "the file nests a font's character map more than {MAX_PDF_CMAP_DEPTH} deep"
        )));
    }
    Ok(())
}

/// The deepest nesting of `[`, `<<` and `(` in PostScript-like text, parentheses counting inside
/// strings, where a backslash escapes the next byte. Closers without an opener are ignored.
fn nesting_depth(text: &[u8]) -> usize {
    let (mut depth, mut deepest, mut string_depth) = (0usize, 0usize, 0usize);
    let mut index = 0;
    while index < text.len() {
        let pair = text.get(index..index + 2);
        match text[index] {
            b'\\' if string_depth > 0 => index += 1,
            b'(' => {
                string_depth += 1;
                depth += 1;
            }
            b')' if string_depth > 0 => {
                string_depth -= 1;
                depth -= 1;
            }
            _ if string_depth > 0 => {}
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'<' if pair == Some(b"<<") => {
                depth += 1;
                index += 1;
            }
            b'>' if pair == Some(b">>") => {
                depth = depth.saturating_sub(1);
                index += 1;
            }
            _ => {}
        }
        deepest = deepest.max(depth);
        index += 1;
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_as_the_parser_recurses() {
        let cmap = b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) >> def\n\
                     1 beginbfrange <0000> <0002> [<0041> <0042> <0043>] endbfrange";
        assert_eq!(nesting_depth(cmap), 2);
        assert_eq!(nesting_depth(b"[[<< /A [1] >>]]"), 4);
        assert_eq!(nesting_depth(b"(a (b (c)) \\( [[[ <<)"), 3);
        assert_eq!(nesting_depth(b"<0041> ]] >> [[ ]"), 2);
        assert_eq!(nesting_depth(&[b'['; 1000]), 1000);
    }
}
