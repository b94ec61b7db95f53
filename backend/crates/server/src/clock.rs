//! Time as a dependency, so tests can move it.

use chrono::{DateTime, SubsecRound, Utc};

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock, truncated to microseconds so values round-trip through every database.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }
}

/// The wall clock plus an offset that only grows: tests jump a day or a month ahead without
/// waiting, while the app keeps running in real time.
#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset_micros: std::sync::atomic::AtomicI64,
}

impl ShiftedClock {
    /// Moves this clock (and everything reading it) `by` into the future.
    pub fn advance(&self, by: chrono::Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_micros.fetch_add(micros, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        let offset =
            chrono::Duration::microseconds(self.offset_micros.load(std::sync::atomic::Ordering::SeqCst));
        SystemClock.now() + offset
    }
}
