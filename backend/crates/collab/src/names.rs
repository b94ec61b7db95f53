//! Checked names (task ids, agent names, lock resources), parsed once where they enter.

use std::{borrow::Borrow, fmt, str::FromStr};

use serde::{
    Deserialize, Serialize,
    de::{DeserializeOwned, IntoDeserializer, value::Error as ValueError},
};

use crate::Error;

/// Parses a unit enum variant from the name serde gives it (one table of names: the serde attributes).
pub(crate) fn parse_variant<T: DeserializeOwned>(
    value: &str,
    what: &'static str,
    rule: &'static str,
) -> Result<T, Error> {
    T::deserialize(value.into_deserializer()).map_err(|_: ValueError| Error::Invalid {
        what,
        value: value.to_owned(),
        rule,
    })
}

/// The name serde writes for a unit enum variant.
pub(crate) fn variant_name<T: Serialize>(variant: &T) -> String {
    serde_json::to_value(variant).ok().and_then(|name| name.as_str().map(str::to_owned)).unwrap_or_default()
}

macro_rules! checked_name {
    ($(#[$doc:meta])* $name:ident, $what:literal, $rule:literal, $is_valid:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The name as written.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;

            fn try_from(value: String) -> Result<Self, Error> {
                let is_valid: fn(&str) -> bool = $is_valid;
                if is_valid(&value) {
                    Ok(Self(value))
                } else {
                    Err(Error::Invalid { what: $what, value, rule: $rule })
                }
            }
        }

        impl FromStr for $name {
            type Err = Error;

            fn from_str(value: &str) -> Result<Self, Error> {
                Self::try_from(value.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

checked_name!(
    /// A task's id: a lowercase slug such as `scheduling-rrule` (the schema's `taskId`).
    TaskId,
    "task id",
    "1-64 lowercase letters, digits or '-', starting with a letter or digit",
    |value| is_slug(value, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
);

checked_name!(
    /// Who acts: an agent, a lease holder or a task owner, such as `implementer-2` (the schema's `name`).
    Name,
    "name",
    "1-64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
    |value| is_slug(value, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
);

checked_name!(
    /// What a lease protects, such as `backend/Cargo.toml` or `port:8000` (the schema's `resource`).
    Resource,
    "resource",
    "1-200 printable ASCII characters without spaces",
    |value| (1..=200).contains(&value.len()) && value.bytes().all(|byte| byte.is_ascii_graphic())
);

fn is_slug(value: &str, allowed: fn(char) -> bool) -> bool {
    value.len() <= 64
        && value.chars().next().is_some_and(|first| first.is_ascii_alphanumeric())
        && value.chars().all(allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_their_rules() {
        assert!("scheduling-rrule".parse::<TaskId>().is_ok());
        assert!("Scheduling".parse::<TaskId>().is_err(), "task ids are lowercase");
        assert!("-leading".parse::<TaskId>().is_err());
        assert!("a".repeat(65).parse::<TaskId>().is_err());
        assert!("implementer.2_b-c".parse::<Name>().is_ok());
        assert!("".parse::<Name>().is_err());
        assert!("two words".parse::<Name>().is_err());
        assert!("backend/Cargo.toml".parse::<Resource>().is_ok());
        assert!("port:8000".parse::<Resource>().is_ok());
        assert!("with space".parse::<Resource>().is_err());
        assert!("x".repeat(201).parse::<Resource>().is_err());
    }

    #[test]
    fn a_bad_name_is_a_usage_error_that_says_the_rule() {
        let error = "Bad Name".parse::<Name>().unwrap_err();
        assert!(error.is_usage());
        assert!(error.to_string().contains("starting with a letter or digit"), "{error}");
    }

    #[test]
    fn names_refuse_bad_values_when_deserialised_too() {
        assert!(serde_json::from_str::<Name>("\"ok-name\"").is_ok());
        assert!(serde_json::from_str::<Name>("\"not ok\"").is_err());
    }
}
