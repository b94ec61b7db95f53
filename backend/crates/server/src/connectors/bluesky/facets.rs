//! Rich-text facets: the links, hashtags and mentions of a post, as UTF-8 byte ranges.
//!
//! Bluesky does not find them in the text itself: the client sends each one as a facet
//! (`app.bsky.richtext.facet`) whose `byteStart`/`byteEnd` count UTF-8 bytes, so an emoji
//! (4 bytes) or an accented letter (2 bytes) before a facet moves it by that many bytes.
//! Detection follows the reference client's rules: a facet starts a word (or follows `(`),
//! and trailing punctuation is not part of it.

use serde::Serialize;

use super::identity::Handle;

/// What a detected facet points at, before mentions are resolved to DIDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacetTarget {
    /// An `http(s)` URL, written in full or as a bare domain (`kyros.app/pricing`).
    Link(String),
    /// A hashtag, without its `#`.
    Tag(String),
    /// `@handle`, to be resolved to a DID.
    Mention(Handle),
}

/// One facet found in a post: `text[byte_start..byte_end]` is what it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedFacet {
    pub byte_start: usize,
    pub byte_end: usize,
    pub target: FacetTarget,
}

/// A facet as the `app.bsky.feed.post` record stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facet {
    pub index: ByteSlice,
    pub features: Vec<Feature>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ByteSlice {
    pub byte_start: usize,
    pub byte_end: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "$type")]
pub enum Feature {
    #[serde(rename = "app.bsky.richtext.facet#link")]
    Link { uri: String },
    #[serde(rename = "app.bsky.richtext.facet#mention")]
    Mention { did: String },
    #[serde(rename = "app.bsky.richtext.facet#tag")]
    Tag { tag: String },
}

impl Facet {
    pub fn new(detected: &DetectedFacet, feature: Feature) -> Self {
        Self {
            index: ByteSlice { byte_start: detected.byte_start, byte_end: detected.byte_end },
            features: vec![feature],
        }
    }
}

/// Bluesky's limit on a hashtag's length, in characters, without the `#`.
const MAX_TAG_CHARS: usize = 64;

/// Top-level domains a bare domain is linked under. Deliberately short: `main.rs`, `setup.py`
/// or `install.sh` are file names far more often than web sites; write `https://` for those.
const BARE_DOMAIN_TLDS: &[&str] = &[
    "ai", "app", "at", "au", "be", "biz", "blog", "br", "ca", "ch", "cloud", "co", "com", "de", "dev", "dk",
    "es", "eu", "fi", "fr", "ie", "in", "info", "io", "it", "jp", "me", "mx", "net", "news", "nl", "no",
    "nz", "org", "page", "pl", "pt", "se", "site", "social", "tech", "tv", "uk", "us", "xyz",
];

/// Finds every link, hashtag and mention in `text`, in order.
pub fn detect(text: &str) -> Vec<DetectedFacet> {
    words(text)
        .filter_map(|(start, word)| {
            // `(see kyros.app)`: an opening parenthesis is not part of what follows it.
            let trimmed = word.trim_start_matches('(');
            let start = start + (word.len() - trimmed.len());
            detect_in_word(trimmed).map(|(length, target)| DetectedFacet {
                byte_start: start,
                byte_end: start + length,
                target,
            })
        })
        .collect()
}

/// The facet a word starts with: its length in bytes and its target.
fn detect_in_word(word: &str) -> Option<(usize, FacetTarget)> {
    if let Some(rest) = word.strip_prefix('@') {
        return mention(rest).map(|(length, handle)| (1 + length, FacetTarget::Mention(handle)));
    }
    if let Some(rest) = word.strip_prefix('#').or_else(|| word.strip_prefix('＃')) {
        let marker = word.len() - rest.len();
        return tag(rest).map(|tag| (marker + tag.len(), FacetTarget::Tag(tag.to_owned())));
    }
    let lower = word.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        let link = trim_link(word);
        let parsed = url::Url::parse(link).ok()?;
        return parsed.host_str().is_some().then(|| (link.len(), FacetTarget::Link(link.to_owned())));
    }
    bare_domain(word).map(|link| (link.len(), FacetTarget::Link(format!("https://{link}"))))
}

