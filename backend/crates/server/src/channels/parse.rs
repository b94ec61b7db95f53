//! Parsing channel lists from requests into the engine's `Channel`, and storing them.

use engine::Channel;
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;

/// The longest channel list a request may send: every channel, with room for repeats.
pub const MAX_CHANNEL_NAMES: usize = 16;

/// Parses a non-empty list of channel names, dropping duplicates and keeping order.
pub fn parse_channels(field: &str, names: &[String]) -> Result<Vec<Channel>, Vec<FieldError>> {
    if names.is_empty() {
        return Err(vec![FieldError::new(field, "choose at least one channel")]);
    }
    if names.len() > MAX_CHANNEL_NAMES {
        return Err(vec![FieldError::new(field, format!("must list at most {MAX_CHANNEL_NAMES} channels"))]);
    }
    let mut channels = Vec::with_capacity(names.len());
    let mut errors = Vec::new();
    for (index, name) in names.iter().enumerate() {
        match name.trim().to_lowercase().parse::<Channel>() {
            Ok(channel) if !channels.contains(&channel) => channels.push(channel),
            Ok(_) => {}
            Err(error) => errors.push(FieldError::new(format!("{field}[{index}]"), error.to_string())),
        }
    }
    if errors.is_empty() { Ok(channels) } else { Err(errors) }
}

/// A `channels` column: the channel names as a JSON array, in the order they were chosen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct ChannelList(pub Vec<Channel>);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_lists_are_parsed_and_deduplicated() {
        let names = ["LinkedIn", "x", "x"].map(String::from);
        assert_eq!(parse_channels("channels", &names).unwrap(), vec![Channel::Linkedin, Channel::X]);
    }

    #[test]
    fn unknown_and_empty_lists_name_the_field() {
        let errors = parse_channels("channels", &["x".into(), "fax".into()]).unwrap_err();
        assert_eq!(errors[0].field, "channels[1]");
        assert_eq!(parse_channels("channels", &[]).unwrap_err()[0].field, "channels");
        let too_many = vec!["x".to_owned(); 100_000];
        assert_eq!(parse_channels("channels", &too_many).unwrap_err()[0].field, "channels");
    }

    #[test]
    fn channels_and_tones_are_stored_by_their_names() {
        crate::db::assert_stored_text(&[
            (Channel::Linkedin, "linkedin"),
            (Channel::X, "x"),
            (Channel::Newsletter, "newsletter"),
            (Channel::Blog, "blog"),
            (Channel::Bluesky, "bluesky"),
            (Channel::Mastodon, "mastodon"),
        ]);
        assert_eq!(Channel::ALL.len(), 6, "every channel is listed above");
        crate::db::assert_stored_text(&[
            (engine::Tone::Professional, "professional"),
            (engine::Tone::Casual, "casual"),
            (engine::Tone::Friendly, "friendly"),
            (engine::Tone::Bold, "bold"),
        ]);
    }

    #[test]
    fn channel_lists_keep_the_json_rows_hold() {
        crate::db::assert_json_column(
            ChannelList(vec![Channel::Blog, Channel::Newsletter]),
            r#"["blog","newsletter"]"#,
        );
        crate::db::assert_json_column(
            ChannelList(Channel::DEFAULT.to_vec()),
            r#"["linkedin","x","newsletter","blog"]"#,
        );
    }
}
