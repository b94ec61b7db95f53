//! The token-bucket arithmetic, as GCRA (the generic cell rate algorithm): one timestamp per
//! client instead of a token count and a refill time. Pure: the caller passes the time, so the
//! memory store, the Redis script and the tests all agree on every decision.

const MICROS_PER_MINUTE: i64 = 60_000_000;
const MICROS_PER_SECOND: i64 = 1_000_000;

/// A sustained rate with a burst on top: a full bucket holds `burst` requests and refills at
/// `requests_per_minute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatePolicy {
    pub requests_per_minute: u32,
    pub burst: u32,
}

impl RatePolicy {
    /// The policy, or `None` (no limit) when `requests_per_minute` is 0. A burst below 1 is 1.
    pub fn per_minute(requests_per_minute: u32, burst: u32) -> Option<Self> {
        (requests_per_minute > 0).then(|| Self { requests_per_minute, burst: burst.max(1) })
    }

    /// Microseconds between two requests at the sustained rate (one token's refill time).
    pub fn emission_interval(&self) -> i64 {
        MICROS_PER_MINUTE / i64::from(self.requests_per_minute)
    }

    /// How far ahead of now a client's theoretical arrival time may run: a full bucket.
    pub fn capacity(&self) -> i64 {
        self.emission_interval() * i64::from(self.burst)
    }
}

/// The verdict on one request, with what the `RateLimit-*` headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    /// The bucket's size (`RateLimit-Limit`).
    pub limit: u32,
    /// Requests left right now (`RateLimit-Remaining`).
    pub remaining: u32,
    /// Seconds until the bucket is full again (`RateLimit-Reset`).
    pub reset_seconds: u64,
    /// Seconds until one more request is allowed (`Retry-After`); 0 when allowed.
    pub retry_after_seconds: u64,
    /// The client's new theoretical arrival time to store; `None` leaves it as it was.
    pub store: Option<i64>,
}

/// Decides a request at `now` (microseconds since the epoch) for a client whose stored
/// theoretical arrival time is `stored` (`None` for a client not seen or long idle).
pub fn decide(policy: RatePolicy, stored: Option<i64>, now: i64) -> Decision {
    let interval = policy.emission_interval();
    let capacity = policy.capacity();
    let arrival = stored.map_or(now, |stored| stored.max(now));
    let next_arrival = arrival + interval;
    if next_arrival - now > capacity {
        return Decision {
            allowed: false,
            limit: policy.burst,
            remaining: 0,
            reset_seconds: ceil_seconds(arrival - now),
            retry_after_seconds: ceil_seconds(next_arrival - now - capacity).max(1),
            store: None,
        };
    }
    let remaining = (capacity - (next_arrival - now)) / interval;
    Decision {
        allowed: true,
        limit: policy.burst,
        remaining: u32::try_from(remaining).unwrap_or(0),
        reset_seconds: ceil_seconds(next_arrival - now),
        retry_after_seconds: 0,
        store: Some(next_arrival),
    }
}

fn ceil_seconds(micros: i64) -> u64 {
    u64::try_from(micros.max(0)).unwrap_or(0).div_ceil(MICROS_PER_SECOND as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = MICROS_PER_SECOND;
    const START: i64 = 1_800_000_000 * SECOND;

    fn three_per_minute() -> RatePolicy {
        RatePolicy::per_minute(3, 3).unwrap()
    }

    /// Sends `count` requests at `now`, threading the stored state, and returns the last decision.
    fn burst(policy: RatePolicy, stored: &mut Option<i64>, now: i64, count: usize) -> Decision {
        let mut last = None;
        for _ in 0..count {
            let decision = decide(policy, *stored, now);
            if let Some(next) = decision.store {
                *stored = Some(next);
            }
            last = Some(decision);
        }
        last.expect("at least one request")
    }

    #[test]
    fn a_full_bucket_allows_the_burst_then_refuses() {
        let policy = three_per_minute();
        let mut stored = None;
        let first = decide(policy, stored, START);
        assert_eq!((first.allowed, first.remaining, first.limit), (true, 2, 3));
        assert_eq!(first.reset_seconds, 20);
        stored = first.store;
        let third = burst(policy, &mut stored, START, 2);
        assert_eq!((third.allowed, third.remaining, third.reset_seconds), (true, 0, 60));
        let fourth = decide(policy, stored, START);
        assert!(!fourth.allowed);
        assert_eq!(fourth.store, None, "a refused request costs nothing");
        assert_eq!((fourth.remaining, fourth.retry_after_seconds, fourth.reset_seconds), (0, 20, 60));
    }

    #[test]
    fn tokens_come_back_at_the_sustained_rate() {
        let policy = three_per_minute();
        let mut stored = None;
        burst(policy, &mut stored, START, 3);
        assert!(!decide(policy, stored, START + 19 * SECOND).allowed);
        let later = decide(policy, stored, START + 20 * SECOND);
        assert!(later.allowed);
        assert_eq!(later.remaining, 0);
        let idle = decide(policy, stored, START + 10 * 60 * SECOND);
        assert_eq!(idle.remaining, 2, "an idle client's bucket is full again, never fuller");
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let policy = RatePolicy::per_minute(7, 1).unwrap();
        let mut stored = None;
        burst(policy, &mut stored, START, 1);
        let refused = decide(policy, stored, START + SECOND / 2);
        assert!(!refused.allowed);
        // 60/7 s ≈ 8.57 s per token, half a second already passed.
        assert_eq!(refused.retry_after_seconds, 9);
    }

    #[test]
    fn zero_per_minute_means_no_limit_and_the_burst_is_at_least_one() {
        assert_eq!(RatePolicy::per_minute(0, 10), None);
        assert_eq!(RatePolicy::per_minute(60, 0).unwrap().burst, 1);
    }
}
