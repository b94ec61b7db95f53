//! Which accounts were recently seen to exist, so a correctly signed access token whose account
//! is gone is refused (401) without a database read on every request.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use uuid::Uuid;

/// How long a confirmed account is trusted before it is looked up again: an account removed
/// behind the API's back loses access within this time on every process.
const CONFIRMED_FOR: Duration = Duration::from_secs(60);
/// More entries than this are dropped at once; the next request of each account reads it again.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Default)]
pub struct KnownAccounts {
    confirmed_at: Mutex<HashMap<Uuid, Instant>>,
}

impl KnownAccounts {
    /// Whether `id` was confirmed within [`CONFIRMED_FOR`].
    pub fn is_fresh(&self, id: Uuid) -> bool {
        self.confirmed_at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .is_some_and(|at| at.elapsed() < CONFIRMED_FOR)
    }

    pub fn confirm(&self, id: Uuid) {
        let mut confirmed = self.confirmed_at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if confirmed.len() >= MAX_ENTRIES {
            confirmed.clear();
        }
        confirmed.insert(id, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_fresh_only_once_confirmed() {
        let known = KnownAccounts::default();
        let id = Uuid::now_v7();
        assert!(!known.is_fresh(id));
        known.confirm(id);
        assert!(known.is_fresh(id));
        assert!(!known.is_fresh(Uuid::now_v7()));
    }
}