/// The whitespace-separated words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while rest.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let (start, _) = *rest.peek()?;
        let mut end = start;
        while let Some((index, c)) = rest.next_if(|(_, c)| !c.is_whitespace()) {
            end = index + c.len_utf8();
        }
        Some((start, &text[start..end]))
    })
}

/// `alice.bsky.social` out of `alice.bsky.social's`: handle characters, then no final dot.
fn mention(rest: &str) -> Option<(usize, Handle)> {
    let length = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')).count();
    let candidate = rest[..length].trim_end_matches('.');
    candidate.parse().ok().map(|handle| (candidate.len(), handle))
}

/// The tag after `#`, without trailing punctuation; not a number (`#1`) nor an emoji keycap.
fn tag(rest: &str) -> Option<&str> {
    if rest.starts_with('\u{fe0f}') {
        return None;
    }
    let tag = rest.trim_end_matches(is_trailing_punctuation);
    let valid = !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && !tag.chars().all(|c| c.is_numeric())
        && !tag.chars().any(|c| matches!(c, '\u{00ad}' | '\u{2060}' | '\u{200a}'..='\u{200d}' | '\u{20e2}'));
    valid.then_some(tag)
}

fn is_trailing_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '…' | '。' | '、' | '！' | '？' | '«' | '»' | '“' | '”' | '‘' | '’')
}

/// A URL without the punctuation that ends the sentence around it: `.`, `,`, `;`, `:`, `!`,
/// `?`, quotes, and a `)` it does not open itself.
fn trim_link(link: &str) -> &str {
    let mut link = link;
    loop {
        let Some(last) = link.chars().last() else { return link };
        let unbalanced = last == ')' && link.matches('(').count() < link.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '…') || unbalanced {
            link = &link[..link.len() - last.len_utf8()];
        } else {
            return link;
        }
    }
}

