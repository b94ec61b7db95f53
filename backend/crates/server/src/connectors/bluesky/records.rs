//! The records Kyros writes and reads: posts, their references and their public addresses.

use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::facets::Facet;

pub const POST_COLLECTION: &str = "app.bsky.feed.post";

/// A strong reference to a published record: its `at://` URI and the CID of its content.
/// Store both: a reply must name its root and parent by both.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostRef {
    pub uri: String,
    pub cid: String,
}

/// Where a reply goes: the thread's first post and the post it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRef {
    pub root: PostRef,
    pub parent: PostRef,
}

/// `at://<did>/<collection>/<rkey>`, the address of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AtUri {
    pub authority: String,
    pub collection: String,
    pub rkey: String,
}

impl FromStr for AtUri {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let path = value.strip_prefix("at://").ok_or_else(|| format!("`{value}` is not an at:// URI"))?;
        let parts: Vec<&str> = path.split('/').collect();
        let [authority, collection, rkey] = parts.as_slice() else {
            return Err(format!("`{value}` does not name one record"));
        };
        let segment_ok = |segment: &str| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'~'))
        };
        if ![authority, collection, rkey].iter().all(|segment| segment_ok(segment)) {
            return Err(format!("`{value}` has an invalid segment"));
        }
        Ok(Self {
            authority: (*authority).to_owned(),
            collection: (*collection).to_owned(),
            rkey: (*rkey).to_owned(),
        })
    }
}

/// The alphabet of TIDs ("base32-sortable"): sorting the text sorts the numbers.
const TID_ALPHABET: &[u8; 32] = b"234567abcdefghijklmnopqrstuvwxyz"; // pragma: allowlist secret
/// A TID's microseconds take 53 bits, its clock identifier the 10 below them.
const TID_MICROS_BITS: u32 = 53;
const TID_CLOCK_BITS: u32 = 10;

/// A TID (timestamp identifier), the record key `app.bsky.feed.post` records take: 13
/// characters encoding the top bit 0, `micros` since the Unix epoch in 53 bits and `clock_id`
/// in 10 (https://atproto.com/specs/tid). The same arguments always give the same TID, which is
/// what lets a retried post name the record an earlier attempt may have created.
pub fn tid(micros: u64, clock_id: u16) -> String {
    let micros = micros & ((1 << TID_MICROS_BITS) - 1);
    let clock_id = u64::from(clock_id) & ((1 << TID_CLOCK_BITS) - 1);
    let value = (micros << TID_CLOCK_BITS) | clock_id;
    (0..13).rev().map(|digit| char::from(TID_ALPHABET[((value >> (digit * 5)) & 31) as usize])).collect()
}

/// The post's page on bsky.app: `https://bsky.app/profile/<handle>/post/<rkey>`; `None` when
/// `uri` is not a post's.
pub fn public_url(handle: &str, uri: &str) -> Option<String> {
    let uri: AtUri = uri.parse().ok()?;
    (uri.collection == POST_COLLECTION)
        .then(|| format!("https://bsky.app/profile/{handle}/post/{}", uri.rkey))
}

/// How a published post is doing, from the AppView.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostCounts {
    pub uri: String,
    pub likes: u64,
    pub reposts: u64,
    pub replies: u64,
    pub quotes: u64,
}

/// `app.bsky.feed.getPosts`' answer: only the counts are read.
#[derive(Debug, Deserialize)]
pub(crate) struct PostViews {
    pub posts: Vec<PostView>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PostView {
    uri: String,
    #[serde(default)]
    like_count: u64,
    #[serde(default)]
    repost_count: u64,
    #[serde(default)]
    reply_count: u64,
    #[serde(default)]
    quote_count: u64,
}

impl From<PostView> for PostCounts {
    fn from(view: PostView) -> Self {
        Self {
            uri: view.uri,
            likes: view.like_count,
            reposts: view.repost_count,
            replies: view.reply_count,
            quotes: view.quote_count,
        }
    }
}

/// An `app.bsky.feed.post` record.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PostRecord<'a> {
    #[serde(rename = "$type")]
    pub kind: &'static str,
    pub text: &'a str,
    pub created_at: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<Facet>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<&'a ReplyRef>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub langs: &'a [String],
}

