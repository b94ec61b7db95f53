//! What a hand-written `Debug` prints in place of a credential, so that logging a request, a
//! response or a row never reveals a password, a token or a signing secret.

use std::fmt;

/// Prints `[redacted]`: `.field("password", &Redacted)` in a `Debug` implementation.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_a_placeholder() {
        assert_eq!(format!("{Redacted:?}"), "[redacted]");
    }
}