/// `kyros.app` or `kyros.app/pricing`: letters, digits and hyphens in dot-separated labels, the
/// first starting with a letter, under a TLD of [`BARE_DOMAIN_TLDS`], then an optional path.
fn bare_domain(word: &str) -> Option<&str> {
    let link = trim_link(word);
    let domain = link.split('/').next()?;
    let labels: Vec<&str> = domain.split('.').collect();
    let simple = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && domain.starts_with(|c: char| c.is_ascii_alphabetic())
        && labels.last().is_some_and(|tld| BARE_DOMAIN_TLDS.contains(&tld.to_ascii_lowercase().as_str()));
    simple.then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covered(text: &str) -> Vec<(&str, FacetTarget)> {
        detect(text)
            .into_iter()
            .map(|facet| (&text[facet.byte_start..facet.byte_end], facet.target))
            .collect()
    }

    fn link(uri: &str) -> FacetTarget {
        FacetTarget::Link(uri.into())
    }

    fn tag(name: &str) -> FacetTarget {
        FacetTarget::Tag(name.into())
    }

    fn mention(handle: &str) -> FacetTarget {
        FacetTarget::Mention(handle.parse().unwrap())
    }

    #[test]
    fn offsets_count_utf8_bytes_after_emoji_and_accents() {
        let text = "🚀 Café déjà vu #launch";
        let facets = detect(text);
        // 🚀 is 4 bytes, é and à 2 each: "#launch" is the 16th character but starts at byte 21.
        assert_eq!(facets, vec![DetectedFacet { byte_start: 21, byte_end: 28, target: tag("launch") }]);
        assert_eq!(&text[21..28], "#launch");
        assert_eq!(text.chars().position(|c| c == '#'), Some(15));
    }

    #[test]
    fn links_mentions_and_tags_are_found_in_order() {
        let text = "Read https://kyros.app/blog?id=1 by @Alice.test 🎉 #RustLang #日本語";
        assert_eq!(
            covered(text),
            vec![
                ("https://kyros.app/blog?id=1", link("https://kyros.app/blog?id=1")),
                ("@Alice.test", mention("alice.test")),
                ("#RustLang", tag("RustLang")),
                ("#日本語", tag("日本語")),
            ]
        );
    }

    #[test]
    fn trailing_punctuation_is_left_out() {
        assert_eq!(covered("See https://kyros.app."), vec![("https://kyros.app", link("https://kyros.app"))]);
        assert_eq!(
            covered("(https://kyros.app/a),"),
            vec![("https://kyros.app/a", link("https://kyros.app/a"))]
        );
        assert_eq!(
            covered("https://en.wikipedia.org/wiki/Rust_(language))."),
            vec![(
                "https://en.wikipedia.org/wiki/Rust_(language)",
                link("https://en.wikipedia.org/wiki/Rust_(language)")
            )]
        );
        assert_eq!(covered("Thanks @bob.test!"), vec![("@bob.test", mention("bob.test"))]);
        assert_eq!(covered("@bob.test's post"), vec![("@bob.test", mention("bob.test"))]);
        assert_eq!(covered("(#launch), #done."), vec![("#launch", tag("launch")), ("#done", tag("done"))]);
    }

    #[test]
    fn simple_bare_domains_become_https_links() {
        assert_eq!(
            covered("Pricing at kyros.app/pricing."),
            vec![("kyros.app/pricing", link("https://kyros.app/pricing"))]
        );
        assert_eq!(covered("docs.Kyros.dev"), vec![("docs.Kyros.dev", link("https://docs.Kyros.dev"))]);
        for text in [
            "e.g. this",
            "v1.2 is out",
            "edit main.rs and setup.py",
            "U.S. news",
            "1password.com",
            "a@kyros.app",
            "kyros..app",
        ] {
            assert_eq!(covered(text), vec![], "{text}");
        }
    }

    #[test]
    fn things_that_only_look_like_facets_are_not() {
        for text in [
            "#1 in the charts",
            "#️⃣ keycap",
            "a lone # sign",
            "email me@kyros.app",
            "@ nobody",
            "@localhost",
            "mid#word",
            "ftp://kyros.app",
            "https://",
        ] {
            assert_eq!(covered(text), vec![], "{text}");
        }
        let long = format!("#{}", "a".repeat(MAX_TAG_CHARS + 1));
        assert_eq!(covered(&long), vec![]);
        let longest = format!("#{}", "a".repeat(MAX_TAG_CHARS));
        assert_eq!(covered(&longest).len(), 1);
    }

    #[test]
    fn a_fullwidth_hash_marks_a_tag_too() {
        let text = "見て ＃ラーメン";
        assert_eq!(covered(text), vec![("＃ラーメン", tag("ラーメン"))]);
    }

    #[test]
    fn facets_serialize_as_the_lexicon_names_them() {
        let detected = DetectedFacet { byte_start: 5, byte_end: 12, target: tag("rust") };
        let facet = Facet::new(&detected, Feature::Tag { tag: "rust".into() });
        assert_eq!(
            serde_json::to_value(&facet).unwrap(),
            serde_json::json!({
                "index": { "byteStart": 5, "byteEnd": 12 },
                "features": [{ "$type": "app.bsky.richtext.facet#tag", "tag": "rust" }]
            })
        );
        let link = serde_json::to_value(Feature::Link { uri: "https://kyros.app".into() }).unwrap();
        assert_eq!(
            link,
            serde_json::json!({ "$type": "app.bsky.richtext.facet#link", "uri": "https://kyros.app" })
        );
        let mention = serde_json::to_value(Feature::Mention { did: "did:plc:x".into() }).unwrap();
        assert_eq!(
            mention,
            serde_json::json!({ "$type": "app.bsky.richtext.facet#mention", "did": "did:plc:x" })
        );
    }
}
