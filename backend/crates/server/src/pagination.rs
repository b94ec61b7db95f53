//! Keyset pagination shared by the list endpoints: a checked page size, an opaque cursor
//! naming the last row of the previous page, and one extra row fetched to know whether
//! another page exists.

use uuid::Uuid;

use crate::error::FieldError;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

/// A position in a list: written into `next_cursor`, read back from `cursor`.
pub trait Cursor: Sized {
    fn encode(&self) -> String;
    fn decode(raw: &str) -> Option<Self>;
}

/// Lists ordered by a UUIDv7 id (creation order) use the id itself.
impl Cursor for Uuid {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(raw: &str) -> Option<Self> {
        Uuid::parse_str(raw).ok()
    }
}

/// The page a list request asks for, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<C> {
    pub limit: u64,
    /// Rows strictly after this position; `None` starts at the beginning.
    pub after: Option<C>,
}

impl<C: Cursor> PageRequest<C> {
    /// Reads `limit` and `cursor`, pushing a field error for each bad one.
    pub fn parse(limit: Option<u64>, cursor: Option<&str>, errors: &mut Vec<FieldError>) -> Self {
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            errors.push(FieldError::new("limit", format!("must be between 1 and {MAX_PAGE_SIZE}")));
        }
        let after = cursor.filter(|raw| !raw.is_empty()).and_then(|raw| {
            let decoded = C::decode(raw);
            if decoded.is_none() {
                errors.push(FieldError::new("cursor", "is not a cursor this API returned"));
            }
            decoded
        });
        Self { limit, after }
    }

    /// How many rows to fetch: one more than a page tells whether another page exists.
    pub fn fetch_limit(&self) -> u64 {
        self.limit.saturating_add(1)
    }

    /// Cuts rows fetched with [`Self::fetch_limit`] to one page, and names where the next starts.
    pub fn page<T>(&self, mut rows: Vec<T>, cursor_of: impl Fn(&T) -> C) -> (Vec<T>, Option<String>) {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() <= limit {
            return (rows, None);
        }
        rows.truncate(limit);
        let next = rows.last().map(|row| cursor_of(row).encode());
        (rows, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds_are_checked() {
        let mut errors = Vec::new();
        let request = PageRequest::<Uuid>::parse(None, None, &mut errors);
        assert_eq!((request.limit, request.after, errors.len()), (DEFAULT_PAGE_SIZE, None, 0));
        PageRequest::<Uuid>::parse(Some(0), Some("nope"), &mut errors);
        let fields: Vec<_> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["limit", "cursor"]);
    }

    #[test]
    fn the_extra_row_becomes_the_next_cursor() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let request = PageRequest::<Uuid> { limit: 2, after: None };
        let (page, next) = request.page(ids.clone(), |id| *id);
        assert_eq!(page, ids[..2]);
        assert_eq!(next, Some(ids[1].to_string()));
        let (last, none) = request.page(ids[..2].to_vec(), |id| *id);
        assert_eq!((last.len(), none), (2, None));
    }
}
