//! The channel rules: one versioned table that the renderers, the lint and the API share.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// Bumped whenever a rule below changes.
pub const RULES_VERSION: &str = "2026-11-25.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Linkedin,
    X,
    Newsletter,
    Blog,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown channel `{0}`; expected one of linkedin, x, newsletter, blog")]
pub struct UnknownChannel(pub String);

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Linkedin, Channel::X, Channel::Newsletter, Channel::Blog];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Linkedin => "linkedin",
            Self::X => "x",
            Self::Newsletter => "newsletter",
            Self::Blog => "blog",
        }
    }

    /// The channel's name as people write it.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Linkedin => "LinkedIn",
            Self::X => "X",
            Self::Newsletter => "Email newsletter",
            Self::Blog => "Blog post",
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

/// One row of the rules table, as `GET /channels` serves it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelRules {
    pub channel: Channel,
    pub display_name: &'static str,
    pub max_chars: Option<usize>,
    /// `weighted` (X's counting) or `chars` (Unicode scalar values).
    pub counting: &'static str,
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
            counting: "chars",
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
}

/// The rules table, one row per channel.
pub fn channel_rules() -> Vec<ChannelRules> {
    vec![
        ChannelRules {
            max_chars: Some(LINKEDIN_MAX_CHARS),
            min_hashtags: Some(LINKEDIN_MIN_HASHTAGS),
            max_hashtags: Some(LINKEDIN_MAX_HASHTAGS),
            hook_max_chars: Some(LINKEDIN_HOOK_MAX_CHARS),
            ..ChannelRules::empty(Channel::Linkedin)
        },
        ChannelRules {
            max_chars: Some(X_MAX_WEIGHTED),
            counting: "weighted",
            max_hashtags: Some(X_MAX_HASHTAGS),
            ..ChannelRules::empty(Channel::X)
        },
        ChannelRules {
            subject_max_chars: Some(NEWSLETTER_SUBJECT_MAX_CHARS),
            preheader_min_chars: Some(NEWSLETTER_PREHEADER_MIN_CHARS),
            preheader_max_chars: Some(NEWSLETTER_PREHEADER_MAX_CHARS),
            min_key_points: Some(NEWSLETTER_MIN_KEY_POINTS),
            max_key_points: Some(NEWSLETTER_MAX_KEY_POINTS),
            ..ChannelRules::empty(Channel::Newsletter)
        },
        ChannelRules {
            title_max_chars: Some(BLOG_TITLE_MAX_CHARS),
            meta_description_min_chars: Some(BLOG_META_MIN_CHARS),
            meta_description_max_chars: Some(BLOG_META_MAX_CHARS),
            min_sections: Some(BLOG_MIN_SECTIONS),
            ..ChannelRules::empty(Channel::Blog)
        },
    ]
}
