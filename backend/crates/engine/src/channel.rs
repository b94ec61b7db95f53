//! The channel rules: one versioned table that the renderers, the lint and the API share.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::count;

/// Bumped whenever a rule below changes.
pub const RULES_VERSION: &str = "2026-12-08.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "sea-orm", derive(sea_orm::DeriveValueType), sea_orm(value_type = "String"))]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Linkedin,
    X,
    Newsletter,
    Blog,
    Bluesky,
    Mastodon,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown channel `{0}`; expected one of linkedin, x, newsletter, blog, bluesky, mastodon")]
pub struct UnknownChannel(pub String);

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Linkedin,
        Channel::X,
        Channel::Newsletter,
        Channel::Blog,
        Channel::Bluesky,
        Channel::Mastodon,
    ];

    /// The channels a job writes when it names none and has no preset. A channel added to
    /// the product does not join them, so such jobs (and the quota they use) do not grow.
    pub const DEFAULT: [Channel; 4] = [Channel::Linkedin, Channel::X, Channel::Newsletter, Channel::Blog];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Linkedin => "linkedin",
            Self::X => "x",
            Self::Newsletter => "newsletter",
            Self::Blog => "blog",
            Self::Bluesky => "bluesky",
            Self::Mastodon => "mastodon",
        }
    }

    /// The channel's name as people write it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Linkedin => "LinkedIn",
            Self::X => "X",
            Self::Newsletter => "Email newsletter",
            Self::Blog => "Blog post",
            Self::Bluesky => "Bluesky",
            Self::Mastodon => "Mastodon",
        }
    }
}

impl FromStr for Channel {
    type Err = UnknownChannel;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == value).ok_or_else(|| UnknownChannel(value.to_owned()))
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// X: https://developer.x.com/en/docs/counting-characters (twitter-text v3 weighting).
pub const X_MAX_WEIGHTED: usize = 280;
pub const X_MAX_HASHTAGS: usize = 2;
// Bluesky: the text of an `app.bsky.feed.post` record is at most 300 graphemes (the lexicon's
// `maxGraphemes`); a link counts as written.
pub const BLUESKY_MAX_GRAPHEMES: usize = 300;
// Bluesky's app turns `#tags` into tag facets that open a feed of the tag, so a tag or two help
// a post be found (https://docs.bsky.app/docs/advanced-guides/post-richtext); in 300 graphemes
// more would crowd out the sentence, as on X.
pub const BLUESKY_MAX_HASHTAGS: usize = 2;
// Mastodon: 500 characters unless the instance allows more (`configuration.statuses.
// max_characters` of `GET /api/v2/instance`); every URL counts 23 characters and a remote
// mention its username only (https://docs.joinmastodon.org/user/posting/).
pub const MASTODON_DEFAULT_MAX_CHARS: usize = 500;
pub const MASTODON_URL_CHARS: usize = 23;
// Mastodon has no algorithmic feed and searches posts by hashtag (full-text search is opt-in
// per post and per server), so hashtags are how a post is found: two to four, no more, which
// would read as tag spam there.
pub const MASTODON_MIN_HASHTAGS: usize = 2;
pub const MASTODON_MAX_HASHTAGS: usize = 4;
// The engine writes three at most: past the third, its keyphrases are often too general to be a
// topic people follow ("#Goals", "#Code" on the marketing set); a writer may add a fourth.
pub const MASTODON_WRITTEN_HASHTAGS: usize = 3;
// LinkedIn shows about 210 characters before "…see more" in the feed.
pub const LINKEDIN_MAX_CHARS: usize = 3_000;
pub const LINKEDIN_HOOK_MAX_CHARS: usize = 210;
pub const LINKEDIN_MIN_HASHTAGS: usize = 3;
pub const LINKEDIN_MAX_HASHTAGS: usize = 5;
// Inbox clients cut subjects near 60 characters and show 40–100 characters of preheader.
pub const NEWSLETTER_SUBJECT_MAX_CHARS: usize = 60;
pub const NEWSLETTER_PREHEADER_MIN_CHARS: usize = 40;
pub const NEWSLETTER_PREHEADER_MAX_CHARS: usize = 100;
pub const NEWSLETTER_MIN_KEY_POINTS: usize = 3;
pub const NEWSLETTER_MAX_KEY_POINTS: usize = 5;
// Search results show about 60 characters of title and 120–155 of description.
pub const BLOG_TITLE_MAX_CHARS: usize = 60;
pub const BLOG_META_MIN_CHARS: usize = 120;
pub const BLOG_META_MAX_CHARS: usize = 155;
pub const BLOG_SLUG_MAX_CHARS: usize = 60;
pub const BLOG_MIN_SECTIONS: usize = 2;

/// How a channel measures a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Counting {
    /// Unicode scalar values.
    Chars,
    /// X's weighting (twitter-text v3): CJK and emoji count 2, every URL 23.
    Weighted,
    /// Extended grapheme clusters: an emoji sequence, or a letter with its marks, is one.
    Graphemes,
    /// Graphemes, with every URL counted as 23 and a remote mention as its username.
    Mastodon,
}

