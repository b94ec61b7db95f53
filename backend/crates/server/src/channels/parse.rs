//! Parsing channel lists from requests into the engine's `Channel`.

use engine::Channel;

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

/// Reads channels stored as a JSON array of names; unknown names are skipped.
pub fn from_json(value: &serde_json::Value) -> Vec<Channel> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(|item| item.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

pub fn to_json(channels: &[Channel]) -> serde_json::Value {
    serde_json::Value::from(channels.iter().map(|c| c.as_str()).collect::<Vec<_>>())
}

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
    fn json_round_trip() {
        let channels = vec![Channel::Blog, Channel::Newsletter];
        assert_eq!(from_json(&to_json(&channels)), channels);
    }
}
