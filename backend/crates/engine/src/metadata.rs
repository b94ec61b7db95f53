//! Everything the engine says about a post besides its text. Stored with every variant and
//! version and served as is, so its JSON shape is a contract: fields are only ever added, and
//! a field a channel does not have is left out rather than written as `null`.

use serde::{Deserialize, Deserializer, Serialize};

use crate::{Channel, analysis::Grounded, lint::LintFinding, lint_variant};

/// A generated post's metadata: the channel's own fields, the lengths and lint findings of
/// its text, the source spans of its sentences and which writer produced it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct VariantMetadata {
    /// The text's lengths as its channel counts them, with the limits they are held to.
    pub counts: Counts,
    pub engine: EngineInfo,
    #[serde(flatten)]
    pub fields: ChannelFields,
    /// Each generated sentence with the source spans it came from.
    pub grounding: Vec<Grounding>,
    /// Every rule of the channel the text breaks, as of its last edit.
    pub lint: Vec<LintFinding>,
}

impl VariantMetadata {
    /// The metadata of a freshly written post: its fields and grounding as written, its counts
    /// and lint findings computed from `content`.
    pub(crate) fn new(
        channel: Channel,
        content: &str,
        mut fields: ChannelFields,
        grounding: &[Grounded],
        engine: EngineInfo,
    ) -> Self {
        let counts = crate::counts(channel, content, &mut fields);
        let lint = lint_variant(channel, content, &fields);
        Self { counts, engine, fields, grounding: grounding.iter().map(Grounding::from).collect(), lint }
    }
}

/// The fields a post has besides its text. Which ones are present depends on the channel:
/// `parts` and `format` on X, Bluesky and Mastodon (with `max_chars` on Mastodon),
/// `subject`, `preheader` and `key_points` on newsletters, `title`, `meta_description` and
/// `slug` on blog posts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct ChannelFields {
    /// The hashtags the writer chose; empty when it chose none.
    pub hashtags: Vec<String>,
    /// The posts of a thread, in order (one for a single post).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<PostFormat>,
    /// The post length of the Mastodon instance the post was written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preheader: Option<String>,
    /// The newsletter's bullet points; drafts written elsewhere have none listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_points: Option<Vec<String>>,
    /// The blog post's SEO title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
}

/// One post, or a thread of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PostFormat {
    Single,
    Thread,
}

/// The lengths of a post's text and fields, in the channel's own counting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
// The channel is stored beside the metadata, so the shape alone tells the kinds apart.
#[serde(untagged)]
pub enum Counts {
    /// X, Bluesky and Mastodon: each part's length and the network's limit.
    Thread {
        parts: Vec<usize>,
        limit: usize,
    },
    Linkedin {
        chars: usize,
        limit: usize,
        hook_chars: usize,
        hook_limit: usize,
    },
    Newsletter {
        subject: usize,
        preheader: usize,
        body_chars: usize,
    },
    Blog {
        title: usize,
        meta_description: usize,
        body_chars: usize,
    },
}

/// Which writer produced the post, under which rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct EngineInfo {
    pub name: Writer,
    /// The rules version (`GET /channels`) the post was written under.
    pub version: String,
    /// The seed that picked among alternatives; "Try another" moves on from it.
    pub seed: u64,
    /// The source's ISO 639-1 language as the local engine detected it, `null` when it could
    /// not tell. Absent on drafts written elsewhere, which are not checked for it.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    #[cfg_attr(feature = "utoipa", schema(value_type = Option<String>, required = false))]
    pub language: Option<Option<String>>,
}

/// Who wrote a post: the local engine, or an external model whose draft the engine adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Writer {
    Local,
    External,
}

/// A sentence of the post and the byte ranges of the source it was taken from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct Grounding {
    pub text: String,
    /// `[start, end)` byte offsets into the source; empty when no source sentence matches.
    pub spans: Vec<[usize; 2]>,
}

impl From<&Grounded> for Grounding {
    fn from(grounded: &Grounded) -> Self {
        Self { text: grounded.text.clone(), spans: grounded.spans.iter().map(|&(s, e)| [s, e]).collect() }
    }
}

/// A `language` that is present is `Some`, even when it is `null`: absent and `null` say
/// different things (see [`EngineInfo::language`]).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// Metadata as the engine wrote and the server stored it, with the channel stored beside
    /// it: every channel from a German source, written locally and adopted from a model.
    const STORED: &str = include_str!("../tests/fixtures/stored-metadata.json");

    fn stored() -> Vec<(Channel, Value)> {
        let entries: Vec<Value> = serde_json::from_str(STORED).unwrap();
        entries
            .into_iter()
            .map(|entry| (entry["channel"].as_str().unwrap().parse().unwrap(), entry["metadata"].clone()))
            .collect()
    }

    #[test]
    fn stored_metadata_reads_back_and_writes_the_same_json() {
        for (channel, stored) in stored() {
            let metadata: VariantMetadata = serde_json::from_value(stored.clone()).unwrap();
            // Through a JSON value, whose keys are sorted, as the server stores it.
            let written = serde_json::to_value(&metadata).unwrap();
            assert_eq!(written.to_string(), stored.to_string(), "{channel}");
        }
    }

    #[test]
    fn counts_read_back_as_their_channels_kind() {
        for (channel, stored) in stored() {
            let counts = serde_json::from_value::<VariantMetadata>(stored).unwrap().counts;
            let kind_matches = match channel {
                Channel::X | Channel::Bluesky | Channel::Mastodon => matches!(counts, Counts::Thread { .. }),
                Channel::Linkedin => matches!(counts, Counts::Linkedin { .. }),
                Channel::Newsletter => matches!(counts, Counts::Newsletter { .. }),
                Channel::Blog => matches!(counts, Counts::Blog { .. }),
            };
            assert!(kind_matches, "{channel}: {counts:?}");
        }
    }

    #[test]
    fn an_undetected_language_differs_from_none_recorded() {
        let (_, mut local) = stored().remove(0);
        let detected: VariantMetadata = serde_json::from_value(local.clone()).unwrap();
        local["engine"]["language"] = Value::Null;
        let undetected: VariantMetadata = serde_json::from_value(local.clone()).unwrap();
        assert_eq!(serde_json::to_value(&undetected).unwrap(), local, "null is kept");
        let (_, external) = stored().into_iter().find(|(_, m)| m["engine"]["name"] == "external").unwrap();
        let external: VariantMetadata = serde_json::from_value(external).unwrap();
        assert_eq!(
            [detected.engine.language, undetected.engine.language, external.engine.language],
            [Some(Some("de".to_owned())), Some(None), None]
        );
    }
}