impl<'a> PostRecord<'a> {
    pub fn new(
        text: &'a str,
        created_at: DateTime<Utc>,
        facets: Vec<Facet>,
        reply: Option<&'a ReplyRef>,
        langs: &'a [String],
    ) -> Self {
        Self {
            kind: POST_COLLECTION,
            text,
            // The lexicon asks for RFC 3339 with a time zone; `Z` and milliseconds, as Bluesky's app writes it.
            created_at: created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            facets,
            reply,
            langs,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_rkey_is_the_last_segment_of_a_record_uri() {
        let uri: AtUri =
            "at://did:plc:t3fqpi2daskqncayg5c4brfy/app.bsky.feed.post/3lbmfi6vyds2a".parse().unwrap();
        assert_eq!(uri.authority, "did:plc:t3fqpi2daskqncayg5c4brfy");
        assert_eq!(uri.collection, "app.bsky.feed.post");
        assert_eq!(uri.rkey, "3lbmfi6vyds2a");
        for invalid in [
            "https://bsky.app/x",
            "at://did:plc:x/app.bsky.feed.post",
            "at://did:plc:x/app.bsky.feed.post/a/b",
            "at://did:plc:x//a",
            "at://did:plc:x/app.bsky.feed.post/a b",
        ] {
            assert!(invalid.parse::<AtUri>().is_err(), "{invalid}");
        }
    }

    #[test]
    fn a_tid_is_13_sortable_characters_fixed_by_its_time_and_clock() {
        assert_eq!(tid(0, 0), "2222222222222");
        // The specification's example: 2023-06-01T12:00:00Z-ish with clock 0 starts with `3`.
        let at = Utc.with_ymd_and_hms(2023, 6, 1, 12, 0, 0).unwrap();
        let micros = u64::try_from(at.timestamp_micros()).unwrap();
        let key = tid(micros, 7);
        assert_eq!(key.len(), 13);
        assert!(key.starts_with('3'), "{key}");
        assert_eq!(key, tid(micros, 7), "the same time and clock give the same key");
        assert_ne!(key, tid(micros, 8));
        assert!(tid(micros, 1023) < tid(micros + 1, 0), "later times sort after earlier ones");
        assert!(key.bytes().all(|byte| TID_ALPHABET.contains(&byte)));
        // The top bit stays 0 whatever the input, so the first character is at most `j`.
        assert!(tid(u64::MAX, u16::MAX).as_bytes()[0] <= b'j');
    }

    #[test]
    fn a_posts_public_url_names_the_handle_and_rkey() {
        assert_eq!(
            public_url(
                "alice.bsky.social",
                "at://did:plc:t3fqpi2daskqncayg5c4brfy/app.bsky.feed.post/3lbmfi6vyds2a"
            )
            .as_deref(),
            Some("https://bsky.app/profile/alice.bsky.social/post/3lbmfi6vyds2a")
        );
        assert_eq!(public_url("alice.bsky.social", "at://did:plc:x/app.bsky.feed.like/3lbmfi6vyds2a"), None);
        assert_eq!(public_url("alice.bsky.social", "not a uri"), None);
    }

    #[test]
    fn a_post_record_has_the_lexicon_shape_and_leaves_out_what_is_empty() {
        let created_at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        let plain = serde_json::to_value(PostRecord::new("Hello", created_at, vec![], None, &[])).unwrap();
        assert_eq!(
            plain,
            serde_json::json!({
                "$type": "app.bsky.feed.post",
                "text": "Hello",
                "createdAt": "2026-03-01T09:30:00.000Z"
            })
        );
        let parent = PostRef { uri: "at://did:plc:x/app.bsky.feed.post/1".into(), cid: "bafy1".into() };
        let reply = ReplyRef { root: parent.clone(), parent };
        let langs = vec!["en".to_owned()];
        let answer =
            serde_json::to_value(PostRecord::new("Hi", created_at, vec![], Some(&reply), &langs)).unwrap();
        assert_eq!(answer["reply"]["root"]["cid"], "bafy1");
        assert_eq!(answer["langs"], serde_json::json!(["en"]));
    }

    #[test]
    fn counts_default_to_zero_when_the_appview_leaves_them_out() {
        let views: PostViews = serde_json::from_value(serde_json::json!({
            "posts": [{ "uri": "at://did:plc:x/app.bsky.feed.post/1", "cid": "bafy", "likeCount": 3, "replyCount": 1 }]
        }))
        .unwrap();
        let counts: Vec<PostCounts> = views.posts.into_iter().map(PostCounts::from).collect();
        assert_eq!(
            counts,
            vec![PostCounts {
                uri: "at://did:plc:x/app.bsky.feed.post/1".into(),
                likes: 3,
                reposts: 0,
                replies: 1,
                quotes: 0
            }]
        );
    }
}