impl Counting {
    /// The length of `text` in this unit.
    pub fn length(self, text: &str) -> usize {
        match self {
            Self::Chars => count::char_count(text),
            Self::Weighted => count::x_weighted_length(text),
            Self::Graphemes => count::grapheme_count(text),
            Self::Mastodon => count::mastodon_length(text),
        }
    }

    /// A fast bound never under [`Counting::length`], for packing posts: packed posts always
    /// fit when counted exactly.
    pub fn upper_bound(self, text: &str) -> usize {
        match self {
            Self::Weighted => count::x_weighted_upper_bound(text),
            Self::Mastodon => count::mastodon_upper_bound(text),
            Self::Chars | Self::Graphemes => self.length(text),
        }
    }
}

/// A network of short posts that threads longer ones (X, Bluesky, Mastodon): what one post may
/// hold and how it is counted. The renderer, the lint and the refitting of a model's draft all
/// read it, so the three networks differ only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortPost {
    pub channel: Channel,
    pub counting: Counting,
    /// The longest post, in `counting`'s unit.
    pub max_length: usize,
    /// How many hashtags a generated post carries when the source offers them.
    pub min_hashtags: usize,
    pub written_hashtags: usize,
    /// More hashtags than this is an error.
    pub max_hashtags: usize,
    /// Whether a thread part holds sentences of one source paragraph only. In X's and
    /// Bluesky's room a part is one thought, a sentence or two; Mastodon's 500 characters hold
    /// a short paragraph, so its parts take the chosen sentences in turn while they fit, as a
    /// single post does, rather than thread one short sentence per post.
    pub part_per_paragraph: bool,
    /// The lint rules for a post over the limit, too many hashtags and an unnumbered thread.
    pub length_rule: &'static str,
    pub hashtags_rule: &'static str,
    pub numbering_rule: &'static str,
}

impl ShortPost {
    /// X: 280 characters as X weighs them, up to two hashtags.
    pub fn x() -> Self {
        Self {
            channel: Channel::X,
            counting: Counting::Weighted,
            max_length: X_MAX_WEIGHTED,
            min_hashtags: 1,
            written_hashtags: X_MAX_HASHTAGS,
            max_hashtags: X_MAX_HASHTAGS,
            part_per_paragraph: true,
            length_rule: "x.max_weighted_length",
            hashtags_rule: "x.max_hashtags",
            numbering_rule: "x.thread_numbering",
        }
    }

    /// Bluesky: 300 graphemes, up to two hashtags.
    pub fn bluesky() -> Self {
        Self {
            channel: Channel::Bluesky,
            counting: Counting::Graphemes,
            max_length: BLUESKY_MAX_GRAPHEMES,
            min_hashtags: 1,
            written_hashtags: BLUESKY_MAX_HASHTAGS,
            max_hashtags: BLUESKY_MAX_HASHTAGS,
            part_per_paragraph: true,
            length_rule: "bluesky.max_length",
            hashtags_rule: "bluesky.max_hashtags",
            numbering_rule: "bluesky.thread_numbering",
        }
    }

    /// Mastodon: the instance's limit when the caller knows it (`max_chars`), else 500, as
    /// Mastodon counts; two or three hashtags written, four allowed.
    pub fn mastodon(max_chars: Option<usize>) -> Self {
        Self {
            channel: Channel::Mastodon,
            counting: Counting::Mastodon,
            max_length: max_chars.unwrap_or(MASTODON_DEFAULT_MAX_CHARS),
            min_hashtags: MASTODON_MIN_HASHTAGS,
            written_hashtags: MASTODON_WRITTEN_HASHTAGS,
            max_hashtags: MASTODON_MAX_HASHTAGS,
            part_per_paragraph: false,
            length_rule: "mastodon.max_length",
            hashtags_rule: "mastodon.max_hashtags",
            numbering_rule: "mastodon.thread_numbering",
        }
    }

    /// The channel's short-post rules, or `None` for a channel that is not one. For Mastodon,
    /// `mastodon_max_chars` is the instance's own limit when the caller knows it.
    pub fn of(channel: Channel, mastodon_max_chars: Option<usize>) -> Option<Self> {
        match channel {
            Channel::X => Some(Self::x()),
            Channel::Bluesky => Some(Self::bluesky()),
            Channel::Mastodon => Some(Self::mastodon(mastodon_max_chars)),
            Channel::Linkedin | Channel::Newsletter | Channel::Blog => None,
        }
    }

    /// Mastodon's rules for a stored post: the post keeps the instance limit it was written
    /// for in its metadata (`max_chars`), so an edit is checked against the same limit.
    pub fn mastodon_of_variant(fields: &crate::ChannelFields) -> Self {
        Self::mastodon(fields.max_chars)
    }
}

/// One row of the rules table, as `GET /channels` serves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelRules {
    pub channel: Channel,
    pub display_name: &'static str,
    pub max_chars: Option<usize>,
    /// How `max_chars` is counted: `chars` (Unicode scalar values), `weighted` (X's
    /// weighting), `graphemes` (Bluesky) or `mastodon` (graphemes, URLs 23, remote mentions as
    /// the username).
    pub counting: Counting,
    /// Whether a long post becomes a numbered thread.
    pub threads: bool,
    pub min_hashtags: Option<usize>,
    pub max_hashtags: Option<usize>,
    pub hook_max_chars: Option<usize>,
    pub subject_max_chars: Option<usize>,
    pub preheader_min_chars: Option<usize>,
    pub preheader_max_chars: Option<usize>,
    pub title_max_chars: Option<usize>,
    pub meta_description_min_chars: Option<usize>,
    pub meta_description_max_chars: Option<usize>,
    pub min_key_points: Option<usize>,
    pub max_key_points: Option<usize>,
    pub min_sections: Option<usize>,
}

impl ChannelRules {
    fn empty(channel: Channel) -> Self {
        Self {
            channel,
            display_name: channel.display_name(),
            max_chars: None,
            counting: Counting::Chars,
            threads: false,
            min_hashtags: None,
            max_hashtags: None,
            hook_max_chars: None,
            subject_max_chars: None,
            preheader_min_chars: None,
            preheader_max_chars: None,
            title_max_chars: None,
            meta_description_min_chars: None,
            meta_description_max_chars: None,
            min_key_points: None,
            max_key_points: None,
            min_sections: None,
        }
    }

    /// The channel's row; for Mastodon with the instance's limit when `mastodon_max_chars`
    /// gives it, else the default of 500.
    pub fn of(channel: Channel, mastodon_max_chars: Option<usize>) -> Self {
        if let Some(short) = ShortPost::of(channel, mastodon_max_chars) {
            return Self {
                max_chars: Some(short.max_length),
                counting: short.counting,
                threads: true,
                max_hashtags: Some(short.max_hashtags),
                ..Self::empty(channel)
            };
        }
        match channel {
            Channel::Linkedin => Self {
                max_chars: Some(LINKEDIN_MAX_CHARS),
                min_hashtags: Some(LINKEDIN_MIN_HASHTAGS),
                max_hashtags: Some(LINKEDIN_MAX_HASHTAGS),
                hook_max_chars: Some(LINKEDIN_HOOK_MAX_CHARS),
                ..Self::empty(channel)
            },
            Channel::Newsletter => Self {
                subject_max_chars: Some(NEWSLETTER_SUBJECT_MAX_CHARS),
                preheader_min_chars: Some(NEWSLETTER_PREHEADER_MIN_CHARS),
                preheader_max_chars: Some(NEWSLETTER_PREHEADER_MAX_CHARS),
                min_key_points: Some(NEWSLETTER_MIN_KEY_POINTS),
                max_key_points: Some(NEWSLETTER_MAX_KEY_POINTS),
                ..Self::empty(channel)
            },
            Channel::Blog => Self {
                title_max_chars: Some(BLOG_TITLE_MAX_CHARS),
                meta_description_min_chars: Some(BLOG_META_MIN_CHARS),
                meta_description_max_chars: Some(BLOG_META_MAX_CHARS),
                min_sections: Some(BLOG_MIN_SECTIONS),
                ..Self::empty(channel)
            },
            Channel::X | Channel::Bluesky | Channel::Mastodon => Self::empty(channel),
        }
    }
}

/// The rules table, one row per channel, with the defaults (Mastodon's 500 characters).
pub fn channel_rules() -> Vec<ChannelRules> {
    Channel::ALL.iter().map(|&channel| ChannelRules::of(channel, None)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mastodon_limit_is_the_instances_when_known() {
        assert_eq!(ChannelRules::of(Channel::Mastodon, None).max_chars, Some(500));
        assert_eq!(ChannelRules::of(Channel::Mastodon, Some(1_000)).max_chars, Some(1_000));
        assert_eq!(ChannelRules::of(Channel::X, Some(1_000)).max_chars, Some(280), "only Mastodon's");
        let stored = crate::ChannelFields { max_chars: Some(1_000), ..Default::default() };
        assert_eq!(ShortPost::mastodon_of_variant(&stored).max_length, 1_000);
        assert_eq!(ShortPost::mastodon_of_variant(&Default::default()).max_length, 500);
    }

    #[test]
    fn every_channel_has_a_row_and_a_name() {
        let table = channel_rules();
        assert_eq!(table.iter().map(|row| row.channel).collect::<Vec<_>>(), Channel::ALL);
        let bluesky = &table[4];
        assert_eq!(
            (bluesky.max_chars, bluesky.counting, bluesky.threads),
            (Some(300), Counting::Graphemes, true)
        );
        assert_eq!("mastodon".parse::<Channel>(), Ok(Channel::Mastodon));
        assert_eq!(Channel::Bluesky.display_name(), "Bluesky");
        assert!("myspace".parse::<Channel>().is_err());
    }
}
